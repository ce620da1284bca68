//! `_headers`, the HTTP headers Netlify and Cloudflare Pages send with each
//! file: CSS and JavaScript named by a hash of their bytes
//! ([`crate::statics::fingerprint`]) are kept by browsers and CDNs for a
//! year, never asked for again (`immutable`); pages and feeds are asked
//! for again before a kept copy is shown (`no-cache`), so a new issue is
//! seen at once.
//!
//! Cloudflare Pages joins the values of every rule a URL matches, and
//! Netlify reads no way to take one back, so no rule may match both kinds:
//! pages get one rule per top-level folder that holds them (`/2026/*`,
//! `/tags/*`), and none for a folder that holds a fingerprinted file.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{Body, Job, Scope};
use crate::site::urls;

/// `_headers`, when the site has pages or fingerprinted files.
pub fn jobs(scope: &Scope<'_>, jobs: &mut Vec<Job>) {
    let config = &scope.site.config;
    let hashed: Vec<&str> = (scope.site.assets.values())
        .filter(|asset| asset.integrity.is_some())
        .map(|asset| asset.path.as_str())
        .collect();
    let mut text =
        String::from("# HTTP headers for Netlify and Cloudflare Pages, made by gazette.\n");
    if !hashed.is_empty() {
        text.push_str("# Named by a hash of their bytes: they never change.\n");
        for path in &hashed {
            let _ = writeln!(
                text,
                "{}\n  Cache-Control: public, max-age=31536000, immutable",
                config.url(path)
            );
        }
    }
    // Where the pages are: the home page, files at the top, and folders.
    let mut top_files = BTreeSet::new();
    let mut folders = BTreeSet::new();
    for job in scope.listed {
        let is_page = match job.body {
            Body::Page { .. } | Body::Email { .. } => true,
            Body::Text(_) | Body::Feed(_) | Body::Card { .. } => false,
        };
        if !is_page {
            continue;
        }
        match job.path.split_once('/') {
            Some((folder, _)) => folders.insert(folder),
            None => top_files.insert(job.path.as_str()),
        };
    }
    let clashes = |folder: &str| hashed.iter().any(|p| p.starts_with(&format!("{folder}/")));
    let mut rules: Vec<String> = Vec::new();
    for file in top_files {
        rules.push(match file {
            "index.html" => config.url(""),
            other => config.url(other),
        });
    }
    for folder in folders.into_iter().filter(|f| !clashes(f)) {
        rules.push(format!("{}*", config.url(&format!("{folder}/"))));
    }
    if !rules.is_empty() {
        text.push_str("# Pages: asked for again before a kept copy is shown.\n");
        for rule in rules {
            let _ = writeln!(text, "{rule}\n  Cache-Control: no-cache");
        }
    }
    jobs.push(Job {
        path: urls::HEADERS.to_owned(),
        body: Body::Text(text),
    });
}
