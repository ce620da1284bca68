//! Feeds, built in: RSS 2.0 (`/feed.xml`), Atom 1.0 (`/atom.xml`) and JSON
//! Feed 1.1 (`/feed.json`) with one item per issue holding the issue's whole
//! content, and an Atom feed per tag and per outlet with one item per entry.
//!
//! Ids are permalinks, so they never change; dates are the site's timezone;
//! every URL is absolute; text is escaped for XML or JSON.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset};
use serde_json::json;
use url::Url;

use super::links::{Utm, absolutize};
use super::values::rfc3339;
use crate::markdown::escape_html;
use crate::site::{EntryId, Issue, Site};

/// Entries in a tag's or an outlet's feed, newest first.
pub const ENTRY_FEED_LIMIT: usize = 50;

/// The three site feeds, as (output path, text).
pub fn site_feeds(site: &Site) -> Vec<(String, String)> {
    let issues: Vec<IssueItem> = site
        .issues
        .iter()
        .take(site.config.feed_limit)
        .map(|issue| IssueItem::new(site, issue))
        .collect();
    vec![
        ("feed.xml".to_owned(), rss(site, &issues)),
        ("atom.xml".to_owned(), atom_issues(site, &issues)),
        ("feed.json".to_owned(), json_feed(site, &issues)),
    ]
}

/// One issue as a feed item.
struct IssueItem {
    title: String,
    permalink: String,
    published: DateTime<FixedOffset>,
    updated: DateTime<FixedOffset>,
    html: String,
    summary: String,
}

impl IssueItem {
    fn new(site: &Site, issue: &Issue) -> IssueItem {
        let config = &site.config;
        let permalink = config.permalink(&issue.path);
        let published = site.midnight(issue.date);
        let entry_dates = issue
            .stories
            .iter()
            .flat_map(|&s| site.stories[s].coverage.iter())
            .chain(&issue.entries)
            .map(|&e| site.entries[e].date);
        let updated = entry_dates.fold(published, |a, b| a.max(b));
        let lead = issue.stories.first().map(|&s| &site.stories[s]);
        let summary = match lead {
            Some(story) if story.dek.is_empty() => story.headline.clone(),
            Some(story) => format!("{} — {}", story.headline, story.dek),
            None => issue.note_text.clone(),
        };
        IssueItem {
            title: issue.title.clone(),
            html: issue_html(site, issue, &permalink),
            permalink,
            published,
            updated,
            summary,
        }
    }
}

/// An issue's full content as plain, feed-reader-friendly HTML.
fn issue_html(site: &Site, issue: &Issue, permalink: &str) -> String {
    let mut html = String::new();
    html.push_str(&issue.note_html);
    for &id in &issue.stories {
        let story = &site.stories[id];
        let _ = write!(
            html,
            "<h2><a href=\"{}\">{}</a></h2>",
            escape_html(&site.config.permalink(&story.path)),
            escape_html(&story.headline)
        );
        if !story.dek.is_empty() {
            let _ = write!(html, "<p><em>{}</em></p>", escape_html(&story.dek));
        }
        html.push_str(&story.html);
        if !story.coverage.is_empty() {
            html.push_str("<h3>Coverage</h3>");
            entry_list(site, &story.coverage, &mut html);
        }
    }
    if !issue.entries.is_empty() {
        html.push_str("<h2>More links</h2>");
        entry_list(site, &issue.entries, &mut html);
    }
    match (Url::parse(permalink), Url::parse(&site.config.base_url)) {
        (Ok(page), Ok(own)) => absolutize(&html, &page, &own, &Utm::default(), &[]),
        _ => html,
    }
}

fn entry_list(site: &Site, entries: &[EntryId], html: &mut String) {
    html.push_str("<ul>");
    for &id in entries {
        let entry = &site.entries[id];
        let outlet = &site.outlets[entry.outlet];
        html.push_str("<li>");
        if !outlet.tagline.is_empty() {
            let _ = write!(
                html,
                "<p><small>{}</small></p>",
                escape_html(&outlet.tagline)
            );
        }
        let blurb = site.blurb(entry);
        if !blurb.is_empty() {
            let _ = write!(
                html,
                "<blockquote><p>“{}”</p><p>— {}</p></blockquote>",
                escape_html(blurb),
                escape_html(&site.config.editor)
            );
        }
        let _ = write!(
            html,
            "<p><a href=\"{}\"><strong>{}</strong></a> ({})</p>{}</li>",
            escape_html(&entry.url),
            escape_html(&entry.headline),
            escape_html(&outlet.name),
            entry.summary_html
        );
    }
    html.push_str("</ul>");
}

