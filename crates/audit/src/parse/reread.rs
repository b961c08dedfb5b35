//! The second reading of a table of extracted text: every value placed by the labels' order
//! and the count of cells, and the reader's own findings for what stays unread.

use super::*;

/// What the second reading of a table of extracted text (see [`reread_rows`]) found.
#[derive(Debug)]
pub(super) enum Reread {
    /// Every value placed: (row, column, value) in the official order, and the line after the
    /// last one used. `disordered` when some row's values came before its label: the extractor
    /// did not keep reading order, so labels cannot anchor values.
    Placed {
        cells: Vec<(usize, usize, Tok)>,
        end: usize,
        disordered: bool,
    },
    /// The count of values does not match the cells left to fill; `out_of_order` when row
    /// labels came in another order than the official one.
    Count {
        values: usize,
        cells: usize,
        out_of_order: bool,
    },
    /// Row labels came out together, away from their values (the extractor wrote the table
    /// column by column): the values cannot be tied to rows.
    Columnwise,
}

/// The pattern a row label is found by: its core, or its whole key when the core is so short
/// it also names a column (（七）总计 vs the column 总计, 3.其他 vs the column 其他).
pub(super) fn label_pattern(spec: &RowSpec) -> String {
    if spec.core.chars().count() <= 3 {
        key(spec.label)
    } else {
        spec.core.clone()
    }
}

