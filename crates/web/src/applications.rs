//! Disclosure on application (依申请公开), the handlers' back office (the public online form, its
//! receipt and the status lookup are in `public.rs`) — paper
//! registration, the due-soon/overdue dashboard, the case file with its deadline trace, and the
//! workflow steps (补正, extension, decision, withdrawal) judged by the domain workflow.

use crate::AppState;
use crate::admin::{OrganQuery, pick_organ};
use crate::auth::{CurrentUser, Perm};
use crate::error::{AppError, AppResult};
use crate::views::{Ctx, OrganLink, page};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gongkai_app::cases::{CaseState, Urgency};
use gongkai_domain::application::clock::due_words;
use gongkai_domain::application::events::{Channel, DeliveryMethod, EventKind};
use gongkai_domain::application::{ApplicantType, ReplyResult};
use serde::Deserialize;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/applications", get(dashboard).post(register_paper))
        .route("/admin/applications/new", get(new_paper))
        .route("/admin/applications/{id}", get(case_file))
        .route("/admin/applications/{id}/event", post(record_event))
        .route("/admin/applications/{id}/void", post(void_step))
        .route("/admin/applications/{id}/receipt", get(acknowledgement))
        .route("/admin/applications/{id}/files", post(release_file))
        .route("/admin/applications/{id}/files/{file}", get(released_file))
        .route(
            "/admin/applications/{id}/notices/{seq}",
            get(notice_download),
        )
}

fn applicant_types() -> Vec<(String, String)> {
    ApplicantType::ALL
        .iter()
        .map(|t| {
            (
                serde_json::to_value(t)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                t.label().to_string(),
            )
        })
        .collect()
}

/// What the office copies from a paper application (checked by the application layer's one
/// validator, `gongkai_app::applicants`, as the online form and the command line are).
#[derive(Deserialize, Default, Clone)]
pub struct ApplyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    organ: String,
    #[serde(default)]
    applicant_type: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    id_kind: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    form: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    submitted_on: String,
    #[serde(default)]
    received_on: String,
}

// The public online form, its receipt and the status lookup live in `public.rs`
// (`public::apply_routes`).

// ------------------------------------------------------------------------------------ back office

pub struct CaseRow {
    pub id: i64,
    pub number: String,
    pub applicant: String,
    pub channel: String,
    pub received_on: String,
    pub status: String,
    pub due_on: String,
    pub days_left: String,
    /// `overdue`, `soon` or empty.
    pub alert: String,
}

/// A case as the lists show it; how pressing it is was decided by `gongkai_app::cases`.
pub(crate) fn case_row(s: &CaseState) -> CaseRow {
    let (r, c, provisional) = (&s.record, &s.clock, s.provisional);
    let alert = match s.urgency {
        Urgency::Overdue => "overdue",
        Urgency::Soon => "soon",
        Urgency::Calm => "",
    };
    CaseRow {
        id: r.id,
        number: r.number.clone(),
        applicant: r.masked_name(),
        channel: r.channel.label().to_string(),
        received_on: r.received_on.to_string(),
        status: r.status.label().to_string(),
        due_on: due_words(c.due, provisional),
        days_left: match c.days_left {
            Some(d) if d < 0 => format!("已逾期{}个工作日", -d),
            Some(d) => format!("剩余{d}个工作日"),
            None => String::new(),
        },
        alert: alert.to_string(),
    }
}

#[derive(Template)]
#[template(path = "admin/applications.html")]
struct Dashboard {
    ctx: Ctx,
    organ: OrganLink,
    organs: Vec<OrganLink>,
    open: Vec<CaseRow>,
    closed: Vec<CaseRow>,
    overdue: usize,
    soon: usize,
    can_handle: bool,
    /// Pages of the closed cases.
    pager: crate::admin::Pager,
}

/// Closed cases per page of the list (open ones are all shown, most urgent first).
pub const CLOSED_PAGE_SIZE: i64 = 30;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    organ: String,
    #[serde(default)]
    page: String,
}

