//! The outlets and the tags: a page listing them all, and one page for each
//! with its entries (and, for a tag, its stories), newest first.

use tera::Value;

use super::{Job, Scope};
use crate::site::urls;

pub fn jobs(scope: &Scope<'_>, jobs: &mut Vec<Job>) {
    let Scope { site, values, .. } = *scope;
    let config = &site.config;
    let pick = |all: &[Value], ids: &[usize]| -> Value {
        Value::from(ids.iter().map(|&i| all[i].clone()).collect::<Vec<_>>())
    };

    let outlet_list = values
        .site
        .get_from_path("outlets")
        .cloned()
        .unwrap_or_else(Value::none);
    let description = format!("The outlets {} cites.", config.title);
    let page = scope.page(
        "outlets",
        "Outlets",
        &description,
        urls::OUTLETS,
        [("outlets", outlet_list)],
    );
    jobs.push(Job::page(urls::OUTLETS, "outlets.html", page));
    for (outlet, value) in site.outlets.iter().zip(&values.outlets) {
        let path = urls::outlet(&outlet.key);
        let description = if outlet.tagline.is_empty() {
            format!("Links from {} curated by {}.", outlet.name, config.title)
        } else {
            outlet.tagline.clone()
        };
        let page = scope.page(
            "outlet",
            &outlet.name,
            &description,
            &path,
            [
                ("outlet", value.clone()),
                ("entries", pick(&values.entries, &outlet.entries)),
            ],
        );
        jobs.push(Job::page(&path, "outlet.html", page));
    }

    let description = format!("Every tag of {}.", config.title);
    let page = scope.page(
        "tags",
        "Tags",
        &description,
        urls::TAGS,
        [("tags", Value::from(values.tags.clone()))],
    );
    jobs.push(Job::page(urls::TAGS, "tags.html", page));
    for (tag, value) in site.tags.iter().zip(&values.tags) {
        let path = urls::tag(&tag.slug);
        let description = format!("Stories and links tagged {} on {}.", tag.name, config.title);
        let page = scope.page(
            "tag",
            &tag.name,
            &description,
            &path,
            [
                ("tag", value.clone()),
                ("stories", pick(&values.stories, &tag.stories)),
                ("entries", pick(&values.entries, &tag.entries)),
            ],
        );
        jobs.push(Job::page(&path, "tag.html", page));
    }
}
