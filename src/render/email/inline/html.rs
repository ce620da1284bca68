//! The HTML side of the one-pass inliner: an email's tags, the open
//! elements as selectors see them, and where html5ever would nest them
//! otherwise than as written.

use std::ops::Range;

use crate::markdown::rewrite::{Markup, RAW_TEXT, attribute, markup_at, raw_text_end};

/// The tags of an email, read as [`crate::markdown::rewrite`] reads them.
pub(super) struct Document {
    pub(super) tags: Vec<Tag>,
    pub(super) attributes: Vec<Attr>,
    pub(super) styles: Vec<StyleBlock>,
}

pub(super) struct Tag {
    pub(super) start: usize,
    /// Just past its `>`.
    pub(super) end: usize,
    pub(super) name: Range<usize>,
    pub(super) closing: bool,
    pub(super) self_closing: bool,
    /// Its attributes in [`Document::attributes`].
    pub(super) attributes: Range<usize>,
}

impl Tag {
    pub(super) fn is(&self, html: &str, name: &str) -> bool {
        html[self.name.clone()].eq_ignore_ascii_case(name)
    }
}

pub(super) struct Attr {
    pub(super) name: Range<usize>,
    pub(super) value: Option<Range<usize>>,
    /// From its name to just past its value.
    pub(super) span: Range<usize>,
}

impl Attr {
    /// An `href` or `src` with a value.
    pub(super) fn is_link(&self, html: &str) -> bool {
        let name = &html[self.name.clone()];
        self.value.is_some()
            && (name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("src"))
    }
}

/// A `<style>` element: from its `<` to just past its end tag.
pub(super) struct StyleBlock {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) css: Range<usize>,
}

/// Elements that HTML reads otherwise than as nested tags, or that mark
/// content css-inline treats apart: left to it.
pub(super) const ASIDE: [&str; 12] = [
    "svg",
    "math",
    "template",
    "frameset",
    "frame",
    "plaintext",
    "select",
    "image",
    "isindex",
    "noscript",
    "link",
    "base",
];

impl Document {
    pub(super) fn read(html: &str) -> Option<Document> {
        let trimmed = html.trim_start();
        // Quirks mode matches classes without regard to case.
        if !trimmed
            .get(..15)
            .is_some_and(|d| d.eq_ignore_ascii_case("<!DOCTYPE html>"))
        {
            return None;
        }
        let bytes = html.as_bytes();
        let mut doc = Document {
            tags: Vec::with_capacity(html.len() / 40),
            attributes: Vec::with_capacity(html.len() / 40),
            styles: Vec::new(),
        };
        let mut at = 0;
        while let Some(lt) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
            let (name_start, name_end, closing) = match markup_at(html, lt) {
                Markup::Tag { name, closing } => (name.start, name.end, closing),
                Markup::Skip { to } => {
                    at = to;
                    continue;
                }
            };
            let first = doc.attributes.len();
            let mut i = name_end;
            let close = loop {
                match attribute(bytes, i) {
                    Ok(found) => {
                        i = found.end;
                        doc.attributes.push(Attr {
                            span: found.name.start..found.end,
                            name: found.name,
                            value: found.value,
                        });
                    }
                    Err(close) => break close,
                }
            };
            if close >= bytes.len() {
                // A tag left open at the end.
                return None;
            }
            let name = &html[name_start..name_end];
            if ASIDE.iter().any(|a| a.eq_ignore_ascii_case(name)) {
                return None;
            }
            let tag = Tag {
                start: lt,
                end: close + 1,
                name: name_start..name_end,
                closing,
                self_closing: bytes[close - 1] == b'/' && close > name_end,
                attributes: first..doc.attributes.len(),
            };
            at = tag.end;
            if !closing && let Some(raw) = RAW_TEXT.iter().find(|t| t.eq_ignore_ascii_case(name)) {
                let text_end = raw_text_end(html, at, raw);
                if *raw == "style" {
                    // `data-css-inline="keep"` and the like: css-inline's to read.
                    if !tag.attributes.is_empty() {
                        return None;
                    }
                    let end = html[text_end..].find('>').map(|i| text_end + i + 1)?;
                    doc.styles.push(StyleBlock {
                        start: lt,
                        end,
                        css: at..text_end,
                    });
                }
                at = text_end;
            }
            doc.tags.push(tag);
        }
        Some(doc)
    }
}

/// An open element, as selectors see it.
pub(super) struct Element<'a> {
    pub(super) name: &'a str,
    pub(super) id: Option<&'a str>,
    pub(super) class: &'a str,
    /// Once open: the classes that selectors ask of ancestors, as bits
    /// ([`Sheet::ancestor_mask`]): its own, and those of it and every
    /// element it is in.
    pub(super) mask: u64,
    pub(super) below: u64,
}

