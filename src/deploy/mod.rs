//! `gazette deploy`: the last build, published to where readers get it,
//! changing only what changed.
//!
//! Takes the output folder (only the files its manifest says gazette wrote)
//! and a [`Target`]; makes a [`Plan`] by content hash against what the
//! target holds (`+` added, `~` changed, `-` removed), checks it (at most
//! `max_deletes` removals, none of a published URL without a redirect),
//! prints it, and, unless it is a dry run, carries it out through the
//! target's backend: [`git`] (one commit on a branch, pushed) or [`s3`]
//! (objects uploaded to a bucket). Uploads go
//! in an order that never shows half a site: assets, then pages, then the
//! home page, feeds and sitemap; removals come last, after every upload.

pub mod git;
pub mod s3;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use sha2::Digest as _;

use crate::diagnostic::display_path;
use crate::output::manifest::{MANIFEST, read_manifest};

/// Where a site is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `git+URL#BRANCH`: one commit holding the site on top of `branch`.
    Git { url: String, branch: String },
    /// `s3://BUCKET[/PREFIX]`: objects in an S3-compatible store; `prefix`
    /// is empty or ends with `/`.
    S3 { bucket: String, prefix: String },
}

impl Target {
    /// `git+https://…/repo.git#gh-pages`, `git+file:///srv/site.git#pages`.
    pub fn parse(raw: &str) -> Result<Target, String> {
        let raw = raw.trim();
        // What a message may quote: no token of the URL.
        let quoted = match raw.strip_prefix("git+") {
            Some(rest) => format!("git+{}", shown(rest).0),
            None => shown(raw).0,
        };
        if let Some(rest) = raw.strip_prefix("git+") {
            let (url, branch) = rest.rsplit_once('#').ok_or_else(|| {
                format!("`{quoted}` names no branch: end it with `#gh-pages` (or the branch to publish to)")
            })?;
            if url.is_empty() {
                return Err(format!("`{quoted}` names no repository"));
            }
            let branch_ok = !branch.is_empty()
                && !branch.starts_with(['-', '/', '.'])
                && !branch.ends_with(['/', '.'])
                && !branch.contains("..")
                && branch
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'));
            if !branch_ok {
                return Err(format!("`{branch}` is not a branch name git takes"));
            }
            return Ok(Target::Git {
                url: url.to_owned(),
                branch: branch.to_owned(),
            });
        }
        if let Some(rest) = raw.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            let bucket_ok = (3..=63).contains(&bucket.len())
                && bucket.chars().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.')
                });
            if !bucket_ok {
                return Err(format!(
                    "`{bucket}` is not a bucket name: 3 to 63 lower-case letters, digits, `-` and `.`"
                ));
            }
            let prefix = prefix.trim_matches('/');
            if prefix.split('/').any(|p| p == ".." || p == ".") {
                return Err(format!("`{prefix}` is not a folder of the bucket"));
            }
            return Ok(Target::S3 {
                bucket: bucket.to_owned(),
                prefix: if prefix.is_empty() {
                    String::new()
                } else {
                    format!("{prefix}/")
                },
            });
        }
        Err(format!(
            "`{quoted}` is not a deploy target: write `s3://BUCKET[/PREFIX]` or `git+URL#BRANCH` (a GitHub, Codeberg or GitLab Pages branch, or `git+file:///path/repo.git#branch`)"
        ))
    }
}

/// `url` without the user name and password of an `https://user:token@host/`
/// URL, and that secret (the password, else the user name), to scrub from
/// any message that might quote it.
pub fn shown(url: &str) -> (String, Option<String>) {
    if let Ok(mut parsed) = url::Url::parse(url)
        && (!parsed.username().is_empty() || parsed.password().is_some())
    {
        let secret = match parsed.password() {
            Some(password) => password.to_owned(),
            None => parsed.username().to_owned(),
        };
        let _ = parsed.set_username("");
        let _ = parsed.set_password(None);
        return (parsed.to_string(), Some(secret));
    }
    (url.to_owned(), None)
}

impl fmt::Display for Target {
    /// The target as it may be shown: no token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Git { url, branch } => write!(f, "git+{}#{branch}", shown(url).0),
            Target::S3 { bucket, prefix } => write!(f, "s3://{bucket}/{prefix}"),
        }
    }
}

