//! `gazette init`: from nothing to a site that builds and checks clean, and
//! never a file of the user's lost.

use std::path::Path;

use crate::site_test::{NOW, Run, assert_contains, run_in};

fn gazette(dir: &Path, args: &[&str]) -> Run {
    run_in(dir, NOW, args)
}

// A new site builds and checks with no error and no warning, and its
// sample issue is dated today in the site's timezone.
#[test]
fn a_new_site_builds_and_checks_clean() {
    let dir = tempfile::tempdir().expect("temp");
    let run = gazette(
        dir.path(),
        &[
            "init",
            "news",
            "--title",
            "Robot \"Weekly\": AI",
            "--base-url",
            "https://example.github.io/robot-weekly/",
            "--editor",
            "Ada",
            "--timezone",
            "Pacific/Auckland",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_contains(&run.stdout, "news/content/site.yaml");
    let site = dir.path().join("news");
    // 12:00 UTC on the 26th is already the 27th in Auckland.
    assert!(site.join("content/2026-11-27/welcome.md").is_file());
    assert!(site.join("themes/default/templates/issue.html").is_file());
    let build = gazette(&site, &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert_eq!(build.stderr, "", "a new site builds without a warning");
    let check = gazette(&site, &["check", "--strict"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(check.stderr, "");
    assert_contains(&check.stdout, "the site has no errors");
    let issue =
        std::fs::read_to_string(site.join("public/2026/11/27/index.html")).expect("issue page");
    assert_contains(&issue, "Welcome to your newsletter");
    assert_contains(&issue, "Robot &quot;Weekly&quot;: AI");
    // The description does not say the title again: the theme prints both
    // side by side (the email's footer, the masthead).
    let text = std::fs::read_to_string(site.join("public/2026/11/27/email.txt")).expect("email");
    assert_contains(
        &text,
        "Robot \"Weekly\": AI: Curated links, and what they mean.",
    );
}

// A folder that holds anything is refused and left as it was; with
// `--force` the site's files are added beside it, and none is overwritten.
#[test]
fn init_never_overwrites() {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::write(dir.path().join("notes.txt"), "mine").expect("write");
    std::fs::create_dir_all(dir.path().join("content")).expect("mkdir");
    std::fs::write(dir.path().join("content/site.yaml"), "title: Mine\n").expect("write");
    let run = gazette(dir.path(), &["init", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(&run.stderr, "error: `.` is not empty");
    assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 2);

    let run = gazette(dir.path(), &["init", ".", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_contains(&run.stderr, "content/site.yaml");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("content/site.yaml"))
            .ok()
            .as_deref(),
        Some("title: Mine\n")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt"))
            .ok()
            .as_deref(),
        Some("mine")
    );
    assert!(
        dir.path()
            .join("themes/default/templates/base.html")
            .is_file()
    );
}

// A timezone that does not exist is a usage error, and nothing is written.
#[test]
fn init_checks_its_answers() {
    let dir = tempfile::tempdir().expect("temp");
    let run = gazette(dir.path(), &["init", "news", "--timezone", "Mars/Olympus"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_contains(&run.stderr, "unknown timezone `Mars/Olympus`");
    // A near miss gets the name it likely meant, as in site.yaml.
    let run = gazette(
        dir.path(),
        &["init", "news", "--timezone", "america/chicago"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "unknown timezone `america/chicago`: did you mean `America/Chicago`?",
    );
    let run = gazette(dir.path(), &["init", "news", "--base-url", "ftp://x"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!dir.path().join("news").exists());
}

// On a site (it has `content/site.yaml`), `--force` restores what the site
// needs to build and adds no sample issue, outlet or page to its content:
// the site still checks clean, and the output says what was added and left.
#[test]
fn force_on_a_site_adds_no_sample_content() {
    let dir = tempfile::tempdir().expect("temp");
    let site = dir.path().join("news");
    let run = gazette(
        dir.path(),
        &["init", "news", "--timezone", "Pacific/Auckland"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The editors' own site: the sample gone, an issue and outlet of theirs.
    std::fs::remove_dir_all(site.join("content/2026-11-27")).expect("rm sample");
    std::fs::remove_file(site.join("content/pages/about.md")).expect("rm about");
    std::fs::write(
        site.join("content/outlets.yaml"),
        "tnw: {name: TNW, tagline: t, blurb: b, url: https://thenextweb.com}\n",
    )
    .expect("write");
    std::fs::create_dir_all(site.join("content/2026-11-25")).expect("mkdir");
    std::fs::write(
        site.join("content/2026-11-25/tnw-chips.md"),
        "---\nheadline: Chips\noutlet: tnw\nurl: https://thenextweb.com/chips\n---\nBody.\n",
    )
    .expect("write");
    // Theme files lost, then restored.
    std::fs::remove_dir_all(site.join("themes/default/templates/partials")).expect("rm theme");
    std::fs::remove_file(site.join(".gitignore")).expect("rm .gitignore");
    let partials = std::fs::read_dir(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/partials"),
    )
    .expect("ls")
    .count();

    let run = gazette(&site, &["init", ".", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!(
            "created .gitignore\ncreated themes/default/ ({partials} files)\n\
             next: `gazette serve`, then edit the files of content/\n"
        )
    );
    assert_contains(&run.stderr, "files of `themes/default/` were there already");
    assert_contains(
        &run.stderr,
        "note: `content/site.yaml` is there, so this is a site already: only files it needs to build are added, no sample issue, outlet or page\n",
    );
    let mut content: Vec<_> = std::fs::read_dir(site.join("content"))
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    content.sort();
    assert_eq!(
        content,
        ["2026-11-25", "outlets.yaml", "pages", "site.yaml"],
        "no sample issue, dated in UTC (26th) or in Auckland (27th)"
    );
    assert!(!site.join("content/pages/about.md").exists());
    assert!(site.join("themes/default/templates/partials").is_dir());
    let check = gazette(&site, &["check", "--strict"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

// A site with a theme of its own gets no copy of the default theme from
// `init --force`: there is nothing of its own theme to restore, and a
// `themes/default/` it does not use would only be clutter to commit.
#[test]
fn force_on_a_site_with_its_own_theme_adds_no_default_theme() {
    let dir = tempfile::tempdir().expect("temp");
    let site = dir.path().join("news");
    let run = gazette(dir.path(), &["init", "news"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::rename(site.join("themes/default"), site.join("themes/house")).expect("mv");
    let yaml = std::fs::read_to_string(site.join("content/site.yaml")).expect("read");
    std::fs::write(
        site.join("content/site.yaml"),
        yaml.replace("theme: default", "theme: house"),
    )
    .expect("write");

    let run = gazette(&site, &["init", ".", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.join("themes/default").exists(), "{}", run.stdout);
    assert_contains(
        &run.stderr,
        "note: the site's theme is `house`, its own, not the default one gazette ships: nothing of it to restore, and `themes/default/` is not added",
    );
    let check = gazette(&site, &["check", "--strict"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}
