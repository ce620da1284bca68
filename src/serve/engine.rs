//! Incremental rebuilds: the whole site in memory, re-rendering only what an
//! edit changed.
//!
//! Every rebuild runs the same [`pipeline`] stages as `build` (prepare,
//! plan, render), keeping a [`Cache`] between saves: unchanged files are
//! neither read nor parsed nor rendered again. What it skips is the expensive part,
//! rendering pages: a page is a pure function of the templates, the `site`
//! value and its `page` value, so when none of the three changed since the
//! last rebuild its bytes cannot have changed either. The result is thus
//! always what a full build of the same files gives; the tests check it.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use anyhow::Result;
use rustc_hash::{FxHashMap, FxHashSet};
use tera::Value;

pub use super::changes::Changes;
use super::early::hand;
pub use super::early::{Bytes, Early, Files};
use super::watch::Plan;
use crate::config::{Config, Options};
use crate::pipeline::{self, Cache, Outcome};
use crate::render::templates::{REQUIRED, Used};
use crate::render::values::Begun;
use crate::render::{self, Body, Job, issues};
use crate::site::Site;

mod whole;
use whole::Whole;

/// The template name an email edition is recorded under.
const EMAIL: &str = "email.html";

/// The site in memory, and what is needed to rebuild it in part.
pub struct Engine {
    options: Options,
    /// Parsed files and templates, kept between saves.
    cache: Cache,
    /// The `site` value of the last good rebuild.
    site: Option<Value>,
    /// The templates of the last good rebuild.
    templates: Option<Used>,
    /// The model of the last good rebuild, when making it found no problem
    /// across files: a save that changed only what entries say patches it.
    model: Option<Site>,
    /// The template and `page` value of each page of the last good rebuild
    /// (each of them is in `files`).
    pages: FxHashMap<String, (&'static str, Value)>,
    /// The output paths of the site's pages (of [`crate::render::PAGES`])
    /// in the last good rebuild.
    site_pages: Vec<String>,
    files: Arc<BTreeMap<String, Bytes>>,
    /// The path of the base URL of the last good rebuild (`/`, `/a47/`).
    base_path: String,
    /// Static files and files beside the content as last read, by source
    /// and size and modification time: a save re-reads only those that changed.
    statics: HashMap<PathBuf, (Stamp, Bytes)>,
    /// What the last rebuild's check of published URLs read and found, for
    /// `build --watch` to record once the files are written.
    guarded: Option<pipeline::Guarded>,
}

/// Size and modification time of a file.
type Stamp = (u64, Option<SystemTime>);

impl Engine {
    pub fn new(options: Options) -> Engine {
        Engine {
            options,
            cache: Cache::serve(),
            site: None,
            templates: None,
            model: None,
            pages: FxHashMap::default(),
            site_pages: Vec::new(),
            files: Arc::default(),
            base_path: "/".to_owned(),
            statics: HashMap::new(),
            guarded: None,
        }
    }

    /// The published URLs of the last rebuild and the record it checked
    /// them against (see [`crate::published::write`]); taken once.
    pub fn take_guarded(&mut self) -> Option<pipeline::Guarded> {
        self.guarded.take()
    }

    /// Every file of the last good build, by output path.
    pub fn files(&self) -> &BTreeMap<String, Bytes> {
        &self.files
    }

    /// [`Engine::files`], to serve.
    pub fn served(&self) -> Files {
        Files::new(self.files.clone())
    }

    /// The path the files of the last good build live under, percent-encoded,
    /// starting and ending in `/`: that of `site.yaml`'s `base_url`, which
    /// may change between rebuilds.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    pub fn config(&self) -> Result<Config> {
        Ok(Config::load(&self.options)?.0)
    }

    /// Rebuilds what `plan` says changed. On errors the site in memory stays
    /// the last good one.
    pub fn rebuild(&mut self, plan: &Plan) -> Result<Outcome<Changes>> {
        self.rebuild_early(plan, None)
    }

