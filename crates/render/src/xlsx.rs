//! The report as an Excel workbook: the three official tables as sheets in their official
//! layout (merged headers, numbers as numbers), native Excel charts of the year's figures, and
//! sheets of the underlying records when the caller supplies them.

use crate::charts::{ChartKind, MONTHS};
use crate::tables::{self, Grid, Role};
use crate::text;
use anyhow::Context;
use chrono::{Datelike, NaiveDate};
use gongkai_domain::records::{ItemStatus, Matter};
use gongkai_domain::report::Report;
use gongkai_domain::report::compute::ReportInput;
use gongkai_domain::report::layout::PENDING;
use gongkai_domain::report::stats::{Count, ReportStats};
use rust_xlsxwriter::{
    Chart, ChartType, Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

/// A value of a record sheet's cell.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordValue {
    Empty,
    Text(String),
    Number(f64),
    Date(chrono::NaiveDate),
}

impl From<&str> for RecordValue {
    fn from(s: &str) -> Self {
        RecordValue::Text(s.to_string())
    }
}
impl From<String> for RecordValue {
    fn from(s: String) -> Self {
        RecordValue::Text(s)
    }
}
impl From<f64> for RecordValue {
    fn from(n: f64) -> Self {
        RecordValue::Number(n)
    }
}
impl From<i64> for RecordValue {
    fn from(n: i64) -> Self {
        RecordValue::Number(n as f64)
    }
}
impl From<chrono::NaiveDate> for RecordValue {
    fn from(d: chrono::NaiveDate) -> Self {
        RecordValue::Date(d)
    }
}
impl<T: Into<RecordValue>> From<Option<T>> for RecordValue {
    fn from(v: Option<T>) -> Self {
        v.map(Into::into).unwrap_or(RecordValue::Empty)
    }
}

/// A sheet of underlying records (catalogue items, decisions, applications …), filled by the
/// caller, who decides what is fit to publish (never applicants' identity numbers, phones or
/// addresses).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RecordSheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<RecordValue>>,
}

/// The sheet names of the three tables.
pub const TABLE_SHEETS: [(&str, &str); 3] = [
    ("二", "二、主动公开政府信息情况"),
    ("三", "三、收到和处理申请情况"),
    ("四", "四、行政复议行政诉讼情况"),
];
pub const CHART_SHEET: &str = "图表";

/// Excel forbids `[]:*?/\` in sheet names and allows 31 characters.
fn sheet_name(wanted: &str, taken: &mut Vec<String>) -> String {
    let clean: String = wanted
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    let clean = if clean.trim().is_empty() {
        "记录".to_string()
    } else {
        clean
    };
    let mut name = clean.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        let suffix = format!("({n})");
        name = clean
            .chars()
            .take(31 - suffix.chars().count())
            .collect::<String>()
            + &suffix;
        n += 1;
    }
    taken.push(name.clone());
    name
}

struct Formats {
    title: Format,
    header: Format,
    group: Format,
    label: Format,
    number: Format,
    amount: Format,
    text: Format,
    date: Format,
}

fn formats() -> Formats {
    let base = Format::new()
        .set_font_name("宋体")
        .set_font_size(10.5)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    Formats {
        title: Format::new()
            .set_font_name("黑体")
            .set_font_size(14)
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        header: base
            .clone()
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_background_color(Color::RGB(0xF2F2F2)),
        group: base.clone().set_align(FormatAlign::Center),
        label: base.clone().set_align(FormatAlign::Left),
        number: base
            .clone()
            .set_align(FormatAlign::Center)
            .set_num_format("0"),
        // Amounts are in 万元; the cell keeps the number, the format shows the unit.
        amount: base
            .clone()
            .set_align(FormatAlign::Center)
            .set_num_format("General\"万元\""),
        text: base.clone(),
        date: base.set_num_format("yyyy-mm-dd"),
    }
}

