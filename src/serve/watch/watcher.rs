//! The watch that feeds [`plan`](super::plan): notify's events on the
//! site's source folders ([`SOURCE_DIRS`]), debounced, to plans to rebuild.
//!
//! A watch follows the folder it was set on, not its name (inotify watches
//! inodes; Windows holds a handle): once `content/` is removed and made
//! again, or replaced by a rename (a restore, a sync, `git checkout`), its
//! old watch sees nothing. So the root is watched too, without its
//! subfolders, and a source folder that an event names whole is watched
//! afresh before the rebuild reads it. Watching the whole root instead
//! would put a watch on every folder of the output (11,000 at 10,000
//! entries) and of `.git`, against inotify's limit. A folder the system
//! will not watch is a warning, never silence.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use anyhow::{Context as _, Result};
use notify_debouncer_full::notify::{self, EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use super::{Plan, plan};
use crate::config::SOURCE_DIRS;
use crate::diagnostic::{Diagnostic, display_path};

/// How long the watcher waits for a burst of events to end.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// What [`Watcher::run`] hands its caller.
pub enum Seen<'a> {
    /// Files changed: rebuild what the plan asks for. The function says
    /// whether another change has come since the plan was made.
    Changes(Plan, &'a (dyn Fn() -> bool + Sync)),
    /// A folder could not be watched (again): its changes go unseen, and
    /// the warning says so.
    Unwatched(Diagnostic),
}

/// A watch on the site's sources, set up before the first build so that no
/// save is missed between building and watching.
pub struct Watcher {
    debouncer: notify_debouncer_full::Debouncer<
        notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
    events: mpsc::Receiver<DebounceEventResult>,
    /// Set when a change arrives that plans a rebuild: a rebuild under way
    /// may then give up its files made from the whole site.
    newer: Arc<AtomicBool>,
    root: PathBuf,
    /// The site's theme, read again when `site.yaml` changes: a switch of
    /// theme moves the watch's interest to the new theme's folder.
    theme: Arc<std::sync::Mutex<String>>,
    output: PathBuf,
    /// The source folders watched now (in part, when the system refused
    /// a watch inside), absolute.
    watched: Vec<PathBuf>,
}

impl Watcher {
    /// Starts watching `root`'s source folders ([`SOURCE_DIRS`]), and the
    /// root itself (for those folders appearing, going or being replaced).
    pub fn new(root: &Path, theme: &str, output: &Path) -> Result<Watcher> {
        let (tx, events) = mpsc::channel::<DebounceEventResult>();
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let output = output.canonicalize().unwrap_or_else(|_| root.join(output));
        let newer = Arc::new(AtomicBool::new(false));
        let theme = Arc::new(std::sync::Mutex::new(theme.to_owned()));
        let handler = {
            let (root, theme, output, newer) =
                (root.clone(), theme.clone(), output.clone(), newer.clone());
            move |result: DebounceEventResult| {
                let theme = theme.lock().map(|t| t.clone()).unwrap_or_default();
                if let Ok(events) = &result
                    && !plan(&root, &theme, &output, &changed(events)).is_empty()
                {
                    newer.store(true, Ordering::SeqCst);
                }
                // The receiver is gone only when the watcher is.
                let _ = tx.send(result);
            }
        };
        let mut debouncer =
            new_debouncer(DEBOUNCE, None, handler).context("cannot start the file watcher")?;
        debouncer
            .watch(&root, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch `{}`", root.display()))?;
        let mut watcher = Watcher {
            debouncer,
            events,
            newer,
            root,
            theme,
            output,
            watched: Vec::new(),
        };
        for dir in watcher.unwatched() {
            watcher
                .rewatch(&dir)
                .with_context(|| format!("cannot watch `{}`", dir.display()))?;
        }
        Ok(watcher)
    }

    /// The source folders that are there but not watched: new ones, and
    /// those that went while they were being watched.
    fn unwatched(&self) -> Vec<PathBuf> {
        (SOURCE_DIRS.iter())
            .map(|dir| self.root.join(dir))
            .filter(|dir| dir.is_dir() && !self.watched.contains(dir))
            .collect()
    }

    /// Watches the source folder `dir` (absolute) afresh, if it is there:
    /// the old watch went with the folder it was set on, or stayed on it
    /// (renamed away), and either way is dropped.
    fn rewatch(&mut self, dir: &Path) -> notify::Result<()> {
        // Most often already dropped with its folder: nothing to undo.
        let _ = self.debouncer.unwatch(dir);
        self.watched.retain(|watched| watched != dir);
        match self.debouncer.watch(dir, RecursiveMode::Recursive) {
            Ok(()) => self.watched.push(dir.to_path_buf()),
            // It, or a folder in it, went while it was being watched: tried
            // again at the next change, or when an event names it again.
            Err(e) if matches!(e.kind, notify::ErrorKind::PathNotFound) => {}
            // Watched in part: tried again when an event names it, not at
            // every change with the same warning.
            Err(e) => {
                self.watched.push(dir.to_path_buf());
                return Err(e);
            }
        }
        Ok(())
    }

    /// Calls `seen` with each plan until it returns `false`, and with each
    /// folder that could not be watched.
    pub fn run(mut self, mut seen: impl FnMut(Seen<'_>) -> bool) -> Result<()> {
        while let Ok(first) = self.events.recv() {
            // What came while the last rebuild ran is one change with
            // this: a `git checkout` or a `sed -i` over 300 files, which
            // arrives in many bursts, is then a few rebuilds, not thirty.
            let waiting = std::iter::from_fn(|| self.events.try_recv().ok());
            let mut events = Vec::new();
            for batch in std::iter::once(first).chain(waiting) {
                match batch {
                    Ok(batch) => events.extend(batch),
                    // A watch the system refused (over its limit of watched
                    // folders, for a folder made inside a watched one).
                    Err(errors) => {
                        for error in errors {
                            let path = error.paths.first().unwrap_or(&self.root);
                            if !seen(Seen::Unwatched(unwatched(&self.root, path, &error))) {
                                return Ok(());
                            }
                        }
                    }
                }
            }
            if events.is_empty() {
                continue;
            }
            // What is newer than this is what arrives from now on.
            self.newer.store(false, Ordering::SeqCst);
            let mut paths = changed(&events);
            if events.iter().any(|e| e.need_rescan()) {
                // The system dropped events: any folder may have changed,
                // and a folder made meanwhile may have no watch.
                paths.extend(SOURCE_DIRS.iter().map(|dir| self.root.join(dir)));
            }
            // A folder that appears whole (`static/` made, or moved in), or
            // one that went while it was being watched, counts as changed.
            // Not on reads alone: those are our own rebuild's.
            if !paths.is_empty() {
                paths.extend(self.unwatched());
            }
            let settings = self.root.join(crate::config::SITE_FILE);
            if paths.contains(&settings) {
                let options = crate::config::Options {
                    root: self.root.clone(),
                    ..Default::default()
                };
                if let (Ok((config, _)), Ok(mut theme)) =
                    (crate::config::Config::load(&options), self.theme.lock())
                {
                    *theme = config.theme;
                }
            }
            let theme = self.theme.lock().map(|t| t.clone()).unwrap_or_default();
            let plan = plan(&self.root, &theme, &self.output, &paths);
            // Watched before the rebuild reads them: a file written in
            // between is read by the rebuild or seen by the new watch.
            // (A theme's folder is inside the watch of `themes/`, which
            // watches a folder made in it at once.)
            for folder in plan.folders.iter().filter(|folder| is_source(folder)) {
                let dir = self.root.join(folder);
                if let Err(error) = self.rewatch(&dir)
                    && !seen(Seen::Unwatched(unwatched(&self.root, &dir, &error)))
                {
                    return Ok(());
                }
            }
            let flag = &self.newer;
            let newer = || flag.load(Ordering::SeqCst);
            if !plan.is_empty() && !seen(Seen::Changes(plan, &newer)) {
                break;
            }
        }
        Ok(())
    }
}

/// Whether `folder` (relative to the root) is one of [`SOURCE_DIRS`].
fn is_source(folder: &Path) -> bool {
    (folder.to_str()).is_some_and(|folder| SOURCE_DIRS.contains(&folder))
}

/// The warning that `path` (absolute) is not watched, and why.
fn unwatched(root: &Path, path: &Path, error: &notify::Error) -> Diagnostic {
    let rel = |path: &Path| display_path(path.strip_prefix(root).unwrap_or(path));
    // Not notify's own text, which ends with a debug list of the paths.
    let why = match &error.kind {
        notify::ErrorKind::MaxFilesWatch => {
            "the system's limit of watched folders is reached".to_owned()
        }
        notify::ErrorKind::Io(e) => e.to_string(),
        notify::ErrorKind::Generic(text) => text.clone(),
        _ => "the system's watch on it failed".to_owned(),
    };
    // The folder inside it that the system refused to watch.
    let why = match error.paths.first() {
        Some(inside) if inside != path => format!("`{}`: {why}", rel(inside)),
        _ => why,
    };
    let help = match &error.kind {
        notify::ErrorKind::MaxFilesWatch => {
            "raise it (on Linux, `sudo sysctl fs.inotify.max_user_watches=524288`), then start gazette again"
        }
        _ => "fix that, then start gazette again",
    };
    Diagnostic::warning(format!(
        "`{}` is not watched: {why}; changes to it are not seen",
        rel(path)
    ))
    .help(help)
}

/// The paths of `events` that changed. Reads are events too (our own
/// rebuild reads files): only changes count.
fn changed(events: &[notify_debouncer_full::DebouncedEvent]) -> Vec<PathBuf> {
    (events.iter())
        .filter(|e| !matches!(e.kind, EventKind::Access(_)))
        .flat_map(|e| e.event.paths.iter().cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Only the source folders themselves are watched afresh: a theme's
    // folder is inside the watch of `themes/`.
    #[test]
    fn source_folders() {
        for folder in SOURCE_DIRS {
            assert!(is_source(Path::new(folder)), "{folder}");
        }
        assert!(!is_source(Path::new("themes/default")));
        assert!(!is_source(Path::new("content.old")));
    }

    // Saves that come while a rebuild runs (a `git checkout`, a `sed -i`
    // over many files, in many bursts) are one plan for the next rebuild,
    // not one rebuild each.
    #[test]
    fn saves_during_a_rebuild_are_one_plan() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let root = dir.path().canonicalize().expect("canonical");
        std::fs::create_dir_all(root.join("content/2026-11-25")).expect("mkdir");
        std::fs::create_dir_all(root.join("public")).expect("mkdir");
        let watcher = Watcher::new(&root, "default", &root.join("public")).expect("a watch");
        let writer = {
            let root = root.clone();
            std::thread::spawn(move || {
                for n in 0..12 {
                    let file = root.join(format!("content/2026-11-25/e{n}.md"));
                    std::fs::write(file, "x\n").expect("write");
                    std::thread::sleep(Duration::from_millis(40));
                }
            })
        };
        let mut plans: Vec<usize> = Vec::new();
        let mut seen_files = 0;
        let _ = watcher.run(|seen| {
            if let Seen::Changes(plan, _) = seen {
                plans.push(plan.paths.len());
                seen_files += plan.paths.len();
                // A rebuild as slow as the whole burst.
                if plans.len() == 1 {
                    std::thread::sleep(Duration::from_millis(700));
                }
            }
            seen_files < 12
        });
        writer.join().expect("the writer");
        assert!(plans.len() <= 3, "one rebuild a burst: {plans:?}");
    }

    // A folder that cannot be watched is a warning naming it, where inside
    // it the watch failed, and what to do.
    #[test]
    fn an_unwatched_folder_says_so() {
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let error = notify::Error::io(denied).add_path(PathBuf::from("/site/content/locked"));
        let warning = unwatched(Path::new("/site"), Path::new("/site/content"), &error);
        assert_eq!(
            warning.message,
            "`content` is not watched: `content/locked`: permission denied; changes to it are not seen"
        );
        let error = notify::Error::new(notify::ErrorKind::MaxFilesWatch);
        let warning = unwatched(Path::new("/site"), Path::new("/site/content"), &error);
        assert_eq!(
            warning.render(),
            "warning: `content` is not watched: the system's limit of watched folders is reached; changes to it are not seen\n \
             = help: raise it (on Linux, `sudo sysctl fs.inotify.max_user_watches=524288`), then start gazette again\n"
        );
    }
}
