//! YAML to typed values, with locations in the user's file.
//!
//! The only module that touches `serde_yaml` (frozen upstream, so it stays
//! behind this one door). It turns a YAML block (front matter, `site.yaml`,
//! `outlets.yaml`) into a typed value, reports syntax and type errors at the
//! line of the *file* (serde_yaml counts from the start of the block), collects
//! unknown keys instead of ignoring them, and finds the line and column of a
//! key so later stages can point at `outlet: blomberg` precisely.

use std::path::Path;

use serde::de::DeserializeOwned;

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
        let mut unknown = Vec::new();
        let de = serde_yaml::Deserializer::from_str(text);
        let value = serde_ignored::deserialize(de, |path| unknown.push(key_path(&path)))
            .map_err(|e| self.syntax_error(&e))?;
        Ok(Parsed { value, unknown })
    }

    fn syntax_error(&self, error: &serde_yaml::Error) -> Diagnostic {
        let message = error.to_string();
        // serde_yaml appends its own position, counted inside the block.
        let message = match message.rfind(" at line ") {
            Some(at) => message[..at].to_owned(),
            None => message,
        };
        let diagnostic = Diagnostic::error(format!("invalid YAML: {message}"))
            .help("fix the YAML syntax or the value's type; quote text that contains `: ` or starts with a special character");
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
            .ok()
            .expect("valid YAML");
        assert_eq!(
            parsed.unknown,
            vec![vec!["tnw".to_owned(), "taglin".to_owned()]]
        );
        let loc = yaml.key_location(&["tnw", "taglin"]);
        assert_eq!((loc.line, loc.column, loc.width), (3, Some(3), 6));
    }

    // Values are located after the colon, so the caret sits under the value.
    #[test]
    fn locates_values() {
        let loc = front().value_location(&["weight"]);
        assert_eq!((loc.line, loc.column, loc.width), (3, Some(9), 3));
        assert_eq!(front().value_location(&["missing"]).line, 1);
    }
}
