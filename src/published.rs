//! The published-URL guard: every URL the site has ever published, kept in
//! [`FILE`] at the site root (committed beside `content/`, as `Cargo.lock`
//! is beside `Cargo.toml`), so that no build takes one down unnoticed.
//!
//! A newsletter's links go out by email and cannot be edited after. A build
//! in which a remembered URL would disappear fails, naming the URL and the
//! two ways out: an `aliases` entry on the page that replaces it (a redirect
//! is published there) or a `retired` entry in `site.yaml` (the URL stays
//! listed, and no page may take it again). `serve` says the same as a
//! warning and never writes the file; a build with drafts or future issues
//! never writes it either, so that what was only previewed is never
//! remembered. Pages that exist only as later pages of a list
//! (`tags/ai/page/7/`) come and go with the list's length, and are exempt.
//!
//! Here too: an alias that is a URL the site makes (a page, a feed, a file
//! of `static/`).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use anyhow::Result;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Location, display_path};
use crate::fs::{self, SiteFs};
use crate::render::{Body, Job};
use crate::site::{Site, urls};

/// The file of published URLs, at the site root.
pub const FILE: &str = "published-urls.txt";

const HEADER: &str = "\
# Every URL this site has published, one per line, kept by `gazette build`.
# Commit it beside content/: a build fails when one of these would disappear.
# A page that replaces one lists it in `aliases`; one gone for good is listed
# under `retired` in content/site.yaml.
";

/// The URLs of [`FILE`], as site paths (`2026/11/25/slug/`; the home page is
/// empty), each with its line.
#[derive(Debug, Default)]
pub struct Record {
    urls: HashMap<String, usize>,
    /// The file's text, for the lines quoted in diagnostics.
    text: String,
}

impl Record {
    /// The record of the site at `root`; empty when there is no file yet.
    /// A line that is not a URL path (a merge left its markers, say) is an
    /// error at that line.
    pub fn read(root: &Path, files: &SiteFs) -> (Record, Vec<Diagnostic>) {
        let path = root.join(FILE);
        if std::fs::symlink_metadata(&path).is_err() {
            return (Record::default(), Vec::new());
        }
        let text = match files
            .read(&path)
            .map_err(|refused| refused.diagnostic(Path::new(FILE)))
            .and_then(|bytes| fs::decode_text(Path::new(FILE), bytes))
        {
            Ok(text) => text,
            Err(d) => return (Record::default(), vec![d]),
        };
        let mut urls = HashMap::new();
        let mut errors = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match urls::written_path(line) {
                Ok(site_path) => {
                    urls.entry(site_path).or_insert(i + 1);
                }
                Err(why) => errors.push(
                    Diagnostic::error(format!("`{line}` {why}"))
                        .at(Location::line(FILE, &text, i + 1))
                        .help(format!(
                            "each line of `{FILE}` is a URL path such as `/2026/11/25/slug/`; if a merge left this line, keep the URLs of both sides and drop the markers"
                        )),
                ),
            }
        }
        (Record { urls, text }, errors)
    }

    /// Whether the record lists nothing.
    pub fn is_empty(&self) -> bool {
        self.urls.is_empty()
    }
}

/// The URLs a build publishes for good, as site paths: its HTML pages (but
/// the 404 and the later pages of lists), email editions, feeds, and the
/// redirects of its aliases.
pub fn made(site: &Site, jobs: &[Job]) -> BTreeSet<String> {
    let mut made: BTreeSet<String> = (jobs.iter())
        .filter(|job| match job.body {
            // A feed from a theme's template (`templates/atom.xml`) as well.
            Body::Page { .. } | Body::Email { .. } => {
                job.path.ends_with(".html") || is_feed(&job.path)
            }
            Body::Text(_) | Body::Feed(_) => is_feed(&job.path),
            Body::Card { .. } => false,
        })
        .map(|job| job.path.strip_suffix("index.html").unwrap_or(&job.path))
        .filter(|path| *path != urls::NOT_FOUND && !urls::is_later_page(path))
        .map(str::to_owned)
        .collect();
    made.extend(site.aliases.iter().map(|a| a.from.value.clone()));
    made
}

/// `atom.xml`, `feed.xml`, `feed.json`, a tag's `tags/ai/atom.xml`.
fn is_feed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    matches!(name, "atom.xml" | "feed.xml" | "feed.json")
}

