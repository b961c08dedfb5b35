//! View models shared by the templates: what the page frame needs, and records turned into the
//! strings a page shows (dates, labels), so the templates stay free of logic.

use crate::AppState;
use crate::auth::{CurrentUser, FORM_COOKIE, set_cookie};
use crate::error::AppResult;
use askama::Template;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use gongkai_domain::records::{CatalogueItem, Category, Organ, category_path};

/// What the frame of every page needs.
pub struct Ctx {
    pub title: String,
    /// Name and role of the logged-in person, if any.
    pub user: Option<(String, String)>,
    /// The form token of this visitor (session-bound once logged in).
    pub csrf: String,
    pub back_office: bool,
    /// Back-office menu entries this person's role may open (the others answer 403).
    pub nav_users: bool,
    pub nav_audit: bool,
    /// The one-time message of the action just done (已保存, 已发布…), or empty.
    pub flash: String,
    pub nav_jobs: bool,
    /// The site's identity and the visitor's 长者模式 (see [`crate::chrome`]).
    pub chrome: std::sync::Arc<crate::chrome::Chrome>,
}

impl Ctx {
    /// The document's title: the page's, then the site's name (the home page's title is the
    /// site's name alone).
    pub fn full_title(&self) -> String {
        let site = self.chrome.site.name();
        if self.title.is_empty() || self.title == site {
            site.to_string()
        } else if self.back_office && self.title.contains("管理后台") {
            self.title.clone()
        } else if self.back_office {
            format!("{} - 管理后台", self.title)
        } else {
            format!("{} - {site}", self.title)
        }
    }

    /// The digits of the 公安机关备案号, for its link to the national register.
    pub fn police_code(&self) -> String {
        gongkai_app::site::police_record_number(&self.chrome.site.settings.police_record)
            .unwrap_or_default()
    }

    /// The link that turns 长者模式 on or off and comes back to this page.
    pub fn elder_switch(&self) -> String {
        let back = crate::public::safe_next(&self.chrome.here);
        format!(
            "/elder?on={}&next={}",
            if self.chrome.elder { 0 } else { 1 },
            urlencoding(&back)
        )
    }

    pub fn public(title: impl Into<String>, user: &Option<CurrentUser>, form_token: &str) -> Ctx {
        Ctx {
            title: title.into(),
            user: user
                .as_ref()
                .map(|u| (u.user.display_name.clone(), u.user.role.label().to_string())),
            csrf: user
                .as_ref()
                .map(|u| u.csrf.clone())
                .unwrap_or_else(|| form_token.to_string()),
            back_office: false,
            nav_users: false,
            nav_audit: false,
            flash: String::new(),
            nav_jobs: false,
            chrome: crate::chrome::current(),
        }
    }

    pub fn admin(title: impl Into<String>, user: &CurrentUser) -> Ctx {
        Ctx {
            title: title.into(),
            user: Some((
                user.user.display_name.clone(),
                user.user.role.label().to_string(),
            )),
            csrf: user.csrf.clone(),
            back_office: true,
            nav_users: user.holds(gongkai_app::Perm::Admin),
            nav_audit: user.holds(gongkai_app::Perm::Audit),
            flash: user.flash.clone().unwrap_or_default(),
            nav_jobs: gongkai_app::Perm::System.allowed(user.user.role),
            chrome: crate::chrome::current(),
        }
    }
}

/// Renders a template as an HTML response.
pub fn page<T: Template>(t: &T) -> AppResult<Response> {
    Ok(Html(t.render()?).into_response())
}

/// Renders a page carrying a form for an anonymous visitor, setting the form cookie when new.
pub fn page_with_form_cookie<T: Template>(
    state: &AppState,
    t: &T,
    token: &str,
    new: bool,
) -> AppResult<Response> {
    let mut resp = page(t)?;
    if new {
        resp.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(
                FORM_COOKIE,
                token,
                86_400,
                state.config.secure_cookies,
                "Strict",
            ),
        );
    }
    Ok(resp)
}

pub fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// A catalogue item as its page and the lists show it.
#[derive(Debug, Clone)]
pub struct ItemView {
    pub id: i64,
    pub organ_id: i64,
    pub index_no: String,
    pub title: String,
    pub summary: String,
    pub category: String,
    pub issuing_unit: String,
    pub written_on: String,
    pub published_on: String,
    pub doc_number: String,
    pub doc_kind: String,
    pub validity: String,
    /// The date the current 有效性 was recorded from (empty while never changed).
    pub validity_since: String,
    pub status: String,
    pub status_code: String,
}

