//! Two readings of one PDF merged cell by cell: the text stream's (`pdftotext`, with the text
//! reader's certainty rules) and the grid's (characters put in the cells of the ruled grid found
//! on the page, [`crate::grid`]). Neither is trusted over the other:
//!
//! - a cell both readings state is stated when they agree; where they differ, the value of the
//!   one whose reading the tables' arithmetic proves while it does not prove the other's, else
//!   nothing;
//! - a cell only one reading states (the other left its row out, or read no such row) is
//!   stated only when the tables' arithmetic proves it in the merged reading
//!   ([`crate::identities::Proof::proved`]: an identity across rows that holds with every one of
//!   its cells read) — so a number neither reading is sure of never gets in;
//! - a table one reading does not see at all (no cell of it) is taken from the other as that
//!   reading states it, under its own rules (what it would have given alone).
//!
//! Every table left short of the cells either reading stated gets a READ finding naming the rows
//! left out; a reading's own READ finding on a table stays while the merge has not filled the
//! cells that reading could not read.

use crate::identities;
use crate::parse::READ_RULE;
use gongkai_domain::report::layout::{self, TABLE_2, TABLE_3, TABLE_4};
use gongkai_domain::report::{Cell, Finding, Report, Severity};
use std::collections::BTreeSet;

type Key = (&'static str, &'static str, &'static str);

fn keys(format: gongkai_domain::report::Format) -> Vec<Key> {
    layout::cell_keys(format)
        .into_iter()
        .map(|(k, _)| (k.table, k.row, k.column))
        .collect()
}

fn cell_of<'a>(r: &'a Report, k: &Key) -> Option<&'a Cell> {
    r.cell(k.0, k.1, k.2)
}

/// The merge of `text` and `grid` (see the module's comment). The report's other parts
/// (organ, year, sections, texts) come from the reading that found more sections, the text
/// stream's on a tie.
///
/// `withheld` is the text's reading before the rows whose own sum fails were left out of it
/// ([`identities::drop_inconsistent_rows`]): where the grid reads such a row exactly as the text
/// did, the two agree, and the row is stated — the organ's own error, for the rules to report.
pub fn merge(text: Report, withheld: &Report, grid: Report) -> Report {
    let text_first = text.sections.len() >= grid.sections.len();
    let (base, other) = if text_first {
        (&text, &grid)
    } else {
        (&grid, &text)
    };
    let all = keys(base.format);
    let mut cells: Vec<Cell> = Vec::new();
    let mut single: Vec<Cell> = Vec::new();
    let mut left_out: BTreeSet<Key> = BTreeSet::new();
    let mut disputed: Vec<(Cell, Cell)> = Vec::new();
    for k in &all {
        let (a, b) = (cell_of(&text, k), cell_of(&grid, k));
        match (a, b) {
            (Some(a), Some(b)) if a.value == b.value => cells.push(a.clone()),
            (None, Some(b)) if cell_of(withheld, k).is_some_and(|w| w.value == b.value) => {
                cells.push(b.clone())
            }
            (Some(a), Some(b)) => disputed.push((a.clone(), b.clone())),
            (Some(x), None) if !grid.has_table(k.0) => cells.push(x.clone()),
            (None, Some(x)) if !text.has_table(k.0) => cells.push(x.clone()),
            (Some(x), None) | (None, Some(x)) => single.push(x.clone()),
            (None, None) => {}
        }
    }
    // What one reading alone states is proved against the cells both agree on and the other
    // singles (an identity holds only with every cell read; a misread digit makes it fail).
    let mut trial = base.clone();
    trial.cells = cells.iter().chain(&single).cloned().collect();
    let proof = identities::prove(&trial);
    // Where the two differ, the arithmetic may tell which is right: the reading whose value
    // the identities prove while they do not prove the other's.
    let with = |pick: fn(&(Cell, Cell)) -> &Cell| {
        let mut t = trial.clone();
        t.cells.extend(disputed.iter().map(|d| pick(d).clone()));
        identities::prove(&t)
    };
    let (by_text, by_grid) = (with(|d| &d.0), with(|d| &d.1));
    for (a, b) in disputed {
        let Some(k) = all
            .iter()
            .find(|k| k.0 == a.table && k.1 == a.row && k.2 == a.column)
            .copied()
        else {
            continue;
        };
        match (by_text.proved(&k), by_grid.proved(&k)) {
            (true, false) => cells.push(a),
            (false, true) => cells.push(b),
            _ => {
                left_out.insert(k);
            }
        }
    }
    for c in single {
        let k = all
            .iter()
            .find(|k| k.0 == c.table && k.1 == c.row && k.2 == c.column)
            .copied();
        match k {
            Some(k) if proof.proved(&k) => cells.push(c),
            Some(k) => {
                left_out.insert(k);
            }
            None => {}
        }
    }
    // In the official order.
    let order = |c: &Cell| {
        all.iter()
            .position(|k| k.0 == c.table && k.1 == c.row && k.2 == c.column)
            .unwrap_or(usize::MAX)
    };
    cells.sort_by_key(order);
    let mut out = base.clone();
    out.cells = cells;
    out.findings = findings(&out, &left_out, [base, other]);
    out
}

