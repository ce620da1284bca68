//! The preview's accept loop: HTTP/1.1 connections served by hyper, each
//! closed when its client goes quiet, and no more of them open at once than
//! the process has file descriptors to spare.
//!
//! It takes the bound listener and the router and runs until the process
//! stops. It exists because `axum::serve` keeps a connection for as long as
//! the client likes and, out of descriptors, only pauses: 1,100 idle
//! connections once left the preview unable to answer anyone, and the
//! rebuilds unable to open the site's files.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// How long a client may take to send a request's head (hyper's timeout,
/// which also covers the wait for the next request on a kept-alive
/// connection), and how long a connection may carry no bytes either way
/// before it is closed (our own watch, for what hyper's misses: a client
/// that stops reading its response leaves hyper waiting to write forever).
pub const IDLE: Duration = Duration::from_secs(10);

/// Connections beyond this many are refused whatever the descriptor limit.
const MAX_CONNECTIONS: usize = 4096;

/// How long and how many: the connection limits of one `serve`.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// See [`IDLE`]; `GAZETTE_SERVE_IDLE_MS` shortens it, for the tests that
    /// watch a connection being closed without waiting ten seconds.
    pub idle: Duration,
    /// Connections open at once; a new one over the cap is closed at once.
    pub max_connections: usize,
}

impl Limits {
    /// [`IDLE`] unless `GAZETTE_SERVE_IDLE_MS` says otherwise. Raises this
    /// process's limit of open files as far as it may go, then caps
    /// connections at half of it (at most [`MAX_CONNECTIONS`]): the other
    /// half stays free for the rebuilds, the watcher and the runtime.
    pub fn for_this_process() -> Limits {
        let idle = std::env::var("GAZETTE_SERVE_IDLE_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(IDLE, Duration::from_millis);
        let max_connections = match raise_open_file_limit() {
            Some(files) => usize::try_from(files / 2)
                .unwrap_or(MAX_CONNECTIONS)
                .clamp(1, MAX_CONNECTIONS),
            None => MAX_CONNECTIONS,
        };
        Limits {
            idle,
            max_connections,
        }
    }
}

/// Sets the soft limit of open files to the hard one, as Go does for every
/// program, and returns the soft limit now in force (`None`: unlimited or
/// unknown). Many systems start processes at 1,024 with a hard limit far
/// higher; the soft limit exists for programs that `select(2)`, which no
/// part of this one does.
#[cfg(unix)]
fn raise_open_file_limit() -> Option<u64> {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    // `None` is unlimited.
    let mut current = limit.current?;
    // macOS reports an unlimited hard limit but refuses a soft limit above
    // `OPEN_MAX` (10,240), so that is tried next.
    for wanted in [
        limit.maximum,
        Some(limit.maximum.map_or(10_240, |m| m.min(10_240))),
    ] {
        if wanted.is_some_and(|wanted| wanted <= current) {
            break;
        }
        let raised = Rlimit {
            current: wanted,
            maximum: limit.maximum,
        };
        if setrlimit(Resource::Nofile, raised).is_ok() {
            current = wanted?;
            break;
        }
    }
    Some(current)
}

#[cfg(not(unix))]
fn raise_open_file_limit() -> Option<u64> {
    None
}

/// Accepts connections and serves `router` on each until the process stops.
pub async fn run(listener: TcpListener, router: Router, limits: Limits) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of descriptors after all (the cap leaves room, but another
            // part of the process may have taken it): wait for some to close
            // rather than spin. Anything else concerns that one client only.
            Err(e) if is_out_of_files(&e) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
            Err(_) => continue,
        };
        // Over the cap, closing at once frees the descriptor and tells the
        // client; holding the connection unserved would only add to the pile.
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            drop(stream);
            continue;
        };
        tokio::spawn(serve_connection(
            stream,
            router.clone(),
            limits.idle,
            permit,
        ));
    }
}

fn is_out_of_files(error: &io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(error.raw_os_error(), Some(e) if e == rustix::io::Errno::MFILE.raw_os_error() || e == rustix::io::Errno::NFILE.raw_os_error())
    }
    #[cfg(not(unix))]
    {
        let _ = error;
        false
    }
}

/// Serves one connection until the client closes it, fails to send a
/// request's head within `idle`, or moves no bytes for `idle`.
///
/// Holds `_permit`, one of the capped connections, until then.
async fn serve_connection(
    stream: TcpStream,
    router: Router,
    idle: Duration,
    _permit: OwnedSemaphorePermit,
) {
    // Live-reload events are small and should not wait for more to send.
    let _ = stream.set_nodelay(true);
    let activity = Activity::new();
    let stream = Tracked {
        inner: stream,
        activity: activity.clone(),
    };
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(idle)
        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(router));
    // Whichever ends first: dropping the connection closes its socket. An
    // error (the client left, a malformed request) concerns that client only.
    tokio::select! {
        _ = connection => {}
        () = activity.quiet_for(idle) => {}
    }
}

/// When a connection last moved a byte, shared by its stream and its watch.
#[derive(Clone)]
struct Activity {
    start: Instant,
    /// Milliseconds from `start` to the last byte read or written.
    last: Arc<AtomicU64>,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            start: Instant::now(),
            last: Arc::default(),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(ms, Ordering::Relaxed);
    }

    /// Returns once no byte has moved for `limit`.
    async fn quiet_for(&self, limit: Duration) {
        loop {
            let last = self.start + Duration::from_millis(self.last.load(Ordering::Relaxed));
            if last.elapsed() >= limit {
                return;
            }
            tokio::time::sleep_until(last + limit).await;
        }
    }
}

/// A stream that notes in its [`Activity`] every read or write that moved
/// bytes.
struct Tracked {
    inner: TcpStream,
    activity: Activity,
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        poll
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        poll
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        poll
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
