//! The Site model: issues, stories with their coverage, entries, outlets,
//! tags and pages, in display order, with their URLs.
//!
//! Takes the config and the parsed [`Content`] and returns the [`Site`],
//! read-only from then on: every render shares it. [`Site::build`] runs the
//! steps in order, one module each: `checks` (what needs more than one
//! file: outlets and stories that exist, unique slugs, repeated links),
//! `publish` (drafts and the schedule), `bodies` (Markdown, rendered in
//! parallel), `tags`, `order` (SPEC section 1) and `pages`. Every path of
//! the site comes from [`urls`].

mod aliases;
mod bodies;
mod checks;
mod order;
mod pages;
pub mod patch;
mod publish;
mod tags;
pub mod urls;

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Content, EntrySource, IssueSource, StorySource};
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Heading};
use crate::slug::slugify;

pub type IssueId = usize;
pub type StoryId = usize;
pub type EntryId = usize;
pub type OutletId = usize;
pub type TagId = usize;

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// In key order.
    pub outlets: Vec<Outlet>,
    /// Newest first.
    pub issues: Vec<Issue>,
    pub stories: Vec<Story>,
    pub entries: Vec<Entry>,
    /// By slug.
    pub tags: Vec<Tag>,
    /// By slug.
    pub pages: Vec<Page>,
    /// The old URLs of published pages, by old URL.
    pub aliases: Vec<Alias>,
    /// The CSS and JavaScript files of the theme and the site, by their own
    /// output path (set with the static files, after the model).
    pub assets: std::collections::BTreeMap<String, crate::statics::Asset>,
    /// Issues dated after today, left out.
    pub scheduled: usize,
    /// Files marked `draft: true`, left out.
    pub drafts: usize,
}

/// An old URL of a page, published as a redirect to it.
#[derive(Debug, Clone)]
pub struct Alias {
    /// The old URL as a site path, where it was written.
    pub from: crate::source::Located<String>,
    /// The page's site path.
    pub to: String,
}

#[derive(Debug)]
pub struct Outlet {
    pub key: String,
    pub name: String,
    pub tagline: String,
    pub blurb: String,
    pub url: String,
    /// Newest first.
    pub entries: Vec<EntryId>,
}

#[derive(Debug)]
pub struct Issue {
    pub date: NaiveDate,
    pub title: String,
    /// Whether `title` is the date, for want of a title of its own.
    pub dated: bool,
    pub note_html: String,
    pub note_text: String,
    /// The note as plain text, for the plain-text email.
    pub note_plain: markdown::Text,
    /// By weight, then file name.
    pub stories: Vec<StoryId>,
    /// Entries not shown under one of this issue's stories, in display order.
    pub entries: Vec<EntryId>,
    /// Site path, e.g. `2026/11/25/`.
    pub path: String,
}

#[derive(Debug)]
pub struct Story {
    pub slug: String,
    pub headline: String,
    pub dek: String,
    pub html: String,
    pub toc: Vec<Heading>,
    pub text: String,
    /// The explainer as plain text, for the plain-text email.
    pub plain: markdown::Text,
    pub tags: Vec<TagId>,
    pub date: DateTime<FixedOffset>,
    pub issue: IssueId,
    /// Every entry naming this story, in any issue, in display order.
    pub coverage: Vec<EntryId>,
    pub path: String,
    pub source: PathBuf,
    /// The [`StorySource::version`](crate::content::StorySource::version) it was made from.
    pub version: u64,
}

#[derive(Debug)]
pub struct Entry {
    pub slug: String,
    pub headline: String,
    /// The outlet's article.
    pub url: String,
    pub outlet: OutletId,
    pub story: Option<StoryId>,
    pub tags: Vec<TagId>,
    pub date: DateTime<FixedOffset>,
    /// The entry's own blurb, if it has one.
    pub blurb: Option<String>,
    pub issue: IssueId,
    pub summary_html: String,
    /// The whole summary as plain text.
    pub summary_text: String,
    pub path: String,
    pub source: PathBuf,
    /// The [`EntrySource::version`](crate::content::EntrySource::version) it was made from.
    pub version: u64,
}

