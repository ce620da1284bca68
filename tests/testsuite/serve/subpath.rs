//! A site whose `base_url` has a path (`https://example.github.io/robot-weekly/`)
//! is previewed under that path, as production will serve it: the server's
//! root leads there, nothing else outside it is the site, and an edit of
//! `base_url` moves the preview with it.

use std::io::{BufRead as _, BufReader};
use std::process::Stdio;
use std::sync::mpsc::Receiver;

use super::server::{
    Server, events, expect_event, expect_events, get, request, start_with, wait_for,
};
use crate::common::free_port;
use crate::site_test::{SiteTest, assert_contains};

/// `gazette serve` on the robot-weekly fixture, and its stdout line by line.
fn serve_robot_weekly(site: &SiteTest, port: u16) -> (Server, Receiver<String>) {
    let mut server = start_with(site, port, &[], |command| {
        command.stdout(Stdio::piped());
    });
    let stdout = server.child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    (server, rx)
}

/// The `Location` of a response head.
fn location(head: &str) -> &str {
    head.lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("location")
                .then_some(value.trim())
        })
        .unwrap_or_else(|| panic!("no Location in:\n{head}"))
}

// The terminal names the real address; the site is under base_url's path
// with links to that address; `/` and the path without its slash redirect
// there, temporarily (base_url can change); the site's own paths at the
// root are the site's 404, as they would be in production; a page's reload
// event names it by its URL; `..` is refused under the path too.
#[test]
fn serve_previews_the_site_under_its_base_path() {
    let site = SiteTest::standalone("robot-weekly");
    let port = free_port();
    let (_server, stdout) = serve_robot_weekly(&site, port);
    expect_event(
        &stdout,
        &format!("serving at http://127.0.0.1:{port}/robot-weekly/ "),
    );

    let (status, head, body) = get(port, "/robot-weekly/2026/11/13/");
    assert_eq!(status, 200, "{body}");
    assert_contains(&head.to_lowercase(), "content-type: text/html");
    assert_contains(
        &body,
        &format!("href=\"http://127.0.0.1:{port}/robot-weekly/2026/11/13/\""),
    );
    assert_contains(&body, "<script src=\"/__gazette/reload.js\"></script>");
    // HEAD: the helper reads bodies as text, and a PNG is not.
    let (status, head, _) = request(port, "HEAD", "/robot-weekly/images/gripper.png");
    assert_eq!(
        status, 200,
        "the site's static files are under the path too"
    );
    assert_contains(&head.to_lowercase(), "content-type: image/png");

    for root in ["/", "/robot-weekly"] {
        let (status, head, _) = get(port, root);
        assert_eq!(status, 307, "{root}: {head}");
        assert_eq!(location(&head), "/robot-weekly/", "{root}");
    }
    let (status, head, _) = get(port, "/robot-weekly/2026/11/13");
    assert_eq!(status, 301);
    assert_eq!(location(&head), "/robot-weekly/2026/11/13/");

    for outside in [
        "/2026/11/13/",
        "/images/gripper.png",
        "/archive/",
        "/robot-weeklyx/",
    ] {
        let (status, _, body) = get(port, outside);
        assert_eq!(status, 404, "{outside} is outside the site's path");
        assert_contains(&body, "Page not found");
    }
    for escape in [
        "/robot-weekly/../robot-weekly/",
        "/robot-weekly/%2e%2e/robot-weekly/",
        "/elsewhere/..%2frobot-weekly/",
    ] {
        let (status, _, body) = get(port, escape);
        assert_eq!(status, 400, "{escape}: {body}");
    }
    let (status, _, _) = request(port, "HEAD", "/robot-weekly/feed.xml");
    assert_eq!(status, 200);

    let rx = events(port);
    site.write(
        "content/2026-11-13/spectrum-humanoid-hands.md",
        "---\nheadline: Humanoid hands, revised\noutlet: spectrum\nurl: https://spectrum.ieee.org/humanoid-hands\n---\nText.\n",
    );
    expect_events(
        &rx,
        &[
            "/robot-weekly/2026/11/13/spectrum-humanoid-hands/index.html",
            "/robot-weekly/2026/11/13/index.html",
        ],
    );
    assert!(!site.root().join("public").exists());
}

// An edit of base_url's path moves the preview: the terminal says where
// the site now is, open pages are told to go there, the new path serves
// the site with links under it, and the old one is outside the site. A
// base_url that is wrong is an error and the preview stays; one without a
// path brings the site to the root.
#[test]
fn serve_follows_a_new_base_path() {
    let site = SiteTest::standalone("robot-weekly");
    let port = free_port();
    let (_server, stdout) = serve_robot_weekly(&site, port);
    expect_event(&stdout, "serving at");
    let rx = events(port);

    let yaml = site.page_source("content/site.yaml");
    let moved = yaml.replace("/robot-weekly/", "/robots/");
    assert_ne!(moved, yaml);
    site.write("content/site.yaml", &moved);
    expect_event(
        &stdout,
        &format!("base_url's path changed: serving at http://127.0.0.1:{port}/robots/"),
    );
    let event = expect_event(&rx, "\"to\":\"/robots/\"");
    assert_contains(&event, "\"from\":\"/robot-weekly/\"");
    let (status, _, body) = get(port, "/robots/2026/11/06/");
    assert_eq!(status, 200);
    assert_contains(
        &body,
        &format!("href=\"http://127.0.0.1:{port}/robots/archive/\""),
    );
    assert!(!body.contains("/robot-weekly/"), "a link kept the old path");
    assert_eq!(get(port, "/robot-weekly/2026/11/06/").0, 404);
    let (status, head, _) = get(port, "/");
    assert_eq!((status, location(&head)), (307, "/robots/"));

    // A base_url that is not an address is an error, shown; the preview
    // stays where it was.
    site.write(
        "content/site.yaml",
        &yaml.replace(
            "https://example.github.io/robot-weekly/",
            "ftp://example.github.io/x/",
        ),
    );
    expect_event(&rx, "invalid `base_url`");
    assert_eq!(get(port, "/robots/2026/11/06/").0, 200);

    site.write(
        "content/site.yaml",
        &yaml.replace(
            "https://example.github.io/robot-weekly/",
            "https://robots.example/",
        ),
    );
    wait_for(
        || get(port, "/2026/11/06/").0 == 200,
        "the site at the root",
    );
    assert_eq!(get(port, "/").0, 200);
    assert_eq!(get(port, "/robots/2026/11/06/").0, 404);
    expect_event(
        &stdout,
        &format!("base_url's path changed: serving at http://127.0.0.1:{port}/"),
    );
}
