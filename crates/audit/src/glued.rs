//! Table cells glued together with no separator, as crawlers collect a page's table
//! (一、本年新收政府信息公开申请数量640020470 is 64|0|0|2|0|4|70): a row's digits are split
//! back into its cells by the table's own arithmetic — in table 三 a row's 总计 is the sum of its
//! six applicant columns — and only when exactly one split fits. Otherwise the row stays as it
//! is, the reader finds too few values for it, and it is declared unreadable.

/// Splits the digit runs `runs` (in order; a cut always falls between two runs) into exactly
/// `parts` numbers whose last equals the sum of the others. Numbers are written without
/// leading zeros (a lone 0 is a number). Returns the split when it is the only one; `None` when
/// none or several fit, or when there are too many ways to try.
pub fn unique_split(runs: &[&str], parts: usize) -> Option<Vec<u64>> {
    unique_split_grouped(runs, parts, parts)
}

/// Like [`unique_split`], for a row of several groups of `group` cells each, the last cell of
/// every group being the sum of the others in it: table 四's one row of 15 cells is three groups
/// of five (结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计), as a crawler glues it into
/// `21317000001324019`.
pub fn unique_split_grouped(runs: &[&str], parts: usize, group: usize) -> Option<Vec<u64>> {
    let mut found = splits(runs, parts, group, 1)?;
    (found.len() == 1).then(|| found.pop()).flatten()
}

/// Every split of `runs` into `parts` numbers whose last is the sum of the others, when there
/// are at most `max` of them (a row whose split its own sum cannot settle, left to the
/// column sums of table 三); `None` when there are more, or too many ways to try.
pub fn all_splits(runs: &[&str], parts: usize, max: usize) -> Option<Vec<Vec<u64>>> {
    splits(runs, parts, parts, max)
}

fn splits(runs: &[&str], parts: usize, group: usize, max: usize) -> Option<Vec<Vec<u64>>> {
    if group < 2 || !parts.is_multiple_of(group) || max == 0 {
        return None;
    }
    let digits: String = runs.concat();
    let n = digits.len();
    if parts < 2 || n < parts || n > 40 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Forced cuts: the boundaries between runs.
    let mut forced = vec![false; n + 1];
    let mut at = 0;
    for r in &runs[..runs.len().saturating_sub(1)] {
        at += r.len();
        forced[at] = true;
    }
    if forced.iter().filter(|f| **f).count() > parts - 1 {
        return None;
    }
    let bytes = digits.as_bytes();
    let mut found: Vec<Vec<u64>> = Vec::new();
    let mut budget = 500_000usize;
    let mut cur: Vec<u64> = Vec::with_capacity(parts);
    let shape = Shape {
        parts,
        group,
        forced: &forced,
        max,
    };
    search(bytes, 0, &shape, &mut cur, &mut found, &mut budget);
    if budget == 0 || found.len() > max {
        return None;
    }
    Some(found)
}

/// What a split must look like: how many numbers, in groups of how many (the last of each the
/// sum of the others), and where the document itself separated digits.
struct Shape<'a> {
    parts: usize,
    group: usize,
    forced: &'a [bool],
    /// How many splits are wanted at most (one more is looked for, to know there are more).
    max: usize,
}

/// Whether the numbers `cur` end with a complete group whose last is not the sum of the others.
fn group_broken(cur: &[u64], group: usize) -> bool {
    if cur.is_empty() || !cur.len().is_multiple_of(group) {
        return false;
    }
    let g = &cur[cur.len() - group..];
    let (last, rest) = g.split_last().expect("group >= 2");
    rest.iter().sum::<u64>() != *last
}

fn search(
    d: &[u8],
    from: usize,
    shape: &Shape,
    cur: &mut Vec<u64>,
    found: &mut Vec<Vec<u64>>,
    budget: &mut usize,
) {
    if *budget == 0 || found.len() > shape.max {
        return;
    }
    *budget -= 1;
    let (parts, forced) = (shape.parts, shape.forced);
    if group_broken(cur, shape.group) {
        return;
    }
    let left = parts - cur.len();
    if left == 1 {
        // The last number is the rest; it must not swallow a forced cut.
        if (from + 1..d.len()).any(|i| forced[i]) {
            return;
        }
        let Some(last) = number(&d[from..]) else {
            return;
        };
        let mut v = cur.clone();
        v.push(last);
        if !group_broken(&v, shape.group) {
            found.push(v);
        }
        return;
    }
    // This number ends at `end` (exclusive); at least one digit is left for each later number.
    let max_end = d.len() - (left - 1);
    for end in from + 1..=max_end {
        if end - from > 1 && d[from] == b'0' {
            break;
        }
        let Some(v) = number(&d[from..end]) else {
            break;
        };
        cur.push(v);
        search(d, end, shape, cur, found, budget);
        cur.pop();
        // A forced cut cannot be jumped over.
        if forced[end] {
            break;
        }
    }
}

