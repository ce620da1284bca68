//! `content/site.yaml` plus command-line flags -> [`Config`].
//!
//! Takes the [`Options`] of the command line, reads `site.yaml` and returns
//! the validated settings, with a diagnostic for each wrong one next to a
//! usable default, so that the rest of the site can still be checked. One
//! module a part of the file: `file` reads and parses it; `base_url`,
//! `email`, `check`, `subscribe` and `smtp` check their settings; the others are
//! checked here. `direction` says which way the site's language is written.

mod base_url;
mod check;
mod direction;
mod email;
mod fields;
mod file;
mod redirects;
mod smtp;
mod subscribe;
pub mod words;

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

pub use base_url::parse as parse_base_url;
pub use check::CheckSettings;
pub use email::Email;
pub use file::missing as missing_site_file;
pub use smtp::{Smtp, TLS_MODES, Tls};
pub use subscribe::{Hidden, SignUp};
pub use words::Words;

use crate::diagnostic::Diagnostic;
use crate::fs::{self, SiteFs};
use crate::source::yaml::{Parsed, Yaml};
use crate::source::{Located, SourceFile};
use fields::{deploy_targets, per_page, theme_name, time_zone};

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
    /// Replaces the scheme, host and port of the base URL, keeping its path
    /// (`http://127.0.0.1:1111`, no slash): `serve` previews the site at its
    /// own address but where it will live. Default: none.
    pub origin: Option<String>,
    /// The moment that decides which issues are in the future; default: now.
    pub now: Option<DateTime<Utc>>,
    /// Apply `check`'s editorial rules ([`crate::lint`]) too.
    pub lint: bool,
    /// The site is previewed (`serve`), not published: CSS and JavaScript
    /// are linked by their own names, without fingerprints or integrity (a
    /// browser swaps an edited stylesheet in place), and a published URL
    /// that disappears is a warning (see [`crate::published`]).
    pub preview: bool,
    /// The process ends when the build does (`gazette build`): what the
    /// build held is left to the operating system, which takes it back at
    /// once, instead of freed object by object.
    pub exiting: bool,
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
    /// Items on one page of a tag, an outlet or the whole archive; at
    /// least 1, default [`DEFAULT_PAGINATE`].
    pub paginate: usize,
    pub email: Email,
    pub extra: serde_json::Value,
    /// `unsafe_html: true`: Markdown's raw HTML, link URLs and heading
    /// attributes reach readers as written; default false (sanitised).
    pub unsafe_html: bool,
    /// What `gazette check` asks beyond a build: the `check:` section.
    pub check: CheckSettings,
    /// URLs the site published once and makes no more, on purpose: no page
    /// may take them again (see [`crate::published`]). Site paths.
    pub retired: Vec<crate::source::Located<String>>,
    /// `redirects:`, old URL to new, as site paths, each where it was
    /// written: for what has no file to hold an alias (a renamed tag or
    /// outlet, a page of the platform the site came from).
    pub redirects: Vec<(Located<String>, Located<String>)>,
    /// Draw a social card for every issue and story (see
    /// [`crate::render::cards`]); `social_cards: false` turns them off.
    pub social_cards: bool,
    /// The email sign-up form of `subscribe:`; none when it is not set.
    pub subscribe: Option<SignUp>,
    /// Whether the site has a `/subscribe/` page: the theme's
    /// `subscribe.html`, or the site's own `pages/subscribe.md`. Set once
    /// the templates and pages are known.
    pub subscribe_page: bool,
    /// The `smtp:` server of `gazette send --proof`, as site.yaml gives it.
    pub smtp: Smtp,
    /// The targets of `gazette deploy` by name (`deploy:` in site.yaml).
    pub deploy: std::collections::BTreeMap<String, crate::deploy::Target>,
    pub drafts: bool,
    pub future: bool,
    /// `--base-url`'s address when it is not site.yaml's: the site's links
    /// lead where it is not published. Default: none.
    pub other_base_url: Option<String>,
    /// `GAZETTE_NOW` when it is later than the clock: a preview of a day
    /// ahead, whose issues are not yet published. Default: none.
    pub ahead: Option<DateTime<Utc>>,
    /// Today in the site's timezone: later issues are scheduled.
    pub today: NaiveDate,
    /// Reads the site's files, and only those; `max_file_mb` caps each.
    pub fs: SiteFs,
    /// The words of the pages in `language` (see [`words`]).
    pub words: std::sync::Arc<Words>,
}

