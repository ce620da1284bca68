//! Front matter of `key: value` lines, read without libyaml.
//!
//! Nearly every entry's front matter is four to eight lines such as
//! `headline: "…"`, `outlet: techmeme`, `tags: [ai, policy]`, `weight: 20`,
//! and libyaml took 70,000 instructions to read each (5.9% of a
//! 10,000-entry build). [`read`] reads a block when each of its lines is
//! one key and a value whose meaning YAML leaves no room for:
//!
//! - a key of lower-case ASCII letters, digits and `_` that starts with a
//!   letter and is not `null`, `true` or `false`, then `: `, written once
//!   in the block;
//! - a double-quoted text with no `\` or `"` in it, or a single-quoted text
//!   with no `'`;
//! - a plain text that starts with an ASCII letter and is not `null`,
//!   `true` or `false` (in any of YAML's three spellings), or starts with a
//!   digit and holds only digits and `-`, one at least (`2026-11-25`);
//! - a whole number with no leading zero (`20`, `-5`);
//! - a list of those in `[` `]`, separated by `, `.
//!
//! Text may hold any printable character but a line break (YAML reads
//! U+0085, U+2028 and U+2029 as line breaks) or a byte-order mark. Plain
//! text has no space at its end; on a key's line it may hold `,[]{}`, a `:`
//! that is not before a space (`https://…`) and a `#` that is not after one;
//! in a list none of those. Any other block (an empty value, a comment,
//! an indented line, a block scalar, an escape, a float, `~`, a key
//! written twice, `\r`) is `None`, for serde_yaml to read as before. `plain_blocks_read_as_serde_yaml_reads_them` holds the
//! two readings equal.

use serde::de::{self, Deserializer, IntoDeserializer, Visitor};

/// One value of a plain block.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node<'a> {
    Text(&'a str),
    Whole(u64),
    Negative(i64),
    List(Vec<Node<'a>>),
}

/// The block's keys and values, in the order written; `None` when any line
/// is not plain.
pub(super) fn read(text: &str) -> Option<Vec<(&str, Node<'_>)>> {
    let mut pairs: Vec<(&str, Node<'_>)> = Vec::new();
    for line in text.split('\n') {
        if line.is_empty() {
            continue;
        }
        let (key, value) = line.split_once(": ")?;
        // A key is text too: `9`, `true` or `null` would be other keys.
        let key_ok = key.starts_with(|c: char| c.is_ascii_lowercase())
            && !matches!(key, "null" | "true" | "false")
            && key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !key_ok || pairs.iter().any(|(k, _)| *k == key) {
            return None;
        }
        let node = match value.as_bytes().first()? {
            b'[' => Node::List(list(value.strip_prefix('[')?.strip_suffix(']')?)?),
            _ => scalar(value, false)?,
        };
        pairs.push((key, node));
    }
    Some(pairs)
}

fn list(inner: &str) -> Option<Vec<Node<'_>>> {
    if inner.is_empty() {
        return Some(Vec::new());
    }
    inner.split(", ").map(|item| scalar(item, true)).collect()
}

fn scalar(value: &str, in_list: bool) -> Option<Node<'_>> {
    let first = *value.as_bytes().first()?;
    let quoted = |quote: char, forbidden: &[char]| {
        let inner = value.strip_prefix(quote)?.strip_suffix(quote)?;
        (inner
            .chars()
            .all(|c| printable(c) && !forbidden.contains(&c)))
        .then_some(inner)
    };
    match first {
        b'"' => quoted('"', &['"', '\\']).map(Node::Text),
        b'\'' => quoted('\'', &['\'']).map(Node::Text),
        b'-' => whole(&value[1..])
            .filter(|&n| n != 0)
            .and_then(|n| i64::try_from(n).ok())
            .map(|n| Node::Negative(-n)),
        _ if plain(value, in_list) => {
            if first.is_ascii_alphabetic() {
                let reserved = matches!(
                    value,
                    "null"
                        | "Null"
                        | "NULL"
                        | "true"
                        | "True"
                        | "TRUE"
                        | "false"
                        | "False"
                        | "FALSE"
                );
                (!reserved).then_some(Node::Text(value))
            } else if first.is_ascii_digit() {
                if let Some(n) = whole(value) {
                    Some(Node::Whole(n))
                } else {
                    let date_like = value.contains('-')
                        && value.bytes().all(|b| b.is_ascii_digit() || b == b'-');
                    date_like.then_some(Node::Text(value))
                }
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Whether `value` reads as plain text as written: no space at its end,
/// and in a list none of `,[]{}:#`; on a key's line a `:` only before
/// another character than a space (`https://…`), a `#` only after one
/// (` #` starts a comment).
fn plain(value: &str, in_list: bool) -> bool {
    let bytes = value.as_bytes();
    !value.ends_with(' ')
        && value.char_indices().all(|(i, c)| {
            printable(c)
                && match c {
                    ',' | '[' | ']' | '{' | '}' => !in_list,
                    ':' => !in_list && bytes.get(i + 1).is_some_and(|&b| b != b' '),
                    '#' => !in_list && i > 0 && bytes[i - 1] != b' ',
                    _ => true,
                }
        })
}

/// `0`, or up to 18 digits with no leading zero.
fn whole(digits: &str) -> Option<u64> {
    let plain = digits == "0"
        || (!digits.starts_with('0')
            && (1..=18).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit()));
    plain.then(|| digits.parse().ok()).flatten()
}

/// A character YAML reads as itself inside a line.
fn printable(c: char) -> bool {
    matches!(c, ' '..='~')
        || (c >= '\u{a0}'
            && !matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            ))
}

/// A plain block as a serde deserializer: a mapping of its keys.
pub(super) fn block<'a>(
    pairs: Vec<(&'a str, Node<'a>)>,
) -> de::value::MapDeserializer<'a, std::vec::IntoIter<(&'a str, Node<'a>)>, Refused> {
    de::value::MapDeserializer::new(pairs.into_iter())
}

