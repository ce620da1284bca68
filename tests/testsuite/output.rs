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
    // The entry, its tag and the tag's feed are retired: gone for good,
    // and so is its issue, which has nothing else in it.
    site.write(
        "content/site.yaml",
        &(site.page_source("content/site.yaml")
            + "retired: [/2026/11/24/tnw-chips/, /tags/chips/, /tags/chips/atom.xml, /2026/11/24/, /2026/11/24/email.html]\n"),
    );
    site.build();
    assert!(!site.exists("2026/11/24/tnw-chips/index.html"));
    assert!(
        !site.exists("2026/11/24/tnw-chips"),
        "emptied folders go too"
    );
    assert!(!site.exists("tags/chips/index.html"));
    assert!(!site.exists("2026/11/24/index.html"));
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
// change (a file touched, a flag, a file gone from the output or changed
// there) builds again, and the output is always what a cold build makes.
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

    // A file of the output changed by hand: built again, and put right.
    let page = site.root().join("public/index.html");
    std::fs::write(&page, "CORRUPT\n").expect("write");
    // Past the record's time even where clocks tick by the second.
    std::fs::File::options()
        .write(true)
        .open(&page)
        .and_then(|f| {
            f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(2))
        })
        .expect("mtime");
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

// A font put in the site's `fonts/` (as the `card-glyphs` warning advises)
// is read like any input: the next build is not skipped as unchanged, the
// card that names the font is drawn with it, and the output is what a
// cold build makes. The shortcut once left `fonts/` out, and cards stale.
#[test]
fn a_font_added_to_fonts_is_not_skipped_as_unchanged() {
    let site = SiteTest::new("");
    // The theme has DejaVu Serif in bold only; the regular face comes later.
    site.write(
        "templates/card.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\">\
         <text x=\"40\" y=\"300\" font-family=\"DejaVu Serif\" font-size=\"80\">{{ page.headline }}</text></svg>\n",
    );
    site.build();
    let card = site.root().join("public/2026/11/25/colossus/card.png");
    let bold = std::fs::read(&card).expect("the card");
    assert_contains(&site.build().stdout, "nothing changed");

    let font = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fonts/DejaVuSerif-subset.ttf");
    std::fs::create_dir(site.root().join("fonts")).expect("mkdir fonts");
    std::fs::copy(font, site.root().join("fonts/DejaVuSerif.ttf")).expect("copy the font");
    let run = site.build();
    assert!(!run.stdout.contains("nothing changed"), "{}", run.stdout);
    assert_ne!(
        std::fs::read(&card).expect("the card"),
        bold,
        "the card ignores the font"
    );

    let warm = site.output_files();
    std::fs::remove_dir_all(site.root().join("public")).expect("remove public");
    site.build();
    assert_eq!(
        site.output_files(),
        warm,
        "the output is what a cold build makes"
    );
}

/// The version a page of [`a_killed_build_leaves_the_old_site_or_the_new`]
/// was built as, from the site title every page shows.
fn version_of(html: &str) -> Option<char> {
    ['A', 'B']
        .into_iter()
        .find(|v| html.contains(&format!("Fixture Daily {v}")))
}

/// What `public/` holds after a build of version `A` or `B`: the version of
/// every page, or why it is neither.
fn whole_version(site: &SiteTest) -> Result<char, String> {
    let files: std::collections::BTreeMap<String, Vec<u8>> =
        site.output_files().into_iter().collect();
    let mut versions = std::collections::BTreeMap::new();
    for (path, bytes) in &files {
        if path.ends_with(".html") && !path.ends_with("email.html") {
            let version = version_of(&String::from_utf8_lossy(bytes));
            versions
                .entry(version)
                .or_insert_with(Vec::new)
                .push(path.clone());
        }
    }
    let [(Some(version), _)] = versions.iter().collect::<Vec<_>>()[..] else {
        let counts: Vec<String> = (versions.iter())
            .map(|(v, paths)| format!("{v:?}: {} pages, e.g. {}", paths.len(), paths[0]))
            .collect();
        return Err(format!("a mixed site: {}", counts.join("; ")));
    };
    // Version B has one more entry; its page is there exactly then.
    let extra = files.contains_key("2026/11/25/zz-only-in-b/index.html");
    if extra != (*version == 'B') {
        return Err(format!("pages of version {version}, files of the other"));
    }
    let listed = std::fs::read_to_string(site.root().join("public/.gazette-manifest"))
        .map_err(|e| format!("no manifest: {e}"))?;
    for line in listed.lines().filter(|l| !l.starts_with('#')) {
        if !files.contains_key(line) {
            return Err(format!("the manifest lists `{line}`, which is not there"));
        }
    }
    Ok(*version)
}

