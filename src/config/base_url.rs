//! The site's address: `base_url` of `site.yaml`, or `--base-url`.
//!
//! Takes either, as written, and returns the absolute base URL and its path
//! (`https://you.github.io/a47/`, `/a47/`), which every permalink and link
//! of the site starts with. A missing or wrong one is an error, and the
//! build goes on with `http://localhost/` so that the rest is checked too.

use crate::diagnostic::Diagnostic;
use crate::source::Located;
use crate::source::url::check_http_url;
use crate::source::yaml::Spans;

const HELP: &str =
    "use an absolute address such as `https://a47.example/` or `https://you.github.io/a47/`";

/// The base URL and path from the flag, else from `site.yaml`. `spans` are
/// those of `site.yaml`, for saying that it lacks one; `None` when it did
/// not parse (a file that did not parse cannot be said to miss a key).
pub fn resolve(
    flag: Option<&str>,
    file: Option<&Located<String>>,
    spans: Option<&Spans<'_>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (String, String) {
    match (flag, file) {
        (Some(raw), _) => parse(raw).unwrap_or_else(|why| {
            diagnostics
                .push(Diagnostic::error(format!("invalid `--base-url` `{raw}`: {why}")).help(HELP));
            fallback()
        }),
        (None, Some(raw)) => parse(&raw.value).unwrap_or_else(|why| {
            diagnostics.push(
                raw.error(format!("invalid `base_url` `{}`: {why}", raw.value))
                    .help(HELP),
            );
            fallback()
        }),
        (None, None) => {
            if let Some(spans) = spans {
                diagnostics.push(
                    spans
                        .start()
                        .error("missing `base_url`")
                        .help("add `base_url: https://your.site/` to site.yaml: feeds and canonical links need it"),
                );
            }
            fallback()
        }
    }
}

fn fallback() -> (String, String) {
    ("http://localhost/".to_owned(), "/".to_owned())
}

/// `https://you.github.io/a47` -> (`https://you.github.io/a47/`, `/a47/`).
pub fn parse(raw: &str) -> Result<(String, String), String> {
    check_http_url(raw)?;
    let mut url = url::Url::parse(raw).map_err(|e| e.to_string())?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err("it may not have a `?query` or `#fragment`".to_owned());
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok((url.to_string(), url.path().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    // A base URL with a path keeps it, and always ends in a slash.
    #[test]
    fn base_url_keeps_its_path() {
        assert_eq!(
            parse("https://you.github.io/a47").ok(),
            Some(("https://you.github.io/a47/".to_owned(), "/a47/".to_owned()))
        );
        assert_eq!(
            parse("https://a47.example").ok(),
            Some(("https://a47.example/".to_owned(), "/".to_owned()))
        );
        assert!(parse("/a47/").is_err());
    }
}
