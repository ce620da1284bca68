//! Live preview: incremental rebuilds equal full builds, and the real
//! `gazette serve` serves, reloads, survives broken saves, keeps paths
//! inside the site, answers only its own host names and outlasts idle
//! connections.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gazette::serve::engine::Engine;
use gazette::serve::watch::{Plan, plan};
use gazette::{Options, Outcome};

use crate::common::free_port;
use crate::site_test::{NOW, SiteTest, assert_contains};

/// A small deterministic generator for random edits.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % below.max(1)
    }
}

const OUTLETS: [&str; 2] = ["tnw", "bloomberg"];
const TAGS: [&str; 4] = ["chips", "policy", "spacex", "infrastructure"];
const STORIES: [&str; 2] = ["colossus", "chips-story"];

fn entry(rng: &mut Lcg, n: usize) -> String {
    let story = match rng.next(4) {
        0 => format!("story: {}\n", STORIES[0]),
        1 => format!("story: {}\n", STORIES[1]),
        _ => String::new(),
    };
    format!(
        "---\nheadline: Headline {n} v{}\noutlet: {}\nurl: https://t.example/{n}\n{story}tags: [{}]\nweight: {}\n---\nSummary {n}, version {}.\n",
        rng.next(1000),
        OUTLETS[rng.next(2)],
        TAGS[rng.next(4)],
        rng.next(5),
        rng.next(1000),
    )
}

/// The base fixture grown to a few issues of entries and two stories.
fn generated_site() -> SiteTest {
    let site = SiteTest::new("");
    let mut rng = Lcg(7);
    site.write(
        "content/2026-11-24/chips-story.md",
        "---\nkind: story\nheadline: Chips story\ntags: [chips]\n---\n## What happened\n\nChips.\n",
    );
    for n in 0..18 {
        let day = 22 + n % 4;
        site.write(
            &format!("content/2026-11-{day}/e{n:02}.md"),
            &entry(&mut rng, n),
        );
    }
    site
}

/// One random change to the site; returns the paths it touched.
fn random_edit(site: &SiteTest, rng: &mut Lcg, counter: &mut usize) -> Vec<PathBuf> {
    let root = site.root();
    let entries: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('e'))
                && p.extension().is_some_and(|x| x == "md")
        })
        .collect();
    let pick = |rng: &mut Lcg| entries[rng.next(entries.len())].clone();
    *counter += 1;
    let n = 100 + *counter;
    match rng.next(10) {
        // Rewrite an entry: headline, outlet, story, tags, weight, summary.
        0..=2 if !entries.is_empty() => {
            let path = pick(rng);
            std::fs::write(&path, entry(rng, n)).expect("write");
            vec![path]
        }
        // Delete an entry.
        3 if entries.len() > 3 => {
            let path = pick(rng);
            std::fs::remove_file(&path).expect("remove");
            vec![path]
        }
        // Rename an entry (its URL changes).
        4 if !entries.is_empty() => {
            let from = pick(rng);
            let to = from.with_file_name(format!("e{n}.md"));
            std::fs::rename(&from, &to).expect("rename");
            vec![from, to]
        }
        // A new issue folder with an entry, now or in the future.
        5 => {
            let day = 20 + rng.next(9);
            let path = root.join(format!("content/2026-11-{day}/e{n}.md"));
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, entry(rng, n)).expect("write");
            vec![path]
        }
        // The story's explainer.
        6 => {
            let path = root.join("content/2026-11-25/colossus.md");
            std::fs::write(&path, format!("---\nkind: story\nheadline: Colossus v{n}\ndek: Dek {n}\ntags: [{}]\nweight: {}\n---\n## What happened\n\nVersion {n}.\n", TAGS[rng.next(4)], rng.next(3)))
                .expect("write");
            vec![path]
        }
        // Site settings: everything changes.
        7 => {
            let path = root.join("content/site.yaml");
            std::fs::write(&path, format!("title: Fixture Daily {}\nbase_url: https://fixture.example/\ntimezone: America/Chicago\nsummary_length: {}\n", rng.next(3), 20 + rng.next(60)))
                .expect("write");
            vec![path]
        }
        // A template.
        8 => {
            let path = root.join("templates/entry.html");
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            let theme = std::fs::read_to_string(root.join("themes/default/templates/entry.html"))
                .expect("theme template");
            let marked = theme.replace(
                "{% endblock main %}",
                &format!("<!-- v{} -->{{% endblock main %}}", rng.next(2)),
            );
            std::fs::write(&path, marked).expect("write");
            vec![path]
        }
        // A stylesheet.
        _ => {
            let path = root.join("static/extra.css");
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, format!("body {{ --v: {n}; }}\n")).expect("write");
            vec![path]
        }
    }
}

