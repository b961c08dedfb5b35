//! One scenario per clock rule, each checking the due date to the day, and the workflow's refusals.

use super::clock::{self, Clock};
use super::events::*;
use super::fees::FeeMethod;
use super::notice::{self, NoticeKind};
use super::workflow::{Application, Status, WorkflowError};
use super::{ApplicantType, ReplyResult};
use crate::calendar::Calendar;
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn person() -> Applicant {
    Applicant {
        kind: ApplicantType::NaturalPerson,
        name: "王小明".into(),
        id_document: "居民身份证 640181199001011234".into(),
        contact: "13800001234".into(),
        address: "宁夏灵武市东塔镇某某路18号".into(),
    }
}

/// A case built event by event through the workflow's checks, as the CLI does.
struct Case {
    cal: Calendar,
    events: Vec<Event>,
    app: Application,
}

impl Case {
    fn new(channel: Channel, submitted: &str, received: &str) -> Case {
        let first = Event {
            seq: 1,
            at: d(received).and_hms_opt(9, 0, 0).unwrap(),
            actor: "登记员".into(),
            kind: EventKind::Registered {
                channel,
                submitted_on: d(submitted),
                received_on: d(received),
                applicant: person(),
                description: "2024年秋季学期学区划分文件".into(),
                form: "电子邮件".into(),
            },
        };
        let app = Application::from_events(std::slice::from_ref(&first)).unwrap();
        Case {
            cal: Calendar::builtin(),
            events: vec![first],
            app,
        }
    }

    fn try_push(&mut self, kind: EventKind) -> Result<(), WorkflowError> {
        self.app.check_and_apply(&kind, &self.cal)?;
        self.events.push(Event {
            seq: self.events.len() as i64 + 1,
            at: d("2030-01-01").and_hms_opt(0, 0, 0).unwrap(),
            actor: "承办人".into(),
            kind,
        });
        Ok(())
    }

    fn push(mut self, kind: EventKind) -> Case {
        self.try_push(kind).unwrap();
        self
    }

    fn clock(&self, today: &str) -> Clock {
        let c = clock::compute(&self.events, &self.cal, d(today)).unwrap();
        // The replayed state agrees with the one built step by step.
        assert_eq!(Application::from_events(&self.events).unwrap(), self.app);
        c
    }
}

fn refused(r: Result<(), WorkflowError>, needle: &str) {
    match r {
        Err(WorkflowError::Refused(m)) => assert!(m.contains(needle), "{m}"),
        other => panic!("expected a refusal containing {needle}, got {other:?}"),
    }
}

#[test]
fn spec_example_online_received_friday_2024_09_27_due_2024_10_30() {
    // Submitted online on the Thursday, confirmed by both sides on the Friday: the Friday counts.
    let case = Case::new(Channel::Online, "2024-09-26", "2024-09-27");
    let c = case.clock("2024-10-15");
    assert_eq!(c.due, Some(d("2024-10-30")));
    assert_eq!(c.days_left, Some(11));
    assert!(!c.overdue);
    let trace = c.trace.join("\n");
    assert!(trace.contains("双方确认之日为收到申请之日"), "{trace}");
    assert!(
        trace.contains("2024-09-27（星期五）收到申请，起算日不计入；"),
        "{trace}"
    );
    assert!(trace.contains("10-01至10-07为法定节假日"), "{trace}");
    assert!(
        trace.contains("09-29（星期日）、10-12（星期六）调休上班"),
        "{trace}"
    );
    assert!(
        trace.contains("第20个工作日为2024-10-30（星期三）"),
        "{trace}"
    );
    let late = case.clock("2024-11-01");
    assert!(late.overdue);
    assert_eq!(late.days_left, Some(-2));
}

#[test]
fn receipt_by_post_is_the_day_signed_for() {
    // Posted on Monday 2021-04-26, signed for on Friday 04-30 (before the May Day holiday
    // 05-01–05-05; Saturday 05-08 is a working day).
    let case = Case::new(Channel::Post, "2021-04-26", "2021-04-30");
    let c = case.clock("2021-05-06");
    // Working days after 04-30: 05-06, 07, 08 (Sat), 10..14, 17..21, 24..28, 31, 06-01.
    assert_eq!(c.due, Some(d("2021-06-01")));
    assert!(c.trace[0].contains("签收之日"), "{:?}", c.trace);
    assert_eq!(c.days_left, Some(19));
}

