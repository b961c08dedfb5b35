//! The repository suite of applications (issue 3), run on SQLite and on PostgreSQL.

use chrono::{NaiveDate, NaiveDateTime};
use gongkai_domain::application::events::*;
use gongkai_domain::application::fees::FeeMethod;
use gongkai_domain::application::notice::NoticeKind;
use gongkai_domain::application::workflow::Status;
use gongkai_domain::application::{ApplicantType, ReplyResult};
use gongkai_domain::calendar::parse_year;
use gongkai_domain::records::*;
use gongkai_domain::report::OrganKind;
use gongkai_store::Db;
use gongkai_store::applications::NewApplication;

use gongkai_store::both;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    d(s).and_hms_opt(10, 30, 0).unwrap()
}

async fn organ(db: &Db, code: &str, name: &str, short: &str) -> i64 {
    db.create_organ(
        &NewOrgan {
            code: code.into(),
            name: name.into(),
            short_name: short.into(),
            kind: OrganKind::Department,
            parent_id: None,
            index_pattern: DEFAULT_INDEX_PATTERN.into(),
        },
        None,
    )
    .await
    .unwrap()
    .id
}

fn new_app(
    organ_id: i64,
    kind: ApplicantType,
    name: &str,
    id_doc: &str,
    received: &str,
) -> NewApplication {
    NewApplication {
        organ_id,
        channel: Channel::Online,
        submitted_on: d(received),
        received_on: d(received),
        applicant: Applicant {
            kind,
            name: name.into(),
            id_document: id_doc.into(),
            contact: "13900001111".into(),
            address: "宁夏灵武市某路1号".into(),
        },
        description: "学校招生计划".into(),
        form: "电子邮件".into(),
    }
}

fn decided(on: &str, result: ReplyResult) -> EventKind {
    EventKind::Decided {
        on: d(on),
        result,
        basis: "《中华人民共和国政府信息公开条例》".into(),
        withheld: vec![],
        notice: None,
        text: String::new(),
        parts: Default::default(),
    }
}

