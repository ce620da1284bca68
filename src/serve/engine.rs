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
use std::time::{Duration, Instant, SystemTime};

use anyhow::Result;
use tera::Value;

use super::watch::Plan;
use crate::config::{Config, Options};
use crate::diagnostic::Diagnostic;
use crate::pipeline::{self, Cache, Outcome};
use crate::render::{Body, Job};

/// The bytes of one output file, shared with the server.
pub type Bytes = Arc<[u8]>;

/// The site in memory, and what is needed to rebuild it in part.
pub struct Engine {
    options: Options,
    /// Parsed files and templates, kept between saves.
    cache: Cache,
    /// The `site` value of the last good rebuild.
    site: Option<Value>,
    /// The template and `page` value of each page of the last good rebuild.
    pages: HashMap<String, (&'static str, Value)>,
    files: BTreeMap<String, Bytes>,
    /// The path of the base URL of the last good rebuild (`/`, `/a47/`).
    base_path: String,
    /// Static files and files beside the content as last read, by source
    /// and size and modification time: a save re-reads only those that changed.
    statics: HashMap<PathBuf, (Stamp, Bytes)>,
}

/// Size and modification time of a file.
type Stamp = (u64, Option<SystemTime>);

/// What a rebuild changed.
#[derive(Debug, Default)]
pub struct Changes {
    /// Output paths whose bytes are new or different.
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    /// Pages rendered by templates (the rest were known unchanged).
    pub rendered: usize,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
}

impl Changes {
    /// Whether only stylesheets changed: a browser can swap them in place.
    pub fn css_only(&self) -> bool {
        !self.changed.is_empty()
            && self.removed.is_empty()
            && self.changed.iter().all(|p| p.ends_with(".css"))
    }
}

impl Engine {
    pub fn new(options: Options) -> Engine {
        Engine {
            options,
            cache: Cache::default(),
            site: None,
            pages: HashMap::new(),
            files: BTreeMap::new(),
            base_path: "/".to_owned(),
            statics: HashMap::new(),
        }
    }

    /// Every file of the last good build, by output path.
    pub fn files(&self) -> &BTreeMap<String, Bytes> {
        &self.files
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
        let started = Instant::now();
        if plan.everything {
            self.cache = Cache::default();
            self.site = None;
        }
        if plan.templates {
            self.cache.templates = None;
        }
        self.cache
            .content
            .forget(plan.paths.iter().map(|p| p.as_path()));

        let prepared = match pipeline::prepare(&self.options, &mut self.cache)? {
            Outcome::Done(prepared) => prepared,
            Outcome::Failed(diagnostics) => return Ok(Outcome::Failed(diagnostics)),
        };
        let mut planned = pipeline::plan(prepared);

        // Which pages must be rendered: all when the templates or `site`
        // changed, else those whose `page` value differs from last time.
        let site_same =
            !planned.fresh_templates && self.site.as_ref() == Some(&planned.values.site);
        let mut pages = HashMap::with_capacity(planned.jobs.len());
        let mut to_render: Vec<Job> = Vec::new();
        let mut texts: Vec<(String, Bytes)> = Vec::new();
        let mut keep: Vec<String> = Vec::new();
        for job in std::mem::take(&mut planned.jobs) {
            let (template, page) = match &job.body {
                Body::Page { template, page } => (*template, page.clone()),
                Body::Email { page, .. } => ("email.html", page.clone()),
                Body::Text(text) => {
                    texts.push((job.path, Arc::from(text.as_bytes())));
                    continue;
                }
            };
            let unchanged = site_same
                && self.files.contains_key(&job.path)
                && self
                    .pages
                    .get(&job.path)
                    .is_some_and(|(t, p)| *t == template && *p == page);
            pages.insert(job.path.clone(), (template, page));
            if unchanged {
                keep.push(job.path);
            } else {
                to_render.push(job);
            }
        }

        let rendered: Mutex<Vec<(String, Bytes)>> = Mutex::new(Vec::with_capacity(to_render.len()));
        let failed = planned.render(&to_render, &|path, bytes| {
            rendered
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((path.to_owned(), Arc::from(bytes)));
            Ok(())
        })?;
        if failed {
            return Ok(Outcome::Failed(planned.warnings));
        }

        let mut files: BTreeMap<String, Bytes> = BTreeMap::new();
        for path in keep {
            if let Some(bytes) = self.files.get(&path) {
                files.insert(path, bytes.clone());
            }
        }
        let rendered = rendered.into_inner().unwrap_or_else(|e| e.into_inner());
        let rendered_count = rendered.len();
        files.extend(rendered);
        files.extend(texts);
        let mut statics = HashMap::with_capacity(planned.statics.len());
        for (path, source) in &planned.statics {
            let stamp = std::fs::metadata(source)
                .ok()
                .map(|m| (m.len(), m.modified().ok()));
            let bytes = match (stamp, self.statics.remove(source)) {
                (Some(now), Some((then, bytes))) if now == then && now.1.is_some() => bytes,
                _ => Arc::from(planned.config().fs.read_static(source)?),
            };
            if let Some(stamp) = stamp {
                statics.insert(source.clone(), (stamp, bytes.clone()));
            }
            files.insert(path.clone(), bytes);
        }
        self.statics = statics;

        // Kept pages share their bytes with the last build: a pointer check
        // spares comparing them byte by byte.
        let changed = files
            .iter()
            .filter(|(path, bytes)| {
                self.files
                    .get(*path)
                    .is_none_or(|old| !Arc::ptr_eq(old, bytes) && old != *bytes)
            })
            .map(|(path, _)| path.clone())
            .collect();
        let removed = self
            .files
            .keys()
            .filter(|path| !files.contains_key(*path))
            .cloned()
            .collect();
        self.files = files;
        self.base_path = planned.config().base_path.clone();
        self.pages = pages;
        self.site = Some(planned.values.site);
        self.cache.templates = Some(planned.templates);
        Ok(Outcome::Done(Changes {
            changed,
            removed,
            rendered: rendered_count,
            warnings: planned.warnings,
            elapsed: started.elapsed(),
        }))
    }
}
