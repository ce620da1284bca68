//! The daily pages: home (the latest issue), each issue, each story and
//! each entry.

use tera::Value;

use super::{Job, Scope};
use crate::site::Entry;

/// The page of `entry`, whose value is `value`.
pub fn entry_job(entry: &Entry, value: Value) -> Job {
    Job::page(&entry.path, "entry.html", value)
}

pub fn jobs(scope: &Scope<'_>, jobs: &mut Vec<Job>) {
    let Scope { site, values, .. } = *scope;
    let config = &site.config;
    let latest = values.issues.first().cloned();
    let home = scope.page(
        "home",
        &config.title,
        &config.description,
        "",
        [("issue", Value::from(latest))],
    );
    jobs.push(Job::page("", "index.html", home));
    for (issue, value) in site.issues.iter().zip(&values.issues) {
        jobs.push(Job::page(&issue.path, "issue.html", value.clone()));
    }
    for (story, value) in site.stories.iter().zip(&values.stories) {
        jobs.push(Job::page(&story.path, "story.html", value.clone()));
    }
    for (entry, value) in site.entries.iter().zip(&values.entries) {
        jobs.push(entry_job(entry, value.clone()));
    }
}