/// Only reading a plain block can fail, and only as the caller's type
/// refuses a value: the caller then reads the block with serde_yaml, whose
/// error says where.
#[derive(Debug)]
pub(super) struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("refused")
    }
}

impl std::error::Error for Refused {}

impl de::Error for Refused {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Refused
    }
}

impl<'de> IntoDeserializer<'de, Refused> for Node<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> Deserializer<'de> for Node<'de> {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self {
            Node::Text(text) => visitor.visit_borrowed_str(text),
            Node::Whole(n) => visitor.visit_u64(n),
            Node::Negative(n) => visitor.visit_i64(n),
            Node::List(items) => {
                visitor.visit_seq(de::value::SeqDeserializer::new(items.into_iter()))
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        visitor.visit_some(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde::Deserialize;

    use super::*;
    use crate::source::yaml::Field;

    /// Fields as front matter declares them, and as other callers might.
    #[derive(Debug, Default, Deserialize)]
    #[serde(default)]
    struct Front {
        headline: Field<String>,
        tags: Field<Vec<String>>,
        weight: Field<i64>,
        draft: Field<bool>,
        outlet: Option<String>,
        date: Option<String>,
        count: Option<u32>,
        aliases: Option<Vec<String>>,
    }

    fn both<T: for<'de> Deserialize<'de> + std::fmt::Debug>(
        text: &str,
        pairs: Vec<(&str, Node<'_>)>,
    ) -> Result<(), TestCaseError> {
        let mut fast_unknown = Vec::new();
        let fast: Result<T, _> =
            serde_ignored::deserialize(block(pairs), |p| fast_unknown.push(p.to_string()));
        let Ok(fast) = fast else {
            // Refused: the caller reads the block with serde_yaml instead.
            return Ok(());
        };
        let mut slow_unknown = Vec::new();
        let slow = serde_ignored::deserialize(serde_yaml::Deserializer::from_str(text), |p| {
            slow_unknown.push(p.to_string())
        });
        let slow: T = slow.map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
        prop_assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{:?}", text);
        prop_assert_eq!(fast_unknown, slow_unknown);
        Ok(())
    }

    #[test]
    fn plain_blocks_read_as_serde_yaml_reads_them() {
        let pick = |options: &[&'static str]| prop::sample::select(options.to_vec());
        let chars = prop::collection::vec(
            prop_oneof![
                12 => prop::char::range('a', 'z'),
                3 => pick(&["A", "Z", "0", "7", "-", "_", ".", "é", "€", "😀", "ß"]).prop_map(|s| s.chars().next().unwrap_or('a')),
                3 => Just(' '),
                2 => pick(&["'", "\"", "\\", ":", "#", ",", "[", "]", "{", "}", "\t", "!", "&", "*", "%", "@", "`", "|", ">", "?", "~", "\u{85}", "\u{2028}", "\u{feff}", "\u{a0}", "\u{7f}", "\u{1}"]).prop_map(|s| s.chars().next().unwrap_or('a')),
            ],
            0..10,
        )
        .prop_map(|c| c.into_iter().collect::<String>());
        let scalar = prop_oneof![
            4 => chars.clone(),
            3 => chars.clone().prop_map(|t| format!("\"{t}\"")),
            2 => chars.clone().prop_map(|t| format!("'{t}'")),
            3 => pick(&["20", "0", "-5", "007", "-0", "1e3", "1.5", "0x1F", "0o7", "0b1", "+3", "99999999999999999999", "123456789012345678", "1_000", ".inf", "-.inf", ".nan", "2026-11-25", "2026-11-25T08:00:00Z", "12:30", "1-", "-1-2", "0-1", "00"]).prop_map(str::to_owned),
            2 => pick(&["null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "yes", "no", "on", "Off", "nan", "inf", "NaN", "Infinity", "y", "n"]).prop_map(str::to_owned),
            2 => pick(&["https://a.example/x?y=1#top", "Foo, bar", "a:b", "a: b", "a:", "a[1]", "x {y}", "a,b", "a #b", "a#b", "C#", "Q3: up", "ok:\"x\""]).prop_map(str::to_owned),
            1 => pick(&["", "|", ">-", "&a x", "*a", "!tag x", "- a", "{a: b}", "a # c", "a: b", "a #c", "\"a\" b", "'a''b'", "\"a\\\"b\"", "\"\\u00e9\"", "?"]).prop_map(str::to_owned),
        ];
        let separator = prop_oneof![8 => Just(", "), 1 => pick(&[",", " , ", ",  "])];
        let list = (prop::collection::vec(scalar.clone(), 0..4), separator)
            .prop_map(|(items, sep)| format!("[{}]", items.join(sep)));
        let value = prop_oneof![5 => scalar, 2 => list, 1 => pick(&["[a, [b]]", "[a", "a]", "[]", "[ ]", "[,]"]).prop_map(str::to_owned)];
        let key = prop_oneof![
            8 => pick(&["headline", "tags", "weight", "draft", "outlet", "date", "count", "aliases", "x_1", "9", "true", "null", "nulls"]),
            1 => pick(&["Headline", "my-key", "", "a b", "\"q\"", "? k"]),
        ];
        let colon = prop_oneof![12 => Just(": "), 1 => pick(&[":", ":  ", " : ", ":\t"])];
        let line = prop_oneof![
            12 => (key, colon, value).prop_map(|(k, c, v)| format!("{k}{c}{v}")),
            1 => pick(&["", "# comment", "  indented: x", "---", "headline: a\r", "- item", " ", "headline:"]).prop_map(str::to_owned),
        ];
        let blocks = prop::collection::vec(line, 0..7).prop_map(|lines| {
            let mut text = lines.join("\n");
            text.push('\n');
            text
        });

        let plain = std::cell::Cell::new(0);
        crate::testing::runner(4096)
            .run(&blocks, |text| {
                let Some(pairs) = read(&text) else {
                    return Ok(());
                };
                plain.set(plain.get() + 1);
                let fast = serde_yaml::Value::deserialize(block(pairs.clone()))
                    .map_err(|_| TestCaseError::fail(format!("{text:?}: a Value refused")))?;
                let slow: serde_yaml::Value = serde_yaml::from_str(&text)
                    .map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
                // serde_yaml reads an empty block as null, `parse` reads it as `{}`.
                if !pairs.is_empty() {
                    prop_assert_eq!(&fast, &slow, "{:?}", text);
                }
                both::<Front>(&text, pairs.clone())?;
                both::<std::collections::BTreeMap<String, serde_yaml::Value>>(&text, pairs)
            })
            .expect("plain blocks read as serde_yaml reads them");
        assert!(
            plain.get() >= 600,
            "only {} of 4096 blocks were plain",
            plain.get()
        );
    }

    #[test]
    fn a_typical_entry_is_plain() {
        let text = "headline: Sources: SpaceX rents Colossus 1, to Anthropic\noutlet: techmeme\nurl: https://www.techmeme.com/#top\nstory: spacex-colossus\ntags: [infrastructure, \"spacex\"]\nweight: 20\ndate: 2026-11-25\n";
        // `Sources: SpaceX` holds `: `: serde_yaml reads that block.
        assert_eq!(read(text), None);
        let text = text
            .replace("Sources: SpaceX", "\"Sources: SpaceX")
            .replace("Anthropic", "Anthropic\"");
        let Some(pairs) = read(&text) else {
            panic!("not plain: {text}");
        };
        let keys: Vec<&str> = pairs.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            keys,
            [
                "headline", "outlet", "url", "story", "tags", "weight", "date"
            ]
        );
        assert_eq!(
            pairs[0].1,
            Node::Text("Sources: SpaceX rents Colossus 1, to Anthropic")
        );
        assert_eq!(pairs[2].1, Node::Text("https://www.techmeme.com/#top"));
        assert_eq!(
            pairs[4].1,
            Node::List(vec![Node::Text("infrastructure"), Node::Text("spacex")])
        );
        assert_eq!(pairs[5].1, Node::Whole(20));
        assert_eq!(pairs[6].1, Node::Text("2026-11-25"));
    }

    // Values whose reading turns on YAML's rules for numbers and words go
    // to serde_yaml: `-0` is 0 but no unsigned 0 to it, `007` is text.
    #[test]
    fn numbers_and_words_with_rules_are_left_to_serde_yaml() {
        for value in [
            "-0", "007", "1.5", "1e3", "0x1F", "+3", ".inf", "~", "True", "null",
        ] {
            assert_eq!(read(&format!("count: {value}\n")), None, "{value}");
        }
        assert_eq!(
            read("count: -7\n"),
            Some(vec![("count", Node::Negative(-7))])
        );
    }
}
