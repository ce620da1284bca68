//! What a site publishes besides its pages, as the tools on the other end
//! read it: the feeds in Python's feedparser and in feed-rs, `feed.json`
//! against the JSON Feed 1.1 schema (npm `jsonfeed-schema`) with formats
//! checked, the sitemap against the sitemaps.org 0.9 XSD (as shipped in npm
//! `sitemap`) and `robots.txt` in Python's robotparser, and each issue's email
//! edition: caniemail's data for Gmail and Apple Mail (`doiuse-email`), CSS
//! inlined, absolute URLs, 102 KB, Chromium at 600 px, and its plain-text
//! twin's numbered links; and the publishing commands against real servers:
//! `gazette send --proof` (aiosmtpd) and `gazette deploy s3://…` (moto).
//!
//! Every check runs on both sites of [`crate::sites`], and on the outputs
//! broken on purpose in `fixtures/publish/` (see its README), which it must
//! reject. The Python side is `feeds.py`, the Node side `email.mjs`.
//!
//! This module holds what they share: the output to read ([`Out`]), the
//! runners of those scripts, and the assertions.

pub mod deploy;
pub mod email;
pub mod email_txt;
pub mod feed_rs;
pub mod feeds;
pub mod json_feed;
pub mod send;
pub mod sitemap;

use std::path::PathBuf;
use std::process::Command;

use crate::{Built, tools};

