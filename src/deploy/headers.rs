//! The HTTP headers each published file needs from a store or CDN: its
//! `Content-Type` and its `Cache-Control`, by kind. No `Content-Encoding`:
//! gazette uploads files as built, uncompressed.

use std::borrow::Cow;

/// `Content-Type` by extension, in any case (`IMG_0042.JPG`): gazette's own
/// kinds first (its feeds by name), then mime_guess's table; text says its
/// charset.
pub fn content_type(path: &str) -> Cow<'static, str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "_redirects" || name == "_headers" {
        return "text/plain; charset=utf-8".into();
    }
    let ext = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    let own = match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" if name == "feed.json" => "application/feed+json; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "xml" if name == "atom.xml" => "application/atom+xml; charset=utf-8",
        "xml" if name == "feed.xml" => "application/rss+xml; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "ico" => "image/x-icon",
        _ => "",
    };
    if !own.is_empty() {
        return own.into();
    }
    match mime_guess::from_ext(&ext).first_raw() {
        Some(text) if text.starts_with("text/") => format!("{text}; charset=utf-8").into(),
        Some(other) => other.into(),
        None => "application/octet-stream".into(),
    }
}

/// `Cache-Control` by kind: a year and `immutable` for fingerprinted CSS
/// and JavaScript (`style.3fa2c9d1.css`), asked again every time for pages,
/// feeds and the index, an hour for the rest.
pub fn cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut parts = name.rsplitn(3, '.');
    let (ext, hash) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let fingerprinted = matches!(ext, "css" | "js")
        && parts.next().is_some()
        && hash.len() == 8
        && hash.bytes().all(|b| b.is_ascii_hexdigit());
    if fingerprinted {
        "public, max-age=31536000, immutable"
    } else if matches!(ext, "html" | "xml" | "json" | "txt")
        || name == "_redirects"
        || name == "_headers"
    {
        "public, max-age=0, must-revalidate"
    } else {
        "public, max-age=3600"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_by_kind() {
        assert_eq!(
            cache_control("style.3fa2c9d1.css"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control("search.8aec7b45.js"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_control("style.css"), "public, max-age=3600");
        assert_eq!(
            cache_control("2026/11/25/index.html"),
            "public, max-age=0, must-revalidate"
        );
        assert_eq!(
            cache_control("atom.xml"),
            "public, max-age=0, must-revalidate"
        );
        assert_eq!(cache_control("2026/11/25/card.png"), "public, max-age=3600");
        assert_eq!(
            content_type("2026/11/25/email.txt"),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            content_type("tags/ai/atom.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(content_type("card.png"), "image/png");
        // A phone's photo beside an entry, and what else a site carries.
        for (path, kind) in [
            ("2026/11/29/IMG_0042.JPG", "image/jpeg"),
            ("Photo.Jpeg", "image/jpeg"),
            ("clip.mp4", "video/mp4"),
            ("talk.webm", "video/webm"),
            ("episode.mp3", "audio/mpeg"),
            ("events.ics", "text/calendar; charset=utf-8"),
            ("data.csv", "text/csv; charset=utf-8"),
            ("site.webmanifest", "application/manifest+json"),
            ("app.wasm", "application/wasm"),
            ("font.woff2", "font/woff2"),
            ("report.pdf", "application/pdf"),
            ("INDEX.HTML", "text/html; charset=utf-8"),
            ("feed.json", "application/feed+json; charset=utf-8"),
            ("LICENSE", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path), kind, "{path}");
        }
    }
}
