//! The working-day calendar (工作日历). A working day is Monday–Friday unless a State Council
//! notice makes it a holiday, plus any Saturday or Sunday a notice makes a working day (调休).
//!
//! Each year's notice is data ([`YearData`], one file per year under `data/calendar/`, embedded in
//! the binary). A year's notice may reach back into late December of the previous year (the 2019
//! New Year holiday began on 2018-12-30), so days are looked up in the merged overrides of every
//! loaded year, not just the file of their own year.
//!
//! Past the last covered day the calendar refuses ([`CalendarError::NotCovered`]) rather than
//! guessing: a deadline computed on a guessed calendar may be wrong by a week.

mod coverage;
mod parse;
mod rows;
pub use coverage::{WARN_FROM_MONTH, missing_year_warning};
pub use rows::{HolidayRow, RowError, rows_of, year_from_rows};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

pub use parse::parse_year;

/// The embedded calendar files, one per year, as shipped.
pub const BUILTIN: [(i32, &str); 8] = [
    (2019, include_str!("../../../../data/calendar/2019.toml")),
    (2020, include_str!("../../../../data/calendar/2020.toml")),
    (2021, include_str!("../../../../data/calendar/2021.toml")),
    (2022, include_str!("../../../../data/calendar/2022.toml")),
    (2023, include_str!("../../../../data/calendar/2023.toml")),
    (2024, include_str!("../../../../data/calendar/2024.toml")),
    (2025, include_str!("../../../../data/calendar/2025.toml")),
    (2026, include_str!("../../../../data/calendar/2026.toml")),
];

/// Errors of the calendar; messages are meant for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error(
        "工作日历未覆盖 {date}：已载入的节假日安排为 {first}—{last} 年，请系统管理员在管理后台“工作日历”页导入国务院办公厅关于{year}年部分节假日安排的通知"
    )]
    NotCovered {
        date: NaiveDate,
        year: i32,
        first: i32,
        last: i32,
    },
    #[error("工作日历为空：尚未载入任何年度的节假日安排")]
    Empty,
    #[error("日历文件第{line}行：{message}")]
    Syntax { line: usize, message: String },
    #[error("日历文件缺少 {0}")]
    Missing(String),
    #[error("{year}年日历有误：{message}")]
    Invalid { year: i32, message: String },
}

/// One year's State Council notice, as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearData {
    pub year: i32,
    /// The notice(s) the data comes from, by title and number.
    pub source: String,
    /// Holiday ranges (inclusive), weekend days within them included.
    pub holidays: Vec<(NaiveDate, NaiveDate)>,
    /// Saturdays and Sundays that are working days (调休).
    pub workdays: Vec<NaiveDate>,
    /// The holidays' names (春节, 国庆节…), one per range of `holidays`; empty when the file
    /// names none. Kept in the file as each range's comment.
    #[serde(default)]
    pub names: Vec<String>,
}

impl YearData {
    /// The earliest day this notice speaks about (late December of the year before, or 1 January).
    pub fn first_day(&self) -> NaiveDate {
        let jan1 = NaiveDate::from_ymd_opt(self.year, 1, 1).expect("valid year");
        self.holidays
            .iter()
            .map(|h| h.0)
            .chain(self.workdays.iter().copied())
            .chain(std::iter::once(jan1))
            .min()
            .unwrap_or(jan1)
    }

    /// The name of the `i`th holiday range, or "" when unnamed.
    pub fn name_of(&self, i: usize) -> &str {
        self.names.get(i).map(String::as_str).unwrap_or("")
    }

    /// Checks what a notice can possibly say: dates in its year (or the last days of December
    /// before it), ranges in order, 调休 only on weekends, no day both off and on.
    pub fn validate(&self) -> Result<(), CalendarError> {
        let bad = |message: String| CalendarError::Invalid {
            year: self.year,
            message,
        };
        if !(1949..=2200).contains(&self.year) {
            return Err(bad(format!("年份 {} 不在合理范围内", self.year)));
        }
        let lead_in = NaiveDate::from_ymd_opt(self.year - 1, 12, 20).expect("valid date");
        let end = NaiveDate::from_ymd_opt(self.year, 12, 31).expect("valid date");
        let in_scope = |d: NaiveDate| d >= lead_in && d <= end;
        for &(a, b) in &self.holidays {
            if a > b {
                return Err(bad(format!("假期 {a}..{b} 起止日期颠倒")));
            }
            if !in_scope(a) || !in_scope(b) {
                return Err(bad(format!(
                    "假期 {a}..{b} 超出本年度通知的范围（{lead_in} 至 {end}）"
                )));
            }
            if (b - a).num_days() > 40 {
                return Err(bad(format!("假期 {a}..{b} 长得不合常理，请核对")));
            }
        }
        for &w in &self.workdays {
            if !in_scope(w) {
                return Err(bad(format!(
                    "调休上班日 {w} 超出本年度通知的范围（{lead_in} 至 {end}）"
                )));
            }
            if !is_weekend(w) {
                return Err(bad(format!(
                    "调休上班日 {w} 是{}，本来就是工作日",
                    weekday_cn(w)
                )));
            }
            if self.holidays.iter().any(|&(a, b)| w >= a && w <= b) {
                return Err(bad(format!("{w} 既列为假期又列为调休上班日")));
            }
        }
        Ok(())
    }