impl<'a> Element<'a> {
    pub(super) fn of(html: &'a str, tag: &Tag, attributes: &[Attr]) -> Option<Element<'a>> {
        let mut element = Element {
            name: &html[tag.name.clone()],
            id: None,
            class: "",
            mask: 0,
            below: 0,
        };
        // Of `id`, `class` and `style`: seen already.
        let mut seen = [false; 3];
        for attr in &attributes[tag.attributes.clone()] {
            let name = &html[attr.name.clone()];
            if name.eq_ignore_ascii_case("data-css-inline") {
                return None;
            }
            let Some(kind) =
                (["id", "class", "style"].iter()).position(|k| name.eq_ignore_ascii_case(k))
            else {
                continue;
            };
            // html5ever keeps the first of two attributes of one name.
            if std::mem::replace(&mut seen[kind], true) {
                return None;
            }
            let value = attr.value.clone().map_or("", |v| &html[v]);
            // Entities would be decoded first.
            if value.contains('&') {
                return None;
            }
            match kind {
                0 => element.id = Some(value),
                1 => element.class = value,
                _ => {}
            }
        }
        Some(element)
    }

    pub(super) fn has_class(&self, class: &str) -> bool {
        self.class.split_ascii_whitespace().any(|c| c == class)
    }

    pub(super) fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

/// `None` where html5ever would not nest `element` in the open ones as
/// written (it closes or moves elements on its own there).
pub(super) fn check_nesting(open: &[Element<'_>], element: &Element<'_>) -> Option<()> {
    const CLOSES_P: [&str; 36] = [
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "listing",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "search",
        "section",
        "summary",
        "table",
        "ul",
    ];
    const IN_TABLE: [&str; 10] = [
        "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "td", "th", "script",
    ];
    let name = element.name;
    let is_any = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(name));
    if open.iter().any(|e| e.is("p")) && (is_any(&CLOSES_P) || is_any(&["li", "dd", "dt"])) {
        return None;
    }
    // `<li>` closes an open `<li>` of the same list; `<dd>` and `<dt>` each other.
    let nearest = |stop: &[&str]| open.iter().rev().find(|e| stop.iter().any(|s| e.is(s)));
    if element.is("li") && nearest(&["li", "ul", "ol"]).is_some_and(|e| e.is("li")) {
        return None;
    }
    if (element.is("dd") || element.is("dt"))
        && nearest(&["dd", "dt", "dl"]).is_some_and(|e| e.is("dd") || e.is("dt"))
    {
        return None;
    }
    if element.is("a") && open.iter().any(|e| e.is("a")) {
        return None;
    }
    if let Some(parent) = open.last()
        && ["table", "thead", "tbody", "tfoot", "tr"]
            .iter()
            .any(|t| parent.is(t))
        && !is_any(&IN_TABLE)
    {
        return None;
    }
    // A heading in a heading, ruby text in ruby text: the first is closed.
    // A form in a form, a button in a button: the second is dropped or
    // closes the first.
    let parent_is_any = |names: &[&str]| open.last().is_some_and(|p| names.iter().any(|n| p.is(n)));
    for kind in [
        &["h1", "h2", "h3", "h4", "h5", "h6"][..],
        &["rb", "rp", "rt", "rtc"],
    ] {
        if is_any(kind) && parent_is_any(kind) {
            return None;
        }
    }
    for kind in ["form", "button", "nobr", "html", "head", "body"] {
        if element.is(kind) && open.iter().any(|e| e.is(kind)) {
            return None;
        }
    }
    // `<head>` and `<body>` in `<html>` only; in `<head>`, what belongs there.
    if (element.is("head") || element.is("body")) && !parent_is_any(&["html"]) {
        return None;
    }
    if parent_is_any(&["head"])
        && !is_any(&[
            "meta", "title", "style", "script", "noscript", "template", "base", "link",
        ])
    {
        return None;
    }
    // A cell outside a row, a column outside a group: html5ever adds the
    // row (and the `<tbody>`), or the group, that selectors would see.
    let parent_is = |name: &str| open.last().is_some_and(|p| p.is(name));
    if (is_any(&["td", "th"]) && !parent_is("tr")) || (element.is("col") && !parent_is("colgroup"))
    {
        return None;
    }
    Some(())
}

pub(super) fn is_void(name: &str) -> bool {
    [
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
        "keygen", "link", "meta", "param", "source", "track", "wbr",
    ]
    .iter()
    .any(|v| v.eq_ignore_ascii_case(name))
}
