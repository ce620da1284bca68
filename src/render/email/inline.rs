//! The email edition's stylesheet, moved into `style` attributes.
//!
//! css-inline does this for any HTML and CSS, and for each email it parses
//! the page into a tree (html5ever) and the stylesheet (cssparser): a fifth
//! of a 10,000-entry build. The stylesheets of email themes are plain
//! (elements, classes and ids, and descendants of them), and the emails
//! rendered from templates are well nested. For those, one pass over the
//! tags here gives the `style` attributes css-inline gives, in its order and
//! spelling, against a stylesheet parsed once per build.
//!
//! Anything else goes to css-inline whole: an `@` rule, `!important`,
//! `var()`, a comment inside a rule, a pseudo-class, an attribute selector,
//! a child or sibling combinator; and HTML whose tree html5ever would build
//! other than as written (an end tag that closes another element, a `<p>`
//! left open around a block, `<li>` in `<li>`, an element in a table outside
//! its cells, `<svg>`, a document without `<!DOCTYPE html>`).

use std::ops::Range;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use crate::markdown::rewrite::{RAW_TEXT, attribute, is_space, raw_text_end, scan};
use crate::render::links::{Absolute, absolutize};

/// `html` with its `<style>` blocks (and `extra_css` after them) inlined,
/// and its links rewritten by `links`. `Err` holds css-inline's complaint.
pub fn inline(html: &str, extra_css: Option<&str>, links: &Absolute<'_>) -> Result<String, String> {
    match fast(html, extra_css, Some(links)) {
        Some(inlined) => Ok(inlined),
        None => {
            let inlined = css_inline(html, extra_css)?;
            Ok(absolutize(
                &inlined, links.page, links.own, links.utm, links.keep,
            ))
        }
    }
}

/// The same by css-inline, for any HTML and CSS.
pub fn css_inline(html: &str, extra_css: Option<&str>) -> Result<String, String> {
    css_inline::CSSInliner::options()
        .load_remote_stylesheets(false)
        .keep_at_rules(true)
        .resolve_css_variables(true)
        .extra_css(extra_css.map(Into::into))
        .build()
        .inline(html)
        .map_err(|e| e.to_string())
}

/// One pass over the tags, which rewrites the links too (`href`, `src`)
/// when given `links`; `None` for what css-inline must do.
fn fast(html: &str, extra_css: Option<&str>, links: Option<&Absolute<'_>>) -> Option<String> {
    let doc = Document::read(html)?;
    let mut css = String::new();
    for style in &doc.styles {
        css.push_str(&html[style.css.clone()]);
        css.push('\n');
    }
    css.push_str(extra_css.unwrap_or_default());
    let sheet = Sheet::cached(&css)?;
    // Selectors naming elements html5ever adds on its own when they are
    // not written: they match an element here only if it is written.
    for name in ["html", "head", "body", "tbody"] {
        if sheet.tags.iter().any(|t| t == name)
            && !doc.tags.iter().any(|t| !t.closing && t.is(html, name))
        {
            return None;
        }
    }
    let mut out = String::with_capacity(html.len() + html.len() / 2);
    let mut copied = 0;
    let mut open: Vec<Element<'_>> = Vec::new();
    let mut styles = Vec::new();
    let mut skip_to = 0;
    let mut ended = false;
    for tag in &doc.tags {
        if tag.start < skip_to {
            continue;
        }
        if let Some(style) = doc.styles.iter().find(|s| s.start == tag.start) {
            // css-inline drops the `<style>` blocks it inlines.
            out.push_str(&html[copied..style.start]);
            copied = style.end;
            skip_to = style.end;
            continue;
        }
        let name = &html[tag.name.clone()];
        if tag.closing {
            let top = open.pop()?;
            if !top.name.eq_ignore_ascii_case(name) {
                return None;
            }
            ended |= top.is("body") || top.is("html");
            continue;
        }
        // html5ever moves what comes after `</body>` into the body.
        if ended {
            return None;
        }
        let mut element = Element::of(html, tag, &doc.attributes)?;
        check_nesting(&open, &element)?;
        styles.clear();
        sheet.styles_of(&element, &open, &mut styles)?;
        let attributes = &doc.attributes[tag.attributes.clone()];
        let has_link = links.is_some() && attributes.iter().any(|a| a.is_link(html));
        if !styles.is_empty() || has_link {
            out.push_str(&html[copied..tag.start]);
            write_tag(&mut out, html, tag, attributes, &styles, links)?;
            copied = tag.end;
        }
        if !is_void(name) {
            if tag.self_closing {
                // `<div/>` opens a `<div>` in HTML: html5ever reads it so.
                return None;
            }
            element.mask = sheet.ancestor_mask(element.class);
            element.below = element.mask | open.last().map_or(0, |e| e.below);
            open.push(element);
        }
    }
    out.push_str(&html[copied..]);
    Some(out)
}