async fn workflow_numbers_notices_and_caches_the_state(db: Db) {
    let o = organ(
        &db,
        "11640181MB1234567X",
        "灵武市教育体育局",
        "灵武市教体局",
    )
    .await;
    db.set_application_prefixes(o, Some("灵教"), Some("LWJT"))
        .await
        .unwrap();
    let a = db
        .register_application(
            &new_app(
                o,
                ApplicantType::NaturalPerson,
                "王小明",
                "640181199001011234",
                "2024-09-27",
            ),
            "登记员",
            at("2024-09-27"),
        )
        .await
        .unwrap();
    assert_eq!(a.number, "LWJT-2024-0001");
    assert_eq!(a.status, Status::Open);
    assert_eq!(a.due_on, Some(d("2024-10-30")));
    assert_eq!(a.masked_name(), "王**");

    let (a, n) = db
        .record_application_event(
            a.id,
            EventKind::Assigned {
                handler: "李四".into(),
            },
            "科长",
            at("2024-09-27"),
        )
        .await
        .unwrap();
    assert_eq!(n, None);
    assert_eq!(a.handler, "李四");
    let (a, n) = db
        .record_application_event(
            a.id,
            EventKind::SupplementRequested {
                on: d("2024-10-08"),
                items: "请明确学校名称".into(),
                correct_by: d("2024-10-18"),
                notice: None,
            },
            "李四",
            at("2024-10-08"),
        )
        .await
        .unwrap();
    assert_eq!(n.as_deref(), Some("灵教依申请告〔2024〕1号"));
    assert_eq!(a.status, Status::AwaitingCorrection);
    assert_eq!(a.due_on, None);

    // A refused step leaves nothing behind: no event, no notice number used.
    let err = db
        .record_application_event(
            a.id,
            EventKind::SupplementRequested {
                on: d("2024-10-09"),
                items: "再次补正".into(),
                correct_by: d("2024-10-20"),
                notice: None,
            },
            "李四",
            at("2024-10-09"),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("一次性"), "{err}");
    assert_eq!(db.application_events(a.id).await.unwrap().len(), 3);

    let (a, _) = db
        .record_application_event(
            a.id,
            EventKind::SupplementReceived {
                on: d("2024-10-16"),
            },
            "李四",
            at("2024-10-16"),
        )
        .await
        .unwrap();
    assert_eq!(a.due_on, Some(d("2024-11-13")));
    let (a, n) = db
        .record_application_event(
            a.id,
            EventKind::Decided {
                on: d("2024-11-01"),
                result: ReplyResult::PartlyDisclosed,
                basis: "条例第十五条、第三十七条".into(),
                withheld: vec![Withheld {
                    part: "学生姓名".into(),
                    reason: "个人隐私".into(),
                }],
                notice: None,
                text: String::new(),
                parts: Default::default(),
            },
            "李四",
            at("2024-11-01"),
        )
        .await
        .unwrap();
    assert_eq!(n.as_deref(), Some("灵教依申请告〔2024〕2号"));
    assert_eq!(a.status, Status::Closed);
    assert_eq!(a.closed_on, Some(d("2024-11-01")));
    assert_eq!(a.result, Some(ReplyResult::PartlyDisclosed));

    let events = db.application_events(a.id).await.unwrap();
    assert_eq!(events.len(), 5);
    assert_eq!(events[0].actor, "登记员");
    assert_eq!(events[0].at, at("2024-09-27"));
    match &events[4].kind {
        EventKind::Decided { notice, .. } => {
            assert_eq!(notice.as_deref(), Some("灵教依申请告〔2024〕2号"))
        }
        other => panic!("{other:?}"),
    }
    let notices = db.application_notices(a.id).await.unwrap();
    assert_eq!(
        notices.iter().map(|n| n.kind).collect::<Vec<_>>(),
        vec![NoticeKind::Supplement, NoticeKind::Reply]
    );
    assert_eq!(
        db.find_application("LWJT-2024-0001", None)
            .await
            .unwrap()
            .id,
        a.id
    );
    assert!(db.find_application("2024-0099", None).await.is_err());
}
both!(workflow_numbers_notices_and_caches_the_state);

async fn summaries_carry_open_cases_over_the_year_end(db: Db) {
    let o = organ(&db, "A1", "甲机关", "甲").await;
    let u = organ(&db, "B1", "乙学校", "乙").await;
    let other = organ(&db, "C1", "丙机关", "丙").await;
    let x = db
        .register_application(
            &new_app(o, ApplicantType::NaturalPerson, "甲一", "", "2021-03-01"),
            "s",
            at("2021-03-01"),
        )
        .await
        .unwrap();
    db.record_application_event(
        x.id,
        decided("2021-03-10", ReplyResult::Disclosed),
        "s",
        at("2021-03-10"),
    )
    .await
    .unwrap();
    // Received in December 2021, answered in January 2022: carried over.
    let y = db
        .register_application(
            &new_app(
                u,
                ApplicantType::Business,
                "某公司",
                "91640181MA00000001",
                "2021-12-27",
            ),
            "s",
            at("2021-12-27"),
        )
        .await
        .unwrap();
    db.record_application_event(
        y.id,
        decided("2022-01-12", ReplyResult::NotHeld),
        "s",
        at("2022-01-12"),
    )
    .await
    .unwrap();
    // Still open at the end of 2022.
    db.register_application(
        &new_app(o, ApplicantType::Research, "某研究院", "", "2022-12-26"),
        "s",
        at("2022-12-26"),
    )
    .await
    .unwrap();
    // Another organ's case is not counted.
    db.register_application(
        &new_app(
            other,
            ApplicantType::NaturalPerson,
            "丙一",
            "",
            "2021-05-01",
        ),
        "s",
        at("2021-05-01"),
    )
    .await
    .unwrap();

    let s21 = db.application_summaries(&[o, u], 2021).await.unwrap();
    assert_eq!(s21.len(), 2);
    assert_eq!(s21.iter().filter(|s| s.open_at(d("2021-12-31"))).count(), 1);
    let s22 = db.application_summaries(&[o, u], 2022).await.unwrap();
    assert_eq!(s22.len(), 2, "{s22:?}");
    let carried_in: Vec<_> = s22
        .iter()
        .filter(|s| s.received < d("2022-01-01"))
        .collect();
    assert_eq!(carried_in.len(), 1);
    assert_eq!(
        carried_in[0].closed,
        Some((d("2022-01-12"), ReplyResult::NotHeld))
    );
    assert_eq!(s22.iter().filter(|s| s.open_at(d("2022-12-31"))).count(), 1);
    let s23 = db.application_summaries(&[o, u], 2023).await.unwrap();
    assert_eq!(s23.len(), 1);
    assert_eq!(s23[0].applicant, ApplicantType::Research);
    // Numbers are per organ and year.
    assert_eq!(y.number, "2021-0001");
    assert_eq!(db.applications(Some(o), None).await.unwrap().len(), 2);
}
both!(summaries_carry_open_cases_over_the_year_end);

