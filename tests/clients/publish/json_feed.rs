//! `feed.json` against the JSON Feed 1.1 schema of npm `jsonfeed-schema`,
//! formats checked.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{assert_caught, assert_none, fixtures, python, results};
use crate::sites;
use crate::tools::{self, Missing};

/// The JSON Feed 1.1 schema of npm `jsonfeed-schema`, checked by Python's
/// jsonschema with its format checker ("uri", "date-time" really checked).
fn jsonfeed_errors(schema: &Path, files: &[PathBuf]) -> Vec<String> {
    let json = python(
        "jsonfeed",
        &std::iter::once(schema.to_path_buf())
            .chain(files.iter().cloned())
            .collect::<Vec<_>>(),
    );
    let formats: Vec<&str> = json["formats"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f.as_str())
        .collect();
    assert!(
        formats.contains(&"uri") && formats.contains(&"date-time"),
        "jsonschema checks no uri or date-time: {formats:?}"
    );
    results(&json)
        .iter()
        .flat_map(|r| {
            let file = Path::new(r["file"].as_str().unwrap_or(""))
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            r["errors"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(move |e| format!("{file}: {}", e.as_str().unwrap_or("")))
        })
        .collect()
}

// 2. feed.json validates against the JSON Feed 1.1 schema, formats and all;
// a missing version, a date of "yesterday" and a relative URL do not.
pub fn feed_json_matches_the_json_feed_schema() -> Result<(), Missing> {
    let schema = tools::node_package_file("jsonfeed-schema", "schema-v1.1.json")?;
    tools::python(&["jsonschema", "rfc3339_validator", "rfc3986_validator"])?;
    for site in sites() {
        let started = Instant::now();
        let errors = jsonfeed_errors(&schema, &[site.out.join("feed.json")]);
        assert_none(site.name, "JSON Feed 1.1 schema", &errors);
        tools::report(&format!(
            "{}: feed.json: valid JSON Feed 1.1 (schema of jsonfeed-schema, uri and date-time formats checked) [{:.1} s]",
            site.name,
            started.elapsed().as_secs_f64()
        ));
    }
    let broken = [
        fixtures().join("public/feed.json"),
        fixtures().join("jsonfeed/no-version.json"),
        fixtures().join("jsonfeed/relative-url.json"),
    ];
    let errors = jsonfeed_errors(&schema, &broken);
    assert_caught(
        "JSON Feed schema",
        &errors,
        &[
            "feed.json: items/0/date_published: 'yesterday' is not a 'date-time'",
            "no-version.json: (root): 'version' is a required property",
            "relative-url.json: items/0/url: '/2026/11/25/' is not a 'uri'",
        ],
    );
    Ok(())
}
