//! A short-lived cache of public pages as an anonymous visitor sees them.
//!
//! A provincial portal serves the same catalogue lists and item pages to many visitors; rendering
//! them once per change instead of once per request is what lets the dynamic portal keep up
//! with a static file server. What is cached, and when it is dropped:
//!
//! - only `GET`/`HEAD` requests without a `Cookie` or `Authorization` header (so nothing that
//!   depends on a login or a form token is ever shared), to the public routes;
//! - only `200` answers without `Set-Cookie` or a page's own `Content-Security-Policy`, of at most [`MAX_ENTRY_BYTES`];
//! - keyed by host, scheme and the whole path with its query (feeds and sitemaps write absolute
//!   links from the host);
//! - every request through this server that can change something (any method other than
//!   `GET`/`HEAD`) empties the cache when it finishes, so a publish, a withdrawal or a reply
//!   shows at once; changes made by another process (a command-line import, another server on
//!   the same PostgreSQL) empty it when this server's follower of the change feed reads them
//!   (`crate::follower`: at once on PostgreSQL's NOTIFY, within a second otherwise). The entry
//!   lifetime (`gongkai serve --page-cache-seconds`, 30 by default) bounds how long a 公示 stays
//!   listed past its last day;
//! - an answer whose request began before the cache was last emptied is never served from it: a
//!   page read from the database just before a change committed, and finished just after the
//!   cache was emptied for that change, would otherwise be kept stale for a whole lifetime.

use crate::AppState;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The largest answer kept (a report's PDF or an attachment above this is served afresh).
pub const MAX_ENTRY_BYTES: usize = 2 * 1024 * 1024;

/// The most memory all entries may take together.
const MAX_TOTAL_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Clone)]
struct Entry {
    /// The cache's generation when the request that rendered it began: an entry from before
    /// the latest [`PageCache::clear`] is never served, even when the request finished (and
    /// stored it) after the clear.
    generation: u64,
    content_type: Option<HeaderValue>,
    content_disposition: Option<HeaderValue>,
    body: Bytes,
}

/// The cache itself; cloned cheaply (shared).
#[derive(Clone)]
pub struct PageCache {
    entries: moka::sync::Cache<String, Arc<Entry>>,
    generation: Arc<AtomicU64>,
}

impl PageCache {
    pub fn new(lifetime: Duration) -> PageCache {
        PageCache {
            entries: moka::sync::Cache::builder()
                .max_capacity(MAX_TOTAL_BYTES)
                .weigher(|k: &String, v: &Arc<Entry>| {
                    (k.len() + v.body.len() + 64).try_into().unwrap_or(u32::MAX)
                })
                .time_to_live(lifetime)
                .build(),
            generation: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Drops every entry, and every entry being rendered now (see [`Entry::generation`]).
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.entries.invalidate_all();
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// How many entries are kept now (for tests and diagnostics).
    pub fn len(&self) -> u64 {
        self.entries.run_pending_tasks();
        self.entries.entry_count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn cacheable(req: &Request) -> bool {
    (req.method() == Method::GET || req.method() == Method::HEAD)
        && !req.headers().contains_key(header::COOKIE)
        && !req.headers().contains_key(header::AUTHORIZATION)
}

fn key(req: &Request) -> String {
    let h = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    };
    format!(
        "{}|{}|{}|{}",
        h("host"),
        h("x-forwarded-proto"),
        req.method(),
        req.uri()
    )
}

/// Middleware on the public routes: answers from the cache, or renders and keeps the answer.
pub async fn public_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(cache) = state.page_cache.as_ref() else {
        return next.run(req).await;
    };
    if !cacheable(&req) {
        return next.run(req).await;
    }
    let key = key(&req);
    // Read before the page's data: a change that empties the cache while this request reads
    // the database makes its answer unfit to keep.
    let generation = cache.generation();
    if let Some(e) = cache.entries.get(&key)
        && e.generation == generation
    {
        return answer(&e);
    }
    let resp = next.run(req).await;
    let small = resp
        .body()
        .size_hint()
        .exact()
        .is_some_and(|n| n <= MAX_ENTRY_BYTES as u64);
    // A page with its own Content-Security-Policy (the report's standalone HTML) is served
    // afresh: an entry keeps only the type and disposition headers.
    if resp.status() != StatusCode::OK
        || resp.headers().contains_key(header::SET_COOKIE)
        || resp.headers().contains_key(header::CONTENT_SECURITY_POLICY)
        || !small
    {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    match axum::body::to_bytes(body, MAX_ENTRY_BYTES).await {
        Ok(bytes) => {
            let entry = Entry {
                generation,
                content_type: parts.headers.get(header::CONTENT_TYPE).cloned(),
                content_disposition: parts.headers.get(header::CONTENT_DISPOSITION).cloned(),
                body: bytes.clone(),
            };
            cache.entries.insert(key, Arc::new(entry));
            Response::from_parts(parts, Body::from(bytes))
        }
        // The body failed while being read: the visitor gets an error rather than a truncated
        // page (a body cannot be replayed).
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn answer(e: &Entry) -> Response {
    let mut r = Response::new(Body::from(e.body.clone()));
    if let Some(ct) = &e.content_type {
        r.headers_mut().insert(header::CONTENT_TYPE, ct.clone());
    }
    if let Some(cd) = &e.content_disposition {
        r.headers_mut()
            .insert(header::CONTENT_DISPOSITION, cd.clone());
    }
    r
}

/// Middleware on the whole application: a request that may have changed records empties the
/// cache once it has been handled.
pub async fn clear_on_change(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let changes = !(req.method() == Method::GET || req.method() == Method::HEAD);
    let resp = next.run(req).await;
    if changes && let Some(cache) = &state.page_cache {
        cache.clear();
    }
    resp
}
