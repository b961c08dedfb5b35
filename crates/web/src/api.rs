//! The JSON API: public reads without login, writes with a bearer token (made in the back office),
//! described by the OpenAPI document at `/api/openapi.json` (written by hand: no UI to download).

use crate::AppState;
use crate::auth::{CurrentUser, sha256_hex};
use crate::error::{ApiError, ApiResult, AppError};
use crate::views::date;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use gongkai_domain::records::{CatalogueItem, category_path};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/v1/organs", get(organs))
        .route("/api/v1/organs/{id}/items", get(items).post(create_item))
        .route("/api/v1/items/{id}", get(item))
        .route("/api/v1/organs/{id}/reports", get(reports))
        .route(
            "/api/v1/organs/{id}/reports/{year}/computed",
            get(computed_report),
        )
        .route(
            "/api/v1/organs/{id}/reports/{year}/computed/{format}",
            get(computed_file),
        )
        .route("/api/v1/reports/{id}", get(report))
        .route(
            "/api/v1/applications/{id}/steps",
            axum::routing::post(application_step),
        )
        .route(
            "/api/v1/organs/{id}/applications",
            axum::routing::post(register_application),
        )
        .route("/api/v1/reports/{id}/files/{format}", get(report_file))
}

#[derive(Serialize)]
struct StepOut {
    number: String,
    status: String,
    due_on: Option<NaiveDate>,
    result: Option<String>,
    /// The number of the notice the step issued, if any.
    notice: Option<String>,
}

/// Registers an application received by the office (counter, post, fax, e-mail): the same
/// fields and the same check of the applicant as the back office's paper form and `gongkai
/// application register`.
async fn register_application(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: Result<
        Json<gongkai_app::applicants::RegisterInput>,
        axum::extract::rejection::JsonRejection,
    >,
) -> ApiResult<Response> {
    let Json(mut input) =
        body.map_err(|e| AppError::BadRequest(format!("请求体不是有效的JSON：{}", e.body_text())))?;
    input.organ_id = id;
    let done = gongkai_app::applicants::register(&state.app, &user.actor(), &input).await?;
    let r = done.value.record;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({
            "id": r.id,
            "number": r.number,
            "received_on": r.received_on,
            "due_on": r.due_on,
            "query_code": done.value.query_code,
        })),
    )
        .into_response())
}

/// Records a step of an application: the same command (`action` and `fields`, named as the
/// back office's form names them) and the same refusals as the back office and `gongkai
/// application`; a refusal is 400 with every field's message.
async fn application_step(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<gongkai_app::steps::StepInput>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Response> {
    let Json(input) =
        body.map_err(|e| AppError::BadRequest(format!("请求体不是有效的JSON：{}", e.body_text())))?;
    let done = gongkai_app::steps::record(&state.app, &user.actor(), id, &input).await?;
    let r = done.value.record;
    Ok((
        StatusCode::CREATED,
        Json(StepOut {
            number: r.number,
            status: r.status.code().to_string(),
            due_on: r.due_on,
            result: r.result.map(|x| x.label()),
            notice: done.value.notice,
        }),
    )
        .into_response())
}

/// The account of a bearer token.
pub struct ApiUser(pub CurrentUser);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(ApiError(AppError::Unauthorized))?;
        let user = state
            .db
            .api_token_user(&sha256_hex(token))
            .await?
            .ok_or(ApiError(AppError::Unauthorized))?;
        Ok(ApiUser(CurrentUser::from_api(user)))
    }
}

#[derive(Serialize)]
struct OrganOut {
    id: i64,
    code: String,
    name: String,
    parent_id: Option<i64>,
}

async fn organs(State(state): State<AppState>) -> ApiResult<Json<Vec<OrganOut>>> {
    Ok(Json(
        gongkai_app::organs::all(&state.app)
            .await?
            .into_iter()
            .map(|o| OrganOut {
                id: o.id,
                code: o.code,
                name: o.name,
                parent_id: o.parent_id,
            })
            .collect(),
    ))
}

/// An item as the API shows it: the standard metadata.
#[derive(Serialize)]
struct ItemOut {
    id: i64,
    organ_id: i64,
    index_no: String,
    title: String,
    summary: String,
    category: String,
    issuing_unit: String,
    written_on: String,
    published_on: String,
    doc_number: String,
    doc_kind: String,
    validity: String,
    status: String,
}

fn item_out(
    it: &CatalogueItem,
    cats: &[gongkai_domain::records::Category],
    today: NaiveDate,
) -> ItemOut {
    ItemOut {
        id: it.id,
        organ_id: it.organ_id,
        index_no: it.index_no.clone(),
        title: it.title.clone(),
        summary: it.summary.clone(),
        category: category_path(cats, it.category_id),
        issuing_unit: it.issuing_unit.clone(),
        written_on: date(it.written_on),
        published_on: date(it.published_on),
        doc_number: it.doc_number.clone(),
        doc_kind: it.doc_kind.code().to_string(),
        validity: it.validity_on(today).code().to_string(),
        status: it.status.code().to_string(),
    }
}

