//! A word as a file writes it, checked against the English it translates:
//! the same shape (a text, or `one:` and `other:`), no `{name}` English
//! does not give, braces that open names, and date formats that are ones.
//! What is wrong is said at the word's line, so that a typo in a site's
//! `i18n/fr.yaml` is not a page saying `page_title`, or an error blamed on
//! the theme's template that said the word.

use super::Word;

/// The word `value` of `key`, or why it is none; `english` is the word
/// English has for `key`, if any.
pub(super) fn word(
    key: &str,
    value: &serde_json::Value,
    english: Option<&Word>,
) -> Result<Word, String> {
    use serde_json::Value;
    let word = match value {
        Value::String(text) => Word::Text(text.clone()),
        Value::Object(forms) => {
            let form = |name: &str| match forms.get(name) {
                Some(Value::String(text)) => Ok(text.clone()),
                Some(_) => Err(format!("`{key}`'s `{name}:` is no text")),
                None => Err(format!("`{key}` counts, and has no `{name}:`")),
            };
            if let Some(other) = forms.keys().find(|k| *k != "one" && *k != "other") {
                return Err(format!(
                    "`{key}` has `{other}:`; a word that counts has `one:` and `other:`"
                ));
            }
            Word::Counted {
                one: form("one")?,
                other: form("other")?,
            }
        }
        Value::Number(n) => Word::Text(n.to_string()),
        _ => return Err(format!("`{key}` is no text")),
    };
    match (english, &word) {
        (Some(Word::Counted { .. }), Word::Text(_)) => {
            return Err(format!(
                "`{key}` counts: write it as `{{one: \"…\", other: \"…\"}}`"
            ));
        }
        (Some(Word::Text(_)), Word::Counted { .. }) => {
            return Err(format!("`{key}` does not count: write it as one text"));
        }
        _ => {}
    }
    let allowed = english.map(names);
    for text in texts(&word) {
        for name in braces(key, text)? {
            if let Some(allowed) = &allowed
                && !allowed.contains(&name)
            {
                let list = (allowed.iter())
                    .map(|a| format!("`{{{a}}}`"))
                    .collect::<Vec<_>>();
                let has = match list.as_slice() {
                    [] => "none".to_owned(),
                    _ => list.join(", "),
                };
                return Err(format!(
                    "`{{{name}}}` is no name of `{key}`, whose names are {has}"
                ));
            }
        }
    }
    if key.starts_with("date_")
        && let Word::Text(format) = &word
        && chrono::format::StrftimeItems::new(format).parse().is_err()
    {
        return Err(format!(
            "`{key}` is no date format: `{format}` (strftime: `%-d %B %Y` is \"25 November 2026\")"
        ));
    }
    Ok(word)
}

fn texts(word: &Word) -> Vec<&str> {
    match word {
        Word::Text(text) => vec![text],
        Word::Counted { one, other } => vec![one, other],
    }
}

/// The `{name}`s of a word, `{count}` with them when it counts.
pub(super) fn names(word: &Word) -> Vec<String> {
    let mut names: Vec<String> = texts(word)
        .into_iter()
        .flat_map(|text| braces("", text).unwrap_or_default())
        .collect();
    if matches!(word, Word::Counted { .. }) {
        names.push("count".to_owned());
    }
    names.sort();
    names.dedup();
    names
}

/// The names of `text`'s `{name}`s; an error at a `{` that opens none.
fn braces(key: &str, text: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        let after = &rest[open + 1..];
        let name = (rest[open..].starts_with('{'))
            .then(|| after.find('}').map(|close| &after[..close]))
            .flatten()
            .filter(|name| super::is_name(name));
        let Some(name) = name else {
            return Err(format!(
                "`{key}` has a brace that is no `{{name}}`: \"{text}\" (names are written `{{outlet}}`, with nothing else in the braces)"
            ));
        };
        names.push(name.to_owned());
        rest = &after[name.len() + 1..];
    }
    Ok(names)
}
