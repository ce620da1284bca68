//! `/sitemap.xml` (an index of several files above 50,000 URLs, as the
//! sitemaps protocol requires) and `/robots.txt` pointing at it.

use std::fmt::Write as _;

use super::feeds::xml_escape;
use crate::config::Config;

/// URLs in one sitemap file at most, by the protocol.
pub const MAX_URLS: usize = 50_000;

/// A page for the sitemap: its absolute URL and, when known, its date.
pub struct Url {
    pub loc: String,
    pub lastmod: Option<String>,
}

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
        "robots.txt".to_owned(),
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
