//! Fenced code, highlighted by syntect with `hl-` CSS classes.
//!
//! Takes the parser's events and replaces each fenced code block by its
//! highlighted HTML; the colours are not here but in the theme's
//! stylesheet ([`palette`](super::palette)), so one page reads in light and
//! dark schemes.

use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::escape_html;

/// The prefix of every highlighting class, so they cannot clash with a theme's.
pub const HIGHLIGHT_PREFIX: &str = "hl-";

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Replaces each fenced code block by its highlighted HTML.
pub(super) fn highlight_code(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut code: Option<(String, String)> = None;
    for event in events {
        match (&mut code, event) {
            (None, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))) => {
                let lang = info.split([' ', ',', '{']).next().unwrap_or("").to_owned();
                code = Some((lang, String::new()));
            }
            (Some((_, text)), Event::Text(t)) => text.push_str(&t),
            (Some(_), Event::End(TagEnd::CodeBlock)) => {
                if let Some((lang, text)) = code.take() {
                    out.push(Event::Html(CowStr::from(highlight(&lang, &text))));
                }
            }
            (_, event) => out.push(event),
        }
    }
    out
}

/// `<pre class="code" data-lang="…"><code>…</code></pre>` with `hl-` spans.
pub fn highlight(lang: &str, code: &str) -> String {
    let syntaxes = &*SYNTAXES;
    let syntax = (!lang.is_empty())
        .then(|| syntaxes.find_syntax_by_token(lang))
        .flatten();
    let body = match syntax {
        Some(syntax) => {
            let mut generator = ClassedHTMLGenerator::new_with_class_style(
                syntax,
                syntaxes,
                ClassStyle::SpacedPrefixed {
                    prefix: HIGHLIGHT_PREFIX,
                },
            );
            let ok = LinesWithEndings::from(code).all(|line| {
                generator
                    .parse_html_for_line_which_includes_newline(line)
                    .is_ok()
            });
            if ok {
                generator.finalize()
            } else {
                escape_html(code)
            }
        }
        None => escape_html(code),
    };
    let lang_attr = if lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{}\"", escape_html(lang))
    };
    // tabindex: a block that scrolls sideways must be reachable by keyboard.
    format!("<pre class=\"code\"{lang_attr} tabindex=\"0\"><code>{body}</code></pre>\n")
}

#[cfg(test)]
mod tests {
    use crate::markdown::{Html, render};

    // Fenced code is highlighted with prefixed classes; unknown languages stay plain.
    #[test]
    fn code_is_highlighted_with_classes() {
        let r = render("```rust\nfn main() {}\n```\n", Html::Sanitised);
        assert!(r.html.starts_with(
            "<pre class=\"code\" data-lang=\"rust\" tabindex=\"0\"><code><span class=\"hl-source hl-rust\">"
        ));
        let r = render("```nosuchlang\n<b>\n```\n", Html::Sanitised);
        assert!(r.html.contains("<code>&lt;b&gt;\n</code>"));
    }
}
