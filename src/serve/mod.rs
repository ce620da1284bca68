//! Live preview: `gazette serve` and `gazette build --watch`.
//!
//! Both keep an [`engine::Engine`] (the site in memory, rebuilt in part on
//! each change) fed by the [`watch`]er. `serve` hands each good build to the
//! [`server`], which serves it from memory with live reload, and so never
//! writes a byte to the output folder; `build --watch` writes the changed
//! files through [`crate::output`] like `build` does.
//!
//! `serve` builds the site for its own address but under the path of
//! `site.yaml`'s `base_url` (`http://127.0.0.1:1111/robot-weekly/`), so the
//! preview has the links production will, and follows that path when
//! `base_url` changes.

mod changes;
mod early;
pub mod engine;
pub mod hosts;
pub mod listener;
pub mod server;
pub mod watch;

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::Arc;

use anyhow::{Context as _, Result};

use crate::build::Outcome;
use crate::config::Options;
use crate::diagnostic::Diagnostic;
use crate::output::{Output, inputs};
use engine::{Changes, Engine};
use watch::{Plan, Seen};

/// What the preview reports, for the command line to print.
pub enum Notice<'a> {
    /// The server listens, and the site is at this URL.
    Listening(&'a str),
    /// `base_url`'s path changed: the site is now at this URL.
    Moved(&'a str),
    /// A rebuild succeeded: what changed, and the rebuild's own numbers.
    Rebuilt {
        plan: &'a Plan,
        changes: &'a Changes,
        first: bool,
    },
    /// A rebuild found errors; the last good site, if any, is kept.
    Failed {
        plan: &'a Plan,
        diagnostics: &'a [Diagnostic],
        /// Whether there is a last good site to keep: none before the
        /// first build that succeeded.
        kept: bool,
    },
    /// A folder of the site could not be watched (again), a warning that
    /// says which and why: its changes go unseen.
    Unwatched(&'a Diagnostic),
}

/// Where `serve` listens, and to whom it answers.
pub struct Listen {
    pub bind: IpAddr,
    pub port: u16,
    /// Host names answered besides this machine's own (`--allow-host`), as
    /// [`hosts::parse_name`] returns them.
    pub allowed_hosts: Vec<String>,
}

/// Builds the site, serves it on `listen` and rebuilds it on every change
/// until the process is stopped.
pub fn serve(
    mut options: Options,
    listen: Listen,
    mut notify: impl FnMut(Notice<'_>),
) -> Result<()> {
    // First: it raises the limit of open files, which the rest may use.
    let limits = listener::Limits::for_this_process();
    let address = SocketAddr::new(listen.bind, listen.port);
    let listener = TcpListener::bind(address).map_err(|e| {
        anyhow::anyhow!(
            "cannot listen on {address}: {e}; is another server using port {}? Pick another with `--port`",
            listen.port
        )
    })?;
    listener.set_nonblocking(true)?;
    // `--port 0` asks the system for a free port: the one it gave is the
    // site's address.
    let port = listener.local_addr().map_or(listen.port, |a| a.port());
    let host = if listen.bind.is_unspecified() {
        "127.0.0.1".to_owned()
    } else {
        listen.bind.to_string()
    };
    let host = if listen.bind.is_ipv6() && !listen.bind.is_unspecified() {
        format!("[{host}]")
    } else {
        host
    };
    // The base URL's path is kept, so every rebuild serves where site.yaml
    // says the site lives.
    let origin = format!("http://{host}:{port}");
    options.origin = Some(origin.clone());
    options.preview = true;

    let mut engine = Engine::new(options.clone());
    let config = engine.config()?;
    let shared = server::Shared::new(&config.base_path);
    let watcher = watch::Watcher::new(&config.root, &config.theme, &config.output)?;
    report(
        &mut engine,
        &Plan::all(),
        true,
        &|| false,
        &shared,
        &origin,
        &mut notify,
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    let listener = {
        let _runtime = runtime.enter();
        tokio::net::TcpListener::from_std(listener)
            .with_context(|| format!("cannot listen on {address}"))?
    };
    // Well inside the idle timeout, so that an open page's event stream is
    // never closed as quiet.
    let hosts = hosts::AllowedHosts::new(listen.bind, port, listen.allowed_hosts);
    let router = server::router(shared.clone(), hosts, limits.idle / 3);
    let server = runtime.spawn(listener::run(listener, router, limits));
    notify(Notice::Listening(&format!(
        "{origin}{}",
        shared.base_path()
    )));

    let result = watcher.run(|seen| {
        match seen {
            Seen::Changes(plan, newer) => report(
                &mut engine,
                &plan,
                false,
                newer,
                &shared,
                &origin,
                &mut notify,
            ),
            Seen::Unwatched(warning) => notify(Notice::Unwatched(&warning)),
        }
        !server.is_finished()
    });
    runtime.shutdown_background();
    result
}

/// Builds the site into its output folder, then again on every change.
pub fn build_watch(options: Options, mut notify: impl FnMut(Notice<'_>)) -> Result<()> {
    let mut engine = Engine::new(options);
    let config = engine.config()?;
    let watcher = watch::Watcher::new(&config.root, &config.theme, &config.output)?;
    let mut built = false;
    // When the last rebuild's files were in place: one found changed since
    // (or gone: `rm -rf public`) was touched by hand, and is put back.
    let mut committed_at: Option<std::time::SystemTime> = None;
    let mut rebuild = |plan: Plan, first: bool, notify: &mut dyn FnMut(Notice<'_>)| {
        let written = engine.rebuild(&plan).and_then(|outcome| {
            let Outcome::Done(changes) = outcome else {
                return Ok(outcome);
            };
            let output = match Output::begin(&config)? {
                Ok(output) => output,
                Err(refusal) => return Ok(Outcome::Failed(vec![refusal])),
            };
            for path in &changes.changed {
                if let Some(bytes) = engine.files().get(path) {
                    output.put(path, bytes)?;
                }
            }
            if let Some(since) = committed_at {
                for (path, bytes) in inputs::touched_since(&config.output, engine.files(), since) {
                    output.put(path, bytes)?;
                }
            }
            let committed = output.commit(engine.files().keys().map(String::as_str))?;
            if committed.is_ok() {
                committed_at = Some(std::time::SystemTime::now());
            }
            if committed.is_ok()
                && config.records_urls()
                && let Some(guarded) = engine.take_guarded()
            {
                crate::published::write(&config, &guarded.made, &guarded.record)?;
            }
            Ok(match committed {
                Ok(_) => Outcome::Done(changes),
                Err(blocked) => Outcome::Failed(blocked),
            })
        });
        match written {
            Ok(Outcome::Done(changes)) => {
                built = true;
                notify(Notice::Rebuilt {
                    plan: &plan,
                    changes: &changes,
                    first,
                });
            }
            Ok(Outcome::Failed(diagnostics)) => notify(Notice::Failed {
                plan: &plan,
                diagnostics: &diagnostics,
                kept: built,
            }),
            // A file gone between listing and reading, a full disk: said, and
            // the next save tries again.
            Err(e) => notify(Notice::Failed {
                plan: &plan,
                diagnostics: &[tool_failure(&e)],
                kept: built,
            }),
        }
    };
    rebuild(Plan::all(), true, &mut notify);
    // Every rebuild is written whole: a folder on disk has no early site.
    watcher.run(|seen| {
        match seen {
            Seen::Changes(plan, _) => rebuild(plan, false, &mut notify),
            Seen::Unwatched(warning) => notify(Notice::Unwatched(&warning)),
        }
        true
    })
}

/// A failure of the machine during a rebuild, as a diagnostic to show.
fn tool_failure(error: &anyhow::Error) -> Diagnostic {
    Diagnostic::error(format!("{error:#}")).help("the next save rebuilds again")
}

/// One rebuild for `serve`: publish it, or show its errors. `origin` is
/// the server's own (`http://127.0.0.1:1111`).
#[allow(clippy::too_many_arguments)]
fn report(
    engine: &mut Engine,
    plan: &Plan,
    first: bool,
    newer: &(dyn Fn() -> bool + Sync),
    shared: &Arc<server::Shared>,
    origin: &str,
    notify: &mut impl FnMut(Notice<'_>),
) {
    // The edited pages are served as soon as they are rendered; the files
    // made from the whole site follow, and the pages told then are the rest.
    let base_path = engine.base_path().to_owned();
    let mut told: HashSet<String> = HashSet::new();
    let mut early = |files, paths: Vec<String>| {
        // Open pages hear of each page once: the edited one came first.
        let paths: Vec<String> = (paths.into_iter())
            .filter(|path| told.insert(path.clone()))
            .collect();
        shared.publish(files, &base_path, paths, false);
    };
    let outcome = match engine.rebuild_unless(plan, Some(&mut early), newer) {
        Ok(Some(outcome)) => outcome,
        // Given up for a newer save, whose rebuild says what both changed.
        Ok(None) => return,
        Err(e) => Outcome::Failed(vec![tool_failure(&e)]),
    };
    match outcome {
        Outcome::Done(changes) => {
            let (paths, css_only) = changes.untold(&told);
            let moved = shared.publish(engine.served(), engine.base_path(), paths, css_only);
            notify(Notice::Rebuilt {
                plan,
                changes: &changes,
                first,
            });
            if moved && !first {
                notify(Notice::Moved(&format!("{origin}{}", engine.base_path())));
            }
        }
        Outcome::Failed(diagnostics) => {
            let text: String = diagnostics
                .iter()
                .map(Diagnostic::render)
                .collect::<Vec<_>>()
                .join("\n");
            shared.fail(text);
            notify(Notice::Failed {
                plan,
                diagnostics: &diagnostics,
                kept: shared.built(),
            });
        }
    }
}
