//! What Markdown may put on a page: the one place that decides it.
//!
//! Editors' Markdown reaches readers on pages, in feeds, in the search index
//! and in the email edition, so nothing in it may run a script there. Two
//! layers, both here:
//!
//! - [`filter`] works on pulldown-cmark's events, before anything is
//!   written: a link or image whose URL is not web, mail, relative or a
//!   fragment loses its link (its text stays), an autolink of such a URL
//!   goes whole, heading attributes (`{#id .class key=val}`) keep only `id`
//!   and `class`, and text inside an inline `<script>` or `<style>` is
//!   dropped. The plain text and the email's text are made from these
//!   events, so they carry no such URL either.
//! - [`clean`] runs the written HTML through ammonia with the allow-list
//!   below. It is needed only when the document has raw HTML: without it,
//!   pulldown-cmark writes nothing but its own few tags with escaped
//!   attributes, all of them allowed, and the filtered URLs, which ammonia
//!   would let through too. Skipping it there saves its cost on most
//!   documents (a test checks that such documents come out of ammonia as a
//!   browser read them before).

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};

/// URL schemes a link or image may use; relative URLs and fragments pass too.
const SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Whether a link or image URL, as the browser will read it, is allowed:
/// the same test ammonia makes, so that both layers agree.
pub fn url_allowed(url: &str) -> bool {
    match url::Url::parse(url) {
        Ok(url) => SCHEMES.contains(&url.scheme()),
        Err(url::ParseError::RelativeUrlWithoutBase) => true,
        Err(_) => false,
    }
}

/// Parser events with disallowed URLs, heading attributes and inline
/// script text taken out, and whether any raw HTML is left for [`clean`].
pub struct Filtered<'a> {
    pub events: Vec<Event<'a>>,
    pub raw_html: bool,
}

/// See the module's documentation.
pub fn filter<'a>(events: impl Iterator<Item = Event<'a>>) -> Filtered<'a> {
    let mut out = Vec::new();
    let mut raw_html = false;
    // For each open link and image, whether its start was kept (so is its end).
    let mut links: Vec<bool> = Vec::new();
    let mut images: Vec<bool> = Vec::new();
    // Inside a disallowed autolink, whose text is the URL itself.
    let mut skip_autolink = false;
    // Inside an inline `<script>`/`<style>`: the closing tag that ends it.
    let mut raw_text_until: Option<&'static str> = None;
    for event in events {
        if skip_autolink {
            skip_autolink = !matches!(event, Event::End(TagEnd::Link));
            continue;
        }
        match event {
            Event::Start(Tag::Link {
                link_type,
                ref dest_url,
                ..
            }) => {
                let keep = link_type == LinkType::Email || url_allowed(dest_url);
                if !keep && link_type == LinkType::Autolink {
                    skip_autolink = true;
                    continue;
                }
                links.push(keep);
                if keep {
                    out.push(event);
                }
            }
            Event::End(TagEnd::Link) => {
                if links.pop().unwrap_or(true) {
                    out.push(event);
                }
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                let keep = url_allowed(dest_url);
                images.push(keep);
                if keep {
                    out.push(event);
                }
            }
            Event::End(TagEnd::Image) => {
                if images.pop().unwrap_or(true) {
                    out.push(event);
                }
            }
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => out.push(Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs: Vec::new(),
            })),
            Event::InlineHtml(ref html) => {
                raw_html = true;
                raw_text_until = match raw_text_until {
                    Some(end) if starts_with_tag(html, end) => None,
                    Some(end) => Some(end),
                    None if starts_with_tag(html, "<script") => Some("</script"),
                    None if starts_with_tag(html, "<style") => Some("</style"),
                    None => None,
                };
                out.push(event);
            }
            Event::Html(_) => {
                raw_html = true;
                out.push(event);
            }
            Event::Text(_) | Event::Code(_) if raw_text_until.is_some() => {}
            // Inline HTML never outlives its paragraph, heading or cell.
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell | TagEnd::Item,
            ) => {
                raw_text_until = None;
                out.push(event);
            }
            event => out.push(event),
        }
    }
    Filtered {
        events: out,
        raw_html,
    }
}

