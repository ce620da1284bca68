//! `gazette send --proof` against a real SMTP server on 127.0.0.1
//! (aiosmtpd, `tests/clients/smtp.py`), which parses what it receives with
//! Python's email package: the proof is one multipart/alternative message
//! whose HTML and text are the built `email.html` and `email.txt`, with the
//! issue's subject and the site's `List-Unsubscribe`; a login, a refused
//! connection and a refused recipient are said clearly, naming the server,
//! and no credential ever shows.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use super::Script;
use crate::free_port;
use crate::tools::{self, Missing};

/// A user name and a password that must never show in any output.
const USER: &str = "a47-proof-user";
const PASSWORD: &str = "pw-7Hq2-do-not-print";

/// `smtp.py` running: its port, and the file it records messages in.
struct Server {
    _script: Script,
    port: u16,
    out: PathBuf,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let dir = tempfile::tempdir().expect("temp");
        let out = dir.path().join("received.jsonl");
        let mut all = vec![std::ffi::OsStr::new("--out"), out.as_os_str()];
        all.extend(args.iter().map(std::ffi::OsStr::new));
        let script = Script::start("smtp.py", &all);
        Server {
            port: script.ports[0],
            _script: script,
            out,
            _dir: dir,
        }
    }

    /// What it accepted, one value a message.
    fn received(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(&self.out).unwrap_or_default();
        text.lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect()
    }
}

