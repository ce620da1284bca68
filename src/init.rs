//! `gazette init`: a new site that builds at once.
//!
//! Takes a folder and the answers (title, base URL, editor, timezone, today)
//! and writes `content/site.yaml`, `content/outlets.yaml` with one example
//! outlet, today's issue with a story and an entry that covers it, an about
//! page, the default theme and a `.gitignore`. The theme is copied out of
//! the binary rather than referenced, so an editor can change any template
//! in place, and a site built today still builds the same after an upgrade.
//!
//! Never overwrites or deletes: a file that exists is left as it is and
//! named in the result. A folder that is a site already (it has
//! `content/site.yaml`) gets only what a site needs to build, the theme and
//! `.gitignore`: `--force` there restores lost files of the default theme
//! (and adds none beside a theme of the site's own), and the sample
//! issue, outlet and page would be content the editors never wrote, dated
//! today, in the live site.

use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDate;
use include_dir::{Dir, include_dir};

use crate::diagnostic::{Diagnostic, display_path};
use crate::fs;
use crate::site::long_date;
use crate::source::yaml::quoted;

/// The default theme, as shipped in the repository.
static THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// What a new site is made with.
#[derive(Debug, Clone)]
pub struct Answers {
    pub title: String,
    pub base_url: String,
    pub editor: String,
    /// An IANA name, checked by the caller.
    pub timezone: String,
    /// Today in that timezone: the sample issue's date.
    pub today: NaiveDate,
}

/// What `init` did.
#[derive(Debug, Default)]
pub struct Created {
    /// Files written, relative to the new site's folder.
    pub written: Vec<PathBuf>,
    /// Files that were there already and were left alone.
    pub kept: Vec<PathBuf>,
    /// `content/site.yaml` was there: the folder is a site already, and
    /// only what it needs to build was added, no settings or sample content.
    pub existing_site: bool,
    /// The theme that site.yaml names, when it is not the default one that
    /// gazette ships: there is nothing of it to restore, and the default
    /// theme is not added beside it.
    pub own_theme: Option<String>,
}

/// Writes a new site into `dir`. A folder that holds anything is refused
/// unless `force`; even then no file is overwritten.
pub fn init(dir: &Path, answers: &Answers, force: bool) -> Result<Result<Created, Diagnostic>> {
    if dir.exists() && !dir.is_dir() {
        return Ok(Err(Diagnostic::error(format!(
            "`{}` is a file, not a folder",
            display_path(dir)
        ))
        .help("name a new folder, e.g. `gazette init my-newsletter`")));
    }
    let occupied = std::fs::read_dir(dir).is_ok_and(|mut e| e.next().is_some());
    if occupied && !force {
        return Ok(Err(Diagnostic::error(format!(
            "`{}` is not empty",
            display_path(dir)
        ))
        .help("name a new or empty folder, or pass `--force` to add the site's files beside what is there (nothing is overwritten)")));
    }
    let mut created = Created {
        existing_site: std::fs::symlink_metadata(dir.join("content/site.yaml")).is_ok(),
        ..Created::default()
    };
    let mut files = essentials();
    if created.existing_site {
        let options = crate::config::Options {
            root: dir.to_path_buf(),
            ..Default::default()
        };
        let theme = crate::config::Config::load(&options).ok();
        if let Some(theme) = theme
            .map(|(config, _)| config.theme)
            .filter(|t| t != "default")
        {
            files.retain(|(rel, _)| !rel.starts_with("themes/default"));
            created.own_theme = Some(theme);
        }
    } else {
        files.splice(1..1, starter(answers));
    }
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        if std::fs::symlink_metadata(&path).is_ok() {
            created.kept.push(rel);
            continue;
        }
        fs::write_new(&path, &bytes)?;
        created.written.push(rel);
    }
    Ok(Ok(created))
}

/// What every site needs to build, relative to its folder: `.gitignore`
/// first, then the default theme.
fn essentials() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> =
        vec![(".gitignore".into(), b"/public\n/.*.gazette-*\n".to_vec())];
    let mut theme = Vec::new();
    collect(&THEME, &mut theme);
    theme.sort_by(|x, y| x.0.cmp(&y.0));
    files.extend(
        theme
            .into_iter()
            .map(|(rel, bytes)| (Path::new("themes/default").join(rel), bytes)),
    );
    files
}

