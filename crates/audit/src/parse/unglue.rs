//! Tables of extracted text whose cells are glued together or whose numbers wrapped inside
//! their cells: each row's numbers set right where exactly one split or join adds up.

use super::*;

/// A glued row of table 三 its own sum leaves open: its index, the (line, segment) places of its
/// digits, and the splits that add up.
pub(super) type OpenRow = (usize, Vec<(usize, usize)>, Vec<Vec<u64>>);

/// Table 三 of extracted text whose cells are glued together or whose numbers wrapped inside
/// their cells (see [`crate::glued`]): rewrites the lines from `from` on with each such row's
/// numbers set right, where exactly one split or join adds up, and words mixing labels and
/// numbers set apart. Returns the new lines and the rows set right, or `None` when nothing
/// changed.
pub(super) fn unglue(
    lines: &[Line],
    from: usize,
    specs: &[RowSpec],
) -> Option<(Vec<Line>, Vec<usize>)> {
    use crate::glued::{Seg, all_splits, segments, unique_merge, unique_split};
    // Every line as segments (None: a line not to touch: prose, structured rows).
    let mut segs: Vec<Option<Vec<Option<Seg>>>> = Vec::with_capacity(lines.len());
    let mut mixed = vec![false; lines.len()];
    for (li, line) in lines.iter().enumerate() {
        if li < from || line.toks.is_some() || line.text.contains('。') {
            segs.push(None);
            continue;
        }
        let words: Vec<Vec<Seg>> = line.text.split_whitespace().map(segments).collect();
        mixed[li] = words.iter().any(|w| {
            w.len() > 1
                && w.iter().any(|s| matches!(s, Seg::Num(_)))
                && w.iter().any(|s| matches!(s, Seg::Text(_)))
        });
        segs.push(Some(words.into_iter().flatten().map(Some).collect()));
    }
    let mut changed: Vec<bool> = mixed.clone();
    let mut solved = Vec::new();
    // Each row's values as the text gives them or as split; rows whose own sum allows several
    // splits, with their places and the splits (settled below by the column sums).
    let mut known: Vec<Option<Vec<u64>>> = vec![None; specs.len()];
    let mut open: Vec<OpenRow> = Vec::new();
    let mut next = 0usize;
    let mut buffer = String::new();
    // The run being collected: (line, segment) of each number, in order.
    let mut run: Vec<(usize, usize)> = Vec::new();
    let mut finish = |run: &mut Vec<(usize, usize)>,
                      buffer: &mut String,
                      next: &mut usize,
                      segs: &mut Vec<Option<Vec<Option<Seg>>>>| {
        if run.is_empty() {
            return;
        }
        let row = match_label(buffer, specs, *next..specs.len());
        buffer.clear();
        let taken = std::mem::take(run);
        let Some(i) = row else { return };
        *next = i + 1;
        let c = specs[i].columns.len();
        let texts: Vec<String> = taken
            .iter()
            .map(
                |&(l, k)| match segs[l].as_ref().and_then(|v| v[k].as_ref()) {
                    Some(Seg::Num(n)) => n.clone(),
                    _ => String::new(),
                },
            )
            .collect();
        let runs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let digits = runs.iter().all(|r| r.bytes().all(|b| b.is_ascii_digit()));
        let first_line = taken[0].0;
        let wrapped = taken.iter().any(|&(l, _)| l != first_line);
        if digits && runs.len() == c {
            known[i] = runs.iter().map(|r| r.parse().ok()).collect();
        }
        let fixed = if !digits {
            None
        } else if runs.len() < c {
            let f = unique_split(&runs, c);
            if f.is_none()
                && let Some(cands) = all_splits(&runs, c, 8)
                && cands.len() > 1
            {
                open.push((i, taken.clone(), cands));
            }
            f
        } else if runs.len() > c && wrapped {
            // Only numbers continued on a following line are joined: a wrap inside a cell.
            unique_merge(&runs, c)
        } else {
            None
        };
        let Some(v) = fixed else { return };
        known[i] = Some(v.clone());
        solved.push(i);
        let joined = v
            .iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(" ");
        for (n, &(l, k)) in taken.iter().enumerate() {
            if let Some(line) = segs[l].as_mut() {
                line[k] = (n == 0).then(|| Seg::Num(joined.clone()));
            }
        }
    };
    for li in 0..lines.len() {
        let Some(n) = segs[li].as_ref().map(Vec::len) else {
            // A barrier (prose, a structured row): the run ends.
            finish(&mut run, &mut buffer, &mut next, &mut segs);
            continue;
        };
        for k in 0..n {
            let seg = segs[li].as_ref().and_then(|v| v[k].clone());
            match seg {
                Some(Seg::Text(t)) => {
                    finish(&mut run, &mut buffer, &mut next, &mut segs);
                    buffer.push_str(&key(&t));
                }
                Some(Seg::Num(_)) => run.push((li, k)),
                None => {}
            }
        }
    }
    finish(&mut run, &mut buffer, &mut next, &mut segs);
    // Rows their own sum cannot settle (27|0|0|2|0|1|30 or 2|7|0|0|20|1|30): table 三's result
    // rows add up, column by column, to （七）总计; when exactly one choice of splits does, it
    // is taken. The 总计 row and every other result row must be known for that.
    let n = specs.len();
    if !open.is_empty() && n >= 4 {
        let results = 2..n - 2;
        let total = known[n - 2].clone();
        let settled = results
            .clone()
            .all(|r| known[r].is_some() || open.iter().any(|o| o.0 == r));
        let combos: usize = open.iter().map(|o| o.2.len()).product();
        if let Some(total) = total.filter(|_| settled && combos <= 4096) {
            let mut fits: Vec<Vec<usize>> = Vec::new();
            let mut pick = vec![0usize; open.len()];
            'combos: loop {
                let sums_fit = (0..total.len()).all(|col| {
                    let mut sum = 0u64;
                    for r in results.clone() {
                        sum += match open.iter().position(|o| o.0 == r) {
                            Some(k) => open[k].2[pick[k]][col],
                            None => known[r].as_ref().map_or(0, |v| v[col]),
                        };
                    }
                    sum == total[col]
                });
                if sums_fit {
                    fits.push(pick.clone());
                }
                // Next combination.
                for k in 0..pick.len() {
                    pick[k] += 1;
                    if pick[k] < open[k].2.len() {
                        continue 'combos;
                    }
                    pick[k] = 0;
                }
                break;
            }
            if let [only] = fits.as_slice() {
                for (k, (row, taken, cands)) in open.iter().enumerate() {
                    let joined = cands[only[k]]
                        .iter()
                        .map(|x| x.to_string())
                        .collect::<Vec<_>>()
                        .join(" ");
                    for (m, &(l, s)) in taken.iter().enumerate() {
                        if let Some(line) = segs[l].as_mut() {
                            line[s] = (m == 0).then(|| Seg::Num(joined.clone()));
                        }
                    }
                    solved.push(*row);
                }
                solved.sort_unstable();
            }
        }
    }
    let mut out: Vec<Line> = lines.to_vec();
    let mut any = false;
    for (li, line) in out.iter_mut().enumerate() {
        let Some(v) = &segs[li] else { continue };
        let rebuilt: Vec<String> = v
            .iter()
            .flatten()
            .map(|s| match s {
                Seg::Text(t) | Seg::Num(t) => t.clone(),
            })
            .collect();
        let text = rebuilt.join(" ");
        if changed[li] || text.split_whitespace().ne(line.text.split_whitespace()) {
            changed[li] = true;
            line.text = text;
            any = true;
        }
    }
    any.then_some((out, solved))
}

