//! The plan of a deploy: what the target holds against what the build
//! has, by content hash, in the order that never shows half a site, and
//! the checks before anything is removed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::{Failed, Local, failed};

/// What a target holds of the site: each file's hash.
pub type Remote = BTreeMap<String, String>;

/// What a deploy changes.
#[derive(Debug, Default)]
pub struct Plan {
    pub added: Vec<Local>,
    pub changed: Vec<Local>,
    /// Files the target holds that the build no longer makes.
    pub removed: Vec<String>,
    /// Files the build has, unchanged.
    pub kept: usize,
}

impl Plan {
    /// The plan of putting `local` where `remote` is, uploads in the order
    /// that never shows half a site (see [`upload_order`]).
    pub fn new(local: &[Local], remote: &Remote) -> Plan {
        let mut plan = Plan::default();
        let paths: BTreeSet<&str> = local.iter().map(|l| l.path.as_str()).collect();
        for file in local {
            match remote.get(&file.path) {
                None => plan.added.push(file.clone()),
                Some(hash) if *hash != file.sha256 => plan.changed.push(file.clone()),
                Some(_) => plan.kept += 1,
            }
        }
        plan.removed = remote
            .keys()
            .filter(|p| !paths.contains(p.as_str()))
            .cloned()
            .collect();
        plan.added.sort_by_key(|l| upload_order(&l.path));
        plan.changed.sort_by_key(|l| upload_order(&l.path));
        plan
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    /// The uploads, in order: added and changed together, by [`upload_order`].
    pub fn uploads(&self) -> Vec<&Local> {
        let mut all: Vec<&Local> = self.added.iter().chain(&self.changed).collect();
        all.sort_by_key(|l| upload_order(&l.path));
        all
    }

    /// What would happen, a line a file (at most `limit` of each kind), then counts.
    pub fn describe(&self, limit: usize) -> String {
        let mut out = String::new();
        let mut list = |sign: char, paths: Vec<(&str, Option<u64>)>| {
            for (path, size) in paths.iter().take(limit) {
                match size {
                    Some(size) => out.push_str(&format!("  {sign} {path} ({})\n", bytes(*size))),
                    None => out.push_str(&format!("  {sign} {path}\n")),
                }
            }
            if paths.len() > limit {
                out.push_str(&format!("  {sign} … and {} more\n", paths.len() - limit));
            }
        };
        list(
            '+',
            self.added
                .iter()
                .map(|l| (l.path.as_str(), Some(l.size)))
                .collect(),
        );
        list(
            '~',
            self.changed
                .iter()
                .map(|l| (l.path.as_str(), Some(l.size)))
                .collect(),
        );
        list(
            '-',
            self.removed.iter().map(|p| (p.as_str(), None)).collect(),
        );
        let upload: u64 = self.uploads().iter().map(|l| l.size).sum();
        out.push_str(&format!(
            "{} added, {} changed, {} removed, {} unchanged; {} to upload",
            self.added.len(),
            self.changed.len(),
            self.removed.len(),
            self.kept,
            bytes(upload)
        ));
        out
    }

    /// Refuses a plan that removes more than `max_deletes` files, or a
    /// published URL that the build does not redirect (`retired` ones may go).
    pub fn check(
        &self,
        max_deletes: usize,
        root: &Path,
        retired: &BTreeSet<String>,
    ) -> Result<(), Failed> {
        let published = published_urls(root);
        let guarded: Vec<&String> = (self.removed.iter())
            .filter(|path| {
                let url = url_of(path);
                published.contains(&url) && !retired.contains(&url)
            })
            .collect();
        if let Some(first) = guarded.first() {
            return Err(failed(
                format!(
                    "this deploy would take down {} published URL{}, first `/{}`",
                    guarded.len(),
                    if guarded.len() == 1 { "" } else { "s" },
                    url_of(first)
                ),
                "links to it went out: give the page that replaces it an `aliases:` entry, or the URL a line of `redirects:` in content/site.yaml (its redirect is then published there), or list the URL under `retired:` there if it is gone for good",
            ));
        }
        if self.removed.len() > max_deletes {
            return Err(failed(
                format!(
                    "this deploy would remove {} files, more than --max-deletes {max_deletes}",
                    self.removed.len()
                ),
                "look at the plan with `--dry-run`; if the removals are meant, raise `--max-deletes`",
            ));
        }
        Ok(())
    }
}

/// The site path of a file: `2026/11/25/index.html` → `2026/11/25/`.
fn url_of(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => folder.to_owned(),
        _ => path.to_owned(),
    }
}

/// The site paths of the published-URL record at `root` (none without one).
fn published_urls(root: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(root.join(crate::published::FILE)).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| crate::site::urls::written_path(l).ok())
        .collect()
}

/// Upload rank: what others link goes before what links it. Assets
/// (images, CSS, JavaScript, search index) first, then pages, then the
/// home page, then feeds, sitemap and the host's rule files.
pub fn upload_order(path: &str) -> (u8, String) {
    let name = path.rsplit('/').next().unwrap_or(path);
    let rank = if path == "index.html" {
        2
    } else if name == "index.html" || name.ends_with(".html") {
        1
    } else if matches!(
        name,
        "atom.xml"
            | "feed.xml"
            | "feed.json"
            | "sitemap.xml"
            | "robots.txt"
            | "_redirects"
            | "_headers"
    ) || name.starts_with("sitemap")
    {
        3
    } else {
        0
    };
    (rank, path.to_owned())
}

/// `1.2 MB`, `340 KB`, `512 B`.
pub fn bytes(n: u64) -> String {
    match n {
        n if n >= 1_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        n if n >= 1_000 => format!("{} KB", n / 1_000),
        n => format!("{n} B"),
    }
}

#[cfg(test)]
mod tests {
    use sha2::Digest as _;

    use super::*;

    fn local(path: &str, content: &str) -> Local {
        Local {
            path: path.into(),
            size: content.len() as u64,
            sha256: super::super::hex(&sha2::Sha256::digest(content.as_bytes())),
        }
    }

    // Only what differs is uploaded, assets before pages before the home
    // page before the feeds; what the build lost is removed.
    #[test]
    fn the_plan_uploads_what_changed_in_an_order_that_never_breaks() {
        let build = [
            local("index.html", "home v2"),
            local("atom.xml", "feed v2"),
            local("2026/11/26/index.html", "new issue"),
            local("2026/11/26/card.png", "png"),
            local("style.1a2b3c4d.css", "css"),
            local("about/index.html", "same"),
        ];
        let remote: Remote = [
            ("index.html", local("", "home v1").sha256),
            ("atom.xml", local("", "feed v1").sha256),
            ("about/index.html", local("", "same").sha256),
            ("style.0f0f0f0f.css", local("", "old css").sha256),
        ]
        .into_iter()
        .map(|(p, h)| (p.to_owned(), h))
        .collect();
        let plan = Plan::new(&build, &remote);
        let order: Vec<&str> = plan.uploads().iter().map(|l| l.path.as_str()).collect();
        assert_eq!(
            order,
            [
                "2026/11/26/card.png",
                "style.1a2b3c4d.css",
                "2026/11/26/index.html",
                "index.html",
                "atom.xml"
            ]
        );
        assert_eq!(plan.removed, ["style.0f0f0f0f.css"]);
        assert_eq!(plan.kept, 1);
        assert!(
            plan.check(0, Path::new("/nonexistent"), &BTreeSet::new())
                .is_err(),
            "max-deletes 0"
        );
        assert!(
            plan.check(1, Path::new("/nonexistent"), &BTreeSet::new())
                .is_ok()
        );
    }
}
