//! `gazette check`, the newsroom's last line of defence: the `lints`
//! fixture holds one instance of each problem the editorial rules catch;
//! each is found with file and line, in print and in JSON, and a clean
//! site says so.

use std::collections::BTreeSet;

use crate::site_test::{NOW, SiteTest, assert_contains, run_with_env};

// Every problem of the fixture, each at its file and line, in one run: the
// whole report is pinned. Errors (a broken link, one article filed twice)
// exit 1.
#[test]
fn check_finds_each_problem_with_file_and_line() {
    let site = SiteTest::new("lints");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    insta::assert_snapshot!("check_lints", run.stderr);
    // Nothing was written.
    assert!(!site.exists(""), "check writes no output folder");
}

// One run reports every error: with a file that does not parse, the links
// to files that are not there and one article filed twice are still
// errors of the same run, not found only once that file is mended.
#[test]
fn an_error_elsewhere_hides_no_other() {
    let site = SiteTest::new("lints");
    site.write(
        "content/2026-11-26/typo.md",
        "---\nheadline: A typo\noutlet: tnw\nurl: https://thenextweb.com/news/typo\ntags: [ai]\n---\nAs [the robots](wired-robot.md) said.\n",
    );
    site.write(
        "content/2026-11-26/typo-2.md",
        "---\nheadline: Another typo\noutlet: tnw\nurl: https://thenextweb.com/news/typo-2\ntgas: [ai]\n---\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for error in [
        "error: unknown key `tgas`",
        "error[broken-link]: link `#contxt` points nowhere: the page has no heading `#contxt`",
        "error[broken-link]: link `../2026-11-20/gone.md` points nowhere: there is no `content/2026-11-20/gone.md`",
        "error[broken-link]: link `wired-robot.md` points nowhere: there is no `content/2026-11-26/wired-robot.md`",
        "did you mean `wired-robots.md`?",
        "error[duplicate-entry]: this article of `tnw` is filed twice",
    ] {
        assert_contains(&run.stderr, error);
    }
    let build = site.run(&["build"]);
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert_contains(
        &build.stderr,
        "error[broken-link]: link `../2026-11-20/gone.md` points nowhere",
    );
}

// A published entry deleted in the same change as a mistake elsewhere is
// an error of that same run, in `check` and `build`, not found only once
// the other is mended; while a file does not parse, which may hold the
// alias that keeps the URL, it waits.
#[test]
fn a_deleted_entry_is_reported_beside_other_errors() {
    let site = SiteTest::new("");
    site.build();
    site.remove("content/2026-11-24/tnw-chips.md");
    let colossus = site.page_source("content/2026-11-25/tnw-colossus.md");
    site.write(
        "content/2026-11-25/tnw-colossus.md",
        &colossus.replace("outlet: tnw", "outlet: tnww"),
    );
    for command in ["check", "build"] {
        let run = site.run(&[command]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_contains(&run.stderr, "error: unknown outlet `tnww`");
        assert_contains(
            &run.stderr,
            "error[published-url]: `/2026/11/24/tnw-chips/` was published, and this build no longer makes it",
        );
        assert_contains(&run.stderr, "made it and is gone or was renamed");
    }
    site.write(
        "content/2026-11-25/broken.md",
        "---\nheadline: [unclosed\n---\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("tnw-chips"), "{}", run.stderr);
}

// `--format json` carries the same diagnostics as the printed report, each
// with severity, code, file, line, column, message and help.
#[test]
fn json_carries_the_same_diagnostics() {
    let site = SiteTest::new("lints");
    let printed = site.run(&["check"]);
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr, "", "JSON alone, on stdout");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    let diagnostics = doc["diagnostics"].as_array().expect("a list");
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["errors"], 4);
    // The same (severity, code, file, line) as the printed report.
    let from_json: BTreeSet<String> = diagnostics
        .iter()
        .map(|d| {
            assert!(d["message"].as_str().is_some_and(|m| !m.is_empty()), "{d}");
            let file = d["file"].as_str().unwrap();
            let at = match (d["line"].as_u64(), d["column"].as_u64()) {
                (Some(line), Some(column)) => format!("{file}:{line}:{column}"),
                (Some(line), None) => format!("{file}:{line}"),
                _ => file.to_owned(),
            };
            format!(
                "{}[{}] {at}",
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap()
            )
        })
        .collect();
    let mut from_print = BTreeSet::new();
    let mut head = String::new();
    for line in printed.stderr.lines() {
        if let Some((kind, _)) = line.split_once(": ")
            && kind.contains('[')
            && !line.starts_with(' ')
        {
            head = kind.to_owned();
        } else if let Some(at) = line.trim_start().strip_prefix("--> ") {
            from_print.insert(format!("{head} {at}"));
        }
    }
    assert_eq!(from_json, from_print);
    assert_eq!(diagnostics.len(), from_json.len());
    let broken = diagnostics
        .iter()
        .find(|d| d["code"] == "broken-link" && d["line"] == 7)
        .expect("the broken link on line 7");
    assert_eq!(broken["severity"], "error");
    assert_eq!(broken["file"], "content/2026-11-26/wired-robots.md");
    assert_eq!(broken["column"], 22);
    assert_eq!(broken["label"], "did you mean `/2026/11/24/tnw-chips/`?");
}

