//! The rules that read the report's sentences (R9, R10, R11, R14, R16): what a section's text
//! says of a figure is compared with the cell the tables print. A blank or unread cell is never
//! 0 here: a rule needing it does not fire.

use super::*;
use crate::report::text::{number_at, sentences};

/// All text of a report the text rules read: preamble and section bodies, each compacted, with
/// the heading it sits under.
fn texts(r: &Report) -> Vec<(String, String)> {
    let mut v = vec![("文档".to_string(), compact(&r.preamble))];
    for t in &r.texts {
        v.push((t.heading.clone(), compact(&t.body)));
    }
    v
}

/// The first count after `from` in `s` that is followed by a count word (件/个/宗/份/人次):
/// returns it with the text between.
fn count_after(s: &str) -> Option<(f64, &str)> {
    let mut i = 0;
    while i < s.len() {
        if let Some((val, len)) = number_at(&s[i..]) {
            let rest = &s[i + len..];
            let rest = rest.trim_start_matches(['余', '多']);
            if rest.starts_with(['件', '个', '宗', '份', '起', '条']) {
                return Some((val, &s[..i]));
            }
            i += len.max(1);
        } else {
            i += s[i..].chars().next().map(char::len_utf8).unwrap_or(1);
        }
    }
    None
}

fn short(s: &str) -> String {
    let mut t: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        t.push('…');
    }
    t
}

/// Clauses of a sentence split at ，、：, (the unit a statement about one figure lives in).
fn clauses(s: &str) -> impl Iterator<Item = &str> {
    s.split(['，', ',', '、', '：', ':'])
        .filter(|x| !x.is_empty())
}

const NEGATIONS: &[&str] = &[
    "未收到",
    "没有收到",
    "未接到",
    "未受理",
    "无",
    "没有",
    "未发生",
];

pub(super) fn r9(r: &Report, out: &mut Vec<Finding>) {
    if !r.has_table(TABLE_3) {
        return;
    }
    // A blank or unread 总计 says nothing: sentences about it are not checked.
    let table = |row: &str| v(r, TABLE_3, row, TOTAL);
    // Findings on 予以公开及部分公开, kept apart while `push` holds `out`.
    let mut both = Vec::new();
    for (heading, text) in texts(r) {
        for sentence in sentences(&text) {
            if sentence.contains("复议") || sentence.contains("诉讼") {
                continue;
            }
            let mut push = |row: &str, stated: f64, what: &str| {
                let Some(found) = table(row) else { return };
                if (found - stated).abs() > EPS {
                    out.push(Finding {
                        stated: Some(stated),
                        cell: Some(CellRef::new(TABLE_3, row, TOTAL)),
                        ..finding(
                            RuleId::R9,
                            Severity::Error,
                            heading.clone(),
                            format!(
                                "正文称{what}{}件（“{}”），表三“{row}”总计为{}",
                                n(stated),
                                short(sentence),
                                n(found)
                            ),
                        )
                    });
                }
            };
            // "None received": a negation right before a receiving verb, about applications.
            let none = ["未收到", "没有收到", "未接到", "未受理"]
                .iter()
                .find_map(|neg| sentence.find(neg).map(|i| &sentence[i..]));
            if let Some(rest) = none {
                let clause = rest.split(['，', ',']).next().unwrap_or(rest);
                if clause.contains("申请") {
                    if let Some(found) = table(ROW_NEW)
                        && found.abs() > EPS
                    {
                        out.push(Finding {
                            stated: Some(0.0),
                            cell: Some(CellRef::new(TABLE_3, ROW_NEW, TOTAL)),
                            ..finding(
                                RuleId::R9,
                                Severity::Error,
                                heading.clone(),
                                format!(
                                    "正文称未收到申请（“{}”），表三“{ROW_NEW}”总计为{}",
                                    short(sentence),
                                    n(found)
                                ),
                            )
                        });
                    }
                    continue;
                }
            }
            for clause in clauses(sentence) {
                if NEGATIONS.iter().any(|x| clause.contains(x)) && !clause.contains("申请") {
                    continue;
                }
                let Some((stated, before)) = count_after(clause) else {
                    continue;
                };
                if let Some(pre) = [
                    "予以公开及部分公开",
                    "予以公开和部分公开",
                    "予以公开与部分公开",
                ]
                .iter()
                .find_map(|k| before.strip_suffix(k))
                {
                    // "予以公开及部分公开258件": the two result rows together.
                    if pre.ends_with('不') {
                        continue;
                    }
                    let (Some(a), Some(b)) = (table(ROW_DISCLOSED), table(ROW_PARTLY_DISCLOSED))
                    else {
                        continue;
                    };
                    if (a + b - stated).abs() > EPS {
                        both.push(Finding {
                            stated: Some(stated),
                            ..finding(
                            RuleId::R9,
                            Severity::Error,
                            heading.clone(),
                            format!(
                                "正文称予以公开及部分公开{}件（“{}”），表三“{ROW_DISCLOSED}”与“（二）部分公开”总计之和为{}＋{}＝{}",
                                n(stated),
                                short(sentence),
                                n(a),
                                n(b),
                                n(a + b)
                            ),
                        )
                        });
                    }
                } else if before.contains("上年结转") || before.contains("上一年度结转") {
                    push(ROW_CARRIED_IN, stated, "上年结转申请");
                } else if before.contains("结转下") || before.contains("结转至下") {
                    push(ROW_CARRIED_OUT, stated, "结转下年度申请");
                } else if before.contains("办结") && clause_mentions_applications(sentence) {
                    push(ROW_RESULTS_TOTAL, stated, "办结申请");
                } else if before.contains("申请")
                    && ["收到", "新收", "受理", "接收", "收悉"]
                        .iter()
                        .any(|k| before.contains(k))
                {
                    push(ROW_NEW, stated, "收到申请");
                }
            }
        }
    }
    out.extend(both);
}

