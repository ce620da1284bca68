//! `content/site.yaml` plus command-line flags -> [`Config`].

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::content::yaml::{Field, Yaml};
use crate::diagnostic::{Diagnostic, Location, did_you_mean};
use crate::fs::{self, SiteFs};

/// What the command line decides about a build.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The site folder (holding `content/`).
    pub root: PathBuf,
    /// Where the site is written; default `<root>/public`.
    pub output: Option<PathBuf>,
    /// Include entries, stories and pages marked `draft: true`.
    pub drafts: bool,
    /// Include issues dated after today.
    pub future: bool,
    /// Overrides `base_url` of `site.yaml`.
    pub base_url: Option<String>,
    /// The moment that decides which issues are in the future; default: now.
    pub now: Option<DateTime<Utc>>,
}

/// Site settings, validated.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub output: PathBuf,
    pub title: String,
    pub description: String,
    /// Absolute, ending in `/`.
    pub base_url: String,
    /// The path part of `base_url`, starting and ending in `/`.
    pub base_path: String,
    pub editor: String,
    pub language: String,
    pub timezone: Tz,
    pub theme: String,
    /// Characters of a summary on cards; 0 keeps it whole.
    pub summary_length: usize,
    pub feed_limit: usize,
    pub email: Email,
    pub extra: serde_json::Value,
    /// `unsafe_html: true`: Markdown's raw HTML, link URLs and heading
    /// attributes reach readers as written; default false (sanitised).
    pub unsafe_html: bool,
    pub drafts: bool,
    pub future: bool,
    /// Today in the site's timezone: later issues are scheduled.
    pub today: NaiveDate,
    /// Reads the site's files, and only those; `max_file_mb` caps each.
    pub fs: SiteFs,
}

/// The `email:` settings of `site.yaml`.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
pub struct Email {
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    /// The unsubscribe link of the site's email service, e.g.
    /// `{{ unsubscribe_url }}` or `*|UNSUB|*`; no link when unset.
    pub unsubscribe: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SiteFile {
    title: Field<String>,
    description: Field<String>,
    base_url: Field<String>,
    editor: Field<String>,
    language: Field<String>,
    timezone: Field<String>,
    theme: Field<String>,
    summary_length: Field<usize>,
    feed_limit: Field<usize>,
    max_file_mb: Field<usize>,
    email: Option<Email>,
    extra: Option<serde_json::Value>,
    unsafe_html: Field<bool>,
}

const SITE_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "editor",
    "language",
    "timezone",
    "theme",
    "summary_length",
    "feed_limit",
    "max_file_mb",
    "email",
    "extra",
    "unsafe_html",
];
const EMAIL_KEYS: &[&str] = &["utm_source", "utm_medium", "unsubscribe"];

/// Where `site.yaml` lives, relative to the root.
pub const SITE_FILE: &str = "content/site.yaml";

