//! Problems in the user's files, as values.
//!
//! Every stage that finds something wrong with the site (not with the machine:
//! those are `anyhow` errors) returns a [`Diagnostic`] carrying the file, line
//! and column it is about. The CLI sorts them and prints them all with
//! [`Diagnostic::render`], in the shape editors can click and tests can pin:
//!
//! ```text
//! error: unknown outlet `blomberg`
//!  --> content/2026-11-25/bloomberg.md:3:9
//!   |
//! 3 | outlet: blomberg
//!   |         ^^^^^^^^ did you mean `bloomberg`?
//! ```

mod secrets;

use std::fmt::Write as _;

use anstyle::{AnsiColor, Color, Style};
use std::path::{Path, PathBuf};

/// Whether a diagnostic stops the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    /// Probably a mistake; `check --strict` fails on it.
    Warning,
    /// Worth knowing (an issue scheduled, an outlet never cited); never fails.
    Note,
}

impl Severity {
    /// `error`, `warning`, `note`: as printed and in `check --format json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// Where in a file a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Relative to the site root, with `/` separators when printed.
    pub path: PathBuf,
    /// 1-based; 0 when the problem is about the whole file.
    pub line: usize,
    /// 1-based, in characters; `None` when only the line is known.
    pub column: Option<usize>,
    /// How many characters to underline from `column`.
    pub width: usize,
    /// The text of `line`, shown under the location.
    pub source_line: Option<String>,
}

/// The line and column (1-based; the column in characters) of the byte
/// `at` of `text`, which must be at a character boundary.
pub fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

impl Location {
    /// A whole file.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            path: path.into(),
            line: 0,
            column: None,
            width: 0,
            source_line: None,
        }
    }

    /// One line of a file, taken from `text`, the file's whole text.
    pub fn line(path: impl Into<PathBuf>, text: &str, line: usize) -> Self {
        Location {
            path: path.into(),
            line,
            column: None,
            width: 0,
            source_line: nth_line(text, line),
        }
    }

    /// A span of `width` characters at `line`:`column` of a file whose text is `text`.
    pub fn span(
        path: impl Into<PathBuf>,
        text: &str,
        line: usize,
        column: usize,
        width: usize,
    ) -> Self {
        Location {
            path: path.into(),
            line,
            column: Some(column),
            width,
            source_line: nth_line(text, line),
        }
    }
}

fn nth_line(text: &str, line: usize) -> Option<String> {
    let line = line.checked_sub(1)?;
    text.lines()
        .nth(line)
        .map(|l| secrets::masked(l.trim_end_matches('\r')))
}

