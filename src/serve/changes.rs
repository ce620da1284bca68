//! What a rebuild of `serve` changed, and which of its paths the open pages
//! still have to hear about.

use std::collections::HashSet;
use std::time::Duration;

use crate::diagnostic::Diagnostic;

/// What a rebuild changed.
#[derive(Debug, Default)]
pub struct Changes {
    /// Output paths whose bytes are new or different.
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    /// Pages rendered by templates (the rest were known unchanged).
    pub rendered: usize,
    /// Whether the model was patched from the last one rather than made
    /// again (a save that changed only what entries say).
    pub patched: bool,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
}

impl Changes {
    /// The output paths still to tell open pages about, those changed then
    /// those removed, leaving out `told` (the pages handed early); and
    /// whether they are only stylesheets, which a browser swaps in place.
    pub fn untold(&self, told: &HashSet<String>) -> (Vec<String>, bool) {
        let mut paths: Vec<String> = (self.changed.iter())
            .filter(|path| !told.contains(*path))
            .cloned()
            .collect();
        let css_only = self.removed.is_empty()
            && !paths.is_empty()
            && paths.iter().all(|p| p.ends_with(".css"));
        paths.extend(
            (self.removed.iter())
                .filter(|path| !told.contains(*path))
                .cloned(),
        );
        (paths, css_only)
    }
}
