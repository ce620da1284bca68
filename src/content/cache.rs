//! What `serve` and `build --watch` keep of `content/` between saves, and
//! the patch of the last load that a save of a few entries makes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::walk::Listing;
use super::{Content, Item, Parsed, Role, read_one};
use crate::config::Config;
use crate::diagnostic::Diagnostic;

/// What `serve` and `build --watch` keep of `content/` between rebuilds:
/// each file parsed, and the list of files. The watcher says which files
/// changed, and [`Cache::forget`] drops those: the others are neither read
/// nor parsed again, and while no file came or went, the folder is not even
/// walked. A full walk still compares each kept file's modification time
/// and size, so a change the watcher missed is read then.
#[derive(Default)]
pub struct Cache {
    /// Whether to keep anything: `build` runs once, and keeps nothing.
    pub(super) watched: bool,
    pub(super) files: HashMap<PathBuf, Cached>,
    /// The last walk, while it still lists every file there is.
    pub(super) listing: Option<Listing>,
    /// The last load's content and what its files said (before
    /// `outlets.yaml`), for a save to patch: see [`patched`].
    pub(super) last: Option<(Content, Vec<Diagnostic>)>,
    /// The files [`Cache::forget`] dropped since the last load.
    pub(super) forgotten: Vec<PathBuf>,
}

#[derive(Clone)]
pub(super) struct Cached {
    pub(super) stamp: Stamp,
    pub(super) parsed: Option<Parsed>,
    pub(super) diagnostics: Vec<Diagnostic>,
}

pub(super) type Stamp = (std::time::SystemTime, u64);

impl Cache {
    /// A cache for a watched site: it keeps what it loads.
    pub fn watched() -> Cache {
        Cache {
            watched: true,
            ..Cache::default()
        }
    }

    /// The entry or story parsed from `rel` (relative to the root) as last
    /// loaded, if it is kept.
    pub fn item(&self, rel: &Path) -> Option<Arc<Item>> {
        match self.files.get(rel)?.parsed.as_ref()? {
            Parsed::Item(item) => Some(item.clone()),
            _ => None,
        }
    }

    /// Drops what is known of `paths` (relative to `root`), whatever their
    /// stamps say. A changed file beside the content (an image) drops every
    /// source that names it, since their renderings hold its size. A path
    /// that is not a file the last walk listed (a file new or gone, a
    /// folder) makes the next load walk again.
    pub fn forget<'a>(&mut self, root: &Path, paths: impl IntoIterator<Item = &'a Path>) {
        for path in paths {
            self.files.remove(path);
            self.forgotten.push(path.to_path_buf());
            if (self.listing.as_ref()).is_some_and(|l| !l.holds_file(root, path)) {
                self.listing = None;
            }
            if crate::site::urls::asset(path).is_some()
                && let Some(name) = path.file_name().and_then(|n| n.to_str())
            {
                self.last = None;
                self.files.retain(|_, cached| match &cached.parsed {
                    Some(Parsed::Item(item)) => !item.doc().body().contains(name),
                    _ => true,
                });
            }
        }
    }
}

pub(super) fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// The last load with the files the watcher named read again, when that is
/// all a save changed: no file came or went, and each of them is an entry
/// or story that was loaded, still parses, and has nothing to say, before
/// or now. Then a save costs the files it touched, not the 100,000 the
/// site holds. `None` sends the load the whole way.
pub(super) fn patched(config: &Config, cache: &mut Cache) -> Option<(Content, Vec<Diagnostic>)> {
    let listing = cache.listing.as_ref()?;
    let (mut content, diagnostics) = cache.last.take()?;
    // What is not done here is read by the whole load: these stay dropped.
    for rel in std::mem::take(&mut cache.forgotten) {
        let (entry, _, role) = listing.file(&rel)?;
        let Role::Item(date) = *role else {
            return None;
        };
        let said = |d: &Diagnostic| d.location.as_ref().is_some_and(|l| l.path == rel);
        if diagnostics.iter().any(said) {
            return None;
        }
        let (parsed, found, fresh) = read_one(config, entry, &rel, *role, cache.watched);
        let Some(Parsed::Item(item)) = parsed.filter(|_| found.is_empty()) else {
            return None;
        };
        let issue = (content.issues)
            .binary_search_by_key(&date, |i| i.date)
            .ok()?;
        let items = &mut content.issues[issue].items;
        let at = (items.iter()).position(|i| crate::fs::same_path(i.doc().path(), &rel))?;
        items[at] = item;
        if let Some((rel, cached)) = fresh {
            cache.files.insert(rel, cached);
        }
    }
    Some((content, diagnostics))
}
