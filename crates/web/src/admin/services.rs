//! 办事指南 in the back office: the organ's 行政许可 and public services from the 事项 register,
//! which guides lack which standard elements, and a form per matter (`gongkai_app::services`).

use super::{OrganQuery, organ_of_form, pick_organ};
use crate::AppState;
use crate::auth::{CurrentUser, Perm};
use crate::error::{AppError, AppResult};
use crate::views::{Ctx, OrganLink, page};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_domain::records::ServiceGuide;
use serde::Deserialize;

pub struct Row {
    pub id: i64,
    pub name: String,
    pub missing: String,
    pub updated_on: String,
}

#[derive(Template)]
#[template(path = "admin/services.html")]
struct ServicesPage {
    ctx: Ctx,
    organ: OrganLink,
    organs: Vec<OrganLink>,
    rows: Vec<Row>,
}

pub(super) async fn services(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OrganQuery>,
) -> AppResult<Response> {
    let (organ, organs) = pick_organ(&state, &user, &q).await?;
    let rows = gongkai_app::services::services(&state.app, organ.id)
        .await?
        .iter()
        .map(|s| Row {
            id: s.matter.id,
            name: s.matter.name.clone(),
            missing: s.missing().join("、"),
            updated_on: s
                .guide
                .as_ref()
                .map(|(_, on)| on.to_string())
                .unwrap_or_default(),
        })
        .collect();
    page(&ServicesPage {
        ctx: Ctx::admin("办事指南", &user),
        organ: OrganLink::from(&organ),
        organs,
        rows,
    })
}

#[derive(Template)]
#[template(path = "admin/service.html")]
struct GuidePage {
    ctx: Ctx,
    organ: OrganLink,
    matter: i64,
    name: String,
    g: ServiceGuide,
    errors: Vec<String>,
    can_edit: bool,
}

pub(super) async fn guide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(matter): Path<i64>,
    Query(q): Query<OrganQuery>,
) -> AppResult<Response> {
    let (organ, _) = pick_organ(&state, &user, &q).await?;
    let s = gongkai_app::services::services(&state.app, organ.id)
        .await?
        .into_iter()
        .find(|s| s.matter.id == matter)
        .ok_or(AppError::NotFound)?;
    page(&GuidePage {
        ctx: Ctx::admin(format!("办事指南 - {}", s.matter.name), &user),
        can_edit: user.can(&state, Perm::Edit, organ.id).await?,
        organ: OrganLink::from(&organ),
        matter,
        name: s.matter.name,
        g: s.guide.map(|(g, _)| g).unwrap_or_default(),
        errors: vec![],
    })
}

#[derive(Deserialize)]
pub struct GuideForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    organ: String,
    #[serde(flatten)]
    g: ServiceGuide,
}

pub(super) async fn guide_save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(matter): Path<i64>,
    Form(f): Form<GuideForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let organ_id = organ_of_form(&f.organ)?;
    match gongkai_app::services::save_guide(
        &state.app,
        &user.actor(),
        organ_id,
        matter,
        f.g.clone(),
    )
    .await
    {
        Ok(_) => {
            user.flash(&state, "办事指南已保存").await;
            Ok(Redirect::to(&format!("/admin/services?organ={organ_id}")).into_response())
        }
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            let q = OrganQuery {
                organ: organ_id.to_string(),
            };
            let (organ, _) = pick_organ(&state, &user, &q).await?;
            let mut r = page(&GuidePage {
                ctx: Ctx::admin("办事指南", &user),
                can_edit: true,
                organ: OrganLink::from(&organ),
                matter,
                name: String::new(),
                g: f.g,
                errors: super::messages(&e),
            })?;
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}
