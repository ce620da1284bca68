//! A feed item's summary, hostile HTML or plain text -> a short Markdown text.
//!
//! Takes the HTML (or text) of an item and returns Markdown an editor can
//! trim: paragraphs and list items, links kept as Markdown links (http and
//! https only), entities decoded, scripts, styles, frames and images
//! (tracking pixels among them: an `<img>` is not prose) dropped,
//! whitespace tidied, cut at a word after [`MAX_CHARS`] characters with "…".
//! Every character Markdown could read as markup is escaped ([`write`]), so
//! the file never holds raw HTML, an image, or a link of another scheme,
//! whatever the feed sent.
//!
//! The HTML is first parsed the way a browser would and cut down to a few
//! tags by ammonia (the site's own sanitiser); [`walk`] then reads what is
//! left with html5ever's tokenizer into [`Block`]s of text and links.

mod walk;
mod write;

#[cfg(test)]
mod tests;

/// Characters of a summary, at most, before "…".
pub const MAX_CHARS: usize = 1200;

/// Characters of a headline, at most, before "…".
pub const MAX_HEADLINE: usize = 200;

/// A paragraph or list item, as read.
#[derive(Debug, Default)]
struct Block {
    mark: Mark,
    pieces: Vec<Piece>,
}

/// What a block starts with.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Mark {
    #[default]
    Paragraph,
    Bullet,
    Number(usize),
}

/// Inline content, whitespace still as written.
#[derive(Debug)]
enum Piece {
    Text(String),
    /// A link's text and its `href`, which ammonia kept (http or https).
    Link(String, String),
    /// `<br>`: a line break; two in a row end a paragraph.
    Break,
}

/// The item's HTML as Markdown; relative links resolve against `base`
/// (the item's own address) and are dropped without one.
pub fn from_html(html: &str, base: Option<&url::Url>) -> String {
    write::markdown(walk::blocks(html, base), MAX_CHARS)
}

/// The item's plain text as Markdown: blank lines part paragraphs.
pub fn from_text(text: &str) -> String {
    let blocks = text
        .replace("\r\n", "\n")
        .split("\n\n")
        .map(|para| Block {
            mark: Mark::Paragraph,
            pieces: vec![Piece::Text(para.to_owned())],
        })
        .collect();
    write::markdown(blocks, MAX_CHARS)
}

/// A headline written as HTML (Atom's `type="html"`), as plain text.
pub fn headline_from_html(html: &str) -> String {
    let text: Vec<String> = walk::blocks(html, None)
        .into_iter()
        .flat_map(|b| b.pieces)
        .map(|piece| match piece {
            Piece::Text(text) | Piece::Link(text, _) => text,
            Piece::Break => " ".to_owned(),
        })
        .collect();
    headline(&text.concat())
}

/// A plain-text headline, tidied: whitespace runs as one space, control
/// characters dropped, cut at a word after [`MAX_HEADLINE`] characters.
pub fn headline(text: &str) -> String {
    let mut out = String::new();
    for word in text.split(write::is_space) {
        let word: String = word.chars().filter(|c| !write::is_hidden(*c)).collect();
        if word.is_empty() {
            continue;
        }
        if out.chars().count() + word.chars().count() >= MAX_HEADLINE {
            if out.is_empty() {
                out.extend(word.chars().take(MAX_HEADLINE));
            }
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word);
    }
    out
}
