//! A crawl of a site that lives under a sub-path, the `robot-weekly`
//! fixture (`https://example.github.io/robot-weekly/`), as readers' tools
//! see it: from the home page, `robots.txt` and the email editions, every
//! URL of every page, feed, email edition and sitemap reached, resolved
//! against the page's own URL as a browser would (`url`). Built, each URL
//! of the site's origin must name a file of `public/`; served by `gazette
//! serve`, each must answer; in both, none may leave the sub-path, and both
//! crawls reach the same files. Links to other hosts are not followed.

mod http;
mod links;

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::path::Path;

use url::Url;

use crate::common::free_port;
use crate::serve::server::{get, start};
use crate::site_test::SiteTest;

/// The fixture's `base_url`.
const BASE: &str = "https://example.github.io/robot-weekly/";

/// What fetching a URL of the site gave: the URL it ended at (after a
/// redirect), the file that is (relative to the base, `archive/index.html`)
/// and its bytes; or why it leads nowhere.
type Fetched = Result<(Url, String, Vec<u8>), String>;

/// What a crawl found.
#[derive(Debug)]
struct Crawl {
    /// The files reached, relative to the base.
    reached: BTreeSet<String>,
    /// `file → link: why`, for every link that leads nowhere, out of the
    /// sub-path, or (in a feed or an email) is not absolute.
    failures: BTreeSet<String>,
}

