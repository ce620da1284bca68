//! Long lists in pages: a tag's, an outlet's and the archive's items cut
//! into pages of `paginate`, in the order of one page, linked to each
//! other, each with its own canonical URL and title, all in the sitemap,
//! the feeds left whole.

use crate::site_test::{SiteTest, assert_contains};

const SITE_YAML: &str = "title: Fixture Daily\nbase_url: https://fixture.example/\ntimezone: America/Chicago\nsummary_length: 60\n";

/// The base fixture with four stories and twelve more entries tagged
/// `chips` over four days (with the base's own `tnw-chips`, 4 stories and
/// 13 entries), split between both outlets, `paginate` set to `per_page`.
fn chips_site(per_page: usize) -> SiteTest {
    let site = SiteTest::new("");
    site.write(
        "content/site.yaml",
        &format!("{SITE_YAML}paginate: {per_page}\n"),
    );
    for day in 0..4 {
        let date = format!("2026-11-{}", 20 + day);
        site.write(
            &format!("content/{date}/story-{day}.md"),
            &format!(
                "---\nkind: story\nheadline: Chip story {day}\ntags: [chips]\n---\nStory {day}.\n"
            ),
        );
        for n in 0..3 {
            let outlet = ["tnw", "bloomberg"][n % 2];
            site.write(
                &format!("content/{date}/chips-{day}-{n}.md"),
                &format!("---\nheadline: Chips {day}.{n}\noutlet: {outlet}\nurl: https://t.example/{day}/{n}\ntags: [chips]\nweight: {n}\n---\n"),
            );
        }
    }
    site
}

/// The pages a list page links to as its items, in order: the stories of
/// a tag page, then its cards (by their permalinks here).
fn items(html: &str) -> Vec<String> {
    let mut found: Vec<(usize, String)> = Vec::new();
    for marker in [
        "class=\"story-list__title\"><a href=\"",
        "class=\"card__permalink\" href=\"",
        "class=\"issue-list__title\"><a href=\"",
    ] {
        for (at, _) in html.match_indices(marker) {
            let rest = &html[at + marker.len()..];
            let end = rest.find('"').expect("a closing quote");
            found.push((at, rest[..end].to_owned()));
        }
    }
    found.sort();
    found.into_iter().map(|(_, url)| url).collect()
}

/// The items of every page of the list at `path`, page after page, and the
/// number of pages.
fn all_pages(site: &SiteTest, path: &str) -> (Vec<String>, usize) {
    let mut all = items(&site.page(&format!("{path}index.html")));
    let mut pages = 1;
    while site.exists(&format!("{path}page/{}/index.html", pages + 1)) {
        pages += 1;
        all.extend(items(&site.page(&format!("{path}page/{pages}/index.html"))));
    }
    (all, pages)
}

// Read page after page, a tag's (stories, then entries), an outlet's and
// the archive's pages list what one page lists, in its order; each page
// holds `paginate` items but the last, and the first page keeps its URL.
#[test]
fn pages_keep_the_order_of_one_page() {
    let whole = chips_site(1000);
    whole.build();
    let paged = chips_site(3);
    paged.build();
    for (path, len, pages) in [
        ("tags/chips/", 17, 6),
        ("outlets/tnw/", 10, 4),
        ("archive/", 6, 2),
    ] {
        let one = items(&whole.page(&format!("{path}index.html")));
        assert_eq!(one.len(), len, "{path} on one page");
        assert!(!whole.exists(&format!("{path}page/2/index.html")));
        let (all, count) = all_pages(&paged, path);
        assert_eq!(all, one, "{path} cut into pages keeps the order");
        assert_eq!(count, pages, "{path}: pages of 3");
        assert_eq!(items(&paged.page(&format!("{path}index.html"))).len(), 3);
    }
    // Page 2 of the tag ends the stories and begins the entries.
    let page2 = paged.page("tags/chips/page/2/index.html");
    assert_contains(&page2, "Chip story 0");
    assert_contains(&page2, "id=\"_tag-links\"");
}

// Each page has its own canonical URL, a title saying which page it is,
// rel prev/next to its neighbours, and every page is in the sitemap; the
// Atom feed of the tag is the same as when the tag had one page.
#[test]
fn each_page_is_its_own_page() {
    let paged = chips_site(3);
    paged.build();
    let page = paged.page("tags/chips/page/2/index.html");
    for needle in [
        "<title>chips, page 2 of 6 · Fixture Daily</title>",
        "<link rel=\"canonical\" href=\"https://fixture.example/tags/chips/page/2/\">",
        "<link rel=\"prev\" href=\"https://fixture.example/tags/chips/\">",
        "<link rel=\"next\" href=\"https://fixture.example/tags/chips/page/3/\">",
        "<meta property=\"og:url\" content=\"https://fixture.example/tags/chips/page/2/\">",
    ] {
        assert_contains(&page, needle);
    }
    let first = paged.page("tags/chips/index.html");
    assert_contains(&first, "<title>chips · Fixture Daily</title>");
    assert!(
        !first.contains("rel=\"prev\""),
        "page 1 has no previous page"
    );
    let last = paged.page("tags/chips/page/6/index.html");
    assert!(!last.contains("rel=\"next\""), "the last page has no next");
    assert_contains(
        &paged.page("archive/page/2/index.html"),
        "<h1 class=\"page-title\">Archive, page 2 of 2</h1>",
    );

    let sitemap = paged.page("sitemap.xml");
    for n in 2..=6 {
        assert_contains(
            &sitemap,
            &format!("<loc>https://fixture.example/tags/chips/page/{n}/</loc>"),
        );
    }
    for loc in [
        "https://fixture.example/tags/chips/",
        "https://fixture.example/outlets/tnw/page/3/",
        "https://fixture.example/archive/page/2/",
    ] {
        assert_eq!(sitemap.matches(&format!("<loc>{loc}</loc>")).count(), 1);
    }

    let whole = chips_site(1000);
    whole.build();
    assert_eq!(
        paged.page("tags/chips/atom.xml"),
        whole.page("tags/chips/atom.xml"),
        "the tag's feed does not depend on its pages"
    );
}

// A page of a tag as readers get it: the end of the stories, the first
// links, then the page links (Newer, 1 to 4, a gap, 6, Older), this one
// marked current.
#[test]
fn paginated_tag_snapshot() {
    let site = chips_site(3);
    site.build();
    insta::assert_snapshot!(
        "paginated_tag_main",
        site.main_of("tags/chips/page/2/index.html")
    );
}

// A year's archive is bounded by its days and stays one page, whatever
// `paginate` says.
#[test]
fn a_year_stays_one_page() {
    let site = chips_site(2);
    site.build();
    assert_eq!(items(&site.page("2026/index.html")).len(), 6);
    assert!(!site.exists("2026/page/2/index.html"));
    assert!(site.exists("archive/page/3/index.html"));
}
