//! Static files: the theme's `static/` overlaid by the site's, copied as
//! they are. Takes the config, returns output path -> source file, with a
//! diagnostic for each file that may not be published (a link out of the
//! site, a FIFO, a file over the size limit).
//!
//! CSS and JavaScript are published twice: under their own names, for
//! themes that link them directly, and under names that carry a hash of
//! their bytes (`style.3fa2c9d1.css`), which a browser and a CDN may keep
//! forever ([`fingerprint`]); templates link those through `asset_url`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use walkdir::WalkDir;

use crate::config::Config;
use crate::content;
use crate::diagnostic::{Diagnostic, Location, display_path};
use crate::render;

/// The theme's `static/` overlaid by the site's, as output path -> source
/// file; a file that may not be published is an error in `warnings`.
pub fn files(config: &Config, warnings: &mut Vec<Diagnostic>) -> Result<BTreeMap<String, PathBuf>> {
    let mut files = BTreeMap::new();
    for dir in [
        config.theme_dir().join("static"),
        config.root.join("static"),
    ] {
        if !dir.is_dir() {
            continue;
        }
        let site_rel = |path: &Path| {
            path.strip_prefix(&config.root)
                .unwrap_or(path)
                .to_path_buf()
        };
        if let Err(refused) = config.fs.check(&dir) {
            warnings.push(refused.diagnostic(&site_rel(&dir)));
            continue;
        }
        let walk = WalkDir::new(&dir)
            .sort_by(crate::fs::by_name)
            .into_iter()
            .filter_entry(|e| !is_unpublished(&e.file_name().to_string_lossy()));
        for entry in walk {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    warnings.push(crate::fs::walk_error(&config.root, &e));
                    continue;
                }
            };
            if entry.file_type().is_dir() {
                continue;
            }
            // Published as is: a link out of the site must never carry a
            // secret (`/proc/self/environ`, `~/.aws/credentials`) to the host.
            if let Err(refused) = config.fs.inspect_walked(&entry) {
                warnings.push(refused.diagnostic(&site_rel(entry.path())));
                continue;
            }
            let rel = display_path(entry.path().strip_prefix(&dir)?);
            files.insert(rel, entry.path().to_path_buf());
        }
    }
    Ok(files)
}

/// Hidden files and editors' leftovers stay out of the site, but for the
/// ones static hosts read: GitHub Pages' `.nojekyll`, `.well-known/`
/// (security.txt, domain verification), Apache's `.htaccess`.
fn is_unpublished(name: &str) -> bool {
    !matches!(name, ".nojekyll" | ".well-known" | ".htaccess") && content::is_ignored(name)
}

/// Drops the static files at paths where gazette makes a page, with a warning.
pub fn drop_shadowed<'a>(
    config: &Config,
    files: &mut BTreeMap<String, PathBuf>,
    jobs: impl IntoIterator<Item = &'a render::Job>,
    warnings: &mut Vec<Diagnostic>,
) {
    for job in jobs {
        if let Some(source) = files.remove(&job.path) {
            let rel = source.strip_prefix(&config.root).unwrap_or(&source);
            warnings.push(
                Diagnostic::warning(format!(
                    "static file `{}` is ignored: gazette makes that page",
                    job.path
                ))
                .at(Location::file(rel))
                .help(match job.path.as_str() {
                    crate::render::sitemap::ROBOTS => {
                        "move it to `templates/robots.txt`, a template that replaces gazette's rules (`{{ page.sitemap }}` is the sitemap's URL)"
                    }
                    _ => "rename or remove the static file",
                }),
            );
        }
    }
}

/// A CSS or JavaScript file as templates link it (`site.assets`,
/// `asset_url`, `asset_integrity`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Its output path: with the hash of its bytes in the name
    /// (`style.3fa2c9d1.css`), or its own name when not fingerprinted.
    pub path: String,
    /// Subresource Integrity of its bytes (`sha384-…`); `None` when not
    /// fingerprinted.
    pub integrity: Option<String>,
}

/// Whether a static file is published under a fingerprinted name too.
fn is_fingerprinted(path: &str) -> bool {
    path.ends_with(".css") || path.ends_with(".js")
}

/// The CSS and JavaScript files of `files`, by output path. Fingerprinted
/// (unless `plain`: `serve`, whose browsers swap an edited stylesheet in
/// place): each is added to `files` a second time under its hashed name.
pub fn fingerprint(
    config: &Config,
    files: &mut BTreeMap<String, PathBuf>,
    plain: bool,
    warnings: &mut Vec<Diagnostic>,
) -> Result<BTreeMap<String, Asset>> {
    use base64::Engine as _;
    use sha2::Digest as _;
    let mut assets = BTreeMap::new();
    let mut hashed = Vec::new();
    for (path, source) in files.iter().filter(|(path, _)| is_fingerprinted(path)) {
        if plain {
            let asset = Asset {
                path: path.clone(),
                integrity: None,
            };
            assets.insert(path.clone(), asset);
            continue;
        }
        let digest = sha2::Sha384::digest(config.fs.read_static(source)?);
        let hex: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
        let (stem, ext) = path.rsplit_once('.').unwrap_or((path, ""));
        let asset = Asset {
            path: format!("{stem}.{hex}.{ext}"),
            integrity: Some(format!(
                "sha384-{}",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )),
        };
        hashed.push((path.clone(), asset.path.clone(), source.clone()));
        assets.insert(path.clone(), asset);
    }
    for (plain, path, source) in hashed {
        // A file of that very name (a copy of an old build's output, say)
        // gives way: it said nothing before, and was not published.
        if let Some(other) = files.insert(path.clone(), source) {
            let rel = other.strip_prefix(&config.root).unwrap_or(&other);
            warnings.push(
                Diagnostic::warning(format!(
                    "static file `{path}` is ignored: gazette publishes `{plain}` under that name"
                ))
                .at(Location::file(rel))
                .help(format!(
                    "remove it: every build makes that copy of `{plain}`, from `{plain}` itself"
                )),
            );
        }
    }
    Ok(assets)
}
