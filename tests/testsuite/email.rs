//! The email edition's plain-text part, `email.txt`: what it carries of
//! each card and of the Markdown bodies, against `email.html`.

use crate::site_test::{SiteTest, assert_contains, assert_in_order};

// Each card of email.txt carries what email.html's does, in its order: the
// outlet's tagline, the editor's blurb in quotes signed by the editor, the
// headline, the summary, the outlet; an outlet with neither tagline nor
// blurb leaves no blank line or stray dash in its card.
#[test]
fn text_cards_carry_tagline_and_blurb() {
    let site = SiteTest::new("");
    site.write(
        "content/outlets.yaml",
        "bloomberg:\n  name: Bloomberg\n  tagline: Technology business news.\n  blurb: A financial news provider.\n  url: https://www.bloomberg.com\ntnw:\n  name: TNW\n  tagline: Opinionated AI coverage.\n  blurb: TNW's AI vertical.\n  url: https://thenextweb.com\nbare:\n  name: Bare Wire\n  url: https://bare.example\n",
    )
    .write(
        "content/2026-11-25/bare-chips.md",
        "---\nheadline: Chips, plainly\noutlet: bare\nurl: https://bare.example/chips\n---\nA wire story.\n",
    );
    site.build();
    let html = site.page("2026/11/25/email.html");
    assert_in_order(
        &html,
        &[
            "Opinionated AI coverage.",
            "“TNW&#39;s AI vertical.”",
            "— Fixture Editor",
            "SpaceX rented Colossus 1 to Anthropic",
        ],
    );
    insta::assert_snapshot!("text_cards", site.page("2026/11/25/email.txt"));
}

// A link of the editor's note or of an explainer is one of email.txt's
// numbered links, in reading order, with the UTM tags email.html gives it
// (none on a link to the site itself), never written inline.
#[test]
fn text_body_links_numbered_and_tagged() {
    let site = SiteTest::new("");
    let yaml = site.page_source("content/site.yaml");
    site.write(
        "content/site.yaml",
        &format!("{yaml}email:\n  utm_source: fx\n  utm_medium: email\n"),
    )
    .write(
        "content/2026-11-25/_issue.md",
        "---\ntitle: Wednesday\n---\nAlso worth reading: [the Memphis report](https://www.example.com/memphis?id=7).\n",
    )
    .write(
        "content/2026-11-25/colossus.md",
        "---\nkind: story\nheadline: SpaceX leases Colossus 1\n---\nMore in [the filing](https://www.sec.gov/filing/123) and [the archive](/archive/).\n",
    );
    site.build();
    let tags = "utm_source=fx&utm_medium=email&utm_campaign=2026-11-25";
    let html = site.page("2026/11/25/email.html");
    for href in [
        format!("https://www.example.com/memphis?id=7&{tags}"),
        format!("https://www.sec.gov/filing/123?{tags}"),
        "https://fixture.example/archive/".to_owned(),
    ] {
        assert_contains(&html, &format!("href=\"{}\"", href.replace('&', "&amp;")));
    }
    let text = site.page("2026/11/25/email.txt");
    assert!(!text.contains('<'), "a link written inline:\n{text}");
    assert_in_order(
        &text,
        &[
            "Also worth reading: the Memphis report [1].",
            "SpaceX leases Colossus 1 [2]",
            "More in the filing [3] and the archive [4].",
            "SpaceX Rented Out Computing [5]",
            &format!("[1] https://www.example.com/memphis?id=7&{tags}\n"),
            "[2] https://fixture.example/2026/11/25/colossus/\n",
            &format!("[3] https://www.sec.gov/filing/123?{tags}\n"),
            "[4] https://fixture.example/archive/\n",
            "[5] https://www.bloomberg.com/news/articles/colossus?",
        ],
    );
}

// A blockquote of an explainer is marked as a quotation in email.txt, `> `
// on each of its lines, as plain-text mail quotes; the prose after it is not.
#[test]
fn text_blockquote_marked() {
    let site = SiteTest::new("");
    site.write(
        "content/2026-11-25/colossus.md",
        "---\nkind: story\nheadline: SpaceX leases Colossus 1\n---\n## What happened\n\n> \"We could not make it work,\" one engineer said, on the day SpaceX chose to rent Colossus 1 out.\n\nIt happened.\n",
    );
    site.build();
    assert_contains(
        &site.main_of("2026/11/25/colossus/index.html"),
        "<blockquote>",
    );
    assert_contains(
        &site.page("2026/11/25/email.txt"),
        "WHAT HAPPENED\n\n> “We could not make it work,” one engineer said, on the day SpaceX\n> chose to rent Colossus 1 out.\n\nIt happened.\n",
    );
}

// A site's own `email.txt` written before links were numbered prints the
// note and explainers, `[n]` marks and all, but no list for the numbers to
// refer to: the build says so at the line, and the default theme's, which
// lists them, says nothing.
#[test]
fn an_email_txt_without_its_list_of_links_is_named() {
    let site = SiteTest::new("");
    let run = site.build();
    assert!(!run.stderr.contains("page.links"), "{}", run.stderr);
    site.write(
        "templates/email.txt",
        "{{ site.title }}\n{{ page.note_text }}\n{% for story in page.stories %}{{ story.content_text }}{% endfor %}\n",
    );
    let run = site.build();
    assert_contains(
        &run.stderr,
        "warning: `templates/email.txt` prints the note or the explainers, whose links are numbered `[n]`, but never the list of them, `page.links`\n --> templates/email.txt:2",
    );
}
