//! chrono's locale of a BCP 47 tag: the month and day names of dates.

/// chrono's locale for a BCP 47 tag: its region if it has one (`fr-CA`),
/// else the language's main one (`fr` → `fr_FR`).
pub(super) fn locale_of(tag: &str) -> Option<chrono::Locale> {
    let mut parts = tag.split(['-', '_']);
    let language = parts.next()?.to_ascii_lowercase();
    if language == "en" || language.is_empty() {
        return None;
    }
    let region = parts
        .find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
        .map(str::to_ascii_uppercase);
    let main = match language.as_str() {
        "ar" => "EG",
        "cs" => "CZ",
        "da" => "DK",
        "el" => "GR",
        "fa" => "IR",
        "he" => "IL",
        "hi" => "IN",
        "ja" => "JP",
        "ko" => "KR",
        "nb" | "no" => "NO",
        "sv" => "SE",
        "uk" => "UA",
        "ur" => "PK",
        "vi" => "VN",
        "zh" => "CN",
        "ca" => "ES",
        "sl" => "SI",
        "et" => "EE",
        "ga" => "IE",
        other => return region_or(&language, region.as_deref(), &other.to_ascii_uppercase()),
    };
    region_or(&language, region.as_deref(), main)
}

fn region_or(language: &str, region: Option<&str>, main: &str) -> Option<chrono::Locale> {
    let language = if language == "no" { "nb" } else { language };
    (region.into_iter().chain([main]))
        .find_map(|region| chrono::Locale::try_from(format!("{language}_{region}").as_str()).ok())
}
