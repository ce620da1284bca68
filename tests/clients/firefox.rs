//! The reader's checks in a second engine: Firefox ESR, started by
//! geckodriver and driven over WebDriver BiDi (`firefox_pages.mjs`). The
//! key pages of both sites hold at 375 and 1280 px, light and dark (no
//! sideways scroll, no console error, no failed request), and the search
//! box finds an entry. The broken fixture page proves that the checks see
//! what they look for. Screenshots: `target/client-artifacts/<site>/firefox-*`.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::tools::{self, Missing};
use crate::{Built, broken, sites};

/// `firefox_pages.mjs <command>` on `pages` of `site`: Firefox's version
/// and the results.
fn run(command: &str, site: &Built, pages: &[String], query: Option<&str>) -> (String, Vec<Value>) {
    let geckodriver = tools::firefox().expect("checked by the caller");
    let _one_at_a_time = crate::BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/client-artifacts")
        .join(site.name);
    let mut node = Command::new("node");
    node.arg(tools::clients_dir().join("firefox_pages.mjs"))
        .arg(command)
        .arg("--dir")
        .arg(&site.out)
        .args([
            "--port",
            &site.port.to_string(),
            "--pages",
            &pages.join(","),
        ])
        .arg("--artifacts")
        .arg(&artifacts)
        .env("GECKODRIVER_PATH", geckodriver);
    if let Some(query) = query {
        node.args(["--query", query]);
    }
    let out = node.output().expect("node runs");
    assert!(
        out.status.success(),
        "firefox_pages.mjs {command} failed on {}:\n{}",
        site.name,
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "firefox_pages.mjs printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    let results = json["results"].as_array().cloned().unwrap_or_default();
    for r in &results {
        assert!(
            r["error"].is_null(),
            "{}: {} could not be checked: {}",
            site.name,
            r["page"],
            r["error"]
        );
    }
    (json["version"].as_str().unwrap_or("").to_owned(), results)
}

// 3b. The layout check of Chromium, in Firefox: at 375 px (light and dark)
// and 1280 px, no page scrolls sideways, logs an error or fails a request;
// the dark scheme is really applied. The broken page fails all three.
pub fn layout_holds_in_firefox() -> Result<(), Missing> {
    tools::firefox()?;
    for site in sites() {
        let (version, results) = run("layout", site, &site.pages, None);
        assert_eq!(
            results.len(),
            site.pages.len() * 3,
            "{}: a result per page and view",
            site.name
        );
        for r in &results {
            let at = format!(
                "{}: {} at {} px ({}) in Firefox",
                site.name, r["page"], r["width"], r["scheme"]
            );
            assert!(
                r["scrollWidth"].as_u64() <= r["clientWidth"].as_u64(),
                "{at} scrolls sideways: {r}"
            );
            assert_eq!(
                r["dark"],
                r["scheme"] == "dark",
                "{at}: scheme not applied: {r}"
            );
            for log in ["consoleErrors", "pageErrors", "failedRequests"] {
                assert_eq!(r[log], serde_json::json!([]), "{at}: {log}: {r}");
            }
            assert!(
                r["screenshot"]
                    .as_str()
                    .is_some_and(|p| Path::new(p).is_file()),
                "{at}: no screenshot"
            );
        }
        tools::report(&format!(
            "{}: Firefox {version}: {} page views clean",
            site.name,
            results.len()
        ));
    }
    let site = broken();
    let (_, results) = run("layout", site, &site.pages, None);
    let r = results.first().expect("a result");
    crate::pages::assert_broken_layout_caught(r, "Firefox");
    Ok(())
}

// 7c. Typed into the search box in Firefox, a word of the newest entry's
// summary finds the entry on the 300-entry site, with nothing logged or failed.
pub fn search_finds_entries_in_firefox() -> Result<(), Missing> {
    tools::firefox()?;
    let site = &sites()[1];
    let (entry, word) = crate::search::newest_entry_and_word(&site.out);
    let (version, results) = run("search", site, &[String::new()], Some(&word));
    let seen = results.first().expect("a result");
    let what = format!("Firefox {version}: {:?} on {}", word, site.name);
    assert!(
        seen["timedOut"].is_null(),
        "{what}: results never settled: {seen:#}"
    );
    let listed = seen["results"].as_array().expect("results");
    assert!(
        listed
            .iter()
            .any(|r| r["href"] == entry["url"] && r["title"] == entry["title"]),
        "{what}: the entry {} is not among the results: {listed:#?}",
        entry["url"]
    );
    for log in ["consoleErrors", "pageErrors", "failedRequests"] {
        assert_eq!(seen[log], serde_json::json!([]), "{what}: {log}");
    }
    tools::report(&format!(
        "search {what}: {} ({} shown)",
        seen["status"].as_str().unwrap_or(""),
        listed.len()
    ));
    Ok(())
}