/// Reads a table of extracted text without trusting that each row's values follow its label.
///
/// pdftotext without `-layout` writes a table cell by cell in its own block order: a row's label
/// may come before, after or around its values, and a value written on the label's line (or
/// between the lines of a wrapped label) travels with the label. So: values glued to a label's
/// line or inside a wrapped label belong to that row, from its first column; every other value
/// fills the remaining cells in the official order. The reading is only taken when the counts
/// match exactly; the caller decides whether it is needed at all (`disordered`).
pub(super) fn reread_rows(
    lines: &[Line],
    start: usize,
    specs: &[RowSpec],
    cluster_check: bool,
) -> Reread {
    let patterns: Vec<String> = specs.iter().map(label_pattern).collect();
    let full: Vec<String> = specs.iter().map(|s| key(s.label)).collect();
    // First position (value index) at which each row's label was seen.
    let mut seen: Vec<Option<usize>> = vec![None; specs.len()];
    let mut claimed: Vec<Vec<Tok>> = vec![Vec::new(); specs.len()];
    // Free values with their position.
    let mut free: Vec<(usize, Tok)> = Vec::new();
    let mut buffer = String::new();
    let mut last_text_line = usize::MAX;
    let mut nvals = 0usize;
    let mut end = start;
    let mut max_cluster = 0usize;
    // The row the current run of values is embedded in, and whether the run still belongs to it.
    let mut owner: Option<usize> = None;
    let mut in_run = false;
    // Lines holding one value and nothing else, one right after another (no blank line): a
    // block of pdftotext, which is a column of cells as often as a row split at wide gaps.
    let mut stacked = false;
    let mut prev_single = false;
    // Where a run of values starts right after a row's label: (row, index of the run's first
    // value). When every such anchor sits exactly where reading the values row by row puts
    // that row, labels seen together elsewhere are displaced labels, not a columnwise table.
    let mut anchors: Vec<(usize, usize)> = Vec::new();
    let before = values_before(specs);
    let mut values: Vec<Tok> = Vec::new();

    let cell_count: usize = specs.iter().map(|s| s.columns.len()).sum();
    for (li, line) in lines.iter().enumerate().skip(start) {
        if line.toks.is_none() && line.text.contains('。') {
            break;
        }
        let toks = match &line.toks {
            Some(t) => t.clone(),
            None => tokenize(&line.text),
        };
        // The table is complete (its last row named, as many values as it has cells): a line of
        // text that follows starts something else — a chart of the section with numbers of its
        // own (our PDF exports put one right under table 三).
        if nvals >= cell_count
            && seen.last().is_some_and(Option::is_some)
            && !toks.is_empty()
            && toks.iter().all(|t| matches!(t, Tok::Text(_)))
        {
            break;
        }
        let single = toks.len() == 1 && matches!(toks[0], Tok::Val { .. });
        stacked |= single && prev_single && !line.page_start;
        prev_single = single;
        for tok in toks {
            match tok {
                Tok::Text(t) => {
                    in_run = false;
                    buffer.push_str(&key(&t));
                    last_text_line = li;
                }
                v @ Tok::Val { .. } => {
                    if !in_run {
                        // A run starts: which labels the text before it names.
                        let mut best: Option<(usize, usize)> = None; // (end in buffer, row)
                        let mut named = 0;
                        let mut at_own_row = None;
                        for (i, p) in patterns.iter().enumerate() {
                            if p.is_empty() {
                                continue;
                            }
                            if let Some(pos) = buffer.rfind(p.as_str()) {
                                named += 1;
                                if seen[i].is_none() {
                                    seen[i] = Some(nvals);
                                }
                                if before[i] == nvals {
                                    at_own_row = Some(i);
                                }
                                let e = pos + p.len();
                                if best.is_none_or(|(be, _)| e > be) {
                                    best = Some((e, i));
                                }
                            }
                        }
                        max_cluster = max_cluster.max(named);
                        // Several labels may precede one run (a label wrapped around a merged
                        // cell): the anchor is the one whose row the run starts, if any.
                        if let Some(i) = at_own_row.or(best.map(|(_, i)| i)) {
                            anchors.push((i, nvals));
                        }
                        owner = best.and_then(|(_, i)| {
                            let glued = last_text_line == li;
                            let incomplete = !buffer.contains(full[i].as_str());
                            (glued || incomplete).then_some(i)
                        });
                        if !buffer.is_empty() {
                            buffer.clear();
                        }
                        in_run = true;
                    }
                    values.push(v.clone());
                    match owner {
                        Some(i) if claimed[i].len() < specs[i].columns.len() => {
                            claimed[i].push(v);
                        }
                        _ => free.push((nvals, v)),
                    }
                    nvals += 1;
                    end = li + 1;
                }
            }
        }
    }
    // Labels after the last value (written after their values).
    let mut named = 0;
    for (i, p) in patterns.iter().enumerate() {
        if !p.is_empty() && buffer.contains(p.as_str()) {
            named += 1;
            if seen[i].is_none() {
                seen[i] = Some(nvals);
            }
        }
    }
    max_cluster = max_cluster.max(named);
    if cluster_check && stacked {
        return Reread::Columnwise;
    }
    if cluster_check && max_cluster >= 3 {
        // Labels came out together: either a table written by columns (not readable), or labels
        // displaced around a merged cell while the values kept row order, which every anchor
        // then confirms.
        if !row_major(&before, &anchors, nvals) {
            return Reread::Columnwise;
        }
        let mut cells = Vec::with_capacity(nvals);
        let mut values = values.into_iter();
        for (i, spec) in specs.iter().enumerate() {
            for col in 0..spec.columns.len() {
                if let Some(tok) = values.next() {
                    cells.push((i, col, tok));
                }
            }
        }
        return Reread::Placed {
            cells,
            end,
            disordered: true,
        };
    }
    let open: usize = specs
        .iter()
        .zip(&claimed)
        .map(|(s, c)| s.columns.len() - c.len())
        .sum();
    if open != free.len() {
        let order: Vec<usize> = seen.iter().flatten().copied().collect();
        return Reread::Count {
            values: nvals,
            cells: specs.iter().map(|s| s.columns.len()).sum(),
            out_of_order: order.windows(2).any(|w| w[0] > w[1]),
        };
    }
    let mut out = Vec::with_capacity(nvals);
    let mut disordered = false;
    let mut free = free.into_iter();
    for (i, spec) in specs.iter().enumerate() {
        let mut taken = std::mem::take(&mut claimed[i]).into_iter();
        for col in 0..spec.columns.len() {
            let tok = match taken.next() {
                Some(t) => t,
                None => {
                    let Some((at, t)) = free.next() else { break };
                    if seen[i].is_none_or(|s| s > at) {
                        disordered = true;
                    }
                    t
                }
            };
            out.push((i, col, tok));
        }
    }
    Reread::Placed {
        cells: out,
        end,
        disordered,
    }
}

