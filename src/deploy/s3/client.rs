//! The store's side of an S3 deploy: where the bucket is (AWS S3 or
//! another endpoint), signed requests to it, and what its refusals mean.

use std::time::Duration;

use rusty_s3::{Bucket, Credentials, S3Action as _, UrlStyle};

use super::credentials::credentials;
use super::{RECORD, Store};
use crate::deploy::headers::{cache_control, content_type};
use crate::deploy::{Failed, Remote, failed};

/// How long a signed request stays valid.
const SIGNED_FOR: Duration = Duration::from_secs(3600);

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

pub(super) struct Client {
    bucket: Bucket,
    credentials: Credentials,
    agent: ureq::Agent,
    prefix: String,
    /// The store as it may be shown: `s3://bucket/prefix` at the endpoint.
    pub(super) shown: String,
}

impl Client {
    /// The client of `store`, with the credentials and the endpoint the
    /// environment gives (AWS S3 itself when it gives none).
    pub(super) fn connect(
        store: &Store,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Client, Failed> {
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
                .map(|e| format!(" at {}", super::super::shown(e).0))
                .unwrap_or_default()
        );
        let parsed = url::Url::parse(&endpoint_url).map_err(|e| {
            failed(
                format!(
                    "the endpoint `{}` is not a URL: {e}",
                    super::super::shown(&endpoint_url).0
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
        Ok(Client {
            bucket,
            credentials,
            agent,
            prefix: store.prefix.clone(),
            shown,
        })
    }

    pub(super) fn key(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }

    /// What went wrong with a request, from the store's own answer.
    pub(super) fn refused(&self, what: &str, status: u16, body: &str) -> Failed {
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

    pub(super) fn unreachable(&self, what: &str, error: &ureq::Error) -> Failed {
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
    pub(super) fn record(&self) -> Result<Remote, Failed> {
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

    pub(super) fn put(
        &self,
        path: &str,
        bytes: &[u8],
        redirect: Option<&str>,
    ) -> Result<(), Failed> {
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
    pub(super) fn put_record(&self, held: &Remote) -> Result<(), Failed> {
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
    pub(super) fn stopped(
        &self,
        error: Failed,
        held: &Remote,
        done: &str,
        changed: bool,
    ) -> Failed {
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

    pub(super) fn delete(&self, path: &str) -> Result<(), Failed> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
