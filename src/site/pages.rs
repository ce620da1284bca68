//! Standalone pages: `content/pages/*.md` -> [`Page`]s, by slug.
//!
//! Takes the page sources; leaves out drafts (counting them), refuses a
//! name that gazette's own pages or issues take or that another page has,
//! and renders the rest.

use super::{Page, urls};
use crate::config::Config;
use crate::content::PageSource;
use crate::diagnostic::{Diagnostic, Location};
use crate::markdown;
use crate::slug::slugify;

/// The published pages, in slug order; `drafts` counts those left out.
pub fn build(
    config: &Config,
    sources: Vec<PageSource>,
    drafts: &mut usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Page> {
    let mut pages: Vec<Page> = Vec::new();
    let mut taken = std::collections::HashSet::new();
    for source in sources {
        if source.draft && !config.drafts {
            *drafts += 1;
            continue;
        }
        let slug = slugify(source.doc.stem());
        let location = Location::file(source.doc.path());
        // A page lives at the top level, beside the archive and the years.
        if slug.is_empty()
            || urls::RESERVED.contains(&slug.as_str())
            || slug.chars().all(|c| c.is_ascii_digit())
        {
            diagnostics.push(
                Diagnostic::error(format!(
                    "page name `{slug}` is taken by gazette's own pages"
                ))
                .at(location)
                .help("rename the file: `archive`, `outlets`, `tags` and numbers are reserved"),
            );
            continue;
        }
        if !taken.insert(slug.clone()) {
            diagnostics.push(
                Diagnostic::error(format!("page slug `{slug}` is used twice"))
                    .at(location)
                    .help("rename one of the files"),
            );
            continue;
        }
        let rendered = markdown::render(source.doc.body(), config.html());
        pages.push(Page {
            path: urls::page(&slug),
            slug,
            title: source.title,
            description: source.description.unwrap_or_default(),
            html: rendered.html,
            toc: rendered.toc,
            text: rendered.text,
            source: source.doc.path().to_path_buf(),
        });
    }
    pages.sort_by(|a, b| a.slug.cmp(&b.slug));
    pages
}
