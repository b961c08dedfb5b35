//! The read side of disclosure on application: what the back office, the API and `gongkai
//! application` show of cases. Each read checks the actor's permission over the case's organ,
//! and decides here — not in a door — what a case means today: its clock (a deadline the
//! calendar does not reach yet is provisional), whether it is overdue or due soon, which cases
//! were carried over into the next year, and how much of the applicant the reader may see.

use crate::{Actor, App, Error, Perm, Result};
use chrono::NaiveDate;
use gongkai_domain::application::clock::{Clock, compute_provisional};
use gongkai_domain::application::events::Event;
use gongkai_domain::application::workflow::Application;
use gongkai_domain::calendar::Calendar;
use gongkai_domain::records::Organ;
use gongkai_store::applications::{ApplicationRecord, NoticeRecord, ReleasedFile, VoidRecord};

/// Working days left before a case is flagged as due soon.
pub const DUE_SOON_DAYS: i64 = 5;

/// How pressing an open case is today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Urgency {
    /// Past its deadline and not closed.
    Overdue,
    /// Within [`DUE_SOON_DAYS`] working days of its deadline.
    Soon,
    /// Neither (closed, stopped, or time left).
    Calm,
}

/// A case and its clock today.
#[derive(Debug, Clone)]
pub struct CaseState {
    pub record: ApplicationRecord,
    pub clock: Clock,
    /// The deadline was counted on a provisional calendar (`clock::compute_provisional`).
    pub provisional: bool,
    pub urgency: Urgency,
}

impl CaseState {
    /// Most urgent first: overdue, then by deadline, those without one last.
    pub fn urgency_order(&self) -> (Urgency, bool, Option<NaiveDate>) {
        let u = match self.urgency {
            Urgency::Overdue => Urgency::Overdue,
            _ => Urgency::Calm,
        };
        (u, self.clock.due.is_none(), self.clock.due)
    }
}

/// The working-day calendar (built-in years and those imported): public knowledge, no right
/// needed.
pub async fn calendar(app: &App) -> Result<Calendar> {
    Ok(app.db.calendar().await?)
}

/// The case replayed from its log (voided steps left out) with its clock on `today`.
async fn replay(
    app: &App,
    cal: &Calendar,
    id: i64,
    today: NaiveDate,
) -> Result<(Vec<Event>, Application, Clock, bool)> {
    let events = app.db.application_events(id).await?;
    let case = Application::from_events(&events).map_err(|e| Error::Internal(e.to_string()))?;
    let (clock, provisional) = compute_provisional(&case, cal, today);
    Ok((events, case, clock, provisional))
}

/// The state of a case the caller already may see.
async fn state_of(
    app: &App,
    cal: &Calendar,
    record: ApplicationRecord,
    today: NaiveDate,
) -> Result<CaseState> {
    let (_, _, clock, provisional) = replay(app, cal, record.id, today).await?;
    let urgency = if clock.overdue {
        Urgency::Overdue
    } else if clock.days_left.is_some_and(|d| d <= DUE_SOON_DAYS) {
        Urgency::Soon
    } else {
        Urgency::Calm
    };
    Ok(CaseState {
        record,
        clock,
        provisional,
        urgency,
    })
}

/// The case of `id`, if the actor may see its organ's cases.
pub async fn record(app: &App, actor: &Actor, id: i64) -> Result<ApplicationRecord> {
    crate::applications::get(app, actor, id).await
}

/// A case by its number, within an organ when given (a number several organs use must be
/// qualified).
pub async fn find(
    app: &App,
    actor: &Actor,
    number: &str,
    organ_id: Option<i64>,
) -> Result<ApplicationRecord> {
    let r = app.db.find_application(number, organ_id).await?;
    actor.require(app, Perm::View, r.organ_id).await?;
    Ok(r)
}

/// The organs among `organ` (or every organ when `None`) whose cases the actor may see.
async fn visible_organs(app: &App, actor: &Actor, organ: Option<i64>) -> Result<Vec<i64>> {
    match organ {
        Some(id) => {
            actor.require(app, Perm::View, id).await?;
            Ok(vec![id])
        }
        None => Ok(actor
            .organs_with(app, Perm::View)
            .await?
            .into_iter()
            .map(|o| o.id)
            .collect()),
    }
}

/// Cases of an organ (every organ the actor sees when `None`) received in `year` or still open
/// in it, in order of receipt.
pub async fn list(
    app: &App,
    actor: &Actor,
    organ: Option<i64>,
    year: Option<i32>,
) -> Result<Vec<ApplicationRecord>> {
    let mut out = Vec::new();
    if organ.is_none() && matches!(actor, Actor::Operator(_)) {
        return Ok(app.db.applications(None, year).await?);
    }
    for id in visible_organs(app, actor, organ).await? {
        out.extend(app.db.applications(Some(id), year).await?);
    }
    out.sort_by_key(|r| (r.received_on, r.id));
    Ok(out)
}

/// Which cases a list keeps.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    /// Only those not closed.
    pub open: bool,
    /// Only those open past their deadline.
    pub overdue: bool,
}

/// Cases as [`list`] gives them, each with its clock on `today`, filtered.
pub async fn states(
    app: &App,
    actor: &Actor,
    organ: Option<i64>,
    year: Option<i32>,
    filter: Filter,
    today: NaiveDate,
) -> Result<Vec<CaseState>> {
    let cal = calendar(app).await?;
    let mut out = Vec::new();
    for r in list(app, actor, organ, year).await? {
        if (filter.open || filter.overdue) && !r.status.is_open() {
            continue;
        }
        let s = state_of(app, &cal, r, today).await?;
        if filter.overdue && s.urgency != Urgency::Overdue {
            continue;
        }
        out.push(s);
    }
    Ok(out)
}

