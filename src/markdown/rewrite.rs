//! One pass over HTML that gazette wrote (Markdown output, sanitised or not,
//! and pages from templates, css-inline's included) that rewrites tag names
//! and attribute values and copies everything else.
//!
//! It reads tags the way a browser does, so text that looks like markup
//! (`id="x"` in a code block, which the HTML serialiser behind ammonia and
//! css-inline leaves unescaped) and the raw text of `<script>` and `<style>`
//! are never rewritten. Each byte is looked at a bounded number of times:
//! the pass is linear in the length of the HTML, however many tags it has.

use std::ops::Range;

/// A part of a tag that [`rewrite`] offers for replacement.
#[derive(Debug, PartialEq, Eq)]
pub enum Part<'a> {
    /// The name of a start tag (`closing` false) or an end tag, as written.
    Name { name: &'a str, closing: bool },
    /// An attribute value as written (entities not decoded), of attribute
    /// `attribute` (lower case) on the element `tag`.
    Value {
        tag: &'a str,
        attribute: &'a str,
        value: &'a str,
    },
}

/// Elements whose content is raw text up to their end tag.
pub const RAW_TEXT: [&str; 8] = [
    "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea",
];

/// `html` with each [`Part`] for which `replace` gives `Some` replaced. A
/// replaced value is written double-quoted, so `replace` returns it escaped
/// for a double-quoted attribute.
pub fn rewrite(html: &str, mut replace: impl FnMut(Part<'_>) -> Option<String>) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    // `html[copied..at]` is still to be copied as it is.
    let mut copied = 0;
    let mut at = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
        let (name_start, name_end, closing) = match markup_at(html, lt) {
            Markup::Tag { name, closing } => (name.start, name.end, closing),
            Markup::Skip { to } => {
                at = to;
                continue;
            }
        };
        let name = &html[name_start..name_end];
        if let Some(new) = replace(Part::Name { name, closing }) {
            out.push_str(&html[copied..name_start]);
            out.push_str(&new);
            copied = name_end;
        }
        // Attributes, up to the `>` that ends the tag.
        let mut i = name_end;
        let close = loop {
            let found = match attribute(bytes, i) {
                Ok(found) => found,
                Err(close) => break close,
            };
            i = found.end;
            let Some(value) = found.value.filter(|_| !closing) else {
                continue;
            };
            // Lower case as written in all the HTML gazette writes: a copy
            // only for the rest (one per attribute was a tenth of the pass).
            let written = &html[found.name];
            let attribute: std::borrow::Cow<'_, str> =
                match written.bytes().any(|b| b.is_ascii_uppercase()) {
                    true => written.to_ascii_lowercase().into(),
                    false => written.into(),
                };
            if let Some(new) = replace(Part::Value {
                tag: name,
                attribute: &attribute,
                value: &html[value],
            }) {
                out.push_str(&html[copied..found.value_start]);
                out.push('"');
                // A value that was single-quoted or bare may hold a `"`.
                out.push_str(&new.replace('"', "&quot;"));
                out.push('"');
                copied = found.end;
            }
        };
        at = (close + 1).min(html.len());
        if !closing && let Some(raw) = RAW_TEXT.iter().find(|t| t.eq_ignore_ascii_case(name)) {
            at = raw_text_end(html, at, raw);
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// What a `<` of HTML starts, read as a browser reads it.
pub enum Markup {
    /// A start tag, or an end tag (`closing`), with the range of its name.
    Tag { name: Range<usize>, closing: bool },
    /// A comment, `<!DOCTYPE …>`, `<?…>`, or a `<` that starts no tag:
    /// reading goes on at `to`.
    Skip { to: usize },
}

/// What the `<` at `lt` of `html` starts.
pub fn markup_at(html: &str, lt: usize) -> Markup {
    let bytes = html.as_bytes();
    let rest = &html[lt..];
    if let Some(comment) = rest.strip_prefix("<!--") {
        let to = comment.find("-->").map_or(html.len(), |i| lt + 4 + i + 3);
        return Markup::Skip { to };
    }
    let closing = rest.starts_with("</");
    let name_start = lt + if closing { 2 } else { 1 };
    if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
        let to = if rest.starts_with("<!") || rest.starts_with("<?") {
            rest.find('>').map_or(html.len(), |i| lt + i + 1)
        } else {
            lt + 1
        };
        return Markup::Skip { to };
    }
    let name_end = scan(bytes, name_start, |b| {
        !is_space(b) && b != b'/' && b != b'>'
    });
    Markup::Tag {
        name: name_start..name_end,
        closing,
    }
}

/// An attribute of a tag, as its bytes lie in the HTML.
pub struct Attribute {
    /// Its name, as written.
    pub name: Range<usize>,
    /// Its value, without quotes and entities undecoded; `None` for a bare name.
    pub value: Option<Range<usize>>,
    /// Where the value starts, its opening quote included.
    pub value_start: usize,
    /// Just past the attribute.
    pub end: usize,
}

/// The attribute of a tag at or after `from`, read as a browser does; `Err`
/// with the index of the `>` that ends the tag (or the end of the HTML).
pub fn attribute(bytes: &[u8], from: usize) -> Result<Attribute, usize> {
    let start = scan(bytes, from, |b| is_space(b) || b == b'/');
    if start >= bytes.len() || bytes[start] == b'>' {
        return Err(start);
    }
    let name_end = scan(bytes, start + 1, |b| {
        !is_space(b) && b != b'/' && b != b'>' && b != b'='
    });
    let after_name = scan(bytes, name_end, is_space);
    if bytes.get(after_name) != Some(&b'=') {
        return Ok(Attribute {
            name: start..name_end,
            value: None,
            value_start: name_end,
            end: name_end,
        });
    }
    let value_start = scan(bytes, after_name + 1, is_space);
    let (value, end) = match bytes.get(value_start) {
        Some(&quote @ (b'"' | b'\'')) => {
            // Values run long (css-inline's `style`s): memchr, not a byte at a time.
            let end = memchr::memchr(quote, &bytes[value_start + 1..])
                .map_or(bytes.len(), |i| value_start + 1 + i);
            (value_start + 1..end, (end + 1).min(bytes.len()))
        }
        _ => {
            let end = scan(bytes, value_start, |b| !is_space(b) && b != b'>');
            (value_start..end, end)
        }
    };
    Ok(Attribute {
        name: start..name_end,
        value: Some(value),
        value_start,
        end,
    })
}

/// An attribute value as written, its entities decoded: those gazette's
/// HTML and its serialisers write, and `&amp;` of an editor's raw HTML.
pub fn decode(value: &str) -> String {
    if !value.contains('&') {
        return value.to_owned();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The first index from `from` whose byte fails `keep` (or the end).
fn scan(bytes: &[u8], from: usize, keep: impl Fn(u8) -> bool) -> usize {
    let from = from.min(bytes.len());
    bytes[from..]
        .iter()
        .position(|&b| !keep(b))
        .map_or(bytes.len(), |i| from + i)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Where the raw text of element `name` that starts at `from` ends: at its
/// end tag, in any case (or at the end of `html`).
pub fn raw_text_end(html: &str, from: usize, name: &str) -> usize {
    let mut at = from;
    while let Some(i) = html[at..].find("</") {
        let tag = at + i + 2;
        let matches = html
            .get(tag..tag + name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name));
        if matches {
            return at + i;
        }
        at = tag;
    }
    html.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upper_values(html: &str) -> String {
        rewrite(html, |part| match part {
            Part::Value { value, .. } => Some(value.to_uppercase()),
            Part::Name { .. } => None,
        })
    }

    // Values in every quoting come back double-quoted; text, comments and
    // raw text that look like attributes are left alone.
    #[test]
    fn rewrites_inside_tags_only() {
        assert_eq!(
            upper_values(
                "<a href=\"x\" title='y' data-n=z checked>id=\"t\"</a><!-- <b id=\"c\"> --><style>p[id=\"s\"]{}</style><code>href=\"k\"</code>"
            ),
            "<a href=\"X\" title=\"Y\" data-n=\"Z\" checked>id=\"t\"</a><!-- <b id=\"c\"> --><style>p[id=\"s\"]{}</style><code>href=\"k\"</code>"
        );
    }

    // Names of start and end tags can be replaced; broken markup is copied.
    #[test]
    fn rewrites_names_and_survives_broken_markup() {
        let out = rewrite("<h2 id=\"a\">A</h2> 1 < 2 <p", |part| match part {
            Part::Name { name: "h2", .. } => Some("h3".to_owned()),
            _ => None,
        });
        assert_eq!(out, "<h3 id=\"a\">A</h3> 1 < 2 <p");
        assert_eq!(upper_values("<a href=\"x"), "<a href=\"X\"");
        assert_eq!(upper_values("<a href="), "<a href=\"\"");
    }

    // Attribute names are offered in lower case, however they are written.
    #[test]
    fn attribute_names_in_lower_case() {
        let mut seen = Vec::new();
        rewrite("<a HREF=\"x\" Title=y data-n=z>", |part| {
            if let Part::Value { attribute, .. } = part {
                seen.push(attribute.to_owned());
            }
            None
        });
        assert_eq!(seen, ["href", "title", "data-n"]);
    }
}
