//! The email edition: `/YYYY/MM/DD/email.html` and its plain-text twin
//! `email.txt`, one self-contained file each, to paste into an email service.
//!
//! The theme's `email.html` writes its CSS in a `<style>` block; here it is
//! inlined into `style` attributes (in one pass over the tags, or by
//! css-inline: see [`inline`]), the highlighting palette included, every
//! link is made absolute and outbound links get the site's UTM tags. Each entry and story gets a number `n`, and the page a list of
//! `links`, for the numbered links of `email.txt`. New coverage of a story
//! of an earlier issue is grouped under it (`developing`), as on the site.

mod fit;
mod inline;

use std::collections::HashMap;
use std::sync::LazyLock;

use rayon::prelude::*;
use tera::Value;
use url::Url;

use super::links::{Absolute, Utm};
use super::values::{self, Values, coverage_by, map};
use super::{Body, Job, Scope};
use crate::markdown;
use crate::site::{EMAIL_TEXT_WIDTH, IssueId, Site, urls};

pub use fit::fit_images_filter;

/// `email.txt` and `email.html` of each issue.
pub fn jobs(scope: &Scope<'_>, jobs: &mut Vec<Job>) {
    let Scope {
        site, values, stop, ..
    } = *scope;
    let pages: Vec<Value> = (0..site.issues.len())
        .into_par_iter()
        .map(|id| match stop() {
            false => page(site, values, id),
            true => Value::none(),
        })
        .collect();
    for ((id, issue), page) in site.issues.iter().enumerate().zip(pages) {
        jobs.push(Job {
            path: urls::email(&issue.path, "txt"),
            body: Body::Page {
                template: "email.txt",
                page: page.clone(),
            },
        });
        jobs.push(Job {
            path: urls::email(&issue.path, "html"),
            body: Body::Email { issue: id, page },
        });
    }
}

/// Gmail clips a message whose HTML is larger than this.
pub const GMAIL_CLIP_BYTES: usize = 102 * 1024;

/// The UTM tags of an issue's outbound links: source and medium from
/// `site.yaml`, campaign the issue's date; none when `site.yaml` sets none.
pub fn utm<'a>(site: &'a Site, campaign: &'a str) -> Utm<'a> {
    let email = &site.config.email;
    let mut params = Vec::new();
    if let Some(source) = &email.utm_source {
        params.push(("utm_source", source.as_str()));
    }
    if let Some(medium) = &email.utm_medium {
        params.push(("utm_medium", medium.as_str()));
    }
    if !params.is_empty() {
        params.push(("utm_campaign", campaign));
    }
    Utm { params }
}

