//! The state of a case, derived from its event log, and the rules of what may happen next.
//! [`Application::from_events`] replays history as it was recorded; [`Application::check`] decides
//! whether a new event is lawful before it is appended.

use super::events::*;
use super::fees::{self, FeeMethod};
use super::{ApplicationSummary, ReplyResult};
use crate::calendar::Calendar;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Refusals of the workflow; messages are for the handler.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Calendar(#[from] crate::calendar::CalendarError),
}

fn refuse<T>(msg: impl Into<String>) -> Result<T, WorkflowError> {
    Err(WorkflowError::Refused(msg.into()))
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Received, being handled.
    Open,
    /// A correction was asked for and has not come back.
    AwaitingCorrection,
    /// A consultation is running.
    Consulting,
    /// A fee notice is unpaid.
    AwaitingPayment,
    /// Replied (or otherwise closed with a result).
    Closed,
    /// Withdrawn by the applicant (counted as （六）其他).
    Withdrawn,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Open => "办理中",
            Status::AwaitingCorrection => "等待补正",
            Status::Consulting => "征求意见中",
            Status::AwaitingPayment => "等待缴费",
            Status::Closed => "已办结",
            Status::Withdrawn => "已撤回",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::AwaitingCorrection => "awaiting_correction",
            Status::Consulting => "consulting",
            Status::AwaitingPayment => "awaiting_payment",
            Status::Closed => "closed",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Status::Closed | Status::Withdrawn)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supplement {
    pub requested_on: NaiveDate,
    pub items: String,
    pub correct_by: NaiveDate,
    pub received_on: Option<NaiveDate>,
    pub notice: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consultation {
    pub party: ConsultParty,
    pub with: String,
    pub started_on: NaiveDate,
    pub answered_on: Option<NaiveDate>,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub on: NaiveDate,
    pub days: u32,
    pub reason: String,
    pub approved_by: String,
    pub notice: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeNotice {
    pub on: NaiveDate,
    pub method: FeeMethod,
    pub basis: FeeBasis,
    pub amount_fen: i64,
    pub pay_by: NaiveDate,
    pub notice: Option<String>,
    pub paid_on: Option<NaiveDate>,
    pub not_paid_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub on: NaiveDate,
    pub result: ReplyResult,
    pub basis: String,
    pub withheld: Vec<Withheld>,
    pub notice: Option<String>,
}

/// A case as its log makes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub channel: Channel,
    pub submitted_on: NaiveDate,
    pub received_on: NaiveDate,
    pub applicant: Applicant,
    pub description: String,
    pub form: String,
    pub handler: Option<String>,
    pub supplement: Option<Supplement>,
    pub consultations: Vec<Consultation>,
    pub extension: Option<Extension>,
    pub fees: Vec<FeeNotice>,
    pub decision: Option<Decision>,
    pub withdrawn: Option<(NaiveDate, String)>,
    /// Recomputations of the deadline after calendar changes.
    pub recomputations: Vec<String>,
}

impl Application {
    /// Replays a log. The first event must be the registration; later events are applied as
    /// recorded (history is not re-judged).
    pub fn from_events(events: &[Event]) -> Result<Application, WorkflowError> {
        let mut it = events.iter();
        let Some(first) = it.next() else {
            return refuse("事件记录为空：申请尚未登记");
        };
        let mut app = match &first.kind {
            EventKind::Registered {
                channel,
                submitted_on,
                received_on,
                applicant,
                description,
                form,
            } => Application {
                channel: *channel,
                submitted_on: *submitted_on,
                received_on: *received_on,
                applicant: applicant.clone(),
                description: description.clone(),
                form: form.clone(),
                handler: None,
                supplement: None,
                consultations: Vec::new(),
                extension: None,
                fees: Vec::new(),
                decision: None,
                withdrawn: None,
                recomputations: Vec::new(),
            },
            _ => return refuse("事件记录的第一条必须是登记"),
        };
        for e in it {
            app.apply(&e.kind)?;
        }
        Ok(app)
    }

    /// Applies an event to the state without judging it (see [`Application::check`]).
    fn apply(&mut self, kind: &EventKind) -> Result<(), WorkflowError> {
        match kind {
            EventKind::Registered { .. } => return refuse("申请已登记，不能重复登记"),
            EventKind::Assigned { handler } => self.handler = Some(handler.clone()),
            EventKind::SupplementRequested {
                on,
                items,
                correct_by,
                notice,
            } => {
                self.supplement = Some(Supplement {
                    requested_on: *on,
                    items: items.clone(),
                    correct_by: *correct_by,
                    received_on: None,
                    notice: notice.clone(),
                })
            }
            EventKind::SupplementReceived { on } => match &mut self.supplement {
                Some(s) => s.received_on = Some(*on),
                None => return refuse("尚未发出补正告知"),
            },
            EventKind::ConsultationStarted { on, party, with } => {
                self.consultations.push(Consultation {
                    party: *party,
                    with: with.clone(),
                    started_on: *on,
                    answered_on: None,
                    answer: String::new(),
                })
            }
            EventKind::ConsultationAnswered { on, index, answer } => {
                match self.consultations.get_mut(*index) {
                    Some(c) => {
                        c.answered_on = Some(*on);
                        c.answer = answer.clone();
                    }
                    None => return refuse(format!("没有第{}次征求意见", index + 1)),
                }
            }
            EventKind::Extended {
                on,
                days,
                reason,
                approved_by,
                notice,
            } => {
                self.extension = Some(Extension {
                    on: *on,
                    days: *days,
                    reason: reason.clone(),
                    approved_by: approved_by.clone(),
                    notice: notice.clone(),
                })
            }
            EventKind::FeeNoticed {
                on,
                method,
                basis,
                amount_fen,
                pay_by,
                notice,
            } => self.fees.push(FeeNotice {
                on: *on,
                method: *method,
                basis: *basis,
                amount_fen: *amount_fen,
                pay_by: *pay_by,
                notice: notice.clone(),
                paid_on: None,
                not_paid_on: None,
            }),
            EventKind::FeePaid { on } => match self.pending_fee_mut() {
                Some(f) => f.paid_on = Some(*on),
                None => return refuse("没有待缴的收费通知"),
            },
            EventKind::FeeNotPaid { on } => match self.pending_fee_mut() {
                Some(f) => f.not_paid_on = Some(*on),
                None => return refuse("没有待缴的收费通知"),
            },
            EventKind::Decided {
                on,
                result,
                basis,
                withheld,
                notice,
            } => {
                self.decision = Some(Decision {
                    on: *on,
                    result: *result,
                    basis: basis.clone(),
                    withheld: withheld.clone(),
                    notice: notice.clone(),
                })
            }
            EventKind::Withdrawn { on, reason } => self.withdrawn = Some((*on, reason.clone())),
            EventKind::DeadlineRecomputed { reason, .. } => {
                self.recomputations.push(reason.clone())
            }
        }
        Ok(())
    }

    fn pending_fee_mut(&mut self) -> Option<&mut FeeNotice> {
        self.fees
            .iter_mut()
            .find(|f| f.paid_on.is_none() && f.not_paid_on.is_none())
    }

    pub fn pending_fee(&self) -> Option<&FeeNotice> {
        self.fees
            .iter()
            .find(|f| f.paid_on.is_none() && f.not_paid_on.is_none())
    }

    /// The date and result it was closed with, if closed: a reply, a fee not paid in time
    /// (（六）2), or a withdrawal (（六）3).
    pub fn closed(&self) -> Option<(NaiveDate, ReplyResult)> {
        if let Some(d) = &self.decision {
            return Some((d.on, d.result));
        }
        if let Some(f) = self.fees.iter().find(|f| f.not_paid_on.is_some()) {
            return Some((f.not_paid_on.expect("checked"), ReplyResult::FeeNotPaid));
        }
        self.withdrawn
            .as_ref()
            .map(|(on, _)| (*on, ReplyResult::Other))
    }

    pub fn status(&self) -> Status {
        if self.withdrawn.is_some() && self.decision.is_none() {
            return Status::Withdrawn;
        }
        if self.closed().is_some() {
            return Status::Closed;
        }
        if let Some(s) = &self.supplement
            && s.received_on.is_none()
        {
            return Status::AwaitingCorrection;
        }
        if self.pending_fee().is_some() {
            return Status::AwaitingPayment;
        }
        if self.consultations.iter().any(|c| c.answered_on.is_none()) {
            return Status::Consulting;
        }
        Status::Open
    }

    /// What the annual report needs, with the reply deadline the clock derives on `cal`.
    pub fn summary(&self, cal: &Calendar) -> ApplicationSummary {
        ApplicationSummary {
            applicant: self.applicant.kind,
            received: self.received_on,
            closed: self.closed(),
            due: super::clock::compute_for(self, cal, self.received_on).due,
        }
    }

    /// Fees collected (paid), in 分.
    pub fn fees_paid_fen(&self) -> i64 {
        self.fees
            .iter()
            .filter(|f| f.paid_on.is_some())
            .map(|f| f.amount_fen)
            .sum()
    }

    /// The day the last legal step happened, so new steps are not dated before it.
    fn last_date(&self) -> NaiveDate {
        let mut d = self.received_on;
        let mut see = |x: NaiveDate| d = d.max(x);
        if let Some(s) = &self.supplement {
            see(s.requested_on);
            if let Some(r) = s.received_on {
                see(r);
            }
        }
        for c in &self.consultations {
            see(c.started_on);
            if let Some(a) = c.answered_on {
                see(a);
            }
        }
        if let Some(e) = &self.extension {
            see(e.on);
        }
        for f in &self.fees {
            see(f.on);
            if let Some(p) = f.paid_on {
                see(p);
            }
        }
        d
    }

    /// Decides whether `kind` may be appended now; on success, applies it.
    pub fn check_and_apply(
        &mut self,
        kind: &EventKind,
        cal: &Calendar,
    ) -> Result<(), WorkflowError> {
        self.check(kind, cal)?;
        self.apply(kind)
    }

    /// Whether `kind` is lawful as the next event of this case.
    pub fn check(&self, kind: &EventKind, cal: &Calendar) -> Result<(), WorkflowError> {
        let status = self.status();
        if !status.is_open() && !matches!(kind, EventKind::DeadlineRecomputed { .. }) {
            return refuse(format!("申请已{}，不能再{}", status.label(), verb(kind)));
        }
        let not_before = |on: NaiveDate, what: &str| -> Result<(), WorkflowError> {
            let last = self.last_date();
            if on < last {
                refuse(format!("{what}日期 {on} 早于本案上一步骤的日期 {last}"))
            } else {
                Ok(())
            }
        };
        match kind {
            EventKind::Registered { .. } => refuse("申请已登记，不能重复登记"),
            EventKind::Assigned { handler } => {
                if handler.trim().is_empty() {
                    refuse("承办人不能为空")
                } else {
                    Ok(())
                }
            }
            EventKind::SupplementRequested {
                on,
                correct_by,
                items,
                ..
            } => {
                if self.supplement.is_some() {
                    return refuse("补正只能一次性提出（条例第三十条），本案已发出过补正告知");
                }
                if items.trim().is_empty() {
                    return refuse("请写明需要补正的事项");
                }
                not_before(*on, "补正告知")?;
                let n = cal.working_days_between(self.received_on, *on)?;
                if n > 7 {
                    return refuse(format!(
                        "补正应在收到申请之日起7个工作日内提出（条例第三十条），{on} 已是第{n}个工作日"
                    ));
                }
                if correct_by <= on {
                    return refuse("补正期限应晚于补正告知的日期");
                }
                Ok(())
            }
            EventKind::SupplementReceived { on } => match &self.supplement {
                None => refuse("尚未发出补正告知，无需登记补正"),
                Some(s) if s.received_on.is_some() => refuse("已登记过补正后的申请"),
                Some(s) if *on < s.requested_on => refuse(format!(
                    "收到补正的日期 {on} 早于补正告知的日期 {}",
                    s.requested_on
                )),
                Some(_) => Ok(()),
            },
            EventKind::ConsultationStarted { on, with, .. } => {
                if status == Status::AwaitingCorrection {
                    return refuse("申请尚待补正，补正前不宜征求意见");
                }
                if with.trim().is_empty() {
                    return refuse("请写明征求意见的对象");
                }
                not_before(*on, "征求意见")
            }
            EventKind::ConsultationAnswered { on, index, .. } => {
                match self.consultations.get(*index) {
                    None => refuse(format!("没有第{}次征求意见", index + 1)),
                    Some(c) if c.answered_on.is_some() => {
                        refuse(format!("第{}次征求意见已登记过答复", index + 1))
                    }
                    Some(c) if *on < c.started_on => {
                        refuse(format!("答复日期 {on} 早于征求意见的日期 {}", c.started_on))
                    }
                    Some(_) => Ok(()),
                }
            }
            EventKind::Extended {
                on,
                days,
                reason,
                approved_by,
                ..
            } => {
                if self.extension.is_some() {
                    return refuse("答复期限只能延长一次（条例第三十三条）");
                }
                if *days == 0 || *days > 20 {
                    return refuse(format!(
                        "延长的期限最长不得超过20个工作日（条例第三十三条），申请延长{days}个工作日"
                    ));
                }
                if reason.trim().is_empty() || approved_by.trim().is_empty() {
                    return refuse("延长答复期限须写明理由和批准人（政府信息公开工作机构负责人）");
                }
                not_before(*on, "延期")?;
                let clock = super::clock::compute_for(self, cal, *on);
                match clock.due {
                    Some(due) if *on > due => {
                        refuse(format!("答复期限已于 {due} 届满，不能再延长"))
                    }
                    None if clock.error.is_some() => refuse(clock.error.unwrap_or_default()),
                    _ => Ok(()),
                }
            }
            EventKind::FeeNoticed {
                on,
                method,
                basis,
                amount_fen,
                pay_by,
                ..
            } => {
                if self.pending_fee().is_some() {
                    return refuse("已有一份待缴的收费通知");
                }
                if status == Status::AwaitingCorrection {
                    return refuse("申请尚待补正，不能发出收费通知");
                }
                match fees::amount_fen(*method, *basis) {
                    None => {
                        return refuse(
                            "计费方式与计费依据不符（按件计收按本月第几件，按量计收按页数）",
                        );
                    }
                    Some(a) if a != *amount_fen => {
                        return refuse(format!(
                            "收费金额应为{}，而不是{}",
                            fees::yuan(a),
                            fees::yuan(*amount_fen)
                        ));
                    }
                    Some(0) => return refuse("按此标准不应收费（免费范围内），无需发出收费通知"),
                    Some(_) => {}
                }
                if pay_by <= on {
                    return refuse("缴费期限应晚于收费通知的日期");
                }
                not_before(*on, "收费通知")
            }
            EventKind::FeePaid { on } | EventKind::FeeNotPaid { on } => match self.pending_fee() {
                None => refuse("没有待缴的收费通知"),
                Some(f) if *on < f.on => refuse(format!("日期 {on} 早于收费通知的日期 {}", f.on)),
                Some(f) if matches!(kind, EventKind::FeeNotPaid { .. }) && *on <= f.pay_by => {
                    refuse(format!(
                        "缴费期限至 {}，期限届满前不能按逾期未缴处理",
                        f.pay_by
                    ))
                }
                Some(_) => Ok(()),
            },
            EventKind::Decided {
                on,
                result,
                basis,
                withheld,
                ..
            } => {
                if basis.trim().is_empty() {
                    return refuse("答复须写明法律依据");
                }
                match result {
                    ReplyResult::PartlyDisclosed if withheld.is_empty() => {
                        return refuse("部分公开须列明不予公开的部分及理由（条例第三十七条）");
                    }
                    ReplyResult::PartlyDisclosed
                        if withheld
                            .iter()
                            .any(|w| w.part.trim().is_empty() || w.reason.trim().is_empty()) =>
                    {
                        return refuse("每一项不予公开的部分都须写明内容和理由");
                    }
                    ReplyResult::PartlyDisclosed => {}
                    _ if !withheld.is_empty() => {
                        return refuse("只有部分公开的答复才列明不予公开的部分");
                    }
                    _ => {}
                }
                match (result, &self.supplement) {
                    (ReplyResult::NoCorrectionInTime, None) => {
                        return refuse("未发出补正告知，不能按“逾期未补正”处理");
                    }
                    (ReplyResult::NoCorrectionInTime, Some(s)) if s.received_on.is_some() => {
                        return refuse("申请人已补正，不能按“逾期未补正”处理");
                    }
                    (ReplyResult::NoCorrectionInTime, Some(s)) if *on <= s.correct_by => {
                        return refuse(format!(
                            "补正期限至 {}，期限届满前不能按逾期未补正处理",
                            s.correct_by
                        ));
                    }
                    (ReplyResult::UnclearAfterCorrection, s)
                        if s.as_ref().and_then(|s| s.received_on).is_none() =>
                    {
                        return refuse("“补正后申请内容仍不明确”须先发出补正告知并收到补正");
                    }
                    (ReplyResult::FeeNotPaid, _) => {
                        return refuse(
                            "逾期未缴费请登记为“未按期缴费”（fee-paid --not-paid），而非答复",
                        );
                    }
                    (r, Some(s))
                        if s.received_on.is_none() && *r != ReplyResult::NoCorrectionInTime =>
                    {
                        return refuse(
                            "申请尚待补正：收到补正后再答复，或在补正期限届满后按“逾期未补正”处理",
                        );
                    }
                    _ => {}
                }
                if self.pending_fee().is_some() {
                    return refuse("收费通知尚待缴费：缴费后再答复，或登记逾期未缴费");
                }
                not_before(*on, "答复")
            }
            EventKind::Withdrawn { on, .. } => not_before(*on, "撤回"),
            EventKind::DeadlineRecomputed { .. } => Ok(()),
        }
    }
}

fn verb(kind: &EventKind) -> &'static str {
    match kind {
        EventKind::Registered { .. } => "登记",
        EventKind::Assigned { .. } => "分办",
        EventKind::SupplementRequested { .. } => "要求补正",
        EventKind::SupplementReceived { .. } => "登记补正",
        EventKind::ConsultationStarted { .. } => "征求意见",
        EventKind::ConsultationAnswered { .. } => "登记意见",
        EventKind::Extended { .. } => "延期",
        EventKind::FeeNoticed { .. } => "发出收费通知",
        EventKind::FeePaid { .. } | EventKind::FeeNotPaid { .. } => "登记缴费",
        EventKind::Decided { .. } => "答复",
        EventKind::Withdrawn { .. } => "撤回",
        EventKind::DeadlineRecomputed { .. } => "重新计算期限",
    }
}
