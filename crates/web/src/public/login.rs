//! The back office's door on the portal: the login form and its answer, the way back to the
//! page asked for before it (never another host) and the logout.

use crate::AppState;
use crate::auth::{self, SESSION_COOKIE, check_form_token, form_token, set_cookie};
use crate::error::AppResult;
use crate::ratelimit::ClientIp;
use crate::views::{Ctx, expired_cookie, is_https, page_with_form_cookie};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login_submit))
        .route("/logout", post(logout))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ctx: Ctx,
    username: String,
    /// Where to go after logging in (a local path).
    next: String,
    error: String,
    /// Said after a password change, which ends the session.
    notice: String,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    changed: String,
    /// The page asked for before the login (a local path), to return to after it.
    #[serde(default)]
    next: String,
}

/// `next` when it is a path on this site (`/admin/items/3?x=1`), else `/admin`: never another
/// host (`//evil.example`, `/\evil.example`, `https://…`), so the login cannot be used to send a
/// person elsewhere.
pub fn safe_next(next: &str) -> String {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && next.len() <= 2000
        && !next.starts_with("/login")
        && !next.starts_with("/logout");
    if local {
        next.to_string()
    } else {
        "/admin".to_string()
    }
}

/// A page behind the login asked for without a session redirects to `/login?next=<the page>`,
/// so the person lands where they were going (a link in an e-mail, a bookmarked case file).
pub async fn login_keeps_the_page_asked(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let asked = (req.method() == axum::http::Method::GET)
        .then(|| {
            req.uri()
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default()
        })
        .filter(|p| p != "/admin" && p != "/");
    let mut r = next.run(req).await;
    if let Some(asked) = asked
        && r.status() == StatusCode::SEE_OTHER
        && r.headers()
            .get(header::LOCATION)
            .is_some_and(|l| l == "/login")
        && let Ok(v) = axum::http::HeaderValue::from_str(&format!(
            "/login?next={}",
            crate::views::percent_encode(&asked)
        ))
    {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> AppResult<Response> {
    let (token, new) = form_token(&headers);
    page_with_form_cookie(
        &state,
        &LoginPage {
            ctx: Ctx::public("登录管理后台", &None, &token),
            username: String::new(),
            next: safe_next(&q.next),
            error: String::new(),
            notice: if q.changed == "1" {
                "密码已修改，请用新密码登录。".into()
            } else {
                String::new()
            },
        },
        &token,
        new,
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

async fn login_submit(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> AppResult<Response> {
    check_form_token(&headers, &f.csrf)?;
    let again = |error: String, status: StatusCode| -> AppResult<Response> {
        let (token, new) = form_token(&headers);
        let mut r = page_with_form_cookie(
            &state,
            &LoginPage {
                ctx: Ctx::public("登录管理后台", &None, &token),
                username: f.username.clone(),
                next: safe_next(&f.next),
                error,
                notice: String::new(),
            },
            &token,
            new,
        )?;
        *r.status_mut() = status;
        Ok(r)
    };
    // The login's rate limit was counted before the body was read (`ratelimit::before_body`).
    let device = auth::cookie(&headers, auth::DEVICE_COOKIE);
    match auth::login(&state, &f.username, &f.password, client, device).await? {
        auth::LoginOutcome::Ok {
            token,
            user,
            device,
        } => {
            tracing::info!(user = %user.username, "logged in");
            let secure = state.config.secure_cookies || is_https(&headers);
            let max_age = state.config.session_hours * 3600;
            let mut r = Redirect::to(&safe_next(&f.next)).into_response();
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &token, max_age, secure, "Lax"),
            );
            if let Some(d) = device {
                r.headers_mut()
                    .append(header::SET_COOKIE, auth::device_cookie(&d, secure));
            }
            Ok(r)
        }
        auth::LoginOutcome::Wrong => again("用户名或密码不正确".into(), StatusCode::UNAUTHORIZED),
        auth::LoginOutcome::Locked(until) => again(
            format!(
                "登录失败次数过多，账号已临时锁定，请于 {} 后再试",
                (until + chrono::Duration::hours(8)).format("%H:%M")
            ),
            StatusCode::TOO_MANY_REQUESTS,
        ),
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    pub csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    user: auth::CurrentUser,
    headers: HeaderMap,
    Form(f): Form<CsrfOnly>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    auth::logout(&state, &user).await?;
    let mut r = Redirect::to("/").into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        expired_cookie(
            SESSION_COOKIE,
            state.config.secure_cookies || is_https(&headers),
        ),
    );
    Ok(r)
}
