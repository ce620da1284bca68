//! Which documents hold a word, written compactly as text for a shard.
//!
//! A word's entry in a shard is two strings: its documents and, among them,
//! those whose title holds it. Documents are numbers, oldest first. The
//! first string is `b` and a bitmap (bit `n` of byte `n / 8`, low bit first,
//! set when document `n` holds the word) or `d` and the numbers as
//! differences from the last (the first from 0) in LEB128 varints,
//! whichever is shorter, in base64; a word in every other document costs
//! one bit a document, a rare word a byte or two a document. The second is
//! a bitmap over the first's documents in their order (bit `i` for the
//! `i`-th), in base64, empty when no title holds the word.

/// The documents that hold one word, added in increasing order.
#[derive(Debug, Default)]
pub struct Postings {
    ids: Vec<u32>,
    /// Positions in `ids` of the documents whose title holds the word.
    titles: Vec<u32>,
}

impl Postings {
    /// Adds document `id`, greater than any added before.
    pub fn push(&mut self, id: u32, in_title: bool) {
        debug_assert!(self.ids.last().is_none_or(|&last| last < id));
        if in_title {
            self.titles.push(self.ids.len() as u32);
        }
        self.ids.push(id);
    }

    /// Adds those of `later`, whose documents all come after these.
    pub fn append(&mut self, later: Postings) {
        let offset = self.ids.len() as u32;
        self.titles.extend(later.titles.iter().map(|i| i + offset));
        self.ids.extend(later.ids);
    }

    /// The last document added.
    pub fn last(&self) -> Option<u32> {
        self.ids.last().copied()
    }

    /// The two strings of the word's entry, as described above.
    pub fn encode(&self) -> (String, String) {
        let last = self.ids.last().map_or(0, |&id| id as usize);
        let mut deltas = Vec::with_capacity(self.ids.len() * 2);
        let mut previous = 0;
        for &id in &self.ids {
            varint(id - previous, &mut deltas);
            previous = id;
        }
        let documents = if last / 8 + 1 < deltas.len() {
            format!("b{}", base64(&bitmap(self.ids.iter().copied(), last + 1)))
        } else {
            format!("d{}", base64(&deltas))
        };
        let titles = if self.titles.is_empty() {
            String::new()
        } else {
            base64(&bitmap(self.titles.iter().copied(), self.ids.len()))
        };
        (documents, titles)
    }
}

/// `len` bits, the `bits` set.
fn bitmap(bits: impl Iterator<Item = u32>, len: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; len.div_ceil(8)];
    for bit in bits {
        bytes[bit as usize / 8] |= 1 << (bit % 8);
    }
    bytes
}

/// `n` as LEB128: seven bits a byte, low first, the high bit set on all
/// bytes but the last.
fn varint(mut n: u32, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Standard base64 with padding, as the browser's `atob` reads it.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The documents and title documents of an entry, read back as
    /// search.js reads them.
    pub fn decode(documents: &str, titles: &str) -> (Vec<u32>, Vec<u32>) {
        let bytes = unbase64(&documents[1..]);
        let mut ids = Vec::new();
        if documents.starts_with('b') {
            for (i, byte) in bytes.iter().enumerate() {
                for bit in 0..8 {
                    if byte & (1 << bit) != 0 {
                        ids.push((i * 8 + bit) as u32);
                    }
                }
            }
        } else {
            let (mut id, mut n, mut shift) = (0, 0, 0);
            for byte in bytes {
                n |= u32::from(byte & 0x7f) << shift;
                shift += 7;
                if byte < 0x80 {
                    id += n;
                    ids.push(id);
                    (n, shift) = (0, 0);
                }
            }
        }
        let mask = unbase64(titles);
        let in_titles = ids
            .iter()
            .enumerate()
            .filter(|(i, _)| mask.get(i / 8).is_some_and(|b| b & (1 << (i % 8)) != 0))
            .map(|(_, &id)| id)
            .collect();
        (ids, in_titles)
    }

    fn unbase64(text: &str) -> Vec<u8> {
        const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let sextets: Vec<u32> = text
            .trim_end_matches('=')
            .chars()
            .map(|c| ALPHABET.find(c).expect("base64") as u32)
            .collect();
        let mut out = Vec::new();
        for chunk in sextets.chunks(4) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0, |n, (i, &s)| n | s << (18 - 6 * i));
            for i in 0..chunk.len() - 1 {
                out.push((n >> (16 - 8 * i)) as u8);
            }
        }
        out
    }

    fn postings(ids: &[(u32, bool)]) -> Postings {
        let mut p = Postings::default();
        for &(id, title) in ids {
            p.push(id, title);
        }
        p
    }

    // Base64 as RFC 4648 writes it.
    #[test]
    fn base64_is_the_standard_one() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }

    // A rare word is a list of differences; a common one a bitmap; both
    // read back to the documents and the titles they came from.
    #[test]
    fn sparse_and_dense_words_round_trip() {
        let sparse = postings(&[(3, false), (200, true), (70_000, false)]);
        let (documents, titles) = sparse.encode();
        assert!(documents.starts_with('d'), "{documents}");
        assert_eq!(
            decode(&documents, &titles),
            (vec![3, 200, 70_000], vec![200])
        );

        let every_other: Vec<(u32, bool)> =
            (0..1000).step_by(2).map(|n| (n, n % 10 == 0)).collect();
        let (documents, titles) = postings(&every_other).encode();
        assert!(documents.starts_with('b'), "{documents}");
        assert!(
            documents.len() < 1 + 4 * 1000 / 8 / 3 + 4,
            "one bit a document"
        );
        let (ids, in_titles) = decode(&documents, &titles);
        assert_eq!(ids, every_other.iter().map(|p| p.0).collect::<Vec<_>>());
        assert_eq!(in_titles, (0..1000).step_by(10).collect::<Vec<_>>());
    }

    // No title holds the word: the second string is empty.
    #[test]
    fn no_title_is_an_empty_mask() {
        let (documents, titles) = postings(&[(0, false)]).encode();
        assert_eq!((documents.as_str(), titles.as_str()), ("dAA==", ""));
    }
}
