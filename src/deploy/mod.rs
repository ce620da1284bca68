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
pub mod headers;
mod plan;
pub mod s3;

pub use plan::{Plan, Remote, bytes, upload_order};

use std::collections::BTreeSet;
use std::fmt;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use sha2::Digest as _;

use crate::diagnostic::display_path;
use crate::output::manifest::{MANIFEST, read_manifest, read_preview};

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
/// error when gazette did not write the folder (or nothing is built), or
/// when the build is a preview (drafts, scheduled issues, links to another
/// address), which must not go live.
pub fn local_files(output: &Path) -> Result<Vec<Local>, Failed> {
    let shown = display_path(output.strip_prefix(".").unwrap_or(output));
    let not_built = || {
        failed(
            format!("`{shown}` holds no build of the site"),
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
    let preview = read_preview(output);
    if !preview.is_empty() {
        let flags: Vec<String> = preview.iter().map(|f| format!("`{f}`")).collect();
        return Err(failed(
            format!(
                "`{shown}` holds a preview build (made with {}), not one to publish",
                flags.join(", ")
            ),
            "build the site with `gazette build`, without those flags, then deploy; or run `gazette deploy --build`",
        ));
    }
    let mut files = Vec::with_capacity(listed.len());
    for path in listed {
        // Only what gazette wrote: a link put in its place could lead to
        // any file of this machine, and publish it.
        let is_file = std::fs::symlink_metadata(output.join(&path)).is_ok_and(|m| m.is_file());
        if !is_file {
            return Err(failed(
                format!(
                    "`{}` is listed in the build but is not a file gazette wrote (a link, or gone)",
                    display_path(&output.join(&path))
                ),
                "build the site again with `gazette build`, which puts its own file back",
            ));
        }
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

/// A deploy that did not finish: what happened, and what to do.
#[derive(Debug)]
pub struct Failed {
    pub message: String,
    pub help: String,
    /// The target changed before the failure: some of the build is live
    /// (`message` says how much). `false`: nothing was deployed.
    pub partial: bool,
}

/// A failure before the target changed.
pub fn failed(message: impl Into<String>, help: impl Into<String>) -> Failed {
    Failed {
        message: message.into(),
        help: help.into(),
        partial: false,
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
    /// The path of `base_url` (`/` or `/news/`), which the URLs of
    /// `_redirects` start with and the build's files do not.
    pub base_path: String,
}

impl Options {
    /// The step every backend takes between planning and changing
    /// anything: reports `plan`, checks it against this deploy's limits
    /// ([`Plan::check`]), and ends the deploy when the target already holds
    /// this build (`held` says so) or when this is a dry run (`dry` says
    /// what was left undone). Otherwise hands the plan back to carry out.
    pub fn settle(
        &self,
        plan: Plan,
        progress: Reporter<'_>,
        held: impl FnOnce() -> String,
        dry: &str,
    ) -> Result<ControlFlow<Done, Plan>, Failed> {
        progress(Report::Planned(&plan));
        plan.check(self.max_deletes, &self.root, &self.retired)?;
        let summary = if plan.is_empty() {
            held()
        } else if self.dry_run {
            dry.to_owned()
        } else {
            return Ok(ControlFlow::Continue(plan));
        };
        Ok(ControlFlow::Break(Done { plan, summary }))
    }
}

/// What a deploy says while it works.
#[derive(Debug, Clone, Copy)]
pub enum Report<'a> {
    /// A step begins: "reading what s3://a47-site/ holds".
    Note(&'a str),
    /// The plan, before it is checked and carried out.
    Planned(&'a Plan),
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
}