/// Writes one official table starting at `top`; returns the row after it.
fn write_grid(ws: &mut Worksheet, g: &Grid, top: u32, f: &Formats) -> anyhow::Result<u32> {
    for p in g.placed() {
        let c = p.cell;
        let (r0, c0) = (top + p.row as u32, p.col as u16);
        let (r1, c1) = (r0 + c.rowspan as u32 - 1, c0 + c.colspan as u16 - 1);
        let fmt = match c.role {
            Role::Header => &f.header,
            Role::Group => &f.group,
            Role::Label => &f.label,
            Role::Number if c.text.ends_with("万元") => &f.amount,
            Role::Number => &f.number,
        };
        if r1 > r0 || c1 > c0 {
            ws.merge_range(r0, c0, r1, c1, &c.text, fmt)
                .context("合并单元格失败")?;
        }
        match (c.role, c.value) {
            (Role::Number, Some(v)) => {
                ws.write_number_with_format(r0, c0, v, fmt)?;
            }
            _ if r1 == r0 && c1 == c0 => {
                if c.text.is_empty() {
                    ws.write_blank(r0, c0, fmt)?;
                } else {
                    ws.write_string_with_format(r0, c0, &c.text, fmt)?;
                }
            }
            _ => {}
        }
    }
    Ok(top + g.rows.len() as u32)
}

/// The workbook: one sheet per official table, a chart sheet when `stats` has figures, and one
/// sheet per record list given. Dated with the report's publication date (else the moment it is
/// made): see [`report_dated`].
pub fn report(
    report: &Report,
    stats: Option<&ReportStats>,
    records: &[RecordSheet],
) -> anyhow::Result<Vec<u8>> {
    report_dated(report, stats, records, report.published)
}

/// [`report`] with the workbook's creation date given: the same report with the same date
/// gives the same bytes (the workbook's properties are its only clock).
pub fn report_dated(
    report: &Report,
    stats: Option<&ReportStats>,
    records: &[RecordSheet],
    date: Option<chrono::NaiveDate>,
) -> anyhow::Result<Vec<u8>> {
    let f = formats();
    let mut wb = Workbook::new();
    if let Some(d) = date {
        let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
        wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&dt));
    }
    let mut taken = Vec::new();
    let title = text::title(report);
    for g in tables::all(report) {
        table_sheet(&mut wb, &g, &title, &f, &mut taken)?;
    }
    if let Some(stats) = stats.filter(|s| !s.is_empty()) {
        chart_sheet(&mut wb, stats, &f, &mut taken)?;
    }
    for rs in records {
        record_sheet(&mut wb, rs, &f, &mut taken)?;
    }
    wb.save_to_buffer().context("生成 XLSX 文件失败")
}

/// One official table as a sheet: its title over the merged grid, widths in the official
/// proportions, the header rows frozen, printed landscape on A4, one page wide.
fn table_sheet(
    wb: &mut Workbook,
    g: &Grid,
    title: &str,
    f: &Formats,
    taken: &mut Vec<String>,
) -> anyhow::Result<()> {
    let name = TABLE_SHEETS
        .iter()
        .find(|(t, _)| *t == g.table)
        .map(|(_, n)| *n)
        .unwrap_or(g.caption);
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name(name, taken))?;
    let last_col = g.columns as u16 - 1;
    ws.merge_range(0, 0, 0, last_col, &format!("{title}  {name}"), &f.title)?;
    ws.set_row_height(0, 28)?;
    write_grid(ws, g, 2, f)?;
    let total: u32 = g.widths.iter().sum();
    // About 120 characters across, shared as the official widths share the page.
    for (i, w) in g.widths.iter().enumerate() {
        ws.set_column_width(
            i as u16,
            (f64::from(*w) * 120.0 / f64::from(total)).max(6.0),
        )?;
    }
    if g.header_rows > 0 {
        ws.set_freeze_panes(2 + g.header_rows as u32, 0)?;
    }
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// One record list as a sheet: a header row (frozen, with an autofilter) and a row per record,
/// numbers and dates as Excel numbers and dates.
fn record_sheet(
    wb: &mut Workbook,
    rs: &RecordSheet,
    f: &Formats,
    taken: &mut Vec<String>,
) -> anyhow::Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name(&rs.name, taken))?;
    for (c, h) in rs.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &f.header)?;
        ws.set_column_width(c as u16, (h.chars().count() as f64 * 2.2).clamp(8.0, 40.0))?;
    }
    for (r, row) in rs.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match v {
                RecordValue::Empty => {
                    ws.write_blank(r, c, &f.text)?;
                }
                RecordValue::Text(s) => {
                    ws.write_string_with_format(r, c, s, &f.text)?;
                }
                RecordValue::Number(n) => {
                    ws.write_number_with_format(r, c, *n, &f.text)?;
                }
                RecordValue::Date(d) => {
                    let dt =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    ws.write_datetime_with_format(r, c, &dt, &f.date)?;
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    if !rs.headers.is_empty() {
        ws.autofilter(0, 0, rs.rows.len() as u32, rs.headers.len() as u16 - 1)?;
    }
    Ok(())
}

/// The figures as small tables with a native Excel chart beside each.
fn chart_sheet(
    wb: &mut Workbook,
    stats: &ReportStats,
    f: &Formats,
    taken: &mut Vec<String>,
) -> anyhow::Result<()> {
    let name = sheet_name(CHART_SHEET, taken);
    let ws = wb.add_worksheet();
    ws.set_name(&name)?;
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 12)?;
    let mut row = 0u32;
    let months: Vec<Count> = MONTHS
        .iter()
        .zip(
            stats
                .applications_by_month
                .iter()
                .chain(std::iter::repeat(&0)),
        )
        .map(|(m, n)| Count::new(*m, *n))
        .collect();
    let figures = [
        Figure {
            title: ChartKind::ApplicationsByMonth.title(),
            unit: "件",
            data: &months,
            kind: ChartType::Column,
        },
        Figure {
            title: ChartKind::ApplicationsByOutcome.title(),
            unit: "件",
            data: &stats.applications_by_outcome,
            kind: ChartType::Bar,
        },
        Figure {
            title: ChartKind::ItemsByCategory.title(),
            unit: "条",
            data: &stats.items_by_category,
            kind: ChartType::Bar,
        },
    ];
    for figure in &figures {
        chart_block(ws, &name, figure, f, &mut row)?;
    }
    rates_table(ws, stats, f, row)
}

