//! The site's own pages: 联系我们, the privacy and copyright statements (as set in 管理后台 ›
//! 网站设置), the 无障碍 statement, the 党政机关网站标识 image, and the 长者模式 switch — a plain
//! link that sets a cookie and comes back, so it works without JavaScript.

use crate::AppState;
use crate::auth::{MaybeUser, set_cookie};
use crate::chrome::{ELDER_COOKIE, site};
use crate::error::{AppError, AppResult};
use crate::views::{Ctx, page};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/contact", get(contact))
        .route("/privacy", get(privacy))
        .route("/copyright", get(copyright))
        .route("/accessibility", get(accessibility))
        .route("/site/badge", get(badge))
        .route("/elder", get(elder))
        .route("/site/annual-form", get(annual_forms))
        .route("/site/annual-form/{year}", get(annual_form))
}

#[derive(Template)]
#[template(path = "site_forms.html")]
struct AnnualFormsPage {
    ctx: Ctx,
    /// Year and day published, newest first.
    forms: Vec<(i32, String)>,
}

/// The published 政府网站工作年度报表, one per year.
async fn annual_forms(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
) -> AppResult<Response> {
    let forms = gongkai_app::site_form::published(&state.app)
        .await?
        .into_iter()
        .map(|(y, on)| (y, on.to_string()))
        .collect();
    page(&AnnualFormsPage {
        ctx: Ctx::public("政府网站工作年度报表", &user, ""),
        forms,
    })
}

#[derive(Template)]
#[template(path = "site_form.html")]
struct AnnualFormPage {
    ctx: Ctx,
    year: i32,
    published_on: String,
    lines: Vec<gongkai_domain::site_form::Line>,
}

async fn annual_form(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    axum::extract::Path(year): axum::extract::Path<String>,
) -> AppResult<Response> {
    let year: i32 = year.trim().parse().map_err(|_| AppError::NotFound)?;
    let (lines, on) = gongkai_app::site_form::published_form(&state.app, year)
        .await?
        .ok_or(AppError::NotFound)?;
    page(&AnnualFormPage {
        ctx: Ctx::public(format!("{year}年度政府网站工作年度报表"), &user, ""),
        year,
        published_on: on.to_string(),
        lines,
    })
}

#[derive(Template)]
#[template(path = "statement.html")]
struct StatementPage {
    ctx: Ctx,
    heading: String,
    /// The statement's paragraphs (one per line of the setting).
    paragraphs: Vec<String>,
    /// What is said when the office has not written it.
    missing: String,
    accessibility: bool,
}

fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

async fn statement(
    user: &MaybeUser,
    heading: &str,
    text: &str,
    missing: &str,
) -> AppResult<Response> {
    page(&StatementPage {
        ctx: Ctx::public(heading, &user.0, ""),
        heading: heading.into(),
        paragraphs: paragraphs(text),
        missing: missing.into(),
        accessibility: false,
    })
}

async fn contact(State(state): State<AppState>, user: MaybeUser) -> AppResult<Response> {
    let s = site(&state).await;
    statement(
        &user,
        "联系我们",
        &s.settings.contact,
        "网站主办单位尚未公布联系方式。各机关的受理机构、地址和电话见其政府信息公开指南。",
    )
    .await
}

async fn privacy(State(state): State<AppState>, user: MaybeUser) -> AppResult<Response> {
    let s = site(&state).await;
    statement(
        &user,
        "隐私声明",
        &s.settings.privacy,
        "网站主办单位尚未公布隐私声明。",
    )
    .await
}

async fn copyright(State(state): State<AppState>, user: MaybeUser) -> AppResult<Response> {
    let s = site(&state).await;
    statement(
        &user,
        "版权声明",
        &s.settings.copyright,
        "网站主办单位尚未公布版权声明。",
    )
    .await
}

/// 无障碍说明: what the site does for screen readers and keyboards, and 长者模式.
async fn accessibility(MaybeUser(user): MaybeUser) -> AppResult<Response> {
    page(&StatementPage {
        ctx: Ctx::public("无障碍说明", &user, ""),
        heading: "无障碍说明".into(),
        paragraphs: vec![],
        missing: String::new(),
        accessibility: true,
    })
}

async fn badge(State(state): State<AppState>) -> AppResult<Response> {
    let s = site(&state).await;
    let (t, b) = s.badge.clone().ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, t),
            (header::CACHE_CONTROL, "public, max-age=300".to_string()),
        ],
        b.as_ref().clone(),
    )
        .into_response())
}

#[derive(Deserialize, Default)]
pub struct ElderQuery {
    #[serde(default)]
    on: String,
    #[serde(default)]
    next: String,
}

/// Turns 长者模式 on (`on=1`) or off and goes back to the page the switch was on.
async fn elder(State(state): State<AppState>, Query(q): Query<ElderQuery>) -> Response {
    let next = crate::public::safe_next(&q.next);
    let next = if next == "/admin" && !q.next.starts_with("/admin") {
        "/".to_string()
    } else {
        next
    };
    let on = q.on.trim() == "1";
    let mut r = Redirect::to(&next).into_response();
    let cookie = set_cookie(
        ELDER_COOKIE,
        if on { "1" } else { "0" },
        if on { 365 * 86_400 } else { 0 },
        state.config.secure_cookies,
        "Lax",
    );
    r.headers_mut().append(header::SET_COOKIE, cookie);
    r
}
