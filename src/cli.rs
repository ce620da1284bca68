//! The command line: one Args struct per command, each with `run()`.
//!
//! The only place that prints. Diagnostics and warnings go to stderr, the
//! one-line report to stdout. Exit status: 0 done, 1 the site has errors,
//! 2 the command line is wrong or the machine failed (clap uses 2 as well).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{Args, Parser, Subcommand};
use gazette::diagnostic::{Diagnostic, display_path};
use gazette::serve::Notice;
use gazette::{Options, Outcome};

/// A static-site generator for curated newsletters.
#[derive(Debug, Parser)]
#[command(name = "gazette", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into the output folder (default `public/`)
    Build(BuildArgs),
    /// Check the whole site, templates included; write nothing
    Check(CheckArgs),
    /// Serve the site with live reload, rebuilding on every save
    Serve(ServeArgs),
}

/// Flags every command that reads a site shares.
#[derive(Debug, Args)]
struct SiteArgs {
    /// The site's folder, holding `content/`
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
}

#[derive(Debug, Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Where to write the site [default: <root>/public]
    #[arg(long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Include entries, stories and pages marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// Include issues dated after today (in the site's timezone)
    #[arg(long)]
    future: bool,
    /// Use this base URL instead of site.yaml's `base_url`
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Rebuild on every change to the site's files, until stopped
    #[arg(long)]
    watch: bool,
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// The address to listen on
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// The port to listen on
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Also answer requests for this host name (repeatable); by default only
    /// `localhost`, `127.0.0.1`, `[::1]` and the bound address
    #[arg(long, value_name = "NAME", value_parser = gazette::serve::hosts::parse_name)]
    allow_host: Vec<String>,
    /// Include entries, stories and pages marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// Include issues dated after today (in the site's timezone)
    #[arg(long)]
    future: bool,
    /// Open the site in the default browser
    #[arg(long)]
    open: bool,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
}

impl Cli {
    pub fn run(self) -> Result<ExitCode> {
        match self.command {
            Command::Build(args) => args.run(),
            Command::Check(args) => args.run(),
            Command::Serve(args) => args.run(),
        }
    }
}

impl SiteArgs {
    fn options(&self) -> Result<Options> {
        Ok(Options {
            root: self.root.clone(),
            now: now_override()?,
            ..Options::default()
        })
    }
}

impl BuildArgs {
    fn run(self) -> Result<ExitCode> {
        let options = Options {
            output: self.output,
            drafts: self.drafts,
            future: self.future,
            base_url: self.base_url,
            ..self.site.options()?
        };
        if self.watch {
            let mut printer = Printer::default();
            gazette::serve::build_watch(options, |notice| printer.print(notice))?;
            return Ok(ExitCode::SUCCESS);
        }
        match gazette::build(&options)? {
            Outcome::Done(report) => {
                print_diagnostics(&report.warnings);
                println!("{}", report.summary());
                Ok(ExitCode::SUCCESS)
            }
            Outcome::Failed(diagnostics) => {
                print_diagnostics(&diagnostics);
                let output = options.output.unwrap_or_else(|| {
                    // `public`, not `./public`, for a site in the current folder.
                    if options.root == std::path::Path::new(".") {
                        PathBuf::from("public")
                    } else {
                        options.root.join("public")
                    }
                });
                eprintln!(
                    "error: build failed with {}; `{}` was not changed",
                    count_errors(&diagnostics),
                    display_path(&output)
                );
                Ok(ExitCode::from(1))
            }
        }
    }
}

impl CheckArgs {
    fn run(self) -> Result<ExitCode> {
        match gazette::check(&self.site.options()?)? {
            Outcome::Done(warnings) => {
                print_diagnostics(&warnings);
                let warned = match warnings.len() {
                    0 => String::new(),
                    1 => " (1 warning)".to_owned(),
                    n => format!(" ({n} warnings)"),
                };
                println!("the site has no errors{warned}");
                Ok(ExitCode::SUCCESS)
            }
            Outcome::Failed(diagnostics) => {
                print_diagnostics(&diagnostics);
                eprintln!("error: the site has {}", count_errors(&diagnostics));
                Ok(ExitCode::from(1))
            }
        }
    }
}

impl ServeArgs {
    fn run(self) -> Result<ExitCode> {
        let options = Options {
            drafts: self.drafts,
            future: self.future,
            ..self.site.options()?
        };
        let listen = gazette::serve::Listen {
            bind: self.bind,
            port: self.port,
            allowed_hosts: self.allow_host,
        };
        let open = self.open;
        let mut printer = Printer::default();
        gazette::serve::serve(options, listen, |notice| {
            if let Notice::Listening(url) = &notice
                && open
            {
                open_in_browser(url);
            }
            printer.print(notice);
        })?;
        Ok(ExitCode::SUCCESS)
    }
}

/// Prints the notices of `serve` and `build --watch`.
#[derive(Default)]
struct Printer {
    /// The warnings last printed: the same ones are not repeated on every save.
    warnings: Vec<Diagnostic>,
}

impl Printer {
    /// One line per rebuild; the full diagnostics when it failed.
    fn print(&mut self, notice: Notice<'_>) {
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
    }
}

/// One line per rebuild; the full diagnostics when it failed.
fn print_notice(notice: Notice<'_>) {
    match notice {
        Notice::Listening(url) => println!("serving at {url} (Ctrl-C to stop)"),
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
        Notice::Failed { plan, diagnostics } => {
            print_diagnostics(diagnostics);
            let what = if plan.everything && plan.paths.is_empty() {
                "the site".to_owned()
            } else {
                plan.describe()
            };
            eprintln!(
                "error: {what}: {}; still serving the last good build",
                count_errors(diagnostics)
            );
        }
    }
}

/// Opens `url` with the desktop's handler; a failure is only a notice.
fn open_in_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("note: could not open a browser; visit {url}");
    }
}

/// `GAZETTE_NOW` (RFC 3339) sets the moment that decides which issues are
/// scheduled: for previewing a date, and for tests at a day's boundary.
fn now_override() -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    let Some(raw) = std::env::var_os("GAZETTE_NOW") else {
        return Ok(None);
    };
    let raw = raw.to_string_lossy();
    let now = chrono::DateTime::parse_from_rfc3339(&raw).with_context(|| {
        format!("GAZETTE_NOW `{raw}` is not an RFC 3339 time such as `2026-11-25T14:05:00-06:00`")
    })?;
    Ok(Some(now.to_utc()))
}

fn count_errors(diagnostics: &[Diagnostic]) -> String {
    match diagnostics.iter().filter(|d| d.is_error()).count() {
        1 => "1 error".to_owned(),
        n => format!("{n} errors"),
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{}", d.render());
    }
}

/// Prints a failure of the tool (not of the site) with its causes.
pub fn print_failure(error: &anyhow::Error) {
    eprintln!("error: {error}");
    for cause in error.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    // clap's own consistency checks on the command definitions.
    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
