//! The second layer: written HTML through ammonia, with the allow-list of
//! prose.
//!
//! Takes the HTML of a document that has raw HTML in it and returns it with
//! every tag, attribute and URL outside the list below removed.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

use super::SCHEMES;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    // ammonia's defaults are the tags of prose (emphasis, lists, tables,
    // images, blockquotes, `sup`/`sub`, `details`/`summary`, ...) without
    // script, iframe, object, embed, form, style, svg or math. Task lists
    // add a checkbox; any other `input` becomes one too.
    builder
        .add_tags(["input"])
        .add_clean_content_tags([
            // Removed with what they hold: code, the raw text of an element
            // that is not there, or the controls of a form; never prose.
            "iframe", "noscript", "noembed", "noframes", "template", "svg", "math", "form",
        ])
        // No `style` attribute, no `on…` handler: only what is named here.
        .generic_attributes(HashSet::from(["id", "class", "title", "lang"]))
        // One attribute set, no more: ammonia keeps them in a hash map, so
        // two would come out in an order that changes from run to run.
        .add_tag_attributes("input", ["checked", "disabled"])
        .set_tag_attribute_value("input", "type", "checkbox")
        .add_tag_attributes("details", ["open"])
        // Our highlighted code: a block that scrolls sideways must be
        // reachable by keyboard, and says its language.
        .add_tag_attributes("pre", ["data-lang"])
        .add_tag_attribute_values("pre", "tabindex", ["0"])
        // Table alignment, as pulldown-cmark writes it; `attribute_filter`
        // below allows nothing else in it.
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("th" | "td", "style") => matches!(
                value,
                "text-align: left" | "text-align: center" | "text-align: right"
            )
            .then_some(Cow::Borrowed(value)),
            _ => Some(Cow::Borrowed(value)),
        })
        .url_schemes(HashSet::from(SCHEMES))
        .url_relative(ammonia::UrlRelative::PassThrough)
        // No `rel="noopener noreferrer"`: outbound links keep the referrer,
        // so the outlets a newsletter sends readers to see where they came
        // from; and no link opens a window (`target` is not allowed), which
        // is all `noopener` guards against.
        .link_rel(None);
    builder
});

/// `html` with everything outside the allow-list removed.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}
