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

/// The chart figures of a report year from the records it is computed from.
///
/// - applications by month: received in the year, by month of receipt;
/// - by outcome: closed in the year, by the group of table 三 their result row sits in;
/// - items by category: published in the year, by first-level catalogue category (as the text
///   of section 一 counts them);
/// - applications on time: closed in the year by the reply deadline the statutory clock derives
///   from the case's events and the calendar (art. 33: 20 working days, plus a lawful extension
///   of at most 20 more, with 补正, consultations and fee periods not counted), so a reply made
///   within a lawfully extended period is on time. Cases without a known deadline (closed while
///   awaiting correction, dates the calendar does not cover) are left out of the rate;
/// - proactive disclosure on time: items published in the year that carry a 成文日期, published
///   within 20 working days of it (art. 26).
///
/// Dates the calendar does not cover are left out of the rates rather than guessed.
pub fn from_input(
    input: &super::compute::ReportInput,
    calendar: &crate::calendar::Calendar,
) -> ReportStats {
    use crate::application::YearStanding;
    use crate::records::ItemStatus;
    use chrono::Datelike;
    let year = input.year;
    let format = Format::for_year(year);
    let mut stats = ReportStats {
        applications_by_month: vec![0; 12],
        ..ReportStats::default()
    };
    let rows = layout::result_rows(format);
    for row in &rows {
        let label = outcome_label(row.group.unwrap_or(row.label), format);
        if !stats
            .applications_by_outcome
            .iter()
            .any(|c| c.label == label)
        {
            stats.applications_by_outcome.push(Count::new(label, 0));
        }
    }
    for c in input.application_tally() {
        if (1..=12).contains(&c.received_month) {
            stats.applications_by_month[c.received_month as usize - 1] += c.n;
        }
        let YearStanding::Closed { result, on_time } = c.standing else {
            continue;
        };
        let row_label = result.row(format);
        if let Some(row) = rows.iter().find(|r| r.label == row_label) {
            let label = outcome_label(row.group.unwrap_or(row.label), format);
            if let Some(x) = stats
                .applications_by_outcome
                .iter_mut()
                .find(|x| x.label == label)
            {
                x.count += c.n;
            }
        }
        if let Some(on_time) = on_time {
            stats.applications_on_time.total += c.n;
            if on_time {
                stats.applications_on_time.on_time += c.n;
            }
        }
    }
    for it in &input.items {
        let Some(published) = it.published_on else {
            continue;
        };
        if it.status != ItemStatus::Published || published.year() != year {
            continue;
        }
        if let Some(written) = it.written_on
            && let Ok(due) = calendar.add_working_days(written, 20)
        {
            stats.proactive_on_time.total += 1;
            if published <= due {
                stats.proactive_on_time.on_time += 1;
            }
        }
    }
    stats.items_by_category = super::compute::items_by_root_category(input)
        .into_iter()
        .map(|(n, c)| Count::new(n, c as u64))
        .collect();
    stats
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
    fn stats_from_records() {
        use crate::application::{ApplicantType, ApplicationSummary, ReplyResult};
        use crate::calendar::Calendar;
        use crate::records::{CatalogueItem, Category, DocKind, ItemStatus};
        use chrono::NaiveDate;
        let d = |m, day| NaiveDate::from_ymd_opt(2022, m, day).unwrap();
        let cat = |id, parent, name: &str, position| Category {
            id,
            organ_id: 1,
            parent_id: parent,
            name: name.into(),
            description: String::new(),
            position,
        };
        let item = |id, category_id, written_on, published_on, status| CatalogueItem {
            id,
            organ_id: 1,
            index_no: format!("x-{id}"),
            title: "t".into(),
            summary: String::new(),
            category_id,
            issuing_unit: String::new(),
            written_on,
            published_on,
            doc_number: String::new(),
            doc_kind: DocKind::Other,
            status,
            validity: Vec::new(),
        };
        let cal = Calendar::builtin();
        // The deadline as the clock has it without pauses: 20 working days, plus an extension.
        let app = |received, closed, extension: u32| ApplicationSummary {
            applicant: ApplicantType::NaturalPerson,
            received,
            closed,
            due: cal.add_working_days(received, 20 + extension).ok(),
        };
        let input = crate::report::compute::ReportInput {
            year: 2022,
            categories: vec![
                cat(1, None, "公示公告", 2),
                cat(2, None, "部门文件", 1),
                cat(3, Some(1), "招生公示", 0),
            ],
            items: vec![
                // Written 2022-03-01 (Tue), published the same week: on time.
                item(1, 3, Some(d(3, 1)), Some(d(3, 4)), ItemStatus::Published),
                // Published two months after it was written: late.
                item(2, 2, Some(d(1, 4)), Some(d(3, 10)), ItemStatus::Published),
                // No 成文日期: counted by category, not in the rate.
                item(3, 1, None, Some(d(5, 5)), ItemStatus::Published),
                // Not published, or published in another year: not counted.
                item(4, 1, None, None, ItemStatus::Draft),
                item(
                    5,
                    1,
                    None,
                    Some(NaiveDate::from_ymd_opt(2021, 5, 5).unwrap()),
                    ItemStatus::Published,
                ),
            ],
            applications: vec![
                app(d(3, 1), Some((d(3, 10), ReplyResult::Disclosed)), 0),
                app(d(3, 20), Some((d(6, 30), ReplyResult::Repeated)), 0),
                app(d(12, 20), None, 0),
                app(
                    NaiveDate::from_ymd_opt(2021, 12, 28).unwrap(),
                    Some((d(1, 10), ReplyResult::FeeNotPaid)),
                    0,
                ),
                // Received 2022-04-01 (Fri): the 20th working day is 2022-04-29 (Qingming off,
                // 04-02 and 04-24 worked), the 40th 2022-05-31. Replied 2022-05-20, within the
                // extended period: on time.
                app(d(4, 1), Some((d(5, 20), ReplyResult::Disclosed)), 20),
                // The same reply date without an extension: late.
                app(d(4, 1), Some((d(5, 20), ReplyResult::Disclosed)), 0),
                // Closed while awaiting correction: no period ran, not in the rate.
                ApplicationSummary {
                    due: None,
                    ..app(
                        d(4, 6),
                        Some((d(4, 20), ReplyResult::NoCorrectionInTime)),
                        0,
                    )
                },
            ],
            ..Default::default()
        };
        assert_eq!(cal.add_working_days(d(4, 1), 20), Ok(d(4, 29)));
        assert_eq!(cal.add_working_days(d(4, 1), 40), Ok(d(5, 31)));
        let s = from_input(&input, &cal);
        assert_eq!(
            s.applications_by_month,
            [0, 0, 2, 3, 0, 0, 0, 0, 0, 0, 0, 1]
        );
        let outcome = |l: &str| {
            s.applications_by_outcome
                .iter()
                .find(|c| c.label == l)
                .unwrap()
                .count
        };
        assert_eq!(outcome("予以公开"), 3);
        assert_eq!(outcome("不予处理"), 1);
        assert_eq!(outcome("其他处理"), 2);
        assert_eq!(
            s.applications_on_time,
            Rate {
                on_time: 3,
                total: 5
            }
        );
        // Counted by the store instead of one by one: the same charts.
        let counted = crate::report::compute::ReportInput {
            application_counts: input.application_tally(),
            applications: Vec::new(),
            ..input.clone()
        };
        assert_eq!(from_input(&counted, &cal), s);
        assert_eq!(
            s.items_by_category,
            [Count::new("部门文件", 1), Count::new("公示公告", 2)]
        );
        assert_eq!(
            s.proactive_on_time,
            Rate {
                on_time: 1,
                total: 2
            }
        );
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
