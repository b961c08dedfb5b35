//! Registers kept per year: the lists of matters (事项) and the decisions and fees under them,
//! procurement, review and litigation cases, letters and complaints.

use super::Fen;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The kinds of matters art. 20 (五)(六)(八) ask organs to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatterKind {
    Licensing,
    OtherService,
    Penalty,
    Enforcement,
    Fee,
}

impl MatterKind {
    pub const ALL: [MatterKind; 5] = [
        MatterKind::Licensing,
        MatterKind::OtherService,
        MatterKind::Penalty,
        MatterKind::Enforcement,
        MatterKind::Fee,
    ];
    /// The row label of table 二 (also what import files write).
    pub fn label(self) -> &'static str {
        match self {
            MatterKind::Licensing => "行政许可",
            MatterKind::OtherService => "其他对外管理服务事项",
            MatterKind::Penalty => "行政处罚",
            MatterKind::Enforcement => "行政强制",
            MatterKind::Fee => "行政事业性收费",
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            MatterKind::Licensing => "licensing",
            MatterKind::OtherService => "other_service",
            MatterKind::Penalty => "penalty",
            MatterKind::Enforcement => "enforcement",
            MatterKind::Fee => "fee",
        }
    }
    pub fn parse(s: &str) -> Option<MatterKind> {
        let s = s.trim();
        MatterKind::ALL
            .into_iter()
            .find(|k| k.label() == s || k.code() == s)
            .or(match s {
                "其他对外管理服务" | "公共服务" => Some(MatterKind::OtherService),
                "收费" => Some(MatterKind::Fee),
                _ => None,
            })
    }
}

/// A matter on one of the organ's lists, from `listed_on` until (excluding) `delisted_on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matter {
    pub id: i64,
    pub organ_id: i64,
    pub kind: MatterKind,
    pub name: String,
    pub listed_on: NaiveDate,
    pub delisted_on: Option<NaiveDate>,
}

impl Matter {
    /// On the list at the end of `date`.
    pub fn listed_at(&self, date: NaiveDate) -> bool {
        self.listed_on <= date && self.delisted_on.is_none_or(|d| d > date)
    }
}

/// A decision (处理决定) made under a matter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub id: i64,
    pub matter_id: i64,
    pub decided_on: NaiveDate,
    /// 决定文书号.
    pub number: String,
    /// 行政相对人 (empty when not recorded).
    #[serde(default)]
    pub party: String,
}

/// What the 双公示 data standard publishes of a decision beyond its number, date and party: the
/// party's 统一社会信用代码 (a legal person's; empty for a natural person), for a licence its
/// 许可内容 and 有效期, for a penalty its 处罚依据, 处罚结果 and 罚款金额. Every field may be empty:
/// decisions recorded before these were kept have none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionDetails {
    pub credit_code: String,
    /// 许可内容, or for a penalty 处罚结果 (处罚内容).
    pub content: String,
    /// 许可有效期 (from, to).
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    /// 处罚依据 (or the licence's legal basis).
    pub basis: String,
    /// 罚款金额, when the penalty includes a fine.
    pub fine_fen: Option<Fen>,
}

impl DecisionDetails {
    pub fn is_empty(&self) -> bool {
        *self == DecisionDetails::default()
    }

    /// Reads the fields as a form or an import row gives them; every problem at once, by field
    /// (`credit_code`, `content`, `valid_from`, `valid_to`, `basis`, `fine`).
    pub fn parse(
        credit_code: &str,
        content: &str,
        valid_from: &str,
        valid_to: &str,
        basis: &str,
        fine: &str,
    ) -> Result<DecisionDetails, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let credit_code = match credit_code.trim() {
            "" => String::new(),
            c => match crate::application::validate::id_document(
                crate::application::validate::IdKind::CreditCode,
                c,
            ) {
                Ok(c) => c,
                Err(m) => {
                    errors.push(("credit_code", m));
                    String::new()
                }
            },
        };
        let mut date = |field: &'static str, what: &str, s: &str| match s.trim() {
            "" => None,
            t => match NaiveDate::parse_from_str(t, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push((field, format!("{what}“{t}”不是日期，应为 年-月-日")));
                    None
                }
            },
        };
        let valid_from = date("valid_from", "有效期起始日", valid_from);
        let valid_to = date("valid_to", "有效期截止日", valid_to);
        if let (Some(a), Some(b)) = (valid_from, valid_to)
            && b < a
        {
            errors.push(("valid_to", format!("有效期截止日 {b} 早于起始日 {a}")));
        }
        for (field, what, v, max) in [
            ("content", "许可内容或处罚结果", content, 2000),
            ("basis", "处罚依据", basis, 1000),
        ] {
            if v.trim().chars().count() > max {
                errors.push((field, format!("{what}不能超过{max}字")));
            }
        }
        let fine_fen = match fine.trim() {
            "" => None,
            t => match super::parse_yuan(t) {
                Ok(f) if f >= 0 => Some(f),
                Ok(_) => {
                    errors.push(("fine", "罚款金额不能为负数".to_string()));
                    None
                }
                Err(m) => {
                    errors.push(("fine", m));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(DecisionDetails {
            credit_code,
            content: content.trim().to_string(),
            valid_from,
            valid_to,
            basis: basis.trim().to_string(),
            fine_fen,
        })
    }
}

/// A fee collected under a 行政事业性收费 matter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fee {
    pub id: i64,
    pub matter_id: i64,
    pub collected_on: NaiveDate,
    pub amount_fen: Fen,
    pub note: String,
}

