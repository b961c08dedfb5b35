//! The statutory clock (条例第三十条—第三十四条): a pure function of a case and the calendar.
//!
//! - The period starts from the receipt date of art. 31, which depends on the channel; the start
//!   day is not counted, the deadline is the 20th working day after it.
//! - A 补正 asked within 7 working days stops the clock; the 20 days run anew from the receipt of
//!   the corrected application.
//! - Consultations (third party, art. 32; other organs, art. 34; 15 working days each) and the
//!   time between a fee notice and payment (国办函〔2020〕109号) are not counted: the working days
//!   in `(start, end]` of each such pause push the deadline back. A consultation not yet answered
//!   is assumed to run its full 15 working days, the longest it lawfully can.
//! - One extension of at most 20 working days is added at the end.
//!
//! Everything is explained step by step in Chinese in [`Clock::trace`].

use super::events::{ConsultParty, Event};
use super::workflow::{Application, Status};
use crate::calendar::{Calendar, CalendarError, DayKind, date_cn};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Working days of the reply period (art. 33).
pub const REPLY_DAYS: u32 = 20;
/// Longest extension (art. 33).
pub const MAX_EXTENSION: u32 = 20;
/// Working days within which a 补正 must be asked (art. 30).
pub const SUPPLEMENT_WINDOW: i64 = 7;
/// Working days a consulted party has (art. 32, 34).
pub const CONSULT_DAYS: u32 = 15;

/// The derived deadline of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// The receipt date (art. 31).
    pub received: NaiveDate,
    /// The day the current period runs from (receipt, or receipt of the corrected application).
    pub starts: Option<NaiveDate>,
    /// The reply deadline; `None` while the clock is stopped (awaiting correction or payment)
    /// or when the calendar cannot answer.
    pub due: Option<NaiveDate>,
    /// Working days not counted (consultations, fee periods).
    pub paused_days: u32,
    /// Working days of extension granted.
    pub extension_days: u32,
    /// Working days from `today` to the deadline (negative once overdue); `None` when closed or
    /// stopped.
    pub days_left: Option<i64>,
    pub overdue: bool,
    /// For a closed case: replied on time?
    pub on_time: Option<bool>,
    pub status: Status,
    /// Each step of the count, in Chinese.
    pub trace: Vec<String>,
    /// Why no deadline could be computed (calendar not covering the dates).
    pub error: Option<String>,
}

/// The clock of a case given by its events.
pub fn compute(
    events: &[Event],
    cal: &Calendar,
    today: NaiveDate,
) -> Result<Clock, super::workflow::WorkflowError> {
    let app = Application::from_events(events)?;
    Ok(compute_for(&app, cal, today))
}

/// Holidays and 调休 days inside `(from, to]`, as a clause of the trace.
fn notable_days(cal: &Calendar, from: NaiveDate, to: NaiveDate) -> String {
    let mut holidays: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    let mut adjusted: Vec<NaiveDate> = Vec::new();
    let mut d = from;
    while d < to {
        d = match d.succ_opt() {
            Some(x) => x,
            None => break,
        };
        match cal.day_kind(d) {
            Ok(DayKind::Holiday) => match holidays.last_mut() {
                Some((_, end)) if end.succ_opt() == Some(d) => *end = d,
                _ => holidays.push((d, d)),
            },
            Ok(DayKind::AdjustedWorkday) => adjusted.push(d),
            _ => {}
        }
    }
    let fmt = |d: NaiveDate| d.format("%m-%d").to_string();
    let mut parts = Vec::new();
    if !holidays.is_empty() {
        let list: Vec<String> = holidays
            .iter()
            .map(|&(a, b)| {
                if a == b {
                    fmt(a)
                } else {
                    format!("{}至{}", fmt(a), fmt(b))
                }
            })
            .collect();
        parts.push(format!("{}为法定节假日", list.join("、")));
    }
    if !adjusted.is_empty() {
        let list: Vec<String> = adjusted
            .iter()
            .map(|&d| format!("{}（{}）", fmt(d), crate::calendar::weekday_cn(d)))
            .collect();
        parts.push(format!("{}调休上班", list.join("、")));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}；", parts.join("，"))
    }
}

/// A pause of the clock: `(start, end]` is not counted.
struct Pause {
    start: NaiveDate,
    end: Option<NaiveDate>,
    what: String,
}

