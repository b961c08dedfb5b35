//! The online application (依申请公开) on the portal: the form, checked whole with every error
//! beside its field; the receipt after filing (Post/Redirect/Get); the status lookup by query
//! code, which shows the case in a citizen's words and never the applicant; and the downloads
//! of the reply and the released files for whoever holds the code.

use super::forms::{
    ByCode, FieldErrors, Submission, form_page, lookup_refused, no_store, receipt_lookup,
};
use super::{cn_date, letters, organ_or_404};
use crate::AppState;
use crate::auth::{self, MaybeUser};
use crate::error::{AppError, AppResult};
use crate::ratelimit::{self, ClientIp};
use crate::views::{Ctx, OrganLink, page};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use gongkai_app::applications::PublicStatus;
use gongkai_domain::records::Organ;
use gongkai_store::applications::NoticeRecord;
use serde::Deserialize;

/// The online application (依申请公开): the form, its receipt and the status lookup. Not under
/// the page cache: every answer here is one person's.
pub fn apply_routes() -> Router<AppState> {
    Router::new()
        .route("/o/{organ}/apply", get(apply_form).post(apply_submit))
        .route("/apply/receipt", get(apply_receipt))
        .route("/apply/lookup", get(apply_lookup))
        .route("/apply/reply", get(apply_reply_download))
        .route("/apply/file", get(apply_file_download))
        .merge(letters::receipt_routes())
}

/// What an applicant fills in online.
#[derive(Deserialize, Default, Clone)]
pub struct OnlineApplyForm {
    #[serde(default)]
    csrf: String,
    /// The form's one-time token: the query code is derived from it, so the same form filed
    /// twice (reload, back and submit, double click) finds the case it already made.
    #[serde(default)]
    once: String,
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
}

/// Checks the whole form at once; every problem is reported beside its field. The applicant
/// is checked by the application layer's one validator (`gongkai_app::applicants`), the same
/// for the back office's paper registration and the command line.
fn check_online_application(
    f: &OnlineApplyForm,
) -> Result<gongkai_domain::application::events::Applicant, FieldErrors> {
    let mut e = FieldErrors::default();
    let applicant = gongkai_app::applicants::check_applicant(
        &gongkai_app::applicants::ApplicantInput {
            applicant_type: f.applicant_type.clone(),
            name: f.name.clone(),
            id_kind: f.id_kind.clone(),
            id_number: f.id_number.clone(),
            phone: f.phone.clone(),
            email: f.email.clone(),
            address: f.address.clone(),
        },
        f.form == "电子邮件",
    );
    if let Err(v) = &applicant {
        for fe in v {
            e.add(fe.field, fe.message.clone());
        }
    }
    if let Some(fe) = gongkai_app::applicants::check_description(&f.description) {
        e.add(fe.field, fe.message);
    }
    if !["电子文档", "纸质", "电子邮件"].contains(&f.form.as_str()) {
        e.add("form", "请选择获取信息的方式");
    }
    match applicant {
        Ok(a) if e.is_empty() => Ok(a),
        _ => Err(e),
    }
}

#[derive(Template)]
#[template(path = "apply.html")]
struct ApplyPage {
    ctx: Ctx,
    organ: OrganLink,
    form: OnlineApplyForm,
    types: Vec<(String, String)>,
    id_kinds: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
}

async fn apply_page(
    state: &AppState,
    user: Option<auth::CurrentUser>,
    headers: &HeaderMap,
    organ: &Organ,
    form: OnlineApplyForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    use gongkai_domain::application::ApplicantType;
    use gongkai_domain::application::validate::IdKind;
    let types = ApplicantType::ALL
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
        .collect();
    let title = format!("{}政府信息公开申请", organ.name);
    form_page(state, headers, &user, title, !errors.is_empty(), |ctx| {
        ApplyPage {
            ctx,
            organ: OrganLink::from(organ),
            form,
            types,
            id_kinds: IdKind::ALL.iter().map(|k| (k.code(), k.label())).collect(),
            errors,
        }
    })
}

