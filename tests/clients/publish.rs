//! What a site publishes besides its pages, as the tools on the other end
//! read it: the feeds in Python's feedparser and in feed-rs, `feed.json`
//! against the JSON Feed 1.1 schema (npm `jsonfeed-schema`) with formats
//! checked, the sitemap against the sitemaps.org 0.9 XSD (as shipped in npm
//! `sitemap`) and `robots.txt` in Python's robotparser, and each issue's email
//! edition: caniemail's data for Gmail and Apple Mail (`doiuse-email`), CSS
//! inlined, absolute URLs, 102 KB, Chromium at 600 px, and its plain-text
//! twin's numbered links.
//!
//! Every check runs on both sites of [`crate::sites`], and on the outputs
//! broken on purpose in `fixtures/publish/` (see its README), which it must
//! reject. The Python side is `feeds.py`, the Node side `email.mjs`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{Built, sites, tools};

/// Items in the site feeds: `feed_limit` in `site.yaml`, 30 unless set
/// (neither checked site sets another).
const FEED_LIMIT: usize = 30;
/// Items in a tag's or an outlet's feed.
const TAXONOMY_FEED_LIMIT: usize = 50;
/// Gmail clips a message past 102 KB; counted in bytes, 1 KB = 1000.
const EMAIL_MAX_BYTES: usize = 102_000;
/// The Gmail and Apple Mail clients of caniemail.com, as doiuse-email globs.
const EMAIL_CLIENTS: &str = "gmail.*,apple-mail.*";

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

    /// The entries of `search.json` (`kind` "entry"): url, date, outlet, tags.
    fn entries(&self) -> Vec<serde_json::Value> {
        let json: serde_json::Value =
            serde_json::from_str(&self.read("search.json")).expect("search.json is JSON");
        json.as_array()
            .expect("search.json is a list")
            .iter()
            .filter(|e| e["kind"] == "entry")
            .cloned()
            .collect()
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

// ------------------------------------------------------------------ feeds --

/// A feed as a reader saw it: feedparser or feed-rs.
struct Feed {
    file: String,
    title: Option<String>,
    items: Vec<Item>,
}

struct Item {
    title: Option<String>,
    link: Option<String>,
    id: Option<String>,
    /// RFC 3339, when the reader found a date it could read.
    published: Option<String>,
}

/// What a feed must hold, from the output's files: the newest issues (by
/// their folders) for the site feeds, the newest entries of a tag or an
/// outlet (by `search.json`) for theirs.
struct Expected {
    title: String,
    /// The feed's title must equal `title` (site feeds) or start with it.
    exact_title: bool,
    count: usize,
    /// URLs the items must be among, newest first, with their dates.
    members: Vec<(String, String)>,
}

fn expected(out: &Out, site_title: &str, file: &str) -> Result<Expected, String> {
    if matches!(file, "feed.xml" | "atom.xml" | "feed.json") {
        let issues = out.issues();
        let members: Vec<(String, String)> = issues
            .iter()
            .map(|i| {
                let date = i.trim_end_matches('/').replace('/', "-");
                (format!("{}{i}", out.base_url), date)
            })
            .collect();
        return Ok(Expected {
            title: site_title.to_owned(),
            exact_title: true,
            count: members.len().min(FEED_LIMIT),
            members,
        });
    }
    let (kind, key) = file
        .strip_suffix("/atom.xml")
        .and_then(|k| k.split_once('/'))
        .ok_or_else(|| format!("{file}: not a feed this check knows"))?;
    let outlet_name = if kind == "outlets" {
        let page = out.read(&format!("outlets/{key}/index.html"));
        Some(meta(&page, "og:title").ok_or_else(|| {
            format!("outlets/{key}/index.html: no og:title to name the outlet by")
        })?)
    } else {
        None
    };
    let mut members: Vec<(String, String)> = out
        .entries()
        .iter()
        .filter(|e| match &outlet_name {
            Some(name) => e["outlet"].as_str() == Some(name.as_str()),
            None => e["tags"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t.as_str())
                .any(|t| t == key || slug(t) == key),
        })
        .map(|e| {
            (
                e["url"].as_str().unwrap_or("").to_owned(),
                e["date"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    members.sort_by(|a, b| b.1.cmp(&a.1));
    Ok(Expected {
        title: site_title.to_owned(),
        exact_title: false,
        count: members.len().min(TAXONOMY_FEED_LIMIT),
        members,
    })
}

fn slug(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// What is wrong with each item of `feed`, read from a site built for `base`.
fn item_problems(base: &str, feed: &Feed) -> Vec<String> {
    let mut problems = Vec::new();
    for (n, item) in feed.items.iter().enumerate() {
        let at = format!("{} item {}", feed.file, n + 1);
        if item.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            problems.push(format!("{at}: no title"));
        }
        match item.link.as_deref() {
            None | Some("") => problems.push(format!("{at}: no link")),
            Some(link) if !link.starts_with(base) => {
                problems.push(format!(
                    "{at}: link `{link}` is not an absolute URL under {base}"
                ));
            }
            Some(_) => {}
        }
        if item.id != item.link {
            problems.push(format!(
                "{at}: id/guid `{}` is not the link `{}`",
                item.id.as_deref().unwrap_or(""),
                item.link.as_deref().unwrap_or("")
            ));
        }
        if item.published.is_none() {
            problems.push(format!("{at}: no published date the reader could read"));
        }
    }
    problems
}

/// What is wrong with `feed` as a whole: its title, how many items, which.
fn content_problems(out: &Out, feed: &Feed, expected: &Expected) -> Vec<String> {
    let mut problems = Vec::new();
    let file = &feed.file;
    let title = feed.title.as_deref().unwrap_or("");
    let title_ok = if expected.exact_title {
        title == expected.title
    } else {
        title.starts_with(&expected.title)
    };
    if !title_ok {
        problems.push(format!(
            "{file}: title `{title}`, the site's is `{}`",
            expected.title
        ));
    }
    if feed.items.len() != expected.count {
        problems.push(format!(
            "{file}: {} items, expected {} (of {} candidates, newest first)",
            feed.items.len(),
            expected.count,
            expected.members.len()
        ));
    }
    // A tag with stories but no entries has an empty feed: allowed. A site
    // whose feeds are all empty is caught by `vacuous`.
    let links: BTreeSet<&str> = feed
        .items
        .iter()
        .filter_map(|i| i.link.as_deref())
        .collect();
    if links.len() != feed.items.iter().filter(|i| i.link.is_some()).count() {
        problems.push(format!("{file}: an item is in it twice"));
    }
    let members: BTreeMap<&str, &str> = expected
        .members
        .iter()
        .map(|(u, d)| (u.as_str(), d.as_str()))
        .collect();
    for link in &links {
        if !members.contains_key(link) {
            problems.push(format!(
                "{file}: item `{link}` does not belong in this feed"
            ));
        } else if !out.serves(link) {
            problems.push(format!("{file}: item `{link}` names no page of the site"));
        }
    }
    // The newest: no left-out candidate is newer than an item in the feed.
    let oldest_in = links.iter().filter_map(|l| members.get(l)).min();
    let newest_out = expected
        .members
        .iter()
        .filter(|(u, _)| !links.contains(u.as_str()))
        .map(|(_, d)| d.as_str())
        .max();
    if let (Some(oldest_in), Some(newest_out)) = (oldest_in, newest_out)
        && newest_out > *oldest_in
        && feed.items.len() >= expected.count
    {
        problems.push(format!(
            "{file}: leaves out an item of {newest_out} but holds one of {oldest_in}"
        ));
    }
    problems
}

/// The tags and outlets whose page has no feed beside it.
fn missing_feeds(out: &Out) -> Vec<String> {
    ["tags", "outlets"]
        .iter()
        .flat_map(|kind| {
            out.taxonomy(kind)
                .into_iter()
                .map(move |key| format!("{kind}/{key}/atom.xml"))
        })
        .filter(|feed| !out.dir.join(feed).is_file())
        .map(|feed| format!("{feed}: missing"))
        .collect()
}

/// A site whose feeds hold nothing would pass every item check.
fn vacuous(out: &Out, items_by_file: &BTreeMap<String, usize>) -> Vec<String> {
    let site = items_by_file.get("atom.xml").copied().unwrap_or(0);
    let taxonomy: usize = items_by_file
        .iter()
        .filter(|(f, _)| f.contains('/'))
        .map(|(_, n)| n)
        .sum();
    if site == 0 || taxonomy == 0 {
        vec![format!(
            "{}: {site} items in the site feed and {taxonomy} in the tag and outlet feeds: nothing to check",
            out.name
        )]
    } else {
        Vec::new()
    }
}

/// feedparser's reading of the XML feeds of `out`, and every problem.
/// What both parsers' readings must show: each item sound, each feed
/// holding what the site says it should, and no site without items at all.
/// Returns (feeds, items, problems), `problems` coming in with the parser's own.
fn judge(
    out: &Out,
    files: usize,
    feeds: &[Feed],
    mut problems: Vec<String>,
) -> (usize, usize, Vec<String>) {
    let title = out.title();
    let mut items = BTreeMap::new();
    for feed in feeds {
        items.insert(feed.file.clone(), feed.items.len());
        problems.extend(item_problems(&out.base_url, feed));
        match expected(out, &title, &feed.file) {
            Ok(expected) => problems.extend(content_problems(out, feed, &expected)),
            Err(e) => problems.push(e),
        }
    }
    if out.name != "fixture" {
        problems.extend(vacuous(out, &items));
    }
    (files, items.values().sum(), problems)
}

fn feedparser_problems(out: &Out) -> (usize, usize, Vec<String>) {
    let files = out.xml_feeds();
    let json = python(
        "feeds",
        &files.iter().map(|f| out.dir.join(f)).collect::<Vec<_>>(),
    );
    let mut problems = missing_feeds(out);
    let mut feeds = Vec::new();
    for (file, r) in files.iter().zip(results(&json)) {
        if r["bozo"] != 0 {
            problems.push(format!("{file}: feedparser: bozo, {}", r["bozo_exception"]));
        }
        let version = if file == "feed.xml" {
            "rss20"
        } else {
            "atom10"
        };
        if r["version"] != version {
            problems.push(format!(
                "{file}: feedparser reads it as `{}`, not {version}",
                r["version"]
            ));
        }
        let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
        let feed = Feed {
            file: file.clone(),
            title: text(&r["title"]),
            items: r["entries"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| Item {
                    title: text(&e["title"]),
                    link: text(&e["link"]),
                    id: text(&e["id"]),
                    published: text(&e["published"]),
                })
                .collect(),
        };
        feeds.push(feed);
    }
    judge(out, files.len(), &feeds, problems)
}

// 1. Every XML feed parses in feedparser without a bozo, as RSS 2.0 or
// Atom 1.0, with the site's title and the expected items, each with a
// title, an absolute link under the base URL, that link as its id, and a
// date. The fixture's bad date, bare `&`, relative link, short feeds and
// missing outlet feed are all caught.
#[test]
fn feeds_read_cleanly_in_feedparser() {
    if !tools::python("feedparser", &["feedparser"]) {
        return;
    }
    for site in sites() {
        let started = Instant::now();
        let out = Out::of(site);
        let (feeds, items, problems) = feedparser_problems(&out);
        assert_none(site.name, "feedparser", &problems);
        tools::report(&format!(
            "{}: feedparser: {feeds} feeds, {items} items, no bozo, counts as expected ({} issues) [{:.1} s]",
            site.name,
            out.issues().len(),
            started.elapsed().as_secs_f64()
        ));
    }
    let (_, _, problems) = feedparser_problems(&Out::broken());
    assert_caught(
        "feedparser",
        &problems,
        &[
            "feed.xml item 1: no published date",
            "feed.xml: 1 items, expected 2",
            "atom.xml: feedparser: bozo",
            "tags/ai/atom.xml item 1: link `/2026/11/25/a/` is not an absolute URL",
            "tags/ai/atom.xml item 1: id/guid `urn:uuid:",
            "tags/ai/atom.xml: 1 items, expected 2",
            "outlets/wire/atom.xml: missing",
        ],
    );
}

// 5. feed-rs reads every feed, feed.json too, with the same items as
// feedparser must see; it rejects the fixture's bare `&` and finds no date
// in "yesterday".
#[test]
fn feeds_read_cleanly_in_feed_rs() {
    for site in sites() {
        let started = Instant::now();
        let out = Out::of(site);
        let (feeds, items, problems) = feed_rs_problems(&out);
        assert_none(site.name, "feed-rs", &problems);
        tools::report(&format!(
            "{}: feed-rs: {feeds} feeds (feed.json too), {items} items, counts as expected [{:.1} s]",
            site.name,
            started.elapsed().as_secs_f64()
        ));
    }
    let (_, _, problems) = feed_rs_problems(&Out::broken());
    assert_caught(
        "feed-rs",
        &problems,
        &[
            "feed.xml item 1: no published date",
            "feed.xml: 1 items, expected 2",
            "atom.xml: feed-rs:",
            "tags/ai/atom.xml item 1: id/guid",
            "outlets/wire/atom.xml: missing",
        ],
    );
}

fn feed_rs_problems(out: &Out) -> (usize, usize, Vec<String>) {
    let mut files = out.xml_feeds();
    files.insert(2, "feed.json".to_owned());
    let mut problems = missing_feeds(out);
    let mut feeds = Vec::new();
    for file in &files {
        let bytes = std::fs::read(out.dir.join(file)).expect("a feed");
        let parsed = match feed_rs::parser::parse(bytes.as_slice()) {
            Ok(parsed) => parsed,
            Err(e) => {
                problems.push(format!("{file}: feed-rs: {e}"));
                continue;
            }
        };
        let kind = match file.as_str() {
            "feed.xml" => feed_rs::model::FeedType::RSS2,
            "feed.json" => feed_rs::model::FeedType::JSON,
            _ => feed_rs::model::FeedType::Atom,
        };
        if parsed.feed_type != kind {
            problems.push(format!(
                "{file}: feed-rs reads it as {:?}, not {kind:?}",
                parsed.feed_type
            ));
        }
        let feed = Feed {
            file: file.clone(),
            title: parsed.title.map(|t| t.content),
            items: parsed
                .entries
                .into_iter()
                .map(|e| Item {
                    title: e.title.map(|t| t.content),
                    link: e
                        .links
                        .iter()
                        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                        .map(|l| l.href.clone()),
                    id: Some(e.id),
                    published: e.published.map(|d| d.to_rfc3339()),
                })
                .collect(),
        };
        feeds.push(feed);
    }
    judge(out, files.len(), &feeds, problems)
}

// -------------------------------------------------------------- feed.json --

/// The JSON Feed 1.1 schema of npm `jsonfeed-schema`, checked by Python's
/// jsonschema with its format checker ("uri", "date-time" really checked).
fn jsonfeed_errors(schema: &Path, files: &[PathBuf]) -> Vec<String> {
    let json = python(
        "jsonfeed",
        &std::iter::once(schema.to_path_buf())
            .chain(files.iter().cloned())
            .collect::<Vec<_>>(),
    );
    let formats: Vec<&str> = json["formats"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f.as_str())
        .collect();
    assert!(
        formats.contains(&"uri") && formats.contains(&"date-time"),
        "jsonschema checks no uri or date-time: {formats:?}"
    );
    results(&json)
        .iter()
        .flat_map(|r| {
            let file = Path::new(r["file"].as_str().unwrap_or(""))
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            r["errors"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(move |e| format!("{file}: {}", e.as_str().unwrap_or("")))
        })
        .collect()
}

// 2. feed.json validates against the JSON Feed 1.1 schema, formats and all;
// a missing version, a date of "yesterday" and a relative URL do not.
#[test]
fn feed_json_matches_the_json_feed_schema() {
    let Some(schema) =
        tools::node_package_file("JSON Feed schema", "jsonfeed-schema", "schema-v1.1.json")
    else {
        return;
    };
    if !tools::python(
        "JSON Feed schema",
        &["jsonschema", "rfc3339_validator", "rfc3986_validator"],
    ) {
        return;
    }
    for site in sites() {
        let started = Instant::now();
        let errors = jsonfeed_errors(&schema, &[site.out.join("feed.json")]);
        assert_none(site.name, "JSON Feed 1.1 schema", &errors);
        tools::report(&format!(
            "{}: feed.json: valid JSON Feed 1.1 (schema of jsonfeed-schema, uri and date-time formats checked) [{:.1} s]",
            site.name,
            started.elapsed().as_secs_f64()
        ));
    }
    let broken = [
        fixtures().join("public/feed.json"),
        fixtures().join("jsonfeed/no-version.json"),
        fixtures().join("jsonfeed/relative-url.json"),
    ];
    let errors = jsonfeed_errors(&schema, &broken);
    assert_caught(
        "JSON Feed schema",
        &errors,
        &[
            "feed.json: items/0/date_published: 'yesterday' is not a 'date-time'",
            "no-version.json: (root): 'version' is a required property",
            "relative-url.json: items/0/url: '/2026/11/25/' is not a 'uri'",
        ],
    );
}

// ---------------------------------------------------------------- sitemap --

/// The URL every HTML page is served at, but 404.html and email editions.
fn page_urls(out: &Out) -> BTreeSet<String> {
    out.files()
        .into_iter()
        .filter(|f| f.ends_with(".html") && f != "404.html" && !f.ends_with("email.html"))
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
            "sitemap.xml: {} locs for {} pages (HTML files but 404.html and the email editions)",
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
#[test]
fn sitemap_matches_the_sitemaps_schema() {
    let Some(xsd) = tools::node_package_file("sitemap XSD", "sitemap", "schema/sitemap.xsd") else {
        return;
    };
    if !tools::python("sitemap XSD", &["lxml"]) {
        return;
    }
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
}

// ------------------------------------------------------------------ email --

/// Every issue's email edition, `YYYY/MM/DD/email.html`; an issue without
/// one (or without its `email.txt`) is a problem.
fn email_pages(out: &Out) -> (Vec<String>, Vec<String>) {
    let mut pages = Vec::new();
    let mut problems = Vec::new();
    for issue in out.issues() {
        for file in ["email.html", "email.txt"] {
            if !out.dir.join(&issue).join(file).is_file() {
                problems.push(format!("{issue}{file}: missing"));
            }
        }
        if out.dir.join(&issue).join("email.html").is_file() {
            pages.push(format!("{issue}email.html"));
        }
    }
    (pages, problems)
}

/// Whether a URL of an email works from a mail client: absolute (http,
/// https, mailto), or the email service's unsubscribe merge tag
/// (`{{ unsubscribe_url }}`, `*|UNSUB|*`, `%unsubscribe_url%`, `<%...%>`,
/// `[unsubscribe]`, `{$unsubscribe}`), which the service fills in.
fn absolute_in_email(url: &str) -> bool {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let merge_tag = (url.starts_with("{{") && url.ends_with("}}"))
        || (url.starts_with("*|") && url.ends_with("|*"))
        || (url.starts_with("<%") && url.ends_with("%>"))
        || (url.starts_with('%') && url.ends_with('%') && url.len() > 2)
        || (url.starts_with("{$") && url.ends_with('}'))
        || (url.starts_with('[') && url.ends_with(']'));
    merge_tag
        || ["http://", "https://", "mailto:"]
            .iter()
            .any(|s| lower.starts_with(s) && url.len() > s.len())
}

/// `feeds.py email` on the pages: stylesheets, `<style>` rules, elements
/// styled only by a class, relative URLs, size.
fn email_static_problems(out: &Out, pages: &[String]) -> Vec<String> {
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let json = python(
        "email",
        &std::iter::once(theme)
            .chain(pages.iter().map(|p| out.dir.join(p)))
            .collect::<Vec<_>>(),
    );
    let mut problems = Vec::new();
    for (page, r) in pages.iter().zip(results(&json)) {
        for link in r["stylesheet_links"].as_array().into_iter().flatten() {
            problems.push(format!("{page}: <link rel=stylesheet href={link}>"));
        }
        for rule in r["uninlined_rules"].as_array().into_iter().flatten() {
            problems.push(format!(
                "{page}: a <style> rule `{}` left for the client to apply",
                rule.as_str().unwrap_or("")
            ));
        }
        for element in r["class_only"].as_array().into_iter().flatten() {
            problems.push(format!(
                "{page}: styled only by its class, no style attribute: {}",
                element.as_str().unwrap_or("")
            ));
        }
        for u in r["urls"].as_array().into_iter().flatten() {
            let url = u["url"].as_str().unwrap_or("");
            if !absolute_in_email(url) {
                problems.push(format!(
                    "{page}: <{} {}=\"{url}\"> is not absolute",
                    u["tag"].as_str().unwrap_or(""),
                    u["attr"].as_str().unwrap_or("")
                ));
            }
        }
        let bytes = r["bytes"].as_u64().unwrap_or(0);
        if bytes >= EMAIL_MAX_BYTES as u64 {
            problems.push(format!(
                "{page}: {bytes} bytes, Gmail clips at {EMAIL_MAX_BYTES}"
            ));
        }
    }
    problems
}

/// What is wrong with an `email.txt`: no "Links" section, a `[n]` in the
/// text that the section does not list, a listed URL not absolute or not a
/// link of the HTML edition beside it.
fn email_txt_problems(file: &str, text: &str, html_urls: Option<&BTreeSet<String>>) -> Vec<String> {
    let mut problems = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let Some(heading) = lines.iter().position(|l| l.trim() == "Links") else {
        return vec![format!("{file}: no \"Links\" section")];
    };
    let mut listed = BTreeMap::new();
    for line in &lines[heading + 1..] {
        let Some((n, url)) = line
            .strip_prefix('[')
            .and_then(|l| l.split_once("] "))
            .and_then(|(n, url)| Some((n.parse::<usize>().ok()?, url.trim())))
        else {
            continue;
        };
        if listed.insert(n, url.to_owned()).is_some() {
            problems.push(format!("{file}: [{n}] is listed twice"));
        }
    }
    if listed.is_empty() {
        problems.push(format!("{file}: the Links section lists no `[n] URL`"));
    }
    let mut used = BTreeSet::new();
    for line in &lines[..heading] {
        let mut rest = *line;
        while let Some(at) = rest.find('[') {
            rest = &rest[at + 1..];
            if let Some((n, _)) = rest.split_once(']')
                && let Ok(n) = n.parse::<usize>()
            {
                used.insert(n);
            }
        }
    }
    for n in &used {
        if !listed.contains_key(n) {
            problems.push(format!("{file}: [{n}] is used but not listed under Links"));
        }
    }
    for (n, url) in &listed {
        if !used.contains(n) {
            problems.push(format!("{file}: [{n}] is listed but not used"));
        }
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            problems.push(format!("{file}: [{n}] {url} is not absolute"));
        } else if html_urls.is_some_and(|urls| !urls.contains(url)) {
            problems.push(format!("{file}: [{n}] {url} is no link of email.html"));
        }
    }
    if listed.keys().copied().ne(1..=listed.len()) {
        problems.push(format!(
            "{file}: the links are not numbered 1 to {}",
            listed.len()
        ));
    }
    problems
}

fn email_txt_all(out: &Out) -> (usize, Vec<String>) {
    let mut problems = Vec::new();
    let mut links = 0;
    for issue in out.issues() {
        let txt = format!("{issue}email.txt");
        let Ok(text) = std::fs::read_to_string(out.dir.join(&txt)) else {
            problems.push(format!("{txt}: missing"));
            continue;
        };
        let html = std::fs::read_to_string(out.dir.join(&issue).join("email.html")).ok();
        let urls: Option<BTreeSet<String>> = html.map(|h| {
            h.split("href=\"")
                .skip(1)
                .filter_map(|s| s.split('"').next())
                .map(unescape)
                .collect()
        });
        links += text
            .lines()
            .filter(|l| l.starts_with('[') && l.contains("] http"))
            .count();
        problems.extend(email_txt_problems(&txt, &text, urls.as_ref()));
    }
    (links, problems)
}

// 4a. Each issue has an email edition with no stylesheet link, no <style>
// rule left to the client, no element styled only by a class, only absolute
// URLs, under 102 KB; the fixture's of each, and a padded copy, are caught.
//
// "Styled only by a class": an element with a class that the theme's CSS
// (the <style> of its email template, its static/*.css) gives properties
// to, but no style attribute. Classes the theme's CSS never names are hooks
// and need none. That every property of those rules made it into the style
// attribute is the Chromium check's (4c) to say.
#[test]
fn email_editions_are_self_contained() {
    if !tools::python("email edition", &[]) {
        return;
    }
    for site in sites() {
        let started = Instant::now();
        let out = Out::of(site);
        let (pages, mut problems) = email_pages(&out);
        problems.extend(email_static_problems(&out, &pages));
        assert_none(site.name, "email edition", &problems);
        assert!(!pages.is_empty(), "{}: no email edition", site.name);
        let biggest = pages
            .iter()
            .map(|p| std::fs::metadata(out.dir.join(p)).map_or(0, |m| m.len()))
            .max()
            .unwrap_or(0);
        tools::report(&format!(
            "{}: email.html: {} editions, CSS inlined, URLs absolute, largest {biggest} bytes [{:.1} s]",
            site.name,
            pages.len(),
            started.elapsed().as_secs_f64()
        ));
    }
    let out = Out::broken();
    let (pages, mut problems) = email_pages(&out);
    problems.extend(email_static_problems(&out, &pages));
    assert_caught(
        "email edition",
        &problems,
        &[
            "2026/11/24/email.html: missing",
            "<link rel=stylesheet href=\"/style.css\">",
            "a <style> rule `.title` left for the client",
            "styled only by its class, no style attribute: line 15: <h1 class=\"title\">",
            "<a href=\"../24/\"> is not absolute",
            "<img src=\"pixel.png\"> is not absolute",
        ],
    );
    // Over Gmail's limit: the fixture padded with a comment.
    let dir = tempfile::tempdir().expect("temp");
    let html = out.read("2026/11/25/email.html");
    let padded = html.replace(
        "</body>",
        &format!("<!-- {} -->\n</body>", "x".repeat(EMAIL_MAX_BYTES)),
    );
    std::fs::write(dir.path().join("email.html"), padded).expect("write");
    let big = Out {
        name: "padded",
        dir: dir.path().to_path_buf(),
        base_url: out.base_url.clone(),
    };
    let problems = email_static_problems(&big, &["email.html".to_owned()]);
    assert_caught("email size", &problems, &["bytes, Gmail clips at 102000"]);
}

// 4b. caniemail's data (doiuse-email) finds nothing in any email edition
// that Gmail (web, iOS, Android, mobile web) or Apple Mail (macOS, iOS)
// does not support; in the fixture it finds the stylesheet link and the
// fixed position.
#[test]
fn email_editions_work_in_gmail_and_apple_mail() {
    if tools::node_package_file("doiuse-email", "@jsx-email/doiuse-email", "package.json").is_none()
    {
        return;
    }
    let doiuse = |out: &Out, pages: &[String]| {
        let files: Vec<PathBuf> = pages.iter().map(|p| out.dir.join(p)).collect();
        let mut args: Vec<&std::ffi::OsStr> = vec!["doiuse".as_ref(), "--clients".as_ref()];
        args.push(EMAIL_CLIENTS.as_ref());
        args.extend(files.iter().map(|f| f.as_os_str()));
        node(&args)
    };
    for site in sites() {
        let started = Instant::now();
        let out = Out::of(site);
        let (pages, _) = email_pages(&out);
        let json = doiuse(&out, &pages);
        let clients = json["clients"].as_array().map_or(0, Vec::len);
        assert!(
            clients >= 6,
            "doiuse-email matched only {clients} clients for {EMAIL_CLIENTS}: {}",
            json["clients"]
        );
        let mut problems = Vec::new();
        let mut warnings = 0;
        for (page, r) in pages.iter().zip(results(&json)) {
            warnings += r["warnings"].as_u64().unwrap_or(0);
            for e in r["errors"].as_array().into_iter().flatten() {
                problems.push(format!("{page}: {}", e.as_str().unwrap_or("")));
            }
            if r["success"] != true && r["errors"].as_array().is_none_or(Vec::is_empty) {
                problems.push(format!("{page}: doiuse-email did not succeed: {r}"));
            }
        }
        assert_none(site.name, "doiuse-email", &problems);
        tools::report(&format!(
            "{}: doiuse-email: {} editions, no errors for {} ({}); {warnings} partial-support warnings [{:.1} s]",
            site.name,
            pages.len(),
            EMAIL_CLIENTS,
            json["clients"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            started.elapsed().as_secs_f64()
        ));
    }
    let out = Out::broken();
    let json = doiuse(&out, &["2026/11/25/email.html".to_owned()]);
    let found: Vec<String> = results(&json)
        .iter()
        .flat_map(|r| r["errors"].as_array().cloned().unwrap_or_default())
        .map(|e| e.as_str().unwrap_or("").to_owned())
        .collect();
    assert_caught(
        "doiuse-email",
        &found,
        &[
            "`<link> element` is not supported by `gmail.desktop-webmail`",
            "`position` is not supported by `gmail.desktop-webmail`",
        ],
    );
}

/// `email.mjs render` on `pages` of `out`, one browser at a time.
fn render(out: &Out, pages: &[String]) -> Vec<serde_json::Value> {
    let _one_at_a_time = crate::BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/client-artifacts")
        .join(out.name);
    let template =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/email.html");
    let port = crate::free_port().to_string();
    let pages = pages.join(",");
    let json = node(&[
        "render".as_ref(),
        "--dir".as_ref(),
        out.dir.as_os_str(),
        "--port".as_ref(),
        port.as_ref(),
        "--pages".as_ref(),
        pages.as_ref(),
        "--css-from".as_ref(),
        template.as_os_str(),
        "--artifacts".as_ref(),
        artifacts.as_os_str(),
    ]);
    results(&json)
}

fn render_problems(results: &[serde_json::Value]) -> Vec<String> {
    let mut problems = Vec::new();
    for r in results {
        let at = format!("{} at {} px", r["page"].as_str().unwrap_or(""), r["width"]);
        if !r["error"].is_null() {
            problems.push(format!("{at}: could not render: {}", r["error"]));
            continue;
        }
        let (scroll, client) = (r["scrollWidth"].as_u64(), r["clientWidth"].as_u64());
        if scroll > client {
            problems.push(format!(
                "{at}: scrolls sideways ({} > {} px): {}",
                r["scrollWidth"], r["clientWidth"], r["overflowing"]
            ));
        }
        if r["textWidth"].as_f64().unwrap_or(f64::MAX) > 600.5 {
            problems.push(format!("{at}: text spans {} px, over 600", r["textWidth"]));
        }
        for e in r["consoleErrors"].as_array().into_iter().flatten() {
            problems.push(format!("{at}: console error: {e}"));
        }
        for f in r["failedRequests"].as_array().into_iter().flatten() {
            problems.push(format!("{at}: failed request: {f}"));
        }
        if let Some(not_inlined) = r.get("notInlined") {
            if not_inlined["rules"].as_u64().unwrap_or(0) == 0 {
                problems.push(format!("{at}: the theme's email CSS has no rules to check"));
            }
            for m in not_inlined["missing"].as_array().into_iter().flatten() {
                problems.push(format!(
                    "{at}: CSS not inlined: {}",
                    m.as_str().unwrap_or("")
                ));
            }
        }
    }
    problems
}

// 4c. Each email edition, in Chromium at 600 and 375 px, does not scroll
// sideways; at 1280 px its text spans at most 600 px; every element a rule
// of the theme's email CSS applies to carries that rule's properties in its
// style attribute. The fixture's 900 px table, its unwrapped line and its
// class-only heading are caught. Screenshots: target/client-artifacts/.
#[test]
fn email_editions_render_within_600px() {
    if !tools::chromium("email in Chromium") {
        return;
    }
    for site in sites() {
        let started = Instant::now();
        let out = Out::of(site);
        let (pages, _) = email_pages(&out);
        let results = render(&out, &pages);
        assert_eq!(
            results.len(),
            pages.len() * 3,
            "a result per page and width"
        );
        let problems = render_problems(&results);
        assert_none(site.name, "email in Chromium", &problems);
        let widest = results
            .iter()
            .filter_map(|r| r["textWidth"].as_f64())
            .fold(0.0, f64::max);
        tools::report(&format!(
            "{}: email.html in Chromium: {} editions at 600, 375 and 1280 px, no sideways scroll, text at most {widest} px wide, CSS all inlined; screenshots in target/client-artifacts/{} [{:.1} s]",
            site.name,
            pages.len(),
            site.name,
            started.elapsed().as_secs_f64()
        ));
    }
    let out = Out::broken();
    let results = render(&out, &["2026/11/25/email.html".to_owned()]);
    let problems = render_problems(&results);
    assert_caught(
        "email in Chromium",
        &problems,
        &[
            "email.html at 600 px: scrolls sideways",
            "email.html at 1280 px: text spans",
            "CSS not inlined: h1.title (rule `.title`): no margin-top",
        ],
    );
}

// 4d. Each email.txt has a "Links" section listing, as `[n] URL`, every
// `[n]` of its text, absolute and linked from the HTML edition too; the
// fixture's unlisted [3], relative [2] and missing section are caught.
#[test]
fn email_txt_lists_every_link() {
    for site in sites() {
        let (links, problems) = email_txt_all(&Out::of(site));
        assert_none(site.name, "email.txt", &problems);
        tools::report(&format!(
            "{}: email.txt: {} editions, {links} numbered links, all listed and absolute",
            site.name,
            Out::of(site).issues().len()
        ));
    }
    let (_, mut problems) = email_txt_all(&Out::broken());
    let no_links = std::fs::read_to_string(fixtures().join("email-no-links.txt")).expect("fixture");
    problems.extend(email_txt_problems("email-no-links.txt", &no_links, None));
    assert_caught(
        "email.txt",
        &problems,
        &[
            "2026/11/24/email.txt: missing",
            "2026/11/25/email.txt: [3] is used but not listed",
            "2026/11/25/email.txt: [2] /2026/11/24/b/ is not absolute",
            "2026/11/25/email.txt: [1] https://fixture.example/2026/11/25/a/ is no link of email.html",
            "email-no-links.txt: no \"Links\" section",
        ],
    );
}