/// The problems of a build that would publish `made` (see [`made`]) from
/// `jobs` and the static files `statics`, against `record`:
///
/// - an alias at a URL the site makes: an error at the alias;
/// - a retired URL that a page takes again: an error at `retired`;
/// - a remembered URL that disappears, with no alias or retirement to cover
///   it: an error at its line of the record (a warning in `serve`).
pub fn check<'a>(
    site: &Site,
    jobs: &[Job],
    statics: impl IntoIterator<Item = &'a String>,
    made: &BTreeSet<String>,
    record: &Record,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut files: HashMap<&str, usize> = HashMap::new();
    for path in jobs.iter().map(|job| job.path.as_str()) {
        *files.entry(path).or_default() += 1;
    }
    for path in statics {
        *files.entry(path.as_str()).or_default() += 1;
    }
    for alias in &site.aliases {
        let file = urls::file(&alias.from.value);
        // Its own redirect page is one.
        if files.get(file.as_str()).copied().unwrap_or_default() > 1 {
            let what = what(site, alias);
            found.push(
                alias
                    .from
                    .error(format!(
                        "{what} `/{}` is a URL this site makes: `{file}`",
                        alias.from.value
                    ))
                    .help("an old URL is one that no page has any more: remove it here, or rename what makes it now"),
            );
        }
    }
    // A line of `redirects:` may name any path: it must be one the site
    // makes. (A page's alias leads to that page, made.)
    let aliases: BTreeSet<&str> = site.aliases.iter().map(|a| a.from.value.as_str()).collect();
    // What a redirect may be said to mean: not another old URL.
    let old: BTreeSet<String> = aliases.iter().map(|from| urls::file(from)).collect();
    for (from, to) in &site.config.redirects {
        if aliases.contains(from.value.as_str())
            && !files.contains_key(urls::file(&to.value).as_str())
        {
            let known = (files.keys())
                .filter(|file| !old.contains(**file))
                .map(|file| file.strip_suffix("index.html").unwrap_or(file));
            let bare = to.value.trim_end_matches('/');
            let near = if files.contains_key(bare) {
                format!(
                    "`/{bare}` is a file with no extension, and a path without one is a page's (`/{bare}/`): give the file an extension to lead to it; "
                )
            } else {
                crate::diagnostic::suggest(&to.value, known)
                    .map(|near| format!("did you mean `/{near}`? "))
                    .unwrap_or_default()
            };
            found.push(
                to.error(format!(
                    "redirect `/{}` leads to `/{}`, which this site does not make",
                    from.value, to.value
                ))
                .help(format!(
                    "{near}a redirect leads to a page or feed of this site, written as its path"
                )),
            );
        }
    }
    let config = &site.config;
    for retired in &config.retired {
        let file = urls::file(&retired.value);
        let taken = made.contains(&retired.value) && !aliases.contains(retired.value.as_str());
        if taken || (files.contains_key(file.as_str()) && !aliases.contains(retired.value.as_str()))
        {
            found.push(
                retired
                    .error(format!(
                        "`/{}` is retired, and the site makes it again",
                        retired.value
                    ))
                    .help("a retired URL is never used again, since old links to it may mean the old page: give the new page another name, or remove this line if it is the old page come back"),
            );
        }
    }
    // Retiring reserves a URL the site published; one it never did (a
    // typo, most likely) would be reserved for good, unseen.
    if !record.urls.is_empty() {
        for retired in (config.retired.iter()).filter(|r| !record.urls.contains_key(&r.value)) {
            found.push(
                retired
                    .warning(format!(
                        "`/{}` is retired, but this site never published it: it is not in {FILE}",
                        retired.value
                    ))
                    .help(format!("check the path against {FILE} (a typo?); a URL never published needs no retiring: remove this line")),
            );
        }
    }
    let retired: BTreeSet<&str> = config.retired.iter().map(|r| r.value.as_str()).collect();
    found.extend(disappeared_all(config, record, |url| {
        !made.contains(url) && !retired.contains(url)
    }));
    found
}

/// The remembered entry and story pages whose file is gone, for a run that stops
/// on errors elsewhere before it knows what the site makes: one run
/// reports every error, and a deleted entry is one. Only when every file
/// of `content/` parsed (`parsed_all`): one that did not may hold the
/// alias that covers the URL. Feeds and issues wait for the next run.
pub fn gone_from_disk(site: &Site, parsed_all: bool) -> Vec<Diagnostic> {
    let config = &site.config;
    let (record, _) = Record::read(&config.root, &config.fs);
    if !parsed_all || record.urls.is_empty() {
        return Vec::new();
    }
    let kept: BTreeSet<&str> = (config.retired.iter().map(|r| r.value.as_str()))
        .chain(site.aliases.iter().map(|a| a.from.value.as_str()))
        .collect();
    disappeared_all(config, &record, |url| {
        // An entry's or story's page: its file is the one source a URL
        // names for sure (a page like `/subscribe/` may be a template's).
        !kept.contains(url)
            && url.split('/').count() == 5
            && urls::source_of(url)
                .is_some_and(|source| std::fs::symlink_metadata(config.root.join(source)).is_err())
    })
}

