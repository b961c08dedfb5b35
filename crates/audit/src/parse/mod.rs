//! From a document's lines (whatever the input format) to a [`Report`]: page junk removed,
//! sections found and normalised to the official headings, tables read into cells, title read
//! for organ and year, section bodies kept for the text rules.
//!
//! Tables are read as a token stream: label text accumulates (so labels split across lines,
//! cells, or written vertically one character per line read as one), and each run of values is
//! given to the row whose label it follows, in the official row order. This is what survives
//! every extractor: reading order is kept even when geometry is not.

use gongkai_domain::report::layout::{
    self, APPLICANT_COLUMNS, CellKind, SECTIONS, TABLE_2, TABLE_3, TABLE_4, TABLE4_COLUMNS,
    TABLE4_ROWS,
};
use gongkai_domain::report::text::{compact, norm_char, number_at};
use gongkai_domain::report::{
    Cell, Finding, Format, Num, OrganKind, Report, RuleId, SectionText, Severity,
};
use std::collections::HashMap;

mod reread;
mod rows;
mod unglue;
use reread::*;
use rows::*;
use unglue::*;

/// A value unit written in or after a cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unit {
    None,
    Wan,
    Yuan,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Text(String),
    /// A cell value: `value` is `None` for a blank, a dash, or garbage (then `raw` says what).
    Val {
        value: Option<f64>,
        unit: Unit,
        raw: Option<String>,
    },
}

/// One line of a document: its text, and for table rows read from a structured format (HTML,
/// DOCX) the cells as tokens already.
#[derive(Debug, Clone, Default)]
pub struct Line {
    pub text: String,
    pub toks: Option<Vec<Tok>>,
    /// The line follows a page break (form feed in pdftotext output).
    pub page_start: bool,
}

impl Line {
    pub fn text(s: impl Into<String>) -> Line {
        Line {
            text: s.into(),
            toks: None,
            page_start: false,
        }
    }
}

/// Lines of extracted text: form feeds mark page starts.
pub fn text_lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut page_start = false;
    for raw in text.split('\n') {
        let mut s = raw;
        while let Some(rest) = s.strip_prefix('\u{c}') {
            page_start = true;
            s = rest;
        }
        let mut parts = s.split('\u{c}');
        let first = parts.next().unwrap_or("");
        out.push(Line {
            text: first.trim_end_matches('\r').to_string(),
            toks: None,
            page_start,
        });
        page_start = false;
        for p in parts {
            out.push(Line {
                text: p.trim_end_matches('\r').to_string(),
                toks: None,
                page_start: true,
            });
        }
    }
    out
}

/// Parses a cell's or word's text as a value: digits with optional sign, decimals, thousands
/// separators and a unit; a dash or slash is a blank. `None` when it is not a value at all.
pub fn parse_value(word: &str) -> Option<Tok> {
    let w: String = word
        .chars()
        .map(norm_char)
        .filter(|c| !c.is_whitespace())
        .collect();
    if w.is_empty() {
        return Some(Tok::Val {
            value: None,
            unit: Unit::None,
            raw: None,
        });
    }
    if gongkai_domain::report::rules::is_dash(&w) {
        return Some(Tok::Val {
            value: None,
            unit: Unit::None,
            raw: Some(w),
        });
    }
    let (sign, body) = match w.strip_prefix('-') {
        Some(b) => (-1.0, b),
        None => (1.0, w.strip_prefix('+').unwrap_or(&w)),
    };
    if !body.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (v, used) = number_at(body)?;
    let rest = &body[used..];
    let unit = match rest {
        "" => Unit::None,
        "万元" | "万" => Unit::Wan,
        "元" => Unit::Yuan,
        "件" | "个" | "条" | "项" | "次" | "宗" => Unit::None,
        _ => return None,
    };
    Some(Tok::Val {
        value: Some(sign * v),
        unit,
        raw: None,
    })
}

fn is_cjk(c: char) -> bool {
    ('\u{3400}'..='\u{9fff}').contains(&c) || ('\u{f900}'..='\u{faff}').contains(&c)
}

