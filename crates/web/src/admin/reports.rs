//! The annual report in the back office: generate the draft, edit its texts, preview, publish
//! and correct.

use super::{OrganQuery, organ_of_form, pick_organ};
use crate::AppState;
use crate::auth::{CurrentUser, Perm};
use crate::error::{AppError, AppResult};
use crate::public::{ReportVersionView, version_views};
use crate::reports::StoredReport;
use crate::views::{Ctx, OrganLink, page};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use gongkai_domain::report::layout;
use serde::Deserialize;

pub struct DraftRow {
    pub year: i32,
    pub generated_at: String,
}

#[derive(Template)]
#[template(path = "admin/reports.html")]
struct ReportsAdmin {
    ctx: Ctx,
    organ: OrganLink,
    organs: Vec<OrganLink>,
    drafts: Vec<DraftRow>,
    published: Vec<ReportVersionView>,
    default_year: i32,
    can_edit: bool,
}

pub(super) async fn reports_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OrganQuery>,
) -> AppResult<Response> {
    let (organ, organs) = pick_organ(&state, &user, &q).await?;
    let this_year = state.today().year();
    let zone = state.app.time.zone();
    let actor = user.actor();
    let drafts =
        gongkai_app::office::report_drafts(&state.app, &actor, organ.id, this_year - 8..=this_year)
            .await?
            .into_iter()
            .map(|d| DraftRow {
                year: d.year,
                generated_at: d
                    .generated_at
                    .with_timezone(&zone)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
            })
            .collect();
    let published =
        version_views(&gongkai_app::office::report_versions(&state.app, &actor, organ.id).await?);
    page(&ReportsAdmin {
        ctx: Ctx::admin("年度报告", &user),
        can_edit: user.can(&state, Perm::Edit, organ.id).await?,
        organ: OrganLink::from(&organ),
        organs,
        drafts,
        published,
        default_year: this_year - 1,
    })
}

#[derive(Deserialize)]
pub struct GenerateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    organ: String,
    #[serde(default)]
    year: String,
    /// `alone` for the organ's own records; anything else includes its units.
    #[serde(default)]
    scope: String,
}

pub(super) async fn report_generate(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<GenerateForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let organ_id = organ_of_form(&f.organ)?;
    let year: i32 = f.year.trim().parse().map_err(|_| {
        AppError::BadRequest(format!("年度“{}”不对：应为2008年至今的年份", f.year.trim()))
    })?;
    let include_units = f.scope != "alone";
    gongkai_app::reports::generate(&state.app, &user.actor(), organ_id, year, include_units)
        .await?;
    Ok(Redirect::to(&format!("/admin/reports/{organ_id}/{year}")).into_response())
}

pub struct SectionEdit {
    pub index: usize,
    pub heading: String,
    pub body: String,
    /// The section's official table, generated from the records (sections 二–四), as HTML.
    pub table: String,
    /// Where the table's figures come from: (label, back-office link).
    pub sources: Vec<(&'static str, String)>,
}

pub struct FindingView {
    pub severity: String,
    pub rule: String,
    pub location: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "admin/report_edit.html")]
struct ReportEdit {
    ctx: Ctx,
    organ: OrganLink,
    year: i32,
    sections: Vec<SectionEdit>,
    findings: Vec<FindingView>,
    published: Vec<ReportVersionView>,
    can_edit: bool,
    can_publish: bool,
    /// Error findings and empty required sections: publishing asks for a confirmation.
    blockers: Vec<String>,
    /// Why the last publication was refused, shown in the publish form.
    publish_error: String,
}

async fn load_draft(
    state: &AppState,
    user: &CurrentUser,
    organ_id: i64,
    year: i32,
) -> AppResult<StoredReport> {
    Ok(gongkai_app::reports::draft(&state.app, &user.actor(), organ_id, year).await?)
}

pub(super) async fn report_edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((organ_id, year)): Path<(i64, i32)>,
) -> AppResult<Response> {
    edit_page(&state, &user, organ_id, year, String::new()).await
}

