//! The three official tables as grids of merged cells, worked out once from
//! `gongkai_domain::report::layout` and shared by every output format.
//!
//! A [`Grid`] is stored the way HTML writes tables: each row lists only the cells that *start*
//! in it, with their row and column spans. [`Grid::placed`] resolves the absolute position of
//! every cell, which DOCX (vertical-merge continuation cells) and XLSX (merge ranges) need.

use gongkai_domain::report::layout::{self, CellKind};
use gongkai_domain::report::{Format, Report};

/// What a cell of a grid is, which decides how it is styled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A column header (or a block heading of table 二).
    Header,
    /// A row group spanning several rows (三、本年度办理结果, （三）不予公开 …).
    Group,
    /// A row label.
    Label,
    /// A number cell.
    Number,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GridCell {
    pub text: String,
    pub role: Role,
    pub colspan: usize,
    pub rowspan: usize,
    /// For number cells: the value as a number (blank cells have none), so XLSX can write a
    /// number and not a string.
    pub value: Option<f64>,
}

impl GridCell {
    fn new(role: Role, text: impl Into<String>) -> GridCell {
        GridCell {
            text: text.into(),
            role,
            colspan: 1,
            rowspan: 1,
            value: None,
        }
    }
    fn span(mut self, rows: usize, cols: usize) -> GridCell {
        self.rowspan = rows;
        self.colspan = cols;
        self
    }
}

/// One official table.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// The table's id in the model: 二, 三 or 四.
    pub table: &'static str,
    /// A caption naming the table, as the official template does.
    pub caption: &'static str,
    pub columns: usize,
    /// How many leading rows form the column header (repeated on each page in DOCX/PDF).
    pub header_rows: usize,
    pub rows: Vec<Vec<GridCell>>,
    /// Relative column widths (sum is irrelevant), for DOCX and PDF.
    pub widths: Vec<u32>,
}

/// A cell with its absolute position.
#[derive(Debug, Clone, Copy)]
pub struct Placed<'a> {
    pub row: usize,
    pub col: usize,
    pub cell: &'a GridCell,
}

impl Grid {
    /// Every cell with its absolute row and column, in reading order (row by row, left to right).
    pub fn placed(&self) -> Vec<Placed<'_>> {
        let mut taken = vec![vec![false; self.columns]; self.rows.len()];
        let mut out = Vec::new();
        for (r, row) in self.rows.iter().enumerate() {
            let mut c = 0;
            for cell in row {
                while c < self.columns && taken[r][c] {
                    c += 1;
                }
                let rows_end = (r + cell.rowspan).min(self.rows.len());
                let cols_end = (c + cell.colspan).min(self.columns);
                for line in &mut taken[r..rows_end] {
                    line[c..cols_end].fill(true);
                }
                out.push(Placed {
                    row: r,
                    col: c,
                    cell,
                });
                c += cell.colspan;
            }
        }
        out
    }

    /// For each absolute position, the cell covering it and whether that position is where the
    /// cell starts. DOCX writes continuation cells of vertical merges from this.
    pub fn coverage(&self) -> Vec<Vec<Option<(Placed<'_>, bool)>>> {
        let mut m: Vec<Vec<Option<(Placed<'_>, bool)>>> =
            vec![vec![None; self.columns]; self.rows.len()];
        for p in self.placed() {
            let rows_end = (p.row + p.cell.rowspan).min(self.rows.len());
            let cols_end = (p.col + p.cell.colspan).min(self.columns);
            for (dr, line) in m[p.row..rows_end].iter_mut().enumerate() {
                for (dc, slot) in line[p.col..cols_end].iter_mut().enumerate() {
                    *slot = Some((p, dr == 0 && dc == 0));
                }
            }
        }
        m
    }
}

/// The text of a number cell as the report prints it: blank for a blank cell, what the document
/// said where it was not a number, and 万元 after an amount whose column names no unit (the
/// seed writes `3600万元` under 采购总金额).
pub fn cell_text(report: &Report, table: &str, row: &str, column: &str, kind: CellKind) -> String {
    match report.cell(table, row, column) {
        None => String::new(),
        Some(c) => match c.value {
            Some(v) if kind == CellKind::Amount && !column.contains("万元") => format!("{v}万元"),
            Some(v) => v.to_string(),
            None => c.raw.clone().unwrap_or_default(),
        },
    }
}

fn number(report: &Report, table: &str, row: &str, column: &str, kind: CellKind) -> GridCell {
    let mut c = GridCell::new(Role::Number, cell_text(report, table, row, column, kind));
    c.value = report.get(table, row, column).map(|n| n.0);
    c
}

