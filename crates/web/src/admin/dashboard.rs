//! 工作台, per role: for those who handle applications, the cases due within
//! [`DUE_SOON_DAYS`](crate::applications::DUE_SOON_DAYS) working days or overdue, first; for
//! reviewers, the items waiting for review with how long they have waited; for everyone, what is
//! waiting that they may act on, and which items near or pass art. 26's 20 working days.

use crate::AppState;
use crate::applications::{CaseRow, case_row};
use crate::auth::{CurrentUser, Perm};
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

/// A letter not yet answered, with the date its reply is due (provisional when next year's
/// holidays are not loaded yet).
pub struct LetterDue {
    pub id: i64,
    pub organ: String,
    pub subject: String,
    pub received_on: String,
    pub due: String,
    pub overdue: bool,
}

/// An item waiting for review, and since when.
pub struct ReviewRow {
    pub item: ItemView,
    pub organ: String,
    pub since: String,
    pub age: String,
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct Dashboard {
    ctx: Ctx,
    organs: Vec<OrganLink>,
    role: String,
    can_edit: bool,
    can_review: bool,
    can_handle: bool,
    drafts: usize,
    in_review: usize,
    warnings: Vec<WarnRow>,
    open_letters: usize,
    /// Letters not yet answered, the earliest due first (handlers only).
    letters: Vec<LetterDue>,
    /// Cases overdue or due soon, most urgent first (handlers only).
    cases: Vec<(String, CaseRow)>,
    review: Vec<ReviewRow>,
    /// From 1 November, next year's calendar missing (empty when not).
    calendar_warning: String,
}

pub(super) async fn dashboard(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Response> {
    let organs = user.organs(&state).await?;
    let today = state.today();
    let cal = state.db.calendar().await?;
    let (mut can_edit, mut can_review, mut can_handle) = (false, false, false);
    let (mut review_organs, mut handle_organs) = (Vec::new(), Vec::new());
    for o in &organs {
        can_edit |= user.can(&state, Perm::Edit, o.id).await?;
        if user.can(&state, Perm::Review, o.id).await? {
            can_review = true;
            review_organs.push(o.id);
        }
        if user.can(&state, Perm::Handle, o.id).await? {
            can_handle = true;
            handle_organs.push(o.id);
        }
    }
    let name_of = |id: i64| {
        organs
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.name.clone())
            .unwrap_or_default()
    };

    let (mut drafts, mut in_review, mut warnings, mut open_letters) = (0, 0, Vec::new(), 0);
    let mut review = Vec::new();
    let ids: Vec<i64> = organs.iter().map(|o| o.id).collect();
    let mut cats = std::collections::BTreeMap::new();
    // When each item was last sent for review, from the audit log of the organs reviewed.
    let mut submitted = std::collections::HashMap::new();
    for o in &review_organs {
        for e in state.db.audit_entries(Some(*o), 2000).await? {
            if e.action == "submit" && e.entity == "catalogue_item" {
                submitted.entry(e.entity_id.clone()).or_insert(e.at);
            }
        }
    }
    for it in state.db.items_in_progress(&ids).await? {
        match it.status {
            ItemStatus::Draft => drafts += 1,
            ItemStatus::InReview => in_review += 1,
            _ => {}
        }
        if let std::collections::btree_map::Entry::Vacant(e) = cats.entry(it.organ_id) {
            e.insert(state.db.categories(it.organ_id).await?);
        }
        if it.status == ItemStatus::InReview && review_organs.contains(&it.organ_id) {
            let since = submitted
                .get(&it.id.to_string())
                .map(|at| at.with_timezone(&state.app.time.zone()).naive_local());
            let age = since.map(|s| {
                let days = (today - s.date()).num_days();
                let working = cal.working_days_between(s.date(), today).ok();
                match (days, working) {
                    (0, _) => "今天提交".to_string(),
                    (d, Some(w)) => format!("已等待{d}天（{w}个工作日）"),
                    (d, None) => format!("已等待{d}天"),
                }
            });
            review.push(ReviewRow {
                item: ItemView::new(&it, &cats[&it.organ_id], today),
                organ: name_of(it.organ_id),
                since: since
                    .map(|s| s.format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_default(),
                age: age.unwrap_or_default(),
            });
        }
        let w = Timeliness::of(&it, today, &cal).warning();
        if !w.is_empty() {
            warnings.push(WarnRow {
                item: ItemView::new(&it, &cats[&it.organ_id], today),
                warning: w,
            });
        }
    }
    // Longest waiting first; those with no submission on record last.
    review.sort_by(|a, b| (a.since.is_empty(), &a.since).cmp(&(b.since.is_empty(), &b.since)));

    let mut cases = Vec::new();
    let mut letters = Vec::new();
    for o in &handle_organs {
        for r in state.db.applications(Some(*o), None).await? {
            if !r.status.is_open() {
                continue;
            }
            let row = case_row(&state, &r).await?;
            if !row.alert.is_empty() {
                cases.push((name_of(*o), row));
            }
        }
        for l in state
            .db
            .portal_letters(*o, true)
            .await?
            .into_iter()
            .filter(|l| l.replied_on.is_none())
        {
            open_letters += 1;
            let due = gongkai_app::letters::reply_due(&cal, l.received_on);
            letters.push((
                due.map(|(d, _)| d),
                LetterDue {
                    id: l.letter_id,
                    organ: name_of(*o),
                    subject: l.subject,
                    received_on: l.received_on.to_string(),
                    due: due
                        .map(|(d, p)| gongkai_domain::application::clock::due_words(Some(d), p))
                        .unwrap_or_default(),
                    overdue: due.is_some_and(|(d, _)| d < today),
                },
            ));
        }
    }
    letters.sort_by_key(|(d, _)| *d);
    let letters: Vec<LetterDue> = letters.into_iter().map(|(_, l)| l).take(20).collect();
    cases.sort_by(|(_, a), (_, b)| {
        (a.alert != "overdue", &a.due_on).cmp(&(b.alert != "overdue", &b.due_on))
    });
    page(&Dashboard {
        ctx: Ctx::admin("管理后台", &user),
        organs: organs.iter().map(OrganLink::from).collect(),
        role: user.user.role.label().to_string(),
        can_edit,
        can_review,
        can_handle,
        drafts,
        in_review,
        warnings,
        open_letters,
        letters,
        cases,
        review,
        calendar_warning: gongkai_domain::calendar::missing_year_warning(
            &cal,
            today,
            Perm::System.allowed(user.user.role),
        )
        .unwrap_or_default(),
    })
}
