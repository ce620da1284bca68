//! YAML to typed values that know where they were written.
//!
//! The only module that touches `serde_yaml` (frozen upstream, so it stays
//! behind this one door). It takes a YAML block (front matter, `site.yaml`,
//! `outlets.yaml`) and returns a typed value ([`Parsed`]) together with
//! [`Spans`]: where each key and value was written, indexed in the same
//! pass. Syntax and type errors point at the line of the *file* (serde_yaml
//! counts from the start of the block), and unknown keys are collected
//! instead of ignored.

mod field;
mod index;
mod plain;

use std::sync::Arc;

use serde::de::DeserializeOwned;

pub use field::{Field, FieldValue};

/// `text` as a YAML double-quoted scalar, for the files gazette writes
/// (`init`, `new`): JSON's string syntax is valid YAML, escapes included.
pub fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}
use index::KeyIndex;

use super::{Located, SourceFile, Span};
use crate::diagnostic::{Diagnostic, did_you_mean};

/// A YAML block inside a file.
#[derive(Debug, Clone, Copy)]
pub struct Yaml<'a> {
    /// The file, for its path and for quoting its lines.
    pub file: &'a Arc<SourceFile>,
    /// The YAML block alone.
    pub text: &'a str,
    /// The file line (1-based) of the block's first line.
    pub first_line: usize,
}

/// How deep `[` and `{` may nest. libyaml's scanner takes time by the
/// depth for every token, so 100,000 brackets (200 KB) take seconds to be
/// refused; no real front matter nests past a handful.
const MAX_DEPTH: usize = 32;

