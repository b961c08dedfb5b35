//! Back office registers: matters (事项) with their decisions and fees, procurement (edited by
//! editors), and review and litigation cases (handled by application handlers). These are the
//! records the annual report's tables 二 and 四 are computed from.

use super::{OrganQuery, Pager, enc, organ_of_form};
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
    /// One pager per long register.
    decision_pager: Pager,
    fee_pager: Pager,
    procurement_pager: Pager,
    /// The year shown (0 for every year) and the years that have records.
    year: i32,
    years: Vec<i32>,
    matter_kinds: Vec<(String, String)>,
    case_kinds: Vec<(String, String)>,
    outcomes: Vec<(String, String)>,
    can_edit: bool,
    can_handle: bool,
}

/// Rows per page of each register.
pub const PAGE_SIZE: i64 = 50;

/// The page's filters: the organ, a year (of the decision, fee, contract or filing date), and a
/// page of each long register.
#[derive(Deserialize, Default)]
pub struct RegistersQuery {
    #[serde(default)]
    organ: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    dpage: String,
    #[serde(default)]
    fpage: String,
    #[serde(default)]
    ppage: String,
}

async fn registers(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<RegistersQuery>,
) -> AppResult<Response> {
    let (organ, organs) = super::pick_organ(
        &state,
        &user,
        &OrganQuery {
            organ: q.organ.clone(),
        },
    )
    .await?;
    let gongkai_app::office::Registers {
        matters,
        cases: all_cases,
    } = gongkai_app::office::registers(&state.app, &user.actor(), organ.id).await?;
    let year: i32 = q.year.trim().parse().unwrap_or(0);
    // The years offered: those the paged registers span, and those of the cases.
    let mut years: std::collections::BTreeSet<i32> =
        gongkai_app::registers::years(&state.app, organ.id)
            .await?
            .into_iter()
            .collect();
    years.extend(
        all_cases
            .iter()
            .map(|c| chrono::Datelike::year(&c.filed_on)),
    );
    let pages = [&q.dpage, &q.fpage, &q.ppage].map(|p| Pager::page_asked(p));
    let [
        (dp, decision_pager),
        (fp, fee_pager),
        (pp, procurement_pager),
    ] = paged_registers(&state, organ.id, year, pages).await?;
    let [matter_rows, decisions, fees, procurements] = rows(&matters, dp, fp, pp);
    let cases = case_rows(all_cases, year);
    page(&RegistersPage {
        decision_pager,
        fee_pager,
        procurement_pager,
        year,
        years: years.into_iter().rev().collect(),
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

/// The three long registers a page each, limited and counted in SQL; a page past the last (an
/// old link) shows the last. Each pager's address keeps the other registers' pages and the year.
async fn paged_registers(
    state: &AppState,
    organ_id: i64,
    year: i32,
    pages: [i64; 3],
) -> AppResult<[(gongkai_app::registers::RegisterPage, Pager); 3]> {
    use gongkai_app::registers::Paged;
    let year_asked = (year != 0).then_some(year);
    let mut got = Vec::new();
    for (i, (register, own)) in [
        (Paged::Decisions, "dpage"),
        (Paged::Fees, "fpage"),
        (Paged::Procurements, "ppage"),
    ]
    .into_iter()
    .enumerate()
    {
        let read = |page: i64| {
            gongkai_app::registers::page(
                &state.app,
                organ_id,
                register,
                year_asked,
                PAGE_SIZE,
                (page - 1).max(0) * PAGE_SIZE,
            )
        };
        let mut p = read(pages[i]).await?;
        let base = pager_base(organ_id, year, pages, own);
        let mut pager = Pager::new(pages[i], p.total, PAGE_SIZE, base);
        if pager.page > pager.pages {
            pager.page = pager.pages;
            p = read(pager.pages).await?;
        }
        got.push((p, pager));
    }
    got.try_into()
        .map_err(|_| AppError::Internal("three registers".into()))
}

/// A register's pager address: the organ, the year and the other registers' pages; `Pager`
/// appends `page=N`, so the register's own parameter ends in it.
fn pager_base(organ_id: i64, year: i32, pages: [i64; 3], own: &str) -> String {
    let mut b = format!(
        "/admin/registers?organ={organ_id}&year={}",
        if year == 0 {
            String::new()
        } else {
            year.to_string()
        }
    );
    for (name, p) in [
        ("dpage", pages[0]),
        ("fpage", pages[1]),
        ("ppage", pages[2]),
    ] {
        if name != own {
            b.push_str(&format!("&{name}={p}"));
        }
    }
    format!("{b}&{}", enc(own.trim_end_matches("page")))
}

/// The registers' rows: the matters, then the pages of decisions, fees and procurements (a
/// decision or fee named by its matter).
fn rows(
    matters: &[gongkai_domain::records::Matter],
    dp: gongkai_app::registers::RegisterPage,
    fp: gongkai_app::registers::RegisterPage,
    pp: gongkai_app::registers::RegisterPage,
) -> [Vec<Row>; 4] {
    let name_of = |id: i64| {
        matters
            .iter()
            .find(|m| m.id == id)
            .map(|m| format!("{}：{}", m.kind.label(), m.name))
            .unwrap_or_default()
    };
    let matter_rows: Vec<Row> = matters
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
    let decisions: Vec<Row> = dp
        .decisions
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
    let fees: Vec<Row> = fp
        .fees
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
    let procurements: Vec<Row> = pp
        .procurements
        .into_iter()
        .map(|p| Row {
            cells: vec![
                p.name,
                format_yuan(p.amount_fen),
                p.contracted_on.to_string(),
            ],
        })
        .collect();
    [matter_rows, decisions, fees, procurements]
}

/// The review and litigation cases of the year (every year for 0), the latest filed first.
fn case_rows(all: Vec<gongkai_domain::records::Case>, year: i32) -> Vec<CaseRow> {
    let in_year = |d: chrono::NaiveDate| year == 0 || chrono::Datelike::year(&d) == year;
    let mut cases: Vec<CaseRow> = all
        .into_iter()
        .filter(|c| in_year(c.filed_on))
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
    cases
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
    user.flash(&state, "已登记").await;
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
    user.flash(&state, "审结结果已保存").await;
    Ok(Redirect::to(&format!("/admin/registers?organ={organ_id}")).into_response())
}
