//! The back office, behind login: catalogue items through draft → review → publish, 公示, letters,
//! the annual report (generate, edit texts, preview, publish, correct), registers, the calendar,
//! office settings, users, the audit log and the background jobs. One file per resource; each handler parses the
//! request, checks the session's form token, calls one use case of `gongkai_app` (which checks
//! the permission and writes the change with its audit row in one transaction) and presents the
//! result.

mod audit_log;
mod audit_names;
mod calendar;
mod columns;
mod consultations;
mod dashboard;
mod items;
mod jobs;
mod letters;
mod notices;
mod registers;
mod reports;
mod services;
mod settings;
mod site;
mod site_form;
mod supervision;
mod users;

pub use items::MAX_ATTACHMENT_BYTES;

use crate::AppState;
use crate::auth::{CurrentUser, Perm};
use crate::error::{AppError, AppResult};
use crate::views::OrganLink;
use axum::Router;
use axum::routing::{get, post};
use gongkai_domain::records::Organ;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(dashboard::dashboard))
        .route("/admin/items", get(items::items).post(items::item_create))
        .route("/admin/items/new", get(items::item_new))
        .route(
            "/admin/items/{id}",
            get(items::item_edit).post(items::item_update),
        )
        .route("/admin/items/{id}/transition", post(items::item_transition))
        .route("/admin/items/{id}/validity", post(items::item_validity))
        .route("/admin/items/{id}/link", post(items::item_link))
        .route(
            "/admin/items/{id}/attachments",
            post(items::attachment_upload),
        )
        .route("/admin/attachments/{id}", get(items::attachment_download))
        .route(
            "/admin/notices",
            get(notices::notices).post(notices::notice_create),
        )
        .route("/admin/notices/{id}/publish", post(notices::notice_publish))
        .route(
            "/admin/consultations",
            get(consultations::list).post(consultations::create),
        )
        .route("/admin/consultations/{id}", post(consultations::act))
        .route("/admin/letters", get(letters::letters))
        .route("/admin/letters/{id}", get(letters::letter))
        .route("/admin/letters/{id}/reply", post(letters::letter_reply))
        .route(
            "/admin/reports",
            get(reports::reports_list).post(reports::report_generate),
        )
        .route(
            "/admin/reports/{organ}/{year}",
            get(reports::report_edit).post(reports::report_texts),
        )
        .route(
            "/admin/reports/{organ}/{year}/preview",
            get(reports::report_preview),
        )
        .route(
            "/admin/reports/{organ}/{year}/file/{format}",
            get(reports::report_file),
        )
        .route(
            "/admin/reports/{organ}/{year}/publish",
            post(reports::report_publish),
        )
        .route(
            "/admin/settings",
            get(settings::settings).post(settings::settings_save),
        )
        .route("/admin/users", get(users::users).post(users::user_create))
        .route("/admin/users/{id}", post(users::user_update))
        .route(
            "/admin/users/{id}/password",
            post(users::user_reset_password),
        )
        .route("/admin/users/{id}/grants", post(users::grant_add))
        .route(
            "/admin/users/{id}/grants/{organ}/revoke",
            post(users::grant_remove),
        )
        .route(
            "/admin/password",
            get(users::own_password).post(users::own_password_save),
        )
        .route("/admin/supervision", get(supervision::supervision))
        .route("/admin/site", get(site::site).post(site::site_save))
        .route("/admin/services", get(services::services))
        .route(
            "/admin/services/{matter}",
            get(services::guide).post(services::guide_save),
        )
        .route("/admin/site/badge", post(site::badge_upload))
        .route(
            "/admin/site/annual",
            get(site_form::site_form).post(site_form::site_form_save),
        )
        .route(
            "/admin/columns",
            get(columns::columns).post(columns::column_note),
        )
        .route(
            "/admin/supervision/{organ}/{what}",
            get(supervision::supervision_list),
        )
        .route(
            "/admin/supervision.xlsx",
            get(supervision::supervision_xlsx),
        )
        .route(
            "/admin/tokens",
            get(users::tokens).post(users::token_create),
        )
        .route("/admin/tokens/{id}/revoke", post(users::token_revoke))
        .route("/admin/audit", get(audit_log::audit_log))
        .route("/admin/jobs", get(jobs::jobs))
        .merge(registers::routes())
        .merge(calendar::routes())
}

