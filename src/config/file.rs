//! `content/site.yaml` as written: read, parsed, its unknown keys reported.
//!
//! Takes the site root and returns the file's keys as typed fields
//! ([`SiteFile`]) with their spans, for [`Config::load`](super::Config::load)
//! to check one by one.

use std::path::Path;

use serde::Deserialize;

use super::SITE_FILE;
use super::check::{CHECK_KEYS, CheckFile};
use super::email::{EMAIL_KEYS, Email};
use super::smtp::{SMTP_KEYS, SmtpFile};
use super::subscribe::{SUBSCRIBE_KEYS, SubscribeFile};
use crate::diagnostic::Diagnostic;
use crate::fs::{self, SiteFs};
use crate::source::yaml::{Field, Parsed, Yaml};

/// Every key of `site.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SiteFile {
    pub title: Field<String>,
    pub description: Field<String>,
    pub base_url: Field<String>,
    pub editor: Field<String>,
    pub language: Field<String>,
    pub timezone: Field<String>,
    pub theme: Field<String>,
    pub summary_length: Field<usize>,
    pub feed_limit: Field<usize>,
    pub paginate: Field<usize>,
    pub max_file_mb: Field<usize>,
    pub email: Option<Email>,
    pub extra: Option<serde_json::Value>,
    pub unsafe_html: Field<bool>,
    pub check: Option<CheckFile>,
    pub retired: Field<Vec<String>>,
    pub redirects: Field<std::collections::BTreeMap<String, Option<String>>>,
    pub social_cards: Field<bool>,
    pub subscribe: Option<SubscribeFile>,
    pub smtp: Option<SmtpFile>,
    pub deploy: Field<std::collections::BTreeMap<String, String>>,
}

const SITE_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "editor",
    "language",
    "timezone",
    "theme",
    "summary_length",
    "feed_limit",
    "paginate",
    "max_file_mb",
    "email",
    "extra",
    "unsafe_html",
    "check",
    "retired",
    "redirects",
    "social_cards",
    "subscribe",
    "smtp",
    "deploy",
];

/// The text of `site.yaml`; empty, with a diagnostic, when it is missing or
/// cannot be read. Read with the default size limit: `max_file_mb` is in it.
/// The text of site.yaml; `None` when it cannot be read (said in
/// `diagnostics`), and so no key of it can be said to be missing.
pub fn read(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    let rel = Path::new(SITE_FILE);
    let path = root.join(rel);
    if let Some(missing) = missing(root) {
        diagnostics.push(missing);
        return None;
    }
    SiteFs::new(root, fs::DEFAULT_LIMIT_MB)
        .read(&path)
        .map_err(|refused| refused.diagnostic(rel))
        .and_then(|bytes| fs::decode_text(rel, bytes))
        .map_err(|d| diagnostics.push(d))
        .ok()
}

/// The error of a `root` that has no `site.yaml`, and so is no site:
/// `serve` and `build --watch` say it and stop, where watching would wait
/// for a site that is not there.
pub fn missing(root: &Path) -> Option<Diagnostic> {
    // A link that leads nowhere is there, and said to be broken when read.
    std::fs::symlink_metadata(root.join(SITE_FILE))
        .is_err()
        .then(|| {
            Diagnostic::error(format!("no `{SITE_FILE}` in `{}`", root.display()))
                .help("run gazette in a site folder, or pass `--root DIR`")
        })
}

/// The keys of `yaml`, with an error for each unknown one; all missing
/// (and `false`) when it does not parse.
pub fn parse<'a>(
    yaml: Yaml<'a>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Parsed<'a, SiteFile>, bool) {
    let parsed = match yaml.parse::<SiteFile>() {
        Ok(parsed) => parsed,
        Err(d) => {
            diagnostics.push(d);
            return (yaml.unparsed(SiteFile::default()), false);
        }
    };
    for keys in &parsed.unknown {
        let known = match keys.first().map(String::as_str) {
            Some("email") => EMAIL_KEYS,
            Some("check") => CHECK_KEYS,
            Some("subscribe") => SUBSCRIBE_KEYS,
            Some("smtp") => SMTP_KEYS,
            _ => SITE_KEYS,
        };
        let unknown = parsed.spans.unknown_key(keys, known);
        // `smtp.pasword: …` is most likely a password.
        diagnostics.push(match known == SMTP_KEYS {
            true => unknown.hiding_value(),
            false => unknown,
        });
    }
    (parsed, true)
}
