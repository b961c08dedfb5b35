//! The annual report computed from records: pure functions from a [`ReportInput`] (what the store
//! loads for an organ, optionally with its units, for a year) to a [`Report`] with every cell of
//! the year's format and drafted section texts. Findings are added by [`with_findings`], which
//! runs the rules (`rules::check`, and `rules::check_across` against the previous year).
//!
//! How each column is read from the records (the official templates leave this implicit):
//!
//! **Table 二, 2019 format**
//! - 第二十条第（一）项, rows 规章 / 规范性文件 (items whose kind is 规章 / 行政规范性文件):
//!   - 本年新制作数量: items whose 成文日期 falls in the year and that left the drafting stage
//!     (published or withdrawn; a draft or one in review is not yet a document);
//!   - 本年新公开数量: published items whose 发布日期 falls in the year;
//!   - 对外公开总数量: published items whose 发布日期 is on or before 31 December, whatever their
//!     validity (a repealed document stays disclosed).
//! - 第二十条第（五）（六）（八）项:
//!   - 上一年项目数量: matters of that kind on the list at the end of the previous year;
//!   - 本年增/减: the signed change in the number of matters on the list over the year (end of
//!     year minus end of previous year), not the number of additions;
//!   - 处理决定数量: decisions made in the year under matters of that kind.
//! - 第二十条第（九）项: 采购项目数量 = procurement projects contracted in the year;
//!   采购总金额 = their amounts summed, in 万元.
//!
//! **Table 二, 2021 format**
//! - 本年制发件数: published items of the kind whose 发布日期 falls in the year;
//! - 本年废止件数: published items whose validity first became 废止 or 失效 in the year;
//! - 现行有效件数: published items in force on 31 December (published by then and not repealed
//!   or expired by then; 修订 counts as in force). So R8 holds by construction:
//!   现行有效(Y) = 现行有效(Y−1) + 制发(Y) − 废止(Y).
//! - 本年处理决定数量: decisions made in the year; 本年收费金额: fees collected in the year, in 万元.
//!
//! **Table 三** (from `ApplicationSummary`s, per applicant column and 总计):
//! new = received in the year; carried in = received before 1 January and not closed before it;
//! each result row = applications closed in the year with that reply; carried out = received by
//! 31 December and not closed by then. R1, R3 and R4 hold by construction. The store may hand
//! these over already counted ([`ApplicationCount`], one per applicant column, month of receipt
//! and standing at year end; `ApplicationSummary::in_year` says how one case counts), which is
//! how a report over 100,000 applications avoids loading them one by one.
//!
//! **Table 四** (from cases, per kind): 结果维持/纠正/其他 = cases decided in the year with that
//! outcome (whenever filed); 尚未审结 = cases filed by 31 December and still open then;
//! 总计 = their sum.

use super::layout::{
    self, COL_DECISIONS_2019, COL_DECISIONS_2021, COL_FEES_COLLECTED, COL_IN_FORCE, COL_ISSUED,
    COL_MADE, COL_MATTERS_BEFORE, COL_MATTERS_CHANGE, COL_NEWLY_PUBLISHED, COL_PROCUREMENT_AMOUNT,
    COL_PROCUREMENT_PROJECTS, COL_PUBLISHED_TOTAL, COL_REPEALED, PENDING, ROW_FEES,
    ROW_NORMATIVE_2019, ROW_NORMATIVE_2021, ROW_PROCUREMENT, ROW_REGULATIONS, TABLE_2, TABLE_3,
    TABLE_4, TOTAL,
};
use super::{Format, Num, OrganKind, Report};
use crate::application::{
    ApplicantType, ApplicationCount, ApplicationSummary, ReplyResult, YearStanding,
};
use crate::records::*;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// Everything the report of one organ (optionally with its units) for one year is computed from.
/// The store loads it; records outside the year may be included (they are filtered here), but
/// everything relevant to the year must be.
#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    /// The reporting organ.
    pub organ: Option<Organ>,
    /// Units whose records are included (empty when the organ reports alone).
    pub units: Vec<Organ>,
    pub year: i32,
    /// The catalogue trees of the organ and the included units.
    pub categories: Vec<Category>,
    pub items: Vec<CatalogueItem>,
    pub matters: Vec<Matter>,
    pub decisions: Vec<Decision>,
    pub fees: Vec<Fee>,
    pub procurements: Vec<Procurement>,
    pub cases: Vec<Case>,
    pub channels: Vec<LetterChannel>,
    pub letters: Vec<Letter>,
    /// Cases given one by one (tests, small stores).
    pub applications: Vec<ApplicationSummary>,
    /// Cases already counted for `year` (what the store loads); the report counts these and
    /// `applications` together, so a case belongs in one or the other.
    pub application_counts: Vec<ApplicationCount>,
    /// 信息处理费 collected in the year (分), where the application workflow records it.
    pub processing_fees_fen: Fen,
    /// Stored section texts (1–6) that replace the drafted ones.
    pub texts: BTreeMap<u8, String>,
}

