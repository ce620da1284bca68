//! Deploying to S3-compatible object storage (AWS S3, Cloudflare R2,
//! Backblaze B2, MinIO, Garage): requests signed by `rusty-s3` (SigV4),
//! sent with ureq.
//!
//! What the bucket holds of the site is kept in one object beside it,
//! `.gazette-deploy` (each file's SHA-256); a deploy compares the build
//! with it, so a second deploy of the same build uploads nothing, and
//! objects gazette did not upload are never touched. The record must never
//! leave out an object the bucket holds, or that object stays public for
//! good: before the first upload it is written naming every object the run
//! may put, with no digest yet ([`UNKNOWN`]); a run that fails part-way
//! writes what the bucket then holds (the old record, plus each upload with
//! its digest, minus each removal); a run that succeeds writes the build.
//! The next run uploads again, or removes, whatever the record does not
//! know to be the build's. Each object
//! gets its `Content-Type` (with `charset=utf-8` for text) and a
//! `Cache-Control` by kind; an alias's redirect page also gets
//! `x-amz-website-redirect-location`, which S3's website endpoint answers
//! with a 301.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

mod client;
mod credentials;

use super::{Done, Failed, Local, Options, Plan, failed, upload_order};
use client::Client;

/// The object that records what a deploy put in the bucket.
pub const RECORD: &str = ".gazette-deploy";

/// The record's digest of an object whose upload began and was not seen
/// to finish: no file has it, so the next run uploads the object again, or
/// removes it when the build no longer has it.
const UNKNOWN: &str = "unknown";

/// What the environment says about the store.
pub struct Store {
    pub bucket: String,
    pub prefix: String,
    /// `https://…` of a store other than AWS; `None` for AWS S3 itself.
    pub endpoint: Option<String>,
    pub jobs: usize,
}

/// The redirects of the build's `_redirects` (`/old/ /new/ 301`), by the
/// object of the old URL's page: `old/index.html` → `/new/`. Under a
/// `base_url` with a path (`/news/`), its URLs start with that path and the
/// build's files do not: `/news/old/` is the object `old/index.html`.
fn redirects(output: &std::path::Path, base_path: &str) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(output.join("_redirects")).unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let (from, to) = (fields.next()?, fields.next()?);
            let page = from.strip_prefix(base_path).unwrap_or(from);
            let page = page.trim_start_matches('/');
            let key = if page.is_empty() || page.ends_with('/') {
                format!("{page}index.html")
            } else {
                page.to_owned()
            };
            Some((key, to.to_owned()))
        })
        .collect()
}

/// The lock, even when a thread panicked holding it: what it guards is
/// whole after every insert.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

