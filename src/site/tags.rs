//! Tags: one per slug, named as first written.
//!
//! Takes the published sources and the model's stories and entries built
//! from them (in the same order), gives each story and entry its tag ids,
//! and returns the tags in slug order, their lists still empty (`order`
//! fills them). `AI` and `ai` are one tag.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::publish::Published;
use super::{Entry, Story, Tag, TagId};

/// Sets the tags of `stories` and `entries`; returns every tag.
pub fn assign(published: &Published<'_>, stories: &mut [Story], entries: &mut [Entry]) -> Vec<Tag> {
    // Each tag named as first written, oldest issue first.
    let mut tag_names: BTreeMap<&str, &str> = BTreeMap::new();
    let written = (published.stories.iter().rev())
        .flat_map(|(s, _)| s.tags.iter().zip(&s.tag_slugs))
        .chain((published.entries.iter().rev()).flat_map(|(e, _)| e.tags.iter().zip(&e.tag_slugs)));
    for (name, slug) in written {
        tag_names.entry(slug).or_insert(name);
    }
    let tag_index: FxHashMap<&str, TagId> = tag_names
        .keys()
        .enumerate()
        .map(|(id, slug)| (*slug, id))
        .collect();
    let tag_ids = |slugs: &[String]| -> Vec<TagId> {
        let mut ids: Vec<TagId> = Vec::with_capacity(slugs.len());
        for id in slugs.iter().filter_map(|slug| tag_index.get(slug.as_str())) {
            if !ids.contains(id) {
                ids.push(*id);
            }
        }
        ids
    };
    for (story, (source, _)) in stories.iter_mut().zip(&published.stories) {
        story.tags = tag_ids(&source.tag_slugs);
    }
    for (entry, (source, _)) in entries.iter_mut().zip(&published.entries) {
        entry.tags = tag_ids(&source.tag_slugs);
    }
    tag_names
        .iter()
        .map(|(slug, name)| Tag {
            name: (*name).to_owned(),
            slug: (*slug).to_owned(),
            stories: Vec::new(),
            entries: Vec::new(),
        })
        .collect()
}
