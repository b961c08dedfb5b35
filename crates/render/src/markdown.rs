//! The report as Markdown. Markdown tables cannot merge cells, so each table is written in the
//! shape that keeps every official label intact in its own cell: table 二 block by block, table
//! 三 with its groups in a column of their own, table 四 with one line per kind of case.

use crate::tables::cell_text;
use crate::text::{self, Level};
use gongkai_domain::report::Report;
use gongkai_domain::report::layout::{self, CellKind};
use std::fmt::Write;

/// The report as a Markdown document.
pub fn report(report: &Report) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let _ = writeln!(out, "# {}\n", escape(&text::title(report)));
    paragraphs(&mut out, &report.preamble);
    for s in text::sections(report) {
        let _ = writeln!(out, "## {}\n", escape(s.heading));
        paragraphs(&mut out, s.body);
        if report.has_table(table_of(s.index)) {
            match s.index {
                1 => table2(&mut out, report),
                2 => table3(&mut out, report),
                3 => table4(&mut out, report),
                _ => {}
            }
        }
    }
    let _ = write!(out, "{}", escape(&report.organ));
    if let Some(d) = report.published {
        let _ = write!(out, "  \n{}", d.format("%Y年%-m月%-d日"));
    }
    out.push('\n');
    out
}

fn table_of(section: usize) -> &'static str {
    match section {
        1 => layout::TABLE_2,
        2 => layout::TABLE_3,
        3 => layout::TABLE_4,
        _ => "",
    }
}

/// Escapes what Markdown would read as markup, at a line start or inline.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        let at_start = i == 0;
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '-' | '+' if at_start => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn paragraphs(out: &mut String, body: &str) {
    for p in text::paragraphs(body) {
        match p.level {
            Level::Heading2 => {
                let _ = writeln!(out, "**{}**\n", escape(p.lead));
            }
            Level::Lead2 => {
                let _ = writeln!(out, "**{}**{}\n", escape(p.lead), escape(p.rest));
            }
            Level::Body => {
                let _ = writeln!(out, "{}\n", escape(p.rest));
            }
        }
    }
}

fn row(out: &mut String, cells: impl IntoIterator<Item = String>) {
    out.push('|');
    for c in cells {
        let _ = write!(out, " {} |", if c.is_empty() { " ".into() } else { c });
    }
    out.push('\n');
}

fn rule(out: &mut String, label_columns: usize, number_columns: usize) {
    out.push('|');
    for _ in 0..label_columns {
        out.push_str(" --- |");
    }
    for _ in 0..number_columns {
        out.push_str(" ---: |");
    }
    out.push('\n');
}

fn table2(out: &mut String, report: &Report) {
    for b in layout::blocks(report.format) {
        let _ = writeln!(out, "**{}**\n", b.heading);
        row(
            out,
            std::iter::once(layout::ITEM_HEADER.to_string())
                .chain(b.columns.iter().map(|(c, _)| c.to_string())),
        );
        rule(out, 1, b.columns.len());
        for r in b.rows {
            row(
                out,
                std::iter::once(r.to_string()).chain(
                    b.columns
                        .iter()
                        .map(|(c, k)| cell_text(report, layout::TABLE_2, r, c, *k)),
                ),
            );
        }
        out.push('\n');
    }
}

fn table3(out: &mut String, report: &Report) {
    let cols = layout::APPLICANT_COLUMNS;
    let _ = writeln!(
        out,
        "{}：{}；{}（{}）；{}。{}\n",
        layout::APPLICANT_HEADER,
        cols[0],
        layout::LEGAL_PERSONS_HEADER,
        cols[1..cols.len() - 1].join("、"),
        layout::TOTAL,
        layout::TABLE3_NOTE
    );
    row(
        out,
        ["分组".to_string(), "项目".to_string()]
            .into_iter()
            .chain(cols.iter().map(|c| c.to_string())),
    );
    rule(out, 2, cols.len());
    let numbers = |r: &str| {
        cols.iter()
            .map(|c| cell_text(report, layout::TABLE_3, r, c, CellKind::Count))
            .collect::<Vec<_>>()
    };
    let line = |out: &mut String, group: String, label: &str| {
        row(
            out,
            [group, label.to_string()].into_iter().chain(numbers(label)),
        );
    };
    line(out, String::new(), layout::ROW_NEW);
    line(out, String::new(), layout::ROW_CARRIED_IN);
    for r in layout::result_rows(report.format) {
        let group = match r.group {
            Some(g) => format!("{} {}", layout::RESULTS_GROUP, g),
            None => layout::RESULTS_GROUP.to_string(),
        };
        line(out, group, r.label);
    }
    line(
        out,
        layout::RESULTS_GROUP.to_string(),
        layout::ROW_RESULTS_TOTAL,
    );
    line(out, String::new(), layout::ROW_CARRIED_OUT);
    out.push('\n');
}

fn table4(out: &mut String, report: &Report) {
    row(
        out,
        ["类别".to_string(), "项目".to_string()]
            .into_iter()
            .chain(layout::TABLE4_COLUMNS.iter().map(|c| c.to_string())),
    );
    rule(out, 2, layout::TABLE4_COLUMNS.len());
    for r in layout::TABLE4_ROWS {
        let kind = if *r == layout::REVIEW {
            layout::REVIEW
        } else {
            layout::LITIGATION_HEADER
        };
        row(
            out,
            [kind.to_string(), r.to_string()].into_iter().chain(
                layout::TABLE4_COLUMNS
                    .iter()
                    .map(|c| cell_text(report, layout::TABLE_4, r, c, CellKind::Count)),
            ),
        );
    }
    out.push('\n');
}
