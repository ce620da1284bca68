//! The site's plain words written into the templates before Tera parses
//! them: `{{ site.words.archive }}` becomes `Archive`, escaped as Tera
//! would print it. The words are constants of a build (an edit of
//! `i18n/` or of `language:` loads the templates again), and a page of
//! the default theme reads some twenty of them: at 130 ns a read, a
//! tenth more CPU time for the pages of 10,000 entries, for words that
//! never change between pages.
//!
//! Only the plain form is folded, alone between `{{ ` and ` }}`; a word
//! read inside an expression, or one that no file has (an error Tera
//! then says at its line), is left to Tera. A word holding a line break
//! is left too, so that every line of a template keeps its number.

use std::borrow::Cow;

use crate::config::Words;

const OPEN: &str = "{{ site.words.";
const CLOSE: &str = " }}";

/// `source` with each `{{ site.words.KEY }}` of a plain word replaced by
/// its text, HTML-escaped when `escape` (the templates Tera autoescapes).
pub(super) fn fold<'a>(source: &'a str, words: &Words, escape: bool) -> Cow<'a, str> {
    if !source.contains(OPEN) {
        return Cow::Borrowed(source);
    }
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(at) = rest.find(OPEN) {
        let after = &rest[at + OPEN.len()..];
        let key_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let key = &after[..key_len];
        let text = (after[key_len..].starts_with(CLOSE))
            .then(|| words.plain_word(key))
            .flatten()
            .filter(|text| !text.contains(['\n', '\r']));
        match text {
            Some(text) => {
                out.push_str(&rest[..at]);
                if escape {
                    let mut escaped = Vec::with_capacity(text.len());
                    // Writing to a Vec cannot fail.
                    let _ = tera::escape_html(text, &mut escaped);
                    out.push_str(&String::from_utf8_lossy(&escaped));
                } else {
                    out.push_str(text);
                }
                rest = &after[key_len + CLOSE.len()..];
            }
            None => {
                out.push_str(&rest[..at + OPEN.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Whether Tera autoescapes the template `name` (as `Templates::load`
/// sets it).
pub(super) fn escapes(name: &str) -> bool {
    super::AUTOESCAPED.iter().any(|ext| name.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_are_written_in_and_the_rest_left_to_tera() {
        let words = Words::english();
        let source = "<a>{{ site.words.archive }}</a>{{ site.words.nope }}{{ label or site.words.tags }}{{site.words.tags}}{{ trans(key=\"read_at\", outlet=o) }}";
        assert_eq!(
            fold(source, &words, true),
            "<a>Archive</a>{{ site.words.nope }}{{ label or site.words.tags }}{{site.words.tags}}{{ trans(key=\"read_at\", outlet=o) }}"
        );
        assert_eq!(fold("{{ site.words.quote_open }}", &words, false), "“");
        assert!(matches!(fold("no words", &words, true), Cow::Borrowed(_)));
    }
}