/// Tokens of a line of extracted text.
pub fn tokenize(line: &str) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::new();
    for word in line.split_whitespace() {
        if let Some(tok) = parse_value(word) {
            out.push(tok);
            continue;
        }
        let w = compact(word);
        // A unit written after the number, as its own word: "3600 万元".
        if let Some(Tok::Val {
            value: Some(_),
            unit,
            ..
        }) = out.last_mut()
            && *unit == Unit::None
            && (w == "万元" || w == "元")
        {
            *unit = if w == "元" { Unit::Yuan } else { Unit::Wan };
            continue;
        }
        // A label with its value glued on: "行政许可8", "行政事业性收费18651.06".
        let digits_from = w
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
            .last()
            .map(|(i, _)| i)
            .filter(|&i| {
                let tail = &w[i..];
                tail.matches('.').count() <= 1 && !tail.starts_with('.') && !tail.ends_with('.')
            });
        if let Some(i) = digits_from
            && i > 0
            && w[..i].chars().last().is_some_and(is_cjk)
            && let Some(v) = parse_value(&w[i..])
        {
            out.push(Tok::Text(w[..i].to_string()));
            out.push(v);
            continue;
        }
        out.push(Tok::Text(w));
    }
    out
}

/// Letters and digits only: what labels are compared on (quotes, brackets, numbering dots and
/// spaces vary between documents).
fn key(s: &str) -> String {
    s.chars()
        .map(norm_char)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The distinctive part of an official row label: numbering removed, punctuation dropped, at
/// most six characters (the tail of long labels is often shortened or wrapped away).
fn core(label: &str) -> String {
    let mut s = label;
    for (open, close) in [("（", "）"), ("(", ")")] {
        if let Some(rest) = s.strip_prefix(open)
            && let Some(i) = rest.find(close)
        {
            s = &rest[i + close.len()..];
        }
    }
    if let Some(i) = s.find('、').filter(|i| *i <= 3) {
        s = &s[i + '、'.len_utf8()..];
    }
    let s = s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '．');
    // Drop a trailing parenthetical note: （区分处理的，……）.
    let s = s.split('（').next().unwrap_or(s);
    key(s).chars().take(6).collect()
}

/// The rule id of the reader's own findings (a table that could not be read exactly).
pub const READ_RULE: RuleId = RuleId::Read;

/// Which official section a heading line is, if it is one.
pub(crate) fn heading_of(c: &str) -> Option<usize> {
    // Headings are short and carry no figures (a table row such as 四、结转下年度继续办理 0 0 …
    // is not one).
    if c.chars().count() > 40 || c.chars().any(|ch| ch.is_ascii_digit()) {
        return None;
    }
    let mut chars = c.chars();
    let n = match chars.next()? {
        '一' => 0,
        '二' => 1,
        '三' => 2,
        '四' => 3,
        '五' => 4,
        '六' => 5,
        _ => return None,
    };
    let sep = chars.next()?;
    if !matches!(sep, '、' | '.' | '，' | ',' | ' ') {
        return None;
    }
    let rest: String = chars.collect();
    let ok = match n {
        0 => rest.contains("总体"),
        1 => rest.contains("主动公开"),
        2 => rest.contains("申请") && (rest.contains("收到") || rest.contains("处理")),
        3 => rest.contains("复议") || rest.contains("诉讼"),
        4 => rest.contains("问题") || rest.contains("改进"),
        _ => rest.contains("其他") || rest.contains("需要报告"),
    };
    ok.then_some(n)
}

fn is_page_number(c: &str) -> bool {
    let dash = |ch: char| matches!(ch, '-' | '—' | '–' | '－' | '·');
    let t = c.trim_matches(dash);
    // Dashes on both sides (—2—): a lone "-4" is a negative value, not a page number.
    let dashed = c.starts_with(dash)
        && c.ends_with(dash)
        && !t.is_empty()
        && t.chars().all(|ch| ch.is_ascii_digit());
    let page = (c.starts_with('第') && c.contains('页'))
        && c.chars()
            .all(|ch| ch.is_ascii_digit() || matches!(ch, '第' | '页' | '共' | '/' | '，'));
    let ofn = c.contains('/')
        && c.split('/').count() == 2
        && c.split('/')
            .all(|p| !p.is_empty() && p.chars().all(|d| d.is_ascii_digit()));
    dashed || page || ofn
}