#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    /// Newest first.
    pub stories: Vec<StoryId>,
    /// Newest first.
    pub entries: Vec<EntryId>,
}

#[derive(Debug)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub html: String,
    pub toc: Vec<Heading>,
    pub text: String,
    pub path: String,
    pub source: PathBuf,
}

/// Columns of the plain-text email edition.
pub const EMAIL_TEXT_WIDTH: usize = 72;

impl Site {
    /// Builds the model; diagnostics hold every cross-file problem (and the
    /// warnings). The model is usable only if none of them is an error.
    pub fn build(config: Config, content: &Content) -> (Site, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let outlet_index: HashMap<&str, OutletId> = content
            .outlets
            .iter()
            .enumerate()
            .map(|(i, o)| (o.key.as_str(), i))
            .collect();
        checks::check(content, &outlet_index, &mut diagnostics);
        let published = publish::select(&config, content, &mut diagnostics);

        let mut issues: Vec<Issue> = published
            .issues
            .iter()
            .map(|source| issue(&config, source))
            .collect();
        let mut stories: Vec<Story> = published
            .stories
            .par_iter()
            .map(|(source, id)| story(&config, source, &issues[*id], *id))
            .collect();
        let story_index: HashMap<String, StoryId> = stories
            .iter()
            .enumerate()
            .map(|(i, s)| (s.slug.clone(), i))
            .collect();
        let mut entries: Vec<Entry> = published
            .entries
            .par_iter()
            .map(|(source, id)| {
                let mut entry = entry(&config, source, &issues[*id], *id);
                entry.outlet = outlet_index
                    .get(source.outlet.value.as_str())
                    .copied()
                    .unwrap_or_default();
                entry.story = source
                    .story
                    .as_ref()
                    .and_then(|s| story_index.get(&slugify(&s.value)).copied());
                entry
            })
            .collect();

        let mut tags = tags::assign(&published, &mut stories, &mut entries);
        let mut outlets: Vec<Outlet> = content
            .outlets
            .iter()
            .map(|o| Outlet {
                key: o.key.clone(),
                name: o.name.clone(),
                tagline: o.tagline.clone(),
                blurb: o.blurb.clone(),
                url: o.url.clone(),
                entries: Vec::new(),
            })
            .collect();
        order::arrange(
            &published,
            order::Lists {
                issues: &mut issues,
                stories: &mut stories,
                entries: &entries,
                outlets: &mut outlets,
                tags: &mut tags,
            },
        );
        let (scheduled, mut drafts) = (published.scheduled, published.drafts);
        let pages = pages::build(&config, &content.pages, &mut drafts, &mut diagnostics);
        let published: std::collections::HashSet<&str> = (issues.iter().map(|i| i.path.as_str()))
            .chain(stories.iter().map(|s| s.path.as_str()))
            .chain(entries.iter().map(|e| e.path.as_str()))
            .chain(pages.iter().map(|p| p.path.as_str()))
            .collect();
        let aliases = aliases::collect(content, &published, &config, &mut diagnostics);

        let site = Site {
            config,
            outlets,
            issues,
            stories,
            entries,
            tags,
            pages,
            aliases,
            assets: Default::default(),
            scheduled,
            drafts,
        };
        (site, diagnostics)
    }

    /// The start of `date` in the site's timezone: when an issue is published.
    pub fn midnight(&self, date: NaiveDate) -> DateTime<FixedOffset> {
        midnight(self.config.timezone, date)
    }

    /// The outlet's blurb, or the entry's own when it has one.
    pub fn blurb<'a>(&'a self, entry: &'a Entry) -> &'a str {
        entry
            .blurb
            .as_deref()
            .unwrap_or(&self.outlets[entry.outlet].blurb)
    }
}

