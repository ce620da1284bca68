//! An entry or a story file: `kind` decides which it is and which keys apply.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use serde::Deserialize;

use super::{EntrySource, Item, StorySource, aliases_of, required_text};
use crate::content::document::Document;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::source::url::check_http_url;
use crate::source::yaml::{Field, Parsed};
use crate::source::{Located, Memo, Span};

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
    aliases: Field<Vec<String>>,
}

const ENTRY_KEYS: &[&str] = &[
    "kind", "headline", "outlet", "url", "story", "tags", "date", "blurb", "weight", "draft",
    "aliases",
];
const STORY_KEYS: &[&str] = &[
    "kind", "headline", "dek", "tags", "date", "weight", "draft", "aliases",
];
/// The keys of either kind: all that is known when `kind` is not.
const ITEM_KEYS: &[&str] = &[
    "kind", "headline", "outlet", "url", "story", "tags", "date", "blurb", "dek", "weight",
    "draft", "aliases",
];

/// Parses an entry or story file, reading dates without an offset in `tz`;
/// `issue` is the day of the issue whose folder holds it.
/// The item comes back even when some of its fields are wrong (with a
/// diagnostic each), so checks across files still see it; only a file
/// without readable front matter gives no item.
pub fn item(doc: Document, tz: Tz, issue: Option<NaiveDate>) -> (Option<Item>, Vec<Diagnostic>) {
    let yaml = doc.yaml();
    if !doc.has_front_matter() {
        let d = yaml.start().error("missing front matter")
            .help("start the file with a `---` line, then `headline:`, `outlet:` and `url:`, then a `---` line");
        return (None, vec![d]);
    }
    let Parsed {
        value: front,
        unknown,
        spans,
    } = match yaml.parse::<ItemFront>() {
        Ok(parsed) => parsed,
        Err(d) => return (None, vec![d]),
    };
    let mut errors = Vec::new();
    let kind = spans.field("kind", front.kind, &mut errors);
    // With a mistyped kind we cannot tell which kind was meant: asking for
    // an entry's `outlet` in a story spelt `stroy` would advise the wrong
    // fix, so only what is wrong for both kinds is reported.
    let mut kind_known = true;
    let is_story = match &kind {
        None => false,
        Some(kind) => match kind.value.as_str() {
            "entry" => false,
            "story" => true,
            other => {
                let d = kind.error(format!("unknown kind `{other}`"));
                errors.push(match did_you_mean(other, ["story", "entry"]) {
                    Some(hint) => d.label(hint),
                    None => d.help(
                        "use `kind: story` for a lead explainer, or leave `kind` out for an entry",
                    ),
                });
                kind_known = false;
                false
            }
        },
    };
    let known = match (kind_known, is_story) {
        (false, _) => ITEM_KEYS,
        (true, true) => STORY_KEYS,
        (true, false) => ENTRY_KEYS,
    };
    for keys in &unknown {
        errors.push(spans.unknown_key(keys, known));
    }
    let headline = spans.field("headline", front.headline, &mut errors);
    let headline = required_text(&spans, headline, "headline", &mut errors).value;
    let tags = spans.field("tags", front.tags, &mut errors);
    let (tags, tag_spans): (Vec<String>, Vec<Span>) = tags_of(tags, &mut errors)
        .into_iter()
        .map(|tag| (tag.value, tag.span))
        .unzip();
    let tag_slugs = tags.iter().map(|t| crate::slug::slugify(t)).collect();
    let date = spans
        .field("date", front.date, &mut errors)
        .and_then(|raw| {
            let date = read_date(&raw.value, tz);
            if let Err(why) = &date {
                errors.push(match why {
                    NotADate::Unreadable => raw.error(format!("invalid date `{}`", raw.value)).help(
                        "write a date as `2026-11-25`, or a time as `2026-11-25T14:05:00-06:00`",
                    ),
                    NotADate::Skipped(local) => {
                        // The same moment on the clock once it has gone forward.
                        let after = (tz.from_local_datetime(&(*local + chrono::TimeDelta::hours(1))))
                            .earliest()
                            .map(|d| format!(" (`{}`, an hour on)", d.fixed_offset().to_rfc3339()));
                        raw.error(format!("{local} does not exist in {tz}: the clocks skip it, going forward that night"))
                            .help(format!("write a time outside the skipped hour{}, or with its offset", after.unwrap_or_default()))
                    }
                });
            }
            let date = date.ok();
            match (date, issue) {
                // What an issue curates came out by its day: a later date
                // is a mistyped year or month, and it would be shown, and
                // date the feeds and the sitemap, ahead of time.
                (Some(date), Some(issue)) if date.with_timezone(&tz).date_naive() > issue => {
                    errors.push(
                        raw.error(format!(
                            "dated {}, after its issue of {issue}",
                            date.with_timezone(&tz).date_naive()
                        ))
                        .severity(crate::diagnostic::Severity::Warning)
                        .code(crate::lint::FUTURE_DATE)
                        .help("correct the date, or move the file to the folder of the issue it belongs to"),
                    );
                }
                _ => {}
            }
            date
        });
    let weight = spans.field("weight", front.weight, &mut errors);
    let draft = spans.field("draft", front.draft, &mut errors);
    let outlet = spans.field("outlet", front.outlet, &mut errors);
    let url = spans.field("url", front.url, &mut errors);
    let story = spans.field("story", front.story, &mut errors);
    let blurb = spans.field("blurb", front.blurb, &mut errors);
    let dek = spans.field("dek", front.dek, &mut errors);
    let aliases = aliases_of(&spans, front.aliases, &mut errors);
    let weight = weight.map_or(0, Located::into_inner);
    let draft = draft.is_some_and(|d| d.value);

    // Keys that are valid for the other kind get a message that says so.
    let present = [
        ("outlet", outlet.as_ref()),
        ("url", url.as_ref()),
        ("story", story.as_ref()),
        ("blurb", blurb.as_ref()),
        ("dek", dek.as_ref()),
    ];
    for (key, value) in present {
        if let Some(value) = value
            && !known.contains(&key)
        {
            let (this, other) = if is_story {
                ("a story", "an entry")
            } else {
                ("an entry", "a story (`kind: story`)")
            };
            errors.push(
                value
                    .key_error(format!("`{key}` is not a field of {this}"))
                    .help(format!("`{key}` belongs to {other}; remove it here")),
            );
        }
    }
    let text = |value: Option<Located<String>>| {
        value
            .map(Located::into_inner)
            .filter(|text| !text.trim().is_empty())
    };

    if is_story {
        let story = StorySource {
            headline,
            dek: text(dek),
            tags,
            tag_slugs,
            tag_spans,
            date,
            weight,
            draft,
            aliases,
            doc,
            memo: Memo::default(),
            version: VERSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        };
        return (Some(Item::Story(story)), errors);
    }

    let (outlet, mut url) = if kind_known {
        (
            required_text(&spans, outlet, "outlet", &mut errors),
            required_text(&spans, url, "url", &mut errors),
        )
    } else {
        let written = |value: Option<Located<String>>, key: &str| {
            value.map_or_else(
                || spans.located(&[key], String::new()),
                |v| v.map(|t| t.trim().to_owned()),
            )
        };
        (written(outlet, "outlet"), written(url, "url"))
    };
    if let std::borrow::Cow::Owned(encoded) = crate::source::url::encode_unsafe(&url.value) {
        url.value = encoded;
    }
    if !url.value.is_empty()
        && let Err(why) = check_http_url(&url.value)
    {
        errors.push(
            url.error(format!("`url` must be an http or https address: {why}"))
                .help("link to the article with its full address, e.g. `https://www.example.com/news/…`"),
        );
    }
    let entry = EntrySource {
        canonical: crate::source::url::canonical(&url.value),
        headline,
        outlet,
        url,
        story: story.filter(|s| !s.value.trim().is_empty()),
        tags,
        tag_slugs,
        tag_spans,
        date,
        blurb: text(blurb),
        weight,
        draft,
        aliases,
        doc,
        memo: Memo::default(),
        version: VERSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
    };
    (Some(Item::Entry(entry)), errors)
}

