//! What every page carries around its content: the site's identity (name, 主办单位, 网站标识码,
//! 备案 numbers, the 党政机关网站标识) in the header, titles and footer, and the visitor's
//! 长者模式 (a cookie set by a plain link, so it works without JavaScript).
//!
//! A middleware puts the request's [`Chrome`] in a task-local before the handler runs, so
//! [`crate::views::Ctx`] picks it up wherever a page is built, without every handler reading
//! the settings. The settings are read through `gongkai_app::site` and kept for
//! [`SETTINGS_LIFETIME`]; a change made through this process (any request that is not a
//! `GET`/`HEAD`) drops them at once, one made through another instance shows within the
//! lifetime (as the page cache of anonymous pages does with the change feed).

use crate::AppState;
use crate::auth::cookie;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use gongkai_app::site::{DEFAULT_SITE_NAME, SiteSettings};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The cookie of 长者模式 (`1` on).
pub const ELDER_COOKIE: &str = "gk_elder";

/// How long the site's settings are kept in memory.
pub const SETTINGS_LIFETIME: Duration = Duration::from_secs(2);

/// The site's identity as pages show it.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub settings: SiteSettings,
    /// The 党政机关网站标识 image and its content type.
    pub badge: Option<(String, Arc<Vec<u8>>)>,
}

impl Site {
    /// The name in the header and the home page's title.
    pub fn name(&self) -> &str {
        if self.settings.site_name.is_empty() {
            DEFAULT_SITE_NAME
        } else {
            &self.settings.site_name
        }
    }
}

/// One request's surroundings.
#[derive(Debug, Clone, Default)]
pub struct Chrome {
    pub site: Arc<Site>,
    /// 长者模式 on.
    pub elder: bool,
    /// The page's own path and query, for the 长者模式 switch to come back to.
    pub here: String,
    /// The host site's header and footer when embedded (see [`crate::embed`]).
    pub host: Option<Arc<crate::embed::Embed>>,
}

tokio::task_local! {
    static CHROME: Arc<Chrome>;
}

/// The current request's chrome (the defaults outside a request).
pub fn current() -> Arc<Chrome> {
    CHROME.try_with(Arc::clone).unwrap_or_default()
}

/// The settings kept in memory, and since when.
#[derive(Default)]
pub struct SiteMemo(Mutex<Option<(Instant, Arc<Site>)>>);

impl SiteMemo {
    fn get(&self) -> Option<Arc<Site>> {
        let g = self.0.lock().ok()?;
        g.as_ref()
            .filter(|(at, _)| at.elapsed() < SETTINGS_LIFETIME)
            .map(|(_, s)| s.clone())
    }

    fn put(&self, s: Arc<Site>) {
        if let Ok(mut g) = self.0.lock() {
            *g = Some((Instant::now(), s));
        }
    }

    pub fn forget(&self) {
        if let Ok(mut g) = self.0.lock() {
            *g = None;
        }
    }
}

/// The site's identity, from memory or read afresh.
pub async fn site(state: &AppState) -> Arc<Site> {
    if let Some(s) = state.site_memo.get() {
        return s;
    }
    let read = async {
        let settings = gongkai_app::site::settings(&state.app).await?;
        let badge = gongkai_app::site::badge(&state.app).await?;
        Ok::<_, gongkai_app::Error>(Site {
            settings,
            badge: badge.map(|(t, b)| (t, Arc::new(b))),
        })
    };
    match read.await {
        Ok(s) => {
            let s = Arc::new(s);
            state.site_memo.put(s.clone());
            s
        }
        Err(e) => {
            // The page still renders, with the defaults.
            tracing::warn!(error = %e, "site settings not read");
            Arc::new(Site::default())
        }
    }
}

/// The middleware: the request's chrome in scope while the handler runs.
pub async fn scope(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD);
    let elder = cookie(req.headers(), ELDER_COOKIE) == Some("1");
    let here = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let chrome = Arc::new(Chrome {
        site: site(&state).await,
        elder,
        here,
        host: state
            .config
            .embed
            .clone()
            .filter(|e| !e.host_header.is_empty() || !e.host_footer.is_empty()),
    });
    let r = CHROME.scope(chrome, next.run(req)).await;
    if writes {
        state.site_memo.forget();
    }
    r
}
