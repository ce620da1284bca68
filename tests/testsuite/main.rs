//! gazette's integration tests: fixture sites built by the real binary.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

#[path = "../common/mod.rs"]
mod common;
mod site_test;

mod assets;
mod build;
mod cards;
mod check;
mod crawl;
mod deploy;
mod email;
mod errors;
mod escaping;
mod fuzz;
mod import;
mod init;
mod languages;
mod markdown;
mod new;
mod output;
mod paginate;
mod properties;
mod publish;
mod published_urls;
mod safety;
mod search;
mod serve;
mod subscribe;
mod theme;
