//! gongkai's portal and back office: the only crate that knows HTTP.
//!
//! [`app`] builds the whole router; the `gongkai serve` binary and the tests (in-process
//! `oneshot` requests) use the same one. Pages are server-rendered askama templates (escaped by
//! default) that work without JavaScript, forms follow Post/Redirect/Get, and every
//! state-changing form carries a token bound to the session (or, before login, a double-submit
//! cookie).

pub mod admin;
pub mod api;
pub mod applications;
pub mod auth;
pub mod cache;
pub mod chrome;
pub mod demo;
pub mod embed;
pub mod error;
pub mod follower;
pub mod input;
pub mod inspect;
pub mod jobs;
pub mod public;
pub mod ratelimit;
pub mod replica;
pub mod reports;
pub mod search;
pub mod server;
pub mod views;

use axum::Router;
use axum::http::{HeaderValue, header};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_store::Db;
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Default of [`Config::header_read_timeout`].
pub const HEADER_READ_TIMEOUT_SECS: u64 = 20;

/// Default of [`Config::reindex_wait`].
pub const REINDEX_WAIT_SECS: u64 = 20;

/// Largest request body accepted (attachments included).
pub const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// Settings of a running portal.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` (set when the portal is served over https, directly or behind a
    /// proxy).
    pub secure_cookies: bool,
    pub session_hours: i64,
    /// How long a public page is kept for anonymous visitors (0: not cached). See [`cache`].
    pub page_cache_seconds: u64,
    /// Limits per client address on anonymous requests. See [`ratelimit`].
    pub rate_limits: ratelimit::Limits,
    /// Reverse proxies whose `X-Forwarded-For` is believed (none by default). See [`ratelimit`].
    pub trusted_proxies: Vec<ratelimit::Proxy>,
    /// Time a client has to send a request's headers, counted from the connection's opening
    /// or from the previous answer on a kept-alive connection (so it is also how long an idle
    /// connection is kept). See [`serve`].
    pub header_read_timeout: Duration,
    /// Requests handled at once; past it 503 at once (see [`server`]).
    pub max_in_flight: usize,
    /// Connections open at once, and from one client address (see [`server`]).
    pub max_connections: usize,
    pub max_connections_per_address: usize,
    /// How long a change's answer waits for the search index to take it (see
    /// [`AppState::refreshed_reporting`]): under the 30-second request timeout; zero: never.
    pub reindex_wait: Duration,
    /// Served under a path prefix of a host site, inside its header and footer (see [`embed`]).
    pub embed: Option<Arc<embed::Embed>>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            secure_cookies: false,
            session_hours: 8,
            page_cache_seconds: 0,
            rate_limits: ratelimit::Limits::default(),
            trusted_proxies: Vec::new(),
            header_read_timeout: Duration::from_secs(HEADER_READ_TIMEOUT_SECS),
            max_in_flight: server::MAX_IN_FLIGHT,
            max_connections: server::MAX_CONNECTIONS,
            max_connections_per_address: server::MAX_CONNECTIONS_PER_ADDRESS,
            reindex_wait: Duration::from_secs(REINDEX_WAIT_SECS),
            embed: None,
        }
    }
}

pub use gongkai_app::Refresh as Reindex;

/// What [`AppState::refreshed_reporting`] did to the search index.
#[derive(Debug, Default)]
pub struct Indexed {
    /// Attachments indexed without their text, and why.
    pub skipped: Vec<gongkai_search::extract::Skipped>,
    /// Still being updated when the answer went out (attachments taking long to read).
    pub pending: bool,
}
pub use gongkai_app::clock::{Clock, FixedClock, SystemClock};

/// What every handler is given: one pointer to the process's [`Shared`] state, so handing it to
/// a request (axum clones the state for every extractor and middleware that asks) is one
/// reference count, not a copy of every pool and cache handle in it (measured: those copies and
/// their drops were a third of the server's time on cached pages).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The state behind [`AppState`].
#[derive(Clone)]
pub struct Shared {
    /// The database, for the pages' reads (every write goes through [`AppState::app`]).
    pub db: Db,
    /// The use cases, with the installation's clock.
    pub app: gongkai_app::App,
    pub config: Arc<Config>,
    /// The full-text index of published records; the portal runs without one (no search box).
    pub search: Option<Arc<gongkai_search::Index>>,
    /// Public pages as anonymous visitors see them, when the configuration asks for it.
    pub page_cache: Option<cache::PageCache>,
    /// Rate-limit checks made by this process (for the counters' housekeeping only).
    pub rate_checks: ratelimit::Checks,
    /// A read-only replica of the database for anonymous public pages (see [`replica`]).
    pub replica: Option<Arc<replica::Replica>>,
    /// Search entries this process updated itself after its own writes, so the follower does
    /// not index them again (see [`follower::OwnWrites`]).
    pub own_writes: Arc<follower::OwnWrites>,
    /// Requests being handled now, up to [`Config::max_in_flight`].
    pub in_flight: server::InFlight,
    /// The site's identity as last read (see [`chrome`]).
    pub site_memo: Arc<chrome::SiteMemo>,
}

