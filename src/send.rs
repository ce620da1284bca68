//! `gazette send --proof`: the email edition of an issue, as the last build
//! wrote it, sent over SMTP to the given addresses, so the editor sees it
//! in a real inbox before their email service sends it to the list.
//!
//! Takes the site's [`Config`] (its `smtp:` and `email:` settings, the
//! output folder), the addresses and the issue; returns what was sent, or
//! one error that names the cause, the server and what to do. The message
//! is the built `email.html` and `email.txt` as alternatives, with the
//! issue's subject (the email's `<title>`) and, when the site sets an
//! unsubscribe link, a `List-Unsubscribe` header. No password or user name
//! is ever part of an error or of the output.

use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;
use lettre::address::Envelope;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls as LettreTls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

use crate::config::{Config, TLS_MODES, Tls};
use crate::diagnostic::display_path;
use crate::output::manifest::read_manifest;

/// How long a step of the SMTP conversation may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The environment variables that give (or override) each setting.
pub const ENV_HOST: &str = "GAZETTE_SMTP_HOST";
pub const ENV_PORT: &str = "GAZETTE_SMTP_PORT";
pub const ENV_TLS: &str = "GAZETTE_SMTP_TLS";
pub const ENV_USERNAME: &str = "GAZETTE_SMTP_USERNAME";
pub const ENV_PASSWORD: &str = "GAZETTE_SMTP_PASSWORD";
pub const ENV_FROM: &str = "GAZETTE_SMTP_FROM";

/// A proof that went out.
#[derive(Debug)]
pub struct Sent {
    /// The issue's folder in the output, e.g. `2026/11/25/`.
    pub issue: String,
    pub subject: String,
    /// `host:port`.
    pub server: String,
    pub to: Vec<String>,
}

/// A proof that did not go out: what happened, and what to do.
#[derive(Debug)]
pub struct Failed {
    pub message: String,
    pub help: String,
    /// The addresses the proof reached before this: each gets its own
    /// delivery, so that a refusal names its address.
    pub sent: Vec<String>,
}

fn failed(message: impl Into<String>, help: impl Into<String>) -> Failed {
    Failed {
        message: message.into(),
        help: help.into(),
        sent: Vec::new(),
    }
}

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
        let url = url::Url::parse(raw)
            .map_err(|e| format!("`{raw}` is not a URL ({e}): write it as `smtp://HOST:PORT`"))?;
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
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| format!("`{raw}` names no host: write it as `smtp://HOST:PORT`"))?;
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

/// The server to send through, from the environment first, then site.yaml.
struct Server {
    host: String,
    port: u16,
    tls: Tls,
    credentials: Option<Credentials>,
    from: Mailbox,
}

