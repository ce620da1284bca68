//! Which templates a page's template reads: the ones it extends, includes
//! or imports, and those defining the components it calls, followed to the
//! end. Tera keeps this to itself, so it is read here from the sources, on
//! the side of caution: a name that might be a call counts as one, and a
//! reference that is not a plain string makes the template depend on all.
//!
//! `serve` uses it after a template edit, to render again only the pages
//! whose template reads a changed file.

use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The template files (by name, `themes/default/templates/base.html`)
/// whose text is new, gone or different between `old` and `new`.
pub fn changed(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> BTreeSet<String> {
    let names = old.keys().chain(new.keys());
    names
        .filter(|name| old.get(*name) != new.get(*name))
        .cloned()
        .collect()
}

/// Whether rendering `template` (a name as a job gives it, `issue.html`)
/// may read a file of `changed`, with the sources of `sources` and Tera's
/// fallback `prefixes`.
pub fn reads_any(
    sources: &BTreeMap<String, String>,
    prefixes: &[String],
    template: &str,
    changed: &BTreeSet<String>,
) -> bool {
    reads(sources, prefixes, template)
        .is_none_or(|read| read.iter().any(|name| changed.contains(*name)))
}

/// The sources rendering `template` reads: itself, what it extends,
/// includes or imports, and those defining the components it calls,
/// followed to the end. `None` when that cannot be told: a reference that
/// is not a plain string, or a template that is not there (now; it may
/// have been, or come).
pub fn reads<'a>(
    sources: &'a BTreeMap<String, String>,
    prefixes: &[String],
    template: &str,
) -> Option<HashSet<&'a str>> {
    let components = components(sources);
    let mut seen: HashSet<&str> = HashSet::new();
    let mut todo: Vec<&str> = vec![resolve(sources, prefixes, template)?];
    while let Some(name) = todo.pop() {
        if !seen.insert(name) {
            continue;
        }
        let Some(text) = sources.get(name) else {
            continue;
        };
        for reference in references(text)? {
            todo.push(resolve(sources, prefixes, reference)?);
        }
        for (component, defined_in) in &components {
            if calls(text, component) {
                todo.extend(defined_in.iter().copied());
            }
        }
    }
    Some(seen)
}

/// The name of the source a template name stands for: itself, or the
/// first prefix's file of that name.
fn resolve<'a>(
    sources: &'a BTreeMap<String, String>,
    prefixes: &[String],
    name: &str,
) -> Option<&'a str> {
    if let Some((found, _)) = sources.get_key_value(name) {
        return Some(found);
    }
    prefixes
        .iter()
        .find_map(|prefix| sources.get_key_value(&format!("{prefix}{name}")))
        .map(|(found, _)| found.as_str())
}

/// The names of the templates `text` extends, includes or imports; `None`
/// when one of them is not written as a plain string.
fn references(text: &str) -> Option<Vec<&str>> {
    let mut found = Vec::new();
    for tag in tags(text) {
        let body = tag.trim_matches('-').trim();
        let keyword = body.split_whitespace().next().unwrap_or("");
        if !matches!(keyword, "extends" | "include" | "import") {
            continue;
        }
        let names = strings(&body[keyword.len()..]);
        if names.is_empty() {
            return None;
        }
        found.extend(names);
    }
    Some(found)
}

/// Each component name and the sources that define one by that name.
fn components(sources: &BTreeMap<String, String>) -> BTreeMap<&str, Vec<&str>> {
    let mut defined: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, text) in sources {
        for tag in tags(text) {
            let body = tag.trim_matches('-').trim();
            if let Some(rest) = body.strip_prefix("component")
                && rest.starts_with(char::is_whitespace)
            {
                let component = identifier(rest.trim_start());
                if !component.is_empty() {
                    defined.entry(component).or_default().push(name);
                }
            }
        }
    }
    defined
}

/// Whether `text` may call the component `name`: `<name` followed by
/// something that cannot continue a name.
fn calls(text: &str, name: &str) -> bool {
    let pattern = format!("<{name}");
    text.match_indices(&pattern).any(|(at, _)| {
        !text[at + pattern.len()..]
            .chars()
            .next()
            .is_some_and(is_identifier_char)
    })
}

/// The insides of every `{% … %}` of `text`.
fn tags(text: &str) -> impl Iterator<Item = &str> {
    text.split("{%")
        .skip(1)
        .filter_map(|rest| rest.split_once("%}").map(|(inside, _)| inside))
}

