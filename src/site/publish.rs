//! What is published: drafts and the schedule.
//!
//! Takes the [`Content`] and the config's `drafts`, `future` and `today`,
//! and returns the published sources, each with the id its issue gets
//! (issues newest first), and how many were left out. An issue of drafts
//! only is left out with them, and a folder with nothing in it yet (no
//! entry, no story, no `_issue.md`) with a warning. An entry published
//! under a story that is not (a draft, or in a scheduled issue) is an error
//! at the entry's `story`.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::IssueId;
use crate::config::Config;
use crate::content::{Content, EntrySource, IssueSource, Item, StorySource};
use crate::diagnostic::{Diagnostic, Location};
use crate::slug::slugify;

/// The sources that make the site.
pub struct Published<'a> {
    /// Newest first: an [`IssueId`] is an index of this.
    pub issues: Vec<&'a IssueSource>,
    pub stories: Vec<(&'a StorySource, IssueId)>,
    pub entries: Vec<(&'a EntrySource, IssueId)>,
    /// Issues dated after today, left out.
    pub scheduled: usize,
    /// Stories and entries marked `draft: true`, left out.
    pub drafts: usize,
}

/// Why a story is, or is not, on the site.
enum Exclusion {
    Published,
    Draft,
    Scheduled(NaiveDate),
}

/// The published issues, stories and entries of `content`.
pub fn select<'a>(
    config: &Config,
    content: &'a Content,
    diagnostics: &mut Vec<Diagnostic>,
) -> Published<'a> {
    let scheduled = |issue: &IssueSource| issue.date > config.today && !config.future;
    let mut published = Published {
        issues: Vec::new(),
        stories: Vec::new(),
        entries: Vec::new(),
        scheduled: content.issues.iter().filter(|i| scheduled(i)).count(),
        drafts: 0,
    };

    // Every story's state first: an entry may name a story of any issue.
    let mut story_state: HashMap<String, Exclusion> = HashMap::new();
    for issue in &content.issues {
        for item in &issue.items {
            if let Item::Story(story) = &**item {
                let state = if scheduled(issue) {
                    Exclusion::Scheduled(issue.date)
                } else if story.draft && !config.drafts {
                    Exclusion::Draft
                } else {
                    Exclusion::Published
                };
                story_state.insert(story.doc.slug().to_owned(), state);
            }
        }
    }

    for source in content.issues.iter().rev() {
        if scheduled(source) {
            continue;
        }
        if source.items.is_empty() && source.meta.is_none() {
            // A folder made ahead of the day's links, or emptied by moving
            // them out: publishing it would send an empty issue out and
            // record its URL for good, and git keeps no empty folder, so the
            // next clone would find that URL gone.
            diagnostics.push(
                Diagnostic::warning(format!("issue folder `{}` is empty: left out", source.dir.display()))
                    .code(crate::lint::EMPTY_ISSUE)
                    .at(Location::file(&source.dir))
                    .help("add its entries, or an `_issue.md` with the issue's note; or remove the folder"),
            );
            continue;
        }
        if only_drafts(source, config) {
            // Nothing of it is ready: publishing it would send an empty
            // issue out and record its URL for good (`published-urls.txt`).
            published.drafts += source.items.len();
            continue;
        }
        let id = published.issues.len();
        published.issues.push(source);
        for item in &source.items {
            match &**item {
                Item::Story(story) if story.draft && !config.drafts => published.drafts += 1,
                Item::Entry(entry) if entry.draft && !config.drafts => published.drafts += 1,
                Item::Story(story) => published.stories.push((story, id)),
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
                    published.entries.push((entry, id));
                }
            }
        }
    }
    published
}

/// Whether `issue` has stories or entries and every one is a draft left
/// out: an issue of drafts only (a day of `import`ed links not yet read)
/// is left out with them. An issue of no items at all (a note alone) is not.
fn only_drafts(issue: &IssueSource, config: &Config) -> bool {
    !config.drafts
        && !issue.items.is_empty()
        && issue.items.iter().all(|item| match &**item {
            Item::Story(story) => story.draft,
            Item::Entry(entry) => entry.draft,
        })
}