/// Rows of table 二 collected with their cells glued to the label and to each other
/// (`规章000`): table 二 has no sum to check, so a row is split only when its digits can be
/// read one way alone, even allowing for a blank cell the crawler dropped (`000` is 0|0|0;
/// `6233440` or `100` are left as they are, and the row is declared unreadable).
pub(super) fn unglue_table2(
    lines: &[Line],
    from: usize,
    specs: &[RowSpec],
) -> Option<(Vec<Line>, Vec<usize>)> {
    use crate::glued::{Seg, segments, unique_plain_split};
    let mut out: Vec<Line> = lines.to_vec();
    let mut solved = Vec::new();
    for (li, line) in lines.iter().enumerate().skip(from) {
        if line.toks.is_some() || line.text.contains('。') {
            continue;
        }
        let segs: Vec<Seg> = line.text.split_whitespace().flat_map(segments).collect();
        let [Seg::Text(label), Seg::Num(run)] = segs.as_slice() else {
            continue;
        };
        let Some(i) = match_label(&key(label), specs, 0..specs.len()) else {
            continue;
        };
        let cols = specs[i].columns.len();
        if cols < 2 {
            continue;
        }
        let Some(v) = unique_plain_split(run, cols) else {
            continue;
        };
        let values: Vec<String> = v.iter().map(u64::to_string).collect();
        out[li].text = format!("{label} {}", values.join(" "));
        solved.push(i);
    }
    (!solved.is_empty()).then_some((out, solved))
}

