//! Reads a year file: a small subset of TOML (so ordinary TOML tools read it too) with three keys,
//!
//! ```toml
//! year = 2020
//! source = "国务院办公厅关于2020年部分节假日安排的通知（国办发明电〔2019〕16号）"
//! holidays = ["2020-01-01", "2020-01-24..2020-02-02"]   # ranges are inclusive
//! workdays = ["2020-01-19"]                              # weekend days that are working days
//! ```
//!
//! Written by hand rather than with a TOML crate because the domain crate stays dependency-light
//! and the errors must name the line in Chinese for an administrator importing a corrected year.

use super::{CalendarError, YearData};
use chrono::NaiveDate;

fn err(line: usize, message: impl Into<String>) -> CalendarError {
    CalendarError::Syntax {
        line,
        message: message.into(),
    }
}

/// Strips a `#` comment that is not inside a string.
fn strip_comment(line: &str) -> &str {
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            '\\' if in_str && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => in_str = !in_str,
            '#' if !in_str => return &line[..i],
            _ => {}
        }
        escaped = false;
    }
    line
}

/// The text of a line's `#` comment (outside strings), trimmed; empty when none.
fn comment_of(line: &str) -> String {
    line[strip_comment(line).len()..]
        .trim_start_matches('#')
        .trim()
        .to_string()
}

/// Splits `"a", "b" , "c"` into the strings, unescaped.
fn strings(s: &str, line: usize) -> Result<Vec<String>, CalendarError> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while matches!(chars.peek(), Some(c) if c.is_whitespace() || *c == ',') {
            chars.next();
        }
        match chars.next() {
            None => return Ok(out),
            Some('"') => {
                let mut v = String::new();
                loop {
                    match chars.next() {
                        None => return Err(err(line, "字符串缺少结尾的引号")),
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => v.push(c),
                            Some('n') => v.push('\n'),
                            _ => return Err(err(line, "无法识别的转义字符")),
                        },
                        Some(c) => v.push(c),
                    }
                }
                out.push(v);
            }
            Some(c) => return Err(err(line, format!("此处应为带引号的日期，却是“{c}”"))),
        }
    }
}

fn date(s: &str, line: usize) -> Result<NaiveDate, CalendarError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| err(line, format!("“{s}”不是 YYYY-MM-DD 格式的日期")))
}

/// Parses one year file and validates it.
pub fn parse_year(text: &str) -> Result<YearData, CalendarError> {
    let mut year: Option<i32> = None;
    let mut source: Option<String> = None;
    let mut holidays: Option<Vec<(NaiveDate, NaiveDate)>> = None;
    let mut workdays: Option<Vec<NaiveDate>> = None;
    let mut names: Vec<String> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let no = i + 1;
        let line = strip_comment(lines[i].trim_start_matches('\u{feff}')).trim();
        i += 1;
        if line.is_empty() {
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| err(no, format!("应为“键 = 值”，却是“{line}”")))?;
        let key = key.trim();
        let mut value = value.trim().to_string();
        match key {
            "year" => {
                let y = value
                    .parse::<i32>()
                    .map_err(|_| err(no, format!("年份“{value}”不是整数")))?;
                year = Some(y);
            }
            "source" => {
                let mut v = strings(&value, no)?;
                if v.len() != 1 {
                    return Err(err(no, "source 应为一个带引号的字符串"));
                }
                source = v.pop();
            }
            "holidays" | "workdays" => {
                if !value.starts_with('[') {
                    return Err(err(no, format!("{key} 应为以 [ 开始的列表")));
                }
                // Each line's entries with the line's comment: a holiday alone on its line is
                // named by it (`"2026-02-15..2026-02-23", # 春节`).
                let mut segments = vec![(value.clone(), comment_of(lines[i - 1]))];
                // A list may run over several lines until its closing bracket.
                while !value.trim_end().ends_with(']') {
                    let Some(next) = lines.get(i) else {
                        return Err(err(no, format!("{key} 列表缺少结尾的 ]")));
                    };
                    value.push(' ');
                    value.push_str(strip_comment(next));
                    segments.push((strip_comment(next).to_string(), comment_of(next)));
                    i += 1;
                }
                if key == "holidays" {
                    let mut n = Vec::new();
                    for (content, comment) in &segments {
                        let k = strings(&content.replace(['[', ']'], " "), no)?.len();
                        if k == 1 && !comment.is_empty() {
                            n.push(comment.clone());
                        } else {
                            n.extend(std::iter::repeat_n(String::new(), k));
                        }
                    }
                    names = n;
                }
                let inner = value.trim();
                let inner = &inner[1..inner.len() - 1];
                let items = strings(inner, no)?;
                if key == "holidays" {
                    let mut v = Vec::new();
                    for item in items {
                        let (a, b) = match item.split_once("..") {
                            Some((a, b)) => (date(a, no)?, date(b, no)?),
                            None => {
                                let d = date(&item, no)?;
                                (d, d)
                            }
                        };
                        v.push((a, b));
                    }
                    holidays = Some(v);
                } else {
                    let mut v = Vec::new();
                    for item in items {
                        v.push(date(&item, no)?);
                    }
                    workdays = Some(v);
                }
            }
            other => {
                return Err(err(
                    no,
                    format!("未知的键“{other}”（可用：year、source、holidays、workdays）"),
                ));
            }
        }
    }
    let year = year.ok_or_else(|| CalendarError::Missing("year（年份）".into()))?;
    let data = YearData {
        year,
        source: source
            .ok_or_else(|| CalendarError::Missing("source（所依据的国务院办公厅通知）".into()))?,
        holidays: holidays.ok_or_else(|| CalendarError::Missing("holidays（假期）".into()))?,
        workdays: workdays.unwrap_or_default(),
        names: Vec::new(),
    };
    let data = YearData {
        names: if names.len() == data.holidays.len() && names.iter().any(|n| !n.is_empty()) {
            names
        } else {
            Vec::new()
        },
        ..data
    };
    if data.source.trim().is_empty() {
        return Err(CalendarError::Missing(
            "source（所依据的国务院办公厅通知）".into(),
        ));
    }
    data.validate()?;
    Ok(data)
}
