//! Social cards: a 1200×630 PNG for every issue and story page, the picture
//! a link shows where it is shared (`og:image`, `twitter:card =
//! summary_large_image`).
//!
//! The theme's `card.svg` template lays the card out, as any template can be
//! overridden by the site; gazette draws it with resvg (its text from glyphs
//! filled once, see `glyphs.rs`; a card of flat rectangles and text straight
//! into the indices of its palette, see `indexed.rs`; a plain one read
//! without usvg, see `plain.rs`), with the fonts of the theme's `fonts/` and
//! the site's `fonts/` and none of the system's, so a card looks the same on
//! every machine. SVG has no line breaking: the
//! template cuts text into lines with the `card_lines` filter, which
//! measures it in those fonts and ends what does not fit with "…". A
//! character no font has is drawn as "□" and reported, with the fonts to add.
//!
//! Each card's PNG carries a digest of what it was drawn from (its SVG and
//! the fonts): a build finds last build's card in the output folder and
//! reuses its bytes while the digest matches, so only changed cards are
//! drawn; within one render, a card that says what the one before said
//! (an issue's and its lead story's) is drawn once ([`Drawn`]).
//! `social_cards: false` in `site.yaml` turns them off.

mod draw;
mod fonts;
mod glyphs;
mod indexed;
mod kern;
mod plain;
mod rects;

use std::collections::BTreeSet;

use tera::Value;

pub use draw::Drawn;
pub use fonts::{Fonts, lines_filter};

use super::values::map;
use super::{Body, Job, Scope};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Location, display_path};
use crate::site::{Site, long_date};

/// The template that lays a card out.
pub const TEMPLATE: &str = "card.svg";
/// A card's size in pixels: what Facebook, LinkedIn and X show largest.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
/// What stands in for a character no font has.
pub const MISSING: char = '□';

/// The output path of the card of the page at `page_path`.
pub fn path(page_path: &str) -> String {
    format!("{page_path}card.png")
}

/// A card for every issue and story, unless `social_cards: false`.
pub fn jobs(scope: &Scope<'_>, jobs: &mut Vec<Job>) {
    let site = scope.site;
    if !site.config.social_cards {
        return;
    }
    let story_card = |story: &crate::site::Story| {
        let date = story.date.date_naive();
        let page = card_value(
            site,
            "story",
            &story.path,
            date,
            &story.headline,
            &story.dek,
        );
        card_job(&story.path, page, display_path(&story.source))
    };
    // Each issue's card is followed by its lead story's, which often says
    // the same: one thread then draws it once (see [`Drawn`]), where two
    // far apart in the list would be drawn at the same time, one thread
    // waiting on the other.
    let mut done = vec![false; site.stories.len()];
    for issue in &site.issues {
        let lead = issue.stories.first().copied();
        let (headline, dek) = match lead.map(|s| &site.stories[s]) {
            Some(story) => (story.headline.as_str(), story.dek.as_str()),
            None => (issue.title.as_str(), ""),
        };
        let page = card_value(site, "issue", &issue.path, issue.date, headline, dek);
        // Its words are the lead story's, or the issue's own.
        let source = match lead.map(|s| &site.stories[s]) {
            Some(story) => display_path(&story.source),
            None => format!("content/{}", issue.date.format("%Y-%m-%d")),
        };
        jobs.push(card_job(&issue.path, page, source));
        if let Some(lead) = lead
            && !std::mem::replace(&mut done[lead], true)
        {
            jobs.push(story_card(&site.stories[lead]));
        }
    }
    for (story, done) in site.stories.iter().zip(done) {
        if !done {
            jobs.push(story_card(story));
        }
    }
}

fn card_job(page_path: &str, page: Value, source: String) -> Job {
    Job {
        path: path(page_path),
        body: Body::Card { source, page },
    }
}

/// The `page` of `card.svg`.
fn card_value(
    site: &Site,
    kind: &str,
    page_path: &str,
    date: chrono::NaiveDate,
    headline: &str,
    dek: &str,
) -> Value {
    map([
        ("kind", kind.into()),
        ("headline", headline.into()),
        ("dek", dek.into()),
        ("date", date.format("%Y-%m-%d").to_string().into()),
        // Alone on its line, as a title ("Mercredi 25 novembre 2026").
        (
            "date_long",
            crate::site::capitalised(&long_date(&site.config.words, date)).into(),
        ),
        ("permalink", site.config.permalink(page_path).into()),
    ])
}

/// The warning of a card some of whose text no font has.
pub fn missing_warning(
    config: &Config,
    card: &str,
    source: &str,
    missing: &BTreeSet<char>,
) -> Diagnostic {
    let shown: String = missing.iter().take(12).collect();
    Diagnostic::warning(format!(
        "the social card `{card}` shows {} character(s) as {MISSING}: no font of the theme has {shown}",
        missing.len()
    ))
    .at(Location::file(source))
    .code(crate::lint::CARD_GLYPHS)
    .help(format!(
        "add a font that has them (Noto Sans CJK for Japanese, Chinese and Korean) to `{}` or the site's `fonts/`",
        display_path(
            config
                .theme_dir()
                .join("fonts")
                .strip_prefix(&config.root)
                .unwrap_or(std::path::Path::new("fonts"))
        )
    ))
}