/// The 1-based line and column of the first bracket past [`MAX_DEPTH`].
///
/// Counts every bracket, quoted or not: a headline holding 33 unclosed `[`
/// is no headline, and skipping quotes would let `it's [[[…` hide a nest.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let (mut line, mut column) = (1, 0);
    for c in text.chars() {
        column += 1;
        match c {
            '\n' => (line, column) = (line + 1, 0),
            '[' | '{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some((line, column));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// A parsed value, the keys its type did not know, and where its keys were.
pub struct Parsed<'a, T> {
    pub value: T,
    /// Each unknown key as its path of map keys, e.g. `["bloomberg", "tagln"]`.
    pub unknown: Vec<Vec<String>>,
    pub spans: Spans<'a>,
}

impl<'a> Yaml<'a> {
    /// A file that is all YAML (`site.yaml`, `outlets.yaml`).
    pub fn whole(file: &'a Arc<SourceFile>) -> Self {
        Yaml {
            file,
            text: &file.text,
            first_line: 1,
        }
    }

    /// Parses the block into `T`; an empty block parses as an empty mapping.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<Parsed<'a, T>, Diagnostic> {
        let text = if self.text.trim().is_empty() {
            "{}"
        } else {
            self.text
        };
        if let Some((line, column)) = too_deep(text) {
            return Err(Span::new(self.file, self.first_line + line - 1, column, 1)
                .error(format!("brackets nest more than {MAX_DEPTH} levels deep"))
                .help(
                    "close the brackets `[` and `{` you opened; no setting of gazette nests this deep",
                ));
        }
        let mut unknown = Vec::new();
        let value = match plain::read(self.text).map(|pairs| {
            serde_ignored::deserialize(plain::block(pairs), |path| unknown.push(key_path(&path)))
        }) {
            Some(Ok(value)) => value,
            // Not plain, or refused by `T`: serde_yaml reads it, and says
            // where a refusal is.
            _ => {
                unknown.clear();
                let de = serde_yaml::Deserializer::from_str(text);
                serde_ignored::deserialize(de, |path| unknown.push(key_path(&path)))
                    .map_err(|e| self.syntax_error(&e))?
            }
        };
        Ok(Parsed {
            value,
            unknown,
            spans: Spans {
                yaml: *self,
                index: KeyIndex::new(self.text, self.first_line),
            },
        })
    }

    /// `value` standing for a block that could not be parsed: every key of
    /// it missing, so that checks can go on with defaults.
    pub fn unparsed<T>(&self, value: T) -> Parsed<'a, T> {
        Parsed {
            value,
            unknown: Vec::new(),
            spans: Spans {
                yaml: *self,
                index: KeyIndex::empty(),
            },
        }
    }

    fn syntax_error(&self, error: &serde_yaml::Error) -> Diagnostic {
        let message = strip_positions(&error.to_string());
        if let Some(tab) = self.tab_cause(error, &message) {
            return tab;
        }
        if message.contains("while scanning a quoted scalar")
            && let Some((line, column)) = self.unclosed_quote()
        {
            return Span::new(self.file, self.first_line + line - 1, column, 1)
                .error("invalid YAML: this quote is never closed")
                .label("opened here")
                .help("end the text with the same quote on this line; to write the quote inside it, use the other kind around the text (`\"it's\"`, `'say \"hi\"'`)");
        }
        if let Some(twice) = self.repeated_key(&message) {
            return twice;
        }
        let control = (message.contains("control character"))
            .then(|| self.control_character())
            .flatten();
        let at = match (error.location(), control) {
            // serde_yaml places these at the start, naming a byte offset:
            // found here instead.
            (_, Some((line, column, c))) => {
                return Span::new(self.file, self.first_line + line - 1, column, 1)
                    .error(format!(
                        "invalid YAML: a control character (U+{:04X}) is not allowed",
                        u32::from(c)
                    ))
                    .help(
                        "remove it: YAML text holds no control characters but tabs and line breaks",
                    );
            }
            (Some(loc), None) => {
                Span::new(self.file, self.first_line + loc.line() - 1, loc.column(), 1)
            }
            (None, None) => self.start(),
        };
        at.error(format!("invalid YAML: {message}"))
            .help("check the YAML syntax: close every bracket and quote, and quote text that contains `: ` or starts with a special character")
    }

    /// A key set twice in one mapping (serde's "duplicate field `title`",
    /// serde_yaml's "duplicate entry with key \"tnw\""), said at the second
    /// line that sets it, naming the first: serde_yaml places it at the
    /// mapping's start, and no bracket or quote is to blame.
    fn repeated_key(&self, message: &str) -> Option<Diagnostic> {
        let key = (message.strip_prefix("duplicate field `"))
            .and_then(|rest| rest.split('`').next())
            .or_else(|| {
                (message.strip_prefix("duplicate entry with key \""))
                    .and_then(|rest| rest.split('"').next())
            })?;
        self.set_twice(&KeyIndex::new(self.text, self.first_line), key)
    }

    /// An error for each of `keys` set twice in one mapping of this YAML:
    /// a mapping read into a map (`outlets.yaml`) keeps the last without a
    /// word from serde_yaml, so its reader asks for each of its keys.
    pub fn keys_set_twice<'k>(&self, keys: impl IntoIterator<Item = &'k str>) -> Vec<Diagnostic> {
        let index = KeyIndex::new(self.text, self.first_line);
        (keys.into_iter())
            .filter_map(|key| self.set_twice(&index, key))
            .collect()
    }

    /// The error for `key` set twice in one mapping, if it is.
    fn set_twice(&self, index: &KeyIndex<'_>, key: &str) -> Option<Diagnostic> {
        let (first, second) = index.repeated(key)?;
        Some(
            Span::new(self.file, second.line, second.key_column, second.key_width)
                .error(format!("`{key}` is set twice"))
                .label(format!("already set at line {}", first.line))
                .help(format!(
                    "keep one of the two `{key}:` lines: a key is set once in its block"
                )),
        )
    }

    /// The first character YAML does not allow in its text (C0 and C1
    /// controls but tab, line feed, carriage return and NEL; DEL), with its
    /// line and column (1-based, within the block).
    fn control_character(&self) -> Option<(usize, usize, char)> {
        let bad = |c: char| {
            (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{85}')) || c == '\u{7f}'
        };
        let at = self.text.find(bad)?;
        let c = self.text[at..].chars().next()?;
        let (line, column) = crate::diagnostic::line_column(self.text, at);
        Some((line, column, c))
    }

    /// The quote that opens a value and is not closed on its line, the last
    /// of them (1-based line and column within the block): what libyaml,
    /// reading on to the end of the block, reports only as an end.
    fn unclosed_quote(&self) -> Option<(usize, usize)> {
        let mut found = None;
        for (i, line) in self.text.lines().enumerate() {
            let rest = line.trim_start().trim_start_matches("- ");
            let value = match rest.find(": ") {
                Some(at) if !rest.starts_with(['"', '\'']) => rest[at + 2..].trim_start(),
                _ => rest,
            };
            let Some(quote) = value.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
                continue;
            };
            if !closes(&value[1..], quote) {
                let at = line.len() - value.len();
                found = Some((i + 1, line[..at].chars().count() + 1));
            }
        }
        found
    }

    /// Where the block starts: the `---` line of front matter, or line 1.
    pub fn start(&self) -> Span {
        Span::line(self.file, self.first_line.saturating_sub(1).max(1))
    }

    /// The error said as its cause when it is a tab in an indentation (YAML
    /// allows only spaces there, and libyaml's words for it vary): at the
    /// first tab that indents the line the error is on, or any line if the
    /// error speaks of a tab.
    fn tab_cause(&self, error: &serde_yaml::Error, message: &str) -> Option<Diagnostic> {
        let error_line = error.location().map(|loc| loc.line());
        let speaks_of_tab = message.contains("tab");
        let (index, line) = self.text.lines().enumerate().find(|(i, line)| {
            let indent = &line[..line.len() - line.trim_start().len()];
            indent.contains('\t') && (speaks_of_tab || error_line == Some(i + 1))
        })?;
        let column = line
            .find('\t')
            .map_or(1, |at| line[..at].chars().count() + 1);
        Some(
            Span::new(self.file, self.first_line + index, column, 1)
                .error("invalid YAML: a tab indents this line")
                .label("tab")
                .help("YAML indents with spaces only: replace the tab with spaces, as many as the lines around it use"),
        )
    }
}

