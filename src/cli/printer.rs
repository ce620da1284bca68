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
    /// Whether the builds are served (`serve`) or written (`build --watch`),
    /// which the lines say.
    writes: bool,
}

impl Printer {
    /// The printer of `build --watch`, whose builds go to the output folder.
    pub(super) fn writing() -> Printer {
        Printer {
            writes: true,
            ..Printer::default()
        }
    }

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
        print_notice(notice, self.writes);
        if let Some(timings) = gazette::timing::report() {
            eprint!("{timings}");
        }
    }
}

/// One line per rebuild; the full diagnostics when it failed. `writes`:
/// the builds go to the output folder (`build --watch`), not to a server.
fn print_notice(notice: Notice<'_>, writes: bool) {
    match notice {
        Notice::Listening(url) => println!("serving at {url} (Ctrl-C to stop)"),
        Notice::Moved(url) => println!("base_url's path changed: serving at {url}"),
        Notice::Rebuilt {
            plan,
            changes,
            first,
        } => {
            let ms = changes.elapsed.as_secs_f64() * 1000.0;
            if first && writes {
                // Only what differs from the folder's files is written.
                println!(
                    "built the site: {} written in {ms:.0} ms",
                    plural_files(changes.changed.len())
                );
            } else if first {
                println!(
                    "built {} in {ms:.0} ms",
                    plural_files(changes.changed.len())
                );
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
            // The errors may be in files other than the one saved: the line
            // names the save, and counts the site's errors.
            let saved = if plan.everything && plan.paths.is_empty() && plan.folders.is_empty() {
                String::new()
            } else {
                format!("after {} changed, ", plan.describe())
            };
            let then = match (kept, writes) {
                (true, false) => "still serving the last good build",
                (true, true) => "the output folder keeps the last good build",
                (false, _) => {
                    "no build has succeeded yet: the next save that fixes it builds the site"
                }
            };
            print_error(&format!(
                "{saved}the site has {}; {then}",
                count_errors(diagnostics)
            ));
        }
        Notice::Unwatched(warning) => print_diagnostics(std::slice::from_ref(warning)),
    }
}

/// `1 file`, `37 files`.
fn plural_files(n: usize) -> String {
    format!("{n} file{}", if n == 1 { "" } else { "s" })
}
