//! The pages as readers' tools see them: the Nu HTML checker, our link
//! checker, axe-core, Chromium's layout and Lighthouse, on both sites of
//! [`crate::sites`], each also run on the page broken on purpose, which it
//! must fail.

use std::path::Path;
use std::process::Command;

use crate::tools::{self, Missing};
use crate::{broken, browser, links, sites};

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
pub fn html_passes_the_nu_checker() -> Result<(), Missing> {
    let jar = tools::vnu()?;
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
    Ok(())
}

// 6. An alias's old URL leads Chromium to the page that replaced it, and
// its redirect page is among those the Nu checker passed (1).
pub fn aliases_redirect_in_chromium() -> Result<(), Missing> {
    tools::browser()?;
    let site = &sites()[1];
    let day = "2026/11/15/";
    let old = format!("{day}{}/", crate::corpus::RENAMED);
    let redirect = std::fs::read_to_string(site.out.join(&old).join("index.html"))
        .expect("the alias's redirect page");
    assert!(redirect.contains("<meta name=\"robots\" content=\"noindex\">"));
    let redirects = std::fs::read_to_string(site.out.join("_redirects")).expect("_redirects");
    let line = redirects
        .lines()
        .find(|l| l.starts_with(&format!("/{old} ")))
        .expect("_redirects lists the alias");
    let target = line.split(' ').nth(1).expect("a target").to_owned();
    assert!(target.starts_with(&format!("/{day}")) && target != format!("/{old}"));
    let results = browser::run("redirects", site, std::slice::from_ref(&old));
    assert_eq!(results[0]["landed"], target.as_str(), "{results:?}");
    let page =
        std::fs::read_to_string(site.out.join(&target[1..]).join("index.html")).expect("the page");
    let title = results[0]["title"].as_str().unwrap_or_default();
    assert!(!title.is_empty() && page.contains(&format!("<title>{title}")));
    tools::report(&format!("{}: /{old} -> {target} in Chromium", site.name));
    Ok(())
}

// 5. No internal link or #anchor leads nowhere; the broken page's two do.
pub fn no_broken_internal_links() {
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
pub fn no_accessibility_violations() -> Result<(), Missing> {
    tools::browser()?;
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
    Ok(())
}

// 3. At 375 and 1280 px: no horizontal scrolling, no console errors, no
// failed requests; printed, every outbound link shows its address;
// screenshots land in target/client-artifacts/.
pub fn layout_holds_at_phone_and_desktop_widths() -> Result<(), Missing> {
    tools::browser()?;
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
                r["unprinted"].as_array().is_none_or(Vec::is_empty),
                "{at}: printed, these links lose their address: {r}"
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
    assert_broken_layout_caught(results.first().expect("a result"), "Chromium");
    let desktop = results
        .iter()
        .find(|r| r["width"] == 1280)
        .expect("a result at 1280 px");
    assert!(
        desktop["unprinted"].to_string().contains("lost-on-paper"),
        "Chromium: the link printed without its address was missed: {desktop}"
    );
    Ok(())
}

/// The layout check's result on the broken page, in `engine`: it saw the
/// sideways scroll, the console error and the failed request.
pub fn assert_broken_layout_caught(r: &serde_json::Value, engine: &str) {
    assert!(
        r["scrollWidth"].as_u64() > r["clientWidth"].as_u64(),
        "{engine}: the 2000 px block did not scroll: {r}"
    );
    assert!(
        r["consoleErrors"].to_string().contains("broken on purpose"),
        "{engine}: console error missed: {r}"
    );
    assert!(
        r["failedRequests"].to_string().contains("missing.png"),
        "{engine}: failed request missed: {r}"
    );
}

// 4. Lighthouse: performance, accessibility, best practices and SEO each at
// least 0.95 on home, issue and story pages; the broken page falls short.
pub fn lighthouse_scores_at_least_095() -> Result<(), Missing> {
    tools::browser()?;
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
    Ok(())
}
