//! The one test of the web addresses editors write: an entry's `url`, an
//! outlet's `url`, `base_url` and the unsubscribe link of `site.yaml`.
//!
//! Here, below `config` and `content`, because both check addresses.

/// `Ok` for an absolute http(s) URL with a host; otherwise why not.
pub fn check_http_url(raw: &str) -> Result<(), String> {
    match url::Url::parse(raw) {
        Ok(url) if !matches!(url.scheme(), "http" | "https") => {
            Err(format!("`{}:` links are not allowed", url.scheme()))
        }
        Ok(url) if url.host_str().is_none_or(str::is_empty) => Err("it has no host".to_owned()),
        Ok(_) => Ok(()),
        Err(e) => Err(e.to_string()),
    }
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

    // Only http and https links with a host pass.
    #[test]
    fn urls_must_be_http() {
        assert!(check_http_url("https://example.com/a").is_ok());
        assert!(check_http_url("javascript:alert(1)").is_err());
        assert!(check_http_url("ftp://example.com").is_err());
        assert!(check_http_url("example.com").is_err());
    }
}
