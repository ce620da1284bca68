//! The Site model: issues, stories with their coverage, entries, outlets,
//! tags and pages, in display order, with their URLs.
//!
//! Takes the parsed [`Content`] and checks what needs more than one file:
//! outlets and stories that must exist, slugs that must be unique, links that
//! repeat. Then it leaves out drafts and scheduled issues, renders Markdown
//! (in parallel) and orders everything as SPEC section 1 says. The result is
//! read-only: every render shares it.

mod bodies;
pub mod urls;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Content, EntrySource, Item, StorySource};
use crate::diagnostic::{Diagnostic, Location, did_you_mean, display_path};
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
    /// Issues dated after today, left out.
    pub scheduled: usize,
    /// Files marked `draft: true`, left out.
    pub drafts: usize,
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
    pub note_html: String,
    pub note_text: String,
    /// The note as plain text in paragraphs, for the plain-text email.
    pub note_plain: String,
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
    /// The explainer as plain text in wrapped paragraphs, for the plain-text email.
    pub plain: String,
    pub tags: Vec<TagId>,
    pub date: DateTime<FixedOffset>,
    pub issue: IssueId,
    /// Every entry naming this story, in any issue, in display order.
    pub coverage: Vec<EntryId>,
    pub path: String,
    pub source: PathBuf,
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
    pub fn build(config: Config, content: Content) -> (Site, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let outlet_index: HashMap<&str, OutletId> = content
            .outlets
            .iter()
            .enumerate()
            .map(|(i, o)| (o.key.as_str(), i))
            .collect();

        check_slugs_and_links(&content, &outlet_index, &mut diagnostics);

        // Which issues, stories and entries are published.
        let mut scheduled = 0;
        let mut drafts = 0;
        let mut story_state: HashMap<String, Exclusion> = HashMap::new();
        for issue in &content.issues {
            let future = issue.date > config.today && !config.future;
            scheduled += usize::from(future);
            for item in &issue.items {
                if let Item::Story(story) = &**item {
                    let state = if future {
                        Exclusion::Scheduled(issue.date)
                    } else if story.draft && !config.drafts {
                        Exclusion::Draft
                    } else {
                        Exclusion::Published
                    };
                    story_state.insert(slugify(story.doc.stem()), state);
                }
            }
        }

        let mut issues = Vec::new();
        let mut story_sources: Vec<(&StorySource, IssueId)> = Vec::new();
        let mut entry_sources: Vec<(&EntrySource, IssueId)> = Vec::new();
        for source in content.issues.iter().rev() {
            if source.date > config.today && !config.future {
                continue;
            }
            let id = issues.len();
            for item in &source.items {
                match &**item {
                    Item::Story(story) if story.draft && !config.drafts => drafts += 1,
                    Item::Entry(entry) if entry.draft && !config.drafts => drafts += 1,
                    Item::Story(story) => story_sources.push((story, id)),
                    Item::Entry(entry) => {
                        if let Some(story) = &entry.story {
                            let slug = &story.value;
                            let why = match story_state.get(&slugify(slug)) {
                                Some(Exclusion::Draft) => Some("is a draft".to_owned()),
                                Some(Exclusion::Scheduled(date)) => {
                                    Some(format!("is in the issue of {date}, which is scheduled"))
                                }
                                _ => None,
                            };
                            if let Some(why) = why {
                                diagnostics.push(
                                    story.error(format!("story `{slug}` {why}, but this entry is published"))
                                        .help("publish the story first, mark this entry `draft: true` too, or build with `--drafts`/`--future` to preview"),
                                );
                            }
                        }
                        entry_sources.push((entry, id));
                    }
                }
            }
            let (note_html, note_text, note_plain) = match &source.meta {
                Some(meta) => {
                    let r = markdown::render(meta.doc.body(), config.html());
                    (
                        r.html,
                        r.text,
                        markdown::to_text(meta.doc.body(), EMAIL_TEXT_WIDTH, config.html()),
                    )
                }
                None => Default::default(),
            };
            issues.push(Issue {
                date: source.date,
                title: source
                    .meta
                    .as_ref()
                    .and_then(|m| m.title.clone())
                    .unwrap_or_else(|| long_date(source.date)),
                note_html,
                note_text,
                note_plain,
                stories: Vec::new(),
                entries: Vec::new(),
                path: urls::issue(source.date),
            });
        }

        let tz = config.timezone;
        let midnight = |date: NaiveDate| midnight(tz, date);

        let mut stories: Vec<Story> = story_sources
            .par_iter()
            .map(|(source, issue)| {
                let body = bodies::story(&source.memo, source.doc.body(), config.html());
                let rendered = &body.rendered;
                let slug = slugify(source.doc.stem());
                Story {
                    path: urls::item(&issues[*issue].path, &slug),
                    slug,
                    headline: source.headline.clone(),
                    dek: source.dek.clone().unwrap_or_default(),
                    html: rendered.html.clone(),
                    toc: rendered.toc.clone(),
                    text: rendered.text.clone(),
                    plain: body.plain.clone(),
                    tags: Vec::new(),
                    date: source
                        .date
                        .map(|d| d.with_timezone(&tz).fixed_offset())
                        .unwrap_or_else(|| midnight(issues[*issue].date)),
                    issue: *issue,
                    coverage: Vec::new(),
                    source: source.doc.path().to_path_buf(),
                }
            })
            .collect();
        let story_index: HashMap<String, StoryId> = stories
            .iter()
            .enumerate()
            .map(|(i, s)| (s.slug.clone(), i))
            .collect();

        let mut entries: Vec<Entry> = entry_sources
            .par_iter()
            .map(|(source, issue)| {
                let rendered = bodies::entry(&source.memo, source.doc.body(), config.html());
                let slug = slugify(source.doc.stem());
                Entry {
                    path: urls::item(&issues[*issue].path, &slug),
                    slug,
                    headline: source.headline.clone(),
                    url: source.url.value.clone(),
                    outlet: outlet_index
                        .get(source.outlet.value.as_str())
                        .copied()
                        .unwrap_or_default(),
                    story: source
                        .story
                        .as_ref()
                        .and_then(|s| story_index.get(&slugify(&s.value)).copied()),
                    tags: Vec::new(),
                    date: source
                        .date
                        .map(|d| d.with_timezone(&tz).fixed_offset())
                        .unwrap_or_else(|| midnight(issues[*issue].date)),
                    blurb: source.blurb.clone(),
                    issue: *issue,
                    summary_html: rendered.html.clone(),
                    summary_text: rendered.text.clone(),
                    source: source.doc.path().to_path_buf(),
                }
            })
            .collect();

        // Tags, in slug order, each named as first written (oldest issue first).
        let mut tag_names: BTreeMap<String, &str> = BTreeMap::new();
        let written = story_sources
            .iter()
            .rev()
            .flat_map(|(s, _)| &s.tags)
            .chain(entry_sources.iter().rev().flat_map(|(e, _)| &e.tags));
        for name in written {
            tag_names.entry(slugify(name)).or_insert(name);
        }
        let tag_index: HashMap<&str, TagId> = tag_names
            .keys()
            .enumerate()
            .map(|(id, slug)| (slug.as_str(), id))
            .collect();
        let tag_ids = |names: &[String]| -> Vec<TagId> {
            let mut ids: Vec<TagId> = Vec::with_capacity(names.len());
            for id in names
                .iter()
                .filter_map(|n| tag_index.get(slugify(n).as_str()))
            {
                // `AI` and `ai` are one tag.
                if !ids.contains(id) {
                    ids.push(*id);
                }
            }
            ids
        };
        for (story, (source, _)) in stories.iter_mut().zip(&story_sources) {
            story.tags = tag_ids(&source.tags);
        }
        for (entry, (source, _)) in entries.iter_mut().zip(&entry_sources) {
            entry.tags = tag_ids(&source.tags);
        }
        let mut tags: Vec<Tag> = tag_names
            .iter()
            .map(|(slug, name)| Tag {
                name: (*name).to_owned(),
                slug: slug.clone(),
                stories: Vec::new(),
                entries: Vec::new(),
            })
            .collect();

        // Display order: weight, then date (entries), then file name.
        let story_weight: Vec<i64> = story_sources.iter().map(|(s, _)| s.weight).collect();
        let entry_weight: Vec<i64> = entry_sources.iter().map(|(e, _)| e.weight).collect();
        let entry_order = |&id: &EntryId| {
            let e = &entries[id];
            (entry_weight[id], e.date, e.source.clone())
        };
        let mut ordered_entries: Vec<EntryId> = (0..entries.len()).collect();
        ordered_entries.sort_by_cached_key(entry_order);
        let mut ordered_stories: Vec<StoryId> = (0..stories.len()).collect();
        ordered_stories.sort_by_cached_key(|&id| (story_weight[id], stories[id].source.clone()));

        for &id in &ordered_stories {
            issues[stories[id].issue].stories.push(id);
        }
        for &id in &ordered_entries {
            let entry = &entries[id];
            match entry.story {
                Some(story) => {
                    stories[story].coverage.push(id);
                    if stories[story].issue != entry.issue {
                        issues[entry.issue].entries.push(id);
                    }
                }
                None => issues[entry.issue].entries.push(id),
            }
        }

        // Newest first for outlet and tag pages.
        let mut newest_entries: Vec<EntryId> = (0..entries.len()).collect();
        newest_entries.sort_by_cached_key(|&id| {
            let e = &entries[id];
            (std::cmp::Reverse(e.date), e.issue, e.source.clone())
        });
        let mut outlets: Vec<Outlet> = content
            .outlets
            .into_iter()
            .map(|o| Outlet {
                key: o.key,
                name: o.name,
                tagline: o.tagline,
                blurb: o.blurb,
                url: o.url,
                entries: Vec::new(),
            })
            .collect();
        for &id in &newest_entries {
            if let Some(outlet) = outlets.get_mut(entries[id].outlet) {
                outlet.entries.push(id);
            }
            for &tag in &entries[id].tags {
                tags[tag].entries.push(id);
            }
        }
        let mut newest_stories: Vec<StoryId> = (0..stories.len()).collect();
        newest_stories
            .sort_by_cached_key(|&id| (std::cmp::Reverse(stories[id].date), stories[id].issue));
        for &id in &newest_stories {
            for &tag in &stories[id].tags {
                tags[tag].stories.push(id);
            }
        }
        let pages = build_pages(&config, content.pages, &mut drafts, &mut diagnostics);

        let site = Site {
            config,
            outlets,
            issues,
            stories,
            entries,
            tags,
            pages,
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

enum Exclusion {
    Published,
    Draft,
    Scheduled(NaiveDate),
}

/// Unique slugs, known outlets and stories, repeated links: across files.
fn check_slugs_and_links(
    content: &Content,
    outlets: &HashMap<&str, OutletId>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut story_slugs: HashMap<String, &Path> = HashMap::new();
    for issue in &content.issues {
        for item in &issue.items {
            if let Item::Story(story) = &**item {
                let slug = slugify(story.doc.stem());
                if let Some(first) = story_slugs.get(&slug) {
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "story slug `{slug}` is already used by `{}`",
                            display_path(first)
                        ))
                        .at(Location::file(story.doc.path()))
                        .help("story slugs are unique across the site: rename one of the files"),
                    );
                } else {
                    story_slugs.insert(slug, story.doc.path());
                }
            }
        }
    }

    let mut urls: HashMap<&str, &Path> = HashMap::new();
    for issue in &content.issues {
        let mut slugs: HashMap<String, &Path> = HashMap::new();
        for item in &issue.items {
            let doc = item.doc();
            let slug = slugify(doc.stem());
            if slug.is_empty() {
                diagnostics.push(
                    Diagnostic::error("this file name has no letters or digits")
                        .at(Location::file(doc.path()))
                        .help("the file name becomes the page's URL: rename it, e.g. `tnw-colossus.md`"),
                );
            } else if let Some(first) = slugs.get(&slug) {
                diagnostics.push(
                    Diagnostic::error(format!(
                        "slug `{slug}` is already used by `{}` in this issue",
                        display_path(first)
                    ))
                    .at(Location::file(doc.path()))
                    .help("two files of one issue would share a URL: rename one of them"),
                );
            } else {
                slugs.insert(slug, doc.path());
            }
            let Item::Entry(entry) = &**item else {
                continue;
            };
            let outlet = &entry.outlet;
            if !outlet.value.is_empty() && !outlets.contains_key(outlet.value.as_str()) {
                let d = outlet.error(format!("unknown outlet `{}`", outlet.value));
                diagnostics.push(match did_you_mean(&outlet.value, outlets.keys().copied()) {
                    Some(hint) => d.label(hint),
                    None => d.help(format!(
                        "add `{}:` with its `name` to content/outlets.yaml, or use one of its keys",
                        outlet.value
                    )),
                });
            }
            if let Some(story) = &entry.story
                && !story_slugs.contains_key(&slugify(&story.value))
            {
                let d = story.error(format!("unknown story `{}`", story.value));
                diagnostics.push(
                    match did_you_mean(&story.value, story_slugs.keys().map(String::as_str)) {
                        Some(hint) => d.label(hint),
                        None => d.help(
                            "`story` is the file name (without `.md`) of a story, in any issue",
                        ),
                    },
                );
            }
            if let Some(first) = urls.get(entry.url.value.as_str()) {
                diagnostics.push(
                    entry
                        .url
                        .warning(format!(
                            "the same `url` is also linked by `{}`",
                            display_path(first)
                        ))
                        .help("if this is deliberate (two outlets citing one article), ignore this warning"),
                );
            } else {
                urls.insert(&entry.url.value, doc.path());
            }
        }
    }
}

