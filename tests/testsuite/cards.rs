//! Social cards: a 1200×630 PNG for every issue and story, drawn from the
//! theme's `card.svg`, linked as `og:image`, redrawn only when it changes.

use crate::site_test::{SiteTest, assert_contains};

const STORY: &str = "content/2026-11-25/colossus.md";
const CARD: &str = "2026/11/25/colossus/card.png";
/// The default card's background, `#fbfaf8`.
const PAPER: [u8; 3] = [0xfb, 0xfa, 0xf8];

/// Width, height and RGB rows of a PNG.
fn decode(bytes: &[u8]) -> (u32, u32, Vec<[u8; 3]>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    // As a browser does: a palette's indices become the colours they name.
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buffer = vec![0; reader.output_buffer_size().expect("a size")];
    let frame = reader.next_frame(&mut buffer).expect("a frame");
    let channels = frame.color_type.samples();
    let pixels = buffer[..frame.buffer_size()]
        .chunks_exact(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    (frame.width, frame.height, pixels)
}

/// The card of the story, its headline and dek replaced.
fn card_with(headline: &str, dek: &str) -> (SiteTest, Vec<u8>, String) {
    let site = SiteTest::new("");
    let text = site.page_source(STORY);
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for line in &mut lines {
        if line.starts_with("headline:") {
            *line = format!(
                "headline: {}",
                serde_json::to_string(headline).expect("JSON")
            );
        } else if line.starts_with("dek:") {
            *line = format!("dek: {}", serde_json::to_string(dek).expect("JSON"));
        }
    }
    site.write(STORY, &(lines.join("\n") + "\n"));
    let run = site.build();
    let png = std::fs::read(site.root().join("public").join(CARD)).expect("the card");
    (site, png, run.stderr)
}

// Every issue and story page names its card as an absolute og:image, with
// the large-image Twitter card; the card is a 1200×630 PNG that decodes.
#[test]
fn issues_and_stories_have_cards() {
    let site = SiteTest::new("");
    site.build();
    for page in [
        "2026/11/25/index.html",
        "2026/11/25/colossus/index.html",
        "index.html",
    ] {
        let html = site.page(page);
        let start = html
            .find("<meta property=\"og:image\" content=\"")
            .expect("og:image")
            + 35;
        let url = &html[start..start + html[start..].find('"').expect("its end")];
        let path = url
            .strip_prefix("https://fixture.example/")
            .unwrap_or_else(|| panic!("{page}: og:image `{url}` is not absolute on the site"));
        let (width, height, _) =
            decode(&std::fs::read(site.root().join("public").join(path)).expect("it resolves"));
        assert_eq!((width, height), (1200, 630), "{path}");
        assert_contains(
            &html,
            "<meta name=\"twitter:card\" content=\"summary_large_image\">",
        );
    }
    // An entry page has none: it is someone else's article.
    assert_contains(
        &site.page("2026/11/25/tnw-colossus/index.html"),
        "<meta name=\"twitter:card\" content=\"summary\">",
    );
}

// Headlines that do not fit, in Japanese, with emoji or markup: each card
// is 1200×630 with nothing drawn in its right margin (text is cut, not
// overflowed), the markup is drawn as text, and a character no font has is
// reported.
#[test]
fn hard_headlines_stay_inside_the_card() {
    let long = "Regulators on three continents weigh rules for frontier models while ".repeat(5);
    let cases = [
        (
            long.trim(),
            "A dek that is itself long enough to need a second line, and then some more words to cut.",
        ),
        (
            "東京の新しいデータセンターが人工知能の計算需要に応える",
            "日本語の見出し",
        ),
        ("Launch day 🚀🔥 for the new model", "Emoji 🎉"),
        (
            "<script>alert(1)</script> & \"quotes\"",
            "</text><text x=\"1190\">escape",
        ),
    ];
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/card-shots");
    std::fs::create_dir_all(&shots).expect("mkdir");
    for (n, (headline, dek)) in cases.iter().enumerate() {
        let (_site, png, stderr) = card_with(headline, dek);
        std::fs::write(shots.join(format!("card-{n}.png")), &png).expect("keep it to look at");
        let (width, height, pixels) = decode(&png);
        assert_eq!((width, height), (1200, 630), "{headline}");
        // Below the top band, the 75 px at the right are the paper alone.
        let inked = (14..630)
            .flat_map(|y| (1125..1200).map(move |x| (x, y)))
            .filter(|&(x, y)| pixels[(y * 1200 + x) as usize] != PAPER)
            .count();
        assert_eq!(inked, 0, "text beyond the right margin for {headline:?}");
        // Text was drawn: the headline's rows hold dark pixels.
        let dark = pixels[200 * 1200..480 * 1200]
            .iter()
            .filter(|p| p[0] < 80)
            .count();
        assert!(dark > 2000, "no headline drawn for {headline:?}");
        let lacks_glyphs = !headline.is_ascii() || !dek.is_ascii();
        assert_eq!(
            stderr.contains(
                "warning[card-glyphs]: the social card `2026/11/25/colossus/card.png` shows"
            ),
            lacks_glyphs,
            "{stderr}"
        );
    }
}

// The card changes when its headline changes, and only then: an edit to an
// entry leaves it as it was, and the build reuses last build's PNG rather
// than drawing it again.
#[test]
fn cards_are_drawn_again_only_when_they_change() {
    let site = SiteTest::new("");
    site.build();
    let card = site.root().join("public").join(CARD);
    let first = std::fs::read(&card).expect("the card");
    // Mark last build's card: a card drawn again would lose the mark.
    let mut marked = first.clone();
    let at = marked.len() / 2;
    marked[at] ^= 0xff;
    std::fs::write(&card, &marked).expect("mark");
    let entry = "content/2026-11-25/tnw-colossus.md";
    site.write(entry, &(site.page_source(entry) + "\nOne more sentence.\n"));
    site.build();
    assert_eq!(
        std::fs::read(&card).expect("the card"),
        marked,
        "the card was drawn again"
    );

    let text = site.page_source(STORY);
    site.write(STORY, &text.replacen("headline: ", "headline: Updated ", 1));
    site.build();
    let redrawn = std::fs::read(&card).expect("the card");
    assert_ne!(redrawn, marked);
    assert_ne!(redrawn, first, "a new headline, the same card");
}

// `social_cards: false`: no card, no og:image, the small Twitter card.
#[test]
fn cards_can_be_turned_off() {
    let site = SiteTest::new("");
    let yaml = site.page_source("content/site.yaml");
    site.write("content/site.yaml", &format!("{yaml}social_cards: false\n"));
    site.build();
    assert!(!site.exists(CARD) && !site.exists("2026/11/25/card.png"));
    let html = site.page("2026/11/25/colossus/index.html");
    assert!(!html.contains("og:image"));
    assert_contains(&html, "<meta name=\"twitter:card\" content=\"summary\">");
}

// A site's own `templates/card.svg` that makes broken SVG is the file the
// error names, not the theme's, which is untouched; public/ stays as it was.
#[test]
fn a_broken_card_override_is_named() {
    let site = SiteTest::new("");
    site.build();
    let built = site.output_files();
    site.write(
        "templates/card.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\"><text>{{ page.headline }}</svg>\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_contains(&run.stderr, "cannot draw the social card");
    assert_contains(&run.stderr, "--> templates/card.svg\n");
    assert!(
        !run.stderr.contains("themes/default/templates/card.svg"),
        "{}",
        run.stderr
    );
    assert_eq!(site.output_files(), built);
}

// An issue's card shows its lead story, as the story's own card does: the
// two are the same picture (drawn once), until the story's words change,
// when both follow.
#[test]
fn an_issue_card_is_its_lead_storys() {
    let issue_card = "public/2026/11/25/card.png";
    let (site, png, _) = card_with("Colossus grows again", "The dek of the day");
    let issue = std::fs::read(site.root().join(issue_card)).expect("the issue's card");
    assert!(
        png == issue,
        "the issue's card differs from its lead story's"
    );
    let (site, other, _) = card_with("Another headline entirely", "The dek of the day");
    let other_issue = std::fs::read(site.root().join(issue_card)).expect("the issue's card");
    assert!(
        other == other_issue,
        "the issue's card differs from its lead story's"
    );
    assert!(other != png, "a new headline left the card as it was");
}

// A `card.svg` of a designer's own is drawn as written: an image given as a
// `data:` URI (a logo) is on the card, and text in a family no font of
// `fonts/` has (`Helvetica`) is drawn in one that is there. Both used to be
// left out without a word: a blank square, an empty card.
#[test]
fn a_cards_images_and_unknown_fonts_are_drawn() {
    use base64::Engine as _;
    let mut red = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut red, 8, 8);
        encoder.set_color(png::ColorType::Rgb);
        let mut writer = encoder.write_header().expect("a header");
        writer
            .write_image_data(&[255, 0, 0].repeat(64))
            .expect("the pixels");
    }
    let uri = base64::engine::general_purpose::STANDARD.encode(&red);
    let site = SiteTest::new("");
    site.write(
        "templates/card.svg",
        &format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\">\
             <rect width=\"1200\" height=\"630\" fill=\"#ffffff\"/>\
             <image x=\"0\" y=\"0\" width=\"100\" height=\"100\" href=\"data:image/png;base64,{uri}\"/>\
             <text x=\"40\" y=\"400\" font-family=\"Helvetica, sans-serif\" font-size=\"120\" fill=\"#000000\">{{{{ page.headline }}}}</text></svg>\n"
        ),
    );
    site.build();
    let png = std::fs::read(site.root().join("public").join(CARD)).expect("the card");
    let (width, _, pixels) = decode(&png);
    assert_eq!(pixels[50 * width as usize + 50], [255, 0, 0], "the image");
    let text = &pixels[300 * width as usize..420 * width as usize];
    let dark = text.iter().filter(|p| p.iter().all(|&c| c < 64)).count();
    assert!(dark > 1000, "the headline: {dark} dark pixels");
}

