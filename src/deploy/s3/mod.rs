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
use std::time::Duration;

use rusty_s3::{Bucket, Credentials, S3Action as _, UrlStyle};

mod credentials;

use super::headers::{cache_control, content_type};
use super::{Done, Failed, Local, Options, Plan, Remote, failed, upload_order};
use credentials::credentials;

/// The object that records what a deploy put in the bucket.
pub const RECORD: &str = ".gazette-deploy";

/// The record's digest of an object whose upload began and was not seen
/// to finish: no file has it, so the next run uploads the object again, or
/// removes it when the build no longer has it.
const UNKNOWN: &str = "unknown";

/// How long a signed request stays valid.
const SIGNED_FOR: Duration = Duration::from_secs(3600);

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

/// How AWS S3 is asked for `bucket`: at `bucket.s3.<region>.amazonaws.com`,
/// unless the name has a dot (a bucket named after the domain it serves, as
/// an S3 website on its own domain must be), which AWS's certificate for
/// `*.s3.<region>.amazonaws.com` does not cover: then at
/// `s3.<region>.amazonaws.com/bucket`.
fn aws_style(bucket: &str) -> UrlStyle {
    match bucket.contains('.') {
        true => UrlStyle::Path,
        false => UrlStyle::VirtualHost,
    }
}

struct Client {
    bucket: Bucket,
    credentials: Credentials,
    agent: ureq::Agent,
    prefix: String,
    /// The store as it may be shown: `s3://bucket/prefix` at the endpoint.
    shown: String,
}

impl Client {
    fn key(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }

    /// What went wrong with a request, from the store's own answer.
    fn refused(&self, what: &str, status: u16, body: &str) -> Failed {
        let field = |name: &str| {
            let open = format!("<{name}>");
            body.find(&open).and_then(|at| {
                let rest = &body[at + open.len()..];
                rest.find(&format!("</{name}>"))
                    .map(|end| rest[..end].to_owned())
            })
        };
        let code = field("Code").unwrap_or_default();
        let message = field("Message").unwrap_or_default();
        let help = match (status, code.as_str()) {
            (403, _) | (_, "InvalidAccessKeyId" | "SignatureDoesNotMatch" | "AccessDenied") => {
                "check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION, and that they may write to this bucket"
            }
            (404, "NoSuchBucket") => {
                "check the bucket's name, and `--endpoint` (or AWS_ENDPOINT_URL) for a store other than AWS"
            }
            (507, _) | (_, "QuotaExceeded" | "EntityTooLarge") => {
                "the store is full or refuses the size: make room, then run the deploy again"
            }
            _ => {
                "run the deploy again; what was uploaded stays, and only what is still different goes up"
            }
        };
        failed(
            format!(
                "{} refused {what}: HTTP {status}{}{}",
                self.shown,
                if code.is_empty() {
                    String::new()
                } else {
                    format!(" {code}")
                },
                if message.is_empty() {
                    String::new()
                } else {
                    format!(": {message}")
                }
            ),
            help,
        )
    }

    fn unreachable(&self, what: &str, error: &ureq::Error) -> Failed {
        let cause = match error {
            ureq::Error::Io(e) => e.to_string(),
            ureq::Error::HostNotFound => "the host is not found".to_owned(),
            ureq::Error::ConnectionFailed => "the connection failed".to_owned(),
            ureq::Error::Timeout(_) => "no answer in time".to_owned(),
            other => other.to_string(),
        };
        failed(
            format!("{what} failed: cannot reach {}: {cause}", self.shown),
            "check the network and `--endpoint` (or AWS_ENDPOINT_URL); run the deploy again, and it finishes the job",
        )
    }

    /// The bucket's record of the site; empty when there is none yet.
    fn record(&self) -> Result<Remote, Failed> {
        let key = self.key(RECORD);
        let url = self
            .bucket
            .get_object(Some(&self.credentials), &key)
            .sign(SIGNED_FOR);
        let mut response = self
            .agent
            .get(url.as_str())
            .call()
            .map_err(|e| self.unreachable("reading the bucket's record", &e))?;
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        match status {
            200 => Ok(body
                .lines()
                .filter_map(|l| l.split_once(' '))
                .map(|(hash, path)| (path.to_owned(), hash.to_owned()))
                .collect()),
            404 if !body.contains("NoSuchBucket") => Ok(Remote::new()),
            _ => Err(self.refused(&format!("reading `{key}`"), status, &body)),
        }
    }

