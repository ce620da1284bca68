//! What `serve` answers before the site has built once: the errors of its
//! last build. There is no last good page to lay them over (the overlay of
//! `reload.js` does that later), so the errors are the page, with status
//! 503; it carries the live-reload script, marked so that the script
//! reloads it when a save fixes the site.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::live::with_reload_script;
use super::set_type;
use crate::render::feeds::xml_escape;

/// The answer to a request for `path` (as requested) while the site has
/// the errors `text` and no good build: the page of errors for a page, the
/// plain text for any other file (a stylesheet, a feed).
pub(super) fn response(path: &str, text: &str) -> Response {
    let (body, content_type) = if is_page(path) {
        (
            with_reload_script(page(text).as_bytes()),
            "text/html; charset=utf-8",
        )
    } else {
        (
            format!("{HEADING}\n\n{text}\n").into_bytes(),
            "text/plain; charset=utf-8",
        )
    };
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, body).into_response();
    set_type(&mut response, content_type);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

const HEADING: &str = "gazette: the site has errors, and no build has succeeded yet";

/// The page of errors, `text` escaped; `data-gazette-unbuilt` tells the
/// live-reload script to reload it on the next good build.
fn page(text: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\" data-gazette-unbuilt>\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Errors · gazette serve</title>\n</head>\n\
         <body style=\"margin:0;background:#141414;color:#f5f5f5;padding:24px;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace\">\n\
         <p style=\"margin:0 0 12px;font-weight:bold;color:#ff8a80\">{HEADING}. Fix them and save: this page reloads.</p>\n\
         <pre style=\"margin:0;white-space:pre-wrap\">{}</pre>\n</body>\n</html>\n",
        xml_escape(text)
    )
}

/// Whether a request path names a page: a folder (`/2026/11/25/`, or
/// without its slash), or an `.html` file.
fn is_page(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    !last.contains('.') || last.ends_with(".html") || last.ends_with(".htm")
}

#[cfg(test)]
mod tests {
    use super::*;

    // Folders and HTML files are pages; other files are not.
    #[test]
    fn pages_are_folders_and_html() {
        for path in ["/", "/2026/11/25/", "/2026/11/25", "/robot-weekly/404.html"] {
            assert!(is_page(path), "{path}");
        }
        for path in ["/style.css", "/atom.xml", "/feed.json", "/images/a.png"] {
            assert!(!is_page(path), "{path}");
        }
    }

    // The errors are escaped: a headline in them is text, not markup.
    #[test]
    fn errors_are_escaped() {
        let html = page("error: bad `<script>alert(1)</script>` & more");
        assert!(html.contains("bad `&lt;script&gt;alert(1)&lt;/script&gt;` &amp; more"));
        assert!(!html.contains("<script>alert"));
    }
}
