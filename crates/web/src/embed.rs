//! Embedding for 集约化: the 政府信息公开 column served under a path prefix of the host site
//! (`gongkai serve --base-path /xxgk`), inside the host's own header and footer
//! (`--host-header FILE --host-footer FILE`, HTML fragments the host site's templates give).
//!
//! The pages keep their links absolute from `/`; with a prefix, the application is nested under
//! it (routing sees the path without it; a request outside it is 404) and a middleware puts it
//! back in each answer:
//! `href`, `src` and `action` attributes from `/`, the `Location` of redirects, and absolute
//! addresses `scheme://host/` in feeds and sitemaps. So a reverse proxy in front (nginx's
//! `location /xxgk/ { proxy_pass http://127.0.0.1:8080; }`, the path kept) needs no rewriting
//! of its own. Cookies stay on path `/`: the column shares the host site's origin.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use std::sync::Arc;

/// The host site's surroundings, read once at start-up.
#[derive(Debug, Clone, Default)]
pub struct Embed {
    /// The path prefix, `/xxgk` (no trailing slash); empty: served at the root.
    pub base_path: String,
    /// HTML put before the column's own header, and after its footer.
    pub host_header: String,
    pub host_footer: String,
}

impl Embed {
    /// Checks a prefix given on the command line: `/` and path characters only.
    pub fn base_path(s: &str) -> Result<String, String> {
        let p = s.trim().trim_end_matches('/');
        if p.is_empty() {
            return Ok(String::new());
        }
        if !p.starts_with('/')
            || p.starts_with("//")
            || !p
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/-_.".contains(&b))
        {
            return Err(format!(
                "路径前缀“{s}”无效：应以 / 开头，只含字母、数字和 - _ ."
            ));
        }
        Ok(p.to_string())
    }
}

/// Adds `base` after `="/` in attributes that hold addresses (not `//host` links).
pub fn rewrite_html(body: &str, base: &str, origin: Option<&str>) -> String {
    let mut out = body.to_string();
    for attr in ["href", "src", "action"] {
        let from = format!(" {attr}=\"/");
        let mut s = String::with_capacity(out.len() + 256);
        let mut rest = out.as_str();
        while let Some(i) = rest.find(&from) {
            let after = &rest[i + from.len()..];
            s.push_str(&rest[..i + from.len() - 1]);
            if after.starts_with('/')
                || after.starts_with(&base[1..])
                    && after[base.len() - 1..].starts_with(['/', '"', '?'])
            {
                s.push('/');
            } else {
                s.push_str(base);
                s.push('/');
            }
            rest = after;
        }
        s.push_str(rest);
        out = s;
    }
    if let Some(o) = origin {
        out = out.replace(&format!("{o}/"), &format!("{o}{base}/"));
        // A second pass would double the prefix of an address already carrying it.
        out = out.replace(&format!("{o}{base}{base}/"), &format!("{o}{base}/"));
    }
    out
}

/// Marks the host's fragments in a page, whose links are the host site's and stay as written.
pub const HOST_START: &str = "<!--gk-host-->";
pub const HOST_END: &str = "<!--/gk-host-->";

/// [`rewrite_html`] on the page outside the host's fragments.
pub fn rewrite_outside_host(body: &str, base: &str, origin: Option<&str>) -> String {
    let mut out = String::with_capacity(body.len() + 1024);
    let mut rest = body;
    while let Some(i) = rest.find(HOST_START) {
        out.push_str(&rewrite_html(&rest[..i], base, origin));
        let host = &rest[i..];
        let end = host
            .find(HOST_END)
            .map(|e| e + HOST_END.len())
            .unwrap_or(host.len());
        out.push_str(&host[..end]);
        rest = &host[end..];
    }
    out.push_str(&rewrite_html(rest, base, origin));
    out
}

