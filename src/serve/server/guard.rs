//! The server's first layer: a request whose `Host` (or, on the live-reload
//! routes, whose `Origin`) is not allowed gets a 403 before any route.
//!
//! Which names are allowed is [`crate::serve::hosts`]'s to say; this module
//! only reads them off the request and answers the refusal.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::set_type;
use crate::serve::hosts::{AllowedHosts, Refusal};

/// Answers 403, before any route, a request whose `Host` is not allowed
/// or, on the live-reload routes, whose `Origin` is not. Same-origin
/// requests carry no `Origin`; a page elsewhere opening the event stream
/// does.
pub(super) async fn guard(
    State(hosts): State<Arc<AllowedHosts>>,
    request: Request,
    next: Next,
) -> Response {
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
