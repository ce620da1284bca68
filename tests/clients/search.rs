//! The theme's search box in Chromium (`tests/clients/search.mjs`): a
//! reader types a word of an entry's summary, one key at a time, on the
//! generated site of 300 entries and on one of 10,000; the entry is among
//! the results, the search downloads at most [`BUDGET`] bytes of the index,
//! axe finds nothing wrong with the results open, and the keyboard works
//! (arrows and Tab through the results, Escape to clear). Then in the
//! preview of `gazette serve`, under a sub-path: "zurich" finds Zürich, and
//! a headline written as markup shows as text, running nothing.
//! Screenshots: `target/client-artifacts/search/`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

use crate::live::Server;
use crate::tools::{self, Missing};
use crate::{Built, corpus, sites};

/// The most one search may download of the index (manifest, shards,
/// records), in bytes, as served (no compression).
const BUDGET: u64 = 300_000;

/// The generated site of 10,000 entries, built once.
fn ten_thousand() -> &'static Built {
    static SITE: OnceLock<Built> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path().join("site");
        corpus::write(&root, 10_000);
        crate::copy_theme(&root);
        crate::build("generated-10k", &root, dir, vec![String::new()])
    })
}

fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/client-artifacts/search");
    std::fs::create_dir_all(&dir).expect("artifacts folder");
    dir
}

