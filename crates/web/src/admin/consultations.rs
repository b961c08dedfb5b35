//! 意见征集 in the back office: editors draft a consultation with its period, reviewers publish
//! it, everyone of the organ reads the comments received (with the commenters' names and
//! contacts: never on a public page), and reviewers publish the feedback once the period ended.

use super::{OrganQuery, messages, organ_of_form, pick_organ};
use crate::AppState;
use crate::auth::{CurrentUser, Perm};
use crate::error::AppResult;
use crate::views::{Ctx, OrganLink, page};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::consultations as c;
use serde::Deserialize;

pub struct Row {
    pub id: i64,
    pub title: String,
    pub period: String,
    pub stage: &'static str,
    pub published: bool,
    pub comments: Vec<gongkai_store::consultations::Comment>,
    pub feedback: String,
    /// The period has ended: the feedback may be published.
    pub ended: bool,
}

#[derive(Template)]
#[template(path = "admin/consultations.html")]
struct Page {
    ctx: Ctx,
    organ: OrganLink,
    organs: Vec<OrganLink>,
    rows: Vec<Row>,
    can_edit: bool,
    can_review: bool,
    form: c::DraftInput,
    errors: Vec<String>,
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    q: &OrganQuery,
    form: c::DraftInput,
    errors: Vec<String>,
) -> AppResult<Response> {
    let (organ, organs) = pick_organ(state, user, q).await?;
    let today = state.today();
    let mut rows = Vec::new();
    for (k, _) in c::office_list(&state.app, &user.actor(), organ.id).await? {
        rows.push(Row {
            id: k.id,
            stage: if k.published == 0 {
                "未发布"
            } else {
                c::stage(&k, today)
            },
            period: format!("{}至{}", k.starts_on, k.ends_on),
            published: k.published != 0,
            ended: today > k.ends_on,
            comments: c::comments(&state.app, &user.actor(), k.id).await?,
            feedback: k.feedback,
            title: k.title,
        });
    }
    let mut resp = page(&Page {
        ctx: Ctx::admin("意见征集", user),
        can_edit: user.can(state, Perm::Edit, organ.id).await?,
        can_review: user.can(state, Perm::Review, organ.id).await?,
        organ: OrganLink::from(&organ),
        organs,
        rows,
        form,
        errors: errors.clone(),
    })?;
    if !errors.is_empty() {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

pub(super) async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OrganQuery>,
) -> AppResult<Response> {
    render(&state, &user, &q, c::DraftInput::default(), vec![]).await
}

#[derive(Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    organ: String,
    #[serde(flatten)]
    input: c::DraftInput,
}

pub(super) async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<CreateForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let organ_id = organ_of_form(&f.organ)?;
    match c::create(&state.app, &user.actor(), organ_id, &f.input).await {
        Ok(_) => {
            user.flash(&state, "意见征集已保存，待审核发布").await;
            Ok(Redirect::to(&format!("/admin/consultations?organ={organ_id}")).into_response())
        }
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            let q = OrganQuery {
                organ: organ_id.to_string(),
            };
            render(&state, &user, &q, f.input, messages(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ActForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    organ: String,
    /// `publish`, `unpublish` or `feedback`.
    #[serde(default)]
    action: String,
    #[serde(default)]
    feedback: String,
}

pub(super) async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<ActForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let organ_id = organ_of_form(&f.organ)?;
    let done = match f.action.as_str() {
        "publish" => c::publish(&state.app, &user.actor(), id, true)
            .await
            .map(|_| "已发布，公众可在征集期内提出意见"),
        "unpublish" => c::publish(&state.app, &user.actor(), id, false)
            .await
            .map(|_| "已撤下"),
        _ => c::feedback(&state.app, &user.actor(), id, &f.feedback)
            .await
            .map(|_| "意见采纳情况已公布"),
    };
    match done {
        Ok(message) => {
            user.flash(&state, message).await;
            Ok(Redirect::to(&format!("/admin/consultations?organ={organ_id}")).into_response())
        }
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            let q = OrganQuery {
                organ: organ_id.to_string(),
            };
            render(&state, &user, &q, c::DraftInput::default(), messages(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}
