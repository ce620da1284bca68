use super::*;

/// What pulldown-cmark (the site's renderer) makes of `markdown`, with
/// raw HTML allowed through, so that any left in the summary would show.
fn rendered(markdown: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::all());
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    html
}

// Entities decoded, paragraphs and lists kept, links as Markdown links;
// scripts, styles, frames, images and a tracking pixel gone.
#[test]
fn html_becomes_clean_markdown() {
    let html = r#"<p>Apple&#8217;s M6 &amp; the&nbsp;race. <a href="https://a.example/x?y=1&amp;z=2">Read</a>.</p>
<script>alert(1)</script><style>p{}</style><iframe src="https://v.example/"></iframe>
<ul><li>One</li><li><p>Two</p></li></ul><ol><li>First</li><li>Second</li></ol>
<img src="https://pixel.example/t.gif" width="1" height="1" alt="pixel"><p>  Last
  words  </p>"#;
    assert_eq!(
        from_html(html, None),
        "Apple’s M6 & the race. [Read](<https://a.example/x?y=1&z=2>).\n\n- One\n- Two\n\n1. First\n2. Second\n\nLast words"
    );
}

// Relative links resolve against the item's address; without one, and for
// any scheme but http(s), the link goes and its text stays.
#[test]
fn only_web_links_stay_links() {
    let base = url::Url::parse("https://news.example/2026/11/item").ok();
    let html = r#"<a href="/about">About</a> <a href="javascript:alert(1)">js</a> <a href="data:text/html,x">data</a> <a href="mailto:a@b.c">mail</a>"#;
    assert_eq!(
        from_html(html, base.as_ref()),
        "[About](<https://news.example/about>) js data mail"
    );
    assert_eq!(from_html(html, None), "About js data mail");
}

// Text that looks like Markdown or HTML stays text: nothing the feed sends
// reaches the page as a tag, an image, a link or a heading.
#[test]
fn markup_in_text_is_escaped() {
    let hostile = [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&lt;img src=x onerror=alert(1)&gt;",
        "![x](https://evil.example/p.gif)",
        "[click](javascript:alert(1))",
        "# Heading",
        "- item",
        "1. item",
        "---",
        "`code` *em* _em_ ~~del~~ | a | b |",
        "&amp;lt;b&amp;gt; and &amp;copy;",
        "&lt;https://autolink.example&gt;",
        "back\\slash\\",
        "Wow!<a href=\"https://a.example/\">pic</a>",
    ];
    for text in hostile {
        let markdown = from_html(&format!("<p>{text}</p>"), None);
        let html = rendered(&markdown);
        for bad in [
            "<script",
            "<img",
            "<h1",
            "<li",
            "<hr",
            "<code",
            "<em",
            "<del",
            "<table",
            "href=\"javascript",
            "href=\"https://evil",
            "href=\"https://autolink",
        ] {
            assert!(!html.contains(bad), "{text:?} -> {markdown:?} -> {html}");
        }
    }
    let markdown = from_html("<p>&amp;copy; 1 &lt; 2</p>", None);
    assert_eq!(rendered(&markdown), "<p>&amp;copy; 1 &lt; 2</p>\n");
    let markdown = from_html("<p>Wow!<a href=\"https://a.example/\">pic</a></p>", None);
    assert_eq!(
        rendered(&markdown),
        "<p>Wow!<a href=\"https://a.example/\">pic</a></p>\n"
    );
}

// A long summary is cut at a word, with "…", within the limit.
#[test]
fn long_summaries_are_cut_at_a_word() {
    let html = format!("<p>{}</p><p>never shown</p>", "word ".repeat(400));
    let markdown = from_html(&html, None);
    assert!(markdown.ends_with("word…"), "{markdown}");
    assert!(markdown.chars().count() <= MAX_CHARS + 1);
    assert!(!markdown.contains("never"));
    let text = format!("{}, and more", "a".repeat(MAX_CHARS - 3));
    assert!(from_text(&text).ends_with("a…"));
}

// Line breaks: one is a hard break, two part paragraphs.
#[test]
fn breaks() {
    assert_eq!(from_html("a<br>b<br><br>c<br>", None), "a\\\nb\n\nc");
    assert_eq!(from_html("<p><br>- x</p>", None), "\\- x");
}

// Plain text keeps its paragraphs and is escaped like text from HTML.
#[test]
fn plain_text_summaries() {
    assert_eq!(
        from_text("The *one*:\n<b>x</b>\r\n\r\n2026. A year"),
        "The \\*one\\*: \\<b\\>x\\</b\\>\n\n2026\\. A year"
    );
}

// Headlines: HTML titles lose their tags, whitespace and controls go, and a
// long one is cut.
#[test]
fn headlines() {
    assert_eq!(
        headline_from_html("Google&#8217;s <em>Gemini</em>\n 4 <script>x</script>"),
        "Google’s Gemini 4"
    );
    assert_eq!(headline("  a\u{0}b\tc\u{202E}d  "), "ab cd");
    let long = headline(&"word ".repeat(100));
    assert!(long.ends_with('…') && long.chars().count() <= MAX_HEADLINE + 1);
}
