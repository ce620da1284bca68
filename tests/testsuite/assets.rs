//! CSS and JavaScript named by a hash of their bytes, linked with their
//! integrity, and the `_headers` that let browsers keep them for good.

use base64::Engine as _;
use sha2::Digest as _;

use crate::site_test::{SiteTest, assert_contains};

/// The output path of the fingerprinted copy of `plain` (`style.css`).
fn hashed(site: &SiteTest, plain: &str) -> String {
    let (stem, ext) = plain.rsplit_once('.').expect("an extension");
    let found: Vec<String> = (site.output_files().into_iter())
        .map(|(path, _)| path)
        .filter(|path| {
            path.strip_prefix(&format!("{stem}."))
                .and_then(|rest| rest.strip_suffix(&format!(".{ext}")))
                .is_some_and(|hash| hash.len() == 8 && hash.chars().all(|c| c.is_ascii_hexdigit()))
        })
        .collect();
    assert_eq!(found.len(), 1, "one fingerprinted {plain}: {found:?}");
    found[0].clone()
}

/// `sha384-…` of the bytes of the output file `path`.
fn integrity(site: &SiteTest, path: &str) -> String {
    let bytes = std::fs::read(site.root().join("public").join(path)).expect("read");
    let digest = sha2::Sha384::digest(bytes);
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The `<link rel="stylesheet">` of the theme's stylesheet in `html`.
fn style_link(html: &str) -> &str {
    let at = html
        .find("<link rel=\"stylesheet\" href=\"https://fixture.example/style.")
        .expect("a style link");
    let end = html[at..].find('>').expect("its end");
    &html[at..=at + end]
}

// Every page links the stylesheet by its hash, with the integrity of its
// bytes; an edit to it renames it, and every page follows; the plain name
// stays, with the new bytes, for themes that link it directly.
#[test]
fn a_css_edit_renames_the_file_and_every_link() {
    let site = SiteTest::new("");
    site.build();
    let first = hashed(&site, "style.css");
    let link = format!(
        "<link rel=\"stylesheet\" href=\"https://fixture.example/{first}\" integrity=\"{}\">",
        integrity(&site, &first)
    );
    let pages: Vec<String> = (site.output_files().into_iter())
        .map(|(path, _)| path)
        .filter(|p| p.ends_with("index.html"))
        .collect();
    assert!(pages.len() > 10);
    for page in &pages {
        assert_eq!(style_link(&site.page(page)), link, "{page}");
    }
    assert_eq!(site.page(&first), site.page("style.css"));

    // The site's own style.css replaces the theme's.
    let theme = site.page_source("themes/default/static/style.css");
    site.write(
        "static/style.css",
        &format!("{theme}\n.site-title {{ letter-spacing: 0.01em; }}\n"),
    );
    site.build();
    let second = hashed(&site, "style.css");
    assert_ne!(first, second);
    assert!(!site.exists(&first), "the old copy was left behind");
    let link = format!(
        "<link rel=\"stylesheet\" href=\"https://fixture.example/{second}\" integrity=\"{}\">",
        integrity(&site, &second)
    );
    for page in &pages {
        assert_eq!(style_link(&site.page(page)), link, "{page}");
    }
    assert_contains(&site.page("style.css"), "letter-spacing: 0.01em");
}

// `_headers`: a year and `immutable` for each fingerprinted file, `no-cache`
// for the pages, and no rule that matches both (Cloudflare Pages would join
// their values).
#[test]
fn headers_keep_fingerprinted_files_and_revalidate_pages() {
    let site = SiteTest::new("");
    site.build();
    let headers = site.page("_headers");
    for plain in ["style.css", "highlight.css", "search.js"] {
        let path = hashed(&site, plain);
        assert_contains(
            &headers,
            &format!("\n/{path}\n  Cache-Control: public, max-age=31536000, immutable\n"),
        );
    }
    for rule in [
        "/",
        "/2026/*",
        "/tags/*",
        "/outlets/*",
        "/archive/*",
        "/404.html",
    ] {
        assert_contains(&headers, &format!("\n{rule}\n  Cache-Control: no-cache\n"));
    }
    let rules: Vec<&str> = headers
        .lines()
        .filter(|l| !l.starts_with([' ', '#']) && !l.is_empty())
        .collect();
    assert!(!rules.contains(&"/*"), "a rule for everything: {rules:?}");

    // Under a base path, every rule is under it too.
    site.build_with(&["--base-url", "https://you.github.io/a47/"]);
    let headers = site.page("_headers");
    assert_contains(&headers, "\n/a47/2026/*\n  Cache-Control: no-cache\n");
    assert_contains(
        &headers,
        &format!("\n/a47/{}\n", hashed(&site, "style.css")),
    );
}

// A site's own `static/_headers` is published as written, in place of
// gazette's.
#[test]
fn a_sites_own_headers_file_wins() {
    let site = SiteTest::new("");
    site.write("static/_headers", "/*\n  X-Frame-Options: DENY\n");
    site.build();
    assert_eq!(site.page("_headers"), "/*\n  X-Frame-Options: DENY\n");
}

// `asset_url` of a file the theme and the site do not have is a template
// error that names the files there are.
#[test]
fn an_unknown_asset_is_a_template_error() {
    let site = SiteTest::new("");
    let base = site.page_source("themes/default/templates/base.html");
    site.write(
        "themes/default/templates/base.html",
        &base.replacen(
            "</head>",
            "<link rel=\"stylesheet\" href=\"{{ asset_url(path='print.css') }}\">\n</head>",
            1,
        ),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "no CSS or JavaScript file `print.css` in the theme's or the site's `static/`; there are: `highlight.css`, `search.js`, `style.css`",
    );
    assert_contains(&run.stderr, "themes/default/templates/base.html");
}

// A static file under the very name of a fingerprinted copy (an old
// build's `style.<hash>.css` copied into `static/`) gives way to the copy
// gazette makes, and the build says so at that file: it was dropped
// without a word.
#[test]
fn a_static_file_under_a_fingerprinted_name_is_named() {
    let site = SiteTest::new("");
    site.build();
    let name = hashed(&site, "style.css");
    let made = site.page(&name);
    site.write(&format!("static/{name}"), "/* stale */\n");
    let run = site.build();
    assert_contains(
        &run.stderr,
        &format!(
            "warning: static file `{name}` is ignored: gazette publishes `style.css` under that name\n --> static/{name}"
        ),
    );
    assert_eq!(site.page(&name), made, "the copy of style.css stays");
}
