//! The append-only event log of an application. Every change of a case is one [`Event`] with its
//! actor and time; the case's state ([`super::workflow::Application`]) and its deadline
//! ([`super::clock`]) are derived from the log and can always be recomputed.

use super::fees::FeeMethod;
use super::{ApplicantType, ReplyResult};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// How an application came in (art. 29, 31).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Online,
    InPerson,
    Post,
    Fax,
    Email,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Online,
        Channel::InPerson,
        Channel::Post,
        Channel::Fax,
        Channel::Email,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Channel::Online => "网络申请",
            Channel::InPerson => "当面申请",
            Channel::Post => "邮寄申请",
            Channel::Fax => "传真申请",
            Channel::Email => "电子邮件申请",
        }
    }

    /// The code used on the command line and in files.
    pub fn code(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::InPerson => "in_person",
            Channel::Post => "post",
            Channel::Fax => "fax",
            Channel::Email => "email",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        let s = s.trim();
        Channel::ALL
            .into_iter()
            .find(|c| c.code() == s || c.label() == s || c.label().trim_end_matches("申请") == s)
            .or(match s {
                "网上" | "在线" | "互联网" | "网站" => Some(Channel::Online),
                "当面" | "现场" | "窗口" | "in-person" => Some(Channel::InPerson),
                "信函" | "邮政" | "邮件" => Some(Channel::Post),
                "电子邮箱" | "e-mail" | "电邮" => Some(Channel::Email),
                _ => None,
            })
    }

    /// Which day counts as received (art. 31), as the trace states it.
    pub fn receipt_rule(self) -> &'static str {
        match self {
            Channel::InPerson => "当面提交的，以提交之日为收到申请之日（条例第三十一条第一项）",
            Channel::Post => {
                "邮寄提交的，以行政机关签收之日为收到申请之日；以平常信函等无需签收的邮寄方式提交的，以政府信息公开工作机构于收到申请的当日与申请人确认之日为收到申请之日（条例第三十一条第二项）"
            }
            Channel::Online | Channel::Fax | Channel::Email => {
                "通过互联网渠道或者政府信息公开工作机构的传真提交的，以双方确认之日为收到申请之日（条例第三十一条第三项）"
            }
        }
    }

    /// Checks a receipt date against the day the applicant submitted (art. 31): handed in
    /// person, it is received that very day; otherwise it cannot be received before it was sent.
    pub fn check_receipt(self, submitted: NaiveDate, received: NaiveDate) -> Result<(), String> {
        if received < submitted {
            return Err(format!(
                "收到申请之日 {received} 早于申请人提交之日 {submitted}"
            ));
        }
        if self == Channel::InPerson && received != submitted {
            return Err(format!(
                "当面提交的申请，提交之日即为收到申请之日（条例第三十一条第一项），而不是 {received}"
            ));
        }
        Ok(())
    }

    /// What the receipt date is called for this channel.
    pub fn receipt_event(self) -> &'static str {
        match self {
            Channel::InPerson => "当面提交",
            Channel::Post => "签收邮件",
            Channel::Online | Channel::Fax | Channel::Email => "双方确认收到",
        }
    }
}

/// The applicant. Name, identity document, contact and address are personal data: they are kept
/// for the handling of the case and never printed in logs, lists or public pages — use
/// [`Applicant::masked`] for anything but the case file itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub kind: ApplicantType,
    pub name: String,
    /// e.g. `居民身份证 640181199001011234`, or a 统一社会信用代码 for an organisation.
    #[serde(default)]
    pub id_document: String,
    /// Phone or e-mail.
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub address: String,
}

/// Keeps the first `keep_start` and last `keep_end` characters, stars the rest.
fn mask_chars(s: &str, keep_start: usize, keep_end: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    if chars.len() <= keep_start + keep_end {
        // Too short to show anything safely.
        return "*".repeat(chars.len().max(2));
    }
    let mut out: String = chars[..keep_start].iter().collect();
    out.push_str(&"*".repeat(chars.len() - keep_start - keep_end));
    out.extend(&chars[chars.len() - keep_end..]);
    out
}