/// Drops page numbers and running page headers (lines repeating the document's first line
/// right after a page break), which extractors put in the middle of tables.
fn drop_page_junk(lines: Vec<Line>) -> Vec<Line> {
    let first = lines
        .iter()
        .find(|l| !l.text.trim().is_empty())
        .map(|l| compact(&l.text))
        .unwrap_or_default();
    let n = lines.len();
    let nonempty: Vec<usize> = (0..n)
        .filter(|&i| !lines[i].text.trim().is_empty())
        .collect();
    // The page of each line, and the pages that carry a page number in a form that cannot be a
    // value (—2—, 第2页): on those, a bare number at the page's edge is a table's value.
    let page: Vec<usize> = lines
        .iter()
        .scan(0usize, |p, l| {
            *p += usize::from(l.page_start);
            Some(*p)
        })
        .collect();
    let mut numbered = vec![false; page.last().map_or(0, |p| p + 1)];
    for (i, l) in lines.iter().enumerate() {
        if l.toks.is_none() && is_page_number(&compact(&l.text)) {
            numbered[page[i]] = true;
        }
    }
    let mut drop = vec![false; n];
    for (k, &i) in nonempty.iter().enumerate() {
        if lines[i].toks.is_some() {
            continue;
        }
        let c = compact(&lines[i].text);
        // Near a page break: the line starts a page, or the next non-empty line does.
        let at_break = lines[i].page_start
            || nonempty.get(k + 1).is_some_and(|&j| lines[j].page_start)
            || (k > 0 && lines[nonempty[k - 1]].page_start && drop[nonempty[k - 1]])
            || k + 1 == nonempty.len();
        if is_page_number(&c) {
            drop[i] = true;
        } else if at_break
            && !numbered[page[i]]
            && !c.is_empty()
            && c.len() <= 4
            && c.chars().all(|d| d.is_ascii_digit())
        {
            // A bare page number at a page edge.
            drop[i] = true;
        } else if lines[i].page_start && k > 0 && c == first {
            drop[i] = true;
        }
    }
    let mut out = Vec::with_capacity(n);
    let mut carry_break = false;
    for (i, mut l) in lines.into_iter().enumerate() {
        if drop[i] {
            carry_break |= l.page_start;
            continue;
        }
        if carry_break && !l.text.trim().is_empty() {
            l.page_start = true;
            carry_break = false;
        }
        out.push(l);
    }
    out
}

/// Finds the official headings: (line index, section number, lines used).
fn find_headings(lines: &[Line]) -> Vec<(usize, usize, usize)> {
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    let mut seen = [false; 6];
    let mut i = 0;
    while i < lines.len() {
        if lines[i].toks.is_some() {
            i += 1;
            continue;
        }
        let c = compact(&lines[i].text);
        let mut hit = heading_of(&c).map(|n| (n, 1));
        if hit.is_none() && heading_of_prefix(&c) {
            // A heading wrapped onto the next non-empty line.
            if let Some(j) =
                (i + 1..lines.len().min(i + 4)).find(|&j| !lines[j].text.trim().is_empty())
                && lines[j].toks.is_none()
                && !heading_of_prefix(&compact(&lines[j].text))
            {
                let joined = format!("{c}{}", compact(&lines[j].text));
                hit = heading_of(&joined).map(|n| (n, j - i + 1));
            }
        }
        if let Some((n, used)) = hit
            && !seen[n]
        {
            seen[n] = true;
            found.push((i, n, used));
            i += used;
            continue;
        }
        i += 1;
    }
    if let Some(k) = lost_problems_heading(lines, &found) {
        let at = found.iter().position(|h| h.0 > k).unwrap_or(found.len());
        found.insert(at, (k, 4, 0));
    }
    found
}

/// Where section 五 (存在的主要问题及改进情况) starts when an extraction tool lost its heading
/// but kept its text: between section 四 and section 六 (or the end), the first text line that
/// opens its own first or second part — （一）2024 年工作中存在问题的改进情况, （一）存在的主要问题
/// — is taken as its start, so that the section is not reported missing. Nothing is guessed
/// when 四 was not found or 五 was.
fn lost_problems_heading(lines: &[Line], found: &[(usize, usize, usize)]) -> Option<usize> {
    if found.iter().any(|h| h.1 == 4) {
        return None;
    }
    let four = found.iter().find(|h| h.1 == 3)?;
    let end = found
        .iter()
        .find(|h| h.1 == 5 && h.0 > four.0)
        .map(|h| h.0)
        .unwrap_or(lines.len());
    (four.0 + four.2..end).find(|&j| {
        let c = compact(&lines[j].text);
        lines[j].toks.is_none()
            && (c.starts_with("（一）") || c.starts_with("(一)"))
            && c.chars().count() <= 40
            && c.contains("问题")
            && (c.contains("改进")
                || c.contains("整改")
                || c.contains("存在")
                || c.contains("主要"))
    })
}

fn heading_of_prefix(c: &str) -> bool {
    let mut ch = c.chars();
    matches!(ch.next(), Some('一' | '二' | '三' | '四' | '五' | '六'))
        && ch.next() == Some('、')
        && c.chars().count() < 24
}

/// Marker texts where a section's table starts.
fn table_markers(section: usize) -> &'static [&'static str] {
    match section {
        1 => &["第二十条", "信息内容"],
        2 => &["本列数据", "申请人情况", "自然人"],
        3 => &[
            "行政复议行政诉讼",
            "行政诉讼行政复议",
            "行政法复议行政诉讼",
            "结果维持",
            "未经复议直接起诉",
        ],
        _ => &[],
    }
}

