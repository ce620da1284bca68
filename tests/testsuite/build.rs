//! Building sites: the seed issue, every front-matter field, coverage across
//! issues, drafts and scheduled issues, timezones, text encodings.

use crate::site_test::{NOW, SiteTest, assert_contains, assert_in_order, copy_tree, run_with_env};

/// The repository's own site (the A47 issue of the seed page).
fn seed_site() -> SiteTest {
    let site = SiteTest::empty();
    copy_tree(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &site.root().join("content"),
    );
    site
}

// The seed issue shows everything the seed page shows, in weight order:
// explainer with dek and sections, then each card's tagline, quoted blurb,
// editor, headline linking to the article, and the cut summary.
#[test]
fn seed_issue_shows_every_element_in_order() {
    let site = seed_site();
    let run = site.build();
    assert!(run.stdout.starts_with("built "), "{}", run.stdout);
    let issue = site.main_of("2026/11/25/index.html");
    assert_in_order(
        &issue,
        &[
            "SpaceX leases Colossus 1 data center to Anthropic amid AI infrastructure challenges",
            "Here&#39;s what it means for you.",
            "The collaboration between SpaceX and Anthropic",
            "What happened",
            "The Context",
            "Takeaway",
            "Opinionated AI coverage for general audiences.",
            "“TNW’s AI vertical covering tools, ethics, and trends.”",
            "— A47 Editor",
            "href=\"https://thenextweb.com/news\"",
            "SpaceX rented Colossus 1 to Anthropic because it couldn’t make the data centre work for Grok",
            "This decision highlights the technical challenges SpaceX encountered in…",
            "Curated tech headlines including AI stories.",
            "“Influential aggregator surfacing the day’s top tech/AI links.”",
            "Sources: SpaceX decided to rent its Colossus 1 data center",
            "Technology business and AI-related headlines.",
            "“Data-driven tech newsroom with global scope.”",
            "SpaceX Rented Out Computing After Own Teams Had Trouble Using It",
            "Technology business news, market impacts, and innovation trends.",
            "“Bloomberg is a premier financial and tech news provider",
            "SpaceX Rented Out Computing After Own Teams Had Trouble Using It",
        ],
    );
    assert_eq!(issue.matches("— A47 Editor").count(), 4);
    // The home page is the latest issue.
    assert_contains(
        &site.main_of("index.html"),
        "Influential aggregator surfacing",
    );
    // The seed repeats the Bloomberg link: a warning naming both files.
    assert_contains(
        &run.stderr,
        "warning[duplicate-url]: the same article is also linked by `content/2026-11-25/bloomberg-colossus.md:4` (outlet `bloomberg`)",
    );
    assert_contains(
        &run.stderr,
        "--> content/2026-11-25/bloomberg-technology-colossus.md:4:6",
    );
}

// Every page kind of SPEC section 2 (but feeds, email, sitemap, search) is
// written where its URL says, with a canonical link and a description.
#[test]
fn every_page_kind_is_built() {
    let site = seed_site();
    site.build();
    for (page, canonical) in [
        ("index.html", "https://a47.example/"),
        ("2026/11/25/index.html", "https://a47.example/2026/11/25/"),
        (
            "2026/11/25/spacex-colossus/index.html",
            "https://a47.example/2026/11/25/spacex-colossus/",
        ),
        (
            "2026/11/25/tnw-colossus/index.html",
            "https://a47.example/2026/11/25/tnw-colossus/",
        ),
        ("2026/11/index.html", "https://a47.example/2026/11/"),
        ("2026/index.html", "https://a47.example/2026/"),
        ("archive/index.html", "https://a47.example/archive/"),
        ("outlets/index.html", "https://a47.example/outlets/"),
        ("outlets/tnw/index.html", "https://a47.example/outlets/tnw/"),
        ("tags/index.html", "https://a47.example/tags/"),
        ("tags/spacex/index.html", "https://a47.example/tags/spacex/"),
        ("about/index.html", "https://a47.example/about/"),
        ("404.html", "https://a47.example/404.html"),
    ] {
        let html = site.page(page);
        assert_contains(
            &html,
            &format!("<link rel=\"canonical\" href=\"{canonical}\">"),
        );
        assert_contains(&html, "<meta name=\"description\" content=\"");
        assert_contains(&html, "<meta property=\"og:title\"");
    }
    assert!(site.exists("favicon.svg") && site.exists("style.css") && site.exists("highlight.css"));
}

