//! The office's settings the 公开指南 is generated from.

use super::{OrganQuery, organ_of_form, pick_organ};
use crate::AppState;
use crate::auth::{CurrentUser, Perm};
use crate::error::AppResult;
use crate::views::{Ctx, OrganLink, page};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/settings.html")]
struct SettingsPage {
    ctx: Ctx,
    organ: OrganLink,
    organs: Vec<OrganLink>,
    s: gongkai_store::portal::OrganSettings,
    can_admin: bool,
}

pub(super) async fn settings(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OrganQuery>,
) -> AppResult<Response> {
    let (organ, organs) = pick_organ(&state, &user, &q).await?;
    page(&SettingsPage {
        ctx: Ctx::admin("公开指南设置", &user),
        s: gongkai_app::office::settings(&state.app, &user.actor(), organ.id).await?,
        can_admin: user.can(&state, Perm::Admin, organ.id).await?,
        organ: OrganLink::from(&organ),
        organs,
    })
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    organ: String,
    #[serde(flatten)]
    s: gongkai_store::portal::OrganSettings,
}

pub(super) async fn settings_save(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<SettingsForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let organ_id = organ_of_form(&f.organ)?;
    gongkai_app::notices::save_settings(&state.app, &user.actor(), organ_id, f.s).await?;
    user.flash(&state, "公开指南已保存").await;
    Ok(Redirect::to(&format!("/admin/settings?organ={organ_id}")).into_response())
}
