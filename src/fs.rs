//! `std::fs`, with every error naming the path it failed on, and [`SiteFs`],
//! the one door through which the site's own files are read.
//!
//! An I/O error without a path ("No such file or directory") tells the user
//! nothing; these wrappers are the only way the rest of the crate touches files.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::diagnostic::{Diagnostic, Location};

/// The largest file gazette reads, unless `site.yaml` says otherwise.
pub const DEFAULT_LIMIT_MB: u64 = 16;

/// Reads the files of one site, and only those.
///
/// Several editors commit to a newsletter's repository and CI builds it with
/// deploy tokens in its environment: a symlink `static/env.txt ->
/// /proc/self/environ` must not publish them. So every read resolves the
/// path (symlinks included) and refuses what lands outside the site root;
/// only regular files are read (a FIFO would block the build forever, a
/// device such as `/dev/zero` would never end); and no file larger than the
/// limit is read.
#[derive(Debug, Clone)]
pub struct SiteFs {
    /// The site root, resolved.
    root: PathBuf,
    /// The largest file read, in bytes.
    limit: u64,
}

/// Why a file of the site was not read.
#[derive(Debug)]
pub enum Refused {
    /// It resolves (through a symlink) outside the site.
    Outside,
    /// It is a folder, a FIFO, a socket or a device: named.
    NotAFile(&'static str),
    TooBig {
        size: u64,
        limit: u64,
    },
    Io(std::io::Error),
}

impl From<std::io::Error> for Refused {
    fn from(e: std::io::Error) -> Self {
        Refused::Io(e)
    }
}

impl SiteFs {
    /// The reader of the site at `root`, reading files up to `limit_mb` megabytes.
    pub fn new(root: &Path, limit_mb: u64) -> SiteFs {
        // A root that does not exist has no files to read; the config says so.
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        SiteFs {
            root,
            limit: limit_mb.saturating_mul(1_000_000),
        }
    }

    /// Whether `path` (a file or folder) resolves inside the site.
    pub fn check(&self, path: &Path) -> Result<(), Refused> {
        if path.canonicalize()?.starts_with(&self.root) {
            Ok(())
        } else {
            Err(Refused::Outside)
        }
    }

    /// The bytes of the regular file at `path`, which must resolve inside the site.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, Refused> {
        self.read_within(path, u64::MAX)
    }

    /// [`SiteFs::read`] with a limit of `cap` bytes where the site's is larger
    /// (a feed that `import` reads from inside the site).
    pub fn read_within(&self, path: &Path, cap: u64) -> Result<Vec<u8>, Refused> {
        self.check(path)?;
        read_regular(path, self.limit.min(cap))
    }

    /// [`SiteFs::read`] for a file met by walking a folder that [`SiteFs::check`]
    /// passed: walkdir does not follow links below its root, so only a link
    /// needs resolving again. Spares a `realpath` per entry of a large site.
    pub fn read_walked(&self, entry: &walkdir::DirEntry) -> Result<Vec<u8>, Refused> {
        if entry.path_is_symlink() {
            self.check(entry.path())?;
        }
        read_regular(entry.path(), self.limit)
    }

    /// A static file that [`SiteFs::inspect_walked`] passed, read to be
    /// published; it changing since is a failure of the build, not of the site.
    pub fn read_static(&self, path: &Path) -> Result<Vec<u8>> {
        self.read(path).map_err(|refused| {
            let why = match refused {
                Refused::Io(e) => e.to_string(),
                other => other.diagnostic(path).message,
            };
            anyhow::anyhow!("cannot read `{}`: {why}", path.display())
        })
    }

    /// What [`SiteFs::read_walked`] would refuse, without reading: for files
    /// copied later, one at a time, rather than all held in memory.
    pub fn inspect_walked(&self, entry: &walkdir::DirEntry) -> Result<(), Refused> {
        if entry.path_is_symlink() {
            self.check(entry.path())?;
        }
        judge(&std::fs::metadata(entry.path())?, self.limit)
    }
}

/// A regular file within the size limit, or why not.
fn judge(meta: &std::fs::Metadata, limit: u64) -> Result<(), Refused> {
    if !meta.is_file() {
        return Err(Refused::NotAFile(kind_of(&meta.file_type())));
    }
    if meta.len() > limit {
        return Err(Refused::TooBig {
            size: meta.len(),
            limit,
        });
    }
    Ok(())
}

