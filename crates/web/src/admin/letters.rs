//! Letters written on the portal, and the office's replies: a list a page at a time (the
//! unanswered only, from the 工作台's tile), and one page per letter with the writer's name and
//! contact for those who handle letters (never on a public page).

use super::{Pager, pick_organ};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::views::{Ctx, OrganLink, date, page};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_store::portal::PortalLetter;
use serde::Deserialize;

/// Letters per page of the list.
pub const PAGE_SIZE: i64 = 30;

pub struct LetterAdminView {
    pub id: i64,
    pub code: String,
    pub subject: String,
    pub body: String,
    pub received_on: String,
    pub reply: String,
    pub replied_on: String,
    pub public: bool,
    /// The writer agreed that the letter and its reply may be published.
    pub consent: bool,
}

impl From<PortalLetter> for LetterAdminView {
    fn from(l: PortalLetter) -> LetterAdminView {
        LetterAdminView {
            id: l.letter_id,
            code: l.query_code,
            subject: l.subject,
            body: l.body,
            received_on: l.received_on.to_string(),
            reply: l.reply,
            replied_on: date(l.replied_on),
            public: l.reply_public != 0,
            consent: l.publish_consent != 0,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/letters.html")]
struct LettersAdmin {
    ctx: Ctx,
    organ: OrganLink,
    organs: Vec<OrganLink>,
    letters: Vec<LetterAdminView>,
    open_only: bool,
    pager: Pager,
}

#[derive(Deserialize, Default)]
pub struct LettersQuery {
    #[serde(default)]
    organ: String,
    /// Non-empty: only the letters not yet answered.
    #[serde(default)]
    open: String,
    #[serde(default)]
    page: String,
}

pub(super) async fn letters(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<LettersQuery>,
) -> AppResult<Response> {
    let (organ, organs) = pick_organ(
        &state,
        &user,
        &super::OrganQuery {
            organ: q.organ.clone(),
        },
    )
    .await?;
    let open_only = !q.open.trim().is_empty();
    let page_no = Pager::page_asked(&q.page);
    let (rows, total) = gongkai_app::office::letters(
        &state.app,
        &user.actor(),
        organ.id,
        open_only,
        PAGE_SIZE,
        (page_no - 1) * PAGE_SIZE,
    )
    .await?;
    let base = format!(
        "/admin/letters?organ={}&open={}&",
        organ.id,
        if open_only { "1" } else { "" }
    );
    page(&LettersAdmin {
        ctx: Ctx::admin("来信办理", &user),
        organ: OrganLink::from(&organ),
        organs,
        letters: rows.into_iter().map(LetterAdminView::from).collect(),
        open_only,
        pager: Pager::new(page_no, total, PAGE_SIZE, base),
    })
}

#[derive(Template)]
#[template(path = "admin/letter.html")]
struct LetterPage {
    ctx: Ctx,
    organ: OrganLink,
    letter: LetterAdminView,
    can_handle: bool,
    /// The writer's name and contact, for those who handle letters (empty for others).
    writer: String,
    contact: String,
    /// While unanswered: the reply date, provisional when next year's holidays are not loaded.
    due: String,
}

pub(super) async fn letter(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let gongkai_app::office::Letter {
        letter: l,
        organ,
        can_handle,
        writer: (writer, contact),
    } = gongkai_app::office::letter(&state.app, &user.actor(), id).await?;
    let due = if l.replied_on.is_none() {
        gongkai_app::letters::reply_due_on(&state.app, l.received_on)
            .await?
            .map(|(d, p)| gongkai_domain::application::clock::due_words(Some(d), p))
            .unwrap_or_default()
    } else {
        String::new()
    };
    page(&LetterPage {
        due,
        ctx: Ctx::admin(format!("来信 - {}", l.subject), &user),
        organ: OrganLink::from(&organ),
        letter: LetterAdminView::from(l),
        can_handle,
        writer,
        contact,
    })
}

#[derive(Deserialize)]
pub struct ReplyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reply: String,
    #[serde(default)]
    public: String,
}

pub(super) async fn letter_reply(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<ReplyForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let done = gongkai_app::letters::reply(
        &state.app,
        &user.actor(),
        id,
        &f.reply,
        !f.public.is_empty(),
    )
    .await?;
    state.refreshed(done).await;
    user.flash(&state, "答复已保存").await;
    Ok(Redirect::to(&format!("/admin/letters/{id}")).into_response())
}
