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

/// A row of [`Db::application_counts`]: applicant type, month of receipt, reply when closed in
/// the year, replied in time (1/0), how many.
type CountRow = (String, i32, Option<String>, Option<i32>, i64);

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

    /// Imports a corrected or added year and recomputes the deadlines of the open cases in the
    /// same transaction; every case whose deadline moved gets a `DeadlineRecomputed` event
    /// saying why.
    /// `cal` is the calendar in force before the import.
    pub async fn import_calendar_year(
        &mut self,
        mut cal: Calendar,
        data: YearData,
        actor: &str,
        at: NaiveDateTime,
    ) -> Result<Vec<Recomputed>> {
        let old = cal.clone();
        let replaced = cal
            .insert(data.clone())
            .map_err(|e| Error::Invalid(e.to_string()))?;
        let changed = cal.changed_days(&old);
        let reason = format!(
            "{}{}年工作日历（{}）{}",
            if replaced.is_some() {
                "更正"
            } else {
                "导入"
            },
            data.year,
            data.source,
            if changed.is_empty() {
                String::new()
            } else {
                let list: Vec<String> = changed.iter().take(12).map(|d| d.to_string()).collect();
                format!(
                    "，变动的日期：{}{}",
                    list.join("、"),
                    if changed.len() > 12 { "等" } else { "" }
                )
            }
        );
        self.store_calendar_year(&data, at).await?;
        let open: Vec<(i64, String, Option<NaiveDate>)> = on_tx!(self, c => sqlx::query_as(
            "SELECT id, number, due_on FROM applications WHERE status NOT IN ('closed', 'withdrawn') ORDER BY id")
            .fetch_all(c)
            .await)?;
        let mut out = Vec::new();
        for (id, number, old_due) in open {
            let events = self.events_of(id).await?;
            let app = Application::from_events(&events).map_err(workflow)?;
            let new_due = clock::compute_for(&app, &cal, app.received_on).due;
            if new_due == old_due {
                continue;
            }
            let seq = self.next_event_seq(id).await?;
            let ev = Event {
                seq,
                at,
                actor: actor.to_string(),
                kind: EventKind::DeadlineRecomputed {
                    reason: reason.clone(),
                    old_due,
                    new_due,
                },
            };
            self.insert_event(id, &ev).await?;
            self.refresh(id, &app, &cal).await?;
            out.push(Recomputed {
                application_id: id,
                number,
                old_due,
                new_due,
            });
        }
        // Closed cases keep their deadline cached too (the report's on-time rate reads it): bring
        // it in step where the changed days could move it, or where none could be computed.
        // Their logs stay as they are: a closed case has no running deadline to announce.
        let year_end = NaiveDate::from_ymd_opt(data.year, 12, 31)
            .ok_or_else(|| Error::Invalid(format!("年度{}无效", data.year)))?;
        let (first, last) = match (changed.first(), changed.last()) {
            (Some(a), Some(b)) => (*a, *b),
            // No day changed: the window is empty.
            _ => (year_end, year_end.pred_opt().unwrap_or(year_end)),
        };
        let closed: Vec<(i64, Option<NaiveDate>)> = on_tx!(self, c => sqlx::query_as(
            "SELECT id, due_on FROM applications WHERE status IN ('closed', 'withdrawn') \
             AND ((due_on IS NULL AND received_on <= $1) \
                  OR (received_on <= $3 AND (due_on >= $2 OR closed_on >= $2))) ORDER BY id")
            .bind(year_end)
            .bind(first)
            .bind(last)
            .fetch_all(c)
            .await)?;
        for (id, old_due) in closed {
            let events = self.events_of(id).await?;
            let app = Application::from_events(&events).map_err(workflow)?;
            if clock::compute_for(&app, &cal, app.received_on).due != old_due {
                self.refresh(id, &app, &cal).await?;
            }
        }
        Ok(out)
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

    /// Stores an imported calendar year (replacing an earlier import of the same year).
    pub async fn store_calendar_year(&mut self, data: &YearData, at: NaiveDateTime) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "INSERT INTO calendar_years (year, source, content, imported_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (year) DO UPDATE SET source = $2, content = $3, imported_at = $4")
            .bind(data.year)
            .bind(&data.source)
            .bind(data.to_file())
            .bind(at)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}

