//! The report's application part counted in SQL (`Db::application_counts`) against the
//! full-record path (`Db::application_summaries`), on SQLite and on PostgreSQL: a varied set of
//! cases made through the workflow (every applicant type, every reply, extensions, fees, cases
//! carried over both year boundaries) gives the same tally, the same table 三 and the same
//! charts; and closed cases keep their deadline in step with calendar imports.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use gongkai_domain::application::events::*;
use gongkai_domain::application::fees::FeeMethod;
use gongkai_domain::application::{ApplicantType, ReplyResult, YearStanding, tally};
use gongkai_domain::calendar::{Calendar, parse_year};
use gongkai_domain::records::*;
use gongkai_domain::report::compute::{ReportInput, compute};
use gongkai_domain::report::{OrganKind, stats};
use gongkai_store::Db;
use gongkai_store::applications::NewApplication;
use std::collections::BTreeSet;

use gongkai_store::both;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn at(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(10, 30, 0).unwrap()
}

async fn organ(db: &Db, code: &str, name: &str, parent: Option<i64>) -> Organ {
    db.create_organ(
        &NewOrgan {
            code: code.into(),
            name: name.into(),
            short_name: String::new(),
            kind: OrganKind::Department,
            parent_id: parent,
            index_pattern: DEFAULT_INDEX_PATTERN.into(),
        },
        None,
    )
    .await
    .unwrap()
}

async fn register(db: &Db, organ_id: i64, kind: ApplicantType, received: NaiveDate) -> i64 {
    db.register_application(
        &NewApplication {
            organ_id,
            channel: Channel::InPerson,
            submitted_on: received,
            received_on: received,
            applicant: Applicant {
                kind,
                name: "申请人".into(),
                id_document: String::new(),
                contact: String::new(),
                address: String::new(),
            },
            description: "学校招生计划".into(),
            form: "当面".into(),
        },
        "登记员",
        at(received),
    )
    .await
    .unwrap()
    .id
}

async fn push(db: &Db, id: i64, kind: EventKind, on: NaiveDate) {
    db.record_application_event(id, kind, "承办人", at(on))
        .await
        .unwrap_or_else(|e| panic!("case {id} on {on}: {e}"));
}

fn decided(on: NaiveDate, result: ReplyResult) -> EventKind {
    EventKind::Decided {
        on,
        result,
        basis: "条例第三十六条".into(),
        withheld: if result == ReplyResult::PartlyDisclosed {
            vec![Withheld {
                part: "第三方个人信息".into(),
                reason: "条例第十五条".into(),
            }]
        } else {
            vec![]
        },
        notice: None,
        text: String::new(),
        parts: Default::default(),
    }
}

fn fee_notice(on: NaiveDate) -> EventKind {
    EventKind::FeeNoticed {
        on,
        method: FeeMethod::PerItem,
        basis: FeeBasis::NthInMonth(11),
        amount_fen: 10_000,
        // At least 20 working days from the day after the notice (art. 42 and 国办函〔2020〕109号),
        // whatever holidays fall in between.
        pay_by: on + Duration::days(42),
        notice: None,
    }
}

/// One case through the workflow. `plan` 0: left open; 1: replied within a week; 2: extended
/// by 20 working days and replied after the 20th working day but within the 40th; 3: replied
/// two months after receipt without an extension (late). `fee`: a fee paid along the way.
async fn case(
    db: &Db,
    organ_id: i64,
    kind: ApplicantType,
    result: ReplyResult,
    received: NaiveDate,
    plan: usize,
    fee: bool,
) -> i64 {
    let id = register(db, organ_id, kind, received).await;
    let day = |n: i64| received + Duration::days(n);
    match result {
        ReplyResult::NoCorrectionInTime | ReplyResult::UnclearAfterCorrection => {
            push(
                db,
                id,
                EventKind::SupplementRequested {
                    on: day(2),
                    items: "申请内容不明确".into(),
                    correct_by: day(10),
                    notice: None,
                },
                day(2),
            )
            .await;
            if result == ReplyResult::UnclearAfterCorrection {
                push(db, id, EventKind::SupplementReceived { on: day(5) }, day(5)).await;
            }
        }
        _ => {}
    }
    if fee && result != ReplyResult::NoCorrectionInTime {
        push(db, id, fee_notice(day(6)), day(6)).await;
        push(db, id, EventKind::FeePaid { on: day(8) }, day(8)).await;
    }
    if plan == 2 && result != ReplyResult::NoCorrectionInTime {
        push(
            db,
            id,
            EventKind::Extended {
                on: day(12),
                days: 20,
                reason: "需调取档案".into(),
                approved_by: "办公室主任".into(),
                notice: None,
            },
            day(12),
        )
        .await;
    }
    let reply = match plan {
        0 => return id,
        1 => day(9),
        2 => day(38),
        _ => day(62),
    };
    match result {
        ReplyResult::FeeNotPaid => {
            // Noticed after every earlier step (an extension on day 12), unpaid once its 20
            // working days have run.
            let on = reply.max(day(60));
            let noticed = on - Duration::days(43);
            push(db, id, fee_notice(noticed), noticed).await;
            push(db, id, EventKind::FeeNotPaid { on }, on).await;
        }
        ReplyResult::Other => {
            push(
                db,
                id,
                EventKind::Withdrawn {
                    on: reply,
                    reason: "已通过其他途径获取".into(),
                },
                reply,
            )
            .await;
        }
        ReplyResult::NoCorrectionInTime => {
            let on = reply.max(day(11));
            push(db, id, decided(on, result), on).await;
        }
        r => push(db, id, decided(reply, r), reply).await,
    }
    id
}

