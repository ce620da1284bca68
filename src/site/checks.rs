//! Checks across files: unique slugs, outlets and stories that exist,
//! links that repeat.
//!
//! Takes the whole [`Content`], drafts and scheduled issues included (a
//! name taken by a draft is still taken), and the outlets by key; returns
//! nothing but diagnostics, each at the value it is about.

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::path::Path;

use super::OutletId;
use crate::content::{Content, EntrySource, Item};
use crate::diagnostic::{Diagnostic, Location, did_you_mean, display_path};
use crate::lint::{DUPLICATE_ENTRY, DUPLICATE_URL};
use crate::slug::slugify;
use crate::source::Span;

/// Pushes a diagnostic for each problem that needs more than one file to see.
pub fn check(
    content: &Content,
    outlets: &HashMap<&str, OutletId>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut story_slugs: FxHashMap<&str, &Path> = FxHashMap::default();
    for issue in &content.issues {
        for item in &issue.items {
            if let Item::Story(story) = &**item {
                let slug = story.doc.slug();
                if let Some(first) = story_slugs.get(slug) {
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "story slug `{slug}` is already used by `{}`",
                            display_path(first)
                        ))
                        .at(Location::file(story.doc.path()))
                        .help("story slugs are unique across the site: rename one of the files"),
                    );
                } else {
                    story_slugs.insert(slug, story.doc.path());
                }
            }
        }
    }

    tag_spellings(content, diagnostics);

    // By canonical URL: the same article copied with `www.`, a trailing
    // slash or `utm_` tags is still the same article.
    let mut urls: FxHashMap<&str, &EntrySource> = FxHashMap::default();
    for issue in &content.issues {
        let mut slugs: FxHashMap<&str, &Path> = FxHashMap::default();
        for item in &issue.items {
            let doc = item.doc();
            let slug = doc.slug();
            if slug.is_empty() {
                diagnostics.push(
                    Diagnostic::error("this file name has no letters or digits")
                        .at(Location::file(doc.path()))
                        .help("the file name becomes the page's URL: rename it, e.g. `tnw-colossus.md`"),
                );
            } else if let Some(first) = slugs.get(&slug) {
                diagnostics.push(
                    Diagnostic::error(format!(
                        "slug `{slug}` is already used by `{}` in this issue",
                        display_path(first)
                    ))
                    .at(Location::file(doc.path()))
                    .help("two files of one issue would share a URL: rename one of them"),
                );
            } else {
                slugs.insert(slug, doc.path());
            }
            let Item::Entry(entry) = &**item else {
                continue;
            };
            let outlet = &entry.outlet;
            if !outlet.value.is_empty()
                && !content.outlets_unread
                && !outlets.contains_key(outlet.value.as_str())
            {
                let d = outlet.error(format!("unknown outlet `{}`", outlet.value));
                diagnostics.push(match did_you_mean(&outlet.value, outlets.keys().copied()) {
                    Some(hint) => d.label(hint),
                    None => d.help(format!(
                        "add `{}:` with its `name` to content/outlets.yaml, or use one of its keys",
                        outlet.value
                    )),
                });
            }
            if let Some(story) = &entry.story
                && !story_slugs.contains_key(slugify(&story.value).as_str())
                && !content.unread_items.contains(&slugify(&story.value))
            {
                let d = story.error(format!("unknown story `{}`", story.value));
                diagnostics.push(
                    match did_you_mean(&story.value, story_slugs.keys().copied()) {
                        Some(hint) => d.label(hint),
                        None => d.help(
                            "`story` is the file name (without `.md`) of a story, in any issue",
                        ),
                    },
                );
            }
            let Some(key) = &entry.canonical else {
                continue;
            };
            match urls.get(key.as_str()) {
                Some(first) => diagnostics.push(duplicate(first, entry)),
                None => {
                    urls.insert(key, entry);
                }
            }
        }
    }
}

