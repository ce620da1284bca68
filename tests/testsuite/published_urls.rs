//! Links that never break: aliases become redirects, and a URL the site
//! published once cannot disappear without an alias or a retirement.

use gazette::published::FILE;

use crate::site_test::{SiteTest, assert_contains};

const OLD: &str = "content/2026-11-24/tnw-chips.md";
const NEW: &str = "content/2026-11-24/tnw-chip-exports.md";

/// Moves the entry `OLD` to `NEW`, with `front` added to its front matter.
fn rename(site: &SiteTest, front: &str) {
    let text = site.page_source(OLD);
    site.remove(OLD);
    site.write(NEW, &text.replacen("---\n", &format!("---\n{front}"), 1));
}

// Renamed with an alias: the old URL is a redirect page to the new one
// (refresh, canonical, noindex), a line of `_redirects`, and both URLs stay
// in the record.
#[test]
fn a_renamed_entry_with_an_alias_redirects() {
    let site = SiteTest::new("");
    site.build();
    rename(&site, "aliases:\n  - /2026/11/24/tnw-chips/\n");
    site.build();
    let redirect = site.page("2026/11/24/tnw-chips/index.html");
    let new = "https://fixture.example/2026/11/24/tnw-chip-exports/";
    assert_contains(
        &redirect,
        &format!("<meta http-equiv=\"refresh\" content=\"0; url={new}\">"),
    );
    assert_contains(
        &redirect,
        &format!("<link rel=\"canonical\" href=\"{new}\">"),
    );
    assert_contains(&redirect, "<meta name=\"robots\" content=\"noindex\">");
    assert_contains(&redirect, &format!("<a href=\"{new}\">"));
    assert_eq!(
        site.page("_redirects"),
        "/2026/11/24/tnw-chips/ /2026/11/24/tnw-chip-exports/ 301\n"
    );
    let record = site.page_source(FILE);
    assert_contains(&record, "\n/2026/11/24/tnw-chips/\n");
    assert_contains(&record, "\n/2026/11/24/tnw-chip-exports/\n");
    // The redirect is no page of the site's own lists.
    assert!(!site.page("sitemap.xml").contains("tnw-chips/"));
}

// A renamed story's old feed, aliased as the build's help says, leads to
// its new feed: a `_redirects` line to `atom.xml`, and at the old URL the
// new feed's own bytes, which a feed reader can read where a host does
// not redirect (it follows no meta refresh).
#[test]
fn an_alias_of_a_story_feed_leads_to_its_new_feed() {
    let site = SiteTest::new("");
    site.build();
    let story = site.page_source("content/2026-11-25/colossus.md");
    site.remove("content/2026-11-25/colossus.md");
    site.write(
        "content/2026-11-25/colossus-story.md",
        &story.replacen(
            "---\n",
            "---\naliases: [\"/2026/11/25/colossus/\", \"/2026/11/25/colossus/atom.xml\"]\n",
            1,
        ),
    );
    for entry in [
        "content/2026-11-25/bloomberg-colossus.md",
        "content/2026-11-25/tnw-colossus.md",
    ] {
        let text = site.page_source(entry);
        site.write(
            entry,
            &text.replace("story: colossus\n", "story: colossus-story\n"),
        );
    }
    site.build();
    assert_eq!(
        site.page("_redirects"),
        "/2026/11/25/colossus/ /2026/11/25/colossus-story/ 301\n\
         /2026/11/25/colossus/atom.xml /2026/11/25/colossus-story/atom.xml 301\n"
    );
    let feed = site.page("2026/11/25/colossus-story/atom.xml");
    assert_contains(&feed, "SpaceX rented Colossus 1 to Anthropic");
    assert_eq!(site.page("2026/11/25/colossus/atom.xml"), feed);
    // The old page is still the HTML redirect page.
    assert_contains(
        &site.page("2026/11/25/colossus/index.html"),
        "<meta http-equiv=\"refresh\" content=\"0; url=https://fixture.example/2026/11/25/colossus-story/\">",
    );
}

