//! `gazette build`: the site into its output folder, once or on every save.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use gazette::diagnostic::display_path;
use gazette::{Options, Outcome};

use super::printer::Printer;
use super::{SiteArgs, count_errors, print_diagnostics, print_error};

/// `gazette build`'s flags: where to write, what to include, and whether to
/// keep watching.
#[derive(Debug, Args)]
pub(super) struct BuildArgs {
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

impl BuildArgs {
    pub(super) fn run(self) -> Result<ExitCode> {
        let options = Options {
            output: self.output,
            drafts: self.drafts,
            future: self.future,
            base_url: self.base_url,
            ..self.site.options()?
        };
        // Ctrl-C leaves no staging folder beside the output; a commit under
        // way ends first, so the output is the old site or the new one.
        let _ = ctrlc::set_handler(|| {
            gazette::output::interrupted();
            std::process::exit(130);
        });
        let options = Options {
            // Once built, the command ends (not so when it watches).
            exiting: !self.watch,
            ..options
        };
        if self.watch {
            // Not a site: said as `build` says it, rather than watched.
            if let Some(missing) = gazette::config::missing_site_file(&options.root) {
                print_diagnostics(&[missing]);
                return Ok(ExitCode::from(1));
            }
            let mut printer = Printer::writing();
            gazette::serve::build_watch(options, |notice| printer.print(notice))?;
            return Ok(ExitCode::SUCCESS);
        }
        match gazette::build(&options)? {
            Outcome::Done(report) => {
                print_diagnostics(&report.warnings);
                println!("{}", report.summary());
                if let Some(timings) = gazette::timing::report() {
                    eprint!("{timings}");
                }
                Ok(ExitCode::SUCCESS)
            }
            Outcome::Failed(diagnostics) => {
                print_diagnostics(&diagnostics);
                let output = options.output.unwrap_or_else(|| {
                    // `public`, not `./public`, for a site in the current folder.
                    if options.root == Path::new(".") {
                        PathBuf::from("public")
                    } else {
                        options.root.join("public")
                    }
                });
                print_error(&format!(
                    "build failed with {}; `{}` was not changed",
                    count_errors(&diagnostics),
                    display_path(&output)
                ));
                Ok(ExitCode::from(1))
            }
        }
    }
}
