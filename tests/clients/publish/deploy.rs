//! `gazette deploy s3://…` against a real S3 endpoint on 127.0.0.1 (moto in
//! server mode, `tests/clients/s3.py`), read back with boto3: every file
//! with its type and cache rule, a second deploy uploading nothing, an
//! edit uploading only what it changed, a removal last and capped, a dry
//! run changing nothing, a store that dies part-way leaving the old site
//! whole for the next run to finish, and a store that refuses the
//! credentials (a 403) leaving it as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use sha2::Digest as _;

use super::Script;
use crate::tools::{self, Missing};

const BUCKET: &str = "a47-site";
/// Credentials that must never show in any output (moto takes any).
const KEY_ID: &str = "AKIAGAZETTETESTKEY01";
const SECRET: &str = "gazette/test+secret+never+printed";

/// `s3.py serve` running: moto's port, the port of its proxy, and the
/// port of a store that refuses every request with a 403.
struct Store {
    _script: Script,
    port: u16,
    proxy: u16,
    refuser: u16,
}

impl Store {
    fn start(fail_after: Option<usize>) -> Store {
        let n = fail_after.map(|n| n.to_string());
        let mut args: Vec<&std::ffi::OsStr> = ["serve", "--bucket", BUCKET]
            .map(std::ffi::OsStr::new)
            .to_vec();
        if let Some(n) = &n {
            args.extend([
                std::ffi::OsStr::new("--fail-after"),
                std::ffi::OsStr::new(n),
            ]);
        }
        let script = Script::start("s3.py", &args);
        assert_eq!(
            script.ports.len(),
            3,
            "s3.py announces moto, its proxy and the refuser"
        );
        Store {
            port: script.ports[0],
            proxy: script.ports[1],
            refuser: script.ports[2],
            _script: script,
        }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every object: key → content_type, cache_control, redirect, size, sha256.
    fn objects(&self) -> BTreeMap<String, Value> {
        let out = Command::new("python3")
            .arg(tools::clients_dir().join("s3.py"))
            .args(["dump", "--endpoint", &self.endpoint(), "--bucket", BUCKET])
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("JSON")
    }
}

/// The repository's site, its record of published URLs too, built.
fn site() -> (tempfile::TempDir, PathBuf) {
    let (dir, root) = crate::repo_copy();
    // An old address of an entry: its redirect page is an object too.
    let entry = root.join("content/2026-11-25/tnw-colossus.md");
    let text = std::fs::read_to_string(&entry).expect("entry");
    std::fs::write(
        &entry,
        text.replacen(
            "\n---\n",
            "\naliases: [/2026/11/25/tnw-colossus-old/]\n---\n",
            1,
        ),
    )
    .expect("alias");
    build(&root);
    (dir, root)
}

/// The site deployed whole to moto, then an entry retired and the site
/// built again: what the bucket held after that first deploy, for a
/// second deploy that must fail and change nothing.
fn deployed_then_changed(store: &Store) -> (tempfile::TempDir, PathBuf, BTreeMap<String, String>) {
    let (dir, root) = site();
    let first = deploy(&root, &store.endpoint(), &[]);
    assert!(first.status.success(), "{}", said(&first));
    let old = held(&store.objects());
    retire_an_entry(&root);
    (dir, root, old)
}

/// The Techmeme entry deleted and its URL retired, then built: one page
/// the next deploy removes.
fn retire_an_entry(root: &Path) {
    let settings = root.join("content/site.yaml");
    let yaml = std::fs::read_to_string(&settings).expect("site.yaml");
    std::fs::write(
        &settings,
        format!("{yaml}retired:\n  - /2026/11/25/techmeme-colossus/\n"),
    )
    .expect("retire");
    std::fs::remove_file(root.join("content/2026-11-25/techmeme-colossus.md")).expect("remove");
    build(root);
}

fn build(root: &Path) {
    let out = gazette(root, &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn gazette(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("GAZETTE_NOW", "2026-11-26T12:00:00Z")
        .env("AWS_ACCESS_KEY_ID", KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_REGION", "us-east-1")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("gazette runs")
}

fn deploy(root: &Path, endpoint: &str, extra: &[&str]) -> Output {
    let mut args = vec!["deploy", "s3://a47-site", "--endpoint", endpoint];
    args.extend_from_slice(extra);
    let out = gazette(root, &args);
    said(&out);
    out
}

/// What a run printed, which must hold no credential.
fn said(out: &Output) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !text.contains(KEY_ID) && !text.contains(SECRET),
        "a credential shows:\n{text}"
    );
    text
}

/// The build's files by their SHA-256, as its manifest lists them.
fn built(root: &Path) -> BTreeMap<String, String> {
    let public = root.join("public");
    let manifest = std::fs::read_to_string(public.join(".gazette-manifest")).expect("manifest");
    manifest
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|path| {
            let bytes = std::fs::read(public.join(path)).expect("a built file");
            let hash: String = (sha2::Sha256::digest(&bytes).iter())
                .map(|b| format!("{b:02x}"))
                .collect();
            (path.to_owned(), hash)
        })
        .collect()
}

/// The objects of the site (not the record) by their SHA-256.
fn held(objects: &BTreeMap<String, Value>) -> BTreeMap<String, String> {
    objects
        .iter()
        .filter(|(k, _)| *k != ".gazette-deploy")
        .map(|(k, v)| (k.clone(), v["sha256"].as_str().unwrap_or("").to_owned()))
        .collect()
}

pub fn deploy_to_s3_uploads_only_what_changed() -> Result<(), Missing> {
    tools::python(&["moto", "boto3", "flask"])?;
    let store = Store::start(None);
    let (_dir, root) = site();
    let endpoint = store.endpoint();

    // First deploy: every file, with its type and cache rule.
    let first = deploy(&root, &endpoint, &[]);
    assert!(first.status.success(), "{}", said(&first));
    let objects = store.objects();
    assert_eq!(
        held(&objects),
        built(&root),
        "the bucket holds exactly the build"
    );
    let object = |key: &str| {
        objects
            .get(key)
            .unwrap_or_else(|| panic!("no object {key}"))
    };
    for (key, kind, cache) in [
        (
            "index.html",
            "text/html; charset=utf-8",
            "public, max-age=0, must-revalidate",
        ),
        (
            "2026/11/25/email.txt",
            "text/plain; charset=utf-8",
            "public, max-age=0, must-revalidate",
        ),
        (
            "atom.xml",
            "application/atom+xml; charset=utf-8",
            "public, max-age=0, must-revalidate",
        ),
        (
            "feed.json",
            "application/feed+json; charset=utf-8",
            "public, max-age=0, must-revalidate",
        ),
        ("2026/11/25/card.png", "image/png", "public, max-age=3600"),
    ] {
        assert_eq!(object(key)["content_type"], kind, "{key}");
        assert_eq!(object(key)["cache_control"], cache, "{key}");
    }
    // The alias's page: S3's website endpoint redirects by its header.
    let alias = object("2026/11/25/tnw-colossus-old/index.html");
    assert_eq!(alias["redirect"], "/2026/11/25/tnw-colossus/");
    assert_eq!(alias["content_type"], "text/html; charset=utf-8");
    let css = objects
        .keys()
        .find(|k| {
            k.starts_with("style.") && k.ends_with(".css") && k.len() == "style.12345678.css".len()
        })
        .expect("the fingerprinted stylesheet");
    assert_eq!(
        object(css)["cache_control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(object(css)["content_type"], "text/css; charset=utf-8");

    // The same build again: nothing goes up.
    let again = deploy(&root, &endpoint, &[]);
    assert!(again.status.success(), "{}", said(&again));
    assert!(
        said(&again).contains("0 added, 0 changed, 0 removed"),
        "{}",
        said(&again)
    );
    assert!(
        said(&again).contains("already holds this build: nothing uploaded"),
        "{}",
        said(&again)
    );

    // An edit: exactly the files whose bytes changed go up.
    let before = built(&root);
    let entry = root.join("content/2026-11-25/tnw-colossus.md");
    let text = std::fs::read_to_string(&entry).expect("entry");
    std::fs::write(
        &entry,
        text.replacen("\n---\n", "\n---\nA line the editor added.\n\n", 1),
    )
    .expect("edit");
    build(&root);
    let after = built(&root);
    let changed: Vec<&String> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        changed
            .iter()
            .any(|k| *k == "2026/11/25/tnw-colossus/index.html"),
        "{changed:?}"
    );
    let edit = deploy(&root, &endpoint, &[]);
    assert!(edit.status.success(), "{}", said(&edit));
    assert!(
        said(&edit).contains(&format!("0 added, {} changed, 0 removed", changed.len())),
        "{changed:?}\n{}",
        said(&edit)
    );
    assert_eq!(held(&store.objects()), after);

    // A removal: planned in a dry run, which changes nothing; capped; then last.
    retire_an_entry(&root);
    let held_before = store.objects();
    let dry = deploy(&root, &endpoint, &["--dry-run"]);
    assert!(dry.status.success(), "{}", said(&dry));
    assert!(
        said(&dry).contains("- 2026/11/25/techmeme-colossus/index.html"),
        "{}",
        said(&dry)
    );
    assert!(
        said(&dry).contains("dry run: nothing uploaded or removed"),
        "{}",
        said(&dry)
    );
    assert_eq!(store.objects(), held_before, "a dry run changes no object");
    let capped = deploy(&root, &endpoint, &["--max-deletes", "0"]);
    assert_eq!(capped.status.code(), Some(1));
    assert!(
        said(&capped).contains("would remove 1 files, more than --max-deletes 0"),
        "{}",
        said(&capped)
    );
    assert_eq!(
        store.objects(),
        held_before,
        "a refused deploy changes no object"
    );
    let removal = deploy(&root, &endpoint, &[]);
    assert!(removal.status.success(), "{}", said(&removal));
    assert_eq!(
        held(&store.objects()),
        built(&root),
        "the removed page is gone, the rest is the build"
    );
    tools::report(&format!(
        "deploy s3: {} objects with their types and cache rules; again: none; an edit: {} changed; a retired page removed last",
        built(&root).len(),
        changed.len()
    ));
    Ok(())
}

// A store that stops answering part-way: the deploy fails naming the
// object and saying what went live, removes nothing, the old site stays
// whole, and the next run finishes the job.
pub fn deploy_to_s3_survives_a_store_that_dies_part_way() -> Result<(), Missing> {
    tools::python(&["moto", "boto3", "flask"])?;
    // The proxy answers the record's reading and writing and five uploads,
    // then nothing.
    let store = Store::start(Some(7));
    let (_dir, root, old) = deployed_then_changed(&store);

    let proxy = format!("http://127.0.0.1:{}", store.proxy);
    let broken = deploy(&root, &proxy, &[]);
    assert_eq!(broken.status.code(), Some(1), "{}", said(&broken));
    let text = said(&broken);
    assert!(
        text.contains("error: deploy incomplete: uploading `"),
        "{text}"
    );
    assert!(
        text.contains("(5 of ")
            && text.contains(
                "files uploaded and live, nothing removed; the next deploy finishes the job)"
            ),
        "{text}"
    );
    let now = held(&store.objects());
    assert!(
        now.contains_key("2026/11/25/techmeme-colossus/index.html"),
        "nothing is removed before every upload is in"
    );
    assert_eq!(
        now.keys().collect::<Vec<_>>(),
        old.keys().collect::<Vec<_>>(),
        "no object came or went but the uploads"
    );

    let rerun = deploy(&root, &store.endpoint(), &[]);
    assert!(rerun.status.success(), "{}", said(&rerun));
    assert_eq!(
        held(&store.objects()),
        built(&root),
        "the next run finished the job"
    );
    tools::report(
        "deploy s3: a store that died after 5 uploads kept the old site whole; the next run finished",
    );
    Ok(())
}

// A store that refuses the credentials: S3's 403 `AccessDenied` to the
// first request. The deploy fails with the store's code and what to
// check, shows no credential, and the bucket stays as it was.
pub fn deploy_to_s3_with_refused_credentials_changes_nothing() -> Result<(), Missing> {
    tools::python(&["moto", "boto3", "flask"])?;
    let store = Store::start(None);
    let (_dir, root, old) = deployed_then_changed(&store);
    let refuser = format!("http://127.0.0.1:{}", store.refuser);
    let refused = deploy(&root, &refuser, &[]);
    let text = said(&refused);
    assert_eq!(refused.status.code(), Some(1), "{text}");
    for needed in [
        "refused reading `.gazette-deploy`: HTTP 403 AccessDenied",
        "check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION",
    ] {
        assert!(text.contains(needed), "`{needed}` not in:\n{text}");
    }
    assert_eq!(held(&store.objects()), old, "the bucket is as it was");
    let error = text
        .lines()
        .find(|l| l.contains("HTTP 403"))
        .unwrap_or_default();
    tools::report(&format!(
        "deploy s3: a 403 changed nothing: {}",
        error.trim()
    ));
    Ok(())
}
