//! The preview server: the routes, and the site's files from memory with
//! their content types.
//!
//! It serves only the files of the last good build, looked up by name in
//! memory under the path of the site's `base_url` (`lookup.rs`), so no path
//! (`..`, `%2e%2e`, absolute) can reach the disk, and only to requests that
//! name an allowed host (`guard.rs`). Its own routes, `/__gazette/...`,
//! stay at the root whatever that path is.
//! `live.rs` holds what the rebuild loop publishes and the events that tell
//! open pages; `unbuilt.rs` is the page of errors served before the site
//! has built once.

mod guard;
mod live;
mod lookup;
mod unbuilt;

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::hosts::AllowedHosts;
pub use live::{Message, Shared};
pub use lookup::{Lookup, lookup, percent_decode};

/// The routes: live reload's script and events, then the site, each behind
/// the check of `hosts`. The events stream sends a comment every
/// `keep_alive` while nothing happens.
pub fn router(shared: Arc<Shared>, hosts: AllowedHosts, keep_alive: Duration) -> Router {
    Router::new()
        .route(
            "/__gazette/events",
            get(move |state| live::events(state, keep_alive)),
        )
        .route("/__gazette/reload.js", get(live::reload_js))
        .fallback(site_file)
        .layer(middleware::from_fn_with_state(
            Arc::new(hosts),
            guard::guard,
        ))
        .with_state(shared)
}

async fn site_file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let site = shared.site();
    let files = &site.files;
    let (status, key) = match lookup(files, &site.base_path, uri.path()) {
        Lookup::File(key) => (StatusCode::OK, key),
        // Adding the slash is right wherever the site lives.
        Lookup::Redirect(location) => return redirect(StatusCode::MOVED_PERMANENTLY, &location),
        // Not permanent: the home moves with `base_url`, and a browser
        // would remember a 301 past it.
        Lookup::Home(location) => return redirect(StatusCode::TEMPORARY_REDIRECT, &location),
        Lookup::BadRequest => return (StatusCode::BAD_REQUEST, "bad request\n").into_response(),
        Lookup::NotFound => match shared.errors_before_first_build() {
            // No site yet, so every path is missing: say why instead.
            Some(text) => return unbuilt::response(uri.path(), &text),
            None => (StatusCode::NOT_FOUND, "404.html".to_owned()),
        },
    };
    let Some(bytes) = files.get(&key) else {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    // As the store will serve it after `gazette deploy`.
    let content_type = crate::deploy::headers::content_type(&key);
    let body: Vec<u8> = if content_type.starts_with("text/html") && !key.ends_with("email.html") {
        live::with_reload_script(bytes)
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

fn redirect(status: StatusCode, location: &str) -> Response {
    let mut response = status.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn set_type(response: &mut Response, content_type: impl Into<Cow<'static, str>>) {
    let value = match content_type.into() {
        Cow::Borrowed(known) => HeaderValue::from_static(known),
        Cow::Owned(guessed) => HeaderValue::from_str(&guessed)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    };
    response.headers_mut().insert(header::CONTENT_TYPE, value);
}