impl Config {
    /// Reads and checks `site.yaml`. Problems come back as diagnostics next to a
    /// usable config (with defaults), so the rest of the site can still be checked.
    pub fn load(options: &Options) -> anyhow::Result<(Config, Vec<Diagnostic>)> {
        let rel = Path::new(SITE_FILE);
        let path = options.root.join(rel);
        let mut diagnostics = Vec::new();
        let text = if path.exists() {
            let read = SiteFs::new(&options.root, fs::DEFAULT_LIMIT_MB)
                .read(&path)
                .map_err(|refused| refused.diagnostic(rel))
                .and_then(|bytes| fs::decode_text(rel, bytes));
            read.unwrap_or_else(|d| {
                diagnostics.push(d);
                String::new()
            })
        } else {
            diagnostics.push(
                Diagnostic::error(format!("no `{SITE_FILE}` in `{}`", options.root.display()))
                    .help("run gazette in a site folder, or pass `--root DIR`"),
            );
            String::new()
        };
        let yaml = Yaml::whole(rel, &text);
        // Only a file that parsed can be said to miss a key.
        let mut check_required = path.is_file();
        let file = match yaml.parse::<SiteFile>() {
            Ok(parsed) => {
                for keys in &parsed.unknown {
                    let known = if keys.first().is_some_and(|k| k == "email") {
                        EMAIL_KEYS
                    } else {
                        SITE_KEYS
                    };
                    diagnostics.push(yaml.unknown_key(keys, known));
                }
                parsed.value
            }
            Err(d) => {
                diagnostics.push(d);
                check_required = false;
                SiteFile::default()
            }
        };

        let take_text = |key: &str, field: Field<String>, diagnostics: &mut Vec<Diagnostic>| {
            yaml.take(key, field, diagnostics)
        };
        let title = take_text("title", file.title, &mut diagnostics);
        let description = take_text("description", file.description, &mut diagnostics);
        let file_base_url = take_text("base_url", file.base_url, &mut diagnostics);
        let editor = take_text("editor", file.editor, &mut diagnostics);
        let language = take_text("language", file.language, &mut diagnostics);
        let timezone = take_text("timezone", file.timezone, &mut diagnostics);
        let theme = take_text("theme", file.theme, &mut diagnostics);
        let summary_length = yaml.take("summary_length", file.summary_length, &mut diagnostics);
        let feed_limit = yaml.take("feed_limit", file.feed_limit, &mut diagnostics);
        let max_file_mb = yaml.take("max_file_mb", file.max_file_mb, &mut diagnostics);
        let unsafe_html = yaml
            .take("unsafe_html", file.unsafe_html, &mut diagnostics)
            .unwrap_or(false);
        if unsafe_html {
            // Said on every build and check, so that a site that turned it on
            // once for a test does not publish unsanitised HTML unnoticed.
            diagnostics.push(
                Diagnostic::warning("`unsafe_html` is on: raw HTML in Markdown reaches readers as written")
                    .at(yaml.value_location(&["unsafe_html"]))
                    .help("keep it only if every editor of this site is trusted; without it, scripts, event handlers and `javascript:` links are removed"),
            );
        }

        let title = match title.filter(|t| !t.trim().is_empty()) {
            Some(title) => title,
            None => {
                if check_required {
                    diagnostics.push(
                        Diagnostic::error("missing `title`")
                            .at(Location::line(rel, &text, 1))
                            .help("add `title: My Newsletter` to site.yaml"),
                    );
                }
                "Untitled".to_owned()
            }
        };

        let (base_url, base_path) = match options.base_url.clone().or(file_base_url) {
            Some(raw) => match parse_base_url(&raw) {
                Ok(parts) => parts,
                Err(why) => {
                    let at = if options.base_url.is_some() {
                        Diagnostic::error(format!("invalid `--base-url` `{raw}`: {why}"))
                    } else {
                        Diagnostic::error(format!("invalid `base_url` `{raw}`: {why}"))
                            .at(yaml.value_location(&["base_url"]))
                    };
                    diagnostics.push(at.help("use an absolute address such as `https://a47.example/` or `https://you.github.io/a47/`"));
                    fallback_base()
                }
            },
            None => {
                if check_required {
                    diagnostics.push(
                        Diagnostic::error("missing `base_url`")
                            .at(Location::line(rel, &text, 1))
                            .help("add `base_url: https://your.site/` to site.yaml: feeds and canonical links need it"),
                    );
                }
                fallback_base()
            }
        };

        let timezone = match timezone.as_deref() {
            None => Tz::UTC,
            Some(name) => name.parse::<Tz>().unwrap_or_else(|_| {
                let mut d = Diagnostic::error(format!("unknown timezone `{name}`"))
                    .at(yaml.value_location(&["timezone"]));
                d = match did_you_mean(name, chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())) {
                    Some(hint) => d.label(hint),
                    None => d.help(
                        "use an IANA name such as `America/Chicago`, `Europe/Paris` or `UTC`",
                    ),
                };
                diagnostics.push(d);
                Tz::UTC
            }),
        };

        let theme = match theme {
            None => "default".to_owned(),
            Some(name) if is_plain_name(&name) => name,
            Some(name) => {
                diagnostics.push(
                    Diagnostic::error(format!(
                        "`theme` must be the name of a folder of `themes/`, not a path: `{name}`"
                    ))
                    .at(yaml.value_location(&["theme"]))
                    .help("put the theme in `themes/NAME/` inside the site and set `theme: NAME`"),
                );
                "default".to_owned()
            }
        };
        let email = file.email.unwrap_or_default();
        if let Some(unsubscribe) = &email.unsubscribe
            && let Err(why) = check_unsubscribe(unsubscribe)
        {
            diagnostics.push(
                Diagnostic::error(format!("invalid `email.unsubscribe` `{unsubscribe}`: {why}"))
                    .at(yaml.value_location(&["email", "unsubscribe"]))
                    .help("use your email service's placeholder, such as `{{ unsubscribe_url }}` or `*|UNSUB|*`, or an `https://` or `mailto:` address"),
            );
        }
        let now = options.now.unwrap_or_else(Utc::now);
        let editor = editor.unwrap_or_else(|| format!("{title} Editor"));
        let config = Config {
            output: options
                .output
                .clone()
                .unwrap_or_else(|| options.root.join("public")),
            root: options.root.clone(),
            description: description.unwrap_or_default(),
            base_url,
            base_path,
            editor,
            language: language.unwrap_or_else(|| "en".to_owned()),
            timezone,
            theme,
            summary_length: summary_length.unwrap_or(250),
            feed_limit: feed_limit.unwrap_or(30),
            email,
            extra: file
                .extra
                .unwrap_or_else(|| serde_json::Value::Object(Default::default())),
            unsafe_html,
            drafts: options.drafts,
            future: options.future,
            today: now.with_timezone(&timezone).date_naive(),
            fs: SiteFs::new(
                &options.root,
                max_file_mb.map_or(fs::DEFAULT_LIMIT_MB, |mb| mb as u64),
            ),
            title,
        };
        Ok((config, diagnostics))
    }

    /// The absolute URL of a site path such as `2026/11/25/` (no leading `/`).
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The root-relative URL of a site path, with the base path in front.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    /// How Markdown of this site's own editors is rendered.
    pub fn html(&self) -> crate::markdown::Html {
        if self.unsafe_html {
            crate::markdown::Html::AsWritten
        } else {
            crate::markdown::Html::Sanitised
        }
    }

    /// The theme's folder.
    pub fn theme_dir(&self) -> PathBuf {
        self.root.join("themes").join(&self.theme)
    }
}

