//! Rules on the rendered site: every internal link of the editors' Markdown
//! leads to a page (and a heading) that exists.
//!
//! Two steps: [`written`] reads the links from the sources (with where each
//! is written) while they are at hand; [`internal`] checks them against
//! [`Rendered`], the paths of every file the site makes. Only published
//! files are followed: a draft's links are checked when it is published.
//! Reading a body's links, Markdown and raw HTML, is [`body`]'s.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;
use url::Url;

use super::BROKEN_LINK;
use crate::content::Content;
use crate::content::document::Document;
use crate::diagnostic::{Diagnostic, Location, display_path, suggest};
use crate::markdown;
use crate::site::{Site, urls};

mod body;

use body::{links, only_links_elsewhere};

/// What `check` rendered: the paths of every file of the site (`index.html`,
/// `2026/11/25/index.html`, static files too).
#[derive(Debug, Default)]
pub struct Rendered {
    pub paths: HashSet<String>,
}

/// A base for resolving the site's own links; never a real host.
const SITE: &str = "https://gazette.invalid/";

/// The links and images of the published sources that lead to the site's
/// own files, read while the sources are at hand, and those already found
/// broken: a `#fragment` of their own page that names no heading. The rest
/// wait for [`Rendered`]: the sources are dropped before the site's values
/// and files are made (37 MiB at 10,000 entries).
#[derive(Debug, Default)]
pub struct Written {
    found: Vec<Diagnostic>,
    links: Vec<Pending>,
}

/// A link to check against the rendered site.
#[derive(Debug)]
struct Pending {
    dest: String,
    image: bool,
    at: Location,
    target: Target,
}

#[derive(Debug)]
enum Target {
    /// A Markdown file of the site, with the fragment after it.
    File(PathBuf, Option<String>),
    /// A file beside the content, and its output path.
    Asset(PathBuf, String),
    /// A URL of the site itself.
    Path(Url),
}

/// Reads the links of every published source (see [`Written`]).
pub fn written(site: &Site, content: &Content) -> Written {
    let Ok(base) = Url::parse(SITE) else {
        return Written::default();
    };
    let per_doc: Vec<Written> = published(site, content)
        .into_par_iter()
        .map(|(doc, page)| doc_links(site, &base, doc, page))
        .collect();
    let mut all = Written::default();
    for doc in per_doc {
        all.found.extend(doc.found);
        all.links.extend(doc.links);
    }
    all
}

/// Each link or image of a published source that leads nowhere on the site.
pub fn internal(site: &Site, written: Written, rendered: &Rendered, found: &mut Vec<Diagnostic>) {
    let targets = Targets::new(site, rendered);
    found.extend(written.found);
    for link in written.links {
        let problem = match &link.target {
            Target::File(file, fragment) => targets.check_file(file, fragment.as_deref()),
            Target::Asset(file, output) => targets.check_asset(file, output),
            Target::Path(url) => targets.check_path(url),
        };
        if let Some(problem) = problem {
            found.push(broken(&link.dest, link.image, link.at, problem));
        }
    }
}

/// What can be told of the links without the rendered site, for a run
/// that found errors elsewhere and so renders nothing: the broken links to
/// the page's own headings, and the links and images to files that are not
/// on disk. Links to pages wait for a site without errors, since a page of
/// a file with an error is missing from it for that reason alone.
pub fn on_disk(root: &Path, written: Written) -> Vec<Diagnostic> {
    let mut found = written.found;
    for link in written.links {
        let (Target::File(file, _) | Target::Asset(file, _)) = &link.target else {
            continue;
        };
        if !root.join(file).is_file() {
            let why = format!("there is no `{}`", display_path(file));
            let markdown = matches!(link.target, Target::File(..));
            let hint = nearest_on_disk(root, file, markdown).map(|near| file_hint(&near, file));
            found.push(broken(
                &link.dest,
                link.image,
                link.at,
                Problem { why, hint },
            ));
        }
    }
    found
}

