//! The plain reading of a card held to usvg's: random cards, the default
//! theme's, and what is left to usvg.

use resvg::tiny_skia::Transform;
use resvg::usvg;

use super::shapes;
use crate::render::cards::{Fonts, HEIGHT, WIDTH, indexed};

/// The fonts of the default theme, loaded as a build loads them.
fn fonts() -> Fonts {
    let mut config = crate::config::tests::config();
    config.root = env!("CARGO_MANIFEST_DIR").into();
    config.fs = crate::fs::SiteFs::new(&config.root, 64);
    let (fonts, warnings) = Fonts::load(&config);
    assert!(warnings.is_empty(), "{warnings:?}");
    fonts
}

/// The default theme's fonts and, in the site's `fonts/`, the regular
/// face of DejaVu Serif (a subset: Latin, Greek, Cyrillic, punctuation)
/// beside the theme's bold one: a family with two weights, where a
/// `font-weight` read wrong picks the other face.
fn fonts_of_two_weights() -> Fonts {
    let site = tempfile::tempdir().expect("a temporary folder");
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (from, to) in [
        (
            repo.join("themes/default/fonts"),
            site.path().join("themes/default/fonts"),
        ),
        (repo.join("tests/fixtures/fonts"), site.path().join("fonts")),
    ] {
        std::fs::create_dir_all(&to).expect("a fonts folder");
        for file in std::fs::read_dir(&from)
            .expect("fonts")
            .map(|f| f.expect("a font"))
        {
            std::fs::copy(file.path(), to.join(file.file_name())).expect("a copy");
        }
    }
    let mut config = crate::config::tests::config();
    config.root = site.path().to_owned();
    config.fs = crate::fs::SiteFs::new(&config.root, 64);
    let (fonts, warnings) = Fonts::load(&config);
    assert!(warnings.is_empty(), "{warnings:?}");
    fonts
}