// Renamed without an alias: the build fails, naming the URL, the file that
// made it and both ways out; public/ and the record are as they were.
// Retiring the URL lets it pass, and the URL stays listed.
#[test]
fn a_url_that_disappears_fails_the_build() {
    let site = SiteTest::new("");
    site.build();
    let record = site.page_source(FILE);
    let before = site.output_files();
    rename(&site, "");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = 1 + record
        .lines()
        .position(|l| l == "/2026/11/24/tnw-chips/")
        .expect("the old URL was recorded");
    for said in [
        "error[published-url]: `/2026/11/24/tnw-chips/` was published, and this build no longer makes it".to_owned(),
        format!("--> {FILE}:{line}"),
        "`content/2026-11-24/tnw-chips.md` made it and is gone or was renamed".to_owned(),
        "add `aliases: [\"/2026/11/24/tnw-chips/\"]` to that page's front matter".to_owned(),
        "add `- /2026/11/24/tnw-chips/` under `retired:` in content/site.yaml".to_owned(),
    ] {
        assert_contains(&run.stderr, &said);
    }
    assert_eq!(site.output_files(), before, "public/ changed");
    assert_eq!(site.page_source(FILE), record, "the record changed");

    let yaml = site.page_source("content/site.yaml");
    site.write(
        "content/site.yaml",
        &format!("{yaml}retired:\n  - /2026/11/24/tnw-chips/\n"),
    );
    site.build();
    assert!(!site.exists("2026/11/24/tnw-chips/index.html"));
    let after = site.page_source(FILE);
    assert_contains(&after, "\n/2026/11/24/tnw-chips/\n");
    assert_contains(&after, "\n/2026/11/24/tnw-chip-exports/\n");
    let urls: Vec<&str> = after.lines().filter(|l| !l.starts_with('#')).collect();
    assert!(urls.is_sorted(), "the record is sorted");

    // A retired URL is never taken again.
    site.write(OLD, &site.page_source(NEW));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "error: `/2026/11/24/tnw-chips/` is retired, and the site makes it again",
    );
    assert_contains(&run.stderr, "--> content/site.yaml:8:5");
}

// Retiring a URL the site never published (a typo of the path, most
// likely) is a warning at its line, and nothing is reserved: taking the
// line out again is no loss of a published URL.
#[test]
fn retiring_what_was_never_published_is_said_and_not_recorded() {
    let site = SiteTest::new("");
    site.build();
    let record = site.page_source(FILE);
    let yaml = site.page_source("content/site.yaml");
    site.write(
        "content/site.yaml",
        &format!("{yaml}retired:\n  - /2026/11/24/tnw-chip/\n"),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "warning: `/2026/11/24/tnw-chip/` is retired, but this site never published it",
    );
    assert_contains(&run.stderr, "--> content/site.yaml:8:5");
    assert_eq!(site.page_source(FILE), record, "the typo was recorded");
    site.write("content/site.yaml", &yaml);
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

// `check` refuses the same; `serve` (which never writes the record) only
// warns.
#[test]
fn check_refuses_and_serve_warns() {
    let site = SiteTest::new("");
    site.build();
    rename(&site, "");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "error[published-url]: `/2026/11/24/tnw-chips/`",
    );

    let record = site.page_source(FILE);
    let mut engine = gazette::serve::engine::Engine::new(crate::serve::options(site.root()));
    let plan = gazette::serve::watch::Plan::all();
    let warnings = match engine.rebuild(&plan).expect("rebuild runs") {
        gazette::build::Outcome::Done(changes) => changes.warnings,
        gazette::build::Outcome::Failed(d) => panic!("serve refused: {}", d[0].render()),
    };
    let warned = warnings
        .iter()
        .any(|d| !d.is_error() && d.message.contains("`/2026/11/24/tnw-chips/` was published"));
    assert!(warned, "{warnings:?}");
    assert_eq!(site.page_source(FILE), record, "serve wrote the record");
}

