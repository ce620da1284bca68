//! Links inside HTML we publish elsewhere (feeds, the email edition): made
//! absolute, and outbound ones tagged for the newsletter's analytics.
//!
//! Works on HTML that gazette itself produced (Markdown output and templates);
//! it rewrites `href` and `src` only, inside tags.

use url::Url;

pub use crate::markdown::rewrite::decode;
use crate::markdown::{Part, rewrite};

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
///
/// One pass over the tags ([`rewrite`]): a page of many links costs what a
/// page of prose of the same size does.
pub fn absolutize(html: &str, page: &Url, own: &Url, utm: &Utm<'_>, keep: &[&str]) -> String {
    let links = Absolute {
        page,
        own,
        utm,
        keep,
    };
    rewrite(html, |part| match part {
        Part::Value {
            attribute: "href" | "src",
            value,
            ..
        } => Some(links.link(value)),
        _ => None,
    })
}

/// What [`absolutize`] does to each link, for a pass over the tags of its own.
pub struct Absolute<'a> {
    pub page: &'a Url,
    pub own: &'a Url,
    pub utm: &'a Utm<'a>,
    pub keep: &'a [&'a str],
}

impl Absolute<'_> {
    /// The link `value` (as written in an attribute: entities undecoded)
    /// made absolute and tagged, escaped for a double-quoted attribute.
    pub fn link(&self, value: &str) -> String {
        encode(&self.url(&decode(value)))
    }

    /// The link `raw` (decoded: as a URL, not as an attribute) made
    /// absolute and tagged: what [`link`](Self::link) writes, for the
    /// plain-text email, whose links are no attributes.
    pub fn url(&self, raw: &str) -> String {
        if self.keep.contains(&raw) {
            return raw.to_owned();
        }
        // An outlet's article, most often: absolute already.
        if let Some(plain) = crate::source::url::plain_http(raw) {
            return match Some(plain.host) != self.own.host_str() {
                true => self.utm.tag(raw),
                false => raw.to_owned(),
            };
        }
        match self.page.join(raw) {
            Ok(url) if url.scheme() == "http" || url.scheme() == "https" => {
                if url.host_str() != self.own.host_str() {
                    self.utm.tag(url.as_str())
                } else {
                    url.into()
                }
            }
            // mailto:, tel:, placeholders such as `*|UNSUB|*`: left as written.
            _ => raw.to_owned(),
        }
    }
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

    /// `absolutize` as it was: for each link, a search of the rest of the
    /// document for each of `href` and `src`, quadratic in the links.
    fn two_needle_absolutize(html: &str, page: &Url, own: &Url, utm: &Utm<'_>) -> String {
        let mut out = String::new();
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
                Ok(url) if url.scheme() == "http" || url.scheme() == "https" => {
                    if url.host_str() != own.host_str() {
                        utm.tag(url.as_str())
                    } else {
                        url.to_string()
                    }
                }
                _ => raw,
            };
            out.push_str(&encode(&rewritten));
            rest = &rest[value_start + value_len..];
        }
        out.push_str(rest);
        out
    }

    // The one-pass rewrite gives what the two-needle search gave, on pages of
    // links, images, both and neither, as Markdown and templates write them.
    #[test]
    fn same_output_as_the_two_needle_search() {
        let utm = Utm {
            params: vec![("utm_source", "a47"), ("utm_medium", "email")],
        };
        let page = url("https://you.github.io/a47/2026/11/25/");
        let own = url("https://you.github.io/a47/");
        let markdown = (0..40)
            .map(|n| match n % 5 {
                0 => format!("[link {n}](https://example.com/{n}?a=1&b=2)"),
                1 => format!("![image {n}](../img/{n}.png \"t\")"),
                2 => format!("[fragment {n}](#h{n}) and [relative](../{n}/)"),
                3 => format!("plain text {n} with no link at all"),
                _ => format!("[mail](mailto:n{n}@x.example) [own](https://you.github.io/a47/{n}/)"),
            })
            .collect::<Vec<_>>()
            .join("\n\n");
        let pages = [
            crate::markdown::render(&markdown, crate::markdown::Html::Sanitised).html,
            crate::markdown::render(&markdown.replace("![", "["), crate::markdown::Html::Sanitised)
                .html,
            "<p>no links</p>".to_owned(),
            "<html lang=\"en\"><head><link rel=\"stylesheet\" href=\"/a47/style.css\"></head><body><script src=\"/a47/search.js\" defer></script><a class=\"x\" href=\"/a47/\">home</a></body></html>".to_owned(),
        ];
        for html in &pages {
            assert_eq!(
                absolutize(html, &page, &own, &utm, &[]),
                two_needle_absolutize(html, &page, &own, &utm),
                "{html}"
            );
        }
    }

    // Only attributes are rewritten, not text that looks like one.
    #[test]
    fn text_is_not_a_link() {
        let html = "<p><code>a href=\"x\" src=\"y\"</code> <a href=\"x\">x</a></p>";
        let out = absolutize(
            html,
            &url("https://a.example/p/"),
            &url("https://a.example/"),
            &Utm::default(),
            &[],
        );
        assert_eq!(
            out,
            "<p><code>a href=\"x\" src=\"y\"</code> <a href=\"https://a.example/p/x\">x</a></p>"
        );
    }

    // 2 MB of links is one pass: the two-needle search took minutes on it
    // in a debug build (30 s in a release build). Time is measured by
    // `bench/big_body.py`, not here: a quadratic pass shows as a stuck test.
    #[test]
    fn many_links_in_linear_time() {
        let line = "<a href=\"https://example.com/1234\">link 1234</a>\n";
        let html = line.repeat(2 * 1024 * 1024 / line.len());
        let out = absolutize(
            &html,
            &url("https://a.example/p/"),
            &url("https://a.example/"),
            &Utm::default(),
            &[],
        );
        assert_eq!(out, html);
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
