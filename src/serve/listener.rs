//! The preview's accept loop: HTTP/1.1 connections served by hyper, each
//! closed when its client is too slow to send a request.
//!
//! It takes the bound listener and the router and runs until the process
//! stops. It exists because `axum::serve` keeps a connection for as long as
//! the client likes: 1,100 idle connections once left the preview unable to
//! answer anyone.

use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};

/// How long a client may take to send a request's head.
const IDLE: Duration = Duration::from_secs(10);

/// Accepts connections and serves `router` on each until the process stops.
pub async fn run(listener: TcpListener, router: Router) {
    loop {
        // A failed accept concerns that one client only.
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(serve_connection(stream, router.clone()));
    }
}

/// Serves one connection until the client closes it or fails to send a
/// request's head in time.
async fn serve_connection(stream: TcpStream, router: Router) {
    // Live-reload events are small and should not wait for more to send.
    let _ = stream.set_nodelay(true);
    // An error (the client left, a malformed request) concerns that client
    // only; hyper has already answered what can be answered.
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(IDLE)
        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(router))
        .await;
}
