//! The site's feeds: RSS 2.0 (`/feed.xml`), Atom 1.0 (`/atom.xml`) and
//! JSON Feed 1.1 (`/feed.json`), one item per issue holding the issue's
//! whole content, the newest `feed_limit` issues.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset};
use serde_json::json;
use url::Url;

use super::atom::{self, AtomEntry};
use super::xml_escape;
use crate::markdown::escape_html;
use crate::render::links::{Absolute, Utm, absolutize};
use crate::render::values::{coverage_by, rfc3339};
use crate::site::{EntryId, Issue, Site};

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
        // What the issue published by its day, as its page and email show
        // it: a later follow-up must not change a sent issue's item.
        let entry_dates = (issue.stories.iter())
            .flat_map(|&s| coverage_by(site, issue, s))
            .chain(issue.entries.iter().copied())
            .map(|e| site.entries[e].date);
        let updated = entry_dates.fold(published, |a, b| a.max(b));
        let lead = issue.stories.first().map(|&s| &site.stories[s]);
        let summary = match lead {
            Some(story) if story.dek.is_empty() => story.headline.clone(),
            Some(story) => format!("{} — {}", story.headline, story.dek),
            None => issue.note_text.clone(),
        };
        IssueItem {
            title: issue.title.clone(),
            html: issue_html(site, issue),
            permalink,
            published,
            updated,
            summary,
        }
    }
}

/// An issue's full content as plain, feed-reader-friendly HTML: each part
/// with its links made absolute from its own page, where its `#fragment`s
/// (a heading, a footnote) name ids; the issue's page has them under
/// other names or not at all.
fn issue_html(site: &Site, issue: &Issue) -> String {
    let from = FromOwnPage::new(site);
    let mut html = from.page(&issue.note_html, &issue.path);
    for &id in &issue.stories {
        let story = &site.stories[id];
        let _ = write!(
            html,
            "<h2><a href=\"{}\">{}</a></h2>",
            from.link(&site.config.permalink(&story.path)),
            escape_html(&story.headline)
        );
        if !story.dek.is_empty() {
            let _ = write!(html, "<p><em>{}</em></p>", escape_html(&story.dek));
        }
        html.push_str(&from.page(&story.html, &story.path));
        let coverage: Vec<EntryId> = coverage_by(site, issue, id).collect();
        if !coverage.is_empty() {
            let coverage_word = escape_html(&site.config.words.text("coverage", &[]));
            let _ = write!(html, "<h3>{coverage_word}</h3>");
            entry_list(site, &from, &coverage, &mut html);
        }
    }
    if !issue.entries.is_empty() {
        let more = escape_html(&site.config.words.text("more_links", &[]));
        let _ = write!(html, "<h2>{more}</h2>");
        entry_list(site, &from, &issue.entries, &mut html);
    }
    html
}

/// Makes HTML's links absolute from the page it belongs to.
struct FromOwnPage<'a> {
    site: &'a Site,
    /// The site's own address; `None` (links left as they are) when it
    /// does not parse.
    own: Option<Url>,
}

impl<'a> FromOwnPage<'a> {
    fn new(site: &'a Site) -> Self {
        let own = Url::parse(&site.config.base_url).ok();
        FromOwnPage { site, own }
    }

    /// An absolute address as an attribute's value, spelt as the links
    /// [`FromOwnPage::page`] makes are.
    fn link(&self, url: &str) -> String {
        let value = escape_html(url);
        match &self.own {
            Some(own) => Absolute {
                page: own,
                own,
                utm: &Utm::default(),
                keep: &[],
            }
            .link(&value),
            None => value,
        }
    }

    /// `html` of the page at the site path `path`, its links absolute.
    fn page(&self, html: &str, path: &str) -> String {
        let page = Url::parse(&self.site.config.permalink(path));
        match (page, &self.own) {
            (Ok(page), Some(own)) => absolutize(html, &page, own, &Utm::default(), &[]),
            _ => html.to_owned(),
        }
    }
}

fn entry_list(site: &Site, from: &FromOwnPage<'_>, entries: &[EntryId], html: &mut String) {
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
            from.link(&entry.url),
            escape_html(&entry.headline),
            escape_html(&outlet.name),
            from.page(&entry.summary_html, &entry.path)
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
    let entries: Vec<(DateTime<FixedOffset>, String)> = items
        .iter()
        .map(|item| {
            let element = atom::entry(&AtomEntry {
                title: &item.title,
                id: &item.permalink,
                link: &item.permalink,
                related: None,
                published: item.published,
                updated: item.updated,
                summary: &item.summary,
                html: &item.html,
            });
            (item.updated, element)
        })
        .collect();
    let entries: Vec<_> = (entries.iter()).map(|(at, e)| (*at, e.as_str())).collect();
    atom::atom(
        site,
        &config.title,
        &config.description,
        &config.permalink("atom.xml"),
        &config.base_url,
        &entries,
    )
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
