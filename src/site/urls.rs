//! Every path of the site, in one place: the URL scheme of SPEC section 2.
//!
//! A path here is relative to the site root, without a leading `/`, and a
//! page's path ends in `/` (it is served from `index.html` there). The
//! config turns a path into a URL (`Config::url`, with the base path) or a
//! permalink (`Config::permalink`, absolute). Changing a URL of the site,
//! or adding a kind of page, starts here.

use std::path::{Component, Path, PathBuf};

use chrono::{Datelike as _, NaiveDate};

use crate::slug::slugify;

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

/// The page a content file makes (`content/2026-11-25/x.md` ->
/// `2026/11/25/x/`, `content/pages/about.md` -> `about/`, an `_issue.md`
/// -> its issue), if it makes one.
pub fn of_source(file: &Path) -> Option<String> {
    let parts: Vec<&str> = file
        .components()
        .map(|c| c.as_os_str().to_str().unwrap_or_default())
        .collect();
    let [folder, name] = parts.as_slice().strip_prefix(&["content"])? else {
        return None;
    };
    let stem = name.strip_suffix(".md")?;
    if *folder == "pages" {
        return Some(page(&slugify(stem)));
    }
    let date = NaiveDate::parse_from_str(folder, "%Y-%m-%d").ok()?;
    let issue = issue(date);
    Some(if stem == "_issue" {
        issue
    } else {
        item(&issue, &slugify(stem))
    })
}

/// A relative link to a file (`../2026-11-24/x.md#takeaway`,
/// `gripper.png`): the file it names from the file `from` (both relative to
/// the site root, `%xx` decoded), and what follows the path as written
/// (`?query#fragment`, possibly empty). `None` for a link with a scheme,
/// a root-relative one, a fragment alone, or an empty path.
pub fn relative_file<'a>(from: &Path, dest: &'a str) -> Option<(PathBuf, &'a str)> {
    if dest.starts_with(['/', '#', '?']) || has_scheme(dest) {
        return None;
    }
    let end = dest.find(['?', '#']).unwrap_or(dest.len());
    let (path, rest) = dest.split_at(end);
    if path.is_empty() {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let joined = from.parent().unwrap_or(Path::new("")).join(&*decoded);
    let mut target = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                target.pop();
            }
            Component::Normal(part) => target.push(part),
            _ => {}
        }
    }
    Some((target, rest))
}