/// Cases open on 31 December of `year`, carried over into the next (table 三's
/// “四、结转下年度继续办理”).
pub async fn carried_over(
    app: &App,
    actor: &Actor,
    organ: Option<i64>,
    year: i32,
) -> Result<Vec<ApplicationRecord>> {
    let end = NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or_else(|| Error::invalid("year", format!("年份{year}无效")))?;
    Ok(list(app, actor, organ, Some(year))
        .await?
        .into_iter()
        .filter(|r| r.summary().open_at(end))
        .collect())
}

/// An organ's cases as the back office lists them: every open one with its clock, most urgent
/// first, and one page of the closed ones, newest first.
pub struct Desk {
    pub open: Vec<CaseState>,
    pub closed: Vec<CaseState>,
    /// How many closed cases there are in all.
    pub closed_total: i64,
}

/// [`Desk`] of `organ_id`, the closed cases' page `page` (from 1) of `per_page`.
pub async fn desk(
    app: &App,
    actor: &Actor,
    organ_id: i64,
    page: i64,
    per_page: i64,
) -> Result<Desk> {
    actor.require(app, Perm::View, organ_id).await?;
    let today = app.time.today();
    let cal = calendar(app).await?;
    let mut open = Vec::new();
    let mut closed_records = Vec::new();
    for r in app.db.applications(Some(organ_id), None).await? {
        if r.status.is_open() {
            open.push(state_of(app, &cal, r, today).await?);
        } else {
            closed_records.push(r);
        }
    }
    closed_records.reverse();
    let closed_total = closed_records.len() as i64;
    let mut closed = Vec::new();
    for r in closed_records
        .into_iter()
        .skip(((page.max(1) - 1) * per_page) as usize)
        .take(per_page as usize)
    {
        closed.push(state_of(app, &cal, r, today).await?);
    }
    open.sort_by_key(|s| s.urgency_order());
    Ok(Desk {
        open,
        closed,
        closed_total,
    })
}

/// The open cases overdue or due soon of every organ where the actor handles applications,
/// each with its organ, most urgent first (the dashboard).
pub async fn pressing(app: &App, actor: &Actor) -> Result<Vec<(Organ, CaseState)>> {
    let today = app.time.today();
    let cal = calendar(app).await?;
    let mut out = Vec::new();
    for o in actor.organs_with(app, Perm::Handle).await? {
        for r in app.db.applications(Some(o.id), None).await? {
            if !r.status.is_open() {
                continue;
            }
            let s = state_of(app, &cal, r, today).await?;
            if s.urgency != Urgency::Calm {
                out.push((o.clone(), s));
            }
        }
    }
    out.sort_by_key(|(_, s)| s.urgency_order());
    Ok(out)
}

/// Everything the case file shows. The applicant and the log are masked unless the reader
/// handles the organ's cases.
pub struct CaseFile {
    pub record: ApplicationRecord,
    pub organ: Organ,
    /// May the reader take steps (and see the applicant in full)?
    pub can_handle: bool,
    /// The case replayed from its log (voided steps left out), applicant masked unless
    /// `can_handle`.
    pub case: Application,
    /// The clock on `today`.
    pub clock: Clock,
    pub provisional: bool,
    pub today: NaiveDate,
    pub calendar: Calendar,
    /// The log that counts (voided steps left out), masked unless `can_handle`.
    pub events: Vec<Event>,
    /// The whole log, voided steps with their void, masked unless `can_handle`.
    pub log: Vec<(Event, Option<VoidRecord>)>,
    pub notices: Vec<NoticeRecord>,
    /// Files released to the applicant with the reply.
    pub files: Vec<ReleasedFile>,
    /// The applicant's query code (only for those who handle the case).
    pub query_code: Option<String>,
}

/// The case file of `id` on `today` (the installation's today when `None`).
pub async fn case_file(
    app: &App,
    actor: &Actor,
    id: i64,
    today: Option<NaiveDate>,
) -> Result<CaseFile> {
    let record = record(app, actor, id).await?;
    let organ = app
        .db
        .organ(record.organ_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("机关（编号 {}）", record.organ_id)))?;
    let can_handle = actor.can(app, Perm::Handle, record.organ_id).await?;
    let today = today.unwrap_or_else(|| app.time.today());
    let calendar = calendar(app).await?;
    let (mut events, mut case, clock, provisional) = replay(app, &calendar, id, today).await?;
    let mut log = app.db.application_log(id).await?;
    if !can_handle {
        case.applicant = case.applicant.masked();
        for e in events.iter_mut() {
            e.kind = e.kind.masked();
        }
        for (e, _) in log.iter_mut() {
            e.kind = e.kind.masked();
        }
    }
    let query_code = if can_handle {
        app.db.application_code(id).await?
    } else {
        None
    };
    Ok(CaseFile {
        notices: app.db.application_notices(id).await?,
        files: app.db.application_files(id).await?,
        record,
        organ,
        can_handle,
        case,
        clock,
        provisional,
        today,
        calendar,
        events,
        log,
        query_code,
    })
}

/// The notices issued for a case the actor may see.
pub async fn notices(app: &App, actor: &Actor, id: i64) -> Result<Vec<NoticeRecord>> {
    record(app, actor, id).await?;
    Ok(app.db.application_notices(id).await?)
}

/// The log of a case that counts (voided steps left out), masked unless the actor handles the
/// organ's cases.
pub async fn events(app: &App, actor: &Actor, id: i64) -> Result<Vec<Event>> {
    let r = record(app, actor, id).await?;
    let mut events = app.db.application_events(id).await?;
    if !actor.can(app, Perm::Handle, r.organ_id).await? {
        for e in events.iter_mut() {
            e.kind = e.kind.masked();
        }
    }
    Ok(events)
}
