//! `gazette new`: a story or an entry written as a file with complete front
//! matter, checked against the site first.
//!
//! Takes the site's config and content and what the editor asked for;
//! returns the new file's path, or every reason it cannot be made (an
//! unknown outlet or story, a URL the site already links, a bad URL). The
//! slug comes from the headline, made unique across the site; no file is
//! ever overwritten.

use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDate;

use super::{Content, Item};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Location, did_you_mean};
use crate::slug::slugify;
use crate::source::url::{canonical, check_http_url, strip_tracking};
use crate::source::yaml::quoted;

/// What to make.
#[derive(Debug, Clone)]
pub enum New {
    Story {
        headline: String,
    },
    Entry {
        headline: String,
        url: String,
        /// A key of `outlets.yaml`; found from the URL's host when `None`.
        outlet: Option<String>,
        story: Option<String>,
    },
}

/// Characters of a slug made from a headline, cut at a word.
const SLUG_LENGTH: usize = 60;

/// Writes the file for `new` in the issue folder of `date`; `Err` of the
/// inner result holds every reason it cannot.
pub fn new_file(
    config: &Config,
    content: &Content,
    date: NaiveDate,
    new: &New,
) -> Result<Result<PathBuf, Vec<Diagnostic>>> {
    let mut problems = Vec::new();
    let headline = match new {
        New::Story { headline } | New::Entry { headline, .. } => headline.trim(),
    };
    if headline.is_empty() {
        problems.push(
            Diagnostic::error("the headline is empty")
                .help("give it as the last argument, in quotes"),
        );
    }
    let clean_url;
    let text = match new {
        New::Story { .. } => story_text(config, headline),
        New::Entry {
            url, outlet, story, ..
        } => {
            let outlet = entry_outlet(content, url, outlet.as_deref(), &mut problems);
            check_entry(content, url, story.as_deref(), &mut problems);
            // The article itself: tracking tags copied with the link go
            // (the email edition adds its own).
            clean_url = strip_tracking(url);
            EntryText {
                headline,
                outlet: outlet.as_deref().unwrap_or(""),
                url: &clean_url,
                story: story.as_deref(),
                date: None,
                draft: false,
                body: "",
            }
            .render()
        }
    };
    let dir = Path::new("content").join(date.format("%Y-%m-%d").to_string());
    let slug = slug_of(headline);
    // An empty headline is reason enough; its stand-in slug is no clash.
    if let Some(file) = (!headline.is_empty())
        .then(|| slug_taken(content, &config.root.join(&dir), &slug))
        .flatten()
    {
        let file = file
            .strip_prefix(&config.root)
            .unwrap_or(&file)
            .to_path_buf();
        problems.push(
            Diagnostic::error(format!("the site has a story or entry `{slug}` already"))
                .at(Location::file(file))
                .help("edit that file, or give a headline of its own"),
        );
    }
    problems.extend(folder_refused(config, &dir));
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let rel = dir.join(format!("{slug}.md"));
    crate::fs::write_new(&config.root.join(&rel), text.as_bytes())?;
    Ok(Ok(rel))
}

/// The outlet of a new entry: the one named, which must exist, or the one
/// at the entry's host ([`outlet_for`](super::outlets::outlet_for)).
pub(crate) fn entry_outlet(
    content: &Content,
    url: &str,
    named: Option<&str>,
    problems: &mut Vec<Diagnostic>,
) -> Option<String> {
    let keys = content.outlets.iter().map(|o| o.key.as_str());
    if let Some(key) = named {
        if content.outlets.iter().any(|o| o.key == key) {
            return Some(key.to_owned());
        }
        let mut d = Diagnostic::error(format!("unknown outlet `{key}`"))
            .at(Location::file(super::outlets::OUTLETS_FILE));
        d = match did_you_mean(key, keys) {
            Some(hint) => d.help(hint),
            None => d.help("add it to `content/outlets.yaml`, or pass the key of one there"),
        };
        problems.push(d);
        return None;
    }
    let wanted = crate::source::url::host(url)?;
    let found = super::outlets::outlet_for(&content.outlets, url);
    if found.is_none() {
        problems.push(
            Diagnostic::error(format!(
                "no outlet of `content/outlets.yaml` is at `{wanted}`"
            ))
            .help(format!(
                "pass `--outlet KEY`, or add the outlet with `url: https://{wanted}` (or list `{wanted}` in its `domains`)"
            )),
        );
    }
    found.map(|o| o.key.clone())
}