impl ReportInput {
    /// Every application of the input as counted for `year`: the counted ones and the single
    /// cases, added up.
    pub fn application_tally(&self) -> Vec<ApplicationCount> {
        crate::application::tally(
            self.application_counts.iter().copied().chain(
                self.applications
                    .iter()
                    .filter_map(|a| a.in_year(self.year)),
            ),
        )
    }

    /// Whether the input holds any application at all.
    pub fn has_applications(&self) -> bool {
        !self.applications.is_empty() || self.application_counts.iter().any(|c| c.n > 0)
    }
}

fn year_end(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).expect("valid year")
}

fn in_year(d: NaiveDate, year: i32) -> bool {
    d.year() == year
}

/// 分 → 万元, rounded to the 元 (4 decimals), which is what a report can show.
fn wan(fen: Fen) -> Num {
    let yuan = (fen as f64 / 100.0).round();
    Num(yuan / 10_000.0)
}

/// Figures of the year that the section texts quote; computed once with the cells, and each one
/// a figure the report's own tables print (a reader can find every number of section 一 in
/// tables 二–四).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// Whether any letter or complaint arrived in the year (section 一 says so, without a
    /// count: the tables print none).
    pub letters: bool,
    pub applications_new: i64,
    pub applications_carried_in: i64,
    pub applications_closed: i64,
    pub applications_carried_out: i64,
    /// Applications closed because a fee notice was not paid in time.
    pub fee_not_paid: i64,
    pub reviews: i64,
    pub suits: i64,
    pub cases_open: i64,
}

/// Computes every cell of the year's format and drafts the section texts (stored texts win).
/// Findings are left empty: see [`with_findings`].
pub fn compute(input: &ReportInput) -> Report {
    let organ_name = input
        .organ
        .as_ref()
        .map(|o| o.name.clone())
        .unwrap_or_default();
    let year = input.year;
    let format = Format::for_year(year);
    let mut r = Report::blank(organ_name, year, format);
    r.organ_kind = input
        .organ
        .as_ref()
        .map(|o| o.kind)
        .unwrap_or(OrganKind::Department);
    table2(input, format, &mut r);
    let figures = figures(input, &mut r);
    // The title is the renderer's; the preamble states the statistical period (R14).
    r.preamble = format!("本报告统计期限为{year}年1月1日至{year}年12月31日。");
    let drafted = draft_texts(input, &r, &figures);
    for (i, heading) in layout::SECTIONS.iter().enumerate() {
        let n = (i + 1) as u8;
        let body = input
            .texts
            .get(&n)
            .cloned()
            .unwrap_or_else(|| drafted[i].clone());
        r.set_text(heading, body);
    }
    r
}

/// Adds the findings of the rules to a computed report: `rules::check` on the report and, given
/// the previous year's report of the same organ, `rules::check_across` (R7, R8).
pub fn with_findings(mut report: Report, previous: Option<&Report>) -> Report {
    let mut findings = super::rules::check(&report);
    if let Some(p) = previous {
        findings.extend(super::rules::check_across(p, &report));
    }
    report.findings = findings;
    report
}