#[test]
fn in_person_receipt_is_the_day_handed_in() {
    let case = Case::new(Channel::InPerson, "2022-01-28", "2022-01-28");
    // 01-29, 01-30 (weekend 调休) are working days; 01-31–02-06 spring festival.
    // 01-29, 01-30 then 02-07 onwards: the 20th working day is Wednesday 03-02.
    let c = case.clock("2022-01-28");
    assert_eq!(c.due, Some(d("2022-03-02")));
}

#[test]
fn correction_restarts_the_period_from_the_corrected_application() {
    let case = Case::new(Channel::Online, "2024-09-27", "2024-09-27").push(
        EventKind::SupplementRequested {
            on: d("2024-10-09"),
            items: "请明确所需文件的年份和学区名称".into(),
            correct_by: d("2024-10-25"),
            notice: None,
        },
    );
    // Waiting: no deadline, the clock stands.
    let waiting = case.clock("2024-10-15");
    assert_eq!(waiting.due, None);
    assert_eq!(waiting.status, Status::AwaitingCorrection);
    assert!(
        waiting.trace.join("").contains("收到申请后第4个工作日"),
        "{:?}",
        waiting.trace
    );
    let case = case.push(EventKind::SupplementReceived {
        on: d("2024-10-16"),
    });
    let c = case.clock("2024-10-16");
    // 20 working days after Wednesday 2024-10-16: 10-17..11-13.
    assert_eq!(c.starts, Some(d("2024-10-16")));
    assert_eq!(c.due, Some(d("2024-11-13")));
    assert!(c.trace.join("").contains("重新计算"));
}

#[test]
fn correction_only_once_and_within_seven_working_days() {
    let mut case = Case::new(Channel::InPerson, "2024-09-27", "2024-09-27");
    // 7 working days after 09-27: 09-29, 09-30, 10-08, 10-09, 10-10, 10-11, 10-12.
    refused(
        case.try_push(EventKind::SupplementRequested {
            on: d("2024-10-14"),
            items: "x".into(),
            correct_by: d("2024-10-30"),
            notice: None,
        }),
        "第8个工作日",
    );
    case.try_push(EventKind::SupplementRequested {
        on: d("2024-10-12"),
        items: "x".into(),
        correct_by: d("2024-10-30"),
        notice: None,
    })
    .unwrap();
    refused(
        case.try_push(EventKind::SupplementRequested {
            on: d("2024-10-12"),
            items: "y".into(),
            correct_by: d("2024-10-30"),
            notice: None,
        }),
        "一次性",
    );
    // No correction by the deadline: closed as （六）1.
    refused(
        case.try_push(EventKind::Decided {
            on: d("2024-10-30"),
            result: ReplyResult::NoCorrectionInTime,
            basis: "条例第三十条".into(),
            withheld: vec![],
            notice: None,
            text: String::new(),
            parts: Default::default(),
        }),
        "期限届满前",
    );
    case.try_push(EventKind::Decided {
        on: d("2024-10-31"),
        result: ReplyResult::NoCorrectionInTime,
        basis: "条例第三十条".into(),
        withheld: vec![],
        notice: None,
        text: String::new(),
        parts: Default::default(),
    })
    .unwrap();
    assert_eq!(
        case.app.closed(),
        Some((d("2024-10-31"), ReplyResult::NoCorrectionInTime))
    );
}

