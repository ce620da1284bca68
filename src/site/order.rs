//! Display order, as SPEC section 1 says.
//!
//! Takes the model's stories and entries, with the weights of the sources
//! they came from, and fills every list of the model: each issue's stories
//! and entries and each story's coverage (by weight, then date for entries,
//! then file name), and the newest-first lists of outlets and tags.

use std::cmp::Reverse;

use super::publish::Published;
use super::{Entry, EntryId, Issue, Outlet, Story, StoryId, Tag};

/// The model's parts whose lists this fills.
pub struct Lists<'a> {
    pub issues: &'a mut [Issue],
    pub stories: &'a mut [Story],
    pub entries: &'a [Entry],
    pub outlets: &'a mut [Outlet],
    pub tags: &'a mut [Tag],
}

/// Fills the lists of `lists`; `published` gives the weights.
pub fn arrange(published: &Published<'_>, lists: Lists<'_>) {
    let Lists {
        issues,
        stories,
        entries,
        outlets,
        tags,
    } = lists;
    let story_weight: Vec<i64> = published.stories.iter().map(|(s, _)| s.weight).collect();
    let entry_weight: Vec<i64> = published.entries.iter().map(|(e, _)| e.weight).collect();
    // Keys borrow the source paths: no allocation per comparison.
    let entry_order = |id: EntryId| {
        let e = &entries[id];
        (entry_weight[id], e.date, e.source.as_path())
    };
    let mut ordered_entries: Vec<EntryId> = (0..entries.len()).collect();
    ordered_entries.sort_by(|&a, &b| entry_order(a).cmp(&entry_order(b)));
    let story_order = |id: StoryId| (story_weight[id], stories[id].source.as_path());
    let mut ordered_stories: Vec<StoryId> = (0..stories.len()).collect();
    ordered_stories.sort_by(|&a, &b| story_order(a).cmp(&story_order(b)));

    for &id in &ordered_stories {
        issues[stories[id].issue].stories.push(id);
    }
    for &id in &ordered_entries {
        let entry = &entries[id];
        match entry.story {
            Some(story) => {
                stories[story].coverage.push(id);
                // Coverage from a later issue is listed there too.
                if stories[story].issue != entry.issue {
                    issues[entry.issue].entries.push(id);
                }
            }
            None => issues[entry.issue].entries.push(id),
        }
    }

    // Newest first for outlet and tag pages.
    let newest = |id: EntryId| {
        let e = &entries[id];
        (Reverse(e.date), e.issue, e.source.as_path())
    };
    let mut newest_entries: Vec<EntryId> = (0..entries.len()).collect();
    newest_entries.sort_by(|&a, &b| newest(a).cmp(&newest(b)));
    for &id in &newest_entries {
        if let Some(outlet) = outlets.get_mut(entries[id].outlet) {
            outlet.entries.push(id);
        }
        for &tag in &entries[id].tags {
            tags[tag].entries.push(id);
        }
    }
    let mut newest_stories: Vec<StoryId> = (0..stories.len()).collect();
    newest_stories.sort_by_key(|&id| (Reverse(stories[id].date), stories[id].issue));
    for &id in &newest_stories {
        for &tag in &stories[id].tags {
            tags[tag].stories.push(id);
        }
    }
}
