//! Watching: file events -> what changed -> what to rebuild.
//!
//! [`plan`] is pure (paths in, [`Plan`] out) so the rules are tested
//! without a watcher. [`Watcher`] feeds it from notify, debounced so that an
//! editor's burst of writes, renames and deletes is one rebuild.

use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use anyhow::{Context as _, Result};
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::config::SOURCE_DIRS;
use crate::content::is_ignored;

/// How long the watcher waits for a burst of events to end.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

/// What a set of changed files asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// `site.yaml` or `outlets.yaml` changed (or this is the first build):
    /// nothing of the last build can be reused.
    pub everything: bool,
    /// A template changed: every page renders again.
    pub templates: bool,
    /// A static file changed.
    pub statics: bool,
    /// Content changed (files of `content/`, relative to the root).
    pub paths: Vec<PathBuf>,
}

impl Plan {
    /// The first build: everything.
    pub fn all() -> Plan {
        Plan {
            everything: true,
            ..Plan::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        !self.everything && !self.templates && !self.statics && self.paths.is_empty()
    }

    /// "content/2026-11-25/tnw.md", "2 files", "templates"...: for the rebuild line.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.everything {
            parts.push("site settings".to_owned());
        }
        if self.templates {
            parts.push("templates".to_owned());
        }
        if self.statics {
            parts.push("static files".to_owned());
        }
        match self.paths.as_slice() {
            [] => {}
            [one] => parts.push(crate::diagnostic::display_path(one)),
            many => parts.push(format!("{} content files", many.len())),
        }
        parts.join(", ")
    }
}

/// What the changed `paths` (absolute, or relative to `root`) ask for.
/// `theme` is the site's theme; `output` the folder the site is written to,
/// whose own changes are ignored.
pub fn plan(root: &Path, theme: &str, output: &Path, paths: &[PathBuf]) -> Plan {
    let mut plan = Plan::default();
    for path in paths {
        let rel = path.strip_prefix(root).unwrap_or(path);
        if path.starts_with(output) || rel.starts_with(output) {
            continue;
        }
        let parts: Vec<&str> = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(part) => part.to_str(),
                _ => None,
            })
            .collect();
        // Swap, backup and hidden files: editors make them all the time.
        if parts.iter().any(|part| is_ignored(part)) {
            continue;
        }
        match parts.as_slice() {
            ["content", "site.yaml" | "outlets.yaml"] => plan.everything = true,
            ["content", ..] if !plan.paths.iter().any(|p| p == rel) => {
                plan.paths.push(rel.to_path_buf());
            }
            ["content", ..] => {}
            ["templates", ..] => plan.templates = true,
            ["themes", name, "templates", ..] if *name == theme => plan.templates = true,
            ["static", ..] => plan.statics = true,
            // The fonts of social cards: every card is drawn again.
            ["fonts", ..] => plan.everything = true,
            ["themes", name, "fonts", ..] if *name == theme => plan.everything = true,
            ["themes", name, "static", ..] if *name == theme => plan.statics = true,
            _ => {}
        }
    }
    plan
}

/// A watch on the site's sources, set up before the first build so that no
/// save is missed between building and watching.
pub struct Watcher {
    debouncer: notify_debouncer_full::Debouncer<
        notify_debouncer_full::notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
    events: mpsc::Receiver<DebounceEventResult>,
    /// Set when a change arrives that plans a rebuild: a rebuild under way
    /// may then give up its files made from the whole site.
    newer: Arc<AtomicBool>,
    root: PathBuf,
    theme: String,
    output: PathBuf,
    watched: Vec<PathBuf>,
}