#[test]
fn third_party_consultation_pauses_the_clock() {
    // Received Monday 2023-03-06 → plain due 2023-04-03 (no holidays in between: 04-05 is after).
    let case = Case::new(Channel::Email, "2023-03-05", "2023-03-06");
    assert_eq!(case.clock("2023-03-06").due, Some(d("2023-04-03")));
    let case = case.push(EventKind::ConsultationStarted {
        on: d("2023-03-10"),
        party: ConsultParty::ThirdParty,
        with: "某某建设有限公司".into(),
        matter: String::new(),
        notice: None,
    });
    // Unanswered: assumed to run its 15 working days (03-13..03-31), so due moves 15 days on.
    let pending = case.clock("2023-03-15");
    assert_eq!(pending.paused_days, 15);
    assert_eq!(
        pending.due,
        Some(
            Calendar::builtin()
                .add_working_days(d("2023-04-03"), 15)
                .unwrap()
        )
    );
    assert_eq!(pending.due, Some(d("2023-04-24")));
    assert_eq!(pending.status, Status::Consulting);
    // Answered on Friday 03-17: 5 working days (03-13..03-17) not counted → 2023-04-03 + 5 wd,
    // skipping 04-05 (清明) → 04-11.
    let case = case.push(EventKind::ConsultationAnswered {
        on: d("2023-03-17"),
        index: 0,
        answer: "不同意公开".into(),
        objects: true,
    });
    let c = case.clock("2023-03-20");
    assert_eq!(c.paused_days, 5);
    assert_eq!(c.due, Some(d("2023-04-11")));
    assert!(
        c.trace.join("").contains("5个工作日不计入答复期限"),
        "{:?}",
        c.trace
    );
}

#[test]
fn other_organ_consultation_counted_at_most_fifteen_working_days() {
    let case = Case::new(Channel::Fax, "2023-03-06", "2023-03-06")
        .push(EventKind::ConsultationStarted {
            on: d("2023-03-07"),
            party: ConsultParty::OtherOrgan,
            with: "灵武市财政局".into(),
            matter: String::new(),
            notice: None,
        })
        // Answered late (after 15 working days, which end 2023-03-28): only 15 days pause.
        .push(EventKind::ConsultationAnswered {
            on: d("2023-04-10"),
            index: 0,
            answer: "同意公开".into(),
            objects: false,
        });
    let c = case.clock("2023-04-10");
    assert_eq!(c.paused_days, 15);
    assert_eq!(c.due, Some(d("2023-04-24")));
}

#[test]
fn extension_is_capped_at_twenty_working_days_and_granted_once() {
    let mut case = Case::new(Channel::Online, "2024-09-27", "2024-09-27");
    refused(
        case.try_push(EventKind::Extended {
            on: d("2024-10-28"),
            days: 21,
            reason: "需调取档案".into(),
            approved_by: "办公室主任".into(),
            notice: None,
        }),
        "不得超过20个工作日",
    );
    refused(
        case.try_push(EventKind::Extended {
            on: d("2024-10-31"),
            days: 10,
            reason: "需调取档案".into(),
            approved_by: "办公室主任".into(),
            notice: None,
        }),
        "已于 2024-10-30 届满",
    );
    case.try_push(EventKind::Extended {
        on: d("2024-10-28"),
        days: 20,
        reason: "需调取档案".into(),
        approved_by: "办公室主任".into(),
        notice: None,
    })
    .unwrap();
    refused(
        case.try_push(EventKind::Extended {
            on: d("2024-10-29"),
            days: 1,
            reason: "再延".into(),
            approved_by: "办公室主任".into(),
            notice: None,
        }),
        "只能延长一次",
    );
    let c = case.clock("2024-10-29");
    // 20 more working days after 2024-10-30: 10-31..11-27.
    assert_eq!(c.due, Some(d("2024-11-27")));
    assert_eq!(c.extension_days, 20);
    // The clock itself caps a recorded over-long extension (history entered by hand).
    let mut events = case.events.clone();
    if let EventKind::Extended { days, .. } = &mut events[1].kind {
        *days = 30;
    }
    let capped = clock::compute(&events, &case.cal, d("2024-10-29")).unwrap();
    assert_eq!(capped.due, Some(d("2024-11-27")));
    assert!(capped.trace.join("").contains("以20个工作日为限"));
}

#[test]
fn deadline_crossing_the_year_boundary() {
    // Received Tuesday 2022-12-13; 2022-12-31 to 2023-01-02 are New Year holidays (the 2023
    // notice). Working days: 12-14..12-16 (3), 19..23 (5), 26..30 (5), 01-03..06 (4), 09..11 (3).
    let case = Case::new(Channel::InPerson, "2022-12-13", "2022-12-13");
    let c = case.clock("2022-12-30");
    assert_eq!(c.due, Some(d("2023-01-11")));
    assert_eq!(c.days_left, Some(7));
    assert!(
        c.trace.join("").contains("12-31至01-02为法定节假日"),
        "{:?}",
        c.trace
    );
    // Past the last covered year the clock refuses instead of guessing.
    let late = Case::new(Channel::InPerson, "2026-12-20", "2026-12-21");
    let c = late.clock("2026-12-21");
    assert_eq!(c.due, None);
    assert!(
        c.error.as_deref().unwrap_or("").contains("2027"),
        "{:?}",
        c.error
    );
}