/// Items on one page of a list when `site.yaml` sets no `paginate`: a tag
/// page of 50 cards is about 90 KB, however large the site grows.
pub const DEFAULT_PAGINATE: usize = 50;

/// Where `site.yaml` lives, relative to the root.
pub const SITE_FILE: &str = "content/site.yaml";

/// The folders of the root whose files a build reads (`fonts/` holds the
/// social cards' fonts, `i18n/` the words of its pages); with [`crate::published::FILE`], all it reads of
/// the site. The no-change shortcut fingerprints them, `serve` and `build
/// --watch` watch them: one list, so that neither misses a folder.
pub const SOURCE_DIRS: [&str; 6] = [
    "content",
    "templates",
    "static",
    "themes",
    "fonts",
    words::DIR,
];

impl Config {
    /// Reads and checks `site.yaml`. Problems come back as diagnostics next to a
    /// usable config (with defaults), so the rest of the site can still be checked.
    pub fn load(options: &Options) -> anyhow::Result<(Config, Vec<Diagnostic>)> {
        let mut diagnostics = Vec::new();
        let text = file::read(&options.root, &mut diagnostics);
        let (config, found) = Config::from_text(options, text);
        diagnostics.extend(found);
        Ok((config, diagnostics))
    }

    /// [`Config::load`] of the text of `site.yaml` (`None`: it could not be
    /// read, and that was said).
    pub fn from_text(options: &Options, text: Option<String>) -> (Config, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let read = text.is_some();
        let source = SourceFile::new(SITE_FILE, text.unwrap_or_default());
        let (parsed, did_parse) = file::parse(Yaml::whole(&source), &mut diagnostics);
        let Parsed {
            value: site, spans, ..
        } = parsed;
        // Only a file that was read and parsed can be said to miss a key.
        let required = (did_parse && read).then_some(&spans);

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
        let paginate = spans.field("paginate", site.paginate, &mut diagnostics);
        let max_file_mb = spans.field("max_file_mb", site.max_file_mb, &mut diagnostics);
        let unsafe_html = spans.field("unsafe_html", site.unsafe_html, &mut diagnostics);
        let social_cards = spans.field("social_cards", site.social_cards, &mut diagnostics);
        if let Some(on) = unsafe_html.as_ref().filter(|on| on.value) {
            // Said on every build and check, so that a site that turned it on
            // once for a test does not publish unsanitised HTML unnoticed.
            diagnostics.push(
                on.warning("`unsafe_html` is on: raw HTML in Markdown reaches readers as written")
                    .help("keep it only if every editor of this site is trusted; without it, scripts, event handlers and `javascript:` links are removed"),
            );
        }

        let title = match title
            .map(Located::into_inner)
            .filter(|t| !t.trim().is_empty())
        {
            Some(title) => title,
            None => {
                if let Some(spans) = required {
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
        let (base_url, base_path) = base_url::resolve(
            options.base_url.as_deref(),
            file_base_url.as_ref(),
            required,
            &mut diagnostics,
        );
        let other_base_url = options
            .base_url
            .as_ref()
            .map(|_| base_url.clone())
            .filter(|url| {
                let own = file_base_url
                    .as_ref()
                    .and_then(|f| parse_base_url(&f.value).ok());
                own.is_none_or(|(own, _)| own != *url)
            });
        let base_url = match &options.origin {
            Some(origin) => format!("{origin}{base_path}"),
            None => base_url,
        };
        let timezone = timezone.map_or(Tz::UTC, |name| time_zone(&name, &mut diagnostics));
        let theme = theme.map_or_else(
            || "default".to_owned(),
            |name| theme_name(name, &mut diagnostics),
        );
        let paginate = paginate.map_or(DEFAULT_PAGINATE, |n| per_page(n, &mut diagnostics));
        let site_fs = SiteFs::new(
            &options.root,
            max_file_mb.map_or(fs::DEFAULT_LIMIT_MB, |mb| mb.value as u64),
        );
        let words = words::load(
            &options.root,
            &site_fs,
            &theme,
            language.as_ref(),
            &mut diagnostics,
        );
        let email = site.email.unwrap_or_default();
        email::check(&email, &spans, &mut diagnostics);
        let check = check::settings(site.check, &spans, &mut diagnostics);
        let subscribe =
            subscribe::sign_up(site.subscribe, &title, &words, &spans, &mut diagnostics);
        let smtp = smtp::settings(site.smtp, &spans, &mut diagnostics);
        let deploy = deploy_targets(&spans, site.deploy, &mut diagnostics);
        let retired = crate::content::front::site_paths(
            &spans,
            "retired",
            site.retired,
            "a retired URL is one the site published once and makes no more, written as a path: `/2026/11/25/old-slug/`",
            &mut diagnostics,
        );
        let own_url = (file_base_url.as_ref()).and_then(|f| parse_base_url(&f.value).ok());
        let own_url = own_url.map(|(url, _)| url);
        let redirects =
            redirects::read(&spans, site.redirects, own_url.as_deref(), &mut diagnostics);

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
            paginate,
            email,
            extra: site
                .extra
                .unwrap_or_else(|| serde_json::Value::Object(Default::default())),
            unsafe_html: unsafe_html.is_some_and(|on| on.value),
            check,
            retired,
            redirects,
            social_cards: social_cards.is_none_or(|on| on.value),
            subscribe,
            subscribe_page: false,
            smtp,
            deploy,
            drafts: options.drafts,
            future: options.future,
            other_base_url,
            ahead: options.now.filter(|now| *now > Utc::now()),
            today: now.with_timezone(&timezone).date_naive(),
            fs: site_fs,
            words,
            title,
        };
        (config, diagnostics)
    }

    /// What makes a build of this config a preview, to look at and not to
    /// publish, as the flags that asked for it: `--drafts`, `--future`,
    /// `--base-url URL`, a `GAZETTE_NOW` ahead of the clock. Empty for a
    /// build to publish.
    pub fn preview(&self) -> Vec<String> {
        let mut flags = Vec::new();
        if self.drafts {
            flags.push("--drafts".to_owned());
        }
        if self.future {
            flags.push("--future".to_owned());
        }
        if let Some(url) = &self.other_base_url {
            flags.push(format!("--base-url {url}"));
        }
        if let Some(now) = &self.ahead {
            flags.push(format!("GAZETTE_NOW={}", now.to_rfc3339()));
        }
        flags
    }

    /// Whether a build of this config adds what it made to the record of
    /// published URLs: not when it shows what is not published yet (drafts,
    /// a day ahead). A `--base-url` build makes the same site paths.
    pub fn records_urls(&self) -> bool {
        !self.drafts && !self.future && self.ahead.is_none()
    }

    /// `"rtl"` or `"ltr"`: which way `language` is written (see [`direction::of`]).
    pub fn direction(&self) -> &'static str {
        direction::of(&self.language)
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A config as `site.yaml` with only `title` and `base_url` gives.
    pub(crate) fn config() -> Config {
        let (config, diagnostics) = config_from("title: T\nbase_url: https://a.example/\n");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        config
    }

    /// The config and diagnostics of a `site.yaml` of `text`, read from a
    /// folder of its own: tests run in parallel.
    pub(crate) fn config_from(text: &str) -> (Config, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().expect("a temp dir");
        std::fs::create_dir_all(dir.path().join("content")).expect("mkdir");
        std::fs::write(dir.path().join(SITE_FILE), text).expect("write");
        let options = Options {
            root: dir.path().to_path_buf(),
            ..Options::default()
        };
        Config::load(&options).expect("a config")
    }

    // `paginate` is 50 unless set; 0 is an error at its value, and the
    // default stands in so that the rest of the site is still checked.
    #[test]
    fn paginate_is_a_whole_number_from_1() {
        let site = "title: T\nbase_url: https://a.example/\n";
        assert_eq!(config().paginate, DEFAULT_PAGINATE);
        let (set, diagnostics) = config_from(&format!("{site}paginate: 7\n"));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(set.paginate, 7);
        let (zero, diagnostics) = config_from(&format!("{site}paginate: 0\n"));
        assert_eq!(zero.paginate, DEFAULT_PAGINATE);
        let rendered: Vec<String> = diagnostics.iter().map(Diagnostic::render).collect();
        assert_eq!(rendered.len(), 1, "{rendered:?}");
        assert!(
            rendered[0].contains("`paginate` must be at least 1")
                && rendered[0].contains("content/site.yaml:3:11"),
            "{}",
            rendered[0]
        );
    }
}
