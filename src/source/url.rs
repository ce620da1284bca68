//! The one test of the web addresses editors write: an entry's `url`, an
//! outlet's `url`, `base_url` and the unsubscribe link of `site.yaml`.
//!
//! Here, below `config` and `content`, because both check addresses.

/// An http(s) URL as the `url` crate writes it, read without parsing:
/// its host, and all that comes after the host.
#[derive(Debug, PartialEq)]
pub struct Plain<'a> {
    pub host: &'a str,
    /// The path (from its `/`), the query and the fragment, as written.
    pub rest: &'a str,
}

/// `raw` as a [`Plain`] URL when parsing it would give it back as it is:
/// `http://` or `https://`, a host of lower-case letters, digits, hyphens
/// and dots whose last label begins with a letter (no port, user, IDNA or
/// IP address), then a path with no dot segment, and a query and fragment
/// of characters kept as they are. `None` for anything else, which the
/// `url` crate then reads: a page links its outlets' articles, and a build
/// parsed each of them five times over (1.2 µs each, 3% of a build).
pub fn plain_http(raw: &str) -> Option<Plain<'_>> {
    let after = (raw.strip_prefix("https://")).or_else(|| raw.strip_prefix("http://"))?;
    let end = after.find('/')?;
    let (host, rest) = after.split_at(end);
    let name_label = |label: &[u8]| {
        !label.is_empty()
            && !label.starts_with(b"xn--")
            && (label.iter()).all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let mut labels = host.as_bytes().rsplit(|&b| b == b'.');
    let last_is_name = labels
        .next()
        .is_some_and(|last| name_label(last) && last.first().is_some_and(u8::is_ascii_lowercase));
    if !last_is_name || !labels.all(name_label) {
        return None;
    }
    // One pass over the path, query and fragment: each byte must be one
    // that its part keeps, and no segment of the path may be `.`, `..` or
    // their encodings (`%2e`), which parsing resolves away: those URLs are
    // left to the parser.
    let bytes = rest.as_bytes();
    let mut part = PATH;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'/' if part == PATH => {
                let next = bytes.get(i + 1..i + 4).unwrap_or(&bytes[i + 1..]);
                if next.first() == Some(&b'.') || next.eq_ignore_ascii_case(b"%2e") {
                    return None;
                }
            }
            b'?' if part == PATH => part = QUERY,
            b'#' if part != FRAGMENT => part = FRAGMENT,
            b'%' => {
                let hex = bytes.get(i + 1..i + 3);
                if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                    return None;
                }
            }
            _ if KEPT[usize::from(b)] & part == 0 => return None,
            _ => {}
        }
        i += 1;
    }
    Some(Plain { host, rest })
}

/// Which part of a URL a byte is in, as bits of [`KEPT`].
const PATH: u8 = 1;
const QUERY: u8 = 2;
const FRAGMENT: u8 = 4;

/// For each byte, the parts ([`PATH`], [`QUERY`], [`FRAGMENT`]) that the
/// `url` crate writes it back in as it is (`%` is kept before two hex
/// digits). A table, and one pass: searching a list of punctuation for
/// each byte of each of the ~80,000 URLs of a build took 2% of its time.
const KEPT: [u8; 256] = {
    let mut kept = [0; 256];
    let all = PATH | QUERY | FRAGMENT;
    let mut b = 0;
    while b < 256 {
        if (b as u8).is_ascii_alphanumeric() {
            kept[b] = all;
        }
        b += 1;
    }
    let punctuation = b"-._~!$&()*+,;=:@/";
    let mut i = 0;
    while i < punctuation.len() {
        kept[punctuation[i] as usize] = all;
        i += 1;
    }
    kept[b'\'' as usize] = PATH | FRAGMENT;
    kept[b'?' as usize] = QUERY | FRAGMENT;
    kept[b'#' as usize] = FRAGMENT;
    kept
};

