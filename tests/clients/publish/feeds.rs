//! The feeds as feedparser reads them, and the judging that feed-rs's
//! reading (`feed_rs.rs`) goes through too: each item sound, each feed
//! holding the newest issues or entries it should, no site without items.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use super::{Out, assert_caught, assert_none, meta, python, results};
use crate::sites;
use crate::tools::{self, Missing};

/// Items in the site feeds: `feed_limit` in `site.yaml`, 30 unless set
/// (neither checked site sets another).
const FEED_LIMIT: usize = 30;
/// Items in a tag's or an outlet's feed.
const TAXONOMY_FEED_LIMIT: usize = 50;

/// A feed as a reader saw it: feedparser or feed-rs.
pub(super) struct Feed {
    pub(super) file: String,
    pub(super) title: Option<String>,
    pub(super) items: Vec<Item>,
}

pub(super) struct Item {
    pub(super) title: Option<String>,
    pub(super) link: Option<String>,
    pub(super) id: Option<String>,
    /// RFC 3339, when the reader found a date it could read.
    pub(super) published: Option<String>,
}

/// What a feed must hold, from the output's files: the newest issues (by
/// their folders) for the site feeds, the newest entries of a tag or an
/// outlet (by the search index's records) for theirs.
struct Expected {
    title: String,
    /// The feed's title must equal `title` (site feeds) or start with it.
    exact_title: bool,
    count: usize,
    /// URLs the items must be among, newest first, with their dates.
    members: Vec<(String, String)>,
}

