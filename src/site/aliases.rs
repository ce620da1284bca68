//! Aliases: the old URLs of a page, each to become a redirect to it.
//!
//! Takes the parsed content and the pages the model publishes; returns the
//! aliases of published pages (a draft's are not published either), sorted
//! by old URL, with an error for an alias that is its own page's URL or
//! another page's alias too. Whether an alias is a URL the site makes is
//! known only once every file is listed: [`crate::published`] checks it.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{Alias, urls};
use crate::content::{Content, Item};
use crate::diagnostic::{Diagnostic, display_path};
use crate::source::Located;

/// The aliases of the pages at `published` (site paths), sorted by old URL,
/// on a site whose URLs start with `base_path` (`/`, `/news/`).
pub fn collect(
    content: &Content,
    published: &HashSet<&str>,
    config: &crate::config::Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Alias> {
    let (base_path, redirects) = (&config.base_path, &config.redirects);
    let mut written: Vec<(&Path, &[Located<String>])> = Vec::new();
    for issue in &content.issues {
        if let Some(meta) = &issue.meta {
            written.push((meta.doc.path(), &meta.aliases));
        }
        for item in &issue.items {
            let aliases = match &**item {
                Item::Entry(e) => &e.aliases,
                Item::Story(s) => &s.aliases,
            };
            written.push((item.doc().path(), aliases));
        }
    }
    for page in &content.pages {
        written.push((page.doc.path(), &page.aliases));
    }
    let mut aliases = Vec::new();
    let mut seen: HashMap<&str, &Path> = HashMap::new();
    for (source, list) in written {
        if list.is_empty() {
            continue;
        }
        let Some(to) = urls::of_source(source).filter(|to| published.contains(to.as_str())) else {
            continue;
        };
        for alias in list {
            diagnostics.extend(under_sub_path("alias", alias, base_path));
            if alias.value == to {
                diagnostics.push(
                    alias
                        .error(format!("alias `/{}` is this page's own URL", alias.value))
                        .help("remove it: an alias is an old URL that leads here"),
                );
                continue;
            }
            if let Some(first) = seen.insert(&alias.value, source) {
                diagnostics.push(
                    alias
                        .error(format!(
                            "alias `/{}` is an alias of `{}` too",
                            alias.value,
                            display_path(first)
                        ))
                        .help(
                            "an old URL can lead to one page only: remove it from one of the two",
                        ),
                );
                continue;
            }
            aliases.push(Alias {
                from: alias.clone(),
                to: to.clone(),
            });
        }
    }
    // `redirects:` of site.yaml: whether each leads to a URL the site makes
    // is checked with the rest, once every file is listed.
    let site_file = Path::new(crate::config::SITE_FILE);
    let mut lines: Vec<(&Located<String>, &Located<String>)> = Vec::new();
    // By the file each makes: `/a`, `/a/` and `/a/index.html` are one.
    let mut files: HashMap<String, &Located<String>> = HashMap::new();
    for (from, to) in redirects {
        diagnostics.extend(under_sub_path("redirect", from, base_path));
        if let Some(problem) = refused(from, to, config) {
            diagnostics.push(problem);
            continue;
        }
        if let Some(other) = files.insert(urls::file(&from.value), from) {
            let page = other.value.strip_suffix('/');
            let spellings = match page {
                Some(page) => format!(" (`/{page}`, `/{page}/` and `/{page}/index.html` are one)"),
                None => String::new(),
            };
            diagnostics.push(
                from.key_error(format!(
                    "redirect `/{}` is on a line above too{spellings}",
                    other.value
                ))
                .help("an old URL can lead to one page only: remove one of the two lines"),
            );
            continue;
        }
        if let Some(first) = seen.insert(&from.value, site_file) {
            diagnostics.push(
                from.key_error(format!(
                    "redirect `/{}` is an alias of `{}` too",
                    from.value,
                    display_path(first)
                ))
                .help("an old URL can lead to one page only: remove one of the two"),
            );
            continue;
        }
        lines.push((from, to));
    }
    // A redirect to another's old URL leads on to where that one leads: a
    // tag renamed twice keeps its first name's links (and feed) working,
    // in one hop. One that comes back round is an error at each line.
    let next: HashMap<&str, &str> = (lines.iter())
        .map(|(from, to)| (from.value.as_str(), to.value.as_str()))
        .collect();
    for (from, to) in lines {
        let mut path = vec![from.value.as_str()];
        let mut end = to.value.as_str();
        while let Some(&further) = next.get(end) {
            if path.contains(&end) {
                break;
            }
            path.push(end);
            end = further;
        }
        if path.contains(&end) {
            path.push(end);
            let round: Vec<String> = path.iter().map(|p| format!("`/{p}`")).collect();
            diagnostics.push(
                from.key_error(format!(
                    "redirect `/{}` goes round in a loop: {}",
                    from.value,
                    round.join(" → ")
                ))
                .help("lead one of these lines to a page or feed the site makes"),
            );
            continue;
        }
        aliases.push(Alias {
            from: from.clone(),
            to: end.to_owned(),
        });
    }
    aliases.sort_by(|a, b| a.from.value.cmp(&b.from.value));
    aliases
}

/// Why the line `from: to` of `redirects:` cannot be, if it cannot.
fn refused(
    from: &Located<String>,
    to: &Located<String>,
    config: &crate::config::Config,
) -> Option<Diagnostic> {
    let first = from.value.split('/').next().unwrap_or_default();
    if from.value == to.value {
        Some(
            from.key_error(format!("redirect `/{}` leads to itself", from.value))
                .help("remove it: a redirect leads from an old URL to another"),
        )
    } else if [urls::REDIRECTS, urls::HEADERS, crate::output::MANIFEST].contains(&first) {
        Some(
            from.key_error(format!(
                "redirect `/{}` is a file gazette writes for the host",
                from.value
            ))
            .help(
                "remove it: `/_redirects`, `/_headers` and `/.gazette-manifest` are the site's own",
            ),
        )
    } else if urls::is_later_page(&from.value) {
        let list = from.value.split("page/").next().unwrap_or_default();
        Some(
            from.key_error(format!(
                "redirect `/{}` is a later page of a list, which comes and goes with the list's length",
                from.value
            ))
            .help(format!("redirect the list's first page, `/{list}`: the later pages are never recorded as published")),
        )
    } else if config.retired.iter().any(|r| r.value == from.value) {
        Some(
            from.key_error(format!("redirect `/{}` is retired too", from.value))
                .help("a retired URL gets no page: keep the redirect and remove the URL from `retired:`, or the other way round"),
        )
    } else {
        None
    }
}

/// The warning for an old URL written as a reader's address bar shows it,
/// under a sub-path (`/news/`): it would become `/news/news/…`.
fn under_sub_path(what: &str, old: &Located<String>, base_path: &str) -> Option<Diagnostic> {
    let sub_path = base_path.trim_start_matches('/');
    (!sub_path.is_empty() && old.value.starts_with(sub_path)).then(|| {
        old.warning(format!(
            "{what} `/{}` starts with the site's path `{base_path}`: it is published at `{base_path}{}`",
            old.value, old.value
        ))
        .help(format!(
            "write {} {what} from the site's root, as a page's own URL is: `/{}`",
            if what.starts_with('a') { "an" } else { "a" },
            &old.value[sub_path.len()..]
        ))
    })
}
