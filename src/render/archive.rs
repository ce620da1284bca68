//! The archives: every issue (`/archive/`), each year's and each month's,
//! grouped by month, newest first.

use std::collections::BTreeMap;

use chrono::Datelike as _;
use tera::Value;

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
    let month_groups: Vec<((i32, u32), Value)> = months
        .iter()
        .rev()
        .map(|(&(year, month), issues)| {
            let path = urls::month(year, month);
            let group = map([
                ("title", month_title(year, month).into()),
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
    let archive = |scope_name: &str, title: &str, path: &str, groups: Vec<Value>| {
        let description = format!("{}: {title}", config.title);
        let page = scope.page(
            "archive",
            title,
            &description,
            path,
            [
                ("scope", scope_name.into()),
                ("months", Value::from(groups)),
                ("years", year_links.clone()),
            ],
        );
        Job::page(path, "archive.html", page)
    };
    let all: Vec<Value> = month_groups.iter().map(|(_, g)| g.clone()).collect();
    jobs.push(archive("all", "Archive", urls::ARCHIVE, all));
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
        ));
    }
    for ((year, month), group) in &month_groups {
        let title = month_title(*year, *month);
        let path = urls::month(*year, *month);
        jobs.push(archive("month", &title, &path, vec![group.clone()]));
    }
}

/// "November 2026"
fn month_title(year: i32, month: u32) -> String {
    chrono::NaiveDate::from_ymd_opt(year, month, 1)
        .map(|d| d.format("%B %Y").to_string())
        .unwrap_or_default()
}
