//! `gazette import`: feeds from disk and from a server on 127.0.0.1 become
//! draft entries; what the site has, what has no outlet and what is no web
//! link is left out and said; a feed that is broken, missing, slow or huge
//! writes nothing and is named in a clear error.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::site_test::{NOW, Run, SiteTest, assert_contains, run_with_env};

/// The fixture feeds, hand-written in the shape real publishers send.
fn feeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/fixtures/import/feeds")
}

fn feed(name: &str) -> String {
    feeds().join(name).to_string_lossy().into_owned()
}

/// The base site with more outlets: `bloomberg` also at `bloom.bg`, `verge`, `ars`.
fn site() -> SiteTest {
    SiteTest::new("import/site")
}

/// `gazette ARGS` in the site, downloads timing out after 1 s.
fn gazette(site: &SiteTest, args: &[&str]) -> Run {
    run_with_env(
        site.root(),
        NOW,
        &[("GAZETTE_IMPORT_TIMEOUT_MS", "1000")],
        args,
    )
}

/// The files of an issue folder, sorted; none when it does not exist.
fn issue_files(site: &SiteTest, date: &str) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(site.root().join("content").join(date)) else {
        return Vec::new();
    };
    let mut names: Vec<String> = dir
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

const APPLE: &str = "content/2026-11-26/apple-s-m6-chip-the-race-for-on-device-ai.md";