fn options(root: &Path) -> Options {
    Options {
        root: root.to_path_buf(),
        now: Some(
            chrono::DateTime::parse_from_rfc3339(NOW)
                .expect("NOW")
                .to_utc(),
        ),
        ..Options::default()
    }
}

/// The files of a full build of `root`, or `None` when the site has errors.
fn full_build(root: &Path, out: &Path) -> Option<BTreeMap<String, Vec<u8>>> {
    let _ = std::fs::remove_dir_all(out);
    let options = Options {
        output: Some(out.to_path_buf()),
        ..options(root)
    };
    match gazette::build(&options).expect("build runs") {
        Outcome::Done(_) => {}
        Outcome::Failed(_) => return None,
    }
    Some(
        walkdir::WalkDir::new(out)
            .into_iter()
            .filter_map(Result::ok)
            // The manifest is the output folder's bookkeeping, not the site.
            .filter(|e| e.file_type().is_file() && e.file_name() != gazette::output::MANIFEST)
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(out)
                    .expect("inside")
                    .to_string_lossy()
                    .into_owned();
                (rel, std::fs::read(e.path()).expect("read"))
            })
            .collect(),
    )
}

// After each of 200 random sequences of edits (entries rewritten, deleted,
// renamed, new issue folders, the explainer, site.yaml, a template, a
// stylesheet), each rebuilt incrementally as the watcher plans it, the site
// in memory is byte for byte what a fresh full build gives.
#[test]
fn incremental_rebuilds_equal_full_builds() {
    let site = generated_site();
    let root = site.root().to_path_buf();
    let out = tempfile::tempdir().expect("temp");
    let mut engine = Engine::new(options(&root));
    assert!(matches!(
        engine.rebuild(&Plan::all()).expect("rebuild"),
        Outcome::Done(_)
    ));
    let mut rng = Lcg(2026);
    let mut counter = 0;
    let mut skipped_renders = 0;
    for sequence in 0..200 {
        for _ in 0..1 + rng.next(3) {
            let touched = random_edit(&site, &mut rng, &mut counter);
            let plan = plan(&root, "default", &root.join("public"), &touched);
            match engine.rebuild(&plan).expect("rebuild") {
                Outcome::Done(changes) => {
                    skipped_renders += usize::from(changes.rendered < engine.files().len() / 2)
                }
                Outcome::Failed(d) => panic!(
                    "sequence {sequence}: the edit broke the site: {}",
                    d[0].render()
                ),
            }
        }
        let full = full_build(&root, &out.path().join("public")).expect("the full build succeeds");
        let incremental: BTreeMap<String, Vec<u8>> = engine
            .files()
            .iter()
            .map(|(k, v)| (k.clone(), v.to_vec()))
            .collect();
        if incremental != full {
            let differ: Vec<&String> = full
                .keys()
                .chain(incremental.keys())
                .filter(|k| full.get(*k) != incremental.get(*k))
                .collect();
            panic!("sequence {sequence}: incremental and full builds differ in {differ:?}");
        }
    }
    // Most rebuilds rendered a part of the site only: the point of it all.
    assert!(
        skipped_renders > 100,
        "only {skipped_renders} of the rebuilds were partial"
    );
}

/// A running `gazette serve` (or `build --watch`), stopped when dropped,
/// also when a test fails.
struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &SiteTest, port: u16) -> Server {
    start_with(site, port, &[], |_| {})
}

/// `gazette serve` with `args` after the port, its command first changed
/// by `adjust`.
fn start_with(
    site: &SiteTest,
    port: u16,
    args: &[&str],
    adjust: impl FnOnce(&mut Command),
) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    command
        .args(["serve", "--port", &port.to_string()])
        .args(args)
        .current_dir(site.root())
        .env("GAZETTE_NOW", NOW)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    adjust(&mut command);
    let child = command.spawn().expect("gazette serve starts");
    let server = Server { child };
    wait_for(|| get(port, "/").0 == 200, "the server to answer");
    server
}

