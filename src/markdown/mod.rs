//! Markdown -> HTML, a table of contents and plain text.
//!
//! CommonMark plus tables, footnotes, strikethrough, task lists and smart
//! punctuation (pulldown-cmark). Our passes over its events: what is not safe
//! for readers goes ([`sanitise`], unless the site says `unsafe_html: true`),
//! headings get unique ids (for links and the table of contents), and fenced
//! code is highlighted by syntect with `hl-` CSS classes (the theme ships the
//! colours). Every pass is linear in the length of the document.
//!
//! Takes a document and an [`Html`] policy and returns [`Rendered`]: HTML,
//! a table of contents and text. This module holds the parser's options and
//! runs the passes, one module each: [`sanitise`], `headings`,
//! `highlight` (with its stylesheet in `palette`) and `text`; [`raw`] leads
//! the links of raw HTML; `nest` and `rewrite` work on the HTML written.

mod email_text;
mod headings;
mod highlight;
mod nest;
mod palette;
pub mod raw;
pub mod rewrite;
pub mod sanitise;
mod text;
mod wrap;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

pub use email_text::{Text, TextLink, to_text, to_text_linked};
pub use headings::Heading;
pub use highlight::{HIGHLIGHT_PREFIX, highlight};
pub use nest::nest;
pub use palette::{highlight_css, highlight_palette_light};
pub use rewrite::{Part, rewrite};
pub use text::truncate;
pub use wrap::wrap;

/// What of an editor's Markdown reaches readers.
///
/// A parameter of every rendering rather than a global setting, so that a
/// caller that must not trust its Markdown (content fetched from elsewhere)
/// passes [`Html::Sanitised`] whatever the site's setting says.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Html {
    /// Raw HTML cleaned to what prose needs, link and image URLs limited to
    /// `http`, `https`, `mailto`, relative ones and fragments, heading
    /// attributes to `id` and `class` (see [`sanitise`]). The default.
    #[default]
    Sanitised,
    /// Everything as written: `unsafe_html: true` in `site.yaml`, for a
    /// site whose every editor is trusted.
    AsWritten,
}

/// A rendered Markdown document.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<Heading>,
    /// The text alone, whitespace collapsed, for summaries and descriptions.
    pub text: String,
}

/// The parser's options: the extensions of SPEC section 4.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The parser's events for `markdown`, filtered as `policy` says, and
/// whether raw HTML is left in them that still needs [`sanitise::clean`].
fn events(markdown: &str, policy: Html) -> (Vec<Event<'_>>, bool) {
    let parser = Parser::new_ext(markdown, options());
    match policy {
        Html::Sanitised => {
            let filtered = sanitise::filter(parser);
            (filtered.events, filtered.raw_html)
        }
        Html::AsWritten => (parser.collect(), false),
    }
}

/// Where a document's own links lead, and how large its images are. The
/// site maps root-relative links under its base path, `.md` links to their
/// pages and files beside the content to where they are published, and
/// knows the size of those files.
pub trait LinkMap: Sync {
    /// The new destination of a link or image written as `dest`, or `None`
    /// to keep it as written.
    fn lead(&self, dest: &str) -> Option<String>;

    /// The width and height of the image written as `dest`, when known: a
    /// page that knows them does not jump while it loads.
    fn size(&self, _dest: &str) -> Option<(u32, u32)> {
        None
    }
}

/// Keeps every link as written.
pub struct AsWritten;

impl LinkMap for AsWritten {
    fn lead(&self, _dest: &str) -> Option<String> {
        None
    }
}

/// Shorthand for the maps passed around.
pub type Links<'a> = &'a dyn LinkMap;

/// Keeps every link as written.
pub const AS_WRITTEN: Links<'static> = &AsWritten;

/// `events` with each link's and image's destination mapped by `links`,
/// those of raw HTML too (see [`raw`]), and the size of each image, in order.
fn link_events<'a>(
    events: Vec<Event<'a>>,
    links: Links<'_>,
) -> (Vec<Event<'a>>, Vec<Option<(u32, u32)>>) {
    let mut events = raw::join_blocks(events);
    let mut sizes = Vec::new();
    for event in &mut events {
        if let Event::Start(Tag::Image { dest_url, .. }) = event {
            sizes.push(links.size(dest_url));
        }
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                if let Some(new) = links.lead(dest_url) {
                    *dest_url = CowStr::from(new);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Some(new) = raw::lead(html, links) {
                    *html = CowStr::from(new);
                }
            }
            _ => {}
        }
    }
    (events, sizes)
}

