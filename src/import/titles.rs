//! The titles of an RSS feed, read as the HTML they are in practice.
//!
//! RSS calls a `<title>` plain text, but feeds put HTML in it: escaped
//! (`&lt;b&gt;`), in CDATA, or as child elements. feed-rs takes a title's
//! text as it stands, so a CDATA title keeps its tags and entities, and one
//! with a child element keeps only what comes before it
//! (`Robots &amp; AI — <b>bold</b>` loses `bold`). [`read`] takes each RSS
//! title's content as HTML source instead, for
//! [`super::summary::headline_from_html`] to make plain text of, as an Atom
//! `type="html"` title is: tags go, entities are decoded, the words stay.
//! Atom titles say what they are, so feed-rs's reading of them stands.

use quick_xml::events::{BytesRef, Event};

/// The titles of an RSS 0.9x, 1.0 or 2.0 document, as HTML source.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Titles {
    /// The channel's `<title>`, if it has one.
    pub channel: Option<String>,
    /// One per `<item>`, in the document's order: its `<title>`, if any.
    pub items: Vec<Option<String>>,
}

/// The RSS titles of `bytes`; `None` when it is not an RSS document or not
/// well-formed XML (the feed's reader then says why).
pub fn read(bytes: &[u8]) -> Option<Titles> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut open: Vec<String> = Vec::new();
    let mut titles = Titles::default();
    // The HTML of the title being read, and how deep its element is.
    let mut title: Option<(String, usize)> = None;
    loop {
        match reader.read_event().ok()? {
            Event::Start(element) => {
                let qname = element.name();
                let name: &str = qname.as_ref();
                if open.is_empty() && !is_rss_root(element.local_name().as_ref()) {
                    return None;
                }
                if let Some((html, _)) = title.as_mut() {
                    html.push_str(&format!("<{name}>"));
                } else if name == "title"
                    && open.last().is_some_and(|p| p == "item" || p == "channel")
                {
                    title = Some((String::new(), open.len()));
                } else if name == "item" {
                    titles.items.push(None);
                }
                open.push(name.to_owned());
            }
            Event::Empty(element) => {
                let qname = element.name();
                let name: &str = qname.as_ref();
                if let Some((html, _)) = title.as_mut() {
                    html.push_str(&format!("<{name}>"));
                } else if name == "item" {
                    titles.items.push(None);
                }
            }
            Event::End(_) => {
                let closed = open.pop().unwrap_or_default();
                match title.take() {
                    Some((html, depth)) if depth == open.len() => keep(&mut titles, &open, html),
                    Some((mut html, depth)) => {
                        html.push_str(&format!("</{closed}>"));
                        title = Some((html, depth));
                    }
                    None => {}
                }
            }
            Event::Text(text) => push(&mut title, &text.xml10_content()),
            Event::CData(text) => push(&mut title, &text.xml10_content()),
            Event::GeneralRef(reference) => push(&mut title, &resolve(&reference)),
            Event::Eof => return Some(titles),
            _ => {}
        }
    }
}

/// Whether a root element's local name is RSS 2.0's (and 0.9x's) or RSS
/// 1.0's (`rdf:RDF`).
fn is_rss_root(local_name: &str) -> bool {
    local_name.eq_ignore_ascii_case("rss") || local_name.eq_ignore_ascii_case("rdf")
}

/// Files a title read whole under the element that holds it (`open`'s last).
fn keep(titles: &mut Titles, open: &[String], html: String) {
    match open.last().map(String::as_str) {
        Some("item") => {
            if let Some(item) = titles.items.last_mut() {
                *item = Some(html);
            }
        }
        _ => titles.channel = Some(html),
    }
}

fn push(title: &mut Option<(String, usize)>, text: &str) {
    if let Some((html, _)) = title.as_mut() {
        html.push_str(text);
    }
}

/// An XML reference as the text it stands for: `&lt;` is `<`, so escaped
/// HTML becomes HTML source. A name XML does not define (`&mdash;`, from a
/// feed that means HTML) is left for the HTML reader.
fn resolve(reference: &BytesRef<'_>) -> String {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        return c.to_string();
    }
    let name = reference.html_content();
    match quick_xml::escape::resolve_predefined_entity(&name) {
        Some(text) => text.to_owned(),
        None => format!("&{name};"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Escaped HTML, CDATA and child elements all come out as HTML source;
    // the titles of other elements (an image's) are not a channel's or
    // an item's.
    #[test]
    fn titles_are_html_source() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>A &amp;amp; B</title>
<image><title>Logo</title></image>
<item><title><![CDATA[Robots <b>bold</b> &amp; "quoted"]]></title></item>
<item><title>Robots &amp; AI — <b>bold</b> &lt;i&gt;x&lt;/i&gt;&#33;</title></item>
<item><link>https://a.example/</link></item>
<item/>
</channel></rss>"#;
        let titles = read(rss.as_bytes()).expect("RSS");
        assert_eq!(titles.channel.as_deref(), Some("A &amp; B"));
        assert_eq!(
            titles.items,
            [
                Some(r#"Robots <b>bold</b> &amp; "quoted""#.to_owned()),
                Some("Robots & AI — <b>bold</b> <i>x</i>!".to_owned()),
                None,
                None,
            ]
        );
    }

    // Atom is not RSS: its titles say their type, and feed-rs reads them.
    #[test]
    fn atom_is_left_alone() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>"#;
        assert_eq!(read(atom.as_bytes()), None);
    }
}
