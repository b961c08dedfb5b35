//! 办事服务: an organ's 行政许可 and other public services, each with its 办事指南 (the standard
//! elements: 事项名称, 设定依据, 申请条件, 申请材料, 办理地点, 办理时间, 咨询电话, 办理流程), from
//! `gongkai_app::services`, tied to the 事项 register.

use super::organ_or_404;
use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::{AppError, AppResult};
use crate::views::{Ctx, OrganLink, page};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use gongkai_domain::records::{MatterKind, ServiceGuide};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/o/{organ}/services", get(services))
        .route("/o/{organ}/services/{matter}", get(service))
}

pub struct ServiceLine {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub complete: bool,
}

fn kind_label(k: MatterKind) -> &'static str {
    match k {
        MatterKind::Licensing => "行政许可",
        _ => "公共服务",
    }
}

#[derive(Template)]
#[template(path = "services.html")]
struct ServicesPage {
    ctx: Ctx,
    organ: OrganLink,
    services: Vec<ServiceLine>,
}

async fn services(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let organ = organ_or_404(&state, id).await?;
    let list = gongkai_app::services::services(&state.app, id).await?;
    page(&ServicesPage {
        ctx: Ctx::public(format!("{}办事服务", organ.name), &user, ""),
        organ: OrganLink::from(&organ),
        services: list
            .iter()
            .map(|s| ServiceLine {
                id: s.matter.id,
                name: s.matter.name.clone(),
                kind: kind_label(s.matter.kind).into(),
                complete: s.missing().is_empty(),
            })
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "service.html")]
struct ServicePage {
    ctx: Ctx,
    organ: OrganLink,
    name: String,
    kind: String,
    /// `(label, lines)` of every element, in the standard's order; no lines where missing.
    elements: Vec<(&'static str, Vec<String>)>,
    updated_on: String,
}

async fn service(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path((id, matter)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let organ = organ_or_404(&state, id).await?;
    let list = gongkai_app::services::services(&state.app, id).await?;
    let s = list
        .into_iter()
        .find(|s| s.matter.id == matter)
        .ok_or(AppError::NotFound)?;
    let (g, updated_on) = s
        .guide
        .clone()
        .map(|(g, on)| (g, on.to_string()))
        .unwrap_or_default();
    let mut elements: Vec<(&'static str, Vec<String>)> =
        vec![("事项名称", vec![s.matter.name.clone()])];
    elements.extend(
        g.required()
            .iter()
            .map(|(_, label, v)| (*label, ServiceGuide::lines(v))),
    );
    elements.push(("承诺时限", ServiceGuide::lines(&g.time_limit)));
    elements.push(("收费标准", {
        let l = ServiceGuide::lines(&g.fee);
        if l.is_empty() && s.guide.is_some() {
            vec!["不收费".to_string()]
        } else {
            l
        }
    }));
    page(&ServicePage {
        ctx: Ctx::public(format!("{}办事指南", s.matter.name), &user, ""),
        organ: OrganLink::from(&organ),
        name: s.matter.name.clone(),
        kind: kind_label(s.matter.kind).into(),
        elements,
        updated_on,
    })
}