/// Tags whose names differ in more than case, spaces, `-` and `_` but make
/// one slug (`C++` and `C#` are both `/tags/c/`) would silently become one
/// tag under the first name: an error at the first use of each other
/// spelling, naming where the first was written.
fn tag_spellings(content: &Content, diagnostics: &mut Vec<Diagnostic>) {
    // By slug: the first spelling and where it was written.
    let mut first: FxHashMap<&str, (&str, &Span)> = FxHashMap::default();
    let mut reported: Vec<(&str, String)> = Vec::new();
    let tags = content
        .issues
        .iter()
        .flat_map(|issue| &issue.items)
        .flat_map(|item| {
            let (tags, slugs, spans) = match &**item {
                Item::Entry(e) => (&e.tags, &e.tag_slugs, &e.tag_spans),
                Item::Story(s) => (&s.tags, &s.tag_slugs, &s.tag_spans),
            };
            tags.iter().zip(slugs).zip(spans)
        });
    for ((name, slug), span) in tags {
        let Some(&(first_name, first_span)) = first.get(slug.as_str()) else {
            first.insert(slug, (name.as_str(), span));
            continue;
        };
        // Compared without a copy: most uses of a tag spell it as before.
        if spelled(name).eq(spelled(first_name)) {
            continue;
        }
        let written = spelling(name);
        if reported.contains(&(slug.as_str(), written.clone())) {
            continue;
        }
        let at = first_span.location();
        let mut help = "spell them the same, or rename one".to_owned();
        if let Some(other) = [name.as_str(), first_name]
            .into_iter()
            .find_map(|n| spelled_out(n, slug))
        {
            help.push_str(&format!(", e.g. `{other}`"));
        }
        diagnostics.push(
            span.error(format!(
                "tags `{first_name}` and `{name}` make one URL, `/tags/{slug}/`"
            ))
            .label(format!(
                "`{first_name}` is at {}:{}",
                display_path(&at.path),
                at.line
            ))
            .help(help),
        );
        reported.push((slug.as_str(), written));
    }
}

/// A tag as compared for [`tag_spellings`]: `AI` and `ai`, `open source`
/// and `open-source` are one tag on purpose.
fn spelling(tag: &str) -> String {
    spelled(tag).collect()
}

/// The characters of [`spelling`], one at a time.
fn spelled(tag: &str) -> impl Iterator<Item = char> + '_ {
    tag.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_'))
        .flat_map(char::to_lowercase)
}

/// `tag` with the signs a slug drops spelt out in letters (`C++` ->
/// `cpp`, `C#` -> `csharp`, `.NET` -> `dotnet`), when that makes a slug
/// other than `slug`: a name to suggest.
fn spelled_out(tag: &str, slug: &str) -> Option<String> {
    let mut out = String::new();
    for c in tag.chars() {
        match c {
            '+' => out.push('p'),
            '#' => out.push_str("sharp"),
            '.' => out.push_str("dot"),
            '&' => out.push_str("and"),
            c => out.extend(c.to_lowercase()),
        }
    }
    let out = slugify(&out);
    (!out.is_empty() && out != slug).then_some(out)
}

/// `entry` links the article `first` links already: a warning naming both
/// files and lines. Under one outlet it is the article filed twice (code
/// `duplicate-entry`, an error in `check`); under two, outlets citing one
/// article, which can be deliberate (`duplicate-url`).
fn duplicate(first: &EntrySource, entry: &EntrySource) -> Diagnostic {
    let at = first.url.span.location();
    let first_at = format!("{}:{}", display_path(&at.path), at.line);
    if first.outlet.value == entry.outlet.value {
        entry
            .url
            .warning(format!(
                "this article of `{}` is filed twice: also by `{first_at}`",
                entry.outlet.value
            ))
            .code(DUPLICATE_ENTRY)
            .help("keep one of the two entries: readers would see the same article twice")
    } else {
        entry
            .url
            .warning(format!(
                "the same article is also linked by `{first_at}` (outlet `{}`)",
                first.outlet.value
            ))
            .code(DUPLICATE_URL)
            .help("if two outlets citing one article is deliberate, add `duplicate-url` to `check.allow` in site.yaml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Case, spaces, `-` and `_` make no other tag; signs do.
    #[test]
    fn tags_spelt_alike() {
        assert_eq!(spelling("AI"), spelling("ai"));
        assert_eq!(spelling("Open Source"), spelling("open-source"));
        assert_eq!(spelling("open_source"), spelling("open source"));
        assert_ne!(spelling("C++"), spelling("C#"));
        assert_eq!(spelled_out("C++", "c").as_deref(), Some("cpp"));
        assert_eq!(spelled_out("C#", "c").as_deref(), Some("csharp"));
        assert_eq!(spelled_out("AI!", "ai"), None, "no other slug to suggest");
    }
}
