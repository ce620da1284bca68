//! The email sign-up form of `subscribe:` and the `/subscribe/` page, as
//! a reader finds them in the built pages.

use crate::site_test::{SiteTest, assert_contains};

/// The fixture with `subscribe` (lines under the key) added to its site.yaml.
fn with_subscribe(lines: &str) -> SiteTest {
    let site = SiteTest::new("");
    let settings = site.page_source("content/site.yaml");
    site.write(
        "content/site.yaml",
        &format!("{settings}subscribe:\n{lines}"),
    );
    site
}

/// The pages that carry the form: home, issue, story, and `/subscribe/`.
const WITH_FORM: [&str; 4] = [
    "index.html",
    "2026/11/25/index.html",
    "2026/11/25/colossus/index.html",
    "subscribe/index.html",
];

// A preset becomes a real form on every page a reader decides on, with its
// service's address and field names; entry pages, lists and the email
// edition have no form, and the email edition asks forwarded readers to
// subscribe.
#[test]
fn a_preset_shows_its_services_form_on_the_pages_that_matter() {
    let site =
        with_subscribe("  service: kit\n  form: 1234567\n  pitch: One email a day, at seven.\n");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in WITH_FORM {
        let html = site.page(page);
        assert_eq!(
            html.matches("<form class=\"sign-up__form\"").count(),
            1,
            "{page}"
        );
        assert_contains(
            &html,
            "action=\"https://app.kit.com/forms/1234567/subscriptions\" method=\"post\"",
        );
        assert_contains(
            &html,
            "type=\"email\" name=\"email_address\" autocomplete=\"email\" required",
        );
        assert_contains(&html, "<label class=\"sign-up__label\" for=\"_sign-up-");
        assert_contains(
            &html,
            "<button class=\"sign-up__button\" type=\"submit\">Subscribe</button>",
        );
        assert_contains(&html, "One email a day, at seven.");
    }
    for page in [
        "2026/11/25/tnw-colossus/index.html",
        "tags/index.html",
        "archive/index.html",
    ] {
        assert!(
            !site.page(page).contains("sign-up__form"),
            "{page} has a form"
        );
    }
    let email = site.page("2026/11/25/email.html");
    assert!(!email.contains("<form"), "an email carries no form");
    assert_contains(
        &email,
        "Forwarded this? <a class=\"footer__link\" href=\"https://fixture.example/subscribe/\"",
    );
    assert_contains(
        &site.page("2026/11/25/email.txt"),
        "Forwarded this? Subscribe: https://fixture.example/subscribe/",
    );
}

// The subscribe page lists every feed with its whole address to copy: the
// site's three, each tag's and each outlet's.
#[test]
fn the_subscribe_page_lists_every_feed_to_copy() {
    let site = with_subscribe("  service: buttondown\n  username: fixture\n");
    site.build();
    let main = site.main_of("subscribe/index.html");
    for url in [
        "https://fixture.example/atom.xml",
        "https://fixture.example/feed.xml",
        "https://fixture.example/feed.json",
        "https://fixture.example/tags/chips/atom.xml",
        "https://fixture.example/outlets/bloomberg/atom.xml",
    ] {
        assert_contains(
            &main,
            &format!("<code class=\"feed-list__url\">{url}</code>"),
        );
        assert!(
            site.exists(url.trim_start_matches("https://fixture.example/")),
            "{url} is not made"
        );
    }
    assert_contains(&main, "<input type=\"hidden\" name=\"embed\" value=\"1\">");
    assert_contains(
        &site.page("sitemap.xml"),
        "<loc>https://fixture.example/subscribe/</loc>",
    );
}

// Without `subscribe:` no page has a sign-up form or an email field; the
// subscribe page still lists the feeds, and the footer links it.
#[test]
fn without_a_service_no_page_has_a_form() {
    let site = SiteTest::new("");
    site.build();
    for (path, bytes) in site.output_files() {
        if path.ends_with(".html") {
            let html = String::from_utf8_lossy(&bytes);
            assert!(
                !html.contains("sign-up") && !html.contains("type=\"email\""),
                "{path} shows a sign-up form"
            );
        }
    }
    assert_contains(
        &site.main_of("subscribe/index.html"),
        "https://fixture.example/atom.xml",
    );
    assert_contains(
        &site.page("index.html"),
        "<a class=\"site-footer__subscribe\" href=\"/subscribe/\">Subscribe</a>",
    );
}

// A site's own `pages/subscribe.md` is its subscribe page: gazette makes
// none over it, and the email edition links it.
#[test]
fn a_sites_own_subscribe_page_wins() {
    let site = SiteTest::new("");
    site.write(
        "content/pages/subscribe.md",
        "---\ntitle: Join us\n---\nWrite to the editor to join.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_contains(
        &site.main_of("subscribe/index.html"),
        "Write to the editor to join.",
    );
    assert_contains(
        &site.page("2026/11/25/email.txt"),
        "Subscribe: https://fixture.example/subscribe/",
    );
}

// A wrong setting fails the build with the error at its line, and
// `public/` stays as it was.
#[test]
fn a_wrong_setting_fails_the_build_at_its_line() {
    let site = SiteTest::new("");
    site.build();
    let before = site.output_files();
    let settings = site.page_source("content/site.yaml");
    // The line of `action:`, third of the section.
    let line = settings.lines().count() + 3;
    site.write(
        "content/site.yaml",
        &format!("{settings}subscribe:\n  service: custom\n  action: http://list.example/join\n"),
    );
    let run = site.run(&["build"]);
    assert_ne!(run.code, 0);
    assert_contains(
        &run.stderr,
        "error: invalid `subscribe.action` `http://list.example/join`: it is `http:`, not `https:`",
    );
    assert_contains(&run.stderr, &format!("--> content/site.yaml:{line}:11"));
    assert_contains(
        &run.stderr,
        "help: copy the `action` of your service's embed form",
    );
    assert_eq!(site.output_files(), before, "public/ changed");
}
