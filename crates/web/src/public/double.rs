//! 双公示: the licensing and penalty decisions of an organ as its register publishes them (the
//! fields of the national data standard: 行政相对人 and its 统一社会信用代码, 许可内容 and 有效期,
//! 处罚依据, 处罚结果 and 罚款金额), filtered by kind, year and party, paged, each with its own page.

use super::{PAGE_SIZE, organ_or_404, page_links};
use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::{AppError, AppResult};
use crate::views::{Ctx, OrganLink, page};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use gongkai_domain::records::{DecisionDetails, MatterKind, format_yuan};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/o/{organ}/double", get(double_publicity))
        .route("/o/{organ}/double/{id}", get(decision_page))
}

pub struct DecisionRow {
    pub id: i64,
    pub kind: String,
    pub matter: String,
    pub party: String,
    pub number: String,
    pub decided_on: String,
    /// 统一社会信用代码, 许可有效期 or 罚款金额: the standard's key fields, for the list.
    pub credit_code: String,
    pub term: String,
}

/// 许可有效期 as a span, or the fine of a penalty.
fn term_of(kind: MatterKind, d: &DecisionDetails) -> String {
    match kind {
        MatterKind::Penalty => d
            .fine_fen
            .map(|f| format!("罚款{}元", format_yuan(f)))
            .unwrap_or_default(),
        _ => match (d.valid_from, d.valid_to) {
            (Some(a), Some(b)) => format!("{a}至{b}"),
            (Some(a), None) => format!("{a}起"),
            (None, Some(b)) => format!("至{b}"),
            (None, None) => String::new(),
        },
    }
}

#[derive(Template)]
#[template(path = "double.html")]
struct DoublePage {
    ctx: Ctx,
    organ: OrganLink,
    rows: Vec<DecisionRow>,
    kind: String,
    year: i32,
    years: Vec<i32>,
    /// 行政相对人 searched for (part of the name).
    party: String,
    total: usize,
    page: usize,
    pages: usize,
    page_links: Vec<usize>,
    filter_query: String,
}

#[derive(Deserialize, Default)]
pub struct DoubleQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    party: String,
    #[serde(default)]
    page: String,
}

/// 双公示: licensing and penalty decisions, newest first, filtered by kind and year, paged.
async fn double_publicity(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<i64>,
    Query(q): Query<DoubleQuery>,
) -> AppResult<Response> {
    let organ = organ_or_404(&state, id).await?;
    let matters = state.db.matters(id).await?;
    let details = state.db.decision_details(id).await?;
    let kind = match q.kind.trim() {
        "licensing" | "penalty" => q.kind.trim().to_string(),
        _ => String::new(),
    };
    let year: i32 = q.year.trim().parse().unwrap_or(0);
    let party: String = q.party.trim().chars().take(100).collect();
    let mut all: Vec<(MatterKind, DecisionRow, i32)> = state
        .db
        .decisions(id, crate::views::all_dates().0, state.today())
        .await?
        .into_iter()
        .filter_map(|d| {
            let m = matters.iter().find(|m| m.id == d.matter_id)?;
            matches!(m.kind, MatterKind::Licensing | MatterKind::Penalty).then(|| {
                let x = details.get(&d.id).cloned().unwrap_or_default();
                (
                    m.kind,
                    DecisionRow {
                        id: d.id,
                        credit_code: x.credit_code.clone(),
                        term: term_of(m.kind, &x),
                        kind: m.kind.label().to_string(),
                        matter: m.name.clone(),
                        party: d.party.clone(),
                        number: d.number.clone(),
                        decided_on: d.decided_on.to_string(),
                    },
                    chrono::Datelike::year(&d.decided_on),
                )
            })
        })
        .collect();
    all.reverse();
    let mut years: Vec<i32> = all.iter().map(|x| x.2).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let rows: Vec<DecisionRow> = all
        .into_iter()
        .filter(|(k, r, y)| {
            (kind.is_empty() || (kind == "licensing") == matches!(k, MatterKind::Licensing))
                && (year == 0 || *y == year)
                && (party.is_empty() || r.party.contains(party.as_str()))
        })
        .map(|(_, r, _)| r)
        .collect();
    let total = rows.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page_no = q.page.trim().parse::<usize>().unwrap_or(1).clamp(1, pages);
    let rows = rows
        .into_iter()
        .skip((page_no - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    let mut filter_query = String::new();
    if !kind.is_empty() {
        filter_query.push_str(&format!("&kind={kind}"));
    }
    if year != 0 {
        filter_query.push_str(&format!("&year={year}"));
    }
    page(&DoublePage {
        ctx: Ctx::public(
            format!("{}行政许可和行政处罚信息公示", organ.name),
            &user,
            "",
        ),
        organ: OrganLink::from(&organ),
        rows,
        kind,
        year,
        years,
        party,
        total,
        page: page_no,
        pages,
        page_links: page_links(page_no, pages),
        filter_query,
    })
}

#[derive(Template)]
#[template(path = "double_item.html")]
struct DecisionPage {
    ctx: Ctx,
    organ: OrganLink,
    row: DecisionRow,
    licensing: bool,
    d: DecisionDetails,
    fine: String,
}

/// One decision with every field of the data standard.
async fn decision_page(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path((organ_id, decision_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let organ = organ_or_404(&state, organ_id).await?;
    let matters = state.db.matters(organ_id).await?;
    let d = state
        .db
        .decisions(organ_id, crate::views::all_dates().0, state.today())
        .await?
        .into_iter()
        .find(|d| d.id == decision_id)
        .ok_or(AppError::NotFound)?;
    let m = matters
        .iter()
        .find(|m| m.id == d.matter_id)
        .filter(|m| matches!(m.kind, MatterKind::Licensing | MatterKind::Penalty))
        .ok_or(AppError::NotFound)?;
    let x = state
        .db
        .decision_details(organ_id)
        .await?
        .remove(&d.id)
        .unwrap_or_default();
    page(&DecisionPage {
        ctx: Ctx::public(format!("{}：{}", m.kind.label(), d.number), &user, ""),
        organ: OrganLink::from(&organ),
        licensing: m.kind == MatterKind::Licensing,
        fine: x.fine_fen.map(format_yuan).unwrap_or_default(),
        row: DecisionRow {
            id: d.id,
            kind: m.kind.label().to_string(),
            matter: m.name.clone(),
            party: d.party.clone(),
            number: d.number.clone(),
            decided_on: d.decided_on.to_string(),
            credit_code: x.credit_code.clone(),
            term: term_of(m.kind, &x),
        },
        d: x,
    })
}
