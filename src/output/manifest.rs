//! The manifest: the list, kept in the output folder, of the files gazette
//! wrote there. What marks a folder as gazette's, and the only files a
//! build may remove. A preview build (drafts, scheduled issues, another
//! base URL) says so in it, with the flags that made it one, so that
//! `gazette deploy` does not publish it.

use std::collections::BTreeSet;
use std::path::Path;

use super::refuse;
use crate::diagnostic::Diagnostic;

/// The file, inside an output folder, that lists what gazette wrote there.
pub const MANIFEST: &str = ".gazette-manifest";

pub(super) const MANIFEST_HEADER: &str = "# Written by gazette: the files it made in this folder, one a line.\n# gazette removes only files listed here; anything else is left alone.\n";

/// The line, one per flag, of a preview build: `# preview: --drafts`.
const PREVIEW: &str = "# preview: ";

/// The manifest of `keep`; `preview` lists the flags that made the build a
/// preview ([`Config::preview`](crate::config::Config::preview)).
pub(super) fn manifest_text(keep: &BTreeSet<&str>, preview: &[String]) -> String {
    let mut text = String::with_capacity(MANIFEST_HEADER.len() + keep.len() * 40);
    text.push_str(MANIFEST_HEADER);
    for flag in preview {
        text.push_str(&format!("{PREVIEW}{flag}\n"));
    }
    for rel in keep {
        text.push_str(rel);
        text.push('\n');
    }
    text
}

/// The flags that made the build in `dir` a preview, as its manifest lists
/// them; none for a build to publish (or no manifest).
pub(crate) fn read_preview(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.strip_prefix(PREVIEW))
        .map(str::to_owned)
        .collect()
}

/// The files the manifest of `dir` lists: none for a new or empty folder;
/// refused for a folder with files but no manifest.
pub(crate) fn read_manifest(dir: &Path) -> Result<BTreeSet<String>, Diagnostic> {
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
