//! The audit log: who changed what, before and after, in Chinese; filtered by person, action and
//! date, a page at a time.

use crate::AppState;
use crate::auth::{CurrentUser, Perm};
use crate::error::AppResult;
use crate::views::{Ctx, page};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{NaiveDate, TimeZone};
use gongkai_store::users::AuditQuery;
use serde::Deserialize;

/// Entries per page.
pub const PAGE_SIZE: i64 = 50;

pub struct AuditView {
    pub at: String,
    pub username: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Vec<String>,
    pub after: Vec<String>,
    /// Section texts changed, as one diff (then `before` and `after` are empty).
    pub diff: Vec<super::audit_names::SectionDiff>,
}

#[derive(Deserialize, Default)]
pub struct AuditFilter {
    #[serde(default)]
    user: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    page: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    ctx: Ctx,
    entries: Vec<AuditView>,
    user: String,
    action: String,
    from: String,
    to: String,
    /// (code, Chinese name) of the actions one may filter by.
    actions: Vec<(String, String)>,
    page: i64,
    pages: i64,
    total: i64,
    /// The query string of the filter, for the paging links.
    query: String,
    error: String,
}

pub(super) async fn audit_log(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<AuditFilter>,
) -> AppResult<Response> {
    // The organs where the account's role there may read the log (a supervisor granted over
    // another organ reads that organ's; an editor at home does not read home's).
    user.require_held(Perm::Audit)?;
    let zone = state.app.time.zone();
    let mut error = String::new();
    let mut day = |s: &str, what: &str| -> Option<NaiveDate> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        if d.is_none() {
            error = format!("{what}“{s}”格式不对，应为 年-月-日");
        }
        d
    };
    let from = day(&f.from, "起始日期");
    let to = day(&f.to, "截止日期");
    let start = |d: NaiveDate| {
        zone.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
            .single()
            .map(|t| t.to_utc())
    };
    let page_no = f.page.trim().parse::<i64>().unwrap_or(1).max(1);
    let q = AuditQuery {
        organs: None,
        username: f.user.trim().to_string(),
        action: f.action.trim().to_string(),
        from: from.and_then(start),
        to: to.and_then(|d| d.succ_opt()).and_then(start),
        limit: PAGE_SIZE,
        offset: (page_no - 1) * PAGE_SIZE,
    };
    let (rows, total) = gongkai_app::office::audit_log(&state.app, &user.actor(), q).await?;
    let names = super::audit_names::Names {
        organs: gongkai_app::organs::all(&state.app)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect(),
    };
    let entries = rows
        .into_iter()
        .map(|e| {
            let r = names.change(
                &e.entity,
                e.before_json.as_deref().unwrap_or(""),
                e.after_json.as_deref().unwrap_or(""),
            );
            (e, r)
        })
        .map(|(e, r)| AuditView {
            at: e
                .at
                .with_timezone(&zone)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            username: e.username,
            action: super::audit_names::action(&e.action),
            entity: super::audit_names::entity(&e.entity),
            entity_id: e.entity_id,
            before: r.before,
            after: r.after,
            diff: r.diff,
        })
        .collect();
    let enc = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    let query = format!(
        "user={}&action={}&from={}&to={}",
        enc(f.user.trim()),
        enc(f.action.trim()),
        enc(f.from.trim()),
        enc(f.to.trim())
    );
    page(&AuditPage {
        ctx: Ctx::admin("操作日志", &user),
        entries,
        user: f.user.trim().to_string(),
        action: f.action.trim().to_string(),
        from: f.from.trim().to_string(),
        to: f.to.trim().to_string(),
        actions: gongkai_app::audit::Action::ALL
            .iter()
            .map(|a| (a.code().to_string(), a.name().to_string()))
            .collect(),
        page: page_no,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        total,
        query,
        error,
    })
}
