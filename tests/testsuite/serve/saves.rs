//! Saves while the preview runs: edits reload the pages they change, a
//! broken save keeps the last good site, atomic saves and renamed folders
//! are seen, `build --watch` rewrites the output, and none of it leaks into
//! a build.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use super::server::{
    assert_watched_equals_build, build_watch, events, expect_event, expect_events, get, spawn,
    start, wait_for,
};
use crate::common::free_port;
use crate::site_test::{SiteTest, assert_contains};

// Edits show up over HTTP with a reload event naming the changed pages; a
// broken save keeps the last good page and sends the error; the next good
// save clears it; a stylesheet edit asks for a swap, not a reload.
#[test]
fn serve_rebuilds_on_save_and_survives_errors() {
    let site = SiteTest::new("");
    let port = free_port();
    let _server = start(&site, port);
    let rx = events(port);
    let entry = "content/2026-11-25/tnw-colossus.md";
    site.write(entry, "---\nheadline: Zebra headline\noutlet: tnw\nurl: https://thenextweb.com/news/colossus\nstory: colossus\n---\nText.\n");
    wait_for(
        || {
            get(port, "/2026/11/25/tnw-colossus/")
                .2
                .contains("Zebra headline")
        },
        "the edit to be served",
    );
    let reload = expect_events(
        &rx,
        &[
            "2026/11/25/tnw-colossus/index.html",
            "2026/11/25/index.html",
        ],
    );
    assert!(
        !reload.contains("about/index.html"),
        "a page that did not change is not reloaded: {reload}"
    );

    site.write(entry, "---\nheadline: Yak headline\noutlet: nosuchoutlet\nurl: https://thenextweb.com/news/colossus\n---\nText.\n");
    let problem = expect_event(&rx, "nosuchoutlet");
    assert_contains(&problem, "unknown outlet");
    assert_contains(&get(port, "/2026/11/25/tnw-colossus/").2, "Zebra headline");

    site.write(entry, "---\nheadline: Yak headline\noutlet: tnw\nurl: https://thenextweb.com/news/colossus\n---\nText.\n");
    expect_event(&rx, "event: ok");
    wait_for(
        || {
            get(port, "/2026/11/25/tnw-colossus/")
                .2
                .contains("Yak headline")
        },
        "the fix to be served",
    );

    // A new issue folder, then a deleted entry.
    site.write(
        "content/2026-11-26/fresh.md",
        "---\nheadline: Fresh news\noutlet: tnw\nurl: https://t.example/fresh\n---\n",
    );
    wait_for(|| get(port, "/2026/11/26/fresh/").0 == 200, "the new issue");
    site.remove("content/2026-11-26/fresh.md");
    wait_for(
        || get(port, "/2026/11/26/fresh/").0 == 404,
        "the deleted entry to go",
    );

    std::fs::create_dir_all(site.root().join("static")).expect("mkdir");
    site.write("static/style.css", "body { color: rebeccapurple; }\n");
    expect_event(&rx, "event: css");
    wait_for(
        || get(port, "/style.css").2.contains("rebeccapurple"),
        "the stylesheet",
    );
}

