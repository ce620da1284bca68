//! The pipeline's stages, one function each, shared by `build`, `check`,
//! `serve` and `build --watch`:
//!
//! ```text
//! prepare: options -> config -> content -> site model, templates, static files
//! plan:    site model -> template values -> jobs (every file of the site)
//! render:  jobs -> bytes, handed to a sink (the output folder, memory, nothing)
//! ```
//!
//! Each stage reports the problems it finds and goes as far as it can, so one
//! run shows every error. A [`Cache`] carries what a stage may reuse from the
//! last run: `build` starts from an empty one, `serve` keeps its own between
//! saves, and so re-reads only the files that changed.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Result;

use crate::config::{Config, Options};
use crate::content::Item;
use crate::content::{self, Content};
use crate::diagnostic::{self, Diagnostic};
use crate::published;
use crate::render::values::{Begun, Memo, Values};
use crate::render::{self, Job, Templates};
use crate::site::{self, Site, urls};
use crate::statics;

/// What `build`, `check` and a rebuild of `serve` found.
pub enum Outcome<T> {
    Done(T),
    /// The site has errors; the diagnostics hold them and any warnings.
    Failed(Vec<Diagnostic>),
}

/// What one run of the pipeline may reuse from the last.
#[derive(Default)]
pub struct Cache {
    /// Parsed entries and stories, by file stamp.
    pub content: content::Cache,
    /// Parsed templates, until a template changes.
    pub templates: Option<Templates>,
    /// The template values of the last run, for `serve` (a build keeps none).
    pub values: Option<Memo>,
}

impl Cache {
    /// The cache of `serve` and `build --watch`, which keeps the content
    /// and template values between rebuilds.
    pub fn serve() -> Cache {
        Cache {
            content: content::Cache::watched(),
            templates: None,
            values: Some(Memo::default()),
        }
    }
}

/// A site loaded and checked: its model, templates and static files.
pub struct Prepared {
    pub site: Site,
    pub templates: Templates,
    /// Output path -> source file.
    pub statics: BTreeMap<String, PathBuf>,
    /// Warnings so far; the errors made [`prepare`] fail.
    pub warnings: Vec<Diagnostic>,
    /// Whether making the model found no problem across files, so that
    /// [`Reuse`] may start from it.
    pub model_clean: bool,
    /// Whether the model was patched from a [`Reuse`].
    pub model_patched: bool,
    /// The parsed sources, for [`plan`] to read the links from; `serve` drops them.
    pub content: Option<Content>,
}

/// The model of the last good run, for [`prepare_from`] to make the next
/// from when a save changed only what entries say (see [`site::patch`]).
pub struct Reuse {
    /// A model whose making found no problem across files.
    pub site: Site,
    /// The files the save touched (relative to the root), each with the
    /// entry or story it was before.
    pub then: Vec<(PathBuf, Arc<Item>)>,
}

/// Stage 1: reads and checks the site, reusing what `cache` holds.
pub fn prepare(options: &Options, cache: &mut Cache) -> Result<Outcome<Prepared>> {
    prepare_from(options, cache, None)
}

