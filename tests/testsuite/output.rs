//! Output promises: built aside and swapped in whole, stale pages removed,
//! deterministic bytes, unchanged files untouched, nothing outside deleted.

use std::time::SystemTime;

use crate::site_test::{SiteTest, assert_contains};

fn modified(site: &SiteTest, rel: &str) -> SystemTime {
    std::fs::metadata(site.root().join("public").join(rel))
        .and_then(|m| m.modified())
        .expect("mtime")
}

// A build that fails leaves public/ byte for byte as it was.
#[test]
fn failed_build_changes_nothing() {
    let site = SiteTest::new("");
    site.build();
    let before = site.output_files();
    site.write(
        "content/2026-11-25/tnw-colossus.md",
        "---\nheadline: Changed\noutlet: nope\nurl: https://t.example/\n---\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(site.output_files(), before);
    // A template that fails at render time, after pages were staged, too.
    site.write(
        "content/2026-11-25/tnw-colossus.md",
        "---\nheadline: Changed\noutlet: tnw\nurl: https://t.example/\n---\n",
    );
    site.write(
        "templates/tag.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.nope.nope }}{% endblock main %}",
    );
    assert_eq!(site.run(&["build"]).code, 1);
    assert_eq!(site.output_files(), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .expect("ls")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "staging folder left behind");
}

// Deleting an entry removes its page on the next build; so do its tags.
#[test]
fn stale_pages_are_removed() {
    let site = SiteTest::new("");
    site.build();
    assert!(site.exists("2026/11/24/tnw-chips/index.html"));
    assert!(site.exists("tags/chips/index.html"));
    site.remove("content/2026-11-24/tnw-chips.md");
    site.build();
    assert!(!site.exists("2026/11/24/tnw-chips/index.html"));
    assert!(
        !site.exists("2026/11/24/tnw-chips"),
        "emptied folders go too"
    );
    assert!(!site.exists("tags/chips/index.html"));
}

// Two builds of the same input give the same bytes, and the second writes
// nothing: unchanged files keep their modification time.
#[test]
fn builds_are_deterministic_and_skip_unchanged_files() {
    let site = SiteTest::new("");
    site.build();
    let first = site.output_files();
    let mtime = modified(&site, "2026/11/25/index.html");
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.build();
    assert_eq!(site.output_files(), first);
    assert_eq!(modified(&site, "2026/11/25/index.html"), mtime);

    let other = SiteTest::new("");
    other.build();
    assert_eq!(
        other.output_files(),
        first,
        "a second copy of the site builds the same bytes"
    );
}

// --output at the site root (or above it) is refused and nothing is deleted.
#[test]
fn output_at_site_root_is_refused() {
    let site = SiteTest::new("");
    site.write("notes.txt", "keep me");
    for target in [".", "..", "content"] {
        let run = site.run(&["build", "--output", target]);
        assert_eq!(
            run.code, 1,
            "--output {target} must be refused:\n{}",
            run.stderr
        );
        assert_contains(&run.stderr, "refusing to write the site to");
    }
    assert!(site.root().join("notes.txt").exists());
    assert!(site.root().join("content/site.yaml").exists());
    assert!(site.root().join("content/2026-11-25/colossus.md").exists());
}

// A symlink put in the output by hand is not gazette's: the next build
// neither removes it nor follows it, and its target survives.
#[cfg(unix)]
#[test]
fn symlinks_in_output_are_not_followed() {
    let site = SiteTest::new("");
    site.build();
    let outside = tempfile::tempdir().expect("temp");
    std::fs::write(outside.path().join("precious.txt"), "keep").expect("write");
    std::os::unix::fs::symlink(outside.path(), site.root().join("public/link")).expect("symlink");
    site.build();
    assert!(site.root().join("public/link").is_symlink());
    assert!(outside.path().join("precious.txt").exists());
    assert_eq!(std::fs::read_dir(outside.path()).expect("ls").count(), 1);
}

// A build that finds nothing it reads changed since the last build into
// the same folder renders nothing and rewrites nothing, and says so; any
// change (a file touched, a flag, a file gone from the output) builds
// again, and the output is always what a cold build makes.
#[test]
fn a_rebuild_with_nothing_changed_renders_nothing() {
    let site = SiteTest::new("");
    site.build();
    let cold = site.output_files();
    let manifest = site.root().join("public/.gazette-manifest");
    let before = std::fs::metadata(&manifest)
        .and_then(|m| m.modified())
        .expect("mtime");
    let run = site.build();
    assert_contains(&run.stdout, "(nothing changed since the last build)");
    assert_eq!(site.output_files(), cold);
    let after = std::fs::metadata(&manifest)
        .and_then(|m| m.modified())
        .expect("mtime");
    assert_eq!(before, after, "nothing was written");

    // A file gone from the output: built again.
    std::fs::remove_file(site.root().join("public/2026/11/25/index.html")).expect("remove");
    let run = site.build();
    assert!(!run.stdout.contains("nothing changed"), "{}", run.stdout);
    assert_eq!(site.output_files(), cold);

    // An edit: built again, and the next build is quiet once more.
    let entry = site.page_source("content/2026-11-25/tnw-colossus.md");
    site.write(
        "content/2026-11-25/tnw-colossus.md",
        &entry.replace("latency issues", "latency trouble"),
    );
    let run = site.build();
    assert!(!run.stdout.contains("nothing changed"), "{}", run.stdout);
    assert_contains(
        &site.page("2026/11/25/tnw-colossus/index.html"),
        "latency trouble",
    );
    assert_contains(&site.build().stdout, "nothing changed");

    // Another flag reads other files: built again.
    let run = site.build_with(&["--drafts"]);
    assert!(!run.stdout.contains("nothing changed"), "{}", run.stdout);
}
