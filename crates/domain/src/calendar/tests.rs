use super::*;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn cal() -> Calendar {
    Calendar::builtin()
}

/// (date, working?) for every year 2019–2026: each holiday's edges, every 调休 Saturday/Sunday,
/// and ordinary weekdays/weekends around them.
const TABLE: &[(&str, bool)] = &[
    // 2019 (its notice reaches back into December 2018)
    ("2018-12-29", true),
    ("2018-12-30", false),
    ("2018-12-31", false),
    ("2019-01-01", false),
    ("2019-01-02", true),
    ("2019-02-02", true),
    ("2019-02-03", true),
    ("2019-02-04", false),
    ("2019-02-10", false),
    ("2019-02-11", true),
    ("2019-04-05", false),
    ("2019-04-28", true),
    ("2019-05-03", false),
    ("2019-05-04", false),
    ("2019-05-05", true),
    ("2019-06-07", false),
    ("2019-09-13", false),
    ("2019-09-29", true),
    ("2019-10-07", false),
    ("2019-10-08", true),
    ("2019-10-12", true),
    ("2019-10-13", false),
    // 2020, with the spring festival extended by the notice of 2020-01-27
    ("2020-01-01", false),
    ("2020-01-19", true),
    ("2020-01-23", true),
    ("2020-01-24", false),
    ("2020-01-31", false),
    ("2020-02-01", false),
    ("2020-02-02", false),
    ("2020-02-03", true),
    ("2020-04-06", false),
    ("2020-04-26", true),
    ("2020-05-05", false),
    ("2020-05-09", true),
    ("2020-06-25", false),
    ("2020-06-28", true),
    ("2020-09-27", true),
    ("2020-10-08", false),
    ("2020-10-09", true),
    ("2020-10-10", true),
    // 2021
    ("2021-01-01", false),
    ("2021-01-04", true),
    ("2021-02-07", true),
    ("2021-02-11", false),
    ("2021-02-17", false),
    ("2021-02-18", true),
    ("2021-02-20", true),
    ("2021-04-25", true),
    ("2021-05-05", false),
    ("2021-05-08", true),
    ("2021-06-14", false),
    ("2021-09-18", true),
    ("2021-09-21", false),
    ("2021-09-26", true),
    ("2021-10-07", false),
    ("2021-10-09", true),
    ("2021-12-31", true),
    // 2022
    ("2022-01-03", false),
    ("2022-01-29", true),
    ("2022-01-30", true),
    ("2022-01-31", false),
    ("2022-02-07", true),
    ("2022-04-02", true),
    ("2022-04-05", false),
    ("2022-04-24", true),
    ("2022-05-04", false),
    ("2022-05-07", true),
    ("2022-06-03", false),
    ("2022-09-12", false),
    ("2022-10-07", false),
    ("2022-10-08", true),
    ("2022-10-09", true),
    ("2022-12-30", true),
    // 2023 (New Year from 2022-12-31)
    ("2022-12-31", false),
    ("2023-01-02", false),
    ("2023-01-03", true),
    ("2023-01-27", false),
    ("2023-01-28", true),
    ("2023-01-29", true),
    ("2023-04-05", false),
    ("2023-04-23", true),
    ("2023-05-03", false),
    ("2023-05-06", true),
    ("2023-06-23", false),
    ("2023-06-25", true),
    ("2023-09-29", false),
    ("2023-10-06", false),
    ("2023-10-07", true),
    ("2023-10-08", true),
    // 2024
    ("2024-01-01", false),
    ("2024-02-04", true),
    ("2024-02-09", true),
    ("2024-02-17", false),
    ("2024-02-18", true),
    ("2024-04-07", true),
    ("2024-04-28", true),
    ("2024-05-11", true),
    ("2024-06-10", false),
    ("2024-09-14", true),
    ("2024-09-17", false),
    ("2024-09-29", true),
    ("2024-10-07", false),
    ("2024-10-12", true),
    // 2025
    ("2025-01-01", false),
    ("2025-01-26", true),
    ("2025-01-28", false),
    ("2025-02-04", false),
    ("2025-02-05", true),
    ("2025-02-08", true),
    ("2025-04-27", true),
    ("2025-05-05", false),
    ("2025-06-02", false),
    ("2025-09-28", true),
    ("2025-10-08", false),
    ("2025-10-09", true),
    ("2025-10-11", true),
    // 2026
    ("2026-01-02", false),
    ("2026-01-04", true),
    ("2026-02-14", true),
    ("2026-02-23", false),
    ("2026-02-24", true),
    ("2026-02-28", true),
    ("2026-05-09", true),
    ("2026-06-19", false),
    ("2026-09-20", true),
    ("2026-09-25", false),
    ("2026-10-07", false),
    ("2026-10-10", true),
    ("2026-12-31", true),
];

#[test]
fn every_year_2019_to_2026_matches_the_table() {
    let c = cal();
    for &(s, working) in TABLE {
        assert_eq!(c.is_working_day(d(s)).unwrap(), working, "{s}");
    }
    // Every year of the table is present, and every 调休 day is a weekend day.
    for y in 2019..=2026 {
        let data = c.year(y).expect("year loaded");
        assert!(
            data.source.contains(&format!("{y}年")),
            "{y} names its notice"
        );
        for w in &data.workdays {
            assert_eq!(c.day_kind(*w).unwrap(), DayKind::AdjustedWorkday, "{w}");
        }
    }
}