impl Server {
    fn resolve(
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

    fn transport(&self) -> Result<SmtpTransport, Failed> {
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

/// The `List-Unsubscribe` header (RFC 2369): where a reader leaves the list.
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(
            s.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned(),
        ))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// The built email edition of `issue` (the newest when `None`): its folder,
/// its HTML and its text.
fn edition(output: &Path, issue: Option<NaiveDate>) -> Result<(String, String, String), Failed> {
    let build_first = || {
        failed(
            format!(
                "`{}` holds no build of the site",
                display_path(output.strip_prefix(".").unwrap_or(output))
            ),
            "run `gazette build` first (`send` sends the email edition the last build wrote)",
        )
    };
    let files = read_manifest(output).map_err(|_| build_first())?;
    let mut issues: Vec<&str> = files
        .iter()
        .filter_map(|f| f.strip_suffix("email.html"))
        .filter(|dir| NaiveDate::parse_from_str(dir, "%Y/%m/%d/").is_ok())
        .collect();
    issues.sort_unstable();
    let folder = match issue {
        Some(date) => {
            let wanted = date.format("%Y/%m/%d/").to_string();
            if !issues.contains(&wanted.as_str()) {
                let newest: Vec<String> = issues
                    .iter()
                    .rev()
                    .take(3)
                    .map(|d| d.trim_end_matches('/').replace('/', "-"))
                    .collect();
                return Err(failed(
                    format!("the last build has no issue of {date}"),
                    if newest.is_empty() {
                        "build the site with that issue first".to_owned()
                    } else {
                        format!(
                            "the newest are {}; or build the site with that issue first (with `--future` if it is dated after today)",
                            newest.join(", ")
                        )
                    },
                ));
            }
            wanted
        }
        None => issues
            .last()
            .map(|d| (*d).to_owned())
            .ok_or_else(build_first)?,
    };
    let read = |name: &str| {
        let path = output.join(&folder).join(name);
        // Only the file the build wrote, never a link put in its place.
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            return Err(failed(
                format!(
                    "`{}` is not a file gazette wrote (a link, or gone)",
                    display_path(&path)
                ),
                "run `gazette build` again",
            ));
        }
        std::fs::read_to_string(&path).map_err(|e| {
            failed(
                format!("cannot read `{}`: {e}", display_path(&path)),
                "run `gazette build` again",
            )
        })
    };
    Ok((folder.clone(), read("email.html")?, read("email.txt")?))
}

/// The text of the first `<title>` of `html`, its entities decoded.
fn title_of(html: &str) -> Option<String> {
    let start = html.find("<title>")? + "<title>".len();
    let end = start + html[start..].find("</title>")?;
    let raw = html[start..end].trim();
    let decoded = raw
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    (!decoded.is_empty()).then_some(decoded)
}

/// Sends the proof of `issue` (the newest when `None`) to `to`, through
/// `url`'s server when given, else the one the environment and site.yaml
/// name.
pub fn proof(
    config: &Config,
    to: &[String],
    issue: Option<NaiveDate>,
    url: Option<&ServerUrl>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Sent, Failed> {
    let recipients = to
        .iter()
        .map(|address| {
            address.parse::<Mailbox>().map_err(|e| {
                failed(
                    format!("`{address}` is not an email address ({e})"),
                    "give each address as `--proof editor@your.domain`",
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let server = Server::resolve(config, url, env)?;
    let (folder, html, text) = edition(&config.output, issue)?;
    let subject = title_of(&html).unwrap_or_else(|| config.title.clone());

    let mut message = Message::builder()
        .from(server.from.clone())
        .subject(subject.clone())
        // `<random@this host>`: without one, a relay that adds none hands
        // the proof on as a message spam filters mark down (RFC 5322 §3.6.4).
        .message_id(None);
    for recipient in &recipients {
        message = message.to(recipient.clone());
    }
    // Only a real link: a service's placeholder is not one until the
    // service fills it in.
    if let Some(link) = config.email.unsubscribe.as_deref().filter(|u| {
        u.starts_with("https://") || u.starts_with("http://") || u.starts_with("mailto:")
    }) {
        message = message.header(ListUnsubscribe(link.to_owned()));
    }
    let message = message
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(text),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(html),
                ),
        )
        .map_err(|e| {
            failed(
                format!("cannot make the message: {e}"),
                "check `smtp.from` and the addresses",
            )
        })?;

    let address = format!("{}:{}", server.host, server.port);
    let transport = server.transport()?;
    let formatted = message.formatted();
    // One delivery to each address, the message the same (all of them in
    // `To:`): a server that refuses one answers for that one alone, which
    // the error can then name.
    let mut sent = Vec::new();
    for (written, recipient) in to.iter().zip(recipients) {
        let envelope = Envelope::new(Some(server.from.email.clone()), vec![recipient.email])
            .map_err(|e| {
                failed(
                    format!("cannot address the proof to `{written}`: {e}"),
                    "check the address",
                )
            })?;
        if let Err(e) = transport.send_raw(&envelope, &formatted) {
            return Err(Failed {
                sent,
                ..explain(&e, &address, &server, written)
            });
        }
        sent.push(written.clone());
    }
    Ok(Sent {
        issue: folder,
        subject,
        server: address,
        to: to.to_vec(),
    })
}

/// The cause of a failed send, said for the editor, naming the server.
fn explain(
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

    #[test]
    fn the_subject_is_the_emails_title_decoded() {
        assert_eq!(
            title_of("<head><title>Q&amp;A: &lt;AI&gt; · A47</title></head>").as_deref(),
            Some("Q&A: <AI> · A47")
        );
        assert_eq!(title_of("<title>  </title>"), None);
    }

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

    #[test]
    fn list_unsubscribe_is_an_angle_bracketed_link() {
        let message = Message::builder()
            .from("A47 <editor@a47.example>".parse().expect("an address"))
            .to("desk@a47.example".parse().expect("an address"))
            .subject("Proof")
            .header(ListUnsubscribe("https://a47.example/u".to_owned()))
            .body(String::from("text"))
            .expect("a message");
        let head = String::from_utf8_lossy(&message.formatted()).into_owned();
        assert!(
            head.contains("List-Unsubscribe: <https://a47.example/u>\r\n"),
            "{head}"
        );
    }
}
