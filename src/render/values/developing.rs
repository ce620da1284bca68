//! The values of a developing story: a story whose coverage runs over
//! several issues. Its page groups the coverage by day; a later issue shows
//! its new coverage under the story it follows ("Developing"), not among
//! its loose links.

use tera::Value;

use super::{map, pick};
use crate::site::{IssueId, Site, Story, long_date};

/// A story's coverage by the day it was filed, oldest first: each day's
/// `date`, `date_short` (`Nov 25`), `date_long`, `issue` (its summary),
/// `entries` and `count`, and on the first day `first`, the entry that
/// reported the story first.
pub fn coverage_days(
    site: &Site,
    s: &Story,
    entries: &[Value],
    issue_summaries: &[Value],
) -> Value {
    let mut days: Vec<(IssueId, Vec<usize>)> = Vec::new();
    for &id in &s.coverage {
        let issue = site.entries[id].issue;
        match days.iter_mut().find(|(i, _)| *i == issue) {
            Some((_, ids)) => ids.push(id),
            None => days.push((issue, vec![id])),
        }
    }
    // Issues are newest first: the oldest day has the largest id.
    days.sort_by_key(|(issue, _)| std::cmp::Reverse(*issue));
    let first = (s.coverage.iter())
        .min_by_key(|&&id| (site.entries[id].date, site.entries[id].issue))
        .map(|&id| entries[id].clone());
    let values: Vec<Value> = (days.iter().enumerate())
        .map(|(n, (issue, ids))| {
            let date = site.issues[*issue].date;
            map([
                ("date", date.format("%Y-%m-%d").to_string().into()),
                ("date_short", site.config.words.date(date, "short").into()),
                ("date_long", long_date(&site.config.words, date).into()),
                ("issue", issue_summaries[*issue].clone()),
                ("entries", Value::from(pick(entries, ids))),
                ("count", ids.len().into()),
                (
                    "first",
                    if n == 0 {
                        first.clone().into()
                    } else {
                        Value::none()
                    },
                ),
            ])
        })
        .collect();
    Value::from(values)
}

/// The entries of the issue `id` that are new coverage of a story of an
/// earlier issue, as `developing` values (each a `story` summary and its
/// `entries`), and the ids of the rest of its entries.
pub fn follow_ups(
    site: &Site,
    id: IssueId,
    entries: &[Value],
    story_summaries: &[Value],
) -> (Vec<Value>, Vec<usize>) {
    let (by_story, others) = group(site, id);
    let developing = (by_story.iter())
        .map(|(s, ids)| {
            map([
                ("story", story_summaries[*s].clone()),
                ("entries", Value::from(pick(entries, ids))),
            ])
        })
        .collect();
    (developing, others)
}

/// The entries of the issue `id`, in its order, split into those that
/// follow up a story of an earlier issue (by story, in order of first
/// mention) and the rest.
pub fn group(site: &Site, id: IssueId) -> (Vec<(usize, Vec<usize>)>, Vec<usize>) {
    // Issues are newest first: an earlier issue has a larger id.
    let mut by_story: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut others = Vec::new();
    for &e in &site.issues[id].entries {
        match site.entries[e]
            .story
            .filter(|&s| site.stories[s].issue > id)
        {
            Some(s) => match by_story.iter_mut().find(|(story, _)| *story == s) {
                Some((_, ids)) => ids.push(e),
                None => by_story.push((s, vec![e])),
            },
            None => others.push(e),
        }
    }
    (by_story, others)
}
