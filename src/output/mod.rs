//! The only writer: stage, swap in, skip unchanged bytes, remove stale files,
//! and never touch a file gazette did not write.
//!
//! An output folder is gazette's when gazette made it: it holds a manifest,
//! [`MANIFEST`], listing every file gazette wrote there. A folder that
//! exists, is not empty and has no manifest is refused, as is one that is a
//! symlink or that is, holds or lies inside the site's own folders
//! (`content/`, `themes/`, `templates/`, `static/`, `.git`). Stale files are
//! removed only when the manifest lists them, so `CNAME`, `.nojekyll` or
//! `.well-known/` put beside the site by hand stay where they are.
//!
//! Pages whose bytes differ from what the output folder holds are written to
//! a staging folder beside it; unchanged files are left alone (so their times
//! do not change and a sync to the host uploads only what changed). Only when
//! the whole build succeeded does [`Output::commit`] move the staged files in,
//! remove the stale ones and write the new manifest. A failed build drops the
//! staging folder and leaves the output exactly as it was.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::Result;
use rayon::prelude::*;

pub mod inputs;
pub(crate) mod manifest;
mod swap;
mod target;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, display_path};
use crate::fs;
pub use manifest::MANIFEST;
use manifest::{MANIFEST_HEADER, manifest_text, read_manifest};
use target::{check_target, refuse};

/// A build's output in progress.
pub struct Output {
    dir: PathBuf,
    staging: PathBuf,
    /// Where the old site goes when the folders cannot be exchanged.
    aside: PathBuf,
    /// The files the manifest says gazette wrote, relative to `dir`.
    owned: BTreeSet<String>,
    /// Files written to the staging folder, relative to it.
    staged: Mutex<Vec<String>>,
    /// Staged files whose place in `dir` holds something gazette did not write.
    blocked: Mutex<Vec<String>>,
    /// `dir` did not exist when the build began: nothing can be in the way.
    fresh: bool,
    /// The flags that make this build a preview, for the manifest.
    preview: Vec<String>,
    /// Folders of the staging folder made so far: a file in one of them
    /// costs no `mkdir`.
    folders: Mutex<std::collections::HashSet<PathBuf>>,
}

/// What a commit changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Changes {
    pub written: usize,
    pub removed: usize,
}

impl Output {
    /// Checks that the output folder of `config` is gazette's to manage, and
    /// prepares a staging folder beside it. `Err` of the inner result: the
    /// folder is refused, and nothing was touched.
    pub fn begin(config: &Config) -> Result<Result<Output, Diagnostic>> {
        let dir = &config.output;
        if let Err(refusal) = check_target(dir, &config.root) {
            return Ok(Err(refusal));
        }
        let [staging, aside] = beside(dir, ["staging", "old"]);
        // Left by a build that was killed: ours only if they say so.
        for (left, what) in [(&staging, "staging folder"), (&aside, "old site")] {
            if std::fs::symlink_metadata(left).is_ok() && !is_ours(left) {
                return Ok(Err(refuse(
                    left,
                    &format!("it is in the way of the build's {what} and gazette did not make it"),
                    "move or delete it",
                )));
            }
        }
        if std::fs::symlink_metadata(&aside).is_ok() {
            if std::fs::symlink_metadata(dir).is_err() {
                // Killed between moving the old site aside and the new one
                // in: the old one goes back.
                fs::rename(&aside, dir)?;
            } else {
                remove_ours(&aside)?;
            }
        }
        let fresh = std::fs::symlink_metadata(dir).is_err();
        let owned = match read_manifest(dir) {
            Ok(owned) => owned,
            Err(refusal) => return Ok(Err(refusal)),
        };
        if let Some(parent) = staging.parent() {
            fs::create_dir_all(parent)?;
        }
        if std::fs::symlink_metadata(&staging).is_ok() {
            remove_ours(&staging)?;
        }
        fs::create_dir_all(&staging)?;
        // Marks the staging folder as ours, should this build be killed.
        fs::write(&staging.join(MANIFEST), MANIFEST_HEADER.as_bytes())?;
        *lock(&STAGING) = Some(staging.clone());
        Ok(Ok(Output {
            dir: dir.clone(),
            staging,
            aside,
            owned,
            staged: Mutex::new(Vec::new()),
            blocked: Mutex::new(Vec::new()),
            fresh,
            preview: config.preview(),
            folders: Mutex::default(),
        }))
    }

