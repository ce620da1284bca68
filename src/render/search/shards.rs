//! Which words share a file: the index's words, in order, cut into shards
//! of about [`TARGET`] bytes and at most [`LIMIT`] (a single word may be
//! larger), each named by a hash of its first word.
//!
//! The cuts are content-defined, as a backup tool cuts a file into chunks:
//! whether a shard starts at a word depends on that word alone (its hash
//! against its entry's size, so that each byte has the same chance to
//! start a shard), never on where the last shard happened to end. An edit that changes one word's documents
//! therefore rewrites that word's shard and no other, and the shards'
//! names stay put: a host syncs, and `serve` re-serves, what the edit
//! touched. Only within a run of words between two such cuts that grows
//! past [`LIMIT`] do cuts by size appear, and they move only in that run.
//!
//! Words are ordered as JavaScript compares strings (by UTF-16 code units),
//! so that search.js can find a word's shard by a binary search over the
//! manifest's first words, and the words of a prefix are neighbours.

use std::cmp::Ordering;
use std::collections::HashSet;

/// The size a shard aims at, in bytes.
pub const TARGET: usize = 16_000;
/// The most a shard holds, in bytes, unless one word alone is larger.
pub const LIMIT: usize = 48_000;

/// A file of words.
#[derive(Debug)]
pub struct Shard {
    /// The first word, or `""` for the first shard, which takes every word
    /// before the second.
    pub first: String,
    /// Its file name, without `.json`.
    pub name: String,
    /// The JSON object of its words' entries.
    pub text: String,
}

/// Cuts `entries` (a word, and its `"word":[…]` JSON entry), in [`order`],
/// into shards.
pub fn group(entries: &[(String, String)]) -> Vec<Shard> {
    let mut shards: Vec<Shard> = Vec::new();
    let mut names = HashSet::new();
    let mut open: Option<Shard> = None;
    for (word, entry) in entries {
        let size = entry.len() + 1;
        let cut = match &open {
            None => true,
            Some(shard) => starts_shard(word, size) || shard.text.len() + size > LIMIT,
        };
        if cut {
            let first = if open.is_none() && shards.is_empty() {
                String::new()
            } else {
                word.clone()
            };
            shards.extend(open.take().map(close));
            let mut name = format!("{:012x}", hash(&first) >> 16);
            // Two first words with one 48-bit hash: never seen, but then the
            // later one takes a suffix rather than the other's file.
            while !names.insert(name.clone()) {
                name.push('x');
            }
            open = Some(Shard {
                first,
                name,
                text: String::from("{"),
            });
        }
        if let Some(shard) = &mut open {
            if shard.text.len() > 1 {
                shard.text.push(',');
            }
            shard.text.push_str(entry);
        }
    }
    shards.extend(open.map(close));
    shards
}

fn close(mut shard: Shard) -> Shard {
    shard.text.push_str("}\n");
    shard
}

/// Whether `word`, whose entry takes `size` bytes, starts a shard: with a
/// probability of `size / TARGET`, decided by its hash. A word whose entry
/// grows by a few bytes (one more document) changes its mind with a
/// probability of a few in [`TARGET`].
fn starts_shard(word: &str, size: usize) -> bool {
    (hash(word) >> 32) * (TARGET as u64) < (size as u64).saturating_mul(1 << 32)
}

