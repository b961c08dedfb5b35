//! Disclosure on application: registering a case (at the counter, by post, or online by the
//! applicant) and recording each step of its handling. The workflow's rules are the domain's
//! (`Application::check_and_apply`, run by the store as it appends the event); here the actor's
//! permission, the dates against today, the query code of an online application and the audit
//! row join the change in one transaction.

use crate::audit::{Action, Change, record};
use crate::{Actor, App, Done, Error, Perm, Result};
use chrono::NaiveDate;
use gongkai_domain::application::ReplyResult;
use gongkai_domain::application::events::{Channel, EventKind};
use gongkai_domain::application::notice::{Issuer, Notice, NoticeKind};
use gongkai_domain::application::workflow::Application;
use gongkai_store::applications::{ApplicationRecord, NewApplication, ReleasedFile};
use rand::RngCore;
use serde_json::json;

/// A short code a person can type (query codes for applications and letters): no 0/O, 1/I/L.
pub fn query_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut b = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter()
        .map(|x| ALPHABET[(*x as usize) % ALPHABET.len()] as char)
        .collect()
}

/// A registered case, with the query code handed to the applicant (online on the receipt page,
/// on paper on the acknowledgement).
#[derive(Debug)]
pub struct Registered {
    pub record: ApplicationRecord,
    pub query_code: Option<String>,
}

fn not_after_today(app: &App, field: &'static str, what: &str, d: NaiveDate) -> Result<()> {
    let today = app.time.today();
    if d > today {
        return Err(Error::invalid(
            field,
            format!("{what} {d} 晚于今天（{today}），不能登记未来的日期"),
        ));
    }
    Ok(())
}

/// Registers a case an officer (or the operator) received by any channel.
pub async fn register(app: &App, actor: &Actor, new: NewApplication) -> Result<Done<Registered>> {
    actor.require(app, Perm::Handle, new.organ_id).await?;
    not_after_today(app, "received", "收到申请日期", new.received_on)?;
    not_after_today(app, "submitted", "提交日期", new.submitted_on)?;
    let cal = app.db.calendar().await?;
    let mut tx = app.db.begin().await?;
    let rec = tx
        .register_application(&new, &actor.name(), app.time.local_now(), &cal)
        .await?;
    // A paper applicant follows the case online too: the code is printed on the
    // acknowledgement (受理回执).
    let code = query_code();
    tx.set_application_code(rec.id, &code).await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(
            Some(rec.organ_id),
            Action::Register,
            "application",
            &rec.number,
        )
        .after(&json!({
            "number": rec.number,
            "channel": rec.channel.code(),
            "received_on": rec.received_on,
        })),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(number = %rec.number, organ = rec.organ_id, "application registered");
    Ok(Done::new(Registered {
        record: rec,
        query_code: Some(code),
    }))
}

/// Registers an application filed on the portal by a member of the public, received today, with
/// the query code the caller derived from the form's one-time token. The case, its code and the
/// audit row are written in one transaction; the code is unique, so the same form sent twice —
/// reloaded, double-clicked, or two requests racing — files one case: the second gets `None`.
pub async fn register_online(
    app: &App,
    new: NewApplication,
    code: &str,
) -> Result<Done<Option<Registered>>> {
    if app.db.application_id_by_code(code).await?.is_some() {
        return Ok(Done::new(None));
    }
    let today = app.time.today();
    let new = NewApplication {
        channel: Channel::Online,
        submitted_on: today,
        received_on: today,
        ..new
    };
    if app.db.organ(new.organ_id).await?.is_none() {
        return Err(Error::NotFound(format!("机关（编号 {}）", new.organ_id)));
    }
    let actor = Actor::Public;
    let cal = app.db.calendar().await?;
    let mut tx = app.db.begin().await?;
    let rec = tx
        .register_application(&new, &actor.name(), app.time.local_now(), &cal)
        .await?;
    if tx.set_application_code(rec.id, code).await.is_err() {
        // The twin request gave the code first; this one is dropped whole.
        drop(tx);
        if app.db.application_id_by_code(code).await?.is_some() {
            return Ok(Done::new(None));
        }
        return Err(Error::Internal("query code not stored".into()));
    }
    record(
        app,
        &mut tx,
        &actor,
        Change::new(
            Some(rec.organ_id),
            Action::Register,
            "application",
            &rec.number,
        )
        .after(&json!({
            "number": rec.number,
            "channel": rec.channel.code(),
            "received_on": rec.received_on,
        })),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(number = %rec.number, organ = rec.organ_id, "online application registered");
    Ok(Done::new(Some(Registered {
        record: rec,
        query_code: Some(code.to_string()),
    })))
}

/// The case of `id`, if the actor may handle it.
pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<ApplicationRecord> {
    let r = app
        .db
        .application(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("申请（编号 {id}）")))?;
    actor.require(app, Perm::View, r.organ_id).await?;
    Ok(r)
}