impl Watcher {
    /// Starts watching `root`'s `content/`, `templates/`, `static/`,
    /// `themes/` and `fonts/`, and the root itself (for those folders appearing later).
    pub fn new(root: &Path, theme: &str, output: &Path) -> Result<Watcher> {
        let (tx, events) = mpsc::channel::<DebounceEventResult>();
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let output = output.canonicalize().unwrap_or_else(|_| root.join(output));
        let newer = Arc::new(AtomicBool::new(false));
        let handler = {
            let (root, theme, output, newer) = (
                root.clone(),
                theme.to_owned(),
                output.clone(),
                newer.clone(),
            );
            move |result: DebounceEventResult| {
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
            theme: theme.to_owned(),
            output,
            watched: Vec::new(),
        };
        watcher.watch_new_folders()?;
        Ok(watcher)
    }

    /// Watches the source folders not watched yet; returns them.
    fn watch_new_folders(&mut self) -> Result<Vec<PathBuf>> {
        let mut added = Vec::new();
        for dir in SOURCE_DIRS {
            let dir = self.root.join(dir);
            if dir.is_dir() && !self.watched.contains(&dir) {
                self.debouncer
                    .watch(&dir, RecursiveMode::Recursive)
                    .with_context(|| format!("cannot watch `{}`", dir.display()))?;
                self.watched.push(dir.clone());
                added.push(dir);
            }
        }
        Ok(added)
    }

    /// Calls `rebuild` with each plan until it returns `false`, and with
    /// what says whether a change has come since that plan was made.
    pub fn run(
        mut self,
        mut rebuild: impl FnMut(Plan, &(dyn Fn() -> bool + Sync)) -> bool,
    ) -> Result<()> {
        while let Ok(events) = self.events.recv() {
            let Ok(events) = events else { continue };
            // What is newer than this is what arrives from now on.
            self.newer.store(false, Ordering::SeqCst);
            let mut paths = changed(&events);
            // A folder that appears whole (`static/` made, or moved in) counts as changed.
            paths.extend(self.watch_new_folders()?);
            let plan = plan(&self.root, &self.theme, &self.output, &paths);
            let flag = &self.newer;
            let newer = || flag.load(Ordering::SeqCst);
            if !plan.is_empty() && !rebuild(plan, &newer) {
                break;
            }
        }
        Ok(())
    }
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

    fn plan_of(paths: &[&str]) -> Plan {
        let paths: Vec<PathBuf> = paths.iter().map(|p| Path::new("/site").join(p)).collect();
        plan(
            Path::new("/site"),
            "default",
            Path::new("/site/public"),
            &paths,
        )
    }

    // An entry edit asks for that file; settings ask for everything.
    #[test]
    fn content_and_settings() {
        assert_eq!(
            plan_of(&["content/2026-11-25/tnw.md"]).paths,
            [PathBuf::from("content/2026-11-25/tnw.md")]
        );
        assert!(plan_of(&["content/site.yaml"]).everything);
        assert!(plan_of(&["content/outlets.yaml"]).everything);
        // A new or renamed issue folder is content too.
        assert_eq!(plan_of(&["content/2026-11-26"]).paths.len(), 1);
    }

    // Templates and static files, of the site or of its theme only.
    #[test]
    fn templates_and_statics() {
        assert!(plan_of(&["templates/issue.html"]).templates);
        assert!(plan_of(&["themes/default/templates/partials/card.html"]).templates);
        assert!(plan_of(&["themes/other/templates/issue.html"]).is_empty());
        assert!(plan_of(&["static/style.css"]).statics);
        assert!(plan_of(&["themes/default/static/style.css"]).statics);
        // The fonts of social cards: every card again.
        assert!(plan_of(&["fonts/NotoSansCJK.otf"]).everything);
        assert!(plan_of(&["themes/default/fonts/DejaVuSans.ttf"]).everything);
        assert!(plan_of(&["themes/other/fonts/x.ttf"]).is_empty());
    }

    // Editor leftovers, the output folder and unrelated files ask for nothing.
    #[test]
    fn noise_is_ignored() {
        let plan = plan_of(&[
            "content/2026-11-25/.tnw.md.swp",
            "content/2026-11-25/tnw.md~",
            "content/2026-11-25/#tnw.md#",
            "content/.git/index",
            "public/index.html",
            "README.md",
            "themes/default/theme.yaml",
        ]);
        assert!(plan.is_empty(), "{plan:?}");
    }

    // A burst of events on one file (an atomic save: write temp, rename)
    // is one path in the plan.
    #[test]
    fn bursts_coalesce() {
        let plan = plan_of(&[
            "content/2026-11-25/tnw.md.tmp",
            "content/2026-11-25/tnw.md",
            "content/2026-11-25/tnw.md",
        ]);
        assert_eq!(plan.paths, [PathBuf::from("content/2026-11-25/tnw.md")]);
        assert_eq!(plan.describe(), "content/2026-11-25/tnw.md");
    }
}
