//! `content/site.yaml` plus command-line flags -> [`Config`].

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::fs::{self, SiteFs};
use crate::source::url::check_http_url;
use crate::source::yaml::{Field, Parsed, Yaml};
use crate::source::{Located, SourceFile};

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
        let file = SourceFile::new(rel, text);
        let yaml = Yaml::whole(&file);
        // Only a file that parsed can be said to miss a key.
        let mut check_required = path.is_file();
        let Parsed {
            value: site,
            unknown,
            spans,
        } = yaml.parse::<SiteFile>().unwrap_or_else(|d| {
            diagnostics.push(d);
            check_required = false;
            yaml.unparsed(SiteFile::default())
        });
        for keys in &unknown {
            let known = if keys.first().is_some_and(|k| k == "email") {
                EMAIL_KEYS
            } else {
                SITE_KEYS
            };
            diagnostics.push(spans.unknown_key(keys, known));
        }

        let mut field = |key: &str, value| spans.field(key, value, &mut diagnostics);
        let title = field("title", site.title);
        let description = field("description", site.description);
        let file_base_url = field("base_url", site.base_url);
        let editor = field("editor", site.editor);
        let language = field("language", site.language);
        let timezone = field("timezone", site.timezone);
        let theme = field("theme", site.theme);
        let summary_length = spans.field("summary_length", site.summary_length, &mut diagnostics);
        let feed_limit = spans.field("feed_limit", site.feed_limit, &mut diagnostics);
        let max_file_mb = spans.field("max_file_mb", site.max_file_mb, &mut diagnostics);
        let unsafe_html = spans.field("unsafe_html", site.unsafe_html, &mut diagnostics);
        if let Some(on) = unsafe_html.as_ref().filter(|on| on.value) {
            // Said on every build and check, so that a site that turned it on
            // once for a test does not publish unsanitised HTML unnoticed.
            diagnostics.push(
                on.warning("`unsafe_html` is on: raw HTML in Markdown reaches readers as written")
                    .help("keep it only if every editor of this site is trusted; without it, scripts, event handlers and `javascript:` links are removed"),
            );
        }
        let unsafe_html = unsafe_html.is_some_and(|on| on.value);

        let title = match title.map(|t| t.value).filter(|t| !t.trim().is_empty()) {
            Some(title) => title,
            None => {
                if check_required {
                    diagnostics.push(
                        spans
                            .start()
                            .error("missing `title`")
                            .help("add `title: My Newsletter` to site.yaml"),
                    );
                }
                "Untitled".to_owned()
            }
        };

        let (base_url, base_path) = match (&options.base_url, &file_base_url) {
            (Some(raw), _) => parse_base_url(raw).unwrap_or_else(|why| {
                diagnostics.push(
                    Diagnostic::error(format!("invalid `--base-url` `{raw}`: {why}"))
                        .help(BASE_URL_HELP),
                );
                fallback_base()
            }),
            (None, Some(raw)) => parse_base_url(&raw.value).unwrap_or_else(|why| {
                diagnostics.push(
                    raw.error(format!("invalid `base_url` `{}`: {why}", raw.value))
                        .help(BASE_URL_HELP),
                );
                fallback_base()
            }),
            (None, None) => {
                if check_required {
                    diagnostics.push(
                        spans
                            .start()
                            .error("missing `base_url`")
                            .help("add `base_url: https://your.site/` to site.yaml: feeds and canonical links need it"),
                    );
                }
                fallback_base()
            }
        };

        let timezone = match &timezone {
            None => Tz::UTC,
            Some(located) => located.value.parse::<Tz>().unwrap_or_else(|_| {
                let name = &located.value;
                let mut d = located.error(format!("unknown timezone `{name}`"));
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
            Some(name) if is_plain_name(&name.value) => name.value,
            Some(name) => {
                diagnostics.push(
                    name.error(format!(
                        "`theme` must be the name of a folder of `themes/`, not a path: `{}`",
                        name.value
                    ))
                    .help("put the theme in `themes/NAME/` inside the site and set `theme: NAME`"),
                );
                "default".to_owned()
            }
        };
        // `email` is read whole (templates get it as written); its link is
        // checked here, with the span it was written at.
        let email = site.email.unwrap_or_default();
        if let Some(unsubscribe) = &email.unsubscribe
            && let Err(why) = check_unsubscribe(unsubscribe)
        {
            diagnostics.push(
                spans.located(&["email", "unsubscribe"], ())
                    .error(format!("invalid `email.unsubscribe` `{unsubscribe}`: {why}"))
                    .help("use your email service's placeholder, such as `{{ unsubscribe_url }}` or `*|UNSUB|*`, or an `https://` or `mailto:` address"),
            );
        }
        let now = options.now.unwrap_or_else(Utc::now);
        let editor = editor
            .map(Located::into_inner)
            .unwrap_or_else(|| format!("{title} Editor"));
        let config = Config {
            output: options
                .output
                .clone()
                .unwrap_or_else(|| options.root.join("public")),
            root: options.root.clone(),
            description: description.map(Located::into_inner).unwrap_or_default(),
            base_url,
            base_path,
            editor,
            language: language
                .map(Located::into_inner)
                .unwrap_or_else(|| "en".to_owned()),
            timezone,
            theme,
            summary_length: summary_length.map_or(250, Located::into_inner),
            feed_limit: feed_limit.map_or(30, Located::into_inner),
            email,
            extra: site
                .extra
                .unwrap_or_else(|| serde_json::Value::Object(Default::default())),
            unsafe_html,
            drafts: options.drafts,
            future: options.future,
            today: now.with_timezone(&timezone).date_naive(),
            fs: SiteFs::new(
                &options.root,
                max_file_mb.map_or(fs::DEFAULT_LIMIT_MB, |mb| mb.value as u64),
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
    check_http_url(raw).map_err(|_| {
        "it is neither a link (`https://`, `mailto:`) nor an email service's placeholder".to_owned()
    })
}

const BASE_URL_HELP: &str =
    "use an absolute address such as `https://a47.example/` or `https://you.github.io/a47/`";

fn fallback_base() -> (String, String) {
    ("http://localhost/".to_owned(), "/".to_owned())
}

/// `https://you.github.io/a47` -> (`https://you.github.io/a47/`, `/a47/`).
fn parse_base_url(raw: &str) -> Result<(String, String), String> {
    check_http_url(raw)?;
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
