//! The bodies of stories, entries and issue notes, rendered for the model.
//!
//! Takes a source's Markdown and the site's [`Html`] policy, and returns
//! what the model holds of it: HTML, table of contents and text, and for a
//! story or a note the plain text of the email edition. The rendering of a
//! story or an entry is kept in its source's [`Memo`]: `serve` reuses the
//! sources of unchanged files between rebuilds, and so renders only the
//! files that changed.

use std::borrow::Cow;

use super::EMAIL_TEXT_WIDTH;
use crate::markdown::{self, Html, Rendered};
use crate::source::Memo;

/// A story's explainer or an issue's note, rendered.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub rendered: Rendered,
    /// Plain text wrapped at [`EMAIL_TEXT_WIDTH`], for the plain-text email.
    pub plain: String,
}

/// An entry's summary, rendered as `policy` says.
pub fn entry<'a>(memo: &'a Memo, markdown: &str, policy: Html) -> Cow<'a, Rendered> {
    kept(memo, policy, || markdown::render(markdown, policy))
}

/// A story's explainer, rendered as `policy` says.
pub fn story<'a>(memo: &'a Memo, markdown: &str, policy: Html) -> Cow<'a, Body> {
    kept(memo, policy, || note(markdown, policy))
}

/// An issue's note (the body of `_issue.md`), rendered as `policy` says.
pub fn note(markdown: &str, policy: Html) -> Body {
    Body {
        rendered: markdown::render(markdown, policy),
        plain: markdown::to_text(markdown, EMAIL_TEXT_WIDTH, policy),
    }
}

/// A rendering and the policy it was made under.
struct Kept<T> {
    policy: Html,
    value: T,
}

/// What `make` gives, from `memo` when it was made under `policy` before.
/// A rendering under another policy (the site changed `unsafe_html`
/// without its sources being read again) is not reused.
fn kept<T: Clone + Send + Sync + 'static>(
    memo: &Memo,
    policy: Html,
    make: impl Fn() -> T,
) -> Cow<'_, T> {
    match memo.get_or_init(|| Kept {
        policy,
        value: make(),
    }) {
        Some(kept) if kept.policy == policy => Cow::Borrowed(&kept.value),
        _ => Cow::Owned(make()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A source is rendered once (its memo answers after that), and again
    // under another policy.
    #[test]
    fn renders_once_per_policy() {
        let memo = Memo::default();
        let raw = "<b onclick=\"x()\">b</b>";
        assert_eq!(entry(&memo, raw, Html::Sanitised).html, "<p><b>b</b></p>\n");
        let again = entry(&memo, "not rendered", Html::Sanitised);
        assert!(matches!(again, Cow::Borrowed(_)));
        assert_eq!(again.html, "<p><b>b</b></p>\n");
        let other = entry(&memo, raw, Html::AsWritten);
        assert!(other.html.contains("onclick"), "{}", other.html);
    }
}
