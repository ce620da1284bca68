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

mod html;
mod sheet;
#[cfg(test)]
mod tests;

use crate::render::links::{Absolute, absolutize};
use html::{Attr, Document, Element, Tag, check_nesting, is_void};
use sheet::{Sheet, split_declarations};

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
    // Kept from one element to the next, as `styles` is.
    let mut candidates = Vec::new();
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
        sheet.styles_of(&element, &open, &mut styles, &mut candidates)?;
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
/// double-quoted attribute). Half a million a build at 10,000 entries, and
/// a quote in few (a font's name): a value without one is copied whole.
fn push_declaration(out: &mut String, name: &str, value: &str) {
    out.push_str(name);
    out.push_str(": ");
    if value.contains('"') {
        out.push_str(&value.replace('"', "'"));
    } else {
        out.push_str(value);
    }
}
