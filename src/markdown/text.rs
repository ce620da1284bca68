//! Markdown as plain text: flat for summaries and search, in wrapped
//! paragraphs for the plain-text email, cut at a word for cards.
//!
//! Takes the parser's events (or a document, and the same [`Html`] policy
//! as [`render`](super::render), so that the email's text links only what
//! the page does) and returns text; no HTML is written here.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{Html, Links, events, link_events};

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

/// Where a link was in a block of [`Text`], to be followed by its number.
/// Never the document's own: its U+0000 is written as U+FFFD, as CommonMark
/// has it.
const MARK: char = '\0';

/// Markdown as the plain-text email writes it, before its links are
/// numbered: the blocks, unwrapped, and the links in reading order.
///
/// The numbers are the email's: the links of the editor's note, of each
/// explainer and of the entries are counted through the whole email, so
/// [`Text::render`] asks for each link's number and only then wraps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    blocks: Vec<Block>,
    links: Vec<TextLink>,
}

/// A link of a [`Text`]: what it reads and where it leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextLink {
    /// The link's text; an image's alt text, or `image` when it has none.
    pub title: String,
    /// The address, as the document's links were mapped.
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Block {
    /// The block's text, a [`MARK`] after each link.
    text: String,
    /// Code and tables: kept line for line, never wrapped.
    verbatim: bool,
    /// How many blockquotes it is in: each line gets a `> ` for each.
    quote: usize,
}

impl Text {
    /// The links, in reading order.
    pub fn links(&self) -> &[TextLink] {
        &self.links
    }

    /// The text, each link followed by ` [n]`, `n` what `number` gives for
    /// it (asked once a link, in reading order); paragraphs apart, prose
    /// wrapped at `width` columns, quotations marked `> ` as plain-text mail
    /// marks them (the line between two paragraphs of one quotation too).
    pub fn render(&self, width: usize, number: impl FnMut(&TextLink) -> usize) -> String {
        let mut numbers = self
            .links
            .iter()
            .map(number)
            .collect::<Vec<_>>()
            .into_iter();
        let mut out = String::new();
        let mut quote_before = None;
        for block in &self.blocks {
            let mut text = String::with_capacity(block.text.len() + 8);
            for c in block.text.chars() {
                if c != MARK {
                    text.push(c);
                } else if let Some(n) = numbers.next() {
                    text.push_str(&format!(" [{n}]"));
                }
            }
            let text = match block.verbatim {
                true => text,
                false => wrap(&text, width.saturating_sub(2 * block.quote)),
            };
            if let Some(before) = quote_before {
                out.push('\n');
                out.push_str(&quoted("", block.quote.min(before)));
                out.push('\n');
            }
            let lines: Vec<String> = text.lines().map(|l| quoted(l, block.quote)).collect();
            out.push_str(&lines.join("\n"));
            quote_before = Some(block.quote);
        }
        out
    }
}

/// `line` after `quote` marks `> `, with no space left at its end.
fn quoted(line: &str, quote: usize) -> String {
    let quoted = format!("{}{line}", "> ".repeat(quote));
    match line.is_empty() {
        true => quoted.trim_end().to_owned(),
        false => quoted,
    }
}

/// `markdown` as plain text on its own: [`to_text_linked`] with the links
/// as written, numbered from 1 and listed after the text.
pub fn to_text(markdown: &str, width: usize, policy: Html) -> String {
    let text = to_text_linked(markdown, policy, super::AS_WRITTEN);
    let mut list: Vec<String> = Vec::new();
    let mut out = text.render(width, |link| {
        list.push(format!("[{}] {}", list.len() + 1, link.url));
        list.len()
    });
    if !list.is_empty() {
        out.push_str("\n\n");
        out.push_str(&list.join("\n"));
    }
    out
}