/// Whether `file` is a story's feed: `YYYY/MM/DD/<slug>/atom.xml`.
fn is_story_feed(file: &str) -> bool {
    let parts: Vec<&str> = file.split('/').collect();
    parts.len() == 5
        && parts[4] == "atom.xml"
        && [4, 2, 2]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A server script of `tests/clients/` (`smtp.py`, `s3.py`) running until
/// dropped, with the ports it announced on its first line (`ready PORT…`).
pub(crate) struct Script {
    child: std::process::Child,
    pub(crate) ports: Vec<u16>,
}

impl Script {
    /// Runs `python3 <script> <args>` and waits for its `ready` line.
    pub(crate) fn start(script: &str, args: &[&std::ffi::OsStr]) -> Script {
        use std::io::BufRead as _;
        let mut child = Command::new("python3")
            .arg(tools::clients_dir().join(script))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3 runs");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .unwrap_or_else(|e| panic!("{script} says nothing: {e}"));
        let ports: Vec<u16> = line
            .trim()
            .strip_prefix("ready ")
            .map(|p| p.split(' ').filter_map(|n| n.parse().ok()).collect())
            .unwrap_or_default();
        assert!(!ports.is_empty(), "{script} did not start: {line:?}");
        Script { child, ports }
    }
}

impl Drop for Script {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A built output to check: one of the sites, or the broken fixture.
struct Out {
    name: &'static str,
    dir: PathBuf,
    base_url: String,
}

impl Out {
    fn of(site: &Built) -> Out {
        Out {
            name: site.name,
            dir: site.out.clone(),
            base_url: site.base_url.clone(),
        }
    }

    /// `fixtures/publish/public/`, built (by hand) for `https://fixture.example/`.
    fn broken() -> Out {
        Out {
            name: "fixture",
            dir: fixtures().join("public"),
            base_url: "https://fixture.example/".to_owned(),
        }
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Every file under the output, relative, `/`-separated, sorted.
    fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(&self.dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&self.dir)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        files.sort();
        files
    }

    /// The issues, by their folders `YYYY/MM/DD/` holding an `index.html`,
    /// newest first.
    fn issues(&self) -> Vec<String> {
        let mut issues: Vec<String> = self
            .files()
            .into_iter()
            .filter_map(|f| f.strip_suffix("index.html").map(str::to_owned))
            .filter(|dir| {
                let parts: Vec<&str> = dir.trim_end_matches('/').split('/').collect();
                parts.len() == 3
                    && [4, 2, 2]
                        .iter()
                        .zip(&parts)
                        .all(|(n, p)| p.len() == *n && p.bytes().all(|b| b.is_ascii_digit()))
            })
            .collect();
        issues.sort_by(|a, b| b.cmp(a));
        issues
    }

    /// The folders under `tags/` or `outlets/` that hold a page.
    fn taxonomy(&self, kind: &str) -> Vec<String> {
        self.files()
            .into_iter()
            .filter_map(|f| {
                let rest = f.strip_prefix(&format!("{kind}/"))?;
                let key = rest.strip_suffix("/index.html")?;
                (!key.contains('/')).then(|| key.to_owned())
            })
            .collect()
    }

    /// The site feeds and the feed of every tag and outlet, those that exist.
    fn xml_feeds(&self) -> Vec<String> {
        let mut feeds = vec!["feed.xml".to_owned(), "atom.xml".to_owned()];
        for kind in ["tags", "outlets"] {
            for key in self.taxonomy(kind) {
                let feed = format!("{kind}/{key}/atom.xml");
                if self.dir.join(&feed).is_file() {
                    feeds.push(feed);
                }
            }
        }
        feeds.extend(self.files().into_iter().filter(|f| is_story_feed(f)));
        feeds
    }

    /// The site's title: `feed.json`'s, which must be the home page's
    /// `og:site_name` too.
    fn title(&self) -> String {
        let json: serde_json::Value =
            serde_json::from_str(&self.read("feed.json")).expect("feed.json is JSON");
        let title = json["title"].as_str().expect("feed.json has a title");
        assert_eq!(
            meta(&self.read("index.html"), "og:site_name").as_deref(),
            Some(title),
            "{}: feed.json's title is not the home page's og:site_name",
            self.name
        );
        title.to_owned()
    }

    /// The entries of the search index's records (`kind` "entry"): url
    /// (made absolute here), date, outlet, tags. The manifest, `search.json`,
    /// says how many files of records there are.
    fn entries(&self) -> Vec<serde_json::Value> {
        let manifest: serde_json::Value =
            serde_json::from_str(&self.read("search.json")).expect("search.json is JSON");
        let documents = manifest["documents"]
            .as_u64()
            .expect("a count of documents");
        let per = manifest["per_fragment"].as_u64().expect("records a file");
        let base = url::Url::parse(&self.base_url).expect("the base URL");
        let mut entries = Vec::new();
        for n in 0..documents.div_ceil(per) {
            let file = format!("search/d/{n}.json");
            let records: serde_json::Value =
                serde_json::from_str(&self.read(&file)).expect("records are JSON");
            for record in records.as_array().expect("records are a list") {
                if record["kind"] == "entry" {
                    let mut entry = record.clone();
                    let url = record["url"].as_str().expect("a record has a URL");
                    entry["url"] = base.join(url).expect("a URL").as_str().into();
                    entries.push(entry);
                }
            }
        }
        entries
    }

    /// Whether an absolute URL under the base URL names a file of the output.
    fn serves(&self, url: &str) -> bool {
        let Some(path) = url.strip_prefix(&self.base_url) else {
            return false;
        };
        let path = path.split(['#', '?']).next().unwrap_or("");
        if path.is_empty() || path.ends_with('/') {
            self.dir.join(path).join("index.html").is_file()
        } else {
            self.dir.join(path).is_file()
        }
    }
}

fn fixtures() -> PathBuf {
    tools::clients_dir().join("fixtures/publish")
}

/// The `content` of `<meta property="{property}">` in a page.
fn meta(html: &str, property: &str) -> Option<String> {
    let at = html.find(&format!("property=\"{property}\""))?;
    let tag_start = html[..at].rfind('<')?;
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>')?];
    let content = tag.split("content=\"").nth(1)?.split('"').next()?;
    Some(unescape(content))
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Runs `feeds.py <command> <args>` and returns its JSON.
fn python(command: &str, args: &[PathBuf]) -> serde_json::Value {
    let out = Command::new("python3")
        .arg(tools::clients_dir().join("feeds.py"))
        .arg(command)
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "feeds.py {command} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "feeds.py {command} printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Runs `email.mjs <args>` and returns its JSON.
fn node(args: &[&std::ffi::OsStr]) -> serde_json::Value {
    let out = Command::new("node")
        .arg(tools::clients_dir().join("email.mjs"))
        .args(args)
        .env("CHROME_PATH", "/usr/bin/chromium")
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "email.mjs failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "email.mjs printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn results(json: &serde_json::Value) -> Vec<serde_json::Value> {
    json["results"].as_array().cloned().unwrap_or_default()
}

/// Fails with every problem found, one per line.
fn assert_none(name: &str, what: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{name}: {what}: {} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Fails unless a problem containing each of `expected` was found.
fn assert_caught(what: &str, problems: &[String], expected: &[&str]) {
    for e in expected {
        assert!(
            problems.iter().any(|p| p.contains(e)),
            "{what}: the broken fixture's `{e}` was not caught; found:\n{}",
            problems.join("\n")
        );
    }
}