/// Where the keys of a parsed block were written, to give each value its
/// spans right after deserialising.
pub struct Spans<'a> {
    yaml: Yaml<'a>,
    index: KeyIndex<'a>,
}

impl Spans<'_> {
    /// `value` with the spans of the key path `keys`. A value that spans
    /// lines is located at its key; a key not found (flow style, or not
    /// written) at the start of the block.
    pub fn located<V>(&self, keys: &[&str], value: V) -> Located<V> {
        let file = self.yaml.file;
        match self.index.find(keys) {
            Some(found) => {
                let key = Span::new(file, found.line, found.key_column, found.key_width);
                let span = if found.value_width > 0 {
                    Span::new(file, found.line, found.value_column, found.value_width)
                } else {
                    key.clone()
                };
                Located { value, span, key }
            }
            None => Located {
                value,
                span: self.start(),
                key: self.start(),
            },
        }
    }

    /// The value of `field`, at `keys`, located; `Err` with what was found,
    /// located, when it has the wrong type.
    pub fn locate<V>(
        &self,
        keys: &[&str],
        field: Field<V>,
    ) -> Result<Option<Located<V>>, Located<String>> {
        match field {
            Field::Absent => Ok(None),
            Field::Present(value) => Ok(Some(self.located(keys, value))),
            Field::Invalid(found) => Err(self.located(keys, found)),
        }
    }

    /// The value of the top-level `key`, located; a value of the wrong type
    /// becomes an error at it, and parsing goes on with the other keys.
    pub fn field<V: FieldValue>(
        &self,
        key: &str,
        field: Field<V>,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<Located<V>> {
        self.locate(&[key], field).unwrap_or_else(|found| {
            errors.push(
                found
                    .error(format!("`{key}` must be {}", V::EXPECTED))
                    .label(format!("found {}", found.value)),
            );
            None
        })
    }

    /// The diagnostic for an unknown key, with the nearest of `known` suggested.
    pub fn unknown_key(&self, keys: &[String], known: &[&str]) -> Diagnostic {
        let path: Vec<&str> = keys.iter().map(String::as_str).collect();
        let name = keys.last().map_or("", String::as_str);
        let d = self
            .located(&path, ())
            .key_error(format!("unknown key `{name}`"));
        match did_you_mean(name, known.iter().copied()) {
            Some(hint) => d.label(hint),
            None => d.help(format!(
                "the known keys here are: {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// Where the block starts: for what is missing from it.
    pub fn start(&self) -> Span {
        self.yaml.start()
    }
}

/// serde_yaml's messages carry positions counted inside the YAML block
/// ("at line 5 column 1"); ours point into the file, so theirs go. So do the
/// names of our Rust types ("expected struct ItemFront").
fn strip_positions(message: &str) -> String {
    let mut out = message.to_owned();
    if let Some(at) = out.find("expected struct ") {
        let name_end = out[at + "expected struct ".len()..]
            .find(|c: char| !c.is_alphanumeric())
            .map_or(out.len(), |n| at + "expected struct ".len() + n);
        out.replace_range(at..name_end, "expected `key: value` lines");
    }
    while let Some(at) = out.find(" at line ") {
        let rest = &out[at + " at line ".len()..];
        let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let mut end = at + " at line ".len() + digits(rest);
        if let Some(col) = out[end..].strip_prefix(" column ") {
            end += " column ".len() + digits(col);
        }
        out.replace_range(at..end, "");
    }
    out
}

fn key_path(path: &serde_ignored::Path<'_>) -> Vec<String> {
    use serde_ignored::Path as P;
    match path {
        P::Root => Vec::new(),
        P::Map { parent, key } => {
            let mut keys = key_path(parent);
            keys.push(key.clone());
            keys
        }
        P::Seq { parent, .. }
        | P::Some { parent }
        | P::NewtypeStruct { parent }
        | P::NewtypeVariant { parent } => key_path(parent),
    }
}

#[cfg(test)]
mod tests;

/// Whether the text after an opening `quote` closes it: a `"` not escaped
/// by `\\`, or a `'` not doubled.
fn closes(text: &str, quote: char) -> bool {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            '\'' if quote == '\'' && chars.peek() == Some(&'\'') => {
                chars.next();
            }
            c if c == quote => return true,
            _ => {}
        }
    }
    false
}
