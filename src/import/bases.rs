//! The `xml:base` in scope of each Atom entry's summary and content.
//!
//! A relative link in an entry's HTML resolves against the base in scope
//! where it is written (XML Base, which RFC 4287 adopts): the `xml:base` of
//! the `<summary>` or `<content>`, else of its `<entry>`, else of the
//! `<feed>`, each resolved against the one around it. feed-rs resolves the
//! entries' `<link>`s that way but keeps no base for a summary, so [`read`]
//! reads the document once more with quick-xml. Where no `xml:base` is in
//! scope it gives none, and the caller's own choice (the entry's link)
//! stands.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use url::Url;

/// The `xml:base` in scope of one entry's summary and content, if any.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Bases {
    pub summary: Option<Url>,
    pub content: Option<Url>,
}

/// One [`Bases`] per `<entry>` of an Atom document, in the document's
/// order; `document` (where it was downloaded from) resolves a relative
/// `xml:base`. `None` when it is not Atom or not well-formed XML (the
/// feed's reader then says why).
pub fn read(bytes: &[u8], document: Option<&Url>) -> Option<Vec<Bases>> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    // The base in scope inside each open element, outermost first.
    let mut scope: Vec<Option<Url>> = Vec::new();
    let mut entries = Vec::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(element) => {
                let name = element.local_name();
                if scope.is_empty() && name.as_ref() != "feed" {
                    return None;
                }
                let outer = scope.last().cloned().flatten();
                let base = base_of(&element, outer.as_ref(), document).or(outer);
                match (scope.len(), name.as_ref()) {
                    (1, "entry") => entries.push(Bases::default()),
                    (2, "summary") => {
                        if let Some(entry) = entries.last_mut() {
                            entry.summary.clone_from(&base);
                        }
                    }
                    (2, "content") => {
                        if let Some(entry) = entries.last_mut() {
                            entry.content.clone_from(&base);
                        }
                    }
                    _ => {}
                }
                scope.push(base);
            }
            Event::Empty(element)
                if scope.len() == 1 && element.local_name().as_ref() == "entry" =>
            {
                entries.push(Bases::default());
            }
            Event::End(_) => {
                scope.pop();
            }
            Event::Eof => return Some(entries),
            _ => {}
        }
    }
}

/// `element`'s own `xml:base`, resolved against the base around it (else
/// the document's address); `None` when it has none that resolves.
fn base_of(element: &BytesStart<'_>, outer: Option<&Url>, document: Option<&Url>) -> Option<Url> {
    let attr = element
        .attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == "xml:base")?;
    let value = attr.normalized_value(XmlVersion::Implicit1_0).ok()?;
    match outer.or(document) {
        Some(outer) => outer.join(value.trim()).ok(),
        None => Url::parse(value.trim()).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Option<Url> {
        Url::parse(s).ok()
    }

    // Each entry's summary and content get the innermost base, resolved
    // against the ones around it; an entry in no base gets none.
    #[test]
    fn the_innermost_base_holds() {
        let atom = br#"<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://a.example/news/">
<entry><summary>s</summary><content xml:base="2026/">c</content></entry>
<entry xml:base="/other/"><summary xml:base="deep/">s</summary></entry>
</feed>"#;
        assert_eq!(
            read(atom, None),
            Some(vec![
                Bases {
                    summary: url("https://a.example/news/"),
                    content: url("https://a.example/news/2026/"),
                },
                Bases {
                    summary: url("https://a.example/other/deep/"),
                    content: None,
                },
            ])
        );
        let plain = b"<feed><entry><summary>s</summary></entry></feed>";
        assert_eq!(read(plain, None), Some(vec![Bases::default()]));
        assert_eq!(read(b"<rss><channel/></rss>", None), None);
    }
}
