//! No script reaches a reader from Markdown, as a browser sees it: the
//! testsuite's `hostile` fixture (scripts in every form, in an entry, a
//! story, an issue note and a page), built as published and opened in
//! Chromium, where `browser.mjs scripts` hovers, focuses and clicks every
//! element and listens for dialogs and console messages.
//!
//! Two negative controls show the check can fail: the same fixture built
//! with `unsafe_html: true` (the payloads are live), and the broken page's
//! `javascript:` link.

use std::path::Path;

use crate::tools::{self, Missing};
use crate::{Built, browser};

/// The pages of the hostile fixture where its Markdown lands.
const PAGES: [&str; 6] = [
    "",
    "2026/11/25/",
    "2026/11/25/hostile-body/",
    "2026/11/25/hostile-story/",
    "2026/11/25/email.html",
    "hostile/",
];

/// The `hostile` fixture over the testsuite's `base`, built for 127.0.0.1.
fn hostile(name: &'static str, unsafe_html: bool) -> Built {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/fixtures");
    let dir = tempfile::tempdir().expect("temp");
    let root = dir.path().join("site");
    crate::copy_tree(&fixtures.join("base"), &root);
    crate::copy_tree(&fixtures.join("hostile"), &root);
    crate::copy_theme(&root);
    if unsafe_html {
        let settings = root.join("content/site.yaml");
        let text = std::fs::read_to_string(&settings).expect("site.yaml");
        std::fs::write(&settings, format!("{text}unsafe_html: true\n")).expect("site.yaml");
    }
    crate::build(name, &root, dir, PAGES.map(String::from).to_vec())
}

/// What ran, or could run, on each page: one line per finding.
fn findings(results: &[serde_json::Value]) -> Vec<String> {
    results
        .iter()
        .flat_map(|r| {
            ["dialogs", "console", "pageErrors", "unsafeUrls", "handlers"]
                .into_iter()
                .flat_map(move |kind| {
                    r[kind]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                        .into_iter()
                        // A missing image (`<img src=x>` once its handler is
                        // gone) is logged by the browser, not by a script.
                        .filter(|f| !f.to_string().contains("Failed to load resource"))
                        .map(move |f| format!("{} {kind}: {f}", r["page"]))
                })
        })
        .collect()
}

// 6. The hostile fixture's pages and email edition run no script in
// Chromium: no dialog, console message or error, no `javascript:` URL or
// `on…` attribute in the DOM, after every element is hovered, focused and
// clicked. Built with `unsafe_html: true` the same pages do fire dialogs,
// and the broken page's `javascript:` link does when clicked.
pub fn no_script_runs_from_markdown() -> Result<(), Missing> {
    tools::chromium()?;
    let site = hostile("hostile", false);
    let results = browser::run("scripts", &site, &site.pages);
    assert_eq!(results.len(), PAGES.len());
    let found = findings(&results);
    assert!(
        found.is_empty(),
        "scripts on the hostile site:\n{}",
        found.join("\n")
    );
    tools::report(&format!(
        "hostile: scripts: nothing ran on {} pages",
        PAGES.len()
    ));

    let live = hostile("hostile-unsafe", true);
    let results = browser::run("scripts", &live, &live.pages);
    for page in ["2026/11/25/hostile-body/", "2026/11/25/email.html"] {
        let dialogs = results
            .iter()
            .find(|r| r["page"] == page)
            .map(|r| r["dialogs"].to_string())
            .unwrap_or_default();
        assert!(
            dialogs.contains("alert: 1"),
            "with `unsafe_html: true`, {page} fired no alert: {dialogs}"
        );
    }

    let broken = crate::broken();
    let found = findings(&browser::run("scripts", broken, &broken.pages)).join("\n");
    for expected in [
        "dialogs: \"alert: broken on purpose\"",
        "console: \"error: broken on purpose\"",
        "unsafeUrls",
    ] {
        assert!(
            found.contains(expected),
            "the broken page's scripts were missed (`{expected}`):\n{found}"
        );
    }
    Ok(())
}
