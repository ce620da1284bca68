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
    let host = url.host_str()?.trim_start_matches("www.");
    let path = url.path().trim_end_matches('/');
    let query: Vec<String> = url
        .query_pairs()
        .filter(|(k, _)| !k.starts_with("utm_") && !TRACKING.contains(&k.as_ref()))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let mut out = format!("{host}{path}");
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query.join("&"));
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

    // Only http and https links with a host pass.
    #[test]
    fn urls_must_be_http() {
        assert!(check_http_url("https://example.com/a").is_ok());
        assert!(check_http_url("javascript:alert(1)").is_err());
        assert!(check_http_url("ftp://example.com").is_err());
        assert!(check_http_url("example.com").is_err());
    }
}
