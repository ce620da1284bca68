//! The Atom feed of a tag's, an outlet's or a story's entries, newest
//! first: one item per entry, linking its page here and the outlet's article.

use std::sync::OnceLock;

use url::Url;

use super::ENTRY_FEED_LIMIT;
use super::atom::{self, AtomEntry};
use crate::markdown::escape_html;
use crate::render::links::{Utm, absolutize};
use crate::site::{EntryId, Site, urls};

/// Each entry's `<entry>` element, made the first time a feed lists it:
/// the same in its tags', its outlet's and its story's feeds, whose making
/// it was most of (its summary made absolute, then escaped for XML).
/// Made for one render of the site and dropped with it.
pub struct Elements {
    made: Vec<OnceLock<String>>,
}

impl Elements {
    pub fn new(site: &Site) -> Elements {
        Elements {
            made: (site.entries.iter()).map(|_| OnceLock::new()).collect(),
        }
    }

    fn of(&self, site: &Site, id: EntryId) -> &str {
        match self.made.get(id) {
            Some(made) => made.get_or_init(|| element(site, id)),
            None => "",
        }
    }
}

/// The `<entry>` element of entry `id`.
fn element(site: &Site, id: EntryId) -> String {
    let config = &site.config;
    let entry = &site.entries[id];
    let outlet = &site.outlets[entry.outlet].name;
    let read_at = config.words.text("read_at", &[("outlet", outlet)]);
    let html = format!(
        "{}<p><a href=\"{}\">{}</a></p>",
        entry.summary_html,
        escape_html(&entry.url),
        escape_html(&read_at)
    );
    let permalink = config.permalink(&entry.path);
    let html = match (Url::parse(&permalink), Url::parse(&config.base_url)) {
        (Ok(page), Ok(own)) => absolutize(&html, &page, &own, &Utm::default(), &[]),
        _ => html,
    };
    atom::entry(&AtomEntry {
        title: &entry.headline,
        id: &permalink,
        link: &permalink,
        related: Some(&entry.url),
        published: entry.date,
        updated: entry.date,
        summary: &crate::markdown::truncate(&entry.summary_text, 250),
        html: &html,
    })
}

/// The Atom feed of a tag's or an outlet's entries, newest first.
pub fn entry_feed(
    site: &Site,
    elements: &Elements,
    title: &str,
    page_path: &str,
    entries: &[EntryId],
) -> String {
    let config = &site.config;
    let listed: Vec<_> = (entries.iter().take(ENTRY_FEED_LIMIT))
        .map(|&id| (site.entries[id].date, elements.of(site, id)))
        .collect();
    atom::atom(
        site,
        &format!(
            "{}{} {title}",
            config.title,
            config.words.text("colon", &[])
        ),
        "",
        &config.permalink(&urls::list_feed(page_path)),
        &config.permalink(page_path),
        &listed,
    )
}
