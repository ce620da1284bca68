//! Tera setup: the theme's templates, overridden file by file by the site's,
//! parsed once; our filters; template errors turned into diagnostics.
//!
//! Templates are named by their path from the site root
//! (`themes/default/templates/issue.html`, `templates/issue.html`) with both
//! folders as Tera fallback prefixes, so `{% extends "base.html" %}` finds the
//! site's file first and every error names the file that is really at fault.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use tera::{Kwargs, State, Tera, TeraResult, Value};
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Location, display_path};
use crate::fs;

mod fold;
mod problems;

use problems::{template_error, theme_not_found, unused, written_name};

/// The endings of the templates Tera escapes what they print in.
const AUTOESCAPED: &[&str] = &[".html", ".htm", ".xml", ".svg"];

/// The templates every theme must have, one per kind of page.
pub const REQUIRED: &[&str] = &[
    "index.html",
    "issue.html",
    "story.html",
    "entry.html",
    "archive.html",
    "outlets.html",
    "outlet.html",
    "tags.html",
    "tag.html",
    "page.html",
    "404.html",
    "email.html",
    "email.txt",
];

/// Parsed templates and their sources (for quoting lines in errors, and
/// for telling which pages a template edit touches).
pub struct Templates {
    pub tera: Tera,
    /// The fonts social cards are drawn with (see [`super::cards`]).
    pub fonts: Arc<super::cards::Fonts>,
    sources: Arc<BTreeMap<String, String>>,
    /// Tera's fallback prefixes: `templates/`, then the theme's.
    prefixes: Vec<String>,
}

/// The template files a site was rendered with, to compare a later set
/// with: see [`Templates::stale`].
#[derive(Clone)]
pub struct Used {
    sources: Arc<BTreeMap<String, String>>,
    prefixes: Vec<String>,
}

impl Templates {
    /// Loads and checks every template; an error in one does not hide the others.
    pub fn load(config: &Config) -> Result<(Templates, Vec<Diagnostic>)> {
        let mut diagnostics = Vec::new();
        let theme_dir = config.theme_dir();
        let theme_rel = format!("themes/{}/templates/", config.theme);
        if !theme_dir.is_dir() {
            diagnostics.push(theme_not_found(config));
        }
        let mut sources = BTreeMap::new();
        for prefix in ["templates/", theme_rel.as_str()] {
            let dir = config.root.join(prefix);
            if !dir.is_dir() {
                continue;
            }
            // A template folder linked from elsewhere would let `{% include %}`
            // pull any file of the machine into a page.
            if let Err(refused) = config.fs.check(&dir) {
                diagnostics.push(refused.diagnostic(Path::new(prefix.trim_end_matches('/'))));
                continue;
            }
            for entry in WalkDir::new(&dir).sort_by(crate::fs::by_name) {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(e) => {
                        diagnostics.push(crate::fs::walk_error(&config.root, &e));
                        continue;
                    }
                };
                let name = entry.file_name().to_string_lossy();
                if entry.file_type().is_dir() || crate::content::is_ignored(&name) {
                    continue;
                }
                let rel = entry
                    .path()
                    .strip_prefix(&config.root)
                    .unwrap_or(entry.path());
                let text = config
                    .fs
                    .read_walked(&entry)
                    .map_err(|refused| refused.diagnostic(rel))
                    .and_then(|bytes| fs::decode_text(rel, bytes));
                match text {
                    Ok(text) => {
                        sources.insert(display_path(rel), text);
                    }
                    Err(d) => diagnostics.push(d),
                }
            }
        }

        let mut tera = Tera::new();
        // Where Tera looks for a template's name: the site's, then the theme's.
        let prefixes = vec!["templates/".to_owned(), theme_rel.clone()];
        tera.set_fallback_prefixes(prefixes.clone())?;
        tera.register_filter("date", super::dates::date_filter(config.words.clone()));
        tera.register_function("trans", super::dates::trans(config.words.clone()));
        tera.register_filter("wrap", wrap_filter);
        tera.register_filter("fit_images", super::email::fit_images_filter);
        let (fonts, found) = super::cards::Fonts::load(config);
        diagnostics.extend(found);
        let fonts = Arc::new(fonts);
        tera.register_filter("card_lines", super::cards::lines_filter(fonts.clone()));
        tera.register_function("asset_url", asset_url);
        tera.register_function("asset_integrity", asset_integrity);
        tera.autoescape_on(AUTOESCAPED.to_vec());