// Started on a broken site, with no good build to keep, `serve` answers
// every page with the errors (503, escaped, with the live-reload script
// that reloads it), says in the terminal that nothing has built yet, and
// serves the site from the first good save.
#[test]
fn serve_started_broken_shows_the_errors_until_a_good_save() {
    let site = SiteTest::new("");
    let dupkey = "content/2026-11-25/dupkey.md";
    let outlet = "content/2026-11-25/bad-outlet.md";
    site.write(
        dupkey,
        "---\nheadline: A\nheadline: B\noutlet: tnw\nurl: https://example.com/q\n---\n",
    );
    site.write(
        outlet,
        "---\nheadline: C\noutlet: \"<b>nope\"\nurl: https://example.com/r\n---\n",
    );
    let port = free_port();
    let mut server = spawn(&site, port, &[], |command| {
        command.stderr(Stdio::piped());
    });
    let stderr = server.child.stderr.take().expect("stderr");
    let (tx, terminal) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    wait_for(|| get(port, "/").0 == 503, "the page of errors");
    let said = expect_event(&terminal, "the site has 2 errors;");
    assert_eq!(
        said,
        "error: the site has 2 errors; no build has succeeded yet: the next save that fixes it builds the site"
    );
    for path in ["/", "/2026/11/25/", "/2026/11/25/dupkey/index.html"] {
        let (status, head, body) = get(port, path);
        assert_eq!(status, 503, "{path}");
        assert_contains(&head.to_ascii_lowercase(), "content-type: text/html");
        assert_contains(&body, "<html lang=\"en\" data-gazette-unbuilt>");
        assert_contains(&body, "content/2026-11-25/dupkey.md");
        assert_contains(&body, "unknown outlet `&lt;b&gt;nope`");
        assert!(!body.contains("<b>nope"), "unescaped: {body}");
        assert_contains(
            &body,
            "<script src=\"/__gazette/reload.js\"></script></body>",
        );
    }
    let (status, head, body) = get(port, "/style.css");
    assert_eq!(status, 503);
    assert_contains(&head.to_ascii_lowercase(), "content-type: text/plain");
    assert_contains(&body, "unknown outlet `<b>nope`");

    let rx = events(port);
    expect_event(&rx, "event: problem");
    site.remove(outlet);
    site.write(
        dupkey,
        "---\nheadline: A\noutlet: tnw\nurl: https://example.com/q\n---\n",
    );
    expect_event(&rx, "event: ok");
    wait_for(|| get(port, "/").0 == 200, "the first good build");
    assert_contains(&get(port, "/2026/11/25/dupkey/").2, "reload.js");
}

// After serving, a plain build is byte for byte what it is without serving:
// nothing of the preview (the reload script) leaks into the output.
#[test]
fn serving_leaves_no_trace_in_builds() {
    let site = SiteTest::new("");
    site.build();
    let before = site.output_files();
    let port = free_port();
    {
        let _server = start(&site, port);
        assert_contains(&get(port, "/").2, "reload.js");
    }
    site.build();
    assert_eq!(site.output_files(), before);
    assert!(
        !before
            .iter()
            .any(|(_, b)| String::from_utf8_lossy(b).contains("__gazette"))
    );
}

// Editors save by writing a temporary file and renaming it over the old one;
// a whole issue folder may be renamed. Both are seen, and the old URLs go.
#[test]
fn serve_follows_atomic_saves_and_renamed_folders() {
    let site = SiteTest::new("");
    let port = free_port();
    let _server = start(&site, port);
    let entry = site.root().join("content/2026-11-24/tnw-chips.md");
    let temp = site
        .root()
        .join("content/2026-11-24/tnw-chips.md___jb_tmp___");
    std::fs::write(
        &temp,
        "---\nheadline: Atomic chips\noutlet: tnw\nurl: https://thenextweb.com/news/chips\n---\n",
    )
    .expect("write");
    std::fs::rename(&temp, &entry).expect("rename");
    wait_for(
        || {
            get(port, "/2026/11/24/tnw-chips/")
                .2
                .contains("Atomic chips")
        },
        "the atomic save",
    );
    std::fs::rename(
        site.root().join("content/2026-11-24"),
        site.root().join("content/2026-11-23"),
    )
    .expect("rename folder");
    wait_for(
        || {
            get(port, "/2026/11/23/tnw-chips/")
                .2
                .contains("Atomic chips")
        },
        "the renamed folder",
    );
    assert_eq!(get(port, "/2026/11/24/tnw-chips/").0, 404);
}

