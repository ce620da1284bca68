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
//! `highlight` (with its stylesheet in `palette`) and `text`; `nest` and
//! `rewrite` work on the HTML written.

mod headings;
mod highlight;
mod nest;
mod palette;
mod rewrite;
pub mod sanitise;
mod text;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

pub use headings::Heading;
pub use highlight::{HIGHLIGHT_PREFIX, highlight};
pub use nest::nest;
pub use palette::{highlight_css, highlight_palette_light};
pub use rewrite::{Part, rewrite};
pub use text::{to_text, to_text_linked, truncate, wrap};

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

/// Where a document's own links lead: the new destination of a link or
/// image written as `dest`, or `None` to keep it as written. The site maps
/// root-relative links under its base path and `.md` links to their pages.
pub type Links<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);

/// Keeps every link as written.
pub const AS_WRITTEN: Links<'static> = &|_| None;

/// `events` with each link's and image's destination mapped by `links`.
fn link_events<'a>(mut events: Vec<Event<'a>>, links: Links<'_>) -> Vec<Event<'a>> {
    for event in &mut events {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event
            && let Some(new) = links(dest_url)
        {
            *dest_url = CowStr::from(new);
        }
    }
    events
}

/// Renders `markdown` to HTML, its table of contents and its text.
pub fn render(markdown: &str, policy: Html) -> Rendered {
    render_linked(markdown, policy, AS_WRITTEN)
}

/// [`render`], with the document's links mapped by `links`.
pub fn render_linked(markdown: &str, policy: Html, links: Links<'_>) -> Rendered {
    let (events, raw_html) = events(markdown, policy);
    let events = link_events(events, links);
    let mut rendered = render_events(events, markdown.len());
    if raw_html {
        rendered.html = sanitise::clean(&rendered.html);
    }
    rendered
}

/// Our passes over `events` and pulldown-cmark's HTML writer.
fn render_events(mut events: Vec<Event<'_>>, size: usize) -> Rendered {
    let toc = headings::assign_ids(&mut events);
    let text = text::plain_text(&events);
    let events = highlight::highlight_code(events);
    let mut html = String::with_capacity(size * 3 / 2);
    html::push_html(&mut html, events.into_iter());
    Rendered { html, toc, text }
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
