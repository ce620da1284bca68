//! Standalone pages: `content/pages/*.md` -> [`Page`]s, by slug.
//!
//! Takes the page sources; leaves out drafts (counting them), refuses a
//! name that gazette's own pages or issues take or that another page has,
//! and renders the rest.

use super::{Page, urls};
use crate::config::Config;
use crate::content::PageSource;
use crate::diagnostic::{Diagnostic, Location, display_path};

/// The published pages, in slug order; `drafts` counts those left out.
pub fn build(
    config: &Config,
    sources: &[PageSource],
    drafts: &mut usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Page> {
    let mut pages: Vec<Page> = Vec::new();
    // Each slug with the file that took it first, to name both files.
    let mut taken: std::collections::HashMap<String, &std::path::Path> =
        std::collections::HashMap::new();
    for source in sources {
        if source.draft && !config.drafts {
            *drafts += 1;
            continue;
        }
        let slug = source.doc.slug().to_owned();
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
        if let Some(first) = taken.get(&slug) {
            diagnostics.push(
                Diagnostic::error(format!(
                    "page slug `{slug}` is already used by `{}`",
                    display_path(first)
                ))
                .at(location)
                .help("two pages would share a URL: rename one of the files"),
            );
            continue;
        }
        taken.insert(slug.clone(), source.doc.path());
        let linking = super::linking(config, source.doc.path());
        let rendered = super::bodies::page(source.doc.body(), config.html(), linking);
        pages.push(Page {
            path: urls::page(&slug),
            slug,
            title: source.title.clone(),
            description: source.description.clone().unwrap_or_default(),
            html: rendered.html,
            toc: rendered.toc,
            text: rendered.text,
            source: source.doc.path().to_path_buf(),
        });
    }
    pages.sort_by(|a, b| a.slug.cmp(&b.slug));
    pages
}
