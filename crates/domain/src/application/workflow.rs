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

/// Working days an applicant has to pay a fee (国办函〔2020〕109号).
pub const FEE_PAY_DAYS: u32 = 20;

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
    /// Why disclosure may affect the third party (the 征求意见书 says it).
    #[serde(default)]
    pub matter: String,
    /// The 征求第三方意见书's number.
    #[serde(default)]
    pub notice: Option<String>,
    /// The party objected to disclosure.
    #[serde(default)]
    pub objects: bool,
    /// Art. 32: the written notice to an objecting third party that the organ will disclose
    /// anyway: its date, the reason, and its number.
    #[serde(default)]
    pub notified: Option<(NaiveDate, String, Option<String>)>,
}

/// Art. 35: the request that the applicant explain the reasons of their requests, and the
/// answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reasons {
    pub requested_on: NaiveDate,
    pub items: String,
    pub notice: Option<String>,
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
    /// The reply's own words: what is provided, where and how to obtain it.
    #[serde(default)]
    pub text: String,
    /// The case-specific parts of the letter.
    #[serde(default)]
    pub parts: super::reply::ReplyParts,
}

/// The closing notice reaching the applicant (送达).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub on: NaiveDate,
    pub method: DeliveryMethod,
    pub note: String,
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
    /// Art. 35's request for reasons, when made.
    #[serde(default)]
    pub reasons: Option<Reasons>,
    pub fees: Vec<FeeNotice>,
    pub decision: Option<Decision>,
    pub withdrawn: Option<(NaiveDate, String)>,
    /// Recomputations of the deadline after calendar changes.
    pub recomputations: Vec<String>,
    /// Deliveries of the closing notice in force, in order.
    #[serde(default)]
    pub deliveries: Vec<Delivery>,
    /// Deliveries of a closing notice since voided (a decision withdrawn by the organ and made
    /// again): what the applicant was sent stays on record, never shown as the current reply's.
    #[serde(default)]
    pub earlier_deliveries: Vec<Delivery>,
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
                reasons: None,
                fees: Vec::new(),
                decision: None,
                withdrawn: None,
                recomputations: Vec::new(),
                deliveries: Vec::new(),
                earlier_deliveries: Vec::new(),
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
            EventKind::ConsultationStarted {
                on,
                party,
                with,
                matter,
                notice,
            } => self.consultations.push(Consultation {
                party: *party,
                with: with.clone(),
                started_on: *on,
                answered_on: None,
                answer: String::new(),
                matter: matter.clone(),
                notice: notice.clone(),
                objects: false,
                notified: None,
            }),
            EventKind::ConsultationAnswered {
                on,
                index,
                answer,
                objects,
            } => match self.consultations.get_mut(*index) {
                Some(c) => {
                    c.answered_on = Some(*on);
                    c.answer = answer.clone();
                    c.objects = *objects;
                }
                None => return refuse(format!("没有第{}次征求意见", index + 1)),
            },
            EventKind::ThirdPartyNotified {
                on,
                index,
                reason,
                notice,
            } => match self.consultations.get_mut(*index) {
                Some(c) => c.notified = Some((*on, reason.clone(), notice.clone())),
                None => return refuse(format!("没有第{}次征求意见", index + 1)),
            },
            EventKind::ReasonsRequested { on, items, notice } => {
                self.reasons = Some(Reasons {
                    requested_on: *on,
                    items: items.clone(),
                    notice: notice.clone(),
                    answered_on: None,
                    answer: String::new(),
                })
            }
            EventKind::ReasonsAnswered { on, answer } => match &mut self.reasons {
                Some(r) => {
                    r.answered_on = Some(*on);
                    r.answer = answer.clone();
                }
                None => return refuse("尚未要求申请人说明理由"),
            },
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
                text,
                parts,
            } => {
                // A new decision (after the earlier one was voided): deliveries so far were of
                // the earlier notice.
                let earlier = std::mem::take(&mut self.deliveries);
                self.earlier_deliveries.extend(earlier);
                self.decision = Some(Decision {
                    on: *on,
                    result: *result,
                    basis: basis.clone(),
                    withheld: withheld.clone(),
                    notice: notice.clone(),
                    text: text.clone(),
                    parts: parts.clone(),
                })
            }
            EventKind::Delivered { on, method, note } => {
                let d = Delivery {
                    on: *on,
                    method: *method,
                    note: note.clone(),
                };
                // Replayed after its closing act was voided: it delivered that act.
                if self.closed().is_some() {
                    self.deliveries.push(d)
                } else {
                    self.earlier_deliveries.push(d)
                }
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
            if let Some((n, ..)) = &c.notified {
                see(*n);
            }
        }
        if let Some(r) = &self.reasons {
            see(r.requested_on);
            if let Some(a) = r.answered_on {
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

    /// Whether `kind` is lawful as the next event of this case: a closed case takes nothing but
    /// a recomputed deadline; otherwise each kind of event has its own rules below.
    pub fn check(&self, kind: &EventKind, cal: &Calendar) -> Result<(), WorkflowError> {
        let status = self.status();
        if let EventKind::Delivered { on, .. } = kind {
            return self.check_delivery(*on);
        }
        if !status.is_open() && !matches!(kind, EventKind::DeadlineRecomputed { .. }) {
            return refuse(format!("申请{}，不能再{}", status.label(), verb(kind)));
        }
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
            } => self.check_supplement_request(*on, *correct_by, items, cal),
            EventKind::SupplementReceived { on } => self.check_supplement_received(*on),
            EventKind::ConsultationStarted { on, with, .. } => {
                if status == Status::AwaitingCorrection {
                    return refuse("申请尚待补正，补正前不宜征求意见");
                }
                if with.trim().is_empty() {
                    return refuse("请写明征求意见的对象");
                }
                self.not_before(*on, "征求意见")
            }
            EventKind::ConsultationAnswered { on, index, .. } => {
                self.check_consultation_answer(*on, *index)
            }
            EventKind::ThirdPartyNotified {
                on, index, reason, ..
            } => self.check_third_party_notice(*on, *index, reason),
            EventKind::ReasonsRequested { on, items, .. } => {
                if self.reasons.is_some() {
                    return refuse("本案已要求申请人说明理由");
                }
                if items.trim().is_empty() {
                    return refuse("请写明申请数量、频次明显超过合理范围的情况");
                }
                self.not_before(*on, "要求说明理由")
            }
            EventKind::ReasonsAnswered { on, answer } => match &self.reasons {
                None => refuse("尚未要求申请人说明理由"),
                Some(r) if r.answered_on.is_some() => refuse("已登记过申请人说明的理由"),
                Some(r) if *on < r.requested_on => refuse(format!(
                    "日期 {on} 早于要求说明理由的日期 {}",
                    r.requested_on
                )),
                Some(_) if answer.trim().is_empty() => {
                    refuse("请填写申请人说明的理由（未说明的，写明“未在期限内说明理由”）")
                }
                Some(_) => Ok(()),
            },
            EventKind::Extended {
                on,
                days,
                reason,
                approved_by,
                ..
            } => self.check_extension(*on, *days, reason, approved_by, cal),
            EventKind::FeeNoticed {
                on,
                method,
                basis,
                amount_fen,
                pay_by,
                ..
            } => {
                self.check_fee_notice(status, *on, *method, *basis, *amount_fen, *pay_by)?;
                // 国办函〔2020〕109号: 20 working days to pay, counted from the day after the
                // notice reached the applicant — never fewer than from the notice's own date.
                let (least, _) = cal.add_working_days_provisional(*on, FEE_PAY_DAYS)?;
                if *pay_by < least {
                    return refuse(format!(
                        "缴费期限应为收到收费通知之次日起20个工作日，不得早于 {least}"
                    ));
                }
                Ok(())
            }
            EventKind::FeePaid { on } => self.check_fee_settled(*on, false),
            EventKind::FeeNotPaid { on } => self.check_fee_settled(*on, true),
            EventKind::Decided {
                on,
                result,
                withheld,
                ..
            } => self.check_decision(*on, *result, withheld),
            EventKind::Withdrawn { on, .. } => self.not_before(*on, "撤回"),
            EventKind::DeadlineRecomputed { .. } | EventKind::Delivered { .. } => Ok(()),
        }
    }

    /// A delivery follows the reply (or the step that closed the case), not before it.
    fn check_delivery(&self, on: NaiveDate) -> Result<(), WorkflowError> {
        let Some((closed_on, _)) = self.closed() else {
            return refuse("本案尚未答复或办结，没有可送达的答复书");
        };
        if on < closed_on {
            return refuse(format!("送达日期 {on} 早于答复日期 {closed_on}"));
        }
        Ok(())
    }

    /// Steps are recorded in the order they happened: a new one may not be dated before the
    /// last one (`what` names it in the refusal).
    fn not_before(&self, on: NaiveDate, what: &str) -> Result<(), WorkflowError> {
        let last = self.last_date();
        if on < last {
            refuse(format!("{what}日期 {on} 早于本案上一步骤的日期 {last}"))
        } else {
            Ok(())
        }
    }

    /// Art. 30: one 补正, asked within 7 working days of receipt, saying what to correct, with
    /// a period after the notice.
    fn check_supplement_request(
        &self,
        on: NaiveDate,
        correct_by: NaiveDate,
        items: &str,
        cal: &Calendar,
    ) -> Result<(), WorkflowError> {
        if self.supplement.is_some() {
            return refuse("补正只能一次性提出（条例第三十条），本案已发出过补正告知");
        }
        if items.trim().is_empty() {
            return refuse("请写明需要补正的事项");
        }
        self.not_before(on, "补正告知")?;
        let n = cal.working_days_between(self.received_on, on)?;
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

    /// The corrected application answers the one 补正 asked, once, not before it was asked.
    fn check_supplement_received(&self, on: NaiveDate) -> Result<(), WorkflowError> {
        match &self.supplement {
            None => refuse("尚未发出补正告知，无需登记补正"),
            Some(s) if s.received_on.is_some() => refuse("已登记过补正后的申请"),
            Some(s) if on < s.requested_on => refuse(format!(
                "收到补正的日期 {on} 早于补正告知的日期 {}",
                s.requested_on
            )),
            Some(_) => Ok(()),
        }
    }

    /// Art. 32: the notice of disclosure over an objection goes to a third party that objected,
    /// once, with the reason, not before its answer.
    fn check_third_party_notice(
        &self,
        on: NaiveDate,
        index: usize,
        reason: &str,
    ) -> Result<(), WorkflowError> {
        match self.consultations.get(index) {
            None => refuse(format!("没有第{}次征求意见", index + 1)),
            Some(c) if c.party != ConsultParty::ThirdParty => {
                refuse("只有征求第三方意见的才须书面告知第三方")
            }
            Some(c) if !c.objects => refuse("第三方未表示不同意公开，无需另行告知"),
            Some(c) if c.notified.is_some() => refuse("已书面告知过该第三方"),
            Some(_) if reason.trim().is_empty() => {
                refuse("请写明决定公开的内容和理由（不公开可能对公共利益造成重大影响）")
            }
            Some(_) => self.not_before(on, "告知第三方"),
        }
    }

    /// An answer belongs to a consultation started and not yet answered, and follows it.
    fn check_consultation_answer(&self, on: NaiveDate, index: usize) -> Result<(), WorkflowError> {
        match self.consultations.get(index) {
            None => refuse(format!("没有第{}次征求意见", index + 1)),
            Some(c) if c.answered_on.is_some() => {
                refuse(format!("第{}次征求意见已登记过答复", index + 1))
            }
            Some(c) if on < c.started_on => {
                refuse(format!("答复日期 {on} 早于征求意见的日期 {}", c.started_on))
            }
            Some(_) => Ok(()),
        }
    }

    /// Art. 33: one extension of at most 20 working days, with a reason and the approval of
    /// the head of the disclosure office, decided before the deadline has passed (the deadline
    /// as the clock stands on that day).
    fn check_extension(
        &self,
        on: NaiveDate,
        days: u32,
        reason: &str,
        approved_by: &str,
        cal: &Calendar,
    ) -> Result<(), WorkflowError> {
        if self.extension.is_some() {
            return refuse("答复期限只能延长一次（条例第三十三条）");
        }
        if days == 0 || days > 20 {
            return refuse(format!(
                "延长的期限最长不得超过20个工作日（条例第三十三条），申请延长{days}个工作日"
            ));
        }
        if reason.trim().is_empty() || approved_by.trim().is_empty() {
            return refuse("延长答复期限须写明理由和批准人（政府信息公开工作机构负责人）");
        }
        self.not_before(on, "延期")?;
        // In December the calendar may not reach the deadline yet: the extension is still a
        // legal act due before the deadline, so it is checked against the provisional date
        // (weekends only for the year not loaded), as the receipt and the notice state it.
        let (clock, _) = super::clock::compute_provisional(self, cal, on);
        match clock.due {
            Some(due) if on > due => refuse(format!("答复期限已于 {due} 届满，不能再延长")),
            None if clock.error.is_some() => refuse(clock.error.unwrap_or_default()),
            _ => Ok(()),
        }
    }

    /// 国办函〔2020〕109号: one unpaid notice at a time, not while a 补正 is awaited, for exactly
    /// the amount the standard gives (and only when it gives one), with a payment period.
    fn check_fee_notice(
        &self,
        status: Status,
        on: NaiveDate,
        method: FeeMethod,
        basis: FeeBasis,
        amount_fen: i64,
        pay_by: NaiveDate,
    ) -> Result<(), WorkflowError> {
        if self.pending_fee().is_some() {
            return refuse("已有一份待缴的收费通知");
        }
        if status == Status::AwaitingCorrection {
            return refuse("申请尚待补正，不能发出收费通知");
        }
        match fees::amount_fen(method, basis) {
            None => {
                return refuse("计费方式与计费依据不符（按件计收按本月第几件，按量计收按页数）");
            }
            Some(a) if a != amount_fen => {
                return refuse(format!(
                    "收费金额应为{}，而不是{}",
                    fees::yuan(a),
                    fees::yuan(amount_fen)
                ));
            }
            Some(0) => return refuse("按此标准不应收费（免费范围内），无需发出收费通知"),
            Some(_) => {}
        }
        if pay_by <= on {
            return refuse("缴费期限应晚于收费通知的日期");
        }
        self.not_before(on, "收费通知")
    }

    /// Payment (or its lapse) settles the pending notice; a lapse only once the period is over.
    fn check_fee_settled(&self, on: NaiveDate, not_paid: bool) -> Result<(), WorkflowError> {
        match self.pending_fee() {
            None => refuse("没有待缴的收费通知"),
            Some(f) if on < f.on => refuse(format!("日期 {on} 早于收费通知的日期 {}", f.on)),
            Some(f) if not_paid && on <= f.pay_by => refuse(format!(
                "缴费期限至 {}，期限届满前不能按逾期未缴处理",
                f.pay_by
            )),
            Some(_) => Ok(()),
        }
    }

    /// A reply states its legal basis, lists what it withholds when (and only when) it
    /// discloses in part, fits the state of the 补正 and of any fee notice, and follows the
    /// last step.
    fn check_decision(
        &self,
        on: NaiveDate,
        result: ReplyResult,
        withheld: &[Withheld],
    ) -> Result<(), WorkflowError> {
        check_withheld(result, withheld)?;
        if matches!(
            result,
            ReplyResult::Disclosed | ReplyResult::PartlyDisclosed
        ) && let Some(c) = self
            .consultations
            .iter()
            .find(|c| c.objects && c.party == ConsultParty::ThirdParty && c.notified.is_none())
        {
            return refuse(format!(
                "第三方（{}）不同意公开：决定公开前须将决定公开的内容和理由书面告知第三方（条例第三十二条）",
                c.with
            ));
        }
        self.check_result_against_supplement(on, result)?;
        if self.pending_fee().is_some() {
            return refuse("收费通知尚待缴费：缴费后再答复，或登记逾期未缴费");
        }
        self.not_before(on, "答复")
    }

    /// The results that depend on the 补正 (逾期未补正, 补正后仍不明确) need one in the right
    /// state, and while a 补正 is awaited no other reply may be given. 逾期未缴费 is not a reply
    /// but an event of the fee notice.
    fn check_result_against_supplement(
        &self,
        on: NaiveDate,
        result: ReplyResult,
    ) -> Result<(), WorkflowError> {
        match (result, &self.supplement) {
            (ReplyResult::NoCorrectionInTime, None) => {
                refuse("未发出补正告知，不能按“逾期未补正”处理")
            }
            (ReplyResult::NoCorrectionInTime, Some(s)) if s.received_on.is_some() => {
                refuse("申请人已补正，不能按“逾期未补正”处理")
            }
            (ReplyResult::NoCorrectionInTime, Some(s)) if on <= s.correct_by => refuse(format!(
                "补正期限至 {}，期限届满前不能按逾期未补正处理",
                s.correct_by
            )),
            (ReplyResult::UnclearAfterCorrection, s)
                if s.as_ref().and_then(|s| s.received_on).is_none() =>
            {
                refuse("“补正后申请内容仍不明确”须先发出补正告知并收到补正")
            }
            (ReplyResult::FeeNotPaid, _) => {
                refuse("逾期未缴费请登记为“未按期缴费”（fee-paid --not-paid），而非答复")
            }
            (r, Some(s)) if s.received_on.is_none() && r != ReplyResult::NoCorrectionInTime => {
                refuse("申请尚待补正：收到补正后再答复，或在补正期限届满后按“逾期未补正”处理")
            }
            _ => Ok(()),
        }
    }
}

