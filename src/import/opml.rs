//! An OPML list (what feed readers export) -> the addresses of its feeds.
//!
//! Takes the bytes of an OPML file and returns the `xmlUrl` of every
//! `<outline>`, folders of outlines included, in the order written, each
//! once; or why the list cannot be read. Resolving each address against
//! where the list came from is for the caller.

use quick_xml::XmlVersion;

use super::xml;

/// The feeds of an OPML list, or why it has none.
pub fn feeds(bytes: &[u8]) -> Result<Vec<String>, String> {
    let mut feeds: Vec<String> = Vec::new();
    let mut bad = None;
    xml::walk(bytes, |element| {
        if !element
            .local_name()
            .as_ref()
            .eq_ignore_ascii_case("outline")
        {
            return true;
        }
        for attr in element.attributes().with_checks(false).flatten() {
            if !attr
                .key
                .local_name()
                .as_ref()
                .eq_ignore_ascii_case("xmlurl")
            {
                continue;
            }
            match attr.normalized_value(XmlVersion::Implicit1_0) {
                Ok(value) => {
                    let value = value.trim();
                    if !value.is_empty() && !feeds.iter().any(|f| f == value) {
                        feeds.push(value.to_owned());
                    }
                }
                Err(e) => {
                    bad.get_or_insert(format!("an `xmlUrl` cannot be read: {e}"));
                }
            }
        }
        true
    })?;
    if let Some(bad) = bad {
        return Err(bad);
    }
    if feeds.is_empty() {
        return Err("it lists no feeds (no `<outline xmlUrl=\"…\">`)".to_owned());
    }
    Ok(feeds)
}

#[cfg(test)]
mod tests {
    use super::feeds;

    // Outlines in folders count, each feed once, in order; a list of none is an error.
    #[test]
    fn lists_feeds_in_order() {
        let opml = br#"<?xml version="1.0"?>
<opml version="2.0"><head><title>Subscriptions</title></head><body>
  <outline text="News">
    <outline type="rss" text="A" xmlUrl="https://a.example/feed.xml?x=1&amp;y=2"/>
    <outline type="rss" text="B" xmlurl=" https://b.example/atom.xml "/>
  </outline>
  <outline type="rss" text="A again" xmlUrl="https://a.example/feed.xml?x=1&amp;y=2"/>
</body></opml>"#;
        assert_eq!(
            feeds(opml),
            Ok(vec![
                "https://a.example/feed.xml?x=1&y=2".to_owned(),
                "https://b.example/atom.xml".to_owned()
            ])
        );
        let empty = b"<opml version=\"2.0\"><body><outline text=\"x\"/></body></opml>";
        assert!(feeds(empty).is_err_and(|e| e.contains("lists no feeds")));
        let cut = b"<opml version=\"2.0\"><body><outline xmlUrl=\"https://a.example/\"/>";
        assert!(feeds(cut).is_err_and(|e| e.contains("ends before")));
    }
}