        // What Tera parses: the sources with the site's plain words written
        // in (`fold`); errors quote the sources as written.
        let folded: BTreeMap<&String, Cow<'_, str>> = (sources.iter())
            .map(|(name, text)| (name, fold::fold(text, &config.words, fold::escapes(name))))
            .collect();
        // Tera stops at the first broken file; take it out and try again so
        // that one run reports every broken template.
        let mut batch: Vec<(&String, &str)> =
            (folded.iter()).map(|(n, s)| (*n, s.as_ref())).collect();
        loop {
            match tera.add_raw_templates(batch.iter().map(|(n, s)| (n.as_str(), *s))) {
                Ok(()) => break,
                Err(e) => {
                    let broken = match e.kind() {
                        tera::ErrorKind::SyntaxError(report) => Some(report.filename().to_owned()),
                        _ => None,
                    };
                    let mut found = template_error(&e, &sources);
                    blame_overrides(&sources, &prefixes, &mut found);
                    diagnostics.extend(found);
                    match broken {
                        Some(name) if batch.iter().any(|(n, _)| **n == name) => {
                            batch.retain(|(n, _)| **n != name);
                        }
                        _ => break,
                    }
                }
            }
        }

        let templates = Templates {
            tera,
            fonts,
            sources: Arc::new(sources),
            prefixes,
        };
        diagnostics.extend(unused(&templates.sources, &theme_rel));
        if theme_dir.is_dir() {
            for name in REQUIRED {
                if !templates.exists(name) {
                    diagnostics.push(
                        Diagnostic::error(format!("template `{name}` is missing"))
                            .at(Location::file(PathBuf::from(&theme_rel)))
                            .help(format!("add `{theme_rel}{name}` or `templates/{name}`")),
                    );
                }
            }
        }
        diagnostics.extend(templates.unlisted_links());
        Ok((templates, diagnostics))
    }

    /// The warning for an `email.txt` that prints the note or an explainer,
    /// whose links are numbered `[n]` for the list `page.links` gives, and
    /// never prints that list (one written before the links were numbered):
    /// its readers would get numbers and no addresses.
    fn unlisted_links(&self) -> Option<Diagnostic> {
        let file = self.file_of("email.txt");
        // What email.txt reads: itself, what it includes or extends, and
        // where the components it calls are defined; nothing is said when
        // that cannot be told (a template named by a variable).
        let read = super::template_deps::reads(&self.sources, &self.prefixes, &file)?;
        let text = |name: &str| self.sources.get(name).map_or("", String::as_str);
        let prints = |word: &str| read.iter().any(|name| text(name).contains(word));
        let numbered = prints("note_text") || prints("content_text");
        (numbered && !prints("links")).then(|| {
            let at = self.sources.get(&file).and_then(|source| {
                let line = source.lines().position(|l| l.contains("note_text") || l.contains("content_text"))?;
                Some(Location::line(&file, source, line + 1))
            });
            let d = Diagnostic::warning(format!(
                "`{file}` prints the note or the explainers, whose links are numbered `[n]`, but never the list of them, `page.links`"
            ))
            .help("list them at the end, as the default theme does: `{% for link in page.links %}[{{ link.n }}] {{ link.url }}{% endfor %}`, one a line");
            match at {
                Some(at) => d.at(at),
                None => d.at(Location::file(PathBuf::from(&file))),
            }
        })
    }

    /// Whether the site or the theme has a template `name` (e.g. `atom.xml`).
    pub fn exists(&self, name: &str) -> bool {
        self.sources.keys().any(|k| written_name(k) == name)
    }

    /// The file template `name` is read from: the site's `templates/`
    /// before the theme's, as Tera looks.
    pub fn file_of(&self, name: &str) -> String {
        let mut files = self.prefixes.iter().map(|prefix| format!("{prefix}{name}"));
        let last = files.next_back().unwrap_or_else(|| name.to_owned());
        files
            .find(|file| self.sources.contains_key(file))
            .unwrap_or(last)
    }

    /// Turns a Tera error into diagnostics located in the template's file.
    pub fn error(&self, error: &tera::Error) -> Vec<Diagnostic> {
        let mut found = template_error(error, &self.sources);
        blame_overrides(&self.sources, &self.prefixes, &mut found);
        found
    }

    /// These templates, to compare a later set with.
    pub fn used(&self) -> Used {
        Used {
            sources: self.sources.clone(),
            prefixes: self.prefixes.clone(),
        }
    }

    /// Which pages may render differently with these templates than with
    /// `old`: a function of the page's template name, `true` when a file it
    /// reads (now or then) is new, gone or edited. With no `old`, every page.
    pub fn stale(&self, old: Option<&Used>) -> impl Fn(&str) -> bool + '_ {
        let changed: Option<BTreeSet<String>> = old.map(|old| {
            if Arc::ptr_eq(&old.sources, &self.sources) {
                BTreeSet::new()
            } else {
                super::template_deps::changed(&old.sources, &self.sources)
            }
        });
        let old = old.cloned();
        move |template| match (&changed, &old) {
            (Some(changed), _) if changed.is_empty() => false,
            (Some(changed), Some(old)) => {
                let reads = |sources: &BTreeMap<String, String>, prefixes: &[String]| {
                    super::template_deps::reads_any(sources, prefixes, template, changed)
                };
                reads(&self.sources, &self.prefixes) || reads(&old.sources, &old.prefixes)
            }
            _ => true,
        }
    }
}