/// An issue of the model, its lists still empty.
fn issue(config: &Config, source: &IssueSource) -> Issue {
    let note = source
        .meta
        .as_ref()
        .map(|meta| {
            bodies::note(
                meta.doc.body(),
                config.html(),
                linking(config, meta.doc.path()),
            )
        })
        .unwrap_or_default();
    let title = (source.meta.as_ref()).and_then(|m| m.title.clone());
    Issue {
        date: source.date,
        dated: title.is_none(),
        title: title.unwrap_or_else(|| title_date(&config.words, source.date)),
        note_html: note.rendered.html,
        note_text: note.rendered.text,
        note_plain: note.plain,
        stories: Vec::new(),
        entries: Vec::new(),
        path: urls::issue(source.date),
    }
}

/// A story of the model, its tags and coverage still empty.
fn story(config: &Config, source: &StorySource, issue: &Issue, id: IssueId) -> Story {
    let body = bodies::story(
        &source.memo,
        source.doc.body(),
        config.html(),
        linking(config, source.doc.path()),
    );
    // Moved when it was made for this model, copied when kept in the memo.
    let bodies::Body { rendered, plain } = body.into_owned();
    let slug = source.doc.slug().to_owned();
    Story {
        path: urls::item(&issue.path, &slug),
        slug,
        headline: source.headline.clone(),
        dek: source.dek.clone().unwrap_or_default(),
        html: rendered.html,
        toc: rendered.toc,
        text: rendered.text,
        plain,
        tags: Vec::new(),
        date: published_at(config, source.date, issue.date),
        issue: id,
        coverage: Vec::new(),
        source: source.doc.path().to_path_buf(),
        version: source.version,
    }
}

/// An entry of the model, its outlet, story and tags still to be set.
fn entry(config: &Config, source: &EntrySource, issue: &Issue, id: IssueId) -> Entry {
    let rendered = bodies::entry(
        &source.memo,
        source.doc.body(),
        config.html(),
        linking(config, source.doc.path()),
    );
    // Moved when it was made for this model, copied when kept in the memo.
    let markdown::Rendered { html, text, .. } = rendered.into_owned();
    let slug = source.doc.slug().to_owned();
    Entry {
        path: urls::item(&issue.path, &slug),
        slug,
        headline: source.headline.clone(),
        url: source.url.value.clone(),
        outlet: OutletId::default(),
        story: None,
        tags: Vec::new(),
        date: published_at(config, source.date, issue.date),
        blurb: source.blurb.clone(),
        issue: id,
        summary_html: html,
        summary_text: text,
        source: source.doc.path().to_path_buf(),
        version: source.version,
    }
}

/// How the links of the source `path` lead, on this site.
pub(super) fn linking<'a>(config: &'a Config, path: &'a std::path::Path) -> bodies::Linking<'a> {
    bodies::Linking {
        base_url: &config.base_url,
        base_path: &config.base_path,
        source: path,
        files: Some((&config.root, &config.fs)),
    }
}

/// The `date` written in the site's timezone, or the issue's midnight.
fn published_at(
    config: &Config,
    date: Option<DateTime<FixedOffset>>,
    issue: NaiveDate,
) -> DateTime<FixedOffset> {
    let tz = config.timezone;
    date.map(|d| d.with_timezone(&tz).fixed_offset())
        .unwrap_or_else(|| midnight(tz, issue))
}

fn midnight(tz: chrono_tz::Tz, date: NaiveDate) -> DateTime<FixedOffset> {
    let naive = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|d| d.fixed_offset())
        .unwrap_or_else(|| naive.and_utc().fixed_offset())
}

/// "Wednesday, November 25, 2026", in the site's words (`date_full`).
pub fn long_date(words: &crate::config::Words, date: NaiveDate) -> String {
    words.date(date, "full")
}

/// [`long_date`] as a title: its first letter a capital ("Mercredi 25
/// novembre 2026", where French writes "mercredi" within a sentence).
pub fn title_date(words: &crate::config::Words, date: NaiveDate) -> String {
    capitalised(&long_date(words, date))
}

/// `text` with its first letter a capital, for a title.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
