//! The model of a save that changed only what entries say, made from the
//! last model rather than from scratch.
//!
//! An entry's headline, blurb and summary reach its own value and nothing
//! else of the model: lists, order, tags, outlets, stories and every check
//! across files read only its file name, outlet, link, story, tags, date,
//! weight, draft flag and aliases. When a save leaves all of those as they were in
//! every file it touched, the last model with those entries made again is
//! the model a full build makes; `serve` takes this path for the common
//! save (a word changed in a summary), and the property test of `serve`
//! holds it to that.

use std::path::Path;
use std::sync::Arc;

use super::{Site, entry};
use crate::config::Config;
use crate::content::{EntrySource, Item};

/// What `old` (the model of the last good rebuild, which found no problem
/// across files) becomes after `changes`, each a file of `content/` with its
/// source then and now; `None` when a change is not one an entry's own
/// value can absorb, and the model must be made again.
pub fn entries(
    mut old: Site,
    config: Config,
    changes: &[(&Path, Arc<Item>, Arc<Item>)],
) -> Result<Site, Config> {
    // A new day may publish a scheduled issue.
    if old.config.today != config.today {
        return Err(config);
    }
    for (path, then, now) in changes {
        let (Item::Entry(then), Item::Entry(now)) = (&**then, &**now) else {
            return Err(config);
        };
        if !same_place(then, now) {
            return Err(config);
        }
        let Some(id) = (old.entries.iter()).position(|e| crate::fs::same_path(&e.source, path))
        else {
            // Left out as a draft or a scheduled issue's, before and now.
            if now.draft {
                continue;
            }
            return Err(config);
        };
        let was = &old.entries[id];
        let mut made = entry(&config, now, &old.issues[was.issue], was.issue);
        made.outlet = was.outlet;
        made.story = was.story;
        made.tags.clone_from(&was.tags);
        old.entries[id] = made;
    }
    old.config = config;
    Ok(old)
}

/// Whether every field the model reads across files is the same in `then`
/// and `now`.
fn same_place(then: &EntrySource, now: &EntrySource) -> bool {
    then.doc.path() == now.doc.path()
        && then.doc.slug() == now.doc.slug()
        && then.outlet.value == now.outlet.value
        && then.url.value == now.url.value
        && then.canonical == now.canonical
        && then.story.as_ref().map(|s| &s.value) == now.story.as_ref().map(|s| &s.value)
        && then.tags == now.tags
        && then.tag_slugs == now.tag_slugs
        && then.date == now.date
        && then.weight == now.weight
        && then.draft == now.draft
        && then
            .aliases
            .iter()
            .map(|a| &a.value)
            .eq(now.aliases.iter().map(|a| &a.value))
}
