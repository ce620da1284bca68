//! The writing direction of the site's `language`, for `<html dir>`: a
//! page in Arabic laid out left to right puts its punctuation, lists and
//! margins on the wrong side.

/// Languages whose usual script is written right to left (CLDR's), by
/// primary subtag: Arabic, Hebrew, Persian, Urdu, Pashto, Sindhi, Kurdish
/// (Sorani), Uyghur, Dhivehi, Yiddish, Syriac, N'Ko and their neighbours.
const RTL_LANGUAGES: &[&str] = &[
    "ar", "arc", "azb", "bal", "bqi", "ckb", "dv", "fa", "glk", "he", "iw", "ji", "khw", "ks",
    "lrc", "mzn", "nqo", "pnb", "prs", "ps", "rhg", "sd", "sdh", "skr", "syr", "ug", "ur", "yi",
];

/// Scripts written right to left, by ISO 15924 code (a script subtag).
const RTL_SCRIPTS: &[&str] = &[
    "adlm", "arab", "aran", "hebr", "mand", "mend", "nkoo", "rohg", "samr", "syrc", "thaa", "yezi",
];

/// `"rtl"` or `"ltr"`: how text in `language`, a BCP 47 tag such as `ar`,
/// `he-IL` or `en`, is written. The primary subtag decides, unless the tag
/// names its script (`ku-Arab` is right to left, `ar-Latn` left to right).
/// Anything unknown is left to right.
pub fn of(language: &str) -> &'static str {
    let mut subtags = language.split(['-', '_']).map(str::to_ascii_lowercase);
    let primary = subtags.next().unwrap_or_default();
    let script = subtags
        .next()
        .filter(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_alphabetic()));
    let rtl = match script {
        Some(script) => RTL_SCRIPTS.contains(&script.as_str()),
        None => RTL_LANGUAGES.contains(&primary.as_str()),
    };
    if rtl { "rtl" } else { "ltr" }
}

#[cfg(test)]
mod tests {
    use super::of;

    // Right-to-left languages by their primary subtag, with or without a
    // region, in any case; everything else, and an empty tag, left to right.
    #[test]
    fn direction_follows_the_primary_subtag() {
        for rtl in [
            "ar", "he", "fa", "ur", "ar-EG", "he-IL", "fa_IR", "AR", "yi",
        ] {
            assert_eq!(of(rtl), "rtl", "{rtl}");
        }
        for ltr in ["en", "en-US", "fr", "ja", "arn", "hi", "tr", "", "x"] {
            assert_eq!(of(ltr), "ltr", "{ltr}");
        }
    }

    // A script subtag says how the text is written, whatever the language.
    #[test]
    fn a_script_subtag_decides() {
        assert_eq!(of("ku-Arab"), "rtl");
        assert_eq!(of("pa-Arab-PK"), "rtl");
        assert_eq!(of("ar-Latn"), "ltr");
        assert_eq!(of("az-Latn"), "ltr");
        // A region is not a script: he-IL stays Hebrew's.
        assert_eq!(of("he-IL"), "rtl");
    }
}