#[derive(Deserialize, Default)]
pub struct OrganQuery {
    #[serde(default)]
    pub organ: String,
}

/// The organ a list page shows: the one asked for if the person may see it, else their first.
pub async fn pick_organ(
    state: &AppState,
    user: &CurrentUser,
    q: &OrganQuery,
) -> AppResult<(Organ, Vec<OrganLink>)> {
    let mine = user.organs(state).await?;
    let links = mine.iter().map(OrganLink::from).collect();
    let organ = match q.organ.trim().parse::<i64>() {
        Ok(id) => {
            user.require(state, Perm::View, id).await?;
            gongkai_app::organs::get(&state.app, id).await?
        }
        Err(_) => mine.into_iter().next().ok_or(AppError::NotFound)?,
    };
    Ok((organ, links))
}

/// The organ a form names (its hidden `organ` field).
pub fn organ_of_form(organ: &str) -> AppResult<i64> {
    organ
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("未指定机关".into()))
}

/// The messages of a use case's field errors, for a form that lists them.
pub fn messages(e: &gongkai_app::Error) -> Vec<String> {
    match e {
        gongkai_app::Error::Invalid(v) => v.iter().map(|f| f.message.clone()).collect(),
        other => vec![other.to_string()],
    }
}

/// Reads an upload form: its CSRF token and the file of its `file` field (named by the last
/// component of what the browser calls it), if one was sent.
pub(crate) async fn read_upload(
    multipart: axum::extract::Multipart,
) -> AppResult<(String, Option<(String, Vec<u8>)>)> {
    let (mut fields, file) = read_upload_fields(multipart).await?;
    Ok((fields.remove("csrf").unwrap_or_default(), file))
}

/// Reads an upload form with its other fields (an item form uploading beside its edits): the
/// text fields by name, and the file of its `file` field, if one was sent.
pub(crate) async fn read_upload_fields(
    mut multipart: axum::extract::Multipart,
) -> AppResult<(
    std::collections::BTreeMap<String, String>,
    Option<(String, Vec<u8>)>,
)> {
    let mut fields = std::collections::BTreeMap::new();
    let mut file = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(format!("上传的表单无法读取：{e}")))?
    {
        match field.name().map(str::to_string) {
            Some(name) if name == "file" => {
                let name = field
                    .file_name()
                    .unwrap_or("")
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string();
                let data = field.bytes().await.map_err(|_| {
                    AppError::BadRequest(format!(
                        "文件不能超过{}MB",
                        gongkai_app::items::MAX_ATTACHMENT_BYTES / 1024 / 1024
                    ))
                })?;
                file = Some((name, data.to_vec()));
            }
            Some(name) => {
                let text = field.text().await.unwrap_or_default();
                fields.insert(name, text);
            }
            None => {}
        }
    }
    Ok((fields, file))
}

/// A page of a long list: which page, how many, and the links to the others.
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    /// The list's address with its filters, ending in `?…&` or `?`, to which `page=N` is added.
    pub base: String,
}

impl Pager {
    /// The page asked for (`?page=`), clamped to the pages there are once `total` is known.
    pub fn page_asked(param: &str) -> i64 {
        param.trim().parse::<i64>().unwrap_or(1).clamp(1, 1_000_000)
    }

    pub fn new(page: i64, total: i64, size: i64, base: String) -> Pager {
        Pager {
            page,
            pages: ((total + size - 1) / size).max(1),
            total,
            base,
        }
    }

    pub fn prev(&self) -> String {
        format!("{}page={}", self.base, self.page - 1)
    }

    pub fn next(&self) -> String {
        format!("{}page={}", self.base, self.page + 1)
    }
}

/// Percent-encodes a query parameter's value.
pub use crate::views::percent_encode as enc;
