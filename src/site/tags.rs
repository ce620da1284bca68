//! Tags: one per slug, named as first written.
//!
//! Takes the published sources and the model's stories and entries built
//! from them (in the same order), gives each story and entry its tag ids,
//! and returns the tags in slug order, their lists still empty (`order`
//! fills them). `AI` and `ai` are one tag.

use std::collections::{BTreeMap, HashMap};

use super::publish::Published;
use super::{Entry, Story, Tag, TagId};
use crate::slug::slugify;

/// Sets the tags of `stories` and `entries`; returns every tag.
pub fn assign(published: &Published<'_>, stories: &mut [Story], entries: &mut [Entry]) -> Vec<Tag> {
    // Each tag named as first written, oldest issue first.
    let mut tag_names: BTreeMap<String, &str> = BTreeMap::new();
    let written = published
        .stories
        .iter()
        .rev()
        .flat_map(|(s, _)| &s.tags)
        .chain(published.entries.iter().rev().flat_map(|(e, _)| &e.tags));
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
            if !ids.contains(id) {
                ids.push(*id);
            }
        }
        ids
    };
    for (story, (source, _)) in stories.iter_mut().zip(&published.stories) {
        story.tags = tag_ids(&source.tags);
    }
    for (entry, (source, _)) in entries.iter_mut().zip(&published.entries) {
        entry.tags = tag_ids(&source.tags);
    }
    tag_names
        .iter()
        .map(|(slug, name)| Tag {
            name: (*name).to_owned(),
            slug: slug.clone(),
            stories: Vec::new(),
            entries: Vec::new(),
        })
        .collect()
}
