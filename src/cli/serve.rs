//! `gazette serve`: the site from memory with live reload, rebuilt on every
//! save.

use std::net::IpAddr;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use gazette::Options;
use gazette::serve::Notice;

use super::printer::Printer;
use super::{SiteArgs, print_diagnostics};

/// `gazette serve`'s flags: where to listen, whom to answer, what to
/// include.
#[derive(Debug, Args)]
pub(super) struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// The address to listen on
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// The port to listen on (0: a free one, which it prints)
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

impl ServeArgs {
    pub(super) fn run(self) -> Result<ExitCode> {
        let options = Options {
            drafts: self.drafts,
            future: self.future,
            ..self.site.options()?
        };
        // Not a site: said as `build` says it, rather than served as 404s.
        if let Some(missing) = gazette::config::missing_site_file(&options.root) {
            print_diagnostics(&[missing]);
            return Ok(ExitCode::from(1));
        }
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
