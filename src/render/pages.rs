//! The editors' standalone pages (`content/pages/`) and the 404 page.

use super::{Job, Scope};
use crate::site::urls;

pub fn jobs(scope: &Scope<'_>, jobs: &mut Vec<Job>) {
    let Scope { site, values, .. } = *scope;
    for (page, value) in site.pages.iter().zip(&values.pages) {
        jobs.push(Job::page(&page.path, "page.html", value.clone()));
    }
    let not_found = scope.page(
        "404",
        "Page not found",
        "This page does not exist.",
        urls::NOT_FOUND,
        [],
    );
    jobs.push(Job::page(urls::NOT_FOUND, "404.html", not_found));
}
