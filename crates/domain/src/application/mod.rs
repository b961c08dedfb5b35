//! Disclosure on application (依申请公开): who applies, how a reply is typed, and what the annual
//! report needs to know of each case. The workflow (events, the statutory clock) builds on these.

pub mod clock;
pub mod events;
pub mod fees;
pub mod next;
pub mod notice;
pub mod progress;
pub mod reply;
#[cfg(test)]
mod scenarios;
pub mod validate;
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

    /// Parses either the full row label, the short label, the enum name, or the start of one
    /// label that no other label starts with (「（二）部分公开」).
    pub fn parse(s: &str) -> Option<ReplyResult> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        let exact = ReplyResult::ALL.into_iter().find(|r| {
            r.label() == s
                || r.row(Format::F2021) == s
                || serde_json::to_value(r)
                    .ok()
                    .and_then(|v| v.as_str().map(|v| v == s))
                    .unwrap_or(false)
        });
        exact.or_else(|| {
            let mut hits = ReplyResult::ALL
                .into_iter()
                .filter(|r| r.label().starts_with(s));
            match (hits.next(), hits.next()) {
                (Some(r), None) => Some(r),
                _ => None,
            }
        })
    }
}

/// What the annual report needs of one application: who applied, when it was received, once
/// closed how and when, and the reply deadline. Everything else of a case (events, notices)
/// lives in the workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationSummary {
    pub applicant: ApplicantType,
    pub received: NaiveDate,
    pub closed: Option<(NaiveDate, ReplyResult)>,
    /// The reply deadline as the statutory clock computes it from the case's events and the
    /// calendar (`clock::Clock::due`): 20 working days, moved by 补正, consultations and fee
    /// periods, plus a lawful extension. `None` when no period ran (closed while awaiting
    /// correction) or the calendar cannot answer.
    #[serde(default)]
    pub due: Option<NaiveDate>,
}

impl ApplicationSummary {
    /// Whether the case is still open at the end of `date` (carried over at year end when
    /// `date` is 31 December).
    pub fn open_at(&self, date: NaiveDate) -> bool {
        self.received <= date && self.closed.is_none_or(|(on, _)| on > date)
    }

    /// For a closed case: replied within the lawful (possibly extended) period? `None` while
    /// open or when no deadline is known.
    pub fn on_time(&self) -> Option<bool> {
        match (self.closed, self.due) {
            (Some((on, _)), Some(due)) => Some(on <= due),
            _ => None,
        }
    }

    /// How the case counts in the report of `year` (with `n` = 1); `None` when it does not
    /// count at all (received after the year, or received and closed before it).
    pub fn in_year(&self, year: i32) -> Option<ApplicationCount> {
        use chrono::Datelike;
        let start = NaiveDate::from_ymd_opt(year, 1, 1)?;
        let end = NaiveDate::from_ymd_opt(year, 12, 31)?;
        if self.received > end {
            return None;
        }
        let received_month = if self.received.year() == year {
            self.received.month() as u8
        } else {
            0
        };
        let standing = match self.closed {
            Some((d, _)) if d < start => {
                if received_month == 0 {
                    return None;
                }
                YearStanding::ClosedBefore
            }
            Some((d, result)) if d.year() == year => YearStanding::Closed {
                result,
                on_time: self.on_time(),
            },
            _ => YearStanding::Open,
        };
        Some(ApplicationCount {
            applicant: self.applicant,
            received_month,
            standing,
            n: 1,
        })
    }
}

/// How a case stands at the end of a report year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum YearStanding {
    /// Closed before the year began (only a case received in the year can be counted so, and
    /// only if its dates are inconsistent: it counts as new and nothing else).
    ClosedBefore,
    /// Closed in the year with this reply; `on_time` as [`ApplicationSummary::on_time`].
    Closed {
        result: ReplyResult,
        on_time: Option<bool>,
    },
    /// Not closed by 31 December: carried over to the next year.
    Open,
}

/// `n` cases that count alike in one report year: the same applicant column, month of receipt
/// and standing at year end. This is all table 三 and the charts read of applications, so the
/// store may count cases in SQL instead of loading them one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ApplicationCount {
    pub applicant: ApplicantType,
    /// Month of receipt (1–12) when received in the year; 0 when carried in from an earlier
    /// year.
    pub received_month: u8,
    pub standing: YearStanding,
    pub n: u64,
}

