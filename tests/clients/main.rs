//! The client tier: the built sites as browsers, validators and crawlers
//! see them. Builds (a) the repository's own site and (b) a generated site
//! of 300 entries, then checks them with the Nu HTML checker, axe-core,
//! Chromium (layout), Lighthouse and a link checker; a site of hostile
//! Markdown is opened in Chromium, where none of it may run (`scripts`). A
//! fixture page broken on purpose proves that no check passes vacuously.
//!
//! Tools: `bash .ci/setup-clients`. Screenshots: `target/client-artifacts/`.
#![allow(clippy::unwrap_used)]

#[path = "../common/mod.rs"]
mod common;

mod browser;
mod corpus;
mod links;
mod live;
mod publish;
mod scripts;
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

pub use common::{copy_tree, free_port};

/// A site built for serving on 127.0.0.1:`port`.
pub struct Built {
    pub name: &'static str,
    pub out: PathBuf,
    pub port: u16,
    pub base_url: String,
    /// Pages every browser check opens: home, issue, story, entry, outlet, tag, archive.
    pub pages: Vec<String>,
    _dir: tempfile::TempDir,
}

/// Only one browser at a time: two cores, and Lighthouse measures speed.
pub static BROWSER: Mutex<()> = Mutex::new(());

fn build(name: &'static str, root: &Path, dir: tempfile::TempDir, pages: Vec<String>) -> Built {
    let port = free_port();
    let base_url = format!("http://127.0.0.1:{port}/");
    let out = dir.path().join("public");
    let run = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&out)
        .args(["--base-url", &base_url])
        .env("GAZETTE_NOW", "2026-11-26T12:00:00Z")
        .output()
        .expect("gazette runs");
    assert!(
        run.status.success(),
        "{name} did not build:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    Built {
        name,
        out,
        port,
        base_url,
        pages,
        _dir: dir,
    }
}

/// The repository's A47 site and the generated 300-entry site.
pub fn sites() -> &'static [Built] {
    static SITES: OnceLock<Vec<Built>> = OnceLock::new();
    SITES.get_or_init(|| {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let a47 = build(
            "a47",
            repo,
            tempfile::tempdir().expect("temp"),
            [
                "",
                "2026/11/25/",
                "2026/11/25/spacex-colossus/",
                "2026/11/25/tnw-colossus/",
                "outlets/tnw/",
                "tags/spacex/",
                "archive/",
            ]
            .map(String::from)
            .to_vec(),
        );
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path().join("site");
        corpus::write(&root, 300);
        copy_theme(&root);
        let day = "2026/11/15/";
        // The 300th entry: every 25th has a fenced code block, so the checks
        // see highlighted code too.
        let entry = std::fs::read_dir(root.join("content/2026-11-15"))
            .expect("the last day")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n.ends_with("-19.md"))
            .expect("the day's last entry")
            .replace(".md", "");
        let generated = build(
            "generated",
            &root,
            dir,
            vec![
                String::new(),
                day.to_owned(),
                format!("{day}story-11-15/"),
                format!("{day}{entry}/"),
                "outlets/tnw/".to_owned(),
                "tags/chips/".to_owned(),
                "archive/".to_owned(),
            ],
        );
        let code_page = generated.out.join(&generated.pages[3]).join("index.html");
        let html = std::fs::read_to_string(code_page).expect("the entry page");
        assert!(
            html.contains("class=\"code\""),
            "the checked entry page should show code"
        );
        vec![a47, generated]
    })
}

/// The fixture site whose `broken/` page breaks every rule once.
pub fn broken() -> &'static Built {
    static BROKEN: OnceLock<Built> = OnceLock::new();
    BROKEN.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path().join("site");
        copy_tree(&tools::clients_dir().join("fixtures/broken"), &root);
        copy_theme(&root);
        build("broken", &root, dir, vec!["broken/".to_owned()])
    })
}

fn copy_theme(root: &Path) {
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        &root.join("themes/default"),
    );
}