async fn items(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<ItemOut>>> {
    let (items, cats) = gongkai_app::published::items(&state.app, id).await?;
    let today = state.today();
    Ok(Json(
        items.iter().map(|i| item_out(i, &cats, today)).collect(),
    ))
}

async fn item(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult<Json<ItemOut>> {
    let (it, cats) = gongkai_app::published::item(&state.app, id).await?;
    Ok(Json(item_out(&it, &cats, state.today())))
}

#[derive(Deserialize)]
struct NewItemIn {
    title: String,
    #[serde(default)]
    summary: String,
    /// Category id, or its path such as `政策文件/教育法规`.
    category: serde_json::Value,
    #[serde(default)]
    issuing_unit: String,
    written_on: NaiveDate,
    #[serde(default)]
    doc_number: String,
    #[serde(default)]
    doc_kind: String,
    #[serde(default)]
    body: String,
}

/// Files a new item as a draft; it goes through review like any other.
async fn create_item(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<NewItemIn>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Response> {
    let Json(b) =
        body.map_err(|e| AppError::BadRequest(format!("请求体不是有效的JSON：{}", e.body_text())))?;
    let input = gongkai_app::items::ItemInput {
        title: b.title,
        summary: b.summary,
        body: b.body,
        category: match b.category {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        },
        issuing_unit: b.issuing_unit,
        written_on: b.written_on.to_string(),
        doc_number: b.doc_number,
        doc_kind: b.doc_kind,
    };
    let done = gongkai_app::items::create(&state.app, &user.actor(), id, &input).await?;
    let it = state.refreshed(done).await;
    let cats = gongkai_app::published::categories(&state.app, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(item_out(&it, &cats, state.today())),
    )
        .into_response())
}

#[derive(Deserialize)]
struct ComputedQuery {
    /// `alone` for the organ's own records; its units' are included otherwise.
    #[serde(default)]
    scope: String,
}

/// A year's report computed from the records as it stands now, with every finding: the same
/// figures, texts and findings as `gongkai report` and the back office's draft.
async fn computed_report(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, year)): Path<(i64, i32)>,
    axum::extract::Query(q): axum::extract::Query<ComputedQuery>,
) -> ApiResult<Json<gongkai_domain::report::ReportSet>> {
    let r =
        gongkai_app::reports::view(&state.app, &user.actor(), id, year, q.scope != "alone").await?;
    Ok(Json(gongkai_domain::report::ReportSet { reports: vec![r] }))
}

/// The computed report as a file (pdf, docx, xlsx, html, md, json): the same bytes as
/// `gongkai report` with the same scope and format on the same day.
async fn computed_file(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, year, format)): Path<(i64, i32, String)>,
    axum::extract::Query(q): axum::extract::Query<ComputedQuery>,
) -> ApiResult<Response> {
    let format = gongkai_app::exports::Format::parse(&format).ok_or(AppError::NotFound)?;
    let scope = if q.scope == "alone" {
        gongkai_app::exports::Scope::Alone
    } else {
        gongkai_app::exports::Scope::WithUnits
    };
    let file = gongkai_app::exports::computed(
        &state.app,
        &user.actor(),
        id,
        year,
        scope,
        format,
        &Default::default(),
    )
    .await?;
    Ok(crate::reports::answer(file))
}

/// A published version as a file: the same kept bytes as the portal's download and
/// `gongkai report --published`.
async fn report_file(
    State(state): State<AppState>,
    Path((id, format)): Path<(i64, String)>,
) -> ApiResult<Response> {
    let format = gongkai_app::exports::Format::parse(&format).ok_or(AppError::NotFound)?;
    let file = gongkai_app::exports::published(&state.app, id, format).await?;
    Ok(crate::reports::answer(file))
}

#[derive(Serialize)]
struct ReportOut {
    id: i64,
    year: i32,
    version: i32,
    reason: String,
    published_at: String,
    url: String,
}

async fn reports(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<ReportOut>>> {
    Ok(Json(
        gongkai_app::published::reports(&state.app, id)
            .await?
            .into_iter()
            .map(|r| ReportOut {
                id: r.id,
                year: r.year,
                version: r.version,
                reason: r.reason,
                published_at: r.published_at.to_rfc3339(),
                url: format!("/reports/{}", r.id),
            })
            .collect(),
    ))
}

async fn report(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<gongkai_domain::report::ReportSet>> {
    Ok(Json(gongkai_domain::report::ReportSet {
        reports: vec![gongkai_app::published::report(&state.app, id).await?],
    }))
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// The OpenAPI 3.1 description of the API above.
pub const OPENAPI: &str = include_str!("../static/openapi.json");
