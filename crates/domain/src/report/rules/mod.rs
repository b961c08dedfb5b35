//! The rules R1–R16 of ../shared/spec/annual-report.md over one report ([`check`]) or two
//! consecutive reports of one organ ([`check_across`]). Pure: no I/O, no clock (R12 compares the
//! publication date the report carries with the art. 49 deadline of its year).
//!
//! A blank cell is not 0: the document does not say what it holds (a 总计 left blank is not a
//! total of 0). Every rule that adds or compares cells skips a row, column or sentence whose
//! cells are blank, unreadable or absent (R6 warns about blanks separately), so a blank never
//! produces an arithmetic error; tables a report does not carry are not checked.

use super::layout::{
    self, APPLICANT_COLUMNS, COL_IN_FORCE, COL_ISSUED, COL_REPEALED, CellKind, LITIGATION_HEADER,
    REVIEW, ROW_CARRIED_IN, ROW_CARRIED_OUT, ROW_FEE_NOT_PAID, ROW_NEW, ROW_NORMATIVE_2021,
    ROW_REGULATIONS, ROW_RESULTS_TOTAL, SECTIONS, SUIT_AFTER_REVIEW, SUIT_DIRECT, TABLE_2, TABLE_3,
    TABLE_4, TABLE4_COLUMNS, TABLE4_ROWS, TOTAL,
};
use super::layout::{CORRECTED, OTHER_OUTCOME, PENDING, ROW_DISCLOSED, ROW_PARTLY_DISCLOSED};
use super::text::compact;
use super::{CellRef, Finding, Format, Num, OrganKind, Report, RuleId, Severity};
use chrono::NaiveDate;

mod sentences;

use sentences::{r9, r10, r11, r14, r16};

const EPS: f64 = 1e-6;

fn finding(rule: RuleId, severity: Severity, location: String, message: String) -> Finding {
    Finding::new(rule, severity, location, message)
}

fn n(v: f64) -> String {
    Num(v).to_string()
}

/// The value of a cell for arithmetic: `None` when the cell is not in the report, or is blank or
/// not a number there. Never 0 for a blank: a rule needing the value does not fire.
fn v(r: &Report, t: &str, row: &str, col: &str) -> Option<f64> {
    r.get(t, row, col).map(|x| x.0).filter(|x| x.is_finite())
}

/// Sorts findings by rule number, keeping the order each rule produced them in (the tables'
/// reading order), so output is deterministic.
fn sorted(mut f: Vec<Finding>) -> Vec<Finding> {
    f.sort_by_key(|x| x.rule);
    f.dedup();
    f
}

/// Every single-report rule that applies: R1, R3–R6, R9–R16.
pub fn check(report: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    r1(report, &mut out);
    r3(report, &mut out);
    r4(report, &mut out);
    r5(report, &mut out);
    r6(report, &mut out);
    r9(report, &mut out);
    r10(report, &mut out);
    r11(report, &mut out);
    r12(report, &mut out);
    r13(report, &mut out);
    r14(report, &mut out);
    r15(report, &mut out);
    r16(report, &mut out);
    out.retain(|f| !accepted(report, f));
    sorted(out)
}

/// Findings a rule raises that our reading of the Regulation does not uphold, decided from the
/// finding's data (the figure stated, the cell), never from its wording. One function, so the
/// back office (which blocks publication on an error) and `gongkai audit` decide alike.
///
/// R9: "共受理申请749件" where table 三 has 713 new and 36 carried over. Many reports count what
/// they handled in the year, carried-over applications included; art. 50's 收到和处理政府信息公开
/// 申请情况 does not say which, so the sum of the two rows is no contradiction.
pub fn accepted(r: &Report, f: &Finding) -> bool {
    match (f.rule, f.stated, &f.cell) {
        (RuleId::R9, Some(stated), Some(cell)) if cell.is(TABLE_3, ROW_NEW, TOTAL) => {
            match (
                v(r, TABLE_3, ROW_NEW, TOTAL),
                v(r, TABLE_3, ROW_CARRIED_IN, TOTAL),
            ) {
                (Some(new), Some(carried)) => stated > EPS && (new + carried - stated).abs() <= EPS,
                _ => false,
            }
        }
        _ => false,
    }
}

/// The rules across two reports of one organ: R7 (carried over) and R8 (documents in force).
/// Only consecutive years are compared; other pairs give no findings.
pub fn check_across(previous: &Report, current: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    if previous.year + 1 != current.year {
        return out;
    }
    // R7: 二、上年结转 (Y) = 四、结转下年度继续办理 (Y−1), per column.
    if previous.has_table(TABLE_3) && current.has_table(TABLE_3) {
        for col in APPLICANT_COLUMNS {
            let (Some(now), Some(before)) = (
                v(current, TABLE_3, ROW_CARRIED_IN, col),
                v(previous, TABLE_3, ROW_CARRIED_OUT, col),
            ) else {
                continue;
            };
            if (now - before).abs() > EPS {
                out.push(finding(
                    RuleId::R7,
                    Severity::Error,
                    format!("{TABLE_3}/{ROW_CARRIED_IN}/{col}"),
                    format!(
                        "{}年“上年结转”为{}，但{}年报告“结转下年度继续办理”为{}，两者应相等",
                        current.year,
                        n(now),
                        previous.year,
                        n(before)
                    ),
                ));
            }
        }
    }
    // R8: 现行有效件数(Y) = 现行有效件数(Y−1) + 本年制发件数(Y) − 本年废止件数(Y).
    if previous.format == Format::F2021 && current.format == Format::F2021 {
        for row in [ROW_REGULATIONS, ROW_NORMATIVE_2021] {
            let (Some(now), Some(before), Some(made), Some(repealed)) = (
                v(current, TABLE_2, row, COL_IN_FORCE),
                v(previous, TABLE_2, row, COL_IN_FORCE),
                v(current, TABLE_2, row, COL_ISSUED),
                v(current, TABLE_2, row, COL_REPEALED),
            ) else {
                continue;
            };
            let expected = before + made - repealed;
            if (now - expected).abs() > EPS {
                out.push(finding(
                    RuleId::R8,
                    Severity::Warning,
                    format!("{TABLE_2}/{row}/{COL_IN_FORCE}"),
                    format!(
                        "现行有效件数应为上年{}＋本年制发{}－本年废止{}＝{}，报告为{}",
                        n(before),
                        n(made),
                        n(repealed),
                        n(expected),
                        n(now)
                    ),
                ));
            }
        }
    }
    sorted(out)
}

