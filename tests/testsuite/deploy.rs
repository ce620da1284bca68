//! `gazette deploy git+URL#BRANCH` against a local bare repository, read
//! back with git itself: the branch holds exactly the build, on top of its
//! history; a deploy of the same build adds no commit; an edit commits only
//! what it changed; `--dry-run` changes nothing; removals are capped and a
//! published URL is never taken down. To a bucket: [`s3`].

mod s3;

use std::path::Path;
use std::process::Command;

use crate::site_test::{NOW, SiteTest, assert_contains, run_with_env};

/// `git ARGS` in `dir`, which must succeed; its stdout.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.org")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.org")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A bare repository whose branch `pages` already has one commit, holding
/// `files`; and its `git+file://` target.
fn repository(dir: &Path, files: &[(&str, &str)]) -> String {
    let bare = dir.join("site.git");
    let work = dir.join("work");
    git(dir, &["init", "--quiet", "--bare", "site.git"]);
    git(dir, &["init", "--quiet", "-b", "pages", "work"]);
    for (rel, text) in files {
        let path = work.join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    git(&work, &["add", "-A"]);
    git(&work, &["commit", "--quiet", "-m", "Earlier history"]);
    git(
        &work,
        &["push", "--quiet", bare.to_str().expect("utf-8"), "pages"],
    );
    format!("git+file://{}#pages", bare.display())
}

fn commits(bare: &Path) -> usize {
    git(bare, &["rev-list", "--count", "pages"])
        .trim()
        .parse()
        .expect("a count")
}

/// The files gazette wrote into `public/`, as its manifest lists them.
fn built(site: &SiteTest) -> Vec<String> {
    let manifest = site.page(".gazette-manifest");
    let mut files: Vec<String> = manifest
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    files.sort();
    files
}

// The branch holds the site exactly, on top of its history; the same
// build again adds no commit; an edit commits only the files it changed.
#[test]
fn deploy_to_a_git_branch_commits_exactly_the_build() {
    let site = SiteTest::new("");
    site.build();
    let dir = tempfile::tempdir().expect("temp");
    let target = repository(
        dir.path(),
        &[("README.md", "The site, published by gazette.\n")],
    );
    let bare = dir.path().join("site.git");

    // With the editor's git identity, which commits and is never printed.
    let identity = [
        ("GIT_CONFIG_COUNT", "1"),
        ("GIT_CONFIG_KEY_0", "user.email"),
        ("GIT_CONFIG_VALUE_0", "editor@a47.example"),
    ];
    let run = run_with_env(site.root(), NOW, &identity, &["deploy", &target]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !format!("{}{}", run.stdout, run.stderr).contains("editor@a47.example"),
        "{}",
        run.stdout
    );
    assert_contains(&run.stdout, "- README.md");
    assert_contains(
        &run.stdout,
        &format!(
            "{} added, 0 changed, 1 removed, 0 unchanged",
            built(&site).len()
        ),
    );
    assert_contains(&run.stdout, "pushed to pages of file://");
    assert_eq!(
        commits(&bare),
        2,
        "the earlier commit is kept under the new one"
    );
    let mut tree: Vec<String> = git(&bare, &["ls-tree", "-r", "--name-only", "pages"])
        .lines()
        .map(str::to_owned)
        .collect();
    tree.sort();
    assert_eq!(tree, built(&site), "the branch holds exactly the build");
    for file in [
        "index.html",
        "2026/11/25/tnw-colossus/index.html",
        "atom.xml",
    ] {
        let committed = git(&bare, &["show", &format!("pages:{file}")]);
        assert_eq!(committed, site.page(file), "{file}");
    }

    let again = site.run(&["deploy", &target]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_contains(&again.stdout, "0 added, 0 changed, 0 removed");
    assert_contains(&again.stdout, "pages already holds this build: no commit");
    assert_eq!(commits(&bare), 2);

    let entry = site.page_source("content/2026-11-25/tnw-colossus.md");
    site.write(
        "content/2026-11-25/tnw-colossus.md",
        &entry.replacen("\n---\n", "\n---\nAn editor's new line.\n\n", 1),
    );
    site.build();
    let dry = site.run(&["deploy", &target, "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert_contains(&dry.stdout, "~ 2026/11/25/tnw-colossus/index.html");
    assert_contains(&dry.stdout, "dry run: nothing committed or pushed");
    assert_eq!(commits(&bare), 2, "a dry run commits nothing");
    let edit = site.run(&["deploy", &target]);
    assert_eq!(edit.code, 0, "{}", edit.stderr);
    assert_contains(&edit.stdout, "~ 2026/11/25/tnw-colossus/index.html");
    assert_contains(&edit.stdout, "0 added, ");
    assert_eq!(commits(&bare), 3);
    let changed = git(&bare, &["diff", "--name-only", "pages~1", "pages"]);
    assert!(
        changed.lines().all(|f| !f.starts_with("2026/11/24/")),
        "the other day is untouched: {changed}"
    );
    assert_contains(&changed, "2026/11/25/tnw-colossus/index.html");
}

// Removals: capped by --max-deletes, and a published URL that the build
// no longer makes (and does not retire) is never removed.
#[test]
fn deploy_never_takes_a_published_url_down() {
    let site = SiteTest::new("");
    site.build();
    let dir = tempfile::tempdir().expect("temp");
    let target = repository(
        dir.path(),
        &[
            ("2026/11/20/gone/index.html", "<p>an old page</p>"),
            ("old.txt", "x"),
        ],
    );
    let bare = dir.path().join("site.git");
    let record = site.page_source("published-urls.txt");
    site.write(
        "published-urls.txt",
        &format!("{record}/2026/11/20/gone/\n"),
    );

    let capped = site.run(&["deploy", &target, "--max-deletes", "1"]);
    assert_eq!(capped.code, 1);
    assert_contains(
        &capped.stderr,
        "this deploy would take down 1 published URL, first `/2026/11/20/gone/`",
    );
    assert_contains(&capped.stderr, "`aliases:`");
    assert_eq!(commits(&bare), 1, "nothing pushed");

    // Retired in site.yaml: gone on purpose, and the cap still holds.
    let settings = site.page_source("content/site.yaml");
    site.write(
        "content/site.yaml",
        &format!("{settings}retired:\n  - /2026/11/20/gone/\n"),
    );
    site.build();
    let capped = site.run(&["deploy", &target, "--max-deletes", "1"]);
    assert_eq!(capped.code, 1);
    assert_contains(
        &capped.stderr,
        "this deploy would remove 2 files, more than --max-deletes 1",
    );
    assert_eq!(commits(&bare), 1);
    let run = site.run(&["deploy", &target, "--max-deletes", "2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_contains(&run.stdout, "- 2026/11/20/gone/index.html");
    assert_eq!(commits(&bare), 2);
}

// A build made to be looked at (`--drafts`, `--future`, another
// `--base-url`) is refused, naming what made it one, before anything is
// pushed: its drafts and its links to localhost would go live. The same
// site built plainly deploys, without the draft.
#[test]
fn deploy_refuses_a_preview_build() {
    let site = SiteTest::new("");
    site.write(
        "content/2026-11-25/z-embargoed.md",
        "---\nheadline: Embargoed until Monday\noutlet: tnw\nurl: https://thenextweb.com/embargo\ndraft: true\n---\n",
    );
    let dir = tempfile::tempdir().expect("temp");
    let target = repository(dir.path(), &[("README.md", "x")]);
    let bare = dir.path().join("site.git");

    site.build_with(&["--drafts", "--base-url", "http://127.0.0.1:8000/"]);
    let run = site.run(&["deploy", &target]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error: nothing deployed: `public` holds a preview build (made with `--drafts`, `--base-url http://127.0.0.1:8000/`), not one to publish\n \
         = help: build the site with `gazette build`, without those flags, then deploy; or run `gazette deploy --build`\n"
    );
    assert_eq!(commits(&bare), 1, "nothing pushed");
    site.build_with(&["--future"]);
    let run = site.run(&["deploy", &target]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(&run.stderr, "(made with `--future`)");
    assert_eq!(commits(&bare), 1, "nothing pushed");
    // `GAZETTE_NOW` a day ahead of the clock previews that day.
    let ahead = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    assert_eq!(site.run_at(&ahead, &["build"]).code, 0);
    let run = site.run(&["deploy", &target]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(&run.stderr, "(made with `GAZETTE_NOW=");
    assert_eq!(commits(&bare), 1, "nothing pushed");

    // site.yaml's own address is no preview; nor is a plain build.
    site.build_with(&["--base-url", "https://fixture.example"]);
    let run = site.run(&["deploy", &target, "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site.build();
    let run = site.run(&["deploy", &target]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(commits(&bare), 2);
    let tree = git(&bare, &["ls-tree", "-r", "--name-only", "pages"]);
    assert!(!tree.contains("embargoed"), "{tree}");
    assert!(
        !git(&bare, &["show", "pages:index.html"]).contains("127.0.0.1"),
        "the home page links the site's own address"
    );
}

// A folder gazette did not build, a target that is not one, a repository
// that is not there: clear errors, nothing pushed.
#[test]
fn deploy_refuses_what_it_cannot_do() {
    let site = SiteTest::new("");
    let run = site.run(&["deploy", "git+file:///nonexistent/site.git#pages"]);
    assert_eq!(run.code, 1);
    assert_contains(
        &run.stderr,
        "error: nothing deployed: `public` holds no build of the site",
    );
    site.build();
    let run = site.run(&["deploy", "git+file:///nonexistent/site.git"]);
    assert_contains(&run.stderr, "names no branch: end it with `#gh-pages`");
    let run = site.run(&["deploy", "git+file:///nonexistent/site.git#pages"]);
    assert_eq!(run.code, 1);
    assert_contains(
        &run.stderr,
        "error: nothing deployed: `git ls-remote` failed for file:///nonexistent/site.git",
    );
    let run = site.run(&["deploy"]);
    assert_contains(&run.stderr, "no deploy target given");
    // A file of the build replaced by a link to a secret: refused, not published.
    let secret = site.root().join("secret.txt");
    std::fs::write(&secret, "a private key").expect("write");
    let css = site.root().join("public/style.css");
    std::fs::remove_file(&css).expect("remove");
    std::os::unix::fs::symlink(&secret, &css).expect("symlink");
    let dir = tempfile::tempdir().expect("temp");
    let target = repository(dir.path(), &[("README.md", "x")]);
    let run = site.run(&["deploy", &target]);
    assert_eq!(run.code, 1);
    assert_contains(
        &run.stderr,
        "public/style.css` is listed in the build but is not a file gazette wrote (a link, or gone)",
    );
    assert_eq!(commits(&dir.path().join("site.git")), 1, "nothing pushed");
    // A token in the URL shows in no message, whether the target is
    // refused or git fails.
    for target in [
        "https://x-access-token:ghp_s3cret@github.invalid/a47/site.git",
        "git+https://x-access-token:ghp_s3cret@github.invalid/a47/site.git#pages",
    ] {
        let run = site.run(&["deploy", target]);
        assert_eq!(run.code, 1);
        assert!(
            !run.stderr.contains("ghp_s3cret") && !run.stdout.contains("ghp_s3cret"),
            "{}",
            run.stderr
        );
    }
}
