//! Render: the Site model through the Tera templates into pages.
//!
//! Lists every page of SPEC section 2 as a [`Job`] (output path, template,
//! page object), renders them in parallel against one shared set of values,
//! and hands each result to a sink (the output writer, or nothing for
//! `check`). Template errors that repeat on many pages are reported once.

pub mod email;
pub mod feeds;
pub mod links;
pub mod search;
pub mod sitemap;
pub mod templates;
pub mod values;

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use chrono::Datelike;
use rayon::prelude::*;
use tera::{Context, Value};

use crate::diagnostic::{Diagnostic, Location};
use crate::site::{IssueId, Site, urls};
pub use templates::Templates;
use values::{Values, map};

/// One file of the site.
pub struct Job {
    /// Output path relative to the output folder, e.g. `2026/11/25/index.html`.
    pub path: String,
    pub body: Body,
}

/// What makes a file.
pub enum Body {
    /// A theme template rendered with `page`: the HTML pages.
    Page { template: &'static str, page: Value },
    /// `email.html` of an issue: rendered, then its CSS inlined and links made absolute.
    Email { issue: IssueId, page: Value },
    /// Built in: feeds, sitemap, robots.txt, search index.
    Text(String),
}

impl Job {
    /// Whether the file is an HTML page of the site (not the email edition).
    pub fn is_page(&self) -> bool {
        matches!(self.body, Body::Page { .. }) && self.path.ends_with(".html")
    }
}

/// Lists every file of the site, in a fixed order.
pub fn jobs(site: &Site, values: &Values, templates: &Templates) -> Vec<Job> {
    let config = &site.config;
    let mut jobs = Vec::with_capacity(site.entries.len() + site.stories.len() * 2 + 64);
    let mut add = |path: String, template: &'static str, page: Value| {
        jobs.push(Job {
            path: urls::file(&path),
            body: Body::Page { template, page },
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
            let path = urls::month(year, month);
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
                let path = urls::year(*y);
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
        urls::ARCHIVE.to_owned(),
        "archive.html",
        archive("all", "Archive", urls::ARCHIVE, all),
    );
    for &year in &years {
        let groups: Vec<Value> = month_groups
            .iter()
            .filter(|((y, _), _)| *y == year)
            .map(|(_, g)| g.clone())
            .collect();
        let path = urls::year(year);
        add(
            path.clone(),
            "archive.html",
            archive("year", &year.to_string(), &path, groups),
        );
    }
    for ((year, month), group) in &month_groups {
        let path = urls::month(*year, *month);
        let title = month_title(*year, *month);
        add(
            path.clone(),
            "archive.html",
            archive("month", &title, &path, vec![group.clone()]),
        );
    }

    // Outlets and tags.
    let outlets_description = format!("The outlets {} cites.", config.title);
    let [k, t, d, u, p] = base("outlets", "Outlets", &outlets_description, urls::OUTLETS);
    let outlet_list = values
        .site
        .get_from_path("outlets")
        .cloned()
        .unwrap_or_else(Value::none);
    add(
        urls::OUTLETS.to_owned(),
        "outlets.html",
        map([k, t, d, u, p, ("outlets", outlet_list)]),
    );
    for (outlet, value) in site.outlets.iter().zip(&values.outlets) {
        let path = urls::outlet(&outlet.key);
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
        urls::TAGS,
    );
    add(
        urls::TAGS.to_owned(),
        "tags.html",
        map([k, t, d, u, p, ("tags", Value::from(values.tags.clone()))]),
    );
    for (tag, value) in site.tags.iter().zip(&values.tags) {
        let path = urls::tag(&tag.slug);
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
        urls::NOT_FOUND,
    );
    add(urls::NOT_FOUND.to_owned(), "404.html", map([k, t, d, u, p]));

    // The email edition of each issue.
    for (id, issue) in site.issues.iter().enumerate() {
        let page = email::page(site, values, id);
        jobs.push(Job {
            path: urls::email(&issue.path, "txt"),
            body: Body::Page {
                template: "email.txt",
                page: page.clone(),
            },
        });
        jobs.push(Job {
            path: urls::email(&issue.path, "html"),
            body: Body::Email { issue: id, page },
        });
    }

    // Feeds: built in, unless the site or theme has a template of the name.
    for (path, content) in feeds::site_feeds(site) {
        if templates.exists(&path) {
            let [k, t, d, u, p] = base("feed", &config.title, &config.description, &path);
            let issues: Vec<Value> = values
                .issues
                .iter()
                .take(config.feed_limit)
                .cloned()
                .collect();
            let page = map([k, t, d, u, p, ("issues", Value::from(issues))]);
            let template = FEED_TEMPLATES
                .iter()
                .find(|n| **n == path)
                .copied()
                .unwrap_or("atom.xml");
            jobs.push(Job {
                path,
                body: Body::Page { template, page },
            });
        } else {
            jobs.push(Job {
                path,
                body: Body::Text(content),
            });
        }
    }
    for tag in &site.tags {
        let path = urls::tag(&tag.slug);
        let feed = feeds::entry_feed(site, &format!("#{}", tag.name), &path, &tag.entries);
        jobs.push(Job {
            path: urls::list_feed(&path),
            body: Body::Text(feed),
        });
    }
    for outlet in &site.outlets {
        let path = urls::outlet(&outlet.key);
        let feed = feeds::entry_feed(site, &outlet.name, &path, &outlet.entries);
        jobs.push(Job {
            path: urls::list_feed(&path),
            body: Body::Text(feed),
        });
    }
    jobs.push(Job {
        path: urls::SEARCH.to_owned(),
        body: Body::Text(search::index(site)),
    });

    // The sitemap lists every HTML page but the 404, with its date when it has one.
    let urls: Vec<sitemap::Url> = jobs
        .iter()
        .filter(|job| job.is_page() && job.path != urls::NOT_FOUND)
        .filter_map(|job| match &job.body {
            Body::Page { page, .. } => Some(sitemap::Url {
                loc: config.permalink(job.path.strip_suffix("index.html").unwrap_or(&job.path)),
                lastmod: page
                    .get_from_path("date")
                    .or_else(|| page.get_from_path("issue.date"))
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            }),
            _ => None,
        })
        .collect();
    for (path, content) in sitemap::files(config, &urls) {
        jobs.push(Job {
            path,
            body: Body::Text(content),
        });
    }
    jobs
}

/// Site feeds a theme may replace with a template of the same name.
const FEED_TEMPLATES: [&str; 3] = ["feed.xml", "atom.xml", "feed.json"];

fn month_title(year: i32, month: u32) -> String {
    chrono::NaiveDate::from_ymd_opt(year, month, 1)
        .map(|d| d.format("%B %Y").to_string())
        .unwrap_or_default()
}

/// Renders every job in parallel and passes each file to `sink`.
///
/// Returns the diagnostics of the run: template errors, one per distinct
/// error with how many pages it broke, and warnings (an email edition too
/// large for Gmail).
pub fn render_all(
    templates: &mut Templates,
    site: &Site,
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
    let render = |template: &str, page: &Value| {
        let mut context = Context::new();
        context.insert_value("page", page.clone());
        templates.tera.render(template, &context)
    };
    let problems: Vec<Problem> = jobs
        .par_iter()
        .enumerate()
        .map(|(index, job)| -> Result<Option<Problem>> {
            match &job.body {
                Body::Text(text) => sink(&job.path, text.as_bytes()).map(|()| None),
                Body::Page { template, page } => match render(template, page) {
                    Ok(html) => sink(&job.path, html.as_bytes()).map(|()| None),
                    Err(e) => Ok(Some(Problem::Template(index, e))),
                },
                Body::Email { issue, page } => {
                    let html = match render("email.html", page) {
                        Ok(html) => html,
                        Err(e) => return Ok(Some(Problem::Template(index, e))),
                    };
                    let dir = &site.issues[*issue].path;
                    let source = format!("content/{}", site.issues[*issue].date.format("%Y-%m-%d"));
                    match email::finish(&html, site, *issue) {
                        Ok(html) => {
                            sink(&job.path, html.as_bytes())?;
                            Ok((html.len() > email::GMAIL_CLIP_BYTES).then(|| {
                                Problem::Other(
                                    Diagnostic::warning(format!(
                                        "the email edition `{dir}email.html` is {} KB: Gmail clips messages over 102 KB",
                                        html.len() / 1024
                                    ))
                                    .at(Location::file(source))
                                    .help("move some links to the next issue, or shorten summaries (`summary_length` in site.yaml)"),
                                )
                            }))
                        }
                        Err(why) => Ok(Some(Problem::Other(
                            Diagnostic::error(format!("cannot inline the CSS of `{dir}email.html`: {why}"))
                                .at(Location::file(source))
                                .help("check the CSS of the `email.html` template"),
                        ))),
                    }
                }
            }
        })
        .filter_map(Result::transpose)
        .collect::<Result<_>>()?;

    // One diagnostic per distinct error, naming the first page and a count.
    let mut seen: HashMap<String, (Diagnostic, usize, usize)> = HashMap::new();
    let mut diagnostics = Vec::new();
    for problem in problems {
        match problem {
            Problem::Other(d) => diagnostics.push(d),
            Problem::Template(index, error) => {
                for d in templates.error(&error) {
                    let key = d.render();
                    seen.entry(key).or_insert((d, index, 0)).2 += 1;
                }
            }
        }
    }
    diagnostics.extend(seen.into_values().map(|(d, first, count)| {
        let page = &jobs[first].path;
        let note = match count {
            1 => format!("while rendering `{page}`"),
            n => format!("while rendering `{page}` and {} other pages", n - 1),
        };
        d.note(note)
    }));
    crate::diagnostic::sort(&mut diagnostics);
    Ok(diagnostics)
}

enum Problem {
    Template(usize, tera::Error),
    Other(Diagnostic),
}
