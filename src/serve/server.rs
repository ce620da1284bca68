//! The preview server: the site from memory, live reload over server-sent
//! events, the build's errors for the overlay.
//!
//! It serves only the files of the last good build, looked up by name in
//! memory, so no path (`..`, `%2e%2e`, absolute) can reach the disk, and
//! only to requests that name an allowed host (see [`super::hosts`]).

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt as _};

use super::engine::Bytes;
use super::hosts::{AllowedHosts, Refusal};

/// What the open pages are told.
#[derive(Debug, Clone)]
pub enum Message {
    /// These output paths changed: a page among them reloads.
    Reload(Vec<String>),
    /// Only stylesheets changed: swap them without reloading.
    Css,
    /// The last rebuild failed: show these diagnostics.
    Problem(String),
    /// The site is good again.
    Ok,
}

/// State shared by the server and the rebuild loop.
pub struct Shared {
    files: RwLock<Arc<BTreeMap<String, Bytes>>>,
    problem: RwLock<Option<String>>,
    events: broadcast::Sender<Message>,
}

impl Shared {
    pub fn new() -> Arc<Shared> {
        Arc::new(Shared {
            files: RwLock::new(Arc::default()),
            problem: RwLock::new(None),
            events: broadcast::channel(64).0,
        })
    }

    /// Publishes a new good site and tells the pages what changed.
    pub fn publish(&self, files: BTreeMap<String, Bytes>, changed: Vec<String>, css_only: bool) {
        *self.files.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(files);
        let had_problem = self
            .problem
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .is_some();
        if had_problem {
            let _ = self.events.send(Message::Ok);
        }
        let message = if css_only {
            Message::Css
        } else {
            Message::Reload(changed)
        };
        // No receiver (no page open) is fine.
        let _ = self.events.send(message);
    }

    /// Keeps the last good site and shows `text` on every page.
    pub fn fail(&self, text: String) {
        *self.problem.write().unwrap_or_else(|e| e.into_inner()) = Some(text.clone());
        let _ = self.events.send(Message::Problem(text));
    }

