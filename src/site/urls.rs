//! Every path of the site, in one place: the URL scheme of SPEC section 2.
//!
//! A path here is relative to the site root, without a leading `/`, and a
//! page's path ends in `/` (it is served from `index.html` there). The
//! config turns a path into a URL (`Config::url`, with the base path) or a
//! permalink (`Config::permalink`, absolute). Changing a URL of the site,
//! or adding a kind of page, starts here.

use chrono::{Datelike as _, NaiveDate};

/// An issue's page: `2026/11/25/`.
pub fn issue(date: NaiveDate) -> String {
    format!("{:04}/{:02}/{:02}/", date.year(), date.month(), date.day())
}

/// An entry's or story's page, under its issue's: `2026/11/25/<slug>/`.
pub fn item(issue_path: &str, slug: &str) -> String {
    format!("{issue_path}{slug}/")
}

/// A standalone page: `<slug>/`.
pub fn page(slug: &str) -> String {
    format!("{slug}/")
}

/// The email edition of the issue at `issue_path`: `2026/11/25/email.html`
/// (`ext` `html`) and its plain-text twin (`txt`).
pub fn email(issue_path: &str, ext: &str) -> String {
    format!("{issue_path}email.{ext}")
}

/// Every issue, by month and year.
pub const ARCHIVE: &str = "archive/";

/// A year's issues: `2026/`.
pub fn year(year: i32) -> String {
    format!("{year:04}/")
}

/// A month's issues: `2026/11/`.
pub fn month(year: i32, month: u32) -> String {
    format!("{year:04}/{month:02}/")
}

/// Every outlet.
pub const OUTLETS: &str = "outlets/";

/// An outlet's entries: `outlets/<key>/`.
pub fn outlet(key: &str) -> String {
    format!("{OUTLETS}{key}/")
}

/// Every tag.
pub const TAGS: &str = "tags/";

/// A tag's stories and entries: `tags/<slug>/`.
pub fn tag(slug: &str) -> String {
    format!("{TAGS}{slug}/")
}

/// The Atom feed of a tag's or an outlet's page at `list_path`.
pub fn list_feed(list_path: &str) -> String {
    format!("{list_path}atom.xml")
}

/// The page a web server shows for a missing URL.
pub const NOT_FOUND: &str = "404.html";

/// The search index.
pub const SEARCH: &str = "search.json";

/// The file that serves a page's path: `2026/11/25/` -> `2026/11/25/index.html`.
pub fn file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    }
}

/// Top-level page slugs gazette takes for itself.
pub const RESERVED: &[&str] = &["archive", "outlets", "tags"];

#[cfg(test)]
mod tests {
    use super::*;

    // The URL scheme of SPEC section 2.
    #[test]
    fn paths_follow_the_spec() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 5).expect("a date");
        assert_eq!(issue(date), "2026/11/05/");
        assert_eq!(item(&issue(date), "tnw"), "2026/11/05/tnw/");
        assert_eq!(email(&issue(date), "txt"), "2026/11/05/email.txt");
        assert_eq!(month(2026, 1), "2026/01/");
        assert_eq!(list_feed(&tag("ai")), "tags/ai/atom.xml");
        assert_eq!(file(""), "index.html");
        assert_eq!(file(&outlet("tnw")), "outlets/tnw/index.html");
        assert_eq!(file(NOT_FOUND), "404.html");
    }
}