/// Table 二, the blocks of the format one under the other in one table, as the template lays
/// them out: each block opens with its heading row and its own column header row.
pub fn table2(report: &Report) -> Grid {
    let blocks = layout::blocks(report.format);
    let width = blocks.iter().map(|b| b.columns.len()).max().unwrap_or(1);
    let mut rows = Vec::new();
    for b in blocks {
        rows.push(vec![
            GridCell::new(Role::Header, b.heading).span(1, width + 1),
        ]);
        let mut head = vec![GridCell::new(Role::Header, layout::ITEM_HEADER)];
        // A block with fewer columns than the widest stretches its last column, as the
        // template does, so the grid stays rectangular.
        let last = b.columns.len() - 1;
        for (i, (col, _)) in b.columns.iter().enumerate() {
            let span = if i == last { width - last } else { 1 };
            head.push(GridCell::new(Role::Header, *col).span(1, span));
        }
        rows.push(head);
        for row in b.rows {
            let mut cells = vec![GridCell::new(Role::Label, *row)];
            for (i, (col, kind)) in b.columns.iter().enumerate() {
                let span = if i == last { width - last } else { 1 };
                cells.push(number(report, layout::TABLE_2, row, col, *kind).span(1, span));
            }
            rows.push(cells);
        }
    }
    let mut widths = vec![34];
    widths.extend(std::iter::repeat_n(22, width));
    Grid {
        table: layout::TABLE_2,
        caption: "主动公开政府信息情况",
        columns: width + 1,
        header_rows: 0,
        rows,
        widths,
    }
}

/// Table 三: three label columns (三、本年度办理结果 · its groups · the row) and the seven
/// applicant columns under the two-level header.
pub fn table3(report: &Report) -> Grid {
    let t = layout::TABLE_3;
    let cols = layout::APPLICANT_COLUMNS;
    let legal = cols.len() - 2; // between 自然人 and 总计
    let mut rows = vec![
        vec![
            GridCell::new(Role::Header, layout::TABLE3_NOTE).span(3, 3),
            GridCell::new(Role::Header, layout::APPLICANT_HEADER).span(1, cols.len()),
        ],
        vec![
            GridCell::new(Role::Header, cols[0]).span(2, 1),
            GridCell::new(Role::Header, layout::LEGAL_PERSONS_HEADER).span(1, legal),
            GridCell::new(Role::Header, layout::TOTAL).span(2, 1),
        ],
        cols[1..=legal]
            .iter()
            .map(|c| GridCell::new(Role::Header, *c))
            .collect(),
    ];
    let numbers = |row: &str| -> Vec<GridCell> {
        cols.iter()
            .map(|c| number(report, t, row, c, CellKind::Count))
            .collect()
    };
    let full_row = |label: &str, rows: &mut Vec<Vec<GridCell>>| {
        let mut r = vec![GridCell::new(Role::Label, label).span(1, 3)];
        r.extend(numbers(label));
        rows.push(r);
    };
    full_row(layout::ROW_NEW, &mut rows);
    full_row(layout::ROW_CARRIED_IN, &mut rows);

    let results = layout::result_rows(report.format);
    let mut first = true;
    let mut i = 0;
    while i < results.len() {
        let mut r = Vec::new();
        if first {
            // 三、本年度办理结果 spans every result row and （七）总计.
            r.push(GridCell::new(Role::Group, layout::RESULTS_GROUP).span(results.len() + 1, 1));
            first = false;
        }
        let row = results[i];
        match row.group {
            None => {
                r.push(GridCell::new(Role::Label, row.label).span(1, 2));
                r.extend(numbers(row.label));
                rows.push(r);
                i += 1;
            }
            Some(g) => {
                let n = results[i..]
                    .iter()
                    .take_while(|x| x.group == Some(g))
                    .count();
                for (k, member) in results[i..i + n].iter().enumerate() {
                    let mut cells = if k == 0 {
                        let mut head = std::mem::take(&mut r);
                        head.push(GridCell::new(Role::Group, g).span(n, 1));
                        head
                    } else {
                        Vec::new()
                    };
                    cells.push(GridCell::new(Role::Label, member.label));
                    cells.extend(numbers(member.label));
                    rows.push(cells);
                }
                i += n;
            }
        }
    }
    let mut total = vec![GridCell::new(Role::Label, layout::ROW_RESULTS_TOTAL).span(1, 2)];
    total.extend(numbers(layout::ROW_RESULTS_TOTAL));
    rows.push(total);
    full_row(layout::ROW_CARRIED_OUT, &mut rows);

    let mut widths = vec![12, 14, 40];
    widths.extend(std::iter::repeat_n(11, cols.len()));
    Grid {
        table: t,
        caption: "收到和处理政府信息公开申请情况",
        columns: 3 + cols.len(),
        header_rows: 3,
        rows,
        widths,
    }
}

