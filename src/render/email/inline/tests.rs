use super::*;

/// What css-inline's serializer makes of `html` (the tree html5ever
/// builds, written back), each tag's attributes sorted: both ways'
/// output is compared through it. (It moves an element's last attribute
/// to where `class` was, each time it reads it.)
fn normal(html: &str) -> String {
    let html = css_inline(html, None).expect("css-inline reads what it wrote");
    let doc = Document::read(&html).expect("css-inline writes a document");
    let mut out = String::new();
    let mut copied = 0;
    for tag in doc.tags.iter().filter(|t| !t.closing) {
        let mut attributes: Vec<&str> = doc.attributes[tag.attributes.clone()]
            .iter()
            .map(|a| &html[a.span.clone()])
            .collect();
        attributes.sort_unstable();
        out.push_str(&html[copied..tag.start]);
        out.push('<');
        out.push_str(&html[tag.name.clone()]);
        for attribute in attributes {
            out.push(' ');
            out.push_str(attribute);
        }
        out.push('>');
        copied = tag.end;
    }
    out.push_str(&html[copied..]);
    out
}

fn both(html: &str, extra_css: Option<&str>) -> (Option<String>, String) {
    let fast = fast(html, extra_css, None).map(|f| normal(&f));
    let slow = normal(&css_inline(html, extra_css).expect("css-inline inlines"));
    (fast, slow)
}

/// The `<style>` block of the default theme's `email.html`.
fn theme_css() -> String {
    let template = include_str!("../../../../themes/default/templates/email.html");
    let start = template.find("  <style>\n").expect("a style block") + 9;
    let end = start + template[start..].find("</style>").expect("its end");
    template[start..end].to_owned()
}

