//! Heading ids and the table of contents.
//!
//! Takes the parser's events and gives every heading an id (its text as a
//! slug, made unique in the document and apart from its footnotes' ids,
//! unless the editor wrote one with `{#id}`), so that links and the table
//! of contents can point at it; returns the headings in order.
//!
//! No id made here starts with `_`: those are the theme's own (`_main`,
//! `_coverage`, `_more-links`), so that a heading can never take the place
//! of one on a page (a slug never holds `_`; one written with `{#_x}` loses
//! its `_`).

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use serde::Serialize;

/// A heading, for a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// Gives every heading an id (its text as a slug, made unique) unless it has one.
pub(super) fn assign_ids(events: &mut [Event<'_>]) -> Vec<Heading> {
    let mut toc = Vec::new();
    // A footnote's id is its label as written (`[^1]` -> `id="1"`).
    let mut taken: HashSet<String> = footnotes(events);
    // For each slug, the suffix to try next: the lowest free one only grows,
    // so a run of equal headings costs one step each, not one per earlier one.
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[i] else {
            i += 1;
            continue;
        };
        let (level, explicit) = (*level as u8, id.clone());
        let mut title = String::new();
        let mut end = i + 1;
        while end < events.len() && !matches!(events[end], Event::End(TagEnd::Heading(_))) {
            if let Event::Text(t) | Event::Code(t) = &events[end] {
                title.push_str(t);
            }
            end += 1;
        }
        let explicit = explicit.map(|id| id.trim_start_matches(THEME_ID).to_owned());
        let id = match explicit.filter(|id| !id.is_empty()) {
            Some(id) => id,
            None => {
                let base = match crate::slug::slugify(&title) {
                    s if s.is_empty() => "section".to_owned(),
                    s => s,
                };
                if taken.contains(&base) {
                    let n = next_suffix.entry(base.clone()).or_insert(1);
                    while taken.contains(&format!("{base}-{n}")) {
                        *n += 1;
                    }
                    let id = format!("{base}-{n}");
                    *n += 1;
                    id
                } else {
                    base
                }
            }
        };
        if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
            *slot = Some(CowStr::from(id.clone()));
        }
        taken.insert(id.clone());
        toc.push(Heading { level, id, title });
        i = end + 1;
    }
    toc
}

/// What starts every id the theme gives its own elements, and no id made
/// from content.
const THEME_ID: char = '_';

/// The ids of a document's footnotes: their labels.
fn footnotes(events: &[Event<'_>]) -> HashSet<String> {
    events
        .iter()
        .filter_map(|event| match event {
            Event::Start(Tag::FootnoteDefinition(label)) => Some(label.to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::markdown::{Html, render};

    // Headings get slug ids, made unique, and fill the table of contents.
    #[test]
    fn heading_ids_are_unique() {
        let r = render(
            "## What happened\ntext\n## What happened\n### The `Context` {#ctx}\n",
            Html::Sanitised,
        );
        assert!(
            r.html
                .contains("<h2 id=\"what-happened\">What happened</h2>")
        );
        assert!(r.html.contains("<h2 id=\"what-happened-1\">"));
        assert!(r.html.contains("<h3 id=\"ctx\">"));
        assert_eq!(r.toc[2].title, "The Context");
        assert_eq!(r.toc.len(), 3);
    }

    // Ids are made unique as before (the lowest free suffix), and a run of
    // equal headings costs one step each: 5,000 of them would take minutes
    // with a list of taken ids searched from suffix 1 every time.
    #[test]
    fn heading_ids_in_linear_time() {
        let r = render("# A\n# A\n# A 1\n# A\n# B {#a-3}\n# A\n", Html::Sanitised);
        let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-1", "a-1-1", "a-2", "a-3", "a-4"]);
        let markdown = "## Same\n\n".repeat(5000);
        let r = render(&markdown, Html::Sanitised);
        assert_eq!(r.toc.len(), 5000);
        assert_eq!(r.toc[4999].id, "same-4999");
    }

    // No heading takes an id of the theme's (they start with `_`) or of a
    // footnote: `## Main`, `## 1` beside `[^1]` and `{#_top}` stay apart.
    #[test]
    fn heading_ids_keep_clear_of_theme_and_footnotes() {
        let r = render(
            "## Main\n\nA note[^1].\n\n## 1\n\n## X {#_top}\n\n## Y {#__}\n\n[^1]: The note.\n",
            Html::Sanitised,
        );
        let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["main", "1-1", "top", "y"]);
        assert!(r.html.contains("id=\"1\""), "{}", r.html);
    }
}