/// [`prepare`], making the model from `reuse` when the save allows it.
pub fn prepare_from(
    options: &Options,
    cache: &mut Cache,
    reuse: Option<Reuse>,
) -> Result<Outcome<Prepared>> {
    let timing = crate::timing::stage("config");
    let (config, mut diagnostics) = Config::load(options)?;
    drop(timing);
    if !options.root.join(crate::config::SITE_FILE).is_file() {
        // Not a site: anything else we said would be noise.
        return Ok(Outcome::Failed(diagnostics));
    }
    let timing = crate::timing::stage("content: read and parse");
    let (content, found) = content::load_cached(&config, &mut cache.content)?;
    diagnostics.extend(found);
    drop(timing);
    let timing = crate::timing::stage("model: Markdown and lists");
    let patched = match reuse {
        Some(reuse) => {
            let changes: Option<Vec<_>> = (reuse.then.iter())
                .map(|(path, then)| Some((path.as_path(), then.clone(), cache.content.item(path)?)))
                .collect();
            match changes {
                Some(changes) => site::patch::entries(reuse.site, config, &changes),
                None => Err(config),
            }
        }
        None => Err(config),
    };
    let model_patched = patched.is_ok();
    let (mut site, model_clean) = match patched {
        Ok(site) => (site, true),
        Err(config) => {
            let (site, found) = Site::build(config, &content);
            let clean = found.is_empty();
            diagnostics.extend(found);
            (site, clean)
        }
    };
    drop(timing);
    if options.lint {
        diagnostics.extend(crate::lint::content(&site, &content));
    }
    let timing = crate::timing::stage("templates and static files");
    let templates = match cache.templates.take() {
        Some(templates) => templates,
        None => {
            let (templates, found) = Templates::load(&site.config)?;
            diagnostics.extend(found);
            templates
        }
    };
    let mut statics = statics::files(&site.config, &mut diagnostics)?;
    // Files beside the content, published beside their issue's pages.
    site.assets = statics::fingerprint(
        &site.config,
        &mut statics,
        options.preview,
        &mut diagnostics,
    )?;
    // A theme without a card template (one made before cards) has none.
    if !templates.exists(render::cards::TEMPLATE) {
        site.config.social_cards = false;
    }
    site.config.subscribe_page = templates.exists(render::pages::SUBSCRIBE_TEMPLATE)
        || site.pages.iter().any(|p| p.path == urls::SUBSCRIBE);
    for asset in &content.assets {
        statics.insert(asset.output.clone(), site.config.root.join(&asset.source));
    }
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    if failed {
        // One run reports every error: the links that lead to no file too,
        // though no page is rendered to check the others against.
        diagnostics.extend(crate::lint::links_on_disk(&site, &content));
        // In `serve` such a URL is a warning, said once the site builds.
        if !options.preview {
            let parsed: std::collections::HashSet<&std::path::Path> = (content.items())
                .map(|item| item.doc().path())
                .chain(content.pages.iter().map(|p| p.doc.path()))
                .collect();
            // An error at a file of `content/` that gave no item or page.
            let unparsed = |d: &Diagnostic| {
                d.is_error()
                    && d.location.as_ref().is_some_and(|l| {
                        l.path.starts_with("content")
                            && l.path.extension().is_some_and(|e| e == "md")
                            && !parsed.contains(l.path.as_path())
                    })
            };
            let parsed_all = !diagnostics.iter().any(unparsed);
            diagnostics.extend(crate::published::gone_from_disk(&site, parsed_all));
        }
    }
    crate::lint::allow(&site.config, options.lint, &mut diagnostics);
    diagnostic::sort(&mut diagnostics);
    drop(timing);
    if failed {
        // Broken templates are parsed again next time; good ones are kept.
        if !diagnostics.iter().any(is_template_problem) {
            cache.templates = Some(templates);
        }
        return Ok(Outcome::Failed(diagnostics));
    }
    Ok(Outcome::Done(Prepared {
        site,
        templates,
        statics,
        warnings: diagnostics,
        model_clean,
        model_patched,
        content: Some(content),
    }))
}

fn is_template_problem(d: &Diagnostic) -> bool {
    d.location
        .as_ref()
        .is_some_and(|l| l.path.starts_with("templates") || l.path.starts_with("themes"))
}

/// What [`Planned::check_published`] read and found, for the record a
/// successful build writes.
pub struct Guarded {
    pub record: published::Record,
    pub made: std::collections::BTreeSet<String>,
}

/// A prepared site with every file it makes listed.
pub struct Planned {
    pub site: Site,
    pub templates: Templates,
    pub values: Values,
    /// Every file gazette makes, in a fixed order.
    pub jobs: Vec<Job>,
    /// Static files to copy, output path -> source (none where a job makes the file).
    pub statics: BTreeMap<String, PathBuf>,
    pub warnings: Vec<Diagnostic>,
    /// As [`Prepared::model_clean`].
    pub model_clean: bool,
    /// As [`Prepared::model_patched`].
    pub model_patched: bool,
    /// The links the editors wrote, read by [`plan`] (not by `serve`),
    /// until [`Planned::check_links`] takes them.
    pub links: Option<crate::lint::Written>,
}

/// Stage 2: the template values of the model and the jobs that make the site,
/// keeping the values of `memo` that did not change.
pub fn plan(mut prepared: Prepared, memo: Option<&mut Memo>) -> Planned {
    // The links are read now and the sources dropped, before the values and
    // jobs are made: a build's peak of memory falls by what they hold.
    let written = prepared.content.take().map(|content| {
        let _timing = crate::timing::stage("links read");
        crate::lint::written(&prepared.site, &content)
    });
    let mut planned = plan_pages(prepared, memo);
    planned.links = written;
    planned.plan_whole(&|| false);
    planned
}

/// The first half of [`plan`]: the template values, and the jobs of the
/// site's pages only, for `serve` to show an edited page before it lists the
/// rest with [`Planned::plan_whole`].
pub fn plan_pages(prepared: Prepared, memo: Option<&mut Memo>) -> Planned {
    plan_pages_after(prepared, memo, |_, _| {})
}

