//! Markdown in the built pages: what editors write survives sanitising,
//! and `unsafe_html: true` keeps raw HTML as written.

use crate::site_test::{SiteTest, assert_contains};

// A table with alignment, highlighted code, an image, a footnote, `<details>`,
// `<sup>`/`<sub>`, a task list and a heading with `{#id .class}` come out of
// the sanitiser as they went in.
#[test]
fn formatting_survives_sanitising() {
    let site = SiteTest::new("formatting");
    site.build();
    insta::assert_snapshot!(
        "formatted_entry_main",
        site.main_of("2026/11/25/tnw-colossus/index.html")
    );
}

// `unsafe_html: true` keeps a `<div class="x">` as written, and both
// `check` and `build` say the setting is on, pointing at it.
#[test]
fn unsafe_html_keeps_raw_html_and_says_so() {
    let site = SiteTest::new("");
    let settings = site.page_source("content/site.yaml");
    site.write(
        "content/site.yaml",
        &format!("{settings}unsafe_html: true\n"),
    )
    .write(
        "content/2026-11-25/tnw-colossus.md",
        "---\nheadline: Raw\noutlet: tnw\nurl: https://thenextweb.com/news/colossus\n---\n<div class=\"x\" data-widget=\"poll\">A poll</div>\n",
    );
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_contains(&check.stderr, "warning: `unsafe_html` is on");
    assert_contains(&check.stderr, "--> content/site.yaml:7:14");
    let build = site.build();
    assert_contains(&build.stderr, "`unsafe_html` is on");
    assert_contains(
        &site.page("2026/11/25/tnw-colossus/index.html"),
        "<div class=\"x\" data-widget=\"poll\">A poll</div>",
    );
    // Without the setting, the same file is sanitised.
    site.write("content/site.yaml", &settings);
    let build = site.build();
    assert!(!build.stderr.contains("unsafe_html"), "{}", build.stderr);
    assert_contains(
        &site.page("2026/11/25/tnw-colossus/index.html"),
        "<div class=\"x\">A poll</div>",
    );
}