    /// [`Engine::rebuild`], handing `early` the site with its changed pages
    /// as soon as they are rendered, before the files made from the whole
    /// site (feeds, email editions, search, sitemap): those stay as they
    /// were in that early site, and are ready when this returns. `early`
    /// gets the files and the output paths of the pages that changed, and
    /// is not called when no page changed or the site moved to another
    /// base path. An error in the second half still fails the rebuild, and
    /// leaves the engine at its last good site.
    pub fn rebuild_early(
        &mut self,
        plan: &Plan,
        early: Option<Early<'_>>,
    ) -> Result<Outcome<Changes>> {
        match self.rebuild_unless(plan, early, &|| false)? {
            Some(outcome) => Ok(outcome),
            None => unreachable!("a rebuild with nothing newer is never given up"),
        }
    }

    /// [`Engine::rebuild_early`], given up once its edited pages are handed
    /// early when `newer` says another save has come since it began
    /// (`None`): the files made from the whole site (1–2.5 s at 100,000
    /// entries) would be made again for that save, which would wait for
    /// them. Only a save of content alone is given up. The engine keeps its
    /// last good site, so the next rebuild renders this save's pages again
    /// with its own, and ends as a full build of both would.
    pub fn rebuild_unless(
        &mut self,
        plan: &Plan,
        early: Option<Early<'_>>,
        newer: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<Outcome<Changes>>> {
        let may_give_up = !plan.everything && !plan.templates && !plan.statics;
        let started = Instant::now();
        if plan.everything {
            self.cache = Cache::serve();
            self.site = None;
        }
        if plan.templates {
            self.cache.templates = None;
        }
        let reuse = self.reuse(plan);
        self.cache
            .content
            .forget(&self.options.root, plan.paths.iter().map(|p| p.as_path()));

        let prepared = match pipeline::prepare_from(&self.options, &mut self.cache, reuse)? {
            Outcome::Done(prepared) => prepared,
            Outcome::Failed(diagnostics) => return Ok(Some(Outcome::Failed(diagnostics))),
        };
        // The edited entries' own pages go first, rendered as soon as the
        // values they embed are made; then every changed page; then the rest.
        let base = self.files.clone();
        let same_place = !base.is_empty() && prepared.site.config.base_path == self.base_path;
        let mut early = early.filter(|_| same_place);
        let first = |prepared: &mut pipeline::Prepared, begun: &Begun<'_>| {
            if let Some(early) = early.as_mut() {
                let _timing = crate::timing::stage("edited pages handed first");
                let own = own_pages(&plan.paths, prepared, begun);
                hand(&base, early, &own, &[]);
            }
        };
        let mut planned = pipeline::plan_pages_after(prepared, self.cache.values.as_mut(), first);

        // Which pages must be rendered: all when `site` changed, else those
        // whose template reads an edited template file, or whose `page`
        // value differs from last time.
        let timing = crate::timing::stage("pages compared");
        let site_same = self.site.as_ref() == Some(&planned.values.site);
        let keep = self.keepable(site_same, &planned);
        let mut pages = Vec::new();
        let to_render = self.select(&keep, &planned.jobs, &mut pages);
        drop(timing);
        let Some(mut rendered) = render(&mut planned, &to_render)? else {
            return Ok(Some(Outcome::Failed(planned.warnings)));
        };

        if let Some(early) = early.as_mut() {
            let _timing = crate::timing::stage("pages handed early");
            // Pages of the last site that this one no longer has (a file
            // renamed, a page of a list gone) go early too. The pages come
            // in a fixed order: the same list is the common case.
            let same = (planned.jobs.iter().map(|j| &j.path)).eq(self.site_pages.iter());
            let gone: Vec<&String> = if same {
                Vec::new()
            } else {
                let current: FxHashSet<&str> =
                    planned.jobs.iter().map(|j| j.path.as_str()).collect();
                (self.site_pages.iter())
                    .filter(|path| !current.contains(path.as_str()))
                    .collect()
            };
            hand(&self.files, *early, &rendered, &gone);
        }

        // The second half: files made from the whole site, unless a newer
        // save makes them again (asked between its steps).
        let stop = || may_give_up && newer();
        let first_whole = planned.jobs.len();
        let texts = match self.whole(&mut planned, &keep, &mut pages, &mut rendered, &stop)? {
            Whole::Made(texts) => texts,
            Whole::Newer => {
                self.give_up(planned);
                return Ok(None);
            }
            Whole::Failed => return Ok(Some(Outcome::Failed(planned.warnings))),
        };
        let site_pages = (planned.jobs[..first_whole].iter())
            .map(|job| job.path.clone())
            .collect();

        let _timing = crate::timing::stage("files gathered");
        let rendered_count = rendered.len();
        // Static files first: a read that fails leaves the last good site.
        let mut statics = HashMap::with_capacity(planned.statics.len());
        let mut static_files = Vec::with_capacity(planned.statics.len());
        for (path, source) in &planned.statics {
            let stamp = std::fs::metadata(source)
                .ok()
                .map(|m| (m.len(), m.modified().ok()));
            let bytes = match (stamp, self.statics.get(source)) {
                (Some(now), Some((then, bytes))) if now == *then && now.1.is_some() => {
                    bytes.clone()
                }
                _ => Arc::from(planned.config().fs.read_static(source)?),
            };
            if let Some(stamp) = stamp {
                statics.insert(source.clone(), (stamp, bytes.clone()));
            }
            static_files.push((path.clone(), bytes));
        }
        // The last good site becomes this one in place: kept pages are
        // already there, with the same bytes.
        // Not shared any more unless the server still serves it (then copied).
        let mut files = Arc::try_unwrap(std::mem::take(&mut self.files))
            .unwrap_or_else(|shared| (*shared).clone());
        let wanted: FxHashSet<&str> = (planned.jobs.iter().map(|job| job.path.as_str()))
            .chain(planned.statics.keys().map(String::as_str))
            .collect();
        let mut removed = Vec::new();
        files.retain(|path, _| {
            let keep = wanted.contains(path.as_str());
            if !keep {
                removed.push(path.clone());
            }
            keep
        });
        let mut changed = Vec::new();
        let mut put = |path: String, bytes: Bytes| {
            if files
                .get(&path)
                .is_none_or(|old| !Arc::ptr_eq(old, &bytes) && *old != bytes)
            {
                changed.push(path.clone());
                files.insert(path, bytes);
            }
        };
        for (path, bytes) in rendered.into_iter().chain(texts) {
            put(path, bytes);
        }
        for (path, bytes) in static_files {
            put(path, bytes);
        }
        changed.sort_unstable();
        self.statics = statics;
        self.files = Arc::new(files);
        self.base_path = planned.config().base_path.clone();
        self.pages.retain(|path, _| wanted.contains(path.as_str()));
        self.pages.extend(pages);
        self.site_pages = site_pages;
        self.site = Some(planned.values.site);
        self.templates = Some(planned.templates.used());
        self.model = planned.model_clean.then_some(planned.site);
        self.cache.templates = Some(planned.templates);
        // As in `give_up`: the next save need not wait for this.
        let jobs = planned.jobs;
        std::thread::spawn(move || drop(jobs));
        Ok(Some(Outcome::Done(Changes {
            changed,
            removed,
            rendered: rendered_count,
            patched: planned.model_patched,
            warnings: planned.warnings,
            elapsed: started.elapsed(),
        })))
    }

