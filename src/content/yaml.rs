//! YAML to typed values, with locations in the user's file.
//!
//! The only module that touches `serde_yaml` (frozen upstream, so it stays
//! behind this one door). It turns a YAML block (front matter, `site.yaml`,
//! `outlets.yaml`) into a typed value, reports syntax and type errors at the
//! line of the *file* (serde_yaml counts from the start of the block), collects
//! unknown keys instead of ignoring them, and finds the line and column of a
//! key so later stages can point at `outlet: blomberg` precisely.

use std::path::Path;

use serde::de::{Deserialize, DeserializeOwned, Deserializer};

use crate::diagnostic::{Diagnostic, Location, did_you_mean};

/// A YAML block inside a file.
#[derive(Debug, Clone, Copy)]
pub struct Yaml<'a> {
    /// The file, relative to the site root.
    pub path: &'a Path,
    /// The whole file, for quoting source lines.
    pub file_text: &'a str,
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

/// A parsed value and the keys the type did not know.
pub struct Parsed<T> {
    pub value: T,
    /// Each unknown key as its path of map keys, e.g. `["bloomberg", "tagln"]`.
    pub unknown: Vec<Vec<String>>,
}

impl<'a> Yaml<'a> {
    /// A file that is all YAML (`site.yaml`, `outlets.yaml`).
    pub fn whole(path: &'a Path, text: &'a str) -> Self {
        Yaml {
            path,
            file_text: text,
            text,
            first_line: 1,
        }
    }

