//! A chaining harness: copy a fixture site into a temp folder, change files,
//! run the real `gazette` binary, look at what it wrote.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The moment tests build at, so "scheduled" does not depend on the clock:
/// 2026-11-26 06:00 in America/Chicago (the fixtures' timezone).
pub const NOW: &str = "2026-11-26T12:00:00Z";

pub struct SiteTest {
    dir: tempfile::TempDir,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/fixtures")
}

impl SiteTest {
    /// The `base` fixture with the files of `fixtures/<case>` laid over it,
    /// and the default theme unless the case brings its own.
    pub fn new(case: &str) -> SiteTest {
        let site = SiteTest::empty();
        copy_tree(&fixtures().join("base"), site.root());
        if !case.is_empty() {
            let overlay = fixtures().join(case);
            assert!(overlay.is_dir(), "no fixture `{}`", overlay.display());
            copy_tree(&overlay, site.root());
        }
        site
    }

    /// The files of `fixtures/<case>` alone, a whole site, with the default
    /// theme unless the case brings its own.
    pub fn standalone(case: &str) -> SiteTest {
        let site = SiteTest::empty();
        let fixture = fixtures().join(case);
        assert!(fixture.is_dir(), "no fixture `{}`", fixture.display());
        copy_tree(&fixture, site.root());
        site
    }

    /// A folder holding only the default theme.
    pub fn empty() -> SiteTest {
        let dir = tempfile::tempdir().expect("a temp dir");
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        copy_tree(&theme, &dir.path().join("themes/default"));
        SiteTest { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
        self
    }

    /// A file of the site itself, e.g. `content/site.yaml`.
    pub fn page_source(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join(rel)).expect("read")
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.root().join(rel)).expect("remove");
        self
    }

    /// Runs `gazette ARGS` in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_at(NOW, args)
    }

    /// Runs `gazette ARGS` as if the time were `now` (RFC 3339).
    pub fn run_at(&self, now: &str, args: &[&str]) -> Run {
        run_in(self.root(), now, args)
    }

    /// `gazette build ARGS`, which must succeed.
    pub fn build_with(&self, args: &[&str]) -> Run {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let run = self.run(&all);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }

    pub fn build(&self) -> Run {
        self.build_with(&[])
    }

    /// A file of `public/`.
    pub fn page(&self, rel: &str) -> String {
        let path = self.root().join("public").join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("no page {}: {e}", path.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.root().join("public").join(rel).exists()
    }

    /// The `<main>` element of a page: the content, without the chrome.
    pub fn main_of(&self, rel: &str) -> String {
        let page = self.page(rel);
        let start = page.find("<main").expect("a <main>");
        let end = page.rfind("</main>").expect("a </main>") + "</main>".len();
        page[start..end].to_owned()
    }

    /// Every file under `public/` with its bytes, sorted by path.
    pub fn output_files(&self) -> Vec<(String, Vec<u8>)> {
        let public = self.root().join("public");
        let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(&public)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(&public)
                    .expect("inside")
                    .to_string_lossy()
                    .into_owned();
                (rel, std::fs::read(e.path()).expect("read"))
            })
            .collect();
        files.sort();
        files
    }
}

pub use crate::common::copy_tree;

/// Runs `gazette ARGS` in `dir` as if the time were `now`, with no
/// terminal on stdin (so nothing asks a question).
pub fn run_in(dir: &Path, now: &str, args: &[&str]) -> Run {
    run_with_env(dir, now, &[], args)
}

/// [`run_in`] with `env` set as well (`NO_COLOR`, `CLICOLOR_FORCE`).
pub fn run_with_env(dir: &Path, now: &str, env: &[(&str, &str)], args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .current_dir(dir)
        .env("GAZETTE_NOW", now)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("gazette runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Asserts `needle` occurs in `haystack`, showing the haystack when not.
#[track_caller]
pub fn assert_contains(haystack: &str, needle: &str) {
    assert!(
        haystack.contains(needle),
        "`{needle}` not found in:\n{haystack}"
    );
}

/// The positions of `needles` in `haystack`, which must be increasing.
#[track_caller]
pub fn assert_in_order(haystack: &str, needles: &[&str]) {
    let mut last = 0;
    for needle in needles {
        let at = haystack[last..]
            .find(needle)
            .unwrap_or_else(|| panic!("`{needle}` not found after byte {last} in:\n{haystack}"));
        last += at + needle.len();
    }
}
