//! `serve` under load: many readers while the editor saves, a slow client,
//! and every form of path that tries to leave the site.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::server::{get, request, start, wait_for};
use crate::common::free_port;
use crate::site_test::{SiteTest, assert_contains};

/// The resident memory of process `pid`, in KiB (Linux).
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A figure on stderr, which the harness does not capture.
fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "    {line}");
}

// 50 connections ask for 10,000 pages while 500 saves land: every answer
// is a 200 with the whole page (as long as its Content-Length says, ending
// in `</html>`, showing one headline of the entry or another, never a mix),
// the server's memory is about where it started once the saves stop, and
// the 99th percentile of the answers' time is reported.
#[test]
fn serve_answers_every_request_whole_while_saves_land() {
    const CONNECTIONS: usize = 50;
    const REQUESTS: usize = 10_000;
    const SAVES: usize = 500;
    let site = SiteTest::new("");
    let port = free_port();
    let server = start(&site, port);
    let pid = server.child.id();
    let entry = "content/2026-11-25/tnw-colossus.md";
    let original = site.page_source(entry);
    let headline = "SpaceX rented Colossus 1 to Anthropic";
    assert_contains(&original, headline);
    let paths = [
        "/",
        "/2026/11/25/",
        "/2026/11/25/tnw-colossus/",
        "/2026/11/25/colossus/",
        "/tags/",
        "/feed.xml",
        "/2026/11/25/email.html",
    ];
    // Warm up, then measure the memory of a server that has served.
    for path in paths {
        assert_eq!(get(port, path).0, 200, "{path}");
    }
    let before = rss_kib(pid);

    let done = Arc::new(AtomicBool::new(false));
    let saver = {
        let root = site.root().to_path_buf();
        let original = original.clone();
        let done = done.clone();
        std::thread::spawn(move || {
            for n in 0..SAVES {
                let text = original.replace(headline, &format!("Saved headline number {n}"));
                std::fs::write(root.join(entry), text).expect("save");
                std::thread::sleep(Duration::from_millis(10));
            }
            done.store(true, Ordering::SeqCst);
        })
    };
    let times = Arc::new(Mutex::new(Vec::with_capacity(REQUESTS)));
    let failures = Arc::new(Mutex::new(Vec::new()));
    let readers: Vec<_> = (0..CONNECTIONS)
        .map(|reader| {
            let times = times.clone();
            let failures = failures.clone();
            std::thread::spawn(move || {
                for n in 0..REQUESTS / CONNECTIONS {
                    let path = paths[(reader + n) % paths.len()];
                    let asked = Instant::now();
                    let (status, head, body) = request(port, "GET", path);
                    let took = asked.elapsed();
                    times.lock().expect("times").push(took);
                    let length = (head.lines())
                        .find_map(|l| {
                            l.to_lowercase()
                                .strip_prefix("content-length: ")
                                .map(str::to_owned)
                        })
                        .and_then(|n| n.trim().parse::<usize>().ok());
                    let whole = status == 200
                        && length == Some(body.len())
                        && (!path.ends_with('/') || body.trim_end().ends_with("</html>"));
                    // The entry's page shows one headline, the old or a saved one.
                    let one = path != "/2026/11/25/tnw-colossus/"
                        || usize::from(body.contains(headline))
                            + usize::from(body.contains("Saved headline number"))
                            == 1;
                    if !whole || !one {
                        failures.lock().expect("failures").push(format!(
                            "{path}: {status}, {} of {length:?} bytes",
                            body.len()
                        ));
                    }
                }
            })
        })
        .collect();
    for reader in readers {
        reader.join().expect("reader");
    }
    saver.join().expect("saver");
    assert!(done.load(Ordering::SeqCst));
    let failures = failures.lock().expect("failures");
    assert!(
        failures.is_empty(),
        "{} of {REQUESTS} requests failed, e.g. {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    // The last save is served once the rebuilds settle.
    wait_for(
        || {
            get(port, "/2026/11/25/tnw-colossus/")
                .2
                .contains(&format!("Saved headline number {}", SAVES - 1))
        },
        "the last save to be served",
    );
    let mut times = times.lock().expect("times").clone();
    times.sort_unstable();
    let p99 = times[times.len() * 99 / 100];
    let after = rss_kib(pid);
    report(&format!(
        "{REQUESTS} requests from {CONNECTIONS} connections during {SAVES} saves: none failed; median {:.1?}, p99 {p99:.1?}, worst {:.1?}; memory {before:?} KiB before, {after:?} KiB after",
        times[times.len() / 2],
        times[times.len() - 1],
    ));
    if let (Some(before), Some(after)) = (before, after) {
        assert!(
            after < before * 2 + 64 * 1024,
            "memory grew from {before} to {after} KiB"
        );
    }
}

// A client that sends its request a byte a second does not hold up the
// others, and paths that try to leave the site in any spelling are refused.
#[test]
fn serve_is_not_held_up_by_a_slow_client_and_stays_in_the_site() {
    let site = SiteTest::new("");
    std::fs::create_dir_all(site.root().join("static")).expect("mkdir");
    let port = free_port();
    let _server = start(&site, port);
    // A link out of the site put in static/ while serving: the rebuild
    // refuses it, and it is never served.
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/passwd", site.root().join("static/passwd.txt"))
        .expect("symlink");

    let mut slow = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let slow_client = std::thread::spawn(move || {
        for byte in b"GET / HTTP/1.1\r\nHost: 127" {
            if slow.write_all(&[*byte]).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        let mut rest = Vec::new();
        let _ = slow.read_to_end(&mut rest);
    });
    let started = Instant::now();
    for _ in 0..20 {
        let asked = Instant::now();
        assert_eq!(get(port, "/2026/11/25/").0, 200);
        assert!(
            asked.elapsed() < Duration::from_secs(1),
            "a page took {:?} beside a slow client",
            asked.elapsed()
        );
    }
    assert!(started.elapsed() < Duration::from_secs(5));

    for path in [
        "/../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/2026/..%2f..%2f..%2fetc%2fpasswd",
        "/..%5c..%5cetc%5cpasswd",
        "/..\\..\\etc\\passwd",
        "//etc/passwd",
        "/etc/passwd",
        "/%00/etc/passwd",
        "/index.html%00.txt",
        "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
        "/%252e%252e/%252e%252e/etc/passwd",
        "/passwd.txt",
        "/static/passwd.txt",
    ] {
        let (status, _, body) = get(port, path);
        assert!(matches!(status, 400 | 404), "{path} answered {status}");
        assert!(!body.contains("root:"), "{path} leaked a file");
    }
    let _ = slow_client.join();
}
