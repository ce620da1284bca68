//! Source folders replaced whole while `serve` or `build --watch` runs (a
//! restore from a backup, a sync, a checkout of another branch): what they
//! hold is read again, and they stay watched.

use std::path::Path;

use super::server::{assert_watched_equals_build, build_watch, expect_event, get, start, wait_for};
use crate::common::{copy_tree, free_port};
use crate::site_test::SiteTest;

const ENTRY: &str = "content/2026-11-24/tnw-chips.md";
const PAGE: &str = "2026/11/24/tnw-chips/index.html";
const TEMPLATE: &str = "themes/default/templates/entry.html";

/// The chips entry with this headline.
fn chips(headline: &str) -> String {
    format!(
        "---\nheadline: {headline}\noutlet: tnw\nurl: https://thenextweb.com/news/chips\ntags: [chips]\n---\nChips are news.\n"
    )
}

/// The theme's entry template with `marker` as a class of the headline.
fn entry_template(marker: &str) -> String {
    let template = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/entry.html"),
    )
    .expect("the theme's entry.html");
    template.replace(
        "class=\"page-title\"",
        &format!("class=\"page-title {marker}\""),
    )
}

/// Removes the site's `folder` and copies it back from a backup that
/// `change` changed, as `rm -rf content && cp -r backup content` does.
fn restore(site: &SiteTest, folder: &str, change: impl FnOnce(&Path)) {
    let backup = tempfile::tempdir().expect("temp");
    copy_tree(&site.root().join(folder), backup.path());
    change(backup.path());
    std::fs::remove_dir_all(site.root().join(folder)).expect("remove");
    copy_tree(backup.path(), &site.root().join(folder));
}

/// Puts a copy of the site's `folder`, changed by `change`, in its place by
/// renaming, as a sync tool does: the old folder lives on under another name.
fn swap_in(site: &SiteTest, folder: &str, change: impl FnOnce(&Path)) {
    let root = site.root();
    let new = root.join(format!("{folder}.new"));
    copy_tree(&root.join(folder), &new);
    change(&new);
    std::fs::rename(root.join(folder), root.join(format!("{folder}.old"))).expect("rename");
    std::fs::rename(&new, root.join(folder)).expect("rename");
}

/// `content/` restored from a copy whose entry differs, then that entry
/// edited: each seen where `page(needle)` looks.
fn restore_content_then_edit<F: Fn() -> bool>(site: &SiteTest, page: &impl Fn(&str) -> F) {
    restore(site, "content", |copy| {
        write_in(copy, "2026-11-24/tnw-chips.md", &chips("Restored chips"));
    });
    wait_for(page("Restored chips"), "the restored content");
    site.write(ENTRY, &chips("Edited after the restore"));
    wait_for(
        page("Edited after the restore"),
        "an edit after the restore",
    );
}

/// `themes/` swapped for a copy whose entry template differs, then that
/// template edited: each seen where `page(needle)` looks.
fn swap_theme_then_edit<F: Fn() -> bool>(site: &SiteTest, page: &impl Fn(&str) -> F) {
    swap_in(site, "themes", |copy| {
        write_in(
            copy,
            "default/templates/entry.html",
            &entry_template("swapped"),
        );
    });
    wait_for(page("page-title swapped"), "themes/ swapped in");
    site.write(TEMPLATE, &entry_template("theme-edited"));
    wait_for(
        page("page-title theme-edited"),
        "an edit of the theme after",
    );
}

/// Writes `text` to `rel` under `dir`.
fn write_in(dir: &Path, rel: &str, text: &str) {
    std::fs::write(dir.join(rel), text).expect("write");
}

// `content/` restored from a backup, `templates/` made again and `themes/`
// swapped by a rename: each is read again, and an edit in it afterwards is
// seen too. Their old watches were on the folders gone, and saw nothing.
#[test]
fn serve_watches_folders_replaced_whole() {
    let site = SiteTest::new("");
    let port = free_port();
    let _server = start(&site, port);
    let page = |needle: &str| {
        let needle = needle.to_owned();
        move || get(port, &format!("/{PAGE}")).2.contains(&needle)
    };

    restore_content_then_edit(&site, &page);
    site.write(
        "content/2026-11-26/fresh.md",
        "---\nheadline: Fresh news\noutlet: tnw\nurl: https://t.example/fresh\n---\n",
    );
    wait_for(|| get(port, "/2026/11/26/fresh/").0 == 200, "a new entry");

    site.write("templates/entry.html", &entry_template("made"));
    wait_for(page("page-title made"), "templates/ made");
    restore(&site, "templates", |copy| {
        write_in(copy, "entry.html", &entry_template("restored"));
    });
    wait_for(page("page-title restored"), "templates/ restored");
    site.write("templates/entry.html", &entry_template("edited"));
    wait_for(page("page-title edited"), "an edit of templates/ after");
    site.remove("templates/entry.html");

    swap_theme_then_edit(&site, &page);
}

// `build --watch` likewise, and what it leaves in the output folder after
// the folders were replaced is byte for byte what `build` makes.
#[test]
fn build_watch_follows_folders_replaced_whole() {
    let site = SiteTest::new("");
    let (server, rx) = build_watch(&site);
    expect_event(&rx, "built the site: ");
    let page = |needle: &str| {
        let (path, needle) = (site.root().join("public").join(PAGE), needle.to_owned());
        move || std::fs::read_to_string(&path).is_ok_and(|p| p.contains(&needle))
    };

    restore_content_then_edit(&site, &page);
    expect_event(&rx, "content/ changed: ");

    swap_theme_then_edit(&site, &page);

    assert_watched_equals_build(&site, server);
}

// `theme:` switched to another folder of `themes/` while `serve` runs: the
// pages take the new theme, and an edit of the new theme's templates is
// seen too. The watch kept looking at the theme it started with.
#[test]
fn serve_follows_a_switch_of_theme() {
    let site = SiteTest::new("");
    copy_tree(
        &site.root().join("themes/default"),
        &site.root().join("themes/mine"),
    );
    let port = free_port();
    let _server = start(&site, port);
    let page = |needle: &str| {
        let needle = needle.to_owned();
        move || get(port, &format!("/{PAGE}")).2.contains(&needle)
    };
    site.write("themes/mine/templates/entry.html", &entry_template("mine"));
    let yaml = site.page_source("content/site.yaml");
    site.write("content/site.yaml", &format!("{yaml}theme: mine\n"));
    wait_for(page("page-title mine"), "the theme switched to");
    site.write(
        "themes/mine/templates/entry.html",
        &entry_template("mine-edited"),
    );
    wait_for(page("page-title mine-edited"), "an edit of the new theme");
}
