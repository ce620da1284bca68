//! Text from front matter and config is escaped wherever it lands.

use crate::site_test::{SiteTest, assert_contains};

const HOSTILE: &str = "<script>alert(1)</script> \"q\" 'a' & ]]>";

// `<script>` and quotes in every front-matter field never reach a page raw.
#[test]
fn hostile_text_is_escaped_everywhere() {
    let site = SiteTest::new("");
    let yaml = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let h = yaml(HOSTILE);
    site.write(
        "content/site.yaml",
        &format!("title: {h}\ndescription: {h}\nbase_url: https://fixture.example/\neditor: {h}\ntimezone: America/Chicago\n"),
    )
    .write(
        "content/outlets.yaml",
        &format!("tnw:\n  name: {h}\n  tagline: {h}\n  blurb: {h}\n  url: https://thenextweb.com/?a=1&b=\"2\"\nbloomberg:\n  name: B\n"),
    )
    .write(
        "content/2026-11-25/colossus.md",
        &format!("---\nkind: story\nheadline: {h}\ndek: {h}\ntags: [{h}]\n---\nBody.\n"),
    )
    .write(
        "content/2026-11-25/tnw-colossus.md",
        &format!("---\nheadline: {h}\noutlet: tnw\nurl: https://t.example/?q=\"><script>x</script>\nstory: colossus\ntags: [{h}]\nblurb: {h}\n---\nBody.\n"),
    )
    .write("content/2026-11-25/_issue.md", &format!("---\ntitle: {h}\n---\nNote.\n"))
    .write("content/pages/about.md", &format!("---\ntitle: {h}\ndescription: {h}\n---\nAbout.\n"));
    site.build();
    let files = site.output_files();
    assert!(files.len() > 10);
    for (path, bytes) in files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("UTF-8");
        assert!(!html.contains("<script>alert"), "raw <script> in {path}");
        assert!(
            !html.contains("\"><script>"),
            "attribute broken out of in {path}"
        );
        for value in attribute_values(&html) {
            assert!(
                !value.contains('<'),
                "raw `<` in an attribute of {path}: {value}"
            );
        }
    }
    let entry = site.page("2026/11/25/tnw-colossus/index.html");
    assert!(
        entry.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || entry.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the text is shown, escaped"
    );
}