#[test]
fn fee_notice_stops_the_clock_until_paid() {
    let case = Case::new(Channel::Online, "2024-03-01", "2024-03-01");
    // 2024-03-01 Fri → due 2024-03-29 (no holidays).
    assert_eq!(case.clock("2024-03-01").due, Some(d("2024-03-29")));
    let mut c2 = case;
    refused(
        c2.try_push(EventKind::FeeNoticed {
            on: d("2024-03-05"),
            method: FeeMethod::PerPage,
            basis: FeeBasis::Pages(120),
            amount_fen: 100,
            pay_by: d("2024-04-02"),
            notice: None,
        }),
        "收费金额应为1100元",
    );
    c2.try_push(EventKind::FeeNoticed {
        on: d("2024-03-05"),
        method: FeeMethod::PerPage,
        basis: FeeBasis::Pages(120),
        amount_fen: 110_000,
        pay_by: d("2024-04-02"),
        notice: None,
    })
    .unwrap();
    let stopped = c2.clock("2024-03-10");
    assert_eq!(stopped.due, None);
    assert_eq!(stopped.status, Status::AwaitingPayment);
    // Paid Tuesday 03-12: 03-06..03-12 is 5 working days not counted → 03-29 + 5 wd = 04-08,
    // skipping 04-04..04-06 (清明; 04-07 Sunday is a working day) → 04-09? Count: 04-01, 02, 03,
    // 07(Sun, 调休), 08.
    let c2 = c2.push(EventKind::FeePaid {
        on: d("2024-03-12"),
    });
    let c = c2.clock("2024-03-12");
    assert_eq!(c.paused_days, 5);
    assert_eq!(c.due, Some(d("2024-04-08")));
    assert_eq!(c2.app.fees_paid_fen(), 110_000);
}

#[test]
fn fee_not_paid_in_time_closes_as_fee_not_paid() {
    let mut case =
        Case::new(Channel::Online, "2024-03-01", "2024-03-01").push(EventKind::FeeNoticed {
            on: d("2024-03-05"),
            method: FeeMethod::PerItem,
            basis: FeeBasis::NthInMonth(11),
            amount_fen: 10_000,
            pay_by: d("2024-04-02"),
            notice: None,
        });
    refused(
        case.try_push(EventKind::FeeNotPaid {
            on: d("2024-04-01"),
        }),
        "期限届满前",
    );
    let case = case.push(EventKind::FeeNotPaid {
        on: d("2024-04-03"),
    });
    assert_eq!(
        case.app.closed(),
        Some((d("2024-04-03"), ReplyResult::FeeNotPaid))
    );
    assert_eq!(case.app.status(), Status::Closed);
    assert_eq!(case.app.fees_paid_fen(), 0);
}

