//! Supervision across organs (art. 49, art. 26, arts. 33 and 43), as the back office's page and
//! workbook read it: for each organ the actor oversees (`Perm::Audit`), its annual report against
//! the deadline (or the parent's report that covers it), its open and overdue applications, the
//! items it published later than 20 working days after they were formed, and the letters it has
//! not answered. What is "overdue", "late" or "covered" is decided here, once.

use crate::cases::{self, CaseState, Urgency};
use crate::{Actor, App, Error, Perm, Result};
use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use gongkai_domain::calendar::Calendar;
use gongkai_domain::records::{
    CatalogueItem, ItemStatus, Organ, PUBLICATION_LIMIT_WORKING_DAYS, Timeliness,
};

/// Working days from `a` to `b` (the start day not counted): from the calendar, or Monday to
/// Friday where it does not cover the dates.
pub fn working_days(cal: &Calendar, a: NaiveDate, b: NaiveDate) -> i64 {
    cal.working_days_between(a, b).unwrap_or_else(|_| {
        a.iter_days()
            .skip(1)
            .take_while(|d| *d <= b)
            .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
            .count() as i64
    })
}

/// Where an organ's annual report of the year stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportStanding {
    /// Published on that day (in the installation's zone), late or not.
    Published { on: NaiveDate, late: bool },
    /// Not published by the organ, but covered by the report of an organ above it.
    Covered { by: String, on: NaiveDate },
    /// Not published, past the deadline.
    Overdue,
    /// Not published, the deadline not passed (or none).
    Pending,
}

/// The records behind one organ's figures: each figure is the length of one of these lists.
#[derive(Debug, Clone)]
pub struct Figures {
    pub open: Vec<CaseState>,
    pub overdue: Vec<CaseState>,
    /// Items published this year; those among them published past 20 working days.
    pub published: Vec<CatalogueItem>,
    pub published_late: Vec<CatalogueItem>,
    /// Items not yet published, already past 20 working days.
    pub pending_late: Vec<CatalogueItem>,
}

/// One organ's line of the overview.
#[derive(Debug, Clone)]
pub struct OrganLine {
    pub organ: Organ,
    pub report: ReportStanding,
    pub report_deadline: Option<NaiveDate>,
    pub figures: Figures,
    pub letters_open: i64,
}

/// The overview: every organ the actor oversees, and the report year (last year).
pub struct Overview {
    pub lines: Vec<OrganLine>,
    pub report_year: i32,
    pub today: NaiveDate,
    pub calendar: Calendar,
}

/// The organs the actor oversees (refused when none).
async fn overseen(app: &App, actor: &Actor) -> Result<Vec<Organ>> {
    actor.require_role(Perm::Audit)?;
    let organs = actor.organs_with(app, Perm::Audit).await?;
    if organs.is_empty() {
        return Err(Error::Forbidden);
    }
    Ok(organs)
}

async fn figures_of(
    app: &App,
    actor: &Actor,
    organ_id: i64,
    cal: &Calendar,
    today: NaiveDate,
) -> Result<Figures> {
    let year = today.year();
    let open = cases::states(
        app,
        actor,
        Some(organ_id),
        None,
        cases::Filter {
            open: true,
            overdue: false,
        },
        today,
    )
    .await?;
    let overdue = open
        .iter()
        .filter(|s| s.urgency == Urgency::Overdue)
        .cloned()
        .collect();
    let mut f = Figures {
        open,
        overdue,
        published: vec![],
        published_late: vec![],
        pending_late: vec![],
    };
    for it in app.db.items(organ_id).await? {
        match (it.status, it.written_on, it.published_on) {
            (ItemStatus::Published | ItemStatus::Withdrawn, Some(w), Some(p))
                if p.year() == year =>
            {
                if working_days(cal, w, p) > PUBLICATION_LIMIT_WORKING_DAYS {
                    f.published_late.push(it.clone());
                }
                f.published.push(it);
            }
            (ItemStatus::Draft | ItemStatus::InReview, _, _) => {
                if matches!(Timeliness::of(&it, today, cal), Timeliness::Late(_)) {
                    f.pending_late.push(it);
                }
            }
            _ => {}
        }
    }
    Ok(f)
}

/// Every organ the actor oversees, with its figures.
pub async fn overview(app: &App, actor: &Actor) -> Result<Overview> {
    let organs = overseen(app, actor).await?;
    let today = app.time.today();
    let report_year = today.year() - 1;
    let cal = cases::calendar(app).await?;
    let published = app.db.reports_first_published(report_year).await?;
    let letters = app.db.unanswered_letters().await?;
    let zone = app.time.zone();
    let day = |at: &DateTime<Utc>| at.with_timezone(&zone).date_naive();
    let mut lines = Vec::new();
    for o in organs {
        let deadline = gongkai_domain::report::rules::deadline(report_year, o.kind);
        let report = match published.get(&o.id) {
            Some(at) => {
                let on = day(at);
                ReportStanding::Published {
                    on,
                    late: deadline.is_some_and(|d| on > d),
                }
            }
            None => match crate::reports::covering_report(app, &o, report_year).await? {
                Some((parent, at)) => ReportStanding::Covered {
                    by: parent.name,
                    on: day(&at),
                },
                None if deadline.is_some_and(|d| today > d) => ReportStanding::Overdue,
                None => ReportStanding::Pending,
            },
        };
        let figures = figures_of(app, actor, o.id, &cal, today).await?;
        lines.push(OrganLine {
            letters_open: letters.get(&o.id).copied().unwrap_or(0),
            organ: o,
            report,
            report_deadline: deadline,
            figures,
        });
    }
    Ok(Overview {
        lines,
        report_year,
        today,
        calendar: cal,
    })
}

/// The figures of one organ the actor oversees, with the organ, today and the calendar they
/// were counted on.
pub async fn figures(
    app: &App,
    actor: &Actor,
    organ_id: i64,
) -> Result<(Organ, Figures, NaiveDate, Calendar)> {
    let organ = overseen(app, actor)
        .await?
        .into_iter()
        .find(|o| o.id == organ_id)
        .ok_or(Error::Forbidden)?;
    let today = app.time.today();
    let cal = cases::calendar(app).await?;
    let f = figures_of(app, actor, organ_id, &cal, today).await?;
    Ok((organ, f, today, cal))
}