/// One problem found in the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A name for the kind of problem (`duplicate-url`) that `check.allow`
    /// in `site.yaml` can silence; printed as `warning[duplicate-url]`.
    pub code: Option<&'static str>,
    /// What is wrong, lower case, user values in backticks.
    pub message: String,
    pub location: Option<Location>,
    /// A short note printed beside the underline.
    pub label: Option<String>,
    /// The next step, when we know it.
    pub help: Option<String>,
    /// Further context, e.g. the cause chain of a template error.
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code: None,
            message: message.into(),
            location: None,
            label: None,
            help: None,
            notes: Vec::new(),
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// A diagnostic of any severity; a [`Severity::Note`] is made this way.
    pub fn new(severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            ..Diagnostic::error(message)
        }
    }

    /// Names the kind of problem, see [`Diagnostic::code`].
    pub fn code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// The same diagnostic at another severity.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// The shown line cut after the underlined key, its value masked: for a
    /// key whose value may be a secret (a password written where it does
    /// not belong), which must reach no terminal or CI log.
    pub fn hiding_value(mut self) -> Self {
        if let Some(loc) = self.location.as_mut() {
            loc.source_line = match (loc.source_line.take(), loc.column) {
                (Some(line), Some(column)) => {
                    let key: String = line.chars().take(column - 1 + loc.width).collect();
                    Some(format!("{key}: ********"))
                }
                _ => None,
            };
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The key diagnostics are printed in: by file, then position, errors first.
    fn sort_key(&self) -> (Option<&Path>, usize, usize, Severity, &str) {
        let loc = self.location.as_ref();
        (
            loc.map(|l| l.path.as_path()),
            loc.map_or(0, |l| l.line),
            loc.and_then(|l| l.column).unwrap_or(0),
            self.severity,
            &self.message,
        )
    }

    /// The diagnostic as printed to a terminal, without colour, ending in a newline.
    pub fn render(&self) -> String {
        self.render_styled(&Palette::PLAIN)
    }

    /// The diagnostic in the colours of `palette`, as rustc prints its own:
    /// the kind in its colour, the message bold, the gutter blue.
    pub fn render_styled(&self, palette: &Palette) -> String {
        let mut out = String::new();
        let kind = self.severity.as_str();
        let style = palette.severity(self.severity);
        let bold = palette.message;
        let blue = palette.gutter;
        match self.code {
            Some(code) => {
                let _ = writeln!(
                    out,
                    "{style}{kind}[{code}]{style:#}{bold}: {}{bold:#}",
                    self.message
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "{style}{kind}{style:#}{bold}: {}{bold:#}",
                    self.message
                );
            }
        }
        let Some(loc) = &self.location else {
            self.render_tail(&mut out, "", palette);
            return out;
        };
        let path = display_path(&loc.path);
        // As wide as the line number; one space for a whole-file location.
        let gutter = " ".repeat(loc.line.max(1).to_string().len());
        let arrow = format!("{gutter}{blue}-->{blue:#}");
        match (loc.line, loc.column) {
            (0, _) => {
                let _ = writeln!(out, "{arrow} {path}");
            }
            (line, Some(col)) => {
                let _ = writeln!(out, "{arrow} {path}:{line}:{col}");
            }
            (line, None) => {
                let _ = writeln!(out, "{arrow} {path}:{line}");
            }
        }
        let bar = format!("{gutter} {blue}|{blue:#}");
        if let Some(source) = &loc.source_line {
            let (source, column) = excerpt(source, loc.column);
            let _ = writeln!(out, "{bar}");
            let _ = writeln!(out, "{blue}{}{blue:#} {blue}|{blue:#} {}", loc.line, source);
            let mut marker = String::new();
            if let Some(col) = column {
                // Keep tabs so the caret lines up under tab-indented source.
                marker.extend(
                    source
                        .chars()
                        .take(col.saturating_sub(1))
                        .map(|c| if c == '\t' { '\t' } else { ' ' }),
                );
                let room = source.chars().count().saturating_sub(col - 1).max(1);
                let carets = "^".repeat(loc.width.clamp(1, room));
                let _ = write!(marker, "{style}{carets}{style:#}");
            }
            if let Some(label) = &self.label {
                if !marker.is_empty() {
                    marker.push(' ');
                }
                let _ = write!(marker, "{style}{label}{style:#}");
            }
            if marker.is_empty() {
                let _ = writeln!(out, "{bar}");
            } else {
                let _ = writeln!(out, "{bar} {marker}");
            }
        } else if let Some(label) = &self.label {
            let _ = writeln!(out, "{gutter} {blue}={blue:#} {label}");
        }
        self.render_tail(&mut out, &gutter, palette);
        out
    }

    fn render_tail(&self, out: &mut String, gutter: &str, palette: &Palette) {
        let (blue, bold) = (palette.gutter, palette.message);
        for note in &self.notes {
            let mut lines = note.lines();
            if let Some(first) = lines.next() {
                let _ = writeln!(out, "{gutter} {blue}={blue:#} {bold}note{bold:#}: {first}");
            }
            for line in lines {
                let _ = writeln!(out, "{gutter}         {line}");
            }
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "{gutter} {blue}={blue:#} {bold}help{bold:#}: {help}");
        }
    }
}

/// The styles of a printed diagnostic. [`Palette::PLAIN`] has none; the
/// CLI prints [`Palette::COLOURED`] through `anstream`, which drops the
/// colours when `NO_COLOR` is set or stderr is not a terminal.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub error: Style,
    pub warning: Style,
    pub note: Style,
    /// The message and the words `help` and `note`.
    pub message: Style,
    /// Arrows, bars and line numbers.
    pub gutter: Style,
}

impl Palette {
    pub const PLAIN: Palette = Palette {
        error: Style::new(),
        warning: Style::new(),
        note: Style::new(),
        message: Style::new(),
        gutter: Style::new(),
    };

