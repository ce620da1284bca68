//! The words' lookup order, counts and names, the theme's languages, and
//! what is said of a language or a word that is missing.

use super::*;

/// The words gazette itself says, outside the templates.
const RUST_WORDS: &[&str] = &[
    "date_full",
    "date_short",
    "date_month",
    "archive",
    "outlets",
    "tags",
    "subscribe",
    "page_title",
    "outlets_description",
    "outlet_description",
    "tags_description",
    "tag_description",
    "subscribe_description",
    "sign_up_pitch",
    "story_dek",
    "colon",
    "day_one",
    "not_found_title",
    "not_found_description",
    "moved",
    "moved_to",
    "coverage",
    "more_links",
    "read_at",
];

fn words(language: &str, files: &[(&str, &str)]) -> (Arc<Words>, Vec<Diagnostic>) {
    let dir = tempfile::tempdir().expect("a temp dir");
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    let site = SourceFile::new("content/site.yaml", format!("language: {language}\n"));
    let spans = Yaml::whole(&site)
        .parse::<HashMap<String, String>>()
        .expect("parses");
    let language = spans.spans.located(&["language"], language.to_owned());
    let fs = crate::fs::SiteFs::new(dir.path(), 10);
    let mut diagnostics = Vec::new();
    let words = load(
        dir.path(),
        &fs,
        "default",
        Some(&language),
        &mut diagnostics,
    );
    (words, diagnostics)
}

#[test]
fn the_site_over_the_theme_over_english() {
    let (words, diagnostics) = words(
        "fr-CA",
        &[
            (
                "themes/default/i18n/fr.yaml",
                "archive: Archives\ntags: Étiquettes\n",
            ),
            ("i18n/fr-CA.yaml", "tags: Mots-clics\n"),
        ],
    );
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(words.text("archive", &[]), "Archives");
    assert_eq!(words.text("tags", &[]), "Mots-clics");
    assert_eq!(words.text("outlets", &[]), "Outlets");
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("a date");
    assert_eq!(words.date(date, "%A %-d %B %Y"), "dimanche 1 mars 2026");
}

// The theme's French writes the first of a month "1er", in the filter
// and in gazette's own dates alike.
#[test]
fn the_first_of_a_month_in_french() {
    let words = theme_words("fr");
    let first = chrono::NaiveDate::from_ymd_opt(2026, 10, 1).expect("a date");
    assert_eq!(words.date(first, "full"), "jeudi 1er octobre 2026");
    assert_eq!(
        words.date(first + chrono::Days::new(1), "long"),
        "2 octobre 2026"
    );
}

/// The words of the repository's default theme in `language`.
pub(crate) fn theme_words(language: &str) -> Arc<Words> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = SourceFile::new("content/site.yaml", format!("language: {language}\n"));
    let parsed = Yaml::whole(&site)
        .parse::<HashMap<String, String>>()
        .expect("parses");
    let language = parsed.spans.located(&["language"], language.to_owned());
    let mut diagnostics = Vec::new();
    let fs = crate::fs::SiteFs::new(root, 10);
    let words = load(root, &fs, "default", Some(&language), &mut diagnostics);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    words
}

#[test]
fn a_language_with_no_words_is_said_once_at_its_line() {
    let (words, diagnostics) = words("pt-BR", &[]);
    assert_eq!(diagnostics.len(), 1);
    let text = diagnostics[0].render();
    assert!(text.contains("no words for `pt-BR`"), "{text}");
    assert!(text.contains("content/site.yaml:1"), "{text}");
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("a date");
    // The dates still speak it.
    assert_eq!(words.date(date, "%B"), "março");
}

