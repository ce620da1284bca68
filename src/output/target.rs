//! Which folders may be an output: never one whose cleaning could touch
//! the user's work (the site itself, its sources, a repository, home).

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, display_path};

/// The refusal of `dir` as output: why, and what to do.
pub(super) fn refuse(dir: &Path, why: &str, help: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "refusing to write the site to `{}`: {why}",
        display_path(dir)
    ))
    .help(help.to_owned())
}

/// Refuses output folders whose cleaning could delete the user's work.
pub(super) fn check_target(dir: &Path, root: &Path) -> Result<(), Diagnostic> {
    const HELP: &str = "build into a folder of its own, such as `public/` (the default)";
    if dir.is_symlink() {
        return Err(refuse(
            dir,
            "it is a symbolic link, and gazette writes only folders it made",
            HELP,
        ));
    }
    if dir.exists() && !dir.is_dir() {
        return Err(refuse(dir, "it is a file", HELP));
    }
    let dir_abs = absolute(dir);
    let root_abs = absolute(root);
    if dir_abs.parent().is_none() {
        return Err(refuse(dir, "it is the root of the file system", HELP));
    }
    if std::env::var_os("HOME").is_some_and(|home| absolute(Path::new(&home)) == dir_abs) {
        return Err(refuse(dir, "it is your home folder", HELP));
    }
    if root_abs.starts_with(&dir_abs) {
        return Err(refuse(dir, "it holds the site itself", HELP));
    }
    if dir_abs.components().any(|c| c.as_os_str() == ".git") {
        return Err(refuse(dir, "it is inside a `.git` folder", HELP));
    }
    if dir_abs.join(".git").exists() {
        return Err(refuse(dir, "it holds a `.git` repository", HELP));
    }
    if dir_abs.join("content").join("site.yaml").exists() {
        return Err(refuse(dir, "it holds a site (`content/site.yaml`)", HELP));
    }
    for own in crate::config::SOURCE_DIRS.iter().chain(&[".git"]) {
        let own_abs = root_abs.join(own);
        let own = format!("`{own}/`");
        if dir_abs == own_abs {
            return Err(refuse(dir, &format!("it is the site's {own}"), HELP));
        }
        if dir_abs.starts_with(&own_abs) {
            return Err(refuse(dir, &format!("it is inside the site's {own}"), HELP));
        }
        if own_abs.starts_with(&dir_abs) {
            return Err(refuse(dir, &format!("it holds the site's {own}"), HELP));
        }
    }
    Ok(())
}

/// `p` made absolute with what exists of it resolved, so `./public/..`
/// and symlinked parents compare as they really are.
fn absolute(p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut existing = p.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_owned()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    resolved.extend(rest.into_iter().rev());
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    // The site root, its own folders and any folder holding content/ are refused.
    #[test]
    fn refuses_dangerous_targets() {
        let site = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(site.path().join("content/2026-11-25")).expect("mkdir");
        std::fs::create_dir_all(site.path().join("themes/default")).expect("mkdir");
        assert!(check_target(site.path(), site.path()).is_err());
        assert!(check_target(site.path().parent().expect("parent"), site.path()).is_err());
        for inside in [
            "content",
            "content/2026-11-25",
            "themes",
            "themes/default/x",
            "static",
            "fonts",
            "fonts/x",
            ".git/x",
        ] {
            assert!(
                check_target(&site.path().join(inside), site.path()).is_err(),
                "{inside}"
            );
        }
        assert!(check_target(&site.path().join("public"), site.path()).is_ok());
        assert!(check_target(&site.path().join("public/nested"), site.path()).is_ok());
    }
}
