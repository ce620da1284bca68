//! Load: walk `content/`, read every file, and parse it into sources.
//!
//! Takes the [`Config`] (for the timezone that naive dates are read in) and
//! returns [`Content`]: outlets, issues with their entries and stories, and
//! pages, each still as written, plus a diagnostic for every file that is
//! wrong on its own. Files are read and parsed in parallel; nothing here
//! looks across files (that is `site`).

mod cache;
pub mod document;
pub mod front;
pub mod outlets;
mod walk;
pub mod write;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Location};
use crate::fs::{self, SiteFs};
pub use cache::Cache;
use cache::{Cached, patched, stamp};
use document::Document;
pub use front::{EntrySource, IssueMeta, Item, PageSource, StorySource};
pub use outlets::OutletSource;
use walk::walk;

/// Everything under `content/`, parsed file by file.
#[derive(Debug, Default, Clone)]
pub struct Content {
    pub outlets: Vec<OutletSource>,
    /// `outlets.yaml` is missing or did not parse: no entry's outlet can be
    /// told unknown (the cause has been reported instead).
    pub outlets_unread: bool,
    /// The slugs of entry and story files that did not parse: an entry's
    /// `story` naming one is not told unknown (the cause has been reported).
    pub unread_items: std::collections::BTreeSet<String>,
    /// Files beside the Markdown of issue folders, in path order.
    pub assets: Vec<Asset>,
    /// Oldest first, by folder name.
    pub issues: Vec<IssueSource>,
    pub pages: Vec<PageSource>,
}

impl Content {
    /// Every story and entry, of every issue (drafts and scheduled ones
    /// too), oldest issue first, each issue's in file-name order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.issues
            .iter()
            .flat_map(|issue| issue.items.iter().map(|item| &**item))
    }
}

/// A file of an issue's folder that is not Markdown (an image, a PDF):
/// published beside the issue's page, as [`urls::asset`](crate::site::urls::asset) says.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Relative to the site root: `content/2026-11-06/gripper.png`.
    pub source: PathBuf,
    /// Its path in the output: `2026/11/06/gripper.png`.
    pub output: String,
}

/// One `YYYY-MM-DD/` folder.
#[derive(Debug, Clone)]
pub struct IssueSource {
    pub date: NaiveDate,
    /// Relative to the root, e.g. `content/2026-11-25`.
    pub dir: PathBuf,
    pub meta: Option<IssueMeta>,
    /// In file-name order; shared with the load cache of `serve`.
    pub items: Vec<Arc<Item>>,
}

/// What a file under `content/` is, by where it sits.
#[derive(Clone, Copy)]
enum Role {
    Item(NaiveDate),
    IssueMeta(NaiveDate),
    Page,
}

/// Whether `path` is a plain file, not following links.
fn path_is_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// Reads and parses the whole of `content/`.
pub fn load(config: &Config) -> Result<(Content, Vec<Diagnostic>)> {
    load_cached(config, &mut Cache::default())
}

/// Reads every file of the walk, but those `cache` holds unchanged.
fn load_files(
    config: &Config,
    cache: &mut Cache,
    content_dir: &Path,
) -> Result<(Content, Vec<Diagnostic>)> {
    let mut diagnostics = Vec::new();
    let mut content = Content::default();
    // While no file came or went, the last walk still lists them all.
    let (listing, trusted) = match cache.listing.take() {
        Some(listing) if cache.watched => (listing, true),
        _ => (walk(config, content_dir)?, false),
    };
    diagnostics.extend(listing.diagnostics.iter().cloned());
    content.assets.clone_from(&listing.assets);

    let watched = cache.watched;
    let old = &cache.files;
    let parsed: Vec<Loaded> = listing
        .files
        .par_iter()
        .map(|(entry, rel, role)| {
            let role = *role;
            if let Some(hit) = old.get(rel) {
                if trusted {
                    return (role, hit.parsed.clone(), hit.diagnostics.clone(), None);
                }
                if stamp(&config.root.join(rel)) == Some(hit.stamp) {
                    let kept = Some((rel.clone(), hit.clone()));
                    return (role, hit.parsed.clone(), hit.diagnostics.clone(), kept);
                }
            }
            let (parsed, found, fresh) = read_one(config, entry, rel, role, watched);
            (role, parsed, found, fresh)
        })
        .collect();
    content.unread_items = (listing.files.iter().zip(&parsed))
        .filter(|((_, _, role), (_, parsed, _, _))| {
            matches!(role, Role::Item(_)) && parsed.is_none()
        })
        .map(|((_, rel, _), _)| document::slug_of(rel))
        .collect();
    if trusted {
        // No file came or went: the files read now replace their old selves.
        let fresh = parsed.iter().filter_map(|(_, _, _, fresh)| fresh.clone());
        cache.files.extend(fresh);
    } else {
        // The cache keeps exactly the files seen now: deleted ones go.
        cache.files = parsed
            .iter()
            .filter_map(|(_, _, _, fresh)| fresh.clone())
            .collect();
    }
    let dates = listing.dates.clone();
    if watched {
        cache.listing = Some(listing);
    }
    let parsed = parsed
        .into_iter()
        .map(|(role, parsed, found, _)| (role, parsed, found));

    content.issues = dates
        .into_iter()
        .map(|(date, dir)| IssueSource {
            date,
            dir,
            meta: None,
            items: Vec::new(),
        })
        .collect();
    content.issues.sort_by_key(|i| i.date);
    for (role, parsed, found) in parsed {
        diagnostics.extend(found);
        let Some(parsed) = parsed else { continue };
        let issues = &mut content.issues;
        let issue_of = |date: NaiveDate| issues.binary_search_by_key(&date, |i| i.date).ok();
        match (role, parsed) {
            (Role::Item(date), Parsed::Item(item)) => {
                if let Some(at) = issue_of(date) {
                    issues[at].items.push(item);
                }
            }
            (Role::IssueMeta(date), Parsed::Meta(meta)) => {
                if let Some(at) = issue_of(date) {
                    issues[at].meta = Some(meta);
                }
            }
            (_, Parsed::Page(page)) => content.pages.push(page),
            _ => {}
        }
    }

    Ok((content, diagnostics))
}