/// "did you mean `near`?" for a link to the missing `file`; said otherwise
/// when the two names differ only in how their accents are encoded (NFC
/// against NFD), which look the same and which a file system tells apart.
fn file_hint(near: &str, file: &Path) -> String {
    use unicode_normalization::UnicodeNormalization;
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if near != name && near.nfc().eq(name.nfc()) {
        format!(
            "`{near}` is there, its accents written another way (a letter of their own, or a mark after the letter, as files from a Mac often are): copy the file's name into the link, or rename the file"
        )
    } else {
        format!("did you mean `{near}`?")
    }
}

/// The name of the file in `file`'s folder on disk nearest to its own (of
/// the Markdown files when `markdown`): a typo in a link's file name.
fn nearest_on_disk(root: &Path, file: &Path, markdown: bool) -> Option<String> {
    let name = file.file_name()?.to_str()?;
    let folder = root.join(file.parent()?);
    // The site's own folders only: not one a link leads out of it by.
    let own =
        file.starts_with("content") && std::fs::symlink_metadata(&folder).is_ok_and(|m| m.is_dir());
    if !own {
        return None;
    }
    let names: Vec<String> = std::fs::read_dir(folder)
        .ok()?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|n| !markdown || n.ends_with(".md"))
        .collect();
    suggest(name, names.iter().map(String::as_str)).map(str::to_owned)
}

/// The links of one document: those to the site's own files, and the
/// broken ones to its own headings.
fn doc_links(site: &Site, base: &Url, doc: &Document, page: &str) -> Written {
    let mut written = Written::default();
    // Without `](` or `]:` a body has no link or image to follow (autolinks
    // are absolute): most entries, spared a second parse.
    let body = doc.body();
    let markdown_links = body.contains("](") || body.contains("]:");
    // Raw HTML (`<img src="gripper.png">`) may link too.
    if !body.contains('<') && (!markdown_links || only_links_elsewhere(body)) {
        return written;
    }
    let mut own_ids: Option<HashSet<String>> = None;
    for link in links(body, !site.config.unsafe_html) {
        // A heading of its own page: known now, from the source alone.
        if let Some(fragment) = link.dest.strip_prefix('#') {
            let ids = own_ids.get_or_insert_with(|| ids_of(doc.body(), site));
            if let Some(problem) = check_fragment(fragment, ids) {
                let at = doc.body_location(link.offset, link.len);
                written
                    .found
                    .push(broken(&link.dest, link.image, at, problem));
            }
            continue;
        }
        let target = if let Some((file, fragment)) = urls::markdown_link(doc.path(), &link.dest) {
            Target::File(file, fragment)
        } else if let Some((file, output)) = urls::relative_file(doc.path(), &link.dest)
            .and_then(|(file, _)| urls::asset(&file).map(|output| (file, output)))
        {
            Target::Asset(file, output)
        } else {
            let Ok(resolved) = base.join(page).and_then(|p| p.join(&link.dest)) else {
                continue;
            };
            if resolved.host_str() != base.host_str() || resolved.scheme() != base.scheme() {
                continue; // another site's page
            }
            Target::Path(resolved)
        };
        written.links.push(Pending {
            at: doc.body_location(link.offset, link.len),
            dest: link.dest,
            image: link.image,
            target,
        });
    }
    written
}

/// The error for a link or image that leads nowhere.
fn broken(dest: &str, image: bool, at: Location, problem: Problem) -> Diagnostic {
    let what = if image { "image" } else { "link" };
    let mut d = Diagnostic::error(format!("{what} `{dest}` points nowhere: {}", problem.why))
        .at(at)
        .code(BROKEN_LINK);
    if let Some(hint) = problem.hint {
        d = d.label(hint);
    }
    d
}

/// Why a link leads nowhere, and the nearest target that exists.
struct Problem {
    why: String,
    hint: Option<String>,
}