    fn files(&self) -> Arc<BTreeMap<String, Bytes>> {
        self.files.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// The routes: live reload's script and events, then the site, each behind
/// the check of `hosts`. The events stream sends a comment every
/// `keep_alive` while nothing happens.
pub fn router(shared: Arc<Shared>, hosts: AllowedHosts, keep_alive: Duration) -> Router {
    Router::new()
        .route(
            "/__gazette/events",
            get(move |state| events(state, keep_alive)),
        )
        .route("/__gazette/reload.js", get(reload_js))
        .fallback(site_file)
        .layer(middleware::from_fn_with_state(Arc::new(hosts), guard))
        .with_state(shared)
}

/// Answers 403, before any route, a request whose `Host` is not allowed
/// or, on the live-reload routes, whose `Origin` is not. Same-origin
/// requests carry no `Origin`; a page elsewhere opening the event stream
/// does.
async fn guard(State(hosts): State<Arc<AllowedHosts>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let mut values = headers.get_all(header::HOST).iter();
    let host = match (values.next(), values.next()) {
        (Some(value), None) => Some(String::from_utf8_lossy(value.as_bytes())),
        // Two `Host` headers: no browser sends them; refused as if foreign.
        (Some(_), Some(_)) => Some("(two `Host` headers)".into()),
        (None, _) => None,
    };
    let mut checked = hosts.check_host(host.as_deref());
    // A request line with the host in it (`GET http://name/ HTTP/1.1`)
    // overrides `Host` for some servers and proxies: it must pass too.
    if let Some(authority) = request.uri().authority() {
        checked = checked.and(hosts.check_host(Some(authority.as_str())));
    }
    if request.uri().path().starts_with("/__gazette/")
        && let Some(origin) = headers.get(header::ORIGIN)
    {
        let origin = String::from_utf8_lossy(origin.as_bytes());
        checked = checked.and(hosts.check_origin(&origin));
    }
    match checked {
        Ok(()) => next.run(request).await,
        Err(refusal) => refuse(&refusal),
    }
}

fn refuse(refusal: &Refusal) -> Response {
    let mut response = (StatusCode::FORBIDDEN, refusal.message()).into_response();
    set_type(&mut response, "text/plain; charset=utf-8");
    // The body repeats what the client sent: never to be read as HTML.
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

async fn reload_js() -> Response {
    let mut response = include_str!("reload.js").into_response();
    set_type(&mut response, "text/javascript; charset=utf-8");
    response
}

async fn events(
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
        Message::Css => Event::default().event("css").data("{}"),
        Message::Problem(text) => Event::default()
            .event("problem")
            .data(serde_json::json!({ "text": text }).to_string()),
        Message::Ok => Event::default().event("ok").data("{}"),
    }
}

/// Where a request path leads in the site.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    File(String),
    /// A folder asked for without its slash.
    Redirect(String),
    NotFound,
    /// Not a path we will ever look up (`..`, a NUL, bad encoding).
    BadRequest,
}

/// Resolves the (percent-encoded) path of a request against the site's files.
pub fn lookup(files: &BTreeMap<String, Bytes>, raw: &str) -> Lookup {
    let Some(path) = percent_decode(raw) else {
        return Lookup::BadRequest;
    };
    if path.contains(['\0', '\\']) || path.split('/').any(|part| part == ".." || part == ".") {
        return Lookup::BadRequest;
    }
    let key = path.trim_start_matches('/');
    let key = if key.is_empty() || key.ends_with('/') {
        format!("{key}index.html")
    } else {
        key.to_owned()
    };
    if files.contains_key(&key) {
        Lookup::File(key)
    } else if files.contains_key(&format!("{key}/index.html")) {
        Lookup::Redirect(format!("/{key}/"))
    } else {
        Lookup::NotFound
    }
}

async fn site_file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let files = shared.files();
    let (status, key) = match lookup(&files, uri.path()) {
        Lookup::File(key) => (StatusCode::OK, key),
        Lookup::Redirect(location) => {
            let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            return response;
        }
        Lookup::BadRequest => return (StatusCode::BAD_REQUEST, "bad request\n").into_response(),
        Lookup::NotFound => (StatusCode::NOT_FOUND, "404.html".to_owned()),
    };
    let Some(bytes) = files.get(&key) else {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    let content_type = content_type(&key);
    let body: Vec<u8> = if content_type.starts_with("text/html") && !key.ends_with("email.html") {
        with_reload_script(bytes)
    } else {
        bytes.to_vec()
    };
    let mut response = (status, body).into_response();
    set_type(&mut response, content_type);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn set_type(response: &mut Response, content_type: &'static str) {
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
}

/// The page with the live-reload script before `</body>`.
fn with_reload_script(html: &[u8]) -> Vec<u8> {
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

fn content_type(path: &str) -> &'static str {
    match path
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .as_deref()
    {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") if path.ends_with("feed.json") => "application/feed+json",
        Some("json") => "application/json",
        Some("xml") if path.ends_with("atom.xml") => "application/atom+xml",
        Some("xml") if path.ends_with("feed.xml") => "application/rss+xml",
        Some("xml") => "application/xml",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// `%xx` escapes decoded; `None` for a bad escape or bytes that are not UTF-8.
pub fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let byte = raw
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())?;
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> BTreeMap<String, Bytes> {
        [
            "index.html",
            "2026/11/25/index.html",
            "style.css",
            "404.html",
        ]
        .into_iter()
        .map(|p| (p.to_owned(), Arc::from(&b"x"[..])))
        .collect()
    }

    // Folders serve index.html; a folder without its slash redirects.
    #[test]
    fn folders_and_files() {
        let files = files();
        assert_eq!(lookup(&files, "/"), Lookup::File("index.html".to_owned()));
        assert_eq!(
            lookup(&files, "/2026/11/25/"),
            Lookup::File("2026/11/25/index.html".to_owned())
        );
        assert_eq!(
            lookup(&files, "/2026/11/25"),
            Lookup::Redirect("/2026/11/25/".to_owned())
        );
        assert_eq!(
            lookup(&files, "/style.css"),
            Lookup::File("style.css".to_owned())
        );
        assert_eq!(lookup(&files, "/nope/"), Lookup::NotFound);
    }

    // Every way of climbing out is refused before any lookup.
    #[test]
    fn traversal_is_refused() {
        let files = files();
        for path in [
            "/../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/2026/..%2f..%2fetc",
            "/a\\..\\b",
            "/%00",
            "/%zz",
            "/./index.html",
        ] {
            assert!(
                matches!(lookup(&files, path), Lookup::BadRequest | Lookup::NotFound),
                "{path}"
            );
            assert_ne!(
                lookup(&files, path),
                Lookup::File("index.html".to_owned()),
                "{path}"
            );
        }
        // An absolute path on disk is just a name that is not in the site.
        assert_eq!(lookup(&files, "//etc/passwd"), Lookup::NotFound);
    }

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
