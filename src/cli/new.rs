//! `gazette new story|entry "Headline"`: the file, with complete front
//! matter, in today's issue folder (or `--issue DATE`); its path on stdout,
//! so that `$EDITOR $(gazette new entry …)` opens it.

use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use gazette::config::Config;
use gazette::content::write::{New, new_file};
use gazette::diagnostic::{Diagnostic, display_path};

use super::{SiteArgs, count_errors, print_diagnostics, print_error};

#[derive(Debug, Args)]
pub(super) struct NewArgs {
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, Subcommand)]
enum What {
    /// A story (the day's lead explainer), with its three sections
    Story {
        #[command(flatten)]
        common: Common,
    },
    /// An entry: one curated link
    Entry {
        #[command(flatten)]
        common: Common,
        /// The article's address (http or https)
        #[arg(long, value_name = "URL")]
        url: String,
        /// The outlet's key in outlets.yaml [default: the outlet at the URL's host]
        #[arg(long, value_name = "KEY")]
        outlet: Option<String>,
        /// The slug of the story the entry covers
        #[arg(long, value_name = "SLUG")]
        story: Option<String>,
    },
}

#[derive(Debug, Args)]
struct Common {
    /// The headline; the file is named after it
    headline: String,
    /// The issue's date, `YYYY-MM-DD` [default: today, in the site's timezone]
    #[arg(long, value_name = "DATE")]
    issue: Option<String>,
    #[command(flatten)]
    site: SiteArgs,
}

impl NewArgs {
    pub(super) fn run(self) -> Result<ExitCode> {
        let (common, new) = match self.what {
            What::Story { common } => {
                let headline = common.headline.clone();
                (common, New::Story { headline })
            }
            What::Entry {
                common,
                url,
                outlet,
                story,
            } => {
                let headline = common.headline.clone();
                let new = New::Entry {
                    headline,
                    url,
                    outlet,
                    story,
                };
                (common, new)
            }
        };
        let options = common.site.options()?;
        let (config, diagnostics) = Config::load(&options)?;
        if diagnostics.iter().any(Diagnostic::is_error) {
            print_diagnostics(&diagnostics);
            print_error(&format!(
                "`content/site.yaml` has {}; fix it first",
                count_errors(&diagnostics)
            ));
            return Ok(ExitCode::from(1));
        }
        let date = match &common.issue {
            Some(raw) => match gazette::content::issue_date(raw) {
                Some(date) => date,
                None => bail!("`--issue {raw}` is not a date such as `2026-11-25`"),
            },
            None => config.today,
        };
        let (content, _) = gazette::content::load(&config)?;
        match new_file(&config, &content, date, &new)? {
            Ok(rel) => {
                // `content/…` for a site in the current folder, as typed.
                let path = if config.root == std::path::Path::new(".") {
                    rel
                } else {
                    config.root.join(rel)
                };
                println!("{}", display_path(&path));
                Ok(ExitCode::SUCCESS)
            }
            Err(problems) => {
                print_diagnostics(&problems);
                print_error(&format!("nothing written: {}", count_errors(&problems)));
                Ok(ExitCode::from(1))
            }
        }
    }
}
