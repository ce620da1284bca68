//! Both layers together, as readers meet them: hostile Markdown rendered
//! harmless on every output, prose kept, and the fast path (no ammonia for
//! documents without raw HTML) shown to lose nothing.

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
    assert!(to_text(markdown, 72, Html::AsWritten).contains("[1] javascript:go()"));
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
        let fast = render_events(events, markdown.len(), &[]).html;
        let cleaned = clean(&fast);
        assert_eq!(
            tokens(&fast),
            tokens(&cleaned),
            "ammonia changed what a browser reads of {markdown:?}:\n{fast}\n{cleaned}"
        );
    }
    let raw = HOSTILE
        .iter()
        .filter(|h| h.starts_with('<') && !h.starts_with("<javascript") || h.contains(" <script>"));
    for input in raw {
        assert!(crate::markdown::events(input, Html::Sanitised).1, "{input}");
    }
}
