//! Rules on what the editors wrote, file by file and across the site:
//! entries' links, outlets, stories, and what a build leaves out.
//!
//! Takes the whole [`Content`], drafts and scheduled issues included (they
//! are published one day), and pushes a diagnostic for each problem, at the
//! value it is about.

use std::collections::HashSet;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{
    DRAFT, OUTLET_HOST, OUTLET_INCOMPLETE, OUTLET_UNCITED, SCHEDULED, STORY_NO_COVERAGE,
    STORY_SECTIONS, TRACKING_PARAMS,
};
use crate::config::Config;
use crate::content::outlets::outlet_for;
use crate::content::{Content, Item};
use crate::diagnostic::{Diagnostic, Location, Severity, display_path};
use crate::slug::slugify;
use crate::source::url::{host, strip_tracking, tracking_params};

/// Entries' links: tracking tags left in, and a host that is not the outlet's.
pub fn entries(content: &Content, found: &mut Vec<Diagnostic>) {
    for item in content.items() {
        let Item::Entry(entry) = item else {
            continue;
        };
        let url = &entry.url;
        let params = tracking_params(&url.value);
        if !params.is_empty() {
            let names: Vec<String> = params.iter().map(|p| format!("`{p}`")).collect();
            found.push(
                url.warning(format!(
                    "`url` carries tracking parameters: {}",
                    names.join(", ")
                ))
                .code(TRACKING_PARAMS)
                .help(format!(
                    "link the article itself (the email edition adds its own `utm_` tags): `{}`",
                    strip_tracking(&url.value)
                )),
            );
        }
        let Some(outlet) = content.outlets.iter().find(|o| o.key == entry.outlet.value) else {
            continue;
        };
        let Some(link_host) = host(&url.value) else {
            continue;
        };
        let Some(own) = host(&outlet.url).or_else(|| outlet.domains.first().cloned()) else {
            // An outlet without an address: nothing to compare with.
            continue;
        };
        if outlet.publishes_on(&link_host) {
            continue;
        }
        let d = url
            .warning(format!(
                "`url` is at `{link_host}`, but outlet `{}` is at `{own}`",
                outlet.key
            ))
            .code(OUTLET_HOST);
        found.push(match outlet_for(&content.outlets, &url.value) {
            Some(other) => d.help(format!(
                "the outlet at `{link_host}` is `{}`: set `outlet: {}`",
                other.key, other.key
            )),
            None => d.help(format!(
                "if `{}` publishes there, add `domains: [{link_host}]` to it in content/outlets.yaml",
                outlet.key
            )),
        });
    }
}

/// Outlets without a tagline or blurb (readers see both on every card),
/// and outlets no entry cites.
pub fn outlets(content: &Content, found: &mut Vec<Diagnostic>) {
    let cited: HashSet<&str> = content
        .items()
        .filter_map(|item| match item {
            Item::Entry(entry) => Some(entry.outlet.value.as_str()),
            Item::Story(_) => None,
        })
        .collect();
    for outlet in &content.outlets {
        let missing: Vec<&str> = [("tagline", &outlet.tagline), ("blurb", &outlet.blurb)]
            .into_iter()
            .filter(|(_, value)| value.trim().is_empty())
            .map(|(key, _)| key)
            .collect();
        if !missing.is_empty() {
            let keys: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
            found.push(
                outlet
                    .at
                    .warning(format!(
                        "outlet `{}` has no {}",
                        outlet.key,
                        keys.join(" or ")
                    ))
                    .code(OUTLET_INCOMPLETE)
                    .help(
                        "every card shows the outlet's tagline and blurb: add them under its key",
                    ),
            );
        }
        if !cited.contains(outlet.key.as_str()) {
            found.push(
                outlet
                    .at
                    .warning(format!("outlet `{}` is not cited by any entry", outlet.key))
                    .severity(Severity::Note)
                    .code(OUTLET_UNCITED),
            );
        }
    }
}