/// `mailto:`, `https:`: a scheme before any `/`, `?` or `#`.
fn has_scheme(dest: &str) -> bool {
    dest.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// A relative link to a Markdown file (`../2026-11-24/x.md#takeaway`):
/// the file and its fragment. `None` for any other link.
pub fn markdown_link(from: &Path, dest: &str) -> Option<(PathBuf, Option<String>)> {
    let (target, rest) = relative_file(from, dest)?;
    if target.extension().is_none_or(|ext| ext != "md") {
        return None;
    }
    let fragment = rest.split_once('#').map(|(_, f)| f.to_owned());
    Some((target, fragment))
}

/// Where a file beside the content is published: a file of an issue's
/// folder (`content/2026-11-06/gripper.png`, `content/2026-11-06/img/a.png`)
/// beside the issue's page (`2026/11/06/gripper.png`). `None` for a file
/// anywhere else, and for Markdown (which makes pages, not files).
pub fn asset(file: &Path) -> Option<String> {
    let mut parts = file.components().map(|c| c.as_os_str().to_str());
    if parts.next()? != Some("content") {
        return None;
    }
    let date = NaiveDate::parse_from_str(parts.next()??, "%Y-%m-%d").ok()?;
    let rest: Vec<&str> = parts.collect::<Option<_>>()?;
    if rest.is_empty() || file.extension().is_some_and(|ext| ext == "md") {
        return None;
    }
    Some(format!("{}{}", issue(date), rest.join("/")))
}

/// Where a link written in the content file `from` leads, as a URL of the
/// site under `base_path`: a root-relative link (`/archive/`) is relative
/// to the site's root, a relative link to a Markdown file goes to that
/// file's page, and one to a file beside the content to where that file
/// is published, so the link works the same on every page that shows the
/// text. `None` keeps the link as written (other links, and links to no
/// page, which `check` reports).
pub fn resolve_link(base_path: &str, from: &Path, dest: &str) -> Option<String> {
    if let Some(rest) = dest.strip_prefix('/') {
        return (!rest.starts_with('/') && base_path != "/").then(|| format!("{base_path}{rest}"));
    }
    if let Some((target, fragment)) = markdown_link(from, dest) {
        let page = of_source(&target)?;
        return Some(match fragment {
            Some(fragment) => format!("{base_path}{page}#{fragment}"),
            None => format!("{base_path}{page}"),
        });
    }
    let (target, rest) = relative_file(from, dest)?;
    let published = asset(&target)?;
    // The path as written (still `%xx`-encoded) after the issue's folder.
    let written = &dest[..dest.len() - rest.len()];
    let tail = written.rsplit('/').next().unwrap_or(written);
    let folder = published.rsplit_once('/').map_or("", |(folder, _)| folder);
    Some(format!("{base_path}{folder}/{tail}{rest}"))
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

/// Page `number` (from 1) of a list whose first page is at `list_path`:
/// the list's own path for page 1, so that the URL of a list that grows
/// past one page does not change, and `<list_path>page/<number>/` after it
/// (`tags/ai/page/2/`).
pub fn list_page(list_path: &str, number: usize) -> String {
    if number <= 1 {
        list_path.to_owned()
    } else {
        format!("{list_path}page/{number}/")
    }
}

/// The Atom feed of a tag's or an outlet's page at `list_path`.
pub fn list_feed(list_path: &str) -> String {
    format!("{list_path}atom.xml")
}

/// `tags/ai/page/7/`: page 7 of a list.
pub fn is_later_page(path: &str) -> bool {
    let mut segments = path.trim_end_matches('/').rsplit('/');
    let number = segments.next().unwrap_or_default();
    !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit())
        && segments.next() == Some("page")
}

/// How to follow the site: the email sign-up form and every feed.
pub const SUBSCRIBE: &str = "subscribe/";

/// The page a web server shows for a missing URL.
pub const NOT_FOUND: &str = "404.html";

/// The search index's manifest; its shards and records follow.
pub const SEARCH: &str = "search.json";

/// A shard of the search index's words: `search/w/<name>.json`.
pub fn search_shard(name: &str) -> String {
    format!("search/w/{name}.json")
}

/// The search records of documents `16n` to `16n + 15`: `search/d/<n>.json`.
pub fn search_records(n: usize) -> String {
    format!("search/d/{n}.json")
}

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

/// The redirects of the site's aliases, in the format Netlify and
/// Cloudflare Pages read.
pub const REDIRECTS: &str = "_redirects";

/// The HTTP headers of the site's files, in the format Netlify and
/// Cloudflare Pages read.
pub const HEADERS: &str = "_headers";

/// The site path of a URL path the editor wrote (an alias, a retired URL):
/// `/2026/11/25/old-slug/` -> `2026/11/25/old-slug/`; a path whose last
/// segment has no `.` is a page, and gets its `/`. `Err` says what is wrong.
pub fn written_path(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    if raw.contains("://") || raw.starts_with("//") || has_scheme(raw) {
        return Err(
            "is the address of a page elsewhere: only a path of this site can be one".into(),
        );
    }
    let Some(rest) = raw.strip_prefix('/') else {
        return Err("must start with `/`: it is a path of this site".into());
    };
    // Byte by byte: every character these look for is ASCII, and a byte
    // beyond ASCII starts the character to name. The record of published
    // URLs is read through here, a line at a time, before every build.
    if let Some(i) = memchr::memchr2(b'?', b'#', rest.as_bytes()) {
        return Err(format!("holds `{}`: write the path alone", &rest[i..=i]));
    }
    if let Some(i) = rest.bytes().position(|b| {
        !b.is_ascii_graphic()
            || matches!(
                b,
                b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}' | b'%'
            )
    }) {
        let c = rest[i..].chars().next().unwrap_or_default();
        return Err(format!(
            "holds `{}`, which a path written here cannot hold",
            c.escape_debug()
        ));
    }
    let trimmed = rest.strip_suffix('/').unwrap_or(rest);
    if !trimmed.is_empty() && trimmed.split('/').any(|s| matches!(s, "" | "." | "..")) {
        return Err("has an empty, `.` or `..` segment".into());
    }
    let last = trimmed.rsplit('/').next().unwrap_or_default();
    Ok(if trimmed.is_empty() {
        String::new()
    } else if last.contains('.') && !rest.ends_with('/') {
        trimmed.to_owned()
    } else {
        let mut path = String::with_capacity(trimmed.len() + 1);
        path.push_str(trimmed);
        path.push('/');
        path
    })
}

