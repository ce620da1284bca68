//! Markdown as flat text, for summaries and search, cut at a word for
//! cards (the plain-text email's wrapped paragraphs are in
//! [`email_text`](super::email_text)).
//!
//! Takes the parser's events and returns text; no HTML is written here.

use pulldown_cmark::{Event, Tag, TagEnd};

/// The prose of a document on one line, for summaries, descriptions and
/// search: code blocks, tables and images are left out (a summary that
/// reads "…short: for obs in stream: action = …" or runs an image's alt
/// text into the next sentence reads as neither); inline code stays.
pub(super) fn plain_text(events: &[Event<'_>]) -> String {
    let mut flat = String::new();
    // A space is owed before the next word.
    let mut space = false;
    // Inside a code block, table or image: how deep.
    let mut skipped = 0usize;
    for event in events {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::Table(_) | Tag::Image { .. }) => skipped += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Table | TagEnd::Image) => {
                skipped = skipped.saturating_sub(1);
                space = true;
            }
            _ if skipped > 0 => {}
            Event::Text(t) | Event::Code(t) => push_flat(&mut flat, t, &mut space),
            Event::SoftBreak | Event::HardBreak => space = true,
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => space = true,
            _ => {}
        }
    }
    flat
}

/// Appends `text` to `flat`, each run of whitespace (as `char::is_whitespace`
/// has it) one space and none first: as if the texts were joined and then
/// split on whitespace and joined with spaces, in one pass. `space`: a
/// space is owed before the next word; text that starts with none runs on
/// from the word before.
fn push_flat(flat: &mut String, text: &str, space: &mut bool) {
    let bytes = text.as_bytes();
    let mut word: Option<usize> = None;
    let push = |flat: &mut String, word: &str, space: &mut bool| {
        if *space && !flat.is_empty() {
            flat.push(' ');
        }
        *space = false;
        flat.push_str(word);
    };
    let mut i = 0;
    while i < bytes.len() {
        let (white, len) = match bytes[i] {
            b if b.is_ascii() => (matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'), 1),
            _ => text[i..]
                .chars()
                .next()
                .map_or((false, 1), |c| (c.is_whitespace(), c.len_utf8())),
        };
        match (white, word) {
            (true, Some(start)) => {
                push(flat, &text[start..i], space);
                word = None;
                *space = true;
            }
            (true, None) => *space = true,
            (false, None) => word = Some(i),
            (false, Some(_)) => {}
        }
        i += len;
    }
    if let Some(start) = word {
        push(flat, &text[start..], space);
    }
}

/// `text` cut to at most `limit` characters at a word boundary, with "…";
/// unchanged when it fits or `limit` is 0.
pub fn truncate(text: &str, limit: usize) -> String {
    // Only the first `limit` characters are looked at, however long the text.
    let cut = match text.char_indices().nth(limit) {
        Some((end, _)) if limit > 0 => &text[..end],
        _ => return text.to_owned(),
    };
    let cut = match cut.rfind(char::is_whitespace) {
        Some(space) if space > cut.len() / 2 => &cut[..space],
        _ => cut,
    };
    format!(
        "{}…",
        cut.trim_end_matches(|c: char| c.is_whitespace() || ",;:-–—".contains(c))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{Html, render};

    // Whitespace made flat in one pass, as splitting the joined texts on
    // whitespace and joining the words with spaces does: ASCII and other
    // whitespace, runs of it, at either end, and words run across texts.
    #[test]
    fn flat_text_as_split_and_joined() {
        use proptest::prelude::*;

        let piece = prop_oneof![
            Just(" "),
            Just("\t"),
            Just("\n"),
            Just("\u{b}"),
            Just("\u{a0}"),
            Just("\u{3000}"),
            Just("\u{85}"),
            Just("\u{1c}"),
            Just("a"),
            Just("é"),
            Just("日本"),
            Just("x-y"),
        ];
        let texts = proptest::collection::vec(proptest::collection::vec(piece, 0..8), 0..5);
        let mut runner = crate::testing::runner(512);
        runner
            .run(&texts, |texts| {
                let texts: Vec<String> = texts.iter().map(|t| t.concat()).collect();
                let mut flat = String::new();
                let mut space = false;
                for text in &texts {
                    push_flat(&mut flat, text, &mut space);
                }
                let joined = texts.concat();
                let expected = joined.split_whitespace().collect::<Vec<_>>().join(" ");
                prop_assert_eq!(flat, expected);
                Ok(())
            })
            .expect("flat as split and joined");
    }

    // Plain text joins words across lines and markup.
    #[test]
    fn plain_text_is_flat() {
        let r = render("Hello *big*\nworld.\n\nNext `code` here.", Html::Sanitised);
        assert_eq!(r.text, "Hello big world. Next code here.");
    }

    // A summary reads as prose: a code block, a table and an image are left
    // out rather than run into the sentences around them; inline code stays.
    #[test]
    fn plain_text_leaves_out_code_tables_and_images() {
        let r = render(
            "Their loop is short:\n\n```python\nfor obs in stream:\n    act(obs)\n```\n\nIt runs `act` fast. ![A soft gripper holding a tomato](g.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nThe end.",
            Html::Sanitised,
        );
        assert_eq!(r.text, "Their loop is short: It runs act fast. The end.");
    }

    // Truncation cuts at a word and adds one ellipsis.
    #[test]
    fn truncates_at_words() {
        assert_eq!(truncate("one two three", 9), "one two…");
        assert_eq!(truncate("one two", 0), "one two");
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("exactly ten", 11), "exactly ten");
        assert_eq!(truncate("déjà vu encore", 8), "déjà vu…");
    }
}
