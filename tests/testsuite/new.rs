//! `gazette new story|entry`: the file with complete front matter in the
//! right issue folder, its path on stdout, and a refusal (naming the file)
//! for anything the site has already.

use crate::site_test::{SiteTest, assert_contains};

// A new story and an entry covering it build at once: the entry shows
// under the story on its issue page. Today is the site's (Chicago) day.
#[test]
fn new_story_and_entry_reach_the_issue_page() {
    let site = SiteTest::new("");
    let run = site.run(&["new", "story", "Robots learn to fold laundry"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "content/2026-11-26/robots-learn-to-fold-laundry.md\n"
    );
    let run = site.run(&[
        "new",
        "entry",
        "--url",
        "https://thenextweb.com/news/laundry",
        "--story",
        "robots-learn-to-fold-laundry",
        "Laundry robots, \"reviewed\"",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "content/2026-11-26/laundry-robots-reviewed.md\n"
    );
    let written = std::fs::read_to_string(
        site.root()
            .join("content/2026-11-26/laundry-robots-reviewed.md"),
    )
    .expect("the entry");
    // The outlet was found from the URL's host.
    assert_contains(&written, "outlet: tnw\n");
    site.build();
    let issue = site.page("2026/11/26/index.html");
    assert_contains(&issue, "Robots learn to fold laundry");
    assert_contains(&issue, "Laundry robots, &quot;reviewed&quot;");
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

// `--issue` files into that day's folder.
#[test]
fn new_entry_into_a_given_issue() {
    let site = SiteTest::new("");
    let run = site.run(&[
        "new",
        "entry",
        "--issue",
        "2026-11-24",
        "--outlet",
        "bloomberg",
        "--url",
        "https://www.bloomberg.com/news/chips-2",
        "Chips, again",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "content/2026-11-24/chips-again.md\n");
    site.build();

    // A date not written out in full is refused, not read as the year 26.
    for typo in ["26-11-20", "2026-1-5", "2026/11/20"] {
        let run = site.run(&["new", "story", "--issue", typo, "Bad date"]);
        assert_eq!(run.code, 2, "{typo}: {}", run.stderr);
        assert_contains(
            &run.stderr,
            &format!("`--issue {typo}` is not a date such as `2026-11-25`"),
        );
    }
    assert!(!site.root().join("content/0026-11-20").exists());
}

// The same article (however its URL was copied), the same headline, an
// unknown outlet or story: refused, every reason at once, nothing written.
#[test]
fn new_refuses_what_the_site_has() {
    let site = SiteTest::new("");
    let url = std::fs::read_to_string(site.root().join("content/2026-11-25/tnw-colossus.md"))
        .expect("fixture")
        .lines()
        .find_map(|l| l.strip_prefix("url: ").map(str::to_owned))
        .expect("a url");
    let copied = format!(
        "{}?utm_source=newsletter&fbclid=abc#top",
        url.replace("https://", "http://www.")
    );
    let run = site.run(&[
        "new", "entry", "--url", &copied, "--story", "colosus", "Colossus",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "error: the site already links this article\n --> content/2026-11-25/tnw-colossus.md:",
    );
    assert_contains(
        &run.stderr,
        "error: no story `colosus` in the site\n = help: did you mean `colossus`?",
    );
    assert_contains(
        &run.stderr,
        "error: the site has a story or entry `colossus` already\n --> content/2026-11-25/colossus.md",
    );
    assert_contains(&run.stderr, "error: nothing written: 3 errors");
    let run = site.run(&[
        "new",
        "entry",
        "--outlet",
        "tnww",
        "--url",
        "https://x.example/",
        "X",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(&run.stderr, "error: unknown outlet `tnww`");
    assert_contains(&run.stderr, "did you mean `tnw`?");
    let run = site.run(&[
        "new",
        "entry",
        "--url",
        "javascript:alert(1)",
        "--outlet",
        "tnw",
        "X",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(&run.stderr, "error: invalid `--url` `javascript:alert(1)`");
    assert!(
        !site.root().join("content/2026-11-26").exists(),
        "nothing is written"
    );
}

// One outlet's article filed twice, the second copy with `www.`, a
// trailing slash, a fragment and tracking tags: `build` warns (SPEC), and
// `check`, the newsroom's last line of defence, refuses it; both name the
// two files and lines.
#[test]
fn duplicate_articles_are_found_by_canonical_url() {
    let site = SiteTest::new("");
    site.write(
        "content/2026-11-25/tnw-colossus-again.md",
        "---\nheadline: Again\noutlet: tnw\nurl: http://www.thenextweb.com/news/colossus/?utm_source=newsletter&fbclid=abc#top\n---\n",
    );
    let twice = "this article of `tnw` is filed twice: also by `content/2026-11-25/tnw-colossus-again.md:4`";
    let build = site.run(&["build"]);
    assert_eq!(build.code, 0, "a warning in a build:\n{}", build.stderr);
    assert_contains(&build.stderr, &format!("warning[duplicate-entry]: {twice}"));
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "an error in check:\n{}", run.stderr);
    assert_contains(&run.stderr, &format!("error[duplicate-entry]: {twice}"));
    assert_contains(&run.stderr, "--> content/2026-11-25/tnw-colossus.md:4:6");
}

// An article's address copied with tracking tags is written without them
// (the email edition adds its own), the rest of its query kept.
#[test]
fn new_entry_writes_the_article_without_tracking_tags() {
    let site = SiteTest::new("");
    let run = site.run(&[
        "new",
        "entry",
        "--url",
        "https://www.thenextweb.com/news/robots?utm_source=newsletter&id=3&fbclid=abc",
        "Robots, tagged",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = site.page_source("content/2026-11-26/robots-tagged.md");
    assert_contains(
        &written,
        "url: \"https://www.thenextweb.com/news/robots?id=3\"\n",
    );
    assert_eq!(site.run(&["check", "--strict"]).code, 0);
}

// An empty headline is refused for that alone, even when a headline of
// punctuation only has taken its stand-in name, `untitled`.
#[test]
fn an_empty_headline_is_the_one_reason_given() {
    let site = SiteTest::new("");
    let run = site.run(&["new", "story", "!!!"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_contains(&run.stdout, "/untitled.md");
    let run = site.run(&["new", "story", "   "]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(&run.stderr, "the headline is empty");
    assert!(!run.stderr.contains("already"), "{}", run.stderr);
}
