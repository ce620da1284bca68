//! Watching: file events -> what changed -> what to rebuild.
//!
//! [`plan`] is pure (paths in, [`Plan`] out) so the rules are tested
//! without a watcher. [`Watcher`] feeds it from notify, debounced so that an
//! editor's burst of writes, renames and deletes is one rebuild.

mod watcher;

use std::path::{Component, Path, PathBuf};

use crate::config::SOURCE_DIRS;
use crate::content::is_ignored;
use crate::diagnostic::display_path;

pub use watcher::{Seen, Watcher};

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
    /// Source folders that came, went or were replaced whole (`content`,
    /// `themes/default`), relative to the root: what they hold is not
    /// known, so they set `everything` too.
    pub folders: Vec<PathBuf>,
}

impl Plan {
    /// The first build: everything.
    pub fn all() -> Plan {
        Plan {
            everything: true,
            ..Plan::default()
        }
    }

    /// `folder` came, went or was replaced whole.
    fn replaced(&mut self, folder: &Path) {
        self.everything = true;
        if !self.folders.iter().any(|f| f == folder) {
            self.folders.push(folder.to_path_buf());
        }
    }

    pub fn is_empty(&self) -> bool {
        !self.everything && !self.templates && !self.statics && self.paths.is_empty()
    }

    /// "content/2026-11-25/tnw.md", "2 files", "templates"...: for the rebuild line.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.everything && self.folders.is_empty() {
            parts.push("site settings".to_owned());
        }
        for folder in &self.folders {
            parts.push(format!("{}/", display_path(folder)));
        }
        if self.templates {
            parts.push("templates".to_owned());
        }
        if self.statics {
            parts.push("static files".to_owned());
        }
        match self.paths.as_slice() {
            [] => {}
            [one] => parts.push(display_path(one)),
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
            // A folder made, removed or renamed whole: every file in it may
            // be another (a restore, a checkout), and none of them said so.
            [folder] if SOURCE_DIRS.contains(folder) => plan.replaced(rel),
            ["themes", name] if *name == theme => plan.replaced(rel),
            ["content", "site.yaml" | "outlets.yaml"] => plan.everything = true,
            ["content", ..] if !plan.paths.iter().any(|p| p == rel) => {
                plan.paths.push(rel.to_path_buf());
            }
            ["content", ..] => {}
            ["templates", ..] => plan.templates = true,
            ["themes", name, "templates", ..] if *name == theme => plan.templates = true,
            ["static", ..] => plan.statics = true,
            // The fonts of social cards: every card is drawn again. The
            // words of pages: every page, and the titles gazette makes.
            ["fonts" | "i18n", ..] => plan.everything = true,
            ["themes", name, "i18n", ..] if *name == theme => plan.everything = true,
            ["themes", name, "fonts", ..] if *name == theme => plan.everything = true,
            ["themes", name, "static", ..] if *name == theme => plan.statics = true,
            _ => {}
        }
    }
    plan
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
        assert!(plan_of(&["i18n/fr.yaml"]).everything);
        assert!(plan_of(&["themes/default/i18n/fr.yaml"]).everything);
        assert!(!plan_of(&["themes/other/i18n/fr.yaml"]).everything);
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

    // A source folder made, removed or renamed whole (a restore, a sync, a
    // checkout) asks for everything and is named; so is the theme's folder,
    // but not another theme's, nor a folder beside them.
    #[test]
    fn folders_replaced_whole() {
        for folder in ["content", "templates", "static", "themes", "fonts"] {
            let plan = plan_of(&[folder, folder]);
            assert!(plan.everything, "{folder}");
            assert_eq!(plan.folders, [PathBuf::from(folder)]);
            assert_eq!(plan.describe(), format!("{folder}/"));
        }
        assert_eq!(plan_of(&["themes/default"]).describe(), "themes/default/");
        let plan = plan_of(&["themes/other", "content.old", "public", ".git"]);
        assert!(plan.is_empty(), "{plan:?}");
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
