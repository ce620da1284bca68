//! The words of a text, as the index stores them and as the theme's
//! `search.js` finds them: the two must fold a word the same way, or a
//! reader's "zurich" would miss the index's "Zürich".
//!
//! Folding, in this order (search.js does the same, with the browser's own
//! Unicode tables): compatibility decomposition (NFKD: `ﬁ` is `fi`, `①` is
//! `1`, full-width letters are ASCII), marks dropped (`ü` is `u`, `é` is
//! `e`), lower case, final sigma as any sigma. A word is then a run of
//! letters and digits (Unicode Alphabetic or Numeric), at most
//! [`MAX_CHARS`] characters; a Han, Hiragana or Katakana character is a word
//! by itself, since those scripts do not separate words with spaces.

use icu_normalizer::DecomposingNormalizerBorrowed;
use icu_properties::CodePointMapData;
use icu_properties::props::{GeneralCategory, GeneralCategoryGroup, Script};

/// Characters of a word that count; a longer word is cut, here and in
/// search.js alike, so that it is still found.
pub const MAX_CHARS: usize = 48;

/// Calls `each` with every word of `text`, folded, in order (repeats
/// included).
pub fn each(text: &str, mut each: impl FnMut(&str)) {
    let mut word = String::new();
    // An ASCII character other than a letter or digit ends a word whatever
    // surrounds it (NFKD and marks never reach across it), so the text is
    // cut there first, byte by byte, and only the pieces with characters
    // beyond ASCII need folding.
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut class = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let c = CLASS[b as usize];
        if c == SEPARATOR {
            if i > start {
                run(&text[start..i], class, &mut word, &mut each);
            }
            start = i + 1;
            class = 0;
        } else {
            class |= c;
        }
    }
    if bytes.len() > start {
        run(&text[start..], class, &mut word, &mut each);
    }
}

/// What a byte is, for [`each`]: a separator, or a bit of what the run of
/// bytes between two separators holds.
const SEPARATOR: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const BEYOND_ASCII: u8 = 4;
const CLASS: [u8; 256] = {
    let mut class = [SEPARATOR; 256];
    let mut b = 0;
    while b < 256 {
        class[b] = match b as u8 {
            b'a'..=b'z' | b'0'..=b'9' => LOWER,
            b'A'..=b'Z' => UPPER,
            0x80.. => BEYOND_ASCII,
            _ => SEPARATOR,
        };
        b += 1;
    }
    class
};

/// The words of a piece of text without ASCII punctuation or spaces, whose
/// bytes hold `class`.
#[inline]
fn run(run: &str, class: u8, word: &mut String, each: &mut impl FnMut(&str)) {
    if class & BEYOND_ASCII != 0 {
        unicode(run, word, each);
    } else if class == LOWER && run.len() <= MAX_CHARS {
        each(run);
    } else {
        word.clear();
        word.push_str(&run[..run.len().min(MAX_CHARS)]);
        word.make_ascii_lowercase();
        each(word);
    }
}

/// The words of `run`, which holds characters beyond ASCII.
fn unicode(run: &str, word: &mut String, each: &mut impl FnMut(&str)) {
    let folded = fold(run);
    let script = CodePointMapData::<Script>::new();
    let mut chars = 0;
    word.clear();
    for c in folded.chars() {
        if !c.is_alphanumeric() {
            flush(word, &mut chars, each);
        } else if !c.is_ascii()
            && matches!(
                script.get(c),
                Script::Han | Script::Hiragana | Script::Katakana
            )
        {
            flush(word, &mut chars, each);
            word.push(c);
            flush(word, &mut chars, each);
        } else if chars < MAX_CHARS {
            word.push(c);
            chars += 1;
        }
    }
    flush(word, &mut chars, each);
}

fn flush(word: &mut String, chars: &mut usize, each: &mut impl FnMut(&str)) {
    if !word.is_empty() {
        each(word);
        word.clear();
    }
    *chars = 0;
}

/// The words of `text`, folded, in order.
pub fn of(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    each(text, |w| words.push(w.to_owned()));
    words
}

/// `text` decomposed (NFKD), without marks, in lower case, `ς` as `σ`.
fn fold(text: &str) -> String {
    let decomposed = DecomposingNormalizerBorrowed::new_nfkd().normalize(text);
    let category = CodePointMapData::<GeneralCategory>::new();
    let bare: String = decomposed
        .chars()
        .filter(|&c| !GeneralCategoryGroup::Mark.contains(category.get(c)))
        .collect();
    bare.to_lowercase().replace('ς', "σ")
}

#[cfg(test)]
mod tests {
    use super::*;

    // Diacritics and case do not matter: "zurich" finds "Zürich", and the
    // same word written with a combining mark folds the same.
    #[test]
    fn diacritics_and_case_fold_away() {
        assert_eq!(of("Zürich"), ["zurich"]);
        assert_eq!(of("Zu\u{308}rich"), ["zurich"]);
        assert_eq!(
            of("ZÜRICH, São Paulo & Kraków"),
            ["zurich", "sao", "paulo", "krakow"]
        );
        assert_eq!(of("Crème brûlée"), ["creme", "brulee"]);
        assert_eq!(of("Ελληνικός ΛΟΓΟΣ"), ["ελληνικοσ", "λογοσ"]);
    }

    // Compatibility forms fold to their plain letters: ligatures,
    // full-width letters, circled digits.
    #[test]
    fn compatibility_forms_are_plain_letters() {
        assert_eq!(of("ﬁnance"), ["finance"]);
        assert_eq!(of("ＡＩ model ①"), ["ai", "model", "1"]);
    }

    // Words are runs of letters and digits: punctuation, apostrophes and
    // symbols split them; an ideograph or kana is a word of its own.
    #[test]
    fn words_split_on_anything_but_letters_and_digits() {
        assert_eq!(
            of("GPT-5's launch: 2026/11 (beta)!"),
            ["gpt", "5", "s", "launch", "2026", "11", "beta"]
        );
        assert_eq!(of("don’t"), ["don", "t"]);
        assert_eq!(of("東京のAI"), ["東", "京", "の", "ai"]);
        assert_eq!(of("Москва́ 2026"), ["москва", "2026"]);
        assert!(of(" \n—…!").is_empty());
    }

    // A very long word is cut to MAX_CHARS characters, ASCII or not.
    #[test]
    fn long_words_are_cut() {
        let long = "a".repeat(100);
        assert_eq!(of(&long), ["a".repeat(MAX_CHARS)]);
        let long = "é".repeat(100);
        assert_eq!(of(&long), ["e".repeat(MAX_CHARS)]);
    }

    // The ASCII shortcut and the Unicode path agree.
    #[test]
    fn ascii_shortcut_agrees_with_the_full_fold() {
        let text = "Mixed CASE text, with 42 numbers_and under_scores.";
        let mut slow = of(&format!("{text} é"));
        assert_eq!(slow.pop().as_deref(), Some("e"));
        assert_eq!(of(text), slow);
    }
}
