//! The back office's smaller reads, each with its permission: an organ's settings and
//! announcements, its report drafts and published versions, the audit log within the organs the
//! reader may audit, and the background jobs.

use crate::{Actor, App, Error, Perm, Result};
use gongkai_store::changes::{Job, JobState};
use gongkai_store::portal::{Announcement, OrganSettings, PublishedReport, ReportDraft};
use gongkai_store::users::{AuditEntry, AuditQuery};

/// The office settings of an organ (its 公开指南), for anyone working on it.
pub async fn settings(app: &App, actor: &Actor, organ_id: i64) -> Result<OrganSettings> {
    actor.require(app, Perm::View, organ_id).await?;
    Ok(app.db.organ_settings(organ_id).await?)
}

/// Every announcement (公告) of an organ, drafts among them.
pub async fn announcements(app: &App, actor: &Actor, organ_id: i64) -> Result<Vec<Announcement>> {
    actor.require(app, Perm::View, organ_id).await?;
    Ok(app.db.announcements(organ_id, true).await?)
}

/// The drafts of an organ's annual report kept for the years `years`, newest year first.
pub async fn report_drafts(
    app: &App,
    actor: &Actor,
    organ_id: i64,
    years: std::ops::RangeInclusive<i32>,
) -> Result<Vec<ReportDraft>> {
    actor.require(app, Perm::View, organ_id).await?;
    let mut out = Vec::new();
    for y in years.rev() {
        if let Some(d) = app.db.report_draft(organ_id, y).await? {
            out.push(d);
        }
    }
    Ok(out)
}

/// Every published version of an organ's annual reports, newest year first.
pub async fn report_versions(
    app: &App,
    actor: &Actor,
    organ_id: i64,
) -> Result<Vec<PublishedReport>> {
    actor.require(app, Perm::View, organ_id).await?;
    Ok(app.db.published_reports(organ_id).await?)
}

/// A page of the audit log, within the organs where the reader's role may read it (a
/// supervisor granted over another organ reads that organ's; an editor at home does not read
/// home's); an account with no home organ (the system's administrator) and the operator read
/// all of it. `q.organs` is set here, whatever the caller put there.
pub async fn audit_log(
    app: &App,
    actor: &Actor,
    mut q: AuditQuery,
) -> Result<(Vec<AuditEntry>, i64)> {
    if !actor.holds(app, Perm::Audit).await? {
        return Err(Error::Forbidden);
    }
    q.organs = match actor {
        Actor::Operator(_) => None,
        Actor::User(u) if u.organ_id.is_none() => None,
        _ => Some(
            actor
                .organs_with(app, Perm::Audit)
                .await?
                .iter()
                .map(|o| o.id)
                .collect(),
        ),
    };
    Ok(app.db.audit_search(&q).await?)
}

/// The background jobs (the newest `limit`, in one state when given) and the count per state,
/// for the system's administrators.
pub async fn jobs(
    app: &App,
    actor: &Actor,
    state: Option<JobState>,
    limit: i64,
) -> Result<(Vec<Job>, Vec<(JobState, i64)>)> {
    actor.require_role(Perm::System)?;
    Ok((app.db.jobs(state, limit).await?, app.db.job_counts().await?))
}

/// An item waiting for review, and since when (in the installation's zone).
pub struct Waiting {
    pub item: gongkai_domain::records::CatalogueItem,
    pub organ: String,
    pub since: Option<chrono::NaiveDateTime>,
    /// Days and working days waited until today.
    pub days: Option<i64>,
    pub working_days: Option<i64>,
}

/// The dashboard (工作台) of one person: what waits that they may act on.
pub struct Dashboard {
    /// The organs they work on.
    pub organs: Vec<gongkai_domain::records::Organ>,
    pub can_edit: bool,
    pub can_review: bool,
    pub can_handle: bool,
    pub drafts: usize,
    pub in_review: usize,
    /// Items waiting for a review this person may give, longest waiting first (those with no
    /// submission on record last).
    pub review: Vec<Waiting>,
    /// Items near or past art. 26's 20 working days, with the warning.
    pub warnings: Vec<(gongkai_domain::records::CatalogueItem, String)>,
    /// Cases overdue or due soon where they handle applications, most urgent first.
    pub cases: Vec<(gongkai_domain::records::Organ, crate::cases::CaseState)>,
    /// Letters not answered yet where they handle letters.
    pub open_letters: usize,
    /// The first 20 of them, the earliest due first.
    pub letters: Vec<DueLetter>,
    /// The categories of each organ an item above belongs to.
    pub categories: std::collections::BTreeMap<i64, Vec<gongkai_domain::records::Category>>,
    pub calendar: gongkai_domain::calendar::Calendar,
    pub today: chrono::NaiveDate,
}

/// A letter not yet answered, with the date its reply is due.
pub struct DueLetter {
    pub id: i64,
    pub organ: String,
    pub subject: String,
    pub received_on: chrono::NaiveDate,
    /// The reply's due date, and whether it is provisional (next year's holidays not loaded).
    pub due: Option<(chrono::NaiveDate, bool)>,
    /// Past its due date today.
    pub overdue: bool,
}

