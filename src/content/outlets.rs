//! `content/outlets.yaml`: the outlets the editors cite.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::front::check_http_url;
use super::yaml::{Field, Yaml};
use crate::diagnostic::Diagnostic;

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
    let rel = Path::new(OUTLETS_FILE);
    let yaml = Yaml::whole(rel, text);
    let parsed = match yaml.parse::<BTreeMap<String, OutletFile>>() {
        Ok(parsed) => parsed,
        Err(d) => {
            diagnostics.push(
                d.help("outlets.yaml maps each key to its `name`, `tagline`, `blurb` and `url`"),
            );
            return Vec::new();
        }
    };
    for keys in &parsed.unknown {
        diagnostics.push(yaml.unknown_key(keys, OUTLET_KEYS));
    }
    let mut outlets = Vec::new();
    for (key, file) in parsed.value {
        let at = yaml.key_location(&[&key]);
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            diagnostics.push(
                Diagnostic::error(format!("invalid outlet key `{key}`"))
                    .at(at.clone())
                    .help(format!(
                        "use lowercase letters, digits and `-`, e.g. `{}`",
                        crate::slug::slugify(&key)
                    )),
            );
        }
        let mut take = |field: &str, value: Field<String>| {
            let value = match value {
                Field::Invalid(found) => {
                    diagnostics.push(
                        Diagnostic::error(format!("`{field}` of outlet `{key}` must be text"))
                            .at(yaml.value_location(&[&key, field]))
                            .label(format!("found {found}")),
                    );
                    None
                }
                Field::Present(text) => Some(text),
                Field::Absent => None,
            };
            value.filter(|v| !v.trim().is_empty())
        };
        let name = take("name", file.name);
        let tagline = take("tagline", file.tagline);
        let blurb = take("blurb", file.blurb);
        let url = take("url", file.url);
        if name.is_none() {
            diagnostics.push(
                Diagnostic::error(format!("outlet `{key}` has no `name`"))
                    .at(at.clone())
                    .help("add `name: …` under it: it is shown on every card"),
            );
        }
        let url = url.unwrap_or_default();
        if !url.is_empty()
            && let Err(why) = check_http_url(&url)
        {
            diagnostics.push(
                Diagnostic::error(format!(
                    "`url` of outlet `{key}` must be an http or https address: {why}"
                ))
                .at(yaml.value_location(&[&key, "url"])),
            );
        }
        outlets.push(OutletSource {
            name: name.unwrap_or_else(|| key.clone()),
            tagline: tagline.unwrap_or_default(),
            blurb: blurb.unwrap_or_default(),
            url,
            key,
        });
    }
    outlets
}
