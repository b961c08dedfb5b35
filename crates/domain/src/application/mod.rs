//! Disclosure on application (依申请公开): who applies, how a reply is typed, and what the annual
//! report needs to know of each case. The workflow (events, the statutory clock) builds on these.

pub mod clock;
pub mod events;
pub mod fees;
pub mod notice;
#[cfg(test)]
mod scenarios;
pub mod workflow;

use crate::report::Format;
use crate::report::layout;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The applicant types of table 三, in column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantType {
    NaturalPerson,
    Business,
    Research,
    PublicInterest,
    LegalService,
    OtherOrganisation,
}

impl ApplicantType {
    pub const ALL: [ApplicantType; 6] = [
        ApplicantType::NaturalPerson,
        ApplicantType::Business,
        ApplicantType::Research,
        ApplicantType::PublicInterest,
        ApplicantType::LegalService,
        ApplicantType::OtherOrganisation,
    ];

    /// The column label of table 三.
    pub fn column(self) -> &'static str {
        layout::APPLICANT_COLUMNS[self as usize]
    }

    /// The label a person sees and types (import files, forms).
    pub fn label(self) -> &'static str {
        match self {
            ApplicantType::NaturalPerson => "自然人",
            ApplicantType::Business => "商业企业",
            ApplicantType::Research => "科研机构",
            ApplicantType::PublicInterest => "社会公益组织",
            ApplicantType::LegalService => "法律服务机构",
            ApplicantType::OtherOrganisation => "其他组织",
        }
    }

    /// Parses a label as people write it (其他 and 其他组织 both mean the last column).
    pub fn parse(s: &str) -> Option<ApplicantType> {
        let s = s.trim();
        ApplicantType::ALL
            .into_iter()
            .find(|t| t.label() == s || t.column() == s)
            .or(match s {
                "公民" | "个人" => Some(ApplicantType::NaturalPerson),
                "企业" => Some(ApplicantType::Business),
                _ => None,
            })
    }
}

/// How an application was closed: exactly one result row of table 三 (art. 36–39).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyResult {
    /// （一）予以公开: disclosed, or told where it is already published.
    Disclosed,
    /// （二）部分公开 (art. 37).
    PartlyDisclosed,
    /// （三）1–8 不予公开.
    StateSecret,
    ForbiddenByLaw,
    ThreeSafetiesOneStability,
    ThirdPartyRights,
    InternalAffairs,
    ProcessInformation,
    EnforcementFile,
    QueryProcedure,
    /// （四）1–3 无法提供.
    NotHeld,
    WouldNeedMaking,
    UnclearAfterCorrection,
    /// （五）1–5 不予处理.
    PetitionOrComplaint,
    Repeated,
    Publication,
    ExcessiveRepetition,
    ConfirmOrReissue,
    /// （六） 其他处理: no correction in time (2021 （六）1).
    NoCorrectionInTime,
    /// （六）: fee not paid in time (2021 （六）2).
    FeeNotPaid,
    /// （六）: other, including withdrawal (2021 （六）3).
    Other,
}

impl ReplyResult {
    pub const ALL: [ReplyResult; 21] = [
        ReplyResult::Disclosed,
        ReplyResult::PartlyDisclosed,
        ReplyResult::StateSecret,
        ReplyResult::ForbiddenByLaw,
        ReplyResult::ThreeSafetiesOneStability,
        ReplyResult::ThirdPartyRights,
        ReplyResult::InternalAffairs,
        ReplyResult::ProcessInformation,
        ReplyResult::EnforcementFile,
        ReplyResult::QueryProcedure,
        ReplyResult::NotHeld,
        ReplyResult::WouldNeedMaking,
        ReplyResult::UnclearAfterCorrection,
        ReplyResult::PetitionOrComplaint,
        ReplyResult::Repeated,
        ReplyResult::Publication,
        ReplyResult::ExcessiveRepetition,
        ReplyResult::ConfirmOrReissue,
        ReplyResult::NoCorrectionInTime,
        ReplyResult::FeeNotPaid,
        ReplyResult::Other,
    ];

    /// The row of table 三 this reply is counted in, for a format. In the 2019 format the three
    /// kinds of （六） share one row.
    pub fn row(self, format: Format) -> &'static str {
        let i = self as usize;
        match (format, i) {
            (Format::F2019, 18..) => layout::ROW_OTHER_2019,
            (Format::F2019, _) => layout::result_rows(Format::F2019)[i].label,
            (Format::F2021, _) => layout::result_rows(Format::F2021)[i].label,
        }
    }

    /// A short label with its group, as a handler picks it: `（三）4.保护第三方合法权益`.
    pub fn label(self) -> String {
        let row = layout::result_rows(Format::F2021)[self as usize];
        match row.group {
            Some(g) => format!(
                "{}{}",
                &g[..g.find('）').map(|p| p + '）'.len_utf8()).unwrap_or(0)],
                row.label
            ),
            None => row.label.to_string(),
        }
    }

    /// Parses either the full row label, the short label, or the enum name.
    pub fn parse(s: &str) -> Option<ReplyResult> {
        let s = s.trim();
        ReplyResult::ALL.into_iter().find(|r| {
            r.label() == s
                || r.row(Format::F2021) == s
                || serde_json::to_value(r)
                    .ok()
                    .and_then(|v| v.as_str().map(|v| v == s))
                    .unwrap_or(false)
        })
    }
}

/// What the annual report needs of one application: who applied, when it was received, and, once
/// closed, how and when. Everything else of a case (events, clock, notices) lives in the workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationSummary {
    pub applicant: ApplicantType,
    pub received: NaiveDate,
    pub closed: Option<(NaiveDate, ReplyResult)>,
}

impl ApplicationSummary {
    /// Whether the case is still open at the end of `date` (carried over at year end when
    /// `date` is 31 December).
    pub fn open_at(&self, date: NaiveDate) -> bool {
        self.received <= date && self.closed.is_none_or(|(on, _)| on > date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reply_maps_to_a_row_of_both_formats() {
        for f in [Format::F2019, Format::F2021] {
            let rows = layout::result_rows(f);
            for r in ReplyResult::ALL {
                assert!(rows.iter().any(|x| x.label == r.row(f)), "{r:?} in {f}");
            }
        }
        assert_eq!(ReplyResult::FeeNotPaid.row(Format::F2019), "（六）其他处理");
        assert_eq!(
            ReplyResult::ThirdPartyRights.label(),
            "（三）4.保护第三方合法权益"
        );
        assert_eq!(
            ReplyResult::parse("（五）2.重复申请"),
            Some(ReplyResult::Repeated)
        );
        assert_eq!(ReplyResult::parse("not_held"), Some(ReplyResult::NotHeld));
        assert_eq!(
            ApplicantType::parse("其他"),
            Some(ApplicantType::OtherOrganisation)
        );
    }
}