#[test]
fn decisions_are_exactly_one_result_with_basis() {
    let mut case = Case::new(Channel::Online, "2024-03-01", "2024-03-01");
    refused(
        case.try_push(EventKind::Decided {
            on: d("2024-03-20"),
            result: ReplyResult::PartlyDisclosed,
            basis: "条例第三十七条".into(),
            withheld: vec![],
            notice: None,
            text: String::new(),
            parts: Default::default(),
        }),
        "不予公开的部分",
    );
    case.try_push(EventKind::Decided {
        on: d("2024-03-20"),
        result: ReplyResult::PartlyDisclosed,
        basis: "条例第十五条、第三十七条".into(),
        withheld: vec![Withheld {
            part: "学生家长身份证号码".into(),
            reason: "个人隐私（条例第十五条）".into(),
        }],
        notice: Some("灵教依申请告〔2024〕1号".into()),
        text: String::new(),
        parts: Default::default(),
    })
    .unwrap();
    refused(
        case.try_push(EventKind::Withdrawn {
            on: d("2024-03-21"),
            reason: String::new(),
        }),
        "已办结",
    );
    let c = case.clock("2024-03-25");
    assert_eq!(c.on_time, Some(true));
    assert_eq!(c.days_left, None);
    let n = notice::build(
        &case.app,
        NoticeKind::Reply,
        "灵教依申请告〔2024〕1号",
        &notice::Issuer {
            organ: "灵武市教育体育局".into(),
            remedy: crate::application::reply::Remedy {
                review_body: "灵武市人民政府".into(),
                court: "灵武市人民法院".into(),
                ..Default::default()
            },
            ..Default::default()
        },
        d("2024-03-20"),
        &case.cal,
    )
    .unwrap();
    assert_eq!(n.title, "政府信息公开申请答复书（部分公开）");
    let text = n.paragraphs.join("");
    assert!(text.contains("学生家长身份证号码：个人隐私"), "{text}");
    assert!(!text.contains("640181"), "no identity number in a notice");
    // The remedies name the organ's review body and court.
    assert!(
        text.contains("应当先申请行政复议")
            && text.contains("六十日内向灵武市人民政府申请行政复议")
            && text.contains("十五日内向灵武市人民法院提起行政诉讼")
            && !text.contains("六个月"),
        "{text}"
    );
    let html = n.to_html();
    assert!(html.contains("灵教依申请告〔2024〕1号") && html.contains("王小明："));
}

#[test]
fn withdrawal_closes_as_other() {
    let case = Case::new(Channel::Online, "2024-03-01", "2024-03-01").push(EventKind::Withdrawn {
        on: d("2024-03-04"),
        reason: "已通过其他途径获取".into(),
    });
    assert_eq!(case.app.status(), Status::Withdrawn);
    assert_eq!(
        case.app.closed(),
        Some((d("2024-03-04"), ReplyResult::Other))
    );
    assert_eq!(
        case.app.summary(&case.cal).closed,
        Some((d("2024-03-04"), ReplyResult::Other))
    );
}

#[test]
fn personal_data_is_masked() {
    let m = person().masked();
    assert_eq!(m.name, "王**");
    assert!(!m.id_document.contains("6401811990"));
    assert!(m.id_document.ends_with("1234"));
    assert_eq!(m.contact, "138******34");
    assert!(!m.address.contains("18号"));
    let desc = EventKind::Registered {
        channel: Channel::Post,
        submitted_on: d("2024-01-02"),
        received_on: d("2024-01-04"),
        applicant: person(),
        description: "x".into(),
        form: String::new(),
    }
    .describe();
    assert!(
        !desc.contains("王小明") && !desc.contains("1380000"),
        "{desc}"
    );
    assert_eq!(person().key(), "id:640181199001011234");
}

#[test]
fn summaries_are_open_at_year_end_until_closed() {
    let case = Case::new(Channel::Online, "2021-12-20", "2021-12-20");
    let s = case.app.summary(&case.cal);
    assert!(s.open_at(d("2021-12-31")));
    assert!(!s.open_at(d("2021-12-19")));
    let case = case.push(EventKind::Decided {
        on: d("2022-01-10"),
        result: ReplyResult::Disclosed,
        basis: "条例第二十七条".into(),
        withheld: vec![],
        notice: None,
        text: String::new(),
        parts: Default::default(),
    });
    let s = case.app.summary(&case.cal);
    assert!(s.open_at(d("2021-12-31")));
    assert!(!s.open_at(d("2022-12-31")));
}

