//! The Atom 1.0 writer both kinds of feed share.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset};

use super::xml_escape;
use crate::render::values::rfc3339;
use crate::site::Site;

pub(super) struct AtomEntry<'a> {
    pub title: &'a str,
    pub id: &'a str,
    pub link: &'a str,
    /// The outlet's article, for entries.
    pub related: Option<&'a str>,
    pub published: DateTime<FixedOffset>,
    pub updated: DateTime<FixedOffset>,
    pub summary: &'a str,
    pub html: &'a str,
}

/// An Atom feed of `entries`, each an `<entry>` element made by [`entry`]
/// and when it was last updated.
pub(super) fn atom(
    site: &Site,
    title: &str,
    subtitle: &str,
    self_url: &str,
    alternate: &str,
    entries: &[(DateTime<FixedOffset>, &str)],
) -> String {
    let config = &site.config;
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml_escape(&config.language)
    );
    let _ = writeln!(xml, "<title>{}</title>", xml_escape(title));
    if !subtitle.is_empty() {
        let _ = writeln!(xml, "<subtitle>{}</subtitle>", xml_escape(subtitle));
    }
    let _ = writeln!(xml, "<id>{}</id>", xml_escape(self_url));
    let _ = writeln!(
        xml,
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml_escape(self_url)
    );
    let _ = writeln!(
        xml,
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml_escape(alternate)
    );
    // An empty feed (a tag of stories only) still needs `updated`: the
    // newest issue's day says when the site last changed, and stays the
    // same from build to build.
    let updated = entries
        .iter()
        .map(|&(updated, _)| updated)
        .max()
        .or_else(|| site.issues.first().map(|i| site.midnight(i.date)))
        .map_or_else(|| "1970-01-01T00:00:00+00:00".to_owned(), rfc3339);
    let _ = writeln!(xml, "<updated>{updated}</updated>");
    let _ = writeln!(
        xml,
        "<author><name>{}</name></author>",
        xml_escape(&config.editor)
    );
    let _ = writeln!(xml, "<generator>gazette</generator>");
    xml.reserve(entries.iter().map(|(_, e)| e.len()).sum::<usize>() + 8);
    for (_, entry) in entries {
        xml.push_str(entry);
    }
    xml.push_str("</feed>\n");
    xml
}

/// The `<entry>` element of `entry`.
pub(super) fn entry(entry: &AtomEntry<'_>) -> String {
    let mut xml = String::with_capacity(entry.html.len() + entry.html.len() / 8 + 512);
    xml.push_str("<entry>\n");
    let _ = writeln!(xml, "<title>{}</title>", xml_escape(entry.title));
    let _ = writeln!(xml, "<id>{}</id>", xml_escape(entry.id));
    let _ = writeln!(
        xml,
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml_escape(entry.link)
    );
    if let Some(related) = entry.related {
        let _ = writeln!(
            xml,
            "<link rel=\"related\" href=\"{}\"/>",
            xml_escape(related)
        );
    }
    let _ = writeln!(xml, "<published>{}</published>", rfc3339(entry.published));
    let _ = writeln!(xml, "<updated>{}</updated>", rfc3339(entry.updated));
    if !entry.summary.is_empty() {
        let _ = writeln!(xml, "<summary>{}</summary>", xml_escape(entry.summary));
    }
    let _ = writeln!(
        xml,
        "<content type=\"html\">{}</content>",
        xml_escape(entry.html)
    );
    xml.push_str("</entry>\n");
    xml
}
