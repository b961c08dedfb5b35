//! Public pages read from a streaming replica of the PostgreSQL database (issue 19), when
//! `gongkai serve --replica-url` names one.
//!
//! **What reads the replica.** Only an anonymous visitor's `GET`/`HEAD` of a public page (the
//! routes of `public::routes` and `search::routes`, less `/login` and `/letters/lookup`, whose
//! throttles write): no `Cookie` header (no session, no form token, no recent write: see below),
//! no `Authorization` header. Everything else — the back office, the API, every `POST`, the
//! applicant's forms and lookups by query code, sessions, login, rate limits, form tokens — uses
//! the primary. The replica's pool is read-only (`gongkai_store::Db::connect_replica`), so a
//! write sent there by mistake fails rather than landing anywhere. The pages are routed by the
//! router, not by their handlers: the replica's routes are the same handlers over an
//! [`AppState`] whose `db` is the replica (their use cases, `AppState::app`, keep the primary).
//!
//! **Reading one's own writes.** An answer to any request other than `GET`/`HEAD` (outside the
//! API, whose clients send `Authorization` anyway) sets the cookie [`COOKIE`] for
//! [`READ_YOUR_WRITES`]: the visitor who has just written sends a cookie, so their next pages
//! come from the primary. Officers always send their session cookie.
//!
//! **Lag.** A page read from a replica behind the primary would be stale, and the page cache
//! would keep it. The follower of the change feed (`crate::follower`), which empties the page
//! cache for every change, first reads the primary's WAL position — past the commit of every
//! change it has just read — and [`Replica::require`]s it; until the replica has replayed that
//! far ([`Replica::fresh`]), public pages are read from the primary. A watcher task
//! ([`Replica::spawn_watcher`]) polls the replica's replay position: every few milliseconds
//! while it is behind, every second otherwise (which also notices a replica that stopped
//! answering: pages then come from the primary until it answers again). With the page cache's
//! generations (`crate::cache`: an answer whose request began before the cache was last emptied
//! is never served from it), this gives: once the follower has seen a change, no anonymous page
//! without it is read or served from the cache. The order matters and is kept: the follower
//! raises the required position before it empties the cache, and the cache reads its
//! generation before the router asks whether the replica is fresh. Between a commit and the
//! follower's reading of it (a NOTIFY away, at most its one-second poll) visitors may see the
//! page before the change, as they may without a replica.

use crate::AppState;
use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::Response;
use gongkai_store::Db;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;
use tower::ServiceExt;

/// The cookie that sends a visitor who has just written to the primary.
pub const COOKIE: &str = "gk_primary";

/// How long after a write the writer's pages are read from the primary.
pub const READ_YOUR_WRITES: Duration = Duration::from_secs(30);

/// How often the watcher reads the replica's position while it is behind.
const POLL_BEHIND: Duration = Duration::from_millis(10);

/// How often the watcher reads it otherwise (and retries a replica that does not answer).
const POLL_IDLE: Duration = Duration::from_secs(1);

/// Paths of the public routes that stay on the primary whoever asks: their throttles count in
/// the database.
const PRIMARY_PATHS: &[&str] = &["/login", "/logout", "/letters/lookup"];

/// A read-only replica of the database and how far it has caught up.
pub struct Replica {
    /// The replica's pool (read-only).
    pub db: Db,
    /// The primary's WAL position the replica must have replayed before it serves pages.
    required: AtomicI64,
    /// The replica's last known replay position.
    replayed: AtomicI64,
    /// False while the replica does not answer.
    healthy: AtomicBool,
    wake: tokio::sync::Notify,
}

impl Replica {
    /// The replica `db` of `primary`: serves pages once it has replayed what the primary had
    /// written when this is called.
    pub async fn new(primary: &Db, db: Db) -> gongkai_store::Result<Replica> {
        let required = primary.wal_position().await?.ok_or_else(|| {
            gongkai_store::Error::Invalid(
                "只读副本（--replica-url）仅用于 PostgreSQL：主数据库是 SQLite".into(),
            )
        })?;
        Ok(Replica {
            db,
            required: AtomicI64::new(required),
            replayed: AtomicI64::new(-1),
            healthy: AtomicBool::new(false),
            wake: tokio::sync::Notify::new(),
        })
    }

    /// True when public pages may be read from the replica: it answers, and it has replayed
    /// every change the follower has seen.
    pub fn fresh(&self) -> bool {
        self.healthy.load(Ordering::SeqCst)
            && self.replayed.load(Ordering::SeqCst) >= self.required.load(Ordering::SeqCst)
    }