/// Splits one run of digits into exactly `parts` numbers written without leading zeros, when
/// there is only one way (`000` is 0|0|0, `007` is 0|0|7; `6233440` has many): for table 二,
/// whose cells have no sum to check.
pub fn unique_plain_split(run: &str, parts: usize) -> Option<Vec<u64>> {
    let d = run.as_bytes();
    if parts < 2 || d.len() < parts || d.len() > 40 || !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // A blank cell (crawlers drop it) leaves fewer numbers: `100` may be 10|blank|0. Only runs
    // that cannot be read as fewer numbers at all are split.
    for fewer in 1..parts {
        let mut found: Vec<Vec<u64>> = Vec::new();
        let mut cur: Vec<u64> = Vec::with_capacity(fewer);
        plain(d, 0, fewer, &mut cur, &mut found);
        if !found.is_empty() {
            return None;
        }
    }
    let mut found: Vec<Vec<u64>> = Vec::new();
    let mut cur: Vec<u64> = Vec::with_capacity(parts);
    plain(d, 0, parts, &mut cur, &mut found);
    (found.len() == 1).then(|| found.pop()).flatten()
}

fn plain(d: &[u8], from: usize, parts: usize, cur: &mut Vec<u64>, found: &mut Vec<Vec<u64>>) {
    if found.len() > 1 {
        return;
    }
    if parts == 0 {
        return;
    }
    if cur.len() + 1 == parts {
        if let Some(v) = number(&d[from..]) {
            let mut all = cur.clone();
            all.push(v);
            found.push(all);
        }
        return;
    }
    let left = parts - cur.len();
    for end in from + 1..=d.len() - (left - 1) {
        let Some(v) = number(&d[from..end]) else {
            break;
        };
        cur.push(v);
        plain(d, end, parts, cur, found);
        cur.pop();
    }
}

fn number(d: &[u8]) -> Option<u64> {
    if d.is_empty() || d.len() > 12 || (d.len() > 1 && d[0] == b'0') {
        return None;
    }
    std::str::from_utf8(d).ok()?.parse().ok()
}

/// Joins the digit runs `runs` (a number wrapped inside a narrow cell comes out as two runs,
/// `12` above `34`) into exactly `parts` numbers whose last equals the sum of the others.
/// Returns the numbers when exactly one way of joining fits; at most three joins are tried.
pub fn unique_merge(runs: &[&str], parts: usize) -> Option<Vec<u64>> {
    let n = runs.len();
    if parts < 2 || n <= parts || n > parts + 3 {
        return None;
    }
    if !runs
        .iter()
        .all(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let mut found: Vec<Vec<u64>> = Vec::new();
    // Choose which of the n-1 borders between runs are cuts: exactly parts-1 of them.
    let mut cuts: Vec<usize> = Vec::with_capacity(parts - 1);
    choose(runs, parts, 1, &mut cuts, &mut found);
    (found.len() == 1).then(|| found.pop()).flatten()
}

fn choose(
    runs: &[&str],
    parts: usize,
    from: usize,
    cuts: &mut Vec<usize>,
    found: &mut Vec<Vec<u64>>,
) {
    if found.len() > 1 {
        return;
    }
    if cuts.len() == parts - 1 {
        let mut bounds = vec![0];
        bounds.extend(cuts.iter().copied());
        bounds.push(runs.len());
        let nums: Option<Vec<u64>> = bounds
            .windows(2)
            .map(|w| number(runs[w[0]..w[1]].concat().as_bytes()))
            .collect();
        if let Some(v) = nums {
            let (last, rest) = v.split_last().expect("parts >= 2");
            if rest.iter().sum::<u64>() == *last {
                found.push(v);
            }
        }
        return;
    }
    for c in from..runs.len() {
        cuts.push(c);
        choose(runs, parts, c + 1, cuts, found);
        cuts.pop();
    }
}

/// A piece of a word of extracted text: label text, or a number as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    Text(String),
    /// A run of digits (with a decimal part or thousands separators if written so).
    Num(String),
}

fn is_cjk(c: char) -> bool {
    ('\u{3400}'..='\u{9fff}').contains(&c) || ('\u{f900}'..='\u{faff}').contains(&c)
}

