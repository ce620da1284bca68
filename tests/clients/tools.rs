//! Finding the real clients: the Nu HTML checker (Java), Node with the
//! pinned packages of `tests/clients/package.json`, Python 3 with the pinned
//! modules of `.ci/setup-clients`, Debian's Chromium and Firefox ESR.
//!
//! A check asks here for each tool it needs, first thing; a tool not found
//! is a [`Missing`], which the check returns with `?`. The harness
//! (`main.rs`) then reports the check as ignored, with how to install the
//! tools, on a developer machine, and as failed in CI (`CI=true`): nothing
//! passes without having run.

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// How to get every tool, in one command.
pub const INSTALL: &str = "bash .ci/setup-clients";

/// A tool a check needs and did not find: what it is.
#[derive(Debug)]
pub struct Missing(String);

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is missing; install the client tools with `{INSTALL}`",
            self.0
        )
    }
}

/// Whether this is CI (`CI=true`), where a missing tool is a failure.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

pub fn clients_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients")
}

/// Prints a result line past the test harness, so that the scores and
/// counts show in every `cargo test` run, CI's included.
pub fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "    {line}");
}

/// `Ok` when `program arg` runs and succeeds; else `what` is missing.
fn works(program: &str, arg: &str, what: &str) -> Result<(), Missing> {
    let ran = Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|out| out.status.success());
    if ran {
        Ok(())
    } else {
        Err(Missing(what.to_owned()))
    }
}

/// The Nu HTML checker's jar, when Java and the jar are there.
pub fn vnu() -> Result<PathBuf, Missing> {
    works("java", "-version", "Java")?;
    let jar = clients_dir().join("node_modules/vnu-jar/build/dist/vnu.jar");
    if !jar.is_file() {
        return Err(Missing("the npm package vnu-jar".to_owned()));
    }
    Ok(jar)
}

/// Node with axe-core, playwright-core and lighthouse, and Chromium.
pub fn browser() -> Result<(), Missing> {
    works("node", "--version", "Node.js")?;
    for package in ["axe-core", "playwright-core", "lighthouse"] {
        if !clients_dir().join("node_modules").join(package).is_dir() {
            return Err(Missing(format!("the npm package {package}")));
        }
    }
    debian_chromium()
}

/// Python 3 (`python3`) with every module of `modules` importable: the
/// pinned PyPI packages of `.ci/setup-clients` (feedparser, lxml, jsonschema
/// with its format checkers).
pub fn python(modules: &[&str]) -> Result<(), Missing> {
    works("python3", "--version", "Python 3 (python3)")?;
    for module in modules {
        let imports = Command::new("python3")
            .args(["-c", &format!("import {module}")])
            .output()
            .is_ok_and(|out| out.status.success());
        if !imports {
            return Err(Missing(format!("the Python module {module}")));
        }
    }
    Ok(())
}

/// A file of an npm package in `tests/clients/node_modules` (a schema the
/// package ships, say), when Node and the package are there.
pub fn node_package_file(package: &str, file: &str) -> Result<PathBuf, Missing> {
    works("node", "--version", "Node.js")?;
    let path = clients_dir().join("node_modules").join(package).join(file);
    if !path.is_file() {
        return Err(Missing(format!("the npm package {package} ({file})")));
    }
    Ok(path)
}

/// Debian's Chromium, for checks that open pages with playwright-core.
pub fn chromium() -> Result<(), Missing> {
    node_package_file("playwright-core", "package.json")?;
    debian_chromium()
}

/// Debian's Firefox ESR with geckodriver (`cargo install geckodriver`) and
/// the `ws` package that speaks WebDriver BiDi to it, and `openssl` for the
/// stand-in services' certificate.
/// The path of geckodriver is what it returns, for `GECKODRIVER_PATH`.
pub fn firefox() -> Result<PathBuf, Missing> {
    node_package_file("ws", "package.json")?;
    works("openssl", "version", "openssl")?;
    if !Path::new("/usr/bin/firefox-esr").is_file() {
        return Err(Missing("Firefox ESR (/usr/bin/firefox-esr)".to_owned()));
    }
    // On the PATH, or where `cargo install` put it.
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .map(|home| home.join("bin/geckodriver"));
    let found = std::iter::once(PathBuf::from("geckodriver"))
        .chain(cargo_bin)
        .find(|program| {
            Command::new(program)
                .arg("--version")
                .output()
                .is_ok_and(|out| out.status.success())
        });
    found.ok_or_else(|| Missing("geckodriver (cargo install geckodriver)".to_owned()))
}

fn debian_chromium() -> Result<(), Missing> {
    if Path::new("/usr/bin/chromium").is_file() {
        Ok(())
    } else {
        Err(Missing("Chromium (/usr/bin/chromium)".to_owned()))
    }
}
