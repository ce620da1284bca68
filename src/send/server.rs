//! The SMTP server a proof goes through: from `--smtp`, the environment
//! and `site.yaml`, in that order; the connection to it; and what its
//! refusals mean, said for the editor.

use std::time::Duration;

use lettre::SmtpTransport;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls as LettreTls, TlsParameters};

use super::{ENV_FROM, ENV_HOST, ENV_PASSWORD, ENV_PORT, ENV_TLS, ENV_USERNAME, Failed, failed};
use crate::config::{Config, TLS_MODES, Tls};

/// How long a step of the SMTP conversation may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// `--smtp smtp://HOST:PORT`: the server of one run, over every other setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerUrl {
    pub host: String,
    pub port: Option<u16>,
    pub tls: Tls,
}

impl ServerUrl {
    /// `smtp://host[:port]` (no TLS, as a local relay or a test server
    /// speaks; `?tls=starttls` asks for STARTTLS) or `smtps://host[:port]`
    /// (TLS from the first byte); no user name or password, which would
    /// stay in the shell's history.
    pub fn parse(raw: &str) -> Result<ServerUrl, String> {
        let url = url::Url::parse(raw).map_err(|e| {
            format!(
                "`{}` is not a URL ({e}): write it as `smtp://HOST:PORT`",
                redacted(raw)
            )
        })?;
        let mut tls = match url.scheme() {
            "smtp" => Tls::None,
            "smtps" => Tls::Wrapper,
            other => {
                return Err(format!(
                    "`{other}:` is not an SMTP scheme: write `smtp://HOST:PORT`, or `smtps://` for TLS"
                ));
            }
        };
        if !url.username().is_empty() || url.password().is_some() {
            return Err(format!(
                "no user name or password in the URL, which the shell keeps: set {ENV_USERNAME} and {ENV_PASSWORD}"
            ));
        }
        for (key, value) in url.query_pairs() {
            match (key.as_ref(), Tls::parse(&value)) {
                ("tls", Some(mode)) => tls = mode,
                _ => {
                    return Err(format!(
                        "unknown `{key}={value}`: the URL takes `?tls=` {TLS_MODES}"
                    ));
                }
            }
        }
        let host = url.host_str().filter(|h| !h.is_empty()).ok_or_else(|| {
            format!(
                "`{}` names no host: write it as `smtp://HOST:PORT`",
                redacted(raw)
            )
        })?;
        Ok(ServerUrl {
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            port: url.port(),
            tls,
        })
    }
}

/// `raw` with whatever stands before an `@` after the scheme (a user name
/// and password) shown as `***`: an error repeats the URL, and a password
/// must reach no terminal or CI log.
fn redacted(raw: &str) -> String {
    match (raw.find("://"), raw.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}***{}", &raw[..scheme + 3], &raw[at..])
        }
        (None, Some(at)) => format!("***{}", &raw[at..]),
        _ => raw.to_owned(),
    }
}

/// The server to send through, from the environment first, then site.yaml.
pub(super) struct Server {
    pub(super) host: String,
    pub(super) port: u16,
    pub(super) tls: Tls,
    pub(super) credentials: Option<Credentials>,
    pub(super) from: Mailbox,
}

