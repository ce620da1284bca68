//! What is wrong with a site's templates, said at the template's file and
//! line: Tera's errors, read back from its reports where it gives no
//! span; a layout that is not there and templates that include one another
//! in a loop; a theme that is not found; a file of `templates/` nothing
//! uses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::REQUIRED;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Location};

pub(super) fn template_error(
    error: &tera::Error,
    sources: &BTreeMap<String, String>,
) -> Vec<Diagnostic> {
    let mut diagnostics = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let what = if matches!(error.kind(), tera::ErrorKind::SyntaxError(_)) {
                "template syntax error"
            } else {
                "template error"
            };
            vec![located(
                format!("{what}: {}", lower_first(report.message())),
                report.filename(),
                span.start_line,
                span.start_col + 1,
                if span.end_line == span.start_line {
                    span.end_col.saturating_sub(span.start_col)
                } else {
                    1
                },
                sources,
            )]
        }
        // Several reports in one message (unknown filters, blocks without a
        // parent...): each one already says where.
        tera::ErrorKind::Msg(message)
            if message.contains("\n --> ") || message.contains("--> ") =>
        {
            message
                .split("\n\n")
                .map(|report| parse_report(report, sources))
                .collect()
        }
        tera::ErrorKind::MissingParent { current, parent } => {
            let names = sources.keys().map(|k| written_name(k));
            let found = mentioned(
                format!(
                    "template `{current}` extends `{parent}`, which is neither in `templates/` nor in the theme"
                ),
                current,
                parent,
                sources,
            );
            vec![match crate::diagnostic::did_you_mean(parent, names) {
                Some(near) => found.label(near),
                None => found,
            }]
        }
        tera::ErrorKind::CircularInclude {
            include_chain: chain,
            ..
        }
        | tera::ErrorKind::CircularExtend {
            inheritance_chain: chain,
            ..
        } => {
            let how = match error.kind() {
                tera::ErrorKind::CircularInclude { .. } => "include",
                _ => "extend",
            };
            let mut shown: Vec<String> = chain.iter().map(|t| format!("`{t}`")).collect();
            // Tera's chain of extends stops short of the template that
            // closes the loop: shown back at its start.
            if let Some((last, before)) = chain.split_last()
                && !before.is_empty()
                && !before.contains(last)
            {
                shown.push(shown[0].clone());
            }
            let message = format!(
                "templates {how} one another in a loop: {}",
                shown.join(" → ")
            );
            // Where the loop closes: the last template, naming the first again.
            match chain
                .len()
                .checked_sub(2)
                .map(|i| (&chain[i], &chain[i + 1]))
            {
                Some((from, to)) => vec![mentioned(message, from, to, sources)],
                None => vec![Diagnostic::error(message)],
            }
        }
        other => vec![Diagnostic::error(format!(
            "template error: {}",
            lower_first(&other.to_string())
        ))],
    };
    // Keep Tera's cause chain: it often holds the real reason.
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(first) = diagnostics.first_mut() {
            first.notes.push(cause.to_string());
        }
        source = cause.source();
    }
    for d in &mut diagnostics {
        if d.help.is_none() {
            d.help = Some(
                "fix the template; the Tera syntax is at https://keats.github.io/tera/".to_owned(),
            );
        }
    }
    diagnostics
}

/// Rebuilds a diagnostic from one of Tera's printed reports.
fn parse_report(report: &str, sources: &BTreeMap<String, String>) -> Diagnostic {
    let mut lines = report.lines();
    let message = lines
        .next()
        .map(|l| l.trim_start_matches("error: ").to_owned())
        .unwrap_or_default();
    let locus = lines
        .find_map(|l| l.trim().strip_prefix("--> ").map(str::to_owned))
        .unwrap_or_default();
    let mut parts = locus.rsplitn(3, ':');
    let (col, line, name) = (parts.next(), parts.next(), parts.next());
    match (
        name,
        line.and_then(|l| l.parse().ok()),
        col.and_then(|c| c.parse().ok()),
    ) {
        (Some(name), Some(line), Some(col)) => located(
            format!("template error: {}", lower_first(&message)),
            name,
            line,
            col,
            1,
            sources,
        ),
        _ => Diagnostic::error(format!("template error: {}", lower_first(report))),
    }
}

fn located(
    message: String,
    name: &str,
    line: usize,
    column: usize,
    width: usize,
    sources: &BTreeMap<String, String>,
) -> Diagnostic {
    let d = Diagnostic::error(message);
    match sources.get(name) {
        Some(text) => d.at(Location::span(
            Path::new(name),
            text,
            line,
            column,
            width.max(1),
        )),
        None => d.at(Location {
            line,
            column: Some(column),
            ..Location::file(name)
        }),
    }
}