/// The first line of `lines` at which one of `markers` starts (markers may be split over
/// lines, one character per line).
fn find_marker(lines: &[Line], markers: &[&str]) -> Option<usize> {
    let mut joined = String::new();
    let mut owner: Vec<usize> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let k = key(&l.text);
        for _ in k.chars() {
            owner.push(i);
        }
        joined.push_str(&k);
    }
    let chars: Vec<(usize, char)> = joined.char_indices().collect();
    let pos = markers.iter().filter_map(|m| joined.find(&key(m))).min()?;
    let idx = chars.iter().position(|(b, _)| *b == pos)?;
    owner.get(idx).copied()
}

/// Section bodies are ordinary text: table rows of structured formats are left out.
fn body_of(lines: &[Line]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for l in lines {
        if l.toks.is_none() {
            let t = l.text.trim();
            if !t.is_empty() {
                out.push(t);
            }
        }
    }
    out.join("\n")
}

/// Organ and year from the title: "灵武市教体局 2020 年政府信息公开工作年度报告" or
/// "2020年灵武市教育体育局政府信息公开工作年度报告".
fn title_parts(title: &str) -> (String, Option<i32>) {
    let t = compact(title);
    let mut year = None;
    let mut organ = String::new();
    let b = t.as_bytes();
    let mut i = 0;
    while i + 4 <= b.len() {
        if b[i..i + 4].iter().all(u8::is_ascii_digit)
            && (i + 4 == b.len() || !b[i + 4].is_ascii_digit())
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && t[i + 4..].starts_with('年')
        {
            let y: i32 = t[i..i + 4].parse().unwrap_or(0);
            if (1990..2200).contains(&y) {
                year = Some(y);
                organ = t[..i].to_string();
                if organ.is_empty() {
                    let rest = t[i + 4..].trim_start_matches('年').trim_start_matches('度');
                    let end = ["政府信息公开", "信息公开", "年度报告"]
                        .iter()
                        .filter_map(|m| rest.find(m))
                        .min()
                        .unwrap_or(rest.len());
                    organ = rest[..end].to_string();
                }
                break;
            }
        }
        i += 1;
    }
    let organ = organ.trim_end_matches("关于").to_string();
    (organ, year)
}

const ORGAN_ENDINGS: &[char] = &[
    '局', '委', '会', '厅', '部', '府', '院', '室', '署', '办', '所', '站', '馆', '心', '处', '队',
];

/// The full name the body uses for an organ the title names briefly: the most frequent name in
/// the text that starts like the title's, ends like it, and contains its characters in order
/// (灵武市教体局 → 灵武市教育体育局).
pub fn resolve_organ(short: &str, body: &str) -> String {
    let s: Vec<char> = short.chars().collect();
    if s.len() < 3 {
        return short.to_string();
    }
    let last = *s.last().unwrap_or(&' ');
    let prefix: String = s[..2].iter().collect();
    let text: Vec<char> = compact(body).chars().collect();
    let mut counts: Vec<(String, usize, usize)> = Vec::new();
    for start in 0..text.len() {
        if text[start..].iter().take(2).copied().collect::<String>() != prefix {
            continue;
        }
        for len in s.len() + 1..=(s.len() * 3).min(24) {
            if start + len > text.len() {
                break;
            }
            let cand = &text[start..start + len];
            if !cand.iter().all(|c| is_cjk(*c)) {
                break;
            }
            if cand[len - 1] != last || !ORGAN_ENDINGS.contains(&last) {
                continue;
            }
            // `short` must be a subsequence of the candidate.
            let mut it = cand.iter();
            if s.iter().all(|c| it.any(|x| x == c)) {
                let name: String = cand.iter().collect();
                match counts.iter_mut().find(|(n, _, _)| *n == name) {
                    Some(e) => e.1 += 1,
                    None => counts.push((name, 1, start)),
                }
                break;
            }
        }
    }
    // The short name used in the body as often as the longer one is the organ's own name: a
    // crawler's page (沭阳县发改局 / 政府信息公开 / 名称 沭阳县发展和改革局…, glued once the
    // whitespace is gone) is not a longer name of 沭阳县发展和改革局.
    let own = compact(body).matches(short).count();
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
        .filter(|(_, n, _)| *n >= own)
        .map(|(n, _, _)| n)
        .unwrap_or_else(|| short.to_string())
}

/// The year in which a stated statistical period ends (统计期限…至2020年12月31日止).
fn period_end_year(text: &str) -> Option<i32> {
    let c = compact(text);
    let at = c.find("统计期限").or_else(|| c.find("统计时限"))?;
    let sentence = c[at..].split('。').next()?;
    let to = sentence.rfind('至')?;
    let (y, _) = number_at(&sentence[to + '至'.len_utf8()..])?;
    (1990.0..2200.0).contains(&y).then_some(y as i32)
}