/// One figure of the chart sheet: counts under a title, in a unit, drawn as `kind`.
struct Figure<'a> {
    title: &'a str,
    unit: &'a str,
    data: &'a [Count],
    kind: ChartType,
}

/// One figure as a small table (label, count) at `row` with its chart beside it; `row` moves
/// below both. A figure that is all zeros is left out.
fn chart_block(
    ws: &mut Worksheet,
    sheet: &str,
    figure: &Figure,
    f: &Formats,
    row: &mut u32,
) -> anyhow::Result<()> {
    let Figure {
        title,
        unit,
        data,
        kind,
    } = *figure;
    if data.iter().all(|c| c.count == 0) {
        return Ok(());
    }
    ws.write_string_with_format(*row, 0, title, &f.header)?;
    ws.write_string_with_format(*row, 1, unit, &f.header)?;
    let first = *row + 1;
    for (i, c) in data.iter().enumerate() {
        ws.write_string_with_format(first + i as u32, 0, &c.label, &f.label)?;
        ws.write_number_with_format(first + i as u32, 1, c.count as f64, &f.number)?;
    }
    let last = first + data.len() as u32 - 1;
    let mut chart = Chart::new(kind);
    chart
        .add_series()
        .set_categories((sheet, first, 0, last, 0))
        .set_values((sheet, first, 1, last, 1))
        .set_name(title);
    chart.title().set_name(title);
    chart.legend().set_hidden();
    ws.insert_chart(*row, 3, &chart)?;
    // A chart is about 15 rows high: keep the next block clear of it.
    *row = (last + 2).max(*row + 16);
    Ok(())
}

/// On-time rates as a small table of numbers at `row` (a chart of two percentages says no
/// more); nothing when neither rate has a case.
fn rates_table(
    ws: &mut Worksheet,
    stats: &ReportStats,
    f: &Formats,
    row: u32,
) -> anyhow::Result<()> {
    let rates = [
        ("依申请公开按时答复", stats.applications_on_time),
        ("主动公开按时发布", stats.proactive_on_time),
    ];
    if rates.iter().all(|(_, r)| r.total == 0) {
        return Ok(());
    }
    for (c, h) in ["按时办结率", "按时", "总数", "比例（%）"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(row, c as u16, *h, &f.header)?;
    }
    for (i, (label, r)) in rates.iter().enumerate() {
        let rr = row + 1 + i as u32;
        ws.write_string_with_format(rr, 0, *label, &f.label)?;
        ws.write_number_with_format(rr, 1, r.on_time as f64, &f.number)?;
        ws.write_number_with_format(rr, 2, r.total as f64, &f.number)?;
        match r.percent() {
            Some(p) => ws.write_number_with_format(
                rr,
                3,
                (p * 10.0).round() / 10.0,
                &f.text.clone().set_num_format("0.0"),
            )?,
            None => ws.write_blank(rr, 3, &f.text)?,
        };
    }
    Ok(())
}