/// Each image whose size is known written with `width` and `height`, the
/// way pulldown-cmark writes an image otherwise; `sizes` holds one entry
/// per image, in order.
fn sized_images<'a>(events: Vec<Event<'a>>, sizes: &[Option<(u32, u32)>]) -> Vec<Event<'a>> {
    if sizes.iter().all(Option::is_none) {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    let mut sizes = sizes.iter();
    // The image being written: its source, title and size, its alt text so
    // far, and how many images deep (an image in an image's alt text).
    let mut open: Option<(String, String, (u32, u32))> = None;
    let mut alt = String::new();
    let mut depth = 0usize;
    for event in events {
        if open.is_some() {
            match event {
                Event::Start(Tag::Image { .. }) => {
                    sizes.next();
                    depth += 1;
                }
                Event::End(TagEnd::Image) if depth > 0 => depth -= 1,
                Event::End(TagEnd::Image) => {
                    if let Some((src, title, size)) = open.take() {
                        out.push(Event::InlineHtml(CowStr::from(img_tag(
                            &src, &alt, &title, size,
                        ))));
                    }
                }
                Event::Text(text) | Event::Code(text) => alt.push_str(&text),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
            continue;
        }
        if let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = &event
            && let Some(size) = sizes.next().copied().flatten()
        {
            open = Some((dest_url.to_string(), title.to_string(), size));
            alt.clear();
            continue;
        }
        out.push(event);
    }
    out
}

/// `<img … width height />`, escaped as pulldown-cmark escapes its own.
fn img_tag(src: &str, alt: &str, title: &str, (width, height): (u32, u32)) -> String {
    let mut tag = String::from("<img src=\"");
    let _ = pulldown_cmark_escape::escape_href(&mut tag, src);
    tag.push_str("\" alt=\"");
    let _ = pulldown_cmark_escape::escape_html(&mut tag, alt);
    if !title.is_empty() {
        tag.push_str("\" title=\"");
        let _ = pulldown_cmark_escape::escape_html(&mut tag, title);
    }
    tag.push_str(&format!("\" width=\"{width}\" height=\"{height}\" />"));
    tag
}

/// Renders `markdown` to HTML, its table of contents and its text.
pub fn render(markdown: &str, policy: Html) -> Rendered {
    render_linked(markdown, policy, AS_WRITTEN)
}

/// [`render`], with the document's links mapped by `links`.
pub fn render_linked(markdown: &str, policy: Html, links: Links<'_>) -> Rendered {
    let (events, raw_html) = events(markdown, policy);
    let (events, sizes) = link_events(events, links);
    let mut rendered = render_events(events, markdown.len(), &sizes);
    if raw_html {
        rendered.html = sanitise::clean(&rendered.html);
    }
    rendered
}

/// Our passes over `events` and pulldown-cmark's HTML writer.
fn render_events(
    mut events: Vec<Event<'_>>,
    size: usize,
    images: &[Option<(u32, u32)>],
) -> Rendered {
    let toc = headings::assign_ids(&mut events);
    let text = text::plain_text(&events);
    let events = sized_images(highlight::highlight_code(events), images);
    let mut html = String::with_capacity(size * 3 / 2);
    html::push_html(&mut html, events.into_iter());
    Rendered { html, toc, text }
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html(text: &str) -> String {
    // pulldown-cmark's escaping, which Tera's autoescape uses too (SSE):
    // the same five characters, the same entities.
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // The five characters of HTML, in short text and in long text (which
    // takes the SSE path), around text beyond ASCII; nothing else changes.
    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        let long = "Zürich — «quotes» and 漢字, ".repeat(8);
        assert_eq!(
            escape_html(&format!("{long}<&>{long}")),
            format!("{long}&lt;&amp;&gt;{long}")
        );
        assert_eq!(escape_html(""), "");
    }

    // The extensions users write are on: tables, footnotes, strikethrough, tasks, smart quotes.
    #[test]
    fn extensions_are_enabled() {
        let r = render(
            "| a |\n|---|\n| b |\n\n~~x~~ \"q\" it's[^1]\n\n- [x] done\n\n[^1]: note\n",
            Html::Sanitised,
        );
        for needle in [
            "<table>",
            "<del>x</del>",
            "“q”",
            "it’s",
            "footnote-definition",
            "checkbox",
        ] {
            assert!(r.html.contains(needle), "{needle} missing in {}", r.html);
        }
    }
}
