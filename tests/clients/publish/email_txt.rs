//! Each issue's plain-text email, `email.txt`: every `[n]` of its text
//! listed under "Links", absolute, and a link of the HTML edition too.

use std::collections::{BTreeMap, BTreeSet};

use super::{Out, assert_caught, assert_none, fixtures, unescape};
use crate::{sites, tools};

/// What is wrong with an `email.txt`: no "Links" section, a `[n]` in the
/// text that the section does not list, a listed URL not absolute or not a
/// link of the HTML edition beside it.
fn email_txt_problems(file: &str, text: &str, html_urls: Option<&BTreeSet<String>>) -> Vec<String> {
    let mut problems = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let Some(heading) = lines.iter().position(|l| l.trim() == "Links") else {
        return vec![format!("{file}: no \"Links\" section")];
    };
    let mut listed = BTreeMap::new();
    for line in &lines[heading + 1..] {
        let Some((n, url)) = line
            .strip_prefix('[')
            .and_then(|l| l.split_once("] "))
            .and_then(|(n, url)| Some((n.parse::<usize>().ok()?, url.trim())))
        else {
            continue;
        };
        if listed.insert(n, url.to_owned()).is_some() {
            problems.push(format!("{file}: [{n}] is listed twice"));
        }
    }
    if listed.is_empty() {
        problems.push(format!("{file}: the Links section lists no `[n] URL`"));
    }
    let mut used = BTreeSet::new();
    for line in &lines[..heading] {
        let mut rest = *line;
        while let Some(at) = rest.find('[') {
            rest = &rest[at + 1..];
            if let Some((n, _)) = rest.split_once(']')
                && let Ok(n) = n.parse::<usize>()
            {
                used.insert(n);
            }
        }
    }
    for n in &used {
        if !listed.contains_key(n) {
            problems.push(format!("{file}: [{n}] is used but not listed under Links"));
        }
    }
    for (n, url) in &listed {
        if !used.contains(n) {
            problems.push(format!("{file}: [{n}] is listed but not used"));
        }
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            problems.push(format!("{file}: [{n}] {url} is not absolute"));
        } else if html_urls.is_some_and(|urls| !urls.contains(url)) {
            problems.push(format!("{file}: [{n}] {url} is no link of email.html"));
        }
    }
    if listed.keys().copied().ne(1..=listed.len()) {
        problems.push(format!(
            "{file}: the links are not numbered 1 to {}",
            listed.len()
        ));
    }
    problems
}

fn email_txt_all(out: &Out) -> (usize, Vec<String>) {
    let mut problems = Vec::new();
    let mut links = 0;
    for issue in out.issues() {
        let txt = format!("{issue}email.txt");
        let Ok(text) = std::fs::read_to_string(out.dir.join(&txt)) else {
            problems.push(format!("{txt}: missing"));
            continue;
        };
        let html = std::fs::read_to_string(out.dir.join(&issue).join("email.html")).ok();
        let urls: Option<BTreeSet<String>> = html.map(|h| {
            h.split("href=\"")
                .skip(1)
                .filter_map(|s| s.split('"').next())
                .map(unescape)
                .collect()
        });
        links += text
            .lines()
            .filter(|l| l.starts_with('[') && l.contains("] http"))
            .count();
        problems.extend(email_txt_problems(&txt, &text, urls.as_ref()));
    }
    (links, problems)
}

// 4d. Each email.txt has a "Links" section listing, as `[n] URL`, every
// `[n]` of its text, absolute and linked from the HTML edition too; the
// fixture's unlisted [3], relative [2] and missing section are caught.
pub fn email_txt_lists_every_link() {
    for site in sites() {
        let (links, problems) = email_txt_all(&Out::of(site));
        assert_none(site.name, "email.txt", &problems);
        tools::report(&format!(
            "{}: email.txt: {} editions, {links} numbered links, all listed and absolute",
            site.name,
            Out::of(site).issues().len()
        ));
    }
    let (_, mut problems) = email_txt_all(&Out::broken());
    let no_links = std::fs::read_to_string(fixtures().join("email-no-links.txt")).expect("fixture");
    problems.extend(email_txt_problems("email-no-links.txt", &no_links, None));
    assert_caught(
        "email.txt",
        &problems,
        &[
            "2026/11/24/email.txt: missing",
            "2026/11/25/email.txt: [3] is used but not listed",
            "2026/11/25/email.txt: [2] /2026/11/24/b/ is not absolute",
            "2026/11/25/email.txt: [1] https://fixture.example/2026/11/25/a/ is no link of email.html",
            "email-no-links.txt: no \"Links\" section",
        ],
    );
}