/// The bytes of the regular file at `path`, at most `limit` of them, wherever
/// it is: for a file the user named (`import`'s feed), not one of the site.
///
/// Opens without blocking (a FIFO's `open` waits for a writer), then
/// judges the open file itself, so a swap between check and read
/// cannot slip a device in.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, Refused> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = match options.open(path) {
        Ok(file) => file,
        // A socket cannot be opened at all: say what it is, not ENXIO.
        Err(e) => match std::fs::metadata(path) {
            Ok(meta) if !meta.is_file() => {
                return Err(Refused::NotAFile(kind_of(&meta.file_type())));
            }
            _ => return Err(e.into()),
        },
    };
    let meta = file.metadata()?;
    judge(&meta, limit)?;
    // `/proc` files say they are empty and are not: read at most one
    // byte past the limit rather than trust the length.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(Refused::TooBig {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// What a file that is not a regular file is, for the message.
pub fn kind_of(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

impl Refused {
    /// The problem as a diagnostic about `rel`, the file relative to the root.
    pub fn diagnostic(&self, rel: &Path) -> Diagnostic {
        let at = Location::file(rel);
        match self {
            Refused::Outside => Diagnostic::error("this is a link to something outside the site")
                .at(at)
                .help("gazette reads only files inside the site's folder; copy the file in instead of linking to it"),
            Refused::NotAFile(kind) => Diagnostic::error(format!("this is {kind}, not a file"))
                .at(at)
                .help("gazette reads only regular files; remove it or replace it with a file"),
            Refused::TooBig { size, limit } => Diagnostic::error(format!(
                "this file is {}, over the limit of {}",
                megabytes(*size),
                megabytes(*limit)
            ))
            .at(at)
            .help("make it smaller, or raise `max_file_mb` in site.yaml"),
            Refused::Io(e) if is_link_loop(e) => {
                Diagnostic::error("this is a link that leads back to itself (a loop of symbolic links)")
                    .at(at)
                    .help("replace the link with the file it should point to")
            }
            Refused::Io(e) => Diagnostic::error(format!("cannot read this file: {e}")).at(at),
        }
    }
}

/// A folder or file of the site that a walk could not read (a folder
/// without read permission, one removed while read), as a diagnostic about
/// it: one run then reports it beside every other problem.
pub fn walk_error(root: &Path, error: &walkdir::Error) -> Diagnostic {
    let path = error.path().unwrap_or(root);
    let rel = path.strip_prefix(root).unwrap_or(path);
    let cause = error
        .io_error()
        .map_or_else(|| error.to_string(), ToString::to_string);
    Diagnostic::error(format!("cannot read this folder or file: {cause}"))
        .at(Location::file(rel))
        .help("give yourself permission to read it (`chmod u+rx` for a folder), or move it out of the site")
}

/// Whether `e` says the path is a loop of symbolic links.
fn is_link_loop(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

pub fn read_to_string(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`", path.display()))
}

pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))
}

pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write `{}`", path.display()))
}

/// Writes a new file at `path`, its folder made first. Fails if anything is
/// there already, even a file that appeared since the caller looked: what
/// `init` and `new` write must never replace an editor's file.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut file| file.write_all(bytes))
        .with_context(|| format!("cannot write `{}`", path.display()))
}

pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path)
        .with_context(|| format!("cannot create folder `{}`", path.display()))
}

pub fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to)
        .with_context(|| format!("cannot move `{}` to `{}`", from.display(), to.display()))
}

pub fn remove_file(path: &Path) -> Result<()> {
    std::fs::remove_file(path).with_context(|| format!("cannot remove `{}`", path.display()))
}

pub fn remove_dir_all(path: &Path) -> Result<()> {
    std::fs::remove_dir_all(path)
        .with_context(|| format!("cannot remove folder `{}`", path.display()))
}

/// The order of a walk sorted by name, as `WalkDir::sort_by_file_name`
/// gives, for `WalkDir::sort_by`. `Path::file_name` parses the path from
/// its end at each comparison, and the two walks of `content/` at 10,000
/// entries compare 180,000 times: 0.7% of a build's instructions, on one
/// core. A walked entry's path is its folder's joined with its name, so
/// its name is what follows the last separator.
pub fn by_name(a: &walkdir::DirEntry, b: &walkdir::DirEntry) -> std::cmp::Ordering {
    fn name(entry: &walkdir::DirEntry) -> &[u8] {
        let path = entry.path().as_os_str().as_encoded_bytes();
        let slash = path
            .iter()
            .rposition(|&b| std::path::is_separator(char::from(b)));
        slash.map_or(path, |slash| &path[slash + 1..])
    }
    name(a).cmp(name(b))
}

/// Whether `a` and `b` are the same path, as bytes: `Path`'s own equality
/// splits both into components, which over 100,000 entries costs 30 ms a
/// scan. For paths made the same way (from the walk of `content/` and the
/// watcher's paths relative to the root), whose bytes are equal exactly
/// when the paths are.
pub fn same_path(a: &Path, b: &Path) -> bool {
    a.as_os_str() == b.as_os_str()
}

/// Whether `path` holds exactly `bytes`; a missing or unreadable file does not.
pub fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// The text of the user file `rel` from its bytes: UTF-8 or an error at the
/// line of the first bad byte; then as [`normalize_text`].
pub fn decode_text(rel: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        // No text editor writes one: a binary file, or a damaged one.
        Ok(text) if text.contains('\0') => {
            let at = text.find('\0').unwrap_or_default();
            let (line, column) = crate::diagnostic::line_column(&text, at);
            Err(Diagnostic::error("this file holds a NUL character: it is binary, or damaged")
                .at(Location {
                    line,
                    column: Some(column),
                    ..Location::file(rel)
                })
                .help("remove the character (editors show it as `^@` or `\\0`), or write the file again as text"))
        }
        Ok(text) => Ok(normalize_text(text)),
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            Err(Diagnostic::error("this file is not UTF-8 text")
                .at(Location {
                    line,
                    ..Location::file(rel)
                })
                .help("save the file as UTF-8 in your editor"))
        }
    }
}

/// Text of a user file: UTF-8, byte order mark dropped, CRLF made LF, and
/// a CR alone (classic Mac OS; CommonMark and YAML read it as a line's end
/// too) made LF.
///
/// Line numbers are unchanged by this, so diagnostics still point right.
pub fn normalize_text(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Links out of the site, FIFOs and oversized files are refused at once;
    // a link that stays inside is read.
    #[cfg(unix)]
    #[test]
    fn reads_only_regular_files_inside_the_site() {
        let outside = tempfile::tempdir().expect("temp");
        let site = tempfile::tempdir().expect("temp");
        let secret = outside.path().join("secret.txt");
        std::fs::write(&secret, "token").expect("write");
        std::fs::write(site.path().join("big.md"), "x".repeat(1_000_001)).expect("write");
        std::fs::write(site.path().join("ok.md"), "fine").expect("write");
        std::os::unix::fs::symlink(&secret, site.path().join("out.md")).expect("symlink");
        std::os::unix::fs::symlink("ok.md", site.path().join("in.md")).expect("symlink");
        let fifo = site.path().join("pipe.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        let fs = SiteFs::new(site.path(), 1);
        assert!(matches!(
            fs.read(&site.path().join("out.md")),
            Err(Refused::Outside)
        ));
        assert!(matches!(
            fs.read(&site.path().join("big.md")),
            Err(Refused::TooBig { .. })
        ));
        assert_eq!(
            fs.read(&site.path().join("in.md")).ok(),
            Some(b"fine".to_vec())
        );
        assert!(matches!(
            fs.read(Path::new("/dev/zero")),
            Err(Refused::Outside)
        ));
        let inside_fs = SiteFs::new(Path::new("/"), 1);
        assert!(matches!(
            inside_fs.read(Path::new("/dev/zero")),
            Err(Refused::NotAFile("a device"))
        ));
        if made.is_ok_and(|s| s.success()) {
            assert!(matches!(
                fs.read(&fifo),
                Err(Refused::NotAFile("a named pipe (FIFO)"))
            ));
        }
    }
}
