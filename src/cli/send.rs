//! `gazette send --proof ADDRESS`: the email edition of the last build, to
//! the editor's own inbox, over SMTP.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;
use gazette::config::Config;
use gazette::diagnostic::Diagnostic;

use super::{SiteArgs, count_errors, print_diagnostics, print_error};

/// `gazette send`'s flags.
#[derive(Debug, Args)]
pub(super) struct SendArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Send a proof to this address (repeat for more). Only these get it:
    /// the list is your email service's job
    #[arg(long, value_name = "ADDRESS", required = true)]
    proof: Vec<String>,
    /// The issue to send, as YYYY-MM-DD [default: the newest the last build made]
    #[arg(long, value_name = "DATE", value_parser = issue_date)]
    issue: Option<NaiveDate>,
    /// The server for this run, over site.yaml's `smtp:` and the environment:
    /// `smtp://HOST:PORT` (no TLS: a relay on this machine, a test server),
    /// `smtp://HOST:PORT?tls=starttls`, or `smtps://HOST:PORT` (TLS)
    // Read in `run`, not by clap, whose error would repeat the URL and a
    // password written in it.
    #[arg(long, value_name = "URL")]
    smtp: Option<String>,
    /// The folder the site was built into [default: <root>/public]
    #[arg(long, value_name = "DIR")]
    output: Option<PathBuf>,
}

/// `--issue`, `YYYY-MM-DD` to the letter, as issue folders are named.
fn issue_date(raw: &str) -> Result<NaiveDate, String> {
    gazette::content::issue_date(raw).ok_or_else(|| "not a date such as `2026-11-25`".to_owned())
}

impl SendArgs {
    pub(super) fn run(self) -> Result<ExitCode> {
        let smtp = match self.smtp.as_deref().map(gazette::send::ServerUrl::parse) {
            None => None,
            Some(Ok(url)) => Some(url),
            Some(Err(why)) => {
                print_error(&format!("invalid `--smtp`: {why}"));
                return Ok(ExitCode::from(2));
            }
        };
        let options = gazette::Options {
            output: self.output,
            ..self.site.options()?
        };
        let (config, diagnostics) = Config::load(&options)?;
        if diagnostics.iter().any(Diagnostic::is_error) {
            print_diagnostics(&diagnostics);
            print_error(&format!(
                "nothing sent: site.yaml has {}",
                count_errors(&diagnostics)
            ));
            return Ok(ExitCode::from(1));
        }
        let env = |name: &str| std::env::var(name).ok();
        match gazette::send::proof(&config, &self.proof, self.issue, smtp.as_ref(), &env) {
            Ok(sent) => {
                println!(
                    "sent the proof of {} (\"{}\") to {} through {}",
                    sent.issue.trim_end_matches('/').replace('/', "-"),
                    sent.subject,
                    sent.to.join(", "),
                    sent.server
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(failed) => {
                match failed.sent.is_empty() {
                    true => print_error(&format!("nothing sent: {}", failed.message)),
                    false => print_error(&format!(
                        "sent only to {}: {}",
                        failed.sent.join(", "),
                        failed.message
                    )),
                }
                eprintln!(" = help: {}", failed.help);
                Ok(ExitCode::from(1))
            }
        }
    }
}
