//! `gazette check`'s editorial rules: what a build does not need but a
//! newsroom does not want to publish (a tracking tag left in a link, a TNW
//! article filed under Bloomberg, a story with no coverage, a link to a
//! page that does not exist, an email Gmail will clip).
//!
//! Takes the parsed [`Content`] (drafts and scheduled issues included) and
//! the [`Site`] model, and for the rules that need the rendered site, the
//! paths of every file it makes; returns
//! diagnostics, each with a code from [`CODES`] that `check.allow` in
//! `site.yaml` can silence. One module per kind of rule: `editorial`
//! (entries, outlets, stories, what is left out) and `links` (internal
//! links). Gmail's clip (`email-clipped`) is found where the email is
//! rendered, by every build.

mod editorial;
mod links;

use crate::config::Config;
use crate::content::Content;
use crate::diagnostic::{Diagnostic, Severity};
use crate::site::Site;

pub use links::{Rendered, Written};

/// Every code a diagnostic may carry, for `check.allow`.
pub const CODES: &[&str] = &[
    DUPLICATE_URL,
    DUPLICATE_ENTRY,
    TRACKING_PARAMS,
    OUTLET_HOST,
    OUTLET_INCOMPLETE,
    OUTLET_UNCITED,
    STORY_NO_COVERAGE,
    STORY_SECTIONS,
    BROKEN_LINK,
    EMAIL_CLIPPED,
    SCHEDULED,
    DRAFT,
    EMPTY_ISSUE,
    FUTURE_DATE,
    CARD_GLYPHS,
];

/// Two outlets cite one article: a warning, since that can be deliberate.
pub const DUPLICATE_URL: &str = "duplicate-url";
/// One outlet's article filed twice: a warning in a build, an error in `check`.
pub const DUPLICATE_ENTRY: &str = "duplicate-entry";
pub const TRACKING_PARAMS: &str = "tracking-params";
pub const OUTLET_HOST: &str = "outlet-host";
pub const OUTLET_INCOMPLETE: &str = "outlet-incomplete";
pub const OUTLET_UNCITED: &str = "outlet-uncited";
pub const STORY_NO_COVERAGE: &str = "story-no-coverage";
pub const STORY_SECTIONS: &str = "story-sections";
pub const BROKEN_LINK: &str = "broken-link";
pub const EMAIL_CLIPPED: &str = "email-clipped";
pub const SCHEDULED: &str = "scheduled";
pub const DRAFT: &str = "draft";
/// An issue folder with nothing in it: left out of the site.
pub const EMPTY_ISSUE: &str = "empty-issue";
/// An entry dated after the day of its issue (a mistyped year).
pub const FUTURE_DATE: &str = "future-date";
/// A social card that shows characters no font has as boxes.
pub const CARD_GLYPHS: &str = "card-glyphs";

/// The rules that need only the sources and the model.
pub fn content(site: &Site, content: &Content) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    editorial::entries(content, &mut found);
    editorial::outlets(content, &mut found);
    editorial::stories(&site.config, content, &mut found);
    editorial::left_out(&site.config, content, &mut found);
    found
}

/// What the rules that need the rendered site read from the sources: the
/// links the editors wrote. The sources can go once this is made.
pub fn written(site: &Site, content: &Content) -> Written {
    links::written(site, content)
}

/// The links that lead nowhere, as far as a run can tell that renders
/// nothing because of errors elsewhere (see [`links::on_disk`]).
pub fn links_on_disk(site: &Site, content: &Content) -> Vec<Diagnostic> {
    links::on_disk(&site.config.root, links::written(site, content))
}

/// The rules that need the rendered site: internal links.
pub fn site(site: &Site, written: Written, rendered: &Rendered) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    links::internal(site, written, rendered, &mut found);
    found
}

/// Drops what the site's `check.allow` silences. Errors are never silenced:
/// a code that names an error (a broken link) stays, and in `check`
/// (`strict`) what [`stricter`] makes an error stays too.
pub fn allow(config: &Config, strict: bool, diagnostics: &mut Vec<Diagnostic>) {
    if strict {
        stricter(diagnostics);
    }
    let allowed = &config.check.allow;
    if allowed.is_empty() {
        return;
    }
    diagnostics
        .retain(|d| d.is_error() || !d.code.is_some_and(|code| allowed.iter().any(|a| a == code)));
}

/// What `check` holds to a higher standard than a build: one outlet's
/// article filed twice is an error there.
fn stricter(diagnostics: &mut [Diagnostic]) {
    for d in diagnostics {
        if d.code == Some(DUPLICATE_ENTRY) {
            d.severity = Severity::Error;
        }
    }
}
