//! Live reload: what the rebuild loop publishes (the last good site, or the
//! errors of the last build), the events that tell the open pages, and the
//! script that listens for them.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt as _};

use super::set_type;
use crate::serve::engine::Files;

/// What the open pages are told.
#[derive(Debug, Clone)]
pub enum Message {
    /// The pages at these URL paths (decoded, `/a47/2026/11/25/index.html`)
    /// changed: a page among them reloads.
    Reload(Vec<String>),
    /// `base_url`'s path changed (percent-encoded, `/a47/` to `/b47/`): every
    /// page goes to its address under the new one.
    Moved { from: String, to: String },
    /// Only stylesheets changed: swap them without reloading.
    Css,
    /// The last rebuild failed: show these diagnostics.
    Problem(String),
    /// The site is good again.
    Ok,
}

/// A good build as served: its files, and the path they live under.
/// Published as one value so that no request sees the files of one build
/// under the path of another.
pub(super) struct Published {
    pub(super) files: Files,
    /// Percent-encoded, starting and ending in `/`.
    pub(super) base_path: String,
    /// Whether a build has succeeded: before one, there is no page to lay
    /// the errors over, and the errors are the page.
    pub(super) built: bool,
}

/// State shared by the server and the rebuild loop.
pub struct Shared {
    site: RwLock<Arc<Published>>,
    problem: RwLock<Option<String>>,
    events: broadcast::Sender<Message>,
}

impl Shared {
    /// Nothing to serve yet, under `base_path` (where the first build will
    /// be, unless it fails).
    pub fn new(base_path: &str) -> Arc<Shared> {
        Arc::new(Shared {
            site: RwLock::new(Arc::new(Published {
                files: Files::default(),
                base_path: base_path.to_owned(),
                built: false,
            })),
            problem: RwLock::new(None),
            events: broadcast::channel(64).0,
        })
    }

    /// Publishes a new good site, served under `base_path`, and tells the
    /// pages what changed: the output paths `changed`, or, when the base
    /// path is not the last one, that every page moved. Returns whether it
    /// moved.
    pub fn publish(
        &self,
        files: Files,
        base_path: &str,
        changed: Vec<String>,
        css_only: bool,
    ) -> bool {
        let published = Arc::new(Published {
            files,
            base_path: base_path.to_owned(),
            built: true,
        });
        let old = std::mem::replace(
            &mut *self.site.write().unwrap_or_else(|e| e.into_inner()),
            published,
        );
        let had_problem = self
            .problem
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .is_some();
        if had_problem {
            let _ = self.events.send(Message::Ok);
        }
        let moved = old.base_path != base_path;
        let message = if moved {
            Message::Moved {
                from: old.base_path.clone(),
                to: base_path.to_owned(),
            }
        } else if css_only {
            Message::Css
        } else {
            // As the script sees its page: the URL's path, decoded.
            let base = super::percent_decode(base_path).unwrap_or_else(|| base_path.to_owned());
            Message::Reload(changed.iter().map(|key| format!("{base}{key}")).collect())
        };
        // No receiver (no page open) is fine.
        let _ = self.events.send(message);
        moved
    }

    /// Keeps the last good site and shows `text` on every page.
    pub fn fail(&self, text: String) {
        *self.problem.write().unwrap_or_else(|e| e.into_inner()) = Some(text.clone());
        let _ = self.events.send(Message::Problem(text));
    }

    /// Whether a good build is served (one succeeded since the start).
    pub fn built(&self) -> bool {
        self.site().built
    }

    /// The errors to show as the page itself: those of the last build, when
    /// none has succeeded yet.
    pub(super) fn errors_before_first_build(&self) -> Option<String> {
        if self.built() {
            return None;
        }
        self.problem
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The last good build.
    pub(super) fn site(&self) -> Arc<Published> {
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The path the site is served under (percent-encoded, starting and
    /// ending in `/`).
    pub fn base_path(&self) -> String {
        self.site().base_path.clone()
    }
}

pub(super) async fn reload_js() -> Response {
    let mut response = include_str!("../reload.js").into_response();
    set_type(&mut response, "text/javascript; charset=utf-8");
    response
}

pub(super) async fn events(
    State(shared): State<Arc<Shared>>,
    keep_alive: Duration,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.events.subscribe();
    // A page that opens while the site is broken learns it at once.
    let current = shared
        .problem
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .map(Message::Problem);
    let stream = tokio_stream::iter(current)
        .chain(BroadcastStream::new(receiver).filter_map(Result::ok))
        .map(|message| Ok(event(&message)));
    Sse::new(stream).keep_alive(KeepAlive::new().interval(keep_alive))
}

fn event(message: &Message) -> Event {
    match message {
        Message::Reload(paths) => Event::default()
            .event("reload")
            .data(serde_json::json!({ "paths": paths }).to_string()),
        Message::Moved { from, to } => Event::default()
            .event("moved")
            .data(serde_json::json!({ "from": from, "to": to }).to_string()),
        Message::Css => Event::default().event("css").data("{}"),
        Message::Problem(text) => Event::default()
            .event("problem")
            .data(serde_json::json!({ "text": text }).to_string()),
        Message::Ok => Event::default().event("ok").data("{}"),
    }
}

/// The page with the live-reload script before `</body>`.
pub(super) fn with_reload_script(html: &[u8]) -> Vec<u8> {
    const SCRIPT: &[u8] = b"<script src=\"/__gazette/reload.js\"></script>";
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + SCRIPT.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(SCRIPT);
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // The live-reload script goes before the last </body>.
    #[test]
    fn script_is_injected() {
        let out = with_reload_script(b"<html><body><p>x</p></BODY></html>");
        assert_eq!(
            String::from_utf8_lossy(&out),
            "<html><body><p>x</p><script src=\"/__gazette/reload.js\"></script></BODY></html>"
        );
    }
}
