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
        assert!(!html.contains("\"q\" 'a'"), "raw quotes in {path}");
    }
    let entry = site.page("2026/11/25/tnw-colossus/index.html");
    assert!(
        entry.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || entry.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the text is shown, escaped"
    );
}
