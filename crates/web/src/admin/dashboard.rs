//! 工作台, per role: for those who handle applications, the cases due within
//! [`DUE_SOON_DAYS`](gongkai_app::cases::DUE_SOON_DAYS) working days or overdue, first; for
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
    /// Per organ, the columns an inspector would mark (`path：problem`).
    columns: Vec<(OrganLink, Vec<String>)>,
}

pub(super) async fn dashboard(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Response> {
    let d = gongkai_app::office::dashboard(&state.app, &user.actor()).await?;
    let today = d.today;
    let view = |it: &gongkai_domain::records::CatalogueItem| {
        ItemView::new(
            it,
            d.categories.get(&it.organ_id).map_or(&[][..], |c| &c[..]),
            today,
        )
    };
    let review = d
        .review
        .iter()
        .map(|w| ReviewRow {
            item: view(&w.item),
            organ: w.organ.clone(),
            since: w
                .since
                .map(|s| s.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
            age: match (w.days, w.working_days) {
                (None, _) => String::new(),
                (Some(0), _) => "今天提交".to_string(),
                (Some(d), Some(wd)) => format!("已等待{d}天（{wd}个工作日）"),
                (Some(d), None) => format!("已等待{d}天"),
            },
        })
        .collect();
    let warnings = d
        .warnings
        .iter()
        .map(|(it, w)| WarnRow {
            item: view(it),
            warning: w.clone(),
        })
        .collect();
    let cases: Vec<(String, CaseRow)> = d
        .cases
        .iter()
        .map(|(o, s)| (o.name.clone(), case_row(s)))
        .collect();
    let letters = d
        .letters
        .iter()
        .map(|l| LetterDue {
            id: l.id,
            organ: l.organ.clone(),
            subject: l.subject.clone(),
            received_on: l.received_on.to_string(),
            due: l
                .due
                .map(|(d, p)| gongkai_domain::application::clock::due_words(Some(d), p))
                .unwrap_or_default(),
            overdue: l.overdue,
        })
        .collect();
    let mut columns = Vec::new();
    for o in &d.organs {
        let problems: Vec<String> = gongkai_app::columns::check(&state.app, &user.actor(), o.id)
            .await?
            .into_iter()
            .filter_map(|c| Some(format!("{}：{}", c.path, c.problem?.label())))
            .collect();
        if !problems.is_empty() {
            columns.push((OrganLink::from(o), problems));
        }
    }
    page(&Dashboard {
        columns,
        ctx: Ctx::admin("管理后台", &user),
        organs: d.organs.iter().map(OrganLink::from).collect(),
        role: user.user.role.label().to_string(),
        can_edit: d.can_edit,
        can_review: d.can_review,
        can_handle: d.can_handle,
        drafts: d.drafts,
        in_review: d.in_review,
        warnings,
        open_letters: d.open_letters,
        letters,
        cases,
        review,
        calendar_warning: gongkai_domain::calendar::missing_year_warning(
            &d.calendar,
            today,
            Perm::System.allowed(user.user.role),
        )
        .unwrap_or_default(),
    })
}