/// The tags of an email, read as [`crate::markdown::rewrite`] reads them.
struct Document {
    tags: Vec<Tag>,
    attributes: Vec<Attr>,
    styles: Vec<StyleBlock>,
}

struct Tag {
    start: usize,
    /// Just past its `>`.
    end: usize,
    name: Range<usize>,
    closing: bool,
    self_closing: bool,
    /// Its attributes in [`Document::attributes`].
    attributes: Range<usize>,
}

impl Tag {
    fn is(&self, html: &str, name: &str) -> bool {
        html[self.name.clone()].eq_ignore_ascii_case(name)
    }
}

struct Attr {
    name: Range<usize>,
    value: Option<Range<usize>>,
    /// From its name to just past its value.
    span: Range<usize>,
}

impl Attr {
    /// An `href` or `src` with a value.
    fn is_link(&self, html: &str) -> bool {
        let name = &html[self.name.clone()];
        self.value.is_some()
            && (name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("src"))
    }
}

/// A `<style>` element: from its `<` to just past its end tag.
struct StyleBlock {
    start: usize,
    end: usize,
    css: Range<usize>,
}

/// Elements that HTML reads otherwise than as nested tags, or that mark
/// content css-inline treats apart: left to it.
const ASIDE: [&str; 12] = [
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
    fn read(html: &str) -> Option<Document> {
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
            let rest = &html[lt..];
            if let Some(comment) = rest.strip_prefix("<!--") {
                at = comment.find("-->").map_or(html.len(), |i| lt + 4 + i + 3);
                continue;
            }
            let closing = rest.starts_with("</");
            let name_start = lt + if closing { 2 } else { 1 };
            if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
                at = if rest.starts_with("<!") || rest.starts_with("<?") {
                    rest.find('>').map_or(html.len(), |i| lt + i + 1)
                } else {
                    lt + 1
                };
                continue;
            }
            let name_end = scan(bytes, name_start, |b| {
                !is_space(b) && b != b'/' && b != b'>'
            });
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
struct Element<'a> {
    name: &'a str,
    id: Option<&'a str>,
    class: &'a str,
    /// Once open: the classes that selectors ask of ancestors, as bits
    /// ([`Sheet::ancestor_mask`]): its own, and those of it and every
    /// element it is in.
    mask: u64,
    below: u64,
}