/// The organ signing the report: the name on the line before the closing date.
fn signature_organ(lines: &[Line]) -> Option<String> {
    let tail: Vec<String> = lines
        .iter()
        .rev()
        .map(|l| compact(&l.text))
        .filter(|c| !c.is_empty())
        .take(3)
        .collect();
    tail.into_iter().find(|c| {
        let n = c.chars().count();
        (3..=30).contains(&n)
            && c.chars().all(is_cjk)
            && c.chars().last().is_some_and(|x| ORGAN_ENDINGS.contains(&x))
    })
}

/// A date alone on a line at the end (the signature date): the report's date where it states
/// one.
fn signature_date(lines: &[Line]) -> Option<chrono::NaiveDate> {
    let last = lines
        .iter()
        .rev()
        .filter(|l| !l.text.trim().is_empty())
        .take(3);
    for l in last {
        let c = compact(&l.text);
        let (y, a) = number_at(&c)?;
        let r = c[a..].strip_prefix('年')?;
        let (m, b) = number_at(r)?;
        let r = r[b..].strip_prefix('月')?;
        let (d, e) = number_at(r)?;
        if r[e..] == *"日" {
            return chrono::NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32);
        }
    }
    None
}

/// Detects the format from the labels the tables use; falls back on the year.
fn detect_format(section_text: &str, year: Option<i32>) -> Format {
    let k = key(section_text);
    let f21 = [
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年处理决定数量",
        "本年收费金额",
        "逾期不补正",
        "逾期未按收费通知",
    ];
    let f19 = [
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "采购项目数量",
        "采购总金额",
    ];
    let a = f21.iter().filter(|m| k.contains(&key(m))).count();
    let b = f19.iter().filter(|m| k.contains(&key(m))).count();
    match a.cmp(&b) {
        std::cmp::Ordering::Greater => Format::F2021,
        std::cmp::Ordering::Less => Format::F2019,
        std::cmp::Ordering::Equal => Format::for_year(year.unwrap_or(2021)),
    }
}

