//! The working-day calendar in the back office: every year the deadlines are counted with, and
//! (system administrators only) importing a year's State Council notice, which recomputes the
//! deadlines of open applications and lists what changed.

use crate::AppState;
use crate::auth::{CurrentUser, Perm};
use crate::error::AppResult;
use crate::views::{Ctx, date, page};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/calendar", get(calendar).post(import))
}

pub struct YearView {
    pub year: i32,
    pub source: String,
    pub holidays: String,
    pub workdays: String,
}

#[derive(Template)]
#[template(path = "admin/calendar.html")]
struct CalendarPage {
    ctx: Ctx,
    years: Vec<YearView>,
    can_import: bool,
    content: String,
    error: String,
    changed: Vec<(String, String, String)>,
    calendar_warning: String,
}

async fn calendar_page(
    state: &AppState,
    user: &CurrentUser,
    content: String,
    error: String,
    changed: Vec<(String, String, String)>,
) -> AppResult<Response> {
    let cal = state.db.calendar().await?;
    let years = cal
        .years()
        .map(|y| YearView {
            year: y.year,
            source: y.source.clone(),
            holidays: y
                .holidays
                .iter()
                .map(|(a, b)| {
                    if a == b {
                        a.to_string()
                    } else {
                        format!("{a}至{b}")
                    }
                })
                .collect::<Vec<_>>()
                .join("；"),
            workdays: y
                .workdays
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("；"),
        })
        .collect();
    let failed = !error.is_empty();
    let mut r = page(&CalendarPage {
        ctx: Ctx::admin("工作日历", user),
        years,
        can_import: Perm::System.allowed(user.user.role),
        content,
        error,
        changed,
        calendar_warning: gongkai_domain::calendar::missing_year_warning(
            &cal,
            state.today(),
            Perm::System.allowed(user.user.role),
        )
        .unwrap_or_default(),
    })?;
    if failed {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

async fn calendar(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    calendar_page(&state, &user, String::new(), String::new(), vec![]).await
}

#[derive(Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    content: String,
}

async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<ImportForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let changed = match gongkai_app::registers::import_calendar(
        &state.app,
        &user.actor(),
        &f.content,
    )
    .await
    {
        Ok(done) => done.value,
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            return calendar_page(&state, &user, f.content, e.to_string(), vec![]).await;
        }
        Err(e) => return Err(e.into()),
    };
    let rows = changed
        .into_iter()
        .map(|c| (c.number, date(c.old_due), date(c.new_due)))
        .collect();
    calendar_page(&state, &user, String::new(), String::new(), rows).await
}