/// The next [`EntrySource::version`] or [`StorySource::version`].
static VERSIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The tags as written, trimmed, each once and located at its own text; a
/// tag that would make an empty URL is an error at `tags`.
fn tags_of(
    tags: Option<Located<Vec<String>>>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Located<String>> {
    let Some(tags) = tags else {
        return Vec::new();
    };
    let mut out: Vec<Located<String>> = Vec::new();
    for tag in &tags.value {
        let tag = tag.trim().to_owned();
        let slug = crate::slug::slugify(&tag);
        if slug.is_empty() {
            errors.push(
                tags.error(format!("tag `{tag}` has no letters or digits"))
                    .help("a tag needs at least one letter or digit, since it becomes a URL"),
            );
        } else if slug.len() > crate::slug::MAX_LEN {
            let start: String = tag.chars().take(40).collect();
            errors.push(
                tags.error(format!(
                    "tag `{start}…` is too long for a URL: {} characters once made one, at most {}",
                    slug.len(),
                    crate::slug::MAX_LEN
                ))
                .help("a tag is a word or two; say more in the summary"),
            );
        } else if !out.iter().any(|t| t.value == tag) {
            if tag.contains(',') {
                // `tags: ai, robots` is one YAML string, so one tag.
                let list: Vec<&str> = tag.split(',').map(str::trim).collect();
                errors.push(
                    tags.span
                        .item(&tag)
                        .warning(format!(
                            "tag `{tag}` holds a comma: it is one tag, `{slug}`"
                        ))
                        .help(format!(
                            "for several tags, write a list: `tags: [{}]`",
                            list.join(", ")
                        )),
                );
            }
            out.push(Located {
                span: tags.span.item(&tag),
                key: tags.key.clone(),
                value: tag,
            });
        }
    }
    out
}

/// Accepts RFC 3339, the same with a space for the `T` or an offset
/// without its colon (`+0530`), a local date-time in the site's timezone,
/// or a date (its midnight). `None` for what is not a date.
pub fn parse_date(raw: &str, tz: Tz) -> Option<DateTime<FixedOffset>> {
    read_date(raw, tz).ok()
}

/// Why a `date` is not one.
enum NotADate {
    /// Not written as a date.
    Unreadable,
    /// A local time the clocks skip (they go forward that night).
    Skipped(NaiveDateTime),
}

fn read_date(raw: &str, tz: Tz) -> Result<DateTime<FixedOffset>, NotADate> {
    let raw = raw.trim();
    if let Ok(date) = DateTime::parse_from_rfc3339(raw) {
        return Ok(date);
    }
    // `%z` takes `+05:30`, `+0530` and `Z`; the space before it is optional.
    let with_offset = [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M %z",
    ];
    if let Some(date) = (with_offset.iter()).find_map(|f| DateTime::parse_from_str(raw, f).ok()) {
        return Ok(date);
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
    })
    .ok_or(NotADate::Unreadable)?;
    tz.from_local_datetime(&local)
        .earliest()
        .map(|d| d.fixed_offset())
        .ok_or(NotADate::Skipped(local))
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

    // What editors paste from elsewhere is read as they meant it: an
    // offset without its colon (ISO 8601's basic form), YAML's own
    // timestamp with a space before the offset.
    #[test]
    fn dates_with_an_offset_in_other_spellings() {
        let tz: Tz = "America/Chicago".parse().expect("a timezone");
        for (raw, meant) in [
            ("2026-11-29T10:00:00+0530", "2026-11-29T10:00:00+05:30"),
            ("2026-11-29 10:00:00 -06:00", "2026-11-29T10:00:00-06:00"),
            (
                "2026-11-29 10:00:00.5 -06:00",
                "2026-11-29T10:00:00.500-06:00",
            ),
            ("2026-11-29 10:00 +01:00", "2026-11-29T10:00:00+01:00"),
        ] {
            let d = parse_date(raw, tz).unwrap_or_else(|| panic!("{raw} is a date"));
            assert_eq!(d.to_rfc3339(), meant, "{raw}");
        }
    }

    // A local time the clocks skip is said to be one, with the time an
    // hour on; `tags: ai, robots`, one YAML string, is one tag, said so.
    #[test]
    fn a_skipped_hour_and_a_comma_in_a_tag_are_explained() {
        let text = "---\nheadline: x\noutlet: tnw\nurl: https://thenextweb.com/x\ndate: 2026-03-08T02:30:00\ntags: ai, robots\n---\n";
        let doc =
            Document::split("content/2026-03-08/a.md".into(), text.to_owned()).expect("a document");
        let tz: Tz = "America/Chicago".parse().expect("a timezone");
        let (_, found) = item(doc, tz, None);
        let said: Vec<(String, String)> = (found.iter())
            .map(|d| (d.message.clone(), d.help.clone().unwrap_or_default()))
            .collect();
        assert_eq!(
            said,
            [
                (
                    "tag `ai, robots` holds a comma: it is one tag, `ai-robots`".to_owned(),
                    "for several tags, write a list: `tags: [ai, robots]`".to_owned()
                ),
                (
                    "2026-03-08 02:30:00 does not exist in America/Chicago: the clocks skip it, going forward that night".to_owned(),
                    "write a time outside the skipped hour (`2026-03-08T03:30:00-05:00`, an hour on), or with its offset".to_owned()
                ),
            ]
        );
    }

    // A mistyped `kind` is the one error: asking for an entry's `outlet`
    // and `url` would advise the wrong fix when a story was meant.
    #[test]
    fn unknown_kind_is_the_only_error() {
        let text = "---\nkind: stroy\nheadline: x\ndek: A dek\n---\nBody.\n";
        let doc =
            Document::split("content/2026-11-25/a.md".into(), text.to_owned()).expect("a document");
        let (item, errors) = item(doc, chrono_tz::UTC, None);
        let messages: Vec<String> = errors.iter().map(|d| d.message.clone()).collect();
        assert_eq!(messages, ["unknown kind `stroy`"]);
        assert_eq!(errors[0].label.as_deref(), Some("did you mean `story`?"));
        assert!(item.is_some(), "checks across files still see the file");
    }
}
