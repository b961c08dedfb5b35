//! Letters written on the portal, and the office's replies.

use super::{OrganQuery, pick_organ};
use crate::AppState;
use crate::auth::{CurrentUser, Perm};
use crate::error::AppResult;
use crate::views::{Ctx, OrganLink, date, page};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

pub struct LetterAdminView {
    pub id: i64,
    pub code: String,
    pub subject: String,
    pub body: String,
    pub received_on: String,
    pub reply: String,
    pub replied_on: String,
    pub public: bool,
}

#[derive(Template)]
#[template(path = "admin/letters.html")]
struct LettersAdmin {
    ctx: Ctx,
    organ: OrganLink,
    organs: Vec<OrganLink>,
    letters: Vec<LetterAdminView>,
    can_handle: bool,
}

pub(super) async fn letters(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OrganQuery>,
) -> AppResult<Response> {
    let (organ, organs) = pick_organ(&state, &user, &q).await?;
    let letters = state
        .db
        .portal_letters(organ.id, true)
        .await?
        .into_iter()
        .map(|l| LetterAdminView {
            id: l.letter_id,
            code: l.query_code,
            subject: l.subject,
            body: l.body,
            received_on: l.received_on.to_string(),
            reply: l.reply,
            replied_on: date(l.replied_on),
            public: l.reply_public != 0,
        })
        .collect();
    page(&LettersAdmin {
        ctx: Ctx::admin("来信办理", &user),
        can_handle: user.can(&state, Perm::Handle, organ.id).await?,
        organ: OrganLink::from(&organ),
        organs,
        letters,
    })
}

#[derive(Deserialize)]
pub struct ReplyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reply: String,
    #[serde(default)]
    public: String,
}

pub(super) async fn letter_reply(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<ReplyForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let done = gongkai_app::letters::reply(
        &state.app,
        &user.actor(),
        id,
        &f.reply,
        !f.public.is_empty(),
    )
    .await?;
    let organ_id = done.value.organ_id;
    state.refreshed(done).await;
    Ok(Redirect::to(&format!("/admin/letters?organ={organ_id}")).into_response())
}