/// A centralised procurement project (政府集中采购).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Procurement {
    pub id: i64,
    pub organ_id: i64,
    pub name: String,
    pub contracted_on: NaiveDate,
    pub amount_fen: Fen,
}

/// The rows of table 四.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    Review,
    SuitDirect,
    SuitAfterReview,
}

impl CaseKind {
    pub const ALL: [CaseKind; 3] = [
        CaseKind::Review,
        CaseKind::SuitDirect,
        CaseKind::SuitAfterReview,
    ];
    /// The row label of table 四.
    pub fn label(self) -> &'static str {
        match self {
            CaseKind::Review => "行政复议",
            CaseKind::SuitDirect => "未经复议直接起诉",
            CaseKind::SuitAfterReview => "复议后起诉",
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            CaseKind::Review => "review",
            CaseKind::SuitDirect => "suit_direct",
            CaseKind::SuitAfterReview => "suit_after_review",
        }
    }
    pub fn parse(s: &str) -> Option<CaseKind> {
        let s = s.trim();
        CaseKind::ALL
            .into_iter()
            .find(|k| k.label() == s || k.code() == s)
            .or(match s {
                "复议" => Some(CaseKind::Review),
                "直接起诉" | "行政诉讼" => Some(CaseKind::SuitDirect),
                _ => None,
            })
    }
}

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseOutcome {
    Upheld,
    Corrected,
    Other,
}

impl CaseOutcome {
    pub const ALL: [CaseOutcome; 3] = [
        CaseOutcome::Upheld,
        CaseOutcome::Corrected,
        CaseOutcome::Other,
    ];
    pub fn label(self) -> &'static str {
        match self {
            CaseOutcome::Upheld => "维持",
            CaseOutcome::Corrected => "纠正",
            CaseOutcome::Other => "其他",
        }
    }
    /// The column of table 四.
    pub fn column(self) -> &'static str {
        match self {
            CaseOutcome::Upheld => "结果维持",
            CaseOutcome::Corrected => "结果纠正",
            CaseOutcome::Other => "其他结果",
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            CaseOutcome::Upheld => "upheld",
            CaseOutcome::Corrected => "corrected",
            CaseOutcome::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<CaseOutcome> {
        let s = s.trim();
        CaseOutcome::ALL
            .into_iter()
            .find(|k| k.label() == s || k.code() == s || k.column() == s)
            .or(match s {
                "其他结果" => Some(CaseOutcome::Other),
                _ => None,
            })
    }
}

/// An administrative review or suit about a disclosure decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: i64,
    pub organ_id: i64,
    pub kind: CaseKind,
    pub case_number: String,
    pub filed_on: NaiveDate,
    /// The number of the application the case concerns (申请编号).
    pub application_number: String,
    /// `None` while open (尚未审结).
    pub outcome: Option<(CaseOutcome, NaiveDate)>,
}

impl Case {
    /// Still open at the end of `date`.
    pub fn open_at(&self, date: NaiveDate) -> bool {
        self.filed_on <= date && self.outcome.is_none_or(|(_, d)| d > date)
    }
}

/// A channel letters and complaints come by (configurable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterChannel {
    pub id: i64,
    /// Short name used in files and reports (`12345热线`).
    pub name: String,
    /// Full name as the text of a report says it (`银川市12345一号通平台`).
    pub full_name: String,
    pub position: i32,
}

/// A letter or complaint (信访、投诉、留言).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    pub id: i64,
    pub organ_id: i64,
    pub channel_id: i64,
    pub received_on: NaiveDate,
    pub subject: String,
    pub reply: String,
    pub replied_on: Option<NaiveDate>,
    /// 办理时限: the date a reply is due.
    pub due_on: Option<NaiveDate>,
}