/// Reads a document's lines into a report (cells, sections, texts; no findings yet).
pub fn parse(lines: Vec<Line>, source: Option<String>) -> Report {
    let lines = drop_page_junk(lines);
    let heads = find_headings(&lines);
    let first_head = heads.first().map(|h| h.0).unwrap_or(lines.len());

    // Title: the first line naming the report (年度报告), with the line before it when that
    // is the organ's name alone (a title set on two lines); else the first lines up to one
    // that ends with 报告.
    let mut title = String::new();
    let mut title_end = 0;
    let named = lines[..first_head].iter().position(|l| {
        let c = compact(&l.text);
        if l.toks.is_some() {
            return false;
        }
        c.contains("报告") && c.chars().count() <= 80
    });
    if let Some(k) = named {
        let c = crate::collected::title_value(&compact(&lines[k].text)).to_string();
        // The non-empty lines before it, nearest first.
        let before: Vec<String> = lines[..k]
            .iter()
            .rev()
            .filter(|l| !l.text.trim().is_empty() && l.toks.is_none())
            .take(2)
            .map(|l| compact(&l.text))
            .collect();
        let organ_line = |b: &String| {
            (3..=30).contains(&b.chars().count())
                && b.chars().all(is_cjk)
                && b.chars().last().is_some_and(|x| ORGAN_ENDINGS.contains(&x))
        };
        let whole = |t: &str| {
            let (o, y) = title_parts(t);
            !o.is_empty() && y.is_some()
        };
        title = match before.first() {
            // An organ's name alone above a title that starts with the year.
            Some(b) if organ_line(b) && !c.chars().take(2).all(is_cjk) => format!("{b}{c}"),
            _ if whole(&c) => c.clone(),
            // A title wrapped over two or three lines (灵武市教体局 2020 年政府信息公开 / 工作年度报告).
            Some(b) if whole(&format!("{b}{c}")) => format!("{b}{c}"),
            Some(b) if before.len() > 1 && whole(&format!("{}{b}{c}", before[1])) => {
                format!("{}{b}{c}", before[1])
            }
            _ => c.clone(),
        };
        title_end = k + 1;
    } else {
        for (i, l) in lines[..first_head].iter().enumerate() {
            let c = compact(&l.text);
            if c.is_empty() {
                continue;
            }
            title.push_str(&c);
            title_end = i + 1;
            if c.contains("报告") || title.chars().count() > 60 {
                break;
            }
        }
    }
    let all_text: String = lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let (short, mut year) = title_parts(&title);
    if year.is_none() {
        // No title (some converters drop it): the end of the statistical period, else the first
        // year the text names.
        year = period_end_year(&all_text)
            .or_else(|| title_parts(&all_text.chars().take(400).collect::<String>()).1);
    }
    let organ = if short.is_empty() {
        signature_organ(&lines).unwrap_or_default()
    } else {
        resolve_organ(&short, &all_text)
    };
    let preamble = body_of(&lines[title_end.min(first_head)..first_head]);

    let table_text: String = heads
        .iter()
        .enumerate()
        .filter(|(_, h)| h.1 == 1 || h.1 == 2)
        .map(|(k, h)| {
            let end = heads.get(k + 1).map(|x| x.0).unwrap_or(lines.len());
            lines[h.0..end]
                .iter()
                .map(|l| l.text.as_str())
                .collect::<String>()
        })
        .collect();
    let format = detect_format(&table_text, year);

    let mut cells: Cells = HashMap::new();
    let mut tables_present: Vec<&str> = Vec::new();
    let mut texts = Vec::new();
    let mut sections = Vec::new();
    let mut reader_findings = Vec::new();
    // Cells of tables present that the reader could not read with certainty.
    let mut left_out: Vec<(&str, &str, &str)> = Vec::new();
    // Tables whose glued cells were split by their arithmetic (kept only if the table is read).
    let mut solved_findings: Vec<Finding> = Vec::new();
    for (k, &(start, n, used)) in heads.iter().enumerate() {
        let end = heads.get(k + 1).map(|x| x.0).unwrap_or(lines.len());
        let body_lines = &lines[(start + used).min(end)..end];
        sections.push(SECTIONS[n].to_string());
        let specs = match n {
            1 => specs_2(format),
            2 => specs_3(format),
            3 => specs_4(),
            _ => Vec::new(),
        };
        let mut body = body_of(body_lines);
        if !specs.is_empty()
            && let Some(t0) = find_marker(body_lines, table_markers(n))
        {
            let table = specs[0].table;
            let mut own: Cells = HashMap::new();
            // Table 三 collected with its cells glued together: split by its arithmetic.
            let mut one_digit_each = false;
            let unglued = match table {
                TABLE_3 => unglue(body_lines, t0, &specs),
                TABLE_4 => unglue_table4(body_lines, t0).map(|(l, solved, forced)| {
                    one_digit_each = forced;
                    (l, solved)
                }),
                TABLE_2 => unglue_table2(body_lines, t0, &specs),
                _ => None,
            };
            let body_lines: &[Line] = match &unglued {
                Some((l, solved)) => {
                    if !solved.is_empty() {
                        let rows: Vec<&str> = solved.iter().map(|&i| specs[i].label).collect();
                        solved_findings.push(solved_rows(table, &rows, one_digit_each));
                    }
                    l
                }
                None => body_lines,
            };
            let (mut t1, rr) = read_rows(body_lines, t0, &specs, &mut own);
            let mut readable = true;
            // Rows the reader does not vouch for: left out, and named.
            let mut doubt: Vec<usize> = rr.uncertain.clone();
            doubt.extend((0..specs.len()).filter(|&i| !rr.seen[i]));
            // Text lines mixed with structured rows (Markdown made from a PDF): values of the
            // text lines that no label named are not placed by order alone; the structured rows
            // are not re-read below.
            if body_lines[t0..].iter().any(|l| l.toks.is_some()) {
                doubt.extend((0..specs.len()).filter(|&i| rr.guessed[i]));
            }
            // Extracted text (not a structured table): check that reading order was kept.
            if body_lines[t0..].iter().all(|l| l.toks.is_none()) {
                match reread_rows(body_lines, t0, &specs, table != TABLE_4) {
                    Reread::Placed {
                        cells: placed,
                        end,
                        disordered: true,
                    } => {
                        own.clear();
                        doubt.clear();
                        for (i, col, tok) in placed {
                            put(&mut own, &specs[i], col, tok);
                        }
                        t1 = t1.max(end);
                    }
                    Reread::Placed { .. } => {}
                    Reread::Count {
                        values,
                        cells: want,
                        out_of_order: true,
                    } => {
                        readable = false;
                        reader_findings.push(unreadable(
                            table,
                            format!(
                                "文本未按表格行的顺序排列，且读到{values}个数字而表格有{want}个单元格，无法确定每个数字所在的单元格"
                            ),
                        ));
                    }
                    Reread::Count { .. } => {
                        // Values missing or left over (a blank cell the extractor dropped, a
                        // number wrapped in two): only rows whose values came right after their
                        // own label, as many as their columns, are sure.
                        doubt.extend((0..specs.len()).filter(|&i| !rr.anchored[i]));
                    }
                    Reread::Columnwise => {
                        readable = false;
                        reader_findings.push(unreadable(
                            table,
                            "提取的文本把行标题与数字分开输出（按列或按块），无法确定每个数字所在的行".to_string(),
                        ));
                    }
                }
            }
            doubt.sort_unstable();
            doubt.dedup();
            if readable && doubt.len() == specs.len() {
                readable = false;
                reader_findings.push(unreadable(
                    table,
                    "未能确定任何一行的数字所在的单元格".to_string(),
                ));
            }
            if readable {
                for &i in &doubt {
                    for (col, _) in &specs[i].columns {
                        own.remove(&(table, specs[i].label, *col));
                        left_out.push((table, specs[i].label, *col));
                    }
                }
                if !doubt.is_empty() {
                    let rows: Vec<&str> = doubt.iter().map(|&i| specs[i].label).collect();
                    reader_findings.push(unreadable_rows(table, &rows));
                }
                cells.extend(own);
                tables_present.push(table);
                reader_findings.append(&mut solved_findings);
            }
            solved_findings.clear();
            body = [
                body_of(&body_lines[..t0]),
                body_of(&body_lines[t1.min(body_lines.len())..]),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        }
        texts.push(SectionText {
            heading: SECTIONS[n].to_string(),
            body,
        });
    }

    // Every cell of every table present, in the official order; cells not read are blank.
    let cells = layout::cell_keys(format)
        .into_iter()
        .filter(|(k, _)| tables_present.contains(&k.table))
        .filter(|(k, _)| !left_out.contains(&(k.table, k.row, k.column)))
        .map(|(k, _)| {
            cells.remove(&(k.table, k.row, k.column)).unwrap_or(Cell {
                table: k.table.to_string(),
                row: k.row.to_string(),
                column: k.column.to_string(),
                value: None,
                raw: None,
            })
        })
        .collect();

    // A table the document holds (its own row labels are there) under no official heading the
    // reader found: said plainly, not passed over in silence.
    let compact_all = key(&all_text);
    for (table, marks) in [
        (
            layout::TABLE_2,
            &["第二十条第（一）项", "第二十条第（五）项"][..],
        ),
        (
            layout::TABLE_3,
            &["本年新收政府信息公开申请数量", "结转下年度继续办理"][..],
        ),
        (layout::TABLE_4, &["未经复议直接起诉", "复议后起诉"][..]),
    ] {
        let found = marks.iter().all(|m| compact_all.contains(&key(m)));
        let known =
            tables_present.contains(&table) || reader_findings.iter().any(|f| f.location == table);
        if found && !known {
            reader_findings.push(unreadable(
                table,
                "文件中有该表的行标题，但未找到该表所在章节的标准标题（章节编号或标题与格式不符），无法确定表格的范围".to_string(),
            ));
        }
    }

    let organ_kind = if organ.ends_with("政府") {
        OrganKind::Government
    } else {
        OrganKind::Department
    };
    Report {
        source,
        organ,
        year: year.unwrap_or(0),
        format,
        sections,
        cells,
        findings: reader_findings,
        texts,
        preamble,
        published: signature_date(&lines),
        organ_kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_in_every_spelling() {
        let v = |s: &str| match parse_value(s) {
            Some(Tok::Val { value, unit, .. }) => Some((value, unit)),
            _ => None,
        };
        assert_eq!(v("3600万元"), Some((Some(3600.0), Unit::Wan)));
        assert_eq!(v("１２"), Some((Some(12.0), Unit::None)));
        assert_eq!(v("－3"), Some((Some(-3.0), Unit::None)));
        assert_eq!(v("—"), Some((None, Unit::None)));
        assert_eq!(v("1.属于国家秘密"), None);
        assert_eq!(v("1."), None);
    }

    #[test]
    fn tokens_split_glued_values_and_units() {
        let t = tokenize("政府集中采购 24 3600 万元");
        assert_eq!(t.len(), 3);
        assert!(matches!(
            t[2],
            Tok::Val {
                unit: Unit::Wan,
                ..
            }
        ));
        let t = tokenize("行政许可8 0 195");
        assert_eq!(t.len(), 4);
        // A decimal value glued to its label, as crawlers collect a page (平潭综合实验区 2024).
        let t = tokenize("行政事业性收费18651.06");
        assert_eq!(t.len(), 2);
        assert!(matches!(&t[1], Tok::Val { value: Some(_), .. }));
        // Numbering, not a value.
        assert_eq!(tokenize("收费1.").len(), 1);
    }

    #[test]
    fn cores_of_labels() {
        assert_eq!(
            core("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
            "部分公开"
        );
        assert_eq!(core("3.危及“三安全一稳定”"), "危及三安全一");
        assert_eq!(core("四、结转下年度继续办理"), "结转下年度继");
        assert_eq!(core("（七）总计"), "总计");
    }

    #[test]
    fn short_names_resolve_to_the_full_name_in_the_text() {
        let body = "2020 年，灵武市教育体育局以……请与灵武市教育体育局办公室联系";
        assert_eq!(resolve_organ("灵武市教体局", body), "灵武市教育体育局");
        assert_eq!(resolve_organ("某某县人民政府", "无关"), "某某县人民政府");
        // A name used in full throughout is not stretched over neighbouring lines.
        let page = "沭阳县发改局\n政府信息公开\n名称 沭阳县发展和改革局2023年政府信息公开年度报告\n\
                    请与沭阳县发展和改革局联系。\n沭阳县发展和改革局";
        assert_eq!(
            resolve_organ("沭阳县发展和改革局", page),
            "沭阳县发展和改革局"
        );
    }

    #[test]
    fn headings_in_variants() {
        assert_eq!(heading_of("五、存在主要问题和改进情况"), Some(4));
        assert_eq!(
            heading_of("五、政府信息公开工作存在的主要问题及改进情况"),
            Some(4)
        );
        assert_eq!(heading_of("三、本年度办理结果"), None);
        assert_eq!(heading_of("一、本年新收政府信息公开申请数量"), None);
        assert_eq!(heading_of("四、结转下年度继续办理"), None);
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn a_bare_number_at_a_page_edge_is_a_page_number_only_on_an_unnumbered_page() {
        // The page says —2— elsewhere: the 9 before the break is a table's last value.
        let kept = drop_page_junk(text_lines("总计\n6\n—2—\n总计\n9\n\u{c}申请人情况\n1\n—3—"));
        assert_eq!(
            texts(&kept),
            ["总计", "6", "总计", "9", "申请人情况", "1"],
            "{kept:?}"
        );
        // No other page number on the page: the bare 2 at its foot is one.
        let dropped = drop_page_junk(text_lines("总计\n6\n2\n\u{c}申请人情况\n1\n合计"));
        assert_eq!(texts(&dropped), ["总计", "6", "申请人情况", "1", "合计"]);
    }

    /// Table 三 of the 2021 format as pdftotext writes it in reading order: every cell a block
    /// of its own, rows in order, and `displaced` rows' labels written after the values of
    /// the rows that follow them (as beside a cell merged down several rows).
    fn table3_text(displaced: &[usize]) -> (Vec<RowSpec>, Vec<Line>) {
        let specs = specs_3(Format::F2021);
        let mut text = vec!["申请人情况".to_string(), "自然人 商业企业 总计".to_string()];
        let mut held = Vec::new();
        for (r, spec) in specs.iter().enumerate() {
            if displaced.contains(&r) {
                held.push(spec.label.to_string());
            } else {
                text.push(String::new());
                text.push(spec.label.to_string());
                text.append(&mut held);
            }
            for c in 0..spec.columns.len() {
                text.push(String::new());
                text.push(((r * 7 + c) % 10).to_string());
            }
        }
        text.append(&mut held);
        let lines = text.iter().map(Line::text).collect();
        (specs, lines)
    }

    #[test]
    fn labels_displaced_around_a_merged_cell_still_read_row_by_row() {
        let (specs, lines) = table3_text(&[6, 7, 8, 12, 13, 15, 16, 17]);
        let Reread::Placed { cells, .. } = reread_rows(&lines, 0, &specs, true) else {
            panic!("not read");
        };
        assert_eq!(cells.len(), specs.len() * 7);
        for (r, c, tok) in cells {
            let Tok::Val { value, .. } = tok else {
                panic!("not a value")
            };
            assert_eq!(value, Some(((r * 7 + c) % 10) as f64), "row {r} column {c}");
        }
    }

    #[test]
    fn a_table_written_by_columns_is_not_read() {
        // Every label in one block, then the values column by column, each its own block: no
        // run of values starts at its own row's label.
        let specs = specs_3(Format::F2021);
        let mut text: Vec<String> = specs.iter().map(|s| s.label.to_string()).collect();
        for c in 0..7 {
            for r in 0..specs.len() {
                text.push(String::new());
                text.push(((r * 7 + c) % 10).to_string());
            }
        }
        let lines: Vec<Line> = text.iter().map(Line::text).collect();
        assert!(matches!(
            reread_rows(&lines, 0, &specs, true),
            Reread::Columnwise
        ));
    }
}
