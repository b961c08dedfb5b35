//! Back office registers: matters (事项) with their decisions and fees, procurement (edited by
//! editors), and review and litigation cases (handled by application handlers). These are the
//! records the annual report's tables 二 and 四 are computed from.

use crate::AppState;
use crate::admin::{OrganQuery, audit};
use crate::auth::{CurrentUser, Perm};
use crate::error::{AppError, AppResult};
use crate::views::{Ctx, OrganLink, page};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::NaiveDate;
use gongkai_domain::records::{CaseKind, CaseOutcome, MatterKind, format_yuan, parse_yuan};
use serde::Deserialize;
use serde_json::json;

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
    let (organ, organs) = crate::admin::pick_organ(&state, &user, &q).await?;
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
            cells: vec![name_of(d.matter_id), d.number, d.decided_on.to_string()],
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
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    matter: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    application: String,
}

fn date(s: &str, what: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::BadRequest(format!(
            "{what}“{}”格式不对，应为 年-月-日，如 2024-03-01",
            s.trim()
        ))
    })
}

fn required<'a>(s: &'a str, what: &str) -> AppResult<&'a str> {
    let t = s.trim();
    if t.is_empty() {
        Err(AppError::BadRequest(format!("请填写{what}")))
    } else {
        Ok(t)
    }
}

async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(register): Path<String>,
    Form(f): Form<AddForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let organ_id: i64 = f
        .organ
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("未指定机关".into()))?;
    let perm = if register == "case" {
        Perm::Handle
    } else {
        Perm::Edit
    };
    user.require(&state, perm, organ_id).await?;
    // A matter named in the form must be this organ's.
    let matter = || async {
        let id: i64 = f
            .matter
            .trim()
            .parse()
            .map_err(|_| AppError::BadRequest("请选择事项".into()))?;
        state
            .db
            .matters(organ_id)
            .await?
            .into_iter()
            .find(|m| m.id == id)
            .map(|m| m.id)
            .ok_or_else(|| AppError::BadRequest("事项不属于本机关".into()))
    };
    let mut tx = state.db.begin().await?;
    let (entity, id) = match register.as_str() {
        "matter" => {
            let kind = MatterKind::parse(&f.kind)
                .ok_or_else(|| AppError::BadRequest("请选择事项类别".into()))?;
            let id = tx
                .insert_matter(
                    organ_id,
                    kind,
                    required(&f.name, "事项名称")?,
                    date(&f.date, "列入清单日期")?,
                    None,
                )
                .await?;
            ("matter", id)
        }
        "decision" => {
            let m = matter().await?;
            (
                "decision",
                tx.insert_decision(
                    m,
                    date(&f.date, "决定日期")?,
                    required(&f.number, "决定文书号")?,
                )
                .await?,
            )
        }
        "fee" => {
            let m = matter().await?;
            let fen = parse_yuan(&f.amount).map_err(AppError::BadRequest)?;
            (
                "fee",
                tx.insert_fee(m, date(&f.date, "收费日期")?, fen, f.note.trim())
                    .await?,
            )
        }
        "procurement" => {
            let fen = parse_yuan(&f.amount).map_err(AppError::BadRequest)?;
            (
                "procurement",
                tx.insert_procurement(
                    organ_id,
                    required(&f.name, "采购项目名称")?,
                    date(&f.date, "签约日期")?,
                    fen,
                )
                .await?,
            )
        }
        "case" => {
            let kind = CaseKind::parse(&f.kind)
                .ok_or_else(|| AppError::BadRequest("请选择案件类别".into()))?;
            let id = tx
                .insert_case(
                    organ_id,
                    kind,
                    required(&f.number, "案号")?,
                    date(&f.date, "立案日期")?,
                    f.application.trim(),
                    None,
                )
                .await?;
            ("case", id)
        }
        _ => return Err(AppError::NotFound),
    };
    tx.commit().await?;
    let after = json!({"kind": f.kind, "name": f.name, "matter": f.matter, "date": f.date, "number": f.number, "amount": f.amount, "note": f.note, "application": f.application});
    audit(
        &state,
        &user,
        Some(organ_id),
        "create",
        entity,
        id,
        None,
        Some(after),
    )
    .await?;
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
    let organ_id: i64 = f
        .organ
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("未指定机关".into()))?;
    user.require(&state, Perm::Handle, organ_id).await?;
    let case = state
        .db
        .cases(organ_id, crate::views::all_dates().1)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or(AppError::NotFound)?;
    if case.outcome.is_some() {
        return Err(AppError::Conflict("该案件已审结".into()));
    }
    let outcome = CaseOutcome::parse(&f.outcome)
        .ok_or_else(|| AppError::BadRequest("请选择审结结果".into()))?;
    let on = date(&f.date, "审结日期")?;
    if on < case.filed_on {
        return Err(AppError::BadRequest(format!(
            "审结日期 {on} 早于立案日期 {}",
            case.filed_on
        )));
    }
    let mut tx = state.db.begin().await?;
    tx.decide_case(id, outcome, on).await?;
    tx.commit().await?;
    audit(
        &state,
        &user,
        Some(organ_id),
        "decide",
        "case",
        id,
        Some(json!({"outcome": null})),
        Some(json!({"outcome": outcome.code(), "decided_on": on})),
    )
    .await?;
    Ok(Redirect::to(&format!("/admin/registers?organ={organ_id}")).into_response())
}
