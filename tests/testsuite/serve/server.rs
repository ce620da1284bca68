//! A running `gazette serve` for the tests, and raw HTTP to it: requests
//! written as a browser or an attacker would, and the live-reload stream
//! read line by line.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::site_test::{NOW, SiteTest};

/// A running `gazette serve` (or `build --watch`), stopped when dropped,
/// also when a test fails.
pub(crate) struct Server {
    pub(crate) child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn start(site: &SiteTest, port: u16) -> Server {
    start_with(site, port, &[], |_| {})
}

/// `gazette serve` with `args` after the port, its command first changed
/// by `adjust`.
pub(crate) fn start_with(
    site: &SiteTest,
    port: u16,
    args: &[&str],
    adjust: impl FnOnce(&mut Command),
) -> Server {
    let server = spawn(site, port, args, adjust);
    // The root is the home page, or a redirect to it when the site lives
    // under a path of its own.
    wait_for(
        || matches!(get(port, "/").0, 200 | 307),
        "the server to answer",
    );
    server
}

/// [`start_with`] without waiting for the site: a broken one is never
/// answered with 200.
pub(crate) fn spawn(
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
    Server { child }
}

/// `gazette build --watch` in the site, and the lines of its stdout and
/// stderr as they come.
pub(crate) fn build_watch(site: &SiteTest) -> (Server, std::sync::mpsc::Receiver<String>) {
    let child = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "--watch"])
        .current_dir(site.root())
        .env("GAZETTE_NOW", NOW)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gazette build --watch starts");
    let mut server = Server { child };
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = server.child.stdout.take().expect("stdout");
    let stderr = server.child.stderr.take().expect("stderr");
    for out in [Box::new(stdout) as Box<dyn Read + Send>, Box::new(stderr)] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    (server, rx)
}

/// Stops `build --watch` and checks that what it left in the output folder
/// is byte for byte what `build` makes of the same files.
pub(crate) fn assert_watched_equals_build(site: &SiteTest, server: Server) {
    drop(server);
    let watched = site.output_files();
    site.build();
    assert_eq!(
        site.output_files(),
        watched,
        "the watched output equals a full build"
    );
}

/// Polls `ok` every 10 ms for up to 10 s.
pub(crate) fn wait_for(mut ok: impl FnMut() -> bool, what: &str) {
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
pub(crate) fn request(port: u16, method: &str, path: &str) -> (u16, String, String) {
    request_with(port, method, path, &format!("Host: 127.0.0.1:{port}\r\n"))
}

/// A raw request with these header lines (each ending in `\r\n`) and no
/// others but `Connection: close`.
pub(crate) fn request_with(
    port: u16,
    method: &str,
    path: &str,
    headers: &str,
) -> (u16, String, String) {
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

pub(crate) fn get(port: u16, path: &str) -> (u16, String, String) {
    request(port, "GET", path)
}

/// Reads server-sent events into a channel, as `event name` + `data` lines.
pub(crate) fn events(port: u16) -> std::sync::mpsc::Receiver<String> {
    events_with(port, &format!("Host: 127.0.0.1:{port}\r\n"))
}

/// Reads the response to a request for the event stream with these header
/// lines into a channel, line by line from the status line on.
pub(crate) fn events_with(port: u16, headers: &str) -> std::sync::mpsc::Receiver<String> {
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

/// Waits until event lines have named every one of `needles` (a rebuild
/// may tell open pages in more than one event: the edited page first);
/// returns those lines.
pub(crate) fn expect_events(rx: &std::sync::mpsc::Receiver<String>, needles: &[&str]) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = String::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(line) if line.starts_with("data:") => {
                seen.push_str(&line);
                seen.push('\n');
                if needles.iter().all(|needle| seen.contains(needle)) {
                    return seen;
                }
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    panic!("no events with all of {needles:?}; saw:\n{seen}");
}

/// Waits for an event line containing `needle`.
pub(crate) fn expect_event(rx: &std::sync::mpsc::Receiver<String>, needle: &str) -> String {
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
pub(crate) fn closed_within(mut stream: TcpStream, limit: Duration) -> (Option<Instant>, String) {
    let _ = stream.set_read_timeout(Some(limit));
    let mut received = Vec::new();
    let closed = match stream.read_to_end(&mut received) {
        Ok(_) => true,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
    };
    let received = String::from_utf8_lossy(&received).into_owned();
    (closed.then(Instant::now), received)
}