/// The error of each remembered URL that `gone` says this build would take
/// down, in the record's order.
fn disappeared_all(
    config: &Config,
    record: &Record,
    gone: impl Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let mut gone: Vec<(&String, usize)> = (record.urls.iter())
        .filter(|(url, _)| gone(url))
        .map(|(url, line)| (url, *line))
        .collect();
    gone.sort_by_key(|(_, line)| *line);
    (gone.into_iter())
        .map(|(url, line)| disappeared(config, url, line, record))
        .collect()
}

/// The error of a remembered URL that this build would take down.
fn disappeared(config: &Config, url: &str, line: usize, record: &Record) -> Diagnostic {
    let mut d = Diagnostic::error(format!(
        "`/{url}` was published, and this build no longer makes it"
    ))
    .code("published-url")
    .at(Location::line(FILE, &record.text, line));
    let retire = format!("add `- /{url}` under `retired:` in content/site.yaml");
    // Made from a tag or an outlet key, with no file to hold an alias.
    let renamed = |what: &str, list: &str| {
        let (old, rest) = url[list.len()..].split_once('/').unwrap_or((url, ""));
        format!(
            "links to it went out and cannot be taken back: if {what} `{old}` was renamed, add `/{url}: /{list}NEW/{rest}` under `redirects:` in content/site.yaml, NEW its new name; if it is gone for good, {retire}"
        )
    };
    d = d.help(match url.split('/').next() {
        Some("tags") if url != urls::TAGS => renamed("the tag", urls::TAGS),
        Some("outlets") if url != urls::OUTLETS => renamed("the outlet", urls::OUTLETS),
        _ => format!(
            "links to it went out and cannot be taken back: if a page replaces it, add `aliases: [\"/{url}\"]` to that page's front matter, or `/{url}: /NEW/PATH/` under `redirects:` in content/site.yaml; if it is gone for good, {retire}"
        ),
    });
    if let Some(source) = urls::source_of(url) {
        let path = config.root.join(&source);
        let source = display_path(&source);
        d = d.label(if path.is_dir() {
            format!("it was made by `{source}`, which is still there, but has nothing published in it (its entries drafts, moved, or the day in the future?)")
        } else if path.exists() {
            format!("it was made by `{source}`, which is still there, but no longer published (a draft, or a date in the future?)")
        } else {
            // Or it was another page's alias, or retired: the record does not say.
            format!("`{source}` made it and is gone or was renamed; or it was an alias taken out of a page's `aliases`, or a line taken out of `redirects:` or `retired:` in content/site.yaml")
        });
    }
    d
}

/// `redirect` for a line of `redirects:` in site.yaml, `alias` for a
/// page's own.
fn what(site: &Site, alias: &crate::site::Alias) -> &'static str {
    let redirect = (site.config.redirects.iter()).any(|(from, _)| from.value == alias.from.value);
    if redirect { "redirect" } else { "alias" }
}

/// A digest of the record as it is now at `root` (0 when there is none),
/// for the fingerprint of a build's inputs: a record edited by hand (or by
/// a merge) is checked again, not skipped as unchanged.
pub fn digest(root: &Path) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    std::fs::read(root.join(FILE)).ok().hash(&mut hasher);
    hasher.finish()
}

/// Writes the record of a successful build: what it remembered, what this
/// build made, and the retired URLs, sorted. The file is left as it is when
/// that changes nothing.
pub fn write(config: &Config, made: &BTreeSet<String>, record: &Record) -> Result<()> {
    let all: BTreeSet<&str> = (record.urls.keys().map(String::as_str))
        .chain(made.iter().map(String::as_str))
        // A retired URL the record lacks is kept out of it (see `check`),
        // unless there is no record yet: a site that moved here reserves
        // the URLs it published elsewhere.
        .chain(
            (config.retired.iter().map(|r| r.value.as_str()))
                .filter(|url| record.urls.is_empty() || record.urls.contains_key(*url)),
        )
        .collect();
    let mut text = String::with_capacity(HEADER.len() + all.len() * 32);
    text.push_str(HEADER);
    for url in all {
        text.push('/');
        text.push_str(url);
        text.push('\n');
    }
    let path = config.root.join(FILE);
    if fs::same_bytes(&path, text.as_bytes()) {
        return Ok(());
    }
    // Beside it, then renamed over it: a killed build leaves the old one.
    let partial = config.root.join(format!(".{FILE}.gazette-partial"));
    fs::write(&partial, text.as_bytes())?;
    fs::rename(&partial, &path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Later pages of a list come and go with its length; its first page stays.
    #[test]
    fn later_pages_of_lists_are_exempt() {
        assert!(urls::is_later_page("tags/ai/page/7/"));
        assert!(urls::is_later_page("archive/page/2/"));
        assert!(!urls::is_later_page("tags/ai/"));
        assert!(!urls::is_later_page("tags/page/"));
        assert!(!urls::is_later_page("2026/11/25/page-2/"));
    }
}