async fn apply_form(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let organ = organ_or_404(&state, id).await?;
    let form = OnlineApplyForm {
        once: auth::random_token(),
        applicant_type: "natural_person".into(),
        id_kind: "resident_id".into(),
        form: "电子文档".into(),
        ..Default::default()
    };
    apply_page(&state, user, &headers, &organ, form, FieldErrors::default()).await
}

async fn apply_submit(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(mut f): Form<OnlineApplyForm>,
) -> AppResult<Response> {
    let organ = organ_or_404(&state, id).await?;
    let sub = Submission {
        state: &state,
        user: &user,
        ip,
        kind: ratelimit::Kind::Application,
        organ: id,
    };
    let code = sub.code(&headers, &f.csrf, &f.once, "gongkai-apply", "申请")?;
    let receipt = Redirect::to(&format!("/apply/receipt?code={code}")).into_response();
    // Filed already (the same form sent again): show the receipt of that one case.
    if gongkai_app::applications::by_code(&state.app, &code)
        .await?
        .is_some()
    {
        return Ok(receipt);
    }
    let applicant = match check_online_application(&f) {
        Ok(a) => a,
        Err(errors) => {
            f.csrf.clear();
            return apply_page(&state, user, &headers, &organ, f, errors).await;
        }
    };
    // Only an accepted application counts against the address's limit (issue 28): one sent
    // back with its mistakes counted only against the higher limit of submissions.
    if let Some((refused, errors)) = sub.over_limit().await {
        f.csrf.clear();
        let page = apply_page(&state, user, &headers, &organ, f, errors).await?;
        return Ok(refused.apply(page));
    }
    // Online: received on the day both sides confirm (art. 31); the receipt is that confirmation.
    // The use case dates it today and writes the case, its code and its audit row together.
    let new = gongkai_store::applications::NewApplication {
        organ_id: id,
        channel: gongkai_domain::application::events::Channel::Online,
        submitted_on: state.today(),
        received_on: state.today(),
        applicant,
        description: f.description.trim().to_string(),
        form: f.form.trim().to_string(),
    };
    gongkai_app::applications::register_online(&state.app, new, &code).await?;
    Ok(receipt)
}

#[derive(Deserialize, Default)]
pub struct ApplyCodeQuery {
    #[serde(default)]
    code: String,
}

#[derive(Template)]
#[template(path = "apply_receipt.html")]
struct ApplyReceiptPage {
    ctx: Ctx,
    organ: OrganLink,
    number: String,
    received_on: String,
    due_on: String,
    code: String,
}

/// The receipt after filing (the Get of Post/Redirect/Get): reloading it files nothing.
async fn apply_receipt(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ClientIp(ip): ClientIp,
    Query(q): Query<ApplyCodeQuery>,
) -> AppResult<Response> {
    let app = &state.app;
    let find =
        |code: String| async move { Ok(gongkai_app::applications::by_code(app, &code).await?) };
    let (code, r) = match receipt_lookup(&state, &user, ip, &q.code, find).await? {
        ByCode::Refused(page) => return Ok(page),
        ByCode::Looked { code, found } => (code, found.ok_or(AppError::NotFound)?),
    };
    let organ = organ_or_404(&state, r.organ_id).await?;
    // A deadline the calendar does not reach yet is stated as provisional, never left out.
    let due_on = match gongkai_app::applications::stated_due(&state.app, &r).await? {
        Some((d, false)) => cn_date(d),
        Some((d, true)) => format!("预计{}（以国务院办公厅公布的节假日安排为准）", cn_date(d)),
        None => String::new(),
    };
    Ok(no_store(page(&ApplyReceiptPage {
        ctx: Ctx::public("申请已提交", &user, ""),
        organ: OrganLink::from(&organ),
        number: r.number,
        received_on: cn_date(r.received_on),
        due_on,
        code,
    })?))
}

