//! The bytes of an RSS 2.0, Atom or JSON Feed document -> the items to import.
//!
//! Takes what a source held and returns its title, its site's address and
//! each item as gazette needs it: a plain-text headline, the article's
//! address, its time of publication and a Markdown summary
//! ([`super::summary`]); or why it is not a feed gazette can read. The
//! reading is feed-rs's; an XML feed is first read to its end by
//! [`super::xml::walk`], which says plainly where it breaks or that it was
//! cut short (feed-rs says "tag not closed" for most cuts, and reads one
//! cut after `</channel>` as if whole).

use chrono::{DateTime, Utc};
use feed_rs::model::{Entry, Link, Text};
use feed_rs::parser::{ParseErrorKind, ParseFeedError};

use super::bases::{self, Bases};
use super::summary;
use super::titles;
use super::xml::{self, Kind};
use crate::source::url::check_http_url;

/// A feed, as gazette imports it.
#[derive(Debug)]
pub struct Feed {
    /// Its title, plain text; may be empty.
    pub title: String,
    /// The address of the site it is the feed of, if it says.
    pub home: Option<String>,
    /// In the feed's order.
    pub items: Vec<Item>,
}

/// One item of a feed.
#[derive(Debug)]
pub struct Item {
    /// Plain text, tidied; never empty (the link stands in for a missing title).
    pub headline: String,
    /// The article's address, as the feed gave it; `None` when it gave none.
    pub link: Option<String>,
    /// When it was published, else last updated.
    pub date: Option<DateTime<Utc>>,
    /// Markdown, safe to write as is; may be empty.
    pub summary: String,
}

/// Reads a feed; `base` (where it was downloaded from) resolves relative links.
pub fn parse(bytes: &[u8], kind: Kind, base: Option<&url::Url>) -> Result<Feed, String> {
    if kind == Kind::XmlFeed {
        xml::walk(bytes, |_| true)?;
    }
    let feed = feed_rs::parser::Builder::new()
        .base_uri(base.map(url::Url::as_str))
        .sanitize_content(false)
        .build()
        .parse(bytes)
        .map_err(|e| why(&e))?;
    // An RSS title is HTML whatever RSS says (see `titles`); each item's
    // is matched to its entry by order, so only when feed-rs kept every
    // item (RSS 1.0 drops those without a link).
    let rss = (kind == Kind::XmlFeed)
        .then(|| titles::read(bytes))
        .flatten()
        .filter(|titles| titles.items.len() == feed.entries.len());
    let title = match rss.as_ref().and_then(|t| t.channel.as_deref()) {
        Some(html) => summary::headline_from_html(html),
        None => feed.title.as_ref().map(plain).unwrap_or_default(),
    };
    let item_titles = rss.map(|t| t.items).unwrap_or_default();
    // Matched to entries by order, as the titles are.
    let item_bases = (kind == Kind::XmlFeed)
        .then(|| bases::read(bytes, base))
        .flatten()
        .filter(|bases| bases.len() == feed.entries.len())
        .unwrap_or_default();
    let items = (feed.entries.iter().enumerate())
        .map(|(n, entry)| {
            let title = item_titles.get(n).and_then(Option::as_deref);
            item(entry, title, item_bases.get(n))
        })
        .collect();
    Ok(Feed {
        title,
        home: article_link(&feed.links),
        items,
    })
}

/// feed-rs's error, said for an editor.
fn why(error: &ParseFeedError) -> String {
    match error {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => {
            "it is not an RSS, Atom or JSON feed".to_owned()
        }
        ParseFeedError::XmlReader(e) => format!("it is not well-formed XML: {e}"),
        ParseFeedError::JsonSerde(e) => format!("it is not a JSON Feed: {e}"),
        ParseFeedError::JsonUnsupportedVersion(v) => {
            format!("it is a JSON Feed of a version gazette does not know (`{v}`)")
        }
        other => format!("it cannot be read as a feed: {other}"),
    }
}