/// An error at the first place template `file` names template `named`
/// (`{% extends "base.html" %}`), written without the folder it was found in.
fn mentioned(
    message: String,
    file: &str,
    named: &str,
    sources: &BTreeMap<String, String>,
) -> Diagnostic {
    let written = written_name(named);
    let found = sources.get(file).and_then(|text| {
        let at = [format!("\"{written}\""), format!("'{written}'")]
            .iter()
            .find_map(|quoted| text.find(quoted.as_str()))?;
        Some(crate::diagnostic::line_column(text, at + 1))
    });
    match found {
        Some((line, column)) => located(
            message,
            file,
            line,
            column,
            written.chars().count(),
            sources,
        ),
        None => Diagnostic::error(message).at(Location::file(file)),
    }
}

/// A template's name as templates name it: `partials/card.html` for
/// `templates/partials/card.html` or the theme's.
pub(super) fn written_name(file: &str) -> &str {
    file.strip_prefix("templates/")
        .or_else(|| file.split_once("/templates/").map(|(_, rest)| rest))
        .unwrap_or(file)
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if chars.clone().next().is_some_and(char::is_lowercase) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text.to_owned(),
    }
}

/// `{{ text | wrap(width=72) }}`: lines broken at spaces to fit; for the
/// plain-text email. The default width is 72.
/// A warning for each file of the site's `templates/` that no page renders
/// and no template names: most often a misspelt override (`entyr.html`),
/// which would otherwise leave the theme's in place without a word. A file
/// that defines components is used wherever they are called.
pub(super) fn unused(sources: &BTreeMap<String, String>, theme_rel: &str) -> Vec<Diagnostic> {
    let rendered = REQUIRED
        .iter()
        .chain(&crate::render::feeds::FEED_TEMPLATES)
        .chain(&[
            crate::render::pages::SUBSCRIBE_TEMPLATE,
            crate::render::cards::TEMPLATE,
            crate::render::sitemap::ROBOTS,
        ]);
    let known: BTreeSet<&str> = sources
        .keys()
        .filter_map(|k| k.strip_prefix(theme_rel))
        .chain(rendered.copied())
        .collect();
    let mut found = Vec::new();
    for (file, text) in sources.range("templates/".to_owned()..) {
        let Some(name) = file.strip_prefix("templates/") else {
            break;
        };
        let named = |other: &String| {
            other != file
                && (other.contains(&format!("\"{name}\"")) || other.contains(&format!("'{name}'")))
        };
        if known.contains(name) || text.contains("endcomponent") || sources.values().any(named) {
            continue;
        }
        let warning = Diagnostic::warning(format!(
            "`{file}` is not used: no page is rendered with it, and no template names it"
        ))
        .at(Location::file(file));
        // By the file's own name, among those of its folder.
        let (folder, own) = name.rsplit_once('/').map_or(("", name), |(d, f)| (d, f));
        let siblings = known.iter().filter_map(|k| match k.rsplit_once('/') {
            Some((d, f)) if d == folder => Some(f),
            None if folder.is_empty() => Some(*k),
            _ => None,
        });
        found.push(match crate::diagnostic::suggest(own, siblings) {
            Some(near) => {
                let near = match folder {
                    "" => near.to_owned(),
                    _ => format!("{folder}/{near}"),
                };
                warning.help(format!(
                    "to replace the theme's `{near}`, name it `templates/{near}`"
                ))
            }
            None => warning.help(
                "templates/ replaces the theme's templates by name, or holds what a template includes or extends; remove it if it is neither",
            ),
        });
    }
    found
}

/// `theme: NAME` names no folder of `themes/`: said at its line of
/// site.yaml, with the folder nearest in name.
pub(super) fn theme_not_found(config: &Config) -> Diagnostic {
    let name = &config.theme;
    let yaml = crate::config::SITE_FILE;
    // Through the site's reader: never a file a link leads out of the site to.
    let text = (config.fs.read(&config.root.join(yaml)).ok())
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default();
    let line = text.lines().enumerate().find_map(|(i, l)| {
        let value = l.strip_prefix("theme:")?;
        let column = "theme:".len() + value.len() - value.trim_start().len() + 1;
        Some((i + 1, column, value.trim().chars().count().max(1)))
    });
    let location = match line {
        Some((line, column, width)) => Location::span(yaml, &text, line, column, width),
        None => Location::file(yaml),
    };
    let themes: Vec<String> = std::fs::read_dir(config.root.join("themes"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    let diagnostic = Diagnostic::error(format!("theme `{name}` not found")).at(location);
    match crate::diagnostic::suggest(name, themes.iter().map(String::as_str)) {
        Some(near) => diagnostic
            .label(format!("did you mean `{near}`?"))
            .help(format!("set `theme: {near}`, or put the theme in `themes/{name}/`")),
        None => diagnostic.help(format!(
            "put the theme in `themes/{name}/`, or set `theme:` in site.yaml to a folder of `themes/`"
        )),
    }
}