/// Makes the site version `v`: the title on every page, and one entry
/// more in version B.
fn make_version(site: &SiteTest, v: char) {
    let yaml = site.page_source("content/site.yaml");
    let title = yaml
        .lines()
        .find(|l| l.starts_with("title:"))
        .expect("a title");
    site.write(
        "content/site.yaml",
        &yaml.replace(title, &format!("title: Fixture Daily {v}")),
    );
    let extra = "content/2026-11-25/zz-only-in-b.md";
    if v == 'B' {
        site.write(
            extra,
            "---\nheadline: Only in B\noutlet: tnw\nurl: https://t.example/only-in-b\n---\n",
        );
    } else if site.root().join(extra).exists() {
        site.remove(extra);
    }
    // Version A takes down a URL that B published: not what this test is
    // about (see `published`), so the record of published URLs goes.
    let _ = std::fs::remove_file(site.root().join(gazette::published::FILE));
}

// A build killed at any moment (SIGKILL: a laptop lid closed, a CI job
// cancelled) leaves public/ the whole old site or the whole new one, with a
// manifest that lists what is there; the next build cleans what the killed
// one left. Every page changes between the two versions (the title), and
// the kills are spread over the whole of a build, staging and swap. Before
// the swap was one rename, 5 of 12 such kills left a mixed site.
#[cfg(unix)]
#[test]
fn a_killed_build_leaves_the_old_site_or_the_new() {
    use std::process::{Command, Stdio};
    use std::time::Instant;

    let site = SiteTest::new("");
    for n in 0..150 {
        site.write(
            &format!("content/2026-11-{}/bulk-{n:03}.md", 20 + n % 6),
            &format!(
                "---\nheadline: Bulk entry {n}\noutlet: tnw\nurl: https://t.example/bulk/{n}\ntags: [bulk, t{}]\n---\nA summary of entry {n}.\n",
                n % 9
            ),
        );
    }
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_gazette"))
            .arg("build")
            .current_dir(site.root())
            .env("GAZETTE_NOW", crate::site_test::NOW)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gazette runs")
    };
    make_version(&site, 'A');
    assert_eq!(site.build().code, 0);
    assert_eq!(whole_version(&site), Ok('A'));
    // How long a whole build takes, to spread the kills over.
    make_version(&site, 'B');
    let started = Instant::now();
    assert!(spawn().wait().expect("wait").success());
    let whole = started.elapsed();
    assert_eq!(whole_version(&site), Ok('B'));

    // `GAZETTE_KILLS=500 cargo test --release --test testsuite killed`
    // for a longer run by hand.
    let kills: u32 = std::env::var("GAZETTE_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(50);
    let mut ended_new = 0;
    for kill in 0..kills {
        let kill_at = kill % 50;
        let now = whole_version(&site).expect("a whole site before the build");
        let next = if now == 'A' { 'B' } else { 'A' };
        make_version(&site, next);
        let mut child = spawn();
        // Spread over a whole build and past its end, in rounds of 50: the
        // builds run beside other tests, and one can take twice as long as
        // the one measured (a CI run saw all 50 killed before the swap).
        std::thread::sleep(whole.mul_f64(2.5 * f64::from(kill_at) / 50.0));
        let _ = child.kill();
        let _ = child.wait();
        match whole_version(&site) {
            Ok(v) if v == next => ended_new += 1,
            Ok(_) => {}
            Err(why) => panic!("kill {kill} after {:?}: {why}", started.elapsed()),
        }
    }
    // The kills fell before, during and after the swap.
    println!("{kills} kills: {ended_new} after the swap, the rest before it");
    assert!(
        ended_new > 0 && ended_new < kills,
        "{ended_new} of {kills} killed builds had finished"
    );
    // The next build cleans up what the killed ones left beside public/.
    assert_eq!(site.build().code, 0);
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .expect("ls")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("gazette-"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}