/// A recorded step: the case after it, and the number of the notice it issued, if any.
#[derive(Debug)]
pub struct Recorded {
    pub record: ApplicationRecord,
    pub notice: Option<String>,
}

/// Records one step of a case. Its date may not be after today; the workflow refuses steps out
/// of order or against the law with a Chinese message, and nothing is written.
pub async fn record_step(
    app: &App,
    actor: &Actor,
    id: i64,
    kind: EventKind,
) -> Result<Done<Recorded>> {
    let r = get(app, actor, id).await?;
    actor.require(app, Perm::Handle, r.organ_id).await?;
    if let Some(on) = kind.on() {
        not_after_today(app, "on", "办理日期", on)?;
    }
    let cal = app.db.calendar().await?;
    let masked = kind.masked();
    let action = Action::of_step(&kind);
    let before = json!({"status": r.status.code(), "due_on": r.due_on});
    let mut tx = app.db.begin().await?;
    let (after, notice) = tx
        .record_application_event(id, kind, &actor.name(), app.time.local_now(), &cal)
        .await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(Some(r.organ_id), action, "application", &r.number)
            .before(&before)
            .after(&json!({"event": masked, "status": after.status.code(), "due_on": after.due_on, "notice": notice})),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(Recorded {
        record: after,
        notice,
    }))
}

/// Sets the prefixes of an organ's notice numbers (`灵教` → `灵教依申请告〔2021〕3号`) and of its
/// application numbers (`LWJT` → `LWJT-2021-0002`); `None` leaves one unchanged.
pub async fn set_prefixes(
    app: &App,
    actor: &Actor,
    organ_id: i64,
    notice: Option<&str>,
    number: Option<&str>,
) -> Result<Done<()>> {
    actor.require(app, Perm::Admin, organ_id).await?;
    if notice.is_none() && number.is_none() {
        return Err(Error::invalid("", "请给出告知书文号前缀或申请编号前缀"));
    }
    let mut tx = app.db.begin().await?;
    tx.set_application_prefixes(organ_id, notice, number)
        .await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(
            Some(organ_id),
            Action::SetPrefixes,
            "application_settings",
            organ_id,
        )
        .after(&json!({"notice_prefix": notice, "number_prefix": number})),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(()))
}

/// Voids a step recorded by mistake (append-only: the step stays in the log, marked void with
/// the reason; the deadline is recomputed from the steps that remain and the recomputation is an
/// event of the log). Needs a reason.
pub async fn void_step(
    app: &App,
    actor: &Actor,
    id: i64,
    seq: i64,
    reason: &str,
    confirmed: bool,
) -> Result<Done<ApplicationRecord>> {
    let r = get(app, actor, id).await?;
    actor.require(app, Perm::Handle, r.organ_id).await?;
    // A reply or its delivery is a legal act the applicant may hold: voiding it is confirmed,
    // and what was sent stays listed for the applicant, marked as withdrawn by the organ.
    let step = app
        .db
        .application_events(id)
        .await?
        .into_iter()
        .find(|e| e.seq == seq);
    if let Some(e) = &step
        && matches!(
            e.kind,
            EventKind::Decided { .. } | EventKind::Delivered { .. }
        )
        && !confirmed
    {
        return Err(Error::invalid(
            "confirm",
            "作废答复或送达须确认：已发出的答复书不会从申请人的查询页删除，将标明“已由本机关撤销”；如答复有误，作废后请重新作出答复并送达",
        ));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid("reason", "请填写作废理由"));
    }
    if reason.chars().count() > 500 {
        return Err(Error::invalid("reason", "作废理由不能超过500字"));
    }
    let cal = app.db.calendar().await?;
    let before = json!({"status": r.status.code(), "due_on": r.due_on});
    let mut tx = app.db.begin().await?;
    let after = tx
        .void_application_event(id, seq, reason, &actor.name(), app.time.local_now(), &cal)
        .await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(Some(r.organ_id), Action::VoidStep, "application", &r.number)
            .before(&before)
            .after(&json!({"voided_seq": seq, "reason": reason, "status": after.status.code(), "due_on": after.due_on})),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(after))
}

/// A notice of a case, as the office sends it.
#[derive(Debug)]
pub struct IssuedNotice {
    pub record: ApplicationRecord,
    pub notice: Notice,
    pub kind: NoticeKind,
}

