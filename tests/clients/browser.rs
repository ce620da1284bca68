//! Runs `tests/clients/browser.mjs` (axe, layout, Lighthouse in Chromium)
//! on a built site and reads its JSON.

use std::process::Command;

use crate::Built;

/// The `results` of `browser.mjs <check>` on `pages` of `site`.
pub fn run(check: &str, site: &Built, pages: &[String]) -> Vec<serde_json::Value> {
    let _one_at_a_time = crate::BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let artifacts = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/client-artifacts")
        .join(site.name);
    std::fs::create_dir_all(&artifacts).expect("artifacts folder");
    let out = Command::new("node")
        .arg(crate::tools::clients_dir().join("browser.mjs"))
        .arg(check)
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
        .env("CHROME_PATH", "/usr/bin/chromium")
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "browser.mjs {check} failed on {}:\n{}",
        site.name,
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "browser.mjs {check} printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    let results = json["results"].as_array().cloned().unwrap_or_default();
    // A page that could not be checked at all (404, time-out) is a failure
    // of the site, whatever the check; the broken fixture never hits this.
    for r in &results {
        assert!(
            r["error"].is_null(),
            "{}: {check} could not check {}: {}",
            site.name,
            r["page"],
            r["error"]
        );
    }
    results
}