impl Server {
    pub(super) fn resolve(
        config: &Config,
        url: Option<&ServerUrl>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Server, Failed> {
        let smtp = &config.smtp;
        let set = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let host = url.map(|u| u.host.clone());
        let host = host
            .or_else(|| set(ENV_HOST))
            .or_else(|| smtp.host.clone())
            .ok_or_else(|| {
                failed(
                    "no SMTP server to send the proof through",
                    format!("add `smtp:` with `host:` to content/site.yaml, or set {ENV_HOST}"),
                )
            })?;
        let tls = match set(ENV_TLS).filter(|_| url.is_none()) {
            Some(raw) => Tls::parse(&raw).ok_or_else(|| {
                failed(
                    format!("unknown {ENV_TLS} mode `{raw}`"),
                    format!("set it to {TLS_MODES}"),
                )
            })?,
            None => url.map_or(smtp.tls.unwrap_or(Tls::StartTls), |u| u.tls),
        };
        let port = match set(ENV_PORT).filter(|_| url.is_none()) {
            Some(raw) => raw
                .trim()
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| {
                    failed(
                        format!("{ENV_PORT} `{raw}` is not a port"),
                        "set it to the server's port, such as 587",
                    )
                })?,
            None => match url {
                Some(url) => url.port.unwrap_or(tls.default_port()),
                None => smtp.port.unwrap_or(tls.default_port()),
            },
        };
        let username = set(ENV_USERNAME).or_else(|| smtp.username.clone());
        let password = env(ENV_PASSWORD).filter(|p| !p.is_empty());
        let credentials = match (username, password) {
            (Some(user), Some(password)) => Some(Credentials::new(user, password)),
            (Some(_), None) => {
                return Err(failed(
                    format!("{host} needs a password for its user, and {ENV_PASSWORD} is not set"),
                    format!("set {ENV_PASSWORD} in the environment (never in site.yaml)"),
                ));
            }
            (None, Some(_)) => {
                return Err(failed(
                    format!("{ENV_PASSWORD} is set but no user name goes with it"),
                    format!(
                        "add `username:` under `smtp:` in content/site.yaml, or set {ENV_USERNAME}"
                    ),
                ));
            }
            (None, None) => None,
        };
        let from_raw = set(ENV_FROM).or_else(|| smtp.from.clone()).ok_or_else(|| {
            failed(
                "no sender for the proof",
                format!("add `from: \"{} <editor@your.domain>\"` under `smtp:` in content/site.yaml, or set {ENV_FROM}", config.title),
            )
        })?;
        let from = from_raw.parse::<Mailbox>().map_err(|e| {
            failed(
                format!("the sender `{from_raw}` is not an email address ({e})"),
                "write it as `Name <address@domain>` or `address@domain`",
            )
        })?;
        Ok(Server {
            host,
            port,
            tls,
            credentials,
            from,
        })
    }

    pub(super) fn transport(&self) -> Result<SmtpTransport, Failed> {
        let tls = match self.tls {
            Tls::None => LettreTls::None,
            Tls::StartTls | Tls::Wrapper => {
                let params = TlsParameters::new(self.host.clone()).map_err(|e| {
                    failed(
                        format!("cannot set up TLS for {}: {e}", self.host),
                        "check `smtp.host`: it must be the server's name as its certificate gives it",
                    )
                })?;
                if self.tls == Tls::Wrapper {
                    LettreTls::Wrapper(params)
                } else {
                    LettreTls::Required(params)
                }
            }
        };
        let mut builder = SmtpTransport::builder_dangerous(&self.host)
            .port(self.port)
            .tls(tls)
            .timeout(Some(TIMEOUT));
        if let Some(credentials) = &self.credentials {
            builder = builder.credentials(credentials.clone());
        }
        Ok(builder.build())
    }
}