async fn fees_count_per_applicant_per_month(db: Db) {
    let o = organ(&db, "A1", "甲机关", "甲").await;
    let mut ids = Vec::new();
    for i in 0..11 {
        let day = if i < 10 { "2024-03-04" } else { "2024-03-05" };
        let r = db
            .register_application(
                &new_app(
                    o,
                    ApplicantType::NaturalPerson,
                    "张三",
                    "640181199001011234",
                    day,
                ),
                "s",
                at(day),
            )
            .await
            .unwrap();
        ids.push(r.id);
    }
    // A different applicant, and the same one in the next month, start from 1.
    let other = db
        .register_application(
            &new_app(
                o,
                ApplicantType::NaturalPerson,
                "李四",
                "640181199202021111",
                "2024-03-05",
            ),
            "s",
            at("2024-03-05"),
        )
        .await
        .unwrap();
    let april = db
        .register_application(
            &new_app(
                o,
                ApplicantType::NaturalPerson,
                "张三",
                "640181 19900101 1234",
                "2024-04-01",
            ),
            "s",
            at("2024-04-01"),
        )
        .await
        .unwrap();
    assert_eq!(db.applicant_rank_in_month(ids[9]).await.unwrap(), 10);
    assert_eq!(db.applicant_rank_in_month(ids[10]).await.unwrap(), 11);
    assert_eq!(db.applicant_rank_in_month(other.id).await.unwrap(), 1);
    assert_eq!(db.applicant_rank_in_month(april.id).await.unwrap(), 1);

    let eleventh = ids[10];
    let (r, n) = db
        .record_application_event(
            eleventh,
            EventKind::FeeNoticed {
                on: d("2024-03-06"),
                method: FeeMethod::PerItem,
                basis: FeeBasis::NthInMonth(11),
                amount_fen: 10_000,
                pay_by: d("2024-04-03"),
                notice: None,
            },
            "s",
            at("2024-03-06"),
        )
        .await
        .unwrap();
    assert!(n.is_some());
    assert_eq!(r.status, Status::AwaitingPayment);
    let (r, _) = db
        .record_application_event(
            eleventh,
            EventKind::FeePaid {
                on: d("2024-03-08"),
            },
            "s",
            at("2024-03-08"),
        )
        .await
        .unwrap();
    assert_eq!(r.fee_paid_fen, 10_000);
    assert_eq!(db.application_fees_fen(&[o], 2024).await.unwrap(), 10_000);
    assert_eq!(db.application_fees_fen(&[o], 2023).await.unwrap(), 0);
    // Not paid in time: closed as （六）2.
    let tenth = ids[9];
    let err = db
        .record_application_event(
            tenth,
            EventKind::FeeNoticed {
                on: d("2024-03-06"),
                method: FeeMethod::PerItem,
                basis: FeeBasis::NthInMonth(10),
                amount_fen: 0,
                pay_by: d("2024-04-03"),
                notice: None,
            },
            "s",
            at("2024-03-06"),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("免费"), "{err}");
    let pages = ids[0];
    db.record_application_event(
        pages,
        EventKind::FeeNoticed {
            on: d("2024-03-06"),
            method: FeeMethod::PerPage,
            basis: FeeBasis::Pages(31),
            amount_fen: 1_000,
            pay_by: d("2024-04-03"),
            notice: None,
        },
        "s",
        at("2024-03-06"),
    )
    .await
    .unwrap();
    let (r, _) = db
        .record_application_event(
            pages,
            EventKind::FeeNotPaid {
                on: d("2024-04-08"),
            },
            "s",
            at("2024-04-08"),
        )
        .await
        .unwrap();
    assert_eq!(r.result, Some(ReplyResult::FeeNotPaid));
    assert_eq!(r.closed_on, Some(d("2024-04-08")));
}
both!(fees_count_per_applicant_per_month);

