//! The search index, in pieces, so that a reader's search downloads only
//! what its words need (as Pagefind does), whatever the size of the site:
//!
//! - `search.json`, the manifest: how many documents, how many records a
//!   fragment holds, and the shards, each as its first word, file name and
//!   size in bytes: 2 KB at 10,000 entries, 16 KB at 100,000; loaded when
//!   the search field gets focus.
//! - `search/w/<name>.json`, the shards of the words ([`shards`]): each a
//!   JSON object from a folded word ([`words`]) to its documents
//!   ([`postings`]). A search fetches the shard of each word it has (a few
//!   for the last word, which matches as a prefix while it is typed).
//! - `search/d/<n>.json`, the records of documents `16n` to `16n + 15`
//!   ([`documents`]): title, kind, URL, date, outlet, tags and summary. A
//!   search fetches those of the results it shows.
//!
//! Documents are numbered oldest first. Everything is derived from the
//! site alone (no state kept between builds), in a fixed order, so the same
//! site gives the same bytes; shard and fragment names do not depend on
//! their contents, so an edit to an entry rewrites its fragment, the
//! shards of the words it gained or lost, and the manifest.

mod documents;
mod postings;
mod shards;
mod vocabulary;
pub mod words;

use rayon::prelude::*;
use serde::Serialize;

use super::{Body, Job, Scope};
use crate::site::{Site, urls};
use documents::Document;

/// Documents whose records share a file.
pub const PER_FRAGMENT: usize = 16;

/// The index's files.
pub fn jobs(scope: &Scope<'_>, jobs: &mut Vec<Job>) {
    if (scope.stop)() {
        return;
    }
    let documents = documents::collect(scope.site);
    let files = files(&documents, scope.stop);
    jobs.extend(files.into_iter().map(|(path, text)| Job {
        path,
        body: Body::Text(text),
    }));
}

/// `search.json`.
#[derive(Serialize)]
struct Manifest<'a> {
    /// Of this layout; a client that reads another stops.
    version: u32,
    documents: usize,
    per_fragment: usize,
    /// `[first word, file name, bytes]`, in order of their first words.
    shards: Vec<(&'a str, &'a str, usize)>,
}

/// Every file of the index, as (output path, text): the manifest, the
/// shards, then the fragments of records.
pub fn index(site: &Site) -> Vec<(String, String)> {
    files(&documents::collect(site), &|| false)
}