fn clause_mentions_applications(sentence: &str) -> bool {
    sentence.contains("申请")
}

pub(super) fn r10(r: &Report, out: &mut Vec<Finding>) {
    let six = compact(r.text_of(SECTIONS[5]).unwrap_or(""));
    let fee_row = ROW_FEE_NOT_PAID;
    if r.format == Format::F2021
        && let Some(x) = v(r, TABLE_3, fee_row, TOTAL)
        && x > EPS
        && !(six.contains("收费") || six.contains("缴费") || six.contains("处理费"))
    {
        out.push(finding(
            RuleId::R10,
            Severity::Warning,
            SECTIONS[5].to_string(),
            format!(
                "表三“{fee_row}”为{}，但六未报告发出收费通知、收取信息处理费的情况",
                n(x)
            ),
        ));
    }
    // Fees said to be collected while no application exists at all.
    // Only when the table says so: blank totals do not mean "no application".
    let (Some(new), Some(carried)) = (
        v(r, TABLE_3, ROW_NEW, TOTAL),
        v(r, TABLE_3, ROW_CARRIED_IN, TOTAL),
    ) else {
        return;
    };
    if new + carried > EPS {
        return;
    }
    for s in sentences(&six) {
        if !(s.contains("收取") && (s.contains("费"))) {
            continue;
        }
        if [
            "未收取",
            "不收取",
            "没有收取",
            "无收取",
            "未产生",
            "免收",
            "均未",
        ]
        .iter()
        .any(|x| s.contains(x))
        {
            continue;
        }
        let amount = s
            .find("收取")
            .and_then(|i| {
                let rest = &s[i..];
                crate::report::text::numbers(rest).first().map(|x| x.0)
            })
            .unwrap_or(1.0);
        if amount > EPS {
            out.push(finding(
                RuleId::R10,
                Severity::Warning,
                SECTIONS[5].to_string(),
                format!(
                    "六称收取了信息处理费（“{}”），但表三中没有任何申请",
                    short(s)
                ),
            ));
        }
    }
}