/// The double-quoted attribute values of a page.
fn attribute_values(html: &str) -> Vec<&str> {
    html.split("=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

// Feeds and JSON carry hostile text through exactly: a feed parser and a
// JSON parser give back what the editor wrote.
#[test]
fn hostile_text_round_trips_through_feeds_and_json() {
    let site = SiteTest::new("");
    let yaml = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let h = yaml(HOSTILE);
    let title = format!("{HOSTILE} 😀");
    site.write("content/site.yaml", &format!("title: {}\nbase_url: https://fixture.example/\neditor: {h}\n", yaml(&title)))
        .write("content/2026-11-25/_issue.md", &format!("---\ntitle: {h}\n---\nNote.\n"))
        .write(
            "content/2026-11-25/tnw-colossus.md",
            &format!("---\nheadline: {h}\noutlet: tnw\nurl: https://t.example/?a=1&b=2\nstory: colossus\ntags: [spacex]\n---\nBody with ]]> in it.\n"),
        );
    site.build();
    for feed in ["feed.xml", "atom.xml"] {
        let parsed = feed_rs::parser::parse(site.page(feed).as_bytes()).expect(feed);
        assert_eq!(
            parsed.title.map(|t| t.content),
            Some(title.clone()),
            "{feed} title"
        );
        assert_eq!(
            parsed.entries[0].title.as_ref().map(|t| t.content.as_str()),
            Some(HOSTILE),
            "{feed} item title"
        );
    }
    let tag_feed =
        feed_rs::parser::parse(site.page("tags/spacex/atom.xml").as_bytes()).expect("tag feed");
    assert_eq!(
        tag_feed.entries[0]
            .title
            .as_ref()
            .map(|t| t.content.as_str()),
        Some(HOSTILE)
    );
    let json: serde_json::Value = serde_json::from_str(&site.page("feed.json")).expect("feed.json");
    assert_eq!(json["title"], title.as_str());
    assert_eq!(json["items"][0]["title"], HOSTILE);
    // The search index's records (one file of them: the site is small).
    let records: serde_json::Value =
        serde_json::from_str(&site.page("search/d/0.json")).expect("search records");
    assert!(
        records
            .as_array()
            .expect("a list")
            .iter()
            .any(|r| r["title"] == HOSTILE)
    );
}

/// What no output may hold, in lower case, once entities are decoded.
const SCRIPT_MARKERS: &[&str] = &[
    "<script",
    "onerror",
    "onload",
    "onclick",
    "onmouseover",
    "ontoggle",
    "javascript:",
    "vbscript:",
    "<iframe",
    "<object",
    "<embed",
    "<form",
    "data:text/html",
];

/// `text` with character references decoded as a browser would: numeric
/// ones (with or without `;`) and the named ones an attacker would use.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let numeric = rest.strip_prefix("&#").map(|r| {
            let (radix, digits) = match r.strip_prefix(['x', 'X']) {
                Some(hex) => (16, hex),
                None => (10, r),
            };
            let len = digits
                .find(|c: char| !c.is_digit(radix))
                .unwrap_or(digits.len());
            let skip = rest.len() - digits.len() + len;
            let code = u32::from_str_radix(&digits[..len], radix).ok();
            (code.and_then(char::from_u32), skip)
        });
        let named = [
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&amp;", '&'),
            ("&quot;", '"'),
            ("&apos;", '\''),
            ("&colon;", ':'),
            ("&tab;", '\t'),
            ("&newline;", '\n'),
        ]
        .into_iter()
        .find(|(name, _)| {
            rest.get(..name.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(name))
        })
        .map(|(name, c)| (Some(c), name.len()));
        match numeric.or(named) {
            Some((Some(c), mut skip)) => {
                out.push(c);
                if rest[skip..].starts_with(';') && rest.starts_with("&#") {
                    skip += 1;
                }
                rest = &rest[skip..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

// Markdown that tries every way to run a script (raw tags, event handlers,
// `javascript:` and `data:` URLs plain, in mixed case and entity-encoded,
// autolinks, heading attributes) in an entry, a story, an issue note and a
// page: no file of the built site holds any of it, pages, feeds,
// feed.json, search.json, email.html and email.txt alike, not even once
// entities are decoded (twice, for HTML inside XML).
#[test]
fn no_script_reaches_any_output() {
    let site = SiteTest::new("hostile");
    site.build();
    let files = site.output_files();
    // The theme's own search script is the one script a page may load: by
    // its fingerprinted name, with the integrity of its bytes.
    let own_script = {
        use base64::Engine as _;
        use sha2::Digest as _;
        let (name, bytes) = (files.iter())
            .find(|(p, _)| p.starts_with("search.") && p.ends_with(".js") && p != "search.js")
            .expect("the fingerprinted search script");
        let sri = base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(bytes));
        format!(
            "<script src=\"https://fixture.example/{name}\" integrity=\"sha384-{sri}\" defer></script>"
        )
    };
    let mut checked = Vec::new();
    for (path, bytes) in files {
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        let text = text.replace(&own_script, "");
        let once = decode_entities(&text);
        let twice = decode_entities(&once);
        for (form, text) in [
            ("as written", &text),
            ("decoded", &once),
            ("decoded twice", &twice),
        ] {
            let lower = text.to_lowercase();
            for marker in SCRIPT_MARKERS {
                if let Some(at) = lower.find(marker) {
                    let from = lower[..at]
                        .char_indices()
                        .rev()
                        .nth(80)
                        .map_or(0, |(i, _)| i);
                    let context: String = text[from..].chars().take(200).collect();
                    panic!("`{marker}` in {path} ({form}): …{context}…");
                }
            }
        }
        checked.push(path);
    }
    for expected in [
        "2026/11/25/hostile-body/index.html",
        "2026/11/25/hostile-story/index.html",
        "2026/11/25/index.html",
        "2026/11/25/email.html",
        "2026/11/25/email.txt",
        "hostile/index.html",
        "feed.xml",
        "atom.xml",
        "feed.json",
        "search.json",
        "tags/security/atom.xml",
        "outlets/tnw/atom.xml",
    ] {
        assert!(
            checked.iter().any(|p| p == expected),
            "{expected} not checked"
        );
    }
    // The prose around the payloads is still there.
    let entry = site.page("2026/11/25/hostile-body/index.html");
    for kept in [
        "an image, and",
        "Links: plain, mixed case,",
        "<h2 id=\"heading-id\" class=\"heading-class\">Heading</h2>",
        "Details stay.",
        ">anchor</a>",
    ] {
        assert!(entry.contains(kept), "`{kept}` missing:\n{entry}");
    }
}

// An article's address pasted with a space in it is written one valid way
// everywhere: percent-encoded on its pages, in the feeds and in the email.
#[test]
fn an_address_with_a_space_is_encoded_everywhere() {
    let site = SiteTest::new("");
    site.write(
        "content/2026-11-25/tnw-colossus.md",
        "---\nheadline: Laundry robots\noutlet: tnw\nurl: \"https://thenextweb.com/news/laundry robots\"\nstory: colossus\n---\n",
    );
    site.build();
    let encoded = "https://thenextweb.com/news/laundry%20robots";
    for page in [
        "2026/11/25/tnw-colossus/index.html",
        "2026/11/25/index.html",
        "2026/11/25/colossus/atom.xml",
        "feed.xml",
        "outlets/tnw/atom.xml",
    ] {
        let text = site.page(page);
        assert_contains(&text, encoded);
        assert!(!text.contains("laundry robots\""), "{page}: {text}");
    }
    assert_contains(&site.page("2026/11/25/email.html"), encoded);
}