/// Adds to each diagnostic at a theme's file that reads a template the site
/// replaces (its `templates/base.html`, a partial defining a component) a
/// note that says so: the cause is likelier in the site's file than in the
/// theme's, which the editor did not touch.
fn blame_overrides(
    sources: &BTreeMap<String, String>,
    prefixes: &[String],
    found: &mut [Diagnostic],
) {
    // Not a copy of the theme's file as it is: that cannot be the cause.
    let theme = prefixes.last().map_or("", String::as_str);
    let overrides: Vec<&String> = (sources.keys())
        .filter(|name| name.starts_with("templates/"))
        .filter(|name| {
            let theirs = format!("{theme}{}", &name["templates/".len()..]);
            sources.get(&theirs) != sources.get(*name)
        })
        .collect();
    for d in found {
        let Some(at) = (d.location.as_ref()).map(|l| display_path(&l.path)) else {
            continue;
        };
        if overrides.is_empty() || !at.starts_with("themes/") {
            continue;
        }
        let reads = super::template_deps::reads(sources, prefixes, &at);
        let read: Vec<String> = (overrides.iter())
            .filter(|o| reads.as_ref().is_none_or(|read| read.contains(o.as_str())))
            .map(|o| format!("`{o}`"))
            .collect();
        if !read.is_empty() {
            d.notes.push(format!(
                "`{at}` reads {}, the site's own in place of the theme's: the cause may be there",
                read.join(", ")
            ));
        }
    }
}

fn wrap_filter(value: &str, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let width = kwargs.get::<usize>("width")?.unwrap_or(72);
    Ok(crate::markdown::wrap(value, width.max(1)))
}

/// `asset_url(path="style.css")`: the URL to link a CSS or JavaScript file
/// of the theme or the site by, its name carrying a hash of its bytes.
fn asset_url(kwargs: Kwargs, state: &State) -> TeraResult<Value> {
    asset_field(&kwargs, state, "url")
}

/// `asset_integrity(path="style.css")`: its Subresource Integrity
/// (`sha384-…`), for the `integrity` attribute; empty in `serve`.
fn asset_integrity(kwargs: Kwargs, state: &State) -> TeraResult<Value> {
    asset_field(&kwargs, state, "integrity")
}

/// The `field` of `site.assets[path]`: read from the context, so that a
/// page's output changes only with its `site` value.
fn asset_field(kwargs: &Kwargs, state: &State, field: &str) -> TeraResult<Value> {
    let path: &str = kwargs.must_get("path")?;
    let site: Option<Value> = state.get("site")?;
    let assets = site
        .as_ref()
        .and_then(|site| site.get_from_path("assets"))
        .and_then(Value::as_map);
    let found = assets.and_then(|assets| {
        assets
            .iter()
            .find(|(name, _)| name.as_str() == Some(path.trim_start_matches('/')))
            .map(|(_, asset)| asset)
    });
    match found.and_then(|asset| asset.get_from_path(field)) {
        Some(value) => Ok(value.clone()),
        None => {
            let known: Vec<String> = (assets.into_iter().flatten())
                .filter_map(|(name, _)| name.as_str().map(|n| format!("`{n}`")))
                .collect();
            Err(tera::Error::message(format!(
                "no CSS or JavaScript file `{path}` in the theme's or the site's `static/`; there are: {}",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            )))
        }
    }
}