/// Reads and parses the file `rel` (`entry` of the walk), and what to
/// keep of it when `watched`.
fn read_one(
    config: &Config,
    entry: &walkdir::DirEntry,
    rel: &Path,
    role: Role,
    watched: bool,
) -> (Option<Parsed>, Vec<Diagnostic>, Option<(PathBuf, Cached)>) {
    // Taken before reading: a save in between is read next time.
    let stamp = watched.then(|| stamp(&config.root.join(rel))).flatten();
    let (parsed, found) = match read_document(&config.fs, entry, rel.to_path_buf()) {
        Ok(doc) => match role {
            Role::Item(issue) => {
                let (item, found) = front::item(doc, config.timezone, Some(issue));
                let item = item.map(|mut item| {
                    // Only a file read again and again keeps its rendering.
                    if !watched {
                        item.forget_renderings();
                    }
                    Parsed::Item(Arc::new(item))
                });
                (item, found)
            }
            Role::IssueMeta(_) => with(front::issue_meta(doc), Parsed::Meta),
            Role::Page => with(front::page(doc), Parsed::Page),
        },
        Err(found) => (None, found),
    };
    let fresh = stamp.map(|stamp| {
        let cached = Cached {
            stamp,
            parsed: parsed.clone(),
            diagnostics: found.clone(),
        };
        (rel.to_path_buf(), cached)
    });
    (parsed, found, fresh)
}

/// [`load`], reusing the entries and stories of `cache` that did not change.
pub fn load_cached(config: &Config, cache: &mut Cache) -> Result<(Content, Vec<Diagnostic>)> {
    let mut diagnostics = Vec::new();
    let content_dir = config.root.join("content");
    if !content_dir.is_dir() {
        // Config has already said that this is not a site.
        return Ok((Content::default(), diagnostics));
    }
    if let Err(refused) = config.fs.check(&content_dir) {
        diagnostics.push(refused.diagnostic(Path::new("content")));
        return Ok((Content::default(), diagnostics));
    }
    let (mut content, found) = match patched(config, cache) {
        Some(patched) => patched,
        None => load_files(config, cache, &content_dir)?,
    };
    cache.forgotten.clear();
    if cache.watched {
        cache.last = Some((content.clone(), found.clone()));
    }
    diagnostics.extend(found);

    let outlets = load_outlets(config);
    match outlets {
        Ok((outlets, found)) => {
            content.outlets = outlets;
            diagnostics.extend(found);
        }
        Err(cause) => {
            content.outlets_unread = true;
            diagnostics.extend(cause_of_unknown_outlets(cause, &content));
        }
    }
    Ok((content, diagnostics))
}

/// The outlets of `outlets.yaml` and what is wrong with them one by one;
/// `Err` with why when the file cannot be read or parsed at all (`None`
/// when it is missing).
fn load_outlets(
    config: &Config,
) -> Result<(Vec<OutletSource>, Vec<Diagnostic>), Option<Diagnostic>> {
    let path = config.root.join(outlets::OUTLETS_FILE);
    // A link that leads nowhere is there, and said to be broken when read.
    if std::fs::symlink_metadata(&path).is_err() {
        return Err(None);
    }
    let rel = Path::new(outlets::OUTLETS_FILE);
    let text = config
        .fs
        .read(&path)
        .map_err(|refused| refused.diagnostic(rel))
        .and_then(|bytes| fs::decode_text(rel, bytes))
        .map_err(Some)?;
    let mut found = Vec::new();
    match outlets::parse(&text, &mut found) {
        Some(outlets) => Ok((outlets, found)),
        None => Err(found.pop()),
    }
}

