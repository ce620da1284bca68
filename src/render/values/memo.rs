//! [`Memo`]: the template values of `serve`'s last rebuild, kept so that an
//! unchanged value stays the same allocation from one save to the next.

use std::collections::HashMap;

use tera::Value;

use crate::site::Entry;

/// The values of the last run, by what each one shows (an entry's path, an
/// outlet's key), for `serve`. A rebuild keeps the old value wherever the new
/// one comes out equal, children first, so every value an edit did not touch
/// is the very same allocation as before: comparing a page's value with its
/// last one then costs a pointer comparison for each unchanged part, not a
/// walk of every string in it.
///
/// Entries, the bulk of a site, are not even built again when the file and
/// the values they embed are the ones of the last run.
#[derive(Default)]
pub struct Memo {
    kinds: [HashMap<String, Value>; KINDS],
    entries: HashMap<String, Built>,
}

/// An entry's value and what it was made from.
struct Built {
    /// [`Entry::version`]: the file, as parsed.
    version: u64,
    embeds: Embeds,
    value: Value,
}

/// The values an entry's value holds besides its own fields.
#[derive(PartialEq)]
pub(super) struct Embeds {
    pub(super) outlet: Value,
    pub(super) tags: Vec<Value>,
    pub(super) story: Option<Value>,
    pub(super) issue: Value,
}

/// outlets, tags, issue summaries, story summaries, stories, issues, pages
const KINDS: usize = 7;
pub(super) const OUTLET: usize = 0;
pub(super) const TAG: usize = 1;
pub(super) const ISSUE_SUMMARY: usize = 2;
pub(super) const STORY_SUMMARY: usize = 3;
pub(super) const STORY: usize = 4;
pub(super) const ISSUE: usize = 5;
pub(super) const PAGE: usize = 6;

/// Interns the values of one run against a [`Memo`], or does nothing (a
/// build has no last run to share with).
pub(super) struct Keep<'a> {
    pub(super) memo: Option<&'a mut Memo>,
    pub(super) next: Memo,
}

impl Keep<'_> {
    /// `fresh`, or the last run's value of the `kind` named `key` if equal.
    pub(super) fn keep(&mut self, kind: usize, key: &str, fresh: Value) -> Value {
        let Some(memo) = self.memo.as_deref() else {
            return fresh;
        };
        let value = match memo.kinds[kind].get(key) {
            Some(old) if *old == fresh => old.clone(),
            _ => fresh,
        };
        self.next.kinds[kind].insert(key.to_owned(), value.clone());
        value
    }

    /// An entry's value: the last run's when made from the same file and
    /// the same embedded values, else `build`'s, kept as [`Keep::keep`] does.
    pub(super) fn entry(
        &mut self,
        e: &Entry,
        embeds: Embeds,
        build: impl FnOnce() -> Value,
    ) -> Value {
        let Some(memo) = self.memo.as_deref() else {
            return build();
        };
        let old = memo.entries.get(&e.path);
        let value = match old {
            Some(old) if old.version == e.version && old.embeds == embeds => old.value.clone(),
            _ => {
                let fresh = build();
                match old {
                    Some(old) if old.value == fresh => old.value.clone(),
                    _ => fresh,
                }
            }
        };
        let built = Built {
            version: e.version,
            embeds,
            value: value.clone(),
        };
        self.next.entries.insert(e.path.clone(), built);
        value
    }

    pub(super) fn all<T>(
        &mut self,
        kind: usize,
        items: &[T],
        key: impl Fn(&T) -> &str,
        fresh: impl Fn(usize, &T) -> Value,
    ) -> Vec<Value> {
        (items.iter().enumerate())
            .map(|(i, item)| {
                let value = fresh(i, item);
                self.keep(kind, key(item), value)
            })
            .collect()
    }

    pub(super) fn finish(self) {
        if let Some(memo) = self.memo {
            *memo = self.next;
        }
    }
}