/// A reply in the words a citizen uses: the outcome, then why, in one sentence. Never the
/// counting labels of table 三 (those belong to the annual report).
pub fn reply_in_plain_words(
    r: gongkai_domain::application::ReplyResult,
) -> (&'static str, &'static str) {
    use gongkai_domain::application::ReplyResult as R;
    match r {
        R::Disclosed => (
            "公开",
            "您申请的政府信息已全部向您公开（或已告知您获取该信息的方式和途径）。",
        ),
        R::PartlyDisclosed => (
            "部分公开",
            "您申请的信息中有部分内容依法不能公开，其余内容已向您公开；不能公开的部分和理由见答复书。",
        ),
        R::StateSecret => ("不予公开", "您申请的信息属于国家秘密，依法不能公开。"),
        R::ForbiddenByLaw => (
            "不予公开",
            "有法律、行政法规禁止公开您申请的信息，因此不能公开。",
        ),
        R::ThreeSafetiesOneStability => (
            "不予公开",
            "公开您申请的信息可能危及国家安全、公共安全、经济安全或者社会稳定，因此不能公开。",
        ),
        R::ThirdPartyRights => (
            "不予公开",
            "您申请的信息涉及他人的商业秘密或个人隐私，公开会损害他人的合法权益，因此不能公开。",
        ),
        R::InternalAffairs => (
            "不予公开",
            "您申请的信息是机关内部的人事管理、后勤管理或内部工作流程等事务信息，依法可以不公开。",
        ),
        R::ProcessInformation => (
            "不予公开",
            "您申请的信息是讨论记录、过程稿、请示报告等尚未形成最终结论的过程性信息，依法可以不公开。",
        ),
        R::EnforcementFile => ("不予公开", "您申请的信息属于行政执法案卷，依法可以不公开。"),
        R::QueryProcedure => (
            "不予公开",
            "您申请的信息有专门的查询办法，请按答复书告知的途径查询。",
        ),
        R::NotHeld => (
            "无法提供",
            "本机关没有您申请的信息；如知道由哪个机关负责，答复书中已告知。",
        ),
        R::WouldNeedMaking => (
            "无法提供",
            "您申请的信息本机关没有现成的，需要另行制作或加工分析，依法可以不予提供。",
        ),
        R::UnclearAfterCorrection => (
            "无法提供",
            "补正后申请内容仍不明确，本机关无法确定您需要哪些信息。",
        ),
        R::PetitionOrComplaint => (
            "不予处理",
            "您的申请实际是信访、投诉或举报，本机关已告知您按相应渠道提出。",
        ),
        R::Repeated => (
            "不予处理",
            "您此前已申请过相同的信息并已获答复，本次不再重复处理。",
        ),
        R::Publication => (
            "不予处理",
            "您申请的是公开出版物，请通过购买、借阅等途径获取。",
        ),
        R::ExcessiveRepetition => (
            "不予处理",
            "申请的数量或频次明显超过合理范围，本机关依法不予处理，理由见答复书。",
        ),
        R::ConfirmOrReissue => (
            "不予处理",
            "您要求确认或重新提供已经获取的信息，本机关依法不再重复处理。",
        ),
        R::NoCorrectionInTime => (
            "申请终止",
            "您没有在规定期限内补正申请，视为放弃申请，本机关不再处理。",
        ),
        R::FeeNotPaid => (
            "申请终止",
            "您没有在规定期限内缴纳信息处理费，视为放弃申请，本机关不再处理。",
        ),
        R::Other => ("办理终止", "本申请已终止办理，具体原因见答复书。"),
    }
}