/// The clock of a case, and whether its deadline is provisional: when the calendar does not
/// reach the deadline (December, before the State Council has published next year's holidays),
/// the years not loaded are counted as weekends only and the date is shown as 预计…，以节假日
/// 安排为准 — on the receipt, the case file and the 工作台 — rather than no date at all. The
/// stored deadline stays empty until the year is loaded.
pub fn compute_provisional(app: &Application, cal: &Calendar, today: NaiveDate) -> (Clock, bool) {
    let c = compute_for(app, cal, today);
    if c.due.is_some() || c.error.is_none() || !c.status.is_open() {
        return (c, false);
    }
    use chrono::Datelike;
    let p = compute_for(
        app,
        &cal.provisional(today.year().max(app.received_on.year()) + 2),
        today,
    );
    match p.due {
        Some(_) => {
            let mut p = p;
            p.trace.insert(
                0,
                format!(
                    "{}。以下为预计的期限：尚未公布节假日安排的年份暂按周六、周日休息计算，以国务院办公厅公布的节假日安排为准",
                    c.error.clone().unwrap_or_default()
                ),
            );
            p.error = c.error;
            (p, true)
        }
        None => (c, false),
    }
}

/// A deadline as people read it: the date, or 预计 the date with the caveat when provisional.
pub fn due_words(due: Option<NaiveDate>, provisional: bool) -> String {
    match (due, provisional) {
        (Some(d), true) => format!("预计{d}（以节假日安排为准）"),
        (Some(d), false) => d.to_string(),
        (None, _) => String::new(),
    }
}

/// The clock of a case.
pub fn compute_for(app: &Application, cal: &Calendar, today: NaiveDate) -> Clock {
    let mut c = Clock {
        received: app.received_on,
        starts: None,
        due: None,
        paused_days: 0,
        extension_days: 0,
        days_left: None,
        overdue: false,
        on_time: None,
        status: app.status(),
        trace: Vec::new(),
        error: None,
    };
    if let Err(e) = run(app, cal, today, &mut c) {
        c.due = None;
        c.days_left = None;
        c.overdue = false;
        c.trace.push(format!("无法计算答复期限：{e}"));
        c.error = Some(e.to_string());
    }
    c
}

/// Counts the deadline step by step, writing each step to the trace. Stops early, without a
/// deadline, while the clock is stopped (awaiting correction or payment). A calendar that does
/// not cover the dates ends the count with an error; the steps traced so far stay.
fn run(
    app: &Application,
    cal: &Calendar,
    today: NaiveDate,
    c: &mut Clock,
) -> Result<(), CalendarError> {
    trace_receipt(app, c);
    let Some(start) = period_start(app, cal, today, c)? else {
        return Ok(());
    };
    c.starts = Some(start);
    let base_due = cal.add_working_days(start, REPLY_DAYS)?;
    c.trace.push(format!(
        "{}{}，起算日不计入；{}第{REPLY_DAYS}个工作日为{}",
        date_cn(start),
        if start == app.received_on {
            "收到申请"
        } else {
            "起重新计算答复期限"
        },
        notable_days(cal, start, base_due),
        date_cn(base_due)
    ));
    let mut pauses = consultation_pauses(app, cal)?;
    pauses.extend(fee_pauses(app));
    pauses.sort_by_key(|p| p.start);
    let Some(due) = push_back(app, cal, c, start, base_due, &pauses)? else {
        c.trace.push("答复期限暂停计算，缴费后继续计算".into());
        return Ok(());
    };
    c.due = Some(due);
    match app.closed() {
        Some((on, result)) => judge_reply(cal, c, due, on, result)?,
        None => count_down(cal, c, due, today)?,
    }
    Ok(())
}

/// How the receipt date was fixed (art. 31 differs by channel).
fn trace_receipt(app: &Application, c: &mut Clock) {
    c.trace.push(format!(
        "{}：{}，{}{}",
        app.channel.label(),
        app.channel.receipt_rule(),
        date_cn(app.received_on),
        app.channel.receipt_event()
    ));
}

