//! [`Memo`]: the template values of `serve`'s last rebuild, kept so that an
//! unchanged value stays the same allocation from one save to the next.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
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
    kinds: [FxHashMap<String, (u64, Value)>; KINDS],
    entries: Items,
    stories: Items,
}

/// Entries or stories as last built, in the order of the last run: a save
/// seldom changes that order, so each is found at its own position, with
/// no hashing.
#[derive(Default)]
struct Items {
    built: Vec<Built>,
    /// Position in `built` by key, for when the order changed.
    index: FxHashMap<String, usize>,
    /// This run's, in its order: `built` once it ends.
    next: Vec<Built>,
    /// Whether this run found each item at its old position so far.
    in_place: bool,
}

impl Items {
    fn start(&mut self) {
        self.next = Vec::with_capacity(self.built.len());
        self.in_place = true;
    }

    /// The last run's item `key`, taken out (it is pushed to `next` again).
    fn take(&mut self, position: usize, key: &str) -> Option<Built> {
        let at = match self.built.get(position) {
            Some(built) if built.key == key => position,
            _ => {
                self.in_place = false;
                *self.index.get(key)?
            }
        };
        let built = self.built.get_mut(at).filter(|built| built.key == key)?;
        let taken = Built {
            key: std::mem::take(&mut built.key),
            version: built.version,
            embeds: std::mem::take(&mut built.embeds),
            value: std::mem::replace(&mut built.value, Value::none()),
        };
        Some(taken)
    }

    fn finish(&mut self) {
        let reindex = !self.in_place || self.next.len() != self.built.len();
        self.built = std::mem::take(&mut self.next);
        if reindex {
            self.index = (self.built.iter().enumerate())
                .map(|(i, built)| (built.key.clone(), i))
                .collect();
        }
    }
}

/// An entry's or story's value and what it was made from.
struct Built {
    /// Its path.
    key: String,
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
            memo.entries.start();
            memo.stories.start();
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
    /// them), else `build`'s, kept as [`Keep::keep`] does. `position` is its
    /// place in this run's list, `key` its path.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn made(
        &mut self,
        made: Made,
        position: usize,
        key: &str,
        version: u64,
        embeds: impl FnOnce(&mut Vec<Value>),
        build: impl FnOnce() -> Value,
    ) -> Value {
        let Keep { memo, scratch } = self;
        let Some(memo) = memo.as_deref_mut() else {
            return build();
        };
        scratch.clear();
        embeds(scratch);
        let items = match made {
            Made::Entry => &mut memo.entries,
            Made::Story => &mut memo.stories,
        };
        let built = match items.take(position, key) {
            Some(old) if old.version == version && old.embeds == *scratch => old,
            Some(mut old) => {
                let fresh = build();
                old.version = version;
                old.embeds.clone_from(scratch);
                if old.value != fresh {
                    old.value = fresh;
                }
                old
            }
            None => Built {
                key: key.to_owned(),
                version,
                embeds: scratch.clone(),
                value: build(),
            },
        };
        let value = built.value.clone();
        items.next.push(built);
        value
    }

    /// [`Keep::made`] for each of `items` (its file's path and version
    /// from `file`, its embedded values from `embeds`); in parallel in a
    /// build, which has nothing to compare with.
    pub(super) fn made_all<T: Sync>(
        &mut self,
        made: Made,
        items: &[T],
        file: impl Fn(&T) -> (&str, u64),
        embeds: impl Fn(&T, &mut Vec<Value>),
        build: impl Fn(&T) -> Value + Sync,
    ) -> Vec<Value> {
        if !self.keeps() {
            return items.par_iter().map(&build).collect();
        }
        (items.iter().enumerate())
            .map(|(i, item)| {
                let (path, version) = file(item);
                let embeds = |v: &mut Vec<Value>| embeds(item, v);
                self.made(made, i, path, version, embeds, || build(item))
            })
            .collect()
    }

    pub(super) fn all<T: Sync>(
        &mut self,
        kind: usize,
        items: &[T],
        key: impl Fn(&T) -> &str,
        fresh: impl Fn(usize, &T) -> Value + Sync,
    ) -> Vec<Value> {
        if !self.keeps() {
            // Nothing to compare with: made in parallel.
            return (items.par_iter().enumerate())
                .map(|(i, item)| fresh(i, item))
                .collect();
        }
        (items.iter().enumerate())
            .map(|(i, item)| {
                let value = fresh(i, item);
                self.keep(kind, key(item), value)
            })
            .collect()
    }

    /// Whether values are kept between runs (`serve`), or only made (a build).
    pub(super) fn keeps(&self) -> bool {
        self.memo.is_some()
    }

    /// Drops the values of what this run did not see.
    pub(super) fn finish(self) {
        if let Some(memo) = self.memo {
            let run = memo.run;
            for kind in &mut memo.kinds {
                kind.retain(|_, (seen, _)| *seen == run);
            }
            memo.entries.finish();
            memo.stories.finish();
        }
    }
}