/// "均获维持" (all upheld) or "均已审结" (all concluded) said of reviews or suits while table 四
/// shows, for the kind the sentence names, cases corrected, otherwise ended or still pending. A
/// warning: the text may speak of the concluded cases only.
fn r11_all(r: &Report, out: &mut Vec<Finding>) {
    const ALL_UPHELD: &[&str] = &[
        "均获维持",
        "均被维持",
        "均予维持",
        "均予以维持",
        "全部维持",
        "全部获得维持",
        "均维持",
    ];
    const ALL_CONCLUDED: &[&str] = &["均已审结", "全部审结", "均审结完毕", "均已结案"];
    for (heading, text) in texts(r) {
        for sentence in sentences(&text) {
            let upheld = ALL_UPHELD.iter().find(|k| sentence.contains(**k));
            let concluded = ALL_CONCLUDED.iter().find(|k| sentence.contains(**k));
            let Some(said) = upheld.or(concluded) else {
                continue;
            };
            let mut rows = Vec::new();
            if sentence.replace("复议后起诉", "").contains("复议") {
                rows.push(REVIEW);
            }
            if sentence.contains("诉讼") {
                rows.extend([SUIT_DIRECT, SUIT_AFTER_REVIEW]);
            }
            let cols: &[&str] = if upheld.is_some() {
                &[CORRECTED, OTHER_OUTCOME, PENDING]
            } else {
                &[PENDING]
            };
            let mut against = Vec::new();
            for row in &rows {
                for col in cols {
                    if let Some(x) = v(r, TABLE_4, row, col)
                        && x > EPS
                    {
                        against.push(format!("{row}{col}{}件", n(x)));
                    }
                }
            }
            if !against.is_empty() {
                out.push(finding(
                    RuleId::R11,
                    Severity::Warning,
                    heading.clone(),
                    format!(
                        "正文称{said}（“{}”），但表四中{}",
                        short(sentence),
                        against.join("、")
                    ),
                ));
            }
        }
    }
}

pub(super) fn r11(r: &Report, out: &mut Vec<Finding>) {
    if !r.has_table(TABLE_4) {
        return;
    }
    r11_all(r, out);
    // Blank totals say nothing: what the text says of them is not checked.
    let review = v(r, TABLE_4, REVIEW, TOTAL);
    let suits = v(r, TABLE_4, SUIT_DIRECT, TOTAL)
        .zip(v(r, TABLE_4, SUIT_AFTER_REVIEW, TOTAL))
        .map(|(a, b)| a + b);
    for (heading, text) in texts(r) {
        for sentence in sentences(&text) {
            let has_review = sentence.contains("行政复议");
            let has_suit = sentence.contains("行政诉讼");
            if !has_review && !has_suit {
                continue;
            }
            // "未发生…行政复议、行政诉讼" / "无…行政复议": the whole sentence says none.
            let negated = [
                "未发生",
                "未收到",
                "没有发生",
                "未出现",
                "没有",
                "未涉及",
                "无",
            ]
            .iter()
            .any(|neg| {
                // "未发生…被行政复议纠错或行政诉讼败诉": none lost, not none at all.
                if ["纠错", "纠正", "败诉", "撤销", "确认违法"]
                    .iter()
                    .any(|q| sentence.contains(q))
                {
                    return false;
                }
                sentence.find(neg).is_some_and(|i| {
                    let rest = &sentence[i..];
                    // "无" must head the statement, not sit inside a word like 无法.
                    (*neg != "无" || !rest.starts_with("无法"))
                        && (rest.contains("行政复议") || rest.contains("行政诉讼"))
                        && count_after(rest).is_none()
                })
            });
            let mut check = |what: &str, stated: f64, found: Option<f64>, at: &str| {
                let Some(found) = found else { return };
                if (stated - found).abs() > EPS {
                    out.push(finding(
                        RuleId::R11,
                        Severity::Error,
                        heading.clone(),
                        format!(
                            "正文称{what}{}件（“{}”），表四{at}总计为{}",
                            n(stated),
                            short(sentence),
                            n(found)
                        ),
                    ));
                }
            };
            if negated {
                if has_review {
                    check("行政复议", 0.0, review, REVIEW);
                }
                if has_suit {
                    check("行政诉讼", 0.0, suits, LITIGATION_HEADER);
                }
                continue;
            }
            for clause in clauses(sentence) {
                let Some((stated, before)) = count_after(clause) else {
                    continue;
                };
                if before.contains("尚未审结") || before.contains("其中") {
                    continue;
                }
                if before.contains("行政复议") && !before.contains("复议后") {
                    check("行政复议", stated, review, REVIEW);
                } else if before.contains("行政诉讼") {
                    check("行政诉讼", stated, suits, LITIGATION_HEADER);
                }
            }
        }
    }
}

/// A date written 2020年1月1日 at the start of `s`.
fn date_at(s: &str) -> Option<(NaiveDate, usize)> {
    let (y, a) = number_at(s)?;
    let s2 = s[a..].strip_prefix('年')?;
    let (m, b) = number_at(s2)?;
    let s3 = s2[b..].strip_prefix('月')?;
    let (d, c) = number_at(s3)?;
    let s4 = s3[c..].strip_prefix('日')?;
    let used = s.len() - s4.len();
    NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32).map(|x| (x, used))
}