/// The day the reply period runs from: the receipt, or the receipt of the corrected
/// application after a 补正 (art. 30). `None` while a 补正 is unanswered: the period has not
/// started, and the trace says why (closed, lapsed, or waiting).
fn period_start(
    app: &Application,
    cal: &Calendar,
    today: NaiveDate,
    c: &mut Clock,
) -> Result<Option<NaiveDate>, CalendarError> {
    let received = app.received_on;
    let Some(s) = &app.supplement else {
        return Ok(Some(received));
    };
    let n = cal.working_days_between(received, s.requested_on)?;
    let in_window = n <= SUPPLEMENT_WINDOW;
    c.trace.push(format!(
        "{}发出补正告知（收到申请后第{n}个工作日，{}），补正期限至{}；补正期间答复期限停止计算",
        date_cn(s.requested_on),
        if in_window {
            "在7个工作日内"
        } else {
            "已超过条例第三十条规定的7个工作日"
        },
        date_cn(s.correct_by)
    ));
    if let Some(r) = s.received_on {
        c.trace.push(format!(
            "{}收到补正后的申请{}，答复期限自此重新计算（条例第三十条）",
            date_cn(r),
            if r > s.correct_by {
                "（晚于补正期限）"
            } else {
                ""
            }
        ));
        return Ok(Some(r));
    }
    if let Some((on, result)) = app.closed() {
        c.trace
            .push(format!("{}办结：{}", date_cn(on), result.label()));
    } else if today > s.correct_by {
        c.trace.push(format!(
            "补正期限已于{}届满，申请人无正当理由逾期不补正的，视为放弃申请（条例第三十条）",
            date_cn(s.correct_by)
        ));
    } else {
        c.trace.push("等待申请人补正，答复期限尚未起算".into());
    }
    Ok(None)
}

/// Each consultation as a pause. An answer after the 15 working days, or none yet, counts only
/// up to the limit: a consultation cannot lawfully stop the clock longer than that.
fn consultation_pauses(app: &Application, cal: &Calendar) -> Result<Vec<Pause>, CalendarError> {
    let mut pauses = Vec::new();
    for k in &app.consultations {
        let limit = cal.add_working_days(k.started_on, CONSULT_DAYS)?;
        let asked = format!(
            "{}书面征求{}（{}）意见",
            date_cn(k.started_on),
            k.party.label(),
            k.party.article(),
        );
        let (end, what) = match k.answered_on {
            Some(a) if a <= limit => (Some(a), format!("{asked}，{}收到答复", date_cn(a))),
            Some(a) => (
                Some(limit),
                format!(
                    "{asked}，{}个工作日的答复期限至{}届满，{}才收到答复，只计至期限届满",
                    CONSULT_DAYS,
                    date_cn(limit),
                    date_cn(a)
                ),
            ),
            None => (
                Some(limit),
                format!(
                    "{asked}，尚未答复；{}，暂按{}个工作日的答复期限（至{}）计算",
                    match k.party {
                        ConsultParty::ThirdParty => "第三方逾期未提出意见的，由行政机关依法决定",
                        ConsultParty::OtherOrgan => "被征求意见机关逾期未提出意见的视为同意公开",
                    },
                    CONSULT_DAYS,
                    date_cn(limit)
                ),
            ),
        };
        pauses.push(Pause {
            start: k.started_on,
            end,
            what,
        });
    }
    Ok(pauses)
}

/// Each fee notice as a pause, up to payment or the lapse of the payment period; a notice still
/// unpaid has no end, which stops the clock (国办函〔2020〕109号).
fn fee_pauses(app: &Application) -> Vec<Pause> {
    app.fees
        .iter()
        .map(|f| {
            let (end, what) = match (f.paid_on, f.not_paid_on) {
                (Some(p), _) => (
                    Some(p),
                    format!(
                        "{}发出收费通知，{}申请人缴费；其间不计入答复期限（国办函〔2020〕109号）",
                        date_cn(f.on),
                        date_cn(p)
                    ),
                ),
                (None, Some(n)) => (
                    Some(n),
                    format!("{}发出收费通知，申请人逾期未缴费", date_cn(f.on)),
                ),
                (None, None) => (
                    None,
                    format!(
                        "{}发出收费通知，缴费期限至{}；缴费前答复期限停止计算（国办函〔2020〕109号）",
                        date_cn(f.on),
                        date_cn(f.pay_by)
                    ),
                ),
            };
            Pause {
                start: f.on,
                end,
                what,
            }
        })
        .collect()
}

