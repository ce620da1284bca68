//! Front matter of entries, stories, `_issue.md` and pages: parsed, checked
//! field by field, and turned into typed sources.
//!
//! Checks here need only the one file; checks across files (does the outlet
//! exist? is the slug taken?) belong to `site`.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use serde::Deserialize;

use super::document::Document;
use super::yaml::Field;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::source::Memo;

/// Every key an entry or a story may have; `kind` decides which apply.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ItemFront {
    kind: Field<String>,
    headline: Field<String>,
    outlet: Field<String>,
    url: Field<String>,
    story: Field<String>,
    tags: Field<Vec<String>>,
    date: Field<String>,
    blurb: Field<String>,
    dek: Field<String>,
    weight: Field<i64>,
    draft: Field<bool>,
}

const ENTRY_KEYS: &[&str] = &[
    "kind", "headline", "outlet", "url", "story", "tags", "date", "blurb", "weight", "draft",
];
const STORY_KEYS: &[&str] = &["kind", "headline", "dek", "tags", "date", "weight", "draft"];
const ISSUE_KEYS: &[&str] = &["title"];
const PAGE_KEYS: &[&str] = &["title", "description", "draft"];

/// A curated link, as written.
#[derive(Debug)]
pub struct EntrySource {
    pub doc: Document,
    pub headline: String,
    pub outlet: String,
    pub url: String,
    pub story: Option<String>,
    pub tags: Vec<String>,
    pub date: Option<DateTime<FixedOffset>>,
    pub blurb: Option<String>,
    pub weight: i64,
    pub draft: bool,
    /// What the site stage made of the body, kept with the source so that a
    /// rebuild that reuses the source does not render it again.
    pub memo: Memo,
}

/// A lead explainer, as written.
#[derive(Debug)]
pub struct StorySource {
    pub doc: Document,
    pub headline: String,
    pub dek: Option<String>,
    pub tags: Vec<String>,
    pub date: Option<DateTime<FixedOffset>>,
    pub weight: i64,
    pub draft: bool,
    /// As [`EntrySource::memo`].
    pub memo: Memo,
}

#[derive(Debug)]
pub enum Item {
    Entry(EntrySource),
    Story(StorySource),
}

impl Item {
    pub fn doc(&self) -> &Document {
        match self {
            Item::Entry(e) => &e.doc,
            Item::Story(s) => &s.doc,
        }
    }
}

/// `_issue.md`, as written.
#[derive(Debug)]
pub struct IssueMeta {
    pub doc: Document,
    pub title: Option<String>,
}

/// A standalone page, as written.
#[derive(Debug)]
pub struct PageSource {
    pub doc: Document,
    pub title: String,
    pub description: Option<String>,
    pub draft: bool,
}

