//! The early site: what `serve` serves while a rebuild is under way, the
//! last good site with the rebuild's changed pages laid over it, so that
//! an edited page is served before the feeds, email editions and search
//! are made (see [`super::engine::Engine::rebuild_early`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The bytes of one output file, shared with the server.
pub type Bytes = Arc<[u8]>;

/// Takes the files of a rebuild whose pages are ready, and the output paths
/// of the pages that changed: see
/// [`Engine::rebuild_early`](super::engine::Engine::rebuild_early).
pub type Early<'a> = &'a mut dyn FnMut(Files, Vec<String>);

/// A site's files as served: those of a rebuild, shared with the engine
/// without a copy, and maybe the pages of the next rebuild laid over them
/// while its other files are made.
#[derive(Clone, Default)]
pub struct Files {
    base: Arc<BTreeMap<String, Bytes>>,
    /// Pages new or changed (`Some`) or gone (`None`) since `base`.
    over: HashMap<String, Option<Bytes>>,
}

impl Files {
    pub fn new(base: Arc<BTreeMap<String, Bytes>>) -> Files {
        Files {
            base,
            over: HashMap::new(),
        }
    }

    pub fn get(&self, path: &str) -> Option<&Bytes> {
        match self.over.get(path) {
            Some(over) => over.as_ref(),
            None => self.base.get(path),
        }
    }

    pub fn contains_key(&self, path: &str) -> bool {
        self.get(path).is_some()
    }
}

/// Hands `early` the site of `base` with the `rendered` pages whose bytes
/// differ from its own, and without the `gone` ones; nothing when there
/// is no such page.
pub(super) fn hand(
    base: &Arc<BTreeMap<String, Bytes>>,
    early: &mut dyn FnMut(Files, Vec<String>),
    rendered: &[(String, Bytes)],
    gone: &[&String],
) {
    let changed = (rendered.iter()).filter(|(path, bytes)| base.get(path) != Some(bytes));
    let mut over = HashMap::new();
    let mut paths = Vec::new();
    for (path, bytes) in changed {
        over.insert(path.clone(), Some(bytes.clone()));
        paths.push(path.clone());
    }
    for &path in gone {
        over.insert(path.clone(), None);
        paths.push(path.clone());
    }
    if !paths.is_empty() {
        let base = base.clone();
        early(Files { base, over }, paths);
    }
}
