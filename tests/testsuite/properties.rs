//! Properties of any valid site, on random sites whose every field is
//! hostile text: builds are deterministic; every page, feed, sitemap and
//! JSON file parses; every link to the site's own pages resolves; and the
//! text comes out escaped in HTML, attributes, XML and JSON.
//! `PROPTEST_CASES=256` runs more cases than the default 12.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::site_test::SiteTest;

/// Pieces of text that break what does not escape them.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "</script>",
    "\"",
    "'",
    "&",
    "&amp;",
    "]]>",
    "<!--",
    "-->",
    "\u{202e}evil\u{202c}",
    "\u{200f}",
    "🚀",
    "👩\u{200d}🔬",
    "e\u{301}\u{302}",
    "Zażółć gęślą",
    "東京",
    "{{ page.title }}",
    "{% raw %}",
    "\\",
    "`code`",
    "*em*",
    "[x](javascript:alert(1))",
    "<img src=https://x.invalid/x onerror=alert(1)>",
    "word",
];

/// A field of hostile pieces, now and then 10,000 characters long.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        20 => proptest::collection::vec(proptest::sample::select(HOSTILE), 1..5)
            .prop_map(|pieces| pieces.join(" ")),
        1 => Just("H".repeat(10_000)),
    ]
}

/// A tag: hostile pieces, short enough for a URL.
fn tag() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(HOSTILE), 1..3)
        .prop_map(|pieces| pieces.join(" "))
}

/// A random site: its title, one outlet's texts, and entries (headline,
/// blurb, tag, summary).
#[derive(Debug, Clone)]
struct RandomSite {
    title: String,
    outlet: [String; 3],
    entries: Vec<[String; 4]>,
}

fn random_site() -> impl Strategy<Value = RandomSite> {
    (
        field(),
        [field(), field(), field()],
        proptest::collection::vec((field(), field(), tag(), field()), 1..5).prop_map(|entries| {
            entries
                .into_iter()
                .map(|(a, b, c, d)| [a, b, c, d])
                .collect()
        }),
    )
        .prop_map(|(title, outlet, entries)| RandomSite {
            title,
            outlet,
            entries,
        })
}

/// YAML's single-quoted form of `text`.
fn yaml(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn write(site: &SiteTest, random: &RandomSite) {
    let [name, tagline, blurb] = &random.outlet;
    site.write(
        "content/site.yaml",
        &format!(
            "title: {}\ndescription: {}\nbase_url: https://fixture.example/\ntimezone: America/Chicago\n",
            yaml(&random.title),
            yaml(&random.title)
        ),
    );
    site.write(
        "content/outlets.yaml",
        &format!(
            "tnw:\n  name: {}\n  tagline: {}\n  blurb: {}\n  url: https://thenextweb.com\nbloomberg:\n  name: Bloomberg\n  url: https://www.bloomberg.com\n",
            yaml(name),
            yaml(tagline),
            yaml(blurb)
        ),
    );
    for (n, [headline, blurb, tag, summary]) in random.entries.iter().enumerate() {
        site.write(
            &format!("content/2026-11-25/random-{n}.md"),
            &format!(
                "---\nheadline: {}\noutlet: tnw\nurl: https://t.example/{n}?a=1&b=2\nblurb: {}\ntags: [{}]\n---\n{summary}\n",
                yaml(headline),
                yaml(blurb),
                // A tag needs letters for its page's name.
                yaml(&format!("{tag} tag{n}")),
            ),
        );
    }
}

/// Builds `site` into `out`; its files.
fn build_into(site: &SiteTest, out: &str) -> BTreeMap<String, Vec<u8>> {
    let run = site.run(&["build", "--output", out]);
    assert_eq!(run.code, 0, "the random site builds:\n{}", run.stderr);
    let root = site.root().join(out);
    walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&root).expect("inside");
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// The values of `name="…"` attributes of `html`.
fn attributes<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        rest = &rest[at + needle.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        values.push(&rest[..end]);
        rest = &rest[end..];
    }
    values
}

/// The output file a root-relative link leads to, if it is one of ours.
fn target_of(href: &str) -> Option<String> {
    let href = href.strip_prefix("https://fixture.example").unwrap_or(href);
    if !href.starts_with('/') || href.starts_with("//") {
        return None;
    }
    let path = href.split(['#', '?']).next()?.trim_start_matches('/');
    let path = gazette::serve::server::percent_decode(path).unwrap_or_else(|| path.to_owned());
    Some(if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path
    })
}