// `card_lines` breaks a headline between words and keeps every word and
// every space: a word carried to the next line kept its space before the
// next word, which was dropped ("data center" drawn "datacenter" on the
// sample site's own card).
#[test]
fn card_lines_keep_every_space() {
    let site = SiteTest::new("");
    let headlines = [
        "SpaceX leases Colossus 1 data center to Anthropic amid AI infrastructure challenges",
        "SpaceX leases Colossus 1 data centers to Anthropic amid AI infrastructure challenges",
        "A quantum lab opens in Zürich as the chip makers of three continents look on",
    ];
    let calls: String = (headlines.iter().enumerate())
        .map(|(i, h)| {
            format!(
                "<!--L{i}[{{{{ \"{h}\" | card_lines(size=60, width=1040, lines=4, family=\"DejaVu Serif\", bold=true) | join(sep=\"|\") }}}}]-->"
            )
        })
        .collect();
    let not_found = site.page_source("themes/default/templates/404.html");
    site.write(
        "templates/404.html",
        &not_found.replacen("{% block main %}", &format!("{{% block main %}}{calls}"), 1),
    );
    site.build();
    let page = site.page("404.html");
    for (i, headline) in headlines.iter().enumerate() {
        let start = page.find(&format!("<!--L{i}[")).expect("the lines") + 6 + i.to_string().len();
        let lines: Vec<&str> = page[start..]
            .split("]-->")
            .next()
            .expect("an end")
            .split('|')
            .collect();
        assert!(lines.len() > 1, "{headline}: {lines:?}");
        assert_eq!(lines.join(" "), *headline, "{lines:?}");
    }
}

// `card-glyphs` is a warning `check.allow` can silence, as the README says.
#[test]
fn missing_card_glyphs_can_be_allowed() {
    let (site, _, stderr) = card_with("東京の新しいモデル", "");
    assert_contains(&stderr, "warning[card-glyphs]");
    let yaml = site.page_source("content/site.yaml");
    site.write(
        "content/site.yaml",
        &format!("{yaml}\ncheck:\n  allow: [duplicate-url, card-glyphs]\n"),
    );
    for args in [&["build"][..], &["check"]] {
        let run = site.run(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(
            !run.stderr.contains("card-glyphs"),
            "{args:?}: {}",
            run.stderr
        );
    }
}
