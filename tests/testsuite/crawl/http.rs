//! The crawl's HTTP client for `gazette serve`: one HTTP/1.1 GET per
//! connection over a `TcpStream`, bodies as bytes (images too), redirects
//! followed while they stay under the site's path.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::Duration;

use url::Url;

use super::Fetched;

/// One response: status, header lines, body.
struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then_some(value.trim())
        })
    }
}

fn get(port: u16, target: &str) -> Result<Response, String> {
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("cannot connect: {e}"))?;
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("cannot send the request: {e}"))?;
    let mut bytes = Vec::new();
    stream
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the response: {e}"))?;
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("a response without its head")?;
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("a response without a status")?;
    // Each response is alone on its connection and the server closes it:
    // the body is the rest (no chunked encoding for files held in memory).
    Ok(Response {
        status,
        head,
        body: bytes[end + 4..].to_vec(),
    })
}

/// GETs `url` from the preview on `port`, following up to five redirects,
/// each of which must stay under `base`'s path.
pub(super) fn fetch(port: u16, base: &Url, url: &Url) -> Fetched {
    let mut at = url.clone();
    for _ in 0..5 {
        let target = match at.query() {
            Some(query) => format!("{}?{query}", at.path()),
            None => at.path().to_owned(),
        };
        let response = get(port, &target).map_err(|e| format!("`{at}`: {e}"))?;
        match response.status {
            200 => {
                let rel = &at.path()[base.path().len()..];
                let rel = gazette::serve::server::percent_decode(rel)
                    .ok_or_else(|| format!("`{at}` is not a valid path"))?;
                let file = if rel.is_empty() || rel.ends_with('/') {
                    format!("{rel}index.html")
                } else {
                    rel
                };
                return Ok((at, file, response.body));
            }
            301 | 302 | 303 | 307 | 308 => {
                let location = response
                    .header("location")
                    .ok_or_else(|| format!("`{at}` redirects without a `Location`"))?;
                let next = at
                    .join(location)
                    .map_err(|e| format!("`{at}` redirects to `{location}`: {e}"))?;
                if next.origin() != base.origin() || !next.path().starts_with(base.path()) {
                    return Err(format!("`{at}` redirects to `{next}`, outside `{base}`"));
                }
                at = next;
            }
            status => return Err(format!("`{at}` answers {status}")),
        }
    }
    Err(format!("`{url}` redirects more than five times"))
}