/// Art. 37: a partial disclosure lists each withheld part with its reason; no other reply lists
/// any.
fn check_withheld(result: ReplyResult, withheld: &[Withheld]) -> Result<(), WorkflowError> {
    match result {
        ReplyResult::PartlyDisclosed if withheld.is_empty() => {
            refuse("部分公开须列明不予公开的部分及理由（条例第三十七条）")
        }
        ReplyResult::PartlyDisclosed
            if withheld
                .iter()
                .any(|w| w.part.trim().is_empty() || w.reason.trim().is_empty()) =>
        {
            refuse("每一项不予公开的部分都须写明内容和理由")
        }
        ReplyResult::PartlyDisclosed => Ok(()),
        _ if !withheld.is_empty() => refuse("只有部分公开的答复才列明不予公开的部分"),
        _ => Ok(()),
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
        EventKind::ThirdPartyNotified { .. } => "告知第三方",
        EventKind::ReasonsRequested { .. } => "要求说明理由",
        EventKind::ReasonsAnswered { .. } => "登记说明的理由",
        EventKind::Extended { .. } => "延期",
        EventKind::FeeNoticed { .. } => "发出收费通知",
        EventKind::FeePaid { .. } | EventKind::FeeNotPaid { .. } => "登记缴费",
        EventKind::Decided { .. } => "答复",
        EventKind::Withdrawn { .. } => "撤回",
        EventKind::Delivered { .. } => "登记送达",
        EventKind::DeadlineRecomputed { .. } => "重新计算期限",
    }
}

#[cfg(test)]
#[path = "workflow_tests.rs"]
mod tests;
