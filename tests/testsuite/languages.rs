//! A site in another language than English: the theme's words and the
//! dates of its pages in that language (`i18n/<language>.yaml`), the
//! site's own words over the theme's, and what is said when a word or a
//! language is missing.

use crate::common::free_port;
use crate::serve::server::{get, start, wait_for};
use crate::site_test::{SiteTest, assert_contains};

/// The base fixture with `language:` set.
fn site_in(language: &str) -> SiteTest {
    let site = SiteTest::new("");
    let yaml = site.page_source("content/site.yaml");
    site.write(
        "content/site.yaml",
        &format!("{yaml}language: {language}\n"),
    );
    site
}

/// Words of the default theme's English that a French page must not show.
const ENGLISH: &[&str] = &[
    "Read at",
    "From the issue of",
    "Latest issue",
    "min read",
    "Skip to content",
    ">Archive<",
    ">Tags<",
    "Permalink",
    "Browse the archive",
    "Older issue",
    "Newer issue",
    " link",
    "Part of",
    "November",
    "Wednesday",
];

// `language: fr` puts the default theme, gazette's own titles and every
// date in French: the home page, an issue, an entry, a story, the lists,
// the 404 page, the page left at an alias, the email edition, and
// search's words in `data-words`.
#[test]
fn a_french_site_says_its_words_and_dates_in_french() {
    let site = site_in("fr");
    let chips = site.page_source("content/2026-11-24/tnw-chips.md");
    site.write(
        "content/2026-11-24/tnw-chips.md",
        &chips.replacen("---\n", "---\naliases: [/2026/11/24/old-chips/]\n", 1),
    );
    let run = site.build();
    assert!(!run.stderr.contains("no words"), "{}", run.stderr);
    let moved = site.page("2026/11/24/old-chips/index.html");
    assert_contains(&moved, "<title>Page déplacée · ");
    assert_contains(&moved, "<p>Cette page a été déplacée vers <a href=\"");

    let home = site.page("index.html");
    assert_contains(&home, "<span>Dernier numéro</span>");
    assert_contains(&home, "Mercredi 25 novembre 2026</time>");
    assert_contains(&home, "Aller au contenu");
    let entry = site.page("2026/11/25/tnw-colossus/index.html");
    assert_contains(&entry, "Lire sur TNW <span");
    assert_contains(&entry, ">25 novembre 2026</time>");
    assert_contains(
        &entry,
        "Paru dans le numéro du mercredi 25 novembre 2026</a>",
    );
    assert_contains(&entry, "Étiquettes\u{a0}:</span>");
    // French quotes and a no-break space before a colon, the feed's too.
    assert_contains(&entry, "<p>«\u{a0}");
    assert_contains(
        &site.page("outlets/tnw/index.html"),
        "\u{a0}: TNW (Atom)\">",
    );
    let story = site.page("2026/11/25/colossus/index.html");
    assert_contains(&story, "Retour au numéro du mercredi 25 novembre 2026");
    assert_contains(&site.page("archive/index.html"), ">Novembre 2026</a>");
    assert_contains(&site.page("outlets/index.html"), "<title>Médias · ");
    assert_contains(&site.page("404.html"), "<title>Page introuvable · ");
    for rel in [
        "index.html",
        "2026/11/25/index.html",
        "2026/11/25/tnw-colossus/index.html",
        "2026/11/25/colossus/index.html",
        "archive/index.html",
        "outlets/index.html",
        "outlets/tnw/index.html",
        "tags/index.html",
        "404.html",
        "2026/11/25/email.html",
    ] {
        let main = site.page(rel);
        let body = &main[main.find("<body").expect("a body")..];
        for english in ENGLISH {
            assert!(!body.contains(english), "{rel} says `{english}`");
        }
    }
    // The feeds, whose issue content and entries gazette writes itself.
    for rel in ["atom.xml", "feed.xml", "feed.json", "tags/chips/atom.xml"] {
        let feed = site.page(rel);
        for english in ["Read at", "Coverage", "More links"] {
            assert!(!feed.contains(english), "{rel} says `{english}`");
        }
    }
    assert_contains(&site.page("atom.xml"), "Couverture");
    assert_contains(&site.page("tags/chips/atom.xml"), "Lire sur TNW");
    let text = site.page("2026/11/25/email.txt");
    assert_contains(&text, "Voir dans le navigateur\u{a0}: ");
    assert!(!text.contains("View in browser"), "{text}");

    // search.js reads its words from the page; an English page has none.
    let words = home
        .split("data-words=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("data-words");
    let words: serde_json::Value =
        serde_json::from_str(&words.replace("&quot;", "\"")).expect("JSON");
    assert_eq!(words["search"], "Rechercher");
    assert_eq!(words["search_count_other"], "{count} résultats");
    let english = SiteTest::new("");
    english.build();
    assert!(!english.page("index.html").contains("data-words"));
}

// The site's `i18n/fr.yaml` changes the words it writes and keeps the
// theme's others; a template that asks for a word nobody has, or leaves
// out a name the word needs, fails at its line, saying which.
#[test]
fn the_sites_own_words_win_and_a_missing_one_is_an_error_at_its_line() {
    let site = site_in("fr");
    site.write("i18n/fr.yaml", "read_at: \"À lire chez {outlet}\"\n");
    site.build();
    let entry = site.page("2026/11/25/tnw-colossus/index.html");
    assert_contains(&entry, "À lire chez TNW <span");
    assert_contains(&entry, "Paru dans le numéro du");

    // One error per page, as Tera stops at the first: two pages, two errors.
    for (name, call) in [
        ("404.html", "trans(key=\"gone_fishing\")"),
        ("tags.html", "trans(key=\"read_at\")"),
    ] {
        let theirs = site.page_source(&format!("themes/default/templates/{name}"));
        let with_call = theirs.replacen(
            "{% block main %}",
            &format!("{{% block main %}}\n<p>{{{{ {call} }}}}</p>"),
            1,
        );
        site.write(&format!("templates/{name}"), &with_call);
    }
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(&run.stderr, "no word `gone_fishing`");
    assert_contains(&run.stderr, "templates/404.html:4");
    assert_contains(
        &run.stderr,
        "the word `read_at` (\"À lire chez {outlet}\") needs `outlet`",
    );
    assert_contains(&run.stderr, "templates/tags.html:4");
}

// A language no file has words for is said at its line, once; its dates
// still name months in it, and the pages are made.
#[test]
fn a_language_without_words_is_said_and_its_dates_still_speak_it() {
    let site = site_in("pt-BR");
    let run = site.build();
    assert_contains(&run.stderr, "no words for `pt-BR`");
    assert_contains(&run.stderr, "content/site.yaml:");
    assert_contains(&run.stderr, "i18n/pt.yaml");
    assert_eq!(
        run.stderr.matches("no words for").count(),
        1,
        "{}",
        run.stderr
    );
    assert_contains(
        &site.page("2026/11/25/tnw-colossus/index.html"),
        ">novembro 25, 2026</time>",
    );
}

// An edit of the site's words while `serve` runs shows on the pages.
#[test]
fn serve_follows_an_edit_of_the_words() {
    let site = site_in("fr");
    site.write("i18n/fr.yaml", "read_at: \"Lire chez {outlet}\"\n");
    let port = free_port();
    let _server = start(&site, port);
    let page =
        |needle: &'static str| move || get(port, "/2026/11/25/tnw-colossus/").2.contains(needle);
    wait_for(page("Lire chez TNW"), "the site's word");
    site.write("i18n/fr.yaml", "read_at: \"Chez {outlet}\"\n");
    wait_for(page("Chez TNW <span"), "the site's word, edited");
    site.remove("i18n/fr.yaml");
    wait_for(page("Lire sur TNW"), "the theme's word");
}

// What a translator mistypes in the site's `i18n/fr.yaml` is said at its
// line, all in one run, and the build stops before it writes: a date
// format that is none (it crashed the build), a name the word does not
// have (the page said `page_title`), a word that counts written as one
// text, a brace that opens no name, and a key no template says, with the
// word it likely meant.
#[test]
fn mistakes_in_the_sites_words_are_said_at_their_line() {
    let site = site_in("fr");
    site.write(
        "i18n/fr.yaml",
        "date_full: \"%A %Q\"\npage_title: \"{title}, page {numero}\"\nlinks_count: \"{count} liens\"\nby_editor: \"Par {editor\"\nread_att: \"Chez {outlet}\"\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (said, line) in [
        ("`date_full` is no date format", 1),
        ("`{numero}` is no name of `page_title`", 2),
        ("`links_count` counts", 3),
        ("`by_editor` has a brace that is no `{name}`", 4),
        ("no template of gazette or the theme says `read_att`", 5),
    ] {
        assert_contains(&run.stderr, said);
        assert_contains(&run.stderr, &format!("i18n/fr.yaml:{line}:"));
    }
    assert_contains(&run.stderr, "did you mean `read_at`?");
    assert!(!site.exists("index.html"), "nothing is written");

    // Named `.yml`, the file is read too.
    site.remove("i18n/fr.yaml");
    site.write("i18n/fr.yml", "archive: Les archives\n");
    site.build();
    assert_contains(&site.page("index.html"), ">Les archives</a>");
}

// `gazette new story` on a French site writes the dek in French and a
// heading for each section the site's `check:` asks for.
#[test]
fn a_new_story_is_written_in_the_sites_words() {
    let site = site_in("fr");
    let yaml = site.page_source("content/site.yaml");
    site.write(
        "content/site.yaml",
        &format!("{yaml}check:\n  sections: [Les faits, Le contexte, À retenir]\n"),
    );
    let run = site.run(&["new", "story", "Des robots plient le linge"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = site.page_source("content/2026-11-26/des-robots-plient-le-linge.md");
    assert_contains(&written, "dek: \"Ce que cela change pour vous.\"\n");
    assert_contains(
        &written,
        "## Les faits\n\n\n## Le contexte\n\n\n## À retenir\n\n",
    );
    assert!(!written.contains("What happened"), "{written}");
}