/// A file of the build: its path in the site and its content's hash.
#[derive(Debug, Clone)]
pub struct Local {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// The files of the build in `output`, as its manifest lists them; an
/// error when gazette did not write the folder (or nothing is built).
pub fn local_files(output: &Path) -> Result<Vec<Local>, Failed> {
    let not_built = || {
        failed(
            format!(
                "`{}` holds no build of the site",
                display_path(output.strip_prefix(".").unwrap_or(output))
            ),
            "run `gazette build` first, or `gazette deploy --build`",
        )
    };
    if !output.join(MANIFEST).is_file() {
        return Err(not_built());
    }
    let listed = read_manifest(output).map_err(|d| {
        failed(
            d.message.clone(),
            "build the site again with `gazette build`",
        )
    })?;
    if listed.is_empty() {
        return Err(not_built());
    }
    let mut files = Vec::with_capacity(listed.len());
    for path in listed {
        let bytes = std::fs::read(output.join(&path)).map_err(|e| {
            failed(
                format!(
                    "`{}` is listed in the build but cannot be read: {e}",
                    display_path(&output.join(&path))
                ),
                "build the site again with `gazette build`",
            )
        })?;
        files.push(Local {
            size: bytes.len() as u64,
            sha256: hex(&sha2::Sha256::digest(&bytes)),
            path,
        });
    }
    Ok(files)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

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
                "links to it went out: give the page that replaces it an `aliases:` entry (its redirect is then published there), or list the URL under `retired:` in content/site.yaml if it is gone for good",
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

/// A deploy that did not finish: what happened, and what to do.
#[derive(Debug)]
pub struct Failed {
    pub message: String,
    pub help: String,
}

pub fn failed(message: impl Into<String>, help: impl Into<String>) -> Failed {
    Failed {
        message: message.into(),
        help: help.into(),
    }
}

/// How a deploy runs.
#[derive(Debug, Clone)]
pub struct Options {
    pub output: PathBuf,
    pub root: PathBuf,
    pub dry_run: bool,
    pub max_deletes: usize,
    /// The retired URLs of site.yaml, as site paths: removing them is meant.
    pub retired: BTreeSet<String>,
    /// The commit message's subject (git).
    pub message: String,
    /// The store's endpoint, for S3-compatible stores other than AWS.
    pub endpoint: Option<String>,
    /// Uploads at once (S3).
    pub jobs: usize,
}

impl Options {
    /// [`Plan::check`] with this deploy's limits.
    pub fn check_plan(&self, plan: &Plan) -> Result<(), Failed> {
        plan.check(self.max_deletes, &self.root, &self.retired)
    }
}

/// What a deploy says while it works.
#[derive(Debug, Clone, Copy)]
pub enum Report<'a> {
    /// A step begins: "reading what s3://a47-site/ holds".
    Note(&'a str),
    /// One more file is uploaded.
    Uploaded { done: usize, total: usize },
}

/// Where a deploy's reports go; called from the upload threads too.
pub type Reporter<'a> = &'a (dyn Fn(Report<'_>) + Sync);

/// What a deploy did.
#[derive(Debug)]
pub struct Done {
    pub plan: Plan,
    /// What the backend did, in a line: "commit 3fa2c9d pushed to gh-pages".
    pub summary: String,
}

/// Plans and, unless a dry run, carries out the deploy of `output` to `target`.
/// `env` reads the environment (the store's credentials).
pub fn deploy(
    target: &Target,
    options: &Options,
    env: &dyn Fn(&str) -> Option<String>,
    progress: Reporter<'_>,
) -> Result<Done, Failed> {
    let local = local_files(&options.output)?;
    match target {
        Target::Git { url, branch } => git::deploy(url, branch, &local, options, progress),
        Target::S3 { bucket, prefix } => {
            let store = s3::Store {
                bucket: bucket.clone(),
                prefix: prefix.clone(),
                endpoint: options.endpoint.clone(),
                jobs: options.jobs,
            };
            s3::deploy(&store, &local, options, env, progress)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse() {
        assert_eq!(
            Target::parse("git+https://github.com/a47/a47.github.io.git#gh-pages"),
            Ok(Target::Git {
                url: "https://github.com/a47/a47.github.io.git".into(),
                branch: "gh-pages".into()
            })
        );
        for bad in [
            "git+file:///srv/site.git",
            "git+#main",
            "git+x#-main",
            "git+x#a..b",
            "ftp://x",
            "public/",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_token_in_the_url_is_never_shown() {
        let (url, secret) = shown("https://x-access-token:ghp_s3cret@github.com/a47/site.git");
        assert_eq!(url, "https://github.com/a47/site.git");
        assert_eq!(secret.as_deref(), Some("ghp_s3cret"));
        assert_eq!(shown("file:///srv/site.git").1, None);
        let why = Target::parse("git+https://u:ghp_s3cret@github.com/a47/site.git")
            .expect_err("no branch");
        assert!(!why.contains("ghp_s3cret"), "{why}");
    }

    fn local(path: &str, content: &str) -> Local {
        Local {
            path: path.into(),
            size: content.len() as u64,
            sha256: hex(&sha2::Sha256::digest(content.as_bytes())),
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
