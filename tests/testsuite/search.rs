//! The search index on a fixture site under a sub-path, read as search.js
//! reads it: the manifest, each word's shard, the records of the results.
//! Words are found folded (Zürich by "zurich", an ideograph by itself),
//! records keep text as written and link under the base path, the files
//! are the same bytes from one build to the next and from `gazette serve`,
//! and an edit to one entry rewrites few of them.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::common::free_port;
use crate::serve::server::{get, start};
use crate::site_test::SiteTest;

/// The search index's files of a built site, by path.
fn index(site: &SiteTest) -> BTreeMap<String, String> {
    site.output_files()
        .into_iter()
        .filter(|(path, _)| path == "search.json" || path.starts_with("search/"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).expect("UTF-8")))
        .collect()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON")
}

/// The records of the documents holding `word` (folded, whole), found as
/// search.js finds them: the last shard whose first word is not after it,
/// its entry, the documents' files of records.
fn find(index: &BTreeMap<String, String>, word: &str) -> Vec<Value> {
    let manifest = json(&index["search.json"]);
    let shards = manifest["shards"].as_array().expect("shards");
    let shard = shards
        .iter()
        .rev()
        .find(|s| s[0].as_str().is_some_and(|first| first <= word))
        .expect("a shard");
    let name = shard[1].as_str().expect("a name");
    let words = json(&index[&format!("search/w/{name}.json")]);
    let Some(entry) = words.get(word) else {
        return Vec::new();
    };
    let per = manifest["per_fragment"].as_u64().expect("per_fragment");
    documents(entry[0].as_str().expect("documents"))
        .into_iter()
        .map(|id| {
            let records = json(&index[&format!("search/d/{}.json", id / per)]);
            records[(id % per) as usize].clone()
        })
        .collect()
}

/// The document numbers of a shard entry's first string: `b` and a
/// bitmap, or `d` and LEB128 differences, in base64.
fn documents(encoded: &str) -> Vec<u64> {
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut bytes = Vec::new();
    for c in encoded[1..].trim_end_matches('=').chars() {
        bits = bits << 6 | ALPHABET.find(c).expect("base64") as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
        }
    }
    let mut ids = Vec::new();
    if encoded.starts_with('b') {
        for (i, byte) in bytes.iter().enumerate() {
            ids.extend(
                (0..8)
                    .filter(|bit| byte & (1 << bit) != 0)
                    .map(|bit| (i * 8 + bit) as u64),
            );
        }
    } else {
        let (mut id, mut n, mut shift) = (0, 0, 0);
        for byte in bytes {
            n |= u64::from(byte & 0x7f) << shift;
            shift += 7;
            if byte < 0x80 {
                id += n;
                ids.push(id);
                (n, shift) = (0, 0);
            }
        }
    }
    ids
}

fn titles(records: &[Value]) -> Vec<&str> {
    records.iter().filter_map(|r| r["title"].as_str()).collect()
}

// A reader's "zurich" finds Zürich; an ideograph is a word of its own; a
// headline written as markup is kept as text, exactly; the records link
// under the base path, as the site's pages do.
#[test]
fn words_are_found_folded_and_records_keep_their_text() {
    let site = SiteTest::new("search");
    site.build();
    let index = index(&site);
    let zurich = find(&index, "zurich");
    assert_eq!(titles(&zurich), ["A quantum lab opens in Zürich"]);
    assert_eq!(zurich[0]["url"], "/news/2026/11/23/zurich-lab/");
    assert_eq!(zurich[0]["kind"], "entry");
    assert_eq!(zurich[0]["outlet"], "TNW");
    assert_eq!(zurich[0]["date"], "2026-11-23");
    assert_eq!(titles(&find(&index, "京")), ["東京のAIラボ"]);
    let markup = find(&index, "markup");
    assert_eq!(titles(&markup), ["<img src=x onerror=alert(1)>"]);
    // Found by the words of its headline too, as a reader would type them.
    assert_eq!(titles(&find(&index, "onerror")), titles(&markup));
    // A story is a document too, with its explainer's words.
    let story = find(&index, "leases");
    assert_eq!(story[0]["kind"], "story");
    assert_eq!(story[0]["url"], "/news/2026/11/25/colossus/");
    // Every shard the manifest names is there, with the size it says.
    let manifest = json(&index["search.json"]);
    for shard in manifest["shards"].as_array().expect("shards") {
        let path = format!("search/w/{}.json", shard[1].as_str().expect("a name"));
        assert_eq!(
            index[&path].len() as u64,
            shard[2].as_u64().expect("a size"),
            "{path}"
        );
    }
    assert_eq!(manifest["documents"], 7);
}

// Two builds give the same index, byte for byte; an edit to one entry
// rewrites the manifest, that entry's file of records and the shards of
// the words it gained, and leaves the other files untouched (so a host
// syncs, and `serve` re-serves, only those).
#[test]
fn an_edit_rewrites_few_index_files() {
    let site = SiteTest::new("search");
    site.build();
    let before = index(&site);
    let other = SiteTest::new("search");
    other.build();
    assert_eq!(index(&other), before);

    let public = site.root().join("public");
    let modified = |path: &str| -> SystemTime {
        std::fs::metadata(public.join(path))
            .and_then(|m| m.modified())
            .expect("mtime")
    };
    let times: BTreeMap<String, SystemTime> =
        before.keys().map(|p| (p.clone(), modified(p))).collect();
    std::thread::sleep(Duration::from_millis(20));
    let entry = "content/2026-11-23/zurich-lab.md";
    let text = site
        .page_source(entry)
        .replace("computing.", "computing, and zeppelins.");
    site.write(entry, &text);
    site.build();
    let after = index(&site);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    let rewritten: Vec<&String> = after
        .keys()
        .filter(|path| modified(path) != times[*path])
        .collect();
    let changed: Vec<&String> = after
        .iter()
        .filter(|(path, text)| before[*path] != **text)
        .map(|(path, _)| path)
        .collect();
    assert_eq!(rewritten, changed, "a file was written with the same bytes");
    assert!(changed.contains(&&"search.json".to_owned()));
    assert!(changed.contains(&&"search/d/0.json".to_owned()));
    assert!(changed.len() <= 4, "{changed:?}");
    assert_eq!(
        titles(&find(&after, "zeppelins")),
        ["A quantum lab opens in Zürich"]
    );
}

// `gazette serve` previews the site under its path with the same index:
// the manifest, every shard and every file of records, byte for byte.
#[test]
fn the_preview_serves_the_built_index() {
    let site = SiteTest::new("search");
    site.build();
    let built = index(&site);
    let port = free_port();
    let _server = start(&site, port);
    for (path, text) in &built {
        let (status, _, body) = get(port, &format!("/news/{path}"));
        assert_eq!(status, 200, "{path}");
        assert_eq!(&body, text, "{path}");
    }
}
