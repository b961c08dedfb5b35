//! Repositories of disclosure on application (issue 3): cases with their append-only event logs,
//! notice numbers, and the calendar years an administrator imported.
//!
//! Every write replays the case's log, lets the domain workflow judge the new event
//! ([`Application::check_and_apply`]), appends it and refreshes the cached columns (status,
//! deadline, result) in one transaction, so the cache never disagrees with the log.

use crate::{Db, Error, Result, Tx, on_pool, on_tx};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use gongkai_domain::application::events::{Applicant, Channel, ConsultParty, Event, EventKind};
use gongkai_domain::application::notice::NoticeKind;
use gongkai_domain::application::workflow::{Application, Status, WorkflowError};
use gongkai_domain::application::{
    ApplicantType, ApplicationCount, ApplicationSummary, ReplyResult, YearStanding, clock,
};
use gongkai_domain::calendar::{Calendar, YearData, parse_year};
use serde::Serialize;

mod calendar;
mod counts;
mod files;

pub use files::ReleasedFile;

/// A step voided as recorded by mistake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct VoidRecord {
    pub event_seq: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    pub reason: String,
}

/// A new case as registered.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub organ_id: i64,
    pub channel: Channel,
    pub submitted_on: NaiveDate,
    pub received_on: NaiveDate,
    pub applicant: Applicant,
    pub description: String,
    pub form: String,
}

/// A case as listed: the cached columns. `applicant_name` is personal data for natural persons:
/// mask it (see [`ApplicationRecord::masked_name`]) in anything but the case file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicationRecord {
    pub id: i64,
    pub organ_id: i64,
    pub number: String,
    pub channel: Channel,
    pub applicant_type: ApplicantType,
    pub applicant_name: String,
    pub received_on: NaiveDate,
    pub description: String,
    pub handler: String,
    pub status: Status,
    pub due_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub result: Option<ReplyResult>,
    pub fee_paid_fen: i64,
}

impl ApplicationRecord {
    /// The applicant's name as lists show it (a natural person reduced to the surname).
    pub fn masked_name(&self) -> String {
        Applicant {
            kind: self.applicant_type,
            name: self.applicant_name.clone(),
            id_document: String::new(),
            contact: String::new(),
            address: String::new(),
        }
        .masked()
        .name
    }

    pub fn summary(&self) -> ApplicationSummary {
        ApplicationSummary {
            applicant: self.applicant_type,
            received: self.received_on,
            closed: match (self.closed_on, self.result) {
                (Some(d), Some(r)) => Some((d, r)),
                _ => None,
            },
            due: self.due_on,
        }
    }
}

/// A notice issued for a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeRecord {
    pub application_id: i64,
    pub event_seq: i64,
    pub kind: NoticeKind,
    pub number: String,
    pub issued_on: NaiveDate,
}

/// A deadline changed by a calendar import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recomputed {
    pub application_id: i64,
    pub number: String,
    pub old_due: Option<NaiveDate>,
    pub new_due: Option<NaiveDate>,
}

#[derive(sqlx::FromRow)]
struct AppRow {
    id: i64,
    organ_id: i64,
    number: String,
    channel: String,
    applicant_type: String,
    applicant_name: String,
    received_on: NaiveDate,
    description: String,
    handler: String,
    status: String,
    due_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
    result: Option<String>,
    fee_paid_fen: i64,
}

const APP_COLS: &str = "id, organ_id, number, channel, applicant_type, applicant_name, received_on, \
     description, handler, status, due_on, closed_on, result, fee_paid_fen";

#[derive(sqlx::FromRow)]
struct EventRow {
    seq: i64,
    at: NaiveDateTime,
    actor: String,
    payload: String,
}

#[derive(sqlx::FromRow)]
struct NoticeRow {
    application_id: i64,
    event_seq: i64,
    kind: String,
    number: String,
    issued_on: NaiveDate,
}

fn bad(what: &str, v: &str) -> Error {
    Error::Invalid(format!("数据库中的{what}“{v}”无法识别"))
}

fn from_snake<T: serde::de::DeserializeOwned>(what: &str, v: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(v.to_string())).map_err(|_| bad(what, v))
}

