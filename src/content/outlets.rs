//! `content/outlets.yaml`: the outlets the editors cite.
//!
//! Takes the file's text and returns each outlet as written, with a
//! diagnostic for every outlet that is wrong on its own; whether entries
//! name outlets that exist is for `site` to check.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::source::url::{check_http_url, host, host_within};
use crate::source::yaml::{Field, Parsed, Spans, Yaml};
use crate::source::{Located, SourceFile, Span};

/// An outlet, as written.
#[derive(Debug, Clone)]
pub struct OutletSource {
    pub key: String,
    pub name: String,
    pub tagline: String,
    pub blurb: String,
    pub url: String,
    /// Other hosts the outlet publishes on (`bloomberg.com` for Bloomberg
    /// Technology), lower case, without `www.`.
    pub domains: Vec<String>,
    /// Where the outlet's key is written, for what is said about the outlet.
    pub at: Span,
}

impl OutletSource {
    /// Whether a link to `host` (lower case, no `www.`) is this outlet's:
    /// the host of its `url`, one of its `domains`, or a subdomain of either.
    pub fn publishes_on(&self, link_host: &str) -> bool {
        host(&self.url)
            .iter()
            .chain(&self.domains)
            .any(|own| host_within(link_host, own))
    }
}

/// The outlet a link to `url` belongs to: the one whose `url` or `domains`
/// has its host; among several, the one naming the longest host (a link to
/// `news.bloomberg.com` goes to the outlet at `news.bloomberg.com`, not
/// the one at `bloomberg.com`).
pub fn outlet_for<'a>(outlets: &'a [OutletSource], url: &str) -> Option<&'a OutletSource> {
    let wanted = host(url)?;
    outlets
        .iter()
        .filter_map(|o| {
            host(&o.url)
                .into_iter()
                .chain(o.domains.iter().cloned())
                .filter(|own| host_within(&wanted, own))
                .map(|own| own.len())
                .max()
                .map(|len| (len, o))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, o)| o)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OutletFile {
    name: Field<String>,
    tagline: Field<String>,
    blurb: Field<String>,
    url: Field<String>,
    domains: Field<Vec<String>>,
}

const OUTLET_KEYS: &[&str] = &["name", "tagline", "blurb", "url", "domains"];

/// Where the outlets live, relative to the root.
pub const OUTLETS_FILE: &str = "content/outlets.yaml";

/// Parses the text of `outlets.yaml`; `None`, with the error, when it does
/// not parse at all (outlets wrong one by one are reported and kept).
pub fn parse(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Vec<OutletSource>> {
    let file = SourceFile::new(Path::new(OUTLETS_FILE), text.to_owned());
    let yaml = Yaml::whole(&file);
    let Parsed {
        value: outlets,
        unknown,
        spans,
    } = match yaml.parse::<BTreeMap<String, OutletFile>>() {
        Ok(parsed) => parsed,
        Err(d) => {
            diagnostics.push(match d.help {
                Some(_) if d.message.contains("tab") => d,
                _ => {
                    d.help("outlets.yaml maps each key to its `name`, `tagline`, `blurb` and `url`")
                }
            });
            return None;
        }
    };
    for keys in &unknown {
        diagnostics.push(spans.unknown_key(keys, OUTLET_KEYS));
    }
    // An outlet written twice: the map kept the last, silently.
    diagnostics.extend(yaml.keys_set_twice(outlets.keys().map(String::as_str)));
    Some(
        outlets
            .into_iter()
            .map(|(key, file)| outlet(&spans, key, file, diagnostics))
            .collect(),
    )
}

/// One outlet, checked: its key, a `name`, and a web `url` if any.
fn outlet(
    spans: &Spans<'_>,
    key: String,
    file: OutletFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> OutletSource {
    let at = spans.located(&[&key], ()).key;
    if key.len() > crate::slug::MAX_LEN {
        let start: String = key.chars().take(40).collect();
        diagnostics.push(
            at.error(format!(
                "outlet key `{start}…` is too long for a URL: {} characters, at most {}",
                key.len(),
                crate::slug::MAX_LEN
            ))
            .help("a key is a short name, e.g. `tnw`; the outlet's `name` can be long"),
        );
    } else if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        diagnostics.push(
            at.error(format!("invalid outlet key `{key}`"))
                .help(format!(
                    "use lowercase letters, digits and `-`, e.g. `{}`",
                    crate::slug::slugify(&key)
                )),
        );
    }
    let mut take = |field: &str, value: Field<String>| {
        let value = spans.locate(&[&key, field], value).unwrap_or_else(|found| {
            diagnostics.push(
                found
                    .error(format!("`{field}` of outlet `{key}` must be text"))
                    .label(format!("found {}", found.value)),
            );
            None
        });
        value.filter(|v| !v.value.trim().is_empty())
    };
    let name = take("name", file.name);
    let tagline = take("tagline", file.tagline);
    let blurb = take("blurb", file.blurb);
    let url = take("url", file.url);
    if name.is_none() {
        diagnostics.push(
            at.error(format!("outlet `{key}` has no `name`"))
                .help("add `name: …` under it: it is shown on every card"),
        );
    }
    if let Some(url) = &url
        && let Err(why) = check_http_url(&url.value)
    {
        diagnostics.push(url.error(format!(
            "`url` of outlet `{key}` must be an http or https address: {why}"
        )));
    }
    let domains = spans
        .locate(&[&key, "domains"], file.domains)
        .unwrap_or_else(|found| {
            diagnostics.push(
                found
                    .error(format!(
                        "`domains` of outlet `{key}` must be a list of host names"
                    ))
                    .label(format!("found {}", found.value))
                    .help("e.g. `domains: [bloomberg.com, bloom.bg]`"),
            );
            None
        });
    let domains = domains.map_or_else(Vec::new, |list| {
        let mut hosts = Vec::new();
        for raw in &list.value {
            match domain(raw) {
                Some(host) => hosts.push(host),
                None => diagnostics.push(
                    list.error(format!(
                        "`{raw}` in `domains` of outlet `{key}` is not a host name"
                    ))
                    .help(
                        "write the host alone, e.g. `bloomberg.com`, without `https://` or a path",
                    ),
                ),
            }
        }
        hosts
    });
    let text = |value: Option<Located<String>>| value.map(Located::into_inner);
    OutletSource {
        domains,
        at,
        name: text(name).unwrap_or_else(|| key.clone()),
        tagline: text(tagline).unwrap_or_default(),
        blurb: text(blurb).unwrap_or_default(),
        url: text(url).unwrap_or_default(),
        key,
    }
}

/// `raw` as a host name for `domains`, lower case without `www.`, if it is one.
fn domain(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let valid = !raw.is_empty()
        && raw.contains('.')
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    valid.then(|| host(&format!("https://{raw}/"))).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    // An outlet written twice is an error at the second, naming the first:
    // read into a map, the first would be dropped without a word.
    #[test]
    fn an_outlet_written_twice_is_an_error() {
        let text = "# The outlets.\ntnw:\n  name: TNW\n  url: https://thenextweb.com\nft:\n  name: FT\ntnw:\n  name: Other\n";
        let mut found = Vec::new();
        let outlets = parse(text, &mut found).expect("parses");
        assert_eq!(outlets.len(), 2);
        let messages: Vec<String> = found.iter().map(|d| d.message.clone()).collect();
        assert_eq!(messages, ["`tnw` is set twice"], "{found:?}");
        let at = found[0].location.as_ref().expect("a place");
        assert_eq!(at.line, 7);
    }
}
