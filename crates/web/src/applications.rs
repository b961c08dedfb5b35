//! Disclosure on application (依申请公开), the handlers' back office (the public online form, its
//! receipt and the status lookup are in `public.rs`) — paper
//! registration, the due-soon/overdue dashboard, the case file with its deadline trace, and the
//! workflow steps (补正, extension, decision, withdrawal) judged by the domain workflow.

use crate::AppState;
use crate::admin::{OrganQuery, pick_organ};
use crate::auth::{CurrentUser, Perm};
use crate::error::{AppError, AppResult};
use crate::views::{Ctx, OrganLink, date, page};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::NaiveDate;
use gongkai_domain::application::clock::{Clock, compute_for};
use gongkai_domain::application::events::{
    Applicant, Channel, ConsultParty, DeliveryMethod, EventKind,
};
use gongkai_domain::application::workflow::Application;
use gongkai_domain::application::{ApplicantType, ReplyResult};
use gongkai_store::applications::{ApplicationRecord, NewApplication};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/applications", get(dashboard).post(register_paper))
        .route("/admin/applications/new", get(new_paper))
        .route("/admin/applications/{id}", get(case_file))
        .route("/admin/applications/{id}/event", post(record_event))
        .route("/admin/applications/{id}/void", post(void_step))
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

fn parse_type(s: &str) -> Option<ApplicantType> {
    serde_json::from_value(serde_json::Value::String(s.trim().to_string()))
        .ok()
        .or_else(|| ApplicantType::parse(s))
}

/// What an applicant fills in (online) or the office copies from paper.
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
    id_number: String,
    #[serde(default)]
    phone: String,
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

/// An 18-character 居民身份证号码: 17 digits and a digit or X. Other documents (passports …)
/// are written with their name first, e.g. `护照 E12345678`, and accepted as written.
fn valid_id_number(id: &str) -> bool {
    if !id.is_ascii() || id.contains(' ') {
        return true;
    }
    let b = id.as_bytes();
    b.len() == 18
        && b[..17].iter().all(u8::is_ascii_digit)
        && matches!(b[17], b'0'..=b'9' | b'X' | b'x')
}