/// Table 四: 行政复议 and 行政诉讼 (未经复议直接起诉 · 复议后起诉), five columns each, one row.
pub fn table4(report: &Report) -> Grid {
    let n = layout::TABLE4_COLUMNS.len();
    let header_cols = || {
        layout::TABLE4_COLUMNS
            .iter()
            .map(|c| GridCell::new(Role::Header, *c))
            .collect::<Vec<_>>()
    };
    let mut third = Vec::new();
    for _ in layout::TABLE4_ROWS {
        third.extend(header_cols());
    }
    let mut values = Vec::new();
    for row in layout::TABLE4_ROWS {
        for col in layout::TABLE4_COLUMNS {
            values.push(number(report, layout::TABLE_4, row, col, CellKind::Count));
        }
    }
    Grid {
        table: layout::TABLE_4,
        caption: "政府信息公开行政复议、行政诉讼情况",
        columns: n * layout::TABLE4_ROWS.len(),
        header_rows: 3,
        rows: vec![
            vec![
                GridCell::new(Role::Header, layout::REVIEW).span(2, n),
                GridCell::new(Role::Header, layout::LITIGATION_HEADER).span(1, 2 * n),
            ],
            vec![
                GridCell::new(Role::Header, layout::SUIT_DIRECT).span(1, n),
                GridCell::new(Role::Header, layout::SUIT_AFTER_REVIEW).span(1, n),
            ],
            third,
            values,
        ],
        widths: vec![1; n * layout::TABLE4_ROWS.len()],
    }
}

/// The grid of the table that follows section `index` (0-based: 二 follows section 1 …), if the
/// report carries that table.
pub fn table_after_section(report: &Report, index: usize) -> Option<Grid> {
    let grid = match index {
        1 => table2(report),
        2 => table3(report),
        3 => table4(report),
        _ => return None,
    };
    report.has_table(grid.table).then_some(grid)
}

/// The tables of a report in document order.
pub fn all(report: &Report) -> Vec<Grid> {
    (0..layout::SECTIONS.len())
        .filter_map(|i| table_after_section(report, i))
        .collect()
}

/// Is this the 2021 format (whose table 二 has no 政府集中采购 block)? Kept here so writers need
/// not match on the format themselves.
pub fn is_2021(report: &Report) -> bool {
    report.format == Format::F2021
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rectangular(g: &Grid) {
        let cov = g.coverage();
        for (r, row) in cov.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                assert!(cell.is_some(), "{} hole at {r},{c}", g.table);
            }
        }
        // No overlaps: the sum of the areas equals the grid's.
        let area: usize = g
            .placed()
            .iter()
            .map(|p| p.cell.rowspan * p.cell.colspan)
            .sum();
        assert_eq!(area, g.rows.len() * g.columns, "{}", g.table);
    }

    #[test]
    fn grids_are_rectangular_in_both_formats() {
        for (year, f) in [(2020, Format::F2019), (2022, Format::F2021)] {
            let r = Report::blank("x", year, f);
            for g in all(&r) {
                rectangular(&g);
            }
        }
    }

    #[test]
    fn table3_groups_span_their_rows() {
        let r = Report::blank("x", 2021, Format::F2021);
        let g = table3(&r);
        let placed = g.placed();
        let find = |t: &str| placed.iter().find(|p| p.cell.text == t).unwrap();
        assert_eq!(find(layout::RESULTS_GROUP).cell.rowspan, 25 - 4 + 1);
        assert_eq!(find("（三）不予公开").cell.rowspan, 8);
        assert_eq!(find("（六）其他处理").cell.rowspan, 3);
        assert_eq!(find("（七）总计").col, 1);
        // 3 header rows + 25 rows.
        assert_eq!(g.rows.len(), 3 + 25);
        let r = Report::blank("x", 2020, Format::F2019);
        let g = table3(&r);
        let placed = g.placed();
        let other = placed
            .iter()
            .find(|p| p.cell.text == "（六）其他处理")
            .unwrap();
        assert_eq!((other.cell.colspan, other.col), (2, 1));
    }

    #[test]
    fn amounts_without_unit_in_the_header_carry_wan_yuan() {
        let mut r = Report::blank("x", 2020, Format::F2019);
        r.set(
            "二",
            "政府集中采购",
            "采购总金额",
            Some(gongkai_domain::report::Num(3600.0)),
        );
        let g = table2(&r);
        assert!(g.placed().iter().any(|p| p.cell.text == "3600万元"));
        let r = Report::blank("x", 2022, Format::F2021);
        assert!(
            table2(&r)
                .placed()
                .iter()
                .all(|p| !p.cell.text.ends_with("万元") || p.cell.role == Role::Header)
        );
    }
}