/// The content file that made the page at `path` when it was last made,
/// by the URL scheme: `2026/11/25/x/` -> `content/2026-11-25/x.md`, an
/// issue -> its folder, `about/` -> `content/pages/about.md`.
pub fn source_of(path: &str) -> Option<PathBuf> {
    let parts: Vec<&str> = path.strip_suffix('/')?.split('/').collect();
    let day = |y: &str, m: &str, d: &str| {
        NaiveDate::parse_from_str(&format!("{y}-{m}-{d}"), "%Y-%m-%d").ok()
    };
    let content = Path::new("content");
    match parts.as_slice() {
        [y, m, d] => Some(content.join(day(y, m, d)?.format("%Y-%m-%d").to_string())),
        [y, m, d, slug] => Some(
            content
                .join(day(y, m, d)?.format("%Y-%m-%d").to_string())
                .join(format!("{slug}.md")),
        ),
        [slug] if !RESERVED.contains(slug) && !slug.chars().all(|c| c.is_ascii_digit()) => {
            Some(content.join("pages").join(format!("{slug}.md")))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // What an editor writes as an alias or a retired URL becomes a site
    // path; anything that is not a path of this site says why.
    #[test]
    fn written_paths() {
        assert_eq!(
            written_path("/2026/11/25/old/").as_deref(),
            Ok("2026/11/25/old/")
        );
        assert_eq!(
            written_path(" /2026/11/25/old ").as_deref(),
            Ok("2026/11/25/old/")
        );
        assert_eq!(written_path("/old.html").as_deref(), Ok("old.html"));
        assert_eq!(written_path("/").as_deref(), Ok(""));
        for bad in [
            "https://other.example/x/",
            "//other.example/x/",
            "mailto:x@y.z",
            "2026/11/25/old/",
            "/a/../b/",
            "/a//b/",
            "/a b/",
            "/a?b=1",
            "/a#top",
            "/caf\u{e9}/",
        ] {
            assert!(written_path(bad).is_err(), "{bad} was accepted");
        }
        // The character at fault is named, whole; `?` and `#` first.
        assert_eq!(
            written_path("/caf\u{e9}/?q"),
            Err("holds `?`: write the path alone".to_owned())
        );
        assert_eq!(
            written_path("/caf\u{e9}/x"),
            Err("holds `\u{e9}`, which a path written here cannot hold".to_owned())
        );
        assert_eq!(
            written_path("/a\tb/"),
            Err("holds `\\t`, which a path written here cannot hold".to_owned())
        );
    }

    // The file that used to make a page, when the URL scheme tells it.
    #[test]
    fn sources_of_paths() {
        let of = |p: &str| source_of(p).map(|f| f.to_string_lossy().replace('\\', "/"));
        assert_eq!(
            of("2026/11/25/x/").as_deref(),
            Some("content/2026-11-25/x.md")
        );
        assert_eq!(of("2026/11/25/").as_deref(), Some("content/2026-11-25"));
        assert_eq!(of("about/").as_deref(), Some("content/pages/about.md"));
        assert_eq!(of("tags/ai/"), None);
        assert_eq!(of("2026/13/40/"), None);
        assert_eq!(of("feed.xml"), None);
    }

    // The URL scheme of SPEC section 2.
    #[test]
    fn paths_follow_the_spec() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 5).expect("a date");
        assert_eq!(issue(date), "2026/11/05/");
        assert_eq!(item(&issue(date), "tnw"), "2026/11/05/tnw/");
        assert_eq!(email(&issue(date), "txt"), "2026/11/05/email.txt");
        assert_eq!(month(2026, 1), "2026/01/");
        assert_eq!(list_feed(&tag("ai")), "tags/ai/atom.xml");
        assert_eq!(list_page(&tag("ai"), 1), "tags/ai/");
        assert_eq!(list_page(&tag("ai"), 2), "tags/ai/page/2/");
        assert_eq!(list_page(ARCHIVE, 10), "archive/page/10/");
        assert_eq!(file(""), "index.html");
        assert_eq!(file(&outlet("tnw")), "outlets/tnw/index.html");
        assert_eq!(file(NOT_FOUND), "404.html");
    }

    // Links written in a content file lead where that file's text is shown:
    // root-relative under the base path, `.md` to its page, a file beside
    // the content to where it is published; others stay as written.
    #[test]
    fn links_resolve_from_the_file_that_holds_them() {
        let from = Path::new("content/2026-11-06/tc-gripper.md");
        let lead = |dest| resolve_link("/rw/", from, dest);
        assert_eq!(lead("/archive/").as_deref(), Some("/rw/archive/"));
        assert_eq!(
            lead("gripper.png").as_deref(),
            Some("/rw/2026/11/06/gripper.png")
        );
        assert_eq!(
            lead("img/a%20b.png?v=2#x").as_deref(),
            Some("/rw/2026/11/06/img/a%20b.png?v=2#x")
        );
        assert_eq!(
            lead("../2026-11-05/x.pdf").as_deref(),
            Some("/rw/2026/11/05/x.pdf")
        );
        assert_eq!(
            lead("../2026-11-05/x.md#y").as_deref(),
            Some("/rw/2026/11/05/x/#y")
        );
        assert_eq!(lead("../pages/about.md").as_deref(), Some("/rw/about/"));
        for kept in [
            "#top",
            "https://e.com/x.png",
            "mailto:a@b.c",
            "//cdn.e.com/x.png",
            "../../x.png",
        ] {
            assert_eq!(lead(kept), None, "{kept}");
        }
        assert_eq!(
            resolve_link("/", from, "/archive/"),
            None,
            "the same at the root"
        );
        assert_eq!(
            asset(Path::new("content/2026-11-06/img/a.png")).as_deref(),
            Some("2026/11/06/img/a.png")
        );
        assert_eq!(asset(Path::new("content/pages/a.png")), None);
        assert_eq!(asset(Path::new("content/2026-11-06/a.md")), None);
    }
}