/// The whole application under the configured prefix (unchanged without one): the router
/// nested at the prefix, so routing sees the path without it, and every answer rewritten.
pub fn mount(router: axum::Router, embed: Option<&Arc<Embed>>) -> axum::Router {
    match embed.filter(|e| !e.base_path.is_empty()) {
        None => router,
        Some(e) => {
            // `/xxgk/` is the column's home page too (nest answers `/xxgk` and `/xxgk/…`).
            let home = router.clone();
            let slash = tower::service_fn(move |mut req: Request| {
                let home = home.clone();
                async move {
                    let pq = match req.uri().query() {
                        Some(q) => format!("/?{q}"),
                        None => "/".to_string(),
                    };
                    if let Ok(u) = pq.parse() {
                        *req.uri_mut() = u;
                    }
                    tower::ServiceExt::oneshot(home, req).await
                }
            });
            axum::Router::new()
                .route_service(&format!("{}/", e.base_path), slash)
                .nest(&e.base_path, router)
                .fallback(|| async { (StatusCode::NOT_FOUND, "未找到").into_response() })
                .layer(axum::middleware::from_fn_with_state(e.clone(), rewrite))
        }
    }
}

/// Puts the prefix back in each answer: `Location`, and links in HTML and XML.
async fn rewrite(State(embed): State<Arc<Embed>>, req: Request, next: Next) -> Response {
    let base = embed.base_path.as_str();
    let origin = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| {
            let scheme = if crate::views::is_https(req.headers()) {
                "https"
            } else {
                "http"
            };
            format!("{scheme}://{h}")
        });
    let mut r = next.run(req).await;
    if let Some(loc) = r
        .headers()
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        && loc.starts_with('/')
        && !loc.starts_with("//")
        && let Ok(v) = HeaderValue::from_str(&format!("{base}{loc}"))
    {
        r.headers_mut().insert(header::LOCATION, v);
    }
    let textual = r
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|t| t.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html") || t.contains("xml"));
    if !textual {
        return r;
    }
    let (mut parts, body) = r.into_parts();
    let Ok(bytes) = body.collect().await.map(|b| b.to_bytes()) else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "应答读取失败").into_response();
    };
    let text = String::from_utf8_lossy(&bytes);
    let out = rewrite_outside_host(&text, base, origin.as_deref());
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_get_the_prefix_once() {
        let html = r#"<a href="/o/1">x</a><img src="/site/badge"><form action="/search"><a href="//cdn.example/a">c</a><a href="/xxgk/o/2">d</a><a href="/xxgkother">e</a><a href="https://beian.miit.gov.cn/">f</a>"#;
        let out = rewrite_html(html, "/xxgk", None);
        assert_eq!(
            out,
            r#"<a href="/xxgk/o/1">x</a><img src="/xxgk/site/badge"><form action="/xxgk/search"><a href="//cdn.example/a">c</a><a href="/xxgk/o/2">d</a><a href="/xxgk/xxgkother">e</a><a href="https://beian.miit.gov.cn/">f</a>"#
        );
        let xml = "<loc>http://gov.example/o/1</loc>";
        assert_eq!(
            rewrite_html(xml, "/xxgk", Some("http://gov.example")),
            "<loc>http://gov.example/xxgk/o/1</loc>"
        );
        let page = format!(
            "<a href=\"/o/1\">{HOST_START}<a href=\"/\">host</a>{HOST_END}<a href=\"/sitemap\">"
        );
        assert_eq!(
            rewrite_outside_host(&page, "/xxgk", None),
            format!(
                "<a href=\"/xxgk/o/1\">{HOST_START}<a href=\"/\">host</a>{HOST_END}<a href=\"/xxgk/sitemap\">"
            )
        );
        assert_eq!(Embed::base_path("/xxgk/").unwrap(), "/xxgk");
        assert_eq!(Embed::base_path("").unwrap(), "");
        assert!(Embed::base_path("xxgk").is_err());
        assert!(Embed::base_path("/a b").is_err());
    }
}