impl<'a> Element<'a> {
    fn of(html: &'a str, tag: &Tag, attributes: &[Attr]) -> Option<Element<'a>> {
        let mut element = Element {
            name: &html[tag.name.clone()],
            id: None,
            class: "",
            mask: 0,
            below: 0,
        };
        let (mut id, mut class, mut style) = (false, false, false);
        for attr in &attributes[tag.attributes.clone()] {
            let name = &html[attr.name.clone()];
            let value = attr.value.clone().map_or("", |v| &html[v]);
            // html5ever keeps the first of two attributes of one name.
            let seen = if name.eq_ignore_ascii_case("id") {
                &mut id
            } else if name.eq_ignore_ascii_case("class") {
                &mut class
            } else if name.eq_ignore_ascii_case("style") {
                &mut style
            } else if name.eq_ignore_ascii_case("data-css-inline") {
                return None;
            } else {
                continue;
            };
            if *seen {
                return None;
            }
            *seen = true;
            // Entities would be decoded first.
            if value.contains('&') {
                return None;
            }
            if name.eq_ignore_ascii_case("id") {
                element.id = Some(value);
            } else if name.eq_ignore_ascii_case("class") {
                element.class = value;
            }
        }
        Some(element)
    }

    fn has_class(&self, class: &str) -> bool {
        self.class.split_ascii_whitespace().any(|c| c == class)
    }

    fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

/// `None` where html5ever would not nest `element` in the open ones as
/// written (it closes or moves elements on its own there).
fn check_nesting(open: &[Element<'_>], element: &Element<'_>) -> Option<()> {
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

fn is_void(name: &str) -> bool {
    [
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
        "keygen", "link", "meta", "param", "source", "track", "wbr",
    ]
    .iter()
    .any(|v| v.eq_ignore_ascii_case(name))
}

/// A stylesheet of plain rules, parsed once.
struct Sheet {
    /// In the order css-inline applies them: rule by rule, then selector by
    /// selector within a rule.
    selectors: Vec<Selector>,
    declarations: Vec<(String, String)>,
    by_id: FxHashMap<String, Vec<usize>>,
    by_class: FxHashMap<String, Vec<usize>>,
    by_tag: FxHashMap<String, Vec<usize>>,
    any: Vec<usize>,
    /// Every element name a selector names.
    tags: Vec<String>,
    /// The classes asked of ancestors (`.prose` of `.prose p`), each a bit
    /// of a mask; none past 64 of them (then ancestors' classes are read).
    ancestor_classes: FxHashMap<String, u64>,
}

struct Selector {
    /// The rightmost last; each a descendant of the one before.
    compounds: Vec<Compound>,
    /// The bits of the classes its ancestors must have.
    ancestors: u64,
    specificity: u32,
    declarations: Range<usize>,
}

#[derive(Default)]
struct Compound {
    tag: Option<String>,
    id: Option<String>,
    classes: Vec<String>,
    /// Of an ancestor's compound: the bits of its classes.
    mask: u64,
}

impl Compound {
    fn matches(&self, element: &Element<'_>) -> bool {
        self.tag.as_ref().is_none_or(|t| element.is(t))
            && self
                .id
                .as_ref()
                .is_none_or(|id| element.id == Some(id.as_str()))
            && self.classes.iter().all(|c| element.has_class(c))
    }

    /// [`Compound::matches`] for an open element, its classes read from
    /// its mask when the sheet has masks.
    fn matches_open(&self, element: &Element<'_>, masks: bool) -> bool {
        if !masks {
            return self.matches(element);
        }
        self.tag.as_ref().is_none_or(|t| element.is(t))
            && self
                .id
                .as_ref()
                .is_none_or(|id| element.id == Some(id.as_str()))
            && element.mask & self.mask == self.mask
    }
}

/// The stylesheets seen in this process, parsed (`None`: not plain).
static SHEETS: Mutex<Vec<(String, Option<Arc<Sheet>>)>> = Mutex::new(Vec::new());

impl Sheet {
    fn cached(css: &str) -> Option<Arc<Sheet>> {
        let mut sheets = SHEETS.lock().ok()?;
        if let Some((_, sheet)) = sheets.iter().find(|(c, _)| c == css) {
            return sheet.clone();
        }
        let sheet = Sheet::parse(css).map(Arc::new);
        // A theme has one or two (with the code palette); a bound all the same.
        if sheets.len() >= 16 {
            sheets.remove(0);
        }
        sheets.push((css.to_owned(), sheet.clone()));
        sheet
    }

    fn parse(css: &str) -> Option<Sheet> {
        let mut sheet = Sheet {
            selectors: Vec::new(),
            declarations: Vec::new(),
            by_id: FxHashMap::default(),
            by_class: FxHashMap::default(),
            by_tag: FxHashMap::default(),
            any: Vec::new(),
            tags: Vec::new(),
            ancestor_classes: FxHashMap::default(),
        };
        let mut rest = css;
        loop {
            rest = skip_comments(rest)?;
            if rest.is_empty() {
                break;
            }
            let open = rest.find('{')?;
            let prelude = &rest[..open];
            let close = open + rest[open..].find('}')?;
            let body = &rest[open + 1..close];
            rest = &rest[close + 1..];
            if prelude.contains(['@', '/', '\\', '"', '\'', '}']) || body.contains(['{', '\\', '!'])
            {
                return None;
            }
            if body.contains("/*") || body.contains("var(") || body.contains("--") {
                return None;
            }
            let start = sheet.declarations.len();
            for declaration in split_declarations(body)? {
                sheet.declarations.push(declaration);
            }
            let declarations = start..sheet.declarations.len();
            for selector in prelude.split(',') {
                let selector = parse_selector(selector, declarations.clone())?;
                let index = sheet.selectors.len();
                let key = selector.compounds.last()?;
                let list = if let Some(id) = &key.id {
                    sheet.by_id.entry(id.clone()).or_default()
                } else if let Some(class) = key.classes.first() {
                    sheet.by_class.entry(class.clone()).or_default()
                } else if let Some(tag) = &key.tag {
                    sheet.by_tag.entry(tag.clone()).or_default()
                } else {
                    &mut sheet.any
                };
                list.push(index);
                for tag in selector.compounds.iter().filter_map(|c| c.tag.as_ref()) {
                    if !sheet.tags.contains(tag) {
                        sheet.tags.push(tag.clone());
                    }
                }
                sheet.selectors.push(selector);
            }
        }
        sheet.mask_ancestors();
        Some(sheet)
    }

    /// Gives each class asked of an ancestor a bit, when there are at most 64.
    fn mask_ancestors(&mut self) {
        let mut bits = FxHashMap::default();
        for selector in &self.selectors {
            let ancestors = &selector.compounds[..selector.compounds.len().saturating_sub(1)];
            for class in ancestors.iter().flat_map(|c| &c.classes) {
                let next = bits.len();
                bits.entry(class.clone()).or_insert(next);
            }
        }
        if bits.len() > 64 {
            return;
        }
        for selector in &mut self.selectors {
            let last = selector.compounds.len().saturating_sub(1);
            for compound in &mut selector.compounds[..last] {
                compound.mask = (compound.classes.iter()).fold(0, |m, c| m | 1 << bits[c]);
                selector.ancestors |= compound.mask;
            }
        }
        self.ancestor_classes = bits.into_iter().map(|(c, b)| (c, 1 << b)).collect();
    }

    /// The bits of the classes in `class` (an attribute's value) that are
    /// asked of ancestors.
    fn ancestor_mask(&self, class: &str) -> u64 {
        if self.ancestor_classes.is_empty() {
            return 0;
        }
        (class.split_ascii_whitespace())
            .filter_map(|c| self.ancestor_classes.get(c))
            .fold(0, |m, b| m | b)
    }

    /// The declarations of the rules that match `element`, in css-inline's
    /// order: by specificity, then as they came. `None` past what it sorts
    /// the same way (more than 16 properties on one element).
    fn styles_of<'s>(
        &'s self,
        element: &Element<'_>,
        open: &[Element<'_>],
        styles: &mut Vec<(&'s str, u32, &'s str)>,
    ) -> Option<()> {
        let mut candidates: Vec<usize> = Vec::new();
        if let Some(list) = element.id.and_then(|id| self.by_id.get(id)) {
            candidates.extend(list);
        }
        for class in element.class.split_ascii_whitespace() {
            if let Some(list) = self.by_class.get(class) {
                candidates.extend(list);
            }
        }
        if !self.by_tag.is_empty() {
            let name = match element.name.bytes().any(|b| b.is_ascii_uppercase()) {
                true => std::borrow::Cow::Owned(element.name.to_ascii_lowercase()),
                false => std::borrow::Cow::Borrowed(element.name),
            };
            if let Some(list) = self.by_tag.get(name.as_ref()) {
                candidates.extend(list);
            }
        }
        candidates.extend(&self.any);
        if candidates.is_empty() {
            return Some(());
        }
        candidates.sort_unstable();
        candidates.dedup();
        for index in candidates {
            let selector = &self.selectors[index];
            if !selector.matches(element, open, !self.ancestor_classes.is_empty()) {
                continue;
            }
            for (name, value) in &self.declarations[selector.declarations.clone()] {
                match styles.iter_mut().find(|(n, _, _)| n == name) {
                    Some(entry) if entry.1 <= selector.specificity => {
                        entry.1 = selector.specificity;
                        entry.2 = value;
                    }
                    Some(_) => {}
                    None => styles.push((name, selector.specificity, value)),
                }
            }
        }
        if styles.len() > 16 {
            return None;
        }
        styles.sort_by_key(|s| s.1);
        Some(())
    }
}

impl Selector {
    /// Whether it matches `element`, in the `open` elements; `masks`: the
    /// sheet gave the classes asked of ancestors bits.
    fn matches(&self, element: &Element<'_>, open: &[Element<'_>], masks: bool) -> bool {
        let Some((last, ancestors)) = self.compounds.split_last() else {
            return false;
        };
        if !last.matches(element) {
            return false;
        }
        // A class asked of an ancestor that no open element has.
        if masks && open.last().map_or(0, |e| e.below) & self.ancestors != self.ancestors {
            return false;
        }
        // Descendants only: the nearest ancestor that matches is as good as any.
        let mut above = open.len();
        for compound in ancestors.iter().rev() {
            match open[..above]
                .iter()
                .rposition(|e| compound.matches_open(e, masks))
            {
                Some(at) => above = at,
                None => return false,
            }
        }
        true
    }
}

/// `css` past whitespace and comments.
fn skip_comments(mut css: &str) -> Option<&str> {
    loop {
        css = css.trim_start();
        match css.strip_prefix("/*") {
            Some(comment) => css = &comment[comment.find("*/")? + 2..],
            None => return Some(css),
        }
    }
}

/// `color: red; font-family: 'A; B'` as pairs, values as written, trimmed.
fn split_declarations(body: &str) -> Option<Vec<(String, String)>> {
    let mut declarations = Vec::new();
    let mut quote = None;
    let mut depth = 0usize;
    let mut from = 0;
    for (i, b) in body.bytes().enumerate().chain([(body.len(), b';')]) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'(') => depth += 1,
            (None, b')') => depth = depth.checked_sub(1)?,
            (None, b';') if depth == 0 => {
                let declaration = body[from..i.min(body.len())].trim();
                from = i + 1;
                if declaration.is_empty() {
                    continue;
                }
                let (name, value) = declaration.split_once(':')?;
                let (name, value) = (name.trim(), value.trim());
                if name.is_empty()
                    || value.is_empty()
                    || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                {
                    return None;
                }
                declarations.push((name.to_owned(), value.to_owned()));
            }
            _ => {}
        }
    }
    (quote.is_none() && depth == 0).then_some(declarations)
}