    /// The file form of this year (the format `parse_year` reads), for export and round trips.
    pub fn to_file(&self) -> String {
        let mut s = format!(
            "year = {}\nsource = \"{}\"\nholidays = [\n",
            self.year,
            self.source.replace('\\', "\\\\").replace('"', "\\\"")
        );
        for (i, &(a, b)) in self.holidays.iter().enumerate() {
            let entry = if a == b {
                format!("\"{a}\"")
            } else {
                format!("\"{a}..{b}\"")
            };
            match self.name_of(i) {
                "" => s.push_str(&format!("  {entry},\n")),
                // A name is one line of comment: no line breaks can hide a key in it.
                name => s.push_str(&format!(
                    "  {entry}, # {}\n",
                    name.replace(['\n', '\r'], " ")
                )),
            }
        }
        s.push_str("]\nworkdays = [");
        let w: Vec<String> = self.workdays.iter().map(|d| format!("\"{d}\"")).collect();
        s.push_str(&w.join(", "));
        s.push_str("]\n");
        s
    }
}

/// What a day is, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// Monday–Friday, no notice about it.
    Weekday,
    /// Saturday or Sunday, no notice about it.
    Weekend,
    /// Off by a notice.
    Holiday,
    /// A weekend day made a working day by a notice (调休上班).
    AdjustedWorkday,
}

impl DayKind {
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Weekday | DayKind::AdjustedWorkday)
    }

    pub fn label(self) -> &'static str {
        match self {
            DayKind::Weekday => "工作日",
            DayKind::Weekend => "休息日",
            DayKind::Holiday => "法定节假日",
            DayKind::AdjustedWorkday => "调休上班",
        }
    }
}

/// The working-day calendar of the loaded years. Pure: no I/O, no clock.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    years: BTreeMap<i32, YearData>,
    /// Every day a notice speaks about, merged across years (a later year's notice wins for the
    /// late-December days it names).
    overrides: BTreeMap<NaiveDate, bool>,
}