#[test]
fn counts_and_names_fill_a_word() {
    let (words, _) = words(
        "fr",
        &[(
            "i18n/fr.yaml",
            "links_count: {one: \"{count} lien\", other: \"{count} liens\"}\nread_at: Lire sur {outlet}\n",
        )],
    );
    let none = |_: &str| None;
    assert_eq!(
        words.say("links_count", Some(0), &none).as_deref(),
        Ok("0 lien")
    );
    assert_eq!(
        words.say("links_count", Some(2), &none).as_deref(),
        Ok("2 liens")
    );
    let outlet = |name: &str| (name == "outlet").then(|| "TNW".to_owned());
    assert_eq!(
        words.say("read_at", None, &outlet).as_deref(),
        Ok("Lire sur TNW")
    );
    let missing = words.say("read_at", None, &none).expect_err("needs outlet");
    assert!(missing.contains("needs `outlet`"), "{missing}");
    let unknown = words.say("nope", None, &none).expect_err("no such word");
    assert!(unknown.contains("no word `nope`"), "{unknown}");
}

/// The `{name}`s of a word, all its forms.
fn names(word: &Word) -> std::collections::BTreeSet<String> {
    let texts = match word {
        Word::Text(text) => vec![text],
        Word::Counted { one, other } => vec![one, other],
    };
    let mut names = std::collections::BTreeSet::new();
    for text in texts {
        for part in text.split('{').skip(1) {
            if let Some((name, _)) = part.split_once('}') {
                names.insert(name.to_owned());
            }
        }
    }
    names
}

// Each language the default theme ships says every word of its
// English, with the same `{name}`s (a `{count}` may go: French says
// "Le média" for one), and no word English does not know.
#[test]
fn every_language_of_the_theme_has_every_word() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n");
    let english = built_in();
    let mut languages = 0;
    for entry in std::fs::read_dir(&dir).expect("the theme's i18n") {
        let path = entry.expect("an entry").path();
        let text = std::fs::read_to_string(&path).expect("a file");
        let file = SourceFile::new(&path, text);
        let words = Yaml::whole(&file)
            .parse::<HashMap<String, Word>>()
            .unwrap_or_else(|d| panic!("{}", d.render()))
            .value;
        let name = path.display();
        for (key, word) in &english {
            let theirs = words
                .get(key)
                .unwrap_or_else(|| panic!("{name} lacks `{key}`"));
            let mut expected = names(word);
            let found = names(theirs);
            if !found.contains("count") {
                expected.remove("count");
            }
            assert_eq!(found, expected, "{name}: the names of `{key}`");
            if key.starts_with("date_") {
                let Word::Text(format) = theirs else {
                    panic!("{name}: `{key}` counts")
                };
                assert!(
                    chrono::format::StrftimeItems::new(format).parse().is_ok(),
                    "{name}: `{key}`"
                );
            }
        }
        for key in words.keys() {
            assert!(
                english.contains_key(key),
                "{name} has `{key}`, which English lacks"
            );
        }
        languages += 1;
    }
    assert!(languages >= 2, "English and French at least");
}

// Every `trans(key="…")` and `site.words.…` of the default theme is a
// word of its English; `site.words` has the plain ones.
#[test]
fn every_word_the_theme_says_is_built_in() {
    let english = Words::english();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let mut said = 0;
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.expect("an entry");
        if !entry.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("a template");
        for part in text.split("trans(key=\"").skip(1) {
            let key = part.split('"').next().unwrap_or_default();
            assert!(english.has(key), "{}: `{key}`", entry.path().display());
            said += 1;
        }
        for part in text.split("site.words.").skip(1) {
            let key: String = (part.chars())
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            assert!(
                english.plain().any(|(plain, _)| plain == key),
                "{}: `{key}` is no plain word",
                entry.path().display()
            );
            said += 1;
        }
    }
    assert!(said > 50, "{said}");
}

#[test]
fn every_word_gazette_says_is_built_in() {
    let english = Words::english();
    for key in RUST_WORDS {
        assert!(
            english.has(key),
            "`{key}` is not in themes/default/i18n/en.yaml"
        );
    }
}