impl Applicant {
    /// A copy safe for lists and logs: a natural person's name reduced to the surname, the
    /// identity number and contact starred but for a few characters, the address cut to its
    /// first few characters (an organisation's name is public and stays).
    pub fn masked(&self) -> Applicant {
        let name = match self.kind {
            ApplicantType::NaturalPerson => {
                let first: String = self.name.chars().take(1).collect();
                if first.is_empty() {
                    String::new()
                } else {
                    format!("{first}**")
                }
            }
            _ => self.name.clone(),
        };
        Applicant {
            kind: self.kind,
            name,
            id_document: mask_chars(&self.id_document, 0, 4),
            contact: mask_chars(&self.contact, 3, 2),
            address: {
                let head: String = self.address.chars().take(6).collect();
                if self.address.chars().count() > 6 {
                    format!("{head}****")
                } else if head.is_empty() {
                    head
                } else {
                    "****".into()
                }
            },
        }
    }

    /// The key an applicant is recognised by when counting per applicant per month (按件计收):
    /// the identity document when given, the name otherwise.
    pub fn key(&self) -> String {
        let doc: String = self
            .id_document
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_uppercase();
        if doc.is_empty() {
            format!("name:{}", self.name.trim())
        } else {
            format!("id:{doc}")
        }
    }
}

/// Whom a case is consulted with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultParty {
    /// A third party whose rights disclosure may harm (art. 32).
    ThirdParty,
    /// Another administrative organ (art. 34).
    OtherOrgan,
}

impl ConsultParty {
    pub fn label(self) -> &'static str {
        match self {
            ConsultParty::ThirdParty => "第三方",
            ConsultParty::OtherOrgan => "其他行政机关",
        }
    }

    pub fn parse(s: &str) -> Option<ConsultParty> {
        match s.trim() {
            "third_party" | "third-party" | "第三方" => Some(ConsultParty::ThirdParty),
            "organ" | "other_organ" | "other-organ" | "机关" | "其他机关" | "其他行政机关" => {
                Some(ConsultParty::OtherOrgan)
            }
            _ => None,
        }
    }

    pub fn article(self) -> &'static str {
        match self {
            ConsultParty::ThirdParty => "条例第三十二条",
            ConsultParty::OtherOrgan => "条例第三十四条",
        }
    }
}

/// How the reply (or another closing notice) reached the applicant (送达方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryMethod {
    /// 直接送达: handed over at the office, signed for.
    InPerson,
    /// 邮寄送达: by registered post (EMS), the date the applicant signed for it.
    Post,
    /// 电子邮件送达.
    Email,
    /// 网上平台送达: through the online application platform.
    Online,
    /// 其他方式 (fax, 委托送达 …), described in the note.
    Other,
}

impl DeliveryMethod {
    pub const ALL: [DeliveryMethod; 5] = [
        DeliveryMethod::InPerson,
        DeliveryMethod::Post,
        DeliveryMethod::Email,
        DeliveryMethod::Online,
        DeliveryMethod::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DeliveryMethod::InPerson => "直接送达",
            DeliveryMethod::Post => "邮寄送达",
            DeliveryMethod::Email => "电子邮件送达",
            DeliveryMethod::Online => "网上平台送达",
            DeliveryMethod::Other => "其他方式送达",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            DeliveryMethod::InPerson => "in_person",
            DeliveryMethod::Post => "post",
            DeliveryMethod::Email => "email",
            DeliveryMethod::Online => "online",
            DeliveryMethod::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryMethod> {
        let s = s.trim();
        DeliveryMethod::ALL
            .into_iter()
            .find(|m| m.code() == s || m.label() == s)
    }
}

/// A withheld part of a partly disclosed reply (art. 37), with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withheld {
    pub part: String,
    pub reason: String,
}

/// The unit a fee was counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeBasis {
    /// The applicant's nth application to this organ in the calendar month (按件计收).
    NthInMonth(u32),
    /// Pages provided (按量计收).
    Pages(u32),
}

/// One change of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Position in the log, from 1.
    pub seq: i64,
    /// When it was recorded (wall time of the actor; legal dates are in the payload).
    pub at: NaiveDateTime,
    pub actor: String,
    pub kind: EventKind,
}