pub(super) fn r14(r: &Report, out: &mut Vec<Finding>) {
    for (heading, text) in texts(r) {
        for sentence in sentences(&text) {
            if !(sentence.contains("统计期限")
                || sentence.contains("统计时限")
                || sentence.contains("统计期间"))
            {
                continue;
            }
            let mut dates = Vec::new();
            let mut i = 0;
            while i < sentence.len() {
                if sentence.as_bytes()[i].is_ascii_digit()
                    && let Some((d, used)) = date_at(&sentence[i..])
                {
                    dates.push(d);
                    i += used;
                    continue;
                }
                i += 1;
                while i < sentence.len() && !sentence.is_char_boundary(i) {
                    i += 1;
                }
            }
            if dates.len() < 2 {
                continue;
            }
            let (from, to) = (dates[0], dates[1]);
            let want_from = NaiveDate::from_ymd_opt(r.year, 1, 1);
            let want_to = NaiveDate::from_ymd_opt(r.year, 12, 31);
            if Some(from) != want_from || Some(to) != want_to {
                out.push(finding(
                    RuleId::R14,
                    Severity::Warning,
                    heading.clone(),
                    format!(
                        "统计期限应为{0}年1月1日至{0}年12月31日，报告为{1}至{2}",
                        r.year,
                        from.format("%Y年%-m月%-d日"),
                        to.format("%Y年%-m月%-d日")
                    ),
                ));
            }
        }
    }
}

const UNITS: &[char] = &['条', '件', '个', '项', '篇', '次', '场', '期'];

/// A count with its unit at the end of a clause: "公示公告28条" → (28, '条', label length).
fn trailing_count(clause: &str) -> Option<(f64, char, bool)> {
    let unit = clause.chars().last().filter(|c| UNITS.contains(c))?;
    let body = &clause[..clause.len() - unit.len_utf8()];
    let approx = body.ends_with(['余', '多']);
    let body = body.trim_end_matches(['余', '多']);
    let start = body
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
        .last()
        .map(|(i, _)| i)?;
    let (val, _) = number_at(&body[start..])?;
    let approx = approx || body[..start].ends_with(['约', '近', '超']);
    Some((val, unit, approx))
}

/// Where to start quoting a sentence for context: about ten characters before byte `at`, on a
/// character boundary (found by fuzzing: byte arithmetic alone splits a character).
fn context_start(sentence: &str, at: usize) -> usize {
    (0..=at.saturating_sub(30))
        .rev()
        .find(|&i| sentence.is_char_boundary(i))
        .unwrap_or(0)
}

/// A count with its unit at the start of a clause, followed by 为/是/系: "28条为公示公告" → (28, '条').
fn leading_count(clause: &str) -> Option<(f64, char)> {
    let (val, len) = number_at(clause)?;
    if !clause.as_bytes().first()?.is_ascii_digit() {
        return None;
    }
    let mut rest = clause[len..].chars();
    let unit = rest.next().filter(|c| UNITS.contains(c))?;
    matches!(rest.next(), Some('为' | '是' | '系')).then_some((val, unit))
}

/// Words that open a breakdown after a total: "135条，其中：…", "10件，包括…", "10件，分别为…".
const BREAKDOWN: &[&str] = &["其中包括", "其中", "包括", "分别为", "分别是"];

/// The parts of a breakdown after its opening word, up to the first clause that is not a part
/// with the total's unit: (parts, exhaustive).
fn parts_after(rest: &str, unit: char) -> (Vec<f64>, bool) {
    let mut parts = Vec::new();
    // A part's own breakdown in brackets belongs to that part, not to the list: "主动公开55条
    // （涵盖规范性文件类6条、…30条）、依申请公开341条" (平潭综合实验区经济发展局 2019) has the parts
    // 55 and 341, not 6, ….
    let rest = without_brackets(rest);
    let rest = rest.as_str();
    let mut exhaustive = !rest.contains('等');
    for clause in rest.split(['，', ',', '、', '；']) {
        // "文件4条等": the list stops here and is not exhaustive.
        let clause = match clause.strip_suffix('等') {
            Some(c) => {
                exhaustive = false;
                c
            }
            None => clause,
        };
        let nested = BREAKDOWN.iter().any(|w| clause.contains(w));
        match trailing_count(clause).or_else(|| leading_count(clause).map(|(x, u)| (x, u, false))) {
            Some((x, u, approx)) if u == unit && !approx && !nested => parts.push(x),
            Some(_) => {
                exhaustive = false;
                break;
            }
            None => break,
        }
    }
    (parts, exhaustive)
}

