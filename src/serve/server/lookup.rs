//! Where a request's path leads among the site's files: a file, a folder's
//! `index.html` (or a redirect to its slash), the site's home when the
//! server's root is asked for and the site lives below it, nothing, or a
//! path refused outright.
//!
//! The site is served under the path of its `base_url` (`/robot-weekly/`),
//! as it will be in production, so that a link that forgets the path breaks
//! in the preview too. Pure: the files are a map in memory, so the checks of
//! `..` and encoded escapes can be tested without a server.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::serve::engine::Files;

/// Where a request path leads in the site.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    File(String),
    /// A folder asked for without its slash: the same path with it.
    Redirect(String),
    /// The server's root (or the base path without its slash) when the site
    /// lives below it: the site's home, the base path.
    Home(String),
    NotFound,
    /// Not a path we will ever look up (`..`, a NUL, bad encoding).
    BadRequest,
}

/// What a path segment must escape in a `Location` (the WHATWG path set,
/// and `%` itself: the key is decoded).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'%');

/// Resolves the (percent-encoded) path of a request against the site's
/// files, which are served under `base_path` (percent-encoded, starting and
/// ending in `/`, as [`crate::config::Config::base_path`]).
pub fn lookup(files: &Files, base_path: &str, raw: &str) -> Lookup {
    let Some(path) = percent_decode(raw) else {
        return Lookup::BadRequest;
    };
    if path.contains(['\0', '\\']) || path.split('/').any(|part| part == ".." || part == ".") {
        return Lookup::BadRequest;
    }
    // Compared decoded, as the request is: `/caf%C3%A9/` is `/café/`.
    let base = percent_decode(base_path).unwrap_or_else(|| base_path.to_owned());
    let Some(rest) = path.strip_prefix(&base) else {
        return if path == "/" || format!("{path}/") == base {
            Lookup::Home(base_path.to_owned())
        } else {
            Lookup::NotFound
        };
    };
    let key = rest.trim_start_matches('/');
    let key = if key.is_empty() || key.ends_with('/') {
        format!("{key}index.html")
    } else {
        key.to_owned()
    };
    if files.contains_key(&key) {
        Lookup::File(key)
    } else if files.contains_key(&format!("{key}/index.html")) {
        // Built from the key, never from the request: `//host` must not
        // become a redirect to another site.
        Lookup::Redirect(format!("{base_path}{}/", encode_path(&key)))
    } else {
        Lookup::NotFound
    }
}