// What was only previewed (a draft, a scheduled issue) is never remembered;
// a new page is, after its first build.
#[test]
fn previews_are_never_remembered() {
    let site = SiteTest::new("");
    site.write(
        "content/pages/secret.md",
        "---\ntitle: Secret\ndraft: true\n---\nNot yet.\n",
    );
    site.write(
        "content/2026-11-30/later.md",
        "---\nheadline: Later\noutlet: tnw\nurl: https://t.example/later\n---\nSoon.\n",
    );
    site.build_with(&["--drafts", "--future"]);
    assert!(site.exists("secret/index.html") && site.exists("2026/11/30/later/index.html"));
    assert!(
        !site.root().join(FILE).exists(),
        "a preview build wrote the record"
    );
    site.build();
    let record = site.page_source(FILE);
    assert!(!record.contains("secret") && !record.contains("2026/11/30"));
    assert_contains(&record, "\n/2026/11/25/tnw-colossus/\n");
    // Later pages of a list are exempt; the first page of every list is kept.
    assert!(!record.contains("/page/"));
    assert_contains(&record, "\n/tags/\n");

    site.write(
        "content/2026-11-25/fresh.md",
        "---\nheadline: Fresh\noutlet: tnw\nurl: https://t.example/fresh\n---\nNew.\n",
    );
    site.build();
    assert_contains(&site.page_source(FILE), "\n/2026/11/25/fresh/\n");
}

// Aliases that cannot be: the page's own URL, another page's URL, another
// page's alias, an address elsewhere. Each is an error at its line.
#[test]
fn bad_aliases_are_errors_at_their_line() {
    let site = SiteTest::new("");
    let text = site.page_source(OLD);
    site.write(
        OLD,
        &text.replacen(
            "---\n",
            "---\naliases:\n  - /2026/11/24/tnw-chips/\n  - https://elsewhere.example/x/\n  - /old/\n",
            1,
        ),
    );
    let colossus = "content/2026-11-25/tnw-colossus.md";
    let text = site.page_source(colossus);
    site.write(
        colossus,
        &text.replacen("---\n", "---\naliases: [\"/old/\"]\n", 1),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for said in [
        "error: alias `/2026/11/24/tnw-chips/` is this page's own URL\n --> content/2026-11-24/tnw-chips.md:3:5",
        "error: alias `https://elsewhere.example/x/` is the address of a page elsewhere: only a path of this site can be one\n --> content/2026-11-24/tnw-chips.md:4:5",
        "error: alias `/old/` is an alias of `content/2026-11-24/tnw-chips.md` too\n --> content/2026-11-25/tnw-colossus.md:2:12",
    ] {
        assert_contains(&run.stderr, said);
    }

    let site = SiteTest::new("");
    let text = site.page_source(OLD);
    site.write(OLD, &text.replacen("---\n", "---\naliases: [/tags/]\n", 1));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "error: alias `/tags/` is a URL this site makes: `tags/index.html`\n --> content/2026-11-24/tnw-chips.md:2:11",
    );
    assert!(!site.exists("index.html"), "a failed build wrote public/");
}

// The record is read strictly: a merge's markers are an error at their line.
#[test]
fn a_damaged_record_is_an_error_at_its_line() {
    let site = SiteTest::new("");
    site.build();
    let record = site.page_source(FILE);
    site.write(FILE, &format!("{record}<<<<<<< HEAD\n"));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = record.lines().count() + 1;
    assert_contains(&run.stderr, "error: `<<<<<<< HEAD` must start with `/`");
    assert_contains(&run.stderr, &format!("--> {FILE}:{line}"));
    assert_contains(
        &run.stderr,
        "keep the URLs of both sides and drop the markers",
    );
}

