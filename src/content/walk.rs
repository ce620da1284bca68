//! The walk of `content/`: which files there are and what each is, with a
//! diagnostic for each file or folder out of place. Nothing is read here.

use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDate;
use walkdir::WalkDir;

use super::{
    Asset, Role, fs_display, is_ignored, is_markdown, issue_folder, looks_like_date, path_is_file,
};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Location};
use crate::fs::{self, Refused};

/// What a walk of `content/` found, before reading any file.
#[derive(Clone, Default)]
pub(super) struct Listing {
    pub(super) files: Vec<(walkdir::DirEntry, PathBuf, Role)>,
    pub(super) dates: Vec<(NaiveDate, PathBuf)>,
    pub(super) assets: Vec<Asset>,
    pub(super) diagnostics: Vec<Diagnostic>,
}

impl Listing {
    /// Whether the walk found `rel` as a file that is still one.
    pub(super) fn holds_file(&self, root: &Path, rel: &Path) -> bool {
        let listed = self.file(rel).is_some()
            || (self.assets.iter()).any(|asset| fs::same_path(&asset.source, rel));
        listed && path_is_file(&root.join(rel))
    }

    /// The listed file `rel`, with what it is.
    pub(super) fn file(&self, rel: &Path) -> Option<&(walkdir::DirEntry, PathBuf, Role)> {
        (self.files.iter()).find(|(_, file, _)| fs::same_path(file, rel))
    }
}

/// Lists the files of `content/` and what each is, with a diagnostic for
/// each file or folder out of place.
pub(super) fn walk(config: &Config, content_dir: &Path) -> Result<Listing> {
    let mut listing = Listing::default();
    let walk = WalkDir::new(content_dir)
        .min_depth(1)
        .sort_by(crate::fs::by_name)
        .into_iter()
        .filter_entry(|e| !is_ignored(e.file_name().to_str().unwrap_or("")));
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                listing
                    .diagnostics
                    .push(crate::fs::walk_error(&config.root, &e));
                continue;
            }
        };
        let rel = entry
            .path()
            .strip_prefix(&config.root)
            .unwrap_or(entry.path())
            .to_path_buf();
        let depth = entry.depth();
        if entry.file_name().to_str().is_none() {
            // A name from an old zip or a Windows share, often Latin-1: it
            // can be no URL, and no file beside an entry can link it.
            listing.diagnostics.push(
                Diagnostic::error("this file's name is not UTF-8 text")
                    .at(Location::file(&rel))
                    .help("rename it: its name's bytes are of another encoding (often Latin-1, from an old zip or a Windows share)"),
            );
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_dir = entry.file_type().is_dir();
        if entry.path_is_symlink() && entry.path().is_dir() {
            // walkdir does not follow it, and an issue silently missing is
            // worse than a word about why.
            listing.diagnostics.push(
                Diagnostic::warning(format!(
                    "`{}` is a link to a folder, and is ignored",
                    fs_display(&rel)
                ))
                .at(Location::file(&rel))
                .help("gazette does not follow links to folders; move the folder here instead"),
            );
            continue;
        }
        let parent = entry
            .path()
            .parent()
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .unwrap_or("");
        match (depth, is_dir) {
            (1, true) if name == "pages" => {}
            // Read as the site's settings, which say it is a folder.
            (1, true) if name == "site.yaml" || name == "outlets.yaml" => {}
            (2, true) if is_markdown(&name) => listing.diagnostics.push(
                Refused::NotAFile(fs::kind_of(&entry.file_type())).diagnostic(&rel),
            ),
            (1, true) => match NaiveDate::parse_from_str(&name, "%Y-%m-%d") {
                Ok(date) if name.len() == 10 => listing.dates.push((date, rel)),
                _ if looks_like_date(&name) => listing.diagnostics.push(
                    Diagnostic::error(format!("folder `{name}` is named for a day that does not exist"))
                        .at(Location::file(&rel))
                        .help("name each issue's folder by its date, `YYYY-MM-DD`, with a real month and day"),
                ),
                _ => listing.diagnostics.push(
                    Diagnostic::error(format!("folder `{name}` is not an issue folder"))
                        .at(Location::file(&rel))
                        .help("name each issue's folder by its date, `YYYY-MM-DD` (e.g. `2026-11-25`); standalone pages go in `content/pages/`"),
                ),
            },
            (1, false) if is_markdown(&name) => listing.diagnostics.push(
                Diagnostic::error(format!("`{name}` is not in an issue folder"))
                    .at(Location::file(&rel))
                    .help("move it into its issue's folder, e.g. `content/2026-11-25/`, or into `content/pages/`"),
            ),
            (2, false) if is_markdown(&name) => {
                if parent == "pages" {
                    listing.files.push((entry, rel, Role::Page));
                } else if let Ok(date) = NaiveDate::parse_from_str(parent, "%Y-%m-%d") {
                    let role = if name == "_issue.md" {
                        Role::IssueMeta(date)
                    } else {
                        Role::Item(date)
                    };
                    listing.files.push((entry, rel, role));
                }
            }
            // Folders of an issue hold its files (images, PDFs).
            (_, true) if depth >= 2 && issue_folder(&rel).is_some() => {}
            (_, true) if depth >= 2 => listing.diagnostics.push(
                Diagnostic::warning(format!("folder `{}` is ignored", fs_display(&rel)))
                    .at(Location::file(&rel))
                    .help("pages sit directly in `content/pages/`; their images go in `static/`"),
            ),
            // Published as a file, a draft would go out as its source.
            (_, false) if depth >= 2 && let Some(md) = misnamed_markdown(&name) => listing
                .diagnostics
                .push(
                    Diagnostic::error(format!(
                        "`{}` is Markdown that gazette does not read: only `.md` files are entries, stories and pages",
                        fs_display(&rel)
                    ))
                    .at(Location::file(&rel))
                    .help(format!("rename it `{md}`; until then it is neither read nor published")),
                ),
            (_, false) if depth >= 3 && is_markdown(&name) => listing.diagnostics.push(
                Diagnostic::warning(format!("`{}` is ignored", fs_display(&rel)))
                    .at(Location::file(&rel))
                    .help("entries and stories sit directly in their issue folder"),
            ),
            (_, false) if depth >= 2 && !is_markdown(&name) => {
                if let Some(output) = crate::site::urls::asset(&rel) {
                    // Published as is: a link out of the site must never
                    // carry a secret to the host.
                    match config.fs.inspect_walked(&entry) {
                        Ok(()) => listing.assets.push(Asset { source: rel, output }),
                        Err(refused) => listing.diagnostics.push(refused.diagnostic(&rel)),
                    }
                } else {
                    listing.diagnostics.push(
                        Diagnostic::warning(format!("`{}` is not published", fs_display(&rel)))
                            .at(Location::file(&rel))
                            .help("files beside pages are not copied: put it in `static/` and link it from the site's root, e.g. `/images/team.jpg`"),
                    );
                }
            }
            _ => {}
        }
    }

    Ok(listing)
}

/// The `.md` name of a Markdown file named otherwise (`embargo.MD`,
/// `notes.markdown`: Windows editors and Jekyll's habit).
fn misnamed_markdown(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    let markdown = [
        "md", "markdown", "mdown", "mkd", "mkdn", "mdwn", "mdtxt", "mdtext",
    ];
    (ext != "md" && !stem.is_empty() && markdown.iter().any(|m| ext.eq_ignore_ascii_case(m)))
        .then(|| format!("{stem}.md"))
}
