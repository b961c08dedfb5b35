//! 政府网站工作年度报表 in the back office (system administrators): a year's form with the
//! figures from the records, inputs for those only the site knows, and publication
//! (`gongkai_app::site_form`).

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::views::{Ctx, page};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use gongkai_domain::site_form::{FORM, Kind, Source};
use serde::Deserialize;
use std::collections::BTreeMap;

pub struct FormRow {
    pub code: String,
    pub section: String,
    pub label: String,
    /// Figures from the records: their value; entered ones: the input's value.
    pub value: String,
    pub entered: bool,
    pub unit: String,
    pub yes_no: bool,
}

#[derive(Template)]
#[template(path = "admin/site_form.html")]
struct FormPage {
    ctx: Ctx,
    year: i32,
    years: Vec<i32>,
    rows: Vec<FormRow>,
    published_on: String,
    due: String,
    errors: Vec<String>,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    year: String,
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    typed: Option<&BTreeMap<String, String>>,
    errors: Vec<String>,
) -> AppResult<Response> {
    let f = gongkai_app::site_form::form(&state.app, &user.actor(), year).await?;
    let this = state.today().year();
    let rows = FORM
        .iter()
        .zip(&f.lines)
        .map(|(field, line)| {
            let entered = field.source == Source::Entered;
            FormRow {
                code: field.code.into(),
                section: line.section.clone(),
                label: line.label.clone(),
                value: if entered {
                    typed
                        .and_then(|t| t.get(field.code))
                        .or_else(|| f.entered.get(field.code))
                        .cloned()
                        .unwrap_or_default()
                } else {
                    line.value.clone()
                },
                entered,
                unit: match field.kind {
                    Kind::Count(u) => u.into(),
                    _ => String::new(),
                },
                yes_no: field.kind == Kind::YesNo,
            }
        })
        .collect();
    let invalid = !errors.is_empty();
    let mut r = page(&FormPage {
        ctx: Ctx::admin("网站年度报表", user),
        year,
        years: (this - 5..this).rev().collect(),
        rows,
        published_on: f.published_on.map(|d| d.to_string()).unwrap_or_default(),
        due: gongkai_app::site_form::due(year).to_string(),
        errors,
    })?;
    if invalid {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

fn year_of(s: &str, state: &AppState) -> i32 {
    s.trim()
        .parse()
        .unwrap_or_else(|_| state.today().year() - 1)
}

pub(super) async fn site_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    let year = year_of(&q.year, &state);
    form_page(&state, &user, year, None, vec![]).await
}

pub(super) async fn site_form_save(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(mut f): Form<BTreeMap<String, String>>,
) -> AppResult<Response> {
    user.check_csrf(f.get("csrf").map(String::as_str).unwrap_or(""))?;
    let year = year_of(f.get("year").map(String::as_str).unwrap_or(""), &state);
    let publish = f.remove("publish").is_some();
    match gongkai_app::site_form::save_entered(&state.app, &user.actor(), year, &f).await {
        Ok(_) => {}
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            return form_page(&state, &user, year, Some(&f), super::messages(&e)).await;
        }
        Err(e) => return Err(e.into()),
    }
    if publish {
        match gongkai_app::site_form::publish(&state.app, &user.actor(), year).await {
            Ok(_) => {
                user.flash(&state, &format!("{year}年度网站年度报表已发布"))
                    .await
            }
            Err(e @ gongkai_app::Error::Invalid(_)) => {
                return form_page(&state, &user, year, Some(&f), super::messages(&e)).await;
            }
            Err(e) => return Err(e.into()),
        }
    } else {
        user.flash(&state, "已保存").await;
    }
    Ok(Redirect::to(&format!("/admin/site/annual?year={year}")).into_response())
}
