//! `_issue.md`: an issue's title, and its note as the body.

use serde::Deserialize;

use super::{IssueMeta, aliases_of};
use crate::content::document::Document;
use crate::diagnostic::Diagnostic;
use crate::source::Located;
use crate::source::yaml::{Field, Parsed};

const ISSUE_KEYS: &[&str] = &["title", "aliases"];

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct IssueFront {
    title: Field<String>,
    aliases: Field<Vec<String>>,
}

/// Parses `_issue.md`.
pub fn issue_meta(doc: Document) -> (Option<IssueMeta>, Vec<Diagnostic>) {
    let Parsed {
        value: front,
        unknown,
        spans,
    } = match doc.yaml().parse::<IssueFront>() {
        Ok(parsed) => parsed,
        Err(d) => return (None, vec![d]),
    };
    let mut errors: Vec<_> = unknown
        .iter()
        .map(|keys| spans.unknown_key(keys, ISSUE_KEYS))
        .collect();
    let title = spans
        .field("title", front.title, &mut errors)
        .map(Located::into_inner)
        .filter(|t| !t.trim().is_empty());
    let aliases = aliases_of(&spans, front.aliases, &mut errors);
    (
        Some(IssueMeta {
            doc,
            title,
            aliases,
        }),
        errors,
    )
}
