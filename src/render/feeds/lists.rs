//! The Atom feed of a tag's, an outlet's or a story's entries, newest
//! first: one item per entry, linking its page here and the outlet's article.

use url::Url;

use super::ENTRY_FEED_LIMIT;
use super::atom::{AtomEntry, atom};
use crate::markdown::escape_html;
use crate::render::links::{Utm, absolutize};
use crate::site::{EntryId, Site, urls};

/// The Atom feed of a tag's or an outlet's entries, newest first.
pub fn entry_feed(site: &Site, title: &str, page_path: &str, entries: &[EntryId]) -> String {
    let config = &site.config;
    let summaries: Vec<(String, String, String)> = entries
        .iter()
        .take(ENTRY_FEED_LIMIT)
        .map(|&id| {
            let entry = &site.entries[id];
            let outlet = &site.outlets[entry.outlet].name;
            let html = format!(
                "{}<p><a href=\"{}\">Read at {}</a></p>",
                entry.summary_html,
                escape_html(&entry.url),
                escape_html(outlet)
            );
            (
                config.permalink(&entry.path),
                html,
                crate::markdown::truncate(&entry.summary_text, 250),
            )
        })
        .collect();
    let atom_entries: Vec<AtomEntry<'_>> = entries
        .iter()
        .zip(&summaries)
        .map(|(&id, (permalink, html, summary))| {
            let entry = &site.entries[id];
            AtomEntry {
                title: &entry.headline,
                id: permalink,
                link: permalink,
                related: Some(&entry.url),
                published: entry.date,
                updated: entry.date,
                summary,
                html: match (Url::parse(permalink), Url::parse(&config.base_url)) {
                    (Ok(page), Ok(own)) => absolutize(html, &page, &own, &Utm::default(), &[]),
                    _ => html.clone(),
                },
            }
        })
        .collect();
    atom(
        site,
        &format!("{}: {title}", config.title),
        "",
        &config.permalink(&urls::list_feed(page_path)),
        &config.permalink(page_path),
        &atom_entries,
    )
}