async fn counted_like_loaded(db: Db) {
    let bureau = organ(&db, "B1", "灵武市教育体育局", None).await;
    let school = organ(&db, "B1-01", "灵武市第一中学", Some(bureau.id)).await;
    let other = organ(&db, "C1", "灵武市民政局", None).await;
    // 126 cases every 4 days from 2022-10-03 to 2024-02-01: every applicant type with every
    // reply, each plan, cases open across both year boundaries, a fee on every seventh.
    let first = d("2022-10-03");
    for i in 0..126usize {
        let kind = ApplicantType::ALL[i % 6];
        let result = ReplyResult::ALL[i % 21];
        let organ_id = if i % 5 == 4 { school.id } else { bureau.id };
        let received = first + Duration::days(4 * i as i64);
        case(&db, organ_id, kind, result, received, i % 4, i % 7 == 3).await;
    }
    // Another organ's cases are not counted.
    case(
        &db,
        other.id,
        ApplicantType::Business,
        ReplyResult::Disclosed,
        d("2023-05-05"),
        1,
        true,
    )
    .await;
    let units = [bureau.id, school.id];
    let cal = db.calendar().await.unwrap();

    let mut seen_results = BTreeSet::new();
    let mut seen_types = BTreeSet::new();
    let mut on_time = BTreeSet::new();
    for year in [2022, 2023, 2024] {
        let summaries = db.application_summaries(&units, year).await.unwrap();
        let counts = db.application_counts(&units, year).await.unwrap();
        assert_eq!(
            counts,
            tally(summaries.iter().filter_map(|s| s.in_year(year))),
            "{year}"
        );
        assert_eq!(
            db.application_counts_projected(&units, year).await.unwrap(),
            counts,
            "{year}"
        );
        for c in &counts {
            seen_types.insert(c.applicant);
            if let YearStanding::Closed { result, on_time: t } = c.standing {
                seen_results.insert(result);
                on_time.insert(t);
            }
        }
        let carried_in: u64 = counts
            .iter()
            .filter(|c| c.received_month == 0)
            .map(|c| c.n)
            .sum();
        let carried_out: u64 = counts
            .iter()
            .filter(|c| c.standing == YearStanding::Open)
            .map(|c| c.n)
            .sum();
        if year >= 2023 {
            assert!(carried_in > 0, "{year}: nothing carried in");
        }
        assert!(carried_out > 0, "{year}: nothing carried out");

        // The report and its charts are the same either way.
        let mut loaded = ReportInput {
            organ: Some(bureau.clone()),
            units: vec![school.clone()],
            year,
            applications: summaries,
            ..Default::default()
        };
        loaded.processing_fees_fen = db.application_fees_fen(&units, year).await.unwrap();
        let mut filled = ReportInput {
            organ: Some(bureau.clone()),
            units: vec![school.clone()],
            year,
            ..Default::default()
        };
        db.fill_applications(&mut filled).await.unwrap();
        assert!(filled.applications.is_empty());
        assert_eq!(filled.application_counts, counts);
        assert_eq!(filled.processing_fees_fen, loaded.processing_fees_fen);
        assert_eq!(compute(&filled), compute(&loaded), "{year}");
        assert_eq!(
            stats::from_input(&filled, &cal),
            stats::from_input(&loaded, &cal),
            "{year}"
        );
        // Every fee was paid within the year it was noticed in: 100 元 each.
        let fees = loaded.processing_fees_fen;
        assert!(fees > 0 && fees % 10_000 == 0, "{year}: {fees}");
    }
    assert_eq!(seen_types.len(), 6);
    assert_eq!(
        seen_results.len(),
        ReplyResult::ALL.len(),
        "{seen_results:?}"
    );
    assert!(on_time.contains(&Some(true)) && on_time.contains(&Some(false)));
    // Closed while awaiting correction: no period ran, so no on-time reading.
    assert!(on_time.contains(&None));

    // The whole of 2023 through the report loader, as `gongkai report` runs it.
    let input = db.report_input(&bureau, 2023, true).await.unwrap();
    assert_eq!(
        input.application_tally(),
        db.application_counts(&units, 2023).await.unwrap()
    );
}
both!(counted_like_loaded);

