//! Plain text broken into lines of a width, as the plain-text email and
//! the `wrap` filter write it: at spaces, and between the characters of
//! Chinese and Japanese, which have none; by the columns a terminal shows.

/// `text` with its lines broken at spaces to fit `width` columns (and
/// between the characters of Chinese and Japanese, which has none), as
/// wide as a terminal shows them; blank lines (paragraphs) and the
/// indentation a line starts with are kept, and a list item (`- `, `2. `)
/// gets a hanging indent under its text.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width.max(1));
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let body = line.trim_start_matches(' ');
        let lead = line.len() - body.len();
        let mut wrapped = Wrapped {
            out: &mut out,
            column: 0,
            lead: &line[..lead],
            hang: lead + marker_width(body),
            width,
        };
        // Most lines are ASCII: a word is then one piece, a byte a column.
        let ascii = body.is_ascii();
        for word in body.split(' ').filter(|w| !w.is_empty()) {
            if ascii {
                wrapped.place(word, word.len(), true);
            } else {
                for (k, (unit, len)) in units(word).enumerate() {
                    wrapped.place(unit, len, k == 0);
                }
            }
        }
    }
    out
}

/// A line being wrapped by [`wrap`].
struct Wrapped<'a> {
    out: &'a mut String,
    /// The column the line's text has reached; 0 before its first piece.
    column: usize,
    /// The indentation the line starts with.
    lead: &'a str,
    /// The column a line it runs on to starts at.
    hang: usize,
    width: usize,
}

impl Wrapped<'_> {
    /// Places `piece`, `len` columns wide, after a space when `spaced`
    /// (a new word) or straight after the last (a character of CJK), or
    /// on a new line when it does not fit.
    #[inline]
    fn place(&mut self, piece: &str, len: usize, spaced: bool) {
        let gap = usize::from(spaced);
        if self.column == 0 {
            self.out.push_str(self.lead);
            self.column = self.lead.len();
        } else if self.column + gap + len > self.width {
            self.out.push('\n');
            self.out.extend(std::iter::repeat_n(' ', self.hang));
            self.column = self.hang;
        } else if spaced {
            self.out.push(' ');
            self.column += 1;
        }
        self.out.push_str(piece);
        self.column += len;
    }
}

/// The pieces of `word` a line may break between, with their widths: the
/// word whole, unless it holds wide characters (CJK), each of which is a
/// piece, closing punctuation kept with the character before it and
/// opening punctuation with the one after (as Japanese typesetting asks).
fn units(word: &str) -> impl Iterator<Item = (&str, usize)> {
    use unicode_width::UnicodeWidthChar as _;
    let ascii = word.is_ascii();
    let mut rest = word;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if ascii {
            let all = std::mem::take(&mut rest);
            return Some((all, all.len()));
        }
        let mut end = 0;
        let mut len = 0;
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let w = c.width().unwrap_or(0);
            end = i + c.len_utf8();
            len += w;
            let opening = "「『（【〔《〈“‘".contains(c);
            let next = chars.peek().map(|&(_, n)| n);
            let closing_next =
                next.is_some_and(|n| "、。，．・：；？！ー」』）】〕》〉”’…".contains(n));
            let wide_next = next.is_some_and(|n| n.width().unwrap_or(0) == 2);
            // A break after a wide character, or before one, unless the
            // punctuation around it forbids it.
            if !opening && !closing_next && (w == 2 || wide_next) {
                break;
            }
        }
        let (unit, tail) = rest.split_at(end);
        rest = tail;
        Some((unit, len))
    })
}

/// The width of the list marker `line` starts with (`- `, `12. `), or 0.
fn marker_width(line: &str) -> usize {
    if line.starts_with("- ") {
        return 2;
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    match digits > 0 && line[digits..].starts_with(". ") {
        true => digits + 2,
        false => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Chinese and Japanese break between characters, each two columns
    // wide, never before a closing mark nor after an opening one; a list
    // item hangs under its text; indentation is kept.
    #[test]
    fn wraps_by_columns_and_hangs_items() {
        let text = "規制当局は本日「新しいモデル」を承認した。詳細は明日発表される。";
        let cjk = wrap(text, 20);
        for line in cjk.lines() {
            assert!(unicode_width::UnicodeWidthStr::width(line) <= 20, "{cjk}");
            assert!(
                !line.starts_with(['。', '」']) && !line.ends_with('「'),
                "{cjk}"
            );
        }
        assert_eq!(cjk.replace('\n', ""), text);
        assert_eq!(wrap("Tokyo 東京 café", 72), "Tokyo 東京 café");
        assert_eq!(
            wrap("12. one two three\n   - four five six", 12),
            "12. one two\n    three\n   - four\n     five\n     six"
        );
    }
}
