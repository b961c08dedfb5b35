//! The tables' arithmetic as proof of a reading. Every identity the official tables carry:
//!
//! - table 三, each row: 总计 = 自然人 + the five 法人或其他组织 columns;
//! - table 三, each column: （七）总计 = the sum of the result rows （一）…（六）;
//! - table 三, each column: 一 + 二 = （七）总计 + 四 (what came in is what was handled and
//!   what was carried over);
//! - table 四, each group: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.
//!
//! A cell is *refuted* when an identity it takes part in fails, and *confirmed* when one holds
//! with every one of its cells read and none refuted; in table 三 it must also be confirmed by
//! a column's sum, which is what tells where a row sits. A reading whose positions are not
//! established by the document's own structure (OCR) states only such proved cells
//! ([`keep_confirmed`]); table 二 has no identities, so nothing OCR reads there is stated.

use gongkai_domain::report::layout::{
    self, APPLICANT_COLUMNS, ROW_CARRIED_IN, ROW_CARRIED_OUT, ROW_NEW, ROW_RESULTS_TOTAL, TABLE_3,
    TABLE_4, TABLE4_COLUMNS, TABLE4_ROWS, TOTAL,
};
use gongkai_domain::report::{Format, Report};
use std::collections::BTreeSet;

/// A cell of a table: (table, row, column).
pub type Key = (&'static str, &'static str, &'static str);

/// Σ lhs = Σ rhs.
#[derive(Debug, Clone)]
pub struct Identity {
    pub lhs: Vec<Key>,
    pub rhs: Vec<Key>,
    /// The identity spans rows (a column's sums): it checks where a row's values sit, not only
    /// that they agree among themselves.
    pub across: bool,
}

impl Identity {
    pub fn cells(&self) -> impl Iterator<Item = &Key> {
        self.lhs.iter().chain(&self.rhs)
    }
    /// `Some(true)` when it holds, `Some(false)` when it fails, `None` when a cell is missing
    /// or blank (a blank is never 0).
    pub fn holds(&self, r: &Report) -> Option<bool> {
        let sum = |ks: &[Key]| -> Option<f64> {
            ks.iter()
                .map(|k| r.get(k.0, k.1, k.2).map(|n| n.0))
                .sum::<Option<f64>>()
        };
        Some((sum(&self.lhs)? - sum(&self.rhs)?).abs() < 1e-6)
    }
}

/// Every identity of a report's tables in `format`.
pub fn identities(format: Format) -> Vec<Identity> {
    let parts = &APPLICANT_COLUMNS[..APPLICANT_COLUMNS.len() - 1];
    let mut out = Vec::new();
    for row in layout::table3_rows(format) {
        out.push(Identity {
            lhs: parts.iter().map(|c| (TABLE_3, row, *c)).collect(),
            rhs: vec![(TABLE_3, row, TOTAL)],
            across: false,
        });
    }
    let results = layout::result_rows(format);
    for col in APPLICANT_COLUMNS {
        out.push(Identity {
            lhs: results.iter().map(|r| (TABLE_3, r.label, *col)).collect(),
            rhs: vec![(TABLE_3, ROW_RESULTS_TOTAL, col)],
            across: true,
        });
        out.push(Identity {
            lhs: vec![(TABLE_3, ROW_NEW, col), (TABLE_3, ROW_CARRIED_IN, col)],
            rhs: vec![
                (TABLE_3, ROW_RESULTS_TOTAL, col),
                (TABLE_3, ROW_CARRIED_OUT, col),
            ],
            across: true,
        });
    }
    for row in TABLE4_ROWS {
        out.push(Identity {
            lhs: TABLE4_COLUMNS[..4]
                .iter()
                .map(|c| (TABLE_4, *row, *c))
                .collect(),
            rhs: vec![(TABLE_4, row, TOTAL)],
            across: false,
        });
    }
    out
}

/// Which read cells the identities confirm and which they refute.
#[derive(Debug, Default)]
pub struct Proof {
    /// In an identity that holds and none of whose cells is refuted.
    pub confirmed: BTreeSet<Key>,
    /// Confirmed by an identity across rows (a column's sum): its row is in its place.
    pub placed: BTreeSet<Key>,
    /// In an identity that fails.
    pub refuted: BTreeSet<Key>,
}

impl Proof {
    /// Confirmed, refuted by no identity, and — in table 三, whose columns add up across
    /// rows — placed by a column's sum (a row's own total proves its values agree, not that
    /// they are the row's: two rows swapped keep their totals). Table 四 has only its groups'
    /// totals.
    pub fn proved(&self, k: &Key) -> bool {
        self.confirmed.contains(k)
            && !self.refuted.contains(k)
            && (k.0 != TABLE_3 || self.placed.contains(k))
    }
}

pub fn prove(r: &Report) -> Proof {
    let mut p = Proof::default();
    let ids = identities(r.format);
    let held: Vec<&Identity> = ids
        .iter()
        .filter(|id| match id.holds(r) {
            Some(true) => true,
            Some(false) => {
                p.refuted.extend(id.cells().copied());
                false
            }
            None => false,
        })
        .collect();
    // An identity that holds only through a refuted cell proves nothing (（七）总计 and 四 swapped
    // keep 一 + 二 = 七 + 四).
    for id in held {
        if id.cells().any(|k| p.refuted.contains(k)) {
            continue;
        }
        p.confirmed.extend(id.cells().copied());
        if id.across {
            p.placed.extend(id.cells().copied());
        }
    }
    p
}

/// Whether a reading of the tables is refused: some identity fails on it.
pub fn refused(r: &Report) -> bool {
    identities(r.format)
        .iter()
        .any(|id| id.holds(r) == Some(false))
}

/// Leaves in `r` only the cells the identities prove, and returns the tables some read cell was
/// taken out of. Cells of tables without identities (table 二) all go. A cell the arithmetic
/// locates as misread, or leaves unread, costs itself only: it is blanked, or its value given by
/// one identity and checked by another, before the proof ([`crate::located`]); neither is stated.
pub fn keep_confirmed(r: &mut Report) -> Vec<String> {
    let (filled, bad, given) = crate::located::located(r);
    let proof = prove(&filled);
    let mut dropped: Vec<String> = Vec::new();
    r.cells.retain(|c| {
        let key =
            layout::key_of(&c.table, &c.row, &c.column).map(|(k, _)| (k.table, k.row, k.column));
        let keep =
            key.is_some_and(|k| proof.proved(&k) && !bad.contains(&k) && !given.contains(&k));
        if !keep && !dropped.contains(&c.table) {
            dropped.push(c.table.clone());
        }
        keep
    });
    dropped
}

/// Leaves out the rows of tables 三 and 四 whose values do not add up to their own 总计, naming
/// them in a READ finding per table. For text extracted from a PDF: there a number wrapped in a
/// narrow cell (digits stacked on two or three lines) or a row read a column off gives a row
/// whose sum fails, which cannot be told from the organ's own error; the PDF itself is read
/// from its grid, where each digit's cell is known, and the error reported from there.
pub fn drop_inconsistent_rows(r: &mut Report) {
    let mut bad: Vec<(&'static str, &'static str)> = Vec::new();
    for id in identities(r.format) {
        if !id.across && id.holds(r) == Some(false) {
            let (t, row, _) = id.rhs[0];
            bad.push((t, row));
        }
    }
    if bad.is_empty() {
        return;
    }
    r.cells
        .retain(|c| !bad.iter().any(|(t, row)| c.table == *t && c.row == *row));
    for t in [TABLE_3, TABLE_4] {
        let rows: Vec<&str> = bad
            .iter()
            .filter(|(x, _)| *x == t)
            .map(|(_, row)| *row)
            .collect();
        if rows.is_empty() {
            continue;
        }
        r.findings.push(gongkai_domain::report::Finding::new(
            crate::parse::READ_RULE,
            gongkai_domain::report::Severity::Error,
            t.into(),
            format!(
                "表{t}中以下各行的数字之和与本行总计不符：{}。从 PDF 提取的文字无法区分是原文错误还是折行数字、错列造成的读取错误，这些行未采用，请核对原文件",
                rows.join("、")
            ),
        ));
    }
}
