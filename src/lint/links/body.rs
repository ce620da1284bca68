//! The links a source's body writes: those of its Markdown and of its raw
//! HTML, each with where it is written, for the checks of `links` to
//! follow; and the quick test that spares a body with none to follow.

use pulldown_cmark::{Event, LinkType, Parser, Tag};

use super::SITE;
use crate::markdown;

/// One link or image of a body.
pub(super) struct Link {
    pub(super) dest: String,
    /// Byte range in the body.
    pub(super) offset: usize,
    pub(super) len: usize,
    pub(super) image: bool,
}

/// Whether every `](` and `]:` of `body` is followed by a URL of another
/// site (`https://outlet.example/…`), which the check would skip: an entry
/// that links only its outlet's article, as most do, is then not parsed a
/// second time (2% of a 10,000-entry build). Any doubt is `false`: a
/// destination in `<…>`, a footnote, text that only looks like a link.
pub(super) fn only_links_elsewhere(body: &str) -> bool {
    let host = &SITE["https://".len()..SITE.len() - 1];
    let bytes = body.as_bytes();
    let mut from = 0;
    while let Some(found) = memchr::memchr(b']', &bytes[from..]) {
        let at = from + found;
        from = at + 1;
        if !matches!(bytes.get(at + 1), Some(b'(' | b':')) {
            continue;
        }
        let dest = body[at + 2..].trim_start();
        let Some(rest) = ["https://", "http://"].iter().find_map(|scheme| {
            dest.get(..scheme.len())
                .filter(|s| s.eq_ignore_ascii_case(scheme))
                .map(|_| &dest[scheme.len()..])
        }) else {
            return false;
        };
        if rest
            .get(..host.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(host))
        {
            return false;
        }
    }
    true
}

/// The links and images of a Markdown body, autolinks and email links
/// aside, and those of its raw HTML (`src` and `href`, as pages lead them;
/// when `sanitised`, only those the page keeps: an `iframe` goes, and its
/// `src` with it).
pub(super) fn links(body: &str, sanitised: bool) -> Vec<Link> {
    let mut links = Vec::new();
    // A block of raw HTML comes a line at a time: read whole, from its start.
    let mut html: Option<(String, usize)> = None;
    for (event, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
        if let Event::Html(text) = &event {
            let (block, _) = html.get_or_insert_with(|| (String::new(), range.start));
            block.push_str(text);
            continue;
        }
        if let Some((block, start)) = html.take() {
            raw_links(body, &block, start, sanitised, &mut links);
        }
        let (dest, image) = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) if !matches!(link_type, LinkType::Autolink | LinkType::Email) => (dest_url, false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            Event::InlineHtml(text) => {
                raw_links(body, &text, range.start, sanitised, &mut links);
                continue;
            }
            _ => continue,
        };
        if dest.is_empty() {
            continue;
        }
        links.push(Link {
            dest: dest.into_string(),
            offset: range.start,
            len: range.len(),
            image,
        });
    }
    if let Some((block, start)) = html {
        raw_links(body, &block, start, sanitised, &mut links);
    }
    links
}

/// The links of `html`, raw HTML the parser read from `body` at `start`:
/// each at its value in `body` when `html` is written there as it is (not
/// inside a block quote's `>`), else at `start`.
fn raw_links(body: &str, html: &str, start: usize, sanitised: bool, links: &mut Vec<Link>) {
    let written = body
        .get(start..)
        .filter(|rest| rest.starts_with(html))
        .is_some();
    for link in markdown::raw::links(html) {
        if link.dest.is_empty() || (sanitised && !link.prose) {
            continue;
        }
        let (offset, len) = match written {
            true => (start + link.range.start, link.range.len()),
            false => (start, 0),
        };
        links.push(Link {
            dest: link.dest,
            offset,
            len,
            image: link.image,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::only_links_elsewhere;

    // Only a document whose every link is another site's skips the parse:
    // a relative link, a fragment, a link to the site's own base, a link
    // in `<…>` or a footnote keeps it.
    #[test]
    fn documents_that_link_only_elsewhere() {
        for elsewhere in [
            "[a](https://x.example/y) and ![i](HTTP://img.example/p.png)",
            "[a]( https://x.example) [b](\nhttps://y.example \"t\")",
            "[r]: https://x.example/\n\n[a][r] a ] alone",
            "no links",
        ] {
            assert!(only_links_elsewhere(elsewhere), "{elsewhere}");
        }
        for here in [
            "[a](https://x.example/y) [b](../2026-11-01/x.md)",
            "[a](#top)",
            "[a](<https://x.example>)",
            "[^1]: a note",
            "[a](https://gazette.invalid/2026/)",
            "[a](mailto:ed@a47.example)",
            "[a](",
        ] {
            assert!(!only_links_elsewhere(here), "{here}");
        }
    }
}