/// What search.mjs saw typing `query` on the page at `url`; with `serve`,
/// it serves that folder on that port first.
fn search(url: &str, query: &str, serve: Option<(&Path, u16)>, shot: &str) -> Value {
    let mut command = Command::new("node");
    command
        .arg(tools::clients_dir().join("search.mjs"))
        .args(["--url", url, "--query", query])
        .arg("--artifacts")
        .arg(artifacts().join(format!("{shot}.png")))
        .env("CHROME_PATH", "/usr/bin/chromium");
    if let Some((dir, port)) = serve {
        command
            .arg("--dir")
            .arg(dir)
            .args(["--port", &port.to_string()]);
    }
    let out = command.output().expect("node runs");
    assert!(
        out.status.success(),
        "search.mjs failed for {query:?} on {url}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "search.mjs printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// What every search must show, whatever it found: the field labelled, the
/// count in a polite live region, nothing thrown, nothing failed to load,
/// no axe violation with the results open, Escape clearing, and Enter
/// opening the first result.
fn assert_sound(what: &str, seen: &Value) {
    assert_sound_in(what, seen, "Search");
}

/// [`assert_sound`] on a page whose field is labelled `label`.
fn assert_sound_in(what: &str, seen: &Value, label: &str) {
    assert_eq!(seen["label"], label, "{what}: the field's label");
    assert_eq!(
        seen["status"]["role"], "status",
        "{what}: {:#}",
        seen["status"]
    );
    assert_eq!(
        seen["status"]["live"], "polite",
        "{what}: {:#}",
        seen["status"]
    );
    assert!(
        seen["status"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()),
        "{what}: the live region says nothing: {:#}",
        seen["status"]
    );
    assert_eq!(
        seen["timedOut"],
        Value::Null,
        "{what}: results never settled"
    );
    for field in ["dialogs", "pageErrors", "consoleErrors"] {
        assert_eq!(seen[field], serde_json::json!([]), "{what}: {field}");
    }
    let failed: Vec<&Value> = seen["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .filter(|r| r["status"] != 200)
        .collect();
    assert!(
        failed.is_empty(),
        "{what}: index requests failed: {failed:#?}"
    );
    assert_eq!(
        seen["axe"],
        serde_json::json!([]),
        "{what}: axe with results open"
    );
    let escape = &seen["keyboard"]["escape"];
    assert_eq!(escape["value"], "", "{what}: Escape empties the field");
    assert_eq!(
        escape["panelOpen"], false,
        "{what}: Escape closes the results"
    );
    assert_eq!(
        escape["status"], "",
        "{what}: Escape silences the live region"
    );
    if let Some(first) = seen["results"][0]["href"].as_str() {
        assert_eq!(
            seen["keyboard"]["enter"], first,
            "{what}: Enter in the field opens the first result"
        );
    }
}

/// How the bytes split: manifest, shards of words, files of records.
fn split(seen: &Value) -> String {
    let requests = seen["requests"].as_array().expect("requests");
    let part = |needle: &str| -> (u64, usize) {
        let hits: Vec<&Value> = requests
            .iter()
            .filter(|r| r["url"].as_str().is_some_and(|u| u.contains(needle)))
            .collect();
        let bytes = hits.iter().map(|r| r["bytes"].as_u64().unwrap_or(0)).sum();
        (bytes, hits.len())
    };
    let (manifest, _) = part("search.json");
    let (shards, n_shards) = part("/search/w/");
    let (records, n_records) = part("/search/d/");
    format!(
        "manifest {manifest} B, {n_shards} shard(s) {shards} B, {n_records} file(s) of records {records} B"
    )
}

/// Every record of a built site's index, oldest first.
fn records(out: &Path) -> Vec<Value> {
    let read = |rel: &str| -> Value {
        let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
    };
    let manifest = read("search.json");
    let documents = manifest["documents"].as_u64().expect("documents");
    let per = manifest["per_fragment"].as_u64().expect("per_fragment");
    (0..documents.div_ceil(per))
        .flat_map(|n| {
            read(&format!("search/d/{n}.json"))
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .collect()
}

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 4)
        .map(str::to_owned)
        .collect()
}

/// The newest entry with a word of its summary that its headline holds
/// too, and that word: the entry must then rank among the first results
/// (the headline's words first, then the newest).
pub fn newest_entry_and_word(out: &Path) -> (Value, String) {
    records(out)
        .into_iter()
        .rev()
        .filter(|r| r["kind"] == "entry")
        .find_map(|r| {
            let title = words(r["title"].as_str()?);
            let word = words(r["summary"].as_str()?)
                .into_iter()
                .filter(|w| title.contains(w))
                .max_by_key(|w| w.len())?;
            Some((r, word))
        })
        .expect("an entry whose headline shares a word with its summary")
}

// 7. Typed into the search box, a word of an entry's summary finds the
// entry on the 300-entry site and on a 10,000-entry one, downloading at
// most BUDGET bytes of the index; axe-clean with the results open; the
// keyboard goes through the results, Escape clears, Enter opens the first.
pub fn search_finds_entries_in_chromium() -> Result<(), Missing> {
    tools::browser()?;
    let big = ten_thousand();
    let _one_at_a_time = crate::BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    for site in [&sites()[1], big] {
        let (entry, word) = newest_entry_and_word(&site.out);
        let what = format!("{}: {word:?}", site.name);
        let seen = search(
            &site.base_url,
            &word,
            Some((&site.out, site.port)),
            &format!("{}-{word}", site.name),
        );
        assert_sound(&what, &seen);
        let results = seen["results"].as_array().expect("results");
        assert!(
            results
                .iter()
                .any(|r| r["href"] == entry["url"] && r["title"] == entry["title"]),
            "{what}: the entry {} is not among the results: {results:#?}",
            entry["url"]
        );
        let keyboard = &seen["keyboard"];
        for (key, expected) in [
            ("down", "result 0"),
            ("downAgain", "result 1"),
            ("up", "result 0"),
            ("upToField", "input"),
            ("tab", "result 0"),
        ] {
            assert_eq!(keyboard[key], expected, "{what}: keyboard {keyboard:#}");
        }
        let bytes = seen["bytes"].as_u64().expect("bytes");
        tools::report(&format!(
            "search {what}: {} ({} shown); {bytes} bytes of the index in {} requests ({}) [{:.1} s]",
            seen["status"]["text"].as_str().unwrap_or(""),
            results.len(),
            seen["requests"].as_array().map_or(0, Vec::len),
            split(&seen),
            seen["seconds"].as_f64().unwrap_or(0.0),
        ));
        assert!(
            bytes <= BUDGET,
            "{what}: {bytes} bytes downloaded, over {BUDGET}"
        );
    }
    Ok(())
}

// 7b. In the preview of `gazette serve`, the site under /news/: "zurich"
// finds the entry about Zürich, linked under the path; a headline written
// as markup (`<img src=x onerror=alert(1)>`) is found by its words and
// shown as that text: no image in the results, no dialog.
pub fn search_in_the_preview_under_a_path_in_chromium() -> Result<(), Missing> {
    tools::browser()?;
    let _one_at_a_time = crate::BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("temp");
    let root = dir.path().join("site");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/fixtures");
    crate::copy_tree(&fixtures.join("base"), &root);
    crate::copy_tree(&fixtures.join("search"), &root);
    crate::copy_theme(&root);
    let server = Server::start(&root, &dir.path().join("serve.log"));
    let page = server.url("news/2026/11/25/");

    let seen = search(&page, "zurich", None, "preview-zurich");
    assert_sound("preview: \"zurich\"", &seen);
    assert_eq!(
        seen["results"][0]["title"],
        "A quantum lab opens in Zürich",
        "{:#}\nserver log:\n{}",
        seen["results"],
        server.log()
    );
    assert_eq!(seen["results"][0]["href"], "/news/2026/11/23/zurich-lab/");
    assert!(
        seen["results"][0]["meta"]
            .as_str()
            .is_some_and(|m| m.contains("TNW") && m.contains("2026")),
        "{:#}",
        seen["results"][0]
    );

    let seen = search(&page, "onerror alert", None, "preview-markup");
    assert_sound("preview: a headline of markup", &seen);
    assert_eq!(seen["results"][0]["title"], "<img src=x onerror=alert(1)>");
    assert_eq!(seen["images"], 0, "the headline became an element");

    // The site turned French while it serves: search says its words in
    // French, read from the page's `data-words`.
    let yaml = root.join("content/site.yaml");
    let settings = std::fs::read_to_string(&yaml).expect("site.yaml");
    std::fs::write(&yaml, format!("{settings}language: fr\n")).expect("site.yaml");
    let started = std::time::Instant::now();
    while !server.get("news/2026/11/25/").contains("data-words") {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the preview never turned French:\n{}",
            server.log()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let french = search(&page, "zurich", None, "preview-french");
    assert_sound_in("preview in French", &french, "Rechercher");
    let status = french["status"]["text"].as_str().unwrap_or_default();
    assert!(
        status.contains("résultat"),
        "the count in French: {status:?}"
    );
    assert!(
        french["results"][0]["meta"]
            .as_str()
            .is_some_and(|m| m.starts_with("Lien · ")),
        "{:#}",
        french["results"][0]
    );
    tools::report(&format!(
        "search in the preview under /news/: \"zurich\" and a headline of markup found, shown as text, no dialog; in French, \"{status}\" [{:.1} s]",
        seen["seconds"].as_f64().unwrap_or(0.0)
    ));
    Ok(())
}
