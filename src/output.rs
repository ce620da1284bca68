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

use crate::config::Config;
use crate::diagnostic::{Diagnostic, display_path};
use crate::fs;

/// The file, inside an output folder, that lists what gazette wrote there.
pub const MANIFEST: &str = ".gazette-manifest";

const MANIFEST_HEADER: &str = "# Written by gazette: the files it made in this folder, one a line.\n# gazette removes only files listed here; anything else is left alone.\n";

/// A build's output in progress.
pub struct Output {
    dir: PathBuf,
    staging: PathBuf,
    /// The files the manifest says gazette wrote, relative to `dir`.
    owned: BTreeSet<String>,
    /// Files written to the staging folder, relative to it.
    staged: Mutex<Vec<String>>,
    /// Staged files whose place in `dir` holds something gazette did not write.
    blocked: Mutex<Vec<String>>,
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
        let owned = match read_manifest(dir) {
            Ok(owned) => owned,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_owned());
        let parent = dir.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        let staging = parent.join(format!(".{name}.gazette-staging"));
        if std::fs::symlink_metadata(&staging).is_ok() {
            // Left by a build that was killed: ours only if it says so.
            if !staging.join(MANIFEST).is_file() || staging.is_symlink() {
                return Ok(Err(refuse(
                    &staging,
                    "it is in the way of the build's staging folder and gazette did not make it",
                    "move or delete it",
                )));
            }
            fs::remove_dir_all(&staging)?;
        }
        fs::create_dir_all(&staging)?;
        // Marks the staging folder as ours, should this build be killed.
        fs::write(&staging.join(MANIFEST), MANIFEST_HEADER.as_bytes())?;
        Ok(Ok(Output {
            dir: dir.clone(),
            staging,
            owned,
            staged: Mutex::new(Vec::new()),
            blocked: Mutex::new(Vec::new()),
        }))
    }

    /// Stages `bytes` for `rel` unless the output already holds exactly them.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let target = self.dir.join(rel);
        if fs::same_bytes(&target, bytes) {
            return Ok(());
        }
        // A folder in the way is judged at commit, by what it holds.
        let taken = std::fs::symlink_metadata(&target).is_ok_and(|m| !m.is_dir());
        if taken && !self.owned.contains(rel) {
            lock(&self.blocked).push(rel.to_owned());
            return Ok(());
        }
        let path = self.staging.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, bytes)?;
        lock(&self.staged).push(rel.to_owned());
        Ok(())
    }

    /// Drops everything staged; the output folder is untouched.
    pub fn abort(self) -> Result<()> {
        fs::remove_dir_all(&self.staging)
    }

    /// Moves the staged files in, removes the files of the last build that
    /// are not in `keep`, and records `keep` as gazette's. `Err` of the inner
    /// result: a page would replace a file gazette did not write; nothing
    /// was changed.
    pub fn commit<'a>(
        self,
        keep: impl IntoIterator<Item = &'a str>,
    ) -> Result<Result<Changes, Vec<Diagnostic>>> {
        let keep: BTreeSet<&str> = keep.into_iter().collect();
        let mut staged = std::mem::take(&mut *lock(&self.staged));
        // Sorted, so the output changes in the same order on every run.
        staged.sort_unstable();
        let mut blocked = std::mem::take(&mut *lock(&self.blocked));
        // A folder the site needs where the user keeps a file, or the reverse.
        blocked.extend(staged.iter().filter(|rel| self.in_the_way(rel)).cloned());
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
            self.abort()?;
            return Ok(Err(refusals));
        }
        let manifest = manifest_text(&keep);
        fs::write(&self.staging.join(MANIFEST), manifest.as_bytes())?;
        let written = staged.len();
        if !self.dir.exists() {
            fs::rename(&self.staging, &self.dir)?;
            return Ok(Ok(Changes {
                written,
                removed: 0,
            }));
        }
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
        fs::remove_dir_all(&self.staging)?;
        Ok(Ok(Changes { written, removed }))
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

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn manifest_text(keep: &BTreeSet<&str>) -> String {
    let mut text = String::with_capacity(MANIFEST_HEADER.len() + keep.len() * 40);
    text.push_str(MANIFEST_HEADER);
    for rel in keep {
        text.push_str(rel);
        text.push('\n');
    }
    text
}

