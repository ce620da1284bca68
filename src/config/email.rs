//! The `email:` section of `site.yaml`: how the email edition tags its
//! links and where its readers unsubscribe.
//!
//! Read whole by serde (templates get it as written); the unsubscribe link
//! is checked here, since it reaches every reader's inbox.

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::source::url::check_http_url;
use crate::source::yaml::Spans;

/// The `email:` settings of `site.yaml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Email {
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    /// The unsubscribe link of the site's email service, e.g.
    /// `{{ unsubscribe_url }}` or `*|UNSUB|*`; no link when unset.
    pub unsubscribe: Option<String>,
}

/// The keys of `email:`.
pub const EMAIL_KEYS: &[&str] = &["utm_source", "utm_medium", "unsubscribe"];

/// Pushes an error at `email.unsubscribe` when it is neither a link nor a
/// placeholder; `spans` are those of `site.yaml`.
pub fn check(email: &Email, spans: &Spans<'_>, diagnostics: &mut Vec<Diagnostic>) {
    if let Some(unsubscribe) = &email.unsubscribe
        && let Err(why) = check_unsubscribe(unsubscribe)
    {
        diagnostics.push(
            spans.located(&["email", "unsubscribe"], ())
                .error(format!("invalid `email.unsubscribe` `{unsubscribe}`: {why}"))
                .help("use your email service's placeholder, such as `{{ unsubscribe_url }}` or `*|UNSUB|*`, or an `https://` or `mailto:` address"),
        );
    }
}

/// An unsubscribe link: an email service's placeholder, which the service
/// replaces with each reader's own link (`{{ unsubscribe_url }}`,
/// `*|UNSUB|*`, `%unsubscribe_url%`), or an http(s) or `mailto:` address.
/// Anything else (`javascript:`) would reach every reader's inbox.
fn check_unsubscribe(raw: &str) -> Result<(), String> {
    let inner = |open: &str, close: &str| {
        raw.strip_prefix(open)
            .and_then(|r| r.strip_suffix(close))
            .map(str::trim)
    };
    let placeholder = [("{{", "}}"), ("*|", "|*"), ("%", "%"), ("[", "]")]
        .iter()
        .filter_map(|(open, close)| inner(open, close))
        .any(|name| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ' | ':'))
        });
    if placeholder {
        return Ok(());
    }
    if let Some(address) = raw.strip_prefix("mailto:") {
        return if address.contains('@') && !address.contains(char::is_whitespace) {
            Ok(())
        } else {
            Err("a `mailto:` link needs an address".to_owned())
        };
    }
    check_http_url(raw).map_err(|_| {
        "it is neither a link (`https://`, `mailto:`) nor an email service's placeholder".to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Unsubscribe links: placeholders and http(s)/mailto pass, scripts do not.
    #[test]
    fn unsubscribe_is_a_link_or_a_placeholder() {
        for good in [
            "{{ unsubscribe_url }}",
            "*|UNSUB|*",
            "%unsubscribe_url%",
            "https://a.example/u",
            "mailto:u@a.example",
        ] {
            assert!(check_unsubscribe(good).is_ok(), "{good}");
        }
        for bad in [
            "javascript:alert(5)",
            "JaVaScRiPt:alert(5)",
            "data:text/html,x",
            "{{ x\" onclick=\"y }}",
            "mailto:",
            "/unsubscribe",
        ] {
            assert!(check_unsubscribe(bad).is_err(), "{bad}");
        }
    }
}
