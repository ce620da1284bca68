//! What Markdown may put on a page: the one place that decides it.
//!
//! Editors' Markdown reaches readers on pages, in feeds, in the search index
//! and in the email edition, so nothing in it may run a script there. Two
//! layers, a module each, with the URL test they share here:
//!
//! - [`filter`] works on pulldown-cmark's events, before anything is
//!   written: a link or image whose URL is not web, mail, relative or a
//!   fragment loses its link (its text stays), an autolink of such a URL
//!   goes whole, heading attributes (`{#id .class key=val}`) keep only `id`
//!   and `class`, and text inside an inline `<script>` or `<style>` is
//!   dropped. The plain text and the email's text are made from these
//!   events, so they carry no such URL either.
//! - [`clean`] runs the written HTML through ammonia with the allow-list
//!   of prose. It is needed only when the document has raw HTML: without it,
//!   pulldown-cmark writes nothing but its own few tags with escaped
//!   attributes, all of them allowed, and the filtered URLs, which ammonia
//!   would let through too. Skipping it there saves its cost on most
//!   documents (a test checks that such documents come out of ammonia as a
//!   browser read them before).

mod clean;
mod filter;

pub use clean::clean;
pub use filter::{Filtered, filter};

/// URL schemes a link or image may use; relative URLs and fragments pass too.
const SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Whether a link or image URL, as the browser will read it, is allowed:
/// the same test ammonia makes, so that both layers agree.
pub fn url_allowed(url: &str) -> bool {
    if crate::source::url::plain_http(url).is_some() {
        return true;
    }
    match url::Url::parse(url) {
        Ok(url) => SCHEMES.contains(&url.scheme()),
        Err(url::ParseError::RelativeUrlWithoutBase) => true,
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests;