/// A new entry's URL must be http(s) and new to the site; its story must exist.
fn check_entry(content: &Content, url: &str, story: Option<&str>, problems: &mut Vec<Diagnostic>) {
    if let Err(why) = check_http_url(url) {
        problems.push(
            Diagnostic::error(format!("invalid `--url` `{url}`: {why}"))
                .help("give the article's address, `https://…`"),
        );
    } else if let Some(wanted) = canonical(url) {
        let linked = content.items().find_map(|item| match item {
            Item::Entry(e) if canonical(&e.url.value).as_ref() == Some(&wanted) => Some(e),
            _ => None,
        });
        if let Some(entry) = linked {
            problems.push(
                entry
                    .url
                    .error("the site already links this article")
                    .help("edit that entry, or give another article's address"),
            );
        }
    }
    if let Some(slug) = story {
        let stories: Vec<String> = content
            .items()
            .filter_map(|item| match item {
                Item::Story(s) => Some(slugify(s.doc.stem())),
                _ => None,
            })
            .collect();
        if !stories.contains(&slugify(slug)) {
            let mut d = Diagnostic::error(format!("no story `{slug}` in the site"));
            d = match did_you_mean(slug, stories.iter().map(String::as_str)) {
                Some(hint) => d.help(hint),
                None => d.help("write the story first: `gazette new story \"Headline\"`"),
            };
            problems.push(d);
        }
    }
}

/// Why `gazette` may not write in the issue folder `dir` (relative to the
/// root), if it may not: a folder linked from outside the site is not the
/// site's to write in.
pub(crate) fn folder_refused(config: &Config, dir: &Path) -> Option<Diagnostic> {
    let folder = [dir, Path::new("content")]
        .into_iter()
        .find(|d| config.root.join(d).exists())?;
    let refused = config.fs.check(&config.root.join(folder)).err()?;
    Some(refused.diagnostic(folder))
}

/// The headline as a slug, cut at a word within [`SLUG_LENGTH`].
pub(crate) fn slug_of(headline: &str) -> String {
    let slug = slugify(headline);
    if slug.len() <= SLUG_LENGTH {
        return if slug.is_empty() {
            "untitled".to_owned()
        } else {
            slug
        };
    }
    let cut = &slug[..SLUG_LENGTH];
    cut.rsplit_once('-')
        .map_or(cut, |(head, _)| head)
        .to_owned()
}

/// The file of the site (or of `dir`) that already has `slug`: slugs are
/// unique across the site, and a second `new` with one headline is
/// more likely a repeat than a second article.
fn slug_taken(content: &Content, dir: &Path, slug: &str) -> Option<PathBuf> {
    content
        .items()
        .map(|item| item.doc())
        .find(|doc| slugify(doc.stem()) == slug)
        .map(|doc| doc.path().to_path_buf())
        .or_else(|| {
            let file = dir.join(format!("{slug}.md"));
            file.exists().then_some(file)
        })
}

/// A story's skeleton: its dek in the site's words, and a heading for each
/// section `check:` asks of an explainer.
fn story_text(config: &Config, headline: &str) -> String {
    let dek = config.words.text("story_dek", &[]);
    let sections = (config.check.sections.iter())
        .map(|section| format!("## {section}\n\n"))
        .collect::<Vec<_>>()
        .join("\n");
    format!(
        "---\nkind: story\nheadline: {}\ndek: {}\ntags: []\n---\n{sections}",
        quoted(headline),
        quoted(&dek)
    )
}

/// An entry file: its front matter (keys in the order editors read them)
/// and its body. Text from outside (a headline, a URL) is quoted.
pub(crate) struct EntryText<'a> {
    pub headline: &'a str,
    pub outlet: &'a str,
    pub url: &'a str,
    pub story: Option<&'a str>,
    /// RFC 3339, written as is.
    pub date: Option<&'a str>,
    pub draft: bool,
    /// Markdown, after the front matter.
    pub body: &'a str,
}

impl EntryText<'_> {
    pub(crate) fn render(&self) -> String {
        let mut text = format!(
            "---\nheadline: {}\noutlet: {}\nurl: {}\n",
            quoted(self.headline),
            self.outlet,
            quoted(self.url)
        );
        if let Some(story) = self.story {
            text.push_str(&format!("story: {}\n", slugify(story)));
        }
        if let Some(date) = self.date {
            text.push_str(&format!("date: {date}\n"));
        }
        text.push_str("tags: []\n");
        if self.draft {
            text.push_str("draft: true\n");
        }
        text.push_str("---\n");
        if !self.body.is_empty() {
            text.push_str(self.body);
            text.push('\n');
        }
        text
    }
}
