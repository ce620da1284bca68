//! A file of `content/pages/`: a standalone page such as `about.md`.

use serde::Deserialize;

use super::{PageSource, aliases_of, required_text};
use crate::content::document::Document;
use crate::diagnostic::Diagnostic;
use crate::source::Located;
use crate::source::yaml::{Field, Parsed};

const PAGE_KEYS: &[&str] = &["title", "description", "draft", "aliases"];

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageFront {
    title: Field<String>,
    description: Field<String>,
    draft: Field<bool>,
    aliases: Field<Vec<String>>,
}

/// Parses a file of `content/pages/`.
pub fn page(doc: Document) -> (Option<PageSource>, Vec<Diagnostic>) {
    let Parsed {
        value: front,
        unknown,
        spans,
    } = match doc.yaml().parse::<PageFront>() {
        Ok(parsed) => parsed,
        Err(d) => return (None, vec![d]),
    };
    let mut errors: Vec<_> = unknown
        .iter()
        .map(|keys| spans.unknown_key(keys, PAGE_KEYS))
        .collect();
    let title = spans.field("title", front.title, &mut errors);
    let title = required_text(&spans, title, "title", &mut errors).value;
    let description = spans
        .field("description", front.description, &mut errors)
        .map(Located::into_inner);
    let draft = spans
        .field("draft", front.draft, &mut errors)
        .is_some_and(|d| d.value);
    let aliases = aliases_of(&spans, front.aliases, &mut errors);
    let page = PageSource {
        title,
        description: description.filter(|d| !d.trim().is_empty()),
        draft,
        aliases,
        doc,
    };
    (Some(page), errors)
}
