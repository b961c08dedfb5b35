//! 意见征集 on the portal: an organ's drafts for comment with their periods, each draft's page
//! with the comment form while the period runs (the letter form's protections: a one-time
//! token, the per-address limits counted before the body is read and on acceptance, every error
//! at once beside its field, Post/Redirect/Get), and the office's feedback once published.
//! Comments themselves are not published (they carry names); the number received is.

use super::forms::{FieldErrors, Submission, form_page};
use super::{cn_date, organ_or_404};
use crate::AppState;
use crate::auth::{self, MaybeUser};
use crate::error::{AppError, AppResult};
use crate::ratelimit::{self, ClientIp};
use crate::views::{Ctx, OrganLink, page};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use gongkai_app::consultations as c;
use gongkai_store::consultations::Consultation;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/o/{organ}/consultations", get(list))
        .route(
            "/o/{organ}/consultations/{id}",
            get(one).post(comment_submit),
        )
}

/// A draft as the portal shows it.
pub struct DraftView {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub period: String,
    pub stage: &'static str,
    pub open: bool,
    pub comments: i64,
    pub feedback: String,
    pub feedback_on: String,
}

fn view(k: Consultation, comments: i64, today: chrono::NaiveDate) -> DraftView {
    DraftView {
        id: k.id,
        stage: c::stage(&k, today),
        open: c::open(&k, today),
        period: format!("{}至{}", cn_date(k.starts_on), cn_date(k.ends_on)),
        title: k.title,
        body: k.body,
        comments,
        feedback: k.feedback,
        feedback_on: k.feedback_on.map(cn_date).unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "consultations.html")]
struct ListPage {
    ctx: Ctx,
    organ: OrganLink,
    drafts: Vec<DraftView>,
}

async fn list(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(organ_id): Path<i64>,
) -> AppResult<Response> {
    let organ = organ_or_404(&state, organ_id).await?;
    let today = state.today();
    let drafts = c::public_list(&state.app, organ_id)
        .await?
        .into_iter()
        .filter(|(k, _)| k.starts_on <= today)
        .map(|(k, n)| view(k, n, today))
        .collect();
    page(&ListPage {
        ctx: Ctx::public(format!("{}意见征集", organ.name), &user, ""),
        organ: OrganLink::from(&organ),
        drafts,
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct CommentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    once: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    body: String,
}

#[derive(Template)]
#[template(path = "consultation.html")]
struct DraftPage {
    ctx: Ctx,
    organ: OrganLink,
    draft: DraftView,
    form: CommentForm,
    errors: FieldErrors,
    /// Shown after a comment was filed (the Get of Post/Redirect/Get).
    sent: bool,
}

#[derive(Deserialize, Default)]
pub struct DraftQuery {
    #[serde(default)]
    sent: String,
}

/// A published draft of `organ_id` that has started, or 404.
async fn draft_of(
    state: &AppState,
    organ_id: i64,
    id: i64,
) -> AppResult<(gongkai_domain::records::Organ, DraftView)> {
    let organ = organ_or_404(state, organ_id).await?;
    let today = state.today();
    let (k, n) = c::public_one(&state.app, id)
        .await?
        .filter(|(k, _)| k.organ_id == organ_id && k.starts_on <= today)
        .ok_or(AppError::NotFound)?;
    Ok((organ, view(k, n, today)))
}

#[allow(clippy::too_many_arguments)]
async fn draft_page(
    state: &AppState,
    user: Option<auth::CurrentUser>,
    headers: &HeaderMap,
    organ: &gongkai_domain::records::Organ,
    draft: DraftView,
    form: CommentForm,
    errors: FieldErrors,
    sent: bool,
) -> AppResult<Response> {
    let title = draft.title.clone();
    form_page(state, headers, &user, title, !errors.is_empty(), |ctx| {
        DraftPage {
            ctx,
            organ: OrganLink::from(organ),
            draft,
            form,
            errors,
            sent,
        }
    })
}

async fn one(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Path((organ_id, id)): Path<(i64, i64)>,
    Query(q): Query<DraftQuery>,
) -> AppResult<Response> {
    let (organ, draft) = draft_of(&state, organ_id, id).await?;
    let form = CommentForm {
        once: auth::random_token(),
        ..Default::default()
    };
    let sent = !q.sent.is_empty();
    draft_page(
        &state,
        user,
        &headers,
        &organ,
        draft,
        form,
        FieldErrors::default(),
        sent,
    )
    .await
}

async fn comment_submit(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path((organ_id, id)): Path<(i64, i64)>,
    Form(mut f): Form<CommentForm>,
) -> AppResult<Response> {
    let (organ, draft) = draft_of(&state, organ_id, id).await?;
    let sub = Submission {
        state: &state,
        user: &user,
        ip,
        kind: ratelimit::Kind::Comment,
        organ: organ_id,
    };
    let code = sub.code(&headers, &f.csrf, &f.once, "gongkai-comment", "意见征集")?;
    let done = Redirect::to(&format!("/o/{organ_id}/consultations/{id}?sent=1")).into_response();
    if c::filed(&state.app, &code).await? {
        return Ok(done);
    }
    if !draft.open {
        return Err(AppError::Conflict(format!(
            "本次意见征集的期限为{}，现在不在征集期内",
            draft.period
        )));
    }
    if let Some((refused, errors)) = sub.over_limit().await {
        f.csrf.clear();
        let page = draft_page(&state, user, &headers, &organ, draft, f, errors, false).await?;
        return Ok(refused.apply(page));
    }
    let new = c::NewComment {
        name: f.name.clone(),
        contact: f.contact.clone(),
        body: f.body.clone(),
    };
    match c::comment(&state.app, &gongkai_app::Actor::Public, id, new, &code).await {
        Ok(_) => Ok(done),
        Err(gongkai_app::Error::Invalid(list)) => {
            let errors = sub.sent_back(list).await;
            f.csrf.clear();
            draft_page(&state, user, &headers, &organ, draft, f, errors, false).await
        }
        Err(e) => Err(e.into()),
    }
}