fn rss(site: &Site, items: &[IssueItem]) -> String {
    let config = &site.config;
    let description = if config.description.is_empty() {
        &config.title
    } else {
        &config.description
    };
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n",
    );
    let _ = writeln!(xml, "<title>{}</title>", xml_escape(&config.title));
    let _ = writeln!(xml, "<link>{}</link>", xml_escape(&config.base_url));
    let _ = writeln!(
        xml,
        "<description>{}</description>",
        xml_escape(description)
    );
    let _ = writeln!(xml, "<language>{}</language>", xml_escape(&config.language));
    let _ = writeln!(xml, "<generator>gazette</generator>");
    if let Some(newest) = items.iter().map(|i| i.updated).max() {
        let _ = writeln!(
            xml,
            "<lastBuildDate>{}</lastBuildDate>",
            newest.to_rfc2822()
        );
    }
    let _ = writeln!(
        xml,
        "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
        xml_escape(&config.permalink("feed.xml"))
    );
    for item in items {
        xml.push_str("<item>\n");
        let _ = writeln!(xml, "<title>{}</title>", xml_escape(&item.title));
        let _ = writeln!(xml, "<link>{}</link>", xml_escape(&item.permalink));
        let _ = writeln!(
            xml,
            "<guid isPermaLink=\"true\">{}</guid>",
            xml_escape(&item.permalink)
        );
        let _ = writeln!(xml, "<pubDate>{}</pubDate>", item.published.to_rfc2822());
        let _ = writeln!(xml, "<description>{}</description>", xml_escape(&item.html));
        xml.push_str("</item>\n");
    }
    xml.push_str("</channel>\n</rss>\n");
    xml
}

fn atom_issues(site: &Site, items: &[IssueItem]) -> String {
    let config = &site.config;
    let entries: Vec<AtomEntry<'_>> = items
        .iter()
        .map(|item| AtomEntry {
            title: &item.title,
            id: &item.permalink,
            link: &item.permalink,
            related: None,
            published: item.published,
            updated: item.updated,
            summary: &item.summary,
            html: item.html.clone(),
        })
        .collect();
    atom(
        site,
        &config.title,
        &config.description,
        &config.permalink("atom.xml"),
        &config.base_url,
        &entries,
    )
}

/// The Atom feed of a tag's or an outlet's entries, newest first.
pub fn entry_feed(site: &Site, title: &str, page_path: &str, entries: &[EntryId]) -> String {
    let config = &site.config;
    let summaries: Vec<(String, String, String)> = entries
        .iter()
        .take(ENTRY_FEED_LIMIT)
        .map(|&id| {
            let entry = &site.entries[id];
            let outlet = &site.outlets[entry.outlet].name;
            let html = format!(
                "{}<p><a href=\"{}\">Read at {}</a></p>",
                entry.summary_html,
                escape_html(&entry.url),
                escape_html(outlet)
            );
            (
                config.permalink(&entry.path),
                html,
                crate::markdown::truncate(&entry.summary_text, 250),
            )
        })
        .collect();
    let atom_entries: Vec<AtomEntry<'_>> = entries
        .iter()
        .zip(&summaries)
        .map(|(&id, (permalink, html, summary))| {
            let entry = &site.entries[id];
            AtomEntry {
                title: &entry.headline,
                id: permalink,
                link: permalink,
                related: Some(&entry.url),
                published: entry.date,
                updated: entry.date,
                summary,
                html: match (Url::parse(permalink), Url::parse(&config.base_url)) {
                    (Ok(page), Ok(own)) => absolutize(html, &page, &own, &Utm::default(), &[]),
                    _ => html.clone(),
                },
            }
        })
        .collect();
    atom(
        site,
        &format!("{}: {title}", config.title),
        "",
        &config.permalink(&format!("{page_path}atom.xml")),
        &config.permalink(page_path),
        &atom_entries,
    )
}

struct AtomEntry<'a> {
    title: &'a str,
    id: &'a str,
    link: &'a str,
    /// The outlet's article, for entries.
    related: Option<&'a str>,
    published: DateTime<FixedOffset>,
    updated: DateTime<FixedOffset>,
    summary: &'a str,
    html: String,
}

fn atom(
    site: &Site,
    title: &str,
    subtitle: &str,
    self_url: &str,
    alternate: &str,
    entries: &[AtomEntry<'_>],
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
        .map(|e| e.updated)
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
    for entry in entries {
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
            xml_escape(&entry.html)
        );
        xml.push_str("</entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

fn json_feed(site: &Site, items: &[IssueItem]) -> String {
    let config = &site.config;
    let mut feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": config.title,
        "home_page_url": config.base_url,
        "feed_url": config.permalink("feed.json"),
        "language": config.language,
        "authors": [{ "name": config.editor }],
        "items": items.iter().map(|item| json!({
            "id": item.permalink,
            "url": item.permalink,
            "title": item.title,
            "content_html": item.html,
            "summary": item.summary,
            "date_published": rfc3339(item.published),
            "date_modified": rfc3339(item.updated),
        })).collect::<Vec<_>>(),
    });
    if !config.description.is_empty() {
        feed["description"] = json!(config.description);
    }
    let mut text = serde_json::to_string_pretty(&feed).unwrap_or_default();
    text.push('\n');
    text
}

/// Escapes text for XML content and attributes, dropping the control
/// characters XML 1.0 cannot carry at all.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}