/// The cause of a failed send, said for the editor, naming the server.
pub(super) fn explain(
    error: &lettre::transport::smtp::Error,
    address: &str,
    server: &Server,
    recipient: &str,
) -> Failed {
    let reply = error
        .status()
        .map(|code| format!("{code}"))
        .unwrap_or_default();
    // lettre's text carries its causes already: "permanent error (550): …".
    let cause = error.to_string();
    // TLS asked of a server that does not speak it: rustls reads its plain
    // greeting as a corrupt record; lettre finds no STARTTLS in its EHLO.
    let plain = "a relay on this machine or a test server: `tls: none` (`smtp://HOST:PORT`); a mail provider: `tls: starttls` on port 587, or `tls: tls` on port 465";
    if server.tls == Tls::Wrapper
        && (cause.contains("corrupt message") || cause.contains("InvalidContentType"))
    {
        return failed(
            format!(
                "{address} does not speak TLS from the first byte (`tls: tls`, `smtps://`): {cause}"
            ),
            plain,
        );
    }
    if server.tls == Tls::StartTls && cause.contains("STARTTLS is not supported") {
        return failed(
            format!("{address} does not offer STARTTLS (`tls: starttls`): {cause}"),
            plain,
        );
    }
    if let Some(io) = io_kind(error) {
        use std::io::ErrorKind::*;
        let help = match io {
            ConnectionRefused => {
                "nothing answers there: check `smtp.host` and `smtp.port` (587 for STARTTLS, 465 for TLS), and that the server is up"
            }
            TimedOut | WouldBlock => {
                "the server did not answer in time: check the host and port, and any firewall between"
            }
            _ => "check `smtp.host`, `smtp.port` and the network",
        };
        return failed(
            format!("cannot reach the SMTP server {address}: {cause}"),
            help,
        );
    }
    if reply.starts_with("530") && server.credentials.is_none() {
        return failed(
            format!("{address} wants a login: {cause}"),
            format!(
                "add `username:` under `smtp:` in content/site.yaml (or set {ENV_USERNAME}) and set {ENV_PASSWORD}"
            ),
        );
    }
    if ["530", "534", "535"]
        .iter()
        .any(|code| reply.starts_with(code))
    {
        return failed(
            format!("{address} refused the login: {cause}"),
            format!("check the user name (`smtp.username` or {ENV_USERNAME}) and {ENV_PASSWORD}"),
        );
    }
    if error.is_permanent() {
        return failed(
            format!("{address} refused the proof to `{recipient}`: {cause}"),
            "the server's reply says why: a recipient it does not accept, a sender it does not allow, or a login it needs",
        );
    }
    if error.is_transient() {
        return failed(
            format!("{address} could not take the proof now: {cause}"),
            "try again in a moment",
        );
    }
    if error.is_tls() {
        return failed(
            format!("no secure connection with {address}: {cause}"),
            format!("check `smtp.tls`: {TLS_MODES}"),
        );
    }
    failed(
        format!("sending through {address} failed: {cause}"),
        "check the `smtp:` settings",
    )
}

fn io_kind(error: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(inner) = source {
        if let Some(io) = inner.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = inner.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    // `--smtp`: SPEC's `smtp://HOST:PORT` is a server without TLS, as a
    // local relay or a test server is; TLS is asked for by name; a
    // credential in the URL is refused, naming where it goes instead.
    #[test]
    fn server_urls() {
        let url = |host: &str, port, tls| ServerUrl {
            host: host.to_owned(),
            port,
            tls,
        };
        for (raw, want) in [
            (
                "smtp://127.0.0.1:1025",
                url("127.0.0.1", Some(1025), Tls::None),
            ),
            ("smtp://localhost", url("localhost", None, Tls::None)),
            (
                "smtps://smtp.fastmail.com",
                url("smtp.fastmail.com", None, Tls::Wrapper),
            ),
            (
                "smtp://smtp.fastmail.com:587?tls=starttls",
                url("smtp.fastmail.com", Some(587), Tls::StartTls),
            ),
            ("smtp://[::1]:25", url("::1", Some(25), Tls::None)),
        ] {
            assert_eq!(ServerUrl::parse(raw), Ok(want), "{raw}");
        }
        for (raw, said) in [
            ("127.0.0.1:1025", "write it as `smtp://HOST:PORT`"),
            ("https://mail.example", "is not an SMTP scheme"),
            (
                "smtp://me:hunter2@mail.example",
                "set GAZETTE_SMTP_USERNAME and GAZETTE_SMTP_PASSWORD",
            ),
            ("smtp://mail.example?tls=maybe", "unknown `tls=maybe`"),
            ("smtp://", "names no host"),
        ] {
            let error = ServerUrl::parse(raw).expect_err(raw);
            assert!(error.contains(said), "{raw}: {error}");
            assert!(!error.contains("hunter2"), "{error}");
        }
    }
}
