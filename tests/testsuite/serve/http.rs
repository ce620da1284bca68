//! What the real server answers: the site with the reload script and
//! nothing outside it, only to this machine's host names, past a thousand
//! idle connections, closing quiet ones but not live reload.

use std::io::Write as _;
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use super::server::{
    closed_within, events, events_with, expect_event, get, request, request_with, start, start_with,
};
use crate::common::free_port;
use crate::site_test::{SiteTest, assert_contains};

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

/// Reports a test that cannot run here. In CI (`CI=true`) that is a
/// failure, as for the client checks: a green run must mean the test ran.
/// Elsewhere it returns, with the reason on stderr.
fn skip(why: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("cannot run here: {why} (CI=true: a test that cannot run is a failure)");
    }
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

// `--port 0` takes a free port, and the terminal, the links and the
// check of the Host header are all of that port, not of `:0`.
#[test]
fn serve_on_port_zero_takes_a_free_one() {
    let site = SiteTest::new("");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["serve", "--port", "0"])
        .current_dir(site.root())
        .env("GAZETTE_NOW", crate::site_test::NOW)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("gazette serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let line = std::io::BufRead::lines(std::io::BufReader::new(stdout))
        .map_while(Result::ok)
        .find(|l| l.contains("serving at"));
    let port: Option<u16> = line.as_deref().and_then(|l| {
        let rest = l.split("http://127.0.0.1:").nth(1)?;
        rest.split('/').next()?.parse().ok()
    });
    let (status, body) = match port {
        Some(port) if port != 0 => {
            let (status, _, body) = get(port, "/");
            (status, body.contains(&format!("http://127.0.0.1:{port}/")))
        }
        _ => (0, false),
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(port.is_some_and(|p| p != 0), "{line:?}");
    assert_eq!(status, 200);
    assert!(body, "the home page links to its own port");
}

// A folder that is no site (no `content/site.yaml`, or not there at all)
// is refused as `build` refuses it, exit 1, instead of served as 404s or
// watched; the server never starts.
#[test]
fn serve_refuses_a_folder_that_is_no_site() {
    let site = SiteTest::empty();
    let missing = site.root().join("nowhere");
    let cases = [
        (vec![], "`.`".to_owned()),
        (
            vec!["--root".to_owned(), missing.display().to_string()],
            format!("`{}`", missing.display()),
        ),
    ];
    for (args, shown) in cases {
        let port = free_port().to_string();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(["serve", "--port", &port])
            .args(&args)
            .current_dir(site.root())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("gazette serve starts");
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if started.elapsed() > Duration::from_secs(10) {
                let _ = child.kill();
                let _ = child.wait();
                panic!("`serve {args:?}` kept running in a folder that is no site");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr)
            .expect("stderr");
        assert_eq!(status.code(), Some(1), "{stderr}");
        assert_eq!(
            stderr,
            format!(
                "error: no `content/site.yaml` in {shown}\n = help: run gazette in a site folder, or pass `--root DIR`\n\n"
            )
        );
        let build = site.run(
            &[
                &["build"],
                &args.iter().map(String::as_str).collect::<Vec<_>>()[..],
            ]
            .concat(),
        );
        assert_eq!(build.code, 1);
        assert_contains(&build.stderr, &stderr);
    }
}
