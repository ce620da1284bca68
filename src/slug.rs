//! Slugs: the URL-safe names of entries, stories, tags and pages.

/// The longest slug, in bytes: a slug is a folder's name, and file systems
/// refuse names over 255 bytes (a 10,000-character tag made the build fail
/// as if the disk had).
pub const MAX_LEN: usize = 100;

/// Lowercase ASCII letters and digits joined by single `-`; other scripts are
/// transliterated first ("Café Über" -> "cafe-uber"). Empty when nothing is left.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slugify;

    // File names and tags become lowercase ASCII with single dashes.
    #[test]
    fn slugs_are_lowercase_ascii() {
        assert_eq!(slugify("spacex-colossus"), "spacex-colossus");
        assert_eq!(slugify("SpaceX  Colossus!"), "spacex-colossus");
        assert_eq!(slugify("Café Über_2026"), "cafe-uber-2026");
        assert_eq!(slugify("--"), "");
    }
}
