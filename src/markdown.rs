//! Markdown -> HTML, a table of contents and plain text.
//!
//! CommonMark plus tables, footnotes, strikethrough, task lists and smart
//! punctuation (pulldown-cmark). Our passes over its events: what is not safe
//! for readers goes ([`sanitise`], unless the site says `unsafe_html: true`),
//! headings get unique ids (for links and the table of contents), and fenced
//! code is highlighted by syntect with `hl-` CSS classes (the theme ships the
//! colours). Every pass is linear in the length of the document.

mod rewrite;
pub mod sanitise;

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

pub use rewrite::{Part, rewrite};

/// The prefix of every highlighting class, so they cannot clash with a theme's.
pub const HIGHLIGHT_PREFIX: &str = "hl-";

/// What of an editor's Markdown reaches readers.
///
/// A parameter of every rendering rather than a global setting, so that a
/// caller that must not trust its Markdown (content fetched from elsewhere)
/// passes [`Html::Sanitised`] whatever the site's setting says.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Html {
    /// Raw HTML cleaned to what prose needs, link and image URLs limited to
    /// `http`, `https`, `mailto`, relative ones and fragments, heading
    /// attributes to `id` and `class` (see [`sanitise`]). The default.
    #[default]
    Sanitised,
    /// Everything as written: `unsafe_html: true` in `site.yaml`, for a
    /// site whose every editor is trusted.
    AsWritten,
}

/// A heading, for a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A rendered Markdown document.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<Heading>,
    /// The text alone, whitespace collapsed, for summaries and descriptions.
    pub text: String,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The parser's events for `markdown`, filtered as `policy` says, and
/// whether raw HTML is left in them that still needs [`sanitise::clean`].
fn events(markdown: &str, policy: Html) -> (Vec<Event<'_>>, bool) {
    let parser = Parser::new_ext(markdown, options());
    match policy {
        Html::Sanitised => {
            let filtered = sanitise::filter(parser);
            (filtered.events, filtered.raw_html)
        }
        Html::AsWritten => (parser.collect(), false),
    }
}

/// Renders `markdown` to HTML, its table of contents and its text.
pub fn render(markdown: &str, policy: Html) -> Rendered {
    let (events, raw_html) = events(markdown, policy);
    let mut rendered = render_events(events, markdown.len());
    if raw_html {
        rendered.html = sanitise::clean(&rendered.html);
    }
    rendered
}

/// Our passes over `events` and pulldown-cmark's HTML writer.
fn render_events(mut events: Vec<Event<'_>>, size: usize) -> Rendered {
    let toc = assign_heading_ids(&mut events);
    let text = plain_text(&events);
    let events = highlight_code(events);
    let mut html = String::with_capacity(size * 3 / 2);
    html::push_html(&mut html, events.into_iter());
    Rendered { html, toc, text }
}

/// Gives every heading an id (its text as a slug, made unique) unless it has one.
fn assign_heading_ids(events: &mut [Event<'_>]) -> Vec<Heading> {
    let mut toc = Vec::new();
    let mut taken: HashSet<String> = HashSet::new();
    // For each slug, the suffix to try next: the lowest free one only grows,
    // so a run of equal headings costs one step each, not one per earlier one.
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[i] else {
            i += 1;
            continue;
        };
        let (level, explicit) = (*level as u8, id.clone());
        let mut title = String::new();
        let mut end = i + 1;
        while end < events.len() && !matches!(events[end], Event::End(TagEnd::Heading(_))) {
            if let Event::Text(t) | Event::Code(t) = &events[end] {
                title.push_str(t);
            }
            end += 1;
        }
        let id = match explicit {
            Some(id) => id.to_string(),
            None => {
                let base = match crate::slug::slugify(&title) {
                    s if s.is_empty() => "section".to_owned(),
                    s => s,
                };
                if taken.contains(&base) {
                    let n = next_suffix.entry(base.clone()).or_insert(1);
                    while taken.contains(&format!("{base}-{n}")) {
                        *n += 1;
                    }
                    let id = format!("{base}-{n}");
                    *n += 1;
                    id
                } else {
                    base
                }
            }
        };
        if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
            *slot = Some(CowStr::from(id.clone()));
        }
        taken.insert(id.clone());
        toc.push(Heading { level, id, title });
        i = end + 1;
    }
    toc
}

