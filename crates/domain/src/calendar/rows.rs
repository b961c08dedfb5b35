//! A year's notice entered as rows, as the back office's form gives it: one row per holiday
//! (name, first and last day off, the weekend days worked in exchange), checked row by row so each
//! message stands beside its row, then joined into [`YearData`].

use super::{YearData, is_weekend, weekday_cn};
use chrono::{Datelike, NaiveDate};

/// One holiday as typed: dates `YYYY-MM-DD` (what a date picker sends).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolidayRow {
    pub name: String,
    pub from: String,
    pub to: String,
    /// 调休上班日 belonging to this holiday (usually one or two, possibly none).
    pub workdays: Vec<String>,
}

impl HolidayRow {
    fn is_blank(&self) -> bool {
        self.name.trim().is_empty()
            && self.from.trim().is_empty()
            && self.to.trim().is_empty()
            && self.workdays.iter().all(|w| w.trim().is_empty())
    }
}

/// A problem of the form: in row `row` (0-based), or of the year as a whole (`row` is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: Option<usize>,
    pub message: String,
}

fn row_err(row: usize, message: impl Into<String>) -> RowError {
    RowError {
        row: Some(row),
        message: message.into(),
    }
}

fn year_err(message: impl Into<String>) -> RowError {
    RowError {
        row: None,
        message: message.into(),
    }
}

/// Parses a date field; `what` names it in the message.
fn parse(s: &str, what: &str) -> Result<Option<NaiveDate>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("{what}“{s}”不是日期，应为 年-月-日，如 2027-02-06"))
}

/// Joins the rows into a year's data, or every problem found, each beside its row. Blank rows
/// are skipped (the form offers spare ones).
pub fn year_from_rows(
    year: &str,
    source: &str,
    rows: &[HolidayRow],
) -> Result<YearData, Vec<RowError>> {
    let mut errors = Vec::new();
    let year: Option<i32> = match year.trim().parse::<i32>() {
        Ok(y) if (2000..=2200).contains(&y) => Some(y),
        _ => {
            errors.push(year_err(format!("年度“{}”不对，应为四位年份", year.trim())));
            None
        }
    };
    let source = source.trim();
    if source.is_empty() {
        errors.push(year_err(
            "请填写依据：国务院办公厅关于该年部分节假日安排的通知的标题和文号",
        ));
    } else if source.chars().count() > 200 {
        errors.push(year_err("依据不能超过200字"));
    } else if source.contains(['\n', '\r', '"']) {
        errors.push(year_err("依据应为一行文字，不含英文引号"));
    }
    let mut holidays: Vec<(usize, String, NaiveDate, NaiveDate)> = Vec::new();
    let mut workdays: Vec<(usize, NaiveDate)> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if r.is_blank() {
            continue;
        }
        let name = r.name.trim();
        if name.is_empty() {
            errors.push(row_err(i, "请填写节日名称，如 春节"));
        } else if name.chars().count() > 20 {
            errors.push(row_err(i, "节日名称不能超过20字"));
        }
        let from = parse(&r.from, "放假首日");
        let to = parse(&r.to, "放假末日");
        let (from, to) = match (from, to) {
            (Ok(Some(a)), Ok(Some(b))) => (Some(a), Some(b)),
            (a, b) => {
                for (x, what) in [(a, "放假首日"), (b, "放假末日")] {
                    match x {
                        Ok(None) => errors.push(row_err(i, format!("请选择{what}"))),
                        Err(m) => errors.push(row_err(i, m)),
                        Ok(Some(_)) => {}
                    }
                }
                (None, None)
            }
        };
        if let (Some(a), Some(b), Some(y)) = (from, to, year) {
            let lead_in = NaiveDate::from_ymd_opt(y - 1, 12, 20).expect("valid date");
            let end = NaiveDate::from_ymd_opt(y, 12, 31).expect("valid date");
            if a > b {
                errors.push(row_err(i, format!("放假首日 {a} 晚于末日 {b}")));
            } else if a < lead_in || b > end {
                errors.push(row_err(
                    i,
                    format!("放假日期应在{y}年内（元旦假期可始于上年12月下旬）"),
                ));
            } else if (b - a).num_days() > 40 {
                errors.push(row_err(i, format!("{a}至{b}长得不合常理，请核对")));
            } else {
                holidays.push((i, name.to_string(), a, b));
            }
        }
        for w in &r.workdays {
            match parse(w, "调休上班日") {
                Ok(None) => {}
                Err(m) => errors.push(row_err(i, m)),
                Ok(Some(d)) => {
                    if !is_weekend(d) {
                        errors.push(row_err(
                            i,
                            format!("调休上班日 {d} 是{}，本来就是工作日", weekday_cn(d)),
                        ));
                    } else if year.is_some_and(|y| d.year() != y && d.year() != y - 1) {
                        errors.push(row_err(i, format!("调休上班日 {d} 不在本年度")));
                    } else {
                        workdays.push((i, d));
                    }
                }
            }
        }
    }
    // Rows must not overlap, and no day is both off and worked.
    let mut sorted = holidays.clone();
    sorted.sort_by_key(|h| h.2);
    for pair in sorted.windows(2) {
        if pair[1].2 <= pair[0].3 {
            errors.push(row_err(
                pair[1].0,
                format!(
                    "与“{}”（{}至{}）的日期重叠",
                    pair[0].1, pair[0].2, pair[0].3
                ),
            ));
        }
    }
    for &(i, d) in &workdays {
        if let Some(h) = holidays.iter().find(|h| d >= h.2 && d <= h.3) {
            errors.push(row_err(i, format!("{d} 已在“{}”的放假日期内", h.1)));
        }
    }
    if holidays.is_empty() && errors.iter().all(|e| e.row.is_none()) {
        errors.push(year_err("请至少填写一个节日的放假安排"));
    }
    let Some(year) = year else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut wd: Vec<NaiveDate> = workdays.iter().map(|w| w.1).collect();
    wd.sort();
    wd.dedup();
    let data = YearData {
        year,
        source: source.to_string(),
        holidays: sorted.iter().map(|h| (h.2, h.3)).collect(),
        workdays: wd,
        names: sorted.iter().map(|h| h.1.clone()).collect(),
    };
    data.validate().map_err(|e| vec![year_err(e.to_string())])?;
    Ok(data)
}

