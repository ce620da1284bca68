//! The site's aliases ([`Site::aliases`](crate::site::Site)): a small page at
//! each old URL that sends the reader on to the new one, and `_redirects`,
//! the same as one line each for hosts that redirect before any page loads
//! (Netlify, Cloudflare Pages: `/old/ /new/ 301`).
//!
//! The page needs no theme: a meta refresh, the new URL as canonical (so a
//! search engine moves its ranking over) and `noindex`, and a link for a
//! reader whose browser does not follow the refresh.
//!
//! The same for the lines of `redirects:` in site.yaml, which lead from any
//! old URL to any the site makes (a renamed tag's or outlet's, a page of
//! the platform the site came from).
//!
//! An alias of a story's old feed (`/2026/11/24/old/atom.xml`, as the
//! published-URL check asks for when a story is renamed), and a redirect
//! to a story's, tag's or outlet's feed, lead to that feed, not a page: a
//! feed reader follows no meta refresh and cannot read an HTML page, so
//! the file at the old URL is the new feed itself, whose `self` link and
//! ids are the new ones. A host without `_redirects` then keeps the old
//! subscribers reading. So is a redirect to one of the site's own feeds
//! (`/feed/: /feed.xml`, the feed of the platform the site came from).

use std::fmt::Write as _;

use super::feeds::{EntryFeed, FEED_TEMPLATES, xml_escape};
use super::{Body, Job, Scope};
use crate::config::Config;
use crate::site::{Alias, Site, urls};

/// A redirect page for each alias, and `_redirects` when there is one.
pub fn jobs(scope: &Scope<'_>, jobs: &mut Vec<Job>) {
    let config = &scope.site.config;
    let aliases = &scope.site.aliases;
    if aliases.is_empty() {
        return;
    }
    let mut lines = String::new();
    for alias in aliases {
        let (to, body) = match entry_feed(scope.site, alias) {
            Some((to, feed)) => (to, Some(Body::Feed(feed))),
            // The site's own feeds make their copies (see `feeds::jobs`).
            None if FEED_TEMPLATES.contains(&alias.to.as_str()) => (alias.to.clone(), None),
            None => (alias.to.clone(), Some(Body::Text(page(config, &alias.to)))),
        };
        if let Some(body) = body {
            jobs.push(Job {
                path: urls::file(&alias.from.value),
                body,
            });
        }
        let _ = writeln!(
            lines,
            "{} {} 301",
            config.url(&alias.from.value),
            config.url(&to)
        );
    }
    jobs.push(Job {
        path: urls::REDIRECTS.to_owned(),
        body: Body::Text(lines),
    });
}

/// The feed an old URL leads to, its site path and the feed to write at the
/// old one: the feed of a story, tag or outlet that a redirect leads to
/// (from any old name), or that of the story, tag or outlet whose page an
/// old `atom.xml` leads to.
fn entry_feed(site: &Site, alias: &Alias) -> Option<(String, EntryFeed)> {
    let list = match alias.to.strip_suffix("atom.xml") {
        // To a feed, from whatever the old one was called (`index.xml`,
        // `rss.xml`, `feed/`).
        Some(list) if list.ends_with('/') => list,
        // To a list's page, from its old feed.
        _ => {
            let old_page = alias.from.value.strip_suffix("atom.xml")?;
            if !old_page.ends_with('/') {
                return None;
            }
            alias.to.as_str()
        }
    };
    let feed = if let Some(id) = site.stories.iter().position(|s| s.path == list) {
        EntryFeed::Story(id)
    } else if let Some(id) = site.tags.iter().position(|t| urls::tag(&t.slug) == list) {
        EntryFeed::Tag(id)
    } else if let Some(id) = (site.outlets.iter()).position(|o| urls::outlet(&o.key) == list) {
        EntryFeed::Outlet(id)
    } else {
        return None;
    };
    Some((urls::list_feed(list), feed))
}

/// The page at an old URL that leads to the page at the site path `to`.
pub fn page(config: &Config, to: &str) -> String {
    let to = xml_escape(&config.permalink(to));
    let lang = xml_escape(&config.language);
    let dir = config.direction();
    let title = xml_escape(&config.title);
    let words = &config.words;
    let moved = xml_escape(&words.text("moved", &[]));
    // The sentence escaped as text, then the link put in its place (a
    // mark of the private use area: the escape drops control characters).
    const LINK: &str = "\u{e000}link\u{e000}";
    let moved_to = xml_escape(&words.text("moved_to", &[("link", LINK)]))
        .replace(LINK, &format!("<a href=\"{to}\">{to}</a>"));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{moved} · {title}</title>\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"{to}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={to}\">\n\
         </head>\n<body>\n<p>{moved_to}</p>\n</body>\n</html>\n"
    )
}
