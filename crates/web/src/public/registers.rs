//! The full lists behind two sub-columns of 法定主动公开内容 (art. 20 (八) and (九)): an organ's
//! 行政事业性收费 as collected and its 政府集中采购 projects, newest first, by year, a page at a
//! time (limited and counted in SQL by `gongkai_app::registers::page`). The sub-column shows the
//! newest lines and links here for the rest.

use super::{PAGE_SIZE, organ_or_404, page_links};
use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::AppResult;
use crate::views::{Ctx, OrganLink, page};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use gongkai_app::registers::Paged;
use gongkai_domain::records::format_yuan;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/o/{organ}/fees", get(fees))
        .route("/o/{organ}/procurements", get(procurements))
}

/// The address of an organ's full list of fees or procurements.
pub fn link(organ_id: i64, register: Paged) -> String {
    match register {
        Paged::Fees => format!("/o/{organ_id}/fees"),
        _ => format!("/o/{organ_id}/procurements"),
    }
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterListPage {
    ctx: Ctx,
    organ: OrganLink,
    title: String,
    crumb: String,
    path: String,
    heads: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    year: i32,
    years: Vec<i32>,
    total: i64,
    page: usize,
    pages: usize,
    page_links: Vec<usize>,
}

#[derive(Deserialize, Default)]
pub struct RegisterQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    page: String,
}

async fn fees(
    state: State<AppState>,
    user: MaybeUser,
    id: Path<i64>,
    q: Query<RegisterQuery>,
) -> AppResult<Response> {
    list(state, user, id, q, Paged::Fees).await
}

async fn procurements(
    state: State<AppState>,
    user: MaybeUser,
    id: Path<i64>,
    q: Query<RegisterQuery>,
) -> AppResult<Response> {
    list(state, user, id, q, Paged::Procurements).await
}

async fn list(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<i64>,
    Query(q): Query<RegisterQuery>,
    register: Paged,
) -> AppResult<Response> {
    let organ = organ_or_404(&state, id).await?;
    let years = gongkai_app::registers::years(&state.app, id).await?;
    let year: i32 = q.year.trim().parse().unwrap_or(0);
    let asked = (year != 0).then_some(year);
    let size = PAGE_SIZE as i64;
    let page_asked = q
        .page
        .trim()
        .parse::<i64>()
        .unwrap_or(1)
        .clamp(1, 1_000_000);
    let mut got = gongkai_app::registers::page(
        &state.app,
        id,
        register,
        asked,
        size,
        (page_asked - 1) * size,
    )
    .await?;
    let pages = (got.total.max(1) + size - 1) / size;
    let page_no = page_asked.min(pages);
    if page_no != page_asked {
        // Past the last page (an old link): the last page.
        got = gongkai_app::registers::page(
            &state.app,
            id,
            register,
            asked,
            size,
            (page_no - 1) * size,
        )
        .await?;
    }
    let matter = |m: i64| got.matters.get(&m).cloned().unwrap_or_default();
    let (title, crumb, heads, rows): (String, &str, Vec<&'static str>, Vec<Vec<String>>) =
        match register {
            Paged::Fees => (
                format!("{}行政事业性收费", organ.name),
                "行政事业性收费",
                vec!["收费项目", "金额（元）", "收费日期", "说明"],
                got.fees
                    .iter()
                    .map(|f| {
                        vec![
                            matter(f.matter_id),
                            format_yuan(f.amount_fen),
                            f.collected_on.to_string(),
                            f.note.clone(),
                        ]
                    })
                    .collect(),
            ),
            _ => (
                format!("{}政府集中采购项目", organ.name),
                "政府集中采购项目",
                vec!["项目名称", "合同金额（元）", "签订日期"],
                got.procurements
                    .iter()
                    .map(|p| {
                        vec![
                            p.name.clone(),
                            format_yuan(p.amount_fen),
                            p.contracted_on.to_string(),
                        ]
                    })
                    .collect(),
            ),
        };
    let pages = pages as usize;
    let page_no = page_no as usize;
    page(&RegisterListPage {
        ctx: Ctx::public(title.clone(), &user, ""),
        organ: OrganLink::from(&organ),
        title,
        crumb: crumb.to_string(),
        path: link(id, register),
        heads,
        rows,
        year,
        years,
        total: got.total,
        page: page_no,
        pages,
        page_links: page_links(page_no, pages),
    })
}