async fn dashboard(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let (organ, organs) = pick_organ(
        &state,
        &user,
        &OrganQuery {
            organ: q.organ.clone(),
        },
    )
    .await?;
    // Open cases most urgent first; newest closed first, one page of them (only those rows'
    // clocks are computed).
    let page_no = crate::admin::Pager::page_asked(&q.page);
    let desk = gongkai_app::cases::desk(
        &state.app,
        &user.actor(),
        organ.id,
        page_no,
        CLOSED_PAGE_SIZE,
    )
    .await?;
    let pager = crate::admin::Pager::new(
        page_no,
        desk.closed_total,
        CLOSED_PAGE_SIZE,
        format!("/admin/applications?organ={}&", organ.id),
    );
    let open: Vec<CaseRow> = desk.open.iter().map(case_row).collect();
    let closed: Vec<CaseRow> = desk.closed.iter().map(case_row).collect();
    page(&Dashboard {
        pager,
        ctx: Ctx::admin("依申请公开", &user),
        overdue: open.iter().filter(|r| r.alert == "overdue").count(),
        soon: open.iter().filter(|r| r.alert == "soon").count(),
        can_handle: user.can(&state, Perm::Handle, organ.id).await?,
        organ: OrganLink::from(&organ),
        organs,
        open,
        closed,
    })
}

#[derive(Template)]
#[template(path = "admin/application_new.html")]
struct NewPaper {
    ctx: Ctx,
    organ: OrganLink,
    form: ApplyForm,
    types: Vec<(String, String)>,
    id_kinds: Vec<(String, String)>,
    channels: Vec<(String, String)>,
    /// Each mistake beside its field, and all of them listed above the form.
    errors: crate::public::forms::FieldErrors,
}

