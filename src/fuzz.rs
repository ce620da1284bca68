//! What the fuzz targets (`fuzz/fuzz_targets/`) run on each input, and the
//! test that replays their corpora and crash reproducers (`tests/fuzz.rs`)
//! runs too: any bytes at all, as a file of the site. None of these may
//! panic, hang, or take time out of proportion to the input; a problem with
//! the input is a diagnostic, never a crash.

use std::path::{Path, PathBuf};

use crate::config::{Config, Options};
use crate::content::document::Document;
use crate::content::{front, outlets};
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Html};

/// `bytes` as the text of the file `rel`; `None`, its error rendered as a
/// build would, when they are not text.
fn text(rel: &str, bytes: &[u8]) -> Option<String> {
    crate::fs::decode_text(Path::new(rel), bytes.to_vec())
        .map_err(|d| render_all(&[d]))
        .ok()
}

/// An entry or story file: split at its fences, its front matter parsed and
/// checked, its body rendered; then the same bytes as `_issue.md` and as a
/// page.
pub fn entry_file(bytes: &[u8]) {
    let rel = "content/2026-11-25/fuzz.md";
    let Some(text) = text(rel, bytes) else { return };
    let split = |name: &str| Document::split(PathBuf::from(name), text.clone());
    if let Ok(doc) = split(rel) {
        let (item, found) = front::item(doc, chrono_tz::Tz::America__Chicago, None);
        render_all(&found);
        if let Some(item) = item {
            let _ = markdown::render(item.doc().body(), Html::Sanitised);
        }
    }
    if let Ok(doc) = split("content/2026-11-25/_issue.md") {
        render_all(&front::issue_meta(doc).1);
    }
    if let Ok(doc) = split("content/pages/fuzz.md") {
        render_all(&front::page(doc).1);
    }
}

/// Front matter alone: the YAML between the fences of an entry.
pub fn front_matter(bytes: &[u8]) {
    let Some(yaml) = text("content/2026-11-25/fuzz.md", bytes) else {
        return;
    };
    entry_file(format!("---\n{yaml}\n---\nBody.\n").as_bytes());
}

/// `site.yaml`.
pub fn site_yaml(bytes: &[u8]) {
    let options = Options {
        root: PathBuf::from("/nonexistent/gazette-fuzz"),
        ..Options::default()
    };
    let text = text(crate::config::SITE_FILE, bytes);
    let (config, found) = Config::from_text(&options, text);
    render_all(&found);
    let _ = config.permalink("2026/11/25/");
}

/// `outlets.yaml`.
pub fn outlets_yaml(bytes: &[u8]) {
    let Some(text) = text(outlets::OUTLETS_FILE, bytes) else {
        return;
    };
    let mut found = Vec::new();
    let _ = outlets::parse(&text, &mut found);
    render_all(&found);
}

/// A Markdown body, sanitised and as written, and its plain text.
pub fn markdown(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let rendered = markdown::render(text, Html::Sanitised);
    let _ = markdown::truncate(&rendered.text, 160);
    let _ = markdown::render(text, Html::AsWritten);
}

/// The URL canonicaliser, and the checks of a link.
pub fn url(bytes: &[u8]) {
    let Ok(raw) = std::str::from_utf8(bytes) else {
        return;
    };
    let canonical = crate::source::url::canonical(raw);
    // Canonical twice is canonical once.
    if let Some(once) = &canonical
        && let Some(twice) = crate::source::url::canonical(&format!("https://{once}"))
    {
        assert_eq!(&twice, once, "canonical is not idempotent for {raw:?}");
    }
    let _ = crate::source::url::strip_tracking(raw);
    let _ = crate::source::url::check_http_url(raw);
    let _ = crate::source::url::host(raw);
}

/// Every diagnostic rendered, as the command line would: rendering reads
/// spans into the text, which must hold.
fn render_all(found: &[Diagnostic]) {
    for d in found {
        let _ = d.render();
    }
}
