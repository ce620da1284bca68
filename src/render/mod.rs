//! Render: the Site model through the Tera templates into pages.
//!
//! Lists every page of SPEC section 2 as a [`Job`] (output path, template,
//! page object), renders them in parallel against one shared set of values,
//! and hands each result to a sink (the output writer, or nothing for
//! `check`). Template errors that repeat on many pages are reported once.

pub mod templates;
pub mod values;

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use chrono::Datelike;
use rayon::prelude::*;
use tera::{Context, Value};

use crate::diagnostic::Diagnostic;
use crate::site::Site;
pub use templates::Templates;
use values::{Values, map};

/// One page to render.
pub struct Job {
    /// Output path relative to the output folder, e.g. `2026/11/25/index.html`.
    pub path: String,
    pub template: &'static str,
    pub page: Value,
}

/// Lists every page of the site.
pub fn jobs(site: &Site, values: &Values) -> Vec<Job> {
    let config = &site.config;
    let mut jobs = Vec::with_capacity(site.entries.len() + site.stories.len() * 2 + 64);
    let mut add = |path: String, template: &'static str, page: Value| {
        let file = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path
        };
        jobs.push(Job {
            path: file,
            template,
            page,
        });
    };
    let base = |kind: &str, title: &str, description: &str, path: &str| {
        [
            ("kind", Value::from(kind)),
            ("title", Value::from(title)),
            ("description", Value::from(description)),
            ("url", config.url(path).into()),
            ("permalink", config.permalink(path).into()),
        ]
    };

    let [k, t, d, u, p] = base("home", &config.title, &config.description, "");
    let latest = values.issues.first().cloned();
    add(
        String::new(),
        "index.html",
        map([k, t, d, u, p, ("issue", latest.into())]),
    );

    for (issue, value) in site.issues.iter().zip(&values.issues) {
        add(issue.path.clone(), "issue.html", value.clone());
    }
    for (story, value) in site.stories.iter().zip(&values.stories) {
        add(story.path.clone(), "story.html", value.clone());
    }
    for (entry, value) in site.entries.iter().zip(&values.entries) {
        add(entry.path.clone(), "entry.html", value.clone());
    }

    // Archives: everything, each year, each month.
    let mut months: BTreeMap<(i32, u32), Vec<Value>> = BTreeMap::new();
    for (issue, summary) in site.issues.iter().zip(&values.issue_summaries) {
        let key = (issue.date.year(), issue.date.month());
        months.entry(key).or_default().push(summary.clone());
    }
    let month_groups: Vec<((i32, u32), Value)> = months
        .iter()
        .rev()
        .map(|(&(year, month), issues)| {
            let path = format!("{year:04}/{month:02}/");
            let title = month_title(year, month);
            let group = map([
                ("title", title.into()),
                ("url", config.url(&path).into()),
                ("permalink", config.permalink(&path).into()),
                ("issues", Value::from(issues.clone())),
            ]);
            ((year, month), group)
        })
        .collect();
    let mut years: Vec<i32> = months.keys().map(|&(y, _)| y).collect();
    years.dedup();
    years.reverse();
    let year_links = Value::from(
        years
            .iter()
            .map(|y| {
                let path = format!("{y:04}/");
                map([
                    ("year", y.to_string().into()),
                    ("url", config.url(&path).into()),
                    ("permalink", config.permalink(&path).into()),
                ])
            })
            .collect::<Vec<_>>(),
    );
    let archive = |scope: &str, title: &str, path: &str, groups: Vec<Value>| {
        let description = format!("{}: {title}", config.title);
        let [k, t, d, u, p] = base("archive", title, &description, path);
        map([
            k,
            t,
            d,
            u,
            p,
            ("scope", scope.into()),
            ("months", Value::from(groups)),
            ("years", year_links.clone()),
        ])
    };
    let all: Vec<Value> = month_groups.iter().map(|(_, g)| g.clone()).collect();
    add(
        "archive/".to_owned(),
        "archive.html",
        archive("all", "Archive", "archive/", all),
    );
    for &year in &years {
        let groups: Vec<Value> = month_groups
            .iter()
            .filter(|((y, _), _)| *y == year)
            .map(|(_, g)| g.clone())
            .collect();
        let path = format!("{year:04}/");
        add(
            path.clone(),
            "archive.html",
            archive("year", &year.to_string(), &path, groups),
        );
    }
    for ((year, month), group) in &month_groups {
        let path = format!("{year:04}/{month:02}/");
        let title = month_title(*year, *month);
        add(
            path.clone(),
            "archive.html",
            archive("month", &title, &path, vec![group.clone()]),
        );
    }

    // Outlets and tags.
    let outlets_description = format!("The outlets {} cites.", config.title);
    let [k, t, d, u, p] = base("outlets", "Outlets", &outlets_description, "outlets/");
    let outlet_list = values
        .site
        .get_from_path("outlets")
        .cloned()
        .unwrap_or_else(Value::none);
    add(
        "outlets/".to_owned(),
        "outlets.html",
        map([k, t, d, u, p, ("outlets", outlet_list)]),
    );
    for (outlet, value) in site.outlets.iter().zip(&values.outlets) {
        let path = format!("outlets/{}/", outlet.key);
        let description = if outlet.tagline.is_empty() {
            format!("Links from {} curated by {}.", outlet.name, config.title)
        } else {
            outlet.tagline.clone()
        };
        let [k, t, d, u, p] = base("outlet", &outlet.name, &description, &path);
        let entries: Vec<Value> = outlet
            .entries
            .iter()
            .map(|&e| values.entries[e].clone())
            .collect();
        add(
            path,
            "outlet.html",
            map([
                k,
                t,
                d,
                u,
                p,
                ("outlet", value.clone()),
                ("entries", Value::from(entries)),
            ]),
        );
    }
    let [k, t, d, u, p] = base(
        "tags",
        "Tags",
        &format!("Every tag of {}.", config.title),
        "tags/",
    );
    add(
        "tags/".to_owned(),
        "tags.html",
        map([k, t, d, u, p, ("tags", Value::from(values.tags.clone()))]),
    );
    for (tag, value) in site.tags.iter().zip(&values.tags) {
        let path = format!("tags/{}/", tag.slug);
        let description = format!("Stories and links tagged {} on {}.", tag.name, config.title);
        let [k, t, d, u, p] = base("tag", &tag.name, &description, &path);
        let stories: Vec<Value> = tag
            .stories
            .iter()
            .map(|&s| values.stories[s].clone())
            .collect();
        let entries: Vec<Value> = tag
            .entries
            .iter()
            .map(|&e| values.entries[e].clone())
            .collect();
        add(
            path,
            "tag.html",
            map([
                k,
                t,
                d,
                u,
                p,
                ("tag", value.clone()),
                ("stories", Value::from(stories)),
                ("entries", Value::from(entries)),
            ]),
        );
    }

    for (page, value) in site.pages.iter().zip(&values.pages) {
        add(page.path.clone(), "page.html", value.clone());
    }
    let [k, t, d, u, p] = base(
        "404",
        "Page not found",
        "This page does not exist.",
        "404.html",
    );
    add("404.html".to_owned(), "404.html", map([k, t, d, u, p]));
    jobs
}

