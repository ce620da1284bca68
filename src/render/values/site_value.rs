//! The `site` value every template gets: the settings, the lists every
//! page may show (issue summaries, outlets, tags, pages) and the CSS and
//! JavaScript files to link.

use std::collections::BTreeMap;

use tera::{Map, Value};

use super::map;
use crate::config::Config;
use crate::site::urls;
use crate::statics::Asset;

/// The `site` value every template gets.
pub fn of(
    config: &Config,
    assets_of: &BTreeMap<String, Asset>,
    issue_summaries: &[Value],
    outlets: &[Value],
    tags: &[Value],
    pages: &[Value],
) -> Value {
    map([
        ("title", config.title.as_str().into()),
        ("description", config.description.as_str().into()),
        ("base_url", config.base_url.as_str().into()),
        ("base_path", config.base_path.as_str().into()),
        ("editor", config.editor.as_str().into()),
        ("language", config.language.as_str().into()),
        ("direction", config.direction().into()),
        ("words", words(config)),
        // The words of search.js, when they are not its own English.
        ("search_words", config.words.for_search().into()),
        ("timezone", config.timezone.name().into()),
        ("summary_length", config.summary_length.into()),
        ("feed_limit", config.feed_limit.into()),
        ("email", Value::from_serializable(&config.email)),
        ("extra", Value::from_serializable(&config.extra)),
        (
            "generator",
            concat!("gazette ", env!("CARGO_PKG_VERSION")).into(),
        ),
        // Summaries, not whole issues: an edit to one entry leaves `site`
        // unchanged, so only the pages that show the entry re-render.
        ("issues", Value::from(issue_summaries.to_vec())),
        ("outlets", Value::from(sorted_by_name(outlets))),
        ("tags", Value::from(tags.to_vec())),
        ("pages", Value::from(pages.to_vec())),
        ("assets", assets(config, assets_of)),
        ("subscribe", subscribe(config)),
    ])
}

/// `site.words`: the plain words of the site's language, by key.
fn words(config: &Config) -> Value {
    let mut words: Vec<(&str, &str)> = config.words.plain().collect();
    words.sort_unstable();
    let mut m = Map::with_capacity(words.len());
    for (key, text) in words {
        m.insert(key.to_owned().into(), text.into());
    }
    Value::from(m)
}

/// `site.assets`: each CSS and JavaScript file by its own name (`style.css`),
/// with the URL to link it by and its integrity (empty when there is none).
fn assets(config: &Config, assets: &BTreeMap<String, Asset>) -> Value {
    let mut m = Map::with_capacity(assets.len());
    for (name, asset) in assets {
        let value = map([
            ("url", config.permalink(&asset.path).into()),
            (
                "integrity",
                asset.integrity.as_deref().unwrap_or_default().into(),
            ),
        ]);
        m.insert(name.as_str().to_owned().into(), value);
    }
    Value::from(m)
}

/// `site.subscribe`: the sign-up `form` (null without `subscribe:`) and the
/// `url` and `permalink` of `/subscribe/` (empty when the site has none).
fn subscribe(config: &Config) -> Value {
    let (url, permalink) = if config.subscribe_page {
        (
            config.url(urls::SUBSCRIBE),
            config.permalink(urls::SUBSCRIBE),
        )
    } else {
        Default::default()
    };
    map([
        ("form", Value::from_serializable(&config.subscribe)),
        ("url", url.into()),
        ("permalink", permalink.into()),
    ])
}

fn sorted_by_name(outlets: &[Value]) -> Vec<Value> {
    let mut sorted = outlets.to_vec();
    sorted.sort_by_cached_key(|o| {
        o.get_from_path("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_lowercase()
    });
    sorted
}
