//! The audit log: who changed what, before and after.

use crate::AppState;
use crate::auth::{CurrentUser, Perm};
use crate::error::AppResult;
use crate::views::{Ctx, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;

pub struct AuditView {
    pub at: String,
    pub username: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Vec<String>,
    pub after: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    ctx: Ctx,
    entries: Vec<AuditView>,
}

pub(super) async fn audit_log(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Response> {
    user.require_role(Perm::Audit)?;
    let entries = match user.user.organ_id {
        None => state.db.audit_entries(None, 200).await?,
        Some(_) => {
            let mut v = Vec::new();
            for o in user.organs(&state).await? {
                v.extend(state.db.audit_entries(Some(o.id), 200).await?);
            }
            v.sort_by_key(|b| std::cmp::Reverse(b.id));
            v
        }
    };
    let entries = entries
        .into_iter()
        .map(|e| AuditView {
            at: (e.at + chrono::Duration::hours(8))
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            username: e.username,
            action: super::audit_names::action(&e.action),
            entity: super::audit_names::entity(&e.entity),
            entity_id: e.entity_id,
            before: super::audit_names::readable(&e.before_json.unwrap_or_default()),
            after: super::audit_names::readable(&e.after_json.unwrap_or_default()),
        })
        .collect();
    page(&AuditPage {
        ctx: Ctx::admin("操作日志", &user),
        entries,
    })
}
