//! The `smtp:` section of `site.yaml`: the server `gazette send --proof`
//! sends a proof of the email edition through.
//!
//! Takes the section as written and returns [`SmtpFile`]'s settings, with
//! an error at each wrong one. A password is never read from here: it
//! comes from `GAZETTE_SMTP_PASSWORD` only, so that it is never committed.

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::source::Located;
use crate::source::yaml::{Field, Spans};

/// The `smtp:` section as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SmtpFile {
    host: Field<String>,
    port: Field<usize>,
    tls: Field<String>,
    username: Field<String>,
    from: Field<String>,
    password: Field<String>,
}

/// The keys of `smtp:` (`password` is known, to say where it belongs).
pub const SMTP_KEYS: &[&str] = &["host", "port", "tls", "username", "from"];

/// How the connection to the server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    /// Plain first, then `STARTTLS`, which must succeed (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Wrapper,
    /// No TLS at all: a relay on this machine or a test server.
    None,
}

impl Tls {
    pub fn parse(raw: &str) -> Option<Tls> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "starttls" => Some(Tls::StartTls),
            "tls" | "ssl" | "smtps" => Some(Tls::Wrapper),
            "none" | "plain" | "off" => Some(Tls::None),
            _ => None,
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Tls::StartTls => 587,
            Tls::Wrapper => 465,
            Tls::None => 25,
        }
    }
}

/// The settings of `smtp:` as `site.yaml` gives them; the environment may
/// give each too (see [`crate::send`]).
#[derive(Debug, Clone, Default)]
pub struct Smtp {
    pub host: Option<String>,
    pub port: Option<u16>,
    pub tls: Option<Tls>,
    pub username: Option<String>,
    pub from: Option<String>,
}

/// What the `tls:` setting may be, for messages.
pub const TLS_MODES: &str =
    "`starttls` (port 587, the default), `tls` (port 465) or `none` (a local relay)";

/// The settings of `file` (none when absent), with an error for each wrong value.
pub fn settings(
    file: Option<SmtpFile>,
    spans: &Spans<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Smtp {
    let Some(file) = file else {
        return Smtp::default();
    };
    let mut text = |key: &'static str, field| match spans.locate(&["smtp", key], field) {
        Ok(value) => value.map(Located::into_inner),
        Err(found) => {
            diagnostics.push(
                found
                    .error(format!("`smtp.{key}` must be text"))
                    .label(format!("found {}", found.value)),
            );
            None
        }
    };
    let host = text("host", file.host);
    let username = text("username", file.username);
    let from = text("from", file.from);
    let tls_raw = text("tls", file.tls);
    if !matches!(file.password, Field::Absent) {
        diagnostics.push(
            spans
                .located(&["smtp", "password"], ())
                .key_error("a password does not belong in site.yaml, which is committed and published with the site")
                .help("remove `password:` and set the environment variable GAZETTE_SMTP_PASSWORD where you run `gazette send`")
                .hiding_value(),
        );
    }
    let tls = tls_raw.and_then(|raw| {
        let mode = Tls::parse(&raw);
        if mode.is_none() {
            diagnostics.push(
                spans
                    .located(&["smtp", "tls"], ())
                    .error(format!("unknown `smtp.tls` mode `{raw}`"))
                    .help(format!("write {TLS_MODES}")),
            );
        }
        mode
    });
    let port = match spans.locate(&["smtp", "port"], file.port) {
        Ok(Some(port)) => match u16::try_from(port.value) {
            Ok(p) if p > 0 => Some(p),
            _ => {
                diagnostics.push(
                    port.error(format!("`smtp.port` {} is not a port", port.value))
                        .help("write the server's port: 587 for STARTTLS, 465 for TLS"),
                );
                None
            }
        },
        Ok(None) => None,
        Err(found) => {
            diagnostics.push(
                found
                    .error("`smtp.port` must be a whole number, such as `587`")
                    .label(format!("found {}", found.value)),
            );
            None
        }
    };
    Smtp {
        host,
        port,
        tls,
        username,
        from,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Options};

    fn load(smtp: &str) -> (Smtp, Vec<String>) {
        let text = format!("title: A47\nbase_url: https://a47.example/\nsmtp:\n{smtp}");
        let options = Options {
            root: "/nonexistent".into(),
            ..Options::default()
        };
        let (config, diagnostics) = Config::from_text(&options, Some(text));
        (
            config.smtp,
            diagnostics.iter().map(|d| d.render()).collect(),
        )
    }

    // The server's settings as written; the port follows the TLS mode unless set.
    #[test]
    fn settings_are_read() {
        let (smtp, errors) = load(
            "  host: smtp.a47.example\n  tls: TLS\n  username: editor\n  from: A47 <editor@a47.example>\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(smtp.host.as_deref(), Some("smtp.a47.example"));
        assert_eq!(smtp.tls, Some(Tls::Wrapper));
        assert_eq!(smtp.tls.map(Tls::default_port), Some(465));
        assert_eq!(smtp.port, None);
    }

    // A password in site.yaml, an unknown mode and a port past 65535 are
    // errors at their lines; the password's value is never repeated, not even in the line shown.
    #[test]
    fn wrong_settings_are_errors_at_their_line() {
        let (_, errors) = load(
            "  host: smtp.a47.example\n  password: hunter2-secret\n  tls: startls\n  port: 70000\n",
        );
        let all = errors.join("\n");
        assert!(
            all.contains("content/site.yaml:5:3")
                && all.contains("a password does not belong in site.yaml"),
            "{all}"
        );
        assert!(all.contains("GAZETTE_SMTP_PASSWORD"), "{all}");
        assert!(
            all.contains("content/site.yaml:6:")
                && all.contains("unknown `smtp.tls` mode `startls`"),
            "{all}"
        );
        assert!(
            all.contains("content/site.yaml:7:") && all.contains("`smtp.port` 70000 is not a port"),
            "{all}"
        );
        assert!(!all.contains("hunter2-secret"), "{all}");
        assert!(all.contains("5 |   password: ********"), "{all}");
    }

    // A mistyped key of `smtp:` is as likely to hold the password.
    #[test]
    fn an_unknown_keys_value_is_not_shown() {
        let (_, errors) = load("  host: smtp.a47.example\n  pasword: \"hunter2-secret\"\n");
        let all = errors.join("\n");
        assert!(all.contains("unknown key `pasword`"), "{all}");
        assert!(all.contains("5 |   pasword: ********"), "{all}");
        assert!(!all.contains("hunter2-secret"), "{all}");
    }
}