pub fn deploy(
    store: &Store,
    local: &[Local],
    options: &Options,
    env: &dyn Fn(&str) -> Option<String>,
    progress: super::Reporter<'_>,
) -> Result<Done, Failed> {
    let client = Client::connect(store, env)?;
    let shown = client.shown.clone();

    progress(super::Report::Note(&format!("reading what {shown} holds")));
    let remote = client.record()?;
    let plan = Plan::new(local, &remote);
    let plan = match options.settle(
        plan,
        progress,
        || format!("{shown} already holds this build: nothing uploaded"),
        "dry run: nothing uploaded or removed",
    )? {
        ControlFlow::Continue(plan) => plan,
        ControlFlow::Break(done) => return Ok(done),
    };

    // Before anything goes up, the record names all that may: a run that
    // dies (the network, a kill) leaves no object out of it.
    let uploads = plan.uploads();
    if !uploads.is_empty() {
        let mut pending = remote.clone();
        for file in &uploads {
            pending.insert(file.path.clone(), UNKNOWN.to_owned());
        }
        client.put_record(&pending)?;
    }
    // What the bucket holds, as this run changes it.
    let held = Mutex::new(remote);

    // Uploads, one kind after the other (assets, pages, home, feeds), each
    // kind on `jobs` threads; the first failure stops the rest.
    let redirects = redirects(&options.output, &options.base_path);
    let total = uploads.len();
    let done = AtomicUsize::new(0);
    let mut start = 0;
    while start < uploads.len() {
        let rank = upload_order(&uploads[start].path).0;
        let end = start
            + uploads[start..]
                .iter()
                .take_while(|l| upload_order(&l.path).0 == rank)
                .count();
        let group = &uploads[start..end];
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let first_error: Mutex<Option<Failed>> = Mutex::new(None);
        std::thread::scope(|scope| {
            for _ in 0..store.jobs.max(1).min(group.len()) {
                scope.spawn(|| {
                    while !stop.load(Ordering::Relaxed) {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(file) = group.get(i) else { break };
                        let result = std::fs::read(options.output.join(&file.path))
                            .map_err(|e| {
                                failed(
                                    format!("cannot read `{}`: {e}", file.path),
                                    "build the site again",
                                )
                            })
                            .and_then(|bytes| {
                                client.put(
                                    &file.path,
                                    &bytes,
                                    redirects.get(&file.path).map(String::as_str),
                                )
                            });
                        let digest = match &result {
                            Ok(()) => &file.sha256,
                            // Sent, perhaps, and the answer lost.
                            Err(_) => UNKNOWN,
                        };
                        lock(&held).insert(file.path.clone(), digest.to_owned());
                        match result {
                            Ok(()) => {
                                let done = done.fetch_add(1, Ordering::Relaxed) + 1;
                                progress(super::Report::Uploaded { done, total });
                            }
                            Err(e) => {
                                stop.store(true, Ordering::Relaxed);
                                lock(&first_error).get_or_insert(e);
                            }
                        }
                    }
                });
            }
        });
        if let Some(error) = first_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
            let uploaded = done.load(Ordering::Relaxed);
            let done = if uploaded == 0 {
                format!("0 of {total} uploaded; nothing removed")
            } else {
                format!("{uploaded} of {total} files uploaded and live, nothing removed")
            };
            return Err(client.stopped(error, &lock(&held), &done, uploaded > 0));
        }
        start = end;
    }
    let mut held = held.into_inner().unwrap_or_else(|p| p.into_inner());
    // Removals last, once every upload is in.
    for (removed, path) in plan.removed.iter().enumerate() {
        if let Err(error) = client.delete(path) {
            let done = format!(
                "{total} uploaded, {removed} of {} removed",
                plan.removed.len()
            );
            return Err(client.stopped(error, &held, &done, total + removed > 0));
        }
        held.remove(path);
    }
    // Now the build's exactly.
    client.put_record(&held).map_err(|error| Failed {
        message: format!(
            "{} ({total} uploaded, {} removed; the next deploy finishes the job)",
            error.message,
            plan.removed.len()
        ),
        help: format!("every file is uploaded; {}", error.help),
        partial: true,
    })?;
    Ok(Done {
        summary: format!(
            "{shown}: {} uploaded, {} removed",
            total,
            plan.removed.len()
        ),
        plan,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // A renamed page's redirect lands on the object of its old page, under a
    // `base_url` with a path too, whose `_redirects` URLs carry that path.
    #[test]
    fn redirects_by_the_object_of_the_old_page() {
        let dir = tempfile::tempdir().expect("temp");
        std::fs::write(
            dir.path().join("_redirects"),
            "/news/2026/11/29/old/ /news/2026/11/29/new/ 301\n/news/2026/11/29/x/atom.xml /news/2026/11/29/y/atom.xml 301\n",
        )
        .expect("write");
        let found = redirects(dir.path(), "/news/");
        assert_eq!(
            found.get("2026/11/29/old/index.html").map(String::as_str),
            Some("/news/2026/11/29/new/")
        );
        assert!(found.contains_key("2026/11/29/x/atom.xml"), "{found:?}");
        std::fs::write(
            dir.path().join("_redirects"),
            "/2026/11/29/old/ /2026/11/29/new/ 301\n",
        )
        .expect("write");
        assert!(redirects(dir.path(), "/").contains_key("2026/11/29/old/index.html"));
    }
}