// `build --watch` writes the output folder and rewrites it on each save,
// with the rebuild line on stdout; the file it writes is what `build` makes.
// A failed save keeps the folder as it was and says so, naming the save
// without blaming it for errors that are elsewhere.
#[test]
fn build_watch_rewrites_the_output() {
    let site = SiteTest::new("");
    let (server, rx) = build_watch(&site);
    let page = site.root().join("public/2026/11/24/tnw-chips/index.html");
    wait_for(|| page.is_file(), "the first build");
    expect_event(&rx, "built the site: ");
    // Its tag stays: a published URL that disappeared would stop it, as
    // it stops `build`.
    site.write(
        "content/2026-11-24/tnw-chips.md",
        "---\nheadline: Watched chips\noutlet: tnw\nurl: https://thenextweb.com/news/chips\ntags: [chips]\n---\n",
    );
    wait_for(
        || std::fs::read_to_string(&page).is_ok_and(|p| p.contains("Watched chips")),
        "the rewrite",
    );
    let line = expect_event(&rx, "content/2026-11-24/tnw-chips.md changed");
    assert_contains(&line, "re-rendered");
    site.write("content/2026-11-24/oops.md", "---\nheadline: \"Oops\n---\n");
    expect_event(
        &rx,
        "content/2026-11-24/oops.md changed, the site has 1 error;",
    );
    let before = site.output_files();
    site.write(
        "content/2026-11-24/tnw-chips.md",
        "---\nheadline: Watched chips again\noutlet: tnw\nurl: https://thenextweb.com/news/chips\ntags: [chips]\n---\n",
    );
    let line = expect_event(
        &rx,
        "content/2026-11-24/tnw-chips.md changed, the site has 1 error;",
    );
    assert_eq!(
        line,
        "error: after content/2026-11-24/tnw-chips.md changed, the site has 1 error; the output folder keeps the last good build"
    );
    assert_eq!(site.output_files(), before, "a failed save writes nothing");
    site.remove("content/2026-11-24/oops.md");
    wait_for(
        || std::fs::read_to_string(&page).is_ok_and(|p| p.contains("Watched chips again")),
        "the save after the fix",
    );
    // It publishes, so it keeps the record of published URLs as `build` does.
    let record = site.page_source(gazette::published::FILE);
    assert_contains(&record, "\n/2026/11/24/tnw-chips/\n");

    // Output touched by hand (a file removed, one edited, then the whole
    // folder gone) is put back by the next save, as `build` would.
    std::fs::remove_file(site.root().join("public/2026/11/25/index.html")).expect("rm");
    std::fs::write(site.root().join("public/feed.xml"), "hand-edited").expect("write");
    site.write(
        "content/2026-11-24/tnw-chips.md",
        "---\nheadline: Watched chips, third\noutlet: tnw\nurl: https://thenextweb.com/news/chips\ntags: [chips]\n---\n",
    );
    wait_for(
        || std::fs::read_to_string(&page).is_ok_and(|p| p.contains("Watched chips, third")),
        "the save after the hand edits",
    );
    assert!(
        site.exists("2026/11/25/index.html"),
        "the removed page is back"
    );
    assert_ne!(
        site.page("feed.xml"),
        "hand-edited",
        "the edited feed is rewritten"
    );
    std::fs::remove_dir_all(site.root().join("public")).expect("rm -rf public");
    site.write(
        "content/2026-11-24/tnw-chips.md",
        "---\nheadline: Watched chips, fourth\noutlet: tnw\nurl: https://thenextweb.com/news/chips\ntags: [chips]\n---\n",
    );
    wait_for(
        || std::fs::read_to_string(&page).is_ok_and(|p| p.contains("Watched chips, fourth")),
        "the save after rm -rf public",
    );
    assert_watched_equals_build(&site, server);
}

// Ctrl-C stops `build --watch` mid-rebuild with nothing left beside the
// output (the staging folder went into `git status`), and the output is
// a whole site, the old one or the new.
#[test]
fn ctrl_c_during_a_rebuild_leaves_nothing_behind() {
    let site = SiteTest::new("");
    for n in 0..300 {
        site.write(
            &format!("content/2026-11-24/bulk-{n}.md"),
            &format!(
                "---\nheadline: Bulk entry {n}\noutlet: tnw\nurl: https://thenextweb.com/news/bulk-{n}\ntags: [chips]\n---\nA summary of entry {n}, with a few words.\n"
            ),
        );
    }
    let yaml = site.page_source("content/site.yaml");
    for (attempt, delay) in [60u64, 250, 600].into_iter().enumerate() {
        let (mut server, rx) = build_watch(&site);
        expect_event(&rx, "built the site: ");
        site.write(
            "content/site.yaml",
            &yaml.replacen("title: ", &format!("title: T{attempt} "), 1),
        );
        std::thread::sleep(std::time::Duration::from_millis(delay));
        // The shell's own `kill`: a bare Debian has no /bin/kill.
        let interrupted = std::process::Command::new("sh")
            .args(["-c", &format!("kill -INT {}", server.child.id())])
            .status()
            .expect("kill");
        assert!(interrupted.success());
        let status = server.child.wait().expect("it stops");
        assert!(matches!(status.code(), Some(130 | 0)), "{status:?}");
        let left: Vec<String> = std::fs::read_dir(site.root())
            .expect("the site")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|name| name.contains("gazette-"))
            .collect();
        assert!(left.is_empty(), "left beside the output: {left:?}");
        assert!(site.exists(".gazette-manifest"), "the output is whole");
    }
}
