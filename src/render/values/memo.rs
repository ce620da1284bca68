//! [`Memo`]: the template values of `serve`'s last rebuild, kept so that an
//! unchanged value stays the same allocation from one save to the next.

use std::collections::HashMap;

use tera::Value;

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
    /// The run the values were last seen in: at the end of a run, those
    /// not seen in it (an entry deleted) are dropped.
    run: u64,
    kinds: [HashMap<String, (u64, Value)>; KINDS],
    entries: HashMap<String, Built>,
    stories: HashMap<String, Built>,
}

/// An entry's or story's value and what it was made from.
struct Built {
    run: u64,
    /// [`Entry::version`](crate::site::Entry::version): the file, as parsed.
    version: u64,
    /// The values it embeds besides its own fields (its outlet, tags, issue).
    embeds: Vec<Value>,
    value: Value,
}

/// outlets, tags, issue summaries, story summaries, stories, issues, pages
const KINDS: usize = 7;
pub(super) const OUTLET: usize = 0;
pub(super) const TAG: usize = 1;
pub(super) const ISSUE_SUMMARY: usize = 2;
pub(super) const STORY_SUMMARY: usize = 3;
pub(super) const ISSUE: usize = 5;
pub(super) const PAGE: usize = 6;

/// Which values [`Keep::made`] keeps.
#[derive(Clone, Copy)]
pub(super) enum Made {
    Entry,
    Story,
}

/// Interns the values of one run against a [`Memo`], or does nothing (a
/// build has no last run to share with).
pub(super) struct Keep<'a> {
    memo: Option<&'a mut Memo>,
    /// The embedded values of the item at hand, compared with the last run's.
    scratch: Vec<Value>,
}

impl<'a> Keep<'a> {
    pub(super) fn new(mut memo: Option<&'a mut Memo>) -> Keep<'a> {
        if let Some(memo) = memo.as_deref_mut() {
            memo.run += 1;
        }
        Keep {
            memo,
            scratch: Vec::new(),
        }
    }

    /// `fresh`, or the last run's value of the `kind` named `key` if equal.
    pub(super) fn keep(&mut self, kind: usize, key: &str, fresh: Value) -> Value {
        let Some(memo) = self.memo.as_deref_mut() else {
            return fresh;
        };
        let run = memo.run;
        match memo.kinds[kind].get_mut(key) {
            Some((seen, old)) => {
                *seen = run;
                if *old != fresh {
                    *old = fresh;
                }
                old.clone()
            }
            None => {
                memo.kinds[kind].insert(key.to_owned(), (run, fresh.clone()));
                fresh
            }
        }
    }

    /// An entry's or story's value: the last run's when made from the same
    /// `version` of its file and the same embedded values (`embeds` pushes
    /// them), else `build`'s, kept as [`Keep::keep`] does.
    pub(super) fn made(
        &mut self,
        made: Made,
        key: &str,
        version: u64,
        embeds: impl FnOnce(&mut Vec<Value>),
        build: impl FnOnce() -> Value,
    ) -> Value {
        let Keep { memo, scratch } = self;
        let Some(memo) = memo.as_deref_mut() else {
            return build();
        };
        let run = memo.run;
        scratch.clear();
        embeds(scratch);
        let map = match made {
            Made::Entry => &mut memo.entries,
            Made::Story => &mut memo.stories,
        };
        match map.get_mut(key) {
            Some(old) => {
                old.run = run;
                if old.version == version && old.embeds == *scratch {
                    return old.value.clone();
                }
                let fresh = build();
                old.version = version;
                old.embeds.clone_from(scratch);
                if old.value != fresh {
                    old.value = fresh;
                }
                old.value.clone()
            }
            None => {
                let value = build();
                let built = Built {
                    run,
                    version,
                    embeds: scratch.clone(),
                    value: value.clone(),
                };
                map.insert(key.to_owned(), built);
                value
            }
        }
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

    /// Drops the values of what this run did not see.
    pub(super) fn finish(self) {
        if let Some(memo) = self.memo {
            let run = memo.run;
            for kind in &mut memo.kinds {
                kind.retain(|_, (seen, _)| *seen == run);
            }
            memo.entries.retain(|_, built| built.run == run);
            memo.stories.retain(|_, built| built.run == run);
        }
    }
}