impl Crawl {
    /// Every failure at once, not just the first.
    #[track_caller]
    fn assert_clean(&self, what: &str) {
        assert!(
            self.failures.is_empty(),
            "{what}: {} broken link(s) of {} files reached:\n{}",
            self.failures.len(),
            self.reached.len(),
            self.failures
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// Files a reader or a mail client reads away from the site, whose links
/// must therefore be absolute.
fn read_elsewhere(file: &str) -> bool {
    file.ends_with(".xml")
        || file.ends_with("feed.json")
        || file.ends_with("email.html")
        || file.ends_with("email.txt")
}

/// Crawls the site at `base` from `seeds` (relative to it), fetching each
/// URL of its origin once; `skip` names URLs of that origin that are not
/// the site's (the preview server's own routes).
fn crawl(
    base: &Url,
    seeds: &[String],
    skip: impl Fn(&Url) -> bool,
    mut fetch: impl FnMut(&Url) -> Fetched,
) -> Crawl {
    let mut crawl = Crawl {
        reached: BTreeSet::new(),
        failures: BTreeSet::new(),
    };
    // Each URL (without its fragment) is fetched once; its verdict is
    // given for every link to it.
    let mut verdicts: HashMap<Url, Option<String>> = HashMap::new();
    let mut queue: VecDeque<(String, String, Url)> = seeds
        .iter()
        .map(|seed| ("(start)".to_owned(), seed.clone(), base.join(seed).unwrap()))
        .collect();
    while let Some((from, link, mut url)) = queue.pop_front() {
        url.set_fragment(None);
        if url.origin() != base.origin() || skip(&url) {
            continue;
        }
        let verdict = match verdicts.get(&url) {
            Some(verdict) => verdict.clone(),
            None => {
                let verdict = if !url.path().starts_with(base.path()) {
                    Some(format!("`{url}` is outside `{}`", base.path()))
                } else {
                    match fetch(&url) {
                        Ok((at, file, bytes)) => {
                            for found in links::of_file(&file, &bytes) {
                                if read_elsewhere(&file)
                                    && !found.starts_with('#')
                                    && Url::parse(&found).is_err()
                                {
                                    crawl.failures.insert(format!(
                                        "{file} → {found}: relative, where a reader resolves it against its own address"
                                    ));
                                }
                                match at.join(&found) {
                                    Ok(target) => queue.push_back((file.clone(), found, target)),
                                    Err(e) => {
                                        crawl
                                            .failures
                                            .insert(format!("{file} → {found}: not a URL: {e}"));
                                    }
                                }
                            }
                            crawl.reached.insert(file);
                            None
                        }
                        Err(why) => Some(why),
                    }
                };
                verdicts.insert(url, verdict.clone());
                verdict
            }
        };
        if let Some(why) = verdict {
            crawl.failures.insert(format!("{from} → {link}: {why}"));
        }
    }
    crawl
}

/// The file of `public/` a URL under `base` names, as a static host serves
/// it: a folder's `index.html`, also when asked without its slash.
fn from_disk(public: &Path, base: &Url, url: &Url) -> Fetched {
    let rel = &url.path()[base.path().len()..];
    let rel = gazette::serve::server::percent_decode(rel)
        .ok_or_else(|| format!("`{url}` is not a valid path"))?;
    if rel.split('/').any(|part| part == ".." || part == ".") {
        return Err(format!("`{url}` climbs out of the site"));
    }
    let (file, at) = if rel.is_empty() || rel.ends_with('/') {
        (format!("{rel}index.html"), url.clone())
    } else if public.join(&rel).join("index.html").is_file() {
        // A folder asked for without its slash: hosts redirect to it.
        let mut at = url.clone();
        at.set_path(&format!("{}/", url.path()));
        (format!("{rel}/index.html"), at)
    } else {
        (rel.clone(), url.clone())
    };
    let bytes = std::fs::read(public.join(&file))
        .map_err(|_| format!("no file `{file}` in public/ for `{url}`"))?;
    Ok((at, file, bytes))
}

/// Where both crawls start: the home page, `robots.txt` (which names the
/// sitemap), the 404 page (served for any missing path, so its links must
/// work from anywhere) and each email edition, which are sent rather than
/// linked.
fn seeds(public: &Path) -> Vec<String> {
    let mut seeds = vec![
        "".to_owned(),
        "robots.txt".to_owned(),
        "404.html".to_owned(),
    ];
    let mut emails: Vec<String> = walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "email.html" || e.file_name() == "email.txt")
        .map(|e| {
            let rel = e.path().strip_prefix(public).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    emails.sort();
    seeds.extend(emails);
    seeds
}

/// The fixture built into `public/`, crawled from disk.
fn built() -> (SiteTest, Crawl) {
    let site = SiteTest::standalone("robot-weekly");
    site.build();
    let public = site.root().join("public");
    let base = Url::parse(BASE).unwrap();
    let crawl = crawl(
        &base,
        &seeds(&public),
        |_| false,
        |url| from_disk(&public, &base, url),
    );
    (site, crawl)
}

// Built for a base URL with a path, every URL of the site's origin in every
// page, feed, email edition and the sitemap starts with that path and names
// a file of `public/`: Markdown's root-relative links and images, links to
// an entry's file, the pages of a story followed up in later issues. The
// crawl reaches every file the build wrote (a file no link reaches is one
// no reader sees), so it cannot pass by reaching little.
#[test]
fn built_site_stays_under_its_base_path() {
    let (site, crawl) = built();
    crawl.assert_clean("the build");
    let unreached: Vec<String> = site
        .output_files()
        .into_iter()
        .map(|(file, _)| file.replace('\\', "/"))
        .filter(|file| file != gazette::output::MANIFEST && !crawl.reached.contains(file))
        // Read by the host, not linked.
        .filter(|file| !matches!(file.as_str(), "_headers" | "_redirects"))
        // Kept under its own name for themes that link it so; the theme
        // links the copy named by its hash.
        .filter(|file| {
            !crawl
                .reached
                .iter()
                .any(|r| r != file && plain_name(r) == *file)
        })
        .collect();
    assert!(
        unreached.is_empty(),
        "no link leads to {unreached:?} from the home page, robots.txt, the 404 page or an email edition"
    );
    for file in [
        "index.html",
        "2026/11/06/index.html",
        "2026/11/13/index.html",
        "2026/11/20/index.html",
        "2026/11/06/soft-grippers/index.html",
        "2026/11/06/spectrum-soft-grippers/index.html",
        "2026/11/13/techcrunch-gripper-startup/index.html",
        "2026/11/13/robot-report-pick-rates/index.html",
        "2026/11/20/spectrum-field-trial/index.html",
        "2026/11/20/email.html",
        "2026/11/06/email.txt",
        "about/index.html",
        "archive/index.html",
        "2026/11/index.html",
        "tags/grippers/index.html",
        "outlets/spectrum/index.html",
        "images/gripper.png",
        "feed.xml",
        "atom.xml",
        "feed.json",
        "sitemap.xml",
    ] {
        assert!(
            crawl.reached.contains(file),
            "the crawl did not reach `{file}`; it reached:\n{:#?}",
            crawl.reached
        );
    }
}

/// `style.3fa2c9d1.css` -> `style.css`: a fingerprinted file by its own
/// name; any other path as it is.
fn plain_name(path: &str) -> String {
    let mut parts: Vec<&str> = path.rsplitn(3, '.').collect();
    if let [ext, hash, stem] = parts.as_mut_slice()
        && hash.len() == 8
        && hash.chars().all(|c| c.is_ascii_hexdigit())
        && matches!(*ext, "css" | "js")
    {
        return format!("{stem}.{ext}");
    }
    path.to_owned()
}

// The stylesheet is linked by a name that carries a hash of its bytes, and
// the crawl reaches it.
#[test]
fn the_built_site_links_its_stylesheet_by_its_hash() {
    let (_site, crawl) = built();
    let styles: Vec<&String> = (crawl.reached.iter())
        .filter(|r| plain_name(r) == "style.css" && r.as_str() != "style.css")
        .collect();
    assert_eq!(styles.len(), 1, "{:#?}", crawl.reached);
}

// `gazette serve` previews the same site under the same path at its own
// address: every URL of the preview answers (directly or by a redirect),
// none leaves the path, and the crawl reaches exactly the files the crawl
// of the build reached. Only the live-reload routes, `/__gazette/...`,
// stay at the server's root, and they answer too.
#[test]
fn served_site_is_the_built_site_under_its_base_path() {
    let (site, built) = built();
    built.assert_clean("the build");
    let public = site.root().join("public");
    let seeds = seeds(&public);
    // The preview builds in memory; the crawl of the build is done.
    std::fs::remove_dir_all(&public).unwrap();

    let port = free_port();
    let _server = start(&site, port);
    let base = Url::parse(&format!("http://127.0.0.1:{port}/robot-weekly/")).unwrap();
    let own_route = |url: &Url| url.path().starts_with("/__gazette/");
    let served = crawl(&base, &seeds, own_route, |url| {
        http::fetch(port, &base, url)
    });
    served.assert_clean("the preview");
    assert_eq!(get(port, "/__gazette/reload.js").0, 200);
    // The preview links CSS and JavaScript by their own names (a browser
    // swaps an edited stylesheet in place); the build by their hashes.
    let built_reached: std::collections::BTreeSet<String> =
        built.reached.iter().map(|r| plain_name(r)).collect();
    let only_built: Vec<&String> = built_reached.difference(&served.reached).collect();
    let only_served: Vec<&String> = served.reached.difference(&built_reached).collect();
    assert!(
        only_built.is_empty() && only_served.is_empty(),
        "the crawls differ: reached only in the build {only_built:?}, only in the preview {only_served:?}"
    );
}