// `serve` publishes the redirects as a build does, and follows an alias
// added while it runs.
#[test]
fn serve_makes_the_redirects_a_build_makes() {
    let site = SiteTest::new("");
    rename(&site, "aliases: [/2026/11/24/tnw-chips/]\n");
    let mut engine = gazette::serve::engine::Engine::new(crate::serve::options(site.root()));
    let all = gazette::serve::watch::Plan::all();
    assert!(matches!(
        engine.rebuild(&all).expect("rebuild"),
        gazette::build::Outcome::Done(_)
    ));
    site.build();
    let served = |engine: &gazette::serve::engine::Engine, path: &str| {
        String::from_utf8(engine.files().get(path).expect(path).to_vec()).expect("UTF-8")
    };
    for path in ["2026/11/24/tnw-chips/index.html", "_redirects"] {
        assert_eq!(served(&engine, path), site.page(path), "{path}");
    }
    // A second alias, saved while serve runs.
    let text = site.page_source(NEW);
    site.write(
        NEW,
        &text.replace(
            "aliases: [/2026/11/24/tnw-chips/]",
            "aliases: [/2026/11/24/tnw-chips/, /chips/]",
        ),
    );
    let plan = gazette::serve::watch::Plan {
        paths: vec![std::path::PathBuf::from(NEW)],
        ..gazette::serve::watch::Plan::default()
    };
    assert!(matches!(
        engine.rebuild(&plan).expect("rebuild"),
        gazette::build::Outcome::Done(_)
    ));
    site.build();
    for path in ["chips/index.html", "_redirects"] {
        assert_eq!(served(&engine, path), site.page(path), "{path}");
    }
}

/// The chips entry's tag renamed `semiconductors`, after the site
/// published `/tags/chips/`.
fn retag_chips(site: &SiteTest) {
    let entry = site.page_source(OLD);
    site.write(OLD, &entry.replace("[chips]", "[semiconductors]"));
}

// The way out a refusal offers is one the editor can take: a renamed tag
// or outlet key has no file to hold an alias, so its help gives the line
// of `redirects:` to write; an alias taken out of a page is named as a
// possible cause; an alias written with the site's sub-path in front,
// which would be published under that path twice, is a warning.
#[test]
fn each_refusal_offers_a_way_out_that_exists() {
    let site = SiteTest::new("");
    let entry = site.page_source("content/2026-11-24/tnw-chips.md");
    site.write(
        "content/2026-11-24/tnw-chips.md",
        &entry.replacen("---\n", "---\naliases: [/2026/11/24/old-chips/]\n", 1),
    );
    site.build();
    site.write(
        "content/2026-11-24/tnw-chips.md",
        &entry.replace("[chips]", "[semiconductors]"),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "help: links to it went out and cannot be taken back: if the tag `chips` was renamed, add `/tags/chips/: /tags/NEW/` under `redirects:` in content/site.yaml, NEW its new name; if it is gone for good, add `- /tags/chips/` under `retired:`",
    );
    assert_contains(
        &run.stderr,
        "if the tag `chips` was renamed, add `/tags/chips/atom.xml: /tags/NEW/atom.xml` under `redirects:`",
    );
    assert_contains(
        &run.stderr,
        "`content/2026-11-24/old-chips.md` made it and is gone or was renamed; or it was an alias taken out of a page's `aliases`",
    );

    let yaml = site.page_source("content/site.yaml");
    site.write(
        "content/site.yaml",
        &yaml.replace(
            "base_url: https://fixture.example/",
            "base_url: https://fixture.example/news/",
        ),
    );
    site.write(
        "content/2026-11-24/tnw-chips.md",
        &entry.replacen(
            "---\n",
            "---\naliases: [/2026/11/24/old-chips/, /news/2026/11/24/older-chips/]\n",
            1,
        ),
    );
    let run = site.run(&["check"]);
    assert_contains(
        &run.stderr,
        "warning: alias `/news/2026/11/24/older-chips/` starts with the site's path `/news/`: it is published at `/news/news/2026/11/24/older-chips/`",
    );
    assert_contains(
        &run.stderr,
        "help: write an alias from the site's root, as a page's own URL is: `/2026/11/24/older-chips/`",
    );
}

