//! A misread cell located by the tables' arithmetic, so that it costs that cell and not its
//! row and column. Without this, one unreadable or misread cell of table 三 refutes its row and
//! its column, and a cell of （七）总计 takes every column's sums with it: one `？` left a scan's
//! table 三 with nothing stated.
//!
//! - A cell not read is an unknown. An identity with one unknown gives its value; the value is
//!   *checked* when a second identity, every cell of it read or given, holds with it. A given
//!   value never checked is taken back (it proved nothing: the identity that gave it holds by
//!   construction). Given values are never stated — they are computed, not read.
//! - A misread cell makes its row's sum and its column's sums fail. When every failing
//!   identity goes through one cell, and they are a row's and a column's, that cell is tried
//!   as an unknown; when its row then gives it a value its column confirms and nothing fails,
//!   it is taken for misread and dropped. Failures of more than one cell (rows swapped, a row
//!   shifted) locate nothing: a smaller set of cells could explain them wrongly.
//!
//! What is stated is still only what [`crate::identities::prove`] proves on the reading with
//! the given values filled in.

use crate::identities::{Identity, Key, identities};
use gongkai_domain::report::layout::{TABLE_3, TABLE_4};
use gongkai_domain::report::{Num, Report};
use std::collections::BTreeSet;

/// `r` with the values the identities give filled in (each checked by a second identity), and
/// the keys of the filled cells.
pub fn settle(r: &Report, ids: &[Identity]) -> (Report, BTreeSet<Key>) {
    let mut t = r.clone();
    let mut given: BTreeSet<Key> = BTreeSet::new();
    loop {
        let mut changed = false;
        for id in ids {
            let missing: Vec<&Key> = id
                .cells()
                .filter(|k| t.get(k.0, k.1, k.2).is_none())
                .collect();
            let [k] = missing[..] else { continue };
            let sum = |ks: &[Key]| -> f64 {
                ks.iter()
                    .filter_map(|k| t.get(k.0, k.1, k.2))
                    .map(|n| n.0)
                    .sum()
            };
            let (l, rh) = (sum(&id.lhs), sum(&id.rhs));
            let v = if id.lhs.contains(k) { rh - l } else { l - rh };
            // A count: never negative, never a fraction.
            if v < 0.0 || v.fract() != 0.0 {
                continue;
            }
            t.set(k.0, k.1, k.2, Some(Num(v)));
            given.insert(*k);
            changed = true;
        }
        if !changed {
            break;
        }
    }
    // Take back what no second identity checked, until every given value is checked.
    loop {
        let unchecked: Vec<Key> = given
            .iter()
            .filter(|k| {
                ids.iter()
                    .filter(|id| id.cells().any(|c| c == *k) && id.holds(&t) == Some(true))
                    .count()
                    < 2
            })
            .copied()
            .collect();
        if unchecked.is_empty() {
            break;
        }
        for k in unchecked {
            t.set(k.0, k.1, k.2, None);
            given.remove(&k);
        }
    }
    (t, given)
}

fn fails(r: &Report, ids: &[Identity]) -> usize {
    ids.iter().filter(|id| id.holds(r) == Some(false)).count()
}

/// The cell of `r` taken for misread: the one cell every failing identity goes through, when
/// those are its row's sum and a column's sum, and the reading with it unknown leaves no
/// identity failing (its value given by its row and checked by its column). Nothing when the
/// failures are not those of one cell: rows swapped keep their own sums, and a damage spread
/// over a row fails several columns that share no cell.
pub fn misread(r: &Report, ids: &[Identity]) -> Option<Key> {
    let failing: Vec<&Identity> = ids.iter().filter(|id| id.holds(r) == Some(false)).collect();
    let first = failing.first()?;
    let common: Vec<&Key> = first
        .cells()
        .filter(|k| failing.iter().all(|id| id.cells().any(|c| c == *k)))
        .collect();
    let [k] = common[..] else { return None };
    let row_fails = failing.iter().any(|id| !id.across);
    let column_fails = failing.iter().any(|id| id.across);
    if !(row_fails && column_fails) {
        return None;
    }
    let mut t = r.clone();
    t.set(k.0, k.1, k.2, None);
    let (filled, given) = settle(&t, ids);
    (fails(&filled, ids) == 0 && given.contains(k)).then_some(*k)
}

