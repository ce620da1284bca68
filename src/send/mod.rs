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

use chrono::NaiveDate;
use lettre::address::Envelope;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{Message, Transport};

use crate::config::Config;
use crate::diagnostic::display_path;
use crate::output::manifest::{read_manifest, read_preview};

mod server;

pub use server::ServerUrl;
use server::{Server, explain};

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
    // Drafts and scheduled issues are what a proof is for; links to
    // another address (a preview on this machine) are not.
    if let Some(flag) = (read_preview(output).into_iter()).find(|f| f.starts_with("--base-url")) {
        return Err(failed(
            format!(
                "`{}` was built with `{flag}`: the proof's links would lead there, not to the site",
                display_path(output.strip_prefix(".").unwrap_or(output))
            ),
            "build the site again without `--base-url` (`--drafts` and `--future` may stay), then send",
        ));
    }
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
