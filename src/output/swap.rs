//! Putting a staged site in place in one step.
//!
//! The staging folder is made into the whole new site (what did not change
//! is hard-linked from the old one, so it keeps its bytes, its inode and its
//! modification time), then [`exchange`] swaps the two folders in one
//! `renameat2(RENAME_EXCHANGE)` call: whatever moment the process dies, the
//! output folder is the old site or the new one, never a mix.
//!
//! Where the call is not available (not Linux, or a file system without it),
//! [`replace`] moves the old folder aside and the new one in: two renames,
//! between which the output folder is missing for a moment; a build killed
//! right then leaves the old site aside, and the next build puts it back
//! first. Where even that cannot be done (the output folder is a mount
//! point), the caller moves the changed files in one by one, as before.

use std::io;
use std::path::Path;

use anyhow::Result;

/// Swaps the folders `a` and `b` in one step.
#[cfg(target_os = "linux")]
pub(super) fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// Swaps the folders `a` and `b` in one step: not available here.
#[cfg(not(target_os = "linux"))]
pub(super) fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Moves `dir` to `aside`, then `staging` to `dir`. `Err` when the first
/// rename failed: nothing moved.
pub(super) fn replace(staging: &Path, dir: &Path, aside: &Path) -> io::Result<()> {
    std::fs::rename(dir, aside)?;
    if let Err(e) = std::fs::rename(staging, dir) {
        // Put the old site back rather than leave none.
        let _ = std::fs::rename(aside, dir);
        return Err(e);
    }
    Ok(())
}

/// Puts the file `from` of the old site at `to` in the new one, as it is:
/// a hard link, or a copy with the same modification time where linking
/// fails; a symlink is made again, pointing where it pointed.
/// The folder of `to` exists.
pub(super) fn carry(from: &Path, to: &Path, meta: &std::fs::Metadata) -> Result<()> {
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(from)
            .map_err(|e| anyhow::anyhow!("cannot read the link `{}`: {e}", from.display()))?;
        return match symlink(&target, to) {
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(anyhow::anyhow!(
                "cannot make the link `{}`: {e}",
                to.display()
            )),
            _ => Ok(()),
        };
    }
    match std::fs::hard_link(from, to) {
        Ok(()) => return Ok(()),
        // The new site has its own file there.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Ok(()),
        Err(_) if std::fs::symlink_metadata(to).is_ok() => return Ok(()),
        Err(_) => {}
    }
    std::fs::copy(from, to).map_err(|e| {
        anyhow::anyhow!(
            "cannot copy `{}` to `{}`: {e}",
            from.display(),
            to.display()
        )
    })?;
    if let Ok(modified) = meta.modified() {
        let file = std::fs::File::options().write(true).open(to)?;
        file.set_modified(modified)?;
    }
    Ok(())
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(target: &Path, link: &Path) -> io::Result<()> {
    if target.is_dir() {
        std::os::windows::fs::symlink_dir(target, link)
    } else {
        std::os::windows::fs::symlink_file(target, link)
    }
}