/// [`plan_pages`], calling `first` as soon as the values that the others
/// embed are made (see [`Values::begin`]): `serve` renders the edited
/// entry's page there, before anything else.
pub fn plan_pages_after(
    mut prepared: Prepared,
    memo: Option<&mut Memo>,
    first: impl FnOnce(&mut Prepared, &Begun<'_>),
) -> Planned {
    let timing = crate::timing::stage("values: shared, site");
    let begun = Values::begin(&prepared.site, memo);
    drop(timing);
    first(&mut prepared, &begun);
    let timing = crate::timing::stage("values: entries, stories, issues");
    let values = begun.finish(&prepared.site);
    drop(timing);
    let Prepared {
        site,
        templates,
        statics,
        warnings,
        model_clean,
        model_patched,
        content: _,
    } = prepared;
    let timing = crate::timing::stage("jobs: pages");
    let mut jobs = Vec::with_capacity(site.entries.len() + site.stories.len() * 2 + 64);
    render::add_jobs(
        render::PAGES,
        &site,
        &values,
        &templates,
        &|| false,
        &mut jobs,
    );
    drop(timing);
    Planned {
        site,
        templates,
        values,
        jobs,
        statics,
        warnings,
        model_clean,
        model_patched,
        links: None,
    }
}

impl Planned {
    /// The second half of [`plan`]: adds the jobs made from the whole site
    /// (email editions, feeds, search, sitemap) and drops the static files
    /// that a job shadows.
    ///
    /// Once `stop` says so, the longest of them stop early and the list is
    /// not whole: for a rebuild of `serve` that a newer save makes moot.
    pub fn plan_whole(&mut self, stop: &(dyn Fn() -> bool + Sync)) {
        let timing = crate::timing::stage("jobs: feeds, emails' values, search");
        let (site, values, templates) = (&self.site, &self.values, &self.templates);
        render::add_jobs(render::WHOLE, site, values, templates, stop, &mut self.jobs);
        drop(timing);
        // The site's own host files are published as written, in place of
        // gazette's (the README says what to copy into them).
        for own in [crate::site::urls::HEADERS, crate::site::urls::REDIRECTS] {
            if self.statics.contains_key(own) {
                self.jobs.retain(|job| job.path != own);
            }
        }
        // A static file at an old URL stays, for the published-URL check
        // to refuse the alias or redirect at its line.
        let old_urls: std::collections::HashSet<String> = (site.aliases.iter())
            .map(|alias| crate::site::urls::file(&alias.from.value))
            .collect();
        let jobs: Vec<&render::Job> = (self.jobs.iter())
            .filter(|job| !old_urls.contains(&job.path))
            .collect();
        statics::drop_shadowed(&site.config, &mut self.statics, jobs, &mut self.warnings);
    }

    /// Stage 3: renders `jobs` (all of [`Planned::jobs`], or the ones a
    /// rebuild needs) into `sink`. Template errors and render warnings join
    /// [`Planned::warnings`]; `true` when an error among them fails the run.
    pub fn render(
        &mut self,
        jobs: &[Job],
        sink: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
    ) -> Result<bool> {
        let _timing = crate::timing::stage("render and write");
        let mut found = render::render_all(
            &mut self.templates,
            &self.site,
            &self.values.site,
            jobs,
            sink,
        )?;
        let failed = found.iter().any(Diagnostic::is_error);
        crate::lint::allow(self.config(), false, &mut found);
        self.warnings.extend(found);
        diagnostic::sort(&mut self.warnings);
        Ok(failed)
    }

    /// Checks that every link the editors wrote to the site's own pages and
    /// files leads to one of the files [`Planned::jobs`] and the static files
    /// make. `true` when a link leads nowhere: that is an error, found before
    /// anything is rendered or written.
    pub fn check_links(&mut self) -> bool {
        let _timing = crate::timing::stage("links checked");
        let Some(written) = self.links.take() else {
            return false;
        };
        let rendered = crate::lint::Rendered {
            paths: (self.jobs.iter().map(|job| job.path.clone()))
                .chain(self.statics.keys().cloned())
                .collect(),
        };
        let mut found = crate::lint::site(&self.site, written, &rendered);
        crate::lint::allow(self.config(), false, &mut found);
        let failed = found.iter().any(Diagnostic::is_error);
        self.warnings.extend(found);
        diagnostic::sort(&mut self.warnings);
        failed
    }

    /// Checks the URLs this run publishes against the record of those the
    /// site published before (see [`published`]): an alias or a retired URL
    /// that a page takes, and a remembered URL that would disappear. That
    /// last is a warning when `strict` is off (`serve`). Returns whether an
    /// error was found, and what [`published::write`] records after a
    /// successful build.
    pub fn check_published(&mut self, strict: bool) -> (bool, Guarded) {
        let _timing = crate::timing::stage("published URLs checked");
        let config = &self.site.config;
        let (record, mut found) = published::Record::read(&config.root, &config.fs);
        let made = published::made(&self.site, &self.jobs);
        found.extend(published::check(
            &self.site,
            &self.jobs,
            self.statics.keys(),
            &made,
            &record,
        ));
        if !strict {
            for d in &mut found {
                if d.code == Some("published-url") {
                    d.severity = diagnostic::Severity::Warning;
                }
            }
        }
        let failed = found.iter().any(Diagnostic::is_error);
        self.warnings.extend(found);
        diagnostic::sort(&mut self.warnings);
        (failed, Guarded { record, made })
    }

    /// The config the site was built with.
    pub fn config(&self) -> &Config {
        &self.site.config
    }
}