impl ItemView {
    pub fn new(it: &CatalogueItem, cats: &[Category], today: NaiveDate) -> ItemView {
        ItemView {
            id: it.id,
            organ_id: it.organ_id,
            index_no: it.index_no.clone(),
            title: it.title.clone(),
            summary: it.summary.clone(),
            category: category_path(cats, it.category_id),
            issuing_unit: it.issuing_unit.clone(),
            written_on: date(it.written_on),
            published_on: date(it.published_on),
            doc_number: it.doc_number.clone(),
            doc_kind: it.doc_kind.label().to_string(),
            validity: it.validity_on(today).label().to_string(),
            validity_since: it
                .validity
                .iter()
                .filter(|c| c.changed_on <= today)
                .max_by_key(|c| c.changed_on)
                .map(|c| c.changed_on.to_string())
                .unwrap_or_default(),
            status: it.status.label().to_string(),
            status_code: it.status.code().to_string(),
        }
    }
}

/// An organ as a link.
#[derive(Debug, Clone)]
pub struct OrganLink {
    pub id: i64,
    pub name: String,
}

impl OrganLink {
    /// The organ's mailbox on the portal, named by who answers it (局长信箱, 校长信箱, …).
    pub fn mailbox(&self) -> &'static str {
        gongkai_app::letters::mailbox_name(&self.name)
    }
}

impl From<&Organ> for OrganLink {
    fn from(o: &Organ) -> OrganLink {
        OrganLink {
            id: o.id,
            name: o.name.clone(),
        }
    }
}

/// A category of the tree, flattened with its depth for indentation.
#[derive(Debug, Clone)]
pub struct CategoryView {
    pub id: i64,
    pub name: String,
    pub path: String,
    pub depth: usize,
}

pub fn category_views(cats: &[Category]) -> Vec<CategoryView> {
    fn walk(cats: &[Category], parent: Option<i64>, depth: usize, out: &mut Vec<CategoryView>) {
        for c in cats.iter().filter(|c| c.parent_id == parent) {
            out.push(CategoryView {
                id: c.id,
                name: c.name.clone(),
                path: category_path(cats, c.id),
                depth,
            });
            if depth < 16 {
                walk(cats, Some(c.id), depth + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(cats, None, 0, &mut out);
    out
}

/// The `Set-Cookie` header value that ends a cookie.
pub fn expired_cookie(name: &str, secure: bool) -> HeaderValue {
    set_cookie(name, "", 0, secure, "Lax")
}

/// Was the request made over https (directly or as a proxy says)?
pub fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// Date bounds for "all records": SQLite compares dates as text, where chrono's MIN and MAX
/// (years beyond four digits, with a sign) would sort wrongly.
pub fn all_dates() -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(NaiveDate::MIN),
        NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX),
    )
}

/// A page that stands alone with its own `<style>` elements (the report's HTML download, the
/// back office's preview of it): served with a Content-Security-Policy that allows exactly those
/// style sheets by their SHA-256 hash, and nothing else inline, so the site's strict policy
/// (`style-src 'self'`) is kept everywhere else.
pub fn standalone_html(html: String) -> Response {
    let mut resp = Html(html.clone()).into_response();
    let policy = standalone_policy(&html);
    if let Ok(v) = HeaderValue::from_str(&policy) {
        resp.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, v);
    }
    resp
}

/// The policy [`standalone_html`] sends: the hash of every `<style>…</style>` in the page.
pub fn standalone_policy(html: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut hashes = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<style>") {
        let after = &rest[start + "<style>".len()..];
        let Some(end) = after.find("</style>") else {
            break;
        };
        let digest = Sha256::digest(&after.as_bytes()[..end]);
        hashes.push_str(&format!(" 'sha256-{}'", base64(&digest)));
        rest = &after[end..];
    }
    format!(
        "default-src 'none'; style-src 'self'{hashes}; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'"
    )
}

/// Standard base64 with padding (RFC 4648), as CSP hash sources are written.
fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `Content-Disposition` of a download named `filename`: the name ASCII-escaped into the header,
/// the browser showing the UTF-8 original (RFC 5987).
pub fn attachment_disposition(filename: &str) -> String {
    format!("attachment; filename*=UTF-8''{}", percent_encode(filename))
}

/// Percent-encodes a text for a URL's query or a header's extended value (RFC 3986 unreserved
/// characters kept as they are).
pub fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Percent-encodes a query value.
pub fn urlencoding(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), want);
        }
    }

    #[test]
    fn standalone_policy_allows_exactly_the_pages_style_sheets() {
        let p = standalone_policy("<html><head><style>p{color:red}</style></head></html>");
        // echo -n 'p{color:red}' | openssl dgst -sha256 -binary | base64
        assert!(
            p.contains("style-src 'self' 'sha256-p0bF+un5yUb9MBO6xRb8kPHlY2BdpHVtLiFkDrZPF64='"),
            "{p}"
        );
        assert!(!p.contains("unsafe-inline"), "{p}");
        assert_eq!(p.matches("'sha256-").count(), 1);
    }
}