fn r1(r: &Report, out: &mut Vec<Finding>) {
    for col in APPLICANT_COLUMNS {
        let (Some(a), Some(b), Some(c), Some(d)) = (
            v(r, TABLE_3, ROW_NEW, col),
            v(r, TABLE_3, ROW_CARRIED_IN, col),
            v(r, TABLE_3, ROW_RESULTS_TOTAL, col),
            v(r, TABLE_3, ROW_CARRIED_OUT, col),
        ) else {
            continue;
        };
        if (a + b - c - d).abs() > EPS {
            out.push(finding(
                RuleId::R1,
                Severity::Error,
                format!("{TABLE_3}/{col}"),
                format!(
                    "第一项加第二项（{}＋{}＝{}）应等于第三项（七）总计加第四项（{}＋{}＝{}）",
                    n(a),
                    n(b),
                    n(a + b),
                    n(c),
                    n(d),
                    n(c + d)
                ),
            ));
        }
    }
}

fn r3(r: &Report, out: &mut Vec<Finding>) {
    for row in layout::table3_rows(r.format) {
        let Some(total) = v(r, TABLE_3, row, TOTAL) else {
            continue;
        };
        let parts: Option<Vec<f64>> = APPLICANT_COLUMNS[..APPLICANT_COLUMNS.len() - 1]
            .iter()
            .map(|c| v(r, TABLE_3, row, c))
            .collect();
        let Some(parts) = parts else { continue };
        let sum: f64 = parts.iter().sum();
        if (sum - total).abs() > EPS {
            out.push(finding(
                RuleId::R3,
                Severity::Error,
                format!("{TABLE_3}/{row}/{TOTAL}"),
                format!(
                    "总计应为自然人与各类法人或其他组织之和 {}，报告为 {}",
                    n(sum),
                    n(total)
                ),
            ));
        }
    }
}

fn r4(r: &Report, out: &mut Vec<Finding>) {
    let rows = layout::result_rows(r.format);
    for col in APPLICANT_COLUMNS {
        let Some(total) = v(r, TABLE_3, ROW_RESULTS_TOTAL, col) else {
            continue;
        };
        let parts: Option<Vec<f64>> = rows
            .iter()
            .map(|row| v(r, TABLE_3, row.label, col))
            .collect();
        let Some(parts) = parts else { continue };
        let sum: f64 = parts.iter().sum();
        if (sum - total).abs() > EPS {
            out.push(finding(
                RuleId::R4,
                Severity::Error,
                format!("{TABLE_3}/{ROW_RESULTS_TOTAL}/{col}"),
                format!(
                    "（七）总计应为（一）至（六）各项办理结果之和 {}，报告为 {}",
                    n(sum),
                    n(total)
                ),
            ));
        }
    }
}

fn r5(r: &Report, out: &mut Vec<Finding>) {
    for row in TABLE4_ROWS {
        let vals: Option<Vec<f64>> = TABLE4_COLUMNS
            .iter()
            .map(|c| v(r, TABLE_4, row, c))
            .collect();
        let Some(vals) = vals else { continue };
        let sum: f64 = vals[..4].iter().sum();
        if (sum - vals[4]).abs() > EPS {
            out.push(finding(
                RuleId::R5,
                Severity::Error,
                format!("{TABLE_4}/{row}"),
                format!(
                    "{row}总计应为结果维持、结果纠正、其他结果、尚未审结之和 {}，报告为 {}",
                    n(sum),
                    n(vals[4])
                ),
            ));
        }
    }
}

/// A dash (—, -, /) in a cell is how many reports write "none": a blank, not garbage.
pub fn is_dash(raw: &str) -> bool {
    let t = compact(raw);
    !t.is_empty()
        && t.chars()
            .all(|c| matches!(c, '-' | '—' | '–' | '一' | '/' | '／' | '─'))
}