    /// Parses the block into `T`; an empty block parses as an empty mapping.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<Parsed<T>, Diagnostic> {
        let text = if self.text.trim().is_empty() {
            "{}"
        } else {
            self.text
        };
        if let Some((line, column)) = too_deep(text) {
            return Err(Diagnostic::error(format!(
                "brackets nest more than {MAX_DEPTH} levels deep"
            ))
            .at(Location::span(
                self.path,
                self.file_text,
                self.first_line + line - 1,
                column,
                1,
            ))
            .help(
                "close the brackets `[` and `{` you opened; no setting of gazette nests this deep",
            ));
        }
        let mut unknown = Vec::new();
        let de = serde_yaml::Deserializer::from_str(text);
        let value = serde_ignored::deserialize(de, |path| unknown.push(key_path(&path)))
            .map_err(|e| self.syntax_error(&e))?;
        Ok(Parsed { value, unknown })
    }

    fn syntax_error(&self, error: &serde_yaml::Error) -> Diagnostic {
        let message = strip_positions(&error.to_string());
        let diagnostic = Diagnostic::error(format!("invalid YAML: {message}"))
            .help("check the YAML syntax: close every bracket and quote, and quote text that contains `: ` or starts with a special character");
        match error.location() {
            Some(loc) => diagnostic.at(Location::span(
                self.path,
                self.file_text,
                self.first_line + loc.line() - 1,
                loc.column(),
                1,
            )),
            None => diagnostic.at(self.start()),
        }
    }

    /// The value of a [`Field`]; a value of the wrong type becomes an error
    /// at its key, and parsing goes on with the other keys.
    pub fn take<T: FieldValue>(
        &self,
        key: &str,
        field: Field<T>,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<T> {
        match field {
            Field::Absent => None,
            Field::Present(value) => Some(value),
            Field::Invalid(found) => {
                errors.push(
                    Diagnostic::error(format!("`{key}` must be {}", T::EXPECTED))
                        .at(self.value_location(&[key]))
                        .label(format!("found {found}")),
                );
                None
            }
        }
    }

    /// The diagnostic for an unknown key, with the nearest of `known` suggested.
    pub fn unknown_key(&self, keys: &[String], known: &[&str]) -> Diagnostic {
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        let name = keys.last().map_or("", String::as_str);
        let mut d = Diagnostic::error(format!("unknown key `{name}`")).at(self.key_location(&refs));
        match did_you_mean(name, known.iter().copied()) {
            Some(hint) => d = d.label(hint),
            None => {
                d = d.help(format!(
                    "the known keys here are: {}",
                    known
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }
        }
        d
    }

    /// Where the block starts: the `---` line of front matter, or line 1.
    pub fn start(&self) -> Location {
        let line = if self.first_line > 1 {
            self.first_line - 1
        } else {
            1
        };
        Location::line(self.path, self.file_text, line)
    }

    /// The span of a key's name, or the block start when it is not there.
    pub fn key_location(&self, keys: &[&str]) -> Location {
        match self.find(keys) {
            Some(found) => Location::span(
                self.path,
                self.file_text,
                found.line,
                found.key_column,
                found.key_width,
            ),
            None => self.start(),
        }
    }

    /// The span of a key's value (its whole line when the value spans lines).
    pub fn value_location(&self, keys: &[&str]) -> Location {
        match self.find(keys) {
            Some(found) if found.value_width > 0 => Location::span(
                self.path,
                self.file_text,
                found.line,
                found.value_column,
                found.value_width,
            ),
            Some(found) => Location::span(
                self.path,
                self.file_text,
                found.line,
                found.key_column,
                found.key_width,
            ),
            None => self.start(),
        }
    }

    /// Finds the line of `keys` (a path of nested block-mapping keys).
    ///
    /// A line scan, not a parse: front matter is block-style YAML written by
    /// hand, and this only decides where a caret goes.
    fn find(&self, keys: &[&str]) -> Option<Found> {
        let mut depth = 0;
        let mut parent_indent: Option<usize> = None;
        for (index, line) in self.text.lines().enumerate() {
            let body = line.trim_start_matches(' ');
            if body.is_empty() || body.starts_with('#') {
                continue;
            }
            let indent = line.len() - body.len();
            if parent_indent.is_some_and(|p| indent <= p) {
                return None;
            }
            let Some((key, rest)) = split_key(body) else {
                continue;
            };
            if key != keys[depth] {
                continue;
            }
            if depth + 1 < keys.len() {
                depth += 1;
                parent_indent = Some(indent);
                continue;
            }
            let after_colon = line.len() - rest.len();
            let value = rest.trim();
            let value = value.split(" #").next().unwrap_or(value).trim_end();
            let value_start = after_colon + (rest.len() - rest.trim_start().len());
            return Some(Found {
                line: self.first_line + index,
                key_column: indent + 1,
                key_width: body.len() - rest.len() - 1,
                value_column: line[..value_start].chars().count() + 1,
                value_width: value.chars().count(),
            });
        }
        None
    }
}

/// A value that a front-matter key may hold.
pub trait FieldValue: Sized {
    /// What the value must be, for messages: "a whole number, such as `10`".
    const EXPECTED: &'static str;
    fn from_yaml(value: serde_yaml::Value) -> Option<Self>;
}

impl FieldValue for String {
    const EXPECTED: &'static str = "text";
    fn from_yaml(value: serde_yaml::Value) -> Option<Self> {
        // `headline: 2026` is text to the editor who wrote it.
        match value {
            serde_yaml::Value::String(s) => Some(s),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            serde_yaml::Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

impl FieldValue for i64 {
    const EXPECTED: &'static str = "a whole number, such as `10` or `-5`";
    fn from_yaml(value: serde_yaml::Value) -> Option<Self> {
        value.as_i64()
    }
}

impl FieldValue for usize {
    const EXPECTED: &'static str = "a whole number, such as `250`";
    fn from_yaml(value: serde_yaml::Value) -> Option<Self> {
        value.as_u64().and_then(|n| usize::try_from(n).ok())
    }
}

impl FieldValue for bool {
    const EXPECTED: &'static str = "`true` or `false`";
    fn from_yaml(value: serde_yaml::Value) -> Option<Self> {
        value.as_bool()
    }
}

impl FieldValue for Vec<String> {
    const EXPECTED: &'static str = "a list of text, such as `[ai, policy]`";
    fn from_yaml(value: serde_yaml::Value) -> Option<Self> {
        match value {
            // `tags: ai` means one tag.
            serde_yaml::Value::Sequence(items) => {
                items.into_iter().map(String::from_yaml).collect()
            }
            other => String::from_yaml(other).map(|one| vec![one]),
        }
    }
}

/// A front-matter value, kept even when it has the wrong type, so that one
/// wrong value does not hide the problems of the others.
#[derive(Debug, Default)]
pub enum Field<T> {
    #[default]
    Absent,
    Present(T),
    /// The wrong type: what was found, e.g. `a list`.
    Invalid(String),
}

impl<'de, T: FieldValue> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_yaml::Value::deserialize(deserializer)?;
        if value.is_null() {
            return Ok(Field::Absent);
        }
        let found = match &value {
            serde_yaml::Value::String(s) => format!("`{s}`"),
            serde_yaml::Value::Number(n) => format!("`{n}`"),
            serde_yaml::Value::Bool(b) => format!("`{b}`"),
            serde_yaml::Value::Sequence(_) => "a list".to_owned(),
            serde_yaml::Value::Mapping(_) => "a mapping of keys".to_owned(),
            serde_yaml::Value::Tagged(_) | serde_yaml::Value::Null => "a tagged value".to_owned(),
        };
        Ok(T::from_yaml(value).map_or(Field::Invalid(found), Field::Present))
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

struct Found {
    line: usize,
    key_column: usize,
    key_width: usize,
    value_column: usize,
    value_width: usize,
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
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;

    #[derive(Deserialize)]
    struct Front {
        #[allow(dead_code)]
        weight: Option<i64>,
    }

    const FILE: &str = "---\nheadline: A\nweight: abc\n---\nbody\n";

    fn front() -> Yaml<'static> {
        Yaml {
            path: Path::new("content/x.md"),
            file_text: FILE,
            text: "headline: A\nweight: abc\n",
            first_line: 2,
        }
    }

    // Type errors point at the line of the file, not the line of the YAML block.
    #[test]
    fn errors_count_lines_from_the_file() {
        let Err(d) = front().parse::<Front>() else {
            panic!("`weight: abc` must not parse as an integer");
        };
        let loc = d.location.expect("a location");
        assert_eq!((loc.line, loc.column), (3, Some(9)));
        assert_eq!(loc.source_line.as_deref(), Some("weight: abc"));
    }

    // Keys the type does not know are collected, not silently dropped.
    #[test]
    fn collects_unknown_keys() {
        let parsed = front().parse::<Front>().err();
        assert!(parsed.is_some());
        let yaml = Yaml::whole(
            Path::new("outlets.yaml"),
            "tnw:\n  name: TNW\n  taglin: x\n",
        );
        #[derive(Deserialize)]
        struct Outlet {
            #[allow(dead_code)]
            name: String,
        }
        let parsed = yaml
            .parse::<BTreeMap<String, Outlet>>()
            .expect("valid YAML");
        assert_eq!(
            parsed.unknown,
            vec![vec!["tnw".to_owned(), "taglin".to_owned()]]
        );
        let loc = yaml.key_location(&["tnw", "taglin"]);
        assert_eq!((loc.line, loc.column, loc.width), (3, Some(3), 6));
    }

    // serde_yaml's own block-relative positions are taken out of messages.
    #[test]
    fn strips_block_positions() {
        assert_eq!(
            strip_positions(
                "did not find expected ',' at line 5 column 1, while parsing a flow sequence at line 4 column 7"
            ),
            "did not find expected ',', while parsing a flow sequence"
        );
        assert_eq!(
            strip_positions("invalid type: sequence, expected struct ItemFront at line 1 column 1"),
            "invalid type: sequence, expected `key: value` lines"
        );
    }

    // A value of the wrong type is kept as an error, and text is lenient.
    #[test]
    fn fields_keep_type_errors() {
        #[derive(Deserialize)]
        struct F {
            #[serde(default)]
            weight: Field<i64>,
            #[serde(default)]
            headline: Field<String>,
            #[serde(default)]
            tags: Field<Vec<String>>,
        }
        let yaml = Yaml::whole(
            Path::new("a.md"),
            "weight: heavy\nheadline: 2026\ntags: ai\n",
        );
        let f = yaml.parse::<F>().expect("parses").value;
        let mut errors = Vec::new();
        assert_eq!(yaml.take("weight", f.weight, &mut errors), None);
        assert_eq!(
            yaml.take("headline", f.headline, &mut errors),
            Some("2026".to_owned())
        );
        assert_eq!(
            yaml.take("tags", f.tags, &mut errors),
            Some(vec!["ai".to_owned()])
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].label.as_deref(), Some("found `heavy`"));
    }

    // Values are located after the colon, so the caret sits under the value.
    #[test]
    fn locates_values() {
        let loc = front().value_location(&["weight"]);
        assert_eq!((loc.line, loc.column, loc.width), (3, Some(9), 3));
        assert_eq!(front().value_location(&["missing"]).line, 1);
    }
}
