//! Whether the calendar covers the days deadlines will be counted on: from 1 November the State
//! Council's notice of next year's holidays is usually out, and a deadline running into January
//! cannot be computed without it. The message names what to do in words an officer can act on,
//! never a command.

use super::Calendar;
use chrono::{Datelike, NaiveDate};

/// The month from which next year's calendar is expected.
pub const WARN_FROM_MONTH: u32 = 11;

/// A warning when the year of `today` is missing, or, from 1 November, next year is missing.
/// `can_import` says whether the reader may import a year (the system administrator) or should
/// ask the one who can.
pub fn missing_year_warning(cal: &Calendar, today: NaiveDate, can_import: bool) -> Option<String> {
    let year = today.year();
    let missing = if cal.year(year).is_none() {
        year
    } else if today.month() >= WARN_FROM_MONTH && cal.year(year + 1).is_none() {
        year + 1
    } else {
        return None;
    };
    let what = format!(
        "工作日历尚未载入{missing}年的节假日安排，跨入{missing}年的答复期限和公开时限无法准确计算。"
    );
    let todo = if can_import {
        format!("请在“工作日历”页按国务院办公厅关于{missing}年部分节假日安排的通知导入。")
    } else {
        format!("请联系系统管理员，按国务院办公厅关于{missing}年部分节假日安排的通知导入工作日历。")
    };
    Some(format!("{what}{todo}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn warns_from_the_first_of_november_when_next_year_is_missing() {
        let cal = Calendar::builtin();
        let (_, last) = cal.span().unwrap();
        assert_eq!(missing_year_warning(&cal, d(last, 10, 31), true), None);
        let w = missing_year_warning(&cal, d(last, 11, 1), true).unwrap();
        assert!(w.contains(&format!("{}年", last + 1)) && w.contains("“工作日历”页"));
        let w = missing_year_warning(&cal, d(last, 12, 31), false).unwrap();
        assert!(w.contains("系统管理员"));
        // Never a command line.
        assert!(!w.contains("gongkai") && !w.contains("import"));
        // A year already loaded: no warning in November of the year before.
        assert_eq!(missing_year_warning(&cal, d(last - 1, 11, 15), true), None);
        // The current year itself missing: warned whatever the month.
        let w = missing_year_warning(&cal, d(last + 1, 3, 1), true).unwrap();
        assert!(w.contains(&format!("{}年", last + 1)));
    }
}