// Each entry field reaches the entry page: headline, outlet, url, story,
// tags, date, blurb override; weight orders cards; drafts stay out.
#[test]
fn every_entry_field_is_used() {
    let site = SiteTest::new("");
    site.write(
        "content/2026-11-25/a-fields.md",
        "---\nheadline: All the fields\noutlet: bloomberg\nurl: https://www.bloomberg.com/news/articles/fields?x=1&y=2\nstory: colossus\ntags: [Chips, Policy Watch]\ndate: 2026-11-25T14:05:00-06:00\nblurb: Our own words on this one.\nweight: -5\n---\nA *summary* with [a link](https://example.com/).\n",
    );
    site.write(
        "content/2026-11-25/z-draft.md",
        "---\nheadline: Not ready yet\noutlet: tnw\nurl: https://thenextweb.com/draft\ndraft: true\n---\n",
    );
    let run = site.build();
    assert_contains(&run.stdout, "(1 draft left out)");
    let entry = site.main_of("2026/11/25/a-fields/index.html");
    assert_contains(&entry, "All the fields");
    assert_contains(
        &entry,
        "href=\"https://www.bloomberg.com/news/articles/fields?x=1&amp;y=2\"",
    );
    assert_contains(&entry, "Our own words on this one.");
    assert!(
        !entry.contains("A financial news provider."),
        "the entry's blurb replaces the outlet's"
    );
    assert_contains(
        &entry,
        "href=\"https://fixture.example/outlets/bloomberg/\"",
    );
    assert_contains(
        &entry,
        "href=\"https://fixture.example/2026/11/25/colossus/\"",
    );
    assert_contains(&entry, "href=\"https://fixture.example/tags/chips/\"");
    assert_contains(
        &entry,
        "href=\"https://fixture.example/tags/policy-watch/\"",
    );
    assert_contains(&entry, "datetime=\"2026-11-25T14:05:00-06:00\"");
    assert_contains(&entry, "<em>summary</em>");
    // weight -5 puts it before the other coverage of the story.
    let issue = site.main_of("2026/11/25/index.html");
    assert_in_order(
        &issue,
        &[
            "All the fields",
            "SpaceX Rented Out Computing",
            "SpaceX rented Colossus 1 to Anthropic",
        ],
    );
    assert!(!site.exists("2026/11/25/z-draft/index.html"));
    site.build_with(&["--drafts"]);
    assert!(site.exists("2026/11/25/z-draft/index.html"));
}

// Within an issue: stories by weight, each followed by its coverage; then
// entries of no story, by weight, then date, then file name.
#[test]
fn issue_order_follows_weights() {
    let site = SiteTest::new("");
    site.write("content/2026-11-25/second-story.md", "---\nkind: story\nheadline: Second story\nweight: 5\n---\nBody.\n")
        .write("content/2026-11-25/first-story.md", "---\nkind: story\nheadline: First story\nweight: -1\n---\nBody.\n")
        .write("content/2026-11-25/late.md", "---\nheadline: Loose late\noutlet: tnw\nurl: https://t.example/late\ndate: 2026-11-25T18:00:00-06:00\n---\n")
        .write("content/2026-11-25/early.md", "---\nheadline: Loose early\noutlet: tnw\nurl: https://t.example/early\ndate: 2026-11-25T08:00:00-06:00\n---\n")
        .write("content/2026-11-25/heavy.md", "---\nheadline: Loose heavy\noutlet: tnw\nurl: https://t.example/heavy\nweight: -3\n---\n")
        .write("content/2026-11-25/second-cover.md", "---\nheadline: Covers second\noutlet: tnw\nurl: https://t.example/2\nstory: second-story\n---\n");
    site.build();
    let issue = site.main_of("2026/11/25/index.html");
    assert_in_order(
        &issue,
        &[
            "First story",
            "SpaceX leases Colossus 1",
            "SpaceX Rented Out Computing",
            "Second story",
            "Covers second",
            "Loose heavy",
            "Loose early",
            "Loose late",
        ],
    );
}