fn r6(r: &Report, out: &mut Vec<Finding>) {
    for (key, kind) in layout::cell_keys(r.format) {
        let Some(cell) = r.cell(key.table, key.row, key.column) else {
            continue;
        };
        let at = format!("{}/{}/{}", key.table, key.row, key.column);
        match cell.value {
            None => match cell.raw.as_deref() {
                Some(raw) if !raw.trim().is_empty() && !is_dash(raw) => out.push(finding(
                    RuleId::R6,
                    Severity::Error,
                    at,
                    format!("单元格内容“{}”不是数字", raw.trim()),
                )),
                _ => out.push(finding(
                    RuleId::R6,
                    Severity::Warning,
                    at,
                    "单元格为空，无数据时应填 0".to_string(),
                )),
            },
            Some(x) => {
                if !x.0.is_finite() {
                    out.push(finding(
                        RuleId::R6,
                        Severity::Error,
                        at,
                        "单元格数值无效".into(),
                    ));
                } else if x.0 < 0.0 && kind != CellKind::SignedCount {
                    out.push(finding(
                        RuleId::R6,
                        Severity::Error,
                        at,
                        format!("数值不能为负，报告为 {x}"),
                    ));
                } else if kind != CellKind::Amount && !x.is_integer() {
                    out.push(finding(
                        RuleId::R6,
                        Severity::Error,
                        at,
                        format!("件数应为整数，报告为 {x}"),
                    ));
                }
            }
        }
    }
}

/// The art. 49 deadline for a report year: 31 January (departments) or 31 March (governments) of
/// the following year.
pub fn deadline(year: i32, kind: OrganKind) -> Option<NaiveDate> {
    match kind {
        OrganKind::Department => NaiveDate::from_ymd_opt(year + 1, 1, 31),
        OrganKind::Government => NaiveDate::from_ymd_opt(year + 1, 3, 31),
    }
}

fn who(kind: OrganKind) -> &'static str {
    match kind {
        OrganKind::Department => "部门",
        OrganKind::Government => "人民政府",
    }
}

/// R12 for a report not published yet, judged on `today`: past the deadline, it says the report
/// is late already (a draft has no publication date to quote).
pub fn r12_unpublished(r: &Report, today: NaiveDate) -> Option<Finding> {
    let due = deadline(r.year, r.organ_kind)?;
    (r.published.is_none() && today > due).then(|| {
        finding(
            RuleId::R12,
            Severity::Warning,
            "文档".to_string(),
            format!(
                "{}应于{}前公布{}年度报告，本报告尚未公布，已逾期{}天",
                who(r.organ_kind),
                due.format("%Y年%-m月%-d日"),
                r.year,
                (today - due).num_days()
            ),
        )
    })
}

fn r12(r: &Report, out: &mut Vec<Finding>) {
    let (Some(published), Some(due)) = (r.published, deadline(r.year, r.organ_kind)) else {
        return;
    };
    if published > due {
        let who = who(r.organ_kind);
        out.push(finding(
            RuleId::R12,
            Severity::Warning,
            "文档".to_string(),
            format!(
                "{who}应于{}前公布{}年度报告，实际公布于{}",
                due.format("%Y年%-m月%-d日"),
                r.year,
                published.format("%Y年%-m月%-d日")
            ),
        ));
    }
}

fn r13(r: &Report, out: &mut Vec<Finding>) {
    let mut last: Option<usize> = None;
    for s in &r.sections {
        let Some(i) = SECTIONS.iter().position(|x| x == s) else {
            continue;
        };
        if let Some(l) = last
            && i < l
        {
            out.push(finding(
                RuleId::R13,
                Severity::Error,
                s.clone(),
                format!("章节顺序错误：“{s}”出现在“{}”之后", SECTIONS[l]),
            ));
        }
        last = Some(last.map_or(i, |l| l.max(i)));
    }
    for s in SECTIONS {
        if !r.sections.iter().any(|x| x == s) {
            out.push(finding(
                RuleId::R13,
                Severity::Error,
                s.to_string(),
                format!("缺少章节“{s}”"),
            ));
        }
    }
}