fn check_applicant(f: &ApplyForm) -> Result<Applicant, Vec<String>> {
    let mut errors = Vec::new();
    let kind = parse_type(&f.applicant_type);
    if kind.is_none() {
        errors.push("请选择申请人类型".to_string());
    }
    if f.name.trim().is_empty() || f.name.chars().count() > 100 {
        errors.push("请填写申请人姓名或名称（不超过100字）".into());
    }
    let id = f.id_number.trim();
    if id.is_empty() {
        errors.push("请填写身份证件号码或统一社会信用代码".into());
    } else if kind == Some(ApplicantType::NaturalPerson) && !valid_id_number(id) {
        errors.push("居民身份证号码应为18位（最后一位可为X）".into());
    }
    if f.phone.trim().is_empty() {
        errors.push("请填写联系电话或电子邮箱".into());
    }
    if f.description.trim().is_empty() {
        errors.push("请填写所需政府信息的名称、文号或便于查询的其他特征性描述".into());
    } else if f.description.chars().count() > 2000 {
        errors.push("所需信息描述不能超过2000字".into());
    }
    match (kind, errors.is_empty()) {
        (Some(kind), true) => Ok(Applicant {
            kind,
            name: f.name.trim().to_string(),
            id_document: id.to_uppercase(),
            contact: f.phone.trim().to_string(),
            address: f.address.trim().to_string(),
        }),
        _ => Err(errors),
    }
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

/// Working days left before a case is flagged as due soon.
pub const DUE_SOON_DAYS: i64 = 5;

async fn clock_of(state: &AppState, id: i64) -> AppResult<(Application, Clock)> {
    let events = state.db.application_events(id).await?;
    let app = Application::from_events(&events).map_err(|e| AppError::Internal(e.to_string()))?;
    let cal = state.db.calendar().await?;
    let clock = compute_for(&app, &cal, state.today());
    Ok((app, clock))
}

pub(crate) async fn case_row(state: &AppState, r: &ApplicationRecord) -> AppResult<CaseRow> {
    let (_, c) = clock_of(state, r.id).await?;
    let alert = if c.overdue {
        "overdue"
    } else if c.days_left.is_some_and(|d| d <= DUE_SOON_DAYS) {
        "soon"
    } else {
        ""
    };
    Ok(CaseRow {
        id: r.id,
        number: r.number.clone(),
        applicant: r.masked_name(),
        channel: r.channel.label().to_string(),
        received_on: r.received_on.to_string(),
        status: r.status.label().to_string(),
        due_on: date(c.due),
        days_left: match c.days_left {
            Some(d) if d < 0 => format!("已逾期{}个工作日", -d),
            Some(d) => format!("剩余{d}个工作日"),
            None => String::new(),
        },
        alert: alert.to_string(),
    })
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
}

async fn dashboard(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OrganQuery>,
) -> AppResult<Response> {
    let (organ, organs) = pick_organ(&state, &user, &q).await?;
    let mut open = Vec::new();
    let mut closed = Vec::new();
    for r in state.db.applications(Some(organ.id), None).await? {
        let row = case_row(&state, &r).await?;
        if r.status.is_open() {
            open.push(row)
        } else {
            closed.push(row)
        }
    }
    // Most urgent first: overdue, then by deadline.
    open.sort_by(|a, b| {
        (a.alert != "overdue", a.due_on.is_empty(), &a.due_on).cmp(&(
            b.alert != "overdue",
            b.due_on.is_empty(),
            &b.due_on,
        ))
    });
    closed.reverse();
    page(&Dashboard {
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
    channels: Vec<(String, String)>,
    errors: Vec<String>,
}

fn paper_page(
    user: &CurrentUser,
    organ: OrganLink,
    form: ApplyForm,
    errors: Vec<String>,
) -> AppResult<Response> {
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
        channels,
        errors: errors.clone(),
    })?;
    if !errors.is_empty() {
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
        channel: Channel::InPerson.code().into(),
        submitted_on: today.clone(),
        received_on: today,
        form: "纸质".into(),
        ..Default::default()
    };
    paper_page(&user, OrganLink::from(&organ), form, vec![])
}

fn parse_day(s: &str, what: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::BadRequest(format!(
            "{what}“{}”格式不对，应为 年-月-日，如 2024-03-01",
            s.trim()
        ))
    })
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
    let organ = state.db.organ(organ_id).await?.ok_or(AppError::NotFound)?;
    let mut errors = match check_applicant(&f) {
        Ok(_) => vec![],
        Err(e) => e,
    };
    let channel = Channel::parse(&f.channel);
    if channel.is_none() {
        errors.push("请选择申请渠道".into());
    }
    let submitted = parse_day(&f.submitted_on, "提交日期");
    let received = parse_day(&f.received_on, "收到申请日期");
    for e in [&submitted, &received] {
        if let Err(e) = e {
            errors.push(e.to_string());
        }
    }
    if let Ok(r) = received
        && r > state.today()
    {
        errors.push(format!("收到申请日期 {r} 晚于今天"));
    }
    if !errors.is_empty() {
        return paper_page(&user, OrganLink::from(&organ), f, errors);
    }
    let applicant = check_applicant(&f).map_err(|e| AppError::BadRequest(e.join("；")))?;
    let new = NewApplication {
        organ_id,
        channel: channel.unwrap_or(Channel::InPerson),
        submitted_on: submitted?,
        received_on: received?,
        applicant,
        description: f.description.trim().to_string(),
        form: f.form.trim().to_string(),
    };
    let rec = match gongkai_app::applications::register(&state.app, &user.actor(), new).await {
        Ok(d) => d.value.record,
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            return paper_page(
                &user,
                OrganLink::from(&organ),
                f,
                crate::admin::messages(&e),
            );
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("/admin/applications/{}", rec.id)).into_response())
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
    /// The lawful next steps, most pressing first (its form is shown open).
    next: Vec<gongkai_domain::application::next::NextStep>,
    /// Deliveries of the reply, in words.
    deliveries: Vec<String>,
    /// Files released to the applicant: (id, name, uploaded at and by).
    files: Vec<(i64, String, String)>,
    /// Whether files may be released (answered 予以公开 or 部分公开).
    can_release: bool,
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
                && (action != "deliver" || self.deliveries.is_empty())
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
}