impl Db {
    /// The calendar in force: the built-in years, each replaced or completed by the years an
    /// administrator imported.
    pub async fn calendar(&self) -> Result<Calendar> {
        let mut cal = Calendar::builtin();
        for (_, content) in self.calendar_imports_raw().await? {
            let data = parse_year(&content).map_err(|e| Error::Invalid(e.to_string()))?;
            cal.insert(data)
                .map_err(|e| Error::Invalid(e.to_string()))?;
        }
        Ok(cal)
    }

    async fn calendar_imports_raw(&self) -> Result<Vec<(i32, String)>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT year, content FROM calendar_years ORDER BY year")
            .fetch_all(p)
            .await)?)
    }

    /// The imported years: (year, source, imported at).
    pub async fn calendar_imports(&self) -> Result<Vec<(i32, String, NaiveDateTime)>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT year, source, imported_at FROM calendar_years ORDER BY year")
            .fetch_all(p)
            .await)?)
    }

    /// Imports a corrected or added year and recomputes the deadlines of the open cases in the
    /// same transaction (see [`Tx::import_calendar_year`]).
    pub async fn import_calendar_year(
        &self,
        data: YearData,
        actor: &str,
        at: NaiveDateTime,
    ) -> Result<Vec<Recomputed>> {
        let cal = self.calendar().await?;
        self.write(async |tx| tx.import_calendar_year(cal, data, actor, at).await)
            .await
    }

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

    /// The rank of a case among its applicant's applications to the same organ in the calendar
    /// month of its receipt (1-based; ties on the same day in registration order) — the count
    /// 按件计收 charges by.
    pub async fn applicant_rank_in_month(&self, id: i64) -> Result<u32> {
        let (organ_id, key, received): (i64, String, NaiveDate) =
            on_pool!(self, p => sqlx::query_as(
            "SELECT organ_id, applicant_key, received_on FROM applications WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await)?
            .ok_or_else(|| Error::NotFound(format!("申请（编号 {id}）")))?;
        let first = received.with_day(1).expect("day 1 exists");
        let n: i64 = on_pool!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM applications WHERE organ_id = $1 AND applicant_key = $2 \
             AND received_on >= $3 AND (received_on < $4 OR (received_on = $4 AND id <= $5))")
            .bind(organ_id)
            .bind(key)
            .bind(first)
            .bind(received)
            .bind(id)
            .fetch_one(p)
            .await)?;
        Ok(n as u32)
    }

    /// What the annual report of `year` needs of the cases of these organs: every case received
    /// by 31 December and not closed before 1 January (new, carried in, closed in the year and
    /// carried out are told apart by the report computation).
    pub async fn application_summaries(
        &self,
        unit_ids: &[i64],
        year: i32,
    ) -> Result<Vec<ApplicationSummary>> {
        let mut out = Vec::new();
        for &organ in unit_ids {
            for r in self.applications(Some(organ), Some(year)).await? {
                out.push(r.summary());
            }
        }
        Ok(out)
    }

    /// What the report of `year` counts of the cases of these organs, counted in SQL: one row per
    /// applicant type, month of receipt (0 = an earlier year), reply when closed in the year and
    /// whether it was in time, over the same cases [`Db::application_summaries`] loads. Gives
    /// the same tally as `tally(summaries.in_year(year))` without loading the cases.
    pub async fn application_counts(
        &self,
        unit_ids: &[i64],
        year: i32,
    ) -> Result<Vec<ApplicationCount>> {
        // $1 organ, $2 1 January, $3 31 December, $4..$14 the first days of February to December.
        const SQL: &str = "SELECT applicant_type, \
             CASE WHEN received_on < $2 THEN 0 WHEN received_on < $4 THEN 1 \
               WHEN received_on < $5 THEN 2 WHEN received_on < $6 THEN 3 \
               WHEN received_on < $7 THEN 4 WHEN received_on < $8 THEN 5 \
               WHEN received_on < $9 THEN 6 WHEN received_on < $10 THEN 7 \
               WHEN received_on < $11 THEN 8 WHEN received_on < $12 THEN 9 \
               WHEN received_on < $13 THEN 10 WHEN received_on < $14 THEN 11 ELSE 12 END AS month, \
             CASE WHEN closed_on <= $3 THEN result END AS closed_result, \
             CASE WHEN closed_on IS NULL OR closed_on > $3 OR result IS NULL OR due_on IS NULL THEN NULL \
               WHEN closed_on <= due_on THEN 1 ELSE 0 END AS on_time, \
             COUNT(*) AS n \
             FROM applications WHERE organ_id = $1 AND received_on <= $3 \
             AND (closed_on IS NULL OR closed_on >= $2) \
             GROUP BY applicant_type, month, closed_result, on_time";
        let (start, end) = crate::records::year_bounds(year);
        let months: Vec<NaiveDate> = (2..=12)
            .map(|m| NaiveDate::from_ymd_opt(year, m, 1).expect("valid month"))
            .collect();
        let mut out = Vec::new();
        for &organ in unit_ids {
            let rows: Vec<CountRow> = on_pool!(self, p => {
                let mut q = sqlx::query_as(SQL).bind(organ).bind(start).bind(end);
                for m in &months {
                    q = q.bind(*m);
                }
                q.fetch_all(p).await
            })?;
            for (applicant, month, result, on_time, n) in rows {
                let standing = match result {
                    Some(r) => YearStanding::Closed {
                        result: from_snake("答复结果", &r)?,
                        on_time: on_time.map(|t| t == 1),
                    },
                    None => YearStanding::Open,
                };
                out.push(ApplicationCount {
                    applicant: from_snake("申请人类型", &applicant)?,
                    received_month: month as u8,
                    standing,
                    n: n as u64,
                });
            }
        }
        Ok(gongkai_domain::application::tally(out))
    }

    /// The same tally as [`Db::application_counts`], from a projection of the five columns the
    /// report reads, classified in Rust (`ApplicationSummary::in_year`) instead of grouped in SQL.
    pub async fn application_counts_projected(
        &self,
        unit_ids: &[i64],
        year: i32,
    ) -> Result<Vec<ApplicationCount>> {
        type Lean = (
            String,
            NaiveDate,
            Option<NaiveDate>,
            Option<String>,
            Option<NaiveDate>,
        );
        let (start, end) = crate::records::year_bounds(year);
        let mut types: std::collections::HashMap<String, ApplicantType> = Default::default();
        let mut results: std::collections::HashMap<String, ReplyResult> = Default::default();
        let mut out = Vec::new();
        for &organ in unit_ids {
            let rows: Vec<Lean> = on_pool!(self, p => sqlx::query_as(
                "SELECT applicant_type, received_on, closed_on, result, due_on FROM applications \
                 WHERE organ_id = $1 AND received_on <= $3 AND (closed_on IS NULL OR closed_on >= $2)")
                .bind(organ)
                .bind(start)
                .bind(end)
                .fetch_all(p)
                .await)?;
            for (t, received, closed_on, result, due) in rows {
                let applicant = match types.get(&t) {
                    Some(a) => *a,
                    None => {
                        let a: ApplicantType = from_snake("申请人类型", &t)?;
                        types.insert(t, a);
                        a
                    }
                };
                let closed = match (closed_on, result) {
                    (Some(d), Some(r)) => Some((
                        d,
                        match results.get(&r) {
                            Some(x) => *x,
                            None => {
                                let x: ReplyResult = from_snake("答复结果", &r)?;
                                results.insert(r, x);
                                x
                            }
                        },
                    )),
                    _ => None,
                };
                let s = ApplicationSummary {
                    applicant,
                    received,
                    closed,
                    due,
                };
                out.extend(s.in_year(year));
            }
        }
        Ok(gongkai_domain::application::tally(out))
    }

    /// Fills the application part of a report input — the cases of table 三, counted, and the
    /// 信息处理费 collected — for its organ and units (`input.organ`, `input.units`,
    /// `input.year`). The report loader calls this after loading the other records.
    pub async fn fill_applications(
        &self,
        input: &mut gongkai_domain::report::compute::ReportInput,
    ) -> Result<()> {
        let ids: Vec<i64> = input
            .organ
            .iter()
            .map(|o| o.id)
            .chain(input.units.iter().map(|u| u.id))
            .collect();
        input.applications = Vec::new();
        input.application_counts = self.application_counts(&ids, input.year).await?;
        input.processing_fees_fen = self.application_fees_fen(&ids, input.year).await?;
        Ok(())
    }

    /// 信息处理费 paid in `year` on the cases of these organs, in 分. Only the cases with a fee
    /// paid are replayed (a partial index finds them); the year of payment is in their logs.
    pub async fn application_fees_fen(&self, unit_ids: &[i64], year: i32) -> Result<i64> {
        let (start, end) = crate::records::year_bounds(year);
        let mut total = 0;
        for &organ in unit_ids {
            let ids: Vec<i64> = on_pool!(self, p => sqlx::query_scalar(
                "SELECT id FROM applications WHERE organ_id = $1 AND fee_paid_fen > 0 \
                 AND received_on <= $3 AND (closed_on IS NULL OR closed_on >= $2) ORDER BY id")
                .bind(organ)
                .bind(start)
                .bind(end)
                .fetch_all(p)
                .await)?;
            for id in ids {
                let app = Application::from_events(&self.application_events(id).await?)
                    .map_err(workflow)?;
                total += app
                    .fees
                    .iter()
                    .filter(|f| f.paid_on.is_some_and(|d| d.year() == year))
                    .map(|f| f.amount_fen)
                    .sum::<i64>();
            }
        }
        Ok(total)
    }
}

