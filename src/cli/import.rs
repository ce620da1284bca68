//! `gazette import SOURCE`: draft entries from a feed, or from each feed of
//! an OPML list. Each written file's path on stdout (as `new` prints
//! one); on stderr a line per feed with what was left out, a feed's error
//! in its place, and the outlets to add for items from unknown hosts.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use chrono::NaiveDate;
use clap::Args;
use gazette::config::Config;
use gazette::diagnostic::{Diagnostic, display_path};
use gazette::import::{FeedReport, Import, Imported, Summary};
use gazette::source::yaml::quoted;

use super::{SiteArgs, count_errors, print_diagnostics};

#[derive(Debug, Args)]
pub(super) struct ImportArgs {
    /// A feed (RSS, Atom or JSON Feed) or an OPML list of feeds: a file or an http(s) address
    source: String,
    /// The outlet of every item [default: the outlet at each item's host]
    #[arg(long, value_name = "KEY")]
    outlet: Option<String>,
    /// The issue's date, `YYYY-MM-DD` [default: today, in the site's timezone]
    #[arg(long, value_name = "DATE")]
    issue: Option<String>,
    /// Import at most the newest N items of each feed
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    limit: Option<u32>,
    /// Import only items published on or after this day, `YYYY-MM-DD`
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    #[command(flatten)]
    site: SiteArgs,
}

impl ImportArgs {
    pub(super) fn run(self) -> Result<ExitCode> {
        let options = self.site.options()?;
        let (config, diagnostics) = Config::load(&options)?;
        if diagnostics.iter().any(Diagnostic::is_error) {
            print_diagnostics(&diagnostics);
            eprintln!(
                "error: `content/site.yaml` has {}; fix it first",
                count_errors(&diagnostics)
            );
            return Ok(ExitCode::from(1));
        }
        let import = Import {
            source: self.source,
            outlet: self.outlet,
            issue: match &self.issue {
                Some(raw) => date("--issue", raw)?,
                None => config.today,
            },
            limit: self.limit.map(|n| n as usize),
            since: self
                .since
                .as_deref()
                .map(|raw| date("--since", raw))
                .transpose()?,
        };
        let (content, _) = gazette::content::load(&config)?;
        let print = |report: &FeedReport| match &report.result {
            Ok(imported) => {
                for rel in &imported.written {
                    println!("{}", display_path(&shown(&config.root, rel)));
                }
                eprintln!("{}", feed_line(&report.source, imported));
            }
            Err(error) => print_diagnostics(std::slice::from_ref(error)),
        };
        let summary = match gazette::import::run(&config, &content, &import, print)? {
            Ok(summary) => summary,
            Err(problems) => {
                print_diagnostics(&problems);
                eprintln!("error: nothing imported: {}", count_errors(&problems));
                return Ok(ExitCode::from(1));
            }
        };
        print_summary(&summary);
        Ok(if summary.failed > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    }
}

fn date(flag: &str, raw: &str) -> Result<NaiveDate> {
    match gazette::content::issue_date(raw) {
        Some(date) => Ok(date),
        None => bail!("`{flag} {raw}` is not a date such as `2026-11-25`"),
    }
}

/// `content/…` for a site in the current folder, as typed; else under the root.
fn shown(root: &Path, rel: &Path) -> std::path::PathBuf {
    if root == Path::new(".") {
        rel.to_path_buf()
    } else {
        root.join(rel)
    }
}

/// `imported 7 entries from SOURCE (2 already in the site, 1 from an unknown host)`.
fn feed_line(source: &str, imported: &Imported) -> String {
    let n = imported.written.len();
    let mut line = format!("imported {} from {source}", plural(n, "entry", "entries"));
    let mut left_out = Vec::new();
    if imported.duplicates > 0 {
        left_out.push(format!("{} already in the site", imported.duplicates));
    }
    match imported.unknown_host {
        0 => {}
        1 => left_out.push("1 from an unknown host".to_owned()),
        n => left_out.push(format!("{n} from unknown hosts")),
    }
    if imported.not_http > 0 {
        left_out.push(format!("{} without an http(s) link", imported.not_http));
    }
    if imported.undated > 0 {
        left_out.push(format!(
            "{} without a date, which `--since` cannot place",
            imported.undated
        ));
    }
    if !left_out.is_empty() {
        line.push_str(&format!(" ({})", left_out.join(", ")));
    }
    line
}

/// The list's total, and the outlets to add for the items left out.
fn print_summary(summary: &Summary) {
    if let Some((list, feeds)) = &summary.list {
        let failed = match summary.failed {
            0 => String::new(),
            n => format!("; {} could not be read", plural(n, "feed", "feeds")),
        };
        eprintln!(
            "imported {} in all from the {} of {list}{failed}",
            plural(summary.written, "entry", "entries"),
            plural(*feeds, "feed", "feeds"),
        );
    }
    if summary.unknown_hosts.is_empty() {
        return;
    }
    let items: usize = summary.unknown_hosts.values().map(|h| h.items).sum();
    eprintln!(
        "{} left out: no outlet is at {}; add to content/outlets.yaml (or pass `--outlet KEY`), then import again:",
        plural(items, "item", "items"),
        if summary.unknown_hosts.len() == 1 {
            "its host"
        } else {
            "their hosts"
        },
    );
    for host in summary.unknown_hosts.values() {
        eprintln!(
            "  {}: {{name: {}, url: {}}}  # {}",
            host.key,
            quoted(&host.name),
            quoted(&host.url),
            plural(host.items, "item", "items")
        );
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