/// Which form failed, and what its date field held, for the case file to show the error there.
#[derive(Default)]
struct Failed {
    action: String,
    on: String,
    error: String,
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
    let r = state.db.application(id).await?.ok_or(AppError::NotFound)?;
    user.require(&state, Perm::View, r.organ_id).await?;
    let organ = state
        .db
        .organ(r.organ_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let can_handle = user.can(&state, Perm::Handle, r.organ_id).await?;
    let (app, clock) = clock_of(&state, id).await?;
    let cal = state.db.calendar().await?;
    let clock_for_steps = clock.clone();
    // The full identity is for those who handle the case; anyone else sees it masked.
    let a = if can_handle {
        app.applicant.clone()
    } else {
        app.applicant.masked()
    };
    let events: Vec<EventView> = state
        .db
        .application_log(id)
        .await?
        .into_iter()
        .map(|(e, void)| EventView {
            seq: e.seq,
            at: e.at.format("%Y-%m-%d %H:%M").to_string(),
            actor: e.actor,
            voidable: void.is_none()
                && !matches!(
                    e.kind,
                    EventKind::Registered { .. } | EventKind::DeadlineRecomputed { .. }
                ),
            text: if can_handle {
                e.kind.describe()
            } else {
                e.kind.masked().describe()
            },
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
        .collect();
    // A notice issued by a voided step stays listed (it may have been sent), marked as such.
    let voided_seqs: Vec<i64> = events
        .iter()
        .filter(|e: &&EventView| !e.voided.is_empty())
        .map(|e| e.seq)
        .collect();
    let notices = state
        .db
        .application_notices(id)
        .await?
        .into_iter()
        .map(|n| {
            (
                if voided_seqs.contains(&n.event_seq) {
                    format!("{}（所属步骤已作废）", n.kind.label())
                } else {
                    n.kind.label().to_string()
                },
                n.number,
                n.issued_on.to_string(),
                n.event_seq,
            )
        })
        .collect();
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
        due_on: date(clock.due),
        days_left: match (clock.days_left, clock.on_time) {
            (Some(d), _) if d < 0 => format!("已逾期{}个工作日", -d),
            (Some(d), _) => format!("剩余{d}个工作日"),
            (None, Some(true)) => "在期限内办结".into(),
            (None, Some(false)) => "超过期限办结".into(),
            (None, None) => String::new(),
        },
        trace,
        results: ReplyResult::ALL
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
            .collect(),
        can_handle,
        supplement_asked: app.supplement.is_some(),
        extended: app.extension.is_some(),
        open_consultations: app
            .consultations
            .iter()
            .enumerate()
            .filter(|(_, c)| c.answered_on.is_none())
            .map(|(i, c)| {
                (
                    i,
                    format!("{}：{}（{}起）", c.party.label(), c.with, c.started_on),
                )
            })
            .collect(),
        fee_pending: app.pending_fee().is_some(),
        today: state.today().to_string(),
        next: gongkai_domain::application::next::next_steps(
            &app,
            &clock_for_steps,
            &cal,
            state.today(),
        ),
        deliveries: app
            .deliveries
            .iter()
            .map(|d| {
                if d.note.trim().is_empty() {
                    format!("{} {}", d.on, d.method.label())
                } else {
                    format!("{} {}（{}）", d.on, d.method.label(), d.note.trim())
                }
            })
            .collect(),
        files: state
            .db
            .application_files(id)
            .await?
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

#[derive(Deserialize, Default)]
pub struct VoidForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    seq: String,
    #[serde(default)]
    reason: String,
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
    match gongkai_app::applications::void_step(&state.app, &user.actor(), id, seq, &f.reason).await
    {
        Ok(_) => Ok(Redirect::to(&format!("/admin/applications/{id}")).into_response()),
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            let failed = Failed {
                action: format!("void-{seq}"),
                on: String::new(),
                error: crate::admin::messages(&e).join("；"),
            };
            case_page(&state, &user, id, failed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// One form for every workflow step; each action reads its fields.
#[derive(Deserialize, Default)]
pub struct EventForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    items: String,
    #[serde(default)]
    correct_by: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    approved_by: String,
    #[serde(default)]
    result: String,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    handler: String,
    /// Withheld parts of a partly disclosed reply, one per line: `部分：理由`.
    #[serde(default)]
    withheld: String,
    #[serde(default)]
    party: String,
    #[serde(default)]
    with: String,
    #[serde(default)]
    index: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    pages: String,
    #[serde(default)]
    pay_by: String,
    /// The reply's own words (what is provided, how to obtain it).
    #[serde(default)]
    text: String,
    /// A delivery's tracking number, address used, who signed.
    #[serde(default)]
    note: String,
}

fn parse_withheld(s: &str) -> AppResult<Vec<gongkai_domain::application::events::Withheld>> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once(['：', ':']) {
            Some((part, reason)) if !part.trim().is_empty() && !reason.trim().is_empty() => {
                Ok(gongkai_domain::application::events::Withheld {
                    part: part.trim().into(),
                    reason: reason.trim().into(),
                })
            }
            _ => Err(AppError::BadRequest(format!(
                "不予公开的部分“{l}”应写成“部分：理由”"
            ))),
        })
        .collect()
}

fn nonempty(s: &str, what: &str) -> AppResult<String> {
    let t = s.trim();
    if t.is_empty() {
        Err(AppError::BadRequest(format!("请填写{what}")))
    } else {
        Ok(t.to_string())
    }
}

async fn record_event(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<EventForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let r = state.db.application(id).await?.ok_or(AppError::NotFound)?;
    user.require(&state, Perm::Handle, r.organ_id).await?;
    match step(&state, &user, &r, &f).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/applications/{id}")).into_response()),
        Err(AppError::BadRequest(m)) => {
            let failed = Failed {
                action: f.action.clone(),
                on: f.on.trim().to_string(),
                error: m,
            };
            case_page(&state, &user, id, failed).await
        }
        Err(e) => Err(e),
    }
}

/// Builds the event of a workflow step from the form and records it (the workflow judges it).
async fn step(
    state: &AppState,
    user: &CurrentUser,
    r: &ApplicationRecord,
    f: &EventForm,
) -> AppResult<()> {
    let id = r.id;
    let on = || parse_day(&f.on, "日期");
    let kind = match f.action.as_str() {
        "assign" => EventKind::Assigned {
            handler: nonempty(&f.handler, "承办人")?,
        },
        "supplement" => EventKind::SupplementRequested {
            on: on()?,
            items: nonempty(&f.items, "需要补正的事项")?,
            correct_by: parse_day(&f.correct_by, "补正期限")?,
            notice: None,
        },
        "supplement_received" => EventKind::SupplementReceived { on: on()? },
        "extend" => EventKind::Extended {
            on: on()?,
            days: f
                .days
                .trim()
                .parse()
                .map_err(|_| AppError::BadRequest("延长的工作日数应为数字".into()))?,
            reason: nonempty(&f.reason, "延期理由")?,
            approved_by: nonempty(&f.approved_by, "批准人")?,
            notice: None,
        },
        "decide" => EventKind::Decided {
            on: on()?,
            result: serde_json::from_value(serde_json::Value::String(f.result.trim().to_string()))
                .ok()
                .or_else(|| ReplyResult::parse(&f.result))
                .ok_or_else(|| AppError::BadRequest("请选择答复结果".into()))?,
            basis: f.basis.trim().to_string(),
            withheld: parse_withheld(&f.withheld)?,
            notice: None,
            text: f.text.trim().to_string(),
        },
        "deliver" => EventKind::Delivered {
            on: on()?,
            method: DeliveryMethod::parse(&f.method)
                .ok_or_else(|| AppError::BadRequest("请选择送达方式".into()))?,
            note: f.note.trim().to_string(),
        },
        "consult" => EventKind::ConsultationStarted {
            on: on()?,
            party: ConsultParty::parse(&f.party)
                .ok_or_else(|| AppError::BadRequest("请选择征求意见的对象类别".into()))?,
            with: nonempty(&f.with, "征求意见的对象")?,
        },
        "consult_answer" => EventKind::ConsultationAnswered {
            on: on()?,
            index: f
                .index
                .trim()
                .parse()
                .map_err(|_| AppError::BadRequest("请选择要登记答复的征求意见".into()))?,
            answer: nonempty(&f.answer, "对方意见")?,
        },
        "fee" => {
            use gongkai_domain::application::events::FeeBasis;
            use gongkai_domain::application::fees::{FeeMethod, amount_fen};
            let method = FeeMethod::parse(&f.method)
                .ok_or_else(|| AppError::BadRequest("请选择计收方式".into()))?;
            // The basis is counted here, never typed: the rank in the month comes from the
            // register, the pages from the form.
            let basis = match method {
                FeeMethod::PerItem => {
                    FeeBasis::NthInMonth(state.db.applicant_rank_in_month(id).await?)
                }
                FeeMethod::PerPage => FeeBasis::Pages(
                    f.pages
                        .trim()
                        .parse()
                        .map_err(|_| AppError::BadRequest("页数应为数字".into()))?,
                ),
            };
            let amount = amount_fen(method, basis).unwrap_or(0);
            if amount == 0 {
                return Err(AppError::BadRequest(format!(
                    "{}：{}，未超过合理范围，不收取信息处理费",
                    method.label(),
                    gongkai_domain::application::fees::explain(method, basis)
                )));
            }
            EventKind::FeeNoticed {
                on: on()?,
                method,
                basis,
                amount_fen: amount,
                pay_by: parse_day(&f.pay_by, "缴费期限")?,
                notice: None,
            }
        }
        "fee_paid" => EventKind::FeePaid { on: on()? },
        "fee_not_paid" => EventKind::FeeNotPaid { on: on()? },
        "withdraw" => EventKind::Withdrawn {
            on: on()?,
            reason: f.reason.trim().to_string(),
        },
        _ => return Err(AppError::BadRequest("未知的办理操作".into())),
    };
    gongkai_app::applications::record_step(&state.app, &user.actor(), id, kind)
        .await
        .map_err(|e| match e {
            e @ gongkai_app::Error::Invalid(_) => AppError::BadRequest(e.to_string()),
            e => e.into(),
        })?;
    Ok(())
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
                on: String::new(),
                error: crate::admin::messages(&e).join("；"),
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