/// `Ok` for an absolute http(s) URL with a host; otherwise why not.
pub fn check_http_url(raw: &str) -> Result<(), String> {
    if plain_http(raw).is_some() {
        return Ok(());
    }
    match url::Url::parse(raw) {
        Ok(url) if !matches!(url.scheme(), "http" | "https") => {
            Err(format!("`{}:` links are not allowed", url.scheme()))
        }
        Ok(url) if url.host_str().is_none_or(str::is_empty) => Err("it has no host".to_owned()),
        Ok(_) => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

/// `raw` with the characters no link may hold as they are (spaces, `"`,
/// `<`, `>`, `` ` ``, `{`, `}`, `|`, `\`, `^` and control characters)
/// percent-encoded, the rest as written: an address pasted with a space
/// in it is written the same, valid, way on the pages, in the feeds and in
/// the email, which encoded it alone.
pub fn encode_unsafe(raw: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_byte = |b: u8| {
        b.is_ascii_control()
            || matches!(
                b,
                b' ' | b'"' | b'<' | b'>' | b'`' | b'{' | b'}' | b'|' | b'\\' | b'^'
            )
    };
    if !raw.bytes().any(unsafe_byte) {
        return std::borrow::Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len() + 8);
    for c in raw.chars() {
        match u8::try_from(c) {
            Ok(b) if unsafe_byte(b) => out.push_str(&format!("%{b:02X}")),
            _ => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The host of an http(s) URL, lower case, without `www.`.
pub fn host(raw: &str) -> Option<String> {
    let url = url::Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?;
    Some(host.strip_prefix("www.").unwrap_or(host).to_owned())
}

/// Whether `host` is `domain` or one of its subdomains (both as [`host`] gives them).
pub fn host_within(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|sub| sub.ends_with('.'))
}

/// The tracking parameters (`utm_source`, `fbclid`, ...) of a URL's query, in order.
pub fn tracking_params(raw: &str) -> Vec<String> {
    let Ok(url) = url::Url::parse(raw.trim()) else {
        return Vec::new();
    };
    url.query_pairs()
        .filter(|(k, _)| is_tracking(k))
        .map(|(k, _)| k.into_owned())
        .collect()
}

/// `raw` without its tracking parameters (the rest of the query kept, in
/// order); as it was when it does not parse.
pub fn strip_tracking(raw: &str) -> String {
    let Ok(mut url) = url::Url::parse(raw.trim()) else {
        return raw.to_owned();
    };
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !is_tracking(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    url.to_string()
}

fn is_tracking(key: &str) -> bool {
    key.starts_with("utm_") || TRACKING.contains(&key)
}

/// Query parameters that say who sent a reader, not which article it is.
const TRACKING: &[&str] = &[
    "fbclid", "gclid", "mc_cid", "mc_eid", "ref", "ref_src", "igshid", "msclkid",
];

/// The article a URL names, for comparing two links: scheme, `www.`, the
/// default port, a trailing slash, the fragment and tracking parameters
/// (`utm_*`, `fbclid`, ...) do not count. `None` when it is not an http(s) URL.
pub fn canonical(raw: &str) -> Option<String> {
    // Without a query, it is its host (less `www.`) and its path.
    if let Some(plain) = plain_http(raw.trim())
        && !plain.rest.contains('?')
    {
        let host = Some(plain.host.trim_start_matches("www."))
            .filter(|h| !h.is_empty())
            .unwrap_or(plain.host);
        let path = plain.rest.split('#').next().unwrap_or("");
        return Some(format!("{host}{}", path.trim_end_matches('/')));
    }
    let url = url::Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    // `www.` alone is a host name too (the fuzzer's `https:/www./x`): kept
    // whole, or the path would read as the host the next time.
    let host = url.host_str()?;
    let host = Some(host.trim_start_matches("www."))
        .filter(|h| !h.is_empty())
        .unwrap_or(host);
    let path = url.path().trim_end_matches('/');
    // Encoded again as it was decoded, so that `+`, `&` or `<` in a value
    // reads the same the next time (the fuzzer's `?utm]source=rss</in+`).
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    let mut kept = 0;
    for (k, v) in url.query_pairs().filter(|(k, _)| !is_tracking(k)) {
        query.append_pair(&k, &v);
        kept += 1;
    }
    let mut out = format!("{host}{path}");
    if kept > 0 {
        out.push('?');
        out.push_str(&query.finish());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Whatever `plain_http` reads without parsing, the `url` crate parses
    // to the very same string, scheme and host: random URLs built from
    // pieces that parsing changes (case, ports, users, IP addresses, IDNA,
    // dot segments, escapes, characters it encodes) and pieces it keeps.
    #[test]
    fn plain_urls_are_what_parsing_gives_back() {
        use proptest::prelude::*;

        let pick = |options: &[&'static str]| prop::sample::select(options.to_vec());
        let scheme = prop_oneof![
            6 => pick(&["https://", "http://"]),
            1 => pick(&["HTTPS://", "ftp://", "https:/", "https:///", "mailto:"]),
        ];
        let label = prop_oneof![
            12 => "[a-z][a-z0-9-]{0,8}",
            1 => "[0-9]{1,3}",
            1 => pick(&["www", "xn--bcher-kva", "0x7f", "Example", "b\u{fc}cher", "", "a_b", "-a-"]).prop_map(str::to_owned),
        ];
        let host = proptest::collection::vec(label, 1..4).prop_map(|l| l.join("."));
        let port = prop_oneof![12 => Just(""), 1 => pick(&[":443", ":80", ":8080", "@user"])];
        let segment = prop_oneof![
            16 => "[A-Za-z0-9_~-]{0,8}",
            1 => pick(&[".", "..", "%2e", ".well-known", "%7E", "%zz", "a b", "a'b", "(x)", "a%2Fb", "\\", "[x]", "{x}", "a|b", "é", "a\"b"]).prop_map(str::to_owned),
        ];
        let path = proptest::collection::vec(segment, 0..5).prop_map(|s| s.join("/"));
        let query = prop_oneof![
            4 => Just(String::new()),
            4 => "\\?[a-z0-9=&_.-]{0,12}",
            1 => pick(&["?a='b'", "?a=b c", "?q=%20", "?x=\"y\"", "??", "?a=<b>", "?utm_source=x"]).prop_map(str::to_owned),
        ];
        let fragment = prop_oneof![
            4 => Just(String::new()),
            2 => "#[a-z0-9?'#-]{0,8}",
            1 => pick(&["#a b", "#<x>", "#`"]).prop_map(str::to_owned),
        ];
        let url = (scheme, host, port, path, query, fragment)
            .prop_map(|(s, h, p, path, q, f)| format!("{s}{h}{p}/{path}{q}{f}"));
        let plain = std::cell::Cell::new(0);
        let mut runner = crate::testing::runner(2048);
        runner
            .run(&url, |raw| {
                if let Some(read) = plain_http(&raw) {
                    let parsed = url::Url::parse(&raw)
                        .map_err(|e| TestCaseError::fail(format!("{raw}: {e}")))?;
                    prop_assert_eq!(parsed.as_str(), raw.as_str());
                    prop_assert!(matches!(parsed.scheme(), "http" | "https"));
                    prop_assert_eq!(parsed.host_str(), Some(read.host));
                    prop_assert_eq!(canonical(&raw), slow_canonical(&raw));
                    prop_assert!(crate::markdown::sanitise::url_allowed(&raw));
                    plain.set(plain.get() + 1);
                }
                Ok(())
            })
            .expect("plain URLs parse to themselves");
        assert!(
            plain.get() >= 300,
            "{} of 2048 URLs were plain",
            plain.get()
        );
    }

    /// `canonical` as it is without the plain way.
    fn slow_canonical(raw: &str) -> Option<String> {
        let url = url::Url::parse(raw.trim()).ok()?;
        let host = url.host_str()?;
        let host = Some(host.trim_start_matches("www."))
            .filter(|h| !h.is_empty())
            .unwrap_or(host);
        let path = url.path().trim_end_matches('/');
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| !is_tracking(k))
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        let mut out = format!("{host}{path}");
        if !pairs.is_empty() {
            out.push('?');
            out.push_str(
                &url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(pairs)
                    .finish(),
            );
        }
        Some(out)
    }

    // One article, however it was copied; different articles stay apart.
    #[test]
    fn canonical_urls() {
        let a = canonical("https://thenextweb.com/news/x");
        assert!(a.is_some());
        for same in [
            "http://www.thenextweb.com/news/x/?utm_source=newsletter&fbclid=abc",
            "https://thenextweb.com:443/news/x#comments",
            "HTTPS://TheNextWeb.com/news/x",
        ] {
            assert_eq!(canonical(same), a, "{same}");
        }
        assert_ne!(canonical("https://thenextweb.com/news/y"), a);
        assert_ne!(canonical("https://thenextweb.com/news/x?id=2"), a);
        assert_eq!(canonical("javascript:alert(1)"), None);
    }

    // Canonical once is canonical: the fuzzer found `https:/www./x/y`, whose
    // host `www.` became empty and its path the next host.
    #[test]
    fn canonical_is_idempotent() {
        for raw in [
            "https:/www./thenextweb.com/news/broken</link\n",
            "https://www.www.example.com/a//",
            "https://example.com/?b=2&a=1&utm_medium=x",
            "http://www.thenextweb.co/news/coloscu?utm]source=rss</in+\n",
            "https://example.com/?q=a%26b&r=%2B",
        ] {
            let once = canonical(raw).expect("a URL");
            assert_eq!(
                canonical(&format!("https://{once}")),
                Some(once.clone()),
                "{raw}"
            );
        }
    }

    // Hosts compare without `www.` and case; subdomains belong to their domain.
    #[test]
    fn hosts() {
        assert_eq!(
            host("https://WWW.Bloomberg.com/x").as_deref(),
            Some("bloomberg.com")
        );
        assert!(host_within("news.bloomberg.com", "bloomberg.com"));
        assert!(host_within("bloomberg.com", "bloomberg.com"));
        assert!(!host_within("notbloomberg.com", "bloomberg.com"));
        assert_eq!(
            tracking_params("https://a.com/x?id=2&utm_source=n&fbclid=z"),
            ["utm_source", "fbclid"]
        );
        assert_eq!(
            strip_tracking("https://a.com/x?id=2&utm_source=n&fbclid=z#c"),
            "https://a.com/x?id=2#c"
        );
        assert_eq!(
            strip_tracking("https://a.com/x?utm_source=n"),
            "https://a.com/x"
        );
    }

    // What no link may hold is encoded, the rest left as written.
    #[test]
    fn unsafe_characters_are_encoded() {
        assert_eq!(
            encode_unsafe("https://t.example/news/laundry robots?q=\"a\"|b"),
            "https://t.example/news/laundry%20robots?q=%22a%22%7Cb"
        );
        let kept = "https://t.example/ü/%20?x=1&y=[2]#frag";
        assert!(matches!(encode_unsafe(kept), std::borrow::Cow::Borrowed(k) if k == kept));
    }

    // Only http and https links with a host pass.
    #[test]
    fn urls_must_be_http() {
        assert!(check_http_url("https://example.com/a").is_ok());
        assert!(check_http_url("javascript:alert(1)").is_err());
        assert!(check_http_url("ftp://example.com").is_err());
        assert!(check_http_url("example.com").is_err());
    }
}