fn snake<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn status_from(s: &str) -> Result<Status> {
    [
        Status::Open,
        Status::AwaitingCorrection,
        Status::Consulting,
        Status::AwaitingPayment,
        Status::Closed,
        Status::Withdrawn,
    ]
    .into_iter()
    .find(|x| x.code() == s)
    .ok_or_else(|| bad("办理状态", s))
}

fn record_from(r: AppRow) -> Result<ApplicationRecord> {
    Ok(ApplicationRecord {
        id: r.id,
        organ_id: r.organ_id,
        number: r.number,
        channel: Channel::parse(&r.channel).ok_or_else(|| bad("申请渠道", &r.channel))?,
        applicant_type: from_snake("申请人类型", &r.applicant_type)?,
        applicant_name: r.applicant_name,
        received_on: r.received_on,
        description: r.description,
        handler: r.handler,
        status: status_from(&r.status)?,
        due_on: r.due_on,
        closed_on: r.closed_on,
        result: r
            .result
            .as_deref()
            .map(|s| from_snake("答复结果", s))
            .transpose()?,
        fee_paid_fen: r.fee_paid_fen,
    })
}

fn event_from(r: EventRow) -> Result<Event> {
    let kind: EventKind = serde_json::from_str(&r.payload)
        .map_err(|e| Error::Invalid(format!("第{}条事件记录无法读取：{e}", r.seq)))?;
    Ok(Event {
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        kind,
    })
}

fn workflow(e: WorkflowError) -> Error {
    Error::Invalid(e.to_string())
}

/// Which notice an event issues, and its legal date.
fn notice_of(kind: &EventKind) -> Option<(NoticeKind, NaiveDate)> {
    match kind {
        EventKind::SupplementRequested { on, .. } => Some((NoticeKind::Supplement, *on)),
        EventKind::Extended { on, .. } => Some((NoticeKind::Extension, *on)),
        EventKind::FeeNoticed { on, .. } => Some((NoticeKind::Fee, *on)),
        EventKind::Decided { on, .. }
        | EventKind::FeeNotPaid { on }
        | EventKind::Withdrawn { on, .. } => Some((NoticeKind::Reply, *on)),
        EventKind::ReasonsRequested { on, .. } => Some((NoticeKind::Reasons, *on)),
        EventKind::ConsultationStarted {
            on,
            party: ConsultParty::ThirdParty,
            ..
        } => Some((NoticeKind::Consultation, *on)),
        EventKind::ThirdPartyNotified { on, .. } => Some((NoticeKind::Disclosure, *on)),
        _ => None,
    }
}

fn set_notice(kind: &mut EventKind, number: &str) {
    match kind {
        EventKind::SupplementRequested { notice, .. }
        | EventKind::Extended { notice, .. }
        | EventKind::FeeNoticed { notice, .. }
        | EventKind::Decided { notice, .. }
        | EventKind::ReasonsRequested { notice, .. }
        | EventKind::ConsultationStarted { notice, .. }
        | EventKind::ThirdPartyNotified { notice, .. } => *notice = Some(number.to_string()),
        _ => {}
    }
}