/// Whether `html` starts with the tag `name` (`<script`, `</style`), in any case.
fn starts_with_tag(html: &str, name: &str) -> bool {
    html.get(..name.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(name))
        && html[name.len()..]
            .chars()
            .next()
            .is_none_or(|c| c.is_ascii_whitespace() || c == '>' || c == '/')
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{Html, render, render_events, to_text};

    /// One line each: what `render` must not let through.
    const HOSTILE: &[&str] = &[
        "<svg onload=alert(1)><circle r=1 /></svg>",
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        "Inline <script>alert(1)</script> script.",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](&#x6A;avascript&#58;alert(1))",
        "[x](java\\\tscript:alert(1))",
        "[x](<java\tscript:alert(1)>)",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html,<script>alert(1)</script>)",
        "![x](javascript:alert(1))",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
        "<javascript:alert(1)>",
        "## Heading {onclick=alert(1)}",
        "<a href=\"javascript:alert(1)\">a</a>",
        "<a href=\"&#106;avascript:alert(1)\">a</a>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<object data=\"data:text/html,x\"></object>",
        "<embed src=\"javascript:alert(1)\">",
        "<form action=\"javascript:alert(1)\"><input type=submit></form>",
        "<style>body { background: url(javascript:alert(1)) }</style>",
        "<p style=\"background: url(javascript:alert(1))\" onclick=\"alert(1)\">p</p>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
        "<details open ontoggle=alert(1)><summary>s</summary></details>",
    ];

    /// What may not appear in any output, in lower case.
    const FORBIDDEN: &[&str] = &[
        "<script",
        "onerror",
        "onload",
        "onclick",
        "ontoggle",
        "javascript:",
        "vbscript:",
        "<iframe",
        "<object",
        "<embed",
        "<form",
        "<style",
        "style=",
        "data:text/html",
    ];

    fn assert_clean(what: &str, input: &str, output: &str) {
        let lower = output.to_lowercase();
        // A browser decodes entities before it reads a URL.
        let decoded = lower.replace("&#106;", "j").replace("&#x6a;", "j");
        for bad in FORBIDDEN {
            assert!(
                !lower.contains(bad) && !decoded.contains(bad),
                "{what} of {input:?} has `{bad}`: {output}"
            );
        }
    }

    // No script, handler, dangerous URL or style reaches the HTML, the plain
    // text or the email's text.
    #[test]
    fn no_script_survives() {
        for input in HOSTILE {
            let rendered = render(input, Html::Sanitised);
            assert_clean("html", input, &rendered.html);
            assert_clean("text", input, &rendered.text);
            assert_clean("email text", input, &to_text(input, 72, Html::Sanitised));
        }
        let all = HOSTILE.join("\n\n");
        assert_clean("html", &all, &render(&all, Html::Sanitised).html);
    }

    // A disallowed link keeps its text; an autolink of one, whose text is the
    // URL, goes whole; an inline script's text is not text.
    #[test]
    fn what_is_left_of_hostile_markdown() {
        let r = render(
            "[read](javascript:alert(1)) and <javascript:alert(2)> done <script>alert(3)</script>",
            Html::Sanitised,
        );
        assert_eq!(r.html, "<p>read and  done </p>\n");
        assert_eq!(r.text, "read and done");
        let r = render("## Title {#t .big onclick=alert(1)}", Html::Sanitised);
        assert_eq!(r.html, "<h2 id=\"t\" class=\"big\">Title</h2>\n");
    }

    // What editors write survives sanitising, alignment and highlighting included.
    #[test]
    fn prose_survives() {
        let markdown = "\
## Heading {#intro .lead}

*em* **strong** ~~del~~ H<sub>2</sub>O x<sup>2</sup> [rel](../a/) [frag](#intro) [mail](mailto:a@b.example) <a@b.example> [abs](https://a.example/?q=1&r=2 \"T\")

![alt text](https://img.example/a.png \"Title\") <img src=\"/i.png\" alt=\"i\" width=\"20\" height=\"10\" title=\"t\">

| left | centre | right |
|:-----|:------:|------:|
| a    | b      | c     |

> quoted

- [x] done
- [ ] to do

Note[^1].

[^1]: The note.

<details><summary>More</summary><p>Hidden <a href=\"#fnref\">back</a>.</p></details>

```rust
fn main() {}
```
";
        let html = render(markdown, Html::Sanitised).html;
        for kept in [
            "<h2 id=\"intro\" class=\"lead\">Heading</h2>",
            "<em>em</em>",
            "<strong>strong</strong>",
            "<del>del</del>",
            "H<sub>2</sub>O",
            "x<sup>2</sup>",
            "<a href=\"../a/\">rel</a>",
            "<a href=\"#intro\">frag</a>",
            "<a href=\"mailto:a@b.example\">mail</a>",
            "<a href=\"mailto:a@b.example\">a@b.example</a>",
            "<a href=\"https://a.example/?q=1&amp;r=2\" title=\"T\">abs</a>",
            "<img src=\"https://img.example/a.png\" alt=\"alt text\" title=\"Title\">",
            "<img src=\"/i.png\" alt=\"i\" width=\"20\" height=\"10\" title=\"t\">",
            "<th style=\"text-align: left\">left</th>",
            "<th style=\"text-align: center\">centre</th>",
            "<td style=\"text-align: right\">c</td>",
            "<blockquote>",
            "type=\"checkbox\"",
            "checked=\"\"",
            "disabled=\"\"",
            "<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup>",
            "<div class=\"footnote-definition\" id=\"1\">",
            "<details><summary>More</summary>",
            "<a href=\"#fnref\">back</a>",
            "<pre class=\"code\" data-lang=\"rust\" tabindex=\"0\"><code><span class=\"hl-source hl-rust\">",
        ] {
            assert!(html.contains(kept), "`{kept}` missing in:\n{html}");
        }
        // No `rel` is added: outlets see the newsletter as the referrer.
        assert!(!html.contains("rel="), "{html}");
    }

    // With `unsafe_html: true`, raw HTML and URLs stay exactly as written.
    #[test]
    fn as_written_keeps_everything() {
        let markdown = "<div class=\"x\" onclick=\"go()\">raw</div>\n\n[js](javascript:go())\n";
        let html = render(markdown, Html::AsWritten).html;
        assert!(html.contains("<div class=\"x\" onclick=\"go()\">raw</div>"));
        assert!(html.contains("<a href=\"javascript:go()\">js</a>"));
        assert!(to_text(markdown, 72, Html::AsWritten).contains("<javascript:go()>"));
    }

    /// Documents without raw HTML: every construct pulldown-cmark writes,
    /// and URLs at the edges of what is allowed.
    const NO_RAW_HTML: &[&str] = &[
        "# One {#a .b .c key=val}\n## Two\n### Two\n#### `code` & \"quotes\" 1 < 2\n",
        "*a* **b** ~~c~~ `d \"e\" & <f>` \"smart\" 'quotes' -- --- ...",
        "line  \nbreak\\\nagain\n\n***\n\n---\n",
        "[a](https://a.example/p?q=1&r=\"2\"#f 'title \"q\"') [b](/root) [c](rel/ative) [d](#frag) [e](?q) [f](//host.example/x)",
        "[g](mailto:x@y.example) <x@y.example> <https://auto.example/a?b&c> [h](HTTPS://UPPER.example)",
        "[bad](javascript:x) [bad2](tel:123) [bad3](data:image/png;base64,AA) ![img](data:image/png;base64,AA) <ftp://x.example>",
        "[odd](<http://exa mple.com>) [odd2](<a b>) [odd3](http://[::1) [odd4](http://exämple.example/ü) [odd5](%6Aavascript:x)",
        "[odd6](\\ javascript:x) [odd7](&#x20;javascript:x) [odd8](java&#x0A;script:x) [odd9](java&#x09;script:x)",
        "![alt *em* [l](https://x.example)](/i.png \"t\") [![img](/i.png)](https://x.example)",
        "| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n| `|` | **x** | [l](/x) | |\n",
        "- [x] done\n- [ ] todo\n  1. nested\n  2. list\n\n3. starts\n4. at three\n",
        "> quote\n> > nested\n>\n> - item\n",
        "Note[^a] and[^b].\n\n[^a]: First.\n[^b]: Second with `code`.\n",
        "```rust\nfn main() { println!(\"<x> & y\"); }\n```\n\n```\nplain \"text\"\n```\n\n    indented <code>\n",
        "```nosuchlang\n<b id=\"x\">\n```\n\n```js {.x}\nlet a = '<script>';\n```\n",
        "Non\u{a0}breaking &nbsp; &amp; &copy; &#0; \u{0} tab\there <not a tag",
    ];

    /// `html` as a browser's tokenizer reads it: tags with their attributes
    /// sorted, text with entities decoded, comments. Equal tokens make equal
    /// documents.
    fn tokens(html: &str) -> Vec<String> {
        use html5ever::tendril::StrTendril;
        use html5ever::tokenizer::{
            BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
        };
        use std::cell::RefCell;

        #[derive(Default)]
        struct Sink(RefCell<Vec<String>>);
        impl TokenSink for Sink {
            type Handle = ();
            fn process_token(&self, token: Token, _: u64) -> TokenSinkResult<()> {
                let mut out = self.0.borrow_mut();
                let text = match token {
                    Token::TagToken(tag) => {
                        let mut attrs: Vec<String> = tag
                            .attrs
                            .iter()
                            .map(|a| format!("{}={:?}", a.name.local, &*a.value))
                            .collect();
                        attrs.sort();
                        format!("<{:?} {} {}>", tag.kind, tag.name, attrs.join(" "))
                    }
                    Token::CharacterTokens(text) => {
                        // Runs of text come in pieces; join them.
                        if let Some(last) = out.last_mut().filter(|l| l.starts_with('"')) {
                            last.push_str(&text);
                            return TokenSinkResult::Continue;
                        }
                        format!("\"{text}")
                    }
                    Token::CommentToken(text) => format!("<!--{text}-->"),
                    // A raw U+0000 in text, which pulldown-cmark passes on:
                    // the tree builder drops it (ammonia's and browsers').
                    _ => return TokenSinkResult::Continue,
                };
                out.push(text);
                TokenSinkResult::Continue
            }
        }
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(html));
        let tokenizer = Tokenizer::new(Sink::default(), TokenizerOpts::default());
        let _ = tokenizer.feed(&input);
        tokenizer.end();
        tokenizer.sink.0.take()
    }

    // The fast path is safe: a document without raw HTML comes out of ammonia
    // exactly as a browser would read it without ammonia (so skipping it
    // loses nothing), and a document with any raw HTML does not skip it.
    #[test]
    fn documents_without_raw_html_need_no_ammonia() {
        let repository_content = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/content"))
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .flat_map(|day| {
                std::fs::read_dir(day.path())
                    .into_iter()
                    .flatten()
                    .flatten()
            })
            .filter_map(|file| std::fs::read_to_string(file.path()).ok());
        let documents: Vec<String> = NO_RAW_HTML
            .iter()
            .map(|d| d.to_string())
            .chain(std::iter::once(NO_RAW_HTML.join("\n\n")))
            .chain(repository_content)
            .collect();
        for markdown in &documents {
            let (events, raw_html) = crate::markdown::events(markdown, Html::Sanitised);
            assert!(!raw_html, "raw HTML found in {markdown:?}");
            let fast = render_events(events, markdown.len()).html;
            let cleaned = clean(&fast);
            assert_eq!(
                tokens(&fast),
                tokens(&cleaned),
                "ammonia changed what a browser reads of {markdown:?}:\n{fast}\n{cleaned}"
            );
        }
        let raw = HOSTILE.iter().filter(|h| {
            h.starts_with('<') && !h.starts_with("<javascript") || h.contains(" <script>")
        });
        for input in raw {
            assert!(crate::markdown::events(input, Html::Sanitised).1, "{input}");
        }
    }
}