/// The pages of the site, and the headings of those with a table of contents.
struct Targets<'a> {
    root: &'a Path,
    rendered: &'a Rendered,
    /// Site path (`2026/11/25/slug/`) -> heading ids.
    ids: HashMap<&'a str, HashSet<&'a str>>,
    /// The published Markdown files, for the nearest name to a missing one.
    sources: Vec<&'a Path>,
}

impl<'a> Targets<'a> {
    fn new(site: &'a Site, rendered: &'a Rendered) -> Self {
        let stories = site.stories.iter().map(|s| (s.path.as_str(), &s.toc));
        let pages = site.pages.iter().map(|p| (p.path.as_str(), &p.toc));
        let ids = stories
            .chain(pages)
            .map(|(path, toc)| (path, toc.iter().map(|h| h.id.as_str()).collect()))
            .collect();
        let sources = (site.entries.iter().map(|e| e.source.as_path()))
            .chain(site.stories.iter().map(|s| s.source.as_path()))
            .chain(site.pages.iter().map(|p| p.source.as_path()))
            .collect();
        Targets {
            root: &site.config.root,
            rendered,
            ids,
            sources,
        }
    }

    /// A resolved link of the site: a file it makes, or a folder with an
    /// `index.html` (with or without the trailing `/`).
    fn check_path(&self, url: &Url) -> Option<Problem> {
        let decoded = percent_decode(url.path().trim_start_matches('/'));
        let path = decoded.trim_end_matches('/');
        let page = if path.is_empty() {
            String::new()
        } else {
            format!("{path}/")
        };
        let exists = self.rendered.paths.contains(path)
            || self.rendered.paths.contains(&format!("{page}index.html"));
        if !exists {
            let pages = self
                .rendered
                .paths
                .iter()
                .filter_map(|p| p.strip_suffix("index.html"));
            return Some(Problem {
                why: format!("the site has no `/{decoded}`"),
                hint: suggest(&page, pages).map(|p| format!("did you mean `/{p}`?")),
            });
        }
        let fragment = url.fragment().filter(|f| !f.is_empty())?;
        let ids = self.ids.get(page.as_str())?;
        check_fragment(&percent_decode(fragment), ids)
    }

    /// A link to a file beside the content (`gripper.png`): it must be there.
    fn check_asset(&self, file: &Path, output: &str) -> Option<Problem> {
        if self.rendered.paths.contains(output) {
            return None;
        }
        let (folder, name) = output.rsplit_once('/').unwrap_or(("", output));
        let beside = self.rendered.paths.iter().filter_map(|p| {
            p.strip_prefix(folder)
                .and_then(|rest| rest.strip_prefix('/'))
                .filter(|rest| !rest.contains('/') && *rest != "index.html")
        });
        Some(Problem {
            why: format!("there is no `{}`", display_path(file)),
            hint: suggest(name, beside).map(|n| file_hint(n, file)),
        })
    }

    /// A link to a Markdown file of the site: the file must exist and be published.
    fn check_file(&self, target: &Path, fragment: Option<&str>) -> Option<Problem> {
        let Some(page) = urls::of_source(target) else {
            return Some(Problem {
                why: format!(
                    "`{}` is not an entry, a story, an issue's note or a page",
                    display_path(target)
                ),
                hint: None,
            });
        };
        if !self.rendered.paths.contains(&format!("{page}index.html")) {
            return Some(if self.root.join(target).is_file() {
                Problem {
                    why: format!(
                        "`{}` is not published (a draft, or in a scheduled issue)",
                        display_path(target)
                    ),
                    hint: None,
                }
            } else {
                Problem {
                    why: format!("there is no `{}`", display_path(target)),
                    hint: self
                        .nearest_source(target)
                        .map(|name| file_hint(name, target)),
                }
            });
        }
        let fragment = fragment.filter(|f| !f.is_empty())?;
        let ids = self.ids.get(page.as_str())?;
        check_fragment(fragment, ids)
    }