// Under a sub-path (`base_url: https://example.github.io/robot-weekly/`, as
// on GitHub Pages), a root-relative link goes under the sub-path and a
// link to another entry's Markdown file goes to its page, on the site and,
// made absolute, in the feeds; `check` finds both targets.
#[test]
fn internal_links_lead_to_pages_under_a_sub_path() {
    let site = SiteTest::new("");
    let settings = site.page_source("content/site.yaml");
    site.write(
        "content/site.yaml",
        &settings.replace(
            "base_url: https://fixture.example/",
            "base_url: https://example.github.io/robot-weekly/",
        ),
    )
    .write(
        "content/2026-11-25/tnw-colossus.md",
        "---\nheadline: Linked\noutlet: tnw\nurl: https://thenextweb.com/news/colossus\nstory: colossus\n---\nSee [the archive](/archive/) and [yesterday's chips](../2026-11-24/tnw-chips.md), then [the takeaway](colossus.md#takeaway).\n",
    );
    let check = site.run(&["check", "--strict"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    site.build();
    let page = site.main_of("2026/11/25/tnw-colossus/index.html");
    assert_contains(&page, "href=\"/robot-weekly/archive/\"");
    assert_contains(&page, "href=\"/robot-weekly/2026/11/24/tnw-chips/\"");
    assert_contains(
        &page,
        "href=\"/robot-weekly/2026/11/25/colossus/#takeaway\"",
    );
    let feed = site.page("outlets/tnw/atom.xml");
    assert_contains(
        &feed,
        "https://example.github.io/robot-weekly/2026/11/24/tnw-chips/",
    );
}

// An entry whose body starts with a code block and an image: its card's
// summary, its feed summary and the plain-text email read as prose, the
// code and the image kept out of the sentences (the email marks the image).
#[test]
fn summaries_read_around_code_and_images() {
    let site = SiteTest::new("");
    site.write(
        "content/2026-11-25/tnw-colossus.md",
        "---\nheadline: Robots that fold laundry\noutlet: tnw\nurl: https://thenextweb.com/news/colossus\nstory: colossus\n---\n```python\nfor obs in stream:\n    action = policy(obs, steps=1)\n```\n\n![A soft silicone gripper holding a tomato](https://cdn.example/gripper.png)\n\nTheir inference loop is short, and the gripper handles food packing.\n",
    );
    site.build();
    let issue = site.main_of("2026/11/25/index.html");
    let card = issue
        .split("Robots that fold laundry")
        .nth(1)
        .and_then(|rest| rest.split("</article>").next())
        .expect("the card");
    let summary = card
        .split("<p class=\"card__summary\">")
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .unwrap_or(card);
    insta::assert_snapshot!("code_and_image_card_summary", summary.trim());
    let feed = site.page("outlets/tnw/atom.xml");
    let summary = feed
        .split("<summary>")
        .nth(1)
        .and_then(|rest| rest.split("</summary>").next())
        .expect("a feed summary");
    insta::assert_snapshot!("code_and_image_feed_summary", summary);
    insta::assert_snapshot!(
        "code_and_image_email_txt",
        site.page("2026/11/25/email.txt")
    );
}

// An image beside its entry, in the issue folder (as Hugo's page bundles
// and Zola's colocated assets): copied beside the issue's page, shown on
// the entry page and in the story's explainer on the issue page with its
// width and height, absolute in both emails; a file of a page's
// folder is not published, and says so.
#[test]
fn images_beside_entries_reach_every_page() {
    let site = SiteTest::new("");
    let png = images_beside(&site);
    std::fs::create_dir_all(site.root().join("content/pages")).expect("mkdir");
    std::fs::write(site.root().join("content/pages/team.png"), &png).expect("write");
    site.write(
        "content/2026-11-25/tnw-colossus.md",
        "---\nheadline: Pictured\noutlet: tnw\nurl: https://thenextweb.com/news/colossus\nstory: colossus\n---\n![The hall](img/hall.png)\n\nSee [the chip](chip.png).\n",
    )
    .write(
        "content/2026-11-25/colossus.md",
        "---\nkind: story\nheadline: SpaceX leases Colossus 1\ndek: Here's what it means for you.\n---\n## What happened\n\n![The chip](chip.png)\n\nIt [happened](img/hall.png).\n\n## The Context\n\nContext.\n\n## Takeaway\n\nWatch.\n",
    );
    let run = site.build();
    assert_contains(
        &run.stderr,
        "warning: `content/pages/team.png` is not published",
    );
    assert_eq!(
        std::fs::read(site.root().join("public/2026/11/25/img/hall.png")).expect("copied"),
        png
    );
    assert!(site.exists("2026/11/25/chip.png"));
    assert!(!site.exists("team.png"));
    let sized =
        "<img src=\"/2026/11/25/img/hall.png\" alt=\"The hall\" width=\"4\" height=\"3\" />";
    assert_contains(&site.main_of("2026/11/25/tnw-colossus/index.html"), sized);
    let issue = site.main_of("2026/11/25/index.html");
    assert_contains(
        &issue,
        "<img src=\"/2026/11/25/chip.png\" alt=\"The chip\" width=\"4\" height=\"3\" />",
    );
    assert_contains(&issue, "href=\"/2026/11/25/img/hall.png\"");
    // In the email, no wider than its 600 px column, however large the file.
    assert_contains(
        &site.page("2026/11/25/email.html"),
        "<img src=\"https://fixture.example/2026/11/25/chip.png\" alt=\"The chip\" width=\"4\" height=\"3\" style=\"max-width: 100%;height: auto;\" />",
    );
    let text = site.page("2026/11/25/email.txt");
    assert_contains(&text, "[image: The chip] [2]");
    assert_contains(&text, "It happened [3].");
    assert_contains(&text, "[2] https://fixture.example/2026/11/25/chip.png\n");
    assert_contains(
        &text,
        "[3] https://fixture.example/2026/11/25/img/hall.png\n",
    );
}

// Outlook for Windows sizes an image by its `width` attribute and ignores
// `max-width`: in the email, a wide image of the explainer gets the
// column's width (552 px) and a height in proportion; on the site it keeps
// what the editor wrote.
#[test]
fn wide_images_fit_the_emails_column() {
    let site = SiteTest::new("");
    images_beside(&site);
    site.write(
        "content/2026-11-25/colossus.md",
        "---\nkind: story\nheadline: SpaceX leases Colossus 1\n---\n## What happened\n\n<img src=\"chip.png\" alt=\"Wide\" width=\"1600\" height=\"900\">\n\nText.\n",
    );
    site.build();
    assert_contains(
        &site.page("2026/11/25/email.html"),
        "<img src=\"https://fixture.example/2026/11/25/chip.png\" alt=\"Wide\" width=\"552\" height=\"311\"",
    );
    assert_contains(
        &site.main_of("2026/11/25/index.html"),
        "<img src=\"/2026/11/25/chip.png\" alt=\"Wide\" width=\"1600\" height=\"900\">",
    );
}

/// Two images beside the issue of 2026-11-25, `chip.png` and
/// `img/hall.png` (a 4×3 PNG); their bytes.
fn images_beside(site: &SiteTest) -> Vec<u8> {
    let png = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/testsuite/fixtures/formatting/static/images/colossus.jpg"),
    )
    .expect("the fixture image");
    std::fs::create_dir_all(site.root().join("content/2026-11-25/img")).expect("mkdir");
    std::fs::write(site.root().join("content/2026-11-25/img/hall.png"), &png).expect("write");
    std::fs::write(site.root().join("content/2026-11-25/chip.png"), &png).expect("write");
    png
}

// Raw HTML that links a file beside the content (`<img src="chip.png">`,
// `<a href="img/hall.png">`) leads where the same Markdown link does: on
// the story's page, the issue's page and the home page alike, and
// absolute in the email edition.
#[test]
fn raw_html_links_lead_like_markdown_links() {
    let site = SiteTest::new("");
    images_beside(&site);
    site.write(
        "content/2026-11-25/colossus.md",
        "---\nkind: story\nheadline: SpaceX leases Colossus 1\n---\n## What happened\n\n<img src=\"chip.png\" alt=\"The chip\" width=\"4\" height=\"3\">\n\nIt <a href=\"img/hall.png\">happened</a>.\n\n<p><a\nhref=\"img/hall.png\">Over two lines</a></p>\n",
    );
    site.build();
    for page in [
        "2026/11/25/colossus/index.html",
        "2026/11/25/index.html",
        "index.html",
    ] {
        let main = site.main_of(page);
        assert_contains(
            &main,
            "<img src=\"/2026/11/25/chip.png\" alt=\"The chip\" width=\"4\" height=\"3\">",
        );
        assert_contains(&main, "<a href=\"/2026/11/25/img/hall.png\">happened</a>");
        assert_contains(
            &main,
            "<a href=\"/2026/11/25/img/hall.png\">Over two lines</a>",
        );
    }
    assert_contains(
        &site.page("2026/11/25/email.html"),
        "src=\"https://fixture.example/2026/11/25/chip.png\"",
    );
}

// The link check reads raw HTML as the page keeps it: an `iframe` is
// removed with its `src`, which then leads nowhere to check; an image's
// `src` stays, and is checked; with `unsafe_html: true` the iframe stays,
// and its `src` is checked too.
#[test]
fn the_link_check_skips_what_the_sanitiser_removes() {
    let site = SiteTest::new("");
    site.write(
        "content/2026-11-25/colossus.md",
        "---\nkind: story\nheadline: SpaceX leases Colossus 1\n---\n## What happened\n\n<iframe src=\"/embed/gone/\"></iframe>\n\nText.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !site
            .page("2026/11/25/colossus/index.html")
            .contains("<iframe")
    );
    let yaml = site.page_source("content/site.yaml");
    site.write("content/site.yaml", &format!("{yaml}unsafe_html: true\n"));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(&run.stderr, "link `/embed/gone/` points nowhere");
    site.write("content/site.yaml", &yaml);
    site.write(
        "content/2026-11-25/colossus.md",
        "---\nkind: story\nheadline: SpaceX leases Colossus 1\n---\n## What happened\n\n<img src=\"/gone.png\" alt=\"x\">\n\nText.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(&run.stderr, "image `/gone.png` points nowhere");
}

// The ids of a page's HTML, in order.
fn ids(html: &str) -> Vec<&str> {
    html.split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

// Ids made from content never take the theme's own: a story whose slug is
// `more-links` beside the "More links" section, a `## Coverage`, a `## Main`
// and a `## 1` beside footnote 1, on the story's page, the issue's page and
// the home page; the theme's links still reach the theme's elements, and a
// link to a heading still reaches the heading.
#[test]
fn content_ids_never_take_the_themes() {
    let site = SiteTest::new("");
    site.write(
        "content/2026-11-25/more-links.md",
        "---\nkind: story\nheadline: Robots fold laundry\n---\nA note[^1].\n\n## Main\n\nSee [the context](#the-context).\n\n## The Context\n\nx\n\n## Coverage\n\ny\n\n## 1\n\n[^1]: The note.\n",
    )
    .write(
        "content/2026-11-25/tnw-laundry.md",
        "---\nheadline: Laundry\noutlet: tnw\nurl: https://thenextweb.com/news/laundry\nstory: more-links\n---\nFolded.\n",
    )
    .write(
        "content/2026-11-25/tnw-other.md",
        "---\nheadline: Other\noutlet: tnw\nurl: https://thenextweb.com/news/other\n---\nElse.\n",
    );
    site.build();
    for page in [
        "2026/11/25/more-links/index.html",
        "2026/11/25/index.html",
        "index.html",
    ] {
        let html = site.page(page);
        let ids = ids(&html);
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(ids.len(), unique.len(), "duplicate ids on {page}: {ids:?}");
        assert_contains(&html, "<main id=\"_main\"");
        assert_contains(&html, "href=\"#_main\"");
    }
    let story = site.main_of("2026/11/25/more-links/index.html");
    assert_contains(&story, "<h2 id=\"coverage\">Coverage</h2>");
    assert_contains(&story, "id=\"_coverage\"");
    assert_contains(&story, "<a href=\"#the-context\">the context</a>");
    assert_contains(&story, "<h2 id=\"1-1\">1</h2>");
    let issue = site.main_of("2026/11/25/index.html");
    assert_contains(&issue, "<a href=\"#more-links\">Robots fold laundry</a>");
    assert_contains(&issue, "<article class=\"story\" id=\"more-links\"");
    assert_contains(&issue, "<a href=\"#_more-links\">More links");
    assert_contains(&issue, "id=\"_more-links\">More links</h2>");
}

// In the site feeds, a story's links to its own headings and footnotes
// lead to its own page, where those ids are (the issue's page has them
// under the story's prefix), in RSS, Atom and JSON Feed alike.
#[test]
fn feed_fragments_lead_to_the_storys_page() {
    let site = SiteTest::new("");
    site.write(
        "content/2026-11-25/more-links.md",
        "---\nkind: story\nheadline: Robots fold laundry\n---\nA note[^1].\n\nSee [the context](#the-context).\n\n## The Context\n\nx\n\n[^1]: The note.\n",
    );
    site.build();
    let story = "https://fixture.example/2026/11/25/more-links/";
    for feed in ["feed.xml", "atom.xml"] {
        let xml = site.page(feed);
        assert_contains(&xml, &format!("href=&quot;{story}#the-context&quot;"));
        assert_contains(&xml, &format!("href=&quot;{story}#1&quot;"));
        assert!(!xml.contains("2026/11/25/#the-context"), "{xml}");
    }
    let json = site.page("feed.json");
    assert_contains(&json, &format!("href=\\\"{story}#the-context\\\""));
    assert_contains(&json, &format!("href=\\\"{story}#1\\\""));
    assert_contains(
        &site.main_of("2026/11/25/more-links/index.html"),
        "<h2 id=\"the-context\">",
    );
}
