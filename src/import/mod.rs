//! `gazette import`: draft entries from a feed, or from every feed of an
//! OPML list.
//!
//! Takes the site's config and content and an [`Import`] (the source and
//! the flags); reads each feed ([`fetch`], [`encoding`], [`xml`], [`feed`], [`titles`], [`bases`], [`opml`]),
//! picks its items (`--since`, `--limit`), leaves out those whose article
//! the site links already (by canonical URL, drafts included), those of no
//! http(s) link and those from a host of no outlet, and writes one draft
//! entry per item left into the issue folder, named after its headline.
//! Each feed is read and checked whole before its first file is written,
//! so a feed that cannot be read writes nothing; it does not stop the
//! others. Returns a [`FeedReport`] per feed as it is done (for the CLI to
//! print) and, at the end, the hosts that need an outlet.

mod bases;
mod encoding;
mod feed;
mod fetch;
mod opml;
mod plan;
mod summary;
mod titles;
mod xml;

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;

use crate::config::Config;
use crate::content::Content;
use crate::content::write::{entry_outlet, folder_refused};
use crate::diagnostic::Diagnostic;
use fetch::{Fetcher, Source};
pub use fetch::{MAX_BYTES, TIMEOUT_VAR};
use plan::Seen;
use xml::Kind;

/// What to import, and where.
#[derive(Debug, Clone)]
pub struct Import {
    /// A file or an http(s) address: a feed or an OPML list of feeds.
    pub source: String,
    /// The outlet of every item; `None`: the outlet at each item's host.
    pub outlet: Option<String>,
    /// The issue the entries go in.
    pub issue: NaiveDate,
    /// The newest this many items of each feed, at most.
    pub limit: Option<usize>,
    /// Only items published on or after this day (in the site's timezone).
    pub since: Option<NaiveDate>,
}

/// What became of one feed.
#[derive(Debug)]
pub struct FeedReport {
    /// The feed, as given or as its list names it (resolved).
    pub source: String,
    /// What was imported, or why nothing was.
    pub result: Result<Imported, Diagnostic>,
}

/// The files written from one feed, and the items left out.
#[derive(Debug, Default)]
pub struct Imported {
    /// Relative to the site root, in the feed's order (newest first).
    pub written: Vec<PathBuf>,
    /// Items whose article the site (or this import) has already.
    pub duplicates: usize,
    /// Items from a host of no outlet.
    pub unknown_host: usize,
    /// Items with no link, or one that is not http(s).
    pub not_http: usize,
    /// Items `--since` left out for having no date.
    pub undated: usize,
}

/// A host that items came from with no outlet at it, and the outlet to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownHost {
    /// The key to give it: the host as a slug (`example-com`).
    pub key: String,
    /// The feed's title when the feed is the host's own, else the host.
    pub name: String,
    /// `https://host`.
    pub url: String,
    pub items: usize,
}

/// The whole import, once every feed is done.
#[derive(Debug, Default)]
pub struct Summary {
    /// The source when it was an OPML list, and how many feeds it listed.
    pub list: Option<(String, usize)>,
    /// Feeds that could not be read.
    pub failed: usize,
    /// Entries written, over all feeds.
    pub written: usize,
    /// By host.
    pub unknown_hosts: BTreeMap<String, UnknownHost>,
}

/// Runs the import, calling `each` as each feed is done. `Err` of the inner
/// result holds every reason nothing can be imported (an unknown `--outlet`,
/// an issue folder outside the site); nothing is fetched then. `Err` of the
/// outer one is a failure of the machine (a file that cannot be written).
pub fn run(
    config: &Config,
    content: &Content,
    import: &Import,
    mut each: impl FnMut(&FeedReport),
) -> Result<Result<Summary, Vec<Diagnostic>>> {
    let mut problems = Vec::new();
    if let Some(key) = &import.outlet {
        entry_outlet(content, "", Some(key), &mut problems);
    }
    let dir = PathBuf::from("content").join(import.issue.format("%Y-%m-%d").to_string());
    problems.extend(folder_refused(config, &dir));
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let mut job = Job {
        target: Target {
            config,
            content,
            import,
            dir,
        },
        fetcher: Fetcher::new(&config.base_url)?,
        seen: Seen::of(content),
        summary: Summary::default(),
    };
    job.source(&import.source, &mut each)?;
    Ok(Ok(job.summary))
}

