//! A feed's items -> the entry files to write, and what is left out.
//!
//! Takes a parsed [`Feed`] and what the site (and the import so far) has:
//! picks the items (`--since`, then the newest `--limit`), leaves out an
//! item with no http(s) link, one whose article is linked already
//! (canonical URLs: `www.`, tracking parameters, a trailing slash do not
//! count) and one from a host of no outlet (remembered, with the outlet to
//! add); gives each other item a file named after its headline, unique
//! across the site, with a draft entry's text. Writing is the last step,
//! and never replaces a file.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::SecondsFormat;

use super::feed::{Feed, Item};
use super::{Imported, Target, UnknownHost};
use crate::config::Config;
use crate::content::Content;
use crate::content::outlets::outlet_for;
use crate::content::write::{EntryText, slug_of};
use crate::slug::slugify;
use crate::source::url::{canonical, check_http_url, host, strip_tracking};

/// What the site links and names already, and what this import added.
pub(super) struct Seen {
    /// Canonical URLs of every entry, drafts and scheduled issues included.
    urls: HashSet<String>,
    /// The slugs of every entry and story.
    slugs: HashSet<String>,
}

impl Seen {
    pub(super) fn of(content: &Content) -> Seen {
        let mut urls = HashSet::new();
        let mut slugs = HashSet::new();
        for item in content.items() {
            slugs.insert(slugify(item.doc().stem()));
            if let crate::content::Item::Entry(entry) = item
                && let Some(url) = canonical(&entry.url.value)
            {
                urls.insert(url);
            }
        }
        Seen { urls, slugs }
    }
}

/// The files of one feed, ready to write.
pub(super) struct Planned {
    /// Relative to the root, with their text.
    files: Vec<(PathBuf, String)>,
    /// The counts; `written` is filled in by [`Planned::write`].
    imported: Imported,
}

/// Plans the files of `feed`'s items, noting in `seen` what they take.
pub(super) fn plan(
    target: &Target<'_>,
    seen: &mut Seen,
    feed: Feed,
    unknown: &mut BTreeMap<String, UnknownHost>,
) -> Planned {
    let config = target.config;
    let mut planned = Planned {
        files: Vec::new(),
        imported: Imported::default(),
    };
    let counts = &mut planned.imported;
    let (items, undated) = pick(feed.items, target, config);
    counts.undated = undated;
    for item in items {
        let Some(url) = item.link.as_deref().filter(|l| check_http_url(l).is_ok()) else {
            counts.not_http += 1;
            continue;
        };
        // As parsed, tracking parameters gone: a tab or newline hidden in a
        // link (which URL parsers skip, not the eye) goes with them.
        let url = strip_tracking(url);
        let Some(key) = canonical(&url) else {
            counts.not_http += 1;
            continue;
        };
        if seen.urls.contains(&key) {
            counts.duplicates += 1;
            continue;
        }
        let outlet = match &target.import.outlet {
            Some(outlet) => outlet.clone(),
            None => match outlet_for(&target.content.outlets, &url) {
                Some(outlet) => outlet.key.clone(),
                None => {
                    counts.unknown_host += 1;
                    note_unknown(unknown, &url, &feed.title, feed.home.as_deref());
                    continue;
                }
            },
        };
        seen.urls.insert(key);
        let slug = unique_slug(&item.headline, &seen.slugs, &config.root.join(&target.dir));
        seen.slugs.insert(slug.clone());
        let date = item.date.map(|d| {
            d.with_timezone(&config.timezone)
                .to_rfc3339_opts(SecondsFormat::Secs, false)
        });
        let text = EntryText {
            headline: &item.headline,
            outlet: &outlet,
            url: &url,
            story: None,
            date: date.as_deref(),
            draft: true,
            body: &item.summary,
        }
        .render();
        planned
            .files
            .push((target.dir.join(format!("{slug}.md")), text));
    }
    planned
}

/// The items on or after `--since` (in the site's timezone), newest first
/// (undated ones last, in the feed's order), the first `--limit` of them;
/// and how many `--since` left out for having no date to compare.
fn pick(mut items: Vec<Item>, target: &Target<'_>, config: &Config) -> (Vec<Item>, usize) {
    let mut undated = 0;
    if let Some(since) = target.import.since {
        undated = items.iter().filter(|i| i.date.is_none()).count();
        items.retain(|i| {
            i.date
                .is_some_and(|d| d.with_timezone(&config.timezone).date_naive() >= since)
        });
    }
    items.sort_by_key(|i| std::cmp::Reverse(i.date));
    if let Some(limit) = target.import.limit {
        items.truncate(limit);
    }
    (items, undated)
}

/// The headline's slug, with `-2`, `-3`, ... until no entry or story of the
/// site, and no file of the issue folder, has it.
fn unique_slug(headline: &str, taken: &HashSet<String>, dir: &Path) -> String {
    let base = slug_of(headline);
    let mut slug = base.clone();
    let mut n = 1;
    while taken.contains(&slug) || dir.join(format!("{slug}.md")).symlink_metadata().is_ok() {
        n += 1;
        slug = format!("{base}-{n}");
    }
    slug
}

/// Counts an item from a host of no outlet, with the outlet to add: named
/// after the feed when the feed is that host's own.
fn note_unknown(
    unknown: &mut BTreeMap<String, UnknownHost>,
    url: &str,
    title: &str,
    home: Option<&str>,
) {
    let Some(item_host) = host(url) else {
        return;
    };
    let scheme = url::Url::parse(url).map_or("https".to_owned(), |u| u.scheme().to_owned());
    let own_feed = home.and_then(host).is_some_and(|h| h == item_host);
    let entry = unknown
        .entry(item_host.clone())
        .or_insert_with(|| UnknownHost {
            key: slugify(&item_host),
            name: if own_feed && !title.is_empty() {
                title.to_owned()
            } else {
                item_host.clone()
            },
            url: format!("{scheme}://{item_host}"),
            items: 0,
        });
    entry.items += 1;
}

impl Planned {
    /// Writes every file (each new: none is ever replaced).
    pub(super) fn write(self, config: &Config) -> Result<Imported> {
        let mut imported = self.imported;
        for (rel, text) in self.files {
            crate::fs::write_new(&config.root.join(&rel), text.as_bytes())?;
            imported.written.push(rel);
        }
        Ok(imported)
    }
}