fn plain_text(events: &[Event<'_>]) -> String {
    let mut raw = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => raw.push_str(t),
            Event::SoftBreak | Event::HardBreak => raw.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::FootnoteDefinition,
            ) => raw.push(' '),
            _ => {}
        }
    }
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `markdown` as plain text for the plain-text email: paragraphs apart,
/// headings in capitals, list items with `-`, links as `text <url>`, code
/// indented, everything else wrapped at `width` columns. Links are those
/// that [`render`] keeps under `policy`.
pub fn to_text(markdown: &str, width: usize, policy: Html) -> String {
    let mut blocks: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut heading_start = 0;
    let mut code = false;
    let mut link: Vec<String> = Vec::new();
    let flush = |current: &mut String, blocks: &mut Vec<String>| {
        let block = current.trim().to_owned();
        if !block.is_empty() {
            blocks.push(block);
        }
        current.clear();
    };
    for event in events(markdown, policy).0 {
        match event {
            Event::Start(Tag::Heading { .. }) => heading_start = current.len(),
            Event::End(TagEnd::Heading(_)) => {
                let heading = current.split_off(heading_start.min(current.len()));
                current.push_str(&heading.to_uppercase());
                flush(&mut current, &mut blocks);
            }
            Event::Start(Tag::Item) => current.push_str("- "),
            Event::Start(Tag::CodeBlock(_)) => code = true,
            Event::End(TagEnd::CodeBlock) => {
                code = false;
                let indented: Vec<String> = current.lines().map(|l| format!("    {l}")).collect();
                blocks.push(indented.join("\n"));
                current.clear();
            }
            Event::Start(Tag::Link { dest_url, .. }) => link.push(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = link.pop() {
                    current.push_str(&format!(" <{url}>"));
                }
            }
            Event::Text(t) | Event::Code(t) => current.push_str(&t),
            Event::SoftBreak | Event::HardBreak => current.push(if code { '\n' } else { ' ' }),
            // List items stay together, one a line; the list is one block.
            Event::End(TagEnd::Item) => current.push('\n'),
            Event::End(TagEnd::Paragraph) if current.starts_with("- ") => {}
            Event::End(TagEnd::Paragraph | TagEnd::List(_) | TagEnd::BlockQuote(_)) => {
                flush(&mut current, &mut blocks)
            }
            _ => {}
        }
    }
    flush(&mut current, &mut blocks);
    blocks
        .iter()
        .map(|block| {
            if block.starts_with("    ") {
                block.clone()
            } else {
                wrap(block, width)
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// `text` with its lines broken at spaces to fit `width` columns; blank
/// lines (paragraphs) are kept, a line starting with `- ` gets a hanging indent.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width.max(1));
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let indent = if line.starts_with("- ") { "  " } else { "" };
        let mut column = 0;
        for (j, word) in line.split(' ').filter(|w| !w.is_empty()).enumerate() {
            let len = word.chars().count();
            if j > 0 && column + 1 + len > width {
                out.push('\n');
                out.push_str(indent);
                column = indent.len();
            } else if j > 0 {
                out.push(' ');
                column += 1;
            }
            out.push_str(word);
            column += len;
        }
    }
    out
}

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Replaces each fenced code block by its highlighted HTML.
fn highlight_code(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
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

/// Backgrounds the default theme draws code on, light and dark.
const CODE_BACKGROUNDS: [[u8; 3]; 2] = [[0xf4, 0xf2, 0xee], [0x1f, 0x21, 0x25]];

/// The stylesheet for highlighted code: a light palette and a dark one, each
/// for its `prefers-color-scheme`, with every colour moved just far enough to
/// reach WCAG AA contrast (4.5:1) on the theme's code background. Themes ship
/// it as `static/highlight.css`.
pub fn highlight_css() -> String {
    let scheme = |name: &str, css: String| {
        let body: Vec<String> = css.lines().map(|line| format!("  {line}")).collect();
        format!(
            "@media (prefers-color-scheme: {name}) {{\n{}\n}}\n",
            body.join("\n")
        )
    };
    format!(
        "/* Code highlighting by syntect, made by `gazette::markdown::highlight_css`. */\n{}{}",
        scheme("light", highlight_palette_light()),
        scheme("dark", palette("base16-ocean.dark", CODE_BACKGROUNDS[1])),
    )
}

/// The light palette alone: the email edition inlines it.
pub fn highlight_palette_light() -> String {
    palette("InspiredGitHub", CODE_BACKGROUNDS[0])
}

/// The rules of a syntect theme for our classes, readable on `background`.
fn palette(theme: &str, background: [u8; 3]) -> String {
    use syntect::highlighting::ThemeSet;
    use syntect::html::css_for_theme_with_class_style;
    let themes = ThemeSet::load_defaults();
    let style = ClassStyle::SpacedPrefixed {
        prefix: HIGHLIGHT_PREFIX,
    };
    let css = themes
        .themes
        .get(theme)
        .and_then(|theme| css_for_theme_with_class_style(theme, style).ok())
        .unwrap_or_default();
    css.lines()
        // The theme's own page background is not ours to set.
        .filter(|line| !line.trim_start().starts_with("background-color"))
        .map(|line| readable_color(line, background))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A CSS line `color: #rrggbb;` with the colour given enough contrast.
fn readable_color(line: &str, background: [u8; 3]) -> String {
    let Some(hex) = line
        .trim()
        .strip_prefix("color: #")
        .and_then(|r| r.strip_suffix(';'))
    else {
        return line.to_owned();
    };
    let Some(mut rgb) = parse_hex(hex) else {
        return line.to_owned();
    };
    let toward: f64 = if luminance(background) > 0.5 {
        0.0
    } else {
        255.0
    };
    while contrast(rgb, background) < 4.6 {
        rgb = rgb.map(|c| (f64::from(c) + (toward - f64::from(c)) * 0.05).round() as u8);
    }
    format!("color: #{:02x}{:02x}{:02x};", rgb[0], rgb[1], rgb[2])
}

fn parse_hex(hex: &str) -> Option<[u8; 3]> {
    let byte = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
    };
    (hex.len() >= 6)
        .then(|| Some([byte(0)?, byte(2)?, byte(4)?]))
        .flatten()
}

/// WCAG relative luminance.
fn luminance(rgb: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
}

fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Rendered HTML made to sit under a heading of its own, as a story does
/// inside an issue: headings one level down (`h2` -> `h3`, `h6` stays),
/// and ids and in-page links prefixed with `prefix` so that several stories
/// on one page keep unique anchors.
pub fn nest(html: &str, prefix: &str) -> String {
    rewrite(html, |part| match part {
        Part::Name { name, .. } => {
            let level = name.strip_prefix(['h', 'H'])?.parse::<u8>().ok()?;
            (1..=5).contains(&level).then(|| format!("h{}", level + 1))
        }
        Part::Value {
            attribute: "id",
            value,
            ..
        } => Some(format!("{prefix}{value}")),
        Part::Value {
            attribute: "href",
            value,
            ..
        } => value
            .strip_prefix('#')
            .map(|fragment| format!("#{prefix}{fragment}")),
        Part::Value { .. } => None,
    })
}

/// `text` cut to at most `limit` characters at a word boundary, with "…";
/// unchanged when it fits or `limit` is 0.
pub fn truncate(text: &str, limit: usize) -> String {
    // Only the first `limit` characters are looked at, however long the text.
    let cut = match text.char_indices().nth(limit) {
        Some((end, _)) if limit > 0 => &text[..end],
        _ => return text.to_owned(),
    };
    let cut = match cut.rfind(char::is_whitespace) {
        Some(space) if space > cut.len() / 2 => &cut[..space],
        _ => cut,
    };
    format!(
        "{}…",
        cut.trim_end_matches(|c: char| c.is_whitespace() || ",;:-–—".contains(c))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // Headings get slug ids, made unique, and fill the table of contents.
    #[test]
    fn heading_ids_are_unique() {
        let r = render(
            "## What happened\ntext\n## What happened\n### The `Context` {#ctx}\n",
            Html::Sanitised,
        );
        assert!(
            r.html
                .contains("<h2 id=\"what-happened\">What happened</h2>")
        );
        assert!(r.html.contains("<h2 id=\"what-happened-1\">"));
        assert!(r.html.contains("<h3 id=\"ctx\">"));
        assert_eq!(r.toc[2].title, "The Context");
        assert_eq!(r.toc.len(), 3);
    }

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

    // The extensions users write are on: tables, footnotes, strikethrough, tasks, smart quotes.
    #[test]
    fn extensions_are_enabled() {
        let r = render(
            "| a |\n|---|\n| b |\n\n~~x~~ \"q\" it's[^1]\n\n- [x] done\n\n[^1]: note\n",
            Html::Sanitised,
        );
        for needle in [
            "<table>",
            "<del>x</del>",
            "“q”",
            "it’s",
            "footnote-definition",
            "checkbox",
        ] {
            assert!(r.html.contains(needle), "{needle} missing in {}", r.html);
        }
    }

    // Plain text joins words across lines and markup.
    #[test]
    fn plain_text_is_flat() {
        let r = render("Hello *big*\nworld.\n\nNext `code` here.", Html::Sanitised);
        assert_eq!(r.text, "Hello big world. Next code here.");
    }

    // The theme's highlight.css has the classes the highlighter writes.
    // Regenerate it with `GAZETTE_BLESS=1 cargo test highlight_css`.
    #[test]
    fn theme_ships_current_highlight_css() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/static/highlight.css"
        );
        let css = highlight_css();
        assert!(css.contains(".hl-keyword"));
        if std::env::var_os("GAZETTE_BLESS").is_some() {
            std::fs::write(path, &css).expect("write highlight.css");
        }
        let shipped = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            shipped == css,
            "themes/default/static/highlight.css is stale: run GAZETTE_BLESS=1 cargo test highlight_css"
        );
    }

    // Every colour of the shipped palettes reads at AA contrast on its background.
    #[test]
    fn highlight_colours_have_contrast() {
        let css = highlight_css();
        let (light, dark) = css
            .split_once("prefers-color-scheme: dark")
            .expect("two schemes");
        for (part, background) in [(light, CODE_BACKGROUNDS[0]), (dark, CODE_BACKGROUNDS[1])] {
            for hex in part
                .lines()
                .filter_map(|l| l.trim().strip_prefix("color: #"))
            {
                let rgb = parse_hex(hex).expect("a colour");
                assert!(contrast(rgb, background) >= 4.5, "#{hex} is too faint");
            }
        }
    }

    // Plain text keeps paragraphs, capitalises headings and wraps lines.
    #[test]
    fn text_for_email() {
        let text = to_text(
            "## What happened\n\nA [link](https://a.example/) here and a rather long sentence that goes on.\n\n- one\n- two\n\n```\ncode line\n```\n",
            30,
            Html::Sanitised,
        );
        assert_eq!(
            text,
            "WHAT HAPPENED\n\nA link <https://a.example/>\nhere and a rather long\nsentence that goes on.\n\n- one\n- two\n\n    code line"
        );
    }

    // Nested content: headings down a level, anchors prefixed.
    #[test]
    fn nests_under_a_heading() {
        let html = render("## A\n\n### B\n\n[to A](#a)\n", Html::Sanitised).html;
        assert_eq!(
            nest(&html, "s--"),
            "<h3 id=\"s--a\">A</h3>\n<h4 id=\"s--b\">B</h4>\n<p><a href=\"#s--a\">to A</a></p>\n"
        );
    }

    // Nesting rewrites tags only: text that looks like an attribute, as the
    // sanitiser's serialiser leaves it in code, stays as written.
    #[test]
    fn nests_tags_not_text() {
        let html = render(
            "## A\n\n`<a id=\"x\" href=\"#y\">` <span id=\"z\">raw</span>\n",
            Html::Sanitised,
        )
        .html;
        assert_eq!(
            nest(&html, "s--"),
            "<h3 id=\"s--a\">A</h3>\n<p><code>&lt;a id=\"x\" href=\"#y\"&gt;</code> <span id=\"s--z\">raw</span></p>\n"
        );
    }

    // Ids are made unique as before (the lowest free suffix), and a run of
    // equal headings costs one step each: 5,000 of them would take minutes
    // with a list of taken ids searched from suffix 1 every time.
    #[test]
    fn heading_ids_in_linear_time() {
        let r = render("# A\n# A\n# A 1\n# A\n# B {#a-3}\n# A\n", Html::Sanitised);
        let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-1", "a-1-1", "a-2", "a-3", "a-4"]);
        let markdown = "## Same\n\n".repeat(5000);
        let r = render(&markdown, Html::Sanitised);
        assert_eq!(r.toc.len(), 5000);
        assert_eq!(r.toc[4999].id, "same-4999");
    }

    // Headings in a list are capitalised alone, not the items before them.
    #[test]
    fn text_capitalises_only_headings() {
        let text = to_text("- one\n- ## two\n", 72, Html::Sanitised);
        assert_eq!(text, "- one\n- TWO");
    }

    // Truncation cuts at a word and adds one ellipsis.
    #[test]
    fn truncates_at_words() {
        assert_eq!(truncate("one two three", 9), "one two…");
        assert_eq!(truncate("one two", 0), "one two");
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("exactly ten", 11), "exactly ten");
        assert_eq!(truncate("déjà vu encore", 8), "déjà vu…");
    }
}