/// Adds up counts of cases that count alike, in a stable order (applicant, month, standing):
/// two ways of counting the same cases give equal tallies.
pub fn tally(counts: impl IntoIterator<Item = ApplicationCount>) -> Vec<ApplicationCount> {
    let mut m: std::collections::BTreeMap<(ApplicantType, u8, YearStanding), u64> =
        std::collections::BTreeMap::new();
    for c in counts {
        if c.n > 0 {
            *m.entry((c.applicant, c.received_month, c.standing))
                .or_default() += c.n;
        }
    }
    m.into_iter()
        .map(
            |((applicant, received_month, standing), n)| ApplicationCount {
                applicant,
                received_month,
                standing,
                n,
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_within_a_lawful_extension_is_on_time() {
        use crate::calendar::Calendar;
        use events::{Applicant, Channel, Event, EventKind};
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let ev = |seq, kind| Event {
            seq,
            at: d("2024-12-01").and_hms_opt(9, 0, 0).unwrap(),
            actor: "承办人".into(),
            kind,
        };
        let registered = ev(
            1,
            EventKind::Registered {
                channel: Channel::Online,
                submitted_on: d("2024-09-27"),
                received_on: d("2024-09-27"),
                applicant: Applicant {
                    kind: ApplicantType::Business,
                    name: "某公司".into(),
                    id_document: String::new(),
                    contact: String::new(),
                    address: String::new(),
                },
                description: "x".into(),
                form: String::new(),
            },
        );
        let extended = ev(
            2,
            EventKind::Extended {
                on: d("2024-10-28"),
                days: 20,
                reason: "需调取档案".into(),
                approved_by: "办公室主任".into(),
                notice: None,
            },
        );
        let decided = |seq| {
            ev(
                seq,
                EventKind::Decided {
                    on: d("2024-11-20"),
                    result: ReplyResult::Disclosed,
                    basis: "条例第二十七条".into(),
                    withheld: vec![],
                    notice: None,
                    text: String::new(),
                    parts: Default::default(),
                },
            )
        };
        let cal = Calendar::builtin();
        // Due 2024-10-30, extended by 20 working days to 2024-11-27; replied 2024-11-20.
        let app = workflow::Application::from_events(&[registered.clone(), extended, decided(3)])
            .unwrap();
        let s = app.summary(&cal);
        assert_eq!(s.due, Some(d("2024-11-27")));
        assert_eq!(s.on_time(), Some(true));
        assert_eq!(
            s.in_year(2024).unwrap().standing,
            YearStanding::Closed {
                result: ReplyResult::Disclosed,
                on_time: Some(true)
            }
        );
        // Without the extension the same reply is late.
        let app = workflow::Application::from_events(&[registered, decided(2)]).unwrap();
        let s = app.summary(&cal);
        assert_eq!(s.due, Some(d("2024-10-30")));
        assert_eq!(s.on_time(), Some(false));
        // An open case has no on-time reading; across the year boundary it is carried in.
        let open = ApplicationSummary {
            closed: None,
            ..s.clone()
        };
        assert_eq!(open.on_time(), None);
        let c = open.in_year(2025).unwrap();
        assert_eq!((c.received_month, c.standing), (0, YearStanding::Open));
        assert_eq!(s.in_year(2025), None);
        assert_eq!(s.in_year(2023), None);
    }

    #[test]
    fn tallies_add_up_alike_cases() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let a = |recv: &str, closed: Option<&str>| ApplicationSummary {
            applicant: ApplicantType::NaturalPerson,
            received: d(recv),
            closed: closed.map(|c| (d(c), ReplyResult::Disclosed)),
            due: Some(d("2023-03-01")),
        };
        let cases = [
            a("2023-02-01", Some("2023-02-10")),
            a("2023-02-15", Some("2023-02-20")),
            a("2023-02-15", Some("2023-03-20")),
            a("2022-12-30", None),
            a("2023-12-30", Some("2024-01-02")),
        ];
        let t = tally(cases.iter().filter_map(|c| c.in_year(2023)));
        let n = |m: u8, st: YearStanding| {
            t.iter()
                .find(|c| c.received_month == m && c.standing == st)
                .map(|c| c.n)
        };
        let closed = |on_time| YearStanding::Closed {
            result: ReplyResult::Disclosed,
            on_time: Some(on_time),
        };
        assert_eq!(n(2, closed(true)), Some(2));
        assert_eq!(n(2, closed(false)), Some(1));
        assert_eq!(n(0, YearStanding::Open), Some(1));
        assert_eq!(n(12, YearStanding::Open), Some(1));
        assert_eq!(t.len(), 4);
        assert_eq!(tally(t.clone()), t);
    }

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
