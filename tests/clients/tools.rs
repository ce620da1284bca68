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

/// Python 3 (`python3`) with every module of `modules` importable: the
/// pinned PyPI packages of `.ci/setup-clients` (feedparser, lxml, jsonschema
/// with its format checkers).
pub fn python(check: &str, modules: &[&str]) -> bool {
    if !works("python3", "--version") {
        unavailable(check, "Python 3 (python3)");
        return false;
    }
    for module in modules {
        let imports = Command::new("python3")
            .args(["-c", &format!("import {module}")])
            .output()
            .is_ok_and(|out| out.status.success());
        if !imports {
            unavailable(check, &format!("the Python module {module}"));
            return false;
        }
    }
    true
}

/// A file of an npm package in `tests/clients/node_modules` (a schema the
/// package ships, say), when Node and the package are there.
pub fn node_package_file(check: &str, package: &str, file: &str) -> Option<PathBuf> {
    if !works("node", "--version") {
        unavailable(check, "Node.js");
        return None;
    }
    let path = clients_dir().join("node_modules").join(package).join(file);
    if !path.is_file() {
        unavailable(check, &format!("the npm package {package} ({file})"));
        return None;
    }
    Some(path)
}

/// Debian's Chromium, for checks that open pages with playwright-core.
pub fn chromium(check: &str) -> bool {
    node_package_file(check, "playwright-core", "package.json").is_some()
        && if Path::new("/usr/bin/chromium").is_file() {
            true
        } else {
            unavailable(check, "Chromium (/usr/bin/chromium)");
            false
        }
}
