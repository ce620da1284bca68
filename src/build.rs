//! `build` and `check`: the [`pipeline`] run once, into the output folder
//! or into nothing, and the report line of a build.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::config::{Config, Options};
use crate::diagnostic::{self, Diagnostic};
use crate::output::{Changes, Output, inputs};
pub use crate::pipeline::Outcome;
use crate::pipeline::{self, Cache};

/// A successful build.
#[derive(Debug)]
pub struct Report {
    /// HTML pages rendered.
    pub pages: usize,
    /// All files of the site, pages and static files.
    pub files: usize,
    pub changes: Changes,
    pub scheduled: usize,
    pub drafts: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
    pub warnings: Vec<Diagnostic>,
    /// Nothing the build reads changed since the last build into the same
    /// folder, so nothing was rendered: how many warnings that build had.
    pub unchanged: Option<usize>,
}

impl Report {
    /// `built 10,412 pages in 0.84 s (3 issues scheduled, 2 drafts left out)`
    pub fn summary(&self) -> String {
        let mut extras = Vec::new();
        if self.scheduled > 0 {
            extras.push(format!(
                "{} scheduled",
                plural(self.scheduled, "issue", "issues")
            ));
        }
        if self.drafts > 0 {
            extras.push(format!(
                "{} left out",
                plural(self.drafts, "draft", "drafts")
            ));
        }
        match self.unchanged {
            Some(0) => extras.push("nothing changed since the last build".to_owned()),
            Some(n) => extras.push(format!(
                "nothing changed since the last build, which had {}: `gazette check` shows {}",
                plural(n, "warning", "warnings"),
                if n == 1 { "it" } else { "them" }
            )),
            None => {}
        }
        let extras = if extras.is_empty() {
            String::new()
        } else {
            format!(" ({})", extras.join(", "))
        };
        format!(
            "built {} in {:.2} s{extras}",
            plural(self.pages, "page", "pages"),
            self.elapsed.as_secs_f64()
        )
    }
}

/// Builds the site into its output folder: the whole pipeline, once, from
/// an empty cache. The output folder is touched only when every page
/// rendered, and then only through [`Output`].
pub fn build(options: &Options) -> Result<Outcome<Report>> {
    let started = Instant::now();
    // Taken before anything is read: a file saved during this build makes
    // the next one stale.
    let fingerprint = match Config::load(options)? {
        (config, found) if !found.iter().any(Diagnostic::is_error) => {
            let timing = crate::timing::stage("inputs: fingerprint, last build's record");
            let fingerprint = inputs::fingerprint(&config, options);
            let record = crate::published::digest(&config.root);
            let unchanged =
                inputs::unchanged(&config.output, &format!("{fingerprint}{record:016x}"));
            drop(timing);
            if let Some(made) = unchanged {
                return Ok(Outcome::Done(Report {
                    pages: made.pages,
                    files: made.files,
                    changes: Changes::default(),
                    scheduled: made.scheduled,
                    drafts: made.drafts,
                    elapsed: started.elapsed(),
                    output: config.output,
                    warnings: Vec::new(),
                    unchanged: Some(made.warnings),
                }));
            }
            Some(fingerprint)
        }
        _ => None,
    };
    let prepared = match pipeline::prepare(options, &mut Cache::default())? {
        Outcome::Done(prepared) => prepared,
        Outcome::Failed(diagnostics) => return Ok(Outcome::Failed(diagnostics)),
    };
    let mut planned = pipeline::plan(prepared, None);
    let broken = planned.check_links();
    let (guard_failed, guarded) = planned.check_published(true);
    if broken || guard_failed {
        return Ok(Outcome::Failed(planned.warnings));
    }
    let output = match Output::begin(planned.config())? {
        Ok(output) => output,
        Err(refusal) => {
            let mut diagnostics = planned.warnings;
            diagnostics.push(refusal);
            return Ok(Outcome::Failed(diagnostics));
        }
    };
    let jobs = std::mem::take(&mut planned.jobs);
    let written = planned
        .render(&jobs, &|path, bytes| output.put(path, bytes))
        .and_then(|failed| {
            if !failed {
                for (rel, source) in &planned.statics {
                    output.put(rel, &planned.config().fs.read_static(source)?)?;
                }
            }
            Ok(failed)
        });
    match written {
        Ok(false) => {}
        Ok(true) => {
            output.abort()?;
            return Ok(Outcome::Failed(planned.warnings));
        }
        Err(e) => {
            output.abort()?;
            return Err(e);
        }
    }
    let keep = jobs
        .iter()
        .map(|job| job.path.as_str())
        .chain(planned.statics.keys().map(String::as_str));
    let timing = crate::timing::stage("commit: swap in, remove stale");
    let made = inputs::Made {
        pages: jobs.iter().filter(|j| j.path.ends_with(".html")).count(),
        files: jobs.len() + planned.statics.len(),
        scheduled: planned.site.scheduled,
        drafts: planned.site.drafts,
        warnings: planned.warnings.len(),
    };
    let committed = output.commit(keep)?;
    drop(timing);
    let changes = match committed {
        Ok(changes) => changes,
        Err(blocked) => {
            let mut diagnostics = planned.warnings;
            diagnostics.extend(blocked);
            return Ok(Outcome::Failed(diagnostics));
        }
    };
    // What was only previewed is never remembered.
    let config = planned.config();
    if config.records_urls() {
        crate::published::write(config, &guarded.made, &guarded.record)?;
    }
    if let Some(fingerprint) = fingerprint {
        // With the record as this build leaves it.
        let record = crate::published::digest(&config.root);
        inputs::record(&config.output, &format!("{fingerprint}{record:016x}"), made);
    }
    let report = Report {
        pages: made.pages,
        files: made.files,
        changes,
        scheduled: made.scheduled,
        drafts: made.drafts,
        elapsed: started.elapsed(),
        output: planned.site.config.output.clone(),
        warnings: std::mem::take(&mut planned.warnings),
        unchanged: None,
    };
    if options.exiting {
        // Freeing the site, its values and its pages' jobs, millions of
        // small objects, took longer than the process's exit takes.
        std::mem::forget((planned, jobs));
    }
    Ok(Outcome::Done(report))
}