/// Table 四 collected with its one row of 15 cells glued together (`…尚未审结总计21317000001324019`):
/// split by its arithmetic — three groups of five, each 总计 the sum of the four before it —
/// when exactly one split fits. Returns the lines with the 15 numbers written apart, and the
/// rows solved (all three); `None` when there is nothing glued or no single split.
/// Table 四 collected with its 15 cells glued together: split by its arithmetic, or one digit a
/// cell when there are exactly 15 digits (the split is then forced whatever the sums say:
/// 平潭综合实验区行政审批局 2024 prints `100000000000000`, 结果维持 1 and 总计 0, and the rules
/// report it). The flag says the split was forced.
pub(super) fn unglue_table4(lines: &[Line], from: usize) -> Option<(Vec<Line>, Vec<usize>, bool)> {
    use crate::glued::{Seg, segments, unique_split_grouped};
    let parts = TABLE4_ROWS.len() * TABLE4_COLUMNS.len();
    // (line, word, segment) of every number of the table's lines, in order.
    let mut nums: Vec<(usize, usize, usize)> = Vec::new();
    let mut words: Vec<Vec<Vec<Seg>>> = vec![Vec::new(); lines.len()];
    for (li, line) in lines.iter().enumerate().skip(from) {
        if line.toks.is_some() {
            return None;
        }
        if line.text.contains('。') {
            // Prose after the table (or a note): the table's numbers came before it.
            if nums.is_empty() {
                continue;
            }
            break;
        }
        words[li] = line.text.split_whitespace().map(segments).collect();
        for (wi, w) in words[li].iter().enumerate() {
            for (si, seg) in w.iter().enumerate() {
                if let Seg::Num(_) = seg {
                    nums.push((li, wi, si));
                }
            }
        }
    }
    if nums.is_empty() || nums.len() >= parts {
        return None;
    }
    let runs: Vec<String> = nums
        .iter()
        .map(|&(l, w, s)| match &words[l][w][s] {
            Seg::Num(n) => n.clone(),
            Seg::Text(t) => t.clone(),
        })
        .collect();
    if !runs.iter().all(|r| r.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let refs: Vec<&str> = runs.iter().map(String::as_str).collect();
    let forced = runs.iter().map(String::len).sum::<usize>() == parts;
    let v = if forced {
        runs.iter()
            .flat_map(|r| r.bytes().map(|b| u64::from(b - b'0')))
            .collect()
    } else {
        unique_split_grouped(&refs, parts, TABLE4_COLUMNS.len())?
    };
    let joined = v.iter().map(u64::to_string).collect::<Vec<_>>().join(" ");
    let mut out: Vec<Line> = lines.to_vec();
    for (n, &(l, w, s)) in nums.iter().enumerate() {
        words[l][w][s] = Seg::Text(if n == 0 {
            format!(" {joined} ")
        } else {
            " ".to_string()
        });
    }
    let touched: std::collections::BTreeSet<usize> = nums.iter().map(|n| n.0).collect();
    for l in touched {
        out[l].text = words[l]
            .iter()
            .map(|w| {
                w.iter()
                    .map(|s| match s {
                        Seg::Text(t) | Seg::Num(t) => t.as_str(),
                    })
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join(" ");
    }
    Some((out, (0..TABLE4_ROWS.len()).collect(), forced))
}
