//! Whether anything a build reads changed since the last build into the
//! same folder: a fingerprint of the inputs, kept in the user's cache
//! folder (`$XDG_CACHE_HOME/gazette`, else `~/.cache/gazette`), never in
//! the output, which stays byte for byte what the inputs make.
//!
//! Takes the config and the command's options and returns the
//! fingerprint; [`record`] keeps it with what the build made, and
//! [`unchanged`] gives the last build's figures back when nothing changed.
//! The fingerprint covers every file of the folders a build reads
//! ([`SOURCE_DIRS`]: `content/`, `templates/`, `static/`, `themes/`,
//! `fonts/`) by path, size and modification time, the settings of the
//! command, the day (which decides what is scheduled) and the gazette
//! binary itself (the build adds the record of published URLs); a file
//! missing from the output folder makes it stale, and any other writer of
//! the folder (`build --watch`) forgets it.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::manifest::read_manifest;
use crate::config::{Config, Options, SOURCE_DIRS};

/// The record's start.
const PREFIX: &str = "inputs: ";

/// What the last build made, recorded beside the fingerprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Made {
    pub pages: usize,
    pub files: usize,
    pub scheduled: usize,
    pub drafts: usize,
    pub warnings: usize,
}

/// A fingerprint of everything a build of `config` reads.
pub fn fingerprint(config: &Config, options: &Options) -> String {
    let mut hasher = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    // A rebuilt binary of the same version may render differently.
    if let Ok(meta) = std::env::current_exe().and_then(std::fs::metadata) {
        stamp(&meta).hash(&mut hasher);
    }
    (
        options.drafts,
        options.future,
        &options.base_url,
        &options.origin,
    )
        .hash(&mut hasher);
    (config.today, &config.output).hash(&mut hasher);
    for dir in SOURCE_DIRS {
        let walk = WalkDir::new(config.root.join(dir))
            .follow_links(true)
            .sort_by(crate::fs::by_name);
        for entry in walk.into_iter().filter_map(Result::ok) {
            let rel = entry
                .path()
                .strip_prefix(&config.root)
                .unwrap_or(entry.path());
            rel.hash(&mut hasher);
            if let Ok(meta) = entry.metadata() {
                stamp(&meta).hash(&mut hasher);
            }
        }
    }
    format!("{:016x}", hasher.finish())
}

/// Size and modification time to the nanosecond.
fn stamp(meta: &std::fs::Metadata) -> (u64, u128, bool) {
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    (meta.len(), modified, meta.is_dir())
}

/// Where the record of the output folder `dir` is kept; `None` without a
/// cache folder (no `XDG_CACHE_HOME` or `HOME`): every build is then full.
fn record_path(dir: &Path) -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    let dir = dir.canonicalize().ok()?;
    let mut hasher = DefaultHasher::new();
    dir.hash(&mut hasher);
    Some(
        cache
            .join("gazette")
            .join(format!("{:016x}", hasher.finish())),
    )
}

/// Keeps, for the output folder `dir`, that a build of inputs with
/// `fingerprint` made `made`. A record that cannot be written costs the next
/// build its shortcut, nothing else.
pub fn record(dir: &Path, fingerprint: &str, made: Made) {
    let Some(path) = record_path(dir) else {
        return;
    };
    let text = format!(
        "{PREFIX}{fingerprint} pages={} files={} scheduled={} drafts={} warnings={}\n",
        made.pages, made.files, made.scheduled, made.drafts, made.warnings
    );
    if let Some(parent) = path.parent()
        && std::fs::create_dir_all(parent).is_ok()
    {
        let _ = std::fs::write(path, text);
    }
}

/// Forgets what the last build into `dir` read: the folder is being changed.
pub fn forget(dir: &Path) {
    if let Some(path) = record_path(dir) {
        let _ = std::fs::remove_file(path);
    }
}

/// What the last build into `dir` made, when its inputs had `fingerprint`
/// and every file it listed is still there, untouched since; `None` when a
/// build is needed.
pub fn unchanged(dir: &Path, fingerprint: &str) -> Option<Made> {
    let path = record_path(dir)?;
    // Written after the last output: a file changed since is newer.
    let recorded = std::fs::metadata(&path).and_then(|m| m.modified()).ok()?;
    let text = std::fs::read_to_string(path).ok()?;
    let rest = text.lines().find_map(|l| l.strip_prefix(PREFIX))?;
    let mut words = rest.split(' ');
    if words.next()? != fingerprint {
        return None;
    }
    let mut made = Made::default();
    for word in words {
        let (key, value) = word.split_once('=')?;
        let value: usize = value.parse().ok()?;
        match key {
            "pages" => made.pages = value,
            "files" => made.files = value,
            "scheduled" => made.scheduled = value,
            "drafts" => made.drafts = value,
            "warnings" => made.warnings = value,
            _ => return None,
        }
    }
    let listed = read_manifest(dir).ok()?;
    // Fifteen thousand `stat`s at 10,000 entries: on every core. A file
    // edited or replaced in the output since (by hand, by a tool) makes the
    // build write it again, as Hugo's and Zola's builds would.
    listed
        .par_iter()
        .all(|rel| intact(&dir.join(rel), recorded))
        .then_some(made)
}

/// Whether the file at `path` is still as a build that ended at `since`
/// left it: there, a file, and not modified since.
pub(crate) fn intact(path: &Path, since: SystemTime) -> bool {
    std::fs::symlink_metadata(path)
        .is_ok_and(|m| m.is_file() && m.modified().is_ok_and(|modified| modified <= since))
}

/// The files of `files` (output paths under `dir`) that are no longer as
/// written before `since`: removed, or changed by hand. A `stat` each, on
/// every core.
pub fn touched_since<'a, V: Sync>(
    dir: &Path,
    files: &'a BTreeMap<String, V>,
    since: SystemTime,
) -> Vec<(&'a String, &'a V)> {
    files
        .par_iter()
        .filter(|(path, _)| !intact(&dir.join(path), since))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // The fingerprint is the same while nothing changes, and changes with
    // any file of any depth: edited, added, or moved to another folder with
    // its name, size and time.
    #[test]
    fn any_file_at_any_depth_changes_the_fingerprint() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        };
        write(
            crate::config::SITE_FILE,
            "title: T\nbase_url: https://a.example/\n",
        );
        write("content/2026-11-25/a.md", "a\n");
        write("content/2026-11-26/b.md", "b\n");
        write("themes/default/templates/base.html", "x\n");
        let options = Options {
            root: root.to_path_buf(),
            ..Options::default()
        };
        let print = || {
            let (config, _) = Config::load(&options).expect("a config");
            fingerprint(&config, &options)
        };
        let first = print();
        assert_eq!(print(), first, "nothing changed");

        write("themes/default/templates/base.html", "xy\n");
        let edited = print();
        assert_ne!(edited, first, "a file three folders down");

        write("content/note.txt", "n\n");
        let added = print();
        assert_ne!(added, edited, "a file at the top");

        let moved = root.join("content/2026-11-26/a.md");
        std::fs::rename(root.join("content/2026-11-25/a.md"), &moved).expect("move");
        assert_ne!(print(), added, "a file moved to the next day's folder");
    }
}
