//! The second half of a rebuild: the files made from the whole site, which
//! a newer save may stop.

use anyhow::Result;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::sync::Arc;
use tera::Value;

use super::{Bytes, Engine, render};
use crate::pipeline;

/// What the second half of a rebuild came to ([`Engine::whole`]).
pub(super) enum Whole {
    /// The built-in files, made.
    Made(Vec<(String, Bytes)>),
    /// A newer save came: this rebuild is given up.
    Newer,
    /// A problem, in the plan's warnings: the rebuild fails.
    Failed,
}

impl Engine {
    /// The second half of a rebuild: the files made from the whole site
    /// (feeds, email editions, search, sitemap), planned after `planned`'s
    /// pages; the email editions that changed are rendered into `rendered`,
    /// the built-in files returned. [`Whole::Newer`] as soon as `stop` says
    /// a newer save came, between steps or inside the longest of them.
    pub(super) fn whole(
        &mut self,
        planned: &mut pipeline::Planned,
        keep: &FxHashSet<&'static str>,
        pages: &mut Vec<(String, (&'static str, Value))>,
        rendered: &mut Vec<(String, Bytes)>,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<Whole> {
        if stop() {
            return Ok(Whole::Newer);
        }
        let first_whole = planned.jobs.len();
        // Its longest kinds stop early when told to: the list is then given up.
        planned.plan_whole(stop);
        if stop() {
            return Ok(Whole::Newer);
        }
        // A published URL that disappears is said, not refused, in a
        // preview; `build --watch` publishes, and refuses as `build` does.
        let (refused, guarded) = planned.check_published(!self.options.preview);
        if refused {
            return Ok(Whole::Failed);
        }
        if stop() {
            return Ok(Whole::Newer);
        }
        self.guarded = Some(guarded);
        let timing = crate::timing::stage("emails compared");
        let whole = &planned.jobs[first_whole..];
        // Built-in files as bytes; the entry feeds are made here, in parallel.
        let elements = crate::render::feeds::Elements::new(&planned.site);
        let made: Vec<Option<Bytes>> = (whole.par_iter())
            .map(|job| {
                (job.body.built_in(&planned.site, &elements)).map(|text| Arc::from(text.as_bytes()))
            })
            .collect();
        let mut texts: Vec<(String, Bytes)> = Vec::new();
        let mut emails = Vec::new();
        for (job, made) in whole.iter().zip(made) {
            match made {
                Some(bytes) => texts.push((job.path.clone(), bytes)),
                None => emails.push(job.clone()),
            }
        }
        let emails = self.select(keep, &emails, pages);
        drop(timing);
        if stop() {
            return Ok(Whole::Newer);
        }
        match render(planned, &emails)? {
            Some(more) => rendered.extend(more),
            None => return Ok(Whole::Failed),
        }
        Ok(Whole::Made(texts))
    }
}