/// `markdown` as plain text for the plain-text email: paragraphs apart,
/// headings in capitals, list items with `-`, each link and image marked
/// for its number, code and tables kept as lines indented by four,
/// quotations marked. Links
/// are those that [`render`](super::render) keeps under `policy`, mapped by
/// `links`.
pub fn to_text_linked(markdown: &str, policy: Html, links: Links<'_>) -> Text {
    let mut text = Text::default();
    let mut current = String::new();
    let mut heading = false;
    let mut code = false;
    // The links being read, innermost last: where the link's text starts
    // in `current`, and its address; none inside an image's alt text,
    // which has no links.
    let mut link: Vec<Option<(usize, String)>> = Vec::new();
    // Where the alt text of the image being read starts in `current`, and
    // the image's address.
    let mut image: Option<(usize, String)> = None;
    // The rows of the table being read.
    let mut table: Vec<String> = Vec::new();
    // How many blockquotes the reading is in.
    let mut quote = 0usize;
    let flush = |current: &mut String, blocks: &mut Vec<Block>, quote: usize| {
        let block = current.trim();
        if !block.is_empty() {
            blocks.push(Block {
                text: block.to_owned(),
                verbatim: false,
                quote,
            });
        }
        current.clear();
    };
    for event in link_events(events(markdown, policy).0, links).0 {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = true,
            Event::End(TagEnd::Heading(_)) => {
                heading = false;
                flush(&mut current, &mut text.blocks, quote);
            }
            Event::Start(Tag::Item) => current.push_str("- "),
            Event::Start(Tag::CodeBlock(_)) => code = true,
            Event::End(TagEnd::CodeBlock) => {
                code = false;
                let indented: Vec<String> = current.lines().map(|l| format!("    {l}")).collect();
                text.blocks.push(Block {
                    text: indented.join("\n"),
                    verbatim: true,
                    quote,
                });
                current.clear();
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                link.push(
                    image
                        .is_none()
                        .then(|| (current.len(), dest_url.to_string())),
                );
            }
            Event::End(TagEnd::Link) => {
                if let Some(Some((start, url))) = link.pop() {
                    let title = current.get(start..).unwrap_or_default();
                    let title = title.replace(MARK, "").trim().to_owned();
                    text.links.push(TextLink { title, url });
                    current.push(MARK);
                }
            }
            // An image is marked as one, its alt text kept apart from the
            // prose, with its number: a reader of plain text can open it.
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some((current.len(), dest_url.to_string()));
            }
            Event::End(TagEnd::Image) => {
                if let Some((start, url)) = image.take() {
                    let alt = current.split_off(start.min(current.len()));
                    let alt = alt.trim();
                    match alt.is_empty() {
                        true => current.push_str("[image]"),
                        false => current.push_str(&format!("[image: {alt}]")),
                    }
                    let title = if alt.is_empty() { "image" } else { alt };
                    text.links.push(TextLink {
                        title: title.to_owned(),
                        url,
                    });
                    current.push(MARK);
                }
            }
            // Footnotes keep their marks, `[^1]` in the text and before the note.
            Event::FootnoteReference(label) => current.push_str(&format!("[^{label}]")),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                flush(&mut current, &mut text.blocks, quote);
                current.push_str(&format!("[^{label}]: "));
            }
            // A table: one line a row, cells apart, never wrapped into prose.
            Event::Start(Tag::Table(_)) => flush(&mut current, &mut text.blocks, quote),
            Event::End(TagEnd::TableCell) => current.push_str(" | "),
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                let row = current
                    .trim_end()
                    .trim_end_matches('|')
                    .trim_end()
                    .to_owned();
                current.clear();
                table.push(format!("    {row}"));
            }
            Event::End(TagEnd::Table) => text.blocks.push(Block {
                text: std::mem::take(&mut table).join("\n"),
                verbatim: true,
                quote,
            }),
            Event::Text(t) | Event::Code(t) => {
                let t = t.replace(MARK, "\u{FFFD}");
                match heading {
                    true => current.push_str(&t.to_uppercase()),
                    false => current.push_str(&t),
                }
            }
            Event::SoftBreak | Event::HardBreak => current.push(if code { '\n' } else { ' ' }),
            // List items stay together, one a line; the list is one block.
            Event::End(TagEnd::Item) => current.push('\n'),
            Event::End(TagEnd::Paragraph) if current.starts_with("- ") => {}
            Event::End(TagEnd::Paragraph | TagEnd::List(_)) => {
                flush(&mut current, &mut text.blocks, quote)
            }
            // A quotation is its own blocks, each line marked when written.
            Event::Start(Tag::BlockQuote(_)) => {
                flush(&mut current, &mut text.blocks, quote);
                quote += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                flush(&mut current, &mut text.blocks, quote);
                quote = quote.saturating_sub(1);
            }
            _ => {}
        }
    }
    flush(&mut current, &mut text.blocks, quote);
    text
}

