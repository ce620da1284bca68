//! Render: the Site model through the Tera templates into files.
//!
//! Each kind of output is a module that lists its files as [`Job`]s (output
//! path and what makes it): [`issues`] (home, issue, story and entry pages),
//! [`archive`], [`lists`] (outlets and tags), [`pages`] (standalone pages,
//! 404), [`redirects`] (aliases), [`headers`], [`cards`], [`email`], [`feeds`], [`search`] and [`sitemap`]. A new kind of
//! output is one more module in [`PAGES`] or [`WHOLE`]; [`paginate`]
//! cuts the lists of `lists` and `archive` into pages.
//! [`render_all`] renders the jobs in parallel against one shared set of
//! values and hands each result to a sink (the output writer, memory, or
//! nothing for `check`). Template errors that repeat on many pages are
//! reported once.

pub mod archive;
pub mod cards;
mod dates;
pub mod email;
pub mod feeds;
pub mod headers;
pub mod issues;
pub mod links;
pub mod lists;
pub mod pages;
pub mod paginate;
pub mod redirects;
pub mod search;
pub mod sitemap;
pub mod template_deps;
pub mod templates;
pub mod values;

use std::collections::HashMap;

use anyhow::Result;
use rayon::prelude::*;
use tera::{Context, Map, Value};

use crate::diagnostic::{Diagnostic, Location};
use crate::site::{IssueId, Site, urls};
pub use templates::Templates;
use values::Values;

/// One file of the site.
#[derive(Clone)]
pub struct Job {
    /// Output path relative to the output folder, e.g. `2026/11/25/index.html`.
    pub path: String,
    pub body: Body,
}

/// What makes a file.
#[derive(Clone)]
pub enum Body {
    /// A theme template rendered with `page`: the HTML pages.
    Page { template: &'static str, page: Value },
    /// `email.html` of an issue: rendered, then its CSS inlined and links made absolute.
    Email { issue: IssueId, page: Value },
    /// Built in: feeds, sitemap, robots.txt, search index.
    Text(String),
    /// A tag's, outlet's or story's Atom feed, built in and made as the
    /// site renders: made while planning, a large site's feeds were all in
    /// memory at once.
    Feed(feeds::EntryFeed),
    /// A social card: `card.svg` rendered with `page`, then drawn as a PNG.
    /// `source` is the file its words come from, for warnings.
    Card { source: String, page: Value },
}

impl Body {
    /// The bytes of a built-in file (feeds, sitemap, search index, host
    /// files), made now for an entry feed, from the entries' `elements`
    /// made so far by this render; `None` for what a template makes.
    pub fn built_in(
        &self,
        site: &Site,
        elements: &feeds::Elements,
    ) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            Body::Text(text) => Some(std::borrow::Cow::Borrowed(text)),
            Body::Feed(feed) => Some(std::borrow::Cow::Owned(feed.text(site, elements))),
            Body::Page { .. } | Body::Email { .. } | Body::Card { .. } => None,
        }
    }
}

impl Job {
    /// A page at the site path `path` (`2026/11/25/`), made by `template`.
    pub fn page(path: &str, template: &'static str, page: Value) -> Job {
        Job {
            path: urls::file(path),
            body: Body::Page { template, page },
        }
    }

    /// Whether the file is an HTML page of the site (not the email edition).
    pub fn is_page(&self) -> bool {
        matches!(self.body, Body::Page { .. }) && self.path.ends_with(".html")
    }
}

/// What every kind of output lists its files from.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub site: &'a Site,
    pub values: &'a Values,
    pub templates: &'a Templates,
    /// The files listed before these kinds ran: the site's pages, for
    /// those of [`WHOLE`].
    pub listed: &'a [Job],
    /// Whether the files are not wanted any more (`serve` had a newer
    /// save): the longest kinds then stop early, listing what they have.
    pub stop: &'a (dyn Fn() -> bool + Sync),
}

