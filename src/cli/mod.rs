//! The command line: the `gazette` parser, one file per command, and the
//! printing they share.
//!
//! The only place that prints. Diagnostics and warnings go to stderr, the
//! one-line report to stdout. Exit status: 0 done, 1 the site has errors,
//! 2 the command line is wrong or the machine failed (clap uses 2 as well).
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod build;
mod check;
mod deploy;
mod import;
mod init;
mod new;
mod printer;
mod send;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{Args, Parser, Subcommand};
use gazette::Options;
use gazette::diagnostic::{Diagnostic, Palette};

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
    Build(build::BuildArgs),
    /// Check the whole site, templates included; write nothing
    Check(check::CheckArgs),
    /// Serve the site with live reload, rebuilding on every save
    Serve(serve::ServeArgs),
    /// Make a new site: settings, an example outlet, today's issue, the theme
    Init(init::InitArgs),
    /// Write a new story or entry into today's issue (or `--issue DATE`)
    New(new::NewArgs),
    /// Draft entries from a feed, or from each feed of an OPML list
    Import(import::ImportArgs),
    /// Send the email edition of the last build to your own inbox, over SMTP
    Send(send::SendArgs),
    /// Publish the last build to a bucket or a Git branch, changing only what changed
    Deploy(deploy::DeployArgs),
}

/// Flags every command that reads a site shares.
#[derive(Debug, Args)]
struct SiteArgs {
    /// The site's folder, holding `content/`
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
}

impl Cli {
    pub fn run(self) -> Result<ExitCode> {
        match self.command {
            Command::Build(args) => args.run(),
            Command::Check(args) => args.run(),
            Command::Serve(args) => args.run(),
            Command::Init(args) => args.run(),
            Command::New(args) => args.run(),
            Command::Import(args) => args.run(),
            Command::Send(args) => args.run(),
            Command::Deploy(args) => args.run(),
        }
    }
}

impl SiteArgs {
    /// The options of a plain run on this site: every other field default.
    fn options(&self) -> Result<Options> {
        Ok(Options {
            root: self.root.clone(),
            now: now_override()?,
            ..Options::default()
        })
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

/// "1 error", "3 errors": the errors among `diagnostics`, warnings not counted.
fn count_errors(diagnostics: &[Diagnostic]) -> String {
    match diagnostics.iter().filter(|d| d.is_error()).count() {
        1 => "1 error".to_owned(),
        n => format!("{n} errors"),
    }
}

/// Each diagnostic as the user reads it, on stderr, in colour where the
/// terminal shows it (`anstream` drops the colours when `NO_COLOR` is set
/// or stderr is not a terminal).
fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        anstream::eprintln!("{}", d.render_styled(&Palette::COLOURED));
    }
}

/// `error: message` on stderr, `error` in red where colours are on.
fn print_error(message: &str) {
    let red = Palette::COLOURED.error;
    anstream::eprintln!("{red}error{red:#}: {message}");
}

/// Prints a failure of the tool (not of the site) with its causes.
pub fn print_failure(error: &anyhow::Error) {
    print_error(&error.to_string());
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
