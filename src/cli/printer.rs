//! The notices of `serve` and `build --watch`, as lines on the terminal:
//! one line per rebuild, the full diagnostics when one fails, and warnings
//! only when they change.

use gazette::diagnostic::Diagnostic;
use gazette::serve::Notice;

use super::{count_errors, print_diagnostics, print_error};

/// Prints the notices of `serve` and `build --watch`.
#[derive(Default)]
pub(super) struct Printer {
    /// The warnings last printed: the same ones are not repeated on every save.
    warnings: Vec<Diagnostic>,
}

impl Printer {
    /// One line per rebuild; the full diagnostics when it failed.
    pub(super) fn print(&mut self, notice: Notice<'_>) {
        if let Notice::Rebuilt { changes, .. } = &notice
            && changes.warnings != self.warnings
        {
            print_diagnostics(&changes.warnings);
            self.warnings = changes.warnings.clone();
        }
        if let Notice::Failed { .. } = &notice {
            // After a failure, the next good build says its warnings again.
            self.warnings.clear();
        }
        print_notice(notice);
        if let Some(timings) = gazette::timing::report() {
            eprint!("{timings}");
        }
    }
}

/// One line per rebuild; the full diagnostics when it failed.
fn print_notice(notice: Notice<'_>) {
    match notice {
        Notice::Listening(url) => println!("serving at {url} (Ctrl-C to stop)"),
        Notice::Moved(url) => println!("base_url's path changed: serving at {url}"),
        Notice::Rebuilt {
            plan,
            changes,
            first,
        } => {
            let ms = changes.elapsed.as_secs_f64() * 1000.0;
            if first {
                println!("built {} files in {ms:.0} ms", changes.changed.len());
            } else {
                println!(
                    "{} changed: {} page{} re-rendered, {} file{} updated, {} removed, in {ms:.0} ms",
                    plan.describe(),
                    changes.rendered,
                    if changes.rendered == 1 { "" } else { "s" },
                    changes.changed.len(),
                    if changes.changed.len() == 1 { "" } else { "s" },
                    changes.removed.len(),
                );
            }
        }
        Notice::Failed {
            plan,
            diagnostics,
            kept,
        } => {
            print_diagnostics(diagnostics);
            let what = if plan.everything && plan.paths.is_empty() {
                "the site".to_owned()
            } else {
                plan.describe()
            };
            let then = if kept {
                "still serving the last good build"
            } else {
                "no build has succeeded yet: the next save that fixes it builds the site"
            };
            print_error(&format!("{what}: {}; {then}", count_errors(diagnostics)));
        }
    }
}