/// The deadline pushed back by the pauses and the extension, taken in date order, each judged
/// against the deadline as it stood then (a pause after the deadline cannot revive it; an
/// extension decided after it is void). Records the days not counted and the extension in `c`.
/// `None` when an open pause (a fee not yet paid) stops the clock.
fn push_back(
    app: &Application,
    cal: &Calendar,
    c: &mut Clock,
    start: NaiveDate,
    base_due: NaiveDate,
    pauses: &[Pause],
) -> Result<Option<NaiveDate>, CalendarError> {
    let mut not_counted: BTreeSet<NaiveDate> = BTreeSet::new();
    let mut extension = 0u32;
    let mut extension_applied = false;
    let mut due = base_due;
    let mut stopped = false;
    let ext = app.extension.as_ref();
    for p in pauses {
        // An extension approved before this pause applies first.
        if let Some(e) = ext
            && !extension_applied
            && e.on < p.start
        {
            due = apply_extension(cal, c, e, start, &not_counted, due, &mut extension)?;
            extension_applied = true;
        }
        if p.start < start {
            c.trace
                .push(format!("{}（在答复期限起算之前，不影响计算）", p.what));
            continue;
        }
        if p.start > due {
            c.trace
                .push(format!("{}（在答复期限届满之后，不能中止计算）", p.what));
            continue;
        }
        let Some(end) = p.end else {
            c.trace.push(p.what.clone());
            stopped = true;
            break;
        };
        let added = add_working_days_in(cal, p.start, end, &mut not_counted)?;
        due = cal.add_working_days(start, REPLY_DAYS + extension + not_counted.len() as u32)?;
        c.trace.push(format!(
            "{}；其间{added}个工作日不计入答复期限，答复期限顺延至{}",
            p.what,
            date_cn(due)
        ));
    }
    if let Some(e) = ext
        && !extension_applied
        && !stopped
    {
        due = apply_extension(cal, c, e, start, &not_counted, due, &mut extension)?;
    }
    c.paused_days = not_counted.len() as u32;
    c.extension_days = extension;
    Ok((!stopped).then_some(due))
}

/// Adds the working days of `(from, to]` to `days` and returns how many were new (pauses may
/// overlap; a day is not counted twice).
fn add_working_days_in(
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
    days: &mut BTreeSet<NaiveDate>,
) -> Result<usize, CalendarError> {
    let before = days.len();
    let mut d = from;
    while d < to {
        d = d.succ_opt().expect("date in range");
        if cal.is_working_day(d)? {
            days.insert(d);
        }
    }
    Ok(days.len() - before)
}

/// A closed case: replied on time, or how many working days late.
fn judge_reply(
    cal: &Calendar,
    c: &mut Clock,
    due: NaiveDate,
    on: NaiveDate,
    result: super::ReplyResult,
) -> Result<(), CalendarError> {
    let late = cal.working_days_between(due, on)?;
    c.on_time = Some(on <= due);
    c.trace.push(if on <= due {
        format!(
            "{}办结（{}），在答复期限{}之内",
            date_cn(on),
            result.label(),
            date_cn(due)
        )
    } else {
        format!(
            "{}办结（{}），超过答复期限{}共{late}个工作日",
            date_cn(on),
            result.label(),
            date_cn(due)
        )
    });
    Ok(())
}

/// An open case: working days left until the deadline, or past it, as of `today`.
fn count_down(
    cal: &Calendar,
    c: &mut Clock,
    due: NaiveDate,
    today: NaiveDate,
) -> Result<(), CalendarError> {
    let left = cal.working_days_between(today, due)?;
    c.days_left = Some(left);
    c.overdue = today > due;
    c.trace.push(if c.overdue {
        format!("截至{}，已超过答复期限{}个工作日", date_cn(today), -left)
    } else {
        format!(
            "截至{}，距答复期限{}还有{left}个工作日",
            date_cn(today),
            date_cn(due)
        )
    });
    Ok(())
}

fn apply_extension(
    cal: &Calendar,
    c: &mut Clock,
    e: &super::workflow::Extension,
    start: NaiveDate,
    not_counted: &BTreeSet<NaiveDate>,
    due: NaiveDate,
    extension: &mut u32,
) -> Result<NaiveDate, CalendarError> {
    if e.on > due {
        c.trace.push(format!(
            "{}决定延期，但答复期限已于{}届满，延期无效",
            date_cn(e.on),
            date_cn(due)
        ));
        return Ok(due);
    }
    let days = e.days.min(MAX_EXTENSION);
    let new_due = cal.add_working_days(start, REPLY_DAYS + days + not_counted.len() as u32)?;
    c.trace.push(format!(
        "{}经{}（政府信息公开工作机构负责人）同意延长答复期限{days}个工作日{}（条例第三十三条）；{}答复期限延至{}",
        date_cn(e.on),
        e.approved_by,
        if e.days > MAX_EXTENSION {
            format!("（申请延长{}个工作日，以20个工作日为限）", e.days)
        } else {
            String::new()
        },
        notable_days(cal, due, new_due),
        date_cn(new_due)
    ));
    *extension = days;
    Ok(new_due)
}