#[test]
fn every_reply_type_has_its_notice() {
    let mut bodies = std::collections::BTreeSet::new();
    for result in ReplyResult::ALL {
        let mut case = Case::new(Channel::Online, "2024-03-01", "2024-03-01");
        // The results that need an earlier step get it.
        match result {
            ReplyResult::NoCorrectionInTime | ReplyResult::UnclearAfterCorrection => {
                case.try_push(EventKind::SupplementRequested {
                    on: d("2024-03-04"),
                    items: "请说明文件名称".into(),
                    correct_by: d("2024-03-11"),
                    notice: None,
                })
                .unwrap();
                if result == ReplyResult::UnclearAfterCorrection {
                    case.try_push(EventKind::SupplementReceived {
                        on: d("2024-03-08"),
                    })
                    .unwrap();
                }
            }
            ReplyResult::FeeNotPaid => {
                case.try_push(EventKind::FeeNoticed {
                    on: d("2024-03-04"),
                    method: FeeMethod::PerPage,
                    basis: FeeBasis::Pages(31),
                    amount_fen: 1_000,
                    pay_by: d("2024-04-01"),
                    notice: None,
                })
                .unwrap();
            }
            _ => {}
        }
        let kind = match result {
            ReplyResult::FeeNotPaid => EventKind::FeeNotPaid {
                on: d("2024-04-02"),
            },
            ReplyResult::Other => EventKind::Withdrawn {
                on: d("2024-03-12"),
                reason: "已自行获取".into(),
            },
            r => EventKind::Decided {
                on: d("2024-03-12"),
                result: r,
                basis: "条例".into(),
                withheld: if r == ReplyResult::PartlyDisclosed {
                    vec![Withheld {
                        part: "<姓名>".into(),
                        reason: "隐私".into(),
                    }]
                } else {
                    vec![]
                },
                notice: None,
                text: String::new(),
                parts: Default::default(),
            },
        };
        case.try_push(kind).unwrap();
        assert_eq!(case.app.closed().map(|c| c.1), Some(result));
        let n = notice::build(
            &case.app,
            NoticeKind::Reply,
            "甲依申请告〔2024〕1号",
            &notice::Issuer::named("甲机关"),
            d("2024-03-12"),
            &case.cal,
        )
        .unwrap();
        assert!(n.title.starts_with("政府信息公开申请"), "{result:?}");
        bodies.insert(n.paragraphs[1].clone());
        // With no review body or court configured, the remedy is stated in general terms (a
        // withdrawal ends the case with no decision to contest).
        assert_eq!(
            n.paragraphs
                .iter()
                .any(|p| p.contains("六十日内依法申请行政复议")),
            crate::application::reply::RemedyKind::of(result)
                != crate::application::reply::RemedyKind::None,
            "{result:?}"
        );
        let html = n.to_html();
        assert!(!html.contains("<姓名>"), "escaped");
    }
    // Each result says something of its own.
    assert_eq!(bodies.len(), ReplyResult::ALL.len());
    // Notices of steps not taken do not exist.
    let case = Case::new(Channel::Online, "2024-03-01", "2024-03-01");
    assert!(
        notice::build(
            &case.app,
            NoticeKind::Extension,
            "x",
            &notice::Issuer::named("甲"),
            d("2024-03-01"),
            &case.cal,
        )
        .is_none()
    );
    assert!(
        notice::build(
            &case.app,
            NoticeKind::Reply,
            "x",
            &notice::Issuer::named("甲"),
            d("2024-03-01"),
            &case.cal,
        )
        .is_none()
    );
}

#[test]
fn extension_then_consultation_both_count() {
    // Received 2024-03-01 → due 03-29; extended by 10 on 03-25 → 04-15 (04-04–04-06 清明, 04-07
    // a working Sunday); a consultation from 04-01 answered 04-03 adds 2 → 04-17.
    let case = Case::new(Channel::InPerson, "2024-03-01", "2024-03-01")
        .push(EventKind::Extended {
            on: d("2024-03-25"),
            days: 10,
            reason: "需协调多个科室".into(),
            approved_by: "主任".into(),
            notice: None,
        })
        .push(EventKind::ConsultationStarted {
            on: d("2024-04-01"),
            party: ConsultParty::OtherOrgan,
            with: "灵武市财政局".into(),
            matter: String::new(),
            notice: None,
        })
        .push(EventKind::ConsultationAnswered {
            on: d("2024-04-03"),
            index: 0,
            answer: "同意".into(),
            objects: false,
        });
    let c = case.clock("2024-04-08");
    assert_eq!(c.extension_days, 10);
    assert_eq!(c.paused_days, 2);
    assert_eq!(c.due, Some(d("2024-04-17")));
    let trace = c.trace.join("\n");
    assert!(trace.contains("答复期限延至2024-04-15"), "{trace}");
    assert!(trace.contains("顺延至2024-04-17"), "{trace}");
}