/// Stories without coverage, or without one of the explainer's sections.
pub fn stories(config: &Config, content: &Content, found: &mut Vec<Diagnostic>) {
    let covered: HashSet<String> = content
        .items()
        .filter_map(|item| match item {
            Item::Entry(entry) => entry.story.as_ref().map(|s| slugify(&s.value)),
            Item::Story(_) => None,
        })
        .collect();
    for item in content.items() {
        let Item::Story(story) = item else {
            continue;
        };
        let at = || Location::file(story.doc.path());
        let slug = slugify(story.doc.stem());
        if !covered.contains(&slug) {
            found.push(
                Diagnostic::warning(format!("story `{slug}` has no coverage"))
                    .at(at())
                    .code(STORY_NO_COVERAGE)
                    .help(format!(
                        "file the entries that report it with `story: {slug}`, e.g. `gazette new entry --story {slug} …`"
                    )),
            );
        }
        let sections = sections(story.doc.body());
        let find = |wanted: &str| {
            sections
                .iter()
                .find(|s| s.title.eq_ignore_ascii_case(wanted.trim()))
        };
        let missing: Vec<String> = config
            .check
            .sections
            .iter()
            .filter(|wanted| find(wanted).is_none())
            .map(|wanted| format!("`{wanted}`"))
            .collect();
        if !missing.is_empty() {
            found.push(
                Diagnostic::warning(format!(
                    "story `{slug}` has no section {}",
                    missing.join(", ")
                ))
                .at(at())
                .code(STORY_SECTIONS)
                .help("add each as a heading (`## The Context`), or set the sections a story has in `check.sections` of site.yaml"),
            );
        }
        // A heading with nothing under it is the skeleton `gazette new
        // story` writes: published as it is, the explainer says nothing.
        for section in config.check.sections.iter().filter_map(|w| find(w)) {
            if !section.written {
                found.push(
                    Diagnostic::warning(format!(
                        "story `{slug}`: section `{}` is empty",
                        section.title
                    ))
                    .at(story.doc.body_location(section.at, section.len))
                    .code(STORY_SECTIONS)
                    .label("nothing under this heading")
                    .help("write the section, or mark the story `draft: true` until it is written"),
                );
            }
        }
    }
}

/// Scheduled issues and drafts, each named once: a build leaves them out.
pub fn left_out(config: &Config, content: &Content, found: &mut Vec<Diagnostic>) {
    for issue in &content.issues {
        if issue.date > config.today && !config.future {
            found.push(
                Diagnostic::new(
                    Severity::Note,
                    format!(
                        "issue {} is scheduled: it is published on that day",
                        issue.date
                    ),
                )
                .at(Location::file(&issue.dir))
                .code(SCHEDULED),
            );
        }
    }
    let drafts = content
        .items()
        .filter(|item| match item {
            Item::Entry(e) => e.draft,
            Item::Story(s) => s.draft,
        })
        .map(Item::doc)
        .chain(content.pages.iter().filter(|p| p.draft).map(|p| &p.doc));
    if config.drafts {
        return;
    }
    for doc in drafts {
        found.push(
            Diagnostic::new(
                Severity::Note,
                format!(
                    "`{}` is a draft: left out until `draft: true` is removed",
                    display_path(doc.path())
                ),
            )
            .at(Location::file(doc.path()))
            .code(DRAFT),
        );
    }
}

/// A section of a story's explainer: its heading, where the heading is
/// in the body, and whether anything but headings is in it (under its
/// sub-headings too) before the next heading of its level or above.
struct Section {
    title: String,
    level: pulldown_cmark::HeadingLevel,
    at: usize,
    len: usize,
    written: bool,
}

/// The sections of `markdown`, in order.
fn sections(markdown: &str) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut heading: Option<(String, std::ops::Range<usize>)> = None;
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some((String::new(), range)),
            Event::End(TagEnd::Heading(level)) => {
                if let Some((text, range)) = heading.take() {
                    let line = markdown[range.clone()].lines().next().unwrap_or_default();
                    sections.push(Section {
                        title: text.trim().to_owned(),
                        level,
                        at: range.start,
                        len: line.trim_end().len(),
                        written: false,
                    });
                }
            }
            Event::Text(text) | Event::Code(text) if heading.is_some() => {
                if let Some((current, _)) = &mut heading {
                    current.push_str(&text);
                }
            }
            Event::Text(_)
            | Event::Code(_)
            | Event::Html(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::Start(Tag::Image { .. } | Tag::Table(_) | Tag::CodeBlock(_)) => {
                if matches!(&event, Event::Text(t) if t.trim().is_empty()) {
                    continue;
                }
                // The section it is in, and each one that section is under.
                let mut below = None;
                for section in sections.iter_mut().rev() {
                    if below.is_none_or(|level| section.level < level) {
                        section.written = true;
                        below = Some(section.level);
                    }
                }
            }
            _ => {}
        }
    }
    sections
}
