//! The outlets and the tags: a page listing them all, and one page for each
//! with its entries (and, for a tag, its stories), newest first, cut into
//! pages of `paginate` items ([`Pages`]).

use tera::Value;

use super::paginate::Pages;
use super::{Job, Scope};
use crate::site::urls;

pub fn jobs(scope: &Scope<'_>, jobs: &mut Vec<Job>) {
    let Scope { site, values, .. } = *scope;
    let config = &site.config;
    let outlet_list = values
        .site
        .get_from_path("outlets")
        .cloned()
        .unwrap_or_else(Value::none);
    let words = &config.words;
    let site_title = [("site", config.title.as_str())];
    let description = words.text("outlets_description", &site_title);
    let page = scope.page(
        "outlets",
        &words.text("outlets", &[]),
        &description,
        urls::OUTLETS,
        [("outlets", outlet_list)],
    );
    jobs.push(Job::page(urls::OUTLETS, "outlets.html", page));
    for (outlet, value) in site.outlets.iter().zip(&values.outlets) {
        let path = urls::outlet(&outlet.key);
        let description = if outlet.tagline.is_empty() {
            let name = ("outlet", outlet.name.as_str());
            words.text("outlet_description", &[name, site_title[0]])
        } else {
            outlet.tagline.clone()
        };
        let pages = Pages::new(config, &path, outlet.entries.len());
        for pager in pages.iter() {
            let entries = pick(&values.entries, &outlet.entries[pager.items.clone()]);
            let page = scope.page(
                "outlet",
                &pages.title(words, &outlet.name, pager),
                &description,
                &pager.path,
                [
                    ("outlet", value.clone()),
                    ("entries", entries.clone()),
                    ("paginator", pages.value(pager, entries)),
                ],
            );
            jobs.push(Job::page(&pager.path, "outlet.html", page));
        }
    }

    let description = words.text("tags_description", &site_title);
    let page = scope.page(
        "tags",
        &words.text("tags", &[]),
        &description,
        urls::TAGS,
        [("tags", Value::from(values.tags.clone()))],
    );
    jobs.push(Job::page(urls::TAGS, "tags.html", page));
    for (tag, value) in site.tags.iter().zip(&values.tags) {
        let path = urls::tag(&tag.slug);
        let name = ("tag", tag.name.as_str());
        let description = words.text("tag_description", &[name, site_title[0]]);
        // An item is a story or an entry: the stories first, then the
        // entries, as one page would list them.
        let pages = Pages::new(config, &path, tag.stories.len() + tag.entries.len());
        for pager in pages.iter() {
            let (stories, entries) = pager.split(&tag.stories, &tag.entries);
            let items: Vec<Value> = (stories.iter().map(|&s| values.stories[s].clone()))
                .chain(entries.iter().map(|&e| values.entries[e].clone()))
                .collect();
            let page = scope.page(
                "tag",
                &pages.title(words, &tag.name, pager),
                &description,
                &pager.path,
                [
                    ("tag", value.clone()),
                    ("stories", pick(&values.stories, stories)),
                    ("entries", pick(&values.entries, entries)),
                    ("paginator", pages.value(pager, Value::from(items))),
                ],
            );
            jobs.push(Job::page(&pager.path, "tag.html", page));
        }
    }
}

/// The values of `ids` among `all`, as a list.
fn pick(all: &[Value], ids: &[usize]) -> Value {
    Value::from(ids.iter().map(|&i| all[i].clone()).collect::<Vec<_>>())
}
