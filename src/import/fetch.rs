//! A source of `gazette import` -> its bytes, read within limits.
//!
//! Takes a file path or an http(s) address and returns at most
//! [`MAX_BYTES`] of what it holds, or why not (said for an editor). A file
//! inside the site is read by the site's own rules (no link out of the
//! site); one elsewhere is the user's own argument, and must still be a
//! regular file. Downloads have a connect and an overall timeout, follow at
//! most [`MAX_REDIRECTS`] redirects, and stop reading past the size limit:
//! a feed is someone else's server, and may be slow, huge or hostile.

use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result};
use ureq::ResponseExt as _;

use crate::fs::{Refused, SiteFs};
use crate::source::url::check_http_url;

/// The largest feed or list read, in bytes.
pub const MAX_BYTES: u64 = 10_000_000;

/// Redirects followed, at most.
pub const MAX_REDIRECTS: u32 = 5;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const TOTAL_TIMEOUT: Duration = Duration::from_secs(30);

/// Sets the overall timeout of a download in milliseconds (and the connect
/// timeout, when shorter). For tests, which cannot wait 30 s for a server
/// that never answers.
pub const TIMEOUT_VAR: &str = "GAZETTE_IMPORT_TIMEOUT_MS";

/// Where a feed or a list is.
#[derive(Debug, Clone)]
pub enum Source {
    Path(PathBuf),
    Url(url::Url),
}

impl Source {
    /// A source as given on the command line: an http(s) address or a path.
    pub fn parse(raw: &str) -> Result<Source, String> {
        let lower = raw.trim().to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            check_http_url(raw.trim())
                .map_err(|why| format!("it is not a valid address: {why}"))?;
            let url = url::Url::parse(raw.trim()).map_err(|e| e.to_string())?;
            return Ok(Source::Url(url));
        }
        if lower.contains("://") {
            return Err("only http and https addresses, and files, can be imported".to_owned());
        }
        Ok(Source::Path(PathBuf::from(raw)))
    }

    /// A feed that the OPML list at `self` names: an address relative to
    /// the list's own; for a list on disk, also a path relative to its folder.
    pub fn join(&self, raw: &str) -> Result<Source, String> {
        let url = match self {
            Source::Url(list) => list.join(raw.trim()).map_err(|e| e.to_string())?,
            Source::Path(list) => match Source::parse(raw)? {
                Source::Path(path) if raw.contains(':') => {
                    return Err(format!(
                        "`{}` is neither an address nor a file",
                        path.display()
                    ));
                }
                Source::Path(path) => {
                    let folder = list.parent().unwrap_or(Path::new(""));
                    return Ok(Source::Path(folder.join(path)));
                }
                url => return Ok(url),
            },
        };
        check_http_url(url.as_str())
            .map_err(|why| format!("it is not an http or https address: {why}"))?;
        Ok(Source::Url(url))
    }

    /// How messages name it.
    pub fn name(&self) -> String {
        match self {
            Source::Path(path) => crate::diagnostic::display_path(path),
            Source::Url(url) => url.to_string(),
        }
    }
}

/// What a source held.
#[derive(Debug)]
pub struct Fetched {
    pub bytes: Vec<u8>,
    /// Where it was downloaded from in the end (after redirects): relative
    /// links in it resolve against this.
    pub base: Option<url::Url>,
    /// The `charset` of the server's `Content-Type`: the encoding of the
    /// bytes when they do not say it themselves.
    pub charset: Option<String>,
}

/// Reads sources: one HTTP agent for the whole import.
pub struct Fetcher {
    agent: ureq::Agent,
    connect: Duration,
    total: Duration,
}