async fn calendar_import_recomputes_open_deadlines(db: Db) {
    let o = organ(&db, "A1", "甲机关", "甲").await;
    // Received Monday 2026-12-07: the 20th working day is 2027-01-04, beyond the built-in years.
    let open = db
        .register_application(
            &new_app(o, ApplicantType::NaturalPerson, "甲一", "", "2026-12-07"),
            "s",
            at("2026-12-07"),
        )
        .await
        .unwrap();
    assert_eq!(open.due_on, None);
    // A closed case is left alone.
    let closed = db
        .register_application(
            &new_app(o, ApplicantType::NaturalPerson, "甲二", "", "2026-12-01"),
            "s",
            at("2026-12-01"),
        )
        .await
        .unwrap();
    db.record_application_event(
        closed.id,
        decided("2026-12-03", ReplyResult::Disclosed),
        "s",
        at("2026-12-03"),
    )
    .await
    .unwrap();

    let y2027 = parse_year(
        "year = 2027\nsource = \"国务院办公厅关于2027年部分节假日安排的通知（测试）\"\nholidays = [\"2027-01-01..2027-01-03\"]\nworkdays = []\n",
    )
    .unwrap();
    let changed = db
        .import_calendar_year(y2027, "管理员", at("2026-12-10"))
        .await
        .unwrap();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].number, open.number);
    assert_eq!(changed[0].new_due, Some(d("2027-01-05")));
    let r = db.application(open.id).await.unwrap().unwrap();
    assert_eq!(r.due_on, Some(d("2027-01-05")));
    let log = db.application_events(open.id).await.unwrap();
    match &log.last().unwrap().kind {
        EventKind::DeadlineRecomputed {
            reason, new_due, ..
        } => {
            assert!(reason.contains("2027年工作日历"), "{reason}");
            assert_eq!(*new_due, Some(d("2027-01-05")));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(db.application_events(closed.id).await.unwrap().len(), 2);

    // A correction: 2027-01-04 becomes a holiday too; the deadline moves again and says why.
    let fixed = parse_year(
        "year = 2027\nsource = \"国务院办公厅关于2027年部分节假日安排的通知（更正）\"\nholidays = [\"2027-01-01..2027-01-04\"]\n",
    )
    .unwrap();
    let changed = db
        .import_calendar_year(fixed, "管理员", at("2026-12-11"))
        .await
        .unwrap();
    assert_eq!(changed[0].old_due, Some(d("2027-01-05")));
    assert_eq!(changed[0].new_due, Some(d("2027-01-06")));
    let cal = db.calendar().await.unwrap();
    assert!(!cal.is_working_day(d("2027-01-04")).unwrap());
    let imports = db.calendar_imports().await.unwrap();
    assert_eq!(imports.len(), 1);
    assert!(imports[0].1.contains("更正"));
    let log = db.application_events(open.id).await.unwrap();
    match &log.last().unwrap().kind {
        EventKind::DeadlineRecomputed { reason, .. } => assert!(
            reason.contains("更正2027年") && reason.contains("2027-01-04"),
            "{reason}"
        ),
        other => panic!("{other:?}"),
    }
}
both!(calendar_import_recomputes_open_deadlines);