// A renamed tag keeps its URLs through `redirects:` in site.yaml: its old
// page sends readers on, its old feed is the new feed (feed readers follow
// no meta refresh), as an old feed of the site's is its feed now,
// `_redirects` has them all, and the build that refused the rename
// passes. A redirect to a URL the site does not make, or from one it
// makes, is an error at its line.
#[test]
fn a_renamed_tag_keeps_its_urls_through_redirects() {
    let site = SiteTest::new("");
    site.build();
    retag_chips(&site);
    assert_eq!(site.run(&["build"]).code, 1, "the rename alone is refused");

    let yaml = site.page_source("content/site.yaml");
    let with = |lines: &str| format!("{yaml}redirects:\n{lines}");
    site.write(
        "content/site.yaml",
        &with("  /tags/chips/: /tags/semiconductors/\n  /tags/chips/atom.xml: /tags/semiconductors/atom.xml\n  /feed/: /feed.xml\n"),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let old = site.page("tags/chips/index.html");
    assert_contains(
        &old,
        "<meta http-equiv=\"refresh\" content=\"0; url=https://fixture.example/tags/semiconductors/\">",
    );
    assert_contains(
        &old,
        "<link rel=\"canonical\" href=\"https://fixture.example/tags/semiconductors/\">",
    );
    assert_eq!(
        site.page("tags/chips/atom.xml"),
        site.page("tags/semiconductors/atom.xml"),
        "the old feed is the new one"
    );
    // The feed of the platform the site came from, at a path of its own.
    assert_eq!(site.page("feed/index.html"), site.page("feed.xml"));
    let redirects = site.page("_redirects");
    assert_contains(&redirects, "/feed/ /feed.xml 301");
    assert_contains(&redirects, "/tags/chips/ /tags/semiconductors/ 301");
    assert_contains(
        &redirects,
        "/tags/chips/atom.xml /tags/semiconductors/atom.xml 301",
    );

    site.write(
        "content/site.yaml",
        &with("  /tags/chips/: /tags/semiconductor/\n  /tags/spacex/: /tags/semiconductors/\n"),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "error: redirect `/tags/chips/` leads to `/tags/semiconductor/`, which this site does not make",
    );
    assert_contains(&run.stderr, "help: did you mean `/tags/semiconductors/`?");
    assert_contains(
        &run.stderr,
        "error: redirect `/tags/spacex/` is a URL this site makes: `tags/spacex/index.html`",
    );
    assert_contains(&run.stderr, "--> content/site.yaml:");
}

// `GAZETTE_NOW` ahead of the clock previews a day to come, as `--future`
// does: what that day publishes is not recorded yet, so the next plain
// build does not take it for a URL that disappeared.
#[test]
fn a_day_ahead_is_not_recorded() {
    let site = SiteTest::new("");
    let ahead = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let run = site.run_at(&ahead, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.root().join(FILE).exists(), "nothing recorded");
    site.build();
    assert!(site.page_source(FILE).contains("/2026/11/25/"));
}

// A theme may make a site feed from a template of its name: that feed is
// still made, and recorded, so a site that adds the template after it has
// published builds, and one that has it from the start remembers the feed.
#[test]
fn a_feed_from_a_template_is_a_feed_made() {
    let site = SiteTest::new("");
    site.build();
    site.write(
        "templates/atom.xml",
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>{{ site.title }}</title></feed>\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_contains(
        &site.page("atom.xml"),
        "<title>Fixture Daily</title></feed>",
    );

    std::fs::remove_file(site.root().join("published-urls.txt")).expect("rm record");
    site.build();
    let record = site.page_source("published-urls.txt");
    assert!(record.lines().any(|l| l == "/atom.xml"), "{record}");
}

// A tag renamed twice keeps its first name's links and feed working: a
// redirect to another's old URL leads on, in one hop, and a feed under any
// old name (`index.xml`, `feed/`) that leads to a feed is a copy of it. A
// line may be written with the site's own addresses, as a browser shows.
#[test]
fn redirects_lead_on_through_a_chain_and_copy_feeds_by_their_target() {
    let site = SiteTest::new("");
    site.build();
    retag_chips(&site);
    let yaml = site.page_source("content/site.yaml");
    site.write(
        "content/site.yaml",
        &format!(
            "{yaml}redirects:\n  /tags/chips/: /tags/semis/\n  /tags/chips/atom.xml: /tags/semis/atom.xml\n  \
             /tags/semis/: /tags/semiconductors/\n  /tags/semis/atom.xml: /tags/semiconductors/atom.xml\n  \
             /tags/chips/index.xml: /tags/chips/atom.xml\n  /tags/chips/feed/: /tags/semiconductors/atom.xml\n  \
             https://fixture.example/space/: https://fixture.example/tags/spacex/\n"
        ),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let feed = site.page("tags/semiconductors/atom.xml");
    for old in [
        "tags/chips/atom.xml",
        "tags/chips/index.xml",
        "tags/chips/feed/index.html",
    ] {
        assert_eq!(site.page(old), feed, "{old}");
    }
    assert_contains(
        &site.page("tags/chips/index.html"),
        "url=https://fixture.example/tags/semiconductors/\"",
    );
    assert_contains(
        &site.page("_redirects"),
        "/tags/chips/ /tags/semiconductors/ 301\n",
    );
    // Addresses of the site itself, as copied from a browser, are its paths.
    assert_contains(&site.page("_redirects"), "/space/ /tags/spacex/ 301\n");
}

// A line of `redirects:` that cannot be is an error at that line, and one
// run names them all: a loop, a later page of a list, a URL also retired,
// the same old URL written twice, a file of gazette's own, a line with no
// new path. Once those are mended, the lines that only the list of the
// site's files can tell: an old URL a static file has, and a file with no
// extension to lead to.
#[test]
fn redirects_that_cannot_be_are_errors_at_their_line() {
    let site = SiteTest::new("");
    site.write("static/old.html", "<p>kept</p>\n");
    site.write("static/pgp-key", "key\n");
    let yaml = site.page_source("content/site.yaml");
    site.write(
        "content/site.yaml",
        &format!(
            "{yaml}retired: [/gone/]\nredirects:\n  /a/: /b/\n  /b/: /a/\n  /tags/chips/page/2/: /tags/chips/\n  \
             /gone/: /tags/chips/\n  /c: /tags/chips/\n  /c/index.html: /tags/spacex/\n  \
             /_headers: /tags/chips/\n  /d/:\n"
        ),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for said in [
        "error: redirect `/a/` goes round in a loop: `/a/` → `/b/` → `/a/`",
        "error: redirect `/b/` goes round in a loop: `/b/` → `/a/` → `/b/`",
        "error: redirect `/tags/chips/page/2/` is a later page of a list",
        "error: redirect `/gone/` is retired too",
        "error: redirect `/c/` is on a line above too (`/c`, `/c/` and `/c/index.html` are one)",
        "error: redirect `/_headers/` is a file gazette writes for the host",
        "error: redirect from `/d/` has no new path",
        "--> content/site.yaml:16:3",
    ] {
        assert_contains(&run.stderr, said);
    }
    assert!(!run.stderr.contains("content/content"), "{}", run.stderr);

    site.write(
        "content/site.yaml",
        &format!("{yaml}redirects:\n  /old.html: /tags/chips/\n  /key/: /pgp-key\n"),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "error: redirect `/old.html` is a URL this site makes: `old.html`",
    );
    assert_contains(&run.stderr, "`/pgp-key` is a file with no extension");
    assert!(
        !run.stderr.contains("static file `old.html` is ignored"),
        "{}",
        run.stderr
    );
}