/// Nu HTML checker errors in every `.html` file under `dir`, as "file: message".
fn nu_errors(jar: &Path, dir: &Path) -> Vec<String> {
    let out = Command::new("java")
        .arg("-jar")
        .arg(jar)
        .args([
            "--skip-non-html",
            "--errors-only",
            "--format",
            "json",
            "--stdout",
        ])
        .arg(dir)
        .output()
        .expect("java runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "vnu printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    report["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
        .map(|m| {
            let file = m["url"]
                .as_str()
                .unwrap_or("")
                .rsplit_once(dir.to_str().unwrap_or("/"))
                .map_or("", |(_, f)| f)
                .to_owned();
            format!(
                "{file}:{}: {}",
                m["lastLine"],
                m["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

// 1. Every page of both sites passes the Nu HTML checker; the broken page does not.
#[test]
fn html_passes_the_nu_checker() {
    let Some(jar) = tools::vnu("Nu HTML checker") else {
        return;
    };
    for site in sites() {
        let errors = nu_errors(&jar, &site.out);
        assert!(
            errors.is_empty(),
            "{}: the Nu checker found:\n{}",
            site.name,
            errors.join("\n")
        );
        tools::report(&format!("{}: Nu HTML checker: no errors", site.name));
    }
    let errors = nu_errors(&jar, &broken().out);
    assert!(
        errors.iter().any(|e| e.contains("broken/index.html")),
        "the broken page passed: {errors:?}"
    );
}

// 5. No internal link or #anchor leads nowhere; the broken page's two do.
#[test]
fn no_broken_internal_links() {
    for site in sites() {
        let broken = links::check(&site.out, &site.base_url);
        assert!(
            broken.is_empty(),
            "{}: broken links:\n{broken:#?}",
            site.name
        );
    }
    let site = broken();
    let found: Vec<String> = links::check(&site.out, &site.base_url)
        .into_iter()
        .map(|b| b.link)
        .collect();
    for link in [
        format!("{}nowhere/", site.base_url),
        "#no-such-anchor".to_owned(),
        format!("{}missing.png", site.base_url),
    ] {
        assert!(found.contains(&link), "`{link}` was not caught: {found:?}");
    }
}

/// A short line per finding, for assertion messages.
fn describe(results: &[serde_json::Value], findings: &str) -> Vec<String> {
    results
        .iter()
        .flat_map(|r| {
            let at = format!("{} {} {}", r["page"], r["width"], r["scheme"]);
            r[findings]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(move |f| format!("{at}: {f}"))
        })
        .collect()
}

// 2. axe-core finds no violation on the key pages, light and dark; it does
// find the broken page's missing alt text and faint text.
#[test]
fn no_accessibility_violations() {
    if !tools::browser("axe-core") {
        return;
    }
    for site in sites() {
        let results = browser::run("axe", site, &site.pages);
        assert_eq!(
            results.len(),
            site.pages.len() * 4,
            "a result per page, scheme and width"
        );
        let violations = describe(&results, "violations");
        assert!(
            violations.is_empty(),
            "{}: axe found:\n{}",
            site.name,
            violations.join("\n")
        );
        tools::report(&format!(
            "{}: axe: no violations on {} pages, light and dark",
            site.name,
            site.pages.len()
        ));
    }
    let site = broken();
    let found = describe(&browser::run("axe", site, &site.pages), "violations").join("\n");
    for rule in ["image-alt", "color-contrast"] {
        assert!(
            found.contains(rule),
            "axe missed `{rule}` on the broken page:\n{found}"
        );
    }
}

// 3. At 375 and 1280 px: no horizontal scrolling, no console errors, no
// failed requests; screenshots land in target/client-artifacts/.
#[test]
fn layout_holds_at_phone_and_desktop_widths() {
    if !tools::browser("Chromium layout") {
        return;
    }
    for site in sites() {
        let results = browser::run("layout", site, &site.pages);
        assert!(!results.is_empty());
        for r in &results {
            let at = format!(
                "{}: {} at {} px ({})",
                site.name, r["page"], r["width"], r["scheme"]
            );
            assert!(
                r["scrollWidth"].as_u64() <= r["clientWidth"].as_u64(),
                "{at} scrolls sideways: {r}"
            );
            assert_eq!(
                r["consoleErrors"].as_array().map(Vec::len),
                Some(0),
                "{at} logged errors: {r}"
            );
            assert_eq!(
                r["failedRequests"].as_array().map(Vec::len),
                Some(0),
                "{at} had failed requests: {r}"
            );
            assert!(
                r["screenshot"]
                    .as_str()
                    .is_some_and(|p| Path::new(p).is_file()),
                "{at}: no screenshot"
            );
        }
        tools::report(&format!(
            "{}: layout: {} page views clean; screenshots in target/client-artifacts/{}",
            site.name,
            results.len(),
            site.name
        ));
    }
    let site = broken();
    let results = browser::run("layout", site, &site.pages);
    let r = results.first().expect("a result");
    assert!(
        r["scrollWidth"].as_u64() > r["clientWidth"].as_u64(),
        "the 2000 px block did not scroll: {r}"
    );
    assert!(
        r["consoleErrors"].to_string().contains("broken on purpose"),
        "console error missed: {r}"
    );
    assert!(
        r["failedRequests"].to_string().contains("missing.png"),
        "failed request missed: {r}"
    );
}

// 4. Lighthouse: performance, accessibility, best practices and SEO each at
// least 0.95 on home, issue and story pages; the broken page falls short.
#[test]
fn lighthouse_scores_at_least_095() {
    if !tools::browser("Lighthouse") {
        return;
    }
    for site in sites() {
        let pages = &site.pages[..3];
        let results = browser::run("lighthouse", site, pages);
        assert_eq!(results.len(), pages.len());
        for r in &results {
            tools::report(&format!(
                "{}: Lighthouse {}: {}",
                site.name, r["page"], r["scores"]
            ));
            for (category, score) in r["scores"].as_object().expect("scores") {
                let score = score.as_f64().unwrap_or(0.0);
                assert!(
                    score >= 0.95,
                    "{}: {} scores {score} in {category}; failing audits: {}",
                    site.name,
                    r["page"],
                    r["failing"]
                );
            }
        }
    }
    let site = broken();
    let results = browser::run("lighthouse", site, &site.pages);
    let scores = &results.first().expect("a result")["scores"];
    let low = scores
        .as_object()
        .expect("scores")
        .values()
        .filter(|s| s.as_f64().unwrap_or(0.0) < 0.95)
        .count();
    assert!(
        low >= 2,
        "the broken page should fail accessibility and SEO: {scores}"
    );
}
