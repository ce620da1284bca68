//! What the index finds: every story and entry, oldest first, with the
//! text it is found by and the record a search result shows.
//!
//! A document's number is its place in that order, so that the newest are
//! the highest: a new issue adds numbers at the end and leaves the others'
//! (and the shards that list them) as they were, and "newest first" is
//! "highest first".

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use crate::markdown::truncate;
use crate::site::Site;

/// Characters of a summary in a search result (fewer when `summary_length`
/// says so): results are a list to scan, and every record is downloaded.
pub const SUMMARY_CHARS: usize = 160;

/// A story or an entry.
pub struct Document<'a> {
    /// What a result shows, as written to the index.
    pub record: Record<'a>,
    /// Found there, a result ranks higher.
    pub title: &'a str,
    /// The rest of the text it is found by.
    pub body: Vec<&'a str>,
    /// Oldest first: the issue's date, the document's date, its path.
    order: (NaiveDate, DateTime<FixedOffset>, &'a str),
}

/// A search result, as `search/d/<n>.json` holds it.
#[derive(Serialize)]
pub struct Record<'a> {
    /// `story` or `entry`.
    pub kind: &'static str,
    pub title: &'a str,
    /// The page here, from the site's root with the base path
    /// (`/robot-weekly/2026/11/06/soft-grippers/`).
    pub url: String,
    /// `2026-11-25`, in the site's timezone.
    pub date: String,
    /// The outlet's name; empty for a story.
    pub outlet: &'a str,
    pub tags: Vec<&'a str>,
    /// Plain text, cut at [`SUMMARY_CHARS`] with "…".
    pub summary: String,
}

impl Document<'_> {
    /// Calls `each` with every word of the document, folded, and whether it
    /// is in the title: the title's words first, repeats included.
    pub fn words(&self, mut each: impl FnMut(&str, bool)) {
        super::words::each(self.title, |w| each(w, true));
        for text in &self.body {
            super::words::each(text, |w| each(w, false));
        }
    }
}

/// Every story and entry of `site`, oldest first.
pub fn collect(site: &Site) -> Vec<Document<'_>> {
    let config = &site.config;
    let chars = match config.summary_length {
        0 => SUMMARY_CHARS,
        n => n.min(SUMMARY_CHARS),
    };
    let tags =
        |ids: &[usize]| -> Vec<&str> { ids.iter().map(|&t| site.tags[t].name.as_str()).collect() };
    let mut documents = Vec::with_capacity(site.stories.len() + site.entries.len());
    for story in &site.stories {
        let tags = tags(&story.tags);
        let mut body = vec![story.dek.as_str(), story.text.as_str()];
        body.extend(&tags);
        documents.push(Document {
            record: Record {
                kind: "story",
                title: &story.headline,
                url: config.url(&story.path),
                date: story.date.format("%Y-%m-%d").to_string(),
                outlet: "",
                tags,
                summary: truncate(&story.text, chars),
            },
            title: &story.headline,
            body,
            order: (site.issues[story.issue].date, story.date, &story.path),
        });
    }
    for entry in &site.entries {
        let outlet = &site.outlets[entry.outlet].name;
        let tags = tags(&entry.tags);
        let mut body = vec![entry.summary_text.as_str(), outlet.as_str()];
        body.extend(&tags);
        documents.push(Document {
            record: Record {
                kind: "entry",
                title: &entry.headline,
                url: config.url(&entry.path),
                date: entry.date.format("%Y-%m-%d").to_string(),
                outlet,
                tags,
                summary: truncate(&entry.summary_text, chars),
            },
            title: &entry.headline,
            body,
            order: (site.issues[entry.issue].date, entry.date, &entry.path),
        });
    }
    documents.sort_by(|a, b| a.order.cmp(&b.order));
    documents
}

#[cfg(test)]
impl<'a> Document<'a> {
    /// An entry titled `title` whose summary is `body`.
    pub fn test(title: &'a str, body: &'a str) -> Document<'a> {
        let date = NaiveDate::from_ymd_opt(2026, 11, 25).expect("a date");
        Document {
            record: Record {
                kind: "entry",
                title,
                url: "/2026/11/25/x/".to_owned(),
                date: "2026-11-25".to_owned(),
                outlet: "",
                tags: Vec::new(),
                summary: body.to_owned(),
            },
            title,
            body: vec![body],
            order: (date, DateTime::UNIX_EPOCH.fixed_offset(), ""),
        }
    }
}
