//! The words of the site's pages in its `language`: the theme's `i18n/`
//! files, and the site's own over them.
//!
//! A word is looked up, later files first, in the site's
//! `i18n/<language>.yaml` (`fr-CA.yaml`, then `fr.yaml`), the theme's files
//! of the same names, the theme's `en.yaml`, and last the default theme's
//! English, built in: a site or a theme writes only the words it changes,
//! and a theme of its own still has every word gazette itself says (titles
//! of lists, dates). Dates name their months and days in the language's
//! own words (chrono's locales), in formats the files give (`date_long`).
//!
//! A file maps a key to its text, or to `one:` and `other:` for a text that
//! counts; `{name}` in a text is filled in by the template or by gazette.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;

mod check;
mod locale;

use locale::locale_of;

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::source::yaml::Yaml;
use crate::source::{Located, SourceFile};

/// The words search.js says (see [`Words::for_search`]).
const SEARCH_WORDS: &[&str] = &[
    "search",
    "search_placeholder",
    "search_results",
    "search_no_matches",
    "search_none",
    "search_count",
    "search_count_capped",
    "search_unavailable",
    "search_link",
    "explainer",
];

/// Where the files of words are, in the site and in each theme.
pub const DIR: &str = "i18n";

/// The default theme's English: every word gazette and the default theme say.
const BUILT_IN: &str = include_str!("../../../themes/default/i18n/en.yaml");

/// A word as a file writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Word {
    Text(String),
    Counted { one: String, other: String },
}

/// The words of one language, every file merged.
#[derive(Debug)]
pub struct Words {
    language: String,
    words: HashMap<String, Word>,
    /// Month and day names of `language`; `None`: English.
    locale: Option<chrono::Locale>,
    /// The date formats by name: `long` for `date_long`.
    formats: Vec<(String, String)>,
    /// The 1st of a month in place of `%-d` (`1er`); empty: as any day.
    day_one: String,
    /// Whether `count` 0 takes the singular (French: "0 lien").
    zero_is_one: bool,
}

impl Words {
    /// The built-in English alone.
    pub fn english() -> Arc<Words> {
        static ENGLISH: std::sync::OnceLock<Arc<Words>> = std::sync::OnceLock::new();
        ENGLISH
            .get_or_init(|| {
                let mut words = Words::empty("en");
                words.merge(&built_in());
                Arc::new(words)
            })
            .clone()
    }

    fn empty(language: &str) -> Words {
        let primary = primary(language);
        Words {
            language: language.to_owned(),
            words: HashMap::new(),
            locale: locale_of(language),
            formats: Vec::new(),
            day_one: String::new(),
            zero_is_one: primary == "fr",
        }
    }

    fn merge(&mut self, words: &HashMap<String, Word>) {
        for (key, word) in words {
            self.words.insert(key.clone(), word.clone());
        }
        self.formats = (self.words.iter())
            .filter_map(|(key, word)| match (key.strip_prefix("date_"), word) {
                (Some(name), Word::Text(format)) => Some((name.to_owned(), format.clone())),
                _ => None,
            })
            .collect();
        self.day_one = match self.words.get("day_one") {
            Some(Word::Text(text)) => text.replace('%', ""),
            _ => String::new(),
        };
    }

    /// Each word that neither counts nor names anything, for `site.words`,
    /// which templates read where `trans` would cost a call (about a
    /// microsecond: a fifth more CPU time for the pages of 10,000 entries
    /// when every word was one); `{{ site.words.key }}` alone is written
    /// into the template as it loads (`render::templates::fold`).
    pub fn plain(&self) -> impl Iterator<Item = (&str, &str)> {
        (self.words.iter()).filter_map(|(key, word)| Some((key.as_str(), plain(word)?)))
    }

    /// The plain word `key` (one of [`Words::plain`]).
    pub fn plain_word(&self, key: &str) -> Option<&str> {
        self.words.get(key).and_then(plain)
    }

    #[cfg(test)]
    pub fn has(&self, key: &str) -> bool {
        self.words.contains_key(key)
    }

    /// The word `key`, `{name}`s filled in by `arg`, counted by `count`.
    ///
    /// Errors say what is missing: the key, or a name the text asks for.
    pub fn say(
        &self,
        key: &str,
        count: Option<i64>,
        arg: &dyn Fn(&str) -> Option<String>,
    ) -> Result<String, String> {
        let text = match (self.words.get(key), count) {
            (None, _) => return Err(self.missing(key)),
            (Some(Word::Text(text)), _) => text,
            (Some(Word::Counted { one, other }), Some(n)) => {
                let singular = n == 1 || (n == 0 && self.zero_is_one);
                if singular { one } else { other }
            }
            (Some(Word::Counted { .. }), None) => {
                return Err(format!(
                    "the word `{key}` counts (`one:` and `other:`): give it `count=`"
                ));
            }
        };
        fill(key, text, count, arg)
    }