/// `text` with its lines broken at spaces to fit `width` columns; blank
/// lines (paragraphs) are kept, a line starting with `- ` gets a hanging indent.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width.max(1));
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let indent = if line.starts_with("- ") { "  " } else { "" };
        let mut column = 0;
        for (j, word) in line.split(' ').filter(|w| !w.is_empty()).enumerate() {
            let len = word.chars().count();
            if j > 0 && column + 1 + len > width {
                out.push('\n');
                out.push_str(indent);
                column = indent.len();
            } else if j > 0 {
                out.push(' ');
                column += 1;
            }
            out.push_str(word);
            column += len;
        }
    }
    out
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
    use crate::markdown::render;

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

    // In the plain-text email, code stays an indented block, an image is
    // marked with its alt text and numbered, a table keeps one line a row,
    // and a footnote keeps its mark in the text and before its note.
    #[test]
    fn text_for_email_marks_what_is_not_prose() {
        let text = to_text(
            "Loop:\n\n```\nfor obs in stream:\n    act(obs)\n```\n\nA gripper. ![A soft gripper](g.png) Next[^1].\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: A note.\n",
            72,
            Html::Sanitised,
        );
        assert_eq!(
            text,
            "Loop:\n\n    for obs in stream:\n        act(obs)\n\nA gripper. [image: A soft gripper] [1] Next[^1].\n\n    a | b\n    1 | 2\n\n[^1]: A note.\n\n[1] g.png"
        );
    }

    // Plain text keeps paragraphs, capitalises headings and wraps lines.
    #[test]
    fn text_for_email() {
        let text = to_text(
            "## What happened\n\nA [link](https://a.example/) here and a rather long sentence that goes on.\n\n- one\n- two\n\n```\ncode line\n```\n",
            30,
            Html::Sanitised,
        );
        assert_eq!(
            text,
            "WHAT HAPPENED\n\nA link [1] here and a rather\nlong sentence that goes on.\n\n- one\n- two\n\n    code line\n\n[1] https://a.example/"
        );
    }

    // Links are numbered as the caller says, in reading order, the number
    // counted in the width: an image inside a link is one link of its own,
    // a link in a heading is capitalised in its text, not its address, and a
    // U+0000 of the document is no link's place.
    #[test]
    fn text_numbers_links_as_asked() {
        let text = to_text_linked(
            "## See [Us](https://a.example/Up)\n\nA [![chart](c.png)](https://b.example/) and\u{0} [more](https://c.example/).\n",
            Html::Sanitised,
            crate::markdown::AS_WRITTEN,
        );
        let links: Vec<(&str, &str)> = (text.links().iter())
            .map(|l| (l.title.as_str(), l.url.as_str()))
            .collect();
        assert_eq!(
            links,
            [
                ("US", "https://a.example/Up"),
                ("chart", "c.png"),
                ("[image: chart]", "https://b.example/"),
                ("more", "https://c.example/"),
            ]
        );
        let mut asked = Vec::new();
        let rendered = text.render(24, |link| {
            asked.push(link.url.clone());
            asked.len() + 40
        });
        assert_eq!(asked.len(), 4);
        assert_eq!(
            rendered,
            "SEE US [41]\n\nA [image: chart] [42]\n[43] and\u{fffd} more [44]."
        );
    }

    // A quotation is marked `> ` on each line, nested ones once for each
    // level, and wrapped inside its marks; the line between two of its
    // paragraphs is marked too, and text after it is not.
    #[test]
    fn text_marks_quotations() {
        let text = to_text(
            "Before.\n\n> \"We could not make it work,\" one engineer said, at some length.\n>\n> Second.\n>\n> > Nested.\n>\n> ```\n> code\n> ```\n\nAfter.\n",
            30,
            Html::Sanitised,
        );
        assert_eq!(
            text,
            "Before.\n\n> “We could not make it work,”\n> one engineer said, at some\n> length.\n>\n> Second.\n>\n> > Nested.\n>\n>     code\n\nAfter."
        );
    }

    // Headings in a list are capitalised alone, not the items before them.
    #[test]
    fn text_capitalises_only_headings() {
        let text = to_text("- one\n- ## two\n", 72, Html::Sanitised);
        assert_eq!(text, "- one\n- TWO");
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
