//! Where a request's path leads among the site's files: a file, a folder's
//! `index.html` (or a redirect to its slash), nothing, or a path refused
//! outright.
//!
//! Pure: the files are a map in memory, so the checks of `..` and encoded
//! escapes can be tested without a server.

use std::collections::BTreeMap;

use crate::serve::engine::Bytes;

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
    use std::sync::Arc;

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
}
