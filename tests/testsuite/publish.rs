//! Feeds, sitemap, robots.txt, search index and the email edition, on
//! fixture sites: their exact text pinned, and the rules each must keep.

use crate::site_test::{SiteTest, assert_contains, assert_in_order};

/// The base fixture plus an issue that has a note and no entries at all.
fn site_with_empty_issue() -> SiteTest {
    let site = SiteTest::new("");
    site.write(
        "content/2026-11-23/_issue.md",
        "---\ntitle: A quiet day\n---\nNothing happened. Really.\n",
    );
    site
}

// The built-in formats, pinned: any change to them is reviewed.
#[test]
fn formats_snapshots() {
    let site = site_with_empty_issue();
    site.build();
    for file in [
        "feed.xml",
        "atom.xml",
        "feed.json",
        "sitemap.xml",
        "robots.txt",
        "search.json",
        "search/w/f52a15e9a9b5.json",
        "search/d/0.json",
        "tags/infrastructure/atom.xml",
    ] {
        insta::assert_snapshot!(file.replace('/', "_"), site.page(file));
    }
}

// Site feeds hold one item per issue, newest first, at most feed_limit, with
// the issue permalink as id and dates in the site's timezone.
#[test]
fn site_feeds_follow_feed_limit_and_timezone() {
    let site = site_with_empty_issue();
    site.write("content/site.yaml", "title: Fixture Daily\nbase_url: https://fixture.example/\ntimezone: America/Chicago\nfeed_limit: 2\n");
    site.build();
    let rss = site.page("feed.xml");
    assert_eq!(rss.matches("<item>").count(), 2);
    assert_contains(
        &rss,
        "<guid isPermaLink=\"true\">https://fixture.example/2026/11/25/</guid>",
    );
    assert_contains(&rss, "<pubDate>Wed, 25 Nov 2026 00:00:00 -0600</pubDate>");
    assert!(
        !rss.contains("2026/11/23/"),
        "the oldest issue is past feed_limit"
    );
    let atom = site.page("atom.xml");
    assert_eq!(atom.matches("<entry>").count(), 2);
    assert_contains(&atom, "<published>2026-11-25T00:00:00-06:00</published>");
    let json: serde_json::Value = serde_json::from_str(&site.page("feed.json")).expect("JSON");
    assert_eq!(json["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        json["items"][0]["id"],
        "https://fixture.example/2026/11/25/"
    );
    // The issue's whole content: its story, the coverage and the other links.
    let content = json["items"][0]["content_html"].as_str().expect("content");
    for needle in [
        "SpaceX leases Colossus 1",
        "What happened",
        "SpaceX Rented Out Computing",
        "https://thenextweb.com/news/colossus",
    ] {
        assert_contains(content, needle);
    }
}

// The email edition: one self-contained file, styles inlined, absolute
// links, a preheader, "View in browser", UTM tags that keep a link's own.
#[test]
fn email_edition() {
    let site = SiteTest::new("");
    site.write(
        "content/site.yaml",
        "title: Fixture Daily\nbase_url: https://fixture.example/\ntimezone: America/Chicago\nemail:\n  utm_source: fixture\n  utm_medium: email\n  unsubscribe: '{{ unsubscribe_url }}'\n",
    )
    .write(
        "content/2026-11-25/tnw-colossus.md",
        "---\nheadline: Tagged link\noutlet: tnw\nurl: https://thenextweb.com/news/colossus?utm_source=tnw&id=7\nstory: colossus\n---\nA summary.\n",
    )
    .write(
        "content/2026-11-25/colossus.md",
        "---\nkind: story\nheadline: SpaceX leases Colossus 1\ndek: Here's what it means for you.\n---\nSee [the paper](/papers/x.pdf) and [more](https://example.org/more).\n",
    )
    .write("static/papers/x.pdf", "%PDF-1.4\n");
    site.build();
    let html = site.page("2026/11/25/email.html");
    assert!(!html.contains("<link"), "no linked stylesheet");
    assert!(html.matches("style=\"").count() > 20, "styles are inlined");
    // The preheader: the story's headline, which differs from day to day,
    // then its dek, which A47 gives every story alike; hidden at the top
    // of the body (its apostrophe as the template escaped it).
    assert_contains(
        &html.replace("&#39;", "'"),
        "<div class=\"preheader\" aria-hidden=\"true\" style=",
    );
    assert_contains(
        &html.replace("&#39;", "'"),
        ">SpaceX leases Colossus 1 — Here's what it means for you.&#847;",
    );
    assert_contains(&html, "href=\"https://fixture.example/2026/11/25/\"");
    assert_contains(
        &html,
        "href=\"https://thenextweb.com/news/colossus?utm_source=tnw&amp;id=7&amp;utm_medium=email&amp;utm_campaign=2026-11-25\"",
    );
    assert_contains(
        &html,
        "href=\"https://example.org/more?utm_source=fixture&amp;utm_medium=email&amp;utm_campaign=2026-11-25\"",
    );
    assert_contains(&html, "href=\"https://fixture.example/papers/x.pdf\"");
    assert_contains(&html, "href=\"{{ unsubscribe_url }}\"");
    for href in html
        .split("href=\"")
        .skip(1)
        .filter_map(|h| h.split('"').next())
    {
        assert!(
            href.starts_with("https://") || href == "{{ unsubscribe_url }}",
            "relative link in the email: {href}"
        );
    }
    let text = site.page("2026/11/25/email.txt");
    assert_contains(&text, "https://fixture.example/2026/11/25/");
    assert_contains(
        &text,
        "https://thenextweb.com/news/colossus?utm_source=tnw&id=7&utm_medium=email&utm_campaign=2026-11-25",
    );
}

// Without UTM settings the article links are exactly as written.
#[test]
fn email_without_utm_keeps_links() {
    let site = SiteTest::new("");
    site.build();
    let html = site.page("2026/11/25/email.html");
    assert_contains(&html, "href=\"https://thenextweb.com/news/colossus\"");
    assert!(!html.contains("utm_"));
}

// A theme whose email CSS is more than plain rules (here an `@media`
// rule and a child combinator) gets the same inlining, by css-inline: the
// rules in `style` attributes, the `@media` rule kept in a `<style>`.
#[test]
fn email_with_media_queries_is_inlined_too() {
    let site = SiteTest::new("");
    let template = "themes/default/templates/email.html";
    let source = site.page_source(template);
    let css = "\n    @media (max-width: 480px) { .title { font-size: 24px; } }\n    .masthead > .brand { letter-spacing: 1px; }\n  </style>";
    let edited = source.replacen("\n  </style>", css, 1);
    assert_ne!(edited, source, "the template has a <style> block");
    site.write(template, &edited);
    site.build();
    let html = site.page("2026/11/25/email.html");
    assert_contains(&html, "@media (max-width: 480px)");
    assert_contains(&html, "letter-spacing: 1px");
    assert!(html.matches("style=\"").count() > 20, "styles are inlined");
    assert_contains(&html, "class=\"title\" style=\"");
}

// Code in a story is coloured in the email as on the page, with the colours
// inlined (mail clients drop classes); an email without code carries none
// of the palette.
#[test]
fn code_in_the_email_is_coloured_inline() {
    let site = SiteTest::new("");
    site.build();
    assert!(!site.page("2026/11/25/email.html").contains("hl-"));
    let story = "content/2026-11-25/colossus.md";
    let text = site.page_source(story);
    site.write(
        story,
        &format!("{text}\n```rust\nfn main() {{ let x = 1; }}\n```\n"),
    );
    site.build();
    let html = site.page("2026/11/25/email.html");
    let code = &html[html.find("<pre").expect("the code in the email")..];
    let keyword = &code[..code.find("</pre>").expect("its end")];
    assert!(
        keyword.contains("class=\"hl-") && keyword.contains("style=\"color: #"),
        "the code's colours are not inlined: {keyword}"
    );
}

// An issue too big for Gmail is built, with a warning that names it.
#[test]
fn oversized_email_is_warned() {
    let site = SiteTest::new("");
    let long = "Words upon words of summary, all of it kept. ".repeat(300);
    for n in 0..12 {
        site.write(
            &format!("content/2026-11-25/long-{n:02}.md"),
            &format!(
                "---\nheadline: Long {n}\noutlet: tnw\nurl: https://t.example/{n}\n---\n{long}\n"
            ),
        );
    }
    site.write(
        "content/site.yaml",
        "title: Fixture Daily\nbase_url: https://fixture.example/\nsummary_length: 0\n",
    );
    let run = site.build();
    assert_contains(
        &run.stderr,
        "warning[email-clipped]: the email edition `2026/11/25/email.html` is",
    );
    assert_contains(&run.stderr, "Gmail clips messages over 102 KB");
    assert_contains(&run.stderr, "--> content/2026-11-25");
}

// The sitemap lists every page but the 404 and the email editions.
#[test]
fn sitemap_lists_pages() {
    let site = SiteTest::new("");
    site.build();
    let sitemap = site.page("sitemap.xml");
    let pages = site
        .output_files()
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html") && p != "404.html" && !p.ends_with("email.html"))
        .count();
    assert_eq!(sitemap.matches("<loc>").count(), pages);
    assert!(!sitemap.contains("404.html") && !sitemap.contains("email"));
    assert_contains(
        &site.page("robots.txt"),
        "Sitemap: https://fixture.example/sitemap.xml",
    );
}

// Every page announces the three site feeds, and carries Open Graph and
// Twitter card tags; stories and entries are articles with a published time.
#[test]
fn feeds_are_discoverable_and_pages_have_social_cards() {
    let site = SiteTest::new("");
    site.build();
    for (path, bytes) in site.output_files() {
        if !path.ends_with(".html") || path.ends_with("email.html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("UTF-8");
        for needle in [
            "type=\"application/rss+xml\" href=\"https://fixture.example/feed.xml\"",
            "type=\"application/atom+xml\" href=\"https://fixture.example/atom.xml\"",
            "type=\"application/feed+json\" href=\"https://fixture.example/feed.json\"",
            "<meta property=\"og:site_name\" content=\"Fixture Daily\">",
            "<meta property=\"og:url\" content=\"https://fixture.example/",
            "<meta name=\"twitter:card\"",
            "<meta name=\"twitter:title\"",
        ] {
            assert!(html.contains(needle), "{path} lacks {needle}");
        }
    }
    for page in [
        "2026/11/25/colossus/index.html",
        "2026/11/25/tnw-colossus/index.html",
    ] {
        let html = site.page(page);
        assert_contains(&html, "<meta property=\"og:type\" content=\"article\">");
        assert_contains(
            &html,
            "<meta property=\"article:published_time\" content=\"2026-11-25T00:00:00-06:00\">",
        );
    }
    assert_contains(
        &site.page("tags/chips/index.html"),
        "href=\"https://fixture.example/tags/chips/atom.xml\"",
    );
}

// A story has its own Atom feed, its coverage from every day newest first,
// linked from the story page; feed-rs reads it.
#[test]
fn a_story_has_a_feed_of_its_coverage() {
    let site = SiteTest::new("");
    site.write(
        "content/2026-11-26/bloomberg-colossus-follow-up.md",
        "---\nheadline: Colossus lease, the day after\noutlet: bloomberg\nurl: https://www.bloomberg.com/colossus-follow-up\nstory: colossus\n---\nWhat changed overnight.\n",
    );
    site.build();
    let feed_url = "https://fixture.example/2026/11/25/colossus/atom.xml";
    let page = site.page("2026/11/25/colossus/index.html");
    assert_contains(
        &page,
        &format!("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"{feed_url}\""),
    );
    assert_contains(
        &page,
        &format!("<a href=\"{feed_url}\">Follow this story (Atom)</a>"),
    );
    let xml = site.page("2026/11/25/colossus/atom.xml");
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("feed-rs reads it");
    let links: Vec<&str> = (feed.entries.iter())
        .map(|e| e.links[0].href.as_str())
        .collect();
    assert_eq!(
        links,
        [
            "https://fixture.example/2026/11/26/bloomberg-colossus-follow-up/",
            "https://fixture.example/2026/11/25/bloomberg-colossus/",
            "https://fixture.example/2026/11/25/tnw-colossus/",
        ],
        "the coverage, newest first"
    );
    assert!(
        feed.links
            .iter()
            .any(|l| l.rel.as_deref() == Some("self") && l.href == feed_url)
    );
    assert!(
        feed.title
            .expect("a title")
            .content
            .starts_with("Fixture Daily: ")
    );
}

// A story covered on three days shows its coverage by day, oldest first,
// each day linking its issue, the first report named.
#[test]
fn a_developing_story_shows_its_coverage_by_day() {
    let site = SiteTest::new("");
    site.write(
        "content/2026-11-24/reuters-colossus-rumour.md",
        "---\nheadline: Colossus may be leased, sources say\noutlet: tnw\nurl: https://thenextweb.com/news/colossus-rumour\nstory: colossus\n---\nA rumour.\n",
    );
    site.write(
        "content/2026-11-26/bloomberg-colossus-follow-up.md",
        "---\nheadline: Colossus lease, the day after\noutlet: bloomberg\nurl: https://www.bloomberg.com/colossus-follow-up\nstory: colossus\n---\nWhat changed overnight.\n",
    );
    site.build();
    let page = site.main_of("2026/11/25/colossus/index.html");
    assert_contains(&page, "4 sources over 3 days");
    let days: Vec<&str> = page
        .match_indices("<h3 class=\"coverage__day\">")
        .map(|(at, _)| &page[at..at + page[at..].find("</h3>").expect("its end")])
        .collect();
    assert_eq!(days.len(), 3, "{days:?}");
    for (day, (date, short, count)) in days.iter().zip([
        ("2026/11/24", "Nov 24", "1 source"),
        ("2026/11/25", "Nov 25", "2 new"),
        ("2026/11/26", "Nov 26", "1 new"),
    ]) {
        assert_contains(day, &format!("href=\"https://fixture.example/{date}/\""));
        assert_contains(day, &format!("{short}</time></a> · {count}"));
    }
    assert_contains(
        &page,
        "First reported by TNW: <a href=\"https://fixture.example/2026/11/24/reuters-colossus-rumour/\">Colossus may be leased, sources say</a>",
    );
    // The later issue shows its follow-up under "Developing", linking the
    // story, and not among its other links; the earlier one (filed before
    // the story) keeps its entry among its links.
    let later = site.main_of("2026/11/26/index.html");
    let developing = &later[later
        .find("<section class=\"developing\"")
        .expect("a Developing section")..];
    let developing = &developing[..developing.find("</section>").expect("its end")];
    assert_contains(
        developing,
        "<a href=\"https://fixture.example/2026/11/25/colossus/\">",
    );
    assert_contains(developing, "· 1 new</span>");
    assert_contains(developing, "Colossus lease, the day after");
    assert!(
        !later.contains("id=\"more-links\""),
        "the follow-up is no loose link"
    );
    let earlier = site.main_of("2026/11/24/index.html");
    assert!(!earlier.contains("class=\"developing\""));
    assert_contains(&earlier, "Colossus may be leased, sources say");
    // A story covered on one day keeps its one list.
    let site = SiteTest::new("");
    site.build();
    let page = site.main_of("2026/11/25/colossus/index.html");
    assert!(!page.contains("coverage__day"));
    assert_contains(&page, "2 sources</span>");
}

// A story followed up on the two days after its own: both later issues show
// the new coverage under "Developing", linking the story, and its feed,
// read by feed-rs, holds all four reports.
#[test]
fn a_story_followed_up_two_days_running_is_developing_in_both_issues() {
    let site = SiteTest::new("");
    for (day, slug, headline) in [
        (
            "2026-11-26",
            "bloomberg-colossus-terms",
            "Colossus lease terms disclosed",
        ),
        (
            "2026-11-27",
            "tnw-colossus-week",
            "A week after the Colossus deal",
        ),
    ] {
        site.write(
            &format!("content/{day}/{slug}.md"),
            &format!("---\nheadline: {headline}\noutlet: tnw\nurl: https://thenextweb.com/{slug}\nstory: colossus\n---\nMore.\n"),
        );
    }
    let run = site.run_at("2026-11-27T18:00:00Z", &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (issue, headline) in [
        ("2026/11/26/index.html", "Colossus lease terms disclosed"),
        ("2026/11/27/index.html", "A week after the Colossus deal"),
    ] {
        let main = site.main_of(issue);
        let at = main
            .find("<section class=\"developing\"")
            .unwrap_or_else(|| panic!("{issue}: no Developing section"));
        let developing = &main[at..at + main[at..].find("</section>").expect("its end")];
        assert_contains(
            developing,
            "<a href=\"https://fixture.example/2026/11/25/colossus/\">",
        );
        assert_contains(developing, headline);
    }
    // The email edition as sent groups them the same way, numbered in
    // reading order.
    let email = site.page("2026/11/27/email.html");
    assert_contains(&email, ">Developing</h2>");
    assert!(
        !email.contains("More links") && !email.contains(">Links</h2>"),
        "the follow-up is no loose link"
    );
    let text = site.page("2026/11/27/email.txt");
    assert_in_order(
        &text,
        &[
            "Developing",
            "SpaceX leases Colossus 1 (1 new)",
            "https://fixture.example/2026/11/25/colossus/",
            "A week after the Colossus deal [1]",
        ],
    );
    let story = site.main_of("2026/11/25/colossus/index.html");
    assert_contains(&story, "4 sources over 3 days");
    let xml = site.page("2026/11/25/colossus/atom.xml");
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("feed-rs reads it");
    assert_eq!(feed.entries.len(), 4, "every report of the story");
    assert_eq!(
        feed.entries[0].links[0].href, "https://fixture.example/2026/11/27/tnw-colossus-week/",
        "the newest first"
    );
}

/// A proof of a build made with `--base-url` would carry links to that
/// address (a preview on this machine) to the inbox: refused before any
/// server is asked, naming the flag; a build with `--future` is what a
/// proof of a scheduled issue is made from, and is not refused for it.
#[test]
fn a_proof_of_a_preview_at_another_address_is_refused() {
    let site = SiteTest::new("");
    let env = [
        ("GAZETTE_SMTP_HOST", "127.0.0.1"),
        ("GAZETTE_SMTP_PORT", "9"),
        ("GAZETTE_SMTP_TLS", "none"),
        ("GAZETTE_SMTP_FROM", "A47 <editor@a47.example>"),
    ];
    let send = |site: &SiteTest| {
        crate::site_test::run_with_env(
            site.root(),
            crate::site_test::NOW,
            &env,
            &["send", "--proof", "editor@a47.example"],
        )
    };
    let built = site.build_with(&["--base-url", "http://127.0.0.1:8000/"]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let refused = send(&site);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert_contains(
        &refused.stderr,
        "was built with `--base-url http://127.0.0.1:8000/`: the proof's links would lead there",
    );
    assert!(
        !refused.stderr.contains("cannot reach"),
        "{}",
        refused.stderr
    );

    let built = site.build_with(&["--future"]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let tried = send(&site);
    assert_eq!(tried.code, 1, "{}", tried.stderr);
    assert_contains(&tried.stderr, "cannot reach the SMTP server 127.0.0.1:9");
}
