//! Reading a table's rows from the token stream: each run of values given to the row whose
//! label it follows, in the official row order, and what was read with what certainty.

use super::*;

#[derive(Debug, Clone)]
pub(super) struct RowSpec {
    pub(super) table: &'static str,
    pub(super) label: &'static str,
    pub(super) core: String,
    pub(super) columns: Vec<(&'static str, CellKind)>,
}

pub(super) fn specs_2(format: Format) -> Vec<RowSpec> {
    let mut v = Vec::new();
    for b in layout::blocks(format) {
        for row in b.rows {
            v.push(RowSpec {
                table: TABLE_2,
                label: row,
                core: core(row),
                columns: b.columns.to_vec(),
            });
        }
    }
    v
}

pub(super) fn specs_3(format: Format) -> Vec<RowSpec> {
    layout::table3_rows(format)
        .into_iter()
        .map(|row| RowSpec {
            table: TABLE_3,
            label: row,
            core: core(row),
            columns: APPLICANT_COLUMNS
                .iter()
                .map(|c| (*c, CellKind::Count))
                .collect(),
        })
        .collect()
}

pub(super) fn specs_4() -> Vec<RowSpec> {
    TABLE4_ROWS
        .iter()
        .map(|row| RowSpec {
            table: TABLE_4,
            label: row,
            core: key(row),
            columns: TABLE4_COLUMNS
                .iter()
                .map(|c| (*c, CellKind::Count))
                .collect(),
        })
        .collect()
}

pub(super) type Cells = HashMap<(&'static str, &'static str, &'static str), Cell>;

/// How the rows of one table were read: which rows the reader cannot vouch for, and how many
/// values it met.
#[derive(Debug, Default)]
pub(super) struct RowsRead {
    /// Rows (indexes into the specs) whose values the reader is not sure of: they are left out
    /// and named in a READ finding.
    pub(super) uncertain: Vec<usize>,
    /// Rows that received at least one value (or blank).
    pub(super) seen: Vec<bool>,
    /// Rows whose values came as exactly one run of `columns` values right after their own
    /// label.
    pub(super) anchored: Vec<bool>,
    /// Values placed, in total.
    pub(super) values: usize,
    /// Rows filled from their first column by values of text lines that no label named: placed
    /// by the official order alone.
    pub(super) guessed: Vec<bool>,
}

pub(super) fn is_empty_val(t: &Tok) -> bool {
    matches!(
        t,
        Tok::Val {
            value: None,
            raw: None,
            ..
        }
    )
}

/// The row a label buffer names, searching `window`.
pub(super) fn match_label(
    buffer: &str,
    specs: &[RowSpec],
    window: std::ops::Range<usize>,
) -> Option<usize> {
    window.into_iter().find(|&i| {
        let c = &specs[i].core;
        let direct = if c.chars().count() <= 3 {
            buffer.ends_with(c.as_str())
        } else {
            buffer.contains(c.as_str())
        };
        direct || aliases(specs[i].label).iter().any(|a| alias_in(buffer, a))
    })
}

/// Whether label text names a row by one of its other spellings: a long spelling anywhere in
/// it, a short one at its end.
pub(super) fn alias_in(text: &str, alias: &str) -> bool {
    let a = key(alias);
    if a.chars().count() >= 5 {
        text.contains(&a)
    } else {
        text.ends_with(&a)
    }
}

/// Other spellings of official row labels seen in real reports (matched at the end of the
/// label text, so they never hide a longer official label).
pub(super) fn aliases(label: &str) -> &'static [&'static str] {
    match label {
        // 2021-format reports that kept the 2019 wording.
        "行政规范性文件" => &["规范性文件"],
        // （六）其他处理 written （六）其他 in 2019-format reports.
        "（六）其他处理" => &["（六）其他"],
        // A typo seen in published table 四 headers.
        "行政复议" => &["行政法复议"],
        _ => &[],
    }
}

/// Reads the values of one row of a structured table (a table row of HTML, DOCX or Markdown):
/// they belong to that row only. Returns the values to place, or `None` when which value sits
/// in which column cannot be known (more cells than columns that are not all empty fillers).
pub(super) fn structured_values(group: Vec<Tok>, columns: usize) -> Option<Vec<Tok>> {
    if group.len() <= columns {
        return Some(group);
    }
    // More cells than columns: LibreOffice pads a row with fewer cells than the table's grid
    // with empty merged cells. They can be dropped only when they are exactly the surplus.
    let nonempty: Vec<Tok> = group.iter().filter(|t| !is_empty_val(t)).cloned().collect();
    if nonempty.len() == columns {
        return Some(nonempty);
    }
    // Empty fillers right after the label and at the row's end, as many as the surplus.
    let surplus = group.len() - columns;
    let lead = group.iter().take_while(|t| is_empty_val(t)).count();
    let trail = group.iter().rev().take_while(|t| is_empty_val(t)).count();
    if lead == surplus && trail == 0 {
        return Some(group[lead..].to_vec());
    }
    if trail == surplus && lead == 0 {
        return Some(group[..columns].to_vec());
    }
    None
}

/// Reads the rows of one table from `lines[start..]`; returns the line after the last one used.
pub(super) fn read_rows(
    lines: &[Line],
    start: usize,
    specs: &[RowSpec],
    cells: &mut Cells,
) -> (usize, RowsRead) {
    let mut next = 0usize;
    // Columns already filled in row `next` (a row whose values were interrupted).
    let mut col0 = 0usize;
    let mut buffer = String::new();
    let mut group: Vec<Tok> = Vec::new();
    let mut end = start;
    let mut rr = RowsRead {
        seen: vec![false; specs.len()],
        anchored: vec![false; specs.len()],
        guessed: vec![false; specs.len()],
        ..RowsRead::default()
    };

    let flush = |buffer: &mut String,
                 group: &mut Vec<Tok>,
                 next: &mut usize,
                 col0: &mut usize,
                 cells: &mut Cells,
                 rr: &mut RowsRead| {
        if group.is_empty() {
            return;
        }
        let matched = match_label(buffer, specs, *next..(*next + 4).min(specs.len()));
        let all_blank = group.iter().all(is_empty_val);
        if matched.is_none() && all_blank {
            // Empty header cells of a structured table, not a row.
            group.clear();
            buffer.clear();
            return;
        }
        if let Some(i) = matched
            && (i != *next || *col0 == 0)
        {
            *next = i;
            *col0 = 0;
        }
        if let Some(i) = matched
            && *col0 == 0
            && group.len() == specs[i].columns.len()
        {
            rr.anchored[i] = true;
        }
        // Unmatched values continue a row left short (an extractor put a header label between
        // a row's values), else fill the next row in order.
        let mut vals = group.drain(..).peekable();
        while vals.peek().is_some() && *next < specs.len() {
            let spec = &specs[*next];
            if matched.is_none() && *col0 == 0 {
                rr.guessed[*next] = true;
            }
            for col in *col0..spec.columns.len() {
                let Some(tok) = vals.next() else { break };
                *col0 += 1;
                rr.values += 1;
                rr.seen[*next] = true;
                put(cells, spec, col, tok);
            }
            if *col0 >= spec.columns.len() {
                *next += 1;
                *col0 = 0;
            }
        }
        buffer.clear();
    };

    for (li, line) in lines.iter().enumerate().skip(start) {
        if let Some(toks) = &line.toks {
            // A structured row: its values are its own. Pending values of text lines first.
            if !group.is_empty() {
                flush(
                    &mut buffer,
                    &mut group,
                    &mut next,
                    &mut col0,
                    cells,
                    &mut rr,
                );
            }
            let own: String = toks
                .iter()
                .filter_map(|t| match t {
                    Tok::Text(t) => Some(key(t)),
                    _ => None,
                })
                .collect();
            let vals: Vec<Tok> = toks
                .iter()
                .filter(|t| matches!(t, Tok::Val { .. }))
                .cloned()
                .collect();
            if own.is_empty() {
                // Values with no label of their own: the label came before (a heading, a
                // header row).
                if !vals.is_empty() {
                    group = vals;
                    structured_row(
                        &mut buffer,
                        &mut group,
                        &mut next,
                        &mut col0,
                        specs,
                        cells,
                        &mut rr,
                        false,
                    );
                }
            } else {
                // A labelled row is the row its own label names, and no other: text seen
                // before it (headers, rows left blank) never decides.
                let named = own_row(&own, specs, next);
                let blank = vals.iter().all(is_empty_val);
                match named {
                    Some(i) if !blank || vals.len() >= specs[i].columns.len() => {
                        buffer.clear();
                        col0 = 0;
                        place_row(i, vals, specs, cells, &mut rr);
                        next = i + 1;
                    }
                    // A header row (its empty cells are layout): its text labels what
                    // follows.
                    _ if blank => buffer.push_str(&own),
                    // A row named again after its values were placed (values read earlier
                    // without a label of their own, a table split and partly repeated): two
                    // readings of one row that disagree leave it uncertain.
                    None if let Some(j) = own_row(&own, specs, 0)
                        && j < next
                        && !same_values(j, &vals, specs, cells) =>
                    {
                        buffer.clear();
                        mark(&mut rr, j);
                    }
                    // A row the reader does not know (小计, 合计): its values are no official
                    // row's.
                    _ => buffer.clear(),
                }
            }
            end = li + 1;
            if next >= specs.len() {
                return (li + 1, rr);
            }
            continue;
        }
        for tok in tokenize(&line.text) {
            match tok {
                Tok::Text(t) => {
                    if !group.is_empty() {
                        flush(
                            &mut buffer,
                            &mut group,
                            &mut next,
                            &mut col0,
                            cells,
                            &mut rr,
                        );
                    }
                    buffer.push_str(&key(&t));
                }
                v @ Tok::Val { .. } => group.push(v),
            }
        }
        if next >= specs.len() {
            return (li + 1, rr);
        }
        end = li + 1;
    }
    flush(
        &mut buffer,
        &mut group,
        &mut next,
        &mut col0,
        cells,
        &mut rr,
    );
    (end.max(start), rr)
}

/// The row a structured row's own label names, from `next` on: its core inside the label, or
/// for short labels (规章, 3.其他, （七）总计) the whole label at its end, so a header ending in
/// 其他 or 总计 names no row.
pub(super) fn own_row(own: &str, specs: &[RowSpec], next: usize) -> Option<usize> {
    (next..specs.len()).find(|&i| {
        let c = &specs[i].core;
        let direct = if c.chars().count() <= 3 {
            own.ends_with(&label_pattern(&specs[i]))
        } else {
            own.contains(c.as_str())
        };
        direct
            || aliases(specs[i].label)
                .iter()
                .any(|a| own.ends_with(&key(a)))
    })
}

/// Whether a structured row's values are exactly those already placed in row `i`.
pub(super) fn same_values(i: usize, vals: &[Tok], specs: &[RowSpec], cells: &Cells) -> bool {
    let spec = &specs[i];
    let Some(v) = structured_values(vals.to_vec(), spec.columns.len()) else {
        return false;
    };
    let mut probe: Cells = HashMap::new();
    if v.len() != spec.columns.len() {
        return false;
    }
    for (col, tok) in v.into_iter().enumerate() {
        put(&mut probe, spec, col, tok);
    }
    spec.columns.iter().all(|(col, _)| {
        let k = (spec.table, spec.label, *col);
        probe.get(&k).map(|c| c.value) == cells.get(&k).map(|c| c.value)
    })
}

/// Puts one structured row's values in row `i` when each value's column is certain; else the
/// row is marked uncertain.
pub(super) fn place_row(
    i: usize,
    vals: Vec<Tok>,
    specs: &[RowSpec],
    cells: &mut Cells,
    rr: &mut RowsRead,
) {
    let spec = &specs[i];
    let columns = spec.columns.len();
    rr.seen[i] = true;
    let vals = if vals.iter().all(is_empty_val) && vals.len() > columns {
        // A blank row padded with filler cells: blank either way.
        vals[..columns].to_vec()
    } else {
        vals
    };
    match structured_values(vals, columns) {
        Some(v) if v.len() == columns => {
            rr.anchored[i] = true;
            for (col, tok) in v.into_iter().enumerate() {
                rr.values += 1;
                put(cells, spec, col, tok);
            }
        }
        _ => mark(rr, i),
    }
}

/// Places the values of one structured row (see [`read_rows`]). `own_label`: the row has a
/// label cell of its own (else its label, if any, came before: a Markdown heading, a header
/// row).
#[allow(clippy::too_many_arguments)]
pub(super) fn structured_row(
    buffer: &mut String,
    group: &mut Vec<Tok>,
    next: &mut usize,
    col0: &mut usize,
    specs: &[RowSpec],
    cells: &mut Cells,
    rr: &mut RowsRead,
    own_label: bool,
) {
    let vals = std::mem::take(group);
    if vals.iter().all(is_empty_val) {
        // Empty cells only (a header's filler cells, a row left entirely blank): not a row's
        // values. A blank official row stays unseen and is named, never guessed.
        return;
    }
    let matched = match_label(buffer, specs, *next..(*next + 4).min(specs.len()));
    buffer.clear();
    *col0 = 0;
    if matched.is_none() && own_label {
        // A labelled row the reader does not know (小计, 合计, a header with numbers): its
        // values are no official row's. An official row it hides stays unseen and is named.
        return;
    }
    let Some(i) = matched.or((*next < specs.len()).then_some(*next)) else {
        return;
    };
    if !own_label {
        // Values with no label cell of their own: either one row's values under a heading, or
        // several whole rows written as one line (table 四's fifteen numbers).
        let nonempty = vals.iter().filter(|t| !is_empty_val(t)).count();
        let mut rows = 0;
        let mut sum = 0;
        while i + rows < specs.len() && sum < vals.len() {
            sum += specs[i + rows].columns.len();
            rows += 1;
        }
        let exact = sum == vals.len() || nonempty == sum;
        if rows > 1 && exact {
            let take: Vec<Tok> = if sum == vals.len() {
                vals
            } else {
                vals.into_iter().filter(|t| !is_empty_val(t)).collect()
            };
            let mut it = take.into_iter();
            let mut row = i;
            while row < specs.len() {
                let c = specs[row].columns.len();
                let part: Vec<Tok> = it.by_ref().take(c).collect();
                if part.is_empty() {
                    break;
                }
                rr.seen[row] = true;
                if part.len() < c {
                    mark(rr, row);
                } else {
                    rr.anchored[row] = true;
                    for (col, tok) in part.into_iter().enumerate() {
                        rr.values += 1;
                        put(cells, &specs[row], col, tok);
                    }
                }
                row += 1;
            }
            *next = row;
            return;
        }
    }
    let spec = &specs[i];
    let columns = spec.columns.len();
    rr.seen[i] = true;
    *next = i + 1;
    match structured_values(vals, columns) {
        Some(v) if v.len() == columns => {
            rr.anchored[i] = true;
            for (col, tok) in v.into_iter().enumerate() {
                rr.values += 1;
                put(cells, spec, col, tok);
            }
        }
        // Fewer cells than columns, or more that are not empty fillers: which value sits in
        // which column cannot be known.
        _ => mark(rr, i),
    }
}

pub(super) fn mark(rr: &mut RowsRead, row: usize) {
    if !rr.uncertain.contains(&row) {
        rr.uncertain.push(row);
    }
}
