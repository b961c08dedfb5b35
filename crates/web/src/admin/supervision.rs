//! Supervision across organs (art. 49, art. 26, arts. 33 and 43): for a person who oversees
//! several organs (a county's 政务公开办), every organ in their charge with its annual report
//! against the deadline, its open and overdue applications, the items it published later than
//! 20 working days after they were formed, and the letters it has not answered; as a page and as
//! an XLSX workbook.

use crate::AppState;
use crate::applications::case_row;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::views::{Ctx, page};
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use gongkai_app::cases::CaseState;
use gongkai_app::supervision::{ReportStanding, working_days};
use gongkai_domain::records::CatalogueItem;
use gongkai_domain::report::OrganKind;

/// One organ's line.
pub struct SupervisionRow {
    pub organ_id: i64,
    pub organ: String,
    pub kind: String,
    /// The report of last year: 已发布 (on time or late), 未发布, 逾期未发布.
    pub report: String,
    pub report_deadline: String,
    pub report_late: bool,
    pub open_applications: usize,
    pub overdue_applications: usize,
    /// Items published this year more than 20 working days after they were formed.
    pub published_this_year: usize,
    pub published_late: usize,
    /// Items not yet published, already past 20 working days.
    pub pending_late: usize,
    pub letters_open: i64,
    /// Columns of its catalogue empty without explanation, and not updated within their period.
    pub empty_columns: usize,
    pub stale_columns: usize,
}

#[derive(Template)]
#[template(path = "admin/supervision.html")]
struct SupervisionPage {
    ctx: Ctx,
    rows: Vec<SupervisionRow>,
    report_year: i32,
    year: i32,
    today: String,
    totals: SupervisionRow,
}

async fn rows(state: &AppState, user: &CurrentUser) -> AppResult<(Vec<SupervisionRow>, i32)> {
    let o = gongkai_app::supervision::overview(&state.app, &user.actor()).await?;
    let rows = o
        .lines
        .into_iter()
        .map(|l| {
            let (report, report_late) = match l.report {
                ReportStanding::Published { on, late } => (
                    format!("{on} 已发布{}", if late { "（逾期）" } else { "" }),
                    late,
                ),
                ReportStanding::Covered { by, on } => {
                    (format!("由{by}的年度报告涵盖（{on} 发布）"), false)
                }
                ReportStanding::Overdue => ("逾期未发布".to_string(), true),
                ReportStanding::Pending => ("未发布".to_string(), false),
            };
            let f = &l.figures;
            SupervisionRow {
                organ_id: l.organ.id,
                organ: l.organ.name.clone(),
                kind: match l.organ.kind {
                    OrganKind::Department => "部门",
                    OrganKind::Government => "人民政府",
                }
                .to_string(),
                report,
                report_deadline: l.report_deadline.map(|d| d.to_string()).unwrap_or_default(),
                report_late,
                open_applications: f.open.len(),
                overdue_applications: f.overdue.len(),
                published_this_year: f.published.len(),
                published_late: f.published_late.len(),
                pending_late: f.pending_late.len(),
                letters_open: l.letters_open,
                empty_columns: 0,
                stale_columns: 0,
            }
        })
        .collect::<Vec<_>>();
    let mut rows = rows;
    for r in &mut rows {
        let columns = gongkai_app::columns::check(&state.app, &user.actor(), r.organ_id).await?;
        (r.empty_columns, r.stale_columns) = gongkai_app::columns::tally(&columns);
    }
    Ok((rows, o.report_year))
}

fn totals(rows: &[SupervisionRow]) -> SupervisionRow {
    SupervisionRow {
        organ_id: 0,
        organ: format!("合计（{}个机关）", rows.len()),
        kind: String::new(),
        report: format!(
            "{}个未按期发布",
            rows.iter().filter(|r| r.report_late).count()
        ),
        report_deadline: String::new(),
        report_late: false,
        open_applications: rows.iter().map(|r| r.open_applications).sum(),
        overdue_applications: rows.iter().map(|r| r.overdue_applications).sum(),
        published_this_year: rows.iter().map(|r| r.published_this_year).sum(),
        published_late: rows.iter().map(|r| r.published_late).sum(),
        pending_late: rows.iter().map(|r| r.pending_late).sum(),
        letters_open: rows.iter().map(|r| r.letters_open).sum(),
        empty_columns: rows.iter().map(|r| r.empty_columns).sum(),
        stale_columns: rows.iter().map(|r| r.stale_columns).sum(),
    }
}

pub(super) async fn supervision(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Response> {
    let (rows, report_year) = rows(&state, &user).await?;
    page(&SupervisionPage {
        ctx: Ctx::admin("监督：各机关政务公开情况", &user),
        totals: totals(&rows),
        rows,
        report_year,
        year: report_year + 1,
        today: state.today().to_string(),
    })
}

/// The same table as a workbook.
pub(super) async fn supervision_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Response> {
    let (rows, report_year) = rows(&state, &user).await?;
    let bytes = workbook(&rows, report_year, &state.today().to_string())
        .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    let name = format!("政务公开监督-{}.xlsx", state.today());
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename*=UTF-8''{}", super::enc(&name)),
            ),
        ],
        bytes,
    )
        .into_response())
}