fn paper_page(
    user: &CurrentUser,
    organ: OrganLink,
    form: ApplyForm,
    errors: crate::public::forms::FieldErrors,
) -> AppResult<Response> {
    let failed = !errors.is_empty();
    let channels = [
        Channel::InPerson,
        Channel::Post,
        Channel::Fax,
        Channel::Email,
        Channel::Online,
    ]
    .iter()
    .map(|c| (c.code().to_string(), c.label().to_string()))
    .collect();
    let mut r = page(&NewPaper {
        ctx: Ctx::admin("登记申请", user),
        organ,
        form,
        types: applicant_types(),
        id_kinds: gongkai_domain::application::validate::IdKind::ALL
            .iter()
            .map(|k| (k.code().to_string(), k.label().to_string()))
            .collect(),
        channels,
        errors,
    })?;
    if failed {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

async fn new_paper(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OrganQuery>,
) -> AppResult<Response> {
    let (organ, _) = pick_organ(&state, &user, &q).await?;
    user.require(&state, Perm::Handle, organ.id).await?;
    let today = state.today().to_string();
    let form = ApplyForm {
        organ: organ.id.to_string(),
        applicant_type: "natural_person".into(),
        id_kind: "resident_id".into(),
        channel: Channel::InPerson.code().into(),
        submitted_on: today.clone(),
        received_on: today,
        form: "纸质".into(),
        ..Default::default()
    };
    paper_page(&user, OrganLink::from(&organ), form, Default::default())
}

async fn register_paper(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<ApplyForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let organ_id: i64 = f
        .organ
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("未指定机关".into()))?;
    user.require(&state, Perm::Handle, organ_id).await?;
    let organ = gongkai_app::organs::get(&state.app, organ_id).await?;
    let input = gongkai_app::applicants::RegisterInput {
        organ_id,
        channel: f.channel.clone(),
        submitted_on: f.submitted_on.clone(),
        received_on: f.received_on.clone(),
        applicant: gongkai_app::applicants::ApplicantInput {
            applicant_type: f.applicant_type.clone(),
            name: f.name.clone(),
            id_kind: f.id_kind.clone(),
            id_number: f.id_number.clone(),
            phone: f.phone.clone(),
            email: f.email.clone(),
            address: f.address.clone(),
        },
        description: f.description.clone(),
        form: f.form.clone(),
    };
    match gongkai_app::applicants::register(&state.app, &user.actor(), &input).await {
        Ok(d) => {
            Ok(Redirect::to(&format!("/admin/applications/{}", d.value.record.id)).into_response())
        }
        Err(gongkai_app::Error::Invalid(list)) => {
            let mut errors = crate::public::forms::FieldErrors::default();
            for e in list {
                errors.add(e.field, e.message);
            }
            paper_page(&user, OrganLink::from(&organ), f, errors)
        }
        Err(e) => Err(e.into()),
    }
}

pub struct EventView {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub text: String,
    /// Who voided the step, when and why (empty if it stands).
    pub voided: String,
    /// Whether the step may be voided (not the registration, not a recomputation).
    pub voidable: bool,
    /// Voiding it needs a confirmation (a reply or its delivery).
    pub needs_confirm: bool,
}

#[derive(Template)]
#[template(path = "admin/application.html")]
struct CaseFile {
    ctx: Ctx,
    organ: OrganLink,
    id: i64,
    number: String,
    status: String,
    open: bool,
    channel: String,
    received_on: String,
    description: String,
    form: String,
    applicant: Vec<(String, String)>,
    events: Vec<EventView>,
    notices: Vec<(String, String, String, i64)>,
    due_on: String,
    days_left: String,
    trace: Vec<String>,
    error: String,
    results: Vec<(String, String)>,
    can_handle: bool,
    supplement_asked: bool,
    extended: bool,
    open_consultations: Vec<(usize, String)>,
    fee_pending: bool,
    today: String,
    /// The action whose form the error belongs to, and the date typed in it.
    failed: String,
    failed_on: String,
    field_errors: Vec<(String, String)>,
    values: BTreeMap<String, String>,
    /// Art. 35: the request for reasons was made / awaits the applicant's answer.
    reasons_asked: bool,
    reasons_open: bool,
    /// Third parties that objected and have not been told of a disclosure: (index from 1, who).
    objections: Vec<(usize, String)>,
    /// The outcomes of art. 14's 三安全一稳定.
    harms: [&'static str; 4],
    /// The lawful next steps, most pressing first (its form is shown open).
    next: Vec<gongkai_domain::application::next::NextStep>,
    /// Deliveries of the reply, in words (the current reply's first, then those of a voided one).
    deliveries: Vec<String>,
    /// Whether the reply in force has been delivered.
    delivered: bool,
    /// Files released to the applicant: (id, name, uploaded at and by).
    files: Vec<(i64, String, String)>,
    /// Whether files may be released (answered 予以公开 or 部分公开).
    can_release: bool,
    /// The applicant's query code (printed on the acknowledgement).
    query_code: String,
    delivery_methods: Vec<(&'static str, &'static str)>,
}

impl CaseFile {
    /// The date a form's date field shows: what was typed in the form that failed, else today.
    fn on_for(&self, action: &str) -> &str {
        if self.failed == action && !self.failed_on.is_empty() {
            &self.failed_on
        } else {
            &self.today
        }
    }

    /// Whether the form of `action` is shown open: the one that failed, else the most pressing.
    fn opened(&self, action: &str) -> bool {
        if self.failed.is_empty() {
            // A delivery already recorded needs no second one unless asked for.
            self.next.first().is_some_and(|n| n.action == action)
                && (action != "deliver" || !self.delivered)
        } else {
            self.failed == action
        }
    }

    /// The error to show inside the form of `action`, if that form failed.
    fn error_for(&self, action: &str) -> &str {
        if self.failed == action {
            &self.error
        } else {
            ""
        }
    }

    /// The refusal of one field of the form of `action`, shown beside it.
    fn field_error(&self, action: &str, field: &str) -> &str {
        if self.failed != action {
            return "";
        }
        self.field_errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .unwrap_or("")
    }

    /// What was typed in a field of the form of `action` when it was refused.
    fn value(&self, action: &str, field: &str) -> &str {
        if self.failed != action {
            return "";
        }
        self.values.get(field).map(String::as_str).unwrap_or("")
    }
}

/// Which form failed, and what its date field held, for the case file to show the error there.
#[derive(Default)]
struct Failed {
    action: String,
    on: String,
    error: String,
    /// Each refusal beside its field: (field, message).
    fields: Vec<(String, String)>,
    /// What was typed in the form, given back to it.
    values: BTreeMap<String, String>,
}

async fn case_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    case_page(&state, &user, id, Failed::default()).await
}

/// The case file; `failed` says why the last step was refused, shown in the form that was sent
/// (with what was typed in its date field), with the status 422 so the browser and tests can tell.
async fn case_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    failed: Failed,
) -> AppResult<Response> {
    let state = state.clone();
    let user = user.clone();
    // The full identity is for those who handle the case; anyone else sees it masked (the
    // application layer masks it).
    let file = gongkai_app::cases::case_file(&state.app, &user.actor(), id, None).await?;
    let (r, organ, can_handle) = (file.record, file.organ, file.can_handle);
    let (app, clock, provisional, cal) = (file.case, file.clock, file.provisional, file.calendar);
    let clock_for_steps = clock.clone();
    let a = app.applicant.clone();
    let events = event_views(file.log);
    let notices = notice_rows(file.notices, &events);
    let is_failed = !failed.error.is_empty();
    // The trace, then every recomputation the log announces (a voided step, a new calendar).
    let mut trace = clock.trace;
    trace.extend(
        app.recomputations
            .iter()
            .map(|r| format!("重新计算期限：{r}")),
    );
    let mut resp = page(&CaseFile {
        error: failed.error,
        failed: failed.action,
        failed_on: failed.on,
        field_errors: failed.fields,
        values: failed.values,
        reasons_asked: app.reasons.is_some(),
        reasons_open: app
            .reasons
            .as_ref()
            .is_some_and(|r| r.answered_on.is_none()),
        objections: objections(&app),
        harms: gongkai_domain::application::reply::HARMS,
        ctx: Ctx::admin(format!("申请 {}", r.number), &user),
        organ: OrganLink::from(&organ),
        id,
        number: r.number,
        status: r.status.label().to_string(),
        open: r.status.is_open(),
        channel: r.channel.label().to_string(),
        received_on: r.received_on.to_string(),
        description: app.description.clone(),
        form: app.form.clone(),
        applicant: vec![
            ("申请人类型".into(), a.kind.label().into()),
            ("姓名或名称".into(), a.name),
            ("证件号码".into(), a.id_document),
            ("联系方式".into(), a.contact),
            ("地址".into(), a.address),
        ],
        events,
        notices,
        due_on: due_words(clock.due, provisional),
        days_left: days_left_words(clock.days_left, clock.on_time),
        trace,
        results: result_choices(),
        can_handle,
        supplement_asked: app.supplement.is_some(),
        extended: app.extension.is_some(),
        open_consultations: open_consultations(&app),
        fee_pending: app.pending_fee().is_some(),
        today: file.today.to_string(),
        next: gongkai_domain::application::next::next_steps(
            &app,
            &clock_for_steps,
            &cal,
            file.today,
        ),
        delivered: !app.deliveries.is_empty(),
        deliveries: deliveries(&app),
        files: file
            .files
            .into_iter()
            .map(|f| {
                (
                    f.id,
                    f.filename,
                    format!(
                        "{} {}",
                        f.uploaded_at.format("%Y-%m-%d %H:%M"),
                        f.uploaded_by
                    ),
                )
            })
            .collect(),
        can_release: matches!(
            r.result,
            Some(ReplyResult::Disclosed | ReplyResult::PartlyDisclosed)
        ),
        query_code: file.query_code.unwrap_or_default(),
        delivery_methods: DeliveryMethod::ALL
            .iter()
            .map(|m| (m.code(), m.label()))
            .collect(),
    })?;
    if is_failed {
        *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

/// The case's whole log as the case file lists it, voided steps marked.
fn event_views(
    log: Vec<(
        gongkai_domain::application::events::Event,
        Option<gongkai_store::applications::VoidRecord>,
    )>,
) -> Vec<EventView> {
    log.into_iter()
        .map(|(e, void)| EventView {
            needs_confirm: matches!(
                e.kind,
                EventKind::Decided { .. } | EventKind::Delivered { .. }
            ),
            seq: e.seq,
            at: e.at.format("%Y-%m-%d %H:%M").to_string(),
            actor: e.actor,
            voidable: void.is_none()
                && !matches!(
                    e.kind,
                    EventKind::Registered { .. } | EventKind::DeadlineRecomputed { .. }
                ),
            text: e.kind.describe(),
            voided: void
                .map(|v| {
                    format!(
                        "{} 由 {} 作废，理由：{}",
                        v.at.format("%Y-%m-%d %H:%M"),
                        v.actor,
                        v.reason
                    )
                })
                .unwrap_or_default(),
        })
        .collect()
}

/// The notices issued for a case: (kind, number, date, step); a notice issued by a voided step
/// stays listed (it may have been sent), marked as such.
fn notice_rows(
    notices: Vec<gongkai_store::applications::NoticeRecord>,
    events: &[EventView],
) -> Vec<(String, String, String, i64)> {
    let voided_seqs: Vec<i64> = events
        .iter()
        .filter(|e| !e.voided.is_empty())
        .map(|e| e.seq)
        .collect();
    let mut notices = notices;
    // The reply in force first (the last one issued by a step that stands), then the others in
    // the order issued: a corrected reply is read before the one it replaced.
    let current = |n: &gongkai_store::applications::NoticeRecord| {
        n.kind == gongkai_domain::application::notice::NoticeKind::Reply
            && !voided_seqs.contains(&n.event_seq)
    };
    if let Some(i) = notices.iter().rposition(current) {
        let n = notices.remove(i);
        notices.insert(0, n);
    }
    let has_current = notices.first().is_some_and(current);
    notices
        .into_iter()
        .enumerate()
        .map(|(i, n)| {
            (
                if voided_seqs.contains(&n.event_seq) {
                    format!("{}（所属步骤已作废）", n.kind.label())
                } else if i == 0 && has_current {
                    format!("{}（现行答复）", n.kind.label())
                } else {
                    n.kind.label().to_string()
                },
                n.number,
                n.issued_on.to_string(),
                n.event_seq,
            )
        })
        .collect()
}

/// The days left, or how a closed case kept its deadline, in words.
fn days_left_words(days_left: Option<i64>, on_time: Option<bool>) -> String {
    match (days_left, on_time) {
        (Some(d), _) if d < 0 => format!("已逾期{}个工作日", -d),
        (Some(d), _) => format!("剩余{d}个工作日"),
        (None, Some(true)) => "在期限内办结".into(),
        (None, Some(false)) => "超过期限办结".into(),
        (None, None) => String::new(),
    }
}

/// The outcomes of table 三 a reply may record: (code, label).
fn result_choices() -> Vec<(String, String)> {
    ReplyResult::ALL
        .iter()
        .map(|r| {
            (
                serde_json::to_value(r)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                r.label(),
            )
        })
        .collect()
}

/// Third parties that objected and have not been told of a disclosure: (index from 1, who).
fn objections(app: &gongkai_domain::application::workflow::Application) -> Vec<(usize, String)> {
    app.consultations
        .iter()
        .enumerate()
        .filter(|(_, c)| c.objects && c.notified.is_none())
        .map(|(i, c)| (i + 1, c.with.clone()))
        .collect()
}

/// Consultations not answered yet: (index from 1, with whom and since when).
fn open_consultations(
    app: &gongkai_domain::application::workflow::Application,
) -> Vec<(usize, String)> {
    app.consultations
        .iter()
        .enumerate()
        .filter(|(_, c)| c.answered_on.is_none())
        .map(|(i, c)| {
            (
                i + 1,
                format!("{}：{}（{}起）", c.party.label(), c.with, c.started_on),
            )
        })
        .collect()
}

/// The reply's deliveries, in words.
fn deliveries(app: &gongkai_domain::application::workflow::Application) -> Vec<String> {
    // The current reply's deliveries first, then those of a reply since voided, marked.
    app.deliveries
        .iter()
        .map(|d| (d, ""))
        .chain(
            app.earlier_deliveries
                .iter()
                .map(|d| (d, "，所送达的答复已作废")),
        )
        .map(|(d, voided)| {
            if d.note.trim().is_empty() {
                format!("{} {}{}", d.on, d.method.label(), voided)
            } else {
                format!(
                    "{} {}（{}{}）",
                    d.on,
                    d.method.label(),
                    d.note.trim(),
                    voided
                )
            }
        })
        .collect()
}

#[derive(Deserialize, Default)]
pub struct VoidForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    seq: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirm: String,
}

/// Voids a step recorded by mistake; a refusal is shown in the void form of that step.
async fn void_step(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<VoidForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let seq: i64 = f.seq.trim().parse().unwrap_or(0);
    let confirmed = !f.confirm.trim().is_empty();
    match gongkai_app::applications::void_step(
        &state.app,
        &user.actor(),
        id,
        seq,
        &f.reason,
        confirmed,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/admin/applications/{id}")).into_response()),
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            let failed = Failed {
                action: format!("void-{seq}"),
                error: crate::admin::messages(&e).join("；"),
                ..Failed::default()
            };
            case_page(&state, &user, id, failed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Records a workflow step: the form's fields go to the application layer's one parser
/// (`gongkai_app::steps`), which the API and the command line share; a refusal is shown in the
/// form that was sent, each message beside its field, with what was typed kept.
async fn record_event(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(mut fields): Form<BTreeMap<String, String>>,
) -> AppResult<Response> {
    user.check_csrf(fields.get("csrf").map(String::as_str).unwrap_or(""))?;
    fields.remove("csrf");
    let action = fields.remove("action").unwrap_or_default();
    let input = gongkai_app::steps::StepInput {
        action: action.clone(),
        fields,
    };
    match gongkai_app::steps::record(&state.app, &user.actor(), id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/applications/{id}")).into_response()),
        Err(gongkai_app::Error::Invalid(errors)) => {
            let failed = Failed {
                action,
                on: input.fields.get("on").cloned().unwrap_or_default(),
                error: errors
                    .iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join("；"),
                fields: errors
                    .iter()
                    .filter(|e| !e.field.is_empty())
                    .map(|e| (e.field.to_string(), e.message.clone()))
                    .collect(),
                values: input.fields,
            };
            case_page(&state, &user, id, failed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Releases a file to the applicant (multipart: `csrf`, `file`); a refusal is shown in the
/// upload form of the case file.
async fn release_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    multipart: axum::extract::Multipart,
) -> AppResult<Response> {
    let (csrf, file) = crate::admin::read_upload(multipart).await?;
    user.check_csrf(&csrf)?;
    let (name, data) = file.unwrap_or_default();
    match gongkai_app::applications::release_file(&state.app, &user.actor(), id, &name, &data).await
    {
        Ok(_) => Ok(Redirect::to(&format!("/admin/applications/{id}#files")).into_response()),
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            let failed = Failed {
                action: "release".into(),
                error: crate::admin::messages(&e).join("；"),
                ..Failed::default()
            };
            case_page(&state, &user, id, failed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A released file, for those who handle the case.
async fn released_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, file)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let (info, data) =
        gongkai_app::applications::released_file(&state.app, &user.actor(), id, file).await?;
    Ok(file_download(&info, data))
}

/// A released file as a download that no cache keeps.
pub(crate) fn file_download(
    info: &gongkai_store::applications::ReleasedFile,
    data: Vec<u8>,
) -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, info.content_type.clone()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                crate::views::attachment_disposition(&info.filename),
            ),
            (axum::http::header::CACHE_CONTROL, "no-store".to_string()),
        ],
        data,
    )
        .into_response()
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    /// `pdf` for the PDF; anything else gives the Word file.
    #[serde(default)]
    pub format: String,
}

/// A notice of the case as the Word or PDF file the office prints and sends. It names the
/// applicant, so only those who handle the case may download it.
async fn notice_download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, seq)): Path<(i64, i64)>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let n = gongkai_app::applications::notice(&state.app, &user.actor(), id, seq).await?;
    let name = format!("notice-{}-{seq}", n.record.number);
    notice_file(&n.notice, &name, &q.format)
}

/// A notice as the file the office sends (`name` plus `.docx` or `.pdf`, as `format` asks): for
/// the handler's case file and for the applicant's reply download alike. It names the
/// applicant, so it is never kept by a cache.
pub(crate) fn notice_file(
    notice: &gongkai_domain::application::notice::Notice,
    name: &str,
    format: &str,
) -> AppResult<Response> {
    let (bytes, content_type, ext) = if format.trim().eq_ignore_ascii_case("pdf") {
        (
            gongkai_pdf::notice(notice, &gongkai_pdf::PdfOptions::default())?,
            "application/pdf",
            "pdf",
        )
    } else {
        (
            gongkai_render::notice::docx(notice, &Default::default())?,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        )
    };
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_string()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{ext}\""),
            ),
            (axum::http::header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "admin/application_receipt.html")]