/// What happened. Dates that count legally are explicit fields (`on`, `received_on` …), not the
/// recording time, because cases are often entered after the fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    Registered {
        channel: Channel,
        /// The day the applicant sent or handed it in.
        submitted_on: NaiveDate,
        /// The receipt date of art. 31 (handed in / signed for / confirmed by both sides).
        received_on: NaiveDate,
        applicant: Applicant,
        /// The information asked for.
        description: String,
        /// The form wanted (纸质、电子邮件 …).
        #[serde(default)]
        form: String,
    },
    Assigned {
        handler: String,
    },
    SupplementRequested {
        on: NaiveDate,
        /// What is to be corrected.
        items: String,
        /// The reasonable period given for the correction.
        correct_by: NaiveDate,
        #[serde(default)]
        notice: Option<String>,
    },
    SupplementReceived {
        on: NaiveDate,
    },
    ConsultationStarted {
        on: NaiveDate,
        party: ConsultParty,
        /// Who is consulted (a name; a natural person third party is masked in output).
        with: String,
        /// Why disclosure may affect the third party (printed in the 征求意见书, art. 32).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        matter: String,
        /// The 征求第三方意见书's number (a third party only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        notice: Option<String>,
    },
    ConsultationAnswered {
        on: NaiveDate,
        /// Which consultation (0-based, in the order they were started).
        index: usize,
        answer: String,
        /// Whether the party objects to disclosure (a third party's objection, art. 32).
        #[serde(default)]
        objects: bool,
    },
    /// Art. 32: the organ decided to disclose over a third party's objection and tells it so in
    /// writing, with what will be disclosed and why, before disclosing.
    ThirdPartyNotified {
        on: NaiveDate,
        /// Which consultation (0-based).
        index: usize,
        /// What will be disclosed and why (the public interest at stake).
        reason: String,
        #[serde(default)]
        notice: Option<String>,
    },
    /// Art. 35: the organ asks the applicant to explain the reasons of requests that clearly
    /// exceed a reasonable range in number or frequency.
    ReasonsRequested {
        on: NaiveDate,
        /// What the organ observed (how many requests, over what period).
        items: String,
        #[serde(default)]
        notice: Option<String>,
    },
    /// The applicant's explanation (or the note that none came by the date given).
    ReasonsAnswered {
        on: NaiveDate,
        answer: String,
    },
    Extended {
        on: NaiveDate,
        days: u32,
        reason: String,
        approved_by: String,
        #[serde(default)]
        notice: Option<String>,
    },
    FeeNoticed {
        on: NaiveDate,
        method: FeeMethod,
        basis: FeeBasis,
        amount_fen: i64,
        pay_by: NaiveDate,
        #[serde(default)]
        notice: Option<String>,
    },
    FeePaid {
        on: NaiveDate,
    },
    FeeNotPaid {
        on: NaiveDate,
    },
    Decided {
        on: NaiveDate,
        result: ReplyResult,
        /// The legal basis as the reply states it.
        basis: String,
        #[serde(default)]
        withheld: Vec<Withheld>,
        #[serde(default)]
        notice: Option<String>,
        /// What the reply gives or tells the applicant in its own words (the information
        /// provided, where and how to obtain it); printed in the 答复书.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        text: String,
        /// The case-specific parts the outcome's letter needs (`reply::ReplyParts`).
        #[serde(default, skip_serializing_if = "super::reply::ReplyParts::is_empty")]
        parts: super::reply::ReplyParts,
    },
    /// The reply (or the notice that closed the case) reached the applicant (送达). May be
    /// recorded more than once (a letter returned, then handed over).
    Delivered {
        on: NaiveDate,
        method: DeliveryMethod,
        /// Tracking number, e-mail address used, who signed for it …
        #[serde(default)]
        note: String,
    },
    Withdrawn {
        on: NaiveDate,
        #[serde(default)]
        reason: String,
    },
    /// The calendar changed and the deadline was recomputed.
    DeadlineRecomputed {
        reason: String,
        old_due: Option<NaiveDate>,
        new_due: Option<NaiveDate>,
    },
}

