//! Figures carried beside a report for its charts: applications by month and by outcome, items
//! published by category, on-time rates. They are not part of the report's JSON (the national
//! format has no place for them); the report computation fills them from the same records, and
//! the renderers draw them.

use super::{Format, Report, layout};
use serde::{Deserialize, Serialize};

/// A labelled count (one bar of a chart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub label: String,
    pub count: u64,
}

impl Count {
    pub fn new(label: impl Into<String>, count: u64) -> Count {
        Count {
            label: label.into(),
            count,
        }
    }
}

/// How many of `total` cases met their deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Rate {
    pub on_time: u64,
    pub total: u64,
}

impl Rate {
    /// The share on time in percent; `None` when there was nothing to count.
    pub fn percent(self) -> Option<f64> {
        (self.total > 0).then(|| self.on_time as f64 * 100.0 / self.total as f64)
    }
}

/// The chart data of one report year.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReportStats {
    /// Applications received in each month, January first (12 entries when filled).
    #[serde(default)]
    pub applications_by_month: Vec<u64>,
    /// Applications closed in the year by outcome group (予以公开, 部分公开, 不予公开 …), in the
    /// order of table 三.
    #[serde(default)]
    pub applications_by_outcome: Vec<Count>,
    /// Items proactively published in the year, by catalogue category.
    #[serde(default)]
    pub items_by_category: Vec<Count>,
    /// Applications answered within the statutory time limit (art. 33), of those closed.
    #[serde(default)]
    pub applications_on_time: Rate,
    /// Items published within 20 working days of being made or changed (art. 26), of those
    /// published.
    #[serde(default)]
    pub proactive_on_time: Rate,
}

impl ReportStats {
    /// The outcome groups of table 三, summed over the 总计 column of a report: what the outcome
    /// chart shows when no records are at hand (a report read back from a published document).
    pub fn outcomes_from_report(report: &Report) -> Vec<Count> {
        let mut out: Vec<Count> = Vec::new();
        for row in layout::result_rows(report.format) {
            let label = outcome_label(row.group.unwrap_or(row.label), report.format);
            let n = report
                .get(layout::TABLE_3, row.label, layout::TOTAL)
                .and_then(|v| v.as_i64())
                .unwrap_or(0)
                .max(0) as u64;
            match out.iter_mut().find(|c| c.label == label) {
                Some(c) => c.count += n,
                None => out.push(Count::new(label, n)),
            }
        }
        out
    }

    /// These stats, with the outcome chart filled from the report's table 三 where it is empty.
    pub fn completed_from(mut self, report: &Report) -> ReportStats {
        if self.applications_by_outcome.is_empty() {
            self.applications_by_outcome = Self::outcomes_from_report(report);
        }
        self
    }

    /// Is there anything to draw at all?
    pub fn is_empty(&self) -> bool {
        self.applications_by_month.iter().all(|n| *n == 0)
            && self.applications_by_outcome.iter().all(|c| c.count == 0)
            && self.items_by_category.iter().all(|c| c.count == 0)
            && self.applications_on_time.total == 0
            && self.proactive_on_time.total == 0
    }
}

/// The short name of an outcome group: （三）不予公开 → 不予公开; （二）部分公开（区分处理的…） → 部分公开.
fn outcome_label(group: &str, _format: Format) -> String {
    let s = group
        .find('）')
        .map(|i| &group[i + '）'.len_utf8()..])
        .unwrap_or(group);
    let s = s.find('（').map(|i| &s[..i]).unwrap_or(s);
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Num;

    #[test]
    fn outcomes_group_table_three() {
        let mut r = Report::blank("x", 2021, Format::F2021);
        r.set("三", "（一）予以公开", "总计", Some(Num(3.0)));
        r.set("三", "2.重复申请", "总计", Some(Num(2.0)));
        r.set(
            "三",
            "5.要求行政机关确认或重新出具已获取信息",
            "总计",
            Some(Num(1.0)),
        );
        r.set("三", "3.其他", "总计", Some(Num(4.0)));
        let o = ReportStats::outcomes_from_report(&r);
        let labels: Vec<&str> = o.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "予以公开",
                "部分公开",
                "不予公开",
                "无法提供",
                "不予处理",
                "其他处理"
            ]
        );
        assert_eq!(o[0].count, 3);
        assert_eq!(o[4].count, 3);
        assert_eq!(o[5].count, 4);
        let r = Report::blank("x", 2020, Format::F2019);
        assert_eq!(ReportStats::outcomes_from_report(&r).len(), 6);
    }

    #[test]
    fn rates() {
        assert_eq!(
            Rate {
                on_time: 0,
                total: 0
            }
            .percent(),
            None
        );
        assert_eq!(
            Rate {
                on_time: 3,
                total: 4
            }
            .percent(),
            Some(75.0)
        );
        assert!(ReportStats::default().is_empty());
    }
}