impl Tx {
    /// Sets the prefixes of an organ's notice numbers (`灵教` → `灵教依申请告〔2021〕3号`) and of
    /// its application numbers (`LWJT` → `LWJT-2021-0002`); `None` leaves one unchanged.
    pub async fn set_application_prefixes(
        &mut self,
        organ_id: i64,
        notice_prefix: Option<&str>,
        number_prefix: Option<&str>,
    ) -> Result<()> {
        for p in [notice_prefix, number_prefix].into_iter().flatten() {
            if p.trim().is_empty() || p.chars().any(|c| c.is_whitespace()) {
                return Err(Error::Invalid(format!(
                    "编号前缀“{p}”无效：不能为空或含空格"
                )));
            }
        }
        let (n, a) = self.prefixes(organ_id).await?;
        let n = notice_prefix.map(str::to_string).unwrap_or(n);
        let a = number_prefix.map(str::to_string).unwrap_or(a);
        on_tx!(self, c => sqlx::query(
            "INSERT INTO application_settings (organ_id, notice_prefix, number_prefix) VALUES ($1, $2, $3) \
             ON CONFLICT (organ_id) DO UPDATE SET notice_prefix = $2, number_prefix = $3")
            .bind(organ_id)
            .bind(n.trim())
            .bind(a.trim())
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    async fn next_seq(&mut self, organ_id: i64, year: i32, kind: &str) -> Result<i64> {
        Ok(on_tx!(self, c => sqlx::query_scalar(
            "INSERT INTO application_sequences (organ_id, year, kind, last_seq) VALUES ($1, $2, $3, 1) \
             ON CONFLICT (organ_id, year, kind) DO UPDATE SET last_seq = application_sequences.last_seq + 1 \
             RETURNING last_seq")
            .bind(organ_id)
            .bind(year)
            .bind(kind)
            .fetch_one(c)
            .await)?)
    }

    /// The prefixes of an organ's notice and application numbers, as set (empty when not).
    async fn prefixes(&mut self, organ_id: i64) -> Result<(String, String)> {
        let set: Option<(String, String)> = on_tx!(self, c => sqlx::query_as(
            "SELECT notice_prefix, number_prefix FROM application_settings WHERE organ_id = $1")
            .bind(organ_id)
            .fetch_optional(c)
            .await)?;
        Ok(set.unwrap_or_default())
    }

    /// The prefix of an organ's notice numbers: the one set, else its short name, else its name.
    async fn notice_prefix(&mut self, organ_id: i64) -> Result<String> {
        let (set, _) = self.prefixes(organ_id).await?;
        if !set.trim().is_empty() {
            return Ok(set);
        }
        let (short, name): (String, String) = on_tx!(self, c => sqlx::query_as(
            "SELECT short_name, name FROM organs WHERE id = $1")
            .bind(organ_id)
            .fetch_one(c)
            .await)?;
        Ok(if short.trim().is_empty() { name } else { short })
    }

    async fn app_row(&mut self, id: i64) -> Result<ApplicationRecord> {
        let sql = format!("SELECT {APP_COLS} FROM applications WHERE id = $1");
        let row: Option<AppRow> = on_tx!(self, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(id)
            .fetch_optional(c)
            .await)?;
        record_from(row.ok_or_else(|| Error::NotFound(format!("申请（编号 {id}）")))?)
    }

    async fn events_of(&mut self, id: i64) -> Result<Vec<Event>> {
        let rows: Vec<EventRow> = on_tx!(self, c => sqlx::query_as(
            "SELECT seq, at, actor, payload FROM application_events WHERE application_id = $1 \
             AND seq NOT IN (SELECT event_seq FROM application_voids WHERE application_id = $1) ORDER BY seq")
            .bind(id)
            .fetch_all(c)
            .await)?;
        rows.into_iter().map(event_from).collect()
    }

    /// The sequence number the next event of a case gets (voided events keep theirs).
    async fn next_event_seq(&mut self, id: i64) -> Result<i64> {
        let max: Option<i64> = on_tx!(self, c => sqlx::query_scalar(
            "SELECT MAX(seq) FROM application_events WHERE application_id = $1")
            .bind(id)
            .fetch_one(c)
            .await)?;
        Ok(max.unwrap_or(0) + 1)
    }

    /// Voids step `seq` of a case recorded by mistake: the event stays in the log, a void row
    /// names it with the reason, and a `DeadlineRecomputed` event announces the void with the
    /// deadline before and after. Refused when the step is the registration, already void, not
    /// a step at all, or when the log without it no longer holds together (a later step depends
    /// on it: void that one first).
    pub async fn void_application_event(
        &mut self,
        id: i64,
        seq: i64,
        reason: &str,
        actor: &str,
        at: NaiveDateTime,
        cal: &Calendar,
    ) -> Result<ApplicationRecord> {
        let before = self.events_of(id).await?;
        let app_before = Application::from_events(&before).map_err(workflow)?;
        let Some(ev) = before.iter().find(|e| e.seq == seq) else {
            return Err(Error::Invalid(format!("第{seq}步不存在或已作废")));
        };
        if matches!(
            ev.kind,
            EventKind::Registered { .. } | EventKind::DeadlineRecomputed { .. }
        ) {
            return Err(Error::Invalid(format!(
                "第{seq}步（{}）不能作废",
                ev.kind.describe()
            )));
        }
        let what = ev.kind.describe();
        on_tx!(self, c => sqlx::query(
            "INSERT INTO application_voids (application_id, event_seq, at, actor, reason) \
             VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(seq)
            .bind(at)
            .bind(actor)
            .bind(reason)
            .execute(c)
            .await
            .map(|_| ()))?;
        let after = self.events_of(id).await?;
        let app = Application::from_events(&after).map_err(|e| {
            Error::Invalid(format!(
                "作废第{seq}步后办理记录前后不一致（{e}）：请先作废依赖它的后续步骤"
            ))
        })?;
        let old_due = clock::compute_for(&app_before, cal, app_before.received_on).due;
        let new_due = clock::compute_for(&app, cal, app.received_on).due;
        let ev = Event {
            seq: self.next_event_seq(id).await?,
            at,
            actor: actor.to_string(),
            kind: EventKind::DeadlineRecomputed {
                reason: format!("作废第{seq}步（{what}），理由：{reason}"),
                old_due,
                new_due,
            },
        };
        let mut app = app;
        app.check_and_apply(&ev.kind, cal).map_err(workflow)?;
        self.insert_event(id, &ev).await?;
        self.refresh(id, &app, cal).await?;
        self.app_row(id).await
    }

    async fn insert_event(&mut self, id: i64, ev: &Event) -> Result<()> {
        let payload = serde_json::to_string(&ev.kind)
            .map_err(|e| Error::Invalid(format!("事件无法保存：{e}")))?;
        on_tx!(self, c => sqlx::query(
            "INSERT INTO application_events (application_id, seq, at, actor, kind, payload) \
             VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id)
            .bind(ev.seq)
            .bind(ev.at)
            .bind(&ev.actor)
            .bind(ev.kind.name())
            .bind(payload)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Refreshes the cached columns from the replayed state.
    async fn refresh(&mut self, id: i64, app: &Application, cal: &Calendar) -> Result<()> {
        let clock = clock::compute_for(app, cal, app.received_on);
        let closed = app.closed();
        on_tx!(self, c => sqlx::query(
            "UPDATE applications SET handler = $2, status = $3, due_on = $4, closed_on = $5, \
             result = $6, fee_paid_fen = $7 WHERE id = $1")
            .bind(id)
            .bind(app.handler.clone().unwrap_or_default())
            .bind(app.status().code())
            .bind(clock.due)
            .bind(closed.map(|c| c.0))
            .bind(closed.map(|c| snake(&c.1)))
            .bind(app.fees_paid_fen())
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Registers a case: hands out its number (`LWJT-2021-0007`, per organ and year of receipt,
    /// with the organ's number prefix when one is set) and
    /// writes the registration event.
    pub async fn register_application(
        &mut self,
        new: &NewApplication,
        actor: &str,
        at: NaiveDateTime,
        cal: &Calendar,
    ) -> Result<ApplicationRecord> {
        if new.description.trim().is_empty() {
            return Err(Error::Invalid(
                "请填写申请获取的政府信息的名称或内容描述".into(),
            ));
        }
        if new.applicant.name.trim().is_empty() {
            return Err(Error::Invalid("请填写申请人姓名或名称".into()));
        }
        new.channel
            .check_receipt(new.submitted_on, new.received_on)
            .map_err(Error::Invalid)?;
        let year = new.received_on.year();
        let seq = self.next_seq(new.organ_id, year, "application").await?;
        let (_, prefix) = self.prefixes(new.organ_id).await?;
        let number = if prefix.trim().is_empty() {
            format!("{year}-{seq:04}")
        } else {
            format!("{}-{year}-{seq:04}", prefix.trim())
        };
        let kind = EventKind::Registered {
            channel: new.channel,
            submitted_on: new.submitted_on,
            received_on: new.received_on,
            applicant: new.applicant.clone(),
            description: new.description.trim().to_string(),
            form: new.form.trim().to_string(),
        };
        let ev = Event {
            seq: 1,
            at,
            actor: actor.to_string(),
            kind,
        };
        let app = Application::from_events(std::slice::from_ref(&ev)).map_err(workflow)?;
        let id: i64 = on_tx!(self, c => sqlx::query_scalar(
            "INSERT INTO applications (organ_id, number, year, seq, channel, applicant_type, \
             applicant_name, applicant_key, received_on, description, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id")
            .bind(new.organ_id)
            .bind(&number)
            .bind(year)
            .bind(seq)
            .bind(new.channel.code())
            .bind(snake(&new.applicant.kind))
            .bind(new.applicant.name.trim())
            .bind(new.applicant.key())
            .bind(new.received_on)
            .bind(new.description.trim())
            .bind(Status::Open.code())
            .fetch_one(c)
            .await)?;
        self.insert_event(id, &ev).await?;
        self.refresh(id, &app, cal).await?;
        self.app_row(id).await
    }

    /// Appends an event after the workflow accepts it; issues the notice the event calls for.
    /// Returns the refreshed case and the notice number, if one was issued.
    pub async fn record_application_event(
        &mut self,
        id: i64,
        mut kind: EventKind,
        actor: &str,
        at: NaiveDateTime,
        cal: &Calendar,
    ) -> Result<(ApplicationRecord, Option<String>)> {
        let row = self.app_row(id).await?;
        let events = self.events_of(id).await?;
        let mut app = Application::from_events(&events).map_err(workflow)?;
        app.check(&kind, cal).map_err(workflow)?;
        let seq = self.next_event_seq(id).await?;
        let mut issued = None;
        if let Some((nk, on)) = notice_of(&kind) {
            let prefix = self.notice_prefix(row.organ_id).await?;
            let n = self.next_seq(row.organ_id, on.year(), "notice").await?;
            let number = gongkai_domain::application::notice::number(&prefix, on.year(), n);
            set_notice(&mut kind, &number);
            on_tx!(self, c => sqlx::query(
                "INSERT INTO application_notices (application_id, event_seq, kind, number, issued_on) \
                 VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(seq)
                .bind(nk.code())
                .bind(&number)
                .bind(on)
                .execute(c)
                .await
                .map(|_| ()))?;
            issued = Some(number);
        }
        app.check_and_apply(&kind, cal).map_err(workflow)?;
        let ev = Event {
            seq,
            at,
            actor: actor.to_string(),
            kind,
        };
        self.insert_event(id, &ev).await?;
        self.refresh(id, &app, cal).await?;
        Ok((self.app_row(id).await?, issued))
    }
}

impl Db {
    /// Sets the prefixes of an organ's notice and application numbers (see
    /// [`Tx::set_application_prefixes`]).
    pub async fn set_application_prefixes(
        &self,
        organ_id: i64,
        notice_prefix: Option<&str>,
        number_prefix: Option<&str>,
    ) -> Result<()> {
        self.write(async |tx| {
            tx.set_application_prefixes(organ_id, notice_prefix, number_prefix)
                .await
        })
        .await
    }

    pub async fn register_application(
        &self,
        new: &NewApplication,
        actor: &str,
        at: NaiveDateTime,
    ) -> Result<ApplicationRecord> {
        let cal = self.calendar().await?;
        let mut tx = self.begin().await?;
        let r = tx.register_application(new, actor, at, &cal).await?;
        tx.commit().await?;
        Ok(r)
    }

    pub async fn record_application_event(
        &self,
        id: i64,
        kind: EventKind,
        actor: &str,
        at: NaiveDateTime,
    ) -> Result<(ApplicationRecord, Option<String>)> {
        let cal = self.calendar().await?;
        let mut tx = self.begin().await?;
        let r = tx
            .record_application_event(id, kind, actor, at, &cal)
            .await?;
        tx.commit().await?;
        Ok(r)
    }

    pub async fn application(&self, id: i64) -> Result<Option<ApplicationRecord>> {
        let sql = format!("SELECT {APP_COLS} FROM applications WHERE id = $1");
        let row: Option<AppRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(id)
            .fetch_optional(p)
            .await)?;
        row.map(record_from).transpose()
    }

    /// Finds a case by its number, within an organ when given; a number used by several organs
    /// must be qualified.
    pub async fn find_application(
        &self,
        number: &str,
        organ_id: Option<i64>,
    ) -> Result<ApplicationRecord> {
        let sql = format!(
            "SELECT {APP_COLS} FROM applications WHERE number = $1 AND ($2 = 0 OR organ_id = $2) ORDER BY id"
        );
        let rows: Vec<AppRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(number.trim())
            .bind(organ_id.unwrap_or(0))
            .fetch_all(p)
            .await)?;
        match rows.len() {
            0 => Err(Error::NotFound(format!("申请 {}", number.trim()))),
            1 => record_from(rows.into_iter().next().expect("one row")),
            n => Err(Error::Invalid(format!(
                "有{n}个机关都有编号为 {} 的申请，请用 --organ 指定机关",
                number.trim()
            ))),
        }
    }

    /// Cases of an organ (all organs when `None`), received in `year` or still open in it when a
    /// year is given, in order of receipt.
    pub async fn applications(
        &self,
        organ_id: Option<i64>,
        year: Option<i32>,
    ) -> Result<Vec<ApplicationRecord>> {
        let (start, end) = match year {
            Some(y) => crate::records::year_bounds(y),
            None => crate::records::all_time(),
        };
        let sql = format!(
            "SELECT {APP_COLS} FROM applications WHERE ($1 = 0 OR organ_id = $1) \
             AND received_on <= $3 AND (closed_on IS NULL OR closed_on >= $2) \
             ORDER BY received_on, id"
        );
        let rows: Vec<AppRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organ_id.unwrap_or(0))
            .bind(start)
            .bind(end)
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(record_from).collect()
    }

    /// The event log of a case that counts, in order: voided steps left out (see
    /// [`Db::application_log`] for the whole log with its voids).
    pub async fn application_events(&self, id: i64) -> Result<Vec<Event>> {
        let rows: Vec<EventRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT seq, at, actor, payload FROM application_events WHERE application_id = $1 \
             AND seq NOT IN (SELECT event_seq FROM application_voids WHERE application_id = $1) ORDER BY seq")
            .bind(id)
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(event_from).collect()
    }

    /// The whole event log of a case, voided steps included, each with its void (time, actor,
    /// reason) if it was voided: what the case file lists.
    pub async fn application_log(&self, id: i64) -> Result<Vec<(Event, Option<VoidRecord>)>> {
        let rows: Vec<EventRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT seq, at, actor, payload FROM application_events WHERE application_id = $1 ORDER BY seq")
            .bind(id)
            .fetch_all(p)
            .await)?;
        let voids: Vec<VoidRecord> = on_pool!(self, p => sqlx::query_as(
            "SELECT event_seq, at, actor, reason FROM application_voids WHERE application_id = $1 ORDER BY event_seq")
            .bind(id)
            .fetch_all(p)
            .await)?;
        rows.into_iter()
            .map(|r| {
                let e = event_from(r)?;
                let v = voids.iter().find(|v| v.event_seq == e.seq).cloned();
                Ok((e, v))
            })
            .collect()
    }

    /// The notices issued for a case, in order.
    pub async fn application_notices(&self, id: i64) -> Result<Vec<NoticeRecord>> {
        let rows: Vec<NoticeRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT application_id, event_seq, kind, number, issued_on FROM application_notices \
             WHERE application_id = $1 ORDER BY event_seq")
            .bind(id)
            .fetch_all(p)
            .await)?;
        rows.into_iter()
            .map(|r| {
                Ok(NoticeRecord {
                    application_id: r.application_id,
                    event_seq: r.event_seq,
                    kind: NoticeKind::parse(&r.kind).ok_or_else(|| bad("告知书类型", &r.kind))?,
                    number: r.number,
                    issued_on: r.issued_on,
                })
            })
            .collect()
    }

    /// A reply issued by an organ under document number `number` (for a reply that cites an
    /// earlier one, （五）2), with the number of the case it answered.
    pub async fn reply_by_number(
        &self,
        organ_id: i64,
        number: &str,
    ) -> Result<Option<(NoticeRecord, String)>> {
        let row: Option<(i64, i64, String, String, NaiveDate, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT n.application_id, n.event_seq, n.kind, n.number, n.issued_on, a.number \
             FROM application_notices n JOIN applications a ON a.id = n.application_id \
             WHERE a.organ_id = $1 AND n.number = $2 AND n.kind = 'reply'")
            .bind(organ_id)
            .bind(number.trim())
            .fetch_optional(p)
            .await)?;
        Ok(
            row.map(|(application_id, event_seq, _, number, issued_on, case)| {
                (
                    NoticeRecord {
                        application_id,
                        event_seq,
                        kind: NoticeKind::Reply,
                        number,
                        issued_on,
                    },
                    case,
                )
            }),
        )
    }
}

impl Db {}