async fn extended_replies_are_on_time(db: Db) {
    let o = organ(&db, "B1", "灵武市教育体育局", None).await;
    // Received Monday 2023-03-06: the 20th working day is 2023-04-03, the 40th 2023-05-04
    // (清明 04-05 and 劳动节 04-29..05-03 off, 04-23 worked).
    let received = d("2023-03-06");
    let cal = Calendar::builtin();
    assert_eq!(cal.add_working_days(received, 20), Ok(d("2023-04-03")));
    assert_eq!(cal.add_working_days(received, 40), Ok(d("2023-05-04")));
    let extended = case(
        &db,
        o.id,
        ApplicantType::Research,
        ReplyResult::Disclosed,
        received,
        2,
        false,
    )
    .await;
    let r = db.application(extended).await.unwrap().unwrap();
    assert_eq!(r.due_on, Some(d("2023-05-04")));
    assert_eq!(r.closed_on, Some(d("2023-04-13")));
    assert_eq!(r.summary().on_time(), Some(true));
    // The same reply date without an extension is late.
    let late = register(&db, o.id, ApplicantType::Research, received).await;
    push(
        &db,
        late,
        decided(d("2023-04-13"), ReplyResult::Disclosed),
        d("2023-04-13"),
    )
    .await;
    let r = db.application(late).await.unwrap().unwrap();
    assert_eq!(r.due_on, Some(d("2023-04-03")));
    assert_eq!(r.summary().on_time(), Some(false));
    let mut input = ReportInput {
        organ: Some(o.clone()),
        year: 2023,
        ..Default::default()
    };
    db.fill_applications(&mut input).await.unwrap();
    let s = stats::from_input(&input, &cal);
    assert_eq!(
        s.applications_on_time,
        stats::Rate {
            on_time: 1,
            total: 2
        }
    );
}
both!(extended_replies_are_on_time);

async fn calendar_import_keeps_closed_deadlines_in_step(db: Db) {
    let o = organ(&db, "B1", "灵武市教育体育局", None).await;
    // Received 2026-12-14 and answered two days later: its 20 working days reach into 2027,
    // which the built-in calendar does not cover, so no deadline is known yet.
    let id = register(&db, o.id, ApplicantType::NaturalPerson, d("2026-12-14")).await;
    push(
        &db,
        id,
        decided(d("2026-12-16"), ReplyResult::Disclosed),
        d("2026-12-16"),
    )
    .await;
    let r = db.application(id).await.unwrap().unwrap();
    assert_eq!(r.due_on, None);
    assert_eq!(r.summary().on_time(), None);
    let y2027 = parse_year(
        "year = 2027\nsource = \"国务院办公厅关于2027年部分节假日安排的通知（测试）\"\nholidays = [\"2027-01-01..2027-01-03\"]\nworkdays = []\n",
    )
    .unwrap();
    let changed = db
        .import_calendar_year(y2027, "管理员", at(d("2026-12-20")))
        .await
        .unwrap();
    // Only open cases are announced; the closed one's cached deadline is brought in step.
    assert!(changed.is_empty());
    // 2026-12-15..31: 13 working days; 2027-01-04..12: 7 more.
    let r = db.application(id).await.unwrap().unwrap();
    assert_eq!(r.due_on, Some(d("2027-01-12")));
    assert_eq!(r.summary().on_time(), Some(true));
    // A correction moving a day inside its period moves its deadline too.
    let fixed = parse_year(
        "year = 2027\nsource = \"国务院办公厅关于2027年部分节假日安排的通知（更正）\"\nholidays = [\"2027-01-01..2027-01-04\"]\n",
    )
    .unwrap();
    db.import_calendar_year(fixed, "管理员", at(d("2026-12-21")))
        .await
        .unwrap();
    let r = db.application(id).await.unwrap().unwrap();
    assert_eq!(r.due_on, Some(d("2027-01-13")));
    // The closed case's log is untouched.
    assert_eq!(db.application_events(id).await.unwrap().len(), 2);
}
both!(calendar_import_keeps_closed_deadlines_in_step);