/// The string literals (`"…"` or `'…'`) of a tag's arguments.
fn strings(arguments: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = arguments;
    while let Some(start) = rest.find(['"', '\'']) {
        let quote = rest[start..].chars().next().unwrap_or('"');
        let after = &rest[start + 1..];
        let Some(end) = after.find(quote) else {
            break;
        };
        found.push(&after[..end]);
        rest = &after[end + 1..];
    }
    found
}

fn identifier(text: &str) -> &str {
    let end = text.find(|c| !is_identifier_char(c)).unwrap_or(text.len());
    &text[..end]
}

fn is_identifier_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(files: &[(&str, &str)]) -> BTreeMap<String, String> {
        files
            .iter()
            .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
            .collect()
    }

    const PREFIXES: [&str; 2] = ["templates/", "themes/t/templates/"];

    fn reads(files: &BTreeMap<String, String>, template: &str, changed: &[&str]) -> bool {
        let prefixes: Vec<String> = PREFIXES.iter().map(|p| (*p).to_owned()).collect();
        let changed = changed.iter().map(|c| (*c).to_owned()).collect();
        reads_any(files, &prefixes, template, &changed)
    }

    // A page reads its template, what that extends and includes, and the
    // templates defining the components it calls, through any depth; not
    // the files it never names.
    #[test]
    fn follows_extends_includes_and_components() {
        let files = sources(&[
            (
                "themes/t/templates/base.html",
                "{% block main %}{% endblock %}",
            ),
            (
                "themes/t/templates/issue.html",
                "{% extends \"base.html\" %}{{ <card_list entries={x} /> }}",
            ),
            (
                "themes/t/templates/partials/list.html",
                "{% component card_list(entries) %}{{ <card e={e} /> }}{% endcomponent card_list %}",
            ),
            (
                "themes/t/templates/partials/card.html",
                "{%- component card(e) -%}x{% endcomponent card %}",
            ),
            (
                "themes/t/templates/tag.html",
                "{% include 'partials/toc.html' %}",
            ),
            ("themes/t/templates/partials/toc.html", "toc"),
        ]);
        let t = "themes/t/templates/";
        assert!(reads(&files, "issue.html", &[&format!("{t}base.html")]));
        assert!(reads(
            &files,
            "issue.html",
            &[&format!("{t}partials/card.html")]
        ));
        assert!(!reads(
            &files,
            "issue.html",
            &[&format!("{t}partials/toc.html")]
        ));
        assert!(reads(
            &files,
            "tag.html",
            &[&format!("{t}partials/toc.html")]
        ));
        assert!(!reads(&files, "tag.html", &[&format!("{t}base.html")]));
    }

    // `card` is not called by `<card_list`; a site file named like the
    // theme's is the one read.
    #[test]
    fn names_are_exact_and_the_site_comes_first() {
        let files = sources(&[
            ("themes/t/templates/a.html", "{{ <card_list /> }}"),
            (
                "themes/t/templates/c.html",
                "{% component card() %}{% endcomponent card %}",
            ),
            (
                "themes/t/templates/l.html",
                "{% component card_list() %}{% endcomponent card_list %}",
            ),
            ("templates/base.html", "site"),
            ("themes/t/templates/base.html", "theme"),
            ("themes/t/templates/b.html", "{% extends 'base.html' %}"),
        ]);
        assert!(!reads(&files, "a.html", &["themes/t/templates/c.html"]));
        assert!(reads(&files, "a.html", &["themes/t/templates/l.html"]));
        assert!(reads(&files, "b.html", &["templates/base.html"]));
        assert!(!reads(&files, "b.html", &["themes/t/templates/base.html"]));
    }

    // What cannot be told is taken as read: a name that is not a plain
    // string, a template or a reference that is missing now.
    #[test]
    fn what_cannot_be_told_counts_as_read() {
        let files = sources(&[
            ("templates/a.html", "{% include name %}"),
            ("templates/b.html", "{% include 'gone.html' %}"),
        ]);
        assert!(reads(&files, "a.html", &["templates/x.html"]));
        assert!(reads(&files, "b.html", &["templates/x.html"]));
        assert!(reads(&files, "missing.html", &["templates/x.html"]));
    }

    #[test]
    fn changed_lists_new_gone_and_edited_files() {
        let old = sources(&[("a", "1"), ("b", "2"), ("c", "3")]);
        let new = sources(&[("a", "1"), ("b", "two"), ("d", "4")]);
        let changed: Vec<String> = changed(&old, &new).into_iter().collect();
        assert_eq!(changed, ["b", "c", "d"]);
    }
}
