//! Feeds, built in: RSS 2.0 (`/feed.xml`), Atom 1.0 (`/atom.xml`) and JSON
//! Feed 1.1 (`/feed.json`) with one item per issue holding the issue's whole
//! content, and an Atom feed per tag and per outlet with one item per entry.
//!
//! Ids are permalinks, so they never change; dates are the site's timezone;
//! every URL is absolute; text is escaped for XML or JSON. A site feed a
//! theme has a template for (`feed.xml`, `atom.xml`, `feed.json`) is
//! rendered from it instead.

mod atom;
mod issues;
mod lists;

use tera::Value;

use super::{Body, Job, Scope};
use crate::site::urls;
pub use lists::entry_feed;

/// Entries in a tag's or an outlet's feed, newest first.
pub const ENTRY_FEED_LIMIT: usize = 50;

/// Site feeds a theme may replace with a template of the same name.
const FEED_TEMPLATES: [&str; 3] = ["feed.xml", "atom.xml", "feed.json"];

/// The site feeds, then each tag's and each outlet's.
pub fn jobs(scope: &Scope<'_>, jobs: &mut Vec<Job>) {
    let Scope {
        site,
        values,
        templates,
    } = *scope;
    let config = &site.config;
    for (path, content) in issues::site_feeds(site) {
        let body = match FEED_TEMPLATES.iter().find(|n| **n == path) {
            Some(template) if templates.exists(&path) => {
                let issues: Vec<Value> = values
                    .issues
                    .iter()
                    .take(config.feed_limit)
                    .cloned()
                    .collect();
                let page = scope.page(
                    "feed",
                    &config.title,
                    &config.description,
                    &path,
                    [("issues", Value::from(issues))],
                );
                Body::Page { template, page }
            }
            _ => Body::Text(content),
        };
        jobs.push(Job { path, body });
    }
    for tag in &site.tags {
        let path = urls::tag(&tag.slug);
        let feed = entry_feed(site, &format!("#{}", tag.name), &path, &tag.entries);
        jobs.push(Job {
            path: urls::list_feed(&path),
            body: Body::Text(feed),
        });
    }
    for outlet in &site.outlets {
        let path = urls::outlet(&outlet.key);
        let feed = entry_feed(site, &outlet.name, &path, &outlet.entries);
        jobs.push(Job {
            path: urls::list_feed(&path),
            body: Body::Text(feed),
        });
    }
}

/// Escapes text for XML content and attributes, dropping the control
/// characters XML 1.0 cannot carry at all.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}