    fn put(&self, path: &str, bytes: &[u8], redirect: Option<&str>) -> Result<(), Failed> {
        let key = self.key(path);
        let (content_type, cache) = (content_type(path), cache_control(path));
        let mut action = self.bucket.put_object(Some(&self.credentials), &key);
        action
            .headers_mut()
            .insert("content-type", content_type.clone());
        action.headers_mut().insert("cache-control", cache);
        if let Some(to) = redirect {
            action
                .headers_mut()
                .insert("x-amz-website-redirect-location", to.to_owned());
        }
        let url = action.sign(SIGNED_FOR);
        let mut request = self
            .agent
            .put(url.as_str())
            .header("content-type", content_type.as_ref())
            .header("cache-control", cache);
        if let Some(to) = redirect {
            request = request.header("x-amz-website-redirect-location", to);
        }
        let mut response = request
            .send(bytes)
            .map_err(|e| self.unreachable(&format!("uploading `{key}`"), &e))?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            Ok(())
        } else {
            let body = response.body_mut().read_to_string().unwrap_or_default();
            Err(self.refused(&format!("uploading `{key}`"), status, &body))
        }
    }

    /// Writes the record: `held`, each object's path by its digest.
    fn put_record(&self, held: &Remote) -> Result<(), Failed> {
        let mut text = String::with_capacity(held.len() * 90);
        for (path, digest) in held {
            text.push_str(&format!("{digest} {path}\n"));
        }
        self.put(RECORD, text.as_bytes(), None)
    }

    /// A run that stopped at `error`, `done` saying how far it got: the
    /// record is made to say what the bucket now holds (`held`), so that
    /// the next run finishes the job. Should the store be gone, the record
    /// written before the first upload stands, which knows no less.
    fn stopped(&self, error: Failed, held: &Remote, done: &str, changed: bool) -> Failed {
        let _ = self.put_record(held);
        let next = if changed {
            "; the next deploy finishes the job"
        } else {
            ""
        };
        Failed {
            message: format!("{} ({done}{next})", error.message),
            help: error.help,
            partial: changed,
        }
    }

    fn delete(&self, path: &str) -> Result<(), Failed> {
        let key = self.key(path);
        let url = self
            .bucket
            .delete_object(Some(&self.credentials), &key)
            .sign(SIGNED_FOR);
        let mut response = self
            .agent
            .delete(url.as_str())
            .call()
            .map_err(|e| self.unreachable(&format!("removing `{key}`"), &e))?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) || status == 404 {
            Ok(())
        } else {
            let body = response.body_mut().read_to_string().unwrap_or_default();
            Err(self.refused(&format!("removing `{key}`"), status, &body))
        }
    }
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
    let (credentials, region) = credentials(env)?;
    let endpoint = store
        .endpoint
        .clone()
        .or_else(|| env("AWS_ENDPOINT_URL_S3"))
        .or_else(|| env("AWS_ENDPOINT_URL"))
        .filter(|e| !e.trim().is_empty());
    let (endpoint_url, style) = match &endpoint {
        Some(e) => (e.clone(), UrlStyle::Path),
        None => (
            format!("https://s3.{region}.amazonaws.com"),
            aws_style(&store.bucket),
        ),
    };
    let shown = format!(
        "s3://{}/{}{}",
        store.bucket,
        store.prefix,
        endpoint
            .as_deref()
            .map(|e| format!(" at {}", super::shown(e).0))
            .unwrap_or_default()
    );
    let parsed = url::Url::parse(&endpoint_url).map_err(|e| {
        failed(
            format!(
                "the endpoint `{}` is not a URL: {e}",
                super::shown(&endpoint_url).0
            ),
            "write it as `https://host[:port]`",
        )
    })?;
    let bucket = Bucket::new(parsed, style, store.bucket.clone(), region).map_err(|e| {
        failed(
            format!("cannot address the bucket `{}`: {e}", store.bucket),
            "check the bucket's name and the endpoint",
        )
    })?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(10)))
        .timeout_global(Some(Duration::from_secs(120)))
        .http_status_as_error(false)
        .user_agent(concat!("gazette/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let client = Client {
        bucket,
        credentials,
        agent,
        prefix: store.prefix.clone(),
        shown: shown.clone(),
    };

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

    // A bucket named after its domain is asked for by path: AWS's
    // certificate covers one label before `.s3.<region>.amazonaws.com`.
    #[test]
    fn a_dotted_bucket_is_addressed_by_path() {
        let host = |name: &str| {
            let endpoint = url::Url::parse("https://s3.us-east-1.amazonaws.com").expect("a URL");
            let bucket = Bucket::new(
                endpoint,
                aws_style(name),
                name.to_owned(),
                "us-east-1".to_owned(),
            )
            .expect("a bucket");
            bucket.object_url("index.html").to_string()
        };
        assert_eq!(
            host("news.example.org"),
            "https://s3.us-east-1.amazonaws.com/news.example.org/index.html"
        );
        assert_eq!(
            host("a47-site"),
            "https://a47-site.s3.us-east-1.amazonaws.com/index.html"
        );
    }
}
