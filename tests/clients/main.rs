//! The client tier: the built sites as browsers, validators and crawlers
//! see them. Builds (a) the repository's own site and (b) a generated site
//! of 300 entries, then checks them with the Nu HTML checker, axe-core,
//! Chromium and Firefox ESR (layout), Lighthouse and a link checker; a site of hostile
//! Markdown is opened in Chromium, where none of it may run (`scripts`);
//! the search box is used in Chromium, on a site of 10,000 entries too,
//! and in Firefox; the email sign-up form is sent in both engines. The
//! publishing commands meet real servers: `send --proof` an SMTP server
//! (aiosmtpd), `deploy` an S3 endpoint (moto). A
//! fixture page broken on purpose proves that no check passes vacuously.
//!
//! Tools: `bash .ci/setup-clients`. Screenshots: `target/client-artifacts/`.
//!
//! Its own harness (`harness = false`, libtest-mimic), because libtest
//! cannot ignore a test once it runs: a check whose tool is missing returns
//! [`tools::Missing`] and is reported as *ignored*, with the install
//! command, not as passed; with `CI=true` it fails. Filters and flags are
//! libtest's (`cargo test --test clients -- feeds --list`).
#![allow(clippy::unwrap_used)]

#[path = "../common/mod.rs"]
mod common;

mod browser;
mod corpus;
mod firefox;
mod links;
mod live;
mod pages;
mod publish;
mod scripts;
mod search;
mod signup;
mod sites;
mod tools;

use std::process::ExitCode;

use libtest_mimic::{Arguments, Completion, Failed, Trial};

pub use common::{copy_tree, free_port};
pub use sites::{BROWSER, Built, broken, build, copy_theme, repo_copy, sites};
use tools::Missing;

/// What a check returns: `()` when it needs nothing but gazette, or
/// whether the tools it needs were there.
trait Ran {
    fn ran(self) -> Result<(), Missing>;
}

impl Ran for () {
    fn ran(self) -> Result<(), Missing> {
        Ok(())
    }
}

impl Ran for Result<(), Missing> {
    fn ran(self) -> Result<(), Missing> {
        self
    }
}

/// A check as a trial named by its path (`publish::feeds::…`, as libtest
/// would): passed when it returns, failed when it panics, ignored (or, in
/// CI, failed) when a tool it needs is missing.
fn trial<R: Ran + 'static>(name: &str, check: fn() -> R) -> Trial {
    Trial::ignorable_test(name.replace(' ', ""), move || match check().ran() {
        Ok(()) => Ok(Completion::Completed),
        Err(missing) if tools::in_ci() => Err(Failed::from(format!(
            "{missing} (CI=true: a missing tool is a failure)"
        ))),
        Err(missing) => Ok(Completion::ignored_with(missing)),
    })
}

macro_rules! trials {
    ($($check:path),* $(,)?) => {
        vec![$(trial(stringify!($check), $check)),*]
    };
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let trials = trials![
        pages::html_passes_the_nu_checker,
        pages::no_accessibility_violations,
        pages::layout_holds_at_phone_and_desktop_widths,
        firefox::layout_holds_in_firefox,
        pages::lighthouse_scores_at_least_095,
        pages::no_broken_internal_links,
        pages::aliases_redirect_in_chromium,
        publish::feeds::feeds_read_cleanly_in_feedparser,
        publish::json_feed::feed_json_matches_the_json_feed_schema,
        publish::sitemap::sitemap_matches_the_sitemaps_schema,
        publish::email::email_editions_are_self_contained,
        publish::email::email_editions_work_in_gmail_and_apple_mail,
        publish::email::email_editions_render_within_600px,
        publish::email_txt::email_txt_lists_every_link,
        publish::feed_rs::feeds_read_cleanly_in_feed_rs,
        publish::send::send_proof_delivers_the_email_edition_over_smtp,
        publish::deploy::deploy_to_s3_uploads_only_what_changed,
        publish::deploy::deploy_to_s3_survives_a_store_that_dies_part_way,
        publish::deploy::deploy_to_s3_with_refused_credentials_changes_nothing,
        scripts::no_script_runs_from_markdown,
        live::live_reload_in_chromium,
        live::live_reload_under_a_base_path_in_chromium,
        search::search_finds_entries_in_chromium,
        search::search_in_the_preview_under_a_path_in_chromium,
        firefox::search_finds_entries_in_firefox,
        signup::sign_up_reaches_each_service_in_chromium_and_firefox,
        links::tests::accepts_good_links,
        links::tests::catches_broken_links_and_anchors,
    ];
    libtest_mimic::run(&args, trials).exit_code()
}