/// The repository's site with an unsubscribe link and `smtp:` (no port:
/// each run gives it), built into `public/`.
fn site() -> (tempfile::TempDir, PathBuf) {
    let (dir, root) = crate::repo_copy();
    let yaml = root.join("content/site.yaml");
    let text = std::fs::read_to_string(&yaml).expect("site.yaml");
    let text = text.replacen(
        "  utm_medium: email\n",
        "  utm_medium: email\n  unsubscribe: https://a47.example/unsubscribe\n",
        1,
    );
    assert!(
        text.contains("unsubscribe:"),
        "the A47 site.yaml changed its email section"
    );
    let text = format!(
        "{text}smtp:\n  host: 127.0.0.1\n  tls: none\n  from: \"A47 <editor@a47.example>\"\n"
    );
    std::fs::write(&yaml, text).expect("write site.yaml");
    let built = gazette(&root, &[], &["build"]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    (dir, root)
}

/// `gazette ARGS` in `root`, with exactly the SMTP environment `env`.
fn gazette(root: &Path, env: &[(&str, String)], args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    command
        .args(args)
        .arg("--root")
        .arg(root)
        .env("GAZETTE_NOW", "2026-11-26T12:00:00Z");
    for name in [
        "GAZETTE_SMTP_HOST",
        "GAZETTE_SMTP_PORT",
        "GAZETTE_SMTP_TLS",
        "GAZETTE_SMTP_USERNAME",
        "GAZETTE_SMTP_PASSWORD",
        "GAZETTE_SMTP_FROM",
    ] {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("gazette runs")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn lf(text: &str) -> String {
    text.replace("\r\n", "\n")
}

// The proof reaches the server as one message with both editions, as built.
pub fn send_proof_delivers_the_email_edition_over_smtp() -> Result<(), Missing> {
    tools::python(&["aiosmtpd"])?;
    let (_dir, root) = site();
    let built = |name: &str| {
        std::fs::read_to_string(root.join("public/2026/11/25").join(name)).expect("built")
    };

    // Plain: the message as the reader's mail client gets it, the server
    // given as SPEC's `--smtp` URL; one delivery to each address.
    let server = Server::start(&[]);
    let run = gazette(
        &root,
        &[],
        &[
            "send",
            "--proof",
            "editor@a47.example",
            "--proof",
            "desk@a47.example",
            "--smtp",
            &format!("smtp://127.0.0.1:{}", server.port),
        ],
    );
    assert!(run.status.success(), "{}", text(&run));
    assert!(text(&run).contains(&format!("sent the proof of 2026-11-25 (\"Wednesday, November 25, 2026 · A47\") to editor@a47.example, desk@a47.example through 127.0.0.1:{}", server.port)), "{}", text(&run));
    let received = server.received();
    assert_eq!(received.len(), 2, "one message an address: {received:#?}");
    assert_eq!(
        (&received[0]["rcpt_tos"], &received[1]["rcpt_tos"]),
        (
            &serde_json::json!(["editor@a47.example"]),
            &serde_json::json!(["desk@a47.example"])
        )
    );
    assert_eq!(received[0]["to"], "editor@a47.example, desk@a47.example");
    let id = received[0]["message_id"].as_str().unwrap_or_default();
    assert!(
        id.starts_with('<') && id.ends_with('>') && id.contains('@'),
        "a Message-ID: {id:?}"
    );
    assert_eq!(received[1]["message_id"], received[0]["message_id"]);
    let m = &received[0];
    assert_eq!(m["from"], "A47 <editor@a47.example>");
    assert_eq!(m["subject"], "Wednesday, November 25, 2026 · A47");
    assert_eq!(m["list_unsubscribe"], "<https://a47.example/unsubscribe>");
    assert_eq!(m["content_type"], "multipart/alternative");
    let parts = m["parts"].as_array().expect("parts");
    assert_eq!(parts.len(), 2, "text and HTML: {parts:#?}");
    assert_eq!(
        (
            parts[0]["content_type"].as_str(),
            parts[0]["charset"].as_str()
        ),
        (Some("text/plain"), Some("utf-8"))
    );
    assert_eq!(
        (
            parts[1]["content_type"].as_str(),
            parts[1]["charset"].as_str()
        ),
        (Some("text/html"), Some("utf-8"))
    );
    assert!(
        lf(parts[0]["text"].as_str().unwrap_or("")) == lf(&built("email.txt")),
        "the text part is not email.txt"
    );
    assert!(
        lf(parts[1]["text"].as_str().unwrap_or("")) == lf(&built("email.html")),
        "the HTML part is not email.html"
    );

    // A server that wants a login: the right one goes through; a wrong one,
    // or none, is said, and no credential shows.
    let server = Server::start(&["--auth", &format!("{USER}:{PASSWORD}")]);
    let port = ("GAZETTE_SMTP_PORT", server.port.to_string());
    let user = ("GAZETTE_SMTP_USERNAME", USER.to_owned());
    let good = gazette(
        &root,
        &[
            port.clone(),
            user.clone(),
            ("GAZETTE_SMTP_PASSWORD", PASSWORD.to_owned()),
        ],
        &["send", "--proof", "editor@a47.example"],
    );
    assert!(good.status.success(), "{}", text(&good));
    assert_eq!(
        server
            .received()
            .first()
            .map(|m| m["authenticated"].clone()),
        Some(Value::Bool(true))
    );
    let wrong = gazette(
        &root,
        &[
            port.clone(),
            user,
            ("GAZETTE_SMTP_PASSWORD", format!("{PASSWORD}-wrong")),
        ],
        &["send", "--proof", "editor@a47.example"],
    );
    assert_eq!(wrong.status.code(), Some(1));
    let said = text(&wrong);
    assert!(
        said.contains(&format!(
            "error: nothing sent: 127.0.0.1:{} refused the login: permanent error (535)",
            server.port
        )),
        "{said}"
    );
    assert!(said.contains("help: check the user name"), "{said}");
    let none = gazette(&root, &[port], &["send", "--proof", "editor@a47.example"]);
    assert!(
        text(&none).contains("wants a login: permanent error (530)"),
        "{}",
        text(&none)
    );
    for out in [&good, &wrong, &none] {
        let said = text(out);
        assert!(
            !said.contains(PASSWORD) && !said.contains(USER),
            "a credential shows: {said}"
        );
    }
    assert_eq!(server.received().len(), 1, "only the good login sent");

    // Nothing listening.
    let closed = free_port();
    let refused = gazette(
        &root,
        &[("GAZETTE_SMTP_PORT", closed.to_string())],
        &["send", "--proof", "editor@a47.example"],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused).contains(&format!("cannot reach the SMTP server 127.0.0.1:{closed}")),
        "{}",
        text(&refused)
    );
    assert!(
        text(&refused).contains("check `smtp.host` and `smtp.port`"),
        "{}",
        text(&refused)
    );

    // TLS asked of a server that speaks plain SMTP: said as such, with
    // the settings to try, whichever way it was asked.
    let plain = Server::start(&[]);
    for (url, said) in [
        (
            format!("smtps://127.0.0.1:{}", plain.port),
            "does not speak TLS from the first byte",
        ),
        (
            format!("smtp://127.0.0.1:{}?tls=starttls", plain.port),
            "does not offer STARTTLS",
        ),
    ] {
        let run = gazette(
            &root,
            &[],
            &["send", "--proof", "editor@a47.example", "--smtp", &url],
        );
        assert_eq!(run.status.code(), Some(1), "{}", text(&run));
        assert!(text(&run).contains(said), "{url}: {}", text(&run));
        assert!(text(&run).contains("`tls: none`"), "{url}: {}", text(&run));
    }
    assert_eq!(plain.received().len(), 0, "nothing went out in the clear");

    // A recipient the server refuses: its reply, naming the address, and
    // who got the proof before it.
    let server = Server::start(&["--reject", "nobody@a47.example"]);
    let rejected = gazette(
        &root,
        &[("GAZETTE_SMTP_PORT", server.port.to_string())],
        &[
            "send",
            "--proof",
            "editor@a47.example",
            "--proof",
            "nobody@a47.example",
        ],
    );
    assert_eq!(rejected.status.code(), Some(1));
    let said = text(&rejected);
    assert!(
        said.contains(&format!(
            "error: sent only to editor@a47.example: 127.0.0.1:{} refused the proof to `nobody@a47.example`: permanent error (550)",
            server.port
        )),
        "{said}"
    );
    assert_eq!(server.received().len(), 1, "the proof reached editor@");
    tools::report(
        "send --proof: multipart/alternative with email.html and email.txt as built, subject, Message-ID and List-Unsubscribe, through --smtp; login, refused connection and recipient said, by address",
    );
    Ok(())
}
