//! Every word of the documents, each with the documents that hold it.
//!
//! Runs of documents are read in parallel, each into a vocabulary of its
//! own, and the vocabularies joined in the documents' order, so that each
//! word's documents stay in increasing order without a sort. A document
//! counts once for a word, however often it says it; its title's words come
//! first, so that once is the title's when the title holds the word.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::documents::Document;
use super::postings::Postings;

/// Documents in one run read by one task: enough to keep both cores busy
/// to the end, few enough that joining costs little.
const RUNS: usize = 16;

/// The words of `documents` (oldest first) and their documents, by number;
/// not all of them once `stop` says so (asked before each run).
pub fn of(
    documents: &[Document<'_>],
    stop: &(dyn Fn() -> bool + Sync),
) -> FxHashMap<Box<str>, Postings> {
    let size = documents.len().div_ceil(RUNS).max(64);
    let runs: Vec<FxHashMap<Box<str>, Postings>> = documents
        .par_chunks(size)
        .enumerate()
        .map(|(run, chunk)| {
            let mut words: FxHashMap<Box<str>, Postings> = FxHashMap::default();
            if stop() {
                return words;
            }
            for (n, document) in chunk.iter().enumerate() {
                let id = (run * size + n) as u32;
                document.words(|word, in_title| match words.get_mut(word) {
                    Some(postings) if postings.last() == Some(id) => {}
                    Some(postings) => postings.push(id, in_title),
                    None => words.entry(word.into()).or_default().push(id, in_title),
                });
            }
            words
        })
        .collect();
    let mut all: FxHashMap<Box<str>, Postings> = FxHashMap::default();
    for run in runs {
        for (word, postings) in run {
            match all.get_mut(&word) {
                Some(earlier) => earlier.append(postings),
                None => {
                    all.insert(word, postings);
                }
            }
        }
    }
    all
}
