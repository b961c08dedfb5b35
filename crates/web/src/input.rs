//! What a request's text must be before any handler reads it: no NUL character. PostgreSQL
//! refuses NUL in text, so a NUL typed (or sent) into any form or query reached the database and
//! answered 500 (issue 33); SQLite would have stored it. Refused here, once, for every door: a
//! NUL in the query string or path, or in a form or JSON body, answers a Chinese 400 and nothing
//! is written. Multipart bodies (attachments, imports) are files, whose bytes are their own.

use crate::error::AppError;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// Does `b` carry a NUL, raw or percent-encoded (or, in JSON, escaped)?
fn has_nul(b: &[u8], json: bool) -> bool {
    b.contains(&0)
        || b.windows(3).any(|w| w.eq_ignore_ascii_case(b"%00"))
        || (json && b.windows(6).any(|w| w == b"\\u0000"))
}

fn refused() -> Response {
    AppError::BadRequest("提交的内容含有无法识别的控制字符（NUL），请删除后重新提交".into())
        .into_response()
}

/// Refuses a request whose text carries NUL (see the module comment). A body is read here only
/// for an anonymous form (already bounded by [`crate::ratelimit::FORM_BODY_MAX`] and its rate
/// limits) or for a logged-in person or API token: anyone else's body is left to the handler,
/// which refuses them without reading it, so a flood of large anonymous bodies is never read.
pub async fn refuse_nul(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let uri = req.uri();
    if has_nul(uri.path().as_bytes(), false)
        || uri.query().is_some_and(|q| has_nul(q.as_bytes(), false))
    {
        return refused();
    }
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let form = ct.starts_with("application/x-www-form-urlencoded");
    let json = ct.starts_with("application/json");
    if !form && !json {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    if !crate::ratelimit::is_limited_form(&parts.method, parts.uri.path())
        && !known_sender(&mut parts, &state).await
    {
        return next
            .run(axum::extract::Request::from_parts(parts, body))
            .await;
    }
    // The body limit layer outside bounds what is read here.
    let bytes = match axum::body::to_bytes(body, crate::MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(_) => {
            return (
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                AppError::BadRequest("提交的内容过长".into()),
            )
                .into_response();
        }
    };
    if has_nul(&bytes, json) {
        tracing::warn!(path = %parts.uri.path(), "request with NUL refused");
        return refused();
    }
    next.run(axum::extract::Request::from_parts(
        parts,
        axum::body::Body::from(bytes),
    ))
    .await
}

/// Is the request from a logged-in person (a live session) or a live API token?
async fn known_sender(parts: &mut axum::http::request::Parts, state: &crate::AppState) -> bool {
    use axum::extract::FromRequestParts;
    if let Some(token) = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        let hash = crate::auth::sha256_hex(token.trim());
        return matches!(
            state.db.api_token_user_at(&hash, state.now()).await,
            Ok(Some(_))
        );
    }
    matches!(
        crate::auth::MaybeUser::from_request_parts(parts, state).await,
        Ok(crate::auth::MaybeUser(Some(_)))
    )
}

#[cfg(test)]
mod tests {
    use super::has_nul;

    #[test]
    fn nul_is_found_raw_encoded_and_escaped() {
        assert!(has_nul(b"name=a%00b", false));
        assert!(has_nul(b"name=a%00", false));
        assert!(has_nul(b"a\0b", false));
        assert!(has_nul(br#"{"title":"a\u0000"}"#, true));
        assert!(!has_nul(br#"{"title":"a\u0000"}"#, false));
        assert!(!has_nul(b"name=%2500&x=%E4%B8%AD", false));
        assert!(!has_nul(b"n=100%25", false));
    }
}
