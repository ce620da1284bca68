//! `/search.json`: every story and entry, newest first, for the theme's
//! search box (and any other client). [`words`] folds words as search.js
//! will.

pub mod words;

use serde::Serialize;

use super::{Body, Job, Scope};
use crate::markdown::truncate;
use crate::site::{Site, urls};

#[derive(Serialize)]
struct Record<'a> {
    kind: &'static str,
    title: &'a str,
    url: String,
    date: String,
    outlet: &'a str,
    tags: Vec<&'a str>,
    summary: String,
}

/// `search.json`.
pub fn jobs(scope: &Scope<'_>, jobs: &mut Vec<Job>) {
    jobs.push(Job {
        path: urls::SEARCH.to_owned(),
        body: Body::Text(index(scope.site)),
    });
}

/// The search index as JSON text.
pub fn index(site: &Site) -> String {
    let config = &site.config;
    let limit = config.summary_length;
    let mut records: Vec<(chrono::DateTime<chrono::FixedOffset>, Record<'_>)> = Vec::new();
    for story in &site.stories {
        let summary = if story.dek.is_empty() {
            truncate(&story.text, limit)
        } else {
            story.dek.clone()
        };
        records.push((
            story.date,
            Record {
                kind: "story",
                title: &story.headline,
                url: config.permalink(&story.path),
                date: story.date.format("%Y-%m-%d").to_string(),
                outlet: "",
                tags: story
                    .tags
                    .iter()
                    .map(|&t| site.tags[t].name.as_str())
                    .collect(),
                summary,
            },
        ));
    }
    for &id in site.outlets.iter().flat_map(|o| &o.entries) {
        let entry = &site.entries[id];
        records.push((
            entry.date,
            Record {
                kind: "entry",
                title: &entry.headline,
                url: config.permalink(&entry.path),
                date: entry.date.format("%Y-%m-%d").to_string(),
                outlet: &site.outlets[entry.outlet].name,
                tags: entry
                    .tags
                    .iter()
                    .map(|&t| site.tags[t].name.as_str())
                    .collect(),
                summary: truncate(&entry.summary_text, limit),
            },
        ));
    }
    // Newest first; the URL breaks ties so the order never wavers.
    records.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.url.cmp(&b.1.url)));
    let records: Vec<Record<'_>> = records.into_iter().map(|(_, r)| r).collect();
    let mut json = serde_json::to_string(&records).unwrap_or_else(|_| "[]".to_owned());
    json.push('\n');
    json
}