/// The reading to prove: `r` with its located misread cells blanked and the checked given
/// values filled in; returns it, the misread cells, and the given cells (neither is stated).
pub fn located(r: &Report) -> (Report, Vec<Key>, BTreeSet<Key>) {
    let ids = identities(r.format);
    // Each table on its own: a misread cell of table 四 says nothing of table 三's.
    let mut bad: Vec<Key> = Vec::new();
    for t in [TABLE_3, TABLE_4] {
        let own: Vec<Identity> = ids.iter().filter(|id| id.rhs[0].0 == t).cloned().collect();
        bad.extend(misread(r, &own));
    }
    let mut t = r.clone();
    for k in &bad {
        t.set(k.0, k.1, k.2, None);
    }
    let (filled, given) = settle(&t, &ids);
    (filled, bad, given)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identities::prove;
    use gongkai_domain::report::Format;
    use gongkai_domain::report::layout::{
        self, APPLICANT_COLUMNS, ROW_CARRIED_IN, ROW_CARRIED_OUT, ROW_NEW, ROW_RESULTS_TOTAL, TOTAL,
    };

    /// A table 三 that adds up: 2 applications by people and 1 by a company, each year's
    /// results in （一）予以公开, 1 carried over.
    fn table3() -> Report {
        let mut r = Report::blank("某局", 2022, Format::F2021);
        r.cells.retain(|c| c.table == TABLE_3);
        for c in r.cells.iter_mut() {
            c.value = Some(Num(0.0));
        }
        let first = layout::result_rows(Format::F2021)[0].label;
        let (p, b) = (APPLICANT_COLUMNS[0], APPLICANT_COLUMNS[1]);
        for (row, vp, vb) in [
            (ROW_NEW, 2, 1),
            (ROW_CARRIED_IN, 1, 0),
            (first, 2, 1),
            (ROW_RESULTS_TOTAL, 2, 1),
            (ROW_CARRIED_OUT, 1, 0),
        ] {
            r.set_int(TABLE_3, row, p, vp);
            r.set_int(TABLE_3, row, b, vb);
            r.set_int(TABLE_3, row, TOTAL, vp + vb);
        }
        r
    }

    #[test]
    fn one_unread_total_costs_that_cell_only() {
        let mut r = table3();
        r.set(TABLE_3, ROW_RESULTS_TOTAL, APPLICANT_COLUMNS[0], None);
        let (filled, bad, given) = located(&r);
        assert!(bad.is_empty());
        assert!(given.contains(&(TABLE_3, ROW_RESULTS_TOTAL, APPLICANT_COLUMNS[0])));
        let proof = prove(&filled);
        // The rest of （七）总计 and of 自然人's column is proved.
        assert!(proof.proved(&(TABLE_3, ROW_RESULTS_TOTAL, TOTAL)));
        assert!(proof.proved(&(TABLE_3, ROW_NEW, APPLICANT_COLUMNS[0])));
    }

    #[test]
    fn a_misread_cell_is_located_where_its_row_and_column_fail() {
        let mut r = table3();
        let first = layout::result_rows(Format::F2021)[0].label;
        r.set_int(TABLE_3, first, APPLICANT_COLUMNS[0], 7);
        let (filled, bad, _) = located(&r);
        assert_eq!(bad, vec![(TABLE_3, first, APPLICANT_COLUMNS[0])]);
        assert_eq!(fails(&filled, &identities(r.format)), 0);
    }

    #[test]
    fn two_choices_that_fit_locate_nothing() {
        // 自然人 and 商业企业 of （一） swapped: their row holds, and the two columns that fail
        // cross nowhere: nothing is located, and both stay refuted.
        let mut r = table3();
        let first = layout::result_rows(Format::F2021)[0].label;
        r.set_int(TABLE_3, first, APPLICANT_COLUMNS[0], 1);
        r.set_int(TABLE_3, first, APPLICANT_COLUMNS[1], 2);
        let (filled, bad, _) = located(&r);
        assert!(bad.is_empty(), "{bad:?}");
        let proof = prove(&filled);
        assert!(!proof.proved(&(TABLE_3, first, APPLICANT_COLUMNS[0])));
    }
}
