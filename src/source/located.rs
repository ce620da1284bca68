//! [`Located<T>`]: a value with the span of the file it was written at.
//!
//! Made by [`yaml`](super::yaml) when a block is parsed and carried with the
//! value from then on, so the stage that finds a problem builds its
//! diagnostic from the value itself (`outlet.error("unknown outlet …")`),
//! as just's `token.error(kind)` does. A span shares its file rather than
//! copying it: it becomes a [`Location`], with the quoted line, only when
//! something is wrong.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Location};

/// A file of the site as read: its path, relative to the site root, and its
/// text. Every span into it shares it.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: String) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            path: path.into(),
            text,
        })
    }
}

/// Where in a file something was written: `width` characters at a line and
/// column, or a whole line.
#[derive(Clone)]
pub struct Span {
    file: Arc<SourceFile>,
    /// 1-based.
    line: usize,
    /// 1-based, in characters; `None` for the whole line.
    column: Option<usize>,
    width: usize,
}

impl Span {
    /// `width` characters at `line`:`column` of `file`.
    pub fn new(file: &Arc<SourceFile>, line: usize, column: usize, width: usize) -> Span {
        Span {
            file: Arc::clone(file),
            line,
            column: Some(column),
            width,
        }
    }

    /// The whole of `line`, for what is about a block rather than one value
    /// (a key that is missing from it).
    pub fn line(file: &Arc<SourceFile>, line: usize) -> Span {
        Span {
            file: Arc::clone(file),
            line,
            column: None,
            width: 0,
        }
    }

    /// Where `text`, an item of the list written at this span, is: its
    /// first occurrence on this line or a later one; this span when it is
    /// not found as written (quoted with escapes, say).
    pub fn item(&self, text: &str) -> Span {
        let lines = self
            .file
            .text
            .lines()
            .enumerate()
            .skip(self.line.saturating_sub(1));
        for (i, line) in lines {
            if let Some(at) = line.find(text).filter(|_| !text.is_empty()) {
                let column = line[..at].chars().count() + 1;
                return Span::new(&self.file, i + 1, column, text.chars().count());
            }
        }
        self.clone()
    }

    /// The location a diagnostic prints, with the line quoted.
    pub fn location(&self) -> Location {
        let SourceFile { path, text } = &*self.file;
        match self.column {
            Some(column) => Location::span(path, text, self.line, column, self.width),
            None => Location::line(path, text, self.line),
        }
    }

    /// An error about what is written here.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(message).at(self.location())
    }

    /// A warning about what is written here.
    pub fn warning(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(message).at(self.location())
    }
}

/// `content/x.md:3:9`, not the whole text of the file.
impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file.path.display(), self.line)?;
        match self.column {
            Some(column) => write!(f, ":{column}+{}", self.width),
            None => Ok(()),
        }
    }
}

/// A value, the span of the value and the span of its key.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub value: T,
    /// Where the value was written: problems with the value point here.
    pub span: Span,
    /// Where its key was written: problems with the key itself (empty, not
    /// allowed here) point here.
    pub key: Span,
}

impl<T> Located<T> {
    /// An error about the value, at the value.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        self.span.error(message)
    }

    /// A warning about the value, at the value.
    pub fn warning(&self, message: impl Into<String>) -> Diagnostic {
        self.span.warning(message)
    }

    /// An error about the key, at the key.
    pub fn key_error(&self, message: impl Into<String>) -> Diagnostic {
        self.key.error(message)
    }

    /// The value, for when its span is no longer needed.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The same spans around another value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Located<U> {
        Located {
            value: f(self.value),
            span: self.span,
            key: self.key,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A located value quotes its line and puts the caret under itself.
    #[test]
    fn errors_point_at_the_value() {
        let file = SourceFile::new("content/a.md", "---\noutlet: blomberg\n---\n".into());
        let outlet = Located {
            value: "blomberg",
            span: Span::new(&file, 2, 9, 8),
            key: Span::new(&file, 2, 1, 6),
        };
        let d = outlet.error("unknown outlet `blomberg`");
        let loc = d.location.expect("a location");
        assert_eq!((loc.line, loc.column, loc.width), (2, Some(9), 8));
        assert_eq!(loc.source_line.as_deref(), Some("outlet: blomberg"));
        let key = outlet.key_error("x").location.expect("a location");
        assert_eq!((key.column, key.width), (Some(1), 6));
        assert_eq!(Span::line(&file, 1).location().column, None);
    }
}