    pub const COLOURED: Palette = Palette {
        error: Style::new()
            .bold()
            .fg_color(Some(Color::Ansi(AnsiColor::BrightRed))),
        warning: Style::new()
            .bold()
            .fg_color(Some(Color::Ansi(AnsiColor::BrightYellow))),
        note: Style::new()
            .bold()
            .fg_color(Some(Color::Ansi(AnsiColor::BrightGreen))),
        message: Style::new().bold(),
        gutter: Style::new()
            .bold()
            .fg_color(Some(Color::Ansi(AnsiColor::BrightBlue))),
    };

    fn severity(&self, severity: Severity) -> Style {
        match severity {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
            Severity::Note => self.note,
        }
    }
}

/// Characters of a source line a diagnostic quotes: enough to see the
/// mistake, never a whole minified file or a secret-sized blob.
const EXCERPT: usize = 100;

/// At most [`EXCERPT`] characters of `line` around `column`, cut with `…`,
/// and the column within that excerpt. Control characters (a NUL from a
/// binary file) print as `�` so the terminal shows what it quotes.
fn excerpt(line: &str, column: Option<usize>) -> (String, Option<usize>) {
    let chars: Vec<char> = line
        .chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();
    if chars.len() <= EXCERPT {
        return (chars.into_iter().collect(), column);
    }
    let at = column.unwrap_or(1).saturating_sub(1).min(chars.len());
    let start = at.saturating_sub(EXCERPT / 3);
    let end = (start + EXCERPT).min(chars.len());
    let mut text = String::new();
    if start > 0 {
        text.push('…');
    }
    text.extend(&chars[start..end]);
    if end < chars.len() {
        text.push('…');
    }
    let column = column.map(|c| c - start + usize::from(start > 0));
    (text, column)
}

/// Paths print with `/` on every platform, so messages read the same everywhere.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Sorts diagnostics into print order and drops exact duplicates.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

/// The known name nearest to `input`, if it is near enough to be a likely
/// typo, or else the one known name that `input` begins (`example` for
/// `example-news`).
pub fn suggest<'a>(input: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let known: Vec<&str> = known.into_iter().collect();
    let near = known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(input, k), *k))
        .filter(|(d, k)| *d <= (k.chars().count().max(input.chars().count()) / 3).max(1))
        .min()
        .map(|(_, k)| k);
    near.or_else(|| {
        let mut started = known
            .iter()
            .filter(|k| input.len() >= 3 && k.starts_with(input));
        match (started.next(), started.next()) {
            (Some(only), None) => Some(*only),
            _ => None,
        }
    })
}

/// " (did you mean `x`?)" or nothing.
pub fn did_you_mean<'a>(input: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    suggest(input, known).map(|s| format!("did you mean `{s}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The rendering matches the shape documented in STYLE.md, caret under the value.
    #[test]
    fn renders_span_with_label() {
        let text = "---\nheadline: x\noutlet: blomberg\n---\n";
        let d = Diagnostic::error("unknown outlet `blomberg`")
            .at(Location::span("content/a.md", text, 3, 9, 8))
            .label("did you mean `bloomberg`?");
        assert_eq!(
            d.render(),
            "error: unknown outlet `blomberg`\n --> content/a.md:3:9\n  |\n3 | outlet: blomberg\n  |         ^^^^^^^^ did you mean `bloomberg`?\n"
        );
    }

    // A long line is quoted as a short excerpt around the column, caret still under it.
    #[test]
    fn quotes_an_excerpt_of_long_lines() {
        let text = format!("{}BAD{}\n", "a".repeat(5000), "b".repeat(5000));
        let d = Diagnostic::error("x").at(Location::span("f.md", &text, 1, 5001, 3));
        let rendered = d.render();
        assert!(rendered.len() < 400, "{rendered}");
        let quoted = rendered.lines().nth(3).expect("the source line");
        let caret = rendered.lines().nth(4).expect("the caret line");
        let at = |s: &str, needle: &str| s.find(needle).map(|b| s[..b].chars().count());
        assert_eq!(at(quoted, "BAD"), at(caret, "^^^"), "{rendered}");
    }

    // Suggestions catch typos but not unrelated words.
    #[test]
    fn suggests_near_names_only() {
        let known = ["bloomberg", "techmeme", "tnw"];
        assert_eq!(suggest("blomberg", known), Some("bloomberg"));
        assert_eq!(suggest("tmw", known), Some("tnw"));
        assert_eq!(suggest("reuters", known), None);
        assert_eq!(
            suggest("tech", known),
            Some("techmeme"),
            "the one name it begins"
        );
        assert_eq!(suggest("t", known), None, "too short to tell");
    }
}
