//! The pipeline, end to end: config, load, model, render, write.
//!
//! Each stage reports the problems it finds and the build goes as far as it
//! can, so one run shows every error. Rendering starts only when the model is
//! sound, and the output folder is touched only when every page rendered.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Result;
use walkdir::WalkDir;

use crate::config::{Config, Options};
use crate::content;
use crate::diagnostic::{self, Diagnostic, Location, display_path};
use crate::output::{Changes, Output};
use crate::render::{self, Templates, values::Values};
use crate::site::Site;

/// A successful build.
#[derive(Debug)]
pub struct Report {
    /// HTML pages rendered.
    pub pages: usize,
    /// All files of the site, pages and static files.
    pub files: usize,
    pub changes: Changes,
    pub scheduled: usize,
    pub drafts: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
    pub warnings: Vec<Diagnostic>,
}

impl Report {
    /// `built 10,412 pages in 0.84 s (3 issues scheduled, 2 drafts left out)`
    pub fn summary(&self) -> String {
        let mut extras = Vec::new();
        if self.scheduled > 0 {
            extras.push(format!(
                "{} scheduled",
                plural(self.scheduled, "issue", "issues")
            ));
        }
        if self.drafts > 0 {
            extras.push(format!(
                "{} left out",
                plural(self.drafts, "draft", "drafts")
            ));
        }
        let extras = if extras.is_empty() {
            String::new()
        } else {
            format!(" ({})", extras.join(", "))
        };
        format!(
            "built {} in {:.2} s{extras}",
            plural(self.pages, "page", "pages"),
            self.elapsed.as_secs_f64()
        )
    }
}

/// What `build` and `check` found.
pub enum Outcome<T> {
    Done(T),
    /// The site has errors; the diagnostics hold them and any warnings.
    Failed(Vec<Diagnostic>),
}

/// A site checked and rendered, ready to be written.
struct Prepared {
    site: Site,
    templates: Templates,
    statics: BTreeMap<String, PathBuf>,
    warnings: Vec<Diagnostic>,
}

fn prepare(options: &Options) -> Result<Outcome<Prepared>> {
    let (config, mut diagnostics) = Config::load(options)?;
    if !options.root.join(crate::config::SITE_FILE).is_file() {
        // Not a site: anything else we said would be noise.
        return Ok(Outcome::Failed(diagnostics));
    }
    let (content, found) = content::load(&config)?;
    diagnostics.extend(found);
    let (site, found) = Site::build(config, content);
    diagnostics.extend(found);
    let (templates, found) = Templates::load(&site.config)?;
    diagnostics.extend(found);
    let statics = static_files(&site.config, &mut diagnostics)?;
    diagnostic::sort(&mut diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Ok(Outcome::Failed(diagnostics));
    }
    Ok(Outcome::Done(Prepared {
        site,
        templates,
        statics,
        warnings: diagnostics,
    }))
}

/// A site rendered: every file handed to the sink, static files still to copy.
struct Rendered {
    site: Site,
    /// Output paths of the rendered files, in job order.
    paths: Vec<String>,
    /// HTML pages among them.
    pages: usize,
    statics: BTreeMap<String, PathBuf>,
    warnings: Vec<Diagnostic>,
}

/// Renders every file of a prepared site into `sink`; `Failed` when a
/// template failed (render warnings alone, e.g. an email too big for Gmail,
/// do not fail).
fn render_site(
    prepared: Prepared,
    sink: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
) -> Result<Outcome<Rendered>> {
    let Prepared {
        site,
        mut templates,
        mut statics,
        mut warnings,
    } = prepared;
    let values = Values::build(&site);
    let jobs = render::jobs(&site, &values, &templates);
    drop_shadowed(&site.config, &mut statics, &jobs, &mut warnings);
    let errors = render::render_all(&mut templates, &site, &values, &jobs, sink)?;
    let failed = errors.iter().any(Diagnostic::is_error);
    warnings.extend(errors);
    diagnostic::sort(&mut warnings);
    if failed {
        return Ok(Outcome::Failed(warnings));
    }
    Ok(Outcome::Done(Rendered {
        pages: jobs.iter().filter(|j| j.path.ends_with(".html")).count(),
        paths: jobs.into_iter().map(|j| j.path).collect(),
        site,
        statics,
        warnings,
    }))
}

