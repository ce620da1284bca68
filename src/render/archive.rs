//! The archives: every issue (`/archive/`), each year's and each month's,
//! grouped by month, newest first. The whole archive grows with the site
//! and is cut into pages of `paginate` issues ([`Pages`]), a month cut
//! between two pages heading both; a year and a month are bounded by their
//! days and stay one page.

use std::collections::BTreeMap;

use chrono::Datelike as _;
use tera::Value;

use super::paginate::Pages;
use super::values::map;
use super::{Job, Scope};
use crate::site::urls;

pub fn jobs(scope: &Scope<'_>, jobs: &mut Vec<Job>) {
    let Scope { site, values, .. } = *scope;
    let config = &site.config;
    let mut months: BTreeMap<(i32, u32), Vec<Value>> = BTreeMap::new();
    for (issue, summary) in site.issues.iter().zip(&values.issue_summaries) {
        let key = (issue.date.year(), issue.date.month());
        months.entry(key).or_default().push(summary.clone());
    }
    let group = |(year, month): (i32, u32), issues: Vec<Value>| {
        let path = urls::month(year, month);
        map([
            ("title", month_title(&config.words, year, month).into()),
            ("url", config.url(&path).into()),
            ("permalink", config.permalink(&path).into()),
            ("issues", Value::from(issues)),
        ])
    };
    let month_groups: Vec<((i32, u32), Value)> = months
        .iter()
        .rev()
        .map(|(&key, issues)| (key, group(key, issues.clone())))
        .collect();
    let mut years: Vec<i32> = months.keys().map(|&(y, _)| y).collect();
    years.dedup();
    years.reverse();
    let year_links = Value::from(
        years
            .iter()
            .map(|&y| {
                let path = urls::year(y);
                map([
                    ("year", y.to_string().into()),
                    ("url", config.url(&path).into()),
                    ("permalink", config.permalink(&path).into()),
                ])
            })
            .collect::<Vec<_>>(),
    );
    let archive =
        |scope_name: &str, title: &str, path: &str, groups: Vec<Value>, paginator: Value| {
            let colon = config.words.text("colon", &[]);
            let description = format!("{}{colon} {title}", config.title);
            let page = scope.page(
                "archive",
                title,
                &description,
                path,
                [
                    ("scope", scope_name.into()),
                    ("months", Value::from(groups)),
                    ("years", year_links.clone()),
                    ("paginator", paginator),
                ],
            );
            Job::page(path, "archive.html", page)
        };

    // Every issue, newest first (the months' lists one after the other),
    // with its month.
    let issues: Vec<((i32, u32), &Value)> = site
        .issues
        .iter()
        .zip(&values.issue_summaries)
        .map(|(issue, summary)| ((issue.date.year(), issue.date.month()), summary))
        .collect();
    let pages = Pages::new(config, urls::ARCHIVE, issues.len());
    for pager in pages.iter() {
        let on_page = &issues[pager.items.clone()];
        let groups = on_page
            .chunk_by(|a, b| a.0 == b.0)
            .map(|run| {
                let key = run[0].0;
                match month_groups.iter().find(|(k, _)| *k == key) {
                    // A month all on this page: the value every archive shares.
                    Some((_, whole)) if months.get(&key).map(Vec::len) == Some(run.len()) => {
                        whole.clone()
                    }
                    _ => group(key, run.iter().map(|(_, v)| (*v).clone()).collect()),
                }
            })
            .collect();
        let items: Vec<Value> = on_page.iter().map(|(_, v)| (*v).clone()).collect();
        let words = &config.words;
        let title = pages.title(words, &words.text("archive", &[]), pager);
        let paginator = pages.value(pager, Value::from(items));
        jobs.push(archive("all", &title, &pager.path, groups, paginator));
    }
    // A year and a month are never cut: no paginator.
    for &year in &years {
        let groups: Vec<Value> = month_groups
            .iter()
            .filter(|((y, _), _)| *y == year)
            .map(|(_, g)| g.clone())
            .collect();
        jobs.push(archive(
            "year",
            &year.to_string(),
            &urls::year(year),
            groups,
            Value::none(),
        ));
    }
    for ((year, month), group) in &month_groups {
        let title = month_title(&config.words, *year, *month);
        let path = urls::month(*year, *month);
        jobs.push(archive(
            "month",
            &title,
            &path,
            vec![group.clone()],
            Value::none(),
        ));
    }
}

/// "November 2026", in the site's words (`date_month`), as a title.
fn month_title(words: &crate::config::Words, year: i32, month: u32) -> String {
    chrono::NaiveDate::from_ymd_opt(year, month, 1)
        .map(|d| crate::site::capitalised(&words.date(d, "month")))
        .unwrap_or_default()
}
