//! The working-day calendar in the back office: every year the deadlines are counted with, and
//! (system administrators only) entering or correcting a year's State Council notice as rows —
//! one per holiday, with its dates and the weekend days worked in exchange, picked with date
//! pickers and checked row by row — which recomputes the deadlines of open applications and lists
//! what changed. A new year's form is prefilled with the previous year's holidays by name, their
//! dates of that year shown beside each row as a reminder (holidays move; nothing is guessed).

use crate::AppState;
use crate::auth::{CurrentUser, Perm};
use crate::error::AppResult;
use crate::views::{Ctx, date, page};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use gongkai_domain::calendar::{Calendar, HolidayRow, RowError, rows_of, year_from_rows};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/calendar", get(calendar).post(import))
}

/// Rows the form offers beyond those filled (a notice has seven holidays; room for more).
const SPARE_ROWS: usize = 2;
const MIN_ROWS: usize = 8;
/// 调休上班日 fields per row (no notice has given a holiday more than two).
const WORKDAYS_PER_ROW: usize = 2;

pub struct YearView {
    pub year: i32,
    pub source: String,
    pub holidays: String,
    pub workdays: String,
}

/// One row of the form, with what the page says beside it.
pub struct RowView {
    pub n: usize,
    pub name: String,
    pub from: String,
    pub to: String,
    pub workdays: Vec<String>,
    /// The same holiday's dates the year before, as a reminder.
    pub last_year: String,
    pub errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/calendar.html")]
struct CalendarPage {
    ctx: Ctx,
    years: Vec<YearView>,
    can_import: bool,
    /// The year the form is for, and whether it corrects a loaded one.
    year: String,
    correcting: bool,
    source: String,
    rows: Vec<RowView>,
    /// Errors of the year as a whole (year, source).
    errors: Vec<String>,
    /// Errors beside rows, counted for the summary.
    row_errors: usize,
    changed: Vec<(String, String, String)>,
    calendar_warning: String,
    /// The years one may open in the form (loaded ones and the next).
    form_years: Vec<i32>,
}

fn year_views(cal: &Calendar) -> Vec<YearView> {
    cal.years()
        .map(|y| YearView {
            year: y.year,
            source: y.source.clone(),
            holidays: y
                .holidays
                .iter()
                .enumerate()
                .map(|(i, (a, b))| {
                    let dates = if a == b {
                        a.to_string()
                    } else {
                        format!("{a}至{b}")
                    };
                    match y.name_of(i) {
                        "" => dates,
                        name => format!("{name} {dates}"),
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
        .collect()
}

/// "2026-02-15至02-23，调休 02-14、02-28": a row of a loaded year as a reminder.
fn reminder(r: &HolidayRow) -> String {
    let short = |d: &str| d.get(5..).unwrap_or(d).to_string();
    let mut s = format!("{}至{}", r.from, short(&r.to));
    if !r.workdays.is_empty() {
        let w: Vec<String> = r.workdays.iter().map(|d| short(d)).collect();
        s.push_str(&format!("，调休上班 {}", w.join("、")));
    }
    s
}

/// The form's rows for `year`: the loaded year's own rows (a correction), else the previous
/// year's holidays by name with their dates as a reminder.
fn form_rows(cal: &Calendar, year: i32) -> (Vec<HolidayRow>, Vec<String>, bool, String) {
    let last = cal.year(year - 1).map(rows_of).unwrap_or_default();
    let reminders_by_name = |rows: &[HolidayRow]| -> Vec<String> {
        rows.iter()
            .map(|r| {
                last.iter()
                    .find(|l| !l.name.is_empty() && l.name == r.name)
                    .map(|l| format!("{}年：{}", year - 1, reminder(l)))
                    .unwrap_or_default()
            })
            .collect()
    };
    match cal.year(year) {
        Some(data) => {
            let rows = rows_of(data);
            let rem = reminders_by_name(&rows);
            (rows, rem, true, data.source.clone())
        }
        None => {
            let rows: Vec<HolidayRow> = last
                .iter()
                .map(|l| HolidayRow {
                    name: l.name.clone(),
                    ..Default::default()
                })
                .collect();
            let rem = last
                .iter()
                .map(|l| format!("{}年：{}", year - 1, reminder(l)))
                .collect();
            (
                rows,
                rem,
                false,
                format!(
                    "国务院办公厅关于{year}年部分节假日安排的通知（国办发明电〔{}〕号）",
                    year - 1
                ),
            )
        }
    }
}

fn row_views(rows: &[HolidayRow], reminders: &[String], errors: &[RowError]) -> Vec<RowView> {
    let n = (rows.len() + SPARE_ROWS).max(MIN_ROWS);
    (0..n)
        .map(|i| {
            let r = rows.get(i).cloned().unwrap_or_default();
            let mut workdays = r.workdays.clone();
            workdays.resize(WORKDAYS_PER_ROW.max(workdays.len()), String::new());
            RowView {
                n: i,
                name: r.name,
                from: r.from,
                to: r.to,
                workdays,
                last_year: reminders.get(i).cloned().unwrap_or_default(),
                errors: errors
                    .iter()
                    .filter(|e| e.row == Some(i))
                    .map(|e| e.message.clone())
                    .collect(),
            }
        })
        .collect()
}

struct Filled {
    year: String,
    source: String,
    rows: Vec<HolidayRow>,
    reminders: Vec<String>,
    correcting: bool,
    errors: Vec<RowError>,
}

async fn calendar_page(
    state: &AppState,
    user: &CurrentUser,
    form: Filled,
    changed: Vec<(String, String, String)>,
) -> AppResult<Response> {
    let cal = gongkai_app::cases::calendar(&state.app).await?;
    let failed = !form.errors.is_empty();
    let mut form_years: Vec<i32> = cal.years().map(|y| y.year).collect();
    if let Some((_, last)) = cal.span() {
        form_years.push(last + 1);
    }
    let mut r = page(&CalendarPage {
        ctx: Ctx::admin("工作日历", user),
        years: year_views(&cal),
        can_import: Perm::System.allowed(user.user.role),
        rows: row_views(&form.rows, &form.reminders, &form.errors),
        errors: form
            .errors
            .iter()
            .filter(|e| e.row.is_none())
            .map(|e| e.message.clone())
            .collect(),
        row_errors: form.errors.iter().filter(|e| e.row.is_some()).count(),
        year: form.year,
        correcting: form.correcting,
        source: form.source,
        changed,
        calendar_warning: gongkai_domain::calendar::missing_year_warning(
            &cal,
            state.today(),
            Perm::System.allowed(user.user.role),
        )
        .unwrap_or_default(),
        form_years,
    })?;
    if failed {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

#[derive(Deserialize, Default)]
pub struct CalendarQuery {
    /// The year to enter or correct; the year after the last loaded one by default.
    #[serde(default)]
    year: String,
}

async fn blank_form(state: &AppState, year: Option<i32>) -> AppResult<Filled> {
    let cal = gongkai_app::cases::calendar(&state.app).await?;
    let year = year
        .filter(|y| (2000..=2200).contains(y))
        .or_else(|| cal.span().map(|(_, last)| last + 1))
        .unwrap_or_else(|| chrono::Datelike::year(&state.today()));
    let (rows, reminders, correcting, source) = form_rows(&cal, year);
    Ok(Filled {
        year: year.to_string(),
        source,
        rows,
        reminders,
        correcting,
        errors: vec![],
    })
}

async fn calendar(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<CalendarQuery>,
) -> AppResult<Response> {
    let form = blank_form(&state, q.year.trim().parse().ok()).await?;
    calendar_page(&state, &user, form, vec![]).await
}

/// Reads the form's `name_3`, `from_3`, `to_3`, `w_3_0`… fields into rows, in row order.
fn rows_from_fields(fields: &[(String, String)]) -> Vec<HolidayRow> {
    let mut rows: Vec<HolidayRow> = Vec::new();
    for (k, v) in fields {
        let mut parts = k.split('_');
        let (Some(kind), Some(Ok(i))) = (parts.next(), parts.next().map(str::parse::<usize>))
        else {
            continue;
        };
        // The form offers at most a few dozen rows; anything past that is not a person's form.
        if i >= 60 {
            continue;
        }
        if rows.len() <= i {
            rows.resize(i + 1, HolidayRow::default());
        }
        let r = &mut rows[i];
        match kind {
            "name" => r.name = v.clone(),
            "from" => r.from = v.clone(),
            "to" => r.to = v.clone(),
            "w" => r.workdays.push(v.clone()),
            _ => {}
        }
    }
    rows
}

async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    user.check_csrf(&field("csrf"))?;
    user.require_role(Perm::System)?;
    let rows = rows_from_fields(&fields);
    let year = field("year");
    let source = field("source");
    let refill = |errors: Vec<RowError>, cal: &Calendar| {
        let y = year.trim().parse::<i32>().unwrap_or(0);
        let (_, reminders, correcting, _) = form_rows(cal, y);
        Filled {
            year: year.clone(),
            source: source.clone(),
            rows: rows.clone(),
            reminders,
            correcting,
            errors,
        }
    };
    let data = match year_from_rows(&year, &source, &rows) {
        Ok(d) => d,
        Err(errors) => {
            let cal = gongkai_app::cases::calendar(&state.app).await?;
            return calendar_page(&state, &user, refill(errors, &cal), vec![]).await;
        }
    };
    let changed =
        match gongkai_app::registers::import_calendar(&state.app, &user.actor(), &data.to_file())
            .await
        {
            Ok(done) => done.value,
            Err(e @ gongkai_app::Error::Invalid(_)) => {
                let cal = gongkai_app::cases::calendar(&state.app).await?;
                let errors = vec![RowError {
                    row: None,
                    message: e.to_string(),
                }];
                return calendar_page(&state, &user, refill(errors, &cal), vec![]).await;
            }
            Err(e) => return Err(e.into()),
        };
    let rows = changed
        .into_iter()
        .map(|c| (c.number, date(c.old_due), date(c.new_due)))
        .collect();
    let form = blank_form(&state, Some(data.year)).await?;
    let mut ctx_user = user;
    // The flash belongs to this answer (no redirect: the recomputed deadlines are listed here).
    ctx_user.flash = Some(format!("已载入{}年工作日历", data.year));
    calendar_page(&state, &ctx_user, form, rows).await
}