/// A file released to an applicant with a reply (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ReleasedFile {
    pub id: i64,
    pub application_id: i64,
    pub filename: String,
    pub content_type: String,
    pub uploaded_at: NaiveDateTime,
    pub uploaded_by: String,
}

impl Tx {
    /// Keeps a file released to the applicant of case `application_id`.
    pub async fn insert_application_file(
        &mut self,
        application_id: i64,
        filename: &str,
        content_type: &str,
        data: &[u8],
        at: NaiveDateTime,
        by: &str,
    ) -> Result<i64> {
        Ok(on_tx!(self, c => sqlx::query_scalar(
            "INSERT INTO application_files (application_id, filename, content_type, data, uploaded_at, uploaded_by) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
            .bind(application_id)
            .bind(filename)
            .bind(content_type)
            .bind(data)
            .bind(at)
            .bind(by)
            .fetch_one(c)
            .await)?)
    }
}

impl Db {
    /// The files released with case `application_id`, oldest first.
    pub async fn application_files(&self, application_id: i64) -> Result<Vec<ReleasedFile>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT id, application_id, filename, content_type, uploaded_at, uploaded_by \
             FROM application_files WHERE application_id = $1 ORDER BY id")
            .bind(application_id)
            .fetch_all(p)
            .await)?)
    }

    /// One released file of case `application_id` with its bytes.
    pub async fn application_file(
        &self,
        application_id: i64,
        id: i64,
    ) -> Result<Option<(ReleasedFile, Vec<u8>)>> {
        let info: Option<ReleasedFile> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, application_id, filename, content_type, uploaded_at, uploaded_by \
             FROM application_files WHERE application_id = $1 AND id = $2")
            .bind(application_id)
            .bind(id)
            .fetch_optional(p)
            .await)?;
        let Some(info) = info else { return Ok(None) };
        let data: Vec<u8> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT data FROM application_files WHERE id = $1")
            .bind(id)
            .fetch_one(p)
            .await)?;
        Ok(Some((info, data)))
    }
}