/// Polls `ok` every 10 ms for up to 10 s.
fn wait_for(mut ok: impl FnMut() -> bool, what: &str) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        if ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("timed out waiting for {what}");
}

/// A raw HTTP request (raw, so that `..` reaches the server as written).
fn request(port: u16, method: &str, path: &str) -> (u16, String, String) {
    request_with(port, method, path, &format!("Host: 127.0.0.1:{port}\r\n"))
}

/// A raw request with these header lines (each ending in `\r\n`) and no
/// others but `Connection: close`.
fn request_with(port: u16, method: &str, path: &str, headers: &str) -> (u16, String, String) {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return (0, String::new(), String::new());
    };
    // A server that hangs fails the test instead of stalling it.
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
    let _ = write!(
        stream,
        "{method} {path} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n"
    );
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_owned(), body.to_owned())
}

fn get(port: u16, path: &str) -> (u16, String, String) {
    request(port, "GET", path)
}

/// Reads server-sent events into a channel, as `event name` + `data` lines.
fn events(port: u16) -> std::sync::mpsc::Receiver<String> {
    events_with(port, &format!("Host: 127.0.0.1:{port}\r\n"))
}

/// Reads the response to a request for the event stream with these header
/// lines into a channel, line by line from the status line on.
fn events_with(port: u16, headers: &str) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(stream, "GET /__gazette/events HTTP/1.1\r\n{headers}\r\n").expect("request");
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Waits for an event line containing `needle`.
fn expect_event(rx: &std::sync::mpsc::Receiver<String>, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(line) if line.contains(needle) => return line,
            Ok(_) => {}
            Err(_) => break,
        }
    }
    panic!("no event with `{needle}`");
}

/// Reads `stream` until the server closes it: when that was (`None`: not
/// within `limit`), and what came.
fn closed_within(mut stream: TcpStream, limit: Duration) -> (Option<Instant>, String) {
    let _ = stream.set_read_timeout(Some(limit));
    let mut received = Vec::new();
    let closed = match stream.read_to_end(&mut received) {
        Ok(_) => true,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
    };
    let received = String::from_utf8_lossy(&received).into_owned();
    (closed.then(Instant::now), received)
}

/// This process's limit of open files: (soft, hard).
#[cfg(unix)]
fn open_files() -> (u64, u64) {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `getrlimit` writes one `rlimit` through a valid pointer.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return (0, 0);
    }
    #[allow(clippy::unnecessary_cast)]
    (limit.rlim_cur as u64, limit.rlim_max as u64)
}

/// Sets this process's soft limit of open files, keeping the hard one.
/// Only getrlimit and setrlimit: safe between fork and exec.
#[cfg(unix)]
fn set_soft_open_files(soft: u64) -> std::io::Result<()> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `getrlimit` writes and `setrlimit` reads one `rlimit` through
    // a valid pointer.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        #[allow(clippy::useless_conversion)]
        let soft = libc::rlim_t::try_from(soft).unwrap_or(limit.rlim_max);
        limit.rlim_cur = soft.min(limit.rlim_max);
        if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// A line on stderr that the test harness does not capture: figures, and
/// why a test did not run.
fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "    {line}");
}

/// Reports a test that cannot run here; it then returns without failing.
fn skip(why: &str) {
    report(&format!("skipped: {why}"));
}

// The real server: pages with the reload script, folders, 404 with the
// site's page, HEAD, feeds' content types, and no way out of the site.
#[test]
fn serve_serves_the_site_and_nothing_else() {
    let site = SiteTest::new("");
    let port = free_port();
    let _server = start(&site, port);
    let (status, head, body) = get(port, "/2026/11/25/");
    assert_eq!(status, 200);
    assert_contains(
        &head.to_lowercase(),
        "content-type: text/html; charset=utf-8",
    );
    assert_contains(
        &body,
        "<script src=\"/__gazette/reload.js\"></script></body>",
    );
    assert_contains(&body, "href=\"http://127.0.0.1:");
    assert_eq!(get(port, "/2026/11/25").0, 301);
    let (status, _, body) = get(port, "/no/such/page/");
    assert_eq!(status, 404);
    assert_contains(&body, "Page not found");
    let (status, head, body) = request(port, "HEAD", "/feed.xml");
    assert_eq!(status, 200);
    assert_contains(&head.to_lowercase(), "content-type: application/rss+xml");
    assert!(body.is_empty());
    for path in [
        "/../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/2026/..%2f..%2f..%2fetc%2fpasswd",
        "//etc/passwd",
        "/..\\..\\etc\\passwd",
    ] {
        let (status, _, body) = get(port, path);
        assert!(status == 400 || status == 404, "{path} answered {status}");
        assert!(!body.contains("root:"), "{path} leaked a file");
    }
    // The preview never writes the output folder.
    assert!(!site.root().join("public").exists());
}