fn expected(out: &Out, site_title: &str, file: &str) -> Result<Expected, String> {
    if matches!(file, "feed.xml" | "atom.xml" | "feed.json") {
        let issues = out.issues();
        let members: Vec<(String, String)> = issues
            .iter()
            .map(|i| {
                let date = i.trim_end_matches('/').replace('/', "-");
                (format!("{}{i}", out.base_url), date)
            })
            .collect();
        return Ok(Expected {
            title: site_title.to_owned(),
            exact_title: true,
            count: members.len().min(FEED_LIMIT),
            members,
        });
    }
    if super::is_story_feed(file) {
        return Ok(story_expected(out, site_title, file));
    }
    let (kind, key) = file
        .strip_suffix("/atom.xml")
        .and_then(|k| k.split_once('/'))
        .ok_or_else(|| format!("{file}: not a feed this check knows"))?;
    let outlet_name = if kind == "outlets" {
        let page = out.read(&format!("outlets/{key}/index.html"));
        Some(meta(&page, "og:title").ok_or_else(|| {
            format!("outlets/{key}/index.html: no og:title to name the outlet by")
        })?)
    } else {
        None
    };
    let mut members: Vec<(String, String)> = out
        .entries()
        .iter()
        .filter(|e| match &outlet_name {
            Some(name) => e["outlet"].as_str() == Some(name.as_str()),
            None => e["tags"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t.as_str())
                .any(|t| t == key || slug(t) == key),
        })
        .map(|e| {
            (
                e["url"].as_str().unwrap_or("").to_owned(),
                e["date"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    members.sort_by(|a, b| b.1.cmp(&a.1));
    Ok(Expected {
        title: site_title.to_owned(),
        exact_title: false,
        count: members.len().min(TAXONOMY_FEED_LIMIT),
        members,
    })
}

/// A story's feed holds its coverage: the entry pages its story page links
/// in its coverage section, dated by their folders.
fn story_expected(out: &Out, site_title: &str, file: &str) -> Expected {
    let folder = file.trim_end_matches("atom.xml");
    let page = out.read(&format!("{folder}index.html"));
    let coverage = page.find("<section class=\"coverage").map_or("", |at| {
        &page[at..at + page[at..].find("</section>").unwrap_or(0)]
    });
    let mut members: Vec<(String, String)> = Vec::new();
    for (at, _) in coverage.match_indices("href=\"") {
        let rest = &coverage[at + 6..];
        let href = &rest[..rest.find('"').unwrap_or(0)];
        let Some(path) = href.strip_prefix(out.base_url.as_str()) else {
            continue;
        };
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let is_entry = parts.len() == 4
            && parts[..3]
                .iter()
                .all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if is_entry && !members.iter().any(|(u, _)| u == href) {
            members.push((href.to_owned(), parts[..3].join("-")));
        }
    }
    members.sort_by(|a, b| b.1.cmp(&a.1));
    Expected {
        title: site_title.to_owned(),
        exact_title: false,
        count: members.len().min(TAXONOMY_FEED_LIMIT),
        members,
    }
}

fn slug(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// What is wrong with each item of `feed`, read from a site built for `base`.
fn item_problems(base: &str, feed: &Feed) -> Vec<String> {
    let mut problems = Vec::new();
    for (n, item) in feed.items.iter().enumerate() {
        let at = format!("{} item {}", feed.file, n + 1);
        if item.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            problems.push(format!("{at}: no title"));
        }
        match item.link.as_deref() {
            None | Some("") => problems.push(format!("{at}: no link")),
            Some(link) if !link.starts_with(base) => {
                problems.push(format!(
                    "{at}: link `{link}` is not an absolute URL under {base}"
                ));
            }
            Some(_) => {}
        }
        if item.id != item.link {
            problems.push(format!(
                "{at}: id/guid `{}` is not the link `{}`",
                item.id.as_deref().unwrap_or(""),
                item.link.as_deref().unwrap_or("")
            ));
        }
        if item.published.is_none() {
            problems.push(format!("{at}: no published date the reader could read"));
        }
    }
    problems
}

/// What is wrong with `feed` as a whole: its title, how many items, which.
fn content_problems(out: &Out, feed: &Feed, expected: &Expected) -> Vec<String> {
    let mut problems = Vec::new();
    let file = &feed.file;
    let title = feed.title.as_deref().unwrap_or("");
    let title_ok = if expected.exact_title {
        title == expected.title
    } else {
        title.starts_with(&expected.title)
    };
    if !title_ok {
        problems.push(format!(
            "{file}: title `{title}`, the site's is `{}`",
            expected.title
        ));
    }
    if feed.items.len() != expected.count {
        problems.push(format!(
            "{file}: {} items, expected {} (of {} candidates, newest first)",
            feed.items.len(),
            expected.count,
            expected.members.len()
        ));
    }
    // A tag with stories but no entries has an empty feed: allowed. A site
    // whose feeds are all empty is caught by `vacuous`.
    let links: BTreeSet<&str> = feed
        .items
        .iter()
        .filter_map(|i| i.link.as_deref())
        .collect();
    if links.len() != feed.items.iter().filter(|i| i.link.is_some()).count() {
        problems.push(format!("{file}: an item is in it twice"));
    }
    let members: BTreeMap<&str, &str> = expected
        .members
        .iter()
        .map(|(u, d)| (u.as_str(), d.as_str()))
        .collect();
    for link in &links {
        if !members.contains_key(link) {
            problems.push(format!(
                "{file}: item `{link}` does not belong in this feed"
            ));
        } else if !out.serves(link) {
            problems.push(format!("{file}: item `{link}` names no page of the site"));
        }
    }
    // The newest: no left-out candidate is newer than an item in the feed.
    let oldest_in = links.iter().filter_map(|l| members.get(l)).min();
    let newest_out = expected
        .members
        .iter()
        .filter(|(u, _)| !links.contains(u.as_str()))
        .map(|(_, d)| d.as_str())
        .max();
    if let (Some(oldest_in), Some(newest_out)) = (oldest_in, newest_out)
        && newest_out > *oldest_in
        && feed.items.len() >= expected.count
    {
        problems.push(format!(
            "{file}: leaves out an item of {newest_out} but holds one of {oldest_in}"
        ));
    }
    problems
}

/// The tags and outlets whose page has no feed beside it.
pub(super) fn missing_feeds(out: &Out) -> Vec<String> {
    ["tags", "outlets"]
        .iter()
        .flat_map(|kind| {
            out.taxonomy(kind)
                .into_iter()
                .map(move |key| format!("{kind}/{key}/atom.xml"))
        })
        .filter(|feed| !out.dir.join(feed).is_file())
        .map(|feed| format!("{feed}: missing"))
        .collect()
}

/// A site whose feeds hold nothing would pass every item check.
fn vacuous(out: &Out, items_by_file: &BTreeMap<String, usize>) -> Vec<String> {
    let site = items_by_file.get("atom.xml").copied().unwrap_or(0);
    let taxonomy: usize = items_by_file
        .iter()
        .filter(|(f, _)| f.contains('/'))
        .map(|(_, n)| n)
        .sum();
    if site == 0 || taxonomy == 0 {
        vec![format!(
            "{}: {site} items in the site feed and {taxonomy} in the tag and outlet feeds: nothing to check",
            out.name
        )]
    } else {
        Vec::new()
    }
}

/// What both parsers' readings must show: each item sound, each feed
/// holding what the site says it should, and no site without items at all.
/// Returns (feeds, items, problems), `problems` coming in with the parser's own.
pub(super) fn judge(
    out: &Out,
    files: usize,
    feeds: &[Feed],
    mut problems: Vec<String>,
) -> (usize, usize, Vec<String>) {
    let title = out.title();
    let mut items = BTreeMap::new();
    for feed in feeds {
        items.insert(feed.file.clone(), feed.items.len());
        problems.extend(item_problems(&out.base_url, feed));
        match expected(out, &title, &feed.file) {
            Ok(expected) => problems.extend(content_problems(out, feed, &expected)),
            Err(e) => problems.push(e),
        }
    }
    if out.name != "fixture" {
        problems.extend(vacuous(out, &items));
    }
    (files, items.values().sum(), problems)
}

/// feedparser's reading of the XML feeds of `out`, and every problem.
fn feedparser_problems(out: &Out) -> (usize, usize, Vec<String>) {
    let files = out.xml_feeds();
    let json = python(
        "feeds",
        &files.iter().map(|f| out.dir.join(f)).collect::<Vec<_>>(),
    );
    let mut problems = missing_feeds(out);
    let mut feeds = Vec::new();
    for (file, r) in files.iter().zip(results(&json)) {
        if r["bozo"] != 0 {
            problems.push(format!("{file}: feedparser: bozo, {}", r["bozo_exception"]));
        }
        let version = if file == "feed.xml" {
            "rss20"
        } else {
            "atom10"
        };
        if r["version"] != version {
            problems.push(format!(
                "{file}: feedparser reads it as `{}`, not {version}",
                r["version"]
            ));
        }
        let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
        let feed = Feed {
            file: file.clone(),
            title: text(&r["title"]),
            items: r["entries"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| Item {
                    title: text(&e["title"]),
                    link: text(&e["link"]),
                    id: text(&e["id"]),
                    published: text(&e["published"]),
                })
                .collect(),
        };
        feeds.push(feed);
    }
    judge(out, files.len(), &feeds, problems)
}

// 1. Every XML feed parses in feedparser without a bozo, as RSS 2.0 or
// Atom 1.0, with the site's title and the expected items, each with a
// title, an absolute link under the base URL, that link as its id, and a
// date. The fixture's bad date, bare `&`, relative link, short feeds and
// missing outlet feed are all caught.
pub fn feeds_read_cleanly_in_feedparser() -> Result<(), Missing> {
    tools::python(&["feedparser"])?;
    for site in sites() {
        let started = Instant::now();
        let out = Out::of(site);
        let (feeds, items, problems) = feedparser_problems(&out);
        assert_none(site.name, "feedparser", &problems);
        tools::report(&format!(
            "{}: feedparser: {feeds} feeds, {items} items, no bozo, counts as expected ({} issues) [{:.1} s]",
            site.name,
            out.issues().len(),
            started.elapsed().as_secs_f64()
        ));
    }
    let (_, _, problems) = feedparser_problems(&Out::broken());
    assert_caught(
        "feedparser",
        &problems,
        &[
            "feed.xml item 1: no published date",
            "feed.xml: 1 items, expected 2",
            "atom.xml: feedparser: bozo",
            "tags/ai/atom.xml item 1: link `/2026/11/25/a/` is not an absolute URL",
            "tags/ai/atom.xml item 1: id/guid `urn:uuid:",
            "tags/ai/atom.xml: 1 items, expected 2",
            "outlets/wire/atom.xml: missing",
        ],
    );
    Ok(())
}