impl Fetcher {
    /// A fetcher that introduces itself with the site's address, so a feed's
    /// publisher can see whose newsletter reads it.
    pub fn new(site_url: &str) -> Result<Fetcher> {
        let total = match std::env::var(TIMEOUT_VAR) {
            Ok(ms) => Duration::from_millis(ms.trim().parse().with_context(|| {
                format!("{TIMEOUT_VAR} `{ms}` is not a number of milliseconds")
            })?),
            Err(_) => TOTAL_TIMEOUT,
        };
        let connect = CONNECT_TIMEOUT.min(total);
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(connect))
            .timeout_global(Some(total))
            .max_redirects(MAX_REDIRECTS)
            .http_status_as_error(false)
            .user_agent(format!(
                "gazette/{} (+{site_url})",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
            .into();
        Ok(Fetcher {
            agent,
            connect,
            total,
        })
    }

    /// The bytes of `source`; `site` and `root` decide how a file is read.
    pub fn fetch(&self, source: &Source, site: &SiteFs, root: &Path) -> Result<Fetched, String> {
        match source {
            Source::Path(path) => Ok(Fetched {
                bytes: read_file(path, site, root)?,
                base: None,
                charset: None,
            }),
            Source::Url(url) => self.download(url),
        }
    }

    fn download(&self, url: &url::Url) -> Result<Fetched, String> {
        let mut response = self
            .agent
            .get(url.as_str())
            .header(
                "Accept",
                "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8",
            )
            .call()
            .map_err(|e| self.why(e))?;
        let status = response.status();
        if !status.is_success() {
            let reason = status.canonical_reason().unwrap_or("");
            return Err(format!("the server answered {} {reason}", status.as_u16())
                .trim_end()
                .to_owned());
        }
        if response
            .body()
            .content_length()
            .is_some_and(|n| n > MAX_BYTES)
        {
            return Err(too_big());
        }
        let base = url::Url::parse(&response.get_uri().to_string()).ok();
        let charset = (response.headers().get("content-type"))
            .and_then(|value| value.to_str().ok())
            .and_then(super::encoding::charset);
        let bytes = response
            .body_mut()
            .with_config()
            .limit(MAX_BYTES)
            .read_to_vec()
            .map_err(|e| self.why(e))?;
        Ok(Fetched {
            bytes,
            base,
            charset,
        })
    }

    /// A failed download, said for an editor.
    fn why(&self, error: ureq::Error) -> String {
        match error {
            ureq::Error::Timeout(ureq::Timeout::Connect) => {
                format!("no connection within {}", seconds(self.connect))
            }
            ureq::Error::Timeout(_) => {
                format!(
                    "the server did not answer in full within {}",
                    seconds(self.total)
                )
            }
            ureq::Error::HostNotFound => "the host is not found: is the address right?".to_owned(),
            ureq::Error::ConnectionFailed => "the server cannot be reached".to_owned(),
            ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                "the server refused the connection".to_owned()
            }
            ureq::Error::BodyExceedsLimit(_) => too_big(),
            ureq::Error::TooManyRedirects => {
                format!("it redirects more than {MAX_REDIRECTS} times")
            }
            other => other.to_string(),
        }
    }
}

fn too_big() -> String {
    format!(
        "it is larger than {} MB, the most a feed may be",
        MAX_BYTES / 1_000_000
    )
}

fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// A file: by the site's rules when its path is inside the site, else any
/// regular file; either way at most [`MAX_BYTES`].
fn read_file(path: &Path, site: &SiteFs, root: &Path) -> Result<Vec<u8>, String> {
    let read = if lexically_inside(path, root) {
        site.read_within(path, MAX_BYTES)
    } else {
        crate::fs::read_regular(path, MAX_BYTES)
    };
    read.map_err(|refused| match refused {
        Refused::Outside => {
            "it is inside the site but links to a file outside it; gazette reads only the site's own files there".to_owned()
        }
        Refused::NotAFile(kind) => format!("it is {kind}, not a file"),
        Refused::TooBig { limit, .. } if limit < MAX_BYTES => {
            "it is larger than `max_file_mb` of site.yaml allows".to_owned()
        }
        Refused::TooBig { .. } => too_big(),
        Refused::Io(e) if e.kind() == std::io::ErrorKind::NotFound => "there is no such file".to_owned(),
        Refused::Io(e) => e.to_string(),
    })
}

/// Whether `path` is written as a path inside `root` (before links are
/// followed: where they lead is for the site's reader to judge).
fn lexically_inside(path: &Path, root: &Path) -> bool {
    fn normal(path: &Path) -> Option<PathBuf> {
        let mut out = PathBuf::new();
        for part in std::path::absolute(path).ok()?.components() {
            match part {
                Component::ParentDir => {
                    out.pop();
                }
                Component::CurDir => {}
                other => out.push(other),
            }
        }
        Some(out)
    }
    normal(path)
        .zip(normal(root))
        .is_some_and(|(path, root)| path.starts_with(root))
}
