//! The editors' standalone pages (`content/pages/`), the subscribe page
//! and the 404 page.

use tera::Value;

use super::values::map;
use super::{Job, Scope};
use crate::site::urls;

/// The theme's template of `/subscribe/`; a theme without one has no such page.
pub const SUBSCRIBE_TEMPLATE: &str = "subscribe.html";

pub fn jobs(scope: &Scope<'_>, jobs: &mut Vec<Job>) {
    let Scope {
        site,
        values,
        templates,
        ..
    } = *scope;
    for (page, value) in site.pages.iter().zip(&values.pages) {
        jobs.push(Job::page(&page.path, "page.html", value.clone()));
    }
    // A site's own `pages/subscribe.md` takes the place of the theme's page.
    let own = site.pages.iter().any(|p| p.path == urls::SUBSCRIBE);
    if templates.exists(SUBSCRIBE_TEMPLATE) && !own {
        jobs.push(Job::page(
            urls::SUBSCRIBE,
            SUBSCRIBE_TEMPLATE,
            subscribe(scope),
        ));
    }
    let words = &scope.site.config.words;
    let not_found = scope.page(
        "404",
        &words.text("not_found_title", &[]),
        &words.text("not_found_description", &[]),
        urls::NOT_FOUND,
        [],
    );
    jobs.push(Job::page(urls::NOT_FOUND, "404.html", not_found));
}

/// The `page` of `/subscribe/`: the site's feeds, then each tag's and each
/// outlet's, each with its absolute URL (the sign-up form is `site.subscribe`).
fn subscribe(scope: &Scope<'_>) -> Value {
    let site = scope.site;
    let config = &site.config;
    let feed = |title: &str, path: &str, format: &str| {
        map([
            ("title", title.into()),
            ("url", config.permalink(path).into()),
            ("format", format.into()),
        ])
    };
    let feeds = vec![
        feed("Atom", "atom.xml", "Atom"),
        feed("RSS", "feed.xml", "RSS 2.0"),
        feed("JSON Feed", "feed.json", "JSON Feed 1.1"),
    ];
    let list = |name: &str, path: &str| feed(name, &urls::list_feed(path), "Atom");
    let tags: Vec<Value> = (site.tags.iter())
        .map(|t| list(&format!("#{}", t.name), &urls::tag(&t.slug)))
        .collect();
    let mut outlets: Vec<(String, Value)> = (site.outlets.iter())
        .map(|o| (o.name.to_lowercase(), list(&o.name, &urls::outlet(&o.key))))
        .collect();
    outlets.sort_by(|a, b| a.0.cmp(&b.0));
    let words = &config.words;
    let description = words.text("subscribe_description", &[("site", &config.title)]);
    scope.page(
        "subscribe",
        &words.text("subscribe", &[]),
        &description,
        urls::SUBSCRIBE,
        [
            ("feeds", Value::from(feeds)),
            ("tag_feeds", Value::from(tags)),
            (
                "outlet_feeds",
                Value::from(outlets.into_iter().map(|(_, v)| v).collect::<Vec<_>>()),
            ),
        ],
    )
}