    /// The name of the published Markdown file in `target`'s folder
    /// nearest to `target`'s own: a typo in a link's file name.
    fn nearest_source(&self, target: &Path) -> Option<&'a str> {
        let name = target.file_name()?.to_str()?;
        let beside = (self.sources.iter())
            .filter(|source| source.parent() == target.parent())
            .filter_map(|source| source.file_name()?.to_str());
        suggest(name, beside)
    }
}

/// `#fragment` must name a heading (or an element with that `id`) of the page.
fn check_fragment<S: Borrow<str> + Hash + Eq>(fragment: &str, ids: &HashSet<S>) -> Option<Problem> {
    if fragment.is_empty() || ids.contains(fragment) {
        return None;
    }
    // A heading's id is its text made a slug (`## Café crème` is
    // `#cafe-creme`): a link that writes the text is nearest to that.
    let slug = crate::slug::slugify(fragment);
    let hint = match ids.get(slug.as_str()) {
        Some(id) => Some(id.borrow()),
        None => suggest(fragment, ids.iter().map(|id| id.borrow())),
    };
    Some(Problem {
        why: format!("the page has no heading `#{fragment}`"),
        hint: hint.map(|id| format!("did you mean `#{id}`?")),
    })
}

/// The ids of a body's headings as rendered, and those written in its raw HTML.
fn ids_of(body: &str, site: &Site) -> HashSet<String> {
    let rendered = markdown::render(body, site.config.html());
    let mut ids: HashSet<String> = rendered.toc.into_iter().map(|h| h.id).collect();
    for attribute in ["id=\"", "name=\""] {
        for (at, _) in body.match_indices(attribute) {
            let rest = &body[at + attribute.len()..];
            if let Some(end) = rest.find('"') {
                ids.insert(rest[..end].to_owned());
            }
        }
    }
    ids
}

/// Each published source with the site path of the page it is on.
fn published<'a>(site: &'a Site, content: &'a Content) -> Vec<(&'a Document, &'a str)> {
    let mut pages: HashMap<&Path, &str> = HashMap::new();
    for story in &site.stories {
        pages.insert(&story.source, &story.path);
    }
    for entry in &site.entries {
        pages.insert(&entry.source, &entry.path);
    }
    for page in &site.pages {
        pages.insert(&page.source, &page.path);
    }
    let issues: HashMap<NaiveDate, &str> = site
        .issues
        .iter()
        .map(|i| (i.date, i.path.as_str()))
        .collect();
    let mut docs = Vec::new();
    for issue in &content.issues {
        if let (Some(meta), Some(path)) = (&issue.meta, issues.get(&issue.date)) {
            docs.push((&meta.doc, *path));
        }
        for item in &issue.items {
            if let Some(path) = pages.get(item.doc().path()) {
                docs.push((item.doc(), *path));
            }
        }
    }
    for page in &content.pages {
        if let Some(path) = pages.get(page.doc.path()) {
            docs.push((&page.doc, *path));
        }
    }
    docs
}

/// `%20` -> ` `, for comparing a link with the files it may name.
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::check_fragment;

    // A fragment written as the heading's text is pointed to the id that
    // text makes, accents and scripts made ASCII as headings' ids are.
    #[test]
    fn a_fragment_written_as_text_gets_its_heading() {
        let ids: HashSet<&str> = ["cafe-creme", "mrhb", "takeaway"].into();
        let hint = |fragment: &str| check_fragment(fragment, &ids).and_then(|p| p.hint);
        assert_eq!(
            hint("Café crème").as_deref(),
            Some("did you mean `#cafe-creme`?")
        );
        assert_eq!(
            hint("café--crème").as_deref(),
            Some("did you mean `#cafe-creme`?")
        );
        assert_eq!(hint("مرحبا").as_deref(), Some("did you mean `#mrhb`?"));
        assert_eq!(
            hint("takeawy").as_deref(),
            Some("did you mean `#takeaway`?")
        );
        assert!(check_fragment("takeaway", &ids).is_none());
    }
}