fn table2(input: &ReportInput, format: Format, r: &mut Report) {
    let year = input.year;
    let end = year_end(year);
    let prev_end = year_end(year - 1);
    let kind_items = |k: DocKind| input.items.iter().filter(move |i| i.doc_kind == k);
    let matters_at = |k: MatterKind, d: NaiveDate| {
        input
            .matters
            .iter()
            .filter(|m| m.kind == k && m.listed_at(d))
            .count() as i64
    };
    let matter_kind: BTreeMap<i64, MatterKind> =
        input.matters.iter().map(|m| (m.id, m.kind)).collect();
    let decisions = |k: MatterKind| {
        input
            .decisions
            .iter()
            .filter(|d| in_year(d.decided_on, year) && matter_kind.get(&d.matter_id) == Some(&k))
            .count() as i64
    };
    match format {
        Format::F2019 => {
            for (row, k) in [
                (ROW_REGULATIONS, DocKind::Regulation),
                (ROW_NORMATIVE_2019, DocKind::Normative),
            ] {
                let made = kind_items(k)
                    .filter(|i| {
                        matches!(i.status, ItemStatus::Published | ItemStatus::Withdrawn)
                            && i.written_on.is_some_and(|d| in_year(d, year))
                    })
                    .count() as i64;
                let published = kind_items(k)
                    .filter(|i| {
                        i.status == ItemStatus::Published
                            && i.published_on.is_some_and(|d| in_year(d, year))
                    })
                    .count() as i64;
                let total = kind_items(k).filter(|i| i.public_on(end)).count() as i64;
                r.set_int(TABLE_2, row, COL_MADE, made);
                r.set_int(TABLE_2, row, COL_NEWLY_PUBLISHED, published);
                r.set_int(TABLE_2, row, COL_PUBLISHED_TOTAL, total);
            }
            for k in [
                MatterKind::Licensing,
                MatterKind::OtherService,
                MatterKind::Penalty,
                MatterKind::Enforcement,
                MatterKind::Fee,
            ] {
                let before = matters_at(k, prev_end);
                let now = matters_at(k, end);
                r.set_int(TABLE_2, k.label(), COL_MATTERS_BEFORE, before);
                r.set_int(TABLE_2, k.label(), COL_MATTERS_CHANGE, now - before);
                if k != MatterKind::Fee {
                    r.set_int(TABLE_2, k.label(), COL_DECISIONS_2019, decisions(k));
                }
            }
            let projects: Vec<&Procurement> = input
                .procurements
                .iter()
                .filter(|p| in_year(p.contracted_on, year))
                .collect();
            r.set_int(
                TABLE_2,
                ROW_PROCUREMENT,
                COL_PROCUREMENT_PROJECTS,
                projects.len() as i64,
            );
            let sum: Fen = projects.iter().map(|p| p.amount_fen).sum();
            r.set(
                TABLE_2,
                ROW_PROCUREMENT,
                COL_PROCUREMENT_AMOUNT,
                Some(wan(sum)),
            );
        }
        Format::F2021 => {
            for (row, k) in [
                (ROW_REGULATIONS, DocKind::Regulation),
                (ROW_NORMATIVE_2021, DocKind::Normative),
            ] {
                let issued = kind_items(k)
                    .filter(|i| {
                        i.status == ItemStatus::Published
                            && i.published_on.is_some_and(|d| in_year(d, year))
                    })
                    .count() as i64;
                let repealed = kind_items(k)
                    .filter(|i| i.public_on(end) && i.ended_on().is_some_and(|d| in_year(d, year)))
                    .count() as i64;
                let in_force = kind_items(k).filter(|i| i.in_force_on(end)).count() as i64;
                r.set_int(TABLE_2, row, COL_ISSUED, issued);
                r.set_int(TABLE_2, row, COL_REPEALED, repealed);
                r.set_int(TABLE_2, row, COL_IN_FORCE, in_force);
            }
            for k in [
                MatterKind::Licensing,
                MatterKind::Penalty,
                MatterKind::Enforcement,
            ] {
                r.set_int(TABLE_2, k.label(), COL_DECISIONS_2021, decisions(k));
            }
            let fee_matters: Vec<i64> = input
                .matters
                .iter()
                .filter(|m| m.kind == MatterKind::Fee)
                .map(|m| m.id)
                .collect();
            let sum: Fen = input
                .fees
                .iter()
                .filter(|f| in_year(f.collected_on, year) && fee_matters.contains(&f.matter_id))
                .map(|f| f.amount_fen)
                .sum();
            r.set(TABLE_2, ROW_FEES, COL_FEES_COLLECTED, Some(wan(sum)));
        }
    }
}