/// One entry as gazette imports it; `rss_title` is its RSS `<title>` as
/// HTML source, read by [`titles::read`], which wins over feed-rs's;
/// `bases`, the Atom `xml:base` in scope of its summary and content, by
/// [`bases::read`], which wins over its link as the base of their links.
fn item(entry: &Entry, rss_title: Option<&str>, bases: Option<&Bases>) -> Item {
    let link = article_link(&entry.links).or_else(|| {
        check_http_url(entry.id.trim())
            .is_ok()
            .then(|| entry.id.trim().to_owned())
    });
    let base = link.as_deref().and_then(|l| url::Url::parse(l).ok());
    let summary_base = bases.and_then(|b| b.summary.as_ref()).or(base.as_ref());
    let content_base = bases.and_then(|b| b.content.as_ref()).or(base.as_ref());
    let summary = entry
        .summary
        .as_ref()
        .map(|text| markdown(text.content_type.as_ref(), &text.content, summary_base))
        .filter(|s| !s.is_empty())
        .or_else(|| {
            let content = entry.content.as_ref()?;
            let body = content.body.as_deref()?;
            Some(markdown(content.content_type.as_ref(), body, content_base))
        })
        .unwrap_or_default();
    let headline = match rss_title {
        Some(html) => summary::headline_from_html(html),
        None => entry.title.as_ref().map(plain).unwrap_or_default(),
    };
    let headline = match (headline.is_empty(), &link) {
        (false, _) => headline,
        (true, Some(link)) => summary::headline(link),
        (true, None) => "Untitled".to_owned(),
    };
    Item {
        headline,
        link,
        date: entry.published.or(entry.updated),
        summary,
    }
}

/// The address of the article (or site) among `links`: the first that is
/// neither another relation (`self`, `enclosure`, `replies`) nor comments.
fn article_link(links: &[Link]) -> Option<String> {
    links
        .iter()
        .find(|l| l.target.is_none() && l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .map(|l| l.href.trim().to_owned())
        .filter(|href| !href.is_empty())
}

/// A text construct (a title) as plain text.
fn plain(text: &Text) -> String {
    if is_html(text.content_type.as_ref()) {
        summary::headline_from_html(&text.content)
    } else {
        summary::headline(&text.content)
    }
}

/// A summary or content of media type `mime` as Markdown; empty for kinds
/// that are not text (an Atom `<content>` of base64, say).
fn markdown(mime: &str, body: &str, base: Option<&url::Url>) -> String {
    if is_html(mime) {
        summary::from_html(body, base)
    } else if mime.starts_with("text/") {
        summary::from_text(body)
    } else {
        String::new()
    }
}

fn is_html(mime: &str) -> bool {
    mime.contains("html")
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>One</title><link>https://a.example/1</link><pubDate>Wed, 25 Nov 2026 15:30:00 +0000</pubDate></item>
<item><title>Two</title><guid>https://a.example/2</guid><description>&lt;p&gt;Hi &amp;amp; bye&lt;/p&gt;</description></item>
</channel></rss>"#;

    // Items keep the feed's order; a guid that is a web address stands in
    // for a missing link; an HTML description becomes Markdown.
    #[test]
    fn reads_items() {
        let feed = parse(RSS.as_bytes(), Kind::XmlFeed, None).expect("a feed");
        assert_eq!(feed.title, "T");
        let [one, two] = &feed.items[..] else {
            panic!("two items: {:?}", feed.items);
        };
        assert_eq!(one.link.as_deref(), Some("https://a.example/1"));
        assert!(one.date.is_some());
        assert_eq!(two.link.as_deref(), Some("https://a.example/2"));
        assert_eq!(two.summary, "Hi & bye");
    }

    // An RSS title is read as HTML, as an Atom `type="html"` one is: in
    // CDATA or with child elements, its text is the headline.
    #[test]
    fn rss_titles_are_html_text() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>T &lt;i&gt;x&lt;/i&gt;</title>
<item><title><![CDATA[Robots <b>bold</b> &amp; "quoted"]]></title><link>https://a.example/1</link></item>
<item><title>Robots &amp; AI — <b>bold</b></title><link>https://a.example/2</link></item>
<item><title>Plain &amp;amp; simple</title><link>https://a.example/3</link></item>
</channel></rss>"#;
        let feed = parse(rss.as_bytes(), Kind::XmlFeed, None).expect("a feed");
        assert_eq!(feed.title, "T x");
        let headlines: Vec<&str> = feed.items.iter().map(|i| i.headline.as_str()).collect();
        assert_eq!(
            headlines,
            [
                "Robots bold & \"quoted\"",
                "Robots & AI — bold",
                "Plain & simple"
            ]
        );
    }

    // Cut short, a feed is refused with a plain reason, even where
    // feed-rs alone would read it whole (cut after `</channel>`).
    #[test]
    fn a_cut_feed_is_refused() {
        let end = RSS.find("</channel>").expect("a channel") + "</channel>".len();
        assert!(feed_rs::parser::parse(&RSS.as_bytes()[..end]).is_ok());
        let why = parse(&RSS.as_bytes()[..end], Kind::XmlFeed, None).expect_err("refused");
        assert!(why.contains("ends before its elements are closed"), "{why}");
        let item = RSS.find("<item><title>Two").expect("item two");
        let why = parse(&RSS.as_bytes()[..item], Kind::XmlFeed, None).expect_err("refused");
        assert!(why.contains("ends before its elements are closed"), "{why}");
    }
}