/// The record sheets of a report year from the records it is computed from: catalogue items
/// published, decisions, fees, procurement, review and litigation cases, applications, letters.
/// Nothing that identifies an applicant or a letter writer is written (applications by type,
/// dates and result only; letters without their subject). Sheets without rows are left out.
pub fn record_sheets(input: &ReportInput) -> Vec<RecordSheet> {
    let mut out = vec![
        items_sheet(input),
        decisions_sheet(input),
        fees_sheet(input),
        procurement_sheet(input),
        cases_sheet(input),
        applications_sheet(input),
        letters_sheet(input),
    ];
    out.retain(|s| !s.rows.is_empty());
    out
}

fn headers(h: &[&str]) -> Vec<String> {
    h.iter().map(|s| s.to_string()).collect()
}

fn yuan(fen: i64) -> RecordValue {
    RecordValue::Number(fen as f64 / 100.0)
}

fn in_year(d: NaiveDate, year: i32) -> bool {
    d.year() == year
}

/// 31 December of `year`: cases and applications are shown as they stood then.
fn year_end(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
}

fn matter(input: &ReportInput, id: i64) -> Option<&Matter> {
    input.matters.iter().find(|m| m.id == id)
}

/// Catalogue items published in the year, by publication date and 索引号.
fn items_sheet(input: &ReportInput) -> RecordSheet {
    let category = |id: i64| {
        input
            .categories
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    let mut items: Vec<_> = input
        .items
        .iter()
        .filter(|i| {
            i.status == ItemStatus::Published
                && i.published_on.is_some_and(|d| in_year(d, input.year))
        })
        .collect();
    items.sort_by(|a, b| (a.published_on, &a.index_no).cmp(&(b.published_on, &b.index_no)));
    RecordSheet {
        name: "主动公开信息".into(),
        headers: headers(&[
            "索引号",
            "标题",
            "分类",
            "发布机构",
            "成文日期",
            "发布日期",
            "文号",
            "文件类型",
        ]),
        rows: items
            .iter()
            .map(|i| {
                vec![
                    i.index_no.clone().into(),
                    i.title.clone().into(),
                    category(i.category_id).into(),
                    i.issuing_unit.clone().into(),
                    i.written_on.into(),
                    i.published_on.into(),
                    i.doc_number.clone().into(),
                    i.doc_kind.label().into(),
                ]
            })
            .collect(),
    }
}

/// Decisions made in the year under the organ's matters.
fn decisions_sheet(input: &ReportInput) -> RecordSheet {
    let mut decisions: Vec<_> = input
        .decisions
        .iter()
        .filter(|d| in_year(d.decided_on, input.year))
        .collect();
    decisions.sort_by_key(|d| (d.decided_on, d.id));
    RecordSheet {
        name: "处理决定".into(),
        headers: headers(&["事项类别", "事项名称", "决定日期", "决定文书号"]),
        rows: decisions
            .iter()
            .map(|d| {
                let m = matter(input, d.matter_id);
                vec![
                    m.map(|m| m.kind.label()).unwrap_or_default().into(),
                    m.map(|m| m.name.clone()).unwrap_or_default().into(),
                    d.decided_on.into(),
                    d.number.clone().into(),
                ]
            })
            .collect(),
    }
}

/// Fees collected in the year, in 元.
fn fees_sheet(input: &ReportInput) -> RecordSheet {
    let mut fees: Vec<_> = input
        .fees
        .iter()
        .filter(|f| in_year(f.collected_on, input.year))
        .collect();
    fees.sort_by_key(|f| (f.collected_on, f.id));
    RecordSheet {
        name: "行政事业性收费".into(),
        headers: headers(&["收费事项", "收取日期", "金额（元）", "备注"]),
        rows: fees
            .iter()
            .map(|f| {
                vec![
                    matter(input, f.matter_id)
                        .map(|m| m.name.clone())
                        .unwrap_or_default()
                        .into(),
                    f.collected_on.into(),
                    yuan(f.amount_fen),
                    f.note.clone().into(),
                ]
            })
            .collect(),
    }
}

/// Procurement projects contracted in the year, in 元.
fn procurement_sheet(input: &ReportInput) -> RecordSheet {
    let mut procurements: Vec<_> = input
        .procurements
        .iter()
        .filter(|p| in_year(p.contracted_on, input.year))
        .collect();
    procurements.sort_by_key(|p| (p.contracted_on, p.id));
    RecordSheet {
        name: "政府集中采购".into(),
        headers: headers(&["项目名称", "签订日期", "金额（元）"]),
        rows: procurements
            .iter()
            .map(|p| {
                vec![
                    p.name.clone().into(),
                    p.contracted_on.into(),
                    yuan(p.amount_fen),
                ]
            })
            .collect(),
    }
}

/// Review and litigation cases table 四 counts: decided in the year, or filed by its end and
/// still open then (an outcome after 31 December shows as 尚未审结, as the table counts it).
fn cases_sheet(input: &ReportInput) -> RecordSheet {
    let end = year_end(input.year);
    let mut cases: Vec<_> = input
        .cases
        .iter()
        .filter(|c| {
            c.filed_on <= end
                && c.outcome
                    .is_none_or(|(_, d)| in_year(d, input.year) || d > end)
        })
        .collect();
    cases.sort_by_key(|c| (c.filed_on, c.id));
    RecordSheet {
        name: "行政复议行政诉讼案件".into(),
        headers: headers(&[
            "案号",
            "类别",
            "立案日期",
            "所涉申请编号",
            "结果",
            "审结日期",
        ]),
        rows: cases
            .iter()
            .map(|c| {
                let decided = c.outcome.filter(|(_, d)| *d <= end);
                vec![
                    c.case_number.clone().into(),
                    c.kind.label().into(),
                    c.filed_on.into(),
                    c.application_number.clone().into(),
                    decided.map(|(o, _)| o.label()).unwrap_or(PENDING).into(),
                    decided.map(|(_, d)| d).into(),
                ]
            })
            .collect(),
    }
}

/// Applications table 三 counts, as they stood on 31 December: by applicant type and dates,
/// with the result row they are counted in (or carried over). Nothing names the applicant.
fn applications_sheet(input: &ReportInput) -> RecordSheet {
    let end = year_end(input.year);
    let format = gongkai_domain::report::Format::for_year(input.year);
    let mut apps: Vec<_> = input
        .applications
        .iter()
        .filter(|a| {
            a.received <= end
                && a.closed
                    .is_none_or(|(d, _)| in_year(d, input.year) || d > end)
        })
        .collect();
    apps.sort_by_key(|a| a.received);
    RecordSheet {
        name: "政府信息公开申请".into(),
        headers: headers(&["申请人类型", "收到日期", "办结日期", "办理结果"]),
        rows: apps
            .iter()
            .map(|a| {
                let closed = a.closed.filter(|(d, _)| *d <= end);
                vec![
                    a.applicant.label().into(),
                    a.received.into(),
                    closed.map(|(d, _)| d).into(),
                    closed
                        .map(|(_, r)| r.row(format).to_string())
                        .unwrap_or_else(|| "结转下年度继续办理".to_string())
                        .into(),
                ]
            })
            .collect(),
    }
}

/// Letters and calls received in the year, by channel and dates; the subject is left out (it
/// may identify the writer).
fn letters_sheet(input: &ReportInput) -> RecordSheet {
    let channel = |id: i64| {
        input
            .channels
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    let mut letters: Vec<_> = input
        .letters
        .iter()
        .filter(|l| in_year(l.received_on, input.year))
        .collect();
    letters.sort_by_key(|l| (l.received_on, l.id));
    RecordSheet {
        name: "来信来电".into(),
        headers: headers(&["渠道", "收到日期", "办理时限", "答复日期"]),
        rows: letters
            .iter()
            .map(|l| {
                vec![
                    channel(l.channel_id).into(),
                    l.received_on.into(),
                    l.due_on.into(),
                    l.replied_on.into(),
                ]
            })
            .collect(),
    }
}
