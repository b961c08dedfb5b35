//! The accept loop of `gongkai serve` and what bounds it: open connections (in total and per
//! client address) and requests in flight.
//!
//! Our own loop over hyper's HTTP/1 connection, because `axum::serve` sets no timeout on reading
//! a request's headers and no cap on connections:
//!
//! - A connection must deliver a request's headers within [`Config::header_read_timeout`] of
//!   opening or of its previous answer (hyper starts that timer whenever it waits for a request
//!   head, so the same timeout closes idle kept-alive connections); the body is then bounded by
//!   the 30-second request timeout and the body size limit of [`crate::app`].
//! - At most [`Config::max_connections`] connections are open at once, and at most
//!   [`Config::max_connections_per_address`] from one client address (trusted proxies are not
//!   counted per address: every visitor comes through them). A new connection past a cap closes
//!   the connection that has been idle longest — of that address, or of all — so a client
//!   holding thousands of idle connections open loses its own, not the real visitors' turn;
//!   only when none is idle is the new one answered 503 with `Retry-After` and closed.
//! - At most [`Config::max_in_flight`] requests are handled at once ([`shed_load`]); past that a
//!   request is answered 503 with `Retry-After` at once, before its body is read, rather than
//!   queued without bound.
//!
//! The process's open-file limit is raised to its hard limit at start-up ([`raise_fd_limit`]),
//! and the connection cap is kept below it, so accepting never runs out of descriptors.
//! HTTP/2 is not offered: browsers speak it only over TLS, which a reverse proxy in front of
//! gongkai terminates. Each request carries the peer's address (`ConnectInfo`), which feeds the
//! rate limits and the login throttle.

use crate::{AppState, Config};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Default of [`Config::max_in_flight`].
pub const MAX_IN_FLIGHT: usize = 256;
/// Default of [`Config::max_connections`] (lowered to fit the open-file limit).
pub const MAX_CONNECTIONS: usize = 8192;
/// Default of [`Config::max_connections_per_address`]: a school or a service hall behind one
/// address has dozens of browsers, each opening up to six connections.
pub const MAX_CONNECTIONS_PER_ADDRESS: usize = 256;
/// Seconds a refused client is asked to wait.
const RETRY_AFTER_SECS: u64 = 5;

/// Connections still open at shutdown are given this long to finish their request.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// A connection evicted to make room (idle, so no request under way) is given this long.
const EVICT_GRACE: Duration = Duration::from_secs(1);

/// Raises the soft limit of open files to the hard limit and returns the soft limit now in
/// force (the connection cap stays below it).
pub fn raise_fd_limit() -> u64 {
    // SAFETY: getrlimit/setrlimit only read and write the struct passed.
    unsafe {
        let mut l = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut l) != 0 {
            return 1024;
        }
        if l.rlim_cur < l.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: l.rlim_max,
                rlim_max: l.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                l.rlim_cur = l.rlim_max;
            }
        }
        l.rlim_cur
    }
}

/// The connection cap that fits `fd_limit` open files: a quarter of them are kept for the
/// database, the search index, attachments read and `pdftotext`'s pipes.
pub fn connections_fitting(wanted: usize, fd_limit: u64) -> usize {
    let room = usize::try_from(fd_limit.saturating_sub(fd_limit / 4)).unwrap_or(usize::MAX);
    wanted.min(room).max(16)
}

/// One open connection as the registry sees it.
struct Conn {
    peer: IpAddr,
    /// Requests being handled on it now.
    busy: AtomicUsize,
    /// When it last finished a request (or opened), in ms since the registry's start.
    idle_since: AtomicU64,
    /// Asked to close (evicted, or the server stops).
    closing: AtomicBool,
    close: tokio::sync::Notify,
}

/// The open connections of the server, for the caps.
struct Registry {
    start: Instant,
    max_total: usize,
    max_per_address: usize,
    trusted: Vec<crate::ratelimit::Proxy>,
    next_id: AtomicU64,
    conns: Mutex<HashMap<u64, Arc<Conn>>>,
    /// Signalled when the last connection closes (shutdown waits for it).
    emptied: tokio::sync::Notify,
    /// The server is stopping (connections get [`SHUTDOWN_GRACE`] to finish).
    stopping: AtomicBool,
}

/// What the accept loop does with a new connection.
enum Admit {
    Yes(u64, Arc<Conn>),
    /// Past a cap with no idle connection to close.
    No,
}

impl Registry {
    fn now_ms(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }

    fn admit(&self, peer: IpAddr) -> Admit {
        let now = self.now_ms();
        let mut conns = self.conns.lock().unwrap_or_else(|e| e.into_inner());
        let counted = !self.trusted.iter().any(|p| p.contains(peer));
        let live = |c: &&Arc<Conn>| !c.closing.load(Ordering::Relaxed);
        if counted {
            let mine = conns
                .values()
                .filter(live)
                .filter(|c| c.peer == peer)
                .count();
            if mine >= self.max_per_address
                && !evict_idlest(conns.values().filter(|c| c.peer == peer))
            {
                return Admit::No;
            }
        }
        let open = conns.values().filter(live).count();
        if open >= self.max_total && !evict_idlest(conns.values()) {
            return Admit::No;
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let c = Arc::new(Conn {
            peer,
            busy: AtomicUsize::new(0),
            idle_since: AtomicU64::new(now),
            closing: AtomicBool::new(false),
            close: tokio::sync::Notify::new(),
        });
        conns.insert(id, c.clone());
        Admit::Yes(id, c)
    }

    fn remove(&self, id: u64) {
        let mut conns = self.conns.lock().unwrap_or_else(|e| e.into_inner());
        conns.remove(&id);
        if conns.is_empty() {
            self.emptied.notify_waiters();
        }
    }

    fn close_all(&self) {
        for c in self
            .conns
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
        {
            c.closing.store(true, Ordering::Relaxed);
            c.close.notify_one();
        }
    }

    fn is_empty(&self) -> bool {
        self.conns
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_empty()
    }
}

/// Asks the connection idle longest among `conns` to close; false when none is idle.
fn evict_idlest<'a>(conns: impl Iterator<Item = &'a Arc<Conn>>) -> bool {
    let victim = conns
        .filter(|c| !c.closing.load(Ordering::Relaxed) && c.busy.load(Ordering::Relaxed) == 0)
        .min_by_key(|c| c.idle_since.load(Ordering::Relaxed));
    match victim {
        Some(c) => {
            c.closing.store(true, Ordering::Relaxed);
            c.close.notify_one();
            true
        }
        None => false,
    }
}

/// The answer to a connection refused past the caps, written straight to the socket.
async fn refuse(mut stream: tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt;
    let body = "系统繁忙，请稍后再试";
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: {RETRY_AFTER_SECS}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let _ = stream.write_all(head.as_bytes()).await;
        let _ = stream.write_all(body.as_bytes()).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

/// Serves the application on `addr` until Ctrl-C.
pub async fn serve(state: AppState, addr: &str) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("无法监听 {addr}：{e}"))?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    serve_on(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// Serves the application on `listener` until `shutdown` completes (see the module comment).
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> anyhow::Result<()> {
    use tower::ServiceExt;
    let config: &Config = &state.config;
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(config.header_read_timeout);
    let registry = Arc::new(Registry {
        start: Instant::now(),
        max_total: config.max_connections.max(1),
        max_per_address: config.max_connections_per_address.max(1),
        trusted: config.trusted_proxies.clone(),
        next_id: AtomicU64::new(0),
        conns: Mutex::new(HashMap::new()),
        emptied: tokio::sync::Notify::new(),
        stopping: AtomicBool::new(false),
    });
    let router = crate::app(state);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors, a connection reset before accept: wait a moment
                    // rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = shutdown.as_mut() => break,
        };
        let (id, slot) = match registry.admit(crate::ratelimit::canonical(peer.ip())) {
            Admit::Yes(id, slot) => (id, slot),
            Admit::No => {
                tracing::warn!("connection refused: too many open connections");
                tokio::spawn(refuse(stream));
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let (svc_slot, svc_registry) = (slot.clone(), registry.clone());
        let service = hyper::service::service_fn(
            move |mut req: axum::http::Request<hyper::body::Incoming>| {
                req.extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                let busy = Busy::new(svc_slot.clone(), svc_registry.clone());
                let router = router.clone();
                async move {
                    let r = router.oneshot(req).await;
                    drop(busy);
                    r
                }
            },
        );
        let conn = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
        let registry = registry.clone();
        tokio::spawn(async move {
            let mut conn = std::pin::pin!(conn);
            let r = tokio::select! {
                r = conn.as_mut() => r,
                _ = slot.close.notified() => {
                    conn.as_mut().graceful_shutdown();
                    // A request under way finishes (shutdown); an idle connection closes at once,
                    // and one evicted while sending half a head is dropped after a moment.
                    let grace = if registry.stopping.load(Ordering::Relaxed) {
                        SHUTDOWN_GRACE
                    } else {
                        EVICT_GRACE
                    };
                    tokio::time::timeout(grace, conn.as_mut())
                        .await
                        .unwrap_or(Ok(()))
                }
            };
            if let Err(e) = r {
                tracing::debug!(error = %e, "connection closed");
            }
            registry.remove(id);
        });
    }
    drop(listener);
    let emptied = registry.emptied.notified();
    registry.stopping.store(true, Ordering::Relaxed);
    registry.close_all();
    if !registry.is_empty() && tokio::time::timeout(SHUTDOWN_GRACE, emptied).await.is_err() {
        tracing::warn!("connections still open at shutdown were closed");
    }
    Ok(())
}

/// Marks a connection busy while one of its requests is handled.
struct Busy(Arc<Conn>, Arc<Registry>);

impl Busy {
    fn new(c: Arc<Conn>, r: Arc<Registry>) -> Busy {
        c.busy.fetch_add(1, Ordering::Relaxed);
        Busy(c, r)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.idle_since.store(self.1.now_ms(), Ordering::Relaxed);
        self.0.busy.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The semaphore of requests in flight ([`Config::max_in_flight`]).
pub type InFlight = Arc<tokio::sync::Semaphore>;

/// Answers 503 with `Retry-After` at once when [`Config::max_in_flight`] requests are being
/// handled already: a flood is refused before its bodies are read instead of queueing them.
pub async fn shed_load(
    axum::extract::State(in_flight): axum::extract::State<InFlight>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match in_flight.try_acquire_owned() {
        Ok(permit) => {
            let r = next.run(req).await;
            drop(permit);
            r
        }
        Err(_) => busy_response(),
    }
}

/// 503 系统繁忙 with `Retry-After`.
pub fn busy_response() -> Response {
    crate::error::AppError::Busy.into_response()
}