/// `s` with every balanced bracketed span （…） or (…) taken out, nested ones included; an
/// unclosed bracket and what follows it are kept.
pub(super) fn without_brackets(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut held = String::new();
    let mut depth = 0usize;
    for ch in s.chars() {
        match ch {
            '（' | '(' => {
                depth += 1;
                held.push(ch);
            }
            '）' | ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    held.clear();
                } else {
                    held.push(ch);
                }
            }
            _ if depth > 0 => held.push(ch),
            _ => out.push(ch),
        }
    }
    out.push_str(&held);
    out
}

pub(super) fn r16(r: &Report, out: &mut Vec<Finding>) {
    let mut push = |heading: &str, parts: &[f64], whole: f64, unit: char, quote: &str| {
        let list: Vec<String> = parts.iter().map(|x| n(*x)).collect();
        let sum: f64 = parts.iter().sum();
        out.push(finding(
            RuleId::R16,
            Severity::Warning,
            heading.to_string(),
            format!(
                "分项之和 {}＝{}{unit}，与总数{}{unit}不符（“{}”）",
                list.join("＋"),
                n(sum),
                n(whole),
                short(quote)
            ),
        ));
    };
    for (heading, text) in texts(r) {
        for sentence in sentences(&text) {
            // The total first: "公开信息135条，其中：公示公告28条，…" (也 包括 / 分别为).
            let mut from = 0;
            while let Some((p, word)) = BREAKDOWN
                .iter()
                .filter_map(|w| sentence[from..].find(w).map(|p| (p, *w)))
                .min_by_key(|(p, w)| (*p, usize::MAX - w.len()))
            {
                let at = from + p;
                from = at + word.len();
                // The whole: the count ending the clause right before the opening word.
                let before = sentence[..at].trim_end_matches(['，', ',', '：', ':']);
                let whole_clause = before
                    .rsplit(['，', ',', '：', ':', '、'])
                    .next()
                    .unwrap_or("");
                let Some((whole, unit, approx)) = trailing_count(whole_clause) else {
                    continue;
                };
                if approx {
                    continue;
                }
                let rest = sentence[from..].trim_start_matches(['：', ':', '，', ',']);
                let (parts, exhaustive) = parts_after(rest, unit);
                if parts.len() < 2 {
                    continue;
                }
                let sum: f64 = parts.iter().sum();
                if sum > whole + EPS || (exhaustive && (sum - whole).abs() > EPS) {
                    push(
                        &heading,
                        &parts,
                        whole,
                        unit,
                        &sentence[context_start(sentence, at)..],
                    );
                }
            }
            // The parts first: "公开规章3件、规范性文件4件，共计7件".
            let clauses: Vec<&str> = sentence.split(['，', ',']).collect();
            for (i, c) in clauses.iter().enumerate().skip(1) {
                let Some(body) = ["共计", "合计", "总计", "共"]
                    .iter()
                    .find_map(|w| c.strip_prefix(w))
                else {
                    continue;
                };
                let Some((whole, unit)) = number_at(body).and_then(|(x, len)| {
                    let mut rest = body[len..].chars();
                    let u = rest.next().filter(|u| UNITS.contains(u))?;
                    rest.next().is_none().then_some((x, u))
                }) else {
                    continue;
                };
                let pieces: Vec<&str> = clauses[i - 1].split('、').collect();
                if pieces.len() < 2 || BREAKDOWN.iter().any(|w| clauses[i - 1].contains(w)) {
                    continue;
                }
                let parts: Option<Vec<f64>> = pieces
                    .iter()
                    .map(|p| match trailing_count(p) {
                        Some((x, u, false)) if u == unit => Some(x),
                        _ => None,
                    })
                    .collect();
                let Some(parts) = parts else { continue };
                let sum: f64 = parts.iter().sum();
                if (sum - whole).abs() > EPS {
                    push(
                        &heading,
                        &parts,
                        whole,
                        unit,
                        &format!("{}，{c}", clauses[i - 1]),
                    );
                }
            }
        }
    }
}