/// Fills tables 三 and 四 and returns the figures the texts quote.
fn figures(input: &ReportInput, r: &mut Report) -> Figures {
    let year = input.year;
    let format = r.format;
    let end = year_end(year);
    let mut f = Figures::default();

    // Table 三.
    let mut counts: BTreeMap<(&'static str, &'static str), i64> = BTreeMap::new();
    let mut add = |row: &'static str, t: ApplicantType, n: i64| {
        *counts.entry((row, t.column())).or_default() += n;
        *counts.entry((row, TOTAL)).or_default() += n;
    };
    for c in input.application_tally() {
        let n = c.n as i64;
        if c.received_month > 0 {
            add(layout::ROW_NEW, c.applicant, n);
            f.applications_new += n;
        } else if c.standing != YearStanding::ClosedBefore {
            add(layout::ROW_CARRIED_IN, c.applicant, n);
            f.applications_carried_in += n;
        }
        match c.standing {
            YearStanding::Closed { result, .. } => {
                add(result.row(format), c.applicant, n);
                add(layout::ROW_RESULTS_TOTAL, c.applicant, n);
                f.applications_closed += n;
                if result == ReplyResult::FeeNotPaid {
                    f.fee_not_paid += n;
                }
            }
            YearStanding::ClosedBefore => {}
            YearStanding::Open => {
                add(layout::ROW_CARRIED_OUT, c.applicant, n);
                f.applications_carried_out += n;
            }
        }
    }
    for ((row, col), n) in counts {
        r.set_int(TABLE_3, row, col, n);
    }

    // Table 四.
    for k in CaseKind::ALL {
        let mut total = 0;
        for o in CaseOutcome::ALL {
            let n = input
                .cases
                .iter()
                .filter(|c| {
                    c.kind == k && c.outcome.is_some_and(|(x, d)| x == o && in_year(d, year))
                })
                .count() as i64;
            r.set_int(TABLE_4, k.label(), o.column(), n);
            total += n;
        }
        let open = input
            .cases
            .iter()
            .filter(|c| c.kind == k && c.open_at(end))
            .count() as i64;
        r.set_int(TABLE_4, k.label(), PENDING, open);
        total += open;
        r.set_int(TABLE_4, k.label(), TOTAL, total);
        f.cases_open += open;
        match k {
            CaseKind::Review => f.reviews += total,
            _ => f.suits += total,
        }
    }

    f.letters = input.letters.iter().any(|l| in_year(l.received_on, year));
    f
}

/// The sentence about applications that R9 reads.
pub fn applications_sentence(f: &Figures) -> String {
    if f.applications_new == 0 && f.applications_carried_in == 0 {
        "全年未收到政府信息公开申请。".to_string()
    } else {
        format!(
            "全年新收政府信息公开申请{}件，上年结转{}件，本年办结{}件，结转下年度继续办理{}件。",
            f.applications_new,
            f.applications_carried_in,
            f.applications_closed,
            f.applications_carried_out
        )
    }
}

/// The sentence about review and litigation that R11 reads.
pub fn cases_sentence(f: &Figures) -> String {
    if f.reviews == 0 && f.suits == 0 {
        "全年未发生政府信息公开行政复议、行政诉讼案件。".to_string()
    } else {
        let mut s = format!(
            "全年涉及政府信息公开的行政复议{}件、行政诉讼{}件",
            f.reviews, f.suits
        );
        if f.cases_open > 0 {
            s.push_str(&format!("，其中尚未审结{}件", f.cases_open));
        }
        s.push('。');
        s
    }
}

/// What table 二 prints about normative documents, decisions, fees and procurement, as
/// sentences: every figure is a cell of the table, named by its row.
fn table2_sentences(r: &Report) -> String {
    let format = r.format;
    let cell = |row: &str, col: &str| r.get(TABLE_2, row, col).unwrap_or_default();
    let mut out = String::new();
    match format {
        Format::F2019 => {
            let row = ROW_NORMATIVE_2019;
            out.push_str(&format!(
                "本年新公开{row}{}件，对外公开{row}总数{}件。",
                cell(row, COL_NEWLY_PUBLISHED),
                cell(row, COL_PUBLISHED_TOTAL)
            ));
        }
        Format::F2021 => {
            let row = ROW_NORMATIVE_2021;
            out.push_str(&format!(
                "本年制发{row}{}件，废止{}件，现行有效{}件。",
                cell(row, COL_ISSUED),
                cell(row, COL_REPEALED),
                cell(row, COL_IN_FORCE)
            ));
        }
    }
    let mut decided = Vec::new();
    for b in layout::blocks(format) {
        for (col, _) in b
            .columns
            .iter()
            .filter(|(c, _)| [COL_DECISIONS_2019, COL_DECISIONS_2021].contains(c))
        {
            for row in b.rows {
                let n = cell(row, col);
                if n.0 > 0.0 {
                    decided.push(format!("{row}处理决定{n}件"));
                }
            }
        }
    }
    if !decided.is_empty() {
        out.push_str(&format!("全年作出{}。", decided.join("、")));
    }
    for b in layout::blocks(format) {
        for (col, kind) in b.columns {
            for row in b.rows {
                let n = cell(row, col);
                if *kind == layout::CellKind::Amount && n.0 > 0.0 {
                    // Amounts are in 万元 (spec: annual-report.md), whatever the header says.
                    let what = col.trim_end_matches("（单位：万元）");
                    out.push_str(&format!("{row}：{what}{n}万元。"));
                }
            }
        }
    }
    out
}

