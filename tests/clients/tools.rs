//! Finding the real clients: the Nu HTML checker (Java), Node with the
//! pinned packages of `tests/clients/package.json`, and Debian's Chromium.
//!
//! On a developer machine without them a check is skipped with a notice
//! that says how to install them; in CI (`CI=true`) a missing tool fails.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// How to get every tool, in one command.
pub const INSTALL: &str = "bash .ci/setup-clients";

pub fn clients_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients")
}

fn works(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|out| out.status.success())
}

/// Says that `check` cannot run for want of `missing`: a failure in CI, a
/// notice (printed past the test harness's capture) anywhere else.
fn unavailable(check: &str, missing: &str) {
    let message = format!(
        "{check}: skipped, {missing} is missing; install the client tools with `{INSTALL}`"
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{message} (CI=true: a missing tool is a failure)");
    }
    // Written to the file descriptor itself, so `cargo test` shows it.
    let _ = writeln!(std::io::stderr(), "\n    {message}");
}

/// Prints a result line past the test harness's capture, so that the
/// scores and counts show in every `cargo test` run, CI's included.
pub fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "    {line}");
}

/// The Nu HTML checker's jar, when Java and the jar are there.
pub fn vnu(check: &str) -> Option<PathBuf> {
    let jar = clients_dir().join("node_modules/vnu-jar/build/dist/vnu.jar");
    if !works("java", "-version") {
        unavailable(check, "Java");
        return None;
    }
    if !jar.is_file() {
        unavailable(check, "the npm package vnu-jar");
        return None;
    }
    Some(jar)
}

/// Node with axe-core, playwright-core and lighthouse, and Chromium.
pub fn browser(check: &str) -> bool {
    if !works("node", "--version") {
        unavailable(check, "Node.js");
        return false;
    }
    for package in ["axe-core", "playwright-core", "lighthouse"] {
        if !clients_dir().join("node_modules").join(package).is_dir() {
            unavailable(check, &format!("the npm package {package}"));
            return false;
        }
    }
    if !Path::new("/usr/bin/chromium").is_file() {
        unavailable(check, "Chromium (/usr/bin/chromium)");
        return false;
    }
    true
}
