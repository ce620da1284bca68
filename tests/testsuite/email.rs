//! The email edition's plain-text part, `email.txt`: what it carries of
//! each card and of the Markdown bodies, against `email.html`.

use crate::site_test::{SiteTest, assert_in_order};

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
