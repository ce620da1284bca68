//! `gazette deploy s3://…` against a stand-in store on 127.0.0.1 that keeps
//! its objects in memory and fails on request: a deploy that fails part-way
//! says what went live and still records what it put in the bucket, so the
//! next deploy removes what the build no longer has. (The real store, moto,
//! is the client tier's: `tests/clients/publish/deploy.rs`.)

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use crate::site_test::{NOW, Run, SiteTest, assert_contains, run_with_env};

const BUCKET: &str = "a47-site";
/// What the bucket holds of the site, kept beside it by `gazette deploy`.
const RECORD: &str = ".gazette-deploy";

/// How the stand-in misbehaves.
#[derive(Debug, Clone, Copy)]
enum Fault {
    None,
    /// A PUT of this key gets S3's 500 `InternalError`; the rest work.
    Refuse(&'static str),
    /// This many more requests are answered, then none: each connection is
    /// closed unanswered, as by a store the network lost.
    DieAfter(usize),
}

struct State {
    objects: BTreeMap<String, Vec<u8>>,
    fault: Fault,
}

/// The stand-in, serving path-style requests (`/a47-site/KEY`) on its own
/// thread for the length of the test process.
struct Store {
    endpoint: String,
    state: Arc<Mutex<State>>,
}

impl Store {
    fn start() -> Store {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            objects: BTreeMap::new(),
            fault: Fault::None,
        }));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                answer(stream, &shared);
            }
        });
        Store { endpoint, state }
    }

    fn fail(&self, fault: Fault) {
        self.state.lock().unwrap().fault = fault;
    }

    /// The objects of the site, not the record, by key.
    fn site(&self) -> BTreeMap<String, Vec<u8>> {
        let mut objects = self.state.lock().unwrap().objects.clone();
        objects.remove(RECORD);
        objects
    }

    /// `gazette deploy s3://a47-site` of `site`, one upload at a time.
    fn deploy(&self, site: &SiteTest) -> Run {
        run_with_env(
            site.root(),
            NOW,
            &[
                ("AWS_ACCESS_KEY_ID", "AKIAGAZETTETESTKEY01"),
                ("AWS_SECRET_ACCESS_KEY", "test"),
                ("AWS_REGION", "us-east-1"),
            ],
            &[
                "deploy",
                &format!("s3://{BUCKET}"),
                "--endpoint",
                &self.endpoint,
                "--jobs",
                "1",
            ],
        )
    }
}

/// One request: read whole, answered as S3 would (or not, when dead), and
/// the connection closed.
fn answer(stream: TcpStream, state: &Mutex<State>) {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut words = line.split(' ');
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let mut length = 0;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let path = target.split('?').next().unwrap_or("");
    let key = path
        .strip_prefix(&format!("/{BUCKET}/"))
        .unwrap_or("")
        .to_owned();
    let mut state = state.lock().unwrap();
    match state.fault {
        // Dropped unanswered.
        Fault::DieAfter(0) => return,
        Fault::DieAfter(n) => state.fault = Fault::DieAfter(n - 1),
        Fault::Refuse(_) | Fault::None => {}
    }
    let (status, reply): (&str, Vec<u8>) = match method {
        "PUT" if matches!(state.fault, Fault::Refuse(refused) if refused == key) => (
            "500 Internal Server Error",
            b"<Error><Code>InternalError</Code><Message>injected failure</Message></Error>"
                .to_vec(),
        ),
        "PUT" => {
            state.objects.insert(key, body);
            ("200 OK", Vec::new())
        }
        "GET" => match state.objects.get(&key) {
            Some(bytes) => ("200 OK", bytes.clone()),
            None => (
                "404 Not Found",
                b"<Error><Code>NoSuchKey</Code></Error>".to_vec(),
            ),
        },
        "DELETE" => {
            state.objects.remove(&key);
            ("204 No Content", Vec::new())
        }
        _ => ("405 Method Not Allowed", Vec::new()),
    };
    let mut stream = reader.into_inner();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        reply.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&reply);
}

