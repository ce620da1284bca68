//! `content/outlets.yaml`: the outlets the editors cite.
//!
//! Takes the file's text and returns each outlet as written, with a
//! diagnostic for every outlet that is wrong on its own; whether entries
//! name outlets that exist is for `site` to check.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::source::url::check_http_url;
use crate::source::yaml::{Field, Parsed, Spans, Yaml};
use crate::source::{Located, SourceFile};

/// An outlet, as written.
#[derive(Debug, Clone)]
pub struct OutletSource {
    pub key: String,
    pub name: String,
    pub tagline: String,
    pub blurb: String,
    pub url: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OutletFile {
    name: Field<String>,
    tagline: Field<String>,
    blurb: Field<String>,
    url: Field<String>,
}

const OUTLET_KEYS: &[&str] = &["name", "tagline", "blurb", "url"];

/// Where the outlets live, relative to the root.
pub const OUTLETS_FILE: &str = "content/outlets.yaml";

/// Parses the text of `outlets.yaml` (empty when the file is missing).
pub fn parse(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<OutletSource> {
    let file = SourceFile::new(Path::new(OUTLETS_FILE), text.to_owned());
    let Parsed {
        value: outlets,
        unknown,
        spans,
    } = match Yaml::whole(&file).parse::<BTreeMap<String, OutletFile>>() {
        Ok(parsed) => parsed,
        Err(d) => {
            diagnostics.push(
                d.help("outlets.yaml maps each key to its `name`, `tagline`, `blurb` and `url`"),
            );
            return Vec::new();
        }
    };
    for keys in &unknown {
        diagnostics.push(spans.unknown_key(keys, OUTLET_KEYS));
    }
    outlets
        .into_iter()
        .map(|(key, file)| outlet(&spans, key, file, diagnostics))
        .collect()
}

/// One outlet, checked: its key, a `name`, and a web `url` if any.
fn outlet(
    spans: &Spans<'_>,
    key: String,
    file: OutletFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> OutletSource {
    let at = spans.located(&[&key], ()).key;
    if key.is_empty()
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
    let text = |value: Option<Located<String>>| value.map(Located::into_inner);
    OutletSource {
        name: text(name).unwrap_or_else(|| key.clone()),
        tagline: text(tagline).unwrap_or_default(),
        blurb: text(blurb).unwrap_or_default(),
        url: text(url).unwrap_or_default(),
        key,
    }
}