/// What makes a folder a new site: its settings, and sample content for
/// the editor to replace (an outlet, today's issue, an about page).
fn starter(a: &Answers) -> Vec<(PathBuf, Vec<u8>)> {
    let day = a.today.format("%Y-%m-%d").to_string();
    vec![
        ("content/site.yaml".into(), site_yaml(a).into_bytes()),
        ("content/outlets.yaml".into(), OUTLETS.as_bytes().to_vec()),
        (
            format!("content/{day}/welcome.md").into(),
            STORY.as_bytes().to_vec(),
        ),
        (
            format!("content/{day}/example-news-welcome.md").into(),
            ENTRY.as_bytes().to_vec(),
        ),
        (
            format!("content/{day}/_issue.md").into(),
            format!(
                "---\ntitle: {}\n---\nThe first issue of {}. Replace this note, the story and the link with your own.\n",
                quoted(&format!("First issue: {}", long_date(&crate::config::Words::english(), a.today))),
                a.title
            )
            .into_bytes(),
        ),
        ("content/pages/about.md".into(), about(a).into_bytes()),
    ]
}

fn collect(dir: &Dir<'_>, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for file in dir.files() {
        out.push((file.path().to_path_buf(), file.contents().to_vec()));
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

fn site_yaml(a: &Answers) -> String {
    format!(
        "# The site's settings; README.md lists every key.\n\
         title: {}\n\
         description: {}\n\
         base_url: {}\n\
         editor: {}\n\
         language: en\n\
         timezone: {}\n\
         theme: default\n\
         summary_length: 250\n\
         feed_limit: 30\n\
         # An email sign-up form on the home, issue, story and /subscribe/ pages:\n\
         # uncomment and name your service (buttondown, mailchimp, kit, custom).\n\
         # subscribe:\n\
         #   service: buttondown\n\
         #   username: your-buttondown-username\n\
         # Where `gazette deploy` publishes (README: gazette deploy):\n\
         # deploy:\n\
         #   production: s3://your-bucket\n\
         # The server `gazette send --proof` sends a proof through; the\n\
         # password comes from GAZETTE_SMTP_PASSWORD only:\n\
         # smtp:\n\
         #   host: smtp.example.com\n\
         #   username: you@example.com\n\
         #   from: \"{} <you@example.com>\"\n",
        quoted(&a.title),
        quoted("Curated links, and what they mean."),
        quoted(&a.base_url),
        quoted(&a.editor),
        quoted(&a.timezone),
        a.title.replace(['"', '\\', '\n'], ""),
    )
}

fn about(a: &Answers) -> String {
    format!(
        "---\ntitle: About\n---\n{} is a newsletter of curated links, edited by {}.\n",
        a.title, a.editor
    )
}

const OUTLETS: &str = "\
# The outlets your entries cite, by key: `outlet: example-news` in an entry.
example-news:
  name: Example News
  tagline: \"Technology news, for the sample issue.\"
  blurb: \"A stand-in outlet: replace it with the ones you cite.\"
  url: https://example.com
";

const STORY: &str = "\
---
kind: story
headline: Welcome to your newsletter
dek: Here's what it means for you.
tags: [welcome]
---
## What happened

You made a site with `gazette init`. Each day is a folder of `content/`,
named by its date; each file in it is a story like this one or an entry,
one curated link.

## The Context

Entries name their outlet (from `content/outlets.yaml`) and the story they
cover. `gazette new entry` and `gazette new story` write the files for you.

## Takeaway

Run `gazette serve` and edit this file: the page reloads on every save.
`gazette build` writes the site into `public/`.
";

const ENTRY: &str = "\
---
headline: An example link, filed under the welcome story
outlet: example-news
url: https://example.com/
story: welcome
tags: [welcome]
---
The summary of the article, in your words. Replace this entry with a link
of your own.
";

#[cfg(test)]
mod tests {
    use super::*;

    // The theme ships whole: every template the renderer needs is in the binary.
    #[test]
    fn embeds_the_whole_theme() {
        let mut theme = Vec::new();
        collect(&THEME, &mut theme);
        for name in crate::render::templates::REQUIRED {
            let rel = Path::new("templates").join(name);
            assert!(theme.iter().any(|(p, _)| *p == rel), "{name} missing");
        }
        assert!(
            theme
                .iter()
                .any(|(p, _)| p == Path::new("static/style.css"))
        );
    }

    // Titles with quotes and colons stay valid YAML.
    #[test]
    fn quotes_answers() {
        assert_eq!(quoted("A: \"B\""), r#""A: \"B\"""#);
    }
}
