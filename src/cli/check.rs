//! `gazette check`: the whole site checked, templates included; nothing
//! written.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use gazette::Outcome;

use super::{SiteArgs, count_errors, print_diagnostics};

/// `gazette check`'s flags: only the site's folder.
#[derive(Debug, Args)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
}

impl CheckArgs {
    pub(super) fn run(self) -> Result<ExitCode> {
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
