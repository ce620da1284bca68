//! `gazette deploy [TARGET]`: the last build (or a new one, `--build`) to
//! a Git branch or an S3-compatible bucket, changing only what changed.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use gazette::config::Config;
use gazette::deploy::{self, Report, Target};
use gazette::diagnostic::Diagnostic;
use gazette::{Options, Outcome};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{SiteArgs, count_errors, print_diagnostics, print_error};

/// Removals a deploy makes without being told it may make more.
const MAX_DELETES: usize = 32;

/// `gazette deploy`'s flags.
#[derive(Debug, Args)]
pub(super) struct DeployArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Where to publish: a name under `deploy:` in site.yaml,
    /// `s3://BUCKET[/PREFIX]` or `git+URL#BRANCH` [default: the only target of site.yaml]
    target: Option<String>,
    /// Build the site first; stop if the build fails
    #[arg(long)]
    build: bool,
    /// Print what would change, and change nothing
    #[arg(long)]
    dry_run: bool,
    /// Refuse a deploy that removes more files than this
    #[arg(long, value_name = "N", default_value_t = MAX_DELETES)]
    max_deletes: usize,
    /// The folder the site was built into [default: <root>/public]
    #[arg(long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// The endpoint of an S3-compatible store other than AWS, e.g.
    /// `https://<account>.r2.cloudflarestorage.com` [default: AWS_ENDPOINT_URL]
    #[arg(long, value_name = "URL")]
    endpoint: Option<String>,
    /// Uploads at once (S3)
    #[arg(long, value_name = "N", default_value_t = 8)]
    jobs: usize,
}

impl DeployArgs {
    pub(super) fn run(self) -> Result<ExitCode> {
        let options = Options {
            output: self.output.clone(),
            ..self.site.options()?
        };
        if self.build {
            match gazette::build(&options)? {
                Outcome::Done(report) => {
                    print_diagnostics(&report.warnings);
                    println!("{}", report.summary());
                }
                Outcome::Failed(diagnostics) => {
                    print_diagnostics(&diagnostics);
                    print_error(&format!(
                        "nothing deployed: the build failed with {}",
                        count_errors(&diagnostics)
                    ));
                    return Ok(ExitCode::from(1));
                }
            }
        }
        let (config, diagnostics) = Config::load(&options)?;
        if diagnostics.iter().any(Diagnostic::is_error) {
            print_diagnostics(&diagnostics);
            print_error(&format!(
                "nothing deployed: site.yaml has {}",
                count_errors(&diagnostics)
            ));
            return Ok(ExitCode::from(1));
        }
        let target = match self.choose(&config) {
            Ok(target) => target,
            Err((message, help)) => {
                print_error(&format!("nothing deployed: {message}"));
                eprintln!(" = help: {help}");
                return Ok(ExitCode::from(1));
            }
        };
        // Site paths already (`2026/11/20/gone/`), as the record's.
        let retired: BTreeSet<String> = config.retired.iter().map(|r| r.value.clone()).collect();
        let deploy_options = deploy::Options {
            output: config.output.clone(),
            root: config.root.clone(),
            dry_run: self.dry_run,
            max_deletes: self.max_deletes,
            retired,
            message: format!("Publish {} (gazette deploy)\n", config.title),
            endpoint: self.endpoint.clone(),
            jobs: self.jobs,
            base_path: config.base_path.clone(),
        };
        let progress = Progress::new();
        let report = |r: Report<'_>| progress.report(r);
        let env = |name: &str| std::env::var(name).ok();
        let result = deploy::deploy(&target, &deploy_options, &env, &report);
        progress.finish();
        match result {
            Ok(done) => {
                println!("{}", done.summary);
                Ok(ExitCode::SUCCESS)
            }
            Err(failed) => {
                let what = if failed.partial {
                    "deploy incomplete"
                } else {
                    "nothing deployed"
                };
                print_error(&format!("{what}: {}", failed.message));
                eprintln!(" = help: {}", failed.help);
                Ok(ExitCode::from(1))
            }
        }
    }

    /// The target named or written on the command line, else site.yaml's only one.
    fn choose(&self, config: &Config) -> Result<Target, (String, String)> {
        let names = || {
            config
                .deploy
                .keys()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match &self.target {
            Some(name) if config.deploy.contains_key(name) => Ok(config.deploy[name].clone()),
            Some(raw) if raw.contains(':') => Target::parse(raw).map_err(|why| (why, "write the target as `s3://BUCKET[/PREFIX]` or `git+URL#BRANCH`".to_owned())),
            Some(name) => Err((
                format!("no deploy target `{name}` in content/site.yaml"),
                if config.deploy.is_empty() {
                    "add `deploy:` with `name: git+URL#BRANCH` to content/site.yaml, or give the target itself".to_owned()
                } else {
                    format!("the targets are {}", names())
                },
            )),
            None => match config.deploy.len() {
                1 => Ok(config.deploy.values().next().cloned().expect("one target")),
                0 => Err((
                    "no deploy target given".to_owned(),
                    "give one (`gazette deploy git+https://github.com/you/site.git#gh-pages`), or add `deploy:` with `name: target` to content/site.yaml".to_owned(),
                )),
                _ => Err((
                    "content/site.yaml has several deploy targets".to_owned(),
                    format!("name one: {}", names()),
                )),
            },
        }
    }
}

/// Uploads as a bar on a terminal; as a line every tenth of the way
/// otherwise (a CI log).
struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    fn new() -> Progress {
        use std::io::IsTerminal as _;
        Progress {
            bar: std::io::stderr().is_terminal().then(|| {
                // Drawn from the first upload on.
                let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
                bar.set_style(
                    ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} files, {eta} left")
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                );
                bar.set_message("uploading");
                bar
            }),
        }
    }

    fn report(&self, report: Report<'_>) {
        match (report, &self.bar) {
            (Report::Note(line), Some(bar)) if !bar.is_hidden() => bar.println(line),
            (Report::Note(line), _) => eprintln!("{line}"),
            // Before anything changes, and before it may be refused.
            (Report::Planned(plan), _) => println!("{}", plan.describe(20)),
            (Report::Uploaded { total, .. }, Some(bar)) => {
                // Threads report out of order: count, not position.
                if bar.is_hidden() {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                }
                bar.set_length(total as u64);
                bar.inc(1);
            }
            (Report::Uploaded { done, total }, None) => {
                let step = (total / 10).max(1);
                if done % step == 0 || done == total {
                    eprintln!("uploaded {done} of {total}");
                }
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
