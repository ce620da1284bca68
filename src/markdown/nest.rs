//! Rendered HTML made to sit inside a page of its own: a story inside its
//! issue's page.
//!
//! Takes HTML that [`render`](super::render) wrote and returns it with
//! headings one level down and anchors prefixed, in one pass of
//! [`rewrite`](super::rewrite) over its tags.

use super::{Part, rewrite};

/// Rendered HTML made to sit under a heading of its own, as a story does
/// inside an issue: headings one level down (`h2` -> `h3`, `h6` stays),
/// and ids and in-page links prefixed with `prefix` so that several stories
/// on one page keep unique anchors.
pub fn nest(html: &str, prefix: &str) -> String {
    rewrite(html, |part| match part {
        Part::Name { name, .. } => {
            let level = name.strip_prefix(['h', 'H'])?.parse::<u8>().ok()?;
            (1..=5).contains(&level).then(|| format!("h{}", level + 1))
        }
        Part::Value {
            attribute: "id",
            value,
            ..
        } => Some(format!("{prefix}{value}")),
        Part::Value {
            attribute: "href",
            value,
            ..
        } => value
            .strip_prefix('#')
            .map(|fragment| format!("#{prefix}{fragment}")),
        Part::Value { .. } => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{Html, render};

    // Nested content: headings down a level, anchors prefixed.
    #[test]
    fn nests_under_a_heading() {
        let html = render("## A\n\n### B\n\n[to A](#a)\n", Html::Sanitised).html;
        assert_eq!(
            nest(&html, "s--"),
            "<h3 id=\"s--a\">A</h3>\n<h4 id=\"s--b\">B</h4>\n<p><a href=\"#s--a\">to A</a></p>\n"
        );
    }

    // Nesting rewrites tags only: text that looks like an attribute, as the
    // sanitiser's serialiser leaves it in code, stays as written.
    #[test]
    fn nests_tags_not_text() {
        let html = render(
            "## A\n\n`<a id=\"x\" href=\"#y\">` <span id=\"z\">raw</span>\n",
            Html::Sanitised,
        )
        .html;
        assert_eq!(
            nest(&html, "s--"),
            "<h3 id=\"s--a\">A</h3>\n<p><code>&lt;a id=\"x\" href=\"#y\"&gt;</code> <span id=\"s--z\">raw</span></p>\n"
        );
    }
}