/// The editing page; `publish_error` (with the status 422) says why publishing was refused.
async fn edit_page(
    state: &AppState,
    user: &CurrentUser,
    organ_id: i64,
    year: i32,
    publish_error: String,
) -> AppResult<Response> {
    let (state, user) = (state.clone(), user.clone());
    user.require(&state, Perm::View, organ_id).await?;
    let organ = gongkai_app::organs::get(&state.app, organ_id).await?;
    let s = load_draft(&state, &user, organ_id, year).await?;
    let r = s.to_report();
    let sections = layout::SECTIONS
        .iter()
        .enumerate()
        .map(|(i, h)| SectionEdit {
            index: i + 1,
            heading: h.to_string(),
            body: r.text_of(h).unwrap_or("").to_string(),
            table: gongkai_render::html::section_table(&r, i).unwrap_or_default(),
            sources: table_sources(i, organ_id),
        })
        .collect();
    let findings = r
        .findings
        .clone()
        .into_iter()
        .map(|f| FindingView {
            severity: f.severity.label().to_string(),
            rule: f.rule.to_string(),
            location: f.location,
            message: f.message,
        })
        .collect();
    let published: Vec<_> = version_views(
        &gongkai_app::office::report_versions(&state.app, &user.actor(), organ_id).await?,
    )
    .into_iter()
    .filter(|v| v.year == year)
    .collect();
    let failed = !publish_error.is_empty();
    let mut resp = page(&ReportEdit {
        blockers: gongkai_app::reports::blockers(&r),
        publish_error,
        ctx: Ctx::admin(format!("{year}年度报告"), &user),
        can_edit: user.can(&state, Perm::Edit, organ_id).await?,
        can_publish: user.can(&state, Perm::Review, organ_id).await?,
        organ: OrganLink::from(&organ),
        year,
        sections,
        findings,
        published,
    })?;
    if failed {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

/// The records behind the table of section `index` (0-based), as links of the back office.
fn table_sources(index: usize, organ: i64) -> Vec<(&'static str, String)> {
    match index {
        1 => vec![
            (
                "规章、规范性文件：公开目录",
                format!("/admin/items?organ={organ}&status=published"),
            ),
            (
                "行政许可、处罚、强制、事业性收费：登记簿",
                format!("/admin/registers?organ={organ}"),
            ),
        ],
        2 => vec![(
            "依申请公开：申请登记",
            format!("/admin/applications?organ={organ}"),
        )],
        3 => vec![(
            "行政复议、行政诉讼：案件登记",
            format!("/admin/registers?organ={organ}#cases"),
        )],
        _ => vec![],
    }
}

/// The six section texts as posted (`s1` … `s6`).
#[derive(Deserialize)]
pub struct TextsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    s1: String,
    #[serde(default)]
    s2: String,
    #[serde(default)]
    s3: String,
    #[serde(default)]
    s4: String,
    #[serde(default)]
    s5: String,
    #[serde(default)]
    s6: String,
}

pub(super) async fn report_texts(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((organ_id, year)): Path<(i64, i32)>,
    Form(f): Form<TextsForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let bodies = [f.s1, f.s2, f.s3, f.s4, f.s5, f.s6];
    gongkai_app::reports::edit_texts(&state.app, &user.actor(), organ_id, year, &bodies).await?;
    Ok(Redirect::to(&format!("/admin/reports/{organ_id}/{year}")).into_response())
}

/// The draft exactly as it would be published (E's standalone page).
pub(super) async fn report_preview(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((organ_id, year)): Path<(i64, i32)>,
) -> AppResult<Response> {
    user.require(&state, Perm::View, organ_id).await?;
    let s = load_draft(&state, &user, organ_id, year).await?;
    Ok(crate::views::standalone_html(
        gongkai_render::html::report_page(&s.to_report()),
    ))
}

/// The year's report computed from the records as they stand, in the draft's scope, as a file:
/// the same bytes as `gongkai report` and the API's `computed` give on the same day.
pub(super) async fn report_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((organ_id, year, format)): Path<(i64, i32, String)>,
) -> AppResult<Response> {
    let format = gongkai_app::exports::Format::parse(&format).ok_or(AppError::NotFound)?;
    let s = load_draft(&state, &user, organ_id, year).await?;
    let scope = if s.include_units {
        gongkai_app::exports::Scope::WithUnits
    } else {
        gongkai_app::exports::Scope::Alone
    };
    let file = gongkai_app::exports::computed(
        &state.app,
        &user.actor(),
        organ_id,
        year,
        scope,
        format,
        &Default::default(),
    )
    .await?;
    Ok(crate::reports::answer(file))
}

#[derive(Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    /// The box "I have read the problems and publish nonetheless", and why.
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    confirmation: String,
}

pub(super) async fn report_publish(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((organ_id, year)): Path<(i64, i32)>,
    Form(f): Form<PublishForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let confirmation = (!f.confirm.is_empty()).then_some(f.confirmation.as_str());
    let done = match gongkai_app::reports::publish(
        &state.app,
        &user.actor(),
        organ_id,
        year,
        &f.reason,
        confirmation,
    )
    .await
    {
        Ok(d) => d,
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            let msg = super::messages(&e).join("；");
            return edit_page(&state, &user, organ_id, year, msg).await;
        }
        Err(e) => return Err(e.into()),
    };
    let pr = state.refreshed(done).await;
    Ok(Redirect::to(&format!("/reports/{}", pr.id)).into_response())
}