/// The `page` of an issue's email templates.
pub fn page(site: &Site, values: &Values, id: IssueId) -> Value {
    let issue = &site.issues[id];
    let campaign = issue.date.format("%Y-%m-%d").to_string();
    let utm = utm(site, &campaign);
    let permalink = site.config.permalink(&issue.path);
    let mut links = Links::default();
    // The links of the note and of the explainers, numbered in the list
    // with the others, absolute and tagged as email.html's are.
    let (page_url, own) = (Url::parse(&permalink), Url::parse(&site.config.base_url));
    let body = |links: &mut Links, text: &markdown::Text| -> String {
        text.render(EMAIL_TEXT_WIDTH, |link| {
            let url = match (&page_url, &own) {
                (Ok(page), Ok(own)) => Absolute {
                    page,
                    own,
                    utm: &utm,
                    keep: &[],
                }
                .url(&link.url),
                // A base URL that is no URL is refused when site.yaml is read.
                _ => link.url.clone(),
            };
            links.number(&link.title, &url)
        })
    };
    // Reading order: the editor's note opens the email.
    let note_text = body(&mut links, &issue.note_plain);
    let entry = |links: &mut Links, entry_id: usize| -> Value {
        let e = &site.entries[entry_id];
        let email_url = utm.tag(&e.url);
        let n = links.number(&e.headline, &email_url);
        extend(
            &values.entries[entry_id],
            [("email_url", email_url.into()), ("n", n.into())],
        )
    };
    let mut stories = Vec::new();
    for &story_id in &issue.stories {
        let story = &site.stories[story_id];
        // The story's own link first, then its explainer's, then its
        // coverage: reading order.
        let n = links.number(&story.headline, &site.config.permalink(&story.path));
        let content_text = body(&mut links, &story.plain);
        // As sent: the coverage filed by the issue's day, never later.
        let coverage: Vec<Value> = coverage_by(site, issue, story_id)
            .map(|e| entry(&mut links, e))
            .collect();
        stories.push(extend(
            &values.stories[story_id],
            [
                ("n", n.into()),
                ("content_text", content_text.into()),
                ("coverage", Value::from(coverage)),
            ],
        ));
    }
    // Reading order: new coverage of earlier stories ("Developing"), then
    // the other links; `entries` lists them all, in the issue's order.
    let (by_story, others) = values::developing::group(site, id);
    let mut numbered: HashMap<usize, Value> = HashMap::with_capacity(issue.entries.len());
    for &e in by_story.iter().flat_map(|(_, ids)| ids).chain(&others) {
        numbered.insert(e, entry(&mut links, e));
    }
    let pick = |ids: &[usize]| -> Value {
        ids.iter()
            .map(|e| numbered[e].clone())
            .collect::<Vec<_>>()
            .into()
    };
    let developing: Vec<Value> = (by_story.iter())
        .map(|(s, ids)| {
            map([
                ("story", values.stories[*s].clone()),
                ("entries", pick(ids)),
            ])
        })
        .collect();
    let other_entries = pick(&others);
    let entries = pick(&issue.entries);
    // What an inbox shows after the subject (the issue's title, often its
    // date): the lead story's headline, which is that day's, then its dek,
    // which a newsletter may give every story alike.
    let preheader = issue
        .stories
        .first()
        .map(|&s| &site.stories[s])
        .map(|s| match s.dek.trim() {
            "" => s.headline.clone(),
            dek => format!("{} — {dek}", s.headline),
        })
        .or_else(|| first_sentence(&issue.note_text))
        .unwrap_or_else(|| site.config.description.clone());
    extend(
        &values.issues[id],
        [
            ("kind", "email".into()),
            ("preheader", preheader.into()),
            ("view_url", permalink.into()),
            ("note_text", note_text.into()),
            ("unsubscribe", site.config.email.unsubscribe.clone().into()),
            ("stories", Value::from(stories)),
            ("entries", entries),
            ("developing", Value::from(developing)),
            ("other_entries", other_entries),
            ("links", Value::from(links.list)),
        ],
    )
}

/// The numbered links of an email, in reading order.
#[derive(Default)]
struct Links {
    list: Vec<Value>,
}

impl Links {
    /// Adds a link and returns its number, counting from 1.
    fn number(&mut self, title: &str, url: &str) -> usize {
        let n = self.list.len() + 1;
        self.list.push(map([
            ("n", n.into()),
            ("title", title.into()),
            ("url", url.into()),
        ]));
        n
    }
}

