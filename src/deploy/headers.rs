//! The HTTP headers each published file needs from a store or CDN: its
//! `Content-Type` and its `Cache-Control`, by kind. No `Content-Encoding`:
//! gazette uploads files as built, uncompressed.

/// `Content-Type` by extension; text says its charset.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" if path.ends_with("feed.json") => "application/feed+json; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "xml" if path.ends_with("atom.xml") => "application/atom+xml; charset=utf-8",
        "xml" if path.ends_with("feed.xml") => "application/rss+xml; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "pdf" => "application/pdf",
        _ if path.ends_with("_redirects") || path.ends_with("_headers") => {
            "text/plain; charset=utf-8"
        }
        _ => "application/octet-stream",
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
    }
}