/// Every property, for one random site: `Err` says which broke.
fn check(random: &RandomSite) -> Result<(), String> {
    let site = SiteTest::new("");
    site.remove("content/2026-11-25/tnw-colossus.md");
    write(&site, random);
    let first = build_into(&site, "out-a");
    let second = build_into(&site, "out-b");
    if first != second {
        let differ: Vec<&String> = (first.keys())
            .filter(|k| first.get(*k) != second.get(*k))
            .collect();
        return Err(format!("two builds differ in {differ:?}"));
    }
    for (path, bytes) in &first {
        if path.ends_with(".png") {
            // A social card, whatever its headline: a 1200×630 PNG.
            let info = png::Decoder::new(std::io::Cursor::new(bytes))
                .read_info()
                .map_err(|e| format!("{path}: {e}"))?;
            let size = (info.info().width, info.info().height);
            if size != (1200, 630) {
                return Err(format!("{path}: a card of {size:?}"));
            }
            continue;
        }
        let text = std::str::from_utf8(bytes).map_err(|e| format!("{path}: {e}"))?;
        if path.ends_with(".html") && !path.ends_with("email.html") {
            if text.contains("<script>alert")
                || text.contains("<img src=https://x.invalid/x onerror")
            {
                return Err(format!("{path}: hostile markup reached the page raw"));
            }
            for name in ["href", "src", "content", "title", "alt", "value"] {
                for value in attributes(text, name) {
                    if value.contains('<') || value.contains('>') {
                        return Err(format!("{path}: `<` or `>` raw in {name}=\"{value}\""));
                    }
                    if value.trim_start().to_lowercase().starts_with("javascript:") {
                        return Err(format!("{path}: a javascript: link"));
                    }
                }
            }
            for href in attributes(text, "href")
                .into_iter()
                .chain(attributes(text, "src"))
            {
                if let Some(target) = target_of(href)
                    && !target.starts_with("__gazette")
                    && !first.contains_key(&target)
                {
                    return Err(format!("{path}: the link `{href}` leads nowhere"));
                }
            }
        } else if path.ends_with(".xml") {
            let mut reader = quick_xml::Reader::from_str(text);
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => return Err(format!("{path} is not XML: {e}")),
                }
            }
            if (path.ends_with("feed.xml") || path.ends_with("atom.xml"))
                && let Err(e) = feed_rs::parser::parse(bytes.as_slice())
            {
                return Err(format!("{path} is not a feed: {e}"));
            }
        } else if path.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(text)
                .map_err(|e| format!("{path} is not JSON: {e}"))?;
        }
    }
    // The headline is on its page, escaped: shown as written.
    let headline = &random.entries[0][0];
    let page = first
        .get("2026/11/25/random-0/index.html")
        .ok_or("no page for the first entry")?;
    let page = String::from_utf8_lossy(page);
    let escaped = headline
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let shown = |s: &str| {
        page.contains(s) || page.contains(&s.replace('"', "&quot;").replace('\'', "&#x27;"))
    };
    if !shown(&escaped) && !shown(&escaped.replace('\'', "&#39;")) {
        return Err("the first headline is not on its page as written".to_owned());
    }
    Ok(())
}

// A tag too long to be a folder's name (the property test's first find:
// the build failed with `File name too long`, exit 2) is an error at its
// line, exit 1; so is such an outlet key.
#[test]
fn a_tag_too_long_for_a_url_is_an_error_at_its_line() {
    let site = SiteTest::new("");
    let long = "H".repeat(10_000);
    site.write(
        "content/2026-11-25/long.md",
        &format!(
            "---\nheadline: Long\noutlet: tnw\nurl: https://t.example/long\ntags: [{long}]\n---\n"
        ),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    crate::site_test::assert_contains(&run.stderr, "is too long for a URL: 10000 characters");
    crate::site_test::assert_contains(&run.stderr, "--> content/2026-11-25/long.md:5");
    site.remove("content/2026-11-25/long.md");
    let outlets = site.page_source("content/outlets.yaml");
    site.write(
        "content/outlets.yaml",
        &format!("{outlets}{}:\n  name: Long\n", "k".repeat(300)),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    crate::site_test::assert_contains(&run.stderr, "outlet key `kkkk");
}

// Random valid sites, each built twice and every output read back.
#[test]
fn random_hostile_sites_build_deterministic_valid_escaped_output() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(12);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let outcome = runner.run(&random_site(), |random| {
        check(&random).map_err(TestCaseError::fail)?;
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