// Edits show up over HTTP with a reload event naming the changed pages; a
// broken save keeps the last good page and sends the error; the next good
// save clears it; a stylesheet edit asks for a swap, not a reload.
#[test]
fn serve_rebuilds_on_save_and_survives_errors() {
    let site = SiteTest::new("");
    let port = free_port();
    let _server = start(&site, port);
    let rx = events(port);
    let entry = "content/2026-11-25/tnw-colossus.md";
    site.write(entry, "---\nheadline: Zebra headline\noutlet: tnw\nurl: https://thenextweb.com/news/colossus\nstory: colossus\n---\nText.\n");
    wait_for(
        || {
            get(port, "/2026/11/25/tnw-colossus/")
                .2
                .contains("Zebra headline")
        },
        "the edit to be served",
    );
    let reload = expect_event(&rx, "2026/11/25/tnw-colossus/index.html");
    assert_contains(&reload, "2026/11/25/index.html");
    assert!(
        !reload.contains("about/index.html"),
        "a page that did not change is not reloaded: {reload}"
    );

    site.write(entry, "---\nheadline: Yak headline\noutlet: nosuchoutlet\nurl: https://thenextweb.com/news/colossus\n---\nText.\n");
    let problem = expect_event(&rx, "nosuchoutlet");
    assert_contains(&problem, "unknown outlet");
    assert_contains(&get(port, "/2026/11/25/tnw-colossus/").2, "Zebra headline");

    site.write(entry, "---\nheadline: Yak headline\noutlet: tnw\nurl: https://thenextweb.com/news/colossus\n---\nText.\n");
    expect_event(&rx, "event: ok");
    wait_for(
        || {
            get(port, "/2026/11/25/tnw-colossus/")
                .2
                .contains("Yak headline")
        },
        "the fix to be served",
    );

    // A new issue folder, then a deleted entry.
    site.write(
        "content/2026-11-26/fresh.md",
        "---\nheadline: Fresh news\noutlet: tnw\nurl: https://t.example/fresh\n---\n",
    );
    wait_for(|| get(port, "/2026/11/26/fresh/").0 == 200, "the new issue");
    site.remove("content/2026-11-26/fresh.md");
    wait_for(
        || get(port, "/2026/11/26/fresh/").0 == 404,
        "the deleted entry to go",
    );

    std::fs::create_dir_all(site.root().join("static")).expect("mkdir");
    site.write("static/style.css", "body { color: rebeccapurple; }\n");
    expect_event(&rx, "event: css");
    wait_for(
        || get(port, "/style.css").2.contains("rebeccapurple"),
        "the stylesheet",
    );
}