impl AppState {
    pub fn new(db: Db, config: Config) -> AppState {
        let page_cache = (config.page_cache_seconds > 0)
            .then(|| cache::PageCache::new(Duration::from_secs(config.page_cache_seconds)));
        AppState(Arc::new(Shared {
            in_flight: Arc::new(tokio::sync::Semaphore::new(config.max_in_flight.max(1))),
            page_cache,
            app: gongkai_app::App::new(db.clone(), gongkai_app::Time::system()),
            db,
            config: Arc::new(config),
            search: None,
            rate_checks: Default::default(),
            replica: None,
            own_writes: Default::default(),
            site_memo: Default::default(),
        }))
    }

    /// The state to change while it is being built (a copy if it is already shared).
    pub(crate) fn shared_mut(&mut self) -> &mut Shared {
        Arc::make_mut(&mut self.0)
    }

    /// Reads anonymous public pages from `replica` when it has caught up (see [`replica`]).
    pub fn with_replica(mut self, replica: Arc<replica::Replica>) -> AppState {
        self.shared_mut().replica = Some(replica);
        self
    }

    /// Takes the time from `clock` (a fixed instant in tests).
    pub fn with_clock(mut self, clock: impl Clock) -> AppState {
        let s = self.shared_mut();
        s.app.time = s.app.time.clone().with_source(clock);
        self
    }

    /// The installation's clock (instant source and zone).
    pub fn with_time(mut self, time: gongkai_app::Time) -> AppState {
        self.shared_mut().app.time = time;
        self
    }

    /// Renders report files within `limits` (see `gongkai_app::exports`).
    pub fn with_export_limits(mut self, limits: gongkai_app::exports::Limits) -> AppState {
        let s = self.shared_mut();
        s.app = s.app.clone().with_export_limits(limits);
        self
    }

    pub fn with_search(mut self, index: Arc<gongkai_search::Index>) -> AppState {
        self.shared_mut().search = Some(index);
        self
    }

    /// Brings up to date what a use case said must follow its change, and hands back its result.
    pub async fn refreshed<T>(&self, done: gongkai_app::Done<T>) -> T {
        for r in done.refresh {
            self.reindex_own(r).await;
        }
        done.value
    }

    /// [`AppState::refreshed`], also returning the attachments that were indexed without their
    /// text and why (the officer who published is told, see `admin::items`).
    ///
    /// Reading attachments may take long (`pdftotext` has 15 s per file), longer than the
    /// request may (30 s, then 408 though the change is made). So the index is brought up to
    /// date in a task of its own, waited for at most [`Config::reindex_wait`]; past that the
    /// answer goes out saying the index is still being updated, and the task goes on. Each
    /// entry is noted in [`follower::OwnWrites`] before its attachments are read, so the
    /// follower, reading the same change meanwhile, does not read them a second time.
    pub async fn refreshed_reporting<T>(&self, done: gongkai_app::Done<T>) -> (T, Indexed) {
        let state = self.clone();
        let refresh = done.refresh;
        let task = tokio::spawn(async move {
            let mut skipped = Vec::new();
            for r in refresh {
                match (r, &state.search) {
                    (Reindex::Item(id), Some(index)) => {
                        let seen = state.own_writes.seen(&state.db).await;
                        state.own_writes.indexed(r, seen);
                        match gongkai_search::feed::sync_item_reporting(&state.db, index, id).await
                        {
                            Ok(s) => skipped.extend(s),
                            Err(e) => tracing::error!(
                                error = %e,
                                "search index not updated; rebuild it with `gongkai index`"
                            ),
                        }
                    }
                    (r, _) => state.reindex_own(r).await,
                }
            }
            skipped
        });
        let wait = self.config.reindex_wait;
        if wait.is_zero() {
            // Configured never to wait: the answer goes out now.
            return (
                done.value,
                Indexed {
                    skipped: vec![],
                    pending: true,
                },
            );
        }
        let indexed = match tokio::time::timeout(wait, task).await {
            Ok(Ok(skipped)) => Indexed {
                skipped,
                pending: false,
            },
            Ok(Err(e)) => {
                tracing::error!(error = %e, "search index update failed");
                Indexed::default()
            }
            Err(_) => {
                tracing::info!("search index still being updated after the answer");
                Indexed {
                    skipped: vec![],
                    pending: true,
                }
            }
        };
        (done.value, indexed)
    }

