//! One clock for every door. "Now" is an instant; "today" — the date every legal time limit is
//! counted from — is the date in the installation's zone, Beijing time unless configured
//! otherwise, never the machine's local zone (a server kept in UTC would otherwise date an
//! application received at 01:00 Beijing time the day before, and move its statutory deadline).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use std::sync::Arc;

/// Where the instant comes from: the system clock when serving, a fixed instant in tests.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that always says the same instant.
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// China Standard Time (Asia/Shanghai has kept UTC+8 without daylight saving since 1991).
pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The clock of an installation: an instant source and the zone its dates are read in.
#[derive(Clone)]
pub struct Time {
    source: Arc<dyn Clock>,
    zone: FixedOffset,
}

impl Default for Time {
    fn default() -> Time {
        Time::system()
    }
}

impl std::fmt::Debug for Time {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Time({}, zone {})", self.now(), self.zone)
    }
}

impl Time {
    /// The system clock in Beijing time.
    pub fn system() -> Time {
        Time {
            source: Arc::new(SystemClock),
            zone: beijing(),
        }
    }

    /// A fixed instant in Beijing time (tests, reproducible runs).
    pub fn fixed(at: DateTime<Utc>) -> Time {
        Time::system().with_source(FixedClock(at))
    }

    pub fn with_source(mut self, source: impl Clock) -> Time {
        self.source = Arc::new(source);
        self
    }

    pub fn with_zone(mut self, zone: FixedOffset) -> Time {
        self.zone = zone;
        self
    }

    /// The clock an installation configures: `GONGKAI_TIMEZONE` (an offset such as `+08:00`,
    /// Beijing time when unset) and `GONGKAI_NOW` (an RFC 3339 instant the installation is to
    /// take as now: reproducible demos and tests of the doors; unset in production).
    pub fn from_env() -> Result<Time, String> {
        let mut t = Time::system();
        if let Ok(z) = std::env::var("GONGKAI_TIMEZONE") {
            t = t.with_zone(parse_offset(&z)?);
        }
        if let Ok(n) = std::env::var("GONGKAI_NOW") {
            let at = DateTime::parse_from_rfc3339(n.trim()).map_err(|_| {
                format!(
                    "GONGKAI_NOW“{n}”不是有效的时间（应为 RFC 3339，如 2024-03-01T09:00:00+08:00）"
                )
            })?;
            t = t.with_source(FixedClock(at.with_timezone(&Utc)));
        }
        Ok(t)
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.source.now()
    }

    pub fn zone(&self) -> FixedOffset {
        self.zone
    }

    /// Today's date in the installation's zone.
    pub fn today(&self) -> NaiveDate {
        self.local_now().date()
    }

    /// Now as a wall-clock time in the installation's zone (the time of an event in a case file).
    pub fn local_now(&self) -> NaiveDateTime {
        self.now().with_timezone(&self.zone).naive_local()
    }
}

/// Parses `+08:00`, `+0800`, `UTC+8` or `Asia/Shanghai` (the zone this system is made for).
pub fn parse_offset(s: &str) -> Result<FixedOffset, String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("Asia/Shanghai") || t.eq_ignore_ascii_case("PRC") {
        return Ok(beijing());
    }
    let bad = || format!("时区“{s}”无法识别（应为 +08:00 这样的偏移量，或 Asia/Shanghai）");
    let t = t
        .strip_prefix("UTC")
        .or_else(|| t.strip_prefix("GMT"))
        .unwrap_or(t);
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'+') => (1, &t[1..]),
        Some(b'-') => (-1, &t[1..]),
        _ => return Err(bad()),
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().map_err(|_| bad())?, 0),
        4 => (
            digits[..2].parse::<i32>().map_err(|_| bad())?,
            digits[2..].parse::<i32>().map_err(|_| bad())?,
        ),
        _ => return Err(bad()),
    };
    if h > 14 || m > 59 {
        return Err(bad());
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60)).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_beijing_date_whatever_the_instant_in_utc() {
        // 2024-03-01 01:00 Beijing time is 2024-02-29 17:00 UTC.
        let t = Time::fixed("2024-02-29T17:00:00Z".parse().unwrap());
        assert_eq!(t.today(), "2024-03-01".parse::<NaiveDate>().unwrap());
        assert_eq!(t.local_now().to_string(), "2024-03-01 01:00:00");
        let utc = t.clone().with_zone(FixedOffset::east_opt(0).unwrap());
        assert_eq!(utc.today(), "2024-02-29".parse::<NaiveDate>().unwrap());
    }

    #[test]
    fn offsets_parse_in_the_usual_spellings() {
        for s in ["+08:00", "+0800", "UTC+8", "Asia/Shanghai", "+8"] {
            assert_eq!(parse_offset(s).unwrap(), beijing(), "{s}");
        }
        assert_eq!(
            parse_offset("-05:30").unwrap().local_minus_utc(),
            -(5 * 3600 + 30 * 60)
        );
        for s in ["", "Beijing", "+25:00", "+08:61", "8"] {
            assert!(parse_offset(s).is_err(), "{s}");
        }
    }
}