/// FNV-1a, then a finaliser (splitmix64's) so that similar words get
/// unrelated high bits. Fixed here, not Rust's hasher: names must not
/// change between versions of the compiler.
fn hash(word: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in word.as_bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// JavaScript's order of strings: by UTF-16 code units.
pub fn order(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.cmp(b)
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// The shard that holds `word`, by the shards' first words: the last
/// whose first word is not after it (what search.js does).
#[cfg(test)]
pub fn holding(firsts: &[&str], word: &str) -> usize {
    firsts
        .partition_point(|first| order(first, word) != Ordering::Greater)
        .saturating_sub(1)
}

/// The shards that hold the words starting with `prefix`: the one that
/// would hold `prefix`, and every later one whose first word starts with it.
#[cfg(test)]
pub fn holding_prefix(firsts: &[&str], prefix: &str) -> std::ops::Range<usize> {
    let from = holding(firsts, prefix);
    let to = from
        + 1
        + firsts[from + 1..]
            .iter()
            .take_while(|f| f.starts_with(prefix))
            .count();
    from..to
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entries of `n` words `w0000`… of `size` bytes each.
    fn entries(words: impl IntoIterator<Item = String>, size: usize) -> Vec<(String, String)> {
        let mut entries: Vec<(String, String)> = words
            .into_iter()
            .map(|w| {
                let entry = format!(
                    "\"{w}\":[\"d{}\",\"\"]",
                    "A".repeat(size.saturating_sub(w.len() + 9))
                );
                (w, entry)
            })
            .collect();
        entries.sort_by(|a, b| order(&a.0, &b.0));
        entries
    }

    fn words(n: usize) -> impl Iterator<Item = String> {
        (0..n).map(|i| format!("w{i:05}"))
    }

    // Shards hold every word once, in order, none over LIMIT, and are
    // about TARGET bytes on the whole.
    #[test]
    fn shards_cover_every_word_within_the_limit() {
        let entries = entries(words(20_000), 30);
        let shards = group(&entries);
        let total: usize = shards.iter().map(|s| s.text.len()).sum();
        assert!(shards.iter().all(|s| s.text.len() <= LIMIT + 2));
        let average = total / shards.len();
        assert!(
            (TARGET / 2..TARGET * 2).contains(&average),
            "{average} bytes on average"
        );
        let joined: String = shards.iter().map(|s| s.text.trim_end()).collect();
        for (word, _) in &entries {
            assert_eq!(joined.matches(&format!("\"{word}\"")).count(), 1, "{word}");
        }
        assert_eq!(shards[0].first, "");
        for pair in shards.windows(2) {
            assert_eq!(order(&pair[0].first, &pair[1].first), Ordering::Less);
        }
    }

    // One word's entry growing or a word added rewrites one or two shards,
    // and no shard changes its name.
    #[test]
    fn an_edit_rewrites_few_shards() {
        let before = group(&entries(words(20_000), 30));
        let mut changed = entries(words(20_000), 30);
        changed[7_000].1.push_str("AAAA");
        changed.push((
            "w07000a".to_owned(),
            "\"w07000a\":[\"dAA==\",\"\"]".to_owned(),
        ));
        changed.sort_by(|a, b| order(&a.0, &b.0));
        let after = group(&changed);
        let old: HashSet<(&str, &str)> = before
            .iter()
            .map(|s| (s.name.as_str(), s.text.as_str()))
            .collect();
        let rewritten = after
            .iter()
            .filter(|s| !old.contains(&(s.name.as_str(), s.text.as_str())))
            .count();
        assert!(
            rewritten <= 2,
            "{rewritten} of {} shards rewritten",
            after.len()
        );
    }

    // A word at a shard's start is found in that shard, the word before it
    // in the one before; a prefix whose words straddle the cut takes both.
    #[test]
    fn words_at_a_boundary_and_prefixes_across_it() {
        let entries = entries(words(20_000), 30);
        let shards = group(&entries);
        let firsts: Vec<&str> = shards.iter().map(|s| s.first.as_str()).collect();
        let cut = 5;
        let first = firsts[cut];
        let index = entries
            .iter()
            .position(|(w, _)| w == first)
            .expect("a word");
        let before = &entries[index - 1].0;
        assert_eq!(holding(&firsts, first), cut);
        assert_eq!(holding(&firsts, before), cut - 1);
        assert!(shards[cut].text.starts_with(&format!("{{\"{first}\"")));
        assert!(shards[cut - 1].text.contains(&format!("\"{before}\"")));
        // The longest prefix the two words share reaches into both shards.
        let common = first
            .chars()
            .zip(before.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let range = holding_prefix(&firsts, &first[..common]);
        assert!(
            range.contains(&(cut - 1)) && range.contains(&cut),
            "{range:?}"
        );
        assert_eq!(holding_prefix(&firsts, first), cut..cut + 1);
        assert_eq!(holding(&firsts, ""), 0);
        assert_eq!(holding(&firsts, "zzz"), shards.len() - 1);
    }

    // JavaScript's order: U+FF5E (one UTF-16 unit) sorts after U+1F600 (a
    // surrogate pair, starting at U+D83D), the reverse of code point order.
    #[test]
    fn order_is_utf16s() {
        assert_eq!(order("\u{ff5e}", "\u{1f600}"), Ordering::Greater);
        assert_eq!(order("ab", "b"), Ordering::Less);
    }

    // The same words give the same shards, names and bytes.
    #[test]
    fn grouping_is_deterministic() {
        let a = group(&entries(words(3_000), 40));
        let b = group(&entries(words(3_000), 40));
        assert_eq!(
            a.iter().map(|s| (&s.name, &s.text)).collect::<Vec<_>>(),
            b.iter().map(|s| (&s.name, &s.text)).collect::<Vec<_>>()
        );
    }
}