/// A site path (decoded) as it goes in a URL: each segment escaped.
fn encode_path(key: &str) -> String {
    key.split('/')
        .map(|segment| utf8_percent_encode(segment, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
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
    use std::collections::BTreeMap;
    use std::sync::Arc;

    use super::*;
    use crate::serve::engine::Bytes;

    fn files() -> Files {
        let files: BTreeMap<String, Bytes> = [
            "index.html",
            "2026/11/25/index.html",
            "style.css",
            "404.html",
            "a b/index.html",
            "evil.example/index.html",
        ]
        .into_iter()
        .map(|p| (p.to_owned(), Arc::from(&b"x"[..])))
        .collect();
        Files::new(Arc::new(files))
    }

    fn file(key: &str) -> Lookup {
        Lookup::File(key.to_owned())
    }

    // Folders serve index.html; a folder without its slash redirects.
    #[test]
    fn folders_and_files() {
        let files = files();
        assert_eq!(lookup(&files, "/", "/"), file("index.html"));
        assert_eq!(
            lookup(&files, "/", "/2026/11/25/"),
            file("2026/11/25/index.html")
        );
        assert_eq!(
            lookup(&files, "/", "/2026/11/25"),
            Lookup::Redirect("/2026/11/25/".to_owned())
        );
        assert_eq!(lookup(&files, "/", "/style.css"), file("style.css"));
        assert_eq!(lookup(&files, "/", "/nope/"), Lookup::NotFound);
    }

    // Under a base path the files are there and nowhere else: the server's
    // root and the path without its slash lead home, any other path is
    // missing, as the same link would be in production.
    #[test]
    fn the_site_lives_under_its_base_path() {
        let files = files();
        let base = "/robot-weekly/";
        let at = |path| lookup(&files, base, path);
        assert_eq!(at("/robot-weekly/"), file("index.html"));
        assert_eq!(at("/robot-weekly/style.css"), file("style.css"));
        assert_eq!(
            at("/robot-weekly/2026/11/25/"),
            file("2026/11/25/index.html")
        );
        assert_eq!(
            at("/robot-weekly/2026/11/25"),
            Lookup::Redirect("/robot-weekly/2026/11/25/".to_owned())
        );
        assert_eq!(at("/"), Lookup::Home(base.to_owned()));
        assert_eq!(at("/robot-weekly"), Lookup::Home(base.to_owned()));
        for path in [
            "/style.css",
            "/2026/11/25/",
            "/index.html",
            "/robot-weeklyx/style.css",
            "/robot/",
            "/ROBOT-WEEKLY/",
            "//robot-weekly/style.css",
            "/404.html",
        ] {
            assert_eq!(at(path), Lookup::NotFound, "{path}");
        }
        // A base of two segments: each prefix but the whole is outside.
        assert_eq!(
            lookup(&files, "/news/robots/", "/news/robots/style.css"),
            file("style.css")
        );
        assert_eq!(lookup(&files, "/news/robots/", "/news/"), Lookup::NotFound);
    }

    // The base path is percent-encoded (as `url` writes it) and compared
    // with the decoded request, whichever way the client escaped it; a
    // redirect escapes what it names.
    #[test]
    fn encoded_base_paths_and_redirects() {
        let files = files();
        let base = "/caf%C3%A9/";
        for path in [
            "/caf%C3%A9/style.css",
            "/caf%c3%a9/style.css",
            "/café/style.css",
        ] {
            assert_eq!(lookup(&files, base, path), file("style.css"), "{path}");
        }
        assert_eq!(lookup(&files, base, "/"), Lookup::Home(base.to_owned()));
        assert_eq!(
            lookup(&files, base, "/caf%C3%A9/a%20b"),
            Lookup::Redirect("/caf%C3%A9/a%20b/".to_owned())
        );
    }

    // A redirect never leads off the site: `//evil.example` is the site's
    // folder `evil.example/`, not the host of a protocol-relative URL.
    #[test]
    fn redirects_stay_on_the_site() {
        let files = files();
        assert_eq!(
            lookup(&files, "/", "//evil.example"),
            Lookup::Redirect("/evil.example/".to_owned())
        );
        assert_eq!(
            lookup(&files, "/robot-weekly/", "/robot-weekly//evil.example"),
            Lookup::Redirect("/robot-weekly/evil.example/".to_owned())
        );
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
                matches!(
                    lookup(&files, "/", path),
                    Lookup::BadRequest | Lookup::NotFound
                ),
                "{path}"
            );
            assert_ne!(lookup(&files, "/", path), file("index.html"), "{path}");
        }
        // An absolute path on disk is just a name that is not in the site.
        assert_eq!(lookup(&files, "/", "//etc/passwd"), Lookup::NotFound);
    }

    // Under a base path, `..` and its encodings are refused wherever they
    // stand: they could otherwise reach a file from outside the base, or
    // the base from outside.
    #[test]
    fn traversal_under_a_base_path_is_refused() {
        let files = files();
        for path in [
            "/robot-weekly/../robot-weekly/style.css",
            "/robot-weekly/%2e%2e/style.css",
            "/robot-weekly/%2E%2E/%2e%2e/etc/passwd",
            "/robot-weekly/..%2f..%2fetc%2fpasswd",
            "/robot-weekly%2f..%2frobot-weekly%2fstyle.css",
            "/elsewhere/..%2frobot-weekly/style.css",
            "/elsewhere/%2e%2e/robot-weekly/style.css",
            "/robot-weekly/./style.css",
            "/robot-weekly/%2e/style.css",
            "/robot-weekly/a\\..\\style.css",
            "/robot-weekly/%5c..%5cstyle.css",
            "/robot-weekly/style.css%00",
            "/robot-weekly/%zz",
            "/robot-weekly/%c3",
        ] {
            assert_eq!(
                lookup(&files, "/robot-weekly/", path),
                Lookup::BadRequest,
                "{path}"
            );
        }
    }
}
