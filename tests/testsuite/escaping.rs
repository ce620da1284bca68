//! Text from front matter and config is escaped wherever it lands.

use crate::site_test::SiteTest;

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
    let search: serde_json::Value =
        serde_json::from_str(&site.page("search.json")).expect("search.json");
    assert!(
        search
            .as_array()
            .expect("a list")
            .iter()
            .any(|r| r["title"] == HOSTILE)
    );
}
