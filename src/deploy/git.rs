//! Deploying to a Git branch (GitHub, Codeberg or GitLab Pages, or any
//! repository): one commit whose tree is exactly the built site, on top of
//! the branch's history, pushed; no commit when the tree is the same.
//!
//! Drives the `git` command in a throwaway repository: the branch's head
//! is fetched (one commit deep), the build's files are staged from the
//! output folder, and git's own content hashes say what was added, changed
//! or removed. A user name or token in the URL never shows in what is printed.
//!
//! The branch is the record of what the target holds, and nothing changes
//! on the remote before the push, which moves the branch only once every
//! object is there: a deploy that fails is all or nothing, and the branch
//! is as it was.

use std::io::Write as _;
use std::ops::ControlFlow;
use std::path::Path;
use std::process::{Command, Stdio};

use super::{Done, Failed, Local, Options, Plan, failed};

/// A git command in the throwaway repository `dir`, its work tree the output.
struct Git<'a> {
    dir: &'a Path,
    work_tree: &'a Path,
    /// The repository URL as it may be shown (no user name or token).
    shown: String,
    secret: Option<String>,
}

impl Git<'_> {
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new("git");
        command
            .args(args)
            .env("GIT_DIR", self.dir.join("git"))
            .env("GIT_WORK_TREE", self.work_tree)
            .env("GIT_INDEX_FILE", self.dir.join("index"))
            .env("GIT_TERMINAL_PROMPT", "0")
            // A file named `a[1].png` is that file, not a pattern.
            .env("GIT_LITERAL_PATHSPECS", "1")
            .env_remove("GIT_CONFIG_PARAMETERS")
            .stdin(Stdio::null());
        command
    }

    /// Runs `git ARGS` (with `input` on stdin) and returns its stdout.
    fn run(&self, args: &[&str], input: Option<&[u8]>) -> Result<String, Failed> {
        let mut command = self.command(args);
        if input.is_some() {
            command.stdin(Stdio::piped());
        }
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                failed(
                    format!("cannot run git: {e}"),
                    "install git (Debian: `apt-get install git`)",
                )
            })?;
        if let (Some(bytes), Some(mut stdin)) = (input, child.stdin.take()) {
            stdin
                .write_all(bytes)
                .map_err(|e| failed(format!("cannot talk to git: {e}"), "run the deploy again"))?;
        }
        let out = child
            .wait_with_output()
            .map_err(|e| failed(format!("git did not finish: {e}"), "run the deploy again"))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(failed(
                format!(
                    "`git {}` failed for {}: {}",
                    args.first().copied().unwrap_or(""),
                    self.shown,
                    self.redact(String::from_utf8_lossy(&out.stderr).trim())
                ),
                "check the repository URL and that this machine may push to it (an SSH key, or a token in a credential helper)",
            ))
        }
    }

    fn redact(&self, text: &str) -> String {
        match &self.secret {
            Some(secret) if !secret.is_empty() => text.replace(secret.as_str(), "***"),
            _ => text.to_owned(),
        }
    }
}

