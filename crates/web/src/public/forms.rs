//! What the portal's public forms share (the application, the letter, the comment): the errors
//! beside their fields, the one-time token and the query code derived from it, the form's page
//! as answered, and the refusal of a lookup by code past the address's limit.

use crate::AppState;
use crate::ratelimit;
use axum::http::{StatusCode, header};
use axum::response::Response;

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
pub(super) fn code_of_once(purpose: &str, once: &str) -> String {
    use sha2::{Digest, Sha256};
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    Sha256::digest(format!("{purpose}:{once}").as_bytes())
        .iter()
        .take(12)
        .map(|x| ALPHABET[(*x as usize) % ALPHABET.len()] as char)
        .collect()
}

pub(super) fn valid_once(once: &str) -> bool {
    once.len() == 64 && once.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A public form's page as answered: 422 when it comes back with mistakes, and never kept by a
/// cache (it carries the form's one-time token).
pub(super) fn form_page_answer(mut r: Response, invalid: bool) -> Response {
    if invalid {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    r
}

/// The page refusing a query-code lookup (or a download by code) from an address past its limit.
pub(super) async fn lookup_refused(state: &AppState, ip: Option<std::net::IpAddr>) -> Option<Response> {
    ratelimit::check(state, ratelimit::Kind::Lookup, ip)
        .await
        .err()
        .map(|refused| refused.page("查询"))
}