/// Parses an entry or story file, reading dates without an offset in `tz`.
/// The item comes back even when some of its fields are wrong (with a
/// diagnostic each), so checks across files still see it; only a file
/// without readable front matter gives no item.
pub fn item(doc: Document, tz: Tz) -> (Option<Item>, Vec<Diagnostic>) {
    let yaml = doc.yaml();
    if !doc.has_front_matter() {
        let d = Diagnostic::error("missing front matter")
            .at(yaml.start())
            .help("start the file with a `---` line, then `headline:`, `outlet:` and `url:`, then a `---` line");
        return (None, vec![d]);
    }
    let parsed = match yaml.parse::<ItemFront>() {
        Ok(parsed) => parsed,
        Err(d) => return (None, vec![d]),
    };
    let front = parsed.value;
    let mut errors = Vec::new();
    let kind = yaml.take("kind", front.kind, &mut errors);
    let is_story = match kind.as_deref() {
        None | Some("entry") => false,
        Some("story") => true,
        Some(other) => {
            let mut d = Diagnostic::error(format!("unknown kind `{other}`"))
                .at(yaml.value_location(&["kind"]));
            d = match did_you_mean(other, ["story", "entry"]) {
                Some(hint) => d.label(hint),
                None => d.help(
                    "use `kind: story` for a lead explainer, or leave `kind` out for an entry",
                ),
            };
            errors.push(d);
            false
        }
    };
    let known = if is_story { STORY_KEYS } else { ENTRY_KEYS };
    for keys in &parsed.unknown {
        errors.push(yaml.unknown_key(keys, known));
    }
    let headline = yaml.take("headline", front.headline, &mut errors);
    let headline = required_text(&doc, headline, "headline", &mut errors);
    let tags = yaml.take("tags", front.tags, &mut errors);
    let tags = tags_of(&doc, tags, &mut errors);
    let date = yaml.take("date", front.date, &mut errors).and_then(|raw| {
        let date = parse_date(&raw, tz);
        if date.is_none() {
            errors.push(
                Diagnostic::error(format!("invalid date `{raw}`"))
                    .at(yaml.value_location(&["date"]))
                    .help("write a date as `2026-11-25`, or a time as `2026-11-25T14:05:00-06:00`"),
            );
        }
        date
    });
    let weight = yaml.take("weight", front.weight, &mut errors).unwrap_or(0);
    let draft = yaml
        .take("draft", front.draft, &mut errors)
        .unwrap_or(false);
    let outlet = yaml.take("outlet", front.outlet, &mut errors);
    let url = yaml.take("url", front.url, &mut errors);
    let story = yaml.take("story", front.story, &mut errors);
    let blurb = yaml.take("blurb", front.blurb, &mut errors);
    let dek = yaml.take("dek", front.dek, &mut errors);

    // Keys that are valid for the other kind get a message that says so.
    let present = [
        ("outlet", outlet.is_some()),
        ("url", url.is_some()),
        ("story", story.is_some()),
        ("blurb", blurb.is_some()),
        ("dek", dek.is_some()),
    ];
    for (key, is_present) in present {
        if is_present && !known.contains(&key) {
            let (this, other) = if is_story {
                ("a story", "an entry")
            } else {
                ("an entry", "a story (`kind: story`)")
            };
            errors.push(
                Diagnostic::error(format!("`{key}` is not a field of {this}"))
                    .at(yaml.key_location(&[key]))
                    .help(format!("`{key}` belongs to {other}; remove it here")),
            );
        }
    }

    if is_story {
        let story = StorySource {
            headline,
            dek: dek.filter(|d| !d.trim().is_empty()),
            tags,
            date,
            weight,
            draft,
            doc,
            memo: Memo::default(),
        };
        return (Some(Item::Story(story)), errors);
    }

    let outlet = required_text(&doc, outlet, "outlet", &mut errors);
    let url = required_text(&doc, url, "url", &mut errors);
    if !url.is_empty()
        && let Err(why) = check_http_url(&url)
    {
        errors.push(
            Diagnostic::error(format!("`url` must be an http or https address: {why}"))
                .at(yaml.value_location(&["url"]))
                .help("link to the article with its full address, e.g. `https://www.example.com/news/…`"),
        );
    }
    let entry = EntrySource {
        headline,
        outlet,
        url,
        story: story.filter(|s| !s.trim().is_empty()),
        tags,
        date,
        blurb: blurb.filter(|b| !b.trim().is_empty()),
        weight,
        draft,
        doc,
        memo: Memo::default(),
    };
    (Some(Item::Entry(entry)), errors)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct IssueFront {
    title: Field<String>,
}

/// Parses `_issue.md`.
pub fn issue_meta(doc: Document) -> (Option<IssueMeta>, Vec<Diagnostic>) {
    let yaml = doc.yaml();
    let parsed = match yaml.parse::<IssueFront>() {
        Ok(parsed) => parsed,
        Err(d) => return (None, vec![d]),
    };
    let mut errors: Vec<_> = parsed
        .unknown
        .iter()
        .map(|keys| yaml.unknown_key(keys, ISSUE_KEYS))
        .collect();
    let title = yaml
        .take("title", parsed.value.title, &mut errors)
        .filter(|t| !t.trim().is_empty());
    (Some(IssueMeta { doc, title }), errors)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageFront {
    title: Field<String>,
    description: Field<String>,
    draft: Field<bool>,
}

/// Parses a file of `content/pages/`.
pub fn page(doc: Document) -> (Option<PageSource>, Vec<Diagnostic>) {
    let yaml = doc.yaml();
    let parsed = match yaml.parse::<PageFront>() {
        Ok(parsed) => parsed,
        Err(d) => return (None, vec![d]),
    };
    let mut errors: Vec<_> = parsed
        .unknown
        .iter()
        .map(|keys| yaml.unknown_key(keys, PAGE_KEYS))
        .collect();
    let front = parsed.value;
    let title = yaml.take("title", front.title, &mut errors);
    let title = required_text(&doc, title, "title", &mut errors);
    let description = yaml.take("description", front.description, &mut errors);
    let draft = yaml
        .take("draft", front.draft, &mut errors)
        .unwrap_or(false);
    let page = PageSource {
        title,
        description: description.filter(|d| !d.trim().is_empty()),
        draft,
        doc,
    };
    (Some(page), errors)
}

fn required_text(
    doc: &Document,
    value: Option<String>,
    key: &str,
    errors: &mut Vec<Diagnostic>,
) -> String {
    match value {
        Some(text) if !text.trim().is_empty() => text.trim().to_owned(),
        Some(_) => {
            errors.push(
                Diagnostic::error(format!("`{key}` is empty"))
                    .at(doc.yaml().key_location(&[key]))
                    .help(format!("give `{key}` a value")),
            );
            String::new()
        }
        None => {
            errors.push(
                Diagnostic::error(format!("missing `{key}`"))
                    .at(doc.yaml().start())
                    .label(format!("this front matter has no `{key}`"))
                    .help(format!("add `{key}: …` to the front matter")),
            );
            String::new()
        }
    }
}

fn tags_of(doc: &Document, tags: Option<Vec<String>>, errors: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags.unwrap_or_default() {
        let tag = tag.trim().to_owned();
        if crate::slug::slugify(&tag).is_empty() {
            errors.push(
                Diagnostic::error(format!("tag `{tag}` has no letters or digits"))
                    .at(doc.yaml().value_location(&["tags"]))
                    .help("a tag needs at least one letter or digit, since it becomes a URL"),
            );
        } else if !out.contains(&tag) {
            out.push(tag);
        }
    }
    out
}

/// Accepts RFC 3339, a local date-time in the site's timezone, or a date (its midnight).
pub fn parse_date(raw: &str, tz: Tz) -> Option<DateTime<FixedOffset>> {
    let raw = raw.trim();
    if let Ok(date) = DateTime::parse_from_rfc3339(raw) {
        return Some(date);
    }
    let local = [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(raw, format).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    })?;
    tz.from_local_datetime(&local)
        .earliest()
        .map(|d| d.fixed_offset())
}

/// `Ok` for an absolute http(s) URL with a host.
pub fn check_http_url(raw: &str) -> Result<(), String> {
    match url::Url::parse(raw) {
        Ok(url) if !matches!(url.scheme(), "http" | "https") => {
            Err(format!("`{}:` links are not allowed", url.scheme()))
        }
        Ok(url) if url.host_str().is_none_or(str::is_empty) => Err("it has no host".to_owned()),
        Ok(_) => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Dates without an offset are read in the site's timezone.
    #[test]
    fn dates_use_the_site_timezone() {
        let tz: Tz = "America/Chicago".parse().expect("a timezone");
        let d = parse_date("2026-11-25 14:05", tz).expect("a date");
        assert_eq!(d.to_rfc3339(), "2026-11-25T14:05:00-06:00");
        let d = parse_date("2026-11-25", tz).expect("a date");
        assert_eq!(d.to_rfc3339(), "2026-11-25T00:00:00-06:00");
        let d = parse_date("2026-11-25T14:05:00Z", tz).expect("a date");
        assert_eq!(d.to_rfc3339(), "2026-11-25T14:05:00+00:00");
        assert!(parse_date("25/11/2026", tz).is_none());
    }

    // Only http and https links with a host pass.
    #[test]
    fn urls_must_be_http() {
        assert!(check_http_url("https://example.com/a").is_ok());
        assert!(check_http_url("javascript:alert(1)").is_err());
        assert!(check_http_url("ftp://example.com").is_err());
        assert!(check_http_url("example.com").is_err());
    }
}