// A story's coverage includes entries from any issue; the later issue still
// shows its entry, linked to the story. The earlier issue stays as it was
// sent: its page and counts hold that day's coverage and link to the later
// report, and its email edition and its feed items are byte for byte the
// ones built that day.
#[test]
fn story_coverage_spans_issues() {
    let site = SiteTest::new("");
    site.build();
    let sent_html = site.page("2026/11/25/email.html");
    let sent_text = site.page("2026/11/25/email.txt");
    let sent_items = feed_items_of(&site, "/2026/11/25/");
    site.write(
        "content/2026-11-26/follow-up.md",
        "---\nheadline: A follow-up a day later\noutlet: bloomberg\nurl: https://www.bloomberg.com/news/follow-up\nstory: colossus\n---\nMore.\n",
    );
    site.build();
    let story = site.main_of("2026/11/25/colossus/index.html");
    assert_in_order(
        &story,
        &[
            "SpaceX leases Colossus 1",
            "SpaceX Rented Out Computing",
            "SpaceX rented Colossus 1 to Anthropic",
            "A follow-up a day later",
        ],
    );
    let later = site.main_of("2026/11/26/index.html");
    assert_contains(&later, "A follow-up a day later");
    let entry = site.main_of("2026/11/26/follow-up/index.html");
    assert_contains(
        &entry,
        "href=\"https://fixture.example/2026/11/25/colossus/\"",
    );

    let first = site.main_of("2026/11/25/index.html");
    assert!(!first.contains("A follow-up a day later"), "{first}");
    assert_contains(
        &first,
        "<span class=\"section-label__count\">2 sources</span>",
    );
    assert_contains(
        &first,
        "<a href=\"/2026/11/25/colossus/#_coverage\">1 later report <span class=\"arrow\" aria-hidden=\"true\">→</span></a>",
    );
    assert_eq!(site.page("2026/11/25/email.html"), sent_html);
    assert_eq!(site.page("2026/11/25/email.txt"), sent_text);
    assert_eq!(feed_items_of(&site, "/2026/11/25/"), sent_items);
    // The archive counts what each day published.
    let archive = site.main_of("archive/index.html");
    assert_contains(&archive, "2 links");
}

/// The item of the issue at `path` in each of the three site feeds, as text.
fn feed_items_of(site: &SiteTest, path: &str) -> Vec<String> {
    let link = format!("https://fixture.example{path}");
    let json: serde_json::Value = serde_json::from_str(&site.page("feed.json")).unwrap();
    let item = json["items"].as_array().unwrap().iter();
    let item = item
        .filter(|i| i["url"] == link.as_str())
        .map(|i| i.to_string());
    let rss = site.page("feed.xml");
    let rss = rss
        .split("<item>")
        .filter(|i| i.contains(&format!("<link>{link}</link>")));
    let atom = site.page("atom.xml");
    let atom = atom
        .split("<entry>")
        .filter(|e| e.contains(&format!("href=\"{link}\"")));
    let items: Vec<String> = item.chain(rss.chain(atom).map(str::to_owned)).collect();
    assert_eq!(items.len(), 3, "one item per feed for {path}");
    items
}