fn draft_texts(input: &ReportInput, r: &Report, f: &Figures) -> Vec<String> {
    let organ = &r.organ;
    let year = r.year;
    let format = r.format;
    let units = if input.units.is_empty() {
        String::new()
    } else {
        "（含所属单位）".to_string()
    };

    let mut one = format!(
        "{year}年，{organ}{units}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，现将本年度政府信息公开工作情况报告如下。\n"
    );
    one.push_str("（一）主动公开。");
    one.push_str("通过政府网站政务公开专栏等平台，按照公开目录分类主动公开政府信息。");
    one.push_str(&table2_sentences(r));
    one.push('\n');
    one.push_str("（二）依申请公开。");
    one.push_str(&applications_sentence(f));
    one.push('\n');
    one.push_str("（三）政府信息管理。");
    if f.letters {
        one.push_str("对收到的群众来信、投诉均按照流程进行答复。");
    } else {
        one.push_str("全年未收到群众来信、投诉。");
    }
    one.push('\n');
    one.push_str("（四）政府信息公开平台建设。通过政府网站政务公开专栏、政务新媒体等平台发布政府信息，及时更新公开目录。\n");
    one.push_str("（五）监督保障。");
    one.push_str(&cases_sentence(f));

    let five = {
        let mut s = format!(
            "（一）主要问题。政策解读的形式还不够丰富，所属单位公开的及时性和规范性有待提高。\n（二）改进措施。{}年，将进一步规范公开目录和公开流程，加强对所属单位的培训和指导，提高政府信息公开质量。",
            year + 1
        );
        if r.organ_kind == OrganKind::Government {
            s.push_str("\n（三）工作考核、社会评议和责任追究结果情况。本年度将政府信息公开工作纳入绩效考核，未发生责任追究情况。");
        }
        s
    };
    let six = match format {
        Format::F2019 => "无其他需要报告的事项。".to_string(),
        Format::F2021 => {
            let mut s =
                String::from("依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），");
            if f.fee_not_paid > 0 {
                s.push_str(&format!(
                    "本年度发出信息处理费收费通知，因申请人逾期未缴纳费用不再处理的申请{}件；",
                    f.fee_not_paid
                ));
            }
            if input.processing_fees_fen > 0 {
                s.push_str(&format!(
                    "本年度收取信息处理费{}元。",
                    format_yuan(input.processing_fees_fen)
                ));
            } else {
                s.push_str("本年度未收取信息处理费。");
            }
            s
        }
    };
    vec![one, String::new(), String::new(), String::new(), five, six]
}