/// What the status lookup shows: the case, never the applicant.
pub struct PublicCase {
    pub number: String,
    pub organ: String,
    pub description: String,
    pub received_on: String,
    pub status: String,
    pub open: bool,
    pub due_on: String,
    pub closed_on: String,
    pub outcome: String,
    pub outcome_reason: String,
    pub withheld: Vec<(String, String)>,
    /// The query string of the reply's download, when a reply notice was issued.
    pub reply: Option<String>,
    pub replied_on: String,
    /// The latest delivery of the reply, in words (`2025年3月12日邮寄送达`).
    pub delivered: String,
    /// Files released with the reply: (query string of the download, file name).
    pub files: Vec<(String, String)>,
    pub review_body: String,
    pub court: String,
    /// How the reply may be challenged: `choice` (review or suit), `review_first`, `appeal`
    /// (申诉, a public institution under art. 55), or empty (none: the case ended on the
    /// applicant's act or silence, or is open).
    pub remedy: &'static str,
    pub appeal_body: String,
    /// Every reply sent, the current one first; a reply later withdrawn or corrected by the
    /// organ stays listed, marked so.
    pub replies: Vec<PublicReply>,
    /// The steps taken so far, as the applicant reads them: (date, words).
    pub progress: Vec<(String, String)>,
}

/// A reply the applicant was sent.
pub struct PublicReply {
    /// The query string of its download.
    pub query: String,
    pub number: String,
    pub issued_on: String,
    /// Empty for the reply in force; else why it no longer is.
    pub superseded: String,
}

#[derive(Template)]
#[template(path = "apply_lookup.html")]
struct LookupPage {
    ctx: Ctx,
    code: String,
    searched: bool,
    found: Option<PublicCase>,
}

async fn apply_lookup(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ClientIp(ip): ClientIp,
    Query(q): Query<ApplyCodeQuery>,
) -> AppResult<Response> {
    let app = &state.app;
    let find = |code: String| async move {
        Ok(gongkai_app::applications::status_by_code(app, &code).await?)
    };
    let (code, record) = match receipt_lookup(&state, &user, ip, &q.code, find).await? {
        ByCode::Refused(page) => return Ok(page),
        ByCode::Looked { code, found } => (code, found),
    };
    let found = match record {
        Some(r) => Some(public_case(&state, r, &code).await?),
        None => None,
    };
    Ok(no_store(page(&LookupPage {
        ctx: Ctx::public("依申请公开办理查询", &user, ""),
        searched: !code.is_empty(),
        code,
        found,
    })?))
}

/// What the status lookup shows of a case: its course and outcome in a citizen's words, the
/// replies sent, the files released and how to challenge the reply; never the applicant.
async fn public_case(state: &AppState, st: PublicStatus, code: &str) -> AppResult<PublicCase> {
    let PublicStatus {
        record: r,
        case: app,
        settings,
        replies: sent,
        voided,
        files,
        due,
    } = st;
    let organ = organ_or_404(state, r.organ_id).await?;
    let today = state.today();
    let open = r.status.is_open();
    // A closing date after today is an entry error on the office's side: never shown as if
    // it had happened.
    let closed = r.closed_on.filter(|d| *d <= today);
    let (outcome, outcome_reason) = match (open, r.result) {
        (false, Some(res)) => reply_in_plain_words(res),
        _ => ("", ""),
    };
    // Every reply sent stays listed: a voided one (the organ withdrew it) is marked, never
    // removed; the one in force is the last issued by a step that stands.
    let reply = sent
        .iter()
        .rfind(|n| !voided.contains(&n.event_seq) && !open)
        .cloned();
    let replies = replies(&sent, &voided, reply.is_some(), code);
    let remedy = remedy(open, r.result, settings.public_institution != 0);
    Ok(PublicCase {
        number: r.number,
        organ: organ.name.clone(),
        description: r.description,
        received_on: cn_date(r.received_on),
        status: r.status.label().to_string(),
        open,
        due_on: match due {
            Some((d, true)) => {
                format!("{}（预计，以国务院办公厅公布的节假日安排为准）", cn_date(d))
            }
            Some((d, false)) => cn_date(d),
            None => String::new(),
        },
        progress: gongkai_domain::application::progress::public_steps(&app, today)
            .into_iter()
            .map(|s| (cn_date(s.on), s.what))
            .collect(),
        closed_on: closed.map(cn_date).unwrap_or_default(),
        outcome: outcome.to_string(),
        outcome_reason: outcome_reason.to_string(),
        withheld: app
            .decision
            .as_ref()
            .map(|d| {
                d.withheld
                    .iter()
                    .map(|w| (w.part.trim().to_string(), w.reason.trim().to_string()))
                    .collect()
            })
            .unwrap_or_default(),
        replied_on: reply
            .as_ref()
            .map(|n| cn_date(n.issued_on))
            .unwrap_or_default(),
        reply: reply.map(|n| format!("code={code}&seq={}", n.event_seq)),
        delivered: app
            .deliveries
            .last()
            .filter(|d| d.on <= today)
            .map(|d| format!("{}{}", cn_date(d.on), d.method.label()))
            .unwrap_or_default(),
        files: files
            .into_iter()
            .map(|f| (format!("code={code}&file={}", f.id), f.filename))
            .collect(),
        review_body: settings.review_body.trim().to_string(),
        court: settings.court.trim().to_string(),
        remedy,
        appeal_body: settings.appeal_body.trim().to_string(),
        replies,
    })
}