/// A copy of map `value` with `fields` set.
fn extend<const N: usize>(value: &Value, fields: [(&'static str, Value); N]) -> Value {
    let mut m = value.as_map().cloned().unwrap_or_default();
    for (k, v) in fields {
        m.insert(k.into(), v);
    }
    Value::from(m)
}

/// The first sentence of `text`: up to a `.`, `!` or `?` followed by a
/// space and a word that starts one (a capital, a digit, a quote), but not
/// after an abbreviation (`U.S.`, `Dr.`, `9 a.m.`); or up to a `。！？`.
fn first_sentence(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let ends = |i: usize, c: char| -> bool {
        if matches!(c, '。' | '！' | '？') {
            return true;
        }
        if !matches!(c, '.' | '!' | '?' | '…') {
            return false;
        }
        let after = &text[i + c.len_utf8()..];
        let Some(next) = after.strip_prefix(' ').map(str::trim_start) else {
            return false;
        };
        let starts = next
            .chars()
            .next()
            .is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || "\"“‘«'(".contains(n));
        let word = text[..i].rsplit(' ').next().unwrap_or_default();
        starts && (c != '.' || !abbreviation(word))
    };
    let end = text
        .char_indices()
        .find(|&(i, c)| ends(i, c))
        .map_or(text.len(), |(i, c)| i + c.len_utf8());
    Some(text[..end].to_owned())
}

/// Whether `word`, before a full stop, is most likely an abbreviation:
/// a single letter, letters with dots between them (`U.S`, `a.m`), or a
/// title or short form a name or a number follows.
fn abbreviation(word: &str) -> bool {
    const SHORT: &[&str] = &[
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "inc", "ltd", "co", "corp",
        "gen", "gov", "sen", "rep", "approx", "fig", "vol", "ca", "cf", "mt",
    ];
    let word = word.trim_start_matches(['(', '"', '“', '‘', '\'']);
    word.chars().count() == 1
        || (word.contains('.') && word.split('.').all(|part| part.chars().count() <= 2))
        || SHORT.contains(&word.to_lowercase().as_str())
}

/// The highlighting palette for email: light, since mail clients differ on dark.
static EMAIL_CSS: LazyLock<String> = LazyLock::new(markdown::highlight_palette_light);

/// Inlines the CSS of a rendered `email.html` and makes its links absolute
/// and tagged. `Err` holds css-inline's complaint.
pub fn finish(html: &str, site: &Site, id: IssueId) -> Result<String, String> {
    // The code palette's rules only where there is highlighted code: each
    // rule is matched against every element of the email.
    let has_code = html.contains(&format!("class=\"{}", markdown::HIGHLIGHT_PREFIX));
    let issue = &site.issues[id];
    let campaign = issue.date.format("%Y-%m-%d").to_string();
    let page = Url::parse(&site.config.permalink(&issue.path)).map_err(|e| e.to_string())?;
    let own = Url::parse(&site.config.base_url).map_err(|e| e.to_string())?;
    let keep: Vec<&str> = site
        .config
        .email
        .unsubscribe
        .as_deref()
        .into_iter()
        .collect();
    let links = Absolute {
        page: &page,
        own: &own,
        utm: &utm(site, &campaign),
        keep: &keep,
    };
    let inlined = inline::inline(html, has_code.then_some(EMAIL_CSS.as_str()), &links)?;
    Ok(escape_brackets_in_attributes(&inlined))
}

/// `<` and `>` inside attribute values as `&lt;` and `&gt;`.
///
/// css-inline's serializer, and the one-pass way in the `style`s it writes,
/// leave them raw there, which is valid HTML, but mail clients' sanitisers
/// are not all HTML parsers, and a raw `<script>` in an attribute is what
/// they and spam filters trip on.
fn escape_brackets_in_attributes(html: &str) -> String {
    #[derive(Clone, Copy)]
    enum State {
        Text,
        Tag,
        Value,
        /// Inside `<style>` or `<script>`: raw text up to the closing tag.
        Raw(&'static str),
    }
    // From one byte that can change the state to the next, found with
    // memchr, copying the runs between escapes whole: every such byte is
    // ASCII, so each cut falls between characters. A loop over every byte
    // was 2.5% of a 10,000-entry build.
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + html.len() / 64);
    let mut state = State::Text;
    let mut raw_next: Option<&'static str> = None;
    let (mut copied, mut from) = (0, 0);
    loop {
        let rest = &bytes[from..];
        let found = match state {
            State::Text | State::Raw(_) => memchr::memchr(b'<', rest),
            State::Tag => memchr::memchr2(b'"', b'>', rest),
            State::Value => memchr::memchr3(b'"', b'<', b'>', rest),
        };
        let Some(found) = found else { break };
        let i = from + found;
        from = i + 1;
        match (state, bytes[i]) {
            (State::Text, _) => {
                let name = &bytes[i + 1..];
                raw_next = [("style", "</style"), ("script", "</script")]
                    .into_iter()
                    .find(|(tag, _)| {
                        name.get(..tag.len())
                            .is_some_and(|n| n.eq_ignore_ascii_case(tag.as_bytes()))
                    })
                    .map(|(_, end)| end);
                state = State::Tag;
            }
            (State::Tag, b'"') => state = State::Value,
            (State::Tag, _) => state = raw_next.take().map_or(State::Text, State::Raw),
            (State::Value, b'"') => state = State::Tag,
            (State::Value, b) => {
                out.push_str(&html[copied..i]);
                out.push_str(if b == b'<' { "&lt;" } else { "&gt;" });
                copied = i + 1;
            }
            (State::Raw(end), _) => {
                if (bytes[i..].get(..end.len()))
                    .is_some_and(|r| r.eq_ignore_ascii_case(end.as_bytes()))
                {
                    state = State::Tag;
                }
            }
        }
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::{escape_brackets_in_attributes, first_sentence};

    // Brackets in attributes are escaped; text, tags and style blocks are not touched.
    #[test]
    fn brackets_in_attributes() {
        let html = r#"<style>a > b { color: red }</style><div aria-label="<script>x</script> &quot;q&quot;">a &lt; b</div>"#;
        assert_eq!(
            escape_brackets_in_attributes(html),
            r#"<style>a > b { color: red }</style><div aria-label="&lt;script&gt;x&lt;/script&gt; &quot;q&quot;">a &lt; b</div>"#
        );
    }

    // A tag name is read from the bytes after `<`, whatever follows them:
    // `<em>` before CJK text is neither missed nor the start of a copy of
    // the rest of the page (which made 20,000 such paragraphs take seconds).
    #[test]
    fn short_tags_before_wide_characters() {
        let html = "<p><em>強調</em>日本語</p><STYLE>a > b</style>".repeat(20_000);
        assert_eq!(escape_brackets_in_attributes(&html), html);
        assert_eq!(
            escape_brackets_in_attributes(
                "<em>強</em><style>p[title=\"<\"] {}</style><a title=\"<\">"
            ),
            "<em>強</em><style>p[title=\"<\"] {}</style><a title=\"&lt;\">"
        );
        // Raw text ends at its own end tag only, in any case; a value left
        // open runs to the end.
        assert_eq!(
            escape_brackets_in_attributes(
                "<SCRIPT>if (a<b && c>d) {}</style></Script><p title=\"a>b\">x>y</p><i title=\"<"
            ),
            "<SCRIPT>if (a<b && c>d) {}</style></Script><p title=\"a&gt;b\">x>y</p><i title=\"&lt;"
        );
    }

    // The preheader falls back to the note's first sentence.
    #[test]
    fn first_sentence_of_a_note() {
        assert_eq!(
            first_sentence("Big day. More soon."),
            Some("Big day.".to_owned())
        );
        assert_eq!(
            first_sentence("No full stop"),
            Some("No full stop".to_owned())
        );
        assert_eq!(first_sentence("  "), None);
        for (note, first) in [
            (
                "U.S. regulators approved the merger on Monday. More tomorrow.",
                "U.S. regulators approved the merger on Monday.",
            ),
            (
                "Dr. Ng spoke at 9 a.m. today. Then lunch.",
                "Dr. Ng spoke at 9 a.m. today.",
            ),
            ("Is it over? Not yet.", "Is it over?"),
            ("Version 2.5 shipped. It is fast.", "Version 2.5 shipped."),
            ("規制当局が承認した。詳細は明日。", "規制当局が承認した。"),
        ] {
            assert_eq!(first_sentence(note).as_deref(), Some(first), "{note}");
        }
    }
}