// DNS rebinding: a foreign `Host` gets a 403 that names it and the flag,
// and none of the page; this machine's names and an `--allow-host` name are
// served; a request without `Host` is refused; a foreign `Origin` cannot
// open the live-reload stream, the page's own can.
#[test]
fn serve_answers_only_its_own_host_names() {
    let site = SiteTest::new("");
    let port = free_port();
    let _server = start_with(&site, port, &["--allow-host", "preview.test"], |_| {});
    let page = "/2026/11/25/";
    let with_host = |host: &str| request_with(port, "GET", page, &format!("Host: {host}\r\n"));

    let (status, head, body) = with_host(&format!("evil.example:{port}"));
    assert_eq!(status, 403);
    assert_contains(&head.to_lowercase(), "content-type: text/plain");
    assert_contains(&body, &format!("refused the host `evil.example:{port}`"));
    assert_contains(&body, "`--allow-host evil.example`");
    assert!(
        !body.contains('<') && !body.contains("Colossus"),
        "the refusal carries page bytes: {body}"
    );
    let (status, _, body) = request_with(
        port,
        "GET",
        "/__gazette/reload.js",
        "Host: evil.example\r\n",
    );
    assert_eq!(status, 403, "{body}");
    let (status, _, body) = request_with(port, "GET", page, "");
    assert_eq!(status, 403);
    assert_contains(&body, "without a `Host` header");

    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("preview.test:{port}"),
    ] {
        let (status, _, body) = with_host(&host);
        assert_eq!(status, 200, "{host}: {body}");
        assert_contains(&body, "<script src=\"/__gazette/reload.js\"></script>");
    }

    let host = format!("Host: 127.0.0.1:{port}\r\n");
    let (status, _, body) = request_with(
        port,
        "GET",
        "/__gazette/events",
        &format!("{host}Origin: http://evil.example:{port}\r\n"),
    );
    assert_eq!(status, 403);
    assert_contains(&body, "`--allow-host evil.example`");
    let own = events_with(port, &format!("{host}Origin: http://127.0.0.1:{port}\r\n"));
    let status_line = own
        .recv_timeout(Duration::from_secs(10))
        .expect("the stream's status line");
    assert_contains(&status_line, " 200 ");
}

// 1,100 idle connections, more than the 1,024 open files many systems start
// a process with, do not keep a real request from its page: the server
// raises its own limit and caps connections below it.
#[cfg(unix)]
#[test]
fn serve_answers_past_a_thousand_idle_connections() {
    const IDLE: usize = 1_100;
    // This process holds the idle connections: it needs the descriptors too.
    let (soft, hard) = open_files();
    let needed = IDLE as u64 + 100;
    if soft < needed && set_soft_open_files(needed.min(hard)).is_err() {
        return skip(&format!("cannot raise this test's open files from {soft}"));
    }
    // The server caps connections at half its hard limit.
    if hard < 2 * needed {
        return skip(&format!(
            "the hard limit of open files, {hard}, leaves the server fewer than {IDLE} connections"
        ));
    }
    let site = SiteTest::new("");
    let port = free_port();
    let _server = start_with(&site, port, &[], |command| {
        use std::os::unix::process::CommandExt as _;
        // Started as many systems start a process: 1,024 open files, the
        // hard limit higher.
        // SAFETY: between fork and exec the closure only calls getrlimit and
        // setrlimit, both async-signal-safe.
        unsafe { command.pre_exec(|| set_soft_open_files(1024)) };
    });

    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let started = Instant::now();
    let mut idle = Vec::with_capacity(IDLE);
    while idle.len() < IDLE {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "only {} connections opened in 30 s",
            idle.len()
        );
        let stream = TcpStream::connect_timeout(&address, Duration::from_secs(5))
            .unwrap_or_else(|e| panic!("idle connection {}: {e}", idle.len() + 1));
        idle.push(stream);
    }
    let opened = started.elapsed();

    let asked = Instant::now();
    let (status, _, body) = get(port, "/2026/11/25/");
    let took = asked.elapsed();
    assert_eq!(status, 200, "with {IDLE} idle connections open: {body}");
    assert_contains(&body, "<script src=\"/__gazette/reload.js\"></script>");
    assert!(
        took < Duration::from_secs(2),
        "the page took {took:?} with {IDLE} idle connections open"
    );
    report(&format!(
        "{IDLE} idle connections opened in {opened:.2?}; the page then took {took:.2?}"
    ));
    drop(idle);
}

// With the idle time cut to 300 ms (`GAZETTE_SERVE_IDLE_MS`, read by
// `serve` for tests like this one), a connection that sends nothing and one
// idle after its request are closed, while the live-reload stream, quiet
// but for its keep-alive comments, stays open and still reloads.
#[test]
fn serve_closes_quiet_connections_but_not_live_reload() {
    let site = SiteTest::new("");
    let port = free_port();
    let _server = start_with(&site, port, &[], |command| {
        command.env("GAZETTE_SERVE_IDLE_MS", "300");
    });
    let rx = events(port);
    let opened = Instant::now();
    let silent = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let mut kept = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(kept, "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").expect("request");
    let (kept_closed, response) = closed_within(kept, Duration::from_secs(5));
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let (silent_closed, _) = closed_within(silent, Duration::from_secs(5));
    for (what, closed) in [
        ("a silent connection", silent_closed),
        ("a kept-alive one", kept_closed),
    ] {
        let after = closed.unwrap_or_else(|| panic!("{what} was never closed")) - opened;
        assert!(
            after >= Duration::from_millis(250),
            "{what} was closed after {after:?}, before the idle time"
        );
    }

    std::thread::sleep(Duration::from_millis(1500));
    let comments = rx.try_iter().filter(|line| line == ":").count();
    assert!(comments >= 3, "{comments} keep-alive comments in 1.5 s");
    site.write(
        "content/2026-11-25/tnw-colossus.md",
        "---\nheadline: Still listening\noutlet: tnw\nurl: https://thenextweb.com/news/colossus\nstory: colossus\n---\nText.\n",
    );
    expect_event(&rx, "2026/11/25/tnw-colossus/index.html");
}