/// The files the manifest of `dir` lists: none for a new or empty folder;
/// refused for a folder with files but no manifest.
fn read_manifest(dir: &Path) -> Result<BTreeSet<String>, Diagnostic> {
    let path = dir.join(MANIFEST);
    match std::fs::symlink_metadata(&path) {
        Ok(meta) if meta.is_file() => {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                refuse(
                    dir,
                    &format!("its manifest `{MANIFEST}` cannot be read ({e})"),
                    "delete the folder, or choose another with `--output`",
                )
            })?;
            Ok(text
                .lines()
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                // A hand-edited `../x` must not reach outside the folder.
                .filter(|l| !l.split('/').any(|p| p == ".." || p.is_empty()))
                .map(str::to_owned)
                .collect())
        }
        Ok(_) => Err(refuse(
            dir,
            &format!("its `{MANIFEST}` is not a file"),
            "choose another folder with `--output`",
        )),
        Err(_) => {
            let empty = match std::fs::read_dir(dir) {
                Ok(mut entries) => entries.next().is_none(),
                // Not there yet: the build makes it.
                Err(_) => true,
            };
            if empty {
                Ok(BTreeSet::new())
            } else {
                Err(refuse(
                    dir,
                    "it is not empty, and gazette did not make it",
                    "choose a new or empty folder with `--output`; if it holds an earlier gazette build, delete it and build again",
                ))
            }
        }
    }
}

/// The refusal of `dir` as output: why, and what to do.
fn refuse(dir: &Path, why: &str, help: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "refusing to write the site to `{}`: {why}",
        display_path(dir)
    ))
    .help(help.to_owned())
}

/// Refuses output folders whose cleaning could delete the user's work.
fn check_target(dir: &Path, root: &Path) -> Result<(), Diagnostic> {
    const HELP: &str = "build into a folder of its own, such as `public/` (the default)";
    if dir.is_symlink() {
        return Err(refuse(
            dir,
            "it is a symbolic link, and gazette writes only folders it made",
            HELP,
        ));
    }
    if dir.exists() && !dir.is_dir() {
        return Err(refuse(dir, "it is a file", HELP));
    }
    let dir_abs = absolute(dir);
    let root_abs = absolute(root);
    if dir_abs.parent().is_none() {
        return Err(refuse(dir, "it is the root of the file system", HELP));
    }
    if std::env::var_os("HOME").is_some_and(|home| absolute(Path::new(&home)) == dir_abs) {
        return Err(refuse(dir, "it is your home folder", HELP));
    }
    if root_abs.starts_with(&dir_abs) {
        return Err(refuse(dir, "it holds the site itself", HELP));
    }
    if dir_abs.components().any(|c| c.as_os_str() == ".git") {
        return Err(refuse(dir, "it is inside a `.git` folder", HELP));
    }
    if dir_abs.join(".git").exists() {
        return Err(refuse(dir, "it holds a `.git` repository", HELP));
    }
    if dir_abs.join("content").join("site.yaml").exists() {
        return Err(refuse(dir, "it holds a site (`content/site.yaml`)", HELP));
    }
    for own in ["content", "themes", "templates", "static", ".git"] {
        let own_abs = root_abs.join(own);
        let own = format!("`{own}/`");
        if dir_abs == own_abs {
            return Err(refuse(dir, &format!("it is the site's {own}"), HELP));
        }
        if dir_abs.starts_with(&own_abs) {
            return Err(refuse(dir, &format!("it is inside the site's {own}"), HELP));
        }
        if own_abs.starts_with(&dir_abs) {
            return Err(refuse(dir, &format!("it holds the site's {own}"), HELP));
        }
    }
    Ok(())
}

/// `p` made absolute with what exists of it resolved, so `./public/..`
/// and symlinked parents compare as they really are.
fn absolute(p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut existing = p.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_owned()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    resolved.extend(rest.into_iter().rev());
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    // The site root, its own folders and any folder holding content/ are refused.
    #[test]
    fn refuses_dangerous_targets() {
        let site = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(site.path().join("content/2026-11-25")).expect("mkdir");
        std::fs::create_dir_all(site.path().join("themes/default")).expect("mkdir");
        assert!(check_target(site.path(), site.path()).is_err());
        assert!(check_target(site.path().parent().expect("parent"), site.path()).is_err());
        for inside in [
            "content",
            "content/2026-11-25",
            "themes",
            "themes/default/x",
            "static",
            ".git/x",
        ] {
            assert!(
                check_target(&site.path().join(inside), site.path()).is_err(),
                "{inside}"
            );
        }
        assert!(check_target(&site.path().join("public"), site.path()).is_ok());
        assert!(check_target(&site.path().join("public/nested"), site.path()).is_ok());
    }
}
