//! Links inside HTML we publish elsewhere (feeds, the email edition): made
//! absolute, and outbound ones tagged for the newsletter's analytics.
//!
//! Works on HTML that gazette itself produced (Markdown output and templates),
//! whose attributes are double-quoted; it rewrites `href` and `src` only.

use url::Url;

/// UTM parameters to add to outbound links; empty adds nothing.
#[derive(Debug, Default, Clone)]
pub struct Utm<'a> {
    pub params: Vec<(&'static str, &'a str)>,
}

impl Utm<'_> {
    /// `url` with each parameter appended unless the link already has it.
    pub fn tag(&self, url: &str) -> String {
        if self.params.is_empty() {
            return url.to_owned();
        }
        let Ok(mut parsed) = Url::parse(url) else {
            return url.to_owned();
        };
        if !matches!(parsed.scheme(), "http" | "https") {
            return url.to_owned();
        }
        let existing: Vec<String> = parsed.query_pairs().map(|(k, _)| k.into_owned()).collect();
        let missing: Vec<_> = self
            .params
            .iter()
            .filter(|(key, _)| !existing.iter().any(|k| k == key))
            .collect();
        if missing.is_empty() {
            return url.to_owned();
        }
        {
            let mut query = parsed.query_pairs_mut();
            for (key, value) in missing {
                query.append_pair(key, value);
            }
        }
        parsed.to_string()
    }
}

/// Rewrites every `href`/`src` of `html`: relative ones resolved against
/// `page` (absolute), and links to hosts other than `own` tagged with `utm`.
/// Values in `keep` (an email service's unsubscribe placeholder) stay as written.
pub fn absolutize(html: &str, page: &Url, own: &Url, utm: &Utm<'_>, keep: &[&str]) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    loop {
        let next = [" href=\"", " src=\""]
            .iter()
            .filter_map(|needle| rest.find(needle).map(|at| (at, needle.len())))
            .min();
        let Some((at, len)) = next else { break };
        let value_start = at + len;
        let Some(value_len) = rest[value_start..].find('"') else {
            break;
        };
        out.push_str(&rest[..value_start]);
        let raw = decode(&rest[value_start..value_start + value_len]);
        let rewritten = match page.join(&raw) {
            _ if keep.contains(&raw.as_str()) => raw,
            Ok(url) if url.scheme() == "http" || url.scheme() == "https" => {
                let url = url.to_string();
                if Url::parse(&url).is_ok_and(|u| u.host_str() != own.host_str()) {
                    utm.tag(&url)
                } else {
                    url
                }
            }
            // mailto:, tel:, placeholders such as `*|UNSUB|*`: left as written.
            _ => raw,
        };
        out.push_str(&encode(&rewritten));
        rest = &rest[value_start + value_len..];
    }
    out.push_str(rest);
    out
}

/// An attribute value as written in our HTML, its entities decoded.
pub fn decode(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn encode(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("a URL")
    }

    // Relative links become absolute; outbound ones get UTM tags without
    // losing or overwriting the parameters they had.
    #[test]
    fn absolute_and_tagged() {
        let utm = Utm {
            params: vec![
                ("utm_source", "a47"),
                ("utm_medium", "email"),
                ("utm_campaign", "2026-11-25"),
            ],
        };
        let html = r##"<a href="*|UNSUB|*">u</a><a href="../x/">x</a><img src="/a47/i.png" alt=""><a href="https://out.example/a?utm_source=theirs&amp;b=1">o</a><a href="#top">t</a><a href="mailto:a@b.c">m</a><a href="https://you.github.io/a47/y/">own</a>"##;
        let out = absolutize(
            html,
            &url("https://you.github.io/a47/2026/11/25/"),
            &url("https://you.github.io/a47/"),
            &utm,
            &["*|UNSUB|*"],
        );
        assert_eq!(
            out,
            r##"<a href="*|UNSUB|*">u</a><a href="https://you.github.io/a47/2026/11/x/">x</a><img src="https://you.github.io/a47/i.png" alt=""><a href="https://out.example/a?utm_source=theirs&amp;b=1&amp;utm_medium=email&amp;utm_campaign=2026-11-25">o</a><a href="https://you.github.io/a47/2026/11/25/#top">t</a><a href="mailto:a@b.c">m</a><a href="https://you.github.io/a47/y/">own</a>"##
        );
    }

    // Without UTM settings, links keep their exact form.
    #[test]
    fn no_utm_no_change() {
        assert_eq!(
            Utm::default().tag("https://a.example/?x=1"),
            "https://a.example/?x=1"
        );
    }
}
