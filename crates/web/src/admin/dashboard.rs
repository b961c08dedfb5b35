//! 工作台: what is waiting, and which items near or pass art. 26's 20 working days.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::views::{Ctx, ItemView, OrganLink, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use gongkai_domain::records::{ItemStatus, Timeliness};

pub struct WarnRow {
    pub item: ItemView,
    pub warning: String,
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct Dashboard {
    ctx: Ctx,
    organs: Vec<OrganLink>,
    role: String,
    drafts: usize,
    in_review: usize,
    warnings: Vec<WarnRow>,
    open_letters: usize,
}

pub(super) async fn dashboard(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Response> {
    let organs = user.organs(&state).await?;
    let today = state.today();
    let cal = state.db.calendar().await?;
    let (mut drafts, mut in_review, mut warnings, mut open_letters) = (0, 0, Vec::new(), 0);
    let ids: Vec<i64> = organs.iter().map(|o| o.id).collect();
    let mut cats = std::collections::BTreeMap::new();
    for it in state.db.items_in_progress(&ids).await? {
        match it.status {
            ItemStatus::Draft => drafts += 1,
            ItemStatus::InReview => in_review += 1,
            _ => {}
        }
        let w = Timeliness::of(&it, today, &cal).warning();
        if !w.is_empty() {
            if let std::collections::btree_map::Entry::Vacant(e) = cats.entry(it.organ_id) {
                e.insert(state.db.categories(it.organ_id).await?);
            }
            warnings.push(WarnRow {
                item: ItemView::new(&it, &cats[&it.organ_id], today),
                warning: w,
            });
        }
    }
    for o in &organs {
        open_letters += state
            .db
            .portal_letters(o.id, true)
            .await?
            .iter()
            .filter(|l| l.replied_on.is_none())
            .count();
    }
    page(&Dashboard {
        ctx: Ctx::admin("管理后台", &user),
        organs: organs.iter().map(OrganLink::from).collect(),
        role: user.user.role.label().to_string(),
        drafts,
        in_review,
        warnings,
        open_letters,
    })
}
