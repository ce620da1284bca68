//! What a downloaded document is, and whether its XML is whole.
//!
//! Takes the bytes of a source and tells a JSON Feed from an XML feed, an
//! OPML list and anything else (a web page, a file of another kind), by the
//! first character and the root element. [`walk`] reads an XML document to
//! its end with quick-xml and says where it is broken, or that it ends with
//! elements open: a download cut short must not pass for a feed, and the
//! editor should hear that it was cut, not that "a tag is not closed".

use quick_xml::errors::SyntaxError;
use quick_xml::events::{BytesStart, Event};

/// What a source holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A JSON document: a JSON Feed, if anything.
    Json,
    /// An XML feed: `<rss>`, `<feed>` (Atom) or `<rdf:RDF>` (RSS 1.0).
    XmlFeed,
    /// An OPML list of feeds.
    Opml,
}

/// What `bytes` hold, or why they are nothing gazette imports.
pub fn kind(bytes: &[u8]) -> Result<Kind, String> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        None => return Err("it is empty".to_owned()),
        Some(b'{') => return Ok(Kind::Json),
        Some(b'<') => {}
        Some(_) => return Err("it is neither XML nor JSON".to_owned()),
    }
    let mut root = None;
    let found = walk(bytes, |element| {
        root.get_or_insert_with(|| element.local_name().as_ref().to_owned());
        false
    });
    let Some(root) = root else {
        found?;
        return Err("it has no root element".to_owned());
    };
    // Whether the rest is well-formed is for the reader of its kind to say.
    match root.to_ascii_lowercase().as_str() {
        "rss" | "feed" | "rdf" => Ok(Kind::XmlFeed),
        "opml" => Ok(Kind::Opml),
        "html" => Err("it is a web page (HTML), not a feed".to_owned()),
        _ => Err(format!("it is XML whose root is `<{root}>`, not a feed")),
    }
}

/// Reads the XML of `bytes` to its end, calling `visit` with each element's
/// start tag; `Err` says where it is not well-formed, or that it ends with
/// elements still open. Stops early, `Ok`, when `visit` returns `false`.
pub fn walk(bytes: &[u8], mut visit: impl FnMut(&BytesStart<'_>) -> bool) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut depth = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| match e {
            // Every syntax error but this one is something left open at the end.
            quick_xml::Error::Syntax(e) if e != SyntaxError::InvalidBangMarkup => cut_short(bytes),
            e => {
                let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                format!(
                    "it is not well-formed XML (line {}): {e}",
                    line_of(bytes, at)
                )
            }
        })?;
        match event {
            Event::Start(element) => {
                depth += 1;
                if !visit(&element) {
                    return Ok(());
                }
            }
            Event::Empty(element) if !visit(&element) => return Ok(()),
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Eof if depth > 0 => return Err(cut_short(bytes)),
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn cut_short(bytes: &[u8]) -> String {
    format!(
        "it ends before its elements are closed (line {}): was the download cut short?",
        line_of(bytes, bytes.len())
    )
}

/// The 1-based line of byte `at` of `bytes`.
fn line_of(bytes: &[u8], at: usize) -> usize {
    let at = at.min(bytes.len());
    bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1
}
