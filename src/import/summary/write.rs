//! [`Block`]s -> Markdown: whitespace tidied, cut to length, and every
//! character that Markdown could read as markup escaped, so the text
//! renders as the words it holds and nothing else.

use super::{Block, Mark, Piece};
use crate::source::url::check_http_url;

/// A run of text or a link, whitespace tidied.
#[derive(Debug)]
enum Seg {
    Text(String),
    /// Its text and its (http or https) address.
    Link(String, String),
}

/// A paragraph or list item: lines parted by `<br>`.
#[derive(Debug)]
struct Para {
    mark: Mark,
    lines: Vec<Vec<Seg>>,
}

/// The blocks as Markdown, cut at a word after `max` characters of text.
pub(super) fn markdown(blocks: Vec<Block>, max: usize) -> String {
    let paras: Vec<Para> = blocks.into_iter().flat_map(tidy).collect();
    render(&cut(paras, max))
}

/// Whitespace as HTML collapses it (a no-break space too).
pub(super) fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Characters that show nothing and can hide what a line says: controls,
/// zero-width spaces, soft hyphens and bidirectional overrides.
pub(super) fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{AD}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// One block's pieces as paragraphs: whitespace runs become one space,
/// none at a line's ends; a `<br>` parts lines, two part paragraphs.
fn tidy(block: Block) -> Vec<Para> {
    let mut paras = Vec::new();
    let mut mark = block.mark;
    let (mut lines, mut line) = (Vec::new(), Vec::new());
    let mut space = false;
    for piece in block.pieces {
        match piece {
            Piece::Break if !line.is_empty() => lines.push(std::mem::take(&mut line)),
            Piece::Break if !lines.is_empty() => {
                let lines = std::mem::take(&mut lines);
                paras.push(Para { mark, lines });
                mark = Mark::Paragraph;
            }
            Piece::Break => {}
            Piece::Text(text) => push_text(&mut line, &text, &mut space),
            Piece::Link(text, href) if check_http_url(&href).is_ok() => {
                space |= text.starts_with(is_space);
                let words = text.split(is_space).filter(|w| !w.is_empty());
                let words: Vec<String> = words
                    .map(|w| w.chars().filter(|c| !is_hidden(*c)).collect())
                    .collect();
                let words = words.join(" ");
                if words.is_empty() {
                    continue;
                }
                if std::mem::take(&mut space) && !line.is_empty() {
                    match line.last_mut() {
                        Some(Seg::Text(t)) => t.push(' '),
                        _ => line.push(Seg::Text(" ".to_owned())),
                    }
                }
                line.push(Seg::Link(words, href));
                space = text.ends_with(is_space);
            }
            Piece::Link(text, _) => push_text(&mut line, &text, &mut space),
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if !lines.is_empty() {
        paras.push(Para { mark, lines });
    }
    paras
}

/// Appends `text` to the line, whitespace collapsed into `space`.
fn push_text(line: &mut Vec<Seg>, text: &str, space: &mut bool) {
    for c in text.chars() {
        if is_space(c) {
            *space = true;
            continue;
        }
        if is_hidden(c) {
            continue;
        }
        let gap = std::mem::take(space) && !line.is_empty();
        if !matches!(line.last(), Some(Seg::Text(_))) {
            line.push(Seg::Text(String::new()));
        }
        if let Some(Seg::Text(t)) = line.last_mut() {
            if gap {
                t.push(' ');
            }
            t.push(c);
        }
    }
}

/// The paragraphs up to `max` characters of text; the one that passes it
/// is cut at a word and ends in "…" (a link that does not fit is left out).
fn cut(paras: Vec<Para>, max: usize) -> Vec<Para> {
    let mut budget = max;
    let mut kept = Vec::new();
    for para in paras {
        let mut lines = Vec::new();
        for line in para.lines {
            let mut segs = Vec::new();
            for seg in line {
                let len = match &seg {
                    Seg::Text(t) | Seg::Link(t, _) => t.chars().count(),
                };
                if len <= budget {
                    budget -= len;
                    segs.push(seg);
                    continue;
                }
                let head = match &seg {
                    Seg::Text(t) => word_prefix(t, budget),
                    Seg::Link(..) => "",
                };
                let mut end = match segs.pop() {
                    Some(Seg::Text(before)) if head.is_empty() => before,
                    Some(other) => {
                        segs.push(other);
                        head.to_owned()
                    }
                    None => head.to_owned(),
                };
                end.truncate(end.trim_end_matches([' ', ',', ';', ':']).len());
                end.push('…');
                segs.push(Seg::Text(end));
                lines.push(segs);
                kept.push(Para {
                    mark: para.mark,
                    lines,
                });
                return kept;
            }
            lines.push(segs);
        }
        kept.push(Para {
            mark: para.mark,
            lines,
        });
    }
    kept
}

/// The longest run of whole words of `text` within `budget` characters.
fn word_prefix(text: &str, budget: usize) -> &str {
    let end = text
        .char_indices()
        .nth(budget)
        .map_or(text.len(), |(i, _)| i);
    if text[end..].starts_with(' ') || end == text.len() {
        return &text[..end];
    }
    text[..end].rsplit_once(' ').map_or("", |(head, _)| head)
}

fn render(paras: &[Para]) -> String {
    let mut out = String::new();
    let mut last = None;
    for para in paras {
        // The items of one list close up; anything else is a paragraph apart.
        let tight = match (last, para.mark) {
            (Some(Mark::Bullet), Mark::Bullet) => true,
            (Some(Mark::Number(a)), Mark::Number(b)) => b == a + 1,
            _ => false,
        };
        if last.is_some() {
            out.push_str(if tight { "\n" } else { "\n\n" });
        }
        last = Some(para.mark);
        match para.mark {
            Mark::Paragraph => {}
            Mark::Bullet => out.push_str("- "),
            Mark::Number(n) => out.push_str(&format!("{n}. ")),
        }
        for (i, line) in para.lines.iter().enumerate() {
            if i > 0 {
                // A hard line break: a backslash at the end of the line.
                out.push_str("\\\n");
            }
            for (j, seg) in line.iter().enumerate() {
                match seg {
                    Seg::Text(text) => {
                        let before_link = matches!(line.get(j + 1), Some(Seg::Link(..)));
                        out.push_str(&escape(text, j == 0, before_link));
                    }
                    Seg::Link(text, href) => {
                        out.push('[');
                        out.push_str(&escape(text, false, false));
                        out.push_str("](<");
                        out.push_str(&destination(href));
                        out.push_str(">)");
                    }
                }
            }
        }
    }
    out
}

/// `text` with every character Markdown could read as markup escaped: the
/// inline ones everywhere (`<` among them: no raw HTML, no autolink), the
/// ones that start a block (`#`, `-`, `1.`, ...) at a line's start, `&`
/// where it would start an entity, and `!` before a link (an image).
pub(super) fn escape(text: &str, line_start: bool, before_link: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let digits = match line_start {
        true => text.chars().take_while(char::is_ascii_digit).count(),
        false => 0,
    };
    for (i, (at, c)) in text.char_indices().enumerate() {
        let escaped = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => true,
            '#' | '-' | '+' | '=' => line_start && i == 0,
            '.' | ')' => digits > 0 && i == digits,
            '&' => entity_like(&text[at + 1..]),
            '!' => before_link && at + 1 == text.len(),
            _ => false,
        };
        if escaped {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether the text after a `&` would make it an entity (`&amp;`, `&#38;`).
fn entity_like(rest: &str) -> bool {
    let body = match rest.strip_prefix('#') {
        Some(num) => num.strip_prefix(['x', 'X']).unwrap_or(num),
        None => rest,
    };
    let n = body.chars().take_while(char::is_ascii_alphanumeric).count();
    n > 0 && body[n..].starts_with(';')
}

/// A link's address for `[text](<…>)`: serialised by `url` (spaces, `<`,
/// `>` and quotes percent-encoded), a backslash too, so it cannot end early.
fn destination(href: &str) -> String {
    let href = url::Url::parse(href).map_or_else(|_| href.to_owned(), String::from);
    href.replace('\\', "%5C")
        .replace('<', "%3C")
        .replace('>', "%3E")
        .replace(['\n', '\r'], "")
}
