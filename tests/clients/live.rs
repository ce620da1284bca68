//! Live reload in a real browser: the real `gazette serve` on a copy of the
//! repository's site, and `tests/clients/live.mjs` driving Chromium on its
//! issue page while it edits the site's files; once as the site is, at the
//! server's root, and once with a `base_url` under a path, where the page
//! must also follow an edit of that path. Screenshots of the reloaded page
//! and of the error overlay: `target/client-artifacts/live/` and
//! `live-path/`.

use std::fs::File;
use std::io::{Read as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::tools::{self, Missing};

/// How long `gazette serve` may take to answer its first request.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// A running `gazette serve`, killed when dropped (a failed assertion too).
pub(crate) struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Server {
    /// Starts `gazette serve` on `root` and waits until it answers; another
    /// port is tried if the one picked was taken in the meantime.
    pub(crate) fn start(root: &Path, log: &Path) -> Server {
        for attempt in 1..=3 {
            let port = crate::free_port();
            let out = File::create(log).expect("server log");
            let child = Command::new(env!("CARGO_BIN_EXE_gazette"))
                .args(["serve", "--root"])
                .arg(root)
                .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
                .env("GAZETTE_NOW", "2026-11-26T12:00:00Z")
                .stdin(Stdio::null())
                .stdout(out.try_clone().expect("server log"))
                .stderr(out)
                .spawn()
                .expect("gazette serve starts");
            let mut server = Server {
                child,
                port,
                log: log.to_path_buf(),
            };
            let started = Instant::now();
            loop {
                if let Some(status) = server.child.try_wait().expect("wait for gazette") {
                    let log = server.log();
                    if log.contains("cannot listen") && attempt < 3 {
                        break;
                    }
                    panic!("gazette serve exited ({status}) before answering:\n{log}");
                }
                if answers(port) {
                    return server;
                }
                assert!(
                    started.elapsed() < START_TIMEOUT,
                    "gazette serve did not answer on port {port} within {START_TIMEOUT:?}:\n{}",
                    server.log()
                );
                sleep(Duration::from_millis(100));
            }
        }
        unreachable!("the last attempt panics or returns")
    }

    /// `path` is relative to the server's root.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }

    /// The body of `GET path` (relative to the server's root); empty when
    /// it does not answer.
    pub(crate) fn get(&self, path: &str) -> String {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_secs(2)) else {
            return String::new();
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        let request = format!(
            "GET /{path} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.port
        );
        let mut response = String::new();
        if stream.write_all(request.as_bytes()).is_err()
            || stream.read_to_string(&mut response).is_err()
        {
            return String::new();
        }
        (response.split_once("\r\n\r\n"))
            .map(|(_, body)| body.to_owned())
            .unwrap_or_default()
    }

    /// What the server printed so far.
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether `GET /` on the port answers: 200, or 307 to a site under a path.
fn answers(port: u16) -> bool {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_secs(2)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let request = format!("GET / HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0; 12];
    stream.read_exact(&mut head).is_ok()
        && head.starts_with(b"HTTP/1.")
        && (&head[9..] == b"200" || &head[9..] == b"307")
}

// 6. Live reload: an entry edit reloads the issue page in place (scroll
// kept), a stylesheet edit restyles it without a navigation, a broken entry
// shows the error overlay over the last good page until it is fixed, and an
// entry the page does not show leaves it alone.
pub fn live_reload_in_chromium() -> Result<(), Missing> {
    live_reload("", None, "live")
}

// 6b. The same under a base path (`base_url: https://a47.example/news/`,
// previewed at `/news/`): the reload events name pages by their URL, so
// the page still reloads when, and only when, it changed; and an edit of
// `base_url`'s path sends the open page to itself under the new path.
pub fn live_reload_under_a_base_path_in_chromium() -> Result<(), Missing> {
    live_reload("news/", Some("/news-moved/"), "live-path")
}

/// Runs live.mjs on the repository's site served under `path` (relative to
/// the server's root, `` or `news/`); with `move_to`, it then moves the
/// site there by an edit of `base_url`.
fn live_reload(path: &str, move_to: Option<&str>, artifacts: &str) -> Result<(), Missing> {
    tools::chromium()?;
    let _one_at_a_time = crate::BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("temp");
    let root = dir.path().join("site");
    crate::copy_tree(&repo.join("content"), &root.join("content"));
    crate::copy_theme(&root);
    let site_yaml = root.join("content/site.yaml");
    let yaml = std::fs::read_to_string(&site_yaml).expect("site.yaml");
    let under = yaml.replace(
        "base_url: https://a47.example/\n",
        &format!("base_url: https://a47.example/{path}\n"),
    );
    assert!(
        path.is_empty() || under != yaml,
        "no base_url line to give a path"
    );
    std::fs::write(&site_yaml, under).expect("site.yaml");
    let artifacts = repo.join("target/client-artifacts").join(artifacts);
    std::fs::create_dir_all(&artifacts).expect("artifacts folder");

    let started = Instant::now();
    let server = Server::start(&root, &dir.path().join("serve.log"));
    let up = started.elapsed();
    let mut command = Command::new("node");
    command
        .arg(tools::clients_dir().join("live.mjs"))
        .args(["--url", &server.url(&format!("{path}2026/11/25/"))])
        .arg("--site")
        .arg(&root)
        .arg("--artifacts")
        .arg(&artifacts)
        .env("CHROME_PATH", "/usr/bin/chromium");
    if let Some(to) = move_to {
        command.args(["--move-to", to]);
    }
    let out = command.output().expect("node runs");
    assert!(
        out.status.success(),
        "live.mjs failed:\n{}\nserver log:\n{}",
        String::from_utf8_lossy(&out.stderr),
        server.log()
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "live.mjs printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    let steps = &json["steps"];
    // Everything needed to tell a slow machine from a broken reload.
    let context = || {
        format!(
            "events seen by the page (ms since the script started): {:#}\nnavigations: {:#}\npage errors: {}\nserver log:\n{}",
            json["events"],
            json["navigations"],
            json["pageErrors"],
            server.log()
        )
    };
    for (step, what) in [
        ("reload", "an entry edit reloads the issue page"),
        ("css", "a stylesheet edit restyles the page in place"),
        ("problem", "a broken entry shows the overlay until fixed"),
        (
            "unrelated",
            "an entry the page does not show leaves it alone",
        ),
    ] {
        assert_eq!(
            steps[step]["ok"],
            true,
            "{what}: {:#}\n{}",
            steps[step],
            context()
        );
    }

    let reload = &steps["reload"];
    assert!(reload["navigations"].as_u64() >= Some(1) && reload["markerGone"] == true);
    let (before, after) = (
        reload["scrollBefore"].as_f64().unwrap_or(0.0),
        reload["scrollAfter"].as_f64().unwrap_or(-1.0),
    );
    assert!(
        before >= 100.0 && (after - before).abs() <= 60.0,
        "scroll {before} -> {after}"
    );

    let css = &steps["css"];
    assert_eq!(css["after"], "solid 3px rgb(1, 2, 3)", "{css:#}");
    assert_eq!(css["navigations"], 0, "{css:#}");
    assert_eq!(css["markerKept"], true, "{css:#}");

    let problem = &steps["problem"];
    assert!(
        problem["overlayText"]
            .as_str()
            .is_some_and(|t| t.contains("nosuchoutlet")),
        "{problem:#}"
    );
    for field in [
        "lastGood",
        "markerKept",
        "newTabOverlay",
        "markerKeptAfterFix",
    ] {
        assert_eq!(problem[field], true, "problem.{field}: {problem:#}");
    }
    assert_eq!(problem["navigations"], 0, "{problem:#}");

    let unrelated = &steps["unrelated"];
    assert_eq!(unrelated["navigations"], 0, "{unrelated:#}");
    assert_eq!(unrelated["markerKept"], true, "{unrelated:#}");

    let moved = &steps["moved"];
    if let Some(to) = move_to {
        assert_eq!(
            moved["ok"],
            true,
            "an edit of base_url's path sends the page there: {moved:#}\n{}",
            context()
        );
        assert_eq!(
            moved["urlAfter"],
            server.url(&format!("{}2026/11/25/", &to[1..])),
            "{moved:#}"
        );
        assert_eq!(moved["markerGone"], true, "{moved:#}");
        assert_eq!(moved["reconnected"], true, "{moved:#}");
    }

    for shot in [&reload["screenshot"], &problem["screenshot"]] {
        assert!(
            shot.as_str().is_some_and(|p| Path::new(p).is_file()),
            "no screenshot: {shot}"
        );
    }
    let ms = |step: &Value, field: &str| step[field].as_u64().unwrap_or(0);
    tools::report(&format!(
        "live reload: server up in {} ms; edit -> event / page shows it: reload {}/{} ms (scroll {before} -> {after}), css {}/{} ms, problem {}/{} ms, fix {}/{} ms, unrelated entry {} ms, page kept{}; {:.1} s in Chromium; screenshots in {}",
        up.as_millis(),
        ms(reload, "eventMs"),
        ms(reload, "shownMs"),
        ms(css, "eventMs"),
        ms(css, "appliedMs"),
        ms(problem, "eventMs"),
        ms(problem, "overlayMs"),
        ms(problem, "okEventMs"),
        ms(problem, "goneMs"),
        ms(unrelated, "eventMs"),
        if move_to.is_some() {
            format!(
                "; under /{path}, moved by base_url in {} ms",
                ms(moved, "shownMs")
            )
        } else {
            String::new()
        },
        json["seconds"].as_f64().unwrap_or(0.0),
        artifacts.display(),
    ));

    // Last, so that every step above is known good when this fails: the
    // diagnostics must be readable (WCAG AA) over whatever page they cover.
    let contrast = &problem["contrast"];
    assert!(
        contrast["ratio"].as_f64().is_some_and(|r| r >= 4.5),
        "the overlay's diagnostics are unreadable: contrast {contrast}; the page's own \
         styles reach into the overlay (see {}/overlay.png)",
        artifacts.display()
    );
    Ok(())
}