    /// [`AppState::reindex`] after a write of this process, noted so the follower of the change
    /// feed does not index the entry again when it reads the change.
    async fn reindex_own(&self, what: Reindex) {
        if self.search.is_none() {
            return;
        }
        let seen = self.own_writes.seen(&self.db).await;
        if self.reindex(what).await {
            self.own_writes.indexed(what, seen);
        }
    }

    /// Brings the index entries of a changed record up to date; false when it failed. The index
    /// can always be rebuilt, so a failure here is logged and never fails the change itself.
    pub async fn reindex(&self, what: Reindex) -> bool {
        let Some(index) = &self.search else {
            return false;
        };
        let r = match what {
            Reindex::Item(id) => gongkai_search::feed::sync_item(&self.db, index, id).await,
            Reindex::Letter(id) => gongkai_search::feed::sync_letter(&self.db, index, id).await,
            Reindex::Report(organ, year) => {
                gongkai_search::feed::sync_report(&self.db, index, organ, year).await
            }
        };
        if let Err(e) = &r {
            tracing::error!(error = %e, "search index not updated; rebuild it with `gongkai index`");
        }
        r.is_ok()
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.app.time.now()
    }

    /// Today in the installation's zone (Beijing time): legal dates are Beijing dates.
    pub fn today(&self) -> NaiveDate {
        self.app.time.today()
    }
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    let mut public = public::routes();
    let mut search = search::routes();
    // With a replica, anonymous public pages are read from it (inside the page cache).
    if let Some(d) = replica::Dispatch::new(&state, public::routes().merge(search::routes())) {
        let route = axum::middleware::from_fn_with_state(d, replica::route);
        public = public.route_layer(route.clone());
        search = search.route_layer(route);
    }
    let router = Router::new()
        .merge(public.route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cache::public_pages,
        )))
        .merge(public::apply_routes())
        .merge(admin::routes())
        .merge(applications::routes())
        .merge(api::routes())
        .merge(search)
        .fallback(|| async { error::AppError::NotFound });
    let router = if state.replica.is_some() {
        router.layer(axum::middleware::from_fn_with_state(
            state.clone(),
            replica::remember_writers,
        ))
    } else {
        router
    };
    let in_flight = state.in_flight.clone();
    let router = router
        // NUL refused before any handler reads the text; the rate limits of anonymous forms are
        // checked before that (outer), so a refused request's body is never read.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            input::refuse_nul,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ratelimit::before_body,
        ))
        .layer(axum::middleware::from_fn(error::chinese_rejections))
        .layer(axum::middleware::from_fn(
            public::login_keeps_the_page_asked,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cache::clear_on_change,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            chrome::scope,
        ))
        .with_state(state.clone());
    embed::mount(router, state.config.embed.as_ref())
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // axum's own extractor limit (2 MB by default) would refuse attachments below ours.
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(TraceLayer::new_for_http())
        // Before any body is read: past the cap a request is refused, not queued.
        .layer(axum::middleware::from_fn_with_state(
            in_flight,
            server::shed_load,
        ))
        .layer(CatchPanicLayer::new())
        // Outermost, so every answer carries them: refusals of the layers above (413, 408) and
        // caught panics included.
        .layer(axum::middleware::from_fn(no_store_for_private))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
}

/// The back office, the API and the login form answer with `Cache-Control: no-store`: their
/// pages carry personal data (case files, identity numbers) no browser or proxy may keep.
async fn no_store_for_private(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = req.uri().path();
    let private = ["/admin", "/api", "/login", "/logout"]
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")));
    let mut r = next.run(req).await;
    if private {
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    r
}

pub use server::{serve, serve_on};