    /// [`Words::say`] for gazette's own words, which the built-in English
    /// always has: a site's file cannot take one away.
    pub fn text(&self, key: &str, args: &[(&str, &str)]) -> String {
        let arg = |name: &str| {
            (args.iter())
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        };
        self.say(key, None, &arg).unwrap_or_else(|_| key.to_owned())
    }

    fn missing(&self, key: &str) -> String {
        let file = format!("{DIR}/{}.yaml", self.language);
        format!(
            "no word `{key}` in the theme's or the site's `{file}`, nor in English: add `{key}: …` to `{file}`"
        )
    }

    /// The strftime format a date format's name stands for: `long` is the
    /// word `date_long`. A format with a `%` is one already.
    pub fn date_format<'a>(&'a self, format: &'a str) -> Result<&'a str, String> {
        if format.contains('%') {
            return Ok(format);
        }
        // Without making the key: the filter asks on every date of a page.
        match (self.formats.iter()).find(|(name, _)| name == format) {
            Some((_, text)) => Ok(text),
            None => Err(format!(
                "no date format `{format}`: name one of the words `date_…` of `{DIR}/{}.yaml` (`long`, `full`), or write a strftime format such as `%Y-%m-%d`",
                self.language
            )),
        }
    }

    /// `format` for a date on the 1st of a month when `first`: `%-d` is
    /// the word `day_one` when the language writes it apart ("1er").
    pub fn on_day<'a>(&self, format: &'a str, first: bool) -> std::borrow::Cow<'a, str> {
        if first && !self.day_one.is_empty() && format.contains("%-d") {
            format.replace("%-d", &self.day_one).into()
        } else {
            format.into()
        }
    }

    /// `date` in the named format, its names in the site's language.
    pub fn date(&self, date: chrono::NaiveDate, format: &str) -> String {
        use chrono::Datelike as _;
        let format = self.date_format(format).unwrap_or("%Y-%m-%d");
        let format = self.on_day(format, date.day() == 1);
        let format = format.as_ref();
        use std::fmt::Write as _;
        let items = chrono::format::StrftimeItems::new(format);
        let mut out = String::new();
        // A format chrono cannot write fails here rather than panicking in
        // `to_string`; the words' own are checked as they are read.
        let written = match self.locale {
            Some(locale) => write!(out, "{}", date.format_localized_with_items(items, locale)),
            None => write!(out, "{}", date.format_with_items(items)),
        };
        match written {
            Ok(()) => out,
            Err(_) => date.format("%Y-%m-%d").to_string(),
        }
    }

    /// The words search.js says, as JSON for `data-words`, `{count}` left
    /// in; empty when they are the built-in English, which it knows.
    pub fn for_search(&self) -> String {
        let english = Words::english();
        let mut said = serde_json::Map::new();
        let mut differs = false;
        for key in SEARCH_WORDS {
            let forms: &[(&str, Option<i64>)] = match self.words.get(*key) {
                Some(Word::Counted { .. }) => &[("_one", Some(1)), ("_other", Some(2))],
                _ => &[("", None)],
            };
            for (suffix, count) in forms {
                let text = self.raw(key, *count);
                differs |= text != english.raw(key, *count);
                said.insert(format!("{key}{suffix}"), text.into());
            }
        }
        if differs {
            serde_json::Value::Object(said).to_string()
        } else {
            String::new()
        }
    }

    /// The text of `key` as written, `{name}`s left in: the form `count`
    /// picks of a word that counts (`one` for 1).
    fn raw(&self, key: &str, count: Option<i64>) -> String {
        match self.words.get(key) {
            Some(Word::Text(text)) => text.clone(),
            Some(Word::Counted { one, other }) => match count {
                Some(1) => one.clone(),
                _ => other.clone(),
            },
            None => String::new(),
        }
    }

    /// The locale of the month and day names; `None`: English.
    pub fn locale(&self) -> Option<chrono::Locale> {
        self.locale
    }
}

