//! The preview's accept loop: HTTP/1.1 connections served by hyper, each
//! closed when its client goes quiet.
//!
//! It takes the bound listener and the router and runs until the process
//! stops. It exists because `axum::serve` keeps a connection for as long as
//! the client likes: 1,100 idle connections once left the preview unable to
//! answer anyone.

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
use tokio::time::Instant;

/// How long a client may take to send a request's head (hyper's timeout,
/// which also covers the wait for the next request on a kept-alive
/// connection), and how long a connection may carry no bytes either way
/// before it is closed (our own watch, for what hyper's misses: a client
/// that stops reading its response leaves hyper waiting to write forever).
pub const IDLE: Duration = Duration::from_secs(10);

/// How long connections may stay quiet.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// See [`IDLE`]; `GAZETTE_SERVE_IDLE_MS` shortens it, for the tests that
    /// watch a connection being closed without waiting ten seconds.
    pub idle: Duration,
}

impl Limits {
    /// [`IDLE`] unless `GAZETTE_SERVE_IDLE_MS` says otherwise.
    pub fn for_this_process() -> Limits {
        let idle = std::env::var("GAZETTE_SERVE_IDLE_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(IDLE, Duration::from_millis);
        Limits { idle }
    }
}

/// Accepts connections and serves `router` on each until the process stops.
pub async fn run(listener: TcpListener, router: Router, limits: Limits) {
    loop {
        // A failed accept concerns that one client only.
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(serve_connection(stream, router.clone(), limits.idle));
    }
}

/// Serves one connection until the client closes it, fails to send a
/// request's head within `idle`, or moves no bytes for `idle`.
async fn serve_connection(stream: TcpStream, router: Router, idle: Duration) {
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