/// How many values come before each row when every row is read in full, in the official order;
/// the last entry is the count of cells of the table.
pub(super) fn values_before(specs: &[RowSpec]) -> Vec<usize> {
    let mut before = Vec::with_capacity(specs.len() + 1);
    let mut total = 0;
    for s in specs {
        before.push(total);
        total += s.columns.len();
    }
    before.push(total);
    before
}

/// Whether the values of a table, read row by row in the official order, put every anchor (a
/// row's label right before a run of values: `(row, index of the run's first value)`) at its
/// own row, with exactly as many values as the table has cells. pdftotext in reading order
/// writes the labels beside a cell merged down several rows (（三）不予公开) together, after
/// the values of their rows; this tells that apart from a table written column by column, where
/// the labels come out in one block and no run of values starts at its own row's label. Three
/// anchors at least: one or two could fall in place by chance.
pub(super) fn row_major(before: &[usize], anchors: &[(usize, usize)], nvals: usize) -> bool {
    anchors.len() >= 3
        && before.last() == Some(&nvals)
        && anchors.windows(2).all(|w| w[0].0 < w[1].0)
        && anchors.iter().all(|&(row, at)| before[row] == at)
}

/// Puts a value read for row `spec`, column `col` into `cells`.
pub(super) fn put(cells: &mut Cells, spec: &RowSpec, col: usize, tok: Tok) {
    let (col, kind) = spec.columns[col];
    if let Tok::Val { value, unit, raw } = tok {
        let value = value.map(|v| match (kind, unit) {
            (CellKind::Amount, Unit::Yuan) => v / 10_000.0,
            _ => v,
        });
        cells.insert(
            (spec.table, spec.label, col),
            Cell {
                table: spec.table.to_string(),
                row: spec.label.to_string(),
                column: col.to_string(),
                value: value.map(Num),
                raw,
            },
        );
    }
}

/// The reader's own finding for a table it could not read exactly.
pub(super) fn unreadable(table: &str, why: String) -> Finding {
    Finding {
        rule: READ_RULE,
        stated: None,
        cell: None,
        severity: Severity::Error,
        location: table.to_string(),
        message: format!("表{table}无法准确读取：{why}；该表的数字未计入，请核对原文件"),
    }
}

/// The reader's own finding for rows of a table it could not read with certainty (their cells
/// are left out of the model; the rest of the table is read exactly).
pub(super) fn unreadable_rows(table: &str, rows: &[&str]) -> Finding {
    Finding {
        rule: READ_RULE,
        stated: None,
        cell: None,
        severity: Severity::Error,
        location: table.to_string(),
        message: format!(
            "表{table}以下{}行无法准确读取：{}；这些行的数字未计入，依赖它们的核对未进行，请核对原文件",
            rows.len(),
            rows.join("、")
        ),
    }
}

/// The reader's note on a table whose glued cells it split by the table's own arithmetic (a
/// warning: the values are read, but the split is the reader's).
pub(super) fn solved_rows(table: &str, rows: &[&str], one_digit_each: bool) -> Finding {
    let how = if one_digit_each {
        "数字个数与单元格个数相同，已按每格一个数字拆分"
    } else if table == TABLE_2 {
        "已按“数字不以 0 开头”拆分（仅有一种拆法）"
    } else {
        "已按“总计等于各列之和”拆分（仅有一种拆法）"
    };
    Finding {
        rule: READ_RULE,
        stated: None,
        cell: None,
        severity: Severity::Warning,
        location: table.to_string(),
        message: format!(
            "表{table}以下{}行的数字在原文中连在一起没有分隔：{}；{how}，请核对原文件",
            rows.len(),
            rows.join("、")
        ),
    }
}