// An RSS feed on disk: one draft per new item, newest first, its summary
// clean Markdown (entities decoded, no script, no tracking pixel); the
// article the site has (with `www.` and `utm_source` added), the item of an
// unknown host and the `javascript:` link are left out and counted; a
// `bloom.bg` link goes to Bloomberg through its `domains`.
#[test]
fn rss_items_become_drafts() {
    let site = site();
    let rss = feed("rss.xml");
    let run = gazette(&site, &["import", &rss]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!(
            "{APPLE}\n{}\n{}\n",
            "content/2026-11-26/nvidia-s-quarter-in-one-chart.md",
            "content/2026-11-26/europe-s-ai-act-one-year-on.md"
        )
    );
    assert_eq!(
        run.stderr,
        format!(
            "imported 3 entries from {rss} (1 already in the site, 1 from an unknown host, 1 without an http(s) link)\n\
             1 item left out: no outlet is at its host; add to content/outlets.yaml (or pass `--outlet KEY`), then import again:\n  \
             example-news-com: {{name: \"example-news.com\", url: \"https://example-news.com\"}}  # 1 item\n"
        )
    );
    assert_eq!(
        site.page_source(APPLE),
        "---\n\
         headline: \"Apple’s M6 chip & the race for on-device AI\"\n\
         outlet: tnw\n\
         url: \"https://thenextweb.com/news/apple-m6-on-device-ai\"\n\
         date: 2026-11-25T09:30:00-06:00\n\
         tags: []\n\
         draft: true\n\
         ---\n\
         Apple’s M6 runs a 30 billion-parameter model & still lasts a day. [See the benchmarks](<https://thenextweb.com/news/apple-m6-benchmarks>).\n\
         \n\
         Developers get three new APIs:\n\
         \n\
         - Core Inference\n\
         - On-device fine-tuning\n\
         \n\
         The post [Apple’s M6 chip & the race for on-device AI](<https://thenextweb.com/news/apple-m6-on-device-ai>) appeared first on [TNW](<https://thenextweb.com/>).\n"
    );
    let nvidia = site.page_source("content/2026-11-26/nvidia-s-quarter-in-one-chart.md");
    assert_contains(
        &nvidia,
        "outlet: bloomberg\nurl: \"https://bloom.bg/4aIq7Zx\"\n",
    );
    assert_contains(
        &nvidia,
        "---\nData-center revenue tripled again; gaming was flat.\n",
    );

    // Drafts stay out of the build until asked for, and an issue of
    // drafts only with them: no empty issue is sent, and its URL is not
    // recorded as published.
    let build = site.build();
    assert_contains(&build.stdout, "(3 drafts left out)");
    assert!(!site.exists("2026/11/26/index.html"));
    assert!(!site.exists("2026/11/26/email.html"));
    assert!(!site.page("feed.xml").contains("/2026/11/26/"));
    let published = site.page_source("published-urls.txt");
    assert!(!published.contains("/2026/11/26/"), "{published}");
    site.build_with(&["--drafts"]);
    let issue = site.main_of("2026/11/26/index.html");
    assert_contains(&issue, "Apple’s M6 chip &amp; the race for on-device AI");
    assert_contains(&issue, "Apple’s M6 runs a 30 billion-parameter model &amp;");
    let entry = site.main_of("2026/11/26/apple-s-m6-chip-the-race-for-on-device-ai/index.html");
    assert_contains(&entry, "<li>On-device fine-tuning</li>");
    assert_contains(
        &entry,
        "<a href=\"https://thenextweb.com/news/apple-m6-benchmarks\">See the benchmarks</a>",
    );
    for (path, bytes) in site.output_files() {
        let text = String::from_utf8_lossy(&bytes);
        for hostile in ["evil.example", "pixel.wp.com", "document.cookie"] {
            assert!(!text.contains(hostile), "{hostile} in {path}");
        }
    }
    let check = gazette(&site, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

// Atom with `type="xhtml"` content and an HTML title, and JSON Feed 1.1:
// the figure, its caption and the video go; a relative link resolves
// against the item; plain-text summaries are escaped, not read as Markdown.
#[test]
fn atom_and_json_feeds() {
    let site = site();
    let run = gazette(
        &site,
        &["import", &feed("atom.xml"), "--issue", "2026-11-25"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "content/2026-11-25/google-s-gemini-4-can-now-book-your-flights.md\n\
         content/2026-11-25/microsoft-s-copilot-gets-a-memory.md\n"
    );
    assert_eq!(
        site.page_source("content/2026-11-25/google-s-gemini-4-can-now-book-your-flights.md"),
        "---\n\
         headline: \"Google’s Gemini 4 can now book your flights\"\n\
         outlet: verge\n\
         url: \"https://www.theverge.com/2026/11/25/gemini-4-agents\"\n\
         date: 2026-11-25T08:30:00-06:00\n\
         tags: []\n\
         draft: true\n\
         ---\n\
         Google says Gemini 4 can plan a trip end to end: flights, hotels & trains.\n\
         \n\
         It works in [Chrome](<https://www.theverge.com/2026/11/20/gemini-chrome>) first; see this.\n"
    );
    let run = gazette(
        &site,
        &["import", &feed("feed.json"), "--issue", "2026-11-25"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!("imported 2 entries from {}\n", feed("feed.json"))
    );
    let o5 = site.page_source("content/2026-11-25/openai-s-o5-tops-every-benchmark-except-one.md");
    assert_contains(
        &o5,
        "outlet: ars\n\
         url: \"https://arstechnica.com/ai/2026/11/openai-o5-benchmarks/\"\n\
         date: 2026-11-25T10:00:00-06:00\n",
    );
    assert_contains(
        &o5,
        "---\nThe \\*one\\* it misses: \\<b\\>ARC-AGI-3\\</b\\>. # Not a heading\n\n1\\. Not a list either & so on\n",
    );
    let fusion = site.page_source("content/2026-11-25/a-fusion-record-explained.md");
    assert_contains(&fusion, "date: 2026-11-23T07:00:00-06:00\n");
    assert_contains(
        &fusion,
        "---\nWendelstein 7-X held its plasma for 43 minutes.\n",
    );
    site.build_with(&["--drafts"]);
    let entry = site.main_of("2026/11/25/openai-s-o5-tops-every-benchmark-except-one/index.html");
    assert_contains(
        &entry,
        "The *one* it misses: &lt;b&gt;ARC-AGI-3&lt;/b&gt;. # Not a heading",
    );
}

// An RSS title is HTML in practice, in CDATA or as child elements: the
// headline (and so the slug) is its text, tags gone, entities decoded and
// no word lost, as for an Atom `type="html"` title.
#[test]
fn rss_titles_are_read_as_html() {
    let site = site();
    let run = gazette(
        &site,
        &[
            "import",
            &feed("rss-html-titles.xml"),
            "--outlet",
            "tnw",
            "--issue",
            "2026-11-25",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let cdata = site.page_source("content/2026-11-25/robots-bold-quoted.md");
    assert_contains(&cdata, "headline: \"Robots bold & \\\"quoted\\\"\"\n");
    let element = site.page_source("content/2026-11-25/robots-ai-bold.md");
    assert_contains(&element, "headline: \"Robots & AI — bold\"\n");
}

// A second import of one feed finds every article already in the site, and
// a headline whose slug the site has takes the next free one.
#[test]
fn duplicates_and_slugs() {
    let site = site();
    site.write(
        "content/2026-11-20/europe-s-ai-act-one-year-on.md",
        "---\nkind: story\nheadline: Europe's AI Act\n---\n",
    );
    let run = gazette(&site, &["import", &feed("rss.xml"), "--outlet", "tnw"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_contains(
        &run.stdout,
        "content/2026-11-26/europe-s-ai-act-one-year-on-2.md\n",
    );
    assert_contains(&run.stderr, "imported 4 entries from");
    let again = gazette(&site, &["import", &feed("rss.xml"), "--outlet", "tnw"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.stdout, "");
    assert_eq!(
        again.stderr,
        format!(
            "imported 0 entries from {} (5 already in the site, 1 without an http(s) link)\n",
            feed("rss.xml")
        )
    );
}

// `--outlet` names the outlet of every item, and must exist; nothing is
// read or written when it does not.
#[test]
fn outlet_flag() {
    let site = site();
    let run = gazette(&site, &["import", &feed("rss.xml"), "--outlet", "verge"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 4, "{}", run.stdout);
    let startup =
        site.page_source("content/2026-11-26/a-startup-you-have-not-heard-of-raises-40m.md");
    assert_contains(&startup, "outlet: verge\n");
    let run = gazette(&site, &["import", &feed("atom.xml"), "--outlet", "vrge"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error: unknown outlet `vrge`\n --> content/outlets.yaml\n  = help: did you mean `verge`?\n\n\
         error: nothing imported: 1 error\n"
    );
}

// `--limit N` takes the newest N items (before what the site has is left
// out); `--since DATE` those of that day or later, in the site's timezone.
#[test]
fn limit_and_since() {
    let site = site();
    let run = gazette(&site, &["import", &feed("rss.xml"), "--limit", "2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, format!("{APPLE}\n"));
    assert_contains(&run.stderr, "imported 1 entry from");
    assert_contains(&run.stderr, "(1 already in the site)\n");
    let site = self::site();
    let run = gazette(
        &site,
        &["import", &feed("rss.xml"), "--since", "2026-11-24"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!("{APPLE}\ncontent/2026-11-26/nvidia-s-quarter-in-one-chart.md\n")
    );
    assert_contains(
        &run.stderr,
        "(1 already in the site, 1 from an unknown host)\n",
    );
    // An item with no date is not known to be since the day: left out,
    // and counted.
    let rss = std::fs::read_to_string(feeds().join("rss.xml")).expect("the feed");
    let undated = rss.replacen(
        "<item>",
        "<item>\n    <title>No date given</title>\n    <link>https://thenextweb.com/news/undated</link>\n  </item>\n  <item>",
        1,
    );
    site.write("undated.xml", &undated);
    let run = gazette(&site, &["import", "undated.xml", "--since", "2026-11-24"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("no-date-given"), "{}", run.stdout);
    assert_contains(
        &run.stderr,
        "1 without a date, which `--since` cannot place)",
    );
    let run = gazette(
        &site,
        &["import", &feed("rss.xml"), "--since", "24/11/2026"],
    );
    assert_eq!(run.code, 2);
    assert_contains(
        &run.stderr,
        "`--since 24/11/2026` is not a date such as `2026-11-25`",
    );
}

// A feed that is malformed, cut short, not a feed at all, or too large
// writes nothing and says why, naming the file.
#[test]
fn bad_feeds_write_nothing() {
    let site = site();
    let broken = feed("broken.xml");
    let run = gazette(&site, &["import", &broken]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!(
            "error: cannot import `{broken}`: it is not well-formed XML (line 9): ill-formed document: expected `</item>`, but `</channel>` was found\n\n"
        )
    );
    // Cut after an item, the XML is whole so far: only its end shows the loss.
    let rss = std::fs::read_to_string(feeds().join("rss.xml")).unwrap();
    let second = rss.match_indices("</item>").nth(1).unwrap().0 + "</item>".len();
    site.write("feeds/cut.xml", &rss[..second]);
    site.write("feeds/cut-in-a-tag.xml", &rss[..second - 3]);
    site.write(
        "feeds/page.html",
        "<!DOCTYPE html>\n<html><head><title>TNW</title></head><body><p>Hi</body></html>\n",
    );
    site.write(
        "feeds/big.xml",
        &format!(
            "<rss version=\"2.0\"><channel>{}</channel></rss>",
            " ".repeat(10_000_001)
        ),
    );
    for (file, why) in [
        (
            "feeds/cut.xml",
            "it ends before its elements are closed (line 34): was the download cut short?",
        ),
        (
            "feeds/cut-in-a-tag.xml",
            "it ends before its elements are closed (line 34): was the download cut short?",
        ),
        ("feeds/page.html", "it is a web page (HTML), not a feed"),
        (
            "feeds/big.xml",
            "it is larger than 10 MB, the most a feed may be",
        ),
        ("feeds/none.xml", "there is no such file"),
        ("feeds", "it is a folder, not a file"),
    ] {
        let run = gazette(&site, &["import", file]);
        assert_eq!(run.code, 1, "{file}");
        assert_eq!(
            run.stderr,
            format!("error: cannot import `{file}`: {why}\n\n")
        );
    }
    assert_eq!(issue_files(&site, "2026-11-26"), Vec::<String>::new());
}

// A feed file inside the site is read by the site's rules: a link out of
// the site is refused, as for any file of the site.
#[cfg(unix)]
#[test]
fn feeds_inside_the_site_stay_inside() {
    let site = site();
    std::fs::create_dir_all(site.root().join("feeds")).unwrap();
    std::os::unix::fs::symlink(
        feeds().join("rss.xml"),
        site.root().join("feeds/linked.xml"),
    )
    .unwrap();
    let run = gazette(&site, &["import", "feeds/linked.xml"]);
    assert_eq!(run.code, 1);
    assert_contains(
        &run.stderr,
        "error: cannot import `feeds/linked.xml`: it is inside the site but links to a file outside it",
    );
    assert_eq!(issue_files(&site, "2026-11-26"), Vec::<String>::new());
}

// An OPML list: each feed in turn; the broken one is named and fails the
// run, the good one is imported all the same.
#[test]
fn opml_list_from_disk() {
    let site = site();
    let run = gazette(
        &site,
        &["import", &feed("list.opml"), "--issue", "2026-11-25"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "content/2026-11-25/google-s-gemini-4-can-now-book-your-flights.md\n\
         content/2026-11-25/microsoft-s-copilot-gets-a-memory.md\n"
    );
    assert_eq!(
        run.stderr,
        format!(
            "imported 2 entries from {atom}\n\
             error: cannot import `{broken}`: it is not well-formed XML (line 9): ill-formed document: expected `</item>`, but `</channel>` was found\n\n\
             imported 2 entries in all from the 2 feeds of {list}; 1 feed could not be read\n",
            atom = feed("atom.xml"),
            broken = feed("broken.xml"),
            list = feed("list.opml"),
        )
    );
}

/// A server on 127.0.0.1 for the length of the test process, serving the
/// fixture feeds and misbehaving on request; it records each request's
/// `User-Agent`.
struct Server {
    base: String,
    agents: Arc<Mutex<Vec<String>>>,
}

fn serve() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let agents = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&agents);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let seen = Arc::clone(&seen);
            std::thread::spawn(move || answer(stream, &seen));
        }
    });
    Server { base, agents }
}

fn answer(mut stream: TcpStream, agents: &Mutex<Vec<String>>) {
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let request = String::from_utf8_lossy(&request).into_owned();
    let path = request.split(' ').nth(1).unwrap_or("/").to_owned();
    if let Some(agent) = request.lines().find_map(|l| {
        l.strip_prefix("user-agent: ")
            .or(l.strip_prefix("User-Agent: "))
    }) {
        agents.lock().unwrap().push(agent.to_owned());
    }
    let reply = |stream: &mut TcpStream, status: &str, headers: &str, body: &[u8]| {
        let head = format!(
            "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(body);
    };
    match path.as_str() {
        "/moved" => reply(&mut stream, "302 Found", "Location: /rss.xml\r\n", b""),
        "/loop" => reply(&mut stream, "302 Found", "Location: /loop\r\n", b""),
        "/hang" => std::thread::sleep(Duration::from_secs(20)),
        // Its encoding said by the server alone, not by the feed.
        "/latin1.xml" => reply(
            &mut stream,
            "200 OK",
            "Content-Type: application/rss+xml; charset=ISO-8859-1\r\n",
            &encoding_rs::WINDOWS_1252
                .encode(&one_item("", "Café by HTTP", "http"))
                .0,
        ),
        "/huge.xml" | "/huge-stream.xml" => {
            // 50 MB: with its length said up front, or streamed until closed.
            let head = match path.as_str() {
                "/huge.xml" => "HTTP/1.1 200 OK\r\nContent-Length: 50000000\r\n\r\n",
                _ => "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n",
            };
            let _ = stream.write_all(head.as_bytes());
            let chunk = vec![b' '; 64 * 1024];
            for _ in 0..(50_000_000 / chunk.len()) {
                if stream.write_all(&chunk).is_err() {
                    return;
                }
            }
        }
        _ => match std::fs::read(feeds().join(path.trim_start_matches('/'))) {
            Ok(body) => reply(
                &mut stream,
                "200 OK",
                "Content-Type: application/xml\r\n",
                &body,
            ),
            Err(_) => reply(&mut stream, "404 Not Found", "", b"not here"),
        },
    }
}

// Over HTTP: a redirect to the feed is followed, an OPML list's relative
// addresses resolve against it, and gazette says who it is.
#[test]
fn feeds_over_http() {
    let server = serve();
    let site = site();
    let moved = format!("{}/moved", server.base);
    let run = gazette(&site, &["import", &moved]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 3, "{}", run.stdout);
    assert_contains(
        &run.stderr,
        &format!("imported 3 entries from {moved} (1 already in the site"),
    );
    assert_eq!(
        server.agents.lock().unwrap().first().map(String::as_str),
        Some("gazette/0.1.0 (+https://fixture.example/)")
    );
    let json = format!("{}/feed.json", server.base);
    let run = gazette(&site, &["import", &json]);
    assert_eq!(run.stderr, format!("imported 2 entries from {json}\n"));
    let list = format!("{}/list.opml", server.base);
    let run = gazette(&site, &["import", &list]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout.lines().count(), 2, "{}", run.stdout);
    assert_contains(
        &run.stderr,
        &format!("imported 2 entries from {}/atom.xml\n", server.base),
    );
    assert_contains(
        &run.stderr,
        &format!(
            "error: cannot import `{}/broken.xml`: it is not well-formed XML",
            server.base
        ),
    );
    assert_contains(&run.stderr, "imported 2 entries in all from the 2 feeds of");
}

// Over HTTP, a missing feed, a server that never answers, a body of 50 MB
// and a redirect loop each fail fast with a message naming the address,
// and write nothing.
#[test]
fn http_failures() {
    let server = serve();
    let site = site();
    let closed = format!("http://127.0.0.1:{}/feed.xml", crate::common::free_port());
    for (path, why) in [
        (
            "/missing.xml",
            "the server answered 404 Not Found".to_owned(),
        ),
        (
            "/hang",
            "the server did not answer in full within 1.0 s".to_owned(),
        ),
        (
            "/huge.xml",
            "it is larger than 10 MB, the most a feed may be".to_owned(),
        ),
        (
            "/huge-stream.xml",
            "it is larger than 10 MB, the most a feed may be".to_owned(),
        ),
        ("/loop", "it redirects more than 5 times".to_owned()),
    ] {
        let url = format!("{}{path}", server.base);
        let started = Instant::now();
        let run = gazette(&site, &["import", &url]);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{path} took {:?}",
            started.elapsed()
        );
        assert_eq!(run.code, 1, "{path}");
        assert_eq!(
            run.stderr,
            format!("error: cannot import `{url}`: {why}\n\n")
        );
    }
    let run = gazette(&site, &["import", &closed]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!("error: cannot import `{closed}`: the server refused the connection\n\n")
    );
    assert_eq!(issue_files(&site, "2026-11-26"), Vec::<String>::new());
}

/// An RSS feed of one item, `headline` at `https://www.theverge.com/{path}`
/// with the summary `Naïve ‘robots’`, its XML declaration naming `encoding`
/// (none when empty).
fn one_item(encoding: &str, headline: &str, path: &str) -> String {
    let encoding = match encoding {
        "" => String::new(),
        name => format!(" encoding=\"{name}\""),
    };
    format!(
        "<?xml version=\"1.0\"{encoding}?>\n<rss version=\"2.0\"><channel><title>V</title><link>https://www.theverge.com/</link>\n\
         <item><title>{headline}</title><link>https://www.theverge.com/{path}</link>\
         <pubDate>Wed, 25 Nov 2026 15:30:00 +0000</pubDate><description>Naïve ‘robots’</description></item>\n\
         </channel></rss>\n"
    )
}

// Feeds in ISO-8859-1 or windows-1252 (by their XML declaration), in
// UTF-16 (by their byte-order mark) or in the charset the server names
// are imported as a UTF-8 one is; an encoding gazette cannot decode is
// named in the error, and writes nothing.
#[test]
fn feeds_in_other_encodings() {
    let site = site();
    std::fs::create_dir_all(site.root().join("feeds")).unwrap();
    let utf16 = |headline: &str, path: &str, big_endian: bool| {
        let mut bytes = Vec::new();
        for unit in std::iter::once(0xFEFF).chain(one_item("UTF-16", headline, path).encode_utf16())
        {
            bytes.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        bytes
    };
    let latin1 = |encoding: &str, headline: &str, path: &str| {
        encoding_rs::WINDOWS_1252
            .encode(&one_item(encoding, headline, path))
            .0
            .into_owned()
    };
    for (file, bytes, slug) in [
        (
            "latin1.xml",
            latin1("ISO-8859-1", "Café in Latin-1", "a"),
            "cafe-in-latin-1",
        ),
        (
            "cp1252.xml",
            latin1("windows-1252", "Café in windows-1252", "b"),
            "cafe-in-windows-1252",
        ),
        (
            "utf16le.xml",
            utf16("Café in UTF-16LE", "c", false),
            "cafe-in-utf-16le",
        ),
        (
            "utf16be.xml",
            utf16("Café in UTF-16BE", "d", true),
            "cafe-in-utf-16be",
        ),
    ] {
        std::fs::write(site.root().join("feeds").join(file), bytes).unwrap();
        let source = format!("feeds/{file}");
        let run = gazette(&site, &["import", &source]);
        assert_eq!(run.code, 0, "{file}: {}", run.stderr);
        assert_eq!(run.stderr, format!("imported 1 entry from {source}\n"));
        let entry = site.page_source(&format!("content/2026-11-26/{slug}.md"));
        assert_contains(&entry, "headline: \"Café in ");
        assert_contains(&entry, "---\nNaïve ‘robots’\n");
    }

    let server = serve();
    let url = format!("{}/latin1.xml", server.base);
    let run = gazette(&site, &["import", &url]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_contains(
        &site.page_source("content/2026-11-26/cafe-by-http.md"),
        "---\nNaïve ‘robots’\n",
    );

    site.write("feeds/ebcdic.xml", &one_item("EBCDIC-FR", "Robots", "e"));
    let run = gazette(&site, &["import", "feeds/ebcdic.xml"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot import `feeds/ebcdic.xml`: it is in the encoding `EBCDIC-FR` (its XML declaration says so), which gazette cannot decode; ask its publisher for UTF-8\n\n"
    );
    assert_eq!(issue_files(&site, "2026-11-26").len(), 5);
}

// A relative link in an Atom summary resolves against the `xml:base` in
// scope (the feed's, else the entry's own), not against the entry's link.
#[test]
fn atom_links_resolve_against_xml_base() {
    let site = site();
    site.write(
        "feeds/base.xml",
        r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://www.theverge.com/">
<title>V</title><id>urn:x</id><updated>2026-11-25T10:00:00Z</updated>
<entry><title>Robots</title><link href="2026/11/25/robots"/><id>urn:1</id>
<updated>2026-11-25T05:00:00Z</updated>
<summary type="html">&lt;a href="tech/ai"&gt;AI section&lt;/a&gt;</summary></entry>
<entry xml:base="/2026/"><title>Chips</title><link href="11/25/chips"/><id>urn:2</id>
<updated>2026-11-25T05:00:00Z</updated>
<summary type="html">&lt;a href="tech/ai"&gt;AI this year&lt;/a&gt;</summary></entry>
</feed>
"#,
    );
    let run = gazette(&site, &["import", "feeds/base.xml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let robots = site.page_source("content/2026-11-26/robots.md");
    assert_contains(
        &robots,
        "url: \"https://www.theverge.com/2026/11/25/robots\"\n",
    );
    assert_contains(
        &robots,
        "---\n[AI section](<https://www.theverge.com/tech/ai>)\n",
    );
    let chips = site.page_source("content/2026-11-26/chips.md");
    assert_contains(
        &chips,
        "url: \"https://www.theverge.com/2026/11/25/chips\"\n",
    );
    assert_contains(
        &chips,
        "---\n[AI this year](<https://www.theverge.com/2026/tech/ai>)\n",
    );
}
