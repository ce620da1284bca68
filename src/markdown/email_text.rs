//! Markdown as the plain-text email writes it: wrapped paragraphs, headings
//! in capitals, code and tables kept line for line, quotations marked
//! `> `, and links numbered as the whole email counts them.
//!
//! Takes a document and the same [`Html`] policy as
//! [`render`](super::render), so that the email's text links only what the
//! page does, and returns text; no HTML is written here.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::wrap::wrap;
use super::{Html, Links, events, link_events};

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

/// A list [`to_text_linked`] is reading.
struct List {
    /// The next item's number; `None` in a list of bullets.
    next: Option<u64>,
    /// The column its items' markers start at.
    indent: usize,
    /// The column the text of its last item started at.
    text: usize,
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
    // The lists being read, innermost last.
    let mut lists: Vec<List> = Vec::new();
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
            // A nested list starts on its own line, inside its item.
            Event::Start(Tag::List(start)) => {
                if !lists.is_empty() && !current.is_empty() && !current.ends_with('\n') {
                    current.push('\n');
                }
                // Its items start under the text of the item it is in.
                let indent = lists.last().map_or(0, |list| list.text);
                lists.push(List {
                    next: start,
                    indent,
                    text: indent,
                });
            }
            // Each item on its own line: `- ` or its number.
            Event::Start(Tag::Item) => {
                if let Some(list) = lists.last_mut() {
                    let marker = match &mut list.next {
                        Some(n) => {
                            *n += 1;
                            format!("{}. ", *n - 1)
                        }
                        None => "- ".to_owned(),
                    };
                    current.extend(std::iter::repeat_n(' ', list.indent));
                    current.push_str(&marker);
                    list.text = list.indent + marker.len();
                }
            }
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
            Event::End(TagEnd::Item) if !current.ends_with('\n') => current.push('\n'),
            // The paragraphs of one item are one line of it.
            Event::End(TagEnd::Paragraph) if !lists.is_empty() => current.push(' '),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if lists.is_empty() {
                    flush(&mut current, &mut text.blocks, quote);
                }
            }
            Event::End(TagEnd::Paragraph) => flush(&mut current, &mut text.blocks, quote),
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

#[cfg(test)]
mod tests {
    use super::*;

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

    // A numbered list keeps its numbers (from its first), a nested list is
    // indented on its own lines under its item, and a long item wraps
    // under its text, not under its marker.
    #[test]
    fn text_keeps_numbers_and_nesting_of_lists() {
        let markdown = "3. Open the settings\n4. Find the privacy tab\n   - a nested note\n   - another\n5. Switch it off, then wait for the confirmation mail\n\nAfter.\n";
        let text = to_text(markdown, 30, Html::Sanitised);
        assert_eq!(
            text,
            "3. Open the settings\n4. Find the privacy tab\n   - a nested note\n   - another\n5. Switch it off, then wait\n   for the confirmation mail\n\nAfter."
        );
        let loose = to_text("- one\n\n  more of one\n\n- two\n", 72, Html::Sanitised);
        assert_eq!(loose, "- one more of one\n- two");
    }
}
