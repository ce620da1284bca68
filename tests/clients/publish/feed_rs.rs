//! The feeds, `feed.json` too, as the `feed-rs` crate reads them, judged
//! as feedparser's reading is.

use std::time::Instant;

use super::feeds::{Feed, Item, judge, missing_feeds};
use super::{Out, assert_caught, assert_none};
use crate::{sites, tools};

// 5. feed-rs reads every feed, feed.json too, with the same items as
// feedparser must see; it rejects the fixture's bare `&` and finds no date
// in "yesterday".
pub fn feeds_read_cleanly_in_feed_rs() {
    for site in sites() {
        let started = Instant::now();
        let out = Out::of(site);
        let (feeds, items, problems) = feed_rs_problems(&out);
        assert_none(site.name, "feed-rs", &problems);
        tools::report(&format!(
            "{}: feed-rs: {feeds} feeds (feed.json too), {items} items, counts as expected [{:.1} s]",
            site.name,
            started.elapsed().as_secs_f64()
        ));
    }
    let (_, _, problems) = feed_rs_problems(&Out::broken());
    assert_caught(
        "feed-rs",
        &problems,
        &[
            "feed.xml item 1: no published date",
            "feed.xml: 1 items, expected 2",
            "atom.xml: feed-rs:",
            "tags/ai/atom.xml item 1: id/guid",
            "outlets/wire/atom.xml: missing",
        ],
    );
}

fn feed_rs_problems(out: &Out) -> (usize, usize, Vec<String>) {
    let mut files = out.xml_feeds();
    files.insert(2, "feed.json".to_owned());
    let mut problems = missing_feeds(out);
    let mut feeds = Vec::new();
    for file in &files {
        let bytes = std::fs::read(out.dir.join(file)).expect("a feed");
        let parsed = match feed_rs::parser::parse(bytes.as_slice()) {
            Ok(parsed) => parsed,
            Err(e) => {
                problems.push(format!("{file}: feed-rs: {e}"));
                continue;
            }
        };
        let kind = match file.as_str() {
            "feed.xml" => feed_rs::model::FeedType::RSS2,
            "feed.json" => feed_rs::model::FeedType::JSON,
            _ => feed_rs::model::FeedType::Atom,
        };
        if parsed.feed_type != kind {
            problems.push(format!(
                "{file}: feed-rs reads it as {:?}, not {kind:?}",
                parsed.feed_type
            ));
        }
        let feed = Feed {
            file: file.clone(),
            title: parsed.title.map(|t| t.content),
            items: parsed
                .entries
                .into_iter()
                .map(|e| Item {
                    title: e.title.map(|t| t.content),
                    link: e
                        .links
                        .iter()
                        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                        .map(|l| l.href.clone()),
                    id: Some(e.id),
                    published: e.published.map(|d| d.to_rfc3339()),
                })
                .collect(),
        };
        feeds.push(feed);
    }
    judge(out, files.len(), &feeds, problems)
}
