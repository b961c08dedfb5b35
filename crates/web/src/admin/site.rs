//! 网站设置 (system administrators): the site's name, 主办单位, 网站标识码, 备案 numbers,
//! 联系我们, privacy and copyright statements, and the 党政机关网站标识 image, through
//! `gongkai_app::site`.

use crate::AppState;
use crate::auth::{CurrentUser, Perm};
use crate::error::AppResult;
use crate::views::{Ctx, page};
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::site::SiteSettings;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/site.html")]
struct SitePage {
    ctx: Ctx,
    s: SiteSettings,
    errors: Vec<String>,
    has_badge: bool,
}

async fn site_page(
    state: &AppState,
    user: &CurrentUser,
    s: SiteSettings,
    errors: Vec<String>,
) -> AppResult<Response> {
    let has_badge = gongkai_app::site::badge(&state.app).await?.is_some();
    let invalid = !errors.is_empty();
    let mut r = page(&SitePage {
        ctx: Ctx::admin("网站设置", user),
        s,
        errors,
        has_badge,
    })?;
    if invalid {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub(super) async fn site(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require_role(Perm::System)?;
    let s = gongkai_app::site::settings(&state.app).await?;
    site_page(&state, &user, s, vec![]).await
}

#[derive(Deserialize)]
pub struct SiteForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    s: SiteSettings,
}

pub(super) async fn site_save(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<SiteForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    match gongkai_app::site::save(&state.app, &user.actor(), f.s.clone()).await {
        Ok(_) => {
            user.flash(&state, "网站设置已保存").await;
            Ok(Redirect::to("/admin/site").into_response())
        }
        // The form comes back as typed, with what is wrong: nothing is lost.
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            site_page(&state, &user, f.s, super::messages(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn badge_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    multipart: Multipart,
) -> AppResult<Response> {
    let (csrf, file) = super::read_upload(multipart).await?;
    user.check_csrf(&csrf)?;
    let data = file.map(|(_, d)| d).filter(|d| !d.is_empty());
    match gongkai_app::site::set_badge(&state.app, &user.actor(), data.as_deref()).await {
        Ok(_) => {
            user.flash(
                &state,
                if data.is_some() {
                    "党政机关网站标识已上传"
                } else {
                    "党政机关网站标识已删除"
                },
            )
            .await;
            Ok(Redirect::to("/admin/site").into_response())
        }
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            let s = gongkai_app::site::settings(&state.app).await?;
            site_page(&state, &user, s, super::messages(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}