/// When `outlets.yaml` is missing or unreadable, every entry's outlet is
/// unknown: that is one error, the cause, with how many entries it holds
/// back, not one `unknown outlet` per entry.
fn cause_of_unknown_outlets(cause: Option<Diagnostic>, content: &Content) -> Option<Diagnostic> {
    let mut keys: Vec<&str> = Vec::new();
    let mut entries = 0;
    for item in content.items() {
        if let Item::Entry(entry) = item
            && !entry.outlet.value.is_empty()
        {
            entries += 1;
            if !keys.contains(&entry.outlet.value.as_str()) {
                keys.push(&entry.outlet.value);
            }
        }
    }
    let uses = match entries {
        0 => None,
        1 => Some(format!("1 entry names an outlet: {}", quoted_list(&keys))),
        n => Some(format!("{n} entries name outlets: {}", quoted_list(&keys))),
    };
    match (cause, uses) {
        (Some(cause), Some(uses)) => Some(cause.note(format!("{uses}; they are checked once this file reads"))),
        (Some(cause), None) => Some(cause),
        (None, Some(uses)) => Some(
            Diagnostic::error(format!("no `{}`", outlets::OUTLETS_FILE))
                .at(Location::file(outlets::OUTLETS_FILE))
                .note(uses)
                .help("create it with one key per outlet, e.g. `tnw: {name: TNW, url: https://thenextweb.com}`"),
        ),
        (None, None) => None,
    }
}

/// `` `tnw`, `bloomberg` `` and `…` past the fifth.
fn quoted_list(keys: &[&str]) -> String {
    let mut shown: Vec<String> = keys.iter().take(5).map(|k| format!("`{k}`")).collect();
    if keys.len() > 5 {
        shown.push("…".to_owned());
    }
    shown.join(", ")
}

/// A file's parse, its diagnostics, and its fresh entry for the cache.
type Loaded = (
    Role,
    Option<Parsed>,
    Vec<Diagnostic>,
    Option<(PathBuf, Cached)>,
);

fn with<T>(
    (value, found): (Option<T>, Vec<Diagnostic>),
    wrap: fn(T) -> Parsed,
) -> (Option<Parsed>, Vec<Diagnostic>) {
    (value.map(wrap), found)
}

#[derive(Clone)]
enum Parsed {
    Item(Arc<Item>),
    Meta(IssueMeta),
    Page(PageSource),
}

fn read_document(
    fs: &SiteFs,
    entry: &walkdir::DirEntry,
    rel: PathBuf,
) -> Result<Document, Vec<Diagnostic>> {
    let bytes = fs
        .read_walked(entry)
        .map_err(|e| vec![e.diagnostic(&rel)])?;
    let text = fs::decode_text(&rel, bytes).map_err(|d| vec![d])?;
    Document::split(rel, text).map_err(|d| vec![d])
}

/// The date of the issue folder `rel` (`content/2026-11-06/...`) lies in.
fn issue_folder(rel: &Path) -> Option<NaiveDate> {
    let folder = rel.components().nth(1)?.as_os_str().to_str()?;
    NaiveDate::parse_from_str(folder, "%Y-%m-%d").ok()
}

/// The day `text` names as an issue folder is named, `YYYY-MM-DD` to the
/// letter: chrono alone reads `26-11-20` as the year 26, and would file an
/// issue under `content/0026-11-20/`.
pub fn issue_date(text: &str) -> Option<NaiveDate> {
    looks_like_date(text)
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
}

/// `dddd-dd-dd`, whether or not it is a real date.
fn looks_like_date(name: &str) -> bool {
    name.len() == 10
        && name.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        })
}

fn is_markdown(name: &str) -> bool {
    name.ends_with(".md")
}

/// Hidden files and the leftovers of editors and tools: swap, backup and
/// lock files in any case (`x.md.BAK`), Kate's `.kate-swp`, a patch's
/// `.orig` and `.rej`, JetBrains' `___jb_tmp___`, and `4913`, the file vim
/// writes to test a folder.
pub fn is_ignored(name: &str) -> bool {
    let ext = name.rsplit_once('.').map_or("", |(_, ext)| ext);
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || ["swp", "swx", "tmp", "bak", "kate-swp", "orig", "rej"]
            .iter()
            .any(|leftover| ext.eq_ignore_ascii_case(leftover))
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name == "4913"
}

fn fs_display(path: &Path) -> String {
    crate::diagnostic::display_path(path)
}
