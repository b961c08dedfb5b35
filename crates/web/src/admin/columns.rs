//! 栏目检查: every column of an organ's catalogue with what its page lists, the columns an
//! inspector would mark (empty without explanation, not updated within their period — the rule
//! is `gongkai_app::columns`), and the explanation an office writes on an empty column.

use super::{OrganQuery, organ_of_form, pick_organ};
use crate::AppState;
use crate::auth::{CurrentUser, Perm};
use crate::error::AppResult;
use crate::views::{Ctx, OrganLink, page};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_domain::records::ColumnState;
use serde::Deserialize;

pub struct ColumnRow {
    pub id: i64,
    pub path: String,
    pub items: usize,
    pub latest: String,
    pub period: String,
    pub problem: String,
    pub note: String,
    pub noted: String,
}

#[derive(Template)]
#[template(path = "admin/columns.html")]
struct ColumnsPage {
    ctx: Ctx,
    organ: OrganLink,
    organs: Vec<OrganLink>,
    rows: Vec<ColumnRow>,
    empty: usize,
    stale: usize,
    can_edit: bool,
}

/// The rows of the page (and of the 工作台's list).
pub async fn rows(
    state: &AppState,
    user: &CurrentUser,
    organ_id: i64,
) -> AppResult<Vec<ColumnRow>> {
    let states = gongkai_app::columns::check(&state.app, &user.actor(), organ_id).await?;
    let notes = gongkai_app::columns::notes(&state.app, &user.actor(), organ_id).await?;
    Ok(states
        .iter()
        .map(|s: &ColumnState| {
            let n = notes.iter().find(|n| n.category_id == s.category_id);
            ColumnRow {
                id: s.category_id,
                path: s.path.clone(),
                items: s.items,
                latest: s.latest.map(|d| d.to_string()).unwrap_or_default(),
                period: s.period.map(|p| p.label().to_string()).unwrap_or_default(),
                problem: s.problem.map(|p| p.label()).unwrap_or_default(),
                note: n.map(|n| n.note.clone()).unwrap_or_default(),
                noted: n
                    .map(|n| format!("{}，{}", n.noted_by, n.noted_on))
                    .unwrap_or_default(),
            }
        })
        .collect())
}

pub(super) async fn columns(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OrganQuery>,
) -> AppResult<Response> {
    let (organ, organs) = pick_organ(&state, &user, &q).await?;
    let rows = rows(&state, &user, organ.id).await?;
    let empty = rows
        .iter()
        .filter(|r| r.problem.starts_with("空白"))
        .count();
    let stale = rows
        .iter()
        .filter(|r| r.problem.starts_with("未按期"))
        .count();
    page(&ColumnsPage {
        ctx: Ctx::admin("栏目检查", &user),
        can_edit: user.can(&state, Perm::Edit, organ.id).await?,
        organ: OrganLink::from(&organ),
        organs,
        rows,
        empty,
        stale,
    })
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    organ: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    note: String,
}

pub(super) async fn column_note(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<NoteForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let organ_id = organ_of_form(&f.organ)?;
    let category: i64 = f.category.trim().parse().unwrap_or(0);
    let done =
        gongkai_app::columns::explain(&state.app, &user.actor(), organ_id, category, &f.note)
            .await?;
    let msg = if done.value.is_some() {
        "栏目说明已保存，将显示在该栏目页面"
    } else {
        "栏目说明已删除"
    };
    user.flash(&state, msg).await;
    Ok(Redirect::to(&format!("/admin/columns?organ={organ_id}#c{category}")).into_response())
}