/// `.a p`, `td.x`, `#top`: compounds of a tag, an id and classes, joined by
/// spaces; `None` for any other selector.
fn parse_selector(text: &str, declarations: Range<usize>) -> Option<Selector> {
    let mut compounds = Vec::new();
    let (mut ids, mut classes, mut tags) = (0u32, 0u32, 0u32);
    for part in text.split_ascii_whitespace() {
        let mut compound = Compound::default();
        let mut rest = part;
        let head_end = rest.find(['.', '#']).unwrap_or(rest.len());
        let head = &rest[..head_end];
        rest = &rest[head_end..];
        match head {
            "" => {}
            "*" => {}
            tag if is_ident(tag) => {
                compound.tag = Some(tag.to_ascii_lowercase());
                tags += 1;
            }
            _ => return None,
        }
        while !rest.is_empty() {
            let kind = rest.as_bytes()[0];
            let end = rest[1..].find(['.', '#']).map_or(rest.len(), |i| i + 1);
            let name = &rest[1..end];
            if !is_ident(name) {
                return None;
            }
            if kind == b'#' {
                if compound.id.is_some() {
                    return None;
                }
                compound.id = Some(name.to_owned());
                ids += 1;
            } else {
                compound.classes.push(name.to_owned());
                classes += 1;
            }
            rest = &rest[end..];
        }
        compounds.push(compound);
    }
    if compounds.is_empty() || ids >= 1024 || classes >= 1024 || tags >= 1024 {
        return None;
    }
    Some(Selector {
        compounds,
        ancestors: 0,
        // As the `selectors` crate packs it for css-inline.
        specificity: ids << 20 | classes << 10 | tags,
        declarations,
    })
}