fn build_pages(
    config: &Config,
    sources: Vec<crate::content::PageSource>,
    drafts: &mut usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Page> {
    let mut pages: Vec<Page> = Vec::new();
    for source in sources {
        if source.draft && !config.drafts {
            *drafts += 1;
            continue;
        }
        let slug = slugify(source.doc.stem());
        let location = crate::diagnostic::Location::file(source.doc.path());
        if slug.is_empty()
            || urls::RESERVED.contains(&slug.as_str())
            || slug.chars().all(|c| c.is_ascii_digit())
        {
            diagnostics.push(
                Diagnostic::error(format!(
                    "page name `{slug}` is taken by gazette's own pages"
                ))
                .at(location)
                .help("rename the file: `archive`, `outlets`, `tags` and numbers are reserved"),
            );
            continue;
        }
        if pages.iter().any(|p| p.slug == slug) {
            diagnostics.push(
                Diagnostic::error(format!("page slug `{slug}` is used twice"))
                    .at(location)
                    .help("rename one of the files"),
            );
            continue;
        }
        let rendered = markdown::render(source.doc.body(), config.html());
        pages.push(Page {
            path: urls::page(&slug),
            slug,
            title: source.title,
            description: source.description.unwrap_or_default(),
            html: rendered.html,
            toc: rendered.toc,
            text: rendered.text,
            source: source.doc.path().to_path_buf(),
        });
    }
    pages.sort_by(|a, b| a.slug.cmp(&b.slug));
    pages
}

fn midnight(tz: chrono_tz::Tz, date: NaiveDate) -> DateTime<FixedOffset> {
    let naive = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|d| d.fixed_offset())
        .unwrap_or_else(|| naive.and_utc().fixed_offset())
}

/// "Wednesday, November 25, 2026"
pub fn long_date(date: NaiveDate) -> String {
    date.format("%A, %B %-d, %Y").to_string()
}
