//! The URLs a file of the site names, by kind of file: HTML (read by
//! html5ever's tokenizer, as a browser's would), XML feeds and sitemaps
//! (quick-xml; the HTML inside their text read as HTML), JSON (the feed's
//! `*_url` fields and `content_html`; the files the search index's manifest
//! leads search.js to, and its records' URLs), plain text
//! (`robots.txt`, `email.txt`) and CSS (`url(...)`).
//!
//! Returned as written, entities decoded; resolving them is the crawler's.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use quick_xml::XmlVersion;
use quick_xml::events::Event;

/// The URLs the file at `path` (relative to the site, `feed.xml`) names.
pub fn of_file(path: &str, bytes: &[u8]) -> Vec<String> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Vec::new(); // an image, a font: names nothing
    };
    match path.rsplit_once('.').map_or("", |(_, ext)| ext) {
        "html" => html(text),
        "xml" => xml(text),
        "json" if path == "search.json" => search_manifest(text),
        "json" => json(text),
        "txt" => plain(text),
        "css" => css(text),
        _ => Vec::new(),
    }
}

/// Attributes holding a URL in HTML; `srcset` holds several.
const URL_ATTRIBUTES: [&str; 6] = ["href", "src", "srcset", "poster", "action", "cite"];

/// Attributes of text for people, which may start with `https://` without
/// being a link.
const TEXT_ATTRIBUTES: [&str; 4] = ["alt", "title", "aria-label", "placeholder"];

fn is_absolute(value: &str) -> bool {
    let value = value.trim_start();
    value.starts_with("http://") || value.starts_with("https://")
}

/// `href`, `src` and the like, and any other attribute whose value is an
/// absolute http(s) URL (`og:url`'s `content`, `data-index`).
pub fn html(text: &str) -> Vec<String> {
    #[derive(Default)]
    struct Sink(RefCell<Vec<String>>);
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, _: u64) -> TokenSinkResult<()> {
            let Token::TagToken(tag) = token else {
                return TokenSinkResult::Continue;
            };
            if tag.kind != TagKind::StartTag {
                return TokenSinkResult::Continue;
            }
            let mut urls = self.0.borrow_mut();
            for attr in &tag.attrs {
                let name = &*attr.name.local;
                let value = attr.value.trim();
                if name == "srcset" {
                    urls.extend(srcset(value));
                } else if URL_ATTRIBUTES.contains(&name)
                    || (is_absolute(value) && !TEXT_ATTRIBUTES.contains(&name))
                {
                    urls.push(value.to_owned());
                }
            }
            // As a tree builder would: a script's or a style's text is not
            // markup, so an `<a href` in a string is no link.
            match &*tag.name {
                "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                "style" => TokenSinkResult::RawData(RawKind::Rawtext),
                "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                _ => TokenSinkResult::Continue,
            }
        }
    }
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(text));
    let tokenizer = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

/// `a.png 1x, b.png 2x` -> `a.png`, `b.png`.
fn srcset(value: &str) -> Vec<String> {
    value
        .split(',')
        .filter_map(|candidate| candidate.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// Attributes holding a URL (`<link href>`, `<enclosure url>`), any
/// absolute URL in an attribute or as an element's whole text (`<loc>`,
/// RSS `<link>`, `<guid>`, `<id>`), and the links of text that is HTML
/// (`<description>`, `<content>`, `<summary>`).
pub fn xml(text: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let mut reader = quick_xml::Reader::from_str(text);
    let mut buffer = String::new();
    let flush = |buffer: &mut String, urls: &mut Vec<String>| {
        let text = std::mem::take(buffer);
        let trimmed = text.trim();
        if trimmed.contains('<') {
            urls.extend(html(trimmed));
        } else if is_absolute(trimmed) {
            urls.push(trimmed.to_owned());
        }
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(element) | Event::Empty(element)) => {
                flush(&mut buffer, &mut urls);
                for attr in element.attributes().with_checks(false).flatten() {
                    // `xmlns` names a specification, not a page.
                    if attr.key.as_ref().starts_with("xmlns") {
                        continue;
                    }
                    let Ok(value) = attr.normalized_value(XmlVersion::Implicit1_0) else {
                        continue;
                    };
                    let key = attr.key.local_name();
                    if matches!(key.as_ref(), "href" | "src" | "url") || is_absolute(&value) {
                        urls.push(value.trim().to_owned());
                    }
                }
            }
            Ok(Event::Text(text)) => buffer.push_str(&text),
            Ok(Event::CData(data)) => buffer.push_str(&data),
            Ok(Event::GeneralRef(reference)) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match &*reference {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "amp" => Some('&'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                buffer.extend(resolved);
            }
            Ok(Event::End(_)) => flush(&mut buffer, &mut urls),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("the XML does not parse: {e}"),
        }
    }
    urls
}

/// Strings of `*url*` and `permalink` keys, any absolute URL, and the links
/// of `*_html` strings.
pub fn json(text: &str) -> Vec<String> {
    fn walk(key: &str, value: &serde_json::Value, urls: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) if key.ends_with("_html") => urls.extend(html(s)),
            serde_json::Value::String(s)
                if key.contains("url") || key == "permalink" || is_absolute(s) =>
            {
                urls.push(s.clone())
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(key, v, urls)),
            serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| walk(k, v, urls)),
            _ => {}
        }
    }
    let value: serde_json::Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("the JSON does not parse: {e}"));
    let mut urls = Vec::new();
    walk("", &value, &mut urls);
    urls
}