impl EventKind {
    /// The snake-case name stored beside the payload.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Registered { .. } => "registered",
            EventKind::Assigned { .. } => "assigned",
            EventKind::SupplementRequested { .. } => "supplement_requested",
            EventKind::SupplementReceived { .. } => "supplement_received",
            EventKind::ConsultationStarted { .. } => "consultation_started",
            EventKind::ConsultationAnswered { .. } => "consultation_answered",
            EventKind::ThirdPartyNotified { .. } => "third_party_notified",
            EventKind::ReasonsRequested { .. } => "reasons_requested",
            EventKind::ReasonsAnswered { .. } => "reasons_answered",
            EventKind::Extended { .. } => "extended",
            EventKind::FeeNoticed { .. } => "fee_noticed",
            EventKind::FeePaid { .. } => "fee_paid",
            EventKind::FeeNotPaid { .. } => "fee_not_paid",
            EventKind::Decided { .. } => "decided",
            EventKind::Delivered { .. } => "delivered",
            EventKind::Withdrawn { .. } => "withdrawn",
            EventKind::DeadlineRecomputed { .. } => "deadline_recomputed",
        }
    }

    /// The legal date of the step (for a registration, the receipt date); none for steps that
    /// carry no date of their own.
    pub fn on(&self) -> Option<NaiveDate> {
        match self {
            EventKind::Registered { received_on, .. } => Some(*received_on),
            EventKind::SupplementRequested { on, .. }
            | EventKind::SupplementReceived { on }
            | EventKind::ConsultationStarted { on, .. }
            | EventKind::ConsultationAnswered { on, .. }
            | EventKind::ThirdPartyNotified { on, .. }
            | EventKind::ReasonsRequested { on, .. }
            | EventKind::ReasonsAnswered { on, .. }
            | EventKind::Extended { on, .. }
            | EventKind::FeeNoticed { on, .. }
            | EventKind::FeePaid { on }
            | EventKind::FeeNotPaid { on }
            | EventKind::Decided { on, .. }
            | EventKind::Delivered { on, .. }
            | EventKind::Withdrawn { on, .. } => Some(*on),
            EventKind::Assigned { .. } | EventKind::DeadlineRecomputed { .. } => None,
        }
    }

    /// A one-line Chinese description, free of personal data (for logs and `show`).
    pub fn describe(&self) -> String {
        match self {
            EventKind::Registered {
                channel,
                received_on,
                applicant,
                ..
            } => format!(
                "登记{}，申请人类型：{}，收到申请之日：{}",
                channel.label(),
                applicant.kind.label(),
                received_on
            ),
            EventKind::Assigned { handler } => format!("分办给 {handler}"),
            EventKind::SupplementRequested { on, correct_by, .. } => {
                format!("{on} 发出补正告知，补正期限至 {correct_by}")
            }
            EventKind::SupplementReceived { on } => format!("{on} 收到补正后的申请"),
            EventKind::ConsultationStarted { on, party, .. } => {
                format!("{on} 书面征求{}意见", party.label())
            }
            EventKind::ConsultationAnswered {
                on, index, objects, ..
            } => format!(
                "{on} 收到第{}次征求意见的答复{}",
                index + 1,
                if *objects {
                    "（不同意公开）"
                } else {
                    ""
                }
            ),
            EventKind::ThirdPartyNotified { on, index, .. } => {
                format!(
                    "{on} 书面告知第{}次征求意见的第三方：决定予以公开",
                    index + 1
                )
            }
            EventKind::ReasonsRequested { on, .. } => {
                format!("{on} 要求申请人说明理由（条例第三十五条）")
            }
            EventKind::ReasonsAnswered { on, .. } => format!("{on} 登记申请人说明的理由"),
            EventKind::Extended { on, days, .. } => {
                format!("{on} 经批准延长答复期限{days}个工作日")
            }
            EventKind::FeeNoticed {
                on,
                method,
                amount_fen,
                pay_by,
                ..
            } => format!(
                "{on} 发出收费通知（{}），金额 {}，缴费期限至 {pay_by}",
                method.label(),
                super::fees::yuan(*amount_fen)
            ),
            EventKind::FeePaid { on } => format!("{on} 申请人缴纳信息处理费"),
            EventKind::FeeNotPaid { on } => format!("{on} 申请人逾期未缴纳信息处理费，不再处理"),
            EventKind::Decided { on, result, .. } => {
                format!("{on} 作出答复：{}", result.label())
            }
            EventKind::Delivered { on, method, .. } => {
                format!("{on} {}答复书", method.label())
            }
            EventKind::Withdrawn { on, .. } => format!("{on} 申请人撤回申请"),
            EventKind::DeadlineRecomputed {
                reason,
                old_due,
                new_due,
            } => format!(
                "重新计算答复期限（{reason}）：{} → {}",
                old_due
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "无".into()),
                new_due
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "无".into())
            ),
        }
    }

    /// The same event with the applicant's personal data masked (for JSON output of logs).
    pub fn masked(&self) -> EventKind {
        match self {
            EventKind::Registered {
                channel,
                submitted_on,
                received_on,
                applicant,
                description,
                form,
            } => EventKind::Registered {
                channel: *channel,
                submitted_on: *submitted_on,
                received_on: *received_on,
                applicant: applicant.masked(),
                description: description.clone(),
                form: form.clone(),
            },
            other => other.clone(),
        }
    }
}
