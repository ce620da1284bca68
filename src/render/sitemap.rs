//! `/sitemap.xml` (an index of several files above 50,000 URLs, as the
//! sitemaps protocol requires) and `/robots.txt` pointing at it.

use std::fmt::Write as _;

use tera::Value;

use super::feeds::xml_escape;
use super::{Body, Job, Scope};
use crate::config::Config;
use crate::site::urls;

/// URLs in one sitemap file at most, by the protocol.
pub const MAX_URLS: usize = 50_000;

/// A page for the sitemap: its absolute URL and, when known, its date.
pub struct Url {
    pub loc: String,
    pub lastmod: Option<String>,
}

/// `sitemap.xml` (an index past [`MAX_URLS`]) and `robots.txt`, listing
/// every HTML page of `jobs` but the 404, with its date when it has one.
pub fn jobs(scope: &Scope<'_>, jobs: &mut Vec<Job>) {
    let config = &scope.site.config;
    let urls: Vec<Url> = (scope.listed.iter())
        .filter(|job| job.is_page() && job.path != urls::NOT_FOUND)
        .filter_map(|job| match &job.body {
            Body::Page { page, .. } => Some(Url {
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
    if (scope.stop)() {
        return;
    }
    for (path, content) in files(config, &urls) {
        let body = match path == ROBOTS && scope.templates.exists(ROBOTS) {
            // The site's own rules, as Zola's and Hugo's `robots.txt`
            // templates give them: `page.sitemap` is the sitemap's URL.
            true => Body::Page {
                template: ROBOTS,
                page: scope.page(
                    "robots",
                    &config.title,
                    &config.description,
                    ROBOTS,
                    [("sitemap", Value::from(config.permalink("sitemap.xml")))],
                ),
            },
            false => Body::Text(content),
        };
        jobs.push(Job { path, body });
    }
}

/// The rules for crawlers; a template of that name replaces gazette's.
pub const ROBOTS: &str = "robots.txt";

/// The sitemap files and robots.txt, as (output path, text).
pub fn files(config: &Config, urls: &[Url]) -> Vec<(String, String)> {
    let mut files = Vec::new();
    if urls.len() <= MAX_URLS {
        files.push(("sitemap.xml".to_owned(), urlset(urls)));
    } else {
        let mut index = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (n, chunk) in urls.chunks(MAX_URLS).enumerate() {
            let name = format!("sitemap-{}.xml", n + 1);
            let _ = writeln!(
                index,
                "<sitemap><loc>{}</loc></sitemap>",
                xml_escape(&config.permalink(&name))
            );
            files.push((name, urlset(chunk)));
        }
        index.push_str("</sitemapindex>\n");
        files.push(("sitemap.xml".to_owned(), index));
    }
    files.push((
        ROBOTS.to_owned(),
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            config.permalink("sitemap.xml")
        ),
    ));
    files
}

fn urlset(urls: &[Url]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in urls {
        let _ = write!(xml, "<url><loc>{}</loc>", xml_escape(&url.loc));
        if let Some(lastmod) = &url.lastmod {
            let _ = write!(xml, "<lastmod>{}</lastmod>", xml_escape(lastmod));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    // Above 50,000 URLs the sitemap becomes an index of files of 50,000.
    #[test]
    fn splits_into_an_index() {
        let config = crate::config::tests::config();
        let urls: Vec<Url> = (0..MAX_URLS + 1)
            .map(|n| Url {
                loc: format!("https://a.example/{n}/"),
                lastmod: None,
            })
            .collect();
        let files = files(&config, &urls);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap.xml",
                "robots.txt"
            ]
        );
        assert!(files[2].1.contains("<sitemapindex"));
        assert_eq!(files[1].1.matches("<url>").count(), 1);
        assert!(
            files[3]
                .1
                .ends_with("Sitemap: https://a.example/sitemap.xml\n")
        );
    }
}