fn r15(r: &Report, out: &mut Vec<Finding>) {
    let want = Format::for_year(r.year);
    if r.format != want {
        out.push(finding(
            RuleId::R15,
            Severity::Error,
            "文档".to_string(),
            format!(
                "{}年度报告应使用{}格式（{}），报告使用的是{}格式",
                r.year,
                want.as_str(),
                want.document_number(),
                r.format.as_str()
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::ReplyResult;
    use crate::report::layout::{
        COL_DECISIONS_2019, COL_MADE, COL_MATTERS_CHANGE, COL_PROCUREMENT_AMOUNT, NATURAL_PERSON,
        ROW_ENFORCEMENT, ROW_LICENSING, ROW_PENALTY, ROW_PROCUREMENT, UPHELD,
    };
    use crate::report::{Cell, SectionText};

    fn base() -> Report {
        let mut r = Report::blank("灵武市教育体育局", 2020, Format::F2019);
        r.set_text(SECTIONS[0], "全年未收到政府信息公开申请。");
        r
    }

    fn rules(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|x| x.rule.as_str()).collect()
    }

    fn set_app_col(r: &mut Report, col: &str, new: i64, granted: i64, out: i64) {
        r.set_int(TABLE_3, ROW_NEW, col, new);
        r.set_int(TABLE_3, ROW_DISCLOSED, col, granted);
        r.set_int(TABLE_3, ROW_RESULTS_TOTAL, col, granted);
        r.set_int(TABLE_3, ROW_CARRIED_OUT, col, out);
    }

    /// A consistent report with applications, the sentence stating them.
    fn with_apps() -> Report {
        let mut r = base();
        set_app_col(&mut r, NATURAL_PERSON, 5, 4, 1);
        set_app_col(&mut r, TOTAL, 5, 4, 1);
        r.set_text(
            SECTIONS[2],
            "全年新收政府信息公开申请5件，上年结转0件，本年办结4件，结转下年度继续办理1件。",
        );
        r.set_text(SECTIONS[0], "");
        r
    }

    #[test]
    fn a_blank_report_passes_every_rule() {
        assert_eq!(check(&base()), vec![]);
        assert_eq!(check(&with_apps()), vec![]);
        let r = Report::blank("x", 2021, Format::F2021);
        assert_eq!(check(&r), vec![]);
    }

    #[test]
    fn r1_fires_when_carried_over_does_not_balance() {
        let mut r = with_apps();
        r.set_int(TABLE_3, ROW_CARRIED_OUT, NATURAL_PERSON, 2);
        r.set_int(TABLE_3, ROW_CARRIED_OUT, TOTAL, 2);
        let f = check(&r);
        let r1: Vec<_> = f.iter().filter(|x| x.rule == "R1").collect();
        assert_eq!(r1.len(), 2);
        assert_eq!(r1[0].location, "三/自然人");
        assert!(r1[0].message.contains("5＋0＝5"), "{}", r1[0].message);
        assert!(r1[0].message.contains("4＋2＝6"));
    }

    #[test]
    fn r3_fires_on_a_wrong_row_total() {
        let mut r = with_apps();
        r.set_int(TABLE_3, ROW_DISCLOSED, TOTAL, 3);
        let f = check(&r);
        assert!(f.iter().any(|x| x.rule == "R3"
            && x.location == "三/（一）予以公开/总计"
            && x.message.contains("4")
            && x.message.contains("3")));
        assert!(!rules(&check(&with_apps())).contains(&"R3"));
    }

    #[test]
    fn r4_fires_when_results_do_not_sum() {
        let mut r = with_apps();
        r.set_int(TABLE_3, ROW_DISCLOSED, NATURAL_PERSON, 3);
        r.set_int(
            TABLE_3,
            ReplyResult::Repeated.row(Format::F2019),
            NATURAL_PERSON,
            2,
        );
        r.set_int(TABLE_3, ROW_DISCLOSED, TOTAL, 3);
        r.set_int(TABLE_3, ReplyResult::Repeated.row(Format::F2019), TOTAL, 2);
        let f = check(&r);
        let r4: Vec<_> = f.iter().filter(|x| x.rule == "R4").collect();
        assert_eq!(r4.len(), 2);
        assert_eq!(r4[0].location, "三/（七）总计/自然人");
        assert!(r4[0].message.contains("之和 5，报告为 4"));
    }

    #[test]
    fn r5_fires_on_table_four() {
        let mut r = base();
        r.set_int(TABLE_4, REVIEW, UPHELD, 1);
        let f = check(&r);
        assert!(
            f.iter()
                .any(|x| x.rule == "R5" && x.location == "四/行政复议")
        );
        r.set_int(TABLE_4, REVIEW, TOTAL, 1);
        assert!(!rules(&check(&r)).contains(&"R5"));
    }

    #[test]
    fn r6_judges_blanks_negatives_fractions_and_garbage() {
        let mut r = base();
        r.set(TABLE_2, ROW_REGULATIONS, COL_MADE, None);
        r.set_int(TABLE_2, ROW_LICENSING, COL_MATTERS_CHANGE, -3);
        r.set_int(TABLE_2, ROW_LICENSING, COL_DECISIONS_2019, -1);
        r.set(TABLE_2, ROW_PENALTY, COL_DECISIONS_2019, Some(Num(1.5)));
        r.set(
            TABLE_2,
            ROW_PROCUREMENT,
            COL_PROCUREMENT_AMOUNT,
            Some(Num(12.5)),
        );
        if let Some(c) = r
            .cells
            .iter_mut()
            .find(|c| c.row == ROW_ENFORCEMENT && c.column == COL_DECISIONS_2019)
        {
            *c = Cell {
                value: None,
                raw: Some("若干".into()),
                ..c.clone()
            };
        }
        let f: Vec<_> = check(&r).into_iter().filter(|x| x.rule == "R6").collect();
        let at: Vec<_> = f
            .iter()
            .map(|x| (x.location.as_str(), x.severity))
            .collect();
        assert_eq!(
            at,
            vec![
                ("二/规章/本年新制作数量", Severity::Warning),
                ("二/行政许可/处理决定数量", Severity::Error),
                ("二/行政处罚/处理决定数量", Severity::Error),
                ("二/行政强制/处理决定数量", Severity::Error),
            ]
        );
        assert!(f[3].message.contains("若干"));
    }

    #[test]
    fn r7_compares_carried_over_across_years() {
        let mut prev = with_apps();
        prev.year = 2019;
        let mut cur = base();
        assert_eq!(rules(&check_across(&prev, &cur)), vec!["R7", "R7"]);
        cur.set_int(TABLE_3, ROW_CARRIED_IN, NATURAL_PERSON, 1);
        cur.set_int(TABLE_3, ROW_CARRIED_IN, TOTAL, 1);
        assert_eq!(check_across(&prev, &cur), vec![]);
        // Not consecutive: nothing to compare.
        prev.year = 2017;
        assert_eq!(check_across(&prev, &base()), vec![]);
    }

    #[test]
    fn r8_follows_documents_in_force() {
        let mut prev = Report::blank("x", 2021, Format::F2021);
        prev.set_int(TABLE_2, ROW_NORMATIVE_2021, COL_IN_FORCE, 10);
        let mut cur = Report::blank("x", 2022, Format::F2021);
        cur.set_int(TABLE_2, ROW_NORMATIVE_2021, COL_ISSUED, 3);
        cur.set_int(TABLE_2, ROW_NORMATIVE_2021, COL_REPEALED, 1);
        cur.set_int(TABLE_2, ROW_NORMATIVE_2021, COL_IN_FORCE, 11);
        let f = check_across(&prev, &cur);
        assert_eq!(rules(&f), vec!["R8"]);
        assert!(f[0].message.contains("＝12"));
        cur.set_int(TABLE_2, ROW_NORMATIVE_2021, COL_IN_FORCE, 12);
        assert_eq!(check_across(&prev, &cur), vec![]);
    }

    #[test]
    fn r9_reads_what_the_text_says_about_applications() {
        let mut r = base();
        r.set_int(TABLE_3, ROW_NEW, TOTAL, 2);
        let f = check(&r);
        assert!(
            f.iter()
                .any(|x| x.rule == "R9" && x.location == SECTIONS[0])
        );
        // The seed's wording: 依申请公开诉求.
        let mut r = base();
        r.set_text(
            SECTIONS[0],
            "依规依据做好依申请公开，全年未收到依申请公开诉求。",
        );
        assert!(!rules(&check(&r)).contains(&"R9"));
        r.set_int(TABLE_3, ROW_NEW, TOTAL, 1);
        assert!(rules(&check(&r)).contains(&"R9"));
        // Counts: received, carried over.
        let mut r = with_apps();
        r.set_text(
            SECTIONS[2],
            "全年新收政府信息公开申请 ６ 件，上年结转0件，本年办结4件，结转下年度继续办理2件。",
        );
        let f: Vec<_> = check(&r).into_iter().filter(|x| x.rule == "R9").collect();
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f[0].message.contains("收到申请6件"));
        // Unrelated counts with 受理 are not about applications.
        let mut r = base();
        r.set_text(SECTIONS[0], "受理银川市 12345 一号通平台信访来件 336 件。");
        assert!(!rules(&check(&r)).contains(&"R9"));
    }

    #[test]
    fn r9_received_counted_with_carried_over_is_accepted_from_the_findings_data() {
        let mut r = with_apps();
        r.set_int(TABLE_3, ROW_CARRIED_IN, TOTAL, 2);
        r.set_int(TABLE_3, ROW_CARRIED_IN, NATURAL_PERSON, 2);
        // 5 new and 2 carried over: "受理7件" is what was handled in the year, not a
        // contradiction; 8 is.
        r.set_text(SECTIONS[2], "全年共受理政府信息公开申请7件。");
        assert!(!rules(&check(&r)).contains(&"R9"), "{:?}", check(&r));
        r.set_text(SECTIONS[2], "全年共受理政府信息公开申请8件。");
        let f: Vec<_> = check(&r).into_iter().filter(|x| x.rule == "R9").collect();
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].stated, Some(8.0));
        assert_eq!(f[0].cell, Some(CellRef::new(TABLE_3, ROW_NEW, TOTAL)));
        // The decision reads the data, not the message: the same data under another wording is
        // accepted alike.
        let mut g = f[0].clone();
        g.message = "任意措辞".into();
        g.stated = Some(7.0);
        assert!(accepted(&r, &g));
        g.cell = Some(CellRef::new(TABLE_3, ROW_CARRIED_OUT, TOTAL));
        assert!(!accepted(&r, &g), "only the count of received applications");
    }

    #[test]
    fn r10_checks_fee_reporting() {
        let mut r = Report::blank("x", 2021, Format::F2021);
        let row = ROW_FEE_NOT_PAID;
        r.set_int(TABLE_3, ROW_NEW, TOTAL, 1);
        r.set_int(TABLE_3, ROW_NEW, NATURAL_PERSON, 1);
        r.set_int(TABLE_3, row, TOTAL, 1);
        r.set_int(TABLE_3, row, NATURAL_PERSON, 1);
        r.set_int(TABLE_3, ROW_RESULTS_TOTAL, TOTAL, 1);
        r.set_int(TABLE_3, ROW_RESULTS_TOTAL, NATURAL_PERSON, 1);
        assert_eq!(rules(&check(&r)), vec!["R10"]);
        r.set_text(
            SECTIONS[5],
            "本年度发出收费通知1件，申请人未缴纳，未收取信息处理费。",
        );
        assert_eq!(check(&r), vec![]);
        let mut r = Report::blank("x", 2021, Format::F2021);
        r.set_text(SECTIONS[5], "本年度共收取信息处理费200元。");
        assert_eq!(rules(&check(&r)), vec!["R10"]);
        r.set_text(SECTIONS[5], "本年度未收取信息处理费。");
        assert_eq!(check(&r), vec![]);
    }

    #[test]
    fn r11_reads_what_the_text_says_about_reviews_and_suits() {
        let mut r = base();
        r.set_text(
            SECTIONS[3],
            "全年未发生政府信息公开行政复议、行政诉讼案件。",
        );
        assert_eq!(check(&r), vec![]);
        r.set_int(TABLE_4, SUIT_DIRECT, UPHELD, 1);
        r.set_int(TABLE_4, SUIT_DIRECT, TOTAL, 1);
        let f = check(&r);
        assert_eq!(rules(&f), vec!["R11"]);
        assert_eq!(f[0].location, SECTIONS[3]);
        r.set_text(
            SECTIONS[3],
            "全年涉及政府信息公开的行政复议0件、行政诉讼1件。",
        );
        assert_eq!(check(&r), vec![]);
        // 上海市人民政府办公厅 2025: none corrected or lost, not none at all.
        r.set_text(
            SECTIONS[3],
            "全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。",
        );
        assert_eq!(check(&r), vec![]);
        r.set_text(
            SECTIONS[3],
            "全年涉及政府信息公开的行政复议2件、行政诉讼1件，其中尚未审结1件。",
        );
        assert_eq!(rules(&check(&r)), vec!["R11"]);
    }

    #[test]
    fn r12_knows_the_deadlines() {
        let mut r = base();
        r.published = NaiveDate::from_ymd_opt(2021, 1, 31);
        assert_eq!(check(&r), vec![]);
        r.published = NaiveDate::from_ymd_opt(2021, 2, 1);
        assert_eq!(rules(&check(&r)), vec!["R12"]);
        r.organ_kind = OrganKind::Government;
        assert_eq!(check(&r), vec![]);
        r.published = NaiveDate::from_ymd_opt(2021, 4, 1);
        assert_eq!(rules(&check(&r)), vec!["R12"]);
    }

    #[test]
    fn r13_names_missing_and_misplaced_sections() {
        let mut r = base();
        r.sections.retain(|s| s != SECTIONS[4]);
        let f = check(&r);
        assert_eq!(rules(&f), vec!["R13"]);
        assert_eq!(f[0].location, SECTIONS[4]);
        let mut r = base();
        r.sections.swap(0, 1);
        let f = check(&r);
        assert_eq!(rules(&f), vec!["R13"]);
        assert!(f[0].message.contains("顺序"));
    }

    #[test]
    fn r14_checks_the_statistical_period() {
        let mut r = base();
        r.preamble = "本报告所列数据的统计期限自2020年1月1日起至2020年12月31日止。".into();
        assert_eq!(check(&r), vec![]);
        r.preamble = "本报告所列数据的统计期限自2019年11月1日起至2020年10月31日止。".into();
        let f = check(&r);
        assert_eq!(rules(&f), vec!["R14"]);
        assert_eq!(f[0].location, "文档");
    }

    #[test]
    fn r15_matches_format_and_year() {
        let r = Report::blank("x", 2021, Format::F2019);
        assert_eq!(rules(&check(&r)), vec!["R15"]);
        let r = Report::blank("x", 2020, Format::F2021);
        assert_eq!(rules(&check(&r)), vec!["R15"]);
    }

    #[test]
    fn r16_sums_breakdowns() {
        let seed = "全年通过灵武市人\n\n民政府网站政务公开专栏公开政务信息 135 条，其中：公示公告\n\n28 条，机构职能 3 条，部门文件 3 条，规划计划 3 条，财政预决\n\n赛及三公经费 81 条，重点建设项目 3 条，重点工作 3 条，业务公\n 开 11 条。通过灵武教育体育局微博、微信公众号发布信息 1095\n\n余条。";
        let mut r = base();
        r.texts.push(SectionText {
            heading: "x".into(),
            body: String::new(),
        });
        r.set_text(SECTIONS[0], seed);
        assert_eq!(check(&r), vec![]);
        r.set_text(SECTIONS[0], seed.replace("81 条", "80 条"));
        let f = check(&r);
        assert_eq!(rules(&f), vec!["R16"]);
        assert!(f[0].message.contains("134条"), "{}", f[0].message);
        assert!(f[0].message.contains("135条"));
        // Not exhaustive ("等") and smaller: silent; larger: always wrong.
        r.set_text(SECTIONS[0], "公开信息10条，其中：公告3条，文件4条等。");
        assert_eq!(check(&r), vec![]);
        r.set_text(SECTIONS[0], "公开信息10条，其中：公告8条，文件4条等。");
        assert_eq!(rules(&check(&r)), vec!["R16"]);
    }

    #[test]
    fn r16_takes_a_parts_bracketed_breakdown_as_that_parts_own() {
        // 平潭综合实验区经济发展局 2019: once "分项之和 6＋3＋2＋6＋5＋3＝25条，与总数437条不符".
        let mut r = base();
        let text = "全年共制发政府信息437条，其中，主动公开政府信息55条（涵盖政策及规范性文件类6条、规划计划类3条、行政许可类2条、重大建设项目类6条、为民办实事类5条、民政扶贫救灾社会保障就业类3条、其他应主动公开的政府信息30条）、依申请公开341条、不予公开41条，主动公开及依申请公开政府信息占比高达90.62%。";
        r.set_text(SECTIONS[0], text);
        assert_eq!(check(&r), vec![]);
        // The parts outside the brackets still have to add up.
        r.set_text(SECTIONS[0], text.replace("341条", "340条"));
        let f = check(&r);
        assert_eq!(rules(&f), vec!["R16"]);
        assert!(f[0].message.contains("55＋340＋41"), "{}", f[0].message);
        assert_eq!(sentences::without_brackets("a（b(c)d）e(f"), "ae(f");
    }

    #[test]
    fn r16_quotes_on_character_boundaries() {
        // Found by the fuzzer: a breakdown whose context start fell inside a character.
        let mut r = base();
        r.set_text(SECTIONS[0], "ab公开信息10条，其中：公告8条，文件4条。");
        assert_eq!(rules(&check(&r)), vec!["R16"]);
        r.set_text(
            SECTIONS[0],
            "a长长长长长长长长长长长长公开信息10条，其中：公告8条，文件4条。",
        );
        assert_eq!(rules(&check(&r)), vec!["R16"]);
    }

    /// A blank cell is not 0 (上海市人民政府办公厅 2019: table 三's 总计 cells left blank gave
    /// "总计应为…，报告为 0"): no rule adding or comparing cells fires over a blank, only R6's
    /// warning that the cell is empty.
    #[test]
    fn a_blank_cell_is_never_read_as_zero() {
        let blank = |r: &mut Report, t: &str, row: &str, col: &str| r.set(t, row, col, None);
        let others = |r: &Report| -> Vec<String> {
            check(r)
                .into_iter()
                .filter(|f| f.rule != "R6")
                .map(|f| format!("{} {} {}", f.rule, f.location, f.message))
                .collect()
        };
        // R3 and R1: the row's 总计 blank.
        let mut r = with_apps();
        blank(&mut r, TABLE_3, ROW_DISCLOSED, TOTAL);
        blank(&mut r, TABLE_3, ROW_NEW, TOTAL);
        assert_eq!(others(&r), Vec::<String>::new());
        assert!(check(&r).iter().any(|f| f.rule == "R6"
            && f.severity == Severity::Warning
            && f.location == format!("{TABLE_3}/{ROW_DISCLOSED}/{TOTAL}")));
        // The same cell holding a wrong number is still an error.
        r.set_int(TABLE_3, ROW_DISCLOSED, TOTAL, 0);
        assert!(rules(&check(&r)).contains(&"R3"));
        // R3, R4 and R1 with a part blank.
        let mut r = with_apps();
        blank(&mut r, TABLE_3, ROW_DISCLOSED, NATURAL_PERSON);
        blank(&mut r, TABLE_3, ROW_CARRIED_OUT, NATURAL_PERSON);
        assert_eq!(others(&r), Vec::<String>::new());
        // R5: table 四's total blank.
        let mut r = base();
        r.set_int(TABLE_4, REVIEW, UPHELD, 1);
        blank(&mut r, TABLE_4, REVIEW, TOTAL);
        assert_eq!(others(&r), Vec::<String>::new());
        // R9: the text states 5 received, the table's 总计 is blank.
        let mut r = with_apps();
        blank(&mut r, TABLE_3, ROW_NEW, TOTAL);
        blank(&mut r, TABLE_3, ROW_RESULTS_TOTAL, TOTAL);
        r.set_text(SECTIONS[0], "全年未收到政府信息公开申请。");
        assert_eq!(others(&r), Vec::<String>::new());
        // R10: blank totals are not "no application".
        let mut r = Report::blank("x", 2021, Format::F2021);
        blank(&mut r, TABLE_3, ROW_NEW, TOTAL);
        r.set_text(SECTIONS[5], "本年度共收取信息处理费200元。");
        assert_eq!(others(&r), Vec::<String>::new());
        // R11: the text states a suit, table 四's totals are blank.
        let mut r = base();
        r.set_text(
            SECTIONS[3],
            "全年涉及政府信息公开的行政复议2件、行政诉讼1件。",
        );
        blank(&mut r, TABLE_4, REVIEW, TOTAL);
        blank(&mut r, TABLE_4, SUIT_DIRECT, TOTAL);
        assert_eq!(others(&r), Vec::<String>::new());
        // R7 and R8 across years.
        let mut prev = with_apps();
        prev.year = 2019;
        let mut cur = base();
        for col in APPLICANT_COLUMNS {
            blank(&mut cur, TABLE_3, ROW_CARRIED_IN, col);
        }
        assert_eq!(check_across(&prev, &cur), vec![]);
        let mut prev = Report::blank("x", 2021, Format::F2021);
        prev.set_int(TABLE_2, ROW_NORMATIVE_2021, COL_IN_FORCE, 10);
        let mut cur = Report::blank("x", 2022, Format::F2021);
        cur.set_int(TABLE_2, ROW_NORMATIVE_2021, COL_ISSUED, 3);
        blank(&mut cur, TABLE_2, ROW_NORMATIVE_2021, COL_IN_FORCE);
        assert_eq!(check_across(&prev, &cur), vec![]);
    }

    /// A report whose table 三 has 250 disclosed and 8 partly disclosed, table 四 two reviews
    /// upheld and one pending, one suit upheld.
    fn with_results() -> Report {
        let mut r = base();
        r.set_text(SECTIONS[0], "");
        for (row, x) in [
            (ROW_NEW, 258),
            (ROW_DISCLOSED, 250),
            (ROW_PARTLY_DISCLOSED, 8),
            (ROW_RESULTS_TOTAL, 258),
        ] {
            r.set_int(TABLE_3, row, NATURAL_PERSON, x);
            r.set_int(TABLE_3, row, TOTAL, x);
        }
        r.set_int(TABLE_4, REVIEW, UPHELD, 2);
        r.set_int(TABLE_4, REVIEW, PENDING, 1);
        r.set_int(TABLE_4, REVIEW, TOTAL, 3);
        r.set_int(TABLE_4, SUIT_DIRECT, UPHELD, 1);
        r.set_int(TABLE_4, SUIT_DIRECT, TOTAL, 1);
        assert_eq!(check(&r), vec![], "consistent");
        r
    }

    fn said(r: &Report, text: &str) -> Vec<Finding> {
        let mut r = r.clone();
        r.set_text(SECTIONS[2], text);
        check(&r)
    }

    #[test]
    fn r9_reads_disclosed_and_partly_disclosed_together() {
        let r = with_results();
        // 上海市人民政府办公厅 2019's wording.
        assert_eq!(
            said(&r, "予以公开及部分公开258件，占33.9%；不予公开0件。"),
            vec![]
        );
        assert_eq!(
            said(&r, "其中，予以公开和部分公开 258 件（17.46%）。"),
            vec![]
        );
        let f = said(&r, "予以公开及部分公开260件，占33.9%。");
        assert_eq!(rules(&f), vec!["R9"]);
        assert!(f[0].message.contains("250＋8＝258"), "{}", f[0].message);
        // One of the two rows blank: nothing to compare.
        let mut blank = r.clone();
        blank.set(TABLE_3, ROW_PARTLY_DISCLOSED, TOTAL, None);
        assert_eq!(
            rules(&said(&blank, "予以公开及部分公开260件。")),
            vec!["R6"]
        );
        // Other wordings are not this figure.
        assert_eq!(said(&r, "予以公开250件，部分公开8件。"), vec![]);
        assert_eq!(said(&r, "不予以公开及部分公开3件。"), vec![]);
    }

    #[test]
    fn r11_all_upheld_or_concluded_against_table_four() {
        let r = with_results();
        // 上海市人民政府办公厅 2019: "均获维持" while table 四 shows cases pending.
        let f = said(
            &r,
            "信息公开类行政复议3件，诉讼1件，均获维持，继续保持零败诉的记录。",
        );
        assert_eq!(rules(&f), vec!["R11"]);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(
            f[0].message.contains("行政复议尚未审结1件"),
            "{}",
            f[0].message
        );
        let f = said(&r, "涉及政府信息公开的行政复议案件均已审结。");
        assert_eq!(rules(&f), vec!["R11"]);
        // Said of suits only: the suit was upheld, nothing pending.
        assert_eq!(said(&r, "行政诉讼1件，均获维持。"), vec![]);
        assert_eq!(said(&r, "行政诉讼案件均已审结。"), vec![]);
        // Not said of reviews or suits.
        assert_eq!(said(&r, "依申请公开工作均获好评。"), vec![]);
        // Table 四's pending cell blank: nothing to compare.
        let mut blank = r.clone();
        blank.set(TABLE_4, REVIEW, PENDING, None);
        blank.set(TABLE_4, REVIEW, TOTAL, None);
        let f = said(&blank, "行政复议均已审结。");
        assert!(!rules(&f).contains(&"R11"), "{f:?}");
    }

    #[test]
    fn r16_reads_breakdowns_in_any_order() {
        let r = base();
        let with = |t: &str| {
            let mut r = r.clone();
            r.set_text(SECTIONS[0], t);
            rules(&check(&r))
                .into_iter()
                .map(String::from)
                .collect::<Vec<_>>()
        };
        let none: Vec<String> = vec![];
        let r16 = vec!["R16".to_string()];
        // 上海市科委 2024: the parts add to more than the total.
        let kewei = "“上海科技”网站全年累计发布信息2139条，其中动态类信息发布1744条，政务信息发布393条，解读类信息发布21条，回应公众关注热点信息2条。";
        assert_eq!(with(kewei), r16);
        assert_eq!(with(&kewei.replace("2139", "2160")), none);
        // 包括 and 分别为.
        assert_eq!(with("全年公开文件10件，包括规章3件、规范性文件7件。"), none);
        assert_eq!(with("全年公开文件10件，包括规章3件、规范性文件8件。"), r16);
        assert_eq!(
            with("全年公开文件10件，分别为规章3件、规范性文件6件。"),
            r16
        );
        assert_eq!(
            with("全年公开文件10件，其中包括规章3件、规范性文件4件等。"),
            none
        );
        // Number first.
        assert_eq!(
            with("公开信息10条，其中3条为公示公告，7条为部门文件。"),
            none
        );
        assert_eq!(
            with("公开信息10条，其中3条为公示公告，6条为部门文件。"),
            r16
        );
        // The parts first, the total after.
        assert_eq!(with("公开规章3件、规范性文件4件，共计7件。"), none);
        assert_eq!(with("公开规章3件、规范性文件4件，共计8件。"), r16);
        assert_eq!(with("发布公告28条、动态3条，共31条。"), none);
        // Not a breakdown: a list of pairs, a total with more words, other units.
        assert_eq!(with("公示公告、部门文件分别为2条、3条。"), none);
        assert_eq!(with("公开规章3件、废止规章2件，共清理1件。"), none);
        assert_eq!(with("公开信息10条，其中公告3件，文件4件。"), none);
        assert_eq!(with("2024年、2025年分别为10件、12件。"), none);
    }

    #[test]
    fn findings_are_sorted_by_rule() {
        let mut r = Report::blank("x", 2021, Format::F2019);
        r.sections.pop();
        r.set_int(TABLE_4, REVIEW, UPHELD, 1);
        assert_eq!(rules(&check(&r)), vec!["R5", "R13", "R15"]);
    }
}
