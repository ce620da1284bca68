//! Feeds, built in: RSS 2.0 (`/feed.xml`), Atom 1.0 (`/atom.xml`) and JSON
//! Feed 1.1 (`/feed.json`) with one item per issue holding the issue's whole
//! content, and an Atom feed per tag, per outlet and per story with one item
//! per entry (a story's: its coverage, so a reader can follow one story).
//!
//! Ids are permalinks, so they never change; dates are the site's timezone;
//! every URL is absolute; text is escaped for XML or JSON. A site feed a
//! theme has a template for (`feed.xml`, `atom.xml`, `feed.json`) is
//! rendered from it instead.

mod atom;
mod issues;
mod lists;

use tera::Value;

use super::{Body, Job, Scope};
use crate::site::{OutletId, Site, StoryId, TagId, urls};
pub use lists::Elements;
use lists::entry_feed;

/// Entries in a tag's or an outlet's feed, newest first.
pub const ENTRY_FEED_LIMIT: usize = 50;

/// Site feeds a theme may replace with a template of the same name.
pub const FEED_TEMPLATES: [&str; 3] = ["feed.xml", "atom.xml", "feed.json"];

/// The site feeds, then each tag's and each outlet's.
pub fn jobs(scope: &Scope<'_>, jobs: &mut Vec<Job>) {
    let Scope {
        site,
        values,
        templates,
        ..
    } = *scope;
    let config = &site.config;
    for (path, content) in issues::site_feeds(site) {
        let body = match FEED_TEMPLATES.iter().find(|n| **n == path) {
            Some(template) if templates.exists(&path) => {
                let issues: Vec<Value> = values
                    .issues
                    .iter()
                    .take(config.feed_limit)
                    .cloned()
                    .collect();
                let page = scope.page(
                    "feed",
                    &config.title,
                    &config.description,
                    &path,
                    [("issues", Value::from(issues))],
                );
                Body::Page { template, page }
            }
            _ => Body::Text(content),
        };
        // An old feed a redirect leads here (`/feed/` of the platform the
        // site came from): the same feed, since feed readers follow no
        // meta refresh. `_redirects` gets its line with the others.
        for alias in (site.aliases.iter()).filter(|alias| alias.to == path) {
            jobs.push(Job {
                path: urls::file(&alias.from.value),
                body: body.clone(),
            });
        }
        jobs.push(Job { path, body });
    }
    let tags =
        (site.tags.iter().enumerate()).map(|(id, tag)| (urls::tag(&tag.slug), EntryFeed::Tag(id)));
    let stories = (site.stories.iter().enumerate())
        .map(|(id, story)| (story.path.clone(), EntryFeed::Story(id)));
    let outlets = (site.outlets.iter().enumerate())
        .map(|(id, outlet)| (urls::outlet(&outlet.key), EntryFeed::Outlet(id)));
    let feeds = tags.chain(stories).chain(outlets);
    jobs.extend(feeds.map(|(path, feed)| Job {
        path: urls::list_feed(&path),
        body: Body::Feed(feed),
    }));
}

/// The Atom feed of a tag's, an outlet's or a story's entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryFeed {
    Tag(TagId),
    Outlet(OutletId),
    Story(StoryId),
}

impl EntryFeed {
    /// The feed's XML; `elements` are the entries' elements made so far.
    pub fn text(self, site: &Site, elements: &Elements) -> String {
        match self {
            EntryFeed::Tag(id) => {
                let tag = &site.tags[id];
                entry_feed(
                    site,
                    elements,
                    &format!("#{}", tag.name),
                    &urls::tag(&tag.slug),
                    &tag.entries,
                )
            }
            EntryFeed::Outlet(id) => {
                let outlet = &site.outlets[id];
                entry_feed(
                    site,
                    elements,
                    &outlet.name,
                    &urls::outlet(&outlet.key),
                    &outlet.entries,
                )
            }
            EntryFeed::Story(id) => {
                let story = &site.stories[id];
                let mut coverage = story.coverage.clone();
                // Newest first, as every feed: the latest report of the story on top.
                coverage.sort_by_key(|&id| std::cmp::Reverse(site.entries[id].date));
                entry_feed(site, elements, &story.headline, &story.path, &coverage)
            }
        }
    }
}

/// Escapes text for XML content and attributes, dropping the control
/// characters XML 1.0 cannot carry at all.
pub fn xml_escape(text: &str) -> String {
    // From one byte that may need escaping to the next, copying the runs
    // between escapes whole: every feed of a 10,000-entry site goes through
    // here. All that is escaped or dropped is ASCII, but U+FFFE and U+FFFF
    // (EF BF BE, EF BF BF), so each cut is at a character.
    const LOOK: [bool; 256] = {
        let mut look = [false; 256];
        let mut b = 0;
        while b < 0x20 {
            look[b] = !matches!(b, 0x09 | 0x0a | 0x0d);
            b += 1;
        }
        look[b'&' as usize] = true;
        look[b'<' as usize] = true;
        look[b'>' as usize] = true;
        look[b'"' as usize] = true;
        look[b'\'' as usize] = true;
        look[0xef] = true;
        look
    };
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let (mut done, mut from) = (0, 0);
    while let Some(found) = bytes[from..].iter().position(|&b| LOOK[usize::from(b)]) {
        let i = from + found;
        let (with, len) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&apos;", 1),
            0xef if bytes.get(i + 1) == Some(&0xbf)
                && matches!(bytes.get(i + 2), Some(0xbe | 0xbf)) =>
            {
                ("", 3)
            }
            0xef => ("", 0),
            _ => ("", 1),
        };
        from = i + len.max(1);
        if len == 0 {
            continue;
        }
        out.push_str(&text[done..i]);
        out.push_str(with);
        done = from;
    }
    out.push_str(&text[done..]);
    out
}

#[cfg(test)]
mod tests {
    use super::xml_escape;

    // Markup characters are escaped, characters XML cannot carry are
    // dropped, and everything else (tabs, newlines, any other script,
    // emoji, U+FFFD) comes through as it was.
    #[test]
    fn escapes_markup_and_drops_what_xml_cannot_carry() {
        assert_eq!(
            xml_escape(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;"
        );
        assert_eq!(xml_escape("a\u{0}b\u{1b}c\u{7}"), "abc");
        assert_eq!(xml_escape("x\u{fffe}y\u{ffff}z\u{fffd}"), "xyz\u{fffd}");
        assert_eq!(xml_escape("\tline\r\nnext"), "\tline\r\nnext");
        let text = "Café — 東京 🚀 \u{202e}ﬁ";
        assert_eq!(xml_escape(text), text);
        assert_eq!(xml_escape("ünïcödé <&>"), "ünïcödé &lt;&amp;&gt;");
        assert_eq!(xml_escape(""), "");
    }
}