// A busy port is a clear error that names it and suggests --port.
#[test]
fn serve_on_a_busy_port_says_so() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let site = SiteTest::new("");
    let run = site.run(&["serve", "--port", &port.to_string()]);
    assert_eq!(run.code, 2);
    assert_contains(&run.stderr, &format!("cannot listen on 127.0.0.1:{port}"));
    assert_contains(&run.stderr, "--port");
}

// After serving, a plain build is byte for byte what it is without serving:
// nothing of the preview (the reload script) leaks into the output.
#[test]
fn serving_leaves_no_trace_in_builds() {
    let site = SiteTest::new("");
    site.build();
    let before = site.output_files();
    let port = free_port();
    {
        let _server = start(&site, port);
        assert_contains(&get(port, "/").2, "reload.js");
    }
    site.build();
    assert_eq!(site.output_files(), before);
    assert!(
        !before
            .iter()
            .any(|(_, b)| String::from_utf8_lossy(b).contains("__gazette"))
    );
}

// Editors save by writing a temporary file and renaming it over the old one;
// a whole issue folder may be renamed. Both are seen, and the old URLs go.
#[test]
fn serve_follows_atomic_saves_and_renamed_folders() {
    let site = SiteTest::new("");
    let port = free_port();
    let _server = start(&site, port);
    let entry = site.root().join("content/2026-11-24/tnw-chips.md");
    let temp = site
        .root()
        .join("content/2026-11-24/tnw-chips.md___jb_tmp___");
    std::fs::write(
        &temp,
        "---\nheadline: Atomic chips\noutlet: tnw\nurl: https://thenextweb.com/news/chips\n---\n",
    )
    .expect("write");
    std::fs::rename(&temp, &entry).expect("rename");
    wait_for(
        || {
            get(port, "/2026/11/24/tnw-chips/")
                .2
                .contains("Atomic chips")
        },
        "the atomic save",
    );
    std::fs::rename(
        site.root().join("content/2026-11-24"),
        site.root().join("content/2026-11-23"),
    )
    .expect("rename folder");
    wait_for(
        || {
            get(port, "/2026/11/23/tnw-chips/")
                .2
                .contains("Atomic chips")
        },
        "the renamed folder",
    );
    assert_eq!(get(port, "/2026/11/24/tnw-chips/").0, 404);
}

// `build --watch` writes the output folder and rewrites it on each save,
// with the rebuild line on stdout; the file it writes is what `build` makes.
#[test]
fn build_watch_rewrites_the_output() {
    let site = SiteTest::new("");
    let child = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "--watch"])
        .current_dir(site.root())
        .env("GAZETTE_NOW", NOW)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("gazette build --watch starts");
    let mut server = Server { child };
    let stdout = server.child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let page = site.root().join("public/2026/11/24/tnw-chips/index.html");
    wait_for(|| page.is_file(), "the first build");
    site.write(
        "content/2026-11-24/tnw-chips.md",
        "---\nheadline: Watched chips\noutlet: tnw\nurl: https://thenextweb.com/news/chips\n---\n",
    );
    wait_for(
        || std::fs::read_to_string(&page).is_ok_and(|p| p.contains("Watched chips")),
        "the rewrite",
    );
    let line = expect_event(&rx, "content/2026-11-24/tnw-chips.md changed");
    assert_contains(&line, "re-rendered");
    drop(server);
    let watched = site.output_files();
    site.build();
    assert_eq!(
        site.output_files(),
        watched,
        "the watched output equals a full build"
    );
}
