//! The YAML reader as its callers use it: lines counted from the file,
//! unknown keys collected, values located, type errors kept per field.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::*;

#[derive(Deserialize)]
struct Front {
    #[allow(dead_code)]
    weight: Option<i64>,
}

const FILE: &str = "---\nheadline: A\nweight: abc\n---\nbody\n";

fn file() -> Arc<SourceFile> {
    SourceFile::new("content/x.md", FILE.to_owned())
}

fn front(file: &Arc<SourceFile>) -> Yaml<'_> {
    Yaml {
        file,
        text: &file.text[4..28],
        first_line: 2,
    }
}

// Type errors point at the line of the file, not the line of the YAML block.
#[test]
fn errors_count_lines_from_the_file() {
    let file = file();
    assert_eq!(front(&file).text, "headline: A\nweight: abc\n");
    let Err(d) = front(&file).parse::<Front>() else {
        panic!("`weight: abc` must not parse as an integer");
    };
    let loc = d.location.expect("a location");
    assert_eq!((loc.line, loc.column), (3, Some(9)));
    assert_eq!(loc.source_line.as_deref(), Some("weight: abc"));
}

// A key set twice is an error at the second line, naming the first, in
// a front matter and in a whole file: not a syntax error at the first.
#[test]
fn keys_set_twice_point_at_the_second() {
    #[derive(Debug, Deserialize)]
    struct Site {
        #[allow(dead_code)]
        title: String,
    }
    let file = SourceFile::new(
        "content/site.yaml",
        "# site\ntitle: First\nbase_url: x\ntitle: \"Second title\"\n".into(),
    );
    let Err(d) = Yaml::whole(&file).parse::<Site>() else {
        panic!("a key set twice must not parse");
    };
    assert_eq!(d.message, "`title` is set twice");
    let loc = d.location.expect("a location");
    assert_eq!((loc.line, loc.column, loc.width), (4, Some(1), 5));
    assert_eq!(d.label.as_deref(), Some("already set at line 2"));

    let file = SourceFile::new(
        "outlets.yaml",
        "tnw:\n  name: TNW\nft:\n  name: FT\ntnw:\n  name: again\n".into(),
    );
    let Err(d) = Yaml::whole(&file).parse::<serde_yaml::Value>() else {
        panic!("a map key set twice must not parse");
    };
    assert_eq!(d.message, "`tnw` is set twice");
    assert_eq!(d.location.map(|l| l.line), Some(5));
}

// Keys the type does not know are collected, not silently dropped, with
// their path of map keys, and located at the key.
#[test]
fn collects_unknown_keys() {
    #[derive(Deserialize)]
    struct Outlet {
        #[allow(dead_code)]
        name: String,
    }
    let file = SourceFile::new(
        "outlets.yaml",
        "tnw:\n  name: TNW\n  taglin: x\nft:\n  name: FT\n  blurb: y\n".into(),
    );
    let parsed = Yaml::whole(&file)
        .parse::<BTreeMap<String, Outlet>>()
        .expect("valid YAML");
    assert_eq!(
        parsed.unknown,
        vec![
            vec!["tnw".to_owned(), "taglin".to_owned()],
            vec!["ft".to_owned(), "blurb".to_owned()],
        ]
    );
    let d = parsed
        .spans
        .unknown_key(&parsed.unknown[0], &["name", "tagline"]);
    assert_eq!(d.message, "unknown key `taglin`");
    assert_eq!(d.label.as_deref(), Some("did you mean `tagline`?"));
    let loc = d.location.expect("a location");
    assert_eq!((loc.line, loc.column, loc.width), (3, Some(3), 6));
}

// serde_yaml's own block-relative positions are taken out of messages.
#[test]
fn strips_block_positions() {
    assert_eq!(
        strip_positions(
            "did not find expected ',' at line 5 column 1, while parsing a flow sequence at line 4 column 7"
        ),
        "did not find expected ',', while parsing a flow sequence"
    );
    assert_eq!(
        strip_positions("invalid type: sequence, expected struct ItemFront at line 1 column 1"),
        "invalid type: sequence, expected `key: value` lines"
    );
}

// A value of the wrong type is kept as an error at the value, and text is lenient.
#[test]
fn fields_keep_type_errors() {
    #[derive(Deserialize)]
    struct F {
        #[serde(default)]
        weight: Field<i64>,
        #[serde(default)]
        headline: Field<String>,
        #[serde(default)]
        tags: Field<Vec<String>>,
    }
    let file = SourceFile::new("a.md", "weight: heavy\nheadline: 2026\ntags: ai\n".into());
    let Parsed {
        value: f, spans, ..
    } = Yaml::whole(&file).parse::<F>().expect("parses");
    let mut errors = Vec::new();
    assert!(spans.field("weight", f.weight, &mut errors).is_none());
    let headline = spans.field("headline", f.headline, &mut errors);
    assert_eq!(headline.map(|h| h.value).as_deref(), Some("2026"));
    let tags = spans.field("tags", f.tags, &mut errors);
    assert_eq!(tags.map(|t| t.value), Some(vec!["ai".to_owned()]));
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].message,
        "`weight` must be a whole number, such as `10` or `-5`"
    );
    assert_eq!(errors[0].label.as_deref(), Some("found `heavy`"));
    let loc = errors[0].location.as_ref().expect("a location");
    assert_eq!((loc.line, loc.column, loc.width), (1, Some(9), 5));
}

// Values are located after the colon, so the caret sits under the value; a
// missing key is located at the block's `---` line.
#[test]
fn locates_values() {
    #[derive(Deserialize)]
    struct F {
        #[allow(dead_code)]
        weight: String,
    }
    let file = file();
    let spans = front(&file).parse::<F>().expect("parses").spans;
    let loc = spans.located(&["weight"], ()).span.location();
    assert_eq!((loc.line, loc.column, loc.width), (3, Some(9), 3));
    let missing = spans.located(&["missing"], ()).span.location();
    assert_eq!((missing.line, missing.column), (1, None));
}

// A quote never closed is reported where it opens, not at the end of the
// block where libyaml gave up; escaped and doubled quotes close nothing.
#[test]
fn unclosed_quote_is_found_where_it_opens() {
    for (text, at) in [
        (
            "---\nheadline: A\ndek: \"Here's what\ntags: [a]\n---\n",
            (3, 6),
        ),
        ("---\nheadline: 'It''s\ndek: b\n---\n", (2, 11)),
        ("---\nheadline: \"say \\\"hi\\\"\ndek: b\n---\n", (2, 11)),
        ("---\ntags:\n  - \"open\n---\n", (3, 5)),
    ] {
        let file = SourceFile::new("content/x.md", text.to_owned());
        let end = text[4..].find("---").expect("a closing fence") + 4;
        let yaml = Yaml {
            file: &file,
            text: &file.text[4..end],
            first_line: 2,
        };
        let Err(d) = yaml.parse::<serde_yaml::Value>() else {
            panic!("{text:?} must not parse");
        };
        assert_eq!(
            d.message, "invalid YAML: this quote is never closed",
            "{text:?}"
        );
        let loc = d.location.expect("a location");
        assert_eq!((loc.line, loc.column), (at.0, Some(at.1)), "{text:?}");
    }
}