/// The READ findings of the merged reading `m`.
fn findings(m: &Report, left_out: &BTreeSet<Key>, readings: [&Report; 2]) -> Vec<Finding> {
    let all = keys(m.format);
    let mut out: Vec<Finding> = Vec::new();
    for t in [TABLE_2, TABLE_3, TABLE_4] {
        let missing: Vec<&Key> = all
            .iter()
            .filter(|k| k.0 == t && cell_of(m, k).is_none())
            .collect();
        let mut rows: Vec<&str> = Vec::new();
        for k in left_out.iter().filter(|k| k.0 == t) {
            if !rows.contains(&k.1) {
                rows.push(k.1);
            }
        }
        if !rows.is_empty() {
            out.push(Finding::new(
                READ_RULE,
                Severity::Error,
                t.into(),
                format!(
                    "表{t}中以下各行有单元格，PDF 的文字流与表格线两种读法不一致或未经勾稽关系验证，未采用，请核对原文件：{}",
                    rows.join("、")
                ),
            ));
        }
        for r in readings {
            for f in r
                .findings
                .iter()
                .filter(|f| f.rule == READ_RULE && f.location == t)
            {
                let keep = match f.severity {
                    // An error stays while a cell that reading could not read is still missing.
                    Severity::Error => missing.iter().any(|k| cell_of(r, k).is_none()),
                    // How a table's glued cells were split, where the table was read.
                    _ => m.has_table(t),
                };
                if keep && !out.contains(f) {
                    out.push(f.clone());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_domain::report::layout::{APPLICANT_COLUMNS, ROW_NEW, ROW_RESULTS_TOTAL, TOTAL};
    use gongkai_domain::report::{Format, Num};

    /// Table 三 that adds up: every application new this year, all disclosed.
    fn consistent() -> Report {
        let mut r = Report::blank("某局", 2022, Format::F2021);
        r.cells.retain(|c| c.table == TABLE_3);
        let first = layout::result_rows(Format::F2021)[0].label;
        for row in [ROW_NEW, first, ROW_RESULTS_TOTAL] {
            for (i, c) in APPLICANT_COLUMNS.iter().enumerate() {
                if *c != TOTAL {
                    r.set_int(TABLE_3, row, c, i as i64);
                }
            }
            r.set_int(TABLE_3, row, TOTAL, 15);
        }
        r
    }

    /// No rows withheld.
    fn none() -> Report {
        let mut r = consistent();
        r.cells.clear();
        r
    }

    fn first_row() -> &'static str {
        layout::result_rows(Format::F2021)[0].label
    }

    #[test]
    fn readings_that_differ_state_the_one_the_arithmetic_proves_or_nothing() {
        let text = consistent();
        let mut grid = consistent();
        grid.set(TABLE_3, ROW_NEW, TOTAL, Some(Num::int(16)));
        // 15 adds up across its row and down its column, 16 does not.
        let m = merge(text.clone(), &none(), grid.clone());
        assert_eq!(m.get(TABLE_3, ROW_NEW, TOTAL), Some(Num::int(15)));
        assert!(!m.findings.iter().any(|f| f.rule == READ_RULE));
        // Neither adds up: nothing stated, and said.
        let mut text = text;
        text.set(TABLE_3, ROW_NEW, TOTAL, Some(Num::int(14)));
        let m = merge(text, &none(), grid);
        assert!(m.cell(TABLE_3, ROW_NEW, TOTAL).is_none());
        assert!(m.findings.iter().any(|f| f.rule == READ_RULE
            && f.severity == Severity::Error
            && f.message.contains(ROW_NEW)));
    }

    #[test]
    fn a_row_one_reading_alone_states_is_stated_only_when_the_arithmetic_proves_it() {
        let mut text = consistent();
        text.cells.retain(|c| c.row != first_row());
        // Proved by the columns' sums: stated.
        let m = merge(text.clone(), &none(), consistent());
        assert_eq!(m.cells.len(), consistent().cells.len());
        assert!(!m.findings.iter().any(|f| f.rule == READ_RULE));
        // A digit misread in the grid (the row's own total kept): the column's sum fails, the
        // row stays out and is named.
        let mut grid = consistent();
        grid.set_int(TABLE_3, first_row(), APPLICANT_COLUMNS[1], 7);
        grid.set_int(TABLE_3, first_row(), TOTAL, 21);
        let m = merge(text, &none(), grid);
        assert!(m.cell(TABLE_3, first_row(), APPLICANT_COLUMNS[1]).is_none());
        assert!(m.cell(TABLE_3, first_row(), TOTAL).is_none());
        assert!(m.findings.iter().any(|f| f.message.contains(first_row())));
    }

    #[test]
    fn a_row_the_text_withheld_is_stated_when_the_grid_reads_it_the_same() {
        // The organ's own error: （一）'s total off by one. The text withheld the row (its sum
        // fails); the grid reads the same values.
        let mut doc = consistent();
        doc.set_int(TABLE_3, first_row(), TOTAL, 16);
        let mut text = doc.clone();
        text.cells.retain(|c| c.row != first_row());
        let m = merge(text.clone(), &doc, doc.clone());
        assert_eq!(m.get(TABLE_3, first_row(), TOTAL), Some(Num::int(16)));
        // Read otherwise by the grid: not stated.
        let mut grid = doc.clone();
        grid.set_int(TABLE_3, first_row(), TOTAL, 17);
        let m = merge(text, &doc, grid);
        assert!(m.cell(TABLE_3, first_row(), TOTAL).is_none());
    }

    #[test]
    fn cells_both_readings_agree_on_stay_where_the_organ_s_arithmetic_fails() {
        let mut text = consistent();
        text.set_int(TABLE_3, ROW_RESULTS_TOTAL, TOTAL, 99);
        let m = merge(text.clone(), &none(), text);
        assert_eq!(m.get(TABLE_3, ROW_RESULTS_TOTAL, TOTAL), Some(Num::int(99)));
        assert!(!m.findings.iter().any(|f| f.rule == READ_RULE));
    }
}