/// The notice issued by step `seq` of case `id`, for those who handle the case (it names the
/// applicant). It says what the case was when it was issued (the log replayed up to its step)
/// and names the review body and court of the organ's settings.
pub async fn notice(app: &App, actor: &Actor, id: i64, seq: i64) -> Result<IssuedNotice> {
    let r = get(app, actor, id).await?;
    actor.require(app, Perm::Handle, r.organ_id).await?;
    issued(app, r, seq, None).await
}

/// The online application whose query code is `code` (as typed: trimmed, in any case), for
/// the applicant holding that code (the code is the key): the receipt, the status lookup and
/// the downloads by code read it here.
pub async fn by_code(app: &App, code: &str) -> Result<Option<ApplicationRecord>> {
    let code = code.trim().to_uppercase();
    if code.is_empty() {
        return Ok(None);
    }
    match app.db.application_id_by_code(&code).await? {
        Some(id) => Ok(app.db.application(id).await?),
        None => Ok(None),
    }
}

/// The deadline a receipt states for a case: its due date, or, while the calendar does not reach
/// it yet (next year's holidays not published), the date counted provisionally (`true`);
/// `None` when neither can be said.
pub async fn stated_due(app: &App, r: &ApplicationRecord) -> Result<Option<(NaiveDate, bool)>> {
    if let Some(d) = r.due_on {
        return Ok(Some((d, false)));
    }
    let events = app.db.application_events(r.id).await?;
    let case = Application::from_events(&events).map_err(|e| Error::Internal(e.to_string()))?;
    let cal = app.db.calendar().await?;
    Ok(
        match gongkai_domain::application::clock::compute_provisional(&case, &cal, app.time.today())
        {
            (c, true) => c.due.map(|d| (d, true)),
            _ => None,
        },
    )
}

/// What the applicant's status lookup shows of a case, for whoever holds its query code.
pub struct PublicStatus {
    pub record: ApplicationRecord,
    /// The case replayed from its log (its decision's withheld parts, its deliveries).
    pub case: Application,
    /// The organ's review body, court and whether it is a public institution (its remedy).
    pub settings: gongkai_store::portal::OrganSettings,
    /// The replies issued by today, in the order issued, withdrawn ones included.
    pub replies: Vec<gongkai_store::applications::NoticeRecord>,
    /// The steps the organ withdrew (their `seq`): a reply among them is no longer in force.
    pub voided: Vec<i64>,
    /// The files released with the reply: only once the case is closed and stands answered
    /// 予以公开 or 部分公开 (a voided decision withholds them with it, issue 33).
    pub files: Vec<ReleasedFile>,
    /// The deadline as the case's clock gives it today (stopped while a 补正 is awaited, moved
    /// by an extension or a consultation), and whether it is provisional (the calendar does not
    /// reach it yet); `None` while the clock is stopped or the case is closed.
    pub due: Option<(NaiveDate, bool)>,
}

/// The status of the online application whose query code is `code` (as typed), or `None`.
pub async fn status_by_code(app: &App, code: &str) -> Result<Option<PublicStatus>> {
    let Some(record) = by_code(app, code).await? else {
        return Ok(None);
    };
    let id = record.id;
    let today = app.time.today();
    let settings = app.db.organ_settings(record.organ_id).await?;
    let case = Application::from_events(&app.db.application_events(id).await?)
        .map_err(|e| Error::Internal(e.to_string()))?;
    let voided = app
        .db
        .application_log(id)
        .await?
        .into_iter()
        .filter(|(_, v)| v.is_some())
        .map(|(e, _)| e.seq)
        .collect();
    let replies = app
        .db
        .application_notices(id)
        .await?
        .into_iter()
        .filter(|n| n.kind == NoticeKind::Reply && n.issued_on <= today)
        .collect();
    let disclosed = matches!(
        record.result,
        Some(ReplyResult::Disclosed | ReplyResult::PartlyDisclosed)
    );
    let files = if record.status.is_open() || !disclosed {
        Vec::new()
    } else {
        app.db.application_files(id).await?
    };
    let due = if record.status.is_open() {
        let cal = app.db.calendar().await?;
        let (clock, provisional) =
            gongkai_domain::application::clock::compute_provisional(&case, &cal, today);
        clock.due.map(|d| (d, provisional))
    } else {
        None
    };
    Ok(Some(PublicStatus {
        record,
        case,
        settings,
        replies,
        voided,
        files,
        due,
    }))
}

