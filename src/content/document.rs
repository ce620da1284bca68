//! A Markdown file split into its YAML front matter and its body.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Location};
use crate::slug::slugify;
use crate::source::SourceFile;
use crate::source::yaml::Yaml;

/// The largest front matter read: a headline, a blurb and a few fields take
/// a few hundred bytes.
const MAX_FRONT_MATTER: usize = 64_000;

/// One Markdown file, its text normalized (no BOM, LF line ends).
#[derive(Debug, Clone)]
pub struct Document {
    /// The path, relative to the site root, and the text; shared with the
    /// spans of the values read from it.
    file: Arc<SourceFile>,
    /// Byte range and first file line of the front matter, when there is one.
    front: Option<(Range<usize>, usize)>,
    body_start: usize,
    /// File line (1-based) of the body's first line.
    pub body_line: usize,
    /// The file name's stem as a URL segment, made once.
    slug: String,
}

impl Document {
    /// Splits `text` at its `---` fences. A file without an opening fence is all body.
    pub fn split(path: PathBuf, text: String) -> Result<Document, Diagnostic> {
        let Some(after_open) = text
            .strip_prefix("---\n")
            .or_else(|| (text.trim_end() == "---").then_some(""))
        else {
            return Ok(Document {
                slug: slug_of(&path),
                file: SourceFile::new(path, text),
                front: None,
                body_start: 0,
                body_line: 1,
            });
        };
        let yaml_start = text.len() - after_open.len();
        let mut offset = yaml_start;
        for (index, line) in after_open.split_inclusive('\n').enumerate() {
            let bare = line.trim_end_matches('\n').trim_end();
            if bare == "---" || bare == "..." {
                if offset - yaml_start > MAX_FRONT_MATTER {
                    return Err(Diagnostic::error(format!(
                        "front matter is {} KB, over the limit of {} KB",
                        (offset - yaml_start) / 1000,
                        MAX_FRONT_MATTER / 1000
                    ))
                    .at(Location::span(&path, &text, 1, 1, 3))
                    .help("front matter holds a few fields; move long text into the body, below the closing `---`"));
                }
                return Ok(Document {
                    slug: slug_of(&path),
                    front: Some((yaml_start..offset, 2)),
                    body_start: offset + line.len(),
                    body_line: index + 3,
                    file: SourceFile::new(path, text),
                });
            }
            offset += line.len();
        }
        Err(Diagnostic::error("front matter is not closed")
            .at(Location::span(&path, &text, 1, 1, 3))
            .label("opened here")
            .help("add a line `---` after the last front matter line"))
    }

    pub fn has_front_matter(&self) -> bool {
        self.front.is_some()
    }

    /// The front matter as YAML (empty when the file has none).
    pub fn yaml(&self) -> Yaml<'_> {
        let (range, first_line) = self.front.clone().unwrap_or((0..0, 1));
        Yaml {
            file: &self.file,
            text: &self.file.text[range],
            first_line,
        }
    }

    /// Relative to the site root.
    pub fn path(&self) -> &Path {
        &self.file.path
    }

    pub fn body(&self) -> &str {
        &self.file.text[self.body_start..]
    }

    /// The location of `len` bytes at byte `offset` of the body, for what
    /// is said about something written there (a link that points nowhere).
    pub fn body_location(&self, offset: usize, len: usize) -> Location {
        let text = &self.file.text;
        let mut at = (self.body_start + offset).min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let (line, column) = crate::diagnostic::line_column(text, at);
        let rest = &text[at..];
        let width = rest
            .get(..len.min(rest.len()))
            .unwrap_or(rest)
            .split('\n')
            .next()
            .unwrap_or_default()
            .chars()
            .count();
        Location::span(self.path(), text, line, column, width.max(1))
    }

    /// The file's name without `.md`.
    pub fn stem(&self) -> &str {
        stem_of(self.path())
    }

    /// [`Document::stem`] as a URL segment: `slugify(stem)`.
    pub fn slug(&self) -> &str {
        &self.slug
    }
}

/// The URL segment of the file at `path`: its stem, slugified. An entry's
/// or a story's slug, whether or not the file parses.
pub fn slug_of(path: &Path) -> String {
    slugify(stem_of(path))
}

fn stem_of(path: &Path) -> &str {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Front matter and body are split at the fences, with file line numbers kept.
    #[test]
    fn splits_front_matter() {
        let doc = Document::split("a.md".into(), "---\nheadline: A\n---\nBody\n".into())
            .expect("valid document");
        assert_eq!(doc.yaml().text, "headline: A\n");
        assert_eq!(doc.yaml().first_line, 2);
        assert_eq!(doc.body(), "Body\n");
        assert_eq!(doc.body_line, 4);
    }

    // A file without fences is all body; an unclosed fence is an error at line 1.
    #[test]
    fn handles_missing_and_unclosed_fences() {
        let doc = Document::split("a.md".into(), "Just text\n".into()).expect("body only");
        assert!(!doc.has_front_matter());
        assert_eq!(doc.body(), "Just text\n");
        let err = Document::split("a.md".into(), "---\nheadline: A\nBody\n".into())
            .expect_err("unclosed");
        assert_eq!(err.message, "front matter is not closed");
    }
}
