//! An organ's mailbox on the portal (the 局长信箱 of a bureau, the 校长信箱 of a school: named by
//! `gongkai_app::letters::mailbox_name`), with its rules and reply time stated: the form (with the application form's protections: a one-time
//! token from which the query code is derived, every error at once beside its field, the contact
//! checked as a phone number or an e-mail address, the writer asked whether the letter may be
//! published, the reply time stated), the receipt as a GET page (Post/Redirect/Get: a reload files
//! nothing), the lookup by query code and the letters published with their replies.

use super::forms::{ByCode, FieldErrors, Submission, form_page, no_store, receipt_lookup};
use super::organ_or_404;
use crate::AppState;
use crate::auth::{self, MaybeUser};
use crate::error::{AppError, AppResult};
use crate::ratelimit::{self, ClientIp};
use crate::views::{Ctx, OrganLink, date, page};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use gongkai_app::letters::REPLY_WORKING_DAYS;
use gongkai_domain::records::Organ;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/o/{organ}/letters", get(letters).post(letter_submit))
        .route("/letters/lookup", get(letter_lookup))
}

/// The receipt, beside the application's: never cached nor read from a replica (it is looked up
/// by query code, under the lookup throttle, right after a write).
pub fn receipt_routes() -> Router<AppState> {
    Router::new().route("/letters/receipt", get(letter_receipt))
}

#[derive(Deserialize, Default, Clone)]
pub struct LetterForm {
    #[serde(default)]
    csrf: String,
    /// The form's one-time token: the query code is derived from it.
    #[serde(default)]
    once: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    /// `yes` / `no`; empty until the writer chooses.
    #[serde(default)]
    publish: String,
}

pub struct PublicLetter {
    pub subject: String,
    pub body: String,
    pub received_on: String,
    pub reply: String,
    pub replied_on: String,
    /// While unanswered: the reply date, `预计…（以节假日安排为准）` when provisional.
    pub due: String,
}

#[derive(Template)]
#[template(path = "letters.html")]
struct LettersPage {
    ctx: Ctx,
    organ: OrganLink,
    form: LetterForm,
    errors: FieldErrors,
    letters: Vec<PublicLetter>,
    reply_days: u32,
}

async fn letters_page(
    state: &AppState,
    user: Option<auth::CurrentUser>,
    headers: &HeaderMap,
    organ: &Organ,
    form: LetterForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let letters = state
        .db
        .portal_letters(organ.id, false)
        .await?
        .into_iter()
        .map(|l| PublicLetter {
            subject: l.subject,
            body: l.body,
            received_on: l.received_on.to_string(),
            reply: l.reply,
            replied_on: date(l.replied_on),
            due: String::new(),
        })
        .collect();
    let title = format!(
        "{}{}",
        organ.name,
        gongkai_app::letters::mailbox_name(&organ.name)
    );
    form_page(state, headers, &user, title, !errors.is_empty(), |ctx| {
        LettersPage {
            ctx,
            organ: OrganLink::from(organ),
            form,
            errors,
            letters,
            reply_days: REPLY_WORKING_DAYS,
        }
    })
}

async fn letters(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let organ = organ_or_404(&state, id).await?;
    let form = LetterForm {
        once: auth::random_token(),
        ..Default::default()
    };
    letters_page(&state, user, &headers, &organ, form, FieldErrors::default()).await
}