/// Saturday or Sunday.
pub fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// 星期一 … 星期日.
pub fn weekday_cn(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

/// `2024-09-27（星期五）`, as traces print dates.
pub fn date_cn(d: NaiveDate) -> String {
    format!("{d}（{}）", weekday_cn(d))
}

impl Calendar {
    /// An empty calendar (covers nothing; every question is refused).
    pub fn new() -> Calendar {
        Calendar::default()
    }

    /// The calendar of the shipped years 2019–2026.
    pub fn builtin() -> Calendar {
        let mut c = Calendar::new();
        for (year, text) in BUILTIN {
            let data = parse_year(text).unwrap_or_else(|e| panic!("built-in calendar {year}: {e}"));
            c.insert(data)
                .unwrap_or_else(|e| panic!("built-in calendar {year}: {e}"));
        }
        c
    }

    /// Adds a year, or replaces it (a corrected notice). Returns the data it replaced.
    pub fn insert(&mut self, data: YearData) -> Result<Option<YearData>, CalendarError> {
        data.validate()?;
        let old = self.years.insert(data.year, data);
        self.rebuild();
        Ok(old)
    }

    fn rebuild(&mut self) {
        self.overrides.clear();
        // Ascending years: a later notice's word on a late-December day wins over the earlier.
        for y in self.years.values() {
            for &(a, b) in &y.holidays {
                let mut d = a;
                while d <= b {
                    self.overrides.insert(d, false);
                    d = d.succ_opt().expect("date in range");
                }
            }
            for &w in &y.workdays {
                self.overrides.insert(w, true);
            }
        }
    }

    /// This calendar with each year after the last one loaded, through `through`, taken as
    /// weekends only: the base of a provisional date (预计…，以节假日安排为准) while the State
    /// Council's notice of that year is not out. Never the base of a final deadline.
    pub fn provisional(&self, through: i32) -> Calendar {
        let mut c = self.clone();
        let last = self.span().map(|(_, l)| l).unwrap_or(through);
        for year in (last + 1)..=through {
            let _ = c.insert(YearData {
                year,
                source: "（预计：节假日安排尚未公布，仅按周末计算）".into(),
                holidays: Vec::new(),
                workdays: Vec::new(),
                names: Vec::new(),
            });
        }
        c
    }

    /// `n` working days after `start`, and whether the date is provisional (the calendar does
    /// not reach it, and it was counted on weekends only for the years not yet loaded).
    pub fn add_working_days_provisional(
        &self,
        start: NaiveDate,
        n: u32,
    ) -> Result<(NaiveDate, bool), CalendarError> {
        match self.add_working_days(start, n) {
            Ok(d) => Ok((d, false)),
            Err(CalendarError::NotCovered { .. }) => self
                .provisional(start.year() + 1)
                .add_working_days(start, n)
                .map(|d| (d, true)),
            Err(e) => Err(e),
        }
    }

    pub fn years(&self) -> impl Iterator<Item = &YearData> {
        self.years.values()
    }

    pub fn year(&self, year: i32) -> Option<&YearData> {
        self.years.get(&year)
    }

    /// The first and last covered years.
    pub fn span(&self) -> Option<(i32, i32)> {
        Some((*self.years.keys().next()?, *self.years.keys().next_back()?))
    }

    /// Whether the calendar can answer for `d`: its year is loaded, or it is one of the late
    /// December days the next year's notice already speaks about.
    pub fn covers(&self, d: NaiveDate) -> bool {
        if self.years.contains_key(&d.year()) {
            return true;
        }
        match self.years.get(&(d.year() + 1)) {
            Some(next) => d >= next.first_day(),
            None => false,
        }
    }

    fn check(&self, d: NaiveDate) -> Result<(), CalendarError> {
        if self.covers(d) {
            return Ok(());
        }
        let (first, last) = self.span().ok_or(CalendarError::Empty)?;
        Err(CalendarError::NotCovered {
            date: d,
            year: d.year(),
            first,
            last,
        })
    }

    /// What `d` is, and why.
    pub fn day_kind(&self, d: NaiveDate) -> Result<DayKind, CalendarError> {
        self.check(d)?;
        Ok(match (self.overrides.get(&d), is_weekend(d)) {
            (Some(true), true) => DayKind::AdjustedWorkday,
            (Some(true), false) => DayKind::Weekday,
            (Some(false), _) => DayKind::Holiday,
            (None, true) => DayKind::Weekend,
            (None, false) => DayKind::Weekday,
        })
    }

    pub fn is_working_day(&self, d: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.day_kind(d)?.is_working())
    }

    /// The `n`th working day after `start` (the start day itself is not counted, 期间开始之日不计算
    /// 在内). `n = 0` gives `start`.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d = d
                .checked_add_days(Days::new(1))
                .ok_or(CalendarError::Empty)?;
            if self.is_working_day(d)? {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// Working days in `(a, b]` — so `working_days_between(a, add_working_days(a, n)) == n`.
    /// Negative when `b` is before `a`.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> Result<i64, CalendarError> {
        if b < a {
            return Ok(-self.working_days_between(b, a)?);
        }
        let mut n = 0;
        let mut d = a;
        while d < b {
            d = d.succ_opt().ok_or(CalendarError::Empty)?;
            if self.is_working_day(d)? {
                n += 1;
            }
        }
        Ok(n)
    }

    /// Every day of a year with its kind (for `calendar show`).
    pub fn days_of(&self, year: i32) -> Result<Vec<(NaiveDate, DayKind)>, CalendarError> {
        let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(CalendarError::Empty)?;
        let mut out = Vec::with_capacity(366);
        let mut d = first;
        while d.year() == year {
            out.push((d, self.day_kind(d)?));
            d = d.succ_opt().ok_or(CalendarError::Empty)?;
        }
        Ok(out)
    }

    /// What differs between two calendars in the days they both cover or either covers
    /// (for explaining a recomputation): days whose working/non-working status changed.
    pub fn changed_days(&self, other: &Calendar) -> Vec<NaiveDate> {
        let mut days: Vec<NaiveDate> = self
            .overrides
            .keys()
            .chain(other.overrides.keys())
            .copied()
            .filter(|&d| {
                let a = self.is_working_day(d).ok();
                let b = other.is_working_day(d).ok();
                a != b
            })
            .collect();
        days.sort();
        days.dedup();
        days
    }
}

impl fmt::Display for YearData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}年（{}）", self.year, self.source)
    }
}

#[cfg(test)]
mod tests;