/// [`Dashboard`] of `actor`.
pub async fn dashboard(app: &App, actor: &Actor) -> Result<Dashboard> {
    use gongkai_domain::records::{ItemStatus, Timeliness};
    let organs = actor.organs(app).await?;
    let today = app.time.today();
    let calendar = crate::cases::calendar(app).await?;
    let (mut can_edit, mut review_organs, mut handle_organs) = (false, Vec::new(), Vec::new());
    for o in &organs {
        can_edit |= actor.can(app, Perm::Edit, o.id).await?;
        if actor.can(app, Perm::Review, o.id).await? {
            review_organs.push(o.id);
        }
        if actor.can(app, Perm::Handle, o.id).await? {
            handle_organs.push(o.id);
        }
    }
    let name_of = |id: i64| {
        organs
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.name.clone())
            .unwrap_or_default()
    };
    let ids: Vec<i64> = organs.iter().map(|o| o.id).collect();
    let items = app.db.items_in_progress(&ids).await?;
    let waiting: Vec<i64> = items
        .iter()
        .filter(|it| it.status == ItemStatus::InReview && review_organs.contains(&it.organ_id))
        .map(|it| it.id)
        .collect();
    let submitted = app.db.items_submitted_at(&waiting).await?;
    let zone = app.time.zone();
    let (mut drafts, mut in_review) = (0, 0);
    let (mut review, mut warnings) = (Vec::new(), Vec::new());
    let mut categories = std::collections::BTreeMap::new();
    for it in items {
        match it.status {
            ItemStatus::Draft => drafts += 1,
            ItemStatus::InReview => in_review += 1,
            _ => {}
        }
        if let std::collections::btree_map::Entry::Vacant(e) = categories.entry(it.organ_id) {
            e.insert(app.db.categories(it.organ_id).await?);
        }
        let w = Timeliness::of(&it, today, &calendar).warning();
        if !w.is_empty() {
            warnings.push((it.clone(), w));
        }
        if waiting.contains(&it.id) {
            let since = submitted
                .get(&it.id)
                .map(|at| at.with_timezone(&zone).naive_local());
            review.push(Waiting {
                organ: name_of(it.organ_id),
                days: since.map(|s| (today - s.date()).num_days()),
                working_days: since
                    .and_then(|s| calendar.working_days_between(s.date(), today).ok()),
                since,
                item: it,
            });
        }
    }
    review.sort_by_key(|w| (w.since.is_none(), w.since));
    let (mut open_letters, mut letters) = (0, Vec::new());
    for o in &handle_organs {
        for l in app
            .db
            .portal_letters(*o, true)
            .await?
            .into_iter()
            .filter(|l| l.replied_on.is_none())
        {
            open_letters += 1;
            let due = crate::letters::reply_due(&calendar, l.received_on);
            letters.push(DueLetter {
                id: l.letter_id,
                organ: name_of(*o),
                subject: l.subject,
                received_on: l.received_on,
                overdue: due.is_some_and(|(d, _)| d < today),
                due,
            });
        }
    }
    letters.sort_by_key(|l| l.due.map(|(d, _)| d));
    letters.truncate(20);
    Ok(Dashboard {
        cases: crate::cases::pressing(app, actor).await?,
        can_review: !review_organs.is_empty(),
        can_handle: !handle_organs.is_empty(),
        organs,
        can_edit,
        drafts,
        in_review,
        review,
        warnings,
        open_letters,
        letters,
        categories,
        calendar,
        today,
    })
}

/// A page of an organ's letters (only those not answered when `open_only`), newest first, and
/// how many there are.
pub async fn letters(
    app: &App,
    actor: &Actor,
    organ_id: i64,
    open_only: bool,
    limit: i64,
    offset: i64,
) -> Result<(Vec<gongkai_store::portal::PortalLetter>, i64)> {
    actor.require(app, Perm::View, organ_id).await?;
    Ok(app
        .db
        .portal_letters_page(organ_id, open_only, limit, offset)
        .await?)
}

/// A letter as the back office shows it: the letter, its organ, whether the reader handles
/// letters there, and the writer's name and contact for those who do (empty for others).
pub struct Letter {
    pub letter: gongkai_store::portal::PortalLetter,
    pub organ: gongkai_domain::records::Organ,
    pub can_handle: bool,
    pub writer: (String, String),
}

/// [`Letter`] of `id`.
pub async fn letter(app: &App, actor: &Actor, id: i64) -> Result<Letter> {
    let letter = app
        .db
        .portal_letter(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("来信（编号 {id}）")))?;
    actor.require(app, Perm::View, letter.organ_id).await?;
    let organ = crate::organs::get(app, letter.organ_id).await?;
    let can_handle = actor.can(app, Perm::Handle, letter.organ_id).await?;
    let writer = if can_handle {
        app.db.letter_writer(id).await?.unwrap_or_default()
    } else {
        Default::default()
    };
    Ok(Letter {
        letter,
        organ,
        can_handle,
        writer,
    })
}

/// An organ's 事项 (the registers of table 二 are read a page at a time: `registers::page`) and
/// its review and litigation cases, every entry.
pub struct Registers {
    pub matters: Vec<gongkai_domain::records::Matter>,
    pub cases: Vec<gongkai_domain::records::Case>,
}

/// [`Registers`] of `organ_id`.
pub async fn registers(app: &App, actor: &Actor, organ_id: i64) -> Result<Registers> {
    actor.require(app, Perm::View, organ_id).await?;
    let (_, to) = gongkai_store::records::all_time();
    Ok(Registers {
        matters: app.db.matters(organ_id).await?,
        cases: app.db.cases(organ_id, to).await?,
    })
}
