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

#[cfg(test)]
mod tests {
    use super::*;

    // Only http and https links with a host pass.
    #[test]
    fn urls_must_be_http() {
        assert!(check_http_url("https://example.com/a").is_ok());
        assert!(check_http_url("javascript:alert(1)").is_err());
        assert!(check_http_url("ftp://example.com").is_err());
        assert!(check_http_url("example.com").is_err());
    }
}
