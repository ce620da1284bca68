//! `gazette check`: the whole site checked, templates and editorial rules
//! included; nothing written. `--strict` fails on warnings (for CI);
//! `--format json` prints every diagnostic as one JSON document (for
//! editors and CI annotations) on stdout.

use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};
use gazette::Outcome;
use gazette::diagnostic::{Diagnostic, Severity, display_path};
use serde_json::{Value, json};

use super::{SiteArgs, count_errors, print_diagnostics, print_error};

/// `gazette check`'s flags.
#[derive(Debug, Args)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Fail (exit 1) on warnings too, not only on errors: for CI
    #[arg(long)]
    strict: bool,
    /// How to print what was found
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// As rustc prints its own: file, line, the source quoted
    Human,
    /// One JSON document on stdout: every diagnostic with its severity,
    /// code, file, line, column, message and help
    Json,
}

impl CheckArgs {
    pub(super) fn run(self) -> Result<ExitCode> {
        let diagnostics = match gazette::check(&self.site.options()?)? {
            Outcome::Done(diagnostics) | Outcome::Failed(diagnostics) => diagnostics,
        };
        let count = |severity| {
            diagnostics
                .iter()
                .filter(|d| d.severity == severity)
                .count()
        };
        let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
        let failed = errors > 0 || (self.strict && warnings > 0);
        if self.format == Format::Json {
            let document = json!({
                "ok": !failed,
                "errors": errors,
                "warnings": warnings,
                "notes": count(Severity::Note),
                "diagnostics": diagnostics.iter().map(to_json).collect::<Vec<_>>(),
            });
            println!("{}", serde_json::to_string_pretty(&document)?);
        } else {
            print_diagnostics(&diagnostics);
            if errors > 0 {
                print_error(&format!("the site has {}", count_errors(&diagnostics)));
            } else if failed {
                print_error(&format!(
                    "the site has {} (`--strict` fails on warnings)",
                    plural(warnings, "warning")
                ));
            } else {
                let found: Vec<String> = [(warnings, "warning"), (count(Severity::Note), "note")]
                    .into_iter()
                    .filter(|(n, _)| *n > 0)
                    .map(|(n, what)| plural(n, what))
                    .collect();
                if found.is_empty() {
                    println!("the site has no errors");
                } else {
                    println!("the site has no errors ({})", found.join(", "));
                }
            }
        }
        Ok(if failed {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    }
}

/// `1 warning`, `3 notes`.
fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// One diagnostic for `--format json`: its file relative to the site root
/// with `/` separators, `line` and `column` 1-based (null when unknown).
fn to_json(d: &Diagnostic) -> Value {
    let location = d.location.as_ref();
    json!({
        "severity": d.severity.as_str(),
        "code": d.code,
        "file": location.map(|l| display_path(&l.path)),
        "line": location.map(|l| l.line).filter(|line| *line > 0),
        "column": location.and_then(|l| l.column),
        "end_column": location.and_then(|l| l.column.map(|c| c + l.width.max(1))),
        "message": d.message,
        "label": d.label,
        "help": d.help,
        "notes": d.notes,
    })
}
