//! Hostile HTML -> [`Block`]s of text and links.
//!
//! ammonia parses the HTML as a browser would (entities, unclosed tags,
//! scripts' raw text) and keeps only the tags listed here, with `href` on
//! links and only when it is http(s); what it serialises is balanced and
//! plain, so html5ever's tokenizer can walk it without a tree.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
};

use super::{Block, Mark, Piece};

/// Tags that end one block and start another.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "nav",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
];

/// Tags kept besides [`BLOCKS`]: links, line breaks, lists, table cells.
const INLINE: &[&str] = &["a", "br", "li", "ol", "td", "th", "ul"];

/// Tags dropped with everything inside: not prose, or not shown at all
/// (an image's caption goes with the image).
const DROPPED: &[&str] = &[
    "audio",
    "button",
    "canvas",
    "embed",
    "figcaption",
    "form",
    "iframe",
    "math",
    "noscript",
    "object",
    "script",
    "select",
    "style",
    "svg",
    "template",
    "textarea",
    "title",
    "video",
];

/// The blocks of `html`; relative links resolve against `base`, and are
/// dropped (their text kept) without one.
pub(super) fn blocks(html: &str, base: Option<&url::Url>) -> Vec<Block> {
    let clean = ammonia::Builder::empty()
        .tags(BLOCKS.iter().chain(INLINE).copied().collect())
        .clean_content_tags(DROPPED.iter().copied().collect())
        .tag_attributes(HashMap::from([("a", HashSet::from(["href"]))]))
        .url_schemes(HashSet::from(["http", "https"]))
        .url_relative(match base {
            Some(base) => ammonia::UrlRelative::RewriteWithBase(base.clone()),
            None => ammonia::UrlRelative::Deny,
        })
        .link_rel(None)
        .strip_comments(true)
        .clean(html)
        .to_string();
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(&clean));
    let tokenizer = Tokenizer::new(Walker::default(), Default::default());
    while let TokenizerResult::Script(()) = tokenizer.feed(&input) {}
    tokenizer.end();
    let mut walker = tokenizer.sink.state.into_inner();
    walker.close();
    walker.done
}

#[derive(Default)]
struct Walker {
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    done: Vec<Block>,
    current: Block,
    /// The open lists, innermost last: the next number of an `<ol>`, `None` for `<ul>`.
    lists: Vec<Option<usize>>,
    /// The open link's `href` (if it has one) and text so far.
    link: Option<(Option<String>, String)>,
}

impl TokenSink for Walker {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) => state.tag(&tag),
            Token::CharacterTokens(text) => state.text(&text),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl State {
    fn tag(&mut self, tag: &Tag) {
        let name: &str = &tag.name;
        let start = tag.kind == TagKind::StartTag;
        match name {
            "a" if start => {
                self.end_link();
                let href = tag
                    .attrs
                    .iter()
                    .find(|a| &*a.name.local == "href")
                    .map(|a| a.value.to_string());
                self.link = Some((href, String::new()));
            }
            "a" => self.end_link(),
            "br" => self.current.pieces.push(Piece::Break),
            "td" | "th" => self.text(" "),
            "ul" | "ol" if start => {
                self.close();
                self.lists.push((name == "ol").then_some(1));
            }
            "ul" | "ol" => {
                self.close();
                self.lists.pop();
                self.current.mark = Mark::Paragraph;
            }
            "li" if start => {
                self.close();
                self.current.mark = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        Mark::Number(*n - 1)
                    }
                    _ => Mark::Bullet,
                };
            }
            _ => self.close(),
        }
    }

    fn text(&mut self, text: &str) {
        match &mut self.link {
            Some((_, link_text)) => link_text.push_str(text),
            None => match self.current.pieces.last_mut() {
                Some(Piece::Text(last)) => last.push_str(text),
                _ => self.current.pieces.push(Piece::Text(text.to_owned())),
            },
        }
    }

    /// Ends the open link: a link with text and an `href`, or its text alone.
    fn end_link(&mut self) {
        match self.link.take() {
            Some((Some(href), text)) if !text.trim().is_empty() => {
                self.current.pieces.push(Piece::Link(text, href));
            }
            Some((_, text)) => self.text(&text),
            None => {}
        }
    }

    /// Ends the current block (a link open across it stays open). An empty
    /// block stays, keeping its mark: `<li><p>x` is one item.
    fn close(&mut self) {
        if !self.current.pieces.is_empty() {
            self.done.push(std::mem::take(&mut self.current));
        }
    }
}