/// Checks everything a build would, rendering every page, writing nothing,
/// and then the editorial rules of [`lint`](crate::lint).
pub fn check(options: &Options) -> Result<Outcome<Vec<Diagnostic>>> {
    let options = Options {
        lint: true,
        ..options.clone()
    };
    let prepared = match pipeline::prepare(&options, &mut Cache::default())? {
        Outcome::Done(prepared) => prepared,
        // `duplicate-entry` is an error already: `prepare` made it one for
        // a run with `lint` (see `crate::lint::allow`).
        Outcome::Failed(diagnostics) => return Ok(Outcome::Failed(diagnostics)),
    };
    let mut planned = pipeline::plan(prepared, None);
    let broken = planned.check_links();
    let (guard_failed, _) = planned.check_published(true);
    let jobs = std::mem::take(&mut planned.jobs);
    let failed = planned.render(&jobs, &|_, _| Ok(()))? || broken || guard_failed;
    diagnostic::sort(&mut planned.warnings);
    Ok(
        if failed || planned.warnings.iter().any(Diagnostic::is_error) {
            Outcome::Failed(planned.warnings)
        } else {
            Outcome::Done(planned.warnings)
        },
    )
}

/// `1 page`, `10,412 pages`
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    // The report line groups thousands and names what was left out.
    #[test]
    fn summary_line() {
        let report = Report {
            pages: 10412,
            files: 10420,
            changes: Changes::default(),
            scheduled: 3,
            drafts: 2,
            elapsed: Duration::from_millis(840),
            output: PathBuf::from("public"),
            warnings: Vec::new(),
            unchanged: None,
        };
        assert_eq!(
            report.summary(),
            "built 10,412 pages in 0.84 s (3 issues scheduled, 2 drafts left out)"
        );
        let quiet = Report {
            unchanged: Some(1),
            scheduled: 0,
            drafts: 0,
            ..report
        };
        assert_eq!(
            quiet.summary(),
            "built 10,412 pages in 0.84 s (nothing changed since the last build, which had 1 warning: `gazette check` shows it)"
        );
    }
}