/// Items published in the input's year, counted per first-level category of the catalogue tree
/// (merged by name across units), in the tree's order; items without a category count as 其他.
/// Section 一's breakdown and the chart of items by category both use it.
pub fn items_by_root_category(input: &ReportInput) -> Vec<(String, usize)> {
    let root_of = |id: i64| {
        let mut cur = input.categories.iter().find(|c| c.id == id);
        let mut guard = 0;
        while let Some(c) = cur {
            match c.parent_id {
                Some(p) if guard < 64 => {
                    cur = input.categories.iter().find(|x| x.id == p);
                    guard += 1;
                }
                _ => return Some(c),
            }
        }
        None
    };
    let mut by_cat: Vec<(String, i32, usize)> = Vec::new();
    for it in input.items.iter().filter(|i| {
        i.status == ItemStatus::Published && i.published_on.is_some_and(|d| in_year(d, input.year))
    }) {
        let (name, pos) = root_of(it.category_id)
            .map(|c| (c.name.clone(), c.position))
            .unwrap_or_else(|| ("其他".to_string(), i32::MAX));
        match by_cat.iter_mut().find(|(n, _, _)| *n == name) {
            Some(e) => e.2 += 1,
            None => by_cat.push((name, pos, 1)),
        }
    }
    by_cat.sort_by_key(|(_, pos, _)| *pos);
    by_cat.into_iter().map(|(n, _, c)| (n, c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::layout::{
        NATURAL_PERSON, REVIEW, ROW_CARRIED_OUT, ROW_DISCLOSED, ROW_FEE_NOT_PAID, ROW_LICENSING,
        SECTION_OTHER_MATTERS, SECTION_OVERVIEW, SECTION_PROBLEMS, SUIT_AFTER_REVIEW, UPHELD,
    };

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn organ() -> Organ {
        Organ {
            id: 1,
            code: "X".into(),
            name: "某局".into(),
            short_name: String::new(),
            kind: OrganKind::Department,
            parent_id: None,
            index_pattern: DEFAULT_INDEX_PATTERN.into(),
        }
    }

    fn normative(id: i64, published: &str, ended: Option<&str>) -> CatalogueItem {
        CatalogueItem {
            id,
            organ_id: 1,
            index_no: format!("X/{id}"),
            title: "文件".into(),
            summary: String::new(),
            category_id: 1,
            issuing_unit: String::new(),
            written_on: Some(d(published)),
            published_on: Some(d(published)),
            doc_number: String::new(),
            doc_kind: DocKind::Normative,
            status: ItemStatus::Published,
            validity: ended
                .map(|e| {
                    vec![ValidityChange {
                        changed_on: d(e),
                        validity: Validity::Repealed,
                        note: String::new(),
                    }]
                })
                .unwrap_or_default(),
        }
    }

    #[test]
    fn normative_documents_2021_format_keep_r8() {
        let input = |year| ReportInput {
            organ: Some(organ()),
            year,
            items: vec![
                normative(1, "2019-05-01", None),
                normative(2, "2020-03-01", Some("2021-06-01")),
                normative(3, "2021-02-01", None),
                normative(4, "2021-04-01", Some("2021-11-01")),
                normative(5, "2022-01-10", None),
            ],
            ..Default::default()
        };
        let r21 = compute(&input(2021));
        let r22 = compute(&input(2022));
        let g = |r: &Report, c| r.get(TABLE_2, ROW_NORMATIVE_2021, c).unwrap().0;
        assert_eq!(g(&r21, COL_ISSUED), 2.0);
        assert_eq!(g(&r21, COL_REPEALED), 2.0);
        assert_eq!(g(&r21, COL_IN_FORCE), 2.0);
        assert_eq!(g(&r22, COL_IN_FORCE), 3.0);
        assert_eq!(
            g(&r22, COL_IN_FORCE),
            g(&r21, COL_IN_FORCE) + g(&r22, COL_ISSUED) - g(&r22, COL_REPEALED)
        );
    }

    #[test]
    fn matters_change_is_signed_and_decisions_are_of_the_year() {
        let m = |id, listed: &str, delisted: Option<&str>| Matter {
            id,
            organ_id: 1,
            kind: MatterKind::Licensing,
            name: format!("事项{id}"),
            listed_on: d(listed),
            delisted_on: delisted.map(d),
        };
        let input = ReportInput {
            organ: Some(organ()),
            year: 2020,
            matters: vec![
                m(1, "2018-01-01", None),
                m(2, "2018-01-01", Some("2020-05-01")),
                m(3, "2019-01-01", Some("2020-06-01")),
            ],
            decisions: vec![
                Decision {
                    id: 1,
                    matter_id: 1,
                    decided_on: d("2020-02-02"),
                    number: "1".into(),
                    party: String::new(),
                },
                Decision {
                    id: 2,
                    matter_id: 1,
                    decided_on: d("2019-12-31"),
                    number: "2".into(),
                    party: String::new(),
                },
            ],
            procurements: vec![Procurement {
                id: 1,
                organ_id: 1,
                name: "p".into(),
                contracted_on: d("2020-03-03"),
                amount_fen: 123_456_789,
            }],
            ..Default::default()
        };
        let r = compute(&input);
        assert_eq!(
            r.get(TABLE_2, ROW_LICENSING, COL_MATTERS_BEFORE),
            Some(Num(3.0))
        );
        assert_eq!(
            r.get(TABLE_2, ROW_LICENSING, COL_MATTERS_CHANGE),
            Some(Num(-2.0))
        );
        assert_eq!(
            r.get(TABLE_2, ROW_LICENSING, COL_DECISIONS_2019),
            Some(Num(1.0))
        );
        // 1 234 567.89 元 rounds to 1 234 568 元 = 123.4568 万元.
        assert_eq!(
            r.get(TABLE_2, ROW_PROCUREMENT, COL_PROCUREMENT_AMOUNT),
            Some(Num(123.4568))
        );
    }

    #[test]
    fn applications_carry_over_and_balance() {
        let a = |recv: &str, closed: Option<(&str, ReplyResult)>| ApplicationSummary {
            applicant: ApplicantType::NaturalPerson,
            received: d(recv),
            closed: closed.map(|(c, r)| (d(c), r)),
            due: None,
        };
        let input = ReportInput {
            organ: Some(organ()),
            year: 2021,
            applications: vec![
                a("2020-12-20", Some(("2021-01-10", ReplyResult::Disclosed))),
                a("2020-06-01", Some(("2020-06-10", ReplyResult::Disclosed))),
                a("2021-03-01", Some(("2021-03-05", ReplyResult::FeeNotPaid))),
                a("2021-12-28", None),
                a("2021-12-30", Some(("2022-01-05", ReplyResult::NotHeld))),
                a("2022-01-03", None),
            ],
            ..Default::default()
        };
        let r = compute(&input);
        let g = |row| r.get(TABLE_3, row, NATURAL_PERSON).unwrap().0;
        assert_eq!(g(layout::ROW_NEW), 3.0);
        assert_eq!(g(layout::ROW_CARRIED_IN), 1.0);
        assert_eq!(g(layout::ROW_RESULTS_TOTAL), 2.0);
        assert_eq!(g(ROW_CARRIED_OUT), 2.0);
        assert_eq!(g(ROW_DISCLOSED), 1.0);
        assert_eq!(g(ROW_FEE_NOT_PAID), 1.0);
        assert_eq!(r.get(TABLE_3, ROW_CARRIED_OUT, TOTAL), Some(Num(2.0)));
        let one = r.text_of(SECTION_OVERVIEW).unwrap();
        assert!(one.contains(
            "全年新收政府信息公开申请3件，上年结转1件，本年办结2件，结转下年度继续办理2件"
        ));
        assert!(
            r.text_of(SECTION_OTHER_MATTERS)
                .unwrap()
                .contains("逾期未缴纳费用不再处理的申请1件")
        );
        // The same cases handed over already counted make the same report.
        let counted = ReportInput {
            application_counts: input.application_tally(),
            applications: Vec::new(),
            ..input.clone()
        };
        assert_eq!(counted.application_tally(), input.application_tally());
        assert_eq!(compute(&counted), r);
        // Counted and single cases add up.
        let both = ReportInput {
            application_counts: input.application_tally(),
            ..input.clone()
        };
        let r2 = compute(&both);
        assert_eq!(
            r2.get(TABLE_3, layout::ROW_NEW, NATURAL_PERSON),
            Some(Num(6.0))
        );
        assert_eq!(r2.get(TABLE_3, ROW_CARRIED_OUT, TOTAL), Some(Num(4.0)));
    }

    #[test]
    fn cases_by_outcome_and_open() {
        let c = |kind, filed: &str, out: Option<(CaseOutcome, &str)>| Case {
            id: 0,
            organ_id: 1,
            kind,
            case_number: String::new(),
            filed_on: d(filed),
            application_number: String::new(),
            outcome: out.map(|(o, x)| (o, d(x))),
        };
        let input = ReportInput {
            organ: Some(organ()),
            year: 2022,
            cases: vec![
                c(
                    CaseKind::Review,
                    "2021-11-01",
                    Some((CaseOutcome::Upheld, "2022-01-20")),
                ),
                c(CaseKind::Review, "2022-05-01", None),
                c(
                    CaseKind::Review,
                    "2022-05-01",
                    Some((CaseOutcome::Corrected, "2023-01-20")),
                ),
                c(
                    CaseKind::SuitAfterReview,
                    "2021-01-01",
                    Some((CaseOutcome::Other, "2021-05-01")),
                ),
            ],
            ..Default::default()
        };
        let r = compute(&input);
        assert_eq!(r.get(TABLE_4, REVIEW, UPHELD), Some(Num(1.0)));
        assert_eq!(r.get(TABLE_4, REVIEW, PENDING), Some(Num(2.0)));
        assert_eq!(r.get(TABLE_4, REVIEW, TOTAL), Some(Num(3.0)));
        assert_eq!(r.get(TABLE_4, SUIT_AFTER_REVIEW, TOTAL), Some(Num(0.0)));
        assert!(
            r.text_of(SECTION_OVERVIEW)
                .unwrap()
                .contains("行政复议3件、行政诉讼0件，其中尚未审结2件")
        );
    }

    /// Records that reach every branch that sets a cell: documents of both kinds, matters of
    /// every kind with decisions and fees, procurement, every reply and applicant type, open
    /// and decided cases of every kind and outcome.
    fn every_kind_of_record(year: i32) -> ReportInput {
        let on = |m: u32| NaiveDate::from_ymd_opt(year, m, 1).unwrap();
        let mut regulation = normative(1, &on(2).to_string(), None);
        regulation.doc_kind = DocKind::Regulation;
        let matters: Vec<Matter> = MatterKind::ALL
            .into_iter()
            .enumerate()
            .map(|(i, kind)| Matter {
                id: i as i64 + 1,
                organ_id: 1,
                kind,
                name: format!("事项{i}"),
                listed_on: d("2000-01-01"),
                delisted_on: None,
            })
            .collect();
        let mut cases = Vec::new();
        for kind in CaseKind::ALL {
            cases.push(Case {
                id: 0,
                organ_id: 1,
                kind,
                case_number: String::new(),
                filed_on: on(1),
                application_number: String::new(),
                outcome: None,
            });
            for o in CaseOutcome::ALL {
                cases.push(Case {
                    outcome: Some((o, on(6))),
                    ..cases[cases.len() - 1].clone()
                });
            }
        }
        let mut applications = Vec::new();
        for (i, result) in ReplyResult::ALL.into_iter().enumerate() {
            let applicant = ApplicantType::ALL[i % ApplicantType::ALL.len()];
            applications.push(ApplicationSummary {
                applicant,
                received: on(3),
                closed: Some((on(4), result)),
                due: None,
            });
        }
        for applicant in ApplicantType::ALL {
            applications.push(ApplicationSummary {
                applicant,
                received: d(&format!("{}-12-01", year - 1)),
                closed: None,
                due: None,
            });
        }
        ReportInput {
            organ: Some(organ()),
            year,
            items: vec![
                regulation,
                normative(2, &on(3).to_string(), Some(&on(9).to_string())),
            ],
            decisions: matters
                .iter()
                .map(|m| Decision {
                    id: m.id,
                    matter_id: m.id,
                    decided_on: on(5),
                    number: String::new(),
                    party: String::new(),
                })
                .collect(),
            fees: vec![Fee {
                id: 1,
                matter_id: matters
                    .iter()
                    .find(|m| m.kind == MatterKind::Fee)
                    .unwrap()
                    .id,
                collected_on: on(5),
                amount_fen: 12_500,
                note: String::new(),
            }],
            matters,
            procurements: vec![Procurement {
                id: 1,
                organ_id: 1,
                name: "p".into(),
                contracted_on: on(7),
                amount_fen: 1_000_000,
            }],
            cases,
            applications,
            ..Default::default()
        }
    }

    /// Labels are spelled once, in `layout`: a row or column that compute spelled otherwise
    /// would add a cell the format does not have (`Report::set` adds what it does not find).
    #[test]
    fn every_cell_computed_is_a_cell_of_the_layout() {
        for year in [2020, 2022] {
            let r = compute(&every_kind_of_record(year));
            let keys: Vec<_> = layout::cell_keys(r.format)
                .into_iter()
                .map(|(k, _)| (k.table, k.row, k.column))
                .collect();
            for c in &r.cells {
                assert!(
                    keys.contains(&(c.table.as_str(), c.row.as_str(), c.column.as_str())),
                    "{year}: {}/{}/{} is not a cell of the layout",
                    c.table,
                    c.row,
                    c.column
                );
            }
            assert_eq!(r.cells.len(), keys.len(), "{year}");
            // The records reached every table (so the branches above did set cells).
            for t in [TABLE_2, TABLE_3, TABLE_4] {
                assert!(
                    r.cells
                        .iter()
                        .any(|c| c.table == t && c.value.is_some_and(|v| v.0 != 0.0)),
                    "{year}: table {t} stayed empty"
                );
            }
        }
    }

    #[test]
    fn stored_texts_replace_drafts_and_empty_records_say_none() {
        let mut input = ReportInput {
            organ: Some(organ()),
            year: 2020,
            ..Default::default()
        };
        let r = compute(&input);
        assert!(
            r.text_of(SECTION_OVERVIEW)
                .unwrap()
                .contains("全年未收到政府信息公开申请")
        );
        assert!(
            r.text_of(SECTION_OVERVIEW)
                .unwrap()
                .contains("全年未发生政府信息公开行政复议、行政诉讼案件")
        );
        input.texts.insert(5, "我们自己写的问题。".into());
        let r = compute(&input);
        assert_eq!(r.text_of(SECTION_PROBLEMS), Some("我们自己写的问题。"));
        assert_eq!(
            r.cells.len(),
            Report::blank("x", 2020, Format::F2019).cells.len()
        );
    }
}