/// Where entries go, and by what rules.
struct Target<'a> {
    config: &'a Config,
    content: &'a Content,
    import: &'a Import,
    /// The issue folder, relative to the root.
    dir: PathBuf,
}

struct Job<'a> {
    target: Target<'a>,
    fetcher: Fetcher,
    seen: Seen,
    summary: Summary,
}

/// A source's bytes and what they are.
struct Read {
    fetched: fetch::Fetched,
    kind: Kind,
}

impl Job<'_> {
    /// The source given: a feed, or a list whose feeds are imported in turn.
    fn source(&mut self, raw: &str, each: &mut impl FnMut(&FeedReport)) -> Result<()> {
        let source = match Source::parse(raw) {
            Ok(source) => source,
            Err(why) => {
                self.report(raw, Err(why), each);
                return Ok(());
            }
        };
        let name = source.name();
        let read = match self.read(&source) {
            Ok(read) => read,
            Err(why) => {
                self.report(&name, Err(why), each);
                return Ok(());
            }
        };
        if read.kind != Kind::Opml {
            let result = self.feed(read)?;
            self.report(&name, result, each);
            return Ok(());
        }
        let feeds = match opml::feeds(&read.fetched.bytes) {
            Ok(feeds) => feeds,
            Err(why) => {
                self.report(&name, Err(why), each);
                return Ok(());
            }
        };
        self.summary.list = Some((name, feeds.len()));
        for raw in feeds {
            let feed = match source.join(&raw) {
                Ok(feed) => feed,
                Err(why) => {
                    self.report(&raw, Err(why), each);
                    continue;
                }
            };
            let result = match self.read(&feed) {
                Ok(read) if read.kind == Kind::Opml => {
                    Err("it is another OPML list; lists within lists are not followed".to_owned())
                }
                Ok(read) => self.feed(read)?,
                Err(why) => Err(why),
            };
            self.report(&feed.name(), result, each);
        }
        Ok(())
    }

    fn read(&self, source: &Source) -> Result<Read, String> {
        let config = self.target.config;
        let mut fetched = self.fetcher.fetch(source, &config.fs, &config.root)?;
        let bytes = std::mem::take(&mut fetched.bytes);
        fetched.bytes = encoding::to_utf8(bytes, fetched.charset.as_deref())?;
        let kind = xml::kind(&fetched.bytes)?;
        Ok(Read { fetched, kind })
    }

    /// One feed, parsed and planned whole, then written; `Ok(Err(why))`
    /// when it cannot be read (nothing is written then).
    fn feed(&mut self, read: Read) -> Result<Result<Imported, String>> {
        let base = read.fetched.base.as_ref();
        let feed = match feed::parse(&read.fetched.bytes, read.kind, base) {
            Ok(feed) => feed,
            Err(why) => return Ok(Err(why)),
        };
        let unknown = &mut self.summary.unknown_hosts;
        let planned = plan::plan(&self.target, &mut self.seen, feed, unknown);
        let imported = planned.write(self.target.config)?;
        self.summary.written += imported.written.len();
        Ok(Ok(imported))
    }

    fn report(
        &mut self,
        name: &str,
        result: Result<Imported, String>,
        each: &mut impl FnMut(&FeedReport),
    ) {
        let result =
            result.map_err(|why| Diagnostic::error(format!("cannot import `{name}`: {why}")));
        if result.is_err() {
            self.summary.failed += 1;
        }
        each(&FeedReport {
            source: name.to_owned(),
            result,
        });
    }
}