// The default theme's stylesheet, the code palette after it, over
// markup like an email's (prose from Markdown, cards, a table, an own
// `style`, void elements): the same `style` attributes as css-inline's,
// in its order, with the `<style>` blocks gone and the Outlook one in
// its comment kept.
#[test]
fn the_default_theme_inlined_as_css_inline_does() {
    let palette = crate::markdown::highlight_palette_light();
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A &amp; B</title>
<style>{}</style>
<!--[if mso]><style>.preheader {{ display: none !important; }}</style><![endif]-->
</head><body>
<div class="preheader" aria-hidden="true">Hi &#847;&zwnj;&nbsp;</div>
<table role="presentation" class="outer"><tr><td class="outer__cell">
<table class="container" width="600"><tr><td class="cell cell--first">
<p class="kicker">Nov 25</p><h1 class="title">Title</h1>
<div class="note"><p>A <a href="/x">link</a></p><ul><li>one</li></ul><p class="note__by">— Ed</p></div>
<div class="prose"><h2 id="what">What</h2><p>Text <code>x</code><sup>1</sup></p>
<pre class="hl-code"><code><span class="hl-keyword">fn</span> main() {{}}</code></pre>
<blockquote><p>Quote</p></blockquote><table><thead><tr><th>A</th></tr></thead><tbody><tr><td style="color: red; padding:1px">1</td></tr></tbody></table>
<hr><ol><li>a</li><li>b</li></ol><div class="footnote-definition"><p>Note</p></div></div>
<table class="card"><tr><td class="card__cell"><p class="card__kicker">Tag</p><h3 class="card__title"><a class="card__link" href="https://e.com/?a=1&amp;b=2">Head</a></h3><br/><img src="x.png" alt=""></td></tr></table>
</td></tr></table></td></tr></table>
<p class="footer__text" style="margin: 0">Bye <a class="footer__link" href="*|UNSUB|*">unsubscribe</a></p>
</body></html>"#,
        theme_css()
    );
    let (fast, slow) = both(&html, Some(&palette));
    let fast = fast.expect("the default theme's email goes the fast way");
    assert_eq!(fast, slow);
    // With its links made absolute and tagged in the same pass, as
    // `absolutize` makes them after css-inline.
    let page = url::Url::parse("https://news.example/2026/11/25/").expect("a URL");
    let own = url::Url::parse("https://news.example/").expect("a URL");
    let utm = crate::render::links::Utm {
        params: vec![("utm_source", "a47"), ("utm_campaign", "2026-11-25")],
    };
    let keep = ["*|UNSUB|*"];
    let links = Absolute {
        page: &page,
        own: &own,
        utm: &utm,
        keep: &keep,
    };
    let fast = super::fast(&html, Some(&palette), Some(&links)).expect("the fast way");
    let slow = css_inline(&html, Some(&palette)).expect("css-inline inlines");
    let slow = absolutize(&slow, &page, &own, &utm, &keep);
    assert_eq!(normal(&fast), normal(&slow));
    for link in [
        r#"href="https://news.example/x""#,
        r#"href="https://e.com/?a=1&amp;b=2&amp;utm_source=a47&amp;utm_campaign=2026-11-25""#,
        r#"src="https://news.example/2026/11/25/x.png""#,
        r#"href="*|UNSUB|*""#,
    ] {
        assert!(fast.contains(link), "{link} in {fast}");
    }
    assert!(slow.contains(r#"<td class="cell cell--first" style="padding: 0 24px 8px;"#));
    assert!(slow.contains("<!--[if mso]><style>"));
}

// Random plain stylesheets over random well-nested markup: the fast
// way's `style`s are css-inline's, byte for byte once both are
// written back by the same serializer.
#[test]
fn random_plain_stylesheets_inlined_as_css_inline_does() {
    use proptest::prelude::*;

    const TAGS: [&str; 6] = ["div", "p", "span", "a", "em", "section"];
    const CLASSES: [&str; 4] = ["a", "b", "c", "d-e"];
    const PROPERTIES: [&str; 4] = ["color", "margin", "padding", "font-family"];
    let compound = (
        0usize..7,
        proptest::collection::vec(0usize..4, 0..3),
        any::<bool>(),
    )
        .prop_filter("not empty", |(tag, classes, id)| {
            *tag < 6 || !classes.is_empty() || *id
        })
        .prop_map(|(tag, classes, id)| {
            let mut s = TAGS.get(tag).copied().unwrap_or_default().to_owned();
            for c in classes {
                s.push('.');
                s.push_str(CLASSES[c]);
            }
            if id {
                s.push_str("#top");
            }
            s
        });
    let selector = proptest::collection::vec(compound, 1..4).prop_map(|c| c.join(" "));
    let declaration = (0usize..4, 0u32..4).prop_map(|(p, v)| match PROPERTIES[p] {
        "font-family" => format!("font-family: \"Face {v}\", serif"),
        name => format!("{name}: {v}px"),
    });
    let rule = (
        proptest::collection::vec(selector, 1..3),
        proptest::collection::vec(declaration, 1..4),
    )
        .prop_map(|(s, d)| format!("{} {{ {} }}", s.join(", "), d.join("; ")));
    let sheet = proptest::collection::vec(rule, 1..8).prop_map(|r| r.join("\n"));
    // A tree as nested tags, each with classes, maybe the id, maybe a style.
    let leaf = Just(String::from("text"));
    let tree = leaf.prop_recursive(4, 32, 4, |inner| {
        (
            0usize..6,
            proptest::collection::vec(0usize..4, 0..3),
            any::<bool>(),
            proptest::option::of(0u32..3),
            proptest::collection::vec(inner, 0..4),
        )
            .prop_map(|(tag, classes, id, style, children)| {
                let tag = match TAGS[tag] {
                    // `<p>` holds only phrasing content: html5ever closes it otherwise.
                    "p" | "div" | "section" if children.is_empty() => TAGS[tag],
                    "p" => "span",
                    other => other,
                };
                let class: Vec<&str> = classes.iter().map(|&c| CLASSES[c]).collect();
                let id = if id { r#" id="top""# } else { "" };
                let style = style
                    .map(|m| format!(r#" style="margin:{m}px""#))
                    .unwrap_or_default();
                let inner = children.concat();
                let inner = if matches!(tag, "span" | "a" | "em") {
                    inner.replace("<div", "<span").replace("</div>", "</span>")
                } else {
                    inner
                };
                format!(
                    r#"<{tag} class="{}"{id}{style}>{inner}</{tag}>"#,
                    class.join(" ")
                )
            })
    });
    let mut runner = crate::testing::runner(256);
    let fast_ones = std::cell::Cell::new(0);
    runner
        .run(&(sheet, tree), |(css, body)| {
            let html = format!(
                "<!DOCTYPE html><html><head><style>{css}</style></head><body>{body}</body></html>"
            );
            let (fast, slow) = both(&html, None);
            if let Some(fast) = fast {
                prop_assert_eq!(fast, slow);
                fast_ones.set(fast_ones.get() + 1);
            }
            Ok(())
        })
        .expect("both ways inline alike");
    assert!(
        fast_ones.get() >= 128,
        "{} of 256 went the fast way",
        fast_ones.get()
    );
}

// A selector of ancestors matches them in their order, the nearest
// first: `.x .a p` asks for a `.x` above the `.a`, not below it.
#[test]
fn ancestors_in_their_order() {
    let css = ".x .a p { color: red } .a .x em { margin: 0 }";
    for body in [
        r#"<div class="a"><span class="x"><em><p>no</p></em></span></div>"#,
        r#"<div class="x"><div class="a"><span><p>yes</p></span></div></div>"#,
        r#"<div class="x"><div class="a"><div class="x"><em>both</em></div></div></div>"#,
    ] {
        let html = format!(
            "<!DOCTYPE html><html><head><style>{css}</style></head><body>{body}</body></html>"
        );
        let (fast, slow) = both(&html, None);
        assert_eq!(fast.as_deref(), Some(slow.as_str()), "{body}");
    }
}

// What the fast way does not read as css-inline would goes to
// css-inline: the stylesheet, the markup, or the document.
#[test]
fn the_rest_left_to_css_inline() {
    let page = |css: &str, body: &str| {
        format!("<!DOCTYPE html><html><head><style>{css}</style></head><body>{body}</body></html>")
    };
    let plain = ".a { color: red }";
    let well = r#"<div class="a"><p class="a">x</p></div>"#;
    assert!(fast(&page(plain, well), None, None).is_some());
    for css in [
        "@media (max-width: 600px) { .a { color: red } }",
        ".a { color: red !important }",
        ".a > p { color: red }",
        ".a + p { color: red }",
        "p:first-child { color: red }",
        "[class] { color: red }",
        ".a { color: var(--x) }",
        ".a { /* why */ color: red }",
        ".a { color: red",
        "tbody td { color: red }",
    ] {
        assert!(fast(&page(css, well), None, None).is_none(), "{css}");
    }
    for body in [
        r#"<p class="a"><div>x</div></p>"#,
        r#"<div class="a"><span>x</div></span>"#,
        r#"<ul><li class="a">x<li>y</ul>"#,
        r#"<table><div class="a">x</div></table>"#,
        r#"<table><td class="a">x</td></table>"#,
        r#"<h1 class="a"><h2>x</h2></h1>"#,
        r#"<form><div><form class="a"></form></div></form>"#,
        r#"<div class="a"><body>x</body></div>"#,
        r#"<a href="/"><a class="a">x</a></a>"#,
        r#"<div class="a"/>"#,
        r#"<svg class="a"></svg>"#,
        r#"<div class="a &amp; b">x</div>"#,
        r#"<div class="a" data-css-inline="ignore">x</div>"#,
    ] {
        assert!(fast(&page(plain, body), None, None).is_none(), "{body}");
    }
    assert!(
        fast(
            &format!("<html><style>{plain}</style>{well}</html>"),
            None,
            None
        )
        .is_none()
    );
    // html5ever moves what comes after `</body>` into the body.
    let after_body = format!(
        "<!DOCTYPE html><html><head><style>{plain}</style></head><body>{well}</body>{well}</html>"
    );
    assert!(fast(&after_body, None, None).is_none());
    // Whichever way, the email is inlined.
    let html = page(
        "@media print { .a { color: red } } .a { color: blue }",
        well,
    );
    let page = url::Url::parse("https://x.example/").expect("a URL");
    let utm = crate::render::links::Utm::default();
    let links = Absolute {
        page: &page,
        own: &page,
        utm: &utm,
        keep: &[],
    };
    let inlined = inline(&html, None, &links).expect("inlined");
    assert!(
        inlined.contains(r#"<div class="a" style="color: blue;">"#),
        "{inlined}"
    );
}