/// The files search.js fetches by the search index's manifest, relative to
/// it: each shard of words (`search/w/<name>.json`) and each file of
/// records (`search/d/<n>.json`, `per_fragment` documents a file).
pub fn search_manifest(text: &str) -> Vec<String> {
    let value: serde_json::Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("the manifest does not parse: {e}"));
    let shards = value["shards"]
        .as_array()
        .expect("the manifest lists its shards");
    let documents = value["documents"].as_u64().expect("a count of documents");
    let per = value["per_fragment"].as_u64().expect("records a file");
    let names = shards
        .iter()
        .map(|s| format!("search/w/{}.json", s[1].as_str().expect("a shard's name")));
    let records = (0..documents.div_ceil(per)).map(|n| format!("search/d/{n}.json"));
    names.chain(records).collect()
}

/// Every `http://` or `https://` word, without the punctuation that may
/// close a sentence or a bracket around it.
pub fn plain(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|word| word.trim_start_matches(['<', '(', '[']))
        .filter(|word| is_absolute(word))
        .map(|word| {
            word.trim_end_matches(['>', ')', ']', '.', ',', ';'])
                .to_owned()
        })
        .collect()
}

/// `url(...)` of a stylesheet, quoted or not; `data:` URLs are the file's own.
pub fn css(text: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("url(") {
        rest = &rest[at + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        let url = rest[..end].trim().trim_matches(['"', '\'']);
        if !url.starts_with("data:") {
            urls.push(url.to_owned());
        }
        rest = &rest[end..];
    }
    urls
}

// The extractors themselves: each kind of file gives what a reader of it
// would follow, and no more.
#[test]
fn links_of_each_kind_of_file() {
    assert_eq!(
        html(
            r#"<link rel="canonical" href="https://s.example/a/"><meta property="og:url" content="https://s.example/b/">
<a href="/c/?x=1&amp;y=2">c</a><img src=d.png srcset="e.png 1x, f.png 2x" alt="https://not.example/alt text">
<div data-index="https://s.example/search.json"></div><script>let a = '<a href="/no/">';</script><title>https://no.example/</title>"#
        ),
        [
            "https://s.example/a/",
            "https://s.example/b/",
            "/c/?x=1&y=2",
            "d.png",
            "e.png",
            "f.png",
            "https://s.example/search.json",
        ]
    );
    assert_eq!(
        xml(
            r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><link href="https://s.example/"/>
<id>https://s.example/1/</id><title>Not a link</title><content type="html">&lt;a href=&quot;https://s.example/2/?a=1&amp;amp;b=2&quot;&gt;x&lt;/a&gt;</content>
<description><![CDATA[<img src="/3.png">]]></description><loc> https://s.example/4/ </loc></feed>"#
        ),
        [
            "https://s.example/",
            "https://s.example/1/",
            "https://s.example/2/?a=1&b=2",
            "/3.png",
            "https://s.example/4/",
        ]
    );
    assert_eq!(
        json(
            r#"{"home_page_url": "https://s.example/", "title": "https://s.example/t/", "items": [{"url": "/a/", "content_html": "<a href=\"../b/\">b</a>", "id": "x"}]}"#
        ),
        ["https://s.example/", "https://s.example/t/", "/a/", "../b/"]
    );
    assert_eq!(
        search_manifest(
            r#"{"version":1,"documents":17,"per_fragment":16,"shards":[["","a1",9],["b","b2",9]]}"#
        ),
        [
            "search/w/a1.json",
            "search/w/b2.json",
            "search/d/0.json",
            "search/d/1.json"
        ]
    );
    assert_eq!(
        plain("Sitemap: https://s.example/sitemap.xml\n[1] <https://s.example/a/>.\nAllow: /\n"),
        ["https://s.example/sitemap.xml", "https://s.example/a/"]
    );
    assert_eq!(
        css("a { background: url(\"/i.png\") } b { mask: url(data:image/png;base64,x) }"),
        ["/i.png"]
    );
}