/// The rows of a loaded year: each 调休上班日 goes with the holiday nearest to it.
pub fn rows_of(data: &YearData) -> Vec<HolidayRow> {
    let mut rows: Vec<HolidayRow> = data
        .holidays
        .iter()
        .enumerate()
        .map(|(i, &(a, b))| HolidayRow {
            name: data.name_of(i).to_string(),
            from: a.to_string(),
            to: b.to_string(),
            workdays: Vec::new(),
        })
        .collect();
    for &w in &data.workdays {
        let nearest = data
            .holidays
            .iter()
            .enumerate()
            .min_by_key(|(_, (a, b))| {
                if w < *a {
                    (*a - w).num_days()
                } else {
                    (w - *b).num_days()
                }
            })
            .map(|(i, _)| i);
        if let Some(i) = nearest {
            rows[i].workdays.push(w.to_string());
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Calendar;

    fn row(name: &str, from: &str, to: &str, w: &[&str]) -> HolidayRow {
        HolidayRow {
            name: name.into(),
            from: from.into(),
            to: to.into(),
            workdays: w.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn a_loaded_year_goes_to_rows_and_back_unchanged_with_its_names() {
        let cal = Calendar::builtin();
        let y2026 = cal.year(2026).unwrap();
        assert_eq!(y2026.name_of(1), "春节");
        let rows = rows_of(y2026);
        assert_eq!(rows[1].workdays, vec!["2026-02-14", "2026-02-28"]);
        assert_eq!(rows[0].workdays, vec!["2026-01-04"]);
        let back = year_from_rows("2026", &y2026.source, &rows).unwrap();
        assert_eq!(&back, y2026);
        // The file form keeps the names.
        let again = crate::calendar::parse_year(&back.to_file()).unwrap();
        assert_eq!(again, back);
    }

    #[test]
    fn every_row_is_checked_and_named_in_its_message() {
        let rows = vec![
            row("元旦", "2027-01-01", "2027-01-03", &[]),
            row("", "2027-02-06", "2027-02-04", &["2027-02-08"]),
            HolidayRow::default(),
            row("清明节", "2027-01-02", "2027-01-04", &[]),
            row("劳动节", "2027-05-01", "", &["2027-05-1x"]),
        ];
        let errs = year_from_rows("2027", "", &rows).unwrap_err();
        let of = |r: Option<usize>| -> Vec<&str> {
            errs.iter()
                .filter(|e| e.row == r)
                .map(|e| e.message.as_str())
                .collect()
        };
        assert!(of(None).iter().any(|m| m.contains("请填写依据")));
        let r1 = of(Some(1));
        assert!(r1.iter().any(|m| m.contains("请填写节日名称")), "{r1:?}");
        assert!(r1.iter().any(|m| m.contains("晚于末日")));
        assert!(r1.iter().any(|m| m.contains("星期一，本来就是工作日")));
        assert!(of(Some(3)).iter().any(|m| m.contains("与“元旦”")));
        let r4 = of(Some(4));
        assert!(r4.iter().any(|m| m.contains("请选择放假末日")));
        assert!(r4.iter().any(|m| m.contains("不是日期")));
        assert!(of(Some(2)).is_empty(), "a blank row is skipped");
    }
}