#[test]
fn working_days_per_year_are_plausible() {
    // The number of working days of a year is 246–251 in every year since 2008.
    let c = cal();
    for y in 2019..=2026 {
        let n = c
            .days_of(y)
            .unwrap()
            .iter()
            .filter(|(_, k)| k.is_working())
            .count();
        assert!((246..=251).contains(&n), "{y}: {n} working days");
    }
    let n2020 = c
        .days_of(2020)
        .unwrap()
        .iter()
        .filter(|(_, k)| k.is_working())
        .count();
    // The original 2020 notice gave 251 working days; the extension took 01-31 (a Friday) and the
    // 调休 Saturday 02-01.
    assert_eq!(n2020, 249);
    let n2024 = c
        .days_of(2024)
        .unwrap()
        .iter()
        .filter(|(_, k)| k.is_working())
        .count();
    assert_eq!(n2024, 251);
}

#[test]
fn spec_example_received_friday_2024_09_27_is_due_2024_10_30() {
    let c = cal();
    assert_eq!(
        c.add_working_days(d("2024-09-27"), 20).unwrap(),
        d("2024-10-30")
    );
    assert_eq!(
        c.working_days_between(d("2024-09-27"), d("2024-10-30"))
            .unwrap(),
        20
    );
    assert_eq!(
        c.add_working_days(d("2024-09-27"), 0).unwrap(),
        d("2024-09-27")
    );
    assert_eq!(
        c.add_working_days(d("2024-09-27"), 1).unwrap(),
        d("2024-09-29")
    );
}

#[test]
fn refuses_past_the_last_year_instead_of_guessing() {
    let c = cal();
    let e = c.add_working_days(d("2026-12-20"), 20).unwrap_err();
    assert!(
        matches!(e, CalendarError::NotCovered { year: 2027, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("2027年部分节假日安排"), "{e}");
    assert!(c.is_working_day(d("2018-12-28")).is_err());
    assert!(c.is_working_day(d("2018-12-29")).is_ok());
    assert!(Calendar::new().is_working_day(d("2024-01-02")).is_err());
}

#[test]
fn a_corrected_year_replaces_the_old_one() {
    let mut c = cal();
    let mut y = c.year(2024).unwrap().clone();
    y.holidays.push((d("2024-12-31"), d("2024-12-31")));
    let before = c.clone();
    let old = c.insert(y).unwrap();
    assert!(old.is_some());
    assert!(!c.is_working_day(d("2024-12-31")).unwrap());
    assert_eq!(c.changed_days(&before), vec![d("2024-12-31")]);
}

#[test]
fn files_round_trip_and_bad_files_are_refused_in_chinese() {
    for (year, text) in BUILTIN {
        let y = parse_year(text).unwrap();
        assert_eq!(y.year, year);
        assert_eq!(parse_year(&y.to_file()).unwrap(), y);
    }
    let bad = "year = 2027\nsource = \"x2027年\"\nholidays = [\"2027-02-30\"]\n";
    assert!(parse_year(bad).unwrap_err().to_string().contains("第3行"));
    let weekday = "year = 2027\nsource = \"s\"\nholidays = []\nworkdays = [\"2027-01-04\"]\n";
    let e = parse_year(weekday).unwrap_err().to_string();
    assert!(e.contains("星期一"), "{e}");
    let missing = "year = 2027\nholidays = []\n";
    assert!(
        parse_year(missing)
            .unwrap_err()
            .to_string()
            .contains("source")
    );
    let far = "year = 2027\nsource = \"s\"\nholidays = [\"2026-06-01\"]\n";
    assert!(parse_year(far).is_err());
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0i64..(365 * 8 - 120)).prop_map(|o| d("2019-01-01") + chrono::Duration::days(o))
}

proptest! {
    #[test]
    fn adding_lands_on_a_working_day_and_agrees_with_between(start in any_date(), n in 1u32..60) {
        let c = cal();
        let end = c.add_working_days(start, n).unwrap();
        prop_assert!(end > start);
        prop_assert!(c.is_working_day(end).unwrap());
        prop_assert_eq!(c.working_days_between(start, end).unwrap(), n as i64);
        prop_assert_eq!(c.working_days_between(end, start).unwrap(), -(n as i64));
        // The day before the result is not yet n working days away.
        let before = end.pred_opt().unwrap();
        prop_assert_eq!(c.working_days_between(start, before).unwrap(), n as i64 - 1);
    }

    #[test]
    fn adding_is_monotonic(a in any_date(), gap in 0i64..30, n in 0u32..40, m in 0u32..40) {
        let c = cal();
        let b = a + chrono::Duration::days(gap);
        prop_assert!(c.add_working_days(a, n).unwrap() <= c.add_working_days(b, n).unwrap());
        let (lo, hi) = if n <= m { (n, m) } else { (m, n) };
        prop_assert!(c.add_working_days(a, lo).unwrap() <= c.add_working_days(a, hi).unwrap());
        // Additive: n then m is n + m.
        let two = c.add_working_days(c.add_working_days(a, n).unwrap(), m).unwrap();
        prop_assert_eq!(two, c.add_working_days(a, n + m).unwrap());
    }
}