pub fn deploy(
    url: &str,
    branch: &str,
    local: &[Local],
    options: &Options,
    progress: super::Reporter<'_>,
) -> Result<Done, Failed> {
    let scratch = tempfile::tempdir().map_err(|e| {
        failed(
            format!("cannot make a temporary folder: {e}"),
            "free some disk space",
        )
    })?;
    let (shown_url, secret) = super::shown(url);
    let git = Git {
        dir: scratch.path(),
        work_tree: &options.output,
        shown: shown_url.clone(),
        secret,
    };
    let init = Command::new("git")
        .args(["init", "--quiet", "--bare"])
        .arg(scratch.path().join("git"))
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            failed(
                format!("cannot run git: {e}"),
                "install git (Debian: `apt-get install git`)",
            )
        })?;
    if !init.status.success() {
        return Err(failed(
            format!(
                "`git init` failed: {}",
                String::from_utf8_lossy(&init.stderr).trim()
            ),
            "check that the temporary folder is writable",
        ));
    }

    progress(super::Report::Note(&format!(
        "reading {branch} of {shown_url}"
    )));
    let remote_ref = format!("refs/heads/{branch}");
    let heads = git.run(&["ls-remote", "--heads", url, &remote_ref], None)?;
    let parent = if heads.trim().is_empty() {
        None
    } else {
        git.run(
            &[
                "fetch",
                "--quiet",
                "--depth=1",
                url,
                &format!("{remote_ref}:refs/deploy/parent"),
            ],
            None,
        )?;
        Some(
            git.run(&["rev-parse", "refs/deploy/parent"], None)?
                .trim()
                .to_owned(),
        )
    };

    // The build's files, and nothing else, staged from the output folder.
    let mut list = Vec::new();
    for file in local {
        list.extend_from_slice(file.path.as_bytes());
        list.push(0);
    }
    git.run(&["read-tree", "--empty"], None)?;
    git.run(
        &[
            "add",
            "--force",
            "--pathspec-from-file=-",
            "--pathspec-file-nul",
        ],
        Some(&list),
    )?;
    let tree = git.run(&["write-tree"], None)?.trim().to_owned();

    let plan = match &parent {
        Some(parent) => {
            let old_tree = git
                .run(&["rev-parse", &format!("{parent}^{{tree}}")], None)?
                .trim()
                .to_owned();
            let diff = git.run(
                &[
                    "diff-tree",
                    "-r",
                    "--no-renames",
                    "--name-status",
                    "-z",
                    &old_tree,
                    &tree,
                ],
                None,
            )?;
            plan_of(&diff, local)
        }
        None => Plan {
            added: local.to_vec(),
            ..Plan::default()
        },
    };
    let plan = match options.settle(
        plan,
        progress,
        || format!("{branch} already holds this build: no commit"),
        "dry run: nothing committed or pushed",
    )? {
        ControlFlow::Continue(plan) => plan,
        ControlFlow::Break(done) => return Ok(done),
    };

    let mut commit = git.command(&["commit-tree", &tree, "-F", "-"]);
    if let Some(parent) = &parent {
        commit.args(["-p", parent]);
    }
    // Who commits: the user's git identity, else gazette's.
    if !git
        .command(&["config", "user.email"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
    {
        for (name, value) in [
            ("GIT_AUTHOR_NAME", "gazette"),
            ("GIT_AUTHOR_EMAIL", "gazette@localhost"),
            ("GIT_COMMITTER_NAME", "gazette"),
            ("GIT_COMMITTER_EMAIL", "gazette@localhost"),
        ] {
            commit.env(name, value);
        }
    }
    let mut child = commit
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(format!("cannot run git: {e}"), "install git"))?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(options.message.as_bytes());
    }
    let out = child
        .wait_with_output()
        .map_err(|e| failed(format!("git did not finish: {e}"), "run the deploy again"))?;
    if !out.status.success() {
        return Err(failed(
            format!(
                "`git commit-tree` failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
            "run the deploy again",
        ));
    }
    let commit_id = String::from_utf8_lossy(&out.stdout).trim().to_owned();

    progress(super::Report::Note(&format!(
        "pushing {} to {branch}",
        &commit_id[..commit_id.len().min(7)]
    )));
    git.run(
        &["push", "--quiet", url, &format!("{commit_id}:{remote_ref}")],
        None,
    )
    .map_err(|mut e| {
        e.help = format!(
            "if the branch moved while this deploy ran, run it again; otherwise {}",
            e.help
        );
        e
    })?;
    Ok(Done {
        plan,
        summary: format!(
            "commit {} pushed to {branch} of {shown_url}",
            &commit_id[..commit_id.len().min(7)]
        ),
    })
}

/// The plan of `git diff-tree -r --name-status -z` between the branch and the build.
fn plan_of(diff: &str, local: &[Local]) -> Plan {
    let files: std::collections::HashMap<&str, &Local> =
        local.iter().map(|l| (l.path.as_str(), l)).collect();
    let by_path = |path: &str| files.get(path).map(|l| (*l).clone());
    let mut plan = Plan::default();
    let mut fields = diff.split('\0').filter(|f| !f.is_empty());
    while let (Some(status), Some(path)) = (fields.next(), fields.next()) {
        match status {
            "A" => plan.added.extend(by_path(path)),
            "D" => plan.removed.push(path.to_owned()),
            _ => plan.changed.extend(by_path(path)),
        }
    }
    plan.kept = local.len() - plan.added.len() - plan.changed.len();
    plan.added.sort_by_key(|l| super::upload_order(&l.path));
    plan.changed.sort_by_key(|l| super::upload_order(&l.path));
    plan
}
