//! The default theme's pages as readers and their tools take them: the
//! direction of the text, and nothing drawn that has nothing to show.

use crate::site_test::{SiteTest, assert_contains};

/// The `<html …>` start tag of a built file.
fn html_tag(site: &SiteTest, rel: &str) -> String {
    let page = site.page(rel);
    let start = page.find("<html").expect("an <html> tag");
    let end = start + page[start..].find('>').expect("its end");
    page[start..=end].to_owned()
}

// A site in a right-to-left language (Arabic) says so on every page, its
// email edition and the redirect page of an alias: `dir="rtl"`, which
// browsers lay the page out by; an English site says `ltr`.
#[test]
fn a_right_to_left_language_sets_dir_rtl() {
    let site = SiteTest::new("");
    let yaml = site.page_source("content/site.yaml");
    site.write("content/site.yaml", &format!("{yaml}language: ar-EG\n"));
    let chips = site.page_source("content/2026-11-24/tnw-chips.md");
    site.write(
        "content/2026-11-24/tnw-chips.md",
        &chips.replacen("---\n", "---\naliases: [/2026/11/24/old-chips/]\n", 1),
    );
    site.build();
    for rel in [
        "index.html",
        "2026/11/25/index.html",
        "2026/11/25/colossus/index.html",
        "2026/11/25/tnw-colossus/index.html",
        "outlets/tnw/index.html",
        "archive/index.html",
        "404.html",
        "2026/11/25/email.html",
        "2026/11/24/old-chips/index.html",
    ] {
        assert_eq!(
            html_tag(&site, rel),
            r#"<html lang="ar-EG" dir="rtl">"#,
            "{rel}"
        );
    }
    // No file has Arabic words: they stay English, the page at the alias too.
    assert_contains(
        &site.page("2026/11/24/old-chips/index.html"),
        "<p>This page has moved to <a href=\"https://",
    );
    // Email clients drop `<html>`'s attributes: the wrapper says it again.
    assert_contains(
        &site.page("2026/11/25/email.html"),
        r#"<div class="email" role="main" lang="ar-EG" dir="rtl" "#,
    );

    // Arrows ("back", "on", "out") point the way the page runs: each is
    // marked, and the stylesheet turns the marked ones round in `rtl`
    // (seen in Chromium: `matrix(-1, 0, 0, 1, 0, 0)` there, `none` in `ltr`).
    for rel in [
        "2026/11/25/index.html",
        "2026/11/25/colossus/index.html",
        "2026/11/25/tnw-colossus/index.html",
        "outlets/tnw/index.html",
    ] {
        let page = site.page(rel);
        let arrows = page.matches(['←', '→', '↗']).count();
        let marked = page
            .matches(r#"<span class="arrow" aria-hidden="true">"#)
            .count();
        assert!(arrows > 0, "{rel} has an arrow");
        assert_eq!(arrows, marked, "{rel}: every arrow is marked");
    }
    let css = std::fs::read_dir(site.root().join("public"))
        .expect("public")
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with("style."))
        .map(|e| std::fs::read_to_string(e.path()).expect("the stylesheet"))
        .expect("style.css");
    assert_contains(
        &css,
        ".arrow:dir(rtl) { display: inline-block; transform: scaleX(-1); }",
    );

    let english = SiteTest::new("");
    english.build();
    assert_contains(&english.page("index.html"), r#"<html lang="en" dir="ltr">"#);
}

// An outlet with neither tagline nor blurb gets no "About" box on its
// entries' pages (an empty box, and an empty landmark for screen readers);
// one with either keeps it.
#[test]
fn an_outlet_with_nothing_to_say_gets_no_box() {
    let site = SiteTest::new("");
    let outlets = site.page_source("content/outlets.yaml");
    site.write(
        "content/outlets.yaml",
        &format!("{outlets}wire:\n  name: Wire Service\n  url: https://wire.example\n"),
    );
    site.write(
        "content/2026-11-25/wire-colossus.md",
        "---\nheadline: Wire copy\noutlet: wire\nurl: https://wire.example/colossus\n---\nShort wire copy.\n",
    );
    site.build();
    let wire = site.main_of("2026/11/25/wire-colossus/index.html");
    assert!(!wire.contains("outlet-box"), "{wire}");
    assert!(!wire.contains("<aside"), "{wire}");
    assert_contains(
        &site.main_of("2026/11/25/tnw-colossus/index.html"),
        r#"<aside class="outlet-box" aria-label="About TNW">"#,
    );
}

// Printed, an entry's page still says where its article is: the address
// is in the page (the clients' layout check sees it on paper).
#[test]
fn an_entry_page_carries_its_articles_address_for_print() {
    let site = SiteTest::new("");
    site.build();
    let url = site
        .page_source("content/2026-11-25/tnw-colossus.md")
        .lines()
        .find_map(|l| l.strip_prefix("url: ").map(str::to_owned))
        .expect("the entry's url");
    assert_contains(
        &site.main_of("2026/11/25/tnw-colossus/index.html"),
        &format!(r#"<span class="cta__address"> {url}</span>"#),
    );
    let css = std::fs::read_to_string(site.root().join("themes/default/static/style.css"))
        .expect("style.css");
    let print = &css[css.find("@media print").expect("a print block")..];
    assert_contains(print, ".cta__address { display: inline;");
}

// A site's own `templates/base.html` that breaks the theme's pages (its
// `main` block renamed) is named beside each error at the theme's files,
// which the designer never touched.
#[test]
fn an_override_that_breaks_the_themes_pages_is_named() {
    let site = SiteTest::new("");
    let base = site.page_source("themes/default/templates/base.html");
    // A copy of the theme's file as it is is no cause: a typo in the
    // theme's own 404.html is not blamed on it.
    site.write("templates/base.html", &base);
    let not_found = site.page_source("themes/default/templates/404.html");
    site.write(
        "themes/default/templates/404.html",
        &not_found.replacen(
            "{% block main %}",
            "{% block main %}{{ 1 | nosuchfilter }}",
            1,
        ),
    );
    let run = site.run(&["build"]);
    assert_contains(&run.stderr, "unknown filter `nosuchfilter`");
    assert!(
        !run.stderr.contains("the cause may be there"),
        "{}",
        run.stderr
    );
    site.write("themes/default/templates/404.html", &not_found);

    site.write(
        "templates/base.html",
        &base.replace(
            "block main %}{% endblock main",
            "block content %}{% endblock content",
        ),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(&run.stderr, "--> themes/default/templates/entry.html:");
    assert_contains(
        &run.stderr,
        "= note: `themes/default/templates/entry.html` reads `templates/base.html`, the site's own in place of the theme's: the cause may be there",
    );
}