fn is_ident(name: &str) -> bool {
    let rest = name.strip_prefix('-').unwrap_or(name);
    rest.bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The start tag `tag` with `styles` in its `style` attribute, written as
/// css-inline writes it (new declarations before those of an own `style`,
/// which win over them), and its links rewritten by `links`.
fn write_tag(
    out: &mut String,
    html: &str,
    tag: &Tag,
    attributes: &[Attr],
    styles: &[(&str, u32, &str)],
    links: Option<&Absolute<'_>>,
) -> Option<()> {
    out.push('<');
    out.push_str(&html[tag.name.clone()]);
    let mut wrote_style = false;
    for attr in attributes {
        let name = &html[attr.name.clone()];
        out.push(' ');
        if let Some(links) = links.filter(|_| attr.is_link(html)) {
            out.push_str(name);
            out.push_str("=\"");
            out.push_str(&links.link(attr.value.clone().map_or("", |v| &html[v])));
            out.push('"');
            continue;
        }
        if styles.is_empty() || !name.eq_ignore_ascii_case("style") {
            out.push_str(&html[attr.span.clone()]);
            continue;
        }
        let own = split_declarations(attr.value.clone().map_or("", |v| &html[v]))?;
        if own.iter().any(|(n, v)| {
            v.contains('!') || n.starts_with("--") || v.contains("var(") || v.contains("/*")
        }) {
            return None;
        }
        out.push_str(name);
        out.push_str("=\"");
        let mut first = true;
        let new = styles
            .iter()
            .filter(|(n, _, _)| !own.iter().any(|(o, _)| o == n))
            .map(|(n, _, v)| (*n, *v));
        for (n, v) in new.chain(own.iter().map(|(n, v)| (n.as_str(), v.as_str()))) {
            if !first {
                out.push(';');
            }
            first = false;
            push_declaration(out, n, v);
        }
        out.push('"');
        wrote_style = true;
    }
    if !wrote_style && !styles.is_empty() {
        out.push_str(" style=\"");
        for (n, _, v) in styles {
            push_declaration(out, n, v);
            out.push(';');
        }
        out.push('"');
    }
    if tag.self_closing {
        out.push_str(" /");
    }
    out.push('>');
    Some(())
}

/// `name: value`, the value's double quotes made single (it sits in a
/// double-quoted attribute).
fn push_declaration(out: &mut String, name: &str, value: &str) {
    out.push_str(name);
    out.push_str(": ");
    for (i, part) in value.split('"').enumerate() {
        if i > 0 {
            out.push('\'');
        }
        out.push_str(part);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What css-inline's serializer makes of `html` (the tree html5ever
    /// builds, written back), each tag's attributes sorted: both ways'
    /// output is compared through it. (It moves an element's last attribute
    /// to where `class` was, each time it reads it.)
    fn normal(html: &str) -> String {
        let html = css_inline(html, None).expect("css-inline reads what it wrote");
        let doc = Document::read(&html).expect("css-inline writes a document");
        let mut out = String::new();
        let mut copied = 0;
        for tag in doc.tags.iter().filter(|t| !t.closing) {
            let mut attributes: Vec<&str> = doc.attributes[tag.attributes.clone()]
                .iter()
                .map(|a| &html[a.span.clone()])
                .collect();
            attributes.sort_unstable();
            out.push_str(&html[copied..tag.start]);
            out.push('<');
            out.push_str(&html[tag.name.clone()]);
            for attribute in attributes {
                out.push(' ');
                out.push_str(attribute);
            }
            out.push('>');
            copied = tag.end;
        }
        out.push_str(&html[copied..]);
        out
    }

    fn both(html: &str, extra_css: Option<&str>) -> (Option<String>, String) {
        let fast = fast(html, extra_css, None).map(|f| normal(&f));
        let slow = normal(&css_inline(html, extra_css).expect("css-inline inlines"));
        (fast, slow)
    }

    /// The `<style>` block of the default theme's `email.html`.
    fn theme_css() -> String {
        let template = include_str!("../../../themes/default/templates/email.html");
        let start = template.find("  <style>\n").expect("a style block") + 9;
        let end = start + template[start..].find("</style>").expect("its end");
        template[start..end].to_owned()
    }

    // The default theme's stylesheet, the code palette after it, over
    // markup like an email's (prose from Markdown, cards, a table, an own
    // `style`, void elements): the same `style` attributes as css-inline's,
    // in its order, with the `<style>` blocks gone and the Outlook one in
    // its comment kept.
    #[test]
    fn the_default_theme_inlined_as_css_inline_does() {
        let palette = crate::markdown::highlight_palette_light();
        let html = format!(
            r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A &amp; B</title>
<style>{}</style>
<!--[if mso]><style>.preheader {{ display: none !important; }}</style><![endif]-->
</head><body>
<div class="preheader" aria-hidden="true">Hi &#847;&zwnj;&nbsp;</div>
<table role="presentation" class="outer"><tr><td class="outer__cell">
<table class="container" width="600"><tr><td class="cell cell--first">
<p class="kicker">Nov 25</p><h1 class="title">Title</h1>
<div class="note"><p>A <a href="/x">link</a></p><ul><li>one</li></ul><p class="note__by">— Ed</p></div>
<div class="prose"><h2 id="what">What</h2><p>Text <code>x</code><sup>1</sup></p>
<pre class="hl-code"><code><span class="hl-keyword">fn</span> main() {{}}</code></pre>
<blockquote><p>Quote</p></blockquote><table><thead><tr><th>A</th></tr></thead><tbody><tr><td style="color: red; padding:1px">1</td></tr></tbody></table>
<hr><ol><li>a</li><li>b</li></ol><div class="footnote-definition"><p>Note</p></div></div>
<table class="card"><tr><td class="card__cell"><p class="card__kicker">Tag</p><h3 class="card__title"><a class="card__link" href="https://e.com/?a=1&amp;b=2">Head</a></h3><br/><img src="x.png" alt=""></td></tr></table>
</td></tr></table></td></tr></table>
<p class="footer__text" style="margin: 0">Bye <a class="footer__link" href="*|UNSUB|*">unsubscribe</a></p>
</body></html>"#,
            theme_css()
        );
        let (fast, slow) = both(&html, Some(&palette));
        let fast = fast.expect("the default theme's email goes the fast way");
        assert_eq!(fast, slow);
        // With its links made absolute and tagged in the same pass, as
        // `absolutize` makes them after css-inline.
        let page = url::Url::parse("https://news.example/2026/11/25/").expect("a URL");
        let own = url::Url::parse("https://news.example/").expect("a URL");
        let utm = crate::render::links::Utm {
            params: vec![("utm_source", "a47"), ("utm_campaign", "2026-11-25")],
        };
        let keep = ["*|UNSUB|*"];
        let links = Absolute {
            page: &page,
            own: &own,
            utm: &utm,
            keep: &keep,
        };
        let fast = super::fast(&html, Some(&palette), Some(&links)).expect("the fast way");
        let slow = css_inline(&html, Some(&palette)).expect("css-inline inlines");
        let slow = absolutize(&slow, &page, &own, &utm, &keep);
        assert_eq!(normal(&fast), normal(&slow));
        for link in [
            r#"href="https://news.example/x""#,
            r#"href="https://e.com/?a=1&amp;b=2&amp;utm_source=a47&amp;utm_campaign=2026-11-25""#,
            r#"src="https://news.example/2026/11/25/x.png""#,
            r#"href="*|UNSUB|*""#,
        ] {
            assert!(fast.contains(link), "{link} in {fast}");
        }
        assert!(slow.contains(r#"<td class="cell cell--first" style="padding: 0 24px 8px;"#));
        assert!(slow.contains("<!--[if mso]><style>"));
    }

    // Random plain stylesheets over random well-nested markup: the fast
    // way's `style`s are css-inline's, byte for byte once both are
    // written back by the same serializer.
    #[test]
    fn random_plain_stylesheets_inlined_as_css_inline_does() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};

        const TAGS: [&str; 6] = ["div", "p", "span", "a", "em", "section"];
        const CLASSES: [&str; 4] = ["a", "b", "c", "d-e"];
        const PROPERTIES: [&str; 4] = ["color", "margin", "padding", "font-family"];
        let compound = (
            0usize..7,
            proptest::collection::vec(0usize..4, 0..3),
            any::<bool>(),
        )
            .prop_filter("not empty", |(tag, classes, id)| {
                *tag < 6 || !classes.is_empty() || *id
            })
            .prop_map(|(tag, classes, id)| {
                let mut s = TAGS.get(tag).copied().unwrap_or_default().to_owned();
                for c in classes {
                    s.push('.');
                    s.push_str(CLASSES[c]);
                }
                if id {
                    s.push_str("#top");
                }
                s
            });
        let selector = proptest::collection::vec(compound, 1..4).prop_map(|c| c.join(" "));
        let declaration = (0usize..4, 0u32..4).prop_map(|(p, v)| match PROPERTIES[p] {
            "font-family" => format!("font-family: \"Face {v}\", serif"),
            name => format!("{name}: {v}px"),
        });
        let rule = (
            proptest::collection::vec(selector, 1..3),
            proptest::collection::vec(declaration, 1..4),
        )
            .prop_map(|(s, d)| format!("{} {{ {} }}", s.join(", "), d.join("; ")));
        let sheet = proptest::collection::vec(rule, 1..8).prop_map(|r| r.join("\n"));
        // A tree as nested tags, each with classes, maybe the id, maybe a style.
        let leaf = Just(String::from("text"));
        let tree = leaf.prop_recursive(4, 32, 4, |inner| {
            (
                0usize..6,
                proptest::collection::vec(0usize..4, 0..3),
                any::<bool>(),
                proptest::option::of(0u32..3),
                proptest::collection::vec(inner, 0..4),
            )
                .prop_map(|(tag, classes, id, style, children)| {
                    let tag = match TAGS[tag] {
                        // `<p>` holds only phrasing content: html5ever closes it otherwise.
                        "p" | "div" | "section" if children.is_empty() => TAGS[tag],
                        "p" => "span",
                        other => other,
                    };
                    let class: Vec<&str> = classes.iter().map(|&c| CLASSES[c]).collect();
                    let id = if id { r#" id="top""# } else { "" };
                    let style = style
                        .map(|m| format!(r#" style="margin:{m}px""#))
                        .unwrap_or_default();
                    let inner = children.concat();
                    let inner = if matches!(tag, "span" | "a" | "em") {
                        inner.replace("<div", "<span").replace("</div>", "</span>")
                    } else {
                        inner
                    };
                    format!(
                        r#"<{tag} class="{}"{id}{style}>{inner}</{tag}>"#,
                        class.join(" ")
                    )
                })
        });
        let mut runner = TestRunner::new(Config {
            cases: 256,
            failure_persistence: None,
            ..Config::default()
        });
        let fast_ones = std::cell::Cell::new(0);
        runner
            .run(&(sheet, tree), |(css, body)| {
                let html = format!(
                    "<!DOCTYPE html><html><head><style>{css}</style></head><body>{body}</body></html>"
                );
                let (fast, slow) = both(&html, None);
                if let Some(fast) = fast {
                    prop_assert_eq!(fast, slow);
                    fast_ones.set(fast_ones.get() + 1);
                }
                Ok(())
            })
            .expect("both ways inline alike");
        assert!(
            fast_ones.get() >= 128,
            "{} of 256 went the fast way",
            fast_ones.get()
        );
    }

    // A selector of ancestors matches them in their order, the nearest
    // first: `.x .a p` asks for a `.x` above the `.a`, not below it.
    #[test]
    fn ancestors_in_their_order() {
        let css = ".x .a p { color: red } .a .x em { margin: 0 }";
        for body in [
            r#"<div class="a"><span class="x"><em><p>no</p></em></span></div>"#,
            r#"<div class="x"><div class="a"><span><p>yes</p></span></div></div>"#,
            r#"<div class="x"><div class="a"><div class="x"><em>both</em></div></div></div>"#,
        ] {
            let html = format!(
                "<!DOCTYPE html><html><head><style>{css}</style></head><body>{body}</body></html>"
            );
            let (fast, slow) = both(&html, None);
            assert_eq!(fast.as_deref(), Some(slow.as_str()), "{body}");
        }
    }

    // What the fast way does not read as css-inline would goes to
    // css-inline: the stylesheet, the markup, or the document.
    #[test]
    fn the_rest_left_to_css_inline() {
        let page = |css: &str, body: &str| {
            format!(
                "<!DOCTYPE html><html><head><style>{css}</style></head><body>{body}</body></html>"
            )
        };
        let plain = ".a { color: red }";
        let well = r#"<div class="a"><p class="a">x</p></div>"#;
        assert!(fast(&page(plain, well), None, None).is_some());
        for css in [
            "@media (max-width: 600px) { .a { color: red } }",
            ".a { color: red !important }",
            ".a > p { color: red }",
            ".a + p { color: red }",
            "p:first-child { color: red }",
            "[class] { color: red }",
            ".a { color: var(--x) }",
            ".a { /* why */ color: red }",
            ".a { color: red",
            "tbody td { color: red }",
        ] {
            assert!(fast(&page(css, well), None, None).is_none(), "{css}");
        }
        for body in [
            r#"<p class="a"><div>x</div></p>"#,
            r#"<div class="a"><span>x</div></span>"#,
            r#"<ul><li class="a">x<li>y</ul>"#,
            r#"<table><div class="a">x</div></table>"#,
            r#"<table><td class="a">x</td></table>"#,
            r#"<h1 class="a"><h2>x</h2></h1>"#,
            r#"<form><div><form class="a"></form></div></form>"#,
            r#"<div class="a"><body>x</body></div>"#,
            r#"<a href="/"><a class="a">x</a></a>"#,
            r#"<div class="a"/>"#,
            r#"<svg class="a"></svg>"#,
            r#"<div class="a &amp; b">x</div>"#,
            r#"<div class="a" data-css-inline="ignore">x</div>"#,
        ] {
            assert!(fast(&page(plain, body), None, None).is_none(), "{body}");
        }
        assert!(
            fast(
                &format!("<html><style>{plain}</style>{well}</html>"),
                None,
                None
            )
            .is_none()
        );
        // html5ever moves what comes after `</body>` into the body.
        let after_body = format!(
            "<!DOCTYPE html><html><head><style>{plain}</style></head><body>{well}</body>{well}</html>"
        );
        assert!(fast(&after_body, None, None).is_none());
        // Whichever way, the email is inlined.
        let html = page(
            "@media print { .a { color: red } } .a { color: blue }",
            well,
        );
        let page = url::Url::parse("https://x.example/").expect("a URL");
        let utm = crate::render::links::Utm::default();
        let links = Absolute {
            page: &page,
            own: &page,
            utm: &utm,
            keep: &[],
        };
        let inlined = inline(&html, None, &links).expect("inlined");
        assert!(
            inlined.contains(r#"<div class="a" style="color: blue;">"#),
            "{inlined}"
        );
    }
}