/// Splits a word at every border between digits and Chinese text: `数量640020470二、上年` is
/// text, number, text. Digits numbering a label (`1.属于`, `3、`) stay with the label, and
/// digits followed by a date or unit character (`2023年`, `12月`) stay text.
pub fn segments(word: &str) -> Vec<Seg> {
    let chars: Vec<char> = word
        .chars()
        .map(gongkai_domain::report::text::norm_char)
        .collect();
    let mut out: Vec<Seg> = Vec::new();
    let mut i = 0;
    let push_text = |out: &mut Vec<Seg>, s: &str| match out.last_mut() {
        Some(Seg::Text(t)) => t.push_str(s),
        _ => out.push(Seg::Text(s.to_string())),
    };
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_ascii_digit()
                    || ((chars[j] == '.' || chars[j] == ',')
                        && chars.get(j + 1).is_some_and(|c| c.is_ascii_digit())))
            {
                j += 1;
            }
            let run: String = chars[i..j].iter().collect();
            let after = chars.get(j).copied();
            let numbering = matches!(after, Some('.' | '、' | '）' | ')'))
                && chars.get(j + 1).is_none_or(|c| is_cjk(*c) || *c == '“');
            let dated = matches!(
                after,
                Some('年' | '月' | '日' | '号' | '%' | '时' | '季' | '期' | '届' | '次')
            );
            let glued_to_text = i > 0 && chars[i - 1].is_ascii_alphabetic();
            if numbering || dated || glued_to_text {
                push_text(&mut out, &run);
            } else {
                out.push(Seg::Num(run));
            }
            i = j;
        } else {
            let mut j = i;
            while j < chars.len() && !chars[j].is_ascii_digit() {
                j += 1;
            }
            let t: String = chars[i..j].iter().collect();
            push_text(&mut out, &t);
            i = j;
        }
    }
    out
}

#[cfg(test)]
mod seg_tests {
    use super::*;

    #[test]
    fn words_split_at_digit_borders() {
        assert_eq!(
            segments("一、本年新收政府信息公开申请数量640020470二、上年结转"),
            vec![
                Seg::Text("一、本年新收政府信息公开申请数量".into()),
                Seg::Num("640020470".into()),
                Seg::Text("二、上年结转".into()),
            ]
        );
        assert_eq!(
            segments("1.属于国家秘密0"),
            vec![Seg::Text("1.属于国家秘密".into()), Seg::Num("0".into())]
        );
        assert_eq!(segments("2023年"), vec![Seg::Text("2023年".into())]);
        assert_eq!(segments("4068.208"), vec![Seg::Num("4068.208".into())]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_example_has_one_split() {
        assert_eq!(
            unique_split(&["640020470"], 7),
            Some(vec![64, 0, 0, 2, 0, 4, 70])
        );
    }

    #[test]
    fn table_four_glued_into_one_run_has_one_split() {
        // 平潭综合实验区 2024 (tests/corpus/real/pingtan-2024.txt).
        assert_eq!(
            unique_split_grouped(&["21317000001324019"], 15, 5),
            Some(vec![2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19])
        );
        assert_eq!(
            unique_split_grouped(&["25380363300630003"], 15, 5),
            Some(vec![25, 3, 8, 0, 36, 3, 3, 0, 0, 6, 3, 0, 0, 0, 3])
        );
        // 1|1|0|0|2 … and 11|… : several splits add up, or none: not split.
        assert_eq!(unique_split_grouped(&["1102110211022"], 15, 5), None);
        assert_eq!(unique_split_grouped(&["111111111111111"], 15, 5), None);
        assert_eq!(unique_split_grouped(&["123"], 14, 5), None);
    }

    #[test]
    fn table_two_rows_split_only_when_one_way() {
        assert_eq!(unique_plain_split("000", 3), Some(vec![0, 0, 0]));
        assert_eq!(unique_plain_split("007", 3), Some(vec![0, 0, 7]));
        assert_eq!(unique_plain_split("6233440", 3), None);
        // 1|0|0, but also 10|0 with a blank cell dropped: not split.
        assert_eq!(unique_plain_split("100", 3), None);
        assert_eq!(unique_plain_split("12", 3), None);
    }

    #[test]
    fn all_zeros_split_one_way() {
        assert_eq!(unique_split(&["0000000"], 7), Some(vec![0; 7]));
    }

    #[test]
    fn runs_already_separated_are_kept_apart() {
        assert_eq!(
            unique_split(&["64", "0020470"], 7),
            Some(vec![64, 0, 0, 2, 0, 4, 70])
        );
        // 6|4 cannot be one number when the document separated them.
        assert_eq!(unique_split(&["6", "40020470"], 7), None);
    }

    #[test]
    fn a_number_wrapped_in_its_cell_is_joined_back() {
        // 总计 1234 wrapped as 12 / 34.
        assert_eq!(
            unique_merge(&["1000", "200", "0", "0", "34", "0", "12", "34"], 7),
            Some(vec![1000, 200, 0, 0, 34, 0, 1234])
        );
        // Two joins both add up (1|1|0|… and 11|…): not joined.
        assert_eq!(
            unique_merge(&["1", "1", "0", "0", "0", "0", "0", "1", "1"], 7),
            None
        );
    }

    #[test]
    fn ambiguous_or_inconsistent_rows_are_not_split() {
        assert_eq!(
            unique_split(&["123000015"], 7),
            Some(vec![12, 3, 0, 0, 0, 0, 15])
        );
        // 1|2|2|17|0|3|25 and 12|2|1|7|0|3|25 both add up: not split.
        assert_eq!(unique_split(&["122170325"], 7), None);
        // No split adds up (the organ's own arithmetic is wrong, or digits are missing).
        assert_eq!(unique_split(&["11000011"], 7), None);
        assert_eq!(unique_split(&["1", "2"], 7), None);
    }
}