/// Every reply sent, the one in force first; a reply the organ withdrew stays listed, marked so
/// (and says whether a new reply replaced it).
fn replies(sent: &[NoticeRecord], voided: &[i64], replaced: bool, code: &str) -> Vec<PublicReply> {
    let mut replies: Vec<PublicReply> = sent
        .iter()
        .rev()
        .map(|n| PublicReply {
            query: format!("code={code}&seq={}", n.event_seq),
            number: n.number.clone(),
            issued_on: cn_date(n.issued_on),
            superseded: if voided.contains(&n.event_seq) {
                if replaced {
                    "已由本机关撤销，以新的答复书为准".into()
                } else {
                    "已由本机关撤销，将重新答复".into()
                }
            } else {
                String::new()
            },
        })
        .collect();
    // The reply in force first.
    replies.sort_by_key(|p| !p.superseded.is_empty());
    replies
}

/// How a closed case's reply may be challenged (see [`PublicCase::remedy`]): a public
/// institution's by 申诉 (art. 55), an organ's by review or suit as the outcome allows.
fn remedy(
    open: bool,
    result: Option<gongkai_domain::application::ReplyResult>,
    public_institution: bool,
) -> &'static str {
    use gongkai_domain::application::reply::RemedyKind;
    match (open, result) {
        (false, Some(res)) if public_institution => {
            if RemedyKind::of(res) == RemedyKind::None {
                ""
            } else {
                "appeal"
            }
        }
        (false, Some(res)) => match RemedyKind::of(res) {
            RemedyKind::Choice => "choice",
            RemedyKind::ReviewFirst => "review_first",
            RemedyKind::None => "",
        },
        _ => "",
    }
}

#[derive(Deserialize, Default)]
pub struct ReplyQuery {
    #[serde(default)]
    code: String,
    #[serde(default)]
    seq: String,
    /// `pdf` for the PDF; otherwise Word.
    #[serde(default)]
    format: String,
}

#[derive(Deserialize, Default)]
pub struct FileQuery {
    #[serde(default)]
    code: String,
    #[serde(default)]
    file: String,
}

/// A file released with an application, for the applicant who holds its query code.
async fn apply_file_download(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Query(q): Query<FileQuery>,
) -> AppResult<Response> {
    if let Some(refused) = lookup_refused(&state, ip).await {
        return Ok(refused);
    }
    let file: i64 = q.file.trim().parse().map_err(|_| AppError::NotFound)?;
    let (info, data) =
        gongkai_app::applications::released_file_by_code(&state.app, &q.code, file).await?;
    Ok(crate::applications::file_download(&info, data))
}

/// The 答复书 of an application, for the applicant who holds its query code (Word or PDF).
async fn apply_reply_download(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Query(q): Query<ReplyQuery>,
) -> AppResult<Response> {
    if let Some(refused) = lookup_refused(&state, ip).await {
        return Ok(refused);
    }
    let seq: i64 = q.seq.trim().parse().map_err(|_| AppError::NotFound)?;
    let n = gongkai_app::applications::reply_by_code(&state.app, &q.code, seq).await?;
    crate::applications::notice_file(&n.notice, &format!("reply-{}", n.record.number), &q.format)
}
