//! The only writer: stage, swap in, skip unchanged bytes, remove stale files.
//!
//! Pages whose bytes differ from what the output folder holds are written to
//! a staging folder beside it; unchanged files are left alone (so their times
//! do not change and a sync to the host uploads only what changed). Only when
//! the whole build succeeded does [`Output::commit`] move the staged files in
//! and remove the files the site no longer makes. A failed build drops the
//! staging folder and leaves the output exactly as it was.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Result, bail};
use walkdir::WalkDir;

use crate::fs;

/// A build's output in progress.
pub struct Output {
    dir: PathBuf,
    staging: PathBuf,
    /// Files written to the staging folder, relative to it.
    staged: Mutex<Vec<String>>,
}

/// What a commit changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Changes {
    pub written: usize,
    pub removed: usize,
}

impl Output {
    /// Checks that `dir` is safe to manage and prepares a staging folder.
    pub fn begin(dir: &Path, root: &Path) -> Result<Output> {
        check_target(dir, root)?;
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_owned());
        let parent = dir.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        let staging = parent.join(format!(".{name}.gazette-staging"));
        if staging.exists() {
            // Left by a build that was killed; it is ours by name.
            fs::remove_dir_all(&staging)?;
        }
        fs::create_dir_all(&staging)?;
        Ok(Output {
            dir: dir.to_path_buf(),
            staging,
            staged: Mutex::new(Vec::new()),
        })
    }

    /// Stages `bytes` for `rel` unless the output already holds exactly them.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if fs::same_bytes(&self.dir.join(rel), bytes) {
            return Ok(());
        }
        let path = self.staging.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, bytes)?;
        self.staged
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(rel.to_owned());
        Ok(())
    }

    /// Drops everything staged; the output folder is untouched.
    pub fn abort(self) -> Result<()> {
        fs::remove_dir_all(&self.staging)
    }

    /// Moves the staged files in and removes every file not in `keep`.
    pub fn commit<'a>(self, keep: impl IntoIterator<Item = &'a str>) -> Result<Changes> {
        let mut staged = self
            .staged
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Sorted, so the output changes in the same order on every run.
        staged.sort_unstable();
        let written = staged.len();
        if !self.dir.exists() {
            fs::rename(&self.staging, &self.dir)?;
            return Ok(Changes {
                written,
                removed: 0,
            });
        }
        for rel in &staged {
            let target = self.dir.join(rel);
            if let Some(parent) = target.parent() {
                clear_non_dirs(&self.dir, parent)?;
                fs::create_dir_all(parent)?;
            }
            if target.is_dir() && !target.is_symlink() {
                fs::remove_dir_all(&target)?;
            }
            fs::rename(&self.staging.join(rel), &target)?;
        }
        let keep: HashSet<&Path> = keep.into_iter().map(Path::new).collect();
        let removed = remove_stale(&self.dir, &keep)?;
        fs::remove_dir_all(&self.staging)?;
        Ok(Changes { written, removed })
    }
}

/// A file (or symlink) where a folder must go, from `dir` down to `folder`.
fn clear_non_dirs(dir: &Path, folder: &Path) -> Result<()> {
    let Ok(rel) = folder.strip_prefix(dir) else {
        return Ok(());
    };
    let mut at = dir.to_path_buf();
    for part in rel.components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if !meta.is_dir() => fs::remove_file(&at)?,
            _ => {}
        }
    }
    Ok(())
}

/// Removes files under `dir` that are not in `keep`, then emptied folders.
///
/// Symlinks are removed as links, never followed: nothing outside `dir` is touched.
fn remove_stale(dir: &Path, keep: &HashSet<&Path>) -> Result<usize> {
    let mut removed = 0;
    let mut folders = Vec::new();
    for entry in WalkDir::new(dir).min_depth(1).follow_links(false) {
        let entry = entry?;
        let rel = entry.path().strip_prefix(dir)?;
        if entry.file_type().is_dir() {
            folders.push(entry.path().to_path_buf());
        } else if !keep.contains(rel) {
            fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    // Deepest first, so a folder is empty once its children are gone.
    folders.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
    for folder in folders {
        // Fails, harmlessly, when the folder still holds something.
        let _ = std::fs::remove_dir(&folder);
    }
    Ok(removed)
}

/// Refuses output folders whose cleaning could delete the user's work.
fn check_target(dir: &Path, root: &Path) -> Result<()> {
    let absolute = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Resolve what exists, so `./public/..` and symlinks compare as they are.
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
    };
    let dir_abs = absolute(dir);
    let root_abs = absolute(root);
    if dir_abs.parent().is_none() {
        bail!(
            "refusing to write the site to `{}`: it is the root of the file system",
            dir.display()
        );
    }
    if root_abs.starts_with(&dir_abs) {
        bail!(
            "refusing to write the site to `{}`: it holds the site itself, and building clears the output folder; use a folder of its own such as `public/`",
            dir.display()
        );
    }
    if dir_abs.join("content").exists() || dir_abs.join("site.yaml").exists() {
        bail!(
            "refusing to write the site to `{}`: it holds a `content` folder or `site.yaml`, and building clears the output folder; use a folder of its own such as `public/`",
            dir.display()
        );
    }
    if std::env::var_os("HOME").is_some_and(|home| absolute(Path::new(&home)) == dir_abs) {
        bail!("refusing to write the site to your home folder: building clears the output folder");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // The site root and any folder holding content/ are refused as output.
    #[test]
    fn refuses_dangerous_targets() {
        let site = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(site.path().join("content")).expect("mkdir");
        assert!(check_target(site.path(), site.path()).is_err());
        assert!(check_target(site.path().parent().expect("parent"), site.path()).is_err());
        assert!(check_target(&site.path().join("public"), site.path()).is_ok());
    }
}