/// Builds the site into its output folder.
pub fn build(options: &Options) -> Result<Outcome<Report>> {
    let started = Instant::now();
    let prepared = match prepare(options)? {
        Outcome::Done(prepared) => prepared,
        Outcome::Failed(diagnostics) => return Ok(Outcome::Failed(diagnostics)),
    };
    let config = prepared.site.config.clone();
    let output = match Output::begin(&config)? {
        Ok(output) => output,
        Err(refusal) => {
            let mut diagnostics = prepared.warnings;
            diagnostics.push(refusal);
            return Ok(Outcome::Failed(diagnostics));
        }
    };
    let rendered = match render_site(prepared, &|path, bytes| output.put(path, bytes)) {
        Ok(Outcome::Done(rendered)) => rendered,
        Ok(Outcome::Failed(diagnostics)) => {
            output.abort()?;
            return Ok(Outcome::Failed(diagnostics));
        }
        Err(e) => {
            output.abort()?;
            return Err(e);
        }
    };
    let copied: Result<()> = rendered
        .statics
        .iter()
        .try_for_each(|(rel, source)| output.put(rel, &config.fs.read_static(source)?));
    if let Err(e) = copied {
        output.abort()?;
        return Err(e);
    }
    let keep = rendered
        .paths
        .iter()
        .chain(rendered.statics.keys())
        .map(String::as_str);
    let changes = match output.commit(keep)? {
        Ok(changes) => changes,
        Err(blocked) => {
            let mut diagnostics = rendered.warnings;
            diagnostics.extend(blocked);
            return Ok(Outcome::Failed(diagnostics));
        }
    };
    Ok(Outcome::Done(Report {
        pages: rendered.pages,
        files: rendered.paths.len() + rendered.statics.len(),
        changes,
        scheduled: rendered.site.scheduled,
        drafts: rendered.site.drafts,
        elapsed: started.elapsed(),
        output: config.output,
        warnings: rendered.warnings,
    }))
}

/// Checks everything a build would, rendering every page, writing nothing.
pub fn check(options: &Options) -> Result<Outcome<Vec<Diagnostic>>> {
    let prepared = match prepare(options)? {
        Outcome::Done(prepared) => prepared,
        Outcome::Failed(diagnostics) => return Ok(Outcome::Failed(diagnostics)),
    };
    Ok(match render_site(prepared, &|_, _| Ok(()))? {
        Outcome::Done(rendered) => Outcome::Done(rendered.warnings),
        Outcome::Failed(diagnostics) => Outcome::Failed(diagnostics),
    })
}

/// The theme's `static/` overlaid by the site's, as output path -> source
/// file; a file that may not be published is an error in `warnings`.
pub(crate) fn static_files(
    config: &Config,
    warnings: &mut Vec<Diagnostic>,
) -> Result<BTreeMap<String, PathBuf>> {
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
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !is_unpublished(&e.file_name().to_string_lossy()));
        for entry in walk {
            let entry = entry?;
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
pub(crate) fn drop_shadowed(
    config: &Config,
    files: &mut BTreeMap<String, PathBuf>,
    jobs: &[render::Job],
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
                .help("rename or remove the static file"),
            );
        }
    }
}

/// `1 page`, `10,412 pages`
fn plural(n: usize, one: &str, many: &str) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    // The report line groups thousands and names what was left out.
    #[test]
    fn summary_line() {
        let report = Report {
            pages: 10412,
            files: 10420,
            changes: Changes::default(),
            scheduled: 3,
            drafts: 2,
            elapsed: Duration::from_millis(840),
            output: PathBuf::from("public"),
            warnings: Vec::new(),
        };
        assert_eq!(
            report.summary(),
            "built 10,412 pages in 0.84 s (3 issues scheduled, 2 drafts left out)"
        );
    }
}