    /// Keeps of a rebuild given up what the next one starts from: the
    /// templates, and the model when it is clean. The model is the one of
    /// the files as read now, which is what [`Engine::reuse`] patches from.
    fn give_up(&mut self, planned: pipeline::Planned) {
        let pipeline::Planned {
            site,
            templates,
            model_clean,
            jobs,
            values,
            ..
        } = planned;
        self.model = model_clean.then_some(site);
        self.cache.templates = Some(templates);
        // Letting go of a large site's list of files and its values takes
        // a few hundred ms at 100,000 entries: not in the newer save's way.
        std::thread::spawn(move || drop((jobs, values)));
    }

    /// The last model and the sources of the files `plan` touched, for the
    /// pipeline to patch the model rather than make it again: none when the
    /// settings changed, or a file touched was no entry or story before.
    fn reuse(&mut self, plan: &Plan) -> Option<pipeline::Reuse> {
        let site = self.model.take()?;
        if plan.everything {
            return None;
        }
        let then = (plan.paths.iter())
            .map(|path| Some((path.clone(), self.cache.content.item(path)?)))
            .collect::<Option<Vec<_>>>()?;
        Some(pipeline::Reuse { site, then })
    }

    /// The templates whose pages may be kept as last rendered (when their
    /// values are the same): none when `site` changed, else those that read
    /// no template file edited since the last good rebuild. Asked once, for
    /// the templates of the site's pages and the required ones (the email
    /// editions'); a page of any other template is rendered.
    fn keepable(&self, site_same: bool, planned: &pipeline::Planned) -> FxHashSet<&'static str> {
        if !site_same {
            return FxHashSet::default();
        }
        let stale = planned.templates.stale(self.templates.as_ref());
        let pages = (planned.jobs.iter()).filter_map(|job| match &job.body {
            Body::Page { template, .. } => Some(*template),
            _ => None,
        });
        let mut names: FxHashSet<&'static str> = (pages.chain(REQUIRED.iter().copied()))
            .chain([crate::render::cards::TEMPLATE])
            .collect();
        names.retain(|template| !stale(template));
        names
    }

    /// The jobs among `jobs` that must be rendered: those whose template is
    /// not in `keep`, or whose template or `page` value differs from the
    /// last good rebuild. Adds to `pages` the template and value of each job
    /// whose differ from the last good rebuild's, to record once this one
    /// succeeds; text files are not jobs to select.
    fn select(
        &self,
        keep: &FxHashSet<&'static str>,
        jobs: &[Job],
        pages: &mut Vec<(String, (&'static str, Value))>,
    ) -> Vec<Job> {
        let mut to_render = Vec::new();
        for job in jobs {
            let (template, page) = match &job.body {
                Body::Page { template, page } => (*template, page),
                Body::Email { page, .. } => (EMAIL, page),
                Body::Card { page, .. } => (crate::render::cards::TEMPLATE, page),
                Body::Text(_) | Body::Feed(_) => continue,
            };
            let same =
                (self.pages.get(&job.path)).is_some_and(|(t, p)| *t == template && p == page);
            if !same {
                pages.push((job.path.clone(), (template, page.clone())));
            }
            // A page recorded in `self.pages` is in `self.files`: both are
            // updated together, and only by a rebuild that succeeded.
            let unchanged = same && keep.contains(template);
            if !unchanged {
                to_render.push(job.clone());
            }
        }
        to_render
    }
}

/// The pages of the entries whose files are among `paths` (a save), made
/// from the values `begun` and rendered into memory: none when rendering
/// one of them has anything to say, which the whole rebuild reports.
fn own_pages(
    paths: &[PathBuf],
    prepared: &mut pipeline::Prepared,
    begun: &Begun<'_>,
) -> Vec<(String, Bytes)> {
    let site = &prepared.site;
    let jobs: Vec<Job> = (site.entries.iter())
        .filter(|entry| {
            paths
                .iter()
                .any(|path| crate::fs::same_path(path, &entry.source))
        })
        .map(|entry| issues::entry_job(entry, begun.entry(site, entry)))
        .collect();
    if jobs.is_empty() {
        return Vec::new();
    }
    let templates = &mut prepared.templates;
    match in_memory(|sink| render::render_all(templates, site, &begun.site, &jobs, sink)) {
        (Ok(said), files) if said.is_empty() => files,
        _ => Vec::new(),
    }
}

/// Renders `jobs` of `planned` into memory; `None` when an error failed the
/// run (its diagnostics are among `planned.warnings`).
fn render(planned: &mut pipeline::Planned, jobs: &[Job]) -> Result<Option<Vec<(String, Bytes)>>> {
    let (failed, files) = in_memory(|sink| planned.render(jobs, sink));
    Ok((!failed?).then_some(files))
}

/// What a render writes to.
type Sink<'a> = &'a (dyn Fn(&str, &[u8]) -> Result<()> + Sync);

/// Runs `render` with a sink that keeps each file in memory: what it
/// returned, and the files.
fn in_memory<R>(render: impl FnOnce(Sink<'_>) -> R) -> (R, Vec<(String, Bytes)>) {
    let files: Mutex<Vec<(String, Bytes)>> = Mutex::new(Vec::new());
    let sink = |path: &str, bytes: &[u8]| {
        (files.lock().unwrap_or_else(|e| e.into_inner())).push((path.to_owned(), Arc::from(bytes)));
        Ok(())
    };
    let returned = render(&sink);
    (
        returned,
        files.into_inner().unwrap_or_else(|e| e.into_inner()),
    )
}