/// A folder name with no path in it: `default`, `a47-dark`.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// An unsubscribe link: an email service's placeholder, which the service
/// replaces with each reader's own link (`{{ unsubscribe_url }}`,
/// `*|UNSUB|*`, `%unsubscribe_url%`), or an http(s) or `mailto:` address.
/// Anything else (`javascript:`) would reach every reader's inbox.
fn check_unsubscribe(raw: &str) -> Result<(), String> {
    let inner = |open: &str, close: &str| {
        raw.strip_prefix(open)
            .and_then(|r| r.strip_suffix(close))
            .map(str::trim)
    };
    let placeholder = [("{{", "}}"), ("*|", "|*"), ("%", "%"), ("[", "]")]
        .iter()
        .filter_map(|(open, close)| inner(open, close))
        .any(|name| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ' | ':'))
        });
    if placeholder {
        return Ok(());
    }
    if let Some(address) = raw.strip_prefix("mailto:") {
        return if address.contains('@') && !address.contains(char::is_whitespace) {
            Ok(())
        } else {
            Err("a `mailto:` link needs an address".to_owned())
        };
    }
    crate::content::front::check_http_url(raw).map_err(|_| {
        "it is neither a link (`https://`, `mailto:`) nor an email service's placeholder".to_owned()
    })
}

fn fallback_base() -> (String, String) {
    ("http://localhost/".to_owned(), "/".to_owned())
}

/// `https://you.github.io/a47` -> (`https://you.github.io/a47/`, `/a47/`).
pub fn parse_base_url(raw: &str) -> Result<(String, String), String> {
    crate::content::front::check_http_url(raw)?;
    let mut url = url::Url::parse(raw).map_err(|e| e.to_string())?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err("it may not have a `?query` or `#fragment`".to_owned());
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok((url.to_string(), url.path().to_owned()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A config as `site.yaml` with only `title` and `base_url` gives.
    pub(crate) fn config() -> Config {
        let dir = std::env::temp_dir().join(format!("gazette-config-{}", std::process::id()));
        let _ = std::fs::create_dir_all(dir.join("content"));
        let _ = std::fs::write(
            dir.join(SITE_FILE),
            "title: T\nbase_url: https://a.example/\n",
        );
        let options = Options {
            root: dir.clone(),
            ..Options::default()
        };
        let (config, diagnostics) = Config::load(&options).expect("a config");
        let _ = std::fs::remove_dir_all(dir);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        config
    }

    // Unsubscribe links: placeholders and http(s)/mailto pass, scripts do not.
    #[test]
    fn unsubscribe_is_a_link_or_a_placeholder() {
        for good in [
            "{{ unsubscribe_url }}",
            "*|UNSUB|*",
            "%unsubscribe_url%",
            "https://a.example/u",
            "mailto:u@a.example",
        ] {
            assert!(check_unsubscribe(good).is_ok(), "{good}");
        }
        for bad in [
            "javascript:alert(5)",
            "JaVaScRiPt:alert(5)",
            "data:text/html,x",
            "{{ x\" onclick=\"y }}",
            "mailto:",
            "/unsubscribe",
        ] {
            assert!(check_unsubscribe(bad).is_err(), "{bad}");
        }
    }

    // A base URL with a path keeps it, and always ends in a slash.
    #[test]
    fn base_url_keeps_its_path() {
        assert_eq!(
            parse_base_url("https://you.github.io/a47").ok(),
            Some(("https://you.github.io/a47/".to_owned(), "/a47/".to_owned()))
        );
        assert_eq!(
            parse_base_url("https://a47.example").ok(),
            Some(("https://a47.example/".to_owned(), "/".to_owned()))
        );
        assert!(parse_base_url("/a47/").is_err());
    }
}