struct Acknowledgement {
    ctx: Ctx,
    organ: String,
    id: i64,
    number: String,
    applicant: String,
    channel: String,
    received_on: String,
    description: String,
    due_on: String,
    query_code: String,
}

/// The acknowledgement (受理回执) handed or posted to an applicant who applied on paper: the
/// case's number, receipt date, legal deadline (provisional when the calendar does not reach
/// it) and the query code to follow it online. It names the applicant, so only those who
/// handle the case may print it.
async fn acknowledgement(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let file = gongkai_app::cases::case_file(&state.app, &user.actor(), id, None).await?;
    if !file.can_handle {
        return Err(AppError::Forbidden);
    }
    let (r, organ, app, clock, provisional) = (
        file.record,
        file.organ,
        file.case,
        file.clock,
        file.provisional,
    );
    let due = clock.due.map(crate::public::cn_date).unwrap_or_default();
    page(&Acknowledgement {
        ctx: Ctx::admin(format!("受理回执 {}", r.number), &user),
        organ: organ.name,
        id,
        number: r.number,
        applicant: app.applicant.name.clone(),
        channel: r.channel.label().to_string(),
        received_on: crate::public::cn_date(r.received_on),
        description: app.description.clone(),
        due_on: if provisional && !due.is_empty() {
            format!("预计{due}（以国务院办公厅公布的节假日安排为准）")
        } else {
            due
        },
        query_code: file.query_code.unwrap_or_default(),
    })
}
