//! Front matter of entries, stories, `_issue.md` and pages: parsed, checked
//! field by field, and turned into typed sources, one module a kind.
//!
//! Takes a split [`Document`] and returns its source (still as written, the
//! body not rendered: that is the site stage's) with a diagnostic for each
//! wrong field. Values that a later stage may point at (an entry's outlet,
//! url and story) keep their spans. Checks here need only the one file;
//! checks across files (does the outlet exist? is the slug taken?) belong
//! to `site`.

mod issue;
mod item;
mod page;

use chrono::{DateTime, FixedOffset};

pub use issue::issue_meta;
pub use item::{item, parse_date};
pub use page::page;

use super::document::Document;
use crate::diagnostic::Diagnostic;
use crate::source::yaml::Spans;
use crate::source::{Located, Memo, Span};

/// A curated link, as written.
#[derive(Debug)]
pub struct EntrySource {
    pub doc: Document,
    pub headline: String,
    /// The outlet's key; empty when missing (an error already).
    pub outlet: Located<String>,
    /// The article; empty when missing (an error already).
    pub url: Located<String>,
    pub story: Option<Located<String>>,
    pub tags: Vec<String>,
    /// Each of `tags` as a URL segment.
    pub tag_slugs: Vec<String>,
    /// Where each of `tags` is written: two spellings that make one slug
    /// are an error naming both.
    pub tag_spans: Vec<Span>,
    /// `url` as [`canonical`](crate::source::url::canonical) makes it, to
    /// find an article filed twice.
    pub canonical: Option<String>,
    pub date: Option<DateTime<FixedOffset>>,
    pub blurb: Option<String>,
    pub weight: i64,
    pub draft: bool,
    /// Old URLs of its page, as site paths (see [`aliases_of`]).
    pub aliases: Vec<Located<String>>,
    /// What the site stage made of the body, kept with the source so that a
    /// rebuild that reuses the source does not render it again.
    pub memo: Memo,
    /// Different for every entry parsed in this process: a rebuild that
    /// finds the same version knows the file is as it was.
    pub version: u64,
}

/// A lead explainer, as written.
#[derive(Debug)]
pub struct StorySource {
    pub doc: Document,
    pub headline: String,
    pub dek: Option<String>,
    pub tags: Vec<String>,
    /// Each of `tags` as a URL segment.
    pub tag_slugs: Vec<String>,
    /// Where each of `tags` is written: two spellings that make one slug
    /// are an error naming both.
    pub tag_spans: Vec<Span>,
    pub date: Option<DateTime<FixedOffset>>,
    pub weight: i64,
    pub draft: bool,
    /// As [`EntrySource::aliases`].
    pub aliases: Vec<Located<String>>,
    /// As [`EntrySource::memo`].
    pub memo: Memo,
    /// As [`EntrySource::version`].
    pub version: u64,
}

/// An entry or a story file. Each lives behind its own `Arc` (shared with the
/// load cache), so the larger variant costs no space in a list.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Item {
    Entry(EntrySource),
    Story(StorySource),
}

impl Item {
    /// Turns the memo off: what the site stage makes of the file is not
    /// kept with it (see [`Memo::off`]).
    pub fn forget_renderings(&mut self) {
        match self {
            Item::Entry(e) => e.memo = Memo::off(),
            Item::Story(s) => s.memo = Memo::off(),
        }
    }

    pub fn doc(&self) -> &Document {
        match self {
            Item::Entry(e) => &e.doc,
            Item::Story(s) => &s.doc,
        }
    }
}

/// `_issue.md`, as written.
#[derive(Debug, Clone)]
pub struct IssueMeta {
    pub doc: Document,
    pub title: Option<String>,
    /// As [`EntrySource::aliases`].
    pub aliases: Vec<Located<String>>,
}

/// A standalone page, as written.
#[derive(Debug, Clone)]
pub struct PageSource {
    pub doc: Document,
    pub title: String,
    pub description: Option<String>,
    pub draft: bool,
    /// As [`EntrySource::aliases`].
    pub aliases: Vec<Located<String>>,
}

/// The trimmed text of a required `key`; empty, with an error, when it is
/// missing or blank. Located either way: at the key when it is written, at
/// the front matter's start when not.
fn required_text(
    spans: &Spans<'_>,
    value: Option<Located<String>>,
    key: &str,
    errors: &mut Vec<Diagnostic>,
) -> Located<String> {
    match value {
        Some(text) if !text.value.trim().is_empty() => text.map(|t| t.trim().to_owned()),
        Some(blank) => {
            errors.push(
                blank
                    .key_error(format!("`{key}` is empty"))
                    .help(format!("give `{key}` a value")),
            );
            blank.map(|_| String::new())
        }
        None => {
            errors.push(
                spans
                    .start()
                    .error(format!("missing `{key}`"))
                    .label(format!("this front matter has no `{key}`"))
                    .help(format!("add `{key}: …` to the front matter")),
            );
            spans.located(&[key], String::new())
        }
    }
}

/// The `aliases` of a file: old URLs of its page (see [`site_paths`]).
fn aliases_of(
    spans: &Spans<'_>,
    field: crate::source::yaml::Field<Vec<String>>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Located<String>> {
    site_paths(
        spans,
        "aliases",
        field,
        "an alias is an old URL of this page, written as a path of the site: `/2026/11/25/old-slug/`",
        errors,
    )
}

/// The list `key` of paths of the site (aliases, retired URLs), each made a
/// site path (`/2026/11/25/old-slug/` -> `2026/11/25/old-slug/`) and located
/// at its own line; one that is not a path of this site is an error there,
/// with `help`, and left out.
pub fn site_paths(
    spans: &Spans<'_>,
    key: &str,
    field: crate::source::yaml::Field<Vec<String>>,
    help: &str,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Located<String>> {
    let Some(list) = spans.field(key, field, errors) else {
        return Vec::new();
    };
    let mut paths = Vec::new();
    for raw in &list.value {
        let path = Located {
            value: raw.clone(),
            span: list.span.item(raw.trim()),
            key: list.key.clone(),
        };
        match crate::site::urls::written_path(raw) {
            Ok(site_path) => paths.push(path.map(|_| site_path)),
            Err(why) => errors.push(
                path.error(format!("{} `{}` {why}", singular(key), raw.trim()))
                    .help(help),
            ),
        }
    }
    paths
}

/// `alias` for `aliases`, `retired URL` for `retired`.
fn singular(key: &str) -> &str {
    match key {
        "aliases" => "alias",
        "retired" => "retired URL",
        other => other,
    }
}
