//! Links in the raw HTML of a document (`<img src="gripper.png">`,
//! `<a href="report.pdf">`).
//!
//! An editor who writes an image as HTML (to give it a size or a class)
//! means the same file as `![…](gripper.png)`: its `src` and `href` lead
//! where a Markdown link written the same would, so that it works on every
//! page that shows the text, and `check` follows it the same way. Takes the
//! parser's raw HTML and a [`LinkMap`](super::LinkMap); returns the HTML
//! with those values led, or where they lie in it (for `check`).

use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

use super::rewrite::{Part, decode, rewrite};
use super::{Links, escape_html};

/// The attributes of raw HTML that hold a link: those a Markdown link or
/// image writes, and those the feeds and email make absolute.
const LINK_ATTRIBUTES: [&str; 2] = ["href", "src"];

/// `events` with each run of raw HTML of one block joined into one event:
/// the parser gives a block a line at a time, and a tag written over two
/// lines would otherwise not be read as one.
pub(super) fn join_blocks(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    // Most bodies have no block of raw HTML over two lines: kept as they
    // are, not copied, on every page's way through the Markdown.
    let split = (events.windows(2)).any(|w| matches!(w, [Event::Html(_), Event::Html(_)]));
    if !split {
        return events;
    }
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    for event in events {
        if let (Some(Event::Html(before)), Event::Html(html)) = (out.last_mut(), &event) {
            *before = CowStr::from(format!("{before}{html}"));
            continue;
        }
        out.push(event);
    }
    out
}

/// `html` (raw HTML written in Markdown) with each link led by `links`, or
/// `None` when no link changes.
pub(super) fn lead(html: &str, links: Links<'_>) -> Option<String> {
    let mut changed = false;
    let led = rewrite(html, |part| match part {
        Part::Value {
            attribute, value, ..
        } if LINK_ATTRIBUTES.contains(&attribute) => {
            let new = links.lead(&destination(value)?)?;
            changed = true;
            Some(escape_html(&new))
        }
        _ => None,
    });
    changed.then_some(led)
}

/// The destination of a link `value` as written, entities decoded; `None`
/// when it holds a character reference [`decode`] does not know
/// (`&#106;avascript:`): such a value is left as written, neither led nor
/// checked, for the sanitiser to judge as a browser reads it.
fn destination(value: &str) -> Option<String> {
    let dest = decode(value);
    let undecoded = dest.contains("&#")
        || dest.match_indices('&').any(|(at, _)| {
            let rest = &dest[at + 1..];
            rest.find(';').is_some_and(|end| {
                end > 0 && rest[..end].chars().all(|c| c.is_ascii_alphanumeric())
            })
        });
    (!undecoded).then_some(dest)
}

/// A link of raw HTML.
#[derive(Debug)]
pub struct RawLink {
    /// Its destination, entities decoded.
    pub dest: String,
    /// Where its value lies in the HTML.
    pub range: Range<usize>,
    /// Whether it is an image's `src`.
    pub image: bool,
    /// Whether the sanitiser keeps it: a link's `href` or an image's
    /// `src` (an `iframe`'s goes with its element).
    pub prose: bool,
}

/// Each link of `html` (raw HTML written in Markdown).
pub fn links(html: &str) -> Vec<RawLink> {
    let mut found = Vec::new();
    rewrite(html, |part| {
        if let Part::Value {
            tag,
            attribute,
            value,
        } = part
            && LINK_ATTRIBUTES.contains(&attribute)
            && let Some(dest) = destination(value)
        {
            // `value` is a slice of `html`: where it starts is how far its
            // first byte lies from `html`'s.
            let start = value.as_ptr() as usize - html.as_ptr() as usize;
            found.push(RawLink {
                dest,
                range: start..start + value.len(),
                image: tag.eq_ignore_ascii_case("img"),
                prose: tag.eq_ignore_ascii_case("img") || tag.eq_ignore_ascii_case("a"),
            });
        }
        None
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::LinkMap;

    /// Leads `gripper.png` to its published place; keeps the rest.
    struct Beside;

    impl LinkMap for Beside {
        fn lead(&self, dest: &str) -> Option<String> {
            (!dest.contains(':') && !dest.starts_with('#')).then(|| format!("/news/2026/{dest}"))
        }
    }

    // `src` and `href` lead as a Markdown link would, in any quoting and
    // with entities decoded; other attributes and other links stay.
    #[test]
    fn raw_links_lead_like_markdown_links() {
        let html = "<img SRC='a.png?x=1&amp;y=2' alt=\"a.png\"><a href=b.pdf title=\"c.pdf\">\
                    <a href=\"https://e.com/\"><a href=\"#top\">";
        assert_eq!(
            lead(html, &Beside).as_deref(),
            Some(
                "<img SRC=\"/news/2026/a.png?x=1&amp;y=2\" alt=\"a.png\"><a href=\"/news/2026/b.pdf\" \
                 title=\"c.pdf\"><a href=\"https://e.com/\"><a href=\"#top\">"
            )
        );
        assert_eq!(lead("<a href=\"#top\">", &Beside), None);
        let found = links(html);
        let dests: Vec<&str> = found.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(dests, ["a.png?x=1&y=2", "b.pdf", "https://e.com/", "#top"]);
        assert_eq!(&html[found[1].range.clone()], "b.pdf");
        assert!(found[0].image && !found[1].image);
        // A reference a browser decodes and we do not: left to the sanitiser.
        for hidden in [
            "&#106;avascript:x()",
            "&#x6A;avascript:x()",
            "javascript&colon;x()",
        ] {
            let html = format!("<a href=\"{hidden}\">");
            assert_eq!(lead(&html, &Beside), None, "{hidden}");
            assert!(links(&html).is_empty(), "{hidden}");
        }
    }
}