    /// Pages are read from the primary until the replica has replayed the primary's WAL up to
    /// `position`.
    pub fn require(&self, position: i64) {
        self.required.fetch_max(position, Ordering::SeqCst);
        self.wake.notify_one();
    }

    /// Reads the replica's replay position once; returns [`Replica::fresh`].
    pub async fn check(&self) -> bool {
        match self.db.wal_position().await {
            Ok(p) => {
                self.replayed.fetch_max(p.unwrap_or(0), Ordering::SeqCst);
                if !self.healthy.swap(true, Ordering::SeqCst) {
                    tracing::info!("read-only replica answers; public pages read from it");
                }
            }
            Err(e) => {
                if self.healthy.swap(false, Ordering::SeqCst) {
                    tracing::warn!(error = %e, "read-only replica unreachable; public pages read from the primary");
                }
            }
        }
        self.fresh()
    }

    /// Starts the watcher of the replica's position; it runs until the runtime stops.
    pub fn spawn_watcher(self: Arc<Self>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut behind_since = None;
            loop {
                let fresh = self.check().await;
                match (fresh, behind_since) {
                    (false, None) => behind_since = Some(tokio::time::Instant::now()),
                    (true, Some(t)) => {
                        tracing::debug!(
                            behind_ms = t.elapsed().as_millis() as u64,
                            "read-only replica caught up"
                        );
                        behind_since = None;
                    }
                    _ => {}
                }
                if fresh || !self.healthy.load(Ordering::SeqCst) {
                    tokio::select! {
                        _ = self.wake.notified() => {}
                        _ = tokio::time::sleep(POLL_IDLE) => {}
                    }
                } else {
                    tokio::time::sleep(POLL_BEHIND).await;
                }
            }
        })
    }
}

/// True when `req` may be answered from the replica (when it is fresh): an anonymous `GET` or
/// `HEAD` of a page that does not write.
pub fn may_read_replica(req: &Request) -> bool {
    (req.method() == Method::GET || req.method() == Method::HEAD)
        && !req.headers().contains_key(header::COOKIE)
        && !req.headers().contains_key(header::AUTHORIZATION)
        && !PRIMARY_PATHS.contains(&req.uri().path())
}

/// What the routing middleware needs: the replica and the public routes over it.
#[derive(Clone)]
pub struct Dispatch {
    replica: Arc<Replica>,
    router: Router,
}

impl Dispatch {
    /// The dispatch of `state`'s replica, if it has one; `routes` are the public routes (the
    /// same handlers the primary's router has).
    pub fn new(state: &AppState, routes: Router<AppState>) -> Option<Dispatch> {
        let replica = state.replica.clone()?;
        let mut on_replica = state.clone();
        on_replica.shared_mut().db = replica.db.clone();
        Some(Dispatch {
            replica,
            router: routes.with_state(on_replica),
        })
    }
}

/// Route middleware on the public routes (inside the page cache's): sends the request to the
/// same route over the replica when [`may_read_replica`] and the replica is fresh.
pub async fn route(State(d): State<Dispatch>, req: Request, next: Next) -> Response {
    if !(may_read_replica(&req) && d.replica.fresh()) {
        return next.run(req).await;
    }
    // The outer router's extensions carry the path parameters it matched; the replica's router
    // matches the path again, and would see each parameter twice. Only the peer's address is
    // kept (the rate limits' and the proxy rules' input).
    let (mut parts, body) = req.into_parts();
    let peer = parts
        .extensions
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .cloned();
    parts.extensions = Default::default();
    if let Some(p) = peer {
        parts.extensions.insert(p);
    }
    match d.router.oneshot(Request::from_parts(parts, body)).await {
        Ok(r) => r,
        Err(never) => match never {},
    }
}

/// Middleware on the whole application (with a replica): the answer to a request that may
/// have written sets [`COOKIE`], so the writer's next pages come from the primary.
pub async fn remember_writers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let writes = req.method() != Method::GET
        && req.method() != Method::HEAD
        && !req.uri().path().starts_with("/api/");
    let mut resp = next.run(req).await;
    if writes {
        resp.headers_mut().append(
            header::SET_COOKIE,
            crate::auth::set_cookie(
                COOKIE,
                "1",
                READ_YOUR_WRITES.as_secs() as i64,
                state.config.secure_cookies,
                "Lax",
            ),
        );
    }
    resp
}