    /// Stages `bytes` for `rel` unless the output already holds exactly them.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
            anyhow::bail!("interrupted");
        }
        if !self.fresh && !self.may_stage(rel, bytes) {
            return Ok(());
        }
        let path = self.staging.join(rel);
        if let Some(parent) = path.parent()
            && !lock(&self.folders).contains(parent)
        {
            fs::create_dir_all(parent)?;
            lock(&self.folders).insert(parent.to_path_buf());
        }
        fs::write(&path, bytes)?;
        lock(&self.staged).push(rel.to_owned());
        Ok(())
    }

    /// Whether `put` stages `bytes` for `rel`: not when the output holds
    /// exactly them, nor when a file gazette did not write is in their
    /// place (that one is recorded as blocked). One `stat` for a new file.
    fn may_stage(&self, rel: &str, bytes: &[u8]) -> bool {
        let target = self.dir.join(rel);
        let Ok(meta) = std::fs::symlink_metadata(&target) else {
            return true;
        };
        // A folder in the way is judged at commit, by what it holds.
        if meta.is_dir() {
            return true;
        }
        let same = if meta.is_symlink() {
            fs::same_bytes(&target, bytes)
        } else {
            meta.len() == bytes.len() as u64 && std::fs::read(&target).is_ok_and(|old| old == bytes)
        };
        if same {
            return false;
        }
        if !self.owned.contains(rel) {
            lock(&self.blocked).push(rel.to_owned());
            return false;
        }
        true
    }

    /// Drops everything staged; the output folder is untouched.
    pub fn abort(self) -> Result<()> {
        let mut staging = lock(&STAGING);
        *staging = None;
        remove_ours(&self.staging)
    }

    /// Moves the staged files in, removes the files of the last build that
    /// are not in `keep`, and records `keep` as gazette's. `Err` of the inner
    /// result: a page would replace a file gazette did not write; nothing
    /// was changed. What the inputs were is the caller's to record
    /// ([`inputs::record`]); it is forgotten here.
    pub fn commit<'a>(
        self,
        keep: impl IntoIterator<Item = &'a str>,
    ) -> Result<Result<Changes, Vec<Diagnostic>>> {
        // An interruption waits for the commit to end (see [`interrupted`]).
        let mut staging = lock(&STAGING);
        let committed = self.commit_now(keep);
        *staging = None;
        committed
    }

    fn commit_now<'a>(
        self,
        keep: impl IntoIterator<Item = &'a str>,
    ) -> Result<Result<Changes, Vec<Diagnostic>>> {
        inputs::forget(&self.dir);
        let keep: BTreeSet<&str> = keep.into_iter().collect();
        let mut staged = std::mem::take(&mut *lock(&self.staged));
        // Sorted, so the output changes in the same order on every run.
        staged.sort_unstable();
        let mut blocked = std::mem::take(&mut *lock(&self.blocked));
        // A folder the site needs where the user keeps a file, or the reverse
        // (no output folder, nothing in the way: a stat per file saved).
        if std::fs::symlink_metadata(&self.dir).is_ok() {
            blocked.extend(staged.iter().filter(|rel| self.in_the_way(rel)).cloned());
        }
        if !blocked.is_empty() {
            blocked.sort_unstable();
            blocked.dedup();
            let refusals = blocked
                .iter()
                .map(|rel| {
                    refuse(
                        &self.dir.join(rel),
                        "the site makes a file there, and this one was not written by gazette",
                        "move it away (to `static/`, if the site should publish it), then build again",
                    )
                })
                .collect();
            remove_ours(&self.staging)?;
            return Ok(Err(refusals));
        }
        let manifest = manifest_text(&keep, &self.preview);
        fs::write(&self.staging.join(MANIFEST), manifest.as_bytes())?;
        let written = staged.len();
        if !self.dir.exists() {
            fs::rename(&self.staging, &self.dir)?;
            return Ok(Ok(Changes {
                written,
                removed: 0,
            }));
        }
        // The staging folder becomes the whole new site, then takes the
        // old one's place in one step: see `swap`.
        let removed = self.complete_staging(&keep, &staged)?;
        let old = if swap::exchange(&self.staging, &self.dir).is_ok() {
            Some(&self.staging)
        } else if swap::replace(&self.staging, &self.dir, &self.aside).is_ok() {
            Some(&self.aside)
        } else {
            None
        };
        if let Some(old) = old {
            remove_ours(old)?;
            return Ok(Ok(Changes { written, removed }));
        }
        // The output folder cannot be moved (a mount point): the changed
        // files go in one by one.
        for rel in &staged {
            let target = self.dir.join(rel);
            if let Some(parent) = target.parent() {
                self.clear_owned_files(parent)?;
                fs::create_dir_all(parent)?;
            }
            if target.is_dir() && !target.is_symlink() {
                // Only gazette's files are in it: `in_the_way` said so.
                fs::remove_dir_all(&target)?;
            }
            fs::rename(&self.staging.join(rel), &target)?;
        }
        let removed = self.remove_stale(&keep)?;
        if !fs::same_bytes(&self.dir.join(MANIFEST), manifest.as_bytes()) {
            fs::rename(&self.staging.join(MANIFEST), &self.dir.join(MANIFEST))?;
        }
        remove_ours(&self.staging)?;
        Ok(Ok(Changes { written, removed }))
    }

    /// Makes the staging folder the whole new site: the files of the old
    /// one that stay (gazette's unchanged pages, and every file of the
    /// user's) are carried over with their bytes and times; gazette's files
    /// that this build no longer makes are not, and are counted.
    fn complete_staging(&self, keep: &BTreeSet<&str>, staged: &[String]) -> Result<usize> {
        let staged: BTreeSet<&str> = staged.iter().map(String::as_str).collect();
        let mut removed = 0;
        let mut carried = Vec::new();
        let mut folders = BTreeSet::new();
        // Folders with nothing in them (a user's): they stay too.
        let mut empty = BTreeSet::new();
        for entry in walkdir::WalkDir::new(&self.dir).min_depth(1) {
            let entry = entry?;
            let inner = entry.path().strip_prefix(&self.dir)?.to_path_buf();
            if let Some(parent) = inner.parent() {
                empty.remove(parent);
            }
            let rel = display_path(&inner);
            if rel == MANIFEST {
                continue;
            }
            if entry.file_type().is_dir() {
                empty.insert(inner);
                continue;
            }
            if self.owned.contains(&rel) {
                if !keep.contains(rel.as_str()) {
                    removed += 1;
                    continue;
                }
                if staged.contains(rel.as_str()) {
                    continue;
                }
            }
            if let Some(parent) = inner.parent() {
                folders.insert(parent.to_path_buf());
            }
            carried.push(entry);
        }
        folders.extend(empty);
        // Made side by side: creating a folder tolerates a sibling's
        // creating the same parent.
        (folders.par_iter())
            .try_for_each(|folder| fs::create_dir_all(&self.staging.join(folder)))?;
        // Thousands of links: both cores.
        carried.par_iter().try_for_each(|entry| {
            let to = self.staging.join(entry.path().strip_prefix(&self.dir)?);
            swap::carry(entry.path(), &to, &entry.metadata()?)
        })?;
        Ok(removed)
    }

    /// Whether something not gazette's stands where `rel` goes: a file or
    /// link of the user's where one of its folders must be, or a folder
    /// holding the user's files where the file must be.
    fn in_the_way(&self, rel: &str) -> bool {
        let mut at = String::new();
        for part in rel.split('/') {
            if !at.is_empty() {
                at.push('/');
            }
            at.push_str(part);
            let Ok(meta) = std::fs::symlink_metadata(self.dir.join(&at)) else {
                return false;
            };
            if at == rel {
                return meta.is_dir()
                    && walkdir::WalkDir::new(self.dir.join(&at))
                        .into_iter()
                        .filter_map(Result::ok)
                        .filter(|e| !e.file_type().is_dir())
                        .any(|e| {
                            let inner = e.path().strip_prefix(&self.dir).unwrap_or(e.path());
                            !self.owned.contains(&display_path(inner))
                        });
            }
            if !meta.is_dir() && !self.owned.contains(&at) {
                return true;
            }
        }
        false
    }

    /// Removes gazette's own files where a folder must now go, from the
    /// output folder down to `folder`.
    fn clear_owned_files(&self, folder: &Path) -> Result<()> {
        let Ok(rel) = folder.strip_prefix(&self.dir) else {
            return Ok(());
        };
        let mut at = self.dir.clone();
        for part in rel.components() {
            at.push(part);
            match std::fs::symlink_metadata(&at) {
                Ok(meta) if !meta.is_dir() => fs::remove_file(&at)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// Removes the files the last build wrote and this one did not, then
    /// the folders that leaves empty. Only the manifest's files are looked
    /// at: nothing else in the folder is touched.
    fn remove_stale(&self, keep: &BTreeSet<&str>) -> Result<usize> {
        let mut removed = 0;
        let mut folders = BTreeSet::new();
        for rel in self.owned.iter().filter(|rel| !keep.contains(rel.as_str())) {
            let path = self.dir.join(rel);
            match std::fs::symlink_metadata(&path) {
                // A link is removed as a link, never followed.
                Ok(meta) if !meta.is_dir() => {
                    fs::remove_file(&path)?;
                    removed += 1;
                }
                _ => {}
            }
            let mut parent = Path::new(rel).parent();
            while let Some(folder) = parent.filter(|p| !p.as_os_str().is_empty()) {
                folders.insert(folder.to_path_buf());
                parent = folder.parent();
            }
        }
        // Deepest first, so a folder is empty once its children are gone.
        let mut folders: Vec<PathBuf> = folders.into_iter().collect();
        folders.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
        for folder in folders {
            // Fails, harmlessly, when the folder still holds something.
            let _ = std::fs::remove_dir(self.dir.join(folder));
        }
        Ok(removed)
    }
}

/// Whether the folder `dir`, left beside the output by a build, is
/// gazette's: it holds a manifest, or nothing at all (a build killed before
/// it wrote one).
fn is_ours(dir: &Path) -> bool {
    if dir.is_symlink() {
        return false;
    }
    dir.join(MANIFEST).is_file() || std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// The staging folder of the build under way, if one is: what an
/// interruption (Ctrl-C) removes before the process ends.
static STAGING: Mutex<Option<PathBuf>> = Mutex::new(None);

/// For an interruption of the process (Ctrl-C): waits for a commit under
/// way to end, so that the output folder is the old site or the new one,
/// then removes the staging folder of a build that was not committed.
pub fn interrupted() {
    // No file is staged from now on; one being written may still land,
    // so the folder is removed until it is gone.
    INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut staging = lock(&STAGING);
    if let Some(dir) = staging.take() {
        for _ in 0..50 {
            if remove_ours(&dir).is_ok() || std::fs::symlink_metadata(&dir).is_err() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

/// Set by [`interrupted`]: [`Output::put`] stages nothing more.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Removes a folder of gazette's, its manifest last: a build killed while
/// removing it leaves a folder the next build still knows as its own.
fn remove_ours(dir: &Path) -> Result<()> {
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_name() != MANIFEST)
        .collect();
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(&entry.path())
        } else {
            fs::remove_file(&entry.path())
        }
    })?;
    fs::remove_dir_all(dir)
}

/// The folders beside the output folder `dir` that a build uses, hidden
/// and named after it: `.public.gazette-staging`, `.public.gazette-old`.
fn beside<const N: usize>(dir: &Path, what: [&str; N]) -> [PathBuf; N] {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".to_owned());
    let parent = dir.parent().unwrap_or(Path::new("."));
    what.map(|what| parent.join(format!(".{name}.gazette-{what}")))
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
