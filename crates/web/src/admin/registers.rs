//! Back office registers: matters (事项) with their decisions and fees, procurement (edited by
//! editors), and review and litigation cases (handled by application handlers). These are the
//! records the annual report's tables 二 and 四 are computed from.

use super::{OrganQuery, organ_of_form};
use crate::AppState;
use crate::auth::{CurrentUser, Perm};
use crate::error::{AppError, AppResult};
use crate::views::{Ctx, OrganLink, page};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gongkai_domain::records::{CaseKind, CaseOutcome, MatterKind, format_yuan};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/registers", get(registers))
        .route("/admin/registers/{kind}", post(add))
        .route("/admin/cases/{id}/decide", post(decide))
}

pub struct Row {
    pub cells: Vec<String>,
}

pub struct CaseRow {
    pub id: i64,
    pub kind: String,
    pub number: String,
    pub filed_on: String,
    pub application: String,
    pub outcome: String,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "admin/registers.html")]
struct RegistersPage {
    ctx: Ctx,
    organ: OrganLink,
    organs: Vec<OrganLink>,
    matters: Vec<(i64, String)>,
    matter_rows: Vec<Row>,
    decisions: Vec<Row>,
    fees: Vec<Row>,
    procurements: Vec<Row>,
    cases: Vec<CaseRow>,
    matter_kinds: Vec<(String, String)>,
    case_kinds: Vec<(String, String)>,
    outcomes: Vec<(String, String)>,
    can_edit: bool,
    can_handle: bool,
}

async fn registers(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OrganQuery>,
) -> AppResult<Response> {
    let (organ, organs) = super::pick_organ(&state, &user, &q).await?;
    let (from, to) = crate::views::all_dates();
    let matters = state.db.matters(organ.id).await?;
    let name_of = |id: i64| {
        matters
            .iter()
            .find(|m| m.id == id)
            .map(|m| format!("{}：{}", m.kind.label(), m.name))
            .unwrap_or_default()
    };
    let matter_rows = matters
        .iter()
        .map(|m| Row {
            cells: vec![
                m.kind.label().into(),
                m.name.clone(),
                m.listed_on.to_string(),
                m.delisted_on.map(|d| d.to_string()).unwrap_or_default(),
            ],
        })
        .collect();
    let mut decisions: Vec<Row> = state
        .db
        .decisions(organ.id, from, to)
        .await?
        .into_iter()
        .map(|d| Row {
            cells: vec![
                name_of(d.matter_id),
                d.party,
                d.number,
                d.decided_on.to_string(),
            ],
        })
        .collect();
    decisions.reverse();
    let mut fees: Vec<Row> = state
        .db
        .fees(organ.id, from, to)
        .await?
        .into_iter()
        .map(|f| Row {
            cells: vec![
                name_of(f.matter_id),
                format_yuan(f.amount_fen),
                f.collected_on.to_string(),
                f.note,
            ],
        })
        .collect();
    fees.reverse();
    let mut procurements: Vec<Row> = state
        .db
        .procurements(organ.id, from, to)
        .await?
        .into_iter()
        .map(|p| Row {
            cells: vec![
                p.name,
                format_yuan(p.amount_fen),
                p.contracted_on.to_string(),
            ],
        })
        .collect();
    procurements.reverse();
    let mut cases: Vec<CaseRow> = state
        .db
        .cases(organ.id, to)
        .await?
        .into_iter()
        .map(|c| CaseRow {
            id: c.id,
            kind: c.kind.label().into(),
            number: c.case_number,
            filed_on: c.filed_on.to_string(),
            application: c.application_number,
            outcome: c
                .outcome
                .map(|(o, d)| format!("{}（{d}）", o.label()))
                .unwrap_or_else(|| "尚未审结".into()),
            open: c.outcome.is_none(),
        })
        .collect();
    cases.reverse();
    page(&RegistersPage {
        ctx: Ctx::admin("登记簿", &user),
        can_edit: user.can(&state, Perm::Edit, organ.id).await?,
        can_handle: user.can(&state, Perm::Handle, organ.id).await?,
        matters: matters
            .iter()
            .map(|m| (m.id, format!("{}：{}", m.kind.label(), m.name)))
            .collect(),
        organ: OrganLink::from(&organ),
        organs,
        matter_rows,
        decisions,
        fees,
        procurements,
        cases,
        matter_kinds: MatterKind::ALL
            .iter()
            .map(|k| (k.code().into(), k.label().into()))
            .collect(),
        case_kinds: CaseKind::ALL
            .iter()
            .map(|k| (k.code().into(), k.label().into()))
            .collect(),
        outcomes: CaseOutcome::ALL
            .iter()
            .map(|k| (k.code().into(), k.label().into()))
            .collect(),
    })
}

/// One form for every register; each kind reads the fields it needs.
#[derive(Deserialize, Default)]
pub struct AddForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    organ: String,
    #[serde(flatten)]
    input: gongkai_app::registers::RegisterInput,
}

async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(register): Path<String>,
    Form(f): Form<AddForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let organ_id = organ_of_form(&f.organ)?;
    let entry = f
        .input
        .parse(&register)
        .map_err(|e| AppError::from(gongkai_app::Error::Invalid(e)))?;
    gongkai_app::registers::add(&state.app, &user.actor(), organ_id, entry).await?;
    Ok(Redirect::to(&format!("/admin/registers?organ={organ_id}")).into_response())
}

#[derive(Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    organ: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    date: String,
}

async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<DecideForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let organ_id = organ_of_form(&f.organ)?;
    let outcome = CaseOutcome::parse(&f.outcome)
        .ok_or_else(|| AppError::BadRequest("请选择审结结果".into()))?;
    let on = gongkai_app::items::parse_date("date", "审结日期", &f.date)
        .map_err(|e| AppError::BadRequest(e.message))?
        .ok_or_else(|| AppError::BadRequest("请填写审结日期".into()))?;
    gongkai_app::registers::decide_case(&state.app, &user.actor(), organ_id, id, outcome, on)
        .await?;
    Ok(Redirect::to(&format!("/admin/registers?organ={organ_id}")).into_response())
}