async fn letter_submit(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(mut f): Form<LetterForm>,
) -> AppResult<Response> {
    let organ = organ_or_404(&state, id).await?;
    let sub = Submission {
        state: &state,
        user: &user,
        ip,
        kind: ratelimit::Kind::Letter,
        organ: id,
    };
    let mailbox = gongkai_app::letters::mailbox_name(&organ.name);
    let code = sub.code(&headers, &f.csrf, &f.once, "gongkai-letter", mailbox)?;
    let receipt = Redirect::to(&format!("/letters/receipt?code={code}")).into_response();
    // Filed already (the same form sent again): show the receipt of that one letter.
    if gongkai_app::letters::by_code(&state.app, &code)
        .await?
        .is_some()
    {
        return Ok(receipt);
    }
    // Counted as accepted now, given back below if the letter is sent back with its mistakes
    // (only accepted submissions count against the address's limit).
    if let Some((refused, errors)) = sub.over_limit().await {
        f.csrf.clear();
        let page = letters_page(&state, user, &headers, &organ, f, errors).await?;
        return Ok(refused.apply(page));
    }
    let new = gongkai_app::letters::NewLetter {
        organ_id: id,
        name: f.name.clone(),
        contact: f.contact.clone(),
        subject: f.subject.clone(),
        body: f.body.clone(),
        publish_consent: match f.publish.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
    };
    match gongkai_app::letters::write(&state.app, &gongkai_app::Actor::Public, new, &code).await {
        Ok(_) => Ok(receipt),
        Err(gongkai_app::Error::Invalid(list)) => {
            let errors = sub.sent_back(list).await;
            f.csrf.clear();
            letters_page(&state, user, &headers, &organ, f, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct CodeQuery {
    #[serde(default)]
    code: String,
}

#[derive(Template)]
#[template(path = "letter_receipt.html")]
struct LetterReceipt {
    ctx: Ctx,
    organ: OrganLink,
    code: String,
    received_on: String,
    reply_days: u32,
    /// The reply date (empty when the calendar cannot count at all).
    due_on: String,
    /// Whether that date is provisional (next year's holidays not published yet).
    provisional: bool,
    publish_consent: bool,
}

/// The receipt after writing (the Get of Post/Redirect/Get): reloading it files nothing.
async fn letter_receipt(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ClientIp(ip): ClientIp,
    Query(q): Query<CodeQuery>,
) -> AppResult<Response> {
    let app = &state.app;
    let find = |code: String| async move { Ok(gongkai_app::letters::by_code(app, &code).await?) };
    let (code, l) = match receipt_lookup(&state, &user, ip, &q.code, find).await? {
        ByCode::Refused(page) => return Ok(page),
        ByCode::Looked { code, found } => (code, found.ok_or(AppError::NotFound)?),
    };
    let organ = organ_or_404(&state, l.organ_id).await?;
    let due = gongkai_app::letters::reply_due_on(&state.app, l.received_on).await?;
    Ok(no_store(page(&LetterReceipt {
        ctx: Ctx::public("来信已收到", &user, ""),
        organ: OrganLink::from(&organ),
        code,
        received_on: super::cn_date(l.received_on),
        reply_days: REPLY_WORKING_DAYS,
        due_on: due.map(|(d, _)| super::cn_date(d)).unwrap_or_default(),
        provisional: due.is_some_and(|(_, p)| p),
        publish_consent: l.publish_consent != 0,
    })?))
}

#[derive(Template)]
#[template(path = "letter_lookup.html")]
struct LetterLookupPage {
    ctx: Ctx,
    code: String,
    found: Option<PublicLetter>,
    searched: bool,
}

async fn letter_lookup(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ClientIp(ip): ClientIp,
    Query(q): Query<CodeQuery>,
) -> AppResult<Response> {
    let app = &state.app;
    let find = |code: String| async move { Ok(gongkai_app::letters::by_code(app, &code).await?) };
    let (code, letter) = match receipt_lookup(&state, &user, ip, &q.code, find).await? {
        ByCode::Refused(page) => return Ok(page),
        ByCode::Looked { code, found } => (code, found),
    };
    let found = match letter {
        Some(l) => {
            let due = if l.replied_on.is_none() {
                gongkai_app::letters::reply_due_on(&state.app, l.received_on)
                    .await?
                    .map(|(d, p)| gongkai_domain::application::clock::due_words(Some(d), p))
                    .unwrap_or_default()
            } else {
                String::new()
            };
            Some(PublicLetter {
                subject: l.subject,
                body: String::new(),
                received_on: l.received_on.to_string(),
                reply: l.reply,
                replied_on: date(l.replied_on),
                due,
            })
        }
        None => None,
    };
    page(&LetterLookupPage {
        ctx: Ctx::public("来信办理查询", &user, ""),
        searched: !code.is_empty(),
        code,
        found,
    })
}