// A clean site says so and exits 0, in print and in JSON; warnings alone
// exit 0, or 1 with `--strict`; notes never fail.
#[test]
fn strict_fails_on_warnings_not_on_notes() {
    let site = SiteTest::new("");
    let run = site.run(&["check", "--strict"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(run.stdout, "the site has no errors\n");
    let json = site.run(&["check", "--format", "json"]);
    assert_contains(&json.stdout, "\"ok\": true");
    assert_contains(&json.stdout, "\"diagnostics\": []");

    // A draft is a note: never a failure.
    site.write(
        "content/2026-11-25/tnw-draft.md",
        "---\nheadline: Draft\noutlet: tnw\nurl: https://thenextweb.com/news/draft\ndraft: true\n---\n",
    );
    let run = site.run(&["check", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "the site has no errors (1 note)\n");
    assert_contains(
        &run.stderr,
        "note[draft]: `content/2026-11-25/tnw-draft.md` is a draft: left out until `draft: true` is removed",
    );

    // A tracking tag is a warning: fine for a build, a failure under --strict.
    site.write(
        "content/2026-11-25/tnw-utm.md",
        "---\nheadline: Tagged\noutlet: tnw\nurl: https://thenextweb.com/news/tagged?utm_source=x\n---\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "the site has no errors (1 warning, 1 note)\n");
    let run = site.run(&["check", "--strict"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "error: the site has 1 warning (`--strict` fails on warnings)",
    );
}

// `check.allow` silences a kind of warning or note, never an error; an
// unknown name in it is an error with a suggestion; `check.sections` sets
// the explainer's sections; `domains` lets an outlet publish elsewhere.
#[test]
fn settings_shape_what_check_asks() {
    let site = SiteTest::new("lints");
    let yaml = site.page_source("content/site.yaml");
    site.write(
        "content/site.yaml",
        &format!(
            "{yaml}\ncheck:\n  allow: [duplicate-url, outlet-uncited, broken-link, draft]\n  sections: [What happened, The Context]\n"
        ),
    );
    let run = site.run(&["check"]);
    for gone in [
        "[duplicate-url]",
        "[outlet-uncited]",
        "[draft]",
        "[story-sections]",
    ] {
        assert!(!run.stderr.contains(gone), "{gone} in:\n{}", run.stderr);
    }
    assert_contains(&run.stderr, "error[broken-link]");
    assert_contains(&run.stderr, "warning[outlet-host]");

    // One outlet's article filed twice is an error in `check`, which
    // `allow` does not silence, though a build only warns of it.
    let entry = site.page_source("content/2026-11-25/tnw-colossus.md");
    site.write("content/2026-11-25/tnw-colossus-again.md", &entry);
    site.write(
        "content/site.yaml",
        &format!("{yaml}\ncheck:\n  allow: [duplicate-url, duplicate-entry]\n"),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(&run.stderr, "error[duplicate-entry]");
    site.remove("content/2026-11-25/tnw-colossus-again.md");

    let outlets = site.page_source("content/outlets.yaml");
    site.write(
        "content/outlets.yaml",
        &outlets.replace(
            "  url: https://www.bloomberg.com\n",
            "  url: https://www.bloomberg.com\n  domains: [thenextweb.com]\n",
        ),
    );
    let run = site.run(&["check"]);
    assert!(!run.stderr.contains("[outlet-host]"), "{}", run.stderr);

    site.write(
        "content/site.yaml",
        &format!("{yaml}\ncheck:\n  allow: [duplicate-urls]\n"),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert_contains(
        &run.stderr,
        "error: unknown check `duplicate-urls` in `check.allow`",
    );
    assert_contains(&run.stderr, "did you mean `duplicate-url`?");
}

// Colour like rustc's where a terminal shows it (forced here, as through
// a pipe there is none), and none when `NO_COLOR` is set.
#[test]
fn colour_follows_the_terminal_and_no_color() {
    let site = SiteTest::new("lints");
    let forced = run_with_env(site.root(), NOW, &[("CLICOLOR_FORCE", "1")], &["check"]);
    assert_contains(&forced.stderr, "\u{1b}[");
    let plain = run_with_env(
        site.root(),
        NOW,
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
        &["check"],
    );
    assert!(!plain.stderr.contains('\u{1b}'), "{}", plain.stderr);
    assert_eq!(plain.stderr, site.run(&["check"]).stderr);
}

// An image whose file name came from a Mac (`naïve.png` with the accent as
// a mark after the `i`, NFD) and a link typed with the accented letter
// (NFC): the names look the same and are two names to a file system and a
// web server. `check` says so, rather than "did you mean" the same name.
#[test]
fn names_that_differ_only_in_their_accents_are_told_apart() {
    let site = SiteTest::new("");
    std::fs::write(
        site.root().join("content/2026-11-25/nai\u{308}ve.png"),
        b"png",
    )
    .expect("write");
    site.write(
        "content/2026-11-25/tnw-colossus.md",
        "---\nheadline: Pictured\noutlet: tnw\nurl: https://thenextweb.com/news/colossus\n---\n![A chart](na\u{ef}ve.png)\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "there is no `content/2026-11-25/na\u{ef}ve.png`",
    );
    assert_contains(&run.stderr, "is there, its accents written another way");
    assert!(!run.stderr.contains("did you mean"), "{}", run.stderr);
}

// What an editor has not finished is said, not published in silence: a
// folder made for the day with nothing in it yet is left out (no empty
// issue in the feeds, no URL recorded for good that a clone, which keeps
// no empty folder, would then lack); the explainer `gazette new story`
// writes, headings with nothing under them, is a warning at each heading;
// an entry dated after its issue's day (a mistyped year) is a warning at
// its date.
#[test]
fn unfinished_work_is_named() {
    let site = SiteTest::new("");
    std::fs::create_dir_all(site.root().join("content/2026-11-23")).expect("mkdir");
    let run = site.run(&["new", "story", "Robots fold laundry"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site.write(
        "content/2026-11-25/typo.md",
        "---\nheadline: A year ahead\noutlet: tnw\nurl: https://thenextweb.com/news/typo\ndate: 2027-11-25T09:00:00-06:00\n---\nSummary.\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "warning[empty-issue]: issue folder `content/2026-11-23` is empty: left out",
    );
    for section in ["What happened", "The Context", "Takeaway"] {
        assert_contains(
            &run.stderr,
            &format!(
                "warning[story-sections]: story `robots-fold-laundry`: section `{section}` is empty"
            ),
        );
    }
    assert_contains(
        &run.stderr,
        "warning[future-date]: dated 2027-11-25, after its issue of 2026-11-25\n --> content/2026-11-25/typo.md:5:7",
    );
    assert_eq!(run.code, 0);
    assert_eq!(site.run(&["check", "--strict"]).code, 1);

    // Once written, the story says nothing more; the empty folder is still
    // left out of the build, its feeds and its record.
    let story = site.page_source("content/2026-11-26/robots-fold-laundry.md");
    site.write(
        "content/2026-11-26/robots-fold-laundry.md",
        &story
            .replace(
                "## What happened\n",
                "## What happened\n\n### In the lab\n\nA robot folded a shirt.\n",
            )
            .replace("## The Context\n", "## The Context\n\n> Folding is hard.\n")
            .replace("## Takeaway\n", "## Takeaway\n\n- Not yet at home.\n"),
    );
    let run = site.build();
    assert!(!run.stderr.contains("[story-sections]"), "{}", run.stderr);
    assert_contains(&run.stderr, "warning[empty-issue]");
    assert!(site.exists("2026/11/26/robots-fold-laundry/index.html"));
    assert!(!site.exists("2026/11/23/index.html"));
    assert!(!site.page("feed.xml").contains("2026/11/23"));
    assert!(
        !site
            .page_source("published-urls.txt")
            .contains("2026/11/23")
    );
}