#[test]
fn receipt_dates_follow_the_channel() {
    assert!(
        Channel::InPerson
            .check_receipt(d("2024-03-01"), d("2024-03-01"))
            .is_ok()
    );
    let e = Channel::InPerson
        .check_receipt(d("2024-03-01"), d("2024-03-04"))
        .unwrap_err();
    assert!(e.contains("第三十一条第一项"), "{e}");
    assert!(
        Channel::Post
            .check_receipt(d("2024-03-01"), d("2024-03-04"))
            .is_ok()
    );
    assert!(
        Channel::Online
            .check_receipt(d("2024-03-04"), d("2024-03-01"))
            .is_err()
    );
}

/// The case file's next steps follow the case: answer first while open (with the 补正 window's
/// last day), the correction while awaiting it, the delivery once replied; a delivery is lawful
/// only after the reply and not dated before it, and the reply's own words reach the 答复书.
#[test]
fn next_steps_and_delivery_follow_the_case() {
    use super::next::next_steps;
    let mut case = Case::new(Channel::Online, "2024-03-01", "2024-03-01");
    let steps = next_steps(
        &case.app,
        &case.clock("2024-03-04"),
        &case.cal,
        d("2024-03-04"),
    );
    assert_eq!(steps[0].action, "decide");
    // Past the 7 working days, 补正 is no longer offered.
    let late = next_steps(
        &case.app,
        &case.clock("2024-03-13"),
        &case.cal,
        d("2024-03-13"),
    );
    assert!(late.iter().all(|s| s.action != "supplement"), "{late:?}");
    assert!(steps[0].text.contains("2024-03-29前"), "{:?}", steps[0]);
    let sup = steps.iter().find(|s| s.action == "supplement").unwrap();
    assert!(sup.text.contains("2024-03-12前"), "{sup:?}");
    refused(
        case.try_push(EventKind::Delivered {
            on: d("2024-03-05"),
            method: DeliveryMethod::Post,
            note: String::new(),
        }),
        "尚未答复",
    );
    case.try_push(EventKind::SupplementRequested {
        on: d("2024-03-04"),
        items: "请写明学区".into(),
        correct_by: d("2024-03-15"),
        notice: None,
    })
    .unwrap();
    let steps = next_steps(
        &case.app,
        &case.clock("2024-03-05"),
        &case.cal,
        d("2024-03-05"),
    );
    assert_eq!(steps[0].action, "supplement_received");
    assert!(steps[0].text.contains("2024-03-15"));
    assert!(steps.iter().all(|s| s.action != "supplement"));
    case.try_push(EventKind::SupplementReceived {
        on: d("2024-03-06"),
    })
    .unwrap();
    case.try_push(EventKind::Decided {
        on: d("2024-03-20"),
        result: ReplyResult::Disclosed,
        basis: "条例第二十七条".into(),
        withheld: vec![],
        notice: None,
        text: "现将《灵武市2024年秋季学期学区划分方案》提供给您。".into(),
        parts: Default::default(),
    })
    .unwrap();
    assert_eq!(
        next_steps(
            &case.app,
            &case.clock("2024-03-21"),
            &case.cal,
            d("2024-03-21")
        )[0]
        .action,
        "deliver"
    );
    refused(
        case.try_push(EventKind::Delivered {
            on: d("2024-03-19"),
            method: DeliveryMethod::Post,
            note: String::new(),
        }),
        "早于答复日期",
    );
    case.try_push(EventKind::Delivered {
        on: d("2024-03-22"),
        method: DeliveryMethod::Post,
        note: "EMS 1234".into(),
    })
    .unwrap();
    assert_eq!(case.app.deliveries.len(), 1);
    let steps = next_steps(
        &case.app,
        &case.clock("2024-03-25"),
        &case.cal,
        d("2024-03-25"),
    );
    assert!(
        steps[0].text.contains("2024-03-22邮寄送达"),
        "{:?}",
        steps[0]
    );
    // Delivery leaves the case closed on its reply date.
    assert_eq!(case.app.status(), Status::Closed);
    let n = notice::build(
        &case.app,
        NoticeKind::Reply,
        "x",
        &notice::Issuer::named("甲"),
        d("2024-03-20"),
        &case.cal,
    )
    .unwrap();
    assert!(
        n.paragraphs
            .iter()
            .any(|p| p == "现将《灵武市2024年秋季学期学区划分方案》提供给您。")
    );
}
