//! What the portal's public forms share (the application, the letter, the comment): the errors
//! beside their fields, the one-time token and the query code derived from it, the form's page
//! as answered, and the refusal of a lookup by code past the address's limit.

use crate::AppState;
use crate::auth::{CurrentUser, check_form_token, form_token};
use crate::error::{AppError, AppResult};
use crate::ratelimit;
use crate::views::{Ctx, page_with_form_cookie};
use askama::Template;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use std::net::IpAddr;

/// The errors of a form, each beside its field (and listed together above the form).
#[derive(Default)]
pub struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }
    /// The message for one field, or "" (templates show it beside the field).
    pub fn of(&self, field: &str) -> &str {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
            .unwrap_or("")
    }
    pub fn all(&self) -> &[(&'static str, String)] {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The query code belonging to a one-time form token (12 characters of the query-code
/// alphabet, from its SHA-256).
fn code_of_once(purpose: &str, once: &str) -> String {
    use sha2::{Digest, Sha256};
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    Sha256::digest(format!("{purpose}:{once}").as_bytes())
        .iter()
        .take(12)
        .map(|x| ALPHABET[(*x as usize) % ALPHABET.len()] as char)
        .collect()
}

fn valid_once(once: &str) -> bool {
    once.len() == 64 && once.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A public form's page, the one way the three forms show it: the form cookie's token (a new
/// one set when the request had none), the title marked （填写有误） when the form comes back with
/// its errors, answered as `form_page_answer` says.
pub(super) fn form_page<T: Template>(
    state: &AppState,
    headers: &HeaderMap,
    user: &Option<CurrentUser>,
    title: String,
    invalid: bool,
    make: impl FnOnce(Ctx) -> T,
) -> AppResult<Response> {
    let (token, new) = form_token(headers);
    let title = if invalid {
        format!("（填写有误）{title}")
    } else {
        title
    };
    let r = page_with_form_cookie(state, &make(Ctx::public(title, user, &token)), &token, new)?;
    Ok(form_page_answer(r, invalid))
}

/// A public form's page as answered: 422 when it comes back with mistakes, and never kept by a
/// cache (it carries the form's one-time token).
fn form_page_answer(mut r: Response, invalid: bool) -> Response {
    if invalid {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    no_store(r)
}

/// The page refusing a query-code lookup (or a download by code) from an address past its limit.
pub(super) async fn lookup_refused(state: &AppState, ip: Option<IpAddr>) -> Option<Response> {
    ratelimit::check(state, ratelimit::Kind::Lookup, ip)
        .await
        .err()
        .map(|refused| refused.page("查询"))
}

/// A record looked up by the query code its writer holds, as the receipts and lookups of the
/// application and the letter do it.
pub(super) enum ByCode<T> {
    /// The address is past its limit of lookups: the refusal page.
    Refused(Response),
    /// The code as normalised (trimmed, upper case) and the record it names, if any (never any
    /// for an empty code).
    Looked { code: String, found: Option<T> },
}

/// The one way a page finds a record by query code: the code normalised; an anonymous lookup of
/// a code counted against the address's limit and refused past it (a logged-in officer is not
/// counted; an empty code, the lookup's blank form, costs nothing); then `find` reads the record.
pub(super) async fn receipt_lookup<T, Fut>(
    state: &AppState,
    user: &Option<CurrentUser>,
    ip: Option<IpAddr>,
    typed: &str,
    find: impl FnOnce(String) -> Fut,
) -> AppResult<ByCode<T>>
where
    Fut: Future<Output = AppResult<Option<T>>>,
{
    let code = typed.trim().to_uppercase();
    if code.is_empty() {
        return Ok(ByCode::Looked { code, found: None });
    }
    if user.is_none()
        && let Some(refused) = lookup_refused(state, ip).await
    {
        return Ok(ByCode::Refused(refused));
    }
    let found = find(code.clone()).await?;
    Ok(ByCode::Looked { code, found })
}

/// An answer that is one person's (a receipt, a lookup by code): never kept by a cache.
pub(super) fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    r
}

/// One submission of a public form (the application, the letter, the comment) from an address to
/// an organ: the checks of its tokens and of the address's limit, done one way for the three.
pub(super) struct Submission<'a> {
    pub state: &'a AppState,
    pub user: &'a Option<CurrentUser>,
    pub ip: Option<IpAddr>,
    pub kind: ratelimit::Kind,
    pub organ: i64,
}

impl Submission<'_> {
    /// The form's tokens checked (the session's for a logged-in person, the form cookie's for
    /// anyone else; then the one-time token, whose absence says the page is stale: `expired`
    /// names where to fill it in again) and the query code derived from the one-time token, so
    /// the same form sent twice finds what it made the first time.
    pub fn code(
        &self,
        headers: &HeaderMap,
        csrf: &str,
        once: &str,
        purpose: &str,
        expired: &str,
    ) -> AppResult<String> {
        match self.user {
            Some(u) => u.check_csrf(csrf)?,
            None => check_form_token(headers, csrf)?,
        }
        if !valid_once(once) {
            return Err(AppError::BadRequest(format!(
                "表单已过期，请返回{expired}页面刷新后重新填写"
            )));
        }
        Ok(code_of_once(purpose, once))
    }

    /// Counts the submission as accepted against the address's limit and the organ's ceiling
    /// (anonymous submissions only): past them, the refusal (to make the form's page a 429) and
    /// the form's errors saying so.
    pub async fn over_limit(&self) -> Option<(ratelimit::Refused, FieldErrors)> {
        if self.user.is_some() {
            return None;
        }
        let refused = ratelimit::accept(self.state, self.kind, self.ip, self.organ)
            .await
            .err()?;
        let mut errors = FieldErrors::default();
        errors.add("form-errors", refused.message());
        Some((refused, errors))
    }

    /// A submission the use case sent back with its mistakes: its count given back (only
    /// accepted submissions count against the limit) and each mistake beside its field.
    pub async fn sent_back(&self, list: Vec<gongkai_app::FieldError>) -> FieldErrors {
        if self.user.is_none() {
            ratelimit::give_back(self.state, self.kind, self.ip, self.organ).await;
        }
        let mut errors = FieldErrors::default();
        for e in list {
            errors.add(e.field, e.message);
        }
        errors
    }
}