fn workbook(
    rows: &[SupervisionRow],
    report_year: i32,
    today: &str,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("各机关")?;
    let bold = Format::new().set_bold();
    ws.write_string_with_format(0, 0, format!("政务公开监督（截至 {today}）"), &bold)?;
    let year = report_year + 1;
    let heads = [
        "机关".to_string(),
        "类型".to_string(),
        format!("{report_year}年度报告"),
        "报告截止日期".to_string(),
        "办理中的申请".to_string(),
        "逾期未答复的申请".to_string(),
        format!("{year}年发布的信息"),
        "其中超过20个工作日发布".to_string(),
        "未发布已超过20个工作日".to_string(),
        "待答复来信".to_string(),
        "空白栏目（未说明原因）".to_string(),
        "未按期更新的栏目".to_string(),
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, h, &bold)?;
    }
    for (i, r) in rows
        .iter()
        .chain(std::iter::once(&totals(rows)))
        .enumerate()
    {
        let row = 3 + i as u32;
        ws.write_string(row, 0, &r.organ)?;
        ws.write_string(row, 1, &r.kind)?;
        ws.write_string(row, 2, &r.report)?;
        ws.write_string(row, 3, &r.report_deadline)?;
        ws.write_number(row, 4, r.open_applications as f64)?;
        ws.write_number(row, 5, r.overdue_applications as f64)?;
        ws.write_number(row, 6, r.published_this_year as f64)?;
        ws.write_number(row, 7, r.published_late as f64)?;
        ws.write_number(row, 8, r.pending_late as f64)?;
        ws.write_number(row, 9, r.letters_open as f64)?;
        ws.write_number(row, 10, r.empty_columns as f64)?;
        ws.write_number(row, 11, r.stale_columns as f64)?;
    }
    ws.set_column_width(0, 30)?;
    ws.set_column_width(2, 22)?;
    ws.set_column_width(3, 14)?;
    for c in 4..10 {
        ws.set_column_width(c, 16)?;
    }
    wb.save_to_buffer()
}

/// One line of a figure's list: a case or an item, with where to open it.
pub struct ListLine {
    pub url: String,
    pub label: String,
    pub facts: String,
}

#[derive(Template)]
#[template(path = "admin/supervision_list.html")]
struct FigureList {
    ctx: Ctx,
    organ: String,
    what: String,
    lines: Vec<ListLine>,
}

/// The list behind one figure of one organ (`what`: `open`, `overdue`, `published`,
/// `published_late`, `pending_late`), computed as the figure is.
pub(super) async fn supervision_list(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::extract::Path((organ_id, what)): axum::extract::Path<(i64, String)>,
) -> AppResult<Response> {
    let (organ, f, today, cal) =
        gongkai_app::supervision::figures(&state.app, &user.actor(), organ_id).await?;
    let year = today.year();
    let cases = |rows: Vec<CaseState>| -> Vec<ListLine> {
        rows.iter()
            .map(case_row)
            .map(|r| ListLine {
                url: format!("/admin/applications/{}", r.id),
                label: r.number,
                facts: format!(
                    "收到 {} · {} · 答复期限 {}{}",
                    r.received_on,
                    r.status,
                    r.due_on,
                    if r.days_left.is_empty() {
                        String::new()
                    } else {
                        format!("（{}）", r.days_left)
                    }
                ),
            })
            .collect()
    };
    let items = |list: Vec<CatalogueItem>| -> Vec<ListLine> {
        list.into_iter()
            .map(|it| {
                let span = match (it.written_on, it.published_on) {
                    (Some(w), Some(p)) => format!(
                        "成文 {w} · 发布 {p}（相隔{}个工作日）",
                        working_days(&cal, w, p)
                    ),
                    (Some(w), None) => format!(
                        "成文 {w} · {} · 已过{}个工作日未发布",
                        it.status.label(),
                        working_days(&cal, w, today)
                    ),
                    _ => it.status.label().to_string(),
                };
                ListLine {
                    url: format!("/admin/items/{}", it.id),
                    label: it.title,
                    facts: format!("{} · {span}", it.index_no),
                }
            })
            .collect()
    };
    let (title, lines) = match what.as_str() {
        "open" => ("办理中的申请".to_string(), cases(f.open)),
        "overdue" => ("逾期未答复的申请".to_string(), cases(f.overdue)),
        "published" => (format!("{year}年发布的信息"), items(f.published)),
        "published_late" => (
            format!("{year}年超过20个工作日发布的信息"),
            items(f.published_late),
        ),
        "pending_late" => (
            "未发布已超过20个工作日的信息".to_string(),
            items(f.pending_late),
        ),
        _ => return Err(AppError::NotFound),
    };
    page(&FigureList {
        ctx: Ctx::admin(format!("{title} - {}", organ.name), &user),
        organ: organ.name.clone(),
        what: title,
        lines,
    })
}
