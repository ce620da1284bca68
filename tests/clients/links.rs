//! An offline link checker over a built site: every `href` and `src` that
//! points into the site must name a file that exists, and every `#anchor`
//! an `id` (or `name`) on the target page. Links to other hosts are not
//! followed (there is no network), but links to the site's own base URL are.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// One link that leads nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The page holding the link, relative to the output folder.
    pub page: String,
    pub link: String,
    pub reason: String,
}

/// Checks every `.html` file under `dir`, a site built for `base_url`.
pub fn check(dir: &Path, base_url: &str) -> Vec<Broken> {
    let base = url::Url::parse(base_url).expect("an absolute base URL");
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect();
    let mut ids: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    let mut broken = Vec::new();
    for page in &pages {
        let html = std::fs::read_to_string(page).expect("a page");
        let rel = page
            .strip_prefix(dir)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        // The URL this page is served at, to resolve relative links against.
        let page_url = base
            .join(rel.strip_suffix("index.html").unwrap_or(&rel))
            .expect("a page URL");
        for link in attributes(&html, &["href", "src"]) {
            let Some(target) = resolve(&page_url, &base, &link) else {
                continue;
            };
            let file = match find_file(dir, &target.path) {
                Some(file) => file,
                None => {
                    broken.push(Broken {
                        page: rel.clone(),
                        link,
                        reason: format!("no file for `{}`", target.path),
                    });
                    continue;
                }
            };
            if let Some(fragment) = target.fragment.filter(|f| !f.is_empty()) {
                let known = ids.entry(file.clone()).or_insert_with(|| {
                    let text = std::fs::read_to_string(&file).unwrap_or_default();
                    attributes(&text, &["id", "name"]).into_iter().collect()
                });
                if !known.contains(&fragment) {
                    broken.push(Broken {
                        page: rel.clone(),
                        link,
                        reason: format!("no id `{fragment}` on `{}`", target.path),
                    });
                }
            }
        }
    }
    broken
}

/// A link into the site: its path below the base, and its fragment.
struct Target {
    path: String,
    fragment: Option<String>,
}

fn resolve(page: &url::Url, base: &url::Url, link: &str) -> Option<Target> {
    let url = page.join(link).ok()?;
    if url.scheme() != base.scheme()
        || url.host_str() != base.host_str()
        || url.port() != base.port()
    {
        return None; // another host, mailto:, data:...: not ours to follow offline
    }
    let path = url.path().strip_prefix(base.path())?;
    Some(Target {
        path: percent_decode(path),
        fragment: url.fragment().map(percent_decode),
    })
}

/// `%xx` decoded as the preview server does; a bad escape stays as written
/// (and then names no file, so the link is reported).
fn percent_decode(text: &str) -> String {
    gazette::serve::server::percent_decode(text).unwrap_or_else(|| text.to_owned())
}

/// The file a site path is served from: `a/` -> `a/index.html`, `a` -> `a` or `a/index.html`.
fn find_file(dir: &Path, path: &str) -> Option<PathBuf> {
    let direct = dir.join(path);
    if path.is_empty() || path.ends_with('/') {
        let index = direct.join("index.html");
        return index.is_file().then_some(index);
    }
    if direct.is_file() {
        return Some(direct);
    }
    let index = direct.join("index.html");
    index.is_file().then_some(index)
}

/// The values of the given attributes, entities decoded. Our pages quote
/// every attribute with `"`, which the Nu checker keeps honest.
fn attributes(html: &str, names: &[&str]) -> Vec<String> {
    let mut values = Vec::new();
    for name in names {
        let needle = format!(" {name}=\"");
        let mut rest = html;
        while let Some(at) = rest.find(&needle) {
            rest = &rest[at + needle.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            values.push(gazette::render::links::decode(&rest[..end]));
            rest = &rest[end..];
        }
    }
    values
}

/// The checker's own checks, run as trials by `main.rs`.
pub mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp");
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        dir
    }

    // Good links of every form pass: absolute, root-relative, relative,
    // folder, anchor, entity-encoded, other hosts.
    pub fn accepts_good_links() {
        let dir = site(&[
            (
                "index.html",
                r##"<a href="https://s.example/a47/a/">a</a> <a href="/a47/a/#x">x</a> <a href="a/?q=1&amp;r=2">q</a> <a href="#top">t</a> <a href="https://other.example/nope">o</a> <img src="img.png" alt=""> <p id="top"></p> <a href="mailto:x@y.z">m</a>"##,
            ),
            (
                "a/index.html",
                r#"<h2 id="x">X</h2><a href="../">up</a><a href="../a">no slash</a>"#,
            ),
            ("img.png", ""),
        ]);
        assert_eq!(check(dir.path(), "https://s.example/a47/"), vec![]);
    }

    // A missing page, a missing file and a missing anchor are each caught.
    pub fn catches_broken_links_and_anchors() {
        let dir = site(&[
            (
                "index.html",
                r##"<a href="https://s.example/missing/">m</a> <img src="/gone.png" alt=""> <a href="#nowhere">n</a> <a href="/b/#later">b</a>"##,
            ),
            ("b/index.html", r#"<h2 id="earlier">E</h2>"#),
        ]);
        let broken = check(dir.path(), "https://s.example/");
        let reasons: Vec<&str> = broken.iter().map(|b| b.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "no file for `missing/`",
                "no id `nowhere` on ``",
                "no id `later` on `b/`",
                "no file for `gone.png`"
            ]
        );
    }
}