/// The 答复书 of the online application whose query code is `code`, for the applicant holding
/// that code (the code is the applicant's key; nothing else is needed).
pub async fn reply_by_code(app: &App, code: &str, seq: i64) -> Result<IssuedNotice> {
    let r = by_code(app, code)
        .await?
        .ok_or_else(|| Error::NotFound("答复书".into()))?;
    issued(app, r, seq, Some(NoticeKind::Reply)).await
}

async fn issued(
    app: &App,
    r: ApplicationRecord,
    seq: i64,
    only: Option<NoticeKind>,
) -> Result<IssuedNotice> {
    let not_found = || Error::NotFound(format!("申请 {} 的告知书", r.number));
    let rec = app
        .db
        .application_notices(r.id)
        .await?
        .into_iter()
        .find(|n| n.event_seq == seq && only.is_none_or(|k| n.kind == k))
        .ok_or_else(not_found)?;
    let upto: Vec<_> = app
        .db
        .application_events(r.id)
        .await?
        .into_iter()
        .filter(|e| e.seq <= rec.event_seq)
        .collect();
    let case = Application::from_events(&upto).map_err(|e| Error::Internal(e.to_string()))?;
    let organ = app
        .db
        .organ(r.organ_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("机关（编号 {}）", r.organ_id)))?;
    let settings = app.db.organ_settings(r.organ_id).await?;
    let issuer = Issuer {
        organ: organ.name,
        remedy: crate::steps::remedy_of(&settings),
        fee_payment: settings.fee_payment.trim().to_string(),
        case_number: r.number.clone(),
    };
    let cal = app.db.calendar().await?;
    let notice = gongkai_domain::application::notice::build(
        &case,
        rec.kind,
        &rec.number,
        &issuer,
        rec.issued_on,
        &cal,
    )
    .ok_or_else(not_found)?;
    Ok(IssuedNotice {
        record: r,
        notice,
        kind: rec.kind,
    })
}

/// Releases a file to the applicant of case `id` with its reply (the information provided, or a
/// copy with the withheld parts removed): only once the case is answered 予以公开 or 部分公开,
/// of the types and size items' attachments allow. The applicant downloads it with the query
/// code; it is never public.
pub async fn release_file(
    app: &App,
    actor: &Actor,
    id: i64,
    filename: &str,
    data: &[u8],
) -> Result<Done<i64>> {
    let r = get(app, actor, id).await?;
    actor.require(app, Perm::Handle, r.organ_id).await?;
    if !matches!(
        r.result,
        Some(ReplyResult::Disclosed | ReplyResult::PartlyDisclosed)
    ) {
        return Err(Error::invalid(
            "file",
            "只有答复“予以公开”或“部分公开”的申请才能提供信息文件",
        ));
    }
    let name = filename.trim();
    if name.is_empty() {
        return Err(Error::invalid("file", "请选择要提供给申请人的文件"));
    }
    if name.chars().count() > 200 {
        return Err(Error::invalid("file", "文件名过长"));
    }
    let ctype =
        crate::items::check_attachment(name, data).map_err(|m| Error::invalid("file", m))?;
    let mut tx = app.db.begin().await?;
    let file_id = tx
        .insert_application_file(id, name, ctype, data, app.time.local_now(), &actor.name())
        .await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(
            Some(r.organ_id),
            Action::ReleaseFile,
            "application",
            &r.number,
        )
        .after(&json!({"file": file_id, "filename": name, "bytes": data.len()})),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(file_id))
}

/// A file released with case `id`, for those who may view the case.
pub async fn released_file(
    app: &App,
    actor: &Actor,
    id: i64,
    file_id: i64,
) -> Result<(ReleasedFile, Vec<u8>)> {
    let r = get(app, actor, id).await?;
    actor.require(app, Perm::Handle, r.organ_id).await?;
    app.db
        .application_file(id, file_id)
        .await?
        .ok_or_else(|| Error::NotFound("文件".into()))
}

/// A file released with the online application whose query code is `code`, for its applicant.
pub async fn released_file_by_code(
    app: &App,
    code: &str,
    file_id: i64,
) -> Result<(ReleasedFile, Vec<u8>)> {
    let not_found = || Error::NotFound("文件".into());
    // A file goes to the applicant only while the case stands answered 予以公开 or 部分公开: once
    // that decision is voided the file is withheld with it (issue 33).
    let r = by_code(app, code).await?.ok_or_else(not_found)?;
    if !matches!(
        r.result,
        Some(ReplyResult::Disclosed | ReplyResult::PartlyDisclosed)
    ) {
        return Err(not_found());
    }
    app.db
        .application_file(r.id, file_id)
        .await?
        .ok_or_else(not_found)
}