/// `text` with its `{name}`s filled in: `count` fills `{count}`.
fn fill(
    key: &str,
    text: &str,
    count: Option<i64>,
    arg: &dyn Fn(&str) -> Option<String>,
) -> Result<String, String> {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return Ok(out);
        };
        let name = &after[..close];
        let value = match (name, count) {
            ("count", Some(n)) => Some(n.to_string()),
            _ => arg(name),
        };
        match value {
            Some(value) => out.push_str(&value),
            None if is_name(name) => {
                return Err(format!(
                    "the word `{key}` (\"{text}\") needs `{name}`: give it `{name}=`"
                ));
            }
            None => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn is_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The text of a word that neither counts nor names anything.
fn plain(word: &Word) -> Option<&str> {
    match word {
        Word::Text(text) if !text.contains('{') => Some(text),
        _ => None,
    }
}

/// The built-in English. It is ours, and a test reads it: should it not
/// parse, that is a bug of gazette, and it gives no words.
fn built_in() -> HashMap<String, Word> {
    let file = SourceFile::new("themes/default/i18n/en.yaml", BUILT_IN.to_owned());
    Yaml::whole(&file)
        .parse::<HashMap<String, Word>>()
        .map(|parsed| parsed.value)
        .unwrap_or_default()
}

/// `fr` of `fr-CA`, lowercased.
fn primary(language: &str) -> String {
    (language.split(['-', '_']).next())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// The words of `language` for the site at `root` with theme `theme`, and
/// a diagnostic for each file that cannot be read and each word that is
/// wrong (at its line), and a warning at `language` when no file has its
/// words.
pub fn load(
    root: &std::path::Path,
    fs: &crate::fs::SiteFs,
    theme: &str,
    language: Option<&Located<String>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Arc<Words> {
    let tag = language.map_or("en", |l| l.value.as_str());
    let primary = primary(tag);
    let mut names = vec![primary.clone()];
    if !tag.eq_ignore_ascii_case(&primary) {
        names.push(tag.to_owned());
    }
    let theme_dir = format!("themes/{theme}/{DIR}");
    let mut candidates = vec![format!("{theme_dir}/en")];
    candidates.extend(names.iter().map(|name| format!("{theme_dir}/{name}")));
    candidates.extend(names.iter().map(|name| format!("{DIR}/{name}")));
    candidates.dedup();

    // What each word says in English, which the others are checked against:
    // gazette's own, and the theme's English.
    let mut english = built_in();
    let mut words = Words::empty(tag);
    words.merge(&english);
    let mut found_language = primary == "en";
    for stem in candidates {
        // `.yml` is read too, as YAML files are often named.
        let Some(rel) = ["yaml", "yml"]
            .iter()
            .map(|ext| format!("{stem}.{ext}"))
            .find(|rel| root.join(rel).is_file())
        else {
            continue;
        };
        let text = fs
            .read(&root.join(&rel))
            .map_err(|refused| refused.diagnostic(std::path::Path::new(&rel)))
            .and_then(|bytes| crate::fs::decode_text(std::path::Path::new(&rel), bytes));
        let text = match text {
            Ok(text) => text,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        let file = SourceFile::new(&rel, text);
        let parsed = match Yaml::whole(&file)
            .parse::<std::collections::BTreeMap<String, serde_json::Value>>()
        {
            Ok(parsed) => parsed,
            Err(d) => {
                diagnostics.push(d.help(
                    "write each word as `key: text`, or `key: {one: …, other: …}` for a text that counts",
                ));
                continue;
            }
        };
        let theme_english = stem == format!("{theme_dir}/en");
        let mut read = HashMap::new();
        for (key, value) in &parsed.value {
            let at = parsed.spans.located(&[key.as_str()], ());
            match check::word(key, value, english.get(key)) {
                Ok(word) => {
                    read.insert(key.clone(), word);
                }
                Err(why) => diagnostics.push(at.error(why).help(format!(
                    "what each word is for, and its names, is in `themes/default/{DIR}/en.yaml`"
                ))),
            }
            if !theme_english
                && !english.contains_key(key)
                && let Some(hint) = did_you_mean(key, english.keys().map(String::as_str))
            {
                diagnostics.push(
                    at.key
                        .warning(format!("no template of gazette or the theme says `{key}`"))
                        .label(hint),
                );
            }
        }
        if theme_english {
            english.extend(read.iter().map(|(k, w)| (k.clone(), w.clone())));
        } else {
            found_language = true;
        }
        if primary == "en" {
            found_language = true;
        }
        words.merge(&read);
    }
    if !found_language && let Some(language) = language {
        diagnostics.push(
            language
                .warning(format!(
                    "no words for `{tag}`: the pages say their words (\"Read at\", \"Archive\") in English, and write dates in English order"
                ))
                .help(format!(
                    "translate `themes/default/{DIR}/en.yaml` into `{DIR}/{primary}.yaml` at the site's root, its date formats too; a word left out stays English"
                )),
        );
    }
    if let Some(language) = language
        && language.value.contains('_')
    {
        diagnostics.push(
            language
                .warning(format!(
                    "`{}` is no BCP 47 tag, which browsers and feed readers read",
                    language.value
                ))
                .help(format!(
                    "write `{}`: a hyphen, not an underscore",
                    language.value.replace('_', "-")
                )),
        );
    }
    Arc::new(words)
}

#[cfg(test)]
pub(crate) mod tests;