/// The index of `documents`, oldest first; none once `stop` says so,
/// asked between the steps.
fn files(documents: &[Document<'_>], stop: &(dyn Fn() -> bool + Sync)) -> Vec<(String, String)> {
    let vocabulary = vocabulary::of(documents, stop);
    if stop() {
        return Vec::new();
    }
    let mut entries: Vec<(String, String)> = vocabulary
        .into_par_iter()
        .map(|(word, postings)| {
            let (documents, titles) = postings.encode();
            let key = serde_json::Value::from(&*word);
            let entry = format!("{key}:[\"{documents}\",\"{titles}\"]");
            (word.into_string(), entry)
        })
        .collect();
    if stop() {
        return Vec::new();
    }
    entries.par_sort_unstable_by(|a, b| shards::order(&a.0, &b.0));
    let shards = shards::group(&entries);

    let manifest = json(&Manifest {
        version: 1,
        documents: documents.len(),
        per_fragment: PER_FRAGMENT,
        shards: shards
            .iter()
            .map(|s| (s.first.as_str(), s.name.as_str(), s.text.len()))
            .collect(),
    });
    let mut files = Vec::with_capacity(2 + shards.len() + documents.len() / PER_FRAGMENT);
    files.push((urls::SEARCH.to_owned(), manifest));
    files.extend(
        shards
            .into_iter()
            .map(|s| (urls::search_shard(&s.name), s.text)),
    );
    let fragments: Vec<(String, String)> = documents
        .par_chunks(PER_FRAGMENT)
        .enumerate()
        .map(|(n, chunk)| {
            let records: Vec<_> = chunk.iter().map(|d| &d.record).collect();
            (urls::search_records(n), json(&records))
        })
        .collect();
    files.extend(fragments);
    files
}

/// `value` as one line of JSON.
fn json(value: &impl Serialize) -> String {
    let mut text = serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    /// The index of `documents`, by path.
    fn build(documents: &[Document<'_>]) -> BTreeMap<String, String> {
        files(documents, &|| false).into_iter().collect()
    }

    fn parse(text: &str) -> serde_json::Value {
        serde_json::from_str(text).expect("JSON")
    }

    /// The documents search.js finds for `query`, as it finds them: each
    /// word's shard by the manifest (the last word's shards as a prefix),
    /// and the documents holding every word.
    fn search(files: &BTreeMap<String, String>, query: &str) -> BTreeSet<u32> {
        let manifest = parse(&files[urls::SEARCH]);
        let shards = manifest["shards"].as_array().expect("shards");
        let firsts: Vec<&str> = shards
            .iter()
            .map(|s| s[0].as_str().expect("a word"))
            .collect();
        let words = words::of(query);
        let prefix = query.ends_with(char::is_alphanumeric);
        let mut found: Option<BTreeSet<u32>> = None;
        for (i, word) in words.iter().enumerate() {
            let as_prefix = prefix && i + 1 == words.len();
            let range = if as_prefix {
                shards::holding_prefix(&firsts, word)
            } else {
                let at = shards::holding(&firsts, word);
                at..at + 1
            };
            let mut ids = BTreeSet::new();
            for shard in &shards[range] {
                let path = urls::search_shard(shard[1].as_str().expect("a name"));
                let shard = parse(&files[&path]);
                for (key, entry) in shard.as_object().expect("an object") {
                    if key == word || (as_prefix && key.starts_with(word.as_str())) {
                        let documents = entry[0].as_str().expect("documents");
                        let titles = entry[1].as_str().expect("titles");
                        ids.extend(postings::tests::decode(documents, titles).0);
                    }
                }
            }
            found = Some(match found {
                None => ids,
                Some(before) => before.intersection(&ids).copied().collect(),
            });
        }
        found.unwrap_or_default()
    }

    fn ids(ids: &[u32]) -> BTreeSet<u32> {
        ids.iter().copied().collect()
    }

    // "zurich" finds "Zürich", however it is written; the last word
    // matches as a prefix while it is typed; every word must match.
    #[test]
    fn diacritics_case_and_prefixes() {
        let documents = [
            Document::test("A lab opens in Zürich", "Quantum chips, at last."),
            Document::test("Zurich's banks", "They weigh the chips too."),
            Document::test("Paris", "Nothing about Switzerland."),
        ];
        let files = build(&documents);
        assert_eq!(search(&files, "zurich "), ids(&[0, 1]));
        assert_eq!(search(&files, "ZÜRICH "), ids(&[0, 1]));
        assert_eq!(search(&files, "Zu\u{308}rich "), ids(&[0, 1]));
        assert_eq!(search(&files, "zür"), ids(&[0, 1]));
        assert_eq!(search(&files, "quantum zur"), ids(&[0]));
        assert_eq!(search(&files, "chips switzerland "), ids(&[]));
        assert_eq!(search(&files, "swi"), ids(&[2]));
    }

    // Among the documents of a word, those whose title holds it are marked.
    #[test]
    fn titles_are_marked() {
        let documents = [
            Document::test("Chips", "About chips."),
            Document::test("Other", "About chips."),
        ];
        let files = build(&documents);
        let manifest = parse(&files[urls::SEARCH]);
        let name = manifest["shards"][0][1].as_str().expect("a name");
        let shard = parse(&files[&urls::search_shard(name)]);
        let entry = &shard["chips"];
        let decoded = postings::tests::decode(
            entry[0].as_str().expect("documents"),
            entry[1].as_str().expect("titles"),
        );
        assert_eq!(decoded, (vec![0, 1], vec![0]));
    }

    /// Documents enough for many shards: each with a word of its own
    /// (`w00042`) and the words every one has.
    fn many(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("w{i:05} and the common words"))
            .collect()
    }

    // Many documents make many shards; a word that starts a shard and the
    // word before it are found each in its own, and a prefix of both
    // reaches into the two.
    #[test]
    fn words_at_shard_boundaries() {
        let bodies = many(6_000);
        let documents: Vec<Document<'_>> =
            bodies.iter().map(|b| Document::test("Title", b)).collect();
        let files = build(&documents);
        let manifest = parse(&files[urls::SEARCH]);
        let shards = manifest["shards"].as_array().expect("shards");
        assert!(shards.len() > 3, "{} shards", shards.len());
        for shard in shards {
            let path = urls::search_shard(shard[1].as_str().expect("a name"));
            assert_eq!(Some(files[&path].len() as u64), shard[2].as_u64(), "{path}");
            assert!(files[&path].len() <= shards::LIMIT + 2);
        }
        // A boundary between two words of our own, `w0xxxx`.
        let boundary = shards
            .iter()
            .map(|s| s[0].as_str().expect("a word"))
            .find(|w| w.starts_with('w') && w.len() == 6 && w != &"w00000")
            .expect("a shard starting at a w-word");
        let n: u32 = boundary[1..].parse().expect("a number");
        let before = format!("w{:05}", n - 1);
        assert_eq!(search(&files, &format!("{boundary} ")), ids(&[n]));
        assert_eq!(search(&files, &format!("{before} ")), ids(&[n - 1]));
        let common = boundary
            .chars()
            .zip(before.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let found = search(&files, &boundary[..common]);
        assert!(found.contains(&n) && found.contains(&(n - 1)), "{found:?}");
        assert_eq!(search(&files, "common w00017 "), ids(&[17]));
        assert_eq!(search(&files, "the").len(), 6_000);
    }

    // Records are 16 to a file, in the documents' order: document 15 ends
    // the first file, 16 starts the second.
    #[test]
    fn records_sixteen_to_a_file() {
        let bodies = many(40);
        let documents: Vec<Document<'_>> =
            bodies.iter().map(|b| Document::test("Title", b)).collect();
        let files = build(&documents);
        let fragment = |n: usize| parse(&files[&urls::search_records(n)]);
        assert_eq!(fragment(0).as_array().map(Vec::len), Some(16));
        assert_eq!(fragment(0)[15]["summary"], "w00015 and the common words");
        assert_eq!(fragment(1)[0]["summary"], "w00016 and the common words");
        assert_eq!(fragment(2).as_array().map(Vec::len), Some(8));
        assert!(!files.contains_key(&urls::search_records(3)));
        assert_eq!(parse(&files[urls::SEARCH])["documents"], 40);
    }

    // The same documents give the same files, byte for byte; an edit of
    // one document's text rewrites its records, the shards of the words it
    // gained and lost, and the manifest, and no other file.
    #[test]
    fn deterministic_and_an_edit_rewrites_few_files() {
        let mut bodies = many(6_000);
        let documents: Vec<Document<'_>> =
            bodies.iter().map(|b| Document::test("Title", b)).collect();
        let before = build(&documents);
        assert_eq!(before, build(&documents));
        let total = before.len();
        bodies[3_000] = "w03000 and the common words, now with zucchini".to_owned();
        bodies[3_001] = "and the common words, its own word gone".to_owned();
        let documents: Vec<Document<'_>> =
            bodies.iter().map(|b| Document::test("Title", b)).collect();
        let after = build(&documents);
        let changed: Vec<&String> = after
            .iter()
            .filter(|(path, text)| before.get(*path) != Some(*text))
            .map(|(path, _)| path)
            .collect();
        assert!(
            changed.len() <= 7,
            "{} of {total} files rewritten: {changed:?}",
            changed.len()
        );
        assert!(changed.contains(&&urls::search_records(3_000 / PER_FRAGMENT)));
        assert_eq!(search(&after, "zucchini "), ids(&[3_000]));
        assert_eq!(search(&after, "w03001 "), ids(&[]));
    }

    // A site without stories or entries has an index with nothing in it.
    #[test]
    fn an_empty_site_has_an_empty_index() {
        let files = build(&[]);
        assert_eq!(files.keys().collect::<Vec<_>>(), [urls::SEARCH]);
        assert_eq!(
            files[urls::SEARCH],
            "{\"version\":1,\"documents\":0,\"per_fragment\":16,\"shards\":[]}\n"
        );
    }
}