impl Scope<'_> {
    /// The `page` value of a page at the site path `path`: the fields every
    /// page has (`kind`, `title`, `description`, `url`, `permalink`), then `fields`.
    pub fn page<const N: usize>(
        &self,
        kind: &str,
        title: &str,
        description: &str,
        path: &str,
        fields: [(&'static str, Value); N],
    ) -> Value {
        let config = &self.site.config;
        let mut m = Map::with_capacity(5 + N);
        m.insert("kind".into(), kind.into());
        m.insert("title".into(), title.into());
        m.insert("description".into(), description.into());
        m.insert("url".into(), config.url(path).into());
        m.insert("permalink".into(), config.permalink(path).into());
        for (k, v) in fields {
            m.insert(k.into(), v);
        }
        Value::from(m)
    }
}

/// One kind of output: adds its files to the list.
pub type Kind = fn(&Scope<'_>, &mut Vec<Job>);

/// The kinds of output that make the site's pages, in the order their files
/// are listed.
pub const PAGES: &[Kind] = &[issues::jobs, archive::jobs, lists::jobs, pages::jobs];

/// The kinds of output made from the whole site, listed after [`PAGES`]. The
/// sitemap lists the pages of those.
pub const WHOLE: &[Kind] = &[
    email::jobs,
    feeds::jobs,
    search::jobs,
    sitemap::jobs,
    redirects::jobs,
    headers::jobs,
    cards::jobs,
];

/// Lists every file of the site, in a fixed order: those of [`PAGES`], then
/// those of [`WHOLE`].
pub fn jobs(site: &Site, values: &Values, templates: &Templates) -> Vec<Job> {
    let mut jobs = Vec::with_capacity(site.entries.len() + site.stories.len() * 2 + 64);
    add_jobs(PAGES, site, values, templates, &|| false, &mut jobs);
    add_jobs(WHOLE, site, values, templates, &|| false, &mut jobs);
    jobs
}

/// Adds the files of `kinds` to `jobs`, in the order of `kinds`. The kinds
/// list theirs side by side: each sees the files listed before this call.
pub fn add_jobs(
    kinds: &[Kind],
    site: &Site,
    values: &Values,
    templates: &Templates,
    stop: &(dyn Fn() -> bool + Sync),
    jobs: &mut Vec<Job>,
) {
    let scope = Scope {
        site,
        values,
        templates,
        listed: jobs,
        stop,
    };
    let made: Vec<Vec<Job>> = (kinds.par_iter())
        .map(|kind| {
            let mut own = Vec::new();
            kind(&scope, &mut own);
            own
        })
        .collect();
    jobs.extend(made.into_iter().flatten());
}

/// A template's output as text: it is UTF-8, as Tera writes only text.
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Renders every job in parallel and passes each file to `sink`.
///
/// Returns the diagnostics of the run: template errors, one per distinct
/// error with how many pages it broke, and warnings (an email edition too
/// large for Gmail).
pub fn render_all(
    templates: &mut Templates,
    site: &Site,
    site_value: &Value,
    jobs: &[Job],
    sink: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
) -> Result<Vec<Diagnostic>> {
    // `site` is the same for every page: set once, shared by reference.
    templates
        .tera
        .global_context()
        .insert_value("site", site_value.clone());
    let templates = &*templates;
    // Rendered as bytes, which is what the sink takes: `Tera::render` checks
    // that its bytes are UTF-8 to make a `String` (0.8% of a build's
    // instructions at 1,000 entries) and grows its buffer from the size of
    // the template's own text, where most pages are larger.
    let render = |template: &str, page: &Value| {
        let mut context = Context::new();
        context.insert_value("page", page.clone());
        crate::timing::template(template, || {
            let mut out = Vec::with_capacity(16 * 1024);
            (templates.tera.render_to(template, &context, &mut out)).map(|()| out)
        })
    };
    let drawn = cards::Drawn::default();
    let elements = feeds::Elements::new(site);
    // Leaves of at most 16 jobs: rayon otherwise left one thread a run of
    // thousands of jobs to finish alone (the small feeds at the end of the
    // list), with nothing the other could take: 160 ms of one idle core at
    // 10,000 entries.
    let problems: Vec<Problem> = jobs
        .par_iter()
        .with_max_len(16)
        .enumerate()
        .map(|(index, job)| -> Result<Option<Problem>> {
            match &job.body {
                Body::Text(_) | Body::Feed(_) => {
                    let text = job.body.built_in(site, &elements).unwrap_or_default();
                    sink(&job.path, text.as_bytes()).map(|()| None)
                }
                Body::Page { template, page } => match render(template, page) {
                    Ok(html) => sink(&job.path, &html).map(|()| None),
                    Err(e) => Ok(Some(Problem::Template(index, e))),
                },
                Body::Card { source, page } => {
                    let svg = match render(cards::TEMPLATE, page) {
                        Ok(svg) => text(svg),
                        Err(e) => return Ok(Some(Problem::Template(index, e))),
                    };
                    match drawn.card(&templates.fonts, &site.config.output, &job.path, &svg) {
                        Ok(png) => sink(&job.path, &png)?,
                        Err(why) => {
                            return Ok(Some(Problem::Other(
                                Diagnostic::error(format!("cannot draw the social card `{}`: {why} (in the SVG the template made)", job.path))
                                    .at(Location::file(templates.file_of(cards::TEMPLATE)))
                                    .help("check that this template makes well-formed SVG of 1200×630 for this page"),
                            )));
                        }
                    }
                    let missing = templates.fonts.missing_in(page);
                    Ok((!missing.is_empty()).then(|| {
                        Problem::Other(cards::missing_warning(&site.config, &job.path, source, &missing))
                    }))
                }
                Body::Email { issue, page } => {
                    let html = match render("email.html", page) {
                        Ok(html) => text(html),
                        Err(e) => return Ok(Some(Problem::Template(index, e))),
                    };
                    let dir = &site.issues[*issue].path;
                    let source = format!("content/{}", site.issues[*issue].date.format("%Y-%m-%d"));
                    match email::finish(&html, site, *issue) {
                        Ok(html) => {
                            sink(&job.path, html.as_bytes())?;
                            Ok((html.len() > email::GMAIL_CLIP_BYTES).then(|| {
                                Problem::Other(
                                    Diagnostic::warning(format!(
                                        "the email edition `{dir}email.html` is {} KB: Gmail clips messages over 102 KB",
                                        html.len() / 1024
                                    ))
                                    .at(Location::file(source))
                                    .code(crate::lint::EMAIL_CLIPPED)
                                    .help("Gmail hides the rest, the unsubscribe link too: move some links to the next issue, or shorten summaries (`summary_length` in site.yaml)"),
                                )
                            }))
                        }
                        Err(why) => Ok(Some(Problem::Other(
                            Diagnostic::error(format!("cannot inline the CSS of `{dir}email.html`: {why}"))
                                .at(Location::file(source))
                                .help("check the CSS of the `email.html` template"),
                        ))),
                    }
                }
            }
        })
        .filter_map(Result::transpose)
        .collect::<Result<_>>()?;

    // One diagnostic per distinct error, naming the first page and a count.
    let mut seen: HashMap<String, (Diagnostic, usize, usize)> = HashMap::new();
    let mut diagnostics = Vec::new();
    for problem in problems {
        match problem {
            Problem::Other(d) => diagnostics.push(d),
            Problem::Template(index, error) => {
                for d in templates.error(&error) {
                    let key = d.render();
                    seen.entry(key).or_insert((d, index, 0)).2 += 1;
                }
            }
        }
    }
    diagnostics.extend(seen.into_values().map(|(d, first, count)| {
        let page = &jobs[first].path;
        let note = match count {
            1 => format!("while rendering `{page}`"),
            2 => format!("while rendering `{page}` and 1 other page"),
            n => format!("while rendering `{page}` and {} other pages", n - 1),
        };
        d.note(note)
    }));
    crate::diagnostic::sort(&mut diagnostics);
    Ok(diagnostics)
}

enum Problem {
    Template(usize, tera::Error),
    Other(Diagnostic),
}