/// The shapes usvg reads from `svg`, as a card is drawn without this module.
fn through_usvg(fonts: &Fonts, svg: &str) -> Option<Vec<indexed::Shape>> {
    let tree = usvg::Tree::from_str(svg, &fonts.options()).expect("an SVG");
    let scale = Transform::from_scale(
        WIDTH as f32 / tree.size().width(),
        HEIGHT as f32 / tree.size().height(),
    );
    indexed::shapes(&fonts.glyphs, &tree, scale, (WIDTH, HEIGHT))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A card laid out as the default theme's `card.svg`, with `lines` of
/// text (each its face and size) placed from `x`.
fn card(x: &str, lines: &[(&str, &str)]) -> String {
    let faces = [
        r#"font-family="DejaVu Serif" font-weight="bold" font-size="60""#,
        r#"font-family="DejaVu Sans" font-size="28""#,
        r#"font-family="DejaVu Sans" font-weight="normal" font-size="30.5""#,
        r#"font-family="DejaVu Serif" font-weight="700" font-size="17""#,
        r#"font-family="DejaVu Serif" font-size="40""#,
        r#"font-family="DejaVu Serif" font-weight="normal" font-size="33""#,
        r#"font-family="DejaVu Serif" font-weight="400" font-size="24""#,
        r#"font-family="DejaVu Serif" font-weight="600" font-size="36""#,
    ];
    let mut svg = String::from(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630">
  <rect width="1200" height="630" fill="#fbfaf8"/>
  <rect width="1200" height="14" fill="#b3261e"/>
  <rect x="80" y="180" width="96" height="4" fill="#1d1c1a"/>"##,
    );
    for (i, (face, text)) in lines.iter().enumerate() {
        let face = faces[face.len() % faces.len()];
        let y = 100 + i * 70;
        svg.push_str(&format!(
            "\n  <text x=\"{x}\" y=\"{y}\" {face} fill=\"#1d1c1a\">{}</text>",
            escape(text)
        ));
    }
    svg + "\n</svg>"
}

// Random cards in the default theme's layout, their text in Latin,
// Greek and Cyrillic letters, accents (composed and combining),
// ligatures, punctuation, digits and symbols, placed to a fraction of
// a pixel: this module reads each the way usvg does, glyph for glyph,
// to the last bit of each glyph's place; with the default theme's fonts
// and with a family of two weights, which picks its face by the
// `font-weight`.
#[test]
fn plain_cards_are_read_as_usvg_reads_them() {
    use proptest::prelude::*;

    let word = prop_oneof![
        "[A-Za-z]{1,9}",
        "[0-9]{1,4}",
        "[àéîõüçñßøÆŒ]{1,3}",
        // Marks with no precomposed letter: clusters of two glyphs or more.
        prop::sample::select(vec![
            "e\u{301}",
            "q\u{301}",
            "x\u{323}",
            "n\u{303}\u{301}",
            "Ǫ\u{30c}"
        ])
        .prop_map(str::to_owned),
        "[αβγδλωΣΩ]{1,5}",
        "[абвгджщыЯЖ]{1,6}",
        prop::sample::select(vec![
            "ffi",
            "fl",
            "AV",
            "To",
            "Wa",
            "“quoted”",
            "it’s",
            "&",
            "<b>",
            "—",
            "…",
            "€5",
            "□",
            "50%",
            "(x)",
            "a/b",
            "#1"
        ])
        .prop_map(str::to_owned),
    ];
    let line = (
        "[a-z]{0,7}",
        proptest::collection::vec(word, 1..9).prop_map(|w| w.join(" ")),
    );
    let cards = (
        prop::sample::select(vec!["80", "80.3", "0", "12.75", "-3"]),
        proptest::collection::vec(line, 1..8),
    );
    let font_sets = [
        ("the default theme's fonts", fonts()),
        ("a family of two weights", fonts_of_two_weights()),
    ];
    for (which, fonts) in font_sets {
        let read = std::cell::Cell::new(0);
        let mut runner = crate::testing::runner(64);
        runner
            .run(&cards, |(x, lines)| {
                let lines: Vec<(&str, &str)> = (lines.iter())
                    .map(|(f, t)| (f.as_str(), t.as_str()))
                    .collect();
                let svg = card(x, &lines);
                if let Some(plain) = shapes(&fonts, &svg, (WIDTH, HEIGHT)) {
                    let usvg = through_usvg(&fonts, &svg).expect("drawn into indices");
                    prop_assert_eq!(plain, usvg, "{}", svg);
                    read.set(read.get() + 1);
                }
                Ok(())
            })
            .unwrap_or_else(|e| panic!("plain cards with {which} read as usvg reads them: {e}"));
        assert!(
            read.get() >= 48,
            "{} of 64 cards with {which} were plain",
            read.get()
        );
    }
}

// The default theme's card is plain, and read as usvg reads it.
#[test]
fn the_default_card_is_plain() {
    let fonts = fonts();
    let svg = card(
        "80",
        &[
            ("", "A47"),
            ("a", "Friday, November 27, 2026"),
            ("", "OpenAI’s “o5” ships: what it means & why…"),
        ],
    );
    let plain = shapes(&fonts, &svg, (WIDTH, HEIGHT)).expect("plain");
    assert_eq!(Some(plain), through_usvg(&fonts, &svg));
}

// Whatever this module does not read as usvg would is left to usvg.
#[test]
fn anything_else_is_left_to_usvg() {
    let fonts = fonts();
    let text = |attributes: &str, content: &str| {
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><text x="80" y="100" font-family="DejaVu Sans" font-size="30" fill="#000" {attributes}>{content}</text></svg>"##
        )
    };
    assert!(shapes(&fonts, &text("", "Plain text"), (WIDTH, HEIGHT)).is_some());
    let others = [
        text(r#"text-anchor="middle""#, "Centred"),
        text(r#"transform="rotate(3)""#, "Turned"),
        text(r#"fill-opacity="0.5""#, "Faint"),
        text(r#"font-style="italic""#, "Slanted"),
        text(r#"xml:space="preserve""#, "Kept"),
        text("", "<tspan>Nested</tspan>"),
        text("", "two  spaces"),
        text("", " leading"),
        text("", "trailing "),
        text("", "a\tb"),
        text("", "line\nbreak"),
        text("", "שלום"),
        text("", "مرحبا"),
        text("", "漢字"),
        text("", "a<!-- c -->b"),
        text(r#"dx="2""#, "Shifted"),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><text x="80" y="100" font-family="serif" font-size="30" fill="#000">Generic</text></svg>"##.to_owned(),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><text x="80" y="100" font-family="DejaVu Sans, serif" font-size="30" fill="#000">List</text></svg>"##.to_owned(),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><text x="80" y="100" font-family="DejaVu Sans" font-size="30px" fill="#000">Unit</text></svg>"##.to_owned(),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><text x="80." y="100" font-family="DejaVu Sans" font-size="30" fill="#000">Dot</text></svg>"##.to_owned(),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><text x="8e1" y="100" font-family="DejaVu Sans" font-size="30" fill="#000">Exponent</text></svg>"##.to_owned(),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><text x="80" y="100" font-family="inherit" font-size="30" fill="#000">Keyword</text></svg>"##.to_owned(),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><text x="80" y="100" font-family="'DejaVu Sans'" font-size="30" fill="#000">Quoted</text></svg>"##.to_owned(),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><text x="80 90" y="100" font-family="DejaVu Sans" font-size="30" fill="#000">Places</text></svg>"##.to_owned(),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><text x="80" y="100" font-family="DejaVu Sans" font-size="30" fill="red">Named</text></svg>"##.to_owned(),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><rect width="10" height="10" rx="2" fill="#000"/></svg>"##.to_owned(),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><rect width="10.5" height="10" fill="#000"/></svg>"##.to_owned(),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><g><rect width="10" height="10" fill="#000"/></g></svg>"##.to_owned(),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 600 315"><rect width="10" height="10" fill="#000"/></svg>"##.to_owned(),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" font-size="40"><rect width="10" height="10" fill="#000"/></svg>"##.to_owned(),
        r##"<svg width="1200" height="630"><rect width="10" height="10" fill="#000"/></svg>"##.to_owned(),
    ];
    for svg in others {
        assert!(shapes(&fonts, &svg, (WIDTH, HEIGHT)).is_none(), "{svg}");
    }
}
