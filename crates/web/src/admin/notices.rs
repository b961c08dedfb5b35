//! 公示 in the back office: drafted by editors, published by reviewers.

use super::{OrganQuery, organ_of_form, pick_organ};
use crate::AppState;
use crate::auth::{CurrentUser, Perm};
use crate::error::AppResult;
use crate::public::NoticeView;
use crate::views::{Ctx, OrganLink, page};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/notices.html")]
struct NoticesAdmin {
    ctx: Ctx,
    organ: OrganLink,
    organs: Vec<OrganLink>,
    notices: Vec<NoticeView>,
    can_edit: bool,
    can_review: bool,
}

pub(super) async fn notices(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OrganQuery>,
) -> AppResult<Response> {
    let (organ, organs) = pick_organ(&state, &user, &q).await?;
    let today = state.today();
    let notices = gongkai_app::office::announcements(&state.app, &user.actor(), organ.id)
        .await?
        .into_iter()
        .map(|a| NoticeView::new(a, today))
        .collect();
    page(&NoticesAdmin {
        ctx: Ctx::admin("公示管理", &user),
        can_edit: user.can(&state, Perm::Edit, organ.id).await?,
        can_review: user.can(&state, Perm::Review, organ.id).await?,
        organ: OrganLink::from(&organ),
        organs,
        notices,
    })
}

#[derive(Deserialize)]
pub struct NoticeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    organ: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
}

pub(super) async fn notice_create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<NoticeForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let organ_id = organ_of_form(&f.organ)?;
    let new = gongkai_app::notices::NewNotice {
        organ_id,
        title: f.title,
        body: f.body,
        starts_on: f.starts_on,
        ends_on: f.ends_on,
    };
    gongkai_app::notices::create(&state.app, &user.actor(), new).await?;
    user.flash(&state, "公示已保存").await;
    Ok(Redirect::to(&format!("/admin/notices?organ={organ_id}")).into_response())
}

pub(super) async fn notice_publish(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<crate::public::CsrfOnly>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let a = gongkai_app::notices::publish(&state.app, &user.actor(), id).await?;
    user.flash(&state, "公示已发布").await;
    Ok(Redirect::to(&format!("/admin/notices?organ={}", a.value.organ_id)).into_response())
}