fn month_title(year: i32, month: u32) -> String {
    chrono::NaiveDate::from_ymd_opt(year, month, 1)
        .map(|d| d.format("%B %Y").to_string())
        .unwrap_or_default()
}

/// Renders every job in parallel and passes each page to `sink`.
///
/// Returns the diagnostics of failed renders, one per distinct template
/// error, with how many pages it broke.
pub fn render_all(
    templates: &mut Templates,
    values: &Values,
    jobs: &[Job],
    sink: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
) -> Result<Vec<Diagnostic>> {
    // `site` is the same for every page: set once, shared by reference.
    templates
        .tera
        .global_context()
        .insert_value("site", values.site.clone());
    let templates = &*templates;
    let failures: Vec<(usize, tera::Error)> = jobs
        .par_iter()
        .enumerate()
        .map(|(index, job)| {
            let mut context = Context::new();
            context.insert_value("page", job.page.clone());
            match templates.tera.render(job.template, &context) {
                Ok(html) => sink(&job.path, html.as_bytes()).map(|()| None),
                Err(e) => Ok(Some((index, e))),
            }
        })
        .filter_map(Result::transpose)
        .collect::<Result<_>>()?;

    // One diagnostic per distinct error, naming the first page and a count.
    let mut seen: HashMap<String, (Diagnostic, usize, usize)> = HashMap::new();
    for (index, error) in failures {
        for d in templates.error(&error) {
            let key = d.render();
            seen.entry(key).or_insert((d, index, 0)).2 += 1;
        }
    }
    let mut diagnostics: Vec<Diagnostic> = seen
        .into_values()
        .map(|(d, first, count)| {
            let page = &jobs[first].path;
            let note = match count {
                1 => format!("while rendering `{page}`"),
                n => format!("while rendering `{page}` and {} other pages", n - 1),
            };
            d.note(note)
        })
        .collect();
    crate::diagnostic::sort(&mut diagnostics);
    Ok(diagnostics)
}
