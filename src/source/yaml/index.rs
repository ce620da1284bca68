//! Where each key of a YAML block was written, found in one pass when the
//! block is parsed.
//!
//! serde_yaml 0.9 gives no positions for values, so [`KeyIndex`] reads the
//! block's lines once and records, for every `key: value` line, the spans
//! of its key and its value. A key path (`tnw` then `url`) is then found
//! from the first line of its first key, within that key's indented block:
//! no lookup reads the block again from the top. It is a line scan, not a
//! parse: front matter and the site's YAML files are block-style YAML
//! written by hand, and this only decides where a caret goes.

use std::collections::HashMap;

/// Where a `key: value` line's key and value are, in file coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySpans {
    /// 1-based line of the file.
    pub line: usize,
    /// 1-based column of the key.
    pub key_column: usize,
    /// The key's width, as written, quotes included.
    pub key_width: usize,
    /// 1-based column of the value, in characters.
    pub value_column: usize,
    /// The value's width in characters, without a trailing comment; 0 when
    /// the value is on the lines below (or there is none).
    pub value_width: usize,
}

/// A line that is neither blank nor a comment.
struct Line<'a> {
    /// Leading spaces.
    indent: usize,
    /// Its key, when it has the shape `key: …`.
    key: Option<(&'a str, KeySpans)>,
}

/// The keys of one YAML block.
pub struct KeyIndex<'a> {
    lines: Vec<Line<'a>>,
    /// Each key's first line, as an index into `lines`.
    first: HashMap<&'a str, usize>,
}

impl<'a> KeyIndex<'a> {
    /// Indexes `text`, a block whose first line is line `first_line` of its file.
    pub fn new(text: &'a str, first_line: usize) -> KeyIndex<'a> {
        let mut lines = Vec::new();
        let mut first = HashMap::new();
        for (index, line) in text.lines().enumerate() {
            let body = line.trim_start_matches(' ');
            if body.is_empty() || body.starts_with('#') {
                continue;
            }
            let indent = line.len() - body.len();
            let key = split_key(body).map(|(key, rest)| {
                let after_colon = line.len() - rest.len();
                let value = rest.trim();
                let value = value.split(" #").next().unwrap_or(value).trim_end();
                let value_start = after_colon + (rest.len() - rest.trim_start().len());
                let spans = KeySpans {
                    line: first_line + index,
                    key_column: indent + 1,
                    key_width: body.len() - rest.len() - 1,
                    value_column: line[..value_start].chars().count() + 1,
                    value_width: value.chars().count(),
                };
                (key, spans)
            });
            if let Some((key, _)) = key {
                first.entry(key).or_insert(lines.len());
            }
            lines.push(Line { indent, key });
        }
        KeyIndex { lines, first }
    }

    /// An index of nothing: every key is missing.
    pub fn empty() -> KeyIndex<'a> {
        KeyIndex {
            lines: Vec::new(),
            first: HashMap::new(),
        }
    }

    /// The spans of `keys`, a path of nested keys: the first line of its
    /// first key, then the first line of each next key that is indented
    /// under the line before.
    pub fn find(&self, keys: &[&str]) -> Option<KeySpans> {
        let (head, tail) = keys.split_first()?;
        let mut at = *self.first.get(head)?;
        for key in tail {
            let parent = self.lines[at].indent;
            let below = &self.lines[at + 1..];
            let offset = below
                .iter()
                .take_while(|line| line.indent > parent)
                .position(|line| line.key.is_some_and(|(k, _)| k == *key))?;
            at += 1 + offset;
        }
        self.lines[at].key.map(|(_, spans)| spans)
    }

    /// The first two lines that set `key` in one mapping: the same
    /// indentation, and no line between them less indented (which would
    /// end that mapping).
    pub fn repeated(&self, key: &str) -> Option<(KeySpans, KeySpans)> {
        let is_key = |line: &Line<'_>| line.key.filter(|(k, _)| *k == key).map(|(_, s)| s);
        for (at, line) in self.lines.iter().enumerate() {
            let Some(first) = is_key(line) else { continue };
            let second = self.lines[at + 1..]
                .iter()
                .take_while(|below| below.indent >= line.indent)
                .filter(|below| below.indent == line.indent)
                .find_map(is_key);
            if let Some(second) = second {
                return Some((first, second));
            }
        }
        None
    }
}

/// `key: rest` -> (`key`, ` rest`), unquoting a quoted key.
fn split_key(body: &str) -> Option<(&str, &str)> {
    let colon = body.find(':')?;
    let after = &body[colon + 1..];
    if !(after.is_empty() || after.starts_with(' ') || after.starts_with('\t')) {
        return None;
    }
    let key = body[..colon].trim_end();
    let key = key
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')))
        .unwrap_or(key);
    Some((key, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTLETS: &str = "\
# outlets
tnw:
  name: TNW   # short
  blurb: |
    url: not this one
  url: https://thenextweb.com
bloomberg:
  name: Bloomberg
";

    // Keys are found at the line of the file, value after the colon, comment left out.
    #[test]
    fn finds_keys_and_values() {
        let index = KeyIndex::new(OUTLETS, 10);
        let name = index.find(&["tnw", "name"]).expect("tnw.name");
        assert_eq!(
            name,
            KeySpans {
                line: 12,
                key_column: 3,
                key_width: 4,
                value_column: 9,
                value_width: 3
            }
        );
        let tnw = index.find(&["tnw"]).expect("tnw");
        assert_eq!((tnw.line, tnw.value_width), (11, 0));
    }

    // A nested key is looked for under its parent only, from the parent's
    // first line on: the first match wins, even inside a block scalar.
    #[test]
    fn nested_keys_stay_under_their_parent() {
        let index = KeyIndex::new(OUTLETS, 1);
        assert_eq!(index.find(&["tnw", "url"]).map(|s| s.line), Some(5));
        assert_eq!(index.find(&["bloomberg", "name"]).map(|s| s.line), Some(8));
        assert_eq!(index.find(&["bloomberg", "url"]), None);
        assert_eq!(index.find(&["missing"]), None);
        assert_eq!(index.find(&[]), None);
    }

    // A key set twice is found in its own mapping only: the same key
    // under two parents is no repeat.
    #[test]
    fn finds_a_key_set_twice() {
        let index = KeyIndex::new("tnw:\n  url: a\nft:\n  url: b\n  name: FT\n  url: c\n", 1);
        let lines = index.repeated("url").map(|(a, b)| (a.line, b.line));
        assert_eq!(lines, Some((4, 6)));
        assert_eq!(index.repeated("name"), None);
    }

    // Quoted keys are found by their name; `a:b` is not a key.
    #[test]
    fn reads_quoted_keys() {
        let index = KeyIndex::new("\"outlet\": x\nurl:https://a\n'story': y\n", 1);
        assert_eq!(index.find(&["outlet"]).map(|s| s.key_width), Some(8));
        assert_eq!(index.find(&["url"]), None);
        assert_eq!(index.find(&["story"]).map(|s| s.value_column), Some(10));
    }
}
