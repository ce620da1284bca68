//! `gazette init DIR`: a new site, from flags or, on a terminal, from
//! questions with sensible defaults.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use gazette::diagnostic::display_path;
use gazette::init::{Answers, init};

use super::{now_override, print_diagnostics};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The new site's folder (made when missing)
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// The newsletter's name [default: My Newsletter]
    #[arg(long)]
    title: Option<String>,
    /// Where the site will be published [default: https://example.com/]
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Who signs the blurbs [default: "<title> Editor"]
    #[arg(long)]
    editor: Option<String>,
    /// The IANA timezone issues are dated in [default: UTC]
    #[arg(long)]
    timezone: Option<String>,
    /// Add the site to a folder that is not empty; no file is overwritten. In a
    /// site already, add only the missing theme files and `.gitignore`
    #[arg(long)]
    force: bool,
}

impl InitArgs {
    pub fn run(self) -> Result<ExitCode> {
        // Questions only for a person at a terminal; scripts get the defaults.
        let ask = std::io::stdin().is_terminal();
        let title = answer(ask, "Title", self.title, "My Newsletter")?;
        let base_url = answer(ask, "Base URL", self.base_url, "https://example.com/")?;
        let editor = answer(ask, "Editor", self.editor, &format!("{title} Editor"))?;
        let timezone = answer(ask, "Timezone", self.timezone, "UTC")?;
        let tz: chrono_tz::Tz = match timezone.parse() {
            Ok(tz) => tz,
            Err(_) => {
                let names = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
                match gazette::diagnostic::did_you_mean(&timezone, names) {
                    Some(hint) => bail!("unknown timezone `{timezone}`: {hint}"),
                    None => bail!(
                        "unknown timezone `{timezone}`: use an IANA name such as `America/Chicago`, `Europe/Paris` or `UTC`"
                    ),
                }
            }
        };
        if let Err(why) = gazette::config::parse_base_url(&base_url) {
            bail!(
                "invalid base URL `{base_url}`: {why}; use an address such as `https://you.github.io/news/`"
            );
        }
        let now = now_override()?.unwrap_or_else(chrono::Utc::now);
        let answers = Answers {
            title,
            base_url,
            editor,
            timezone,
            today: now.with_timezone(&tz).date_naive(),
        };
        let created = match init(&self.dir, &answers, self.force)? {
            Ok(created) => created,
            Err(refusal) => {
                print_diagnostics(&[refusal]);
                return Ok(ExitCode::from(1));
            }
        };
        // Paths in the folder gazette runs in are shown as they are, not as `./x`.
        let here = is_current_dir(&self.dir);
        let shown = |rel: &Path| {
            if here {
                display_path(rel)
            } else {
                display_path(&self.dir.join(rel))
            }
        };
        let theme = Path::new("themes/default/");
        let (theme_kept, kept): (Vec<_>, Vec<_>) =
            created.kept.iter().partition(|p| p.starts_with(theme));
        for kept in kept {
            eprintln!(
                "note: `{}` was there already and is left as it was",
                shown(kept)
            );
        }
        if !theme_kept.is_empty() {
            eprintln!(
                "note: {} files of `{}` were there already and are left as they were",
                theme_kept.len(),
                shown(theme)
            );
        }
        if let Some(own) = &created.own_theme {
            eprintln!(
                "note: the site's theme is `{own}`, its own, not the default one gazette ships: nothing of it to restore, and `{}` is not added",
                shown(theme)
            );
        }
        if created.existing_site {
            eprintln!(
                "note: `{}` is there, so this is a site already: only files it needs to build are added, no sample issue, outlet or page",
                shown(Path::new("content/site.yaml"))
            );
        }
        let theme_written = created
            .written
            .iter()
            .filter(|p| p.starts_with(theme))
            .count();
        for rel in created.written.iter().filter(|p| !p.starts_with(theme)) {
            println!("created {}", shown(rel));
        }
        if theme_written > 0 {
            let files = if theme_written == 1 { "file" } else { "files" };
            println!("created {} ({theme_written} {files})", shown(theme));
        }
        if created.written.is_empty() {
            println!("nothing to add: the site has every file it needs to build");
        }
        // `cd .` would be a step for nothing.
        let cd = if here {
            String::new()
        } else {
            format!("`cd {}` and ", display_path(&self.dir))
        };
        println!("next: {cd}`gazette serve`, then edit the files of content/");
        Ok(ExitCode::SUCCESS)
    }
}

/// Whether `dir` is the folder gazette runs in (`.`, or its path).
fn is_current_dir(dir: &Path) -> bool {
    let here = std::env::current_dir().and_then(std::fs::canonicalize);
    matches!((std::fs::canonicalize(dir), here), (Ok(dir), Ok(here)) if dir == here)
}

/// The flag's value, else the answer to `question` on a terminal, else `default`.
fn answer(ask: bool, question: &str, given: Option<String>, default: &str) -> Result<String> {
    if let Some(given) = given {
        return Ok(given);
    }
    if !ask {
        return Ok(default.to_owned());
    }
    eprint!("{question} [{default}]: ");
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let line = line.trim();
    Ok(if line.is_empty() { default } else { line }.to_owned())
}
