//! gazette: a static-site generator for curated newsletters.
//!
//! The pipeline, one module a stage:
//!
//! 1. [`config`]: `content/site.yaml` + flags -> `Config`
//! 2. [`content`]: walk `content/`, parse front matter -> `Content`
//! 3. [`site`]: cross-file checks, drafts, schedule, Markdown, order -> `Site`
//! 4. [`render`]: Tera templates over shared values -> pages
//! 5. [`output`]: stage, swap in, skip unchanged, remove stale
//!
//! [`build`] runs them in order, [`serve`] keeps them running on every save; problems in the user's files travel as
//! [`diagnostic::Diagnostic`] values, machine failures as `anyhow` errors. Below the stages, [`source`] reads what the
//! user wrote into values that know where they were written ([`source::Located`]), so a later stage's diagnostic
//! points at the value without looking for it again; [`markdown`] is the renderer `site` calls.

#![forbid(unsafe_code)]

pub mod build;
pub mod config;
pub mod content;
pub mod deploy;
pub mod diagnostic;
pub mod fs;
#[doc(hidden)]
pub mod fuzz;
pub mod import;
pub mod init;
pub mod lint;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod published;
pub mod render;
pub mod send;
pub mod serve;
pub mod site;
pub mod slug;
pub mod source;
pub mod statics;
pub mod timing;

pub use build::{Outcome, Report, build, check};
pub use config::Options;

/// What the property tests share.
#[cfg(test)]
pub(crate) mod testing {
    use proptest::test_runner::{Config, TestRunner};

    /// A runner of `cases` random cases that keeps no file of past
    /// failures: the tests run from a clean clone each time.
    pub(crate) fn runner(cases: u32) -> TestRunner {
        TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        })
    }
}
