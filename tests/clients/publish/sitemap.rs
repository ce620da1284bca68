//! `sitemap.xml` against the sitemaps.org 0.9 XSD (npm `sitemap`), every
//! page listed once, and `robots.txt` as Python's robotparser reads it.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use super::{Out, assert_caught, assert_none, fixtures, python, results};
use crate::sites;
use crate::tools::{self, Missing};

/// The URL every HTML page is served at, but 404.html, email editions and
/// the pages that ask search engines not to index them (an alias's redirect).
fn page_urls(out: &Out) -> BTreeSet<String> {
    out.files()
        .into_iter()
        .filter(|f| f.ends_with(".html") && f != "404.html" && !f.ends_with("email.html"))
        .filter(|f| {
            let html = std::fs::read_to_string(out.dir.join(f)).unwrap_or_default();
            !html.contains("<meta name=\"robots\" content=\"noindex\">")
        })
        .map(|f| {
            let path = f.strip_suffix("index.html").unwrap_or(&f);
            format!("{}{path}", out.base_url)
        })
        .collect()
}

fn sitemap_problems(out: &Out, xsd: &Path) -> (usize, Vec<String>) {
    let mut problems = Vec::new();
    let json = python("sitemap", &[xsd.to_path_buf(), out.dir.join("sitemap.xml")]);
    let r = &results(&json)[0];
    if !r["not_well_formed"].is_null() {
        problems.push(format!(
            "sitemap.xml: not well-formed: {}",
            r["not_well_formed"]
        ));
    }
    for e in r["schema_errors"].as_array().into_iter().flatten() {
        problems.push(format!(
            "sitemap.xml: sitemaps.org XSD: {}",
            e.as_str().unwrap_or("")
        ));
    }
    let locs: Vec<String> = r["locs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l.as_str().map(str::to_owned))
        .collect();
    for loc in &locs {
        if !loc.starts_with(&out.base_url) {
            problems.push(format!(
                "sitemap.xml: loc `{loc}` is not an absolute URL under {}",
                out.base_url
            ));
        }
    }
    let pages = page_urls(out);
    if locs.len() != pages.len() {
        problems.push(format!(
            "sitemap.xml: {} locs for {} pages (HTML files but 404.html, the email editions and noindex pages)",
            locs.len(),
            pages.len()
        ));
    }
    let listed: BTreeSet<&String> = locs.iter().collect();
    if listed.len() != locs.len() {
        problems.push("sitemap.xml: a loc is listed twice".to_owned());
    }
    for page in pages.iter().filter(|p| !listed.contains(p)).take(5) {
        problems.push(format!("sitemap.xml: no loc for the page {page}"));
    }
    for loc in locs.iter().filter(|l| !pages.contains(*l)).take(5) {
        problems.push(format!("sitemap.xml: loc {loc} is no page of the site"));
    }
    let robots = python("robots", &[out.dir.join("robots.txt")]);
    let r = &results(&robots)[0];
    let sitemap = format!("{}sitemap.xml", out.base_url);
    if !r["sitemaps"]
        .as_array()
        .is_some_and(|s| s.iter().any(|u| u == sitemap.as_str()))
    {
        problems.push(format!(
            "robots.txt: robotparser finds no `Sitemap: {sitemap}` (it finds {})",
            r["sitemaps"]
        ));
    }
    if r["root_allowed"] != true {
        problems.push("robots.txt: robotparser may not fetch `/`".to_owned());
    }
    (locs.len(), problems)
}

// 3. sitemap.xml is well-formed, valid by the sitemaps.org 0.9 XSD, and
// lists every page (absolute, under the base URL) once; robots.txt names it.
// The fixture's relative loc, bad lastmod, missing pages, unclosed element
// and robots.txt without a Sitemap line are caught.
pub fn sitemap_matches_the_sitemaps_schema() -> Result<(), Missing> {
    let xsd = tools::node_package_file("sitemap", "schema/sitemap.xsd")?;
    tools::python(&["lxml"])?;
    for site in sites() {
        let started = Instant::now();
        let (locs, problems) = sitemap_problems(&Out::of(site), &xsd);
        assert_none(site.name, "sitemap", &problems);
        tools::report(&format!(
            "{}: sitemap.xml: valid by the sitemaps.org 0.9 XSD, {locs} locs = the pages; robots.txt names it [{:.1} s]",
            site.name,
            started.elapsed().as_secs_f64()
        ));
    }
    let (_, problems) = sitemap_problems(&Out::broken(), &xsd);
    assert_caught(
        "sitemap",
        &problems,
        &[
            "'yesterday' is not a valid value",
            "loc `/2026/11/25/` is not an absolute URL",
            "2 locs for 5 pages",
            "robots.txt: robotparser finds no `Sitemap: https://fixture.example/sitemap.xml`",
        ],
    );
    let json = python(
        "sitemap",
        &[xsd, fixtures().join("sitemap/not-well-formed.xml")],
    );
    assert!(
        results(&json)[0]["not_well_formed"]
            .as_str()
            .is_some_and(|e| e.contains("mismatch")),
        "the unclosed element was not caught: {json}"
    );
    Ok(())
}