// An issue dated after today is left out and counted; --future brings it in.
#[test]
fn future_issues_are_scheduled() {
    let site = SiteTest::new("");
    site.write(
        "content/2026-11-27/tomorrow.md",
        "---\nheadline: Tomorrow's news\noutlet: tnw\nurl: https://t.example/tomorrow\n---\n",
    );
    let run = site.build();
    assert_contains(&run.stdout, "(1 issue scheduled)");
    assert!(!site.exists("2026/11/27/index.html"));
    assert!(!site.page("index.html").contains("Tomorrow"));
    let run = site.build_with(&["--future"]);
    assert!(!run.stdout.contains("scheduled"), "{}", run.stdout);
    assert_contains(&site.main_of("index.html"), "Tomorrow&#39;s news");
}

// "Today" is the site's: at 03:00 UTC on the 26th it is still the 25th in
// Chicago, so the issue of the 26th is scheduled there but not in UTC.
#[test]
fn schedule_uses_the_site_timezone() {
    let site = SiteTest::new("");
    site.write("content/2026-11-26/today.md", "---\nheadline: Today in UTC\noutlet: tnw\nurl: https://t.example/today\ndate: 2026-11-26T02:00:00Z\n---\n");
    let run = site.run_at("2026-11-26T03:00:00Z", &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_contains(&run.stdout, "(1 issue scheduled)");
    let run = site.run_at("2026-11-26T06:00:01Z", &["build"]);
    assert!(!run.stdout.contains("scheduled"), "{}", run.stdout);
    // The entry's time shows in the site's timezone: the evening of the 25th.
    assert_contains(
        &site.page("2026/11/26/today/index.html"),
        "datetime=\"2026-11-25T20:00:00-06:00\"",
    );

    site.write(
        "content/site.yaml",
        "title: Fixture Daily\nbase_url: https://fixture.example/\ntimezone: UTC\n",
    );
    let run = site.run_at("2026-11-26T03:00:00Z", &["build"]);
    assert!(!run.stdout.contains("scheduled"), "{}", run.stdout);
}

// CRLF line ends, a byte order mark and non-ASCII text all work, and the
// file name becomes an ASCII slug.
#[test]
fn crlf_bom_and_unicode() {
    let site = SiteTest::new("");
    site.write(
        "content/2026-11-25/Café Über.md",
        "\u{feff}---\r\nheadline: Ünïcödé — 東京の AI “news”\r\noutlet: tnw\r\nurl: https://t.example/東京\r\n---\r\nÉté *naïve* 😀\r\n",
    );
    site.build();
    let entry = site.main_of("2026/11/25/cafe-uber/index.html");
    assert_contains(&entry, "Ünïcödé — 東京の AI “news”");
    assert_contains(&entry, "Été <em>naïve</em> 😀");
    assert!(!entry.contains('\r'));
    assert!(!entry.contains('\u{feff}'));
}

// A base_url with a path prefixes every link the site makes.
#[test]
fn base_url_path_prefixes_links() {
    let site = SiteTest::new("");
    site.build_with(&["--base-url", "https://you.github.io/a47"]);
    let home = site.page("index.html");
    assert_contains(
        &home,
        "href=\"https://you.github.io/a47/2026/11/25/colossus/\"",
    );
    assert_contains(&home, "href=\"https://you.github.io/a47/style.");
    assert!(!home.contains("fixture.example"));
}

// Markdown: headings get ids, fenced code is highlighted with classes.
#[test]
fn markdown_headings_and_code() {
    let site = SiteTest::new("");
    site.write("content/2026-11-25/colossus.md", "---\nkind: story\nheadline: Code story\n---\n## What happened\n\n```rust\nfn main() {}\n```\n");
    site.build();
    let story = site.main_of("2026/11/25/colossus/index.html");
    assert_contains(&story, "id=\"what-happened\"");
    assert_contains(
        &story,
        "<span class=\"hl-storage hl-type hl-function hl-rust\">fn</span>",
    );
}

// The explainer's sections are real headings on the issue page, not text.
#[test]
fn explainer_headings_are_markup_in_the_issue() {
    let site = SiteTest::new("");
    site.build();
    let issue = site.main_of("2026/11/25/index.html");
    assert!(
        !issue.contains("&lt;h"),
        "escaped heading markup in:\n{issue}"
    );
    assert_contains(&issue, ">What happened</h");
}

// The seed issue's content, pinned: any change to what readers see shows up
// as a snapshot diff to review.
#[test]
fn seed_issue_snapshot() {
    let site = seed_site();
    site.build();
    insta::assert_snapshot!("seed_issue_main", site.main_of("2026/11/25/index.html"));
}

// _issue.md gives the issue its title and the editor's note; without it the
// title is the date written out. Pages are served at /<slug>/.
#[test]
fn issue_title_note_and_pages() {
    let site = SiteTest::new("");
    site.write(
        "content/2026-11-25/_issue.md",
        "---\ntitle: The Colossus issue\n---\nA *short* note from the editor.\n",
    )
    .write(
        "content/pages/about.md",
        "---\ntitle: About us\n---\n## Who we are\n\nEditors.\n",
    );
    site.build();
    let issue = site.main_of("2026/11/25/index.html");
    assert_contains(&issue, "The Colossus issue");
    assert_contains(&issue, "A <em>short</em> note from the editor.");
    // A titled issue says its date above the title; one titled by its date
    // says it once, as the title.
    assert_contains(
        &issue,
        "<time datetime=\"2026-11-25\">November 25, 2026</time>",
    );
    let untitled = site.main_of("2026/11/24/index.html");
    assert_contains(
        &untitled,
        "<h1 class=\"issue-header__title\"><time datetime=\"2026-11-24\">Tuesday, November 24, 2026</time></h1>",
    );
    assert!(
        !untitled.contains("November 24, 2026</time>\n  </p>"),
        "the date is said twice:\n{untitled}"
    );
    // So do the lists of issues (the archive, the home page).
    let archive = site.main_of("archive/index.html");
    assert_in_order(
        &archive,
        &[
            "<time datetime=\"2026-11-25\">Wed, Nov 25, 2026</time>",
            "<a href=\"https://fixture.example/2026/11/25/\">The Colossus issue</a>",
            "<a href=\"https://fixture.example/2026/11/24/\"><time datetime=\"2026-11-24\">Tuesday, November 24, 2026</time></a>",
        ],
    );
    assert!(
        !archive.contains("Tue, Nov 24, 2026"),
        "the date is said twice:\n{archive}"
    );
    let about = site.main_of("about/index.html");
    assert_contains(&about, "About us");
    assert_contains(&about, "id=\"who-we-are\"");
}

// A published entry may not point at a story that is a draft: the reader
// would follow a link to nothing.
#[test]
fn entry_of_a_draft_story_is_an_error() {
    let site = SiteTest::new("");
    site.write(
        "content/2026-11-25/colossus.md",
        "---\nkind: story\nheadline: Not yet\ndraft: true\n---\nBody.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_contains(
        &run.stderr,
        "error: story `colossus` is a draft, but this entry is published",
    );
    assert_contains(
        &run.stderr,
        "--> content/2026-11-25/bloomberg-colossus.md:5:8",
    );
    site.build_with(&["--drafts"]);
}

// `check` validates the whole site and writes nothing.
#[test]
fn check_writes_nothing() {
    let site = SiteTest::new("");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_contains(&run.stdout, "the site has no errors");
    assert!(!site.root().join("public").exists());
}

// robots.txt is gazette's (everything allowed, the sitemap named) until
// the site has a `templates/robots.txt`, as Zola and Hugo let a site write
// its own rules; a `static/robots.txt` is still ignored, and the warning
// says where the rules go instead.
#[test]
fn a_site_writes_its_own_robots_txt() {
    let site = SiteTest::new("");
    site.build();
    assert_eq!(
        site.page("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://fixture.example/sitemap.xml\n"
    );
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    let run = site.build();
    assert_contains(&run.stderr, "move it to `templates/robots.txt`");
    site.remove("static/robots.txt").write(
        "templates/robots.txt",
        "User-agent: GPTBot\nDisallow: /\n\nUser-agent: *\nAllow: /\n\nSitemap: {{ page.sitemap }}\n",
    );
    let run = site.build();
    assert!(!run.stderr.contains("is not used"), "{}", run.stderr);
    assert_eq!(
        site.page("robots.txt"),
        "User-agent: GPTBot\nDisallow: /\n\nUser-agent: *\nAllow: /\n\nSitemap: https://fixture.example/sitemap.xml\n"
    );
}

// The site's templates/ and static/ replace the theme's files of the same
// name, one by one; the theme's other files still apply.
#[test]
fn site_files_override_the_theme() {
    let site = SiteTest::new("");
    site.write("templates/404.html", "{% extends \"base.html\" %}{% block main %}<main id=\"main\"><h1>Lost at sea</h1></main>{% endblock main %}")
        .write("static/style.css", "body { color: rebeccapurple; }\n")
        .write("static/robots-extra.txt", "hello\n");
    site.build();
    assert_contains(&site.page("404.html"), "Lost at sea");
    assert_eq!(site.page("style.css"), "body { color: rebeccapurple; }\n");
    assert_eq!(site.page("robots-extra.txt"), "hello\n");
    assert!(
        site.exists("favicon.svg"),
        "the theme's other static files stay"
    );
    assert_contains(&site.page("index.html"), "SpaceX leases Colossus 1");
}

// Tags that make the same slug are one tag, named as first written.
#[test]
fn tags_merge_by_slug() {
    let site = SiteTest::new("");
    site.write("content/2026-11-25/ai-news.md", "---\nheadline: Shouting tag\noutlet: tnw\nurl: https://t.example/ai\ntags: [AI Policy, ai-policy]\n---\n")
        .write("content/2026-11-24/ai-older.md", "---\nheadline: Older tag\noutlet: tnw\nurl: https://t.example/ai-old\ntags: [ai policy]\n---\n");
    site.build();
    let tag = site.main_of("tags/ai-policy/index.html");
    assert_contains(&tag, "ai policy");
    assert_contains(&tag, "Shouting tag");
    assert_contains(&tag, "Older tag");
    let entry = site.main_of("2026/11/25/ai-news/index.html");
    assert_eq!(
        entry
            .matches("href=\"https://fixture.example/tags/ai-policy/\"")
            .count(),
        1
    );
}

// `GAZETTE_TIMINGS=1` names, after the stages, each template the build
// rendered, how many times, and the CPU time it took, the costliest first
// (how a theme author finds the slow one); without it, none of that.
#[test]
fn timings_count_each_templates_renders() {
    let site = seed_site();
    let run = run_with_env(site.root(), NOW, &[("GAZETTE_TIMINGS", "1")], &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<Vec<&str>> = (run.stderr.lines())
        .filter_map(|l| l.strip_prefix("template "))
        .map(|l| l.split(", ").collect())
        .collect();
    let renders = |name: &str| {
        (lines.iter()).find_map(|l| l[0].strip_prefix(&format!("{name}: ")).map(str::to_owned))
    };
    // The seed site: one issue, its story, four entries, one page.
    let expected = [
        ("entry.html", "4 renders"),
        ("issue.html", "1 render"),
        ("story.html", "1 render"),
        ("page.html", "1 render"),
    ];
    for (template, count) in expected {
        assert_eq!(renders(template).as_deref(), Some(count), "{}", run.stderr);
    }
    let ms: Vec<f64> = (lines.iter())
        .map(|l| {
            assert!(l[2].ends_with(" µs each"), "{l:?}");
            let ms = l[1].strip_suffix(" ms CPU").expect("`… ms CPU`");
            ms.parse().expect("a number of milliseconds")
        })
        .collect();
    assert!(
        ms.windows(2).all(|w| w[0] >= w[1]),
        "not costliest first: {ms:?}"
    );
    let quiet = seed_site().build();
    assert!(!quiet.stderr.contains("template "), "{}", quiet.stderr);
}