/// The files of the build, as its manifest lists them, by path.
fn built(site: &SiteTest) -> BTreeMap<String, Vec<u8>> {
    let public = site.root().join("public");
    site.page(".gazette-manifest")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|path| {
            let bytes = std::fs::read(public.join(path)).expect("a built file");
            (path.to_owned(), bytes)
        })
        .collect()
}

/// The fixture site, built and deployed whole to `store`.
fn deployed(store: &Store) -> SiteTest {
    let site = SiteTest::new("");
    site.build();
    let first = store.deploy(&site);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(store.site(), built(&site));
    site
}

// A deploy refused part-way (the home page's upload gets a 500) says how
// much went live, not "nothing deployed", and records what it uploaded: a
// file it put in the bucket, taken out of the site before the next deploy,
// is removed by that deploy.
#[test]
fn a_deploy_that_fails_part_way_records_what_it_uploaded() {
    let store = Store::start();
    let site = deployed(&store);
    let home = site.page("index.html");
    site.write("static/private-scan.txt", "not for readers");
    let entry = site.page_source("content/2026-11-25/tnw-colossus.md");
    site.write(
        "content/2026-11-25/tnw-colossus.md",
        &entry.replacen("\n---\n", "\n---\nAn editor's new line.\n\n", 1),
    );
    site.build();
    assert_ne!(site.page("index.html"), home, "the home page changed");

    store.fail(Fault::Refuse("index.html"));
    let broken = store.deploy(&site);
    assert_eq!(broken.code, 1, "{}", broken.stderr);
    assert!(
        !broken.stderr.contains("nothing deployed"),
        "{}",
        broken.stderr
    );
    assert_contains(
        &broken.stderr,
        &format!(
            "error: deploy incomplete: s3://{BUCKET}/ at {} refused uploading `index.html`: HTTP 500 InternalError: injected failure (",
            store.endpoint
        ),
    );
    assert_contains(
        &broken.stderr,
        "files uploaded and live, nothing removed; the next deploy finishes the job)",
    );
    assert!(store.site().contains_key("private-scan.txt"));

    store.fail(Fault::None);
    site.remove("static/private-scan.txt");
    site.build();
    let next = store.deploy(&site);
    assert_eq!(next.code, 0, "{}", next.stderr);
    assert_contains(&next.stdout, "- private-scan.txt");
    assert_eq!(store.site(), built(&site), "the bucket holds the build");
}

// A store lost part-way, so that the record cannot be written after the
// failure either: the record written before the first upload already names
// every object the run might put, so the next deploy removes both files
// the editor took out, the one that went up and the one whose upload was
// cut off.
#[test]
fn a_deploy_cut_off_by_the_network_leaves_no_object_out_of_the_record() {
    let store = Store::start();
    let site = deployed(&store);
    site.write("static/scan-1.txt", "not for readers");
    site.write("static/scan-2.txt", "not for readers either");
    site.build();

    // Reading the record, writing it, one upload; then nothing.
    store.fail(Fault::DieAfter(3));
    let broken = store.deploy(&site);
    assert_eq!(broken.code, 1, "{}", broken.stderr);
    assert_contains(
        &broken.stderr,
        "error: deploy incomplete: uploading `scan-2.txt` failed: cannot reach",
    );
    assert_contains(&broken.stderr, "(1 of 2 files uploaded and live");
    assert!(store.site().contains_key("scan-1.txt"));

    store.fail(Fault::None);
    site.remove("static/scan-1.txt").remove("static/scan-2.txt");
    site.build();
    let next = store.deploy(&site);
    assert_eq!(next.code, 0, "{}", next.stderr);
    assert_contains(&next.stdout, "- scan-1.txt");
    assert_eq!(store.site(), built(&site), "the bucket holds the build");
}
