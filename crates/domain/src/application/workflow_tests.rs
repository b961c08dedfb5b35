//! The refusals of [`Application::check`] the scenarios do not reach, one per rule, each
//! found by its message (the scenarios cover the 7-day window, the single 补正, the extension
//! cap and deadline, the fee amount, partial disclosure without parts, a missing basis and a
//! closed case).

use super::*;
use crate::application::ApplicantType;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn registration() -> EventKind {
    EventKind::Registered {
        channel: Channel::InPerson,
        submitted_on: d("2024-03-04"),
        received_on: d("2024-03-04"),
        applicant: Applicant {
            kind: ApplicantType::NaturalPerson,
            name: "甲".into(),
            id_document: String::new(),
            contact: String::new(),
            address: String::new(),
        },
        description: "文件".into(),
        form: String::new(),
    }
}

/// A case received Monday 2024-03-04, then `steps`, each checked.
fn case(steps: &[EventKind]) -> Application {
    let first = Event {
        seq: 1,
        at: d("2024-03-04").and_hms_opt(9, 0, 0).unwrap(),
        actor: "登记员".into(),
        kind: registration(),
    };
    let mut app = Application::from_events(&[first]).unwrap();
    for k in steps {
        app.check_and_apply(k, &Calendar::builtin()).unwrap();
    }
    app
}

fn refused(app: &Application, kind: EventKind, needle: &str) {
    match app.check(&kind, &Calendar::builtin()) {
        Err(WorkflowError::Refused(m)) => assert!(m.contains(needle), "{m} ≠ {needle}"),
        other => panic!("expected a refusal containing {needle}, got {other:?}"),
    }
}

fn supplement(on: &str, correct_by: &str, items: &str) -> EventKind {
    EventKind::SupplementRequested {
        on: d(on),
        items: items.into(),
        correct_by: d(correct_by),
        notice: None,
    }
}

fn consult(on: &str, with: &str) -> EventKind {
    EventKind::ConsultationStarted {
        on: d(on),
        party: ConsultParty::ThirdParty,
        with: with.into(),
        matter: String::new(),
        notice: None,
    }
}

fn answer(on: &str, index: usize) -> EventKind {
    EventKind::ConsultationAnswered {
        on: d(on),
        index,
        answer: "同意".into(),
        objects: false,
    }
}

/// 120 pages by volume: 1,100 元.
fn fee(on: &str, basis: FeeBasis, amount_fen: i64, pay_by: &str) -> EventKind {
    EventKind::FeeNoticed {
        on: d(on),
        method: FeeMethod::PerPage,
        basis,
        amount_fen,
        pay_by: d(pay_by),
        notice: None,
    }
}

fn decide(on: &str, result: ReplyResult, withheld: Vec<Withheld>) -> EventKind {
    EventKind::Decided {
        on: d(on),
        result,
        basis: "条例第三十六条".into(),
        withheld,
        notice: None,
        text: String::new(),
        parts: Default::default(),
    }
}

#[test]
fn registration_assignment_and_correction() {
    let open = case(&[]);
    refused(&open, registration(), "不能重复登记");
    refused(
        &open,
        EventKind::Assigned {
            handler: " ".into(),
        },
        "承办人不能为空",
    );
    refused(
        &open,
        supplement("2024-03-05", "2024-03-20", " "),
        "请写明需要补正的事项",
    );
    refused(
        &open,
        supplement("2024-03-05", "2024-03-05", "身份证明"),
        "补正期限应晚于补正告知的日期",
    );
    let received = EventKind::SupplementReceived {
        on: d("2024-03-08"),
    };
    refused(&open, received.clone(), "尚未发出补正告知");
    let asked = supplement("2024-03-06", "2024-03-20", "身份证明");
    refused(
        &case(std::slice::from_ref(&asked)),
        EventKind::SupplementReceived {
            on: d("2024-03-05"),
        },
        "早于补正告知的日期",
    );
    refused(
        &case(&[asked, received.clone()]),
        received,
        "已登记过补正后的申请",
    );
}

#[test]
fn consultations() {
    let open = case(&[]);
    let awaiting = case(&[supplement("2024-03-05", "2024-03-20", "身份证明")]);
    refused(
        &awaiting,
        consult("2024-03-06", "乙公司"),
        "补正前不宜征求意见",
    );
    refused(&open, consult("2024-03-06", " "), "请写明征求意见的对象");
    refused(
        &case(&[EventKind::Extended {
            on: d("2024-03-07"),
            days: 5,
            reason: "需要调取档案".into(),
            approved_by: "丙".into(),
            notice: None,
        }]),
        consult("2024-03-06", "乙公司"),
        "早于本案上一步骤的日期",
    );
    refused(&open, answer("2024-03-08", 0), "没有第1次征求意见");
    let consulting = case(&[consult("2024-03-06", "乙公司")]);
    refused(&consulting, answer("2024-03-05", 0), "早于征求意见的日期");
    refused(
        &case(&[consult("2024-03-06", "乙公司"), answer("2024-03-08", 0)]),
        answer("2024-03-09", 0),
        "已登记过答复",
    );
}

#[test]
fn extension_needs_reason_and_approval() {
    refused(
        &case(&[]),
        EventKind::Extended {
            on: d("2024-03-07"),
            days: 0,
            reason: "需要调取档案".into(),
            approved_by: "丙".into(),
            notice: None,
        },
        "不得超过20个工作日",
    );
    refused(
        &case(&[]),
        EventKind::Extended {
            on: d("2024-03-07"),
            days: 10,
            reason: "需要调取档案".into(),
            approved_by: " ".into(),
            notice: None,
        },
        "须写明理由和批准人",
    );
}

/// In December the calendar does not reach the deadline until the State Council publishes next
/// year's holidays: an extension is still accepted against the provisional deadline (weekends
/// only), and still refused once that deadline has passed.
#[test]
fn an_extension_in_december_is_checked_against_the_provisional_deadline() {
    let cal = Calendar::builtin();
    assert!(
        cal.add_working_days(d("2026-12-08"), 20).is_err(),
        "2027 is not loaded"
    );
    let mut reg = registration();
    if let EventKind::Registered {
        submitted_on,
        received_on,
        ..
    } = &mut reg
    {
        *submitted_on = d("2026-12-03");
        *received_on = d("2026-12-03");
    }
    let first = Event {
        seq: 1,
        at: d("2026-12-03").and_hms_opt(9, 0, 0).unwrap(),
        actor: "登记员".into(),
        kind: reg,
    };
    let mut app = Application::from_events(&[first]).unwrap();
    // A 补正 received on 2026-12-07 restarts the clock: 20 working days from 2026-12-08 reach
    // 2027-01-04 when 2027-01-01 is counted as a working day (weekends only).
    for k in [
        supplement("2026-12-04", "2026-12-25", "请写明项目名称"),
        EventKind::SupplementReceived {
            on: d("2026-12-07"),
        },
    ] {
        app.check_and_apply(&k, &cal).unwrap();
    }
    let (clock, provisional) =
        super::super::clock::compute_provisional(&app, &cal, d("2026-12-08"));
    assert!(provisional);
    assert_eq!(clock.due, Some(d("2027-01-04")));
    let extend = |on: &str| EventKind::Extended {
        on: d(on),
        days: 20,
        reason: "需要调取多所学校的档案".into(),
        approved_by: "丙".into(),
        notice: None,
    };
    app.check(&extend("2026-12-08"), &cal).unwrap();
    refused(&app, extend("2027-01-05"), "答复期限已于 2027-01-04 届满");
}

#[test]
fn fee_notices_and_payment() {
    let open = case(&[]);
    let pages = FeeBasis::Pages(120);
    // 20 working days from 2024-03-06 (清明 04-04–04-06 off): 2024-04-03.
    refused(
        &open,
        fee("2024-03-06", pages, 110_000, "2024-04-02"),
        "不得早于 2024-04-03",
    );
    let noticed = fee("2024-03-06", pages, 110_000, "2024-04-03");
    let pending = case(std::slice::from_ref(&noticed));
    refused(&pending, noticed.clone(), "已有一份待缴的收费通知");
    let awaiting = case(&[supplement("2024-03-05", "2024-03-20", "身份证明")]);
    refused(&awaiting, noticed.clone(), "不能发出收费通知");
    refused(
        &open,
        fee("2024-03-06", FeeBasis::NthInMonth(12), 10_000, "2024-03-27"),
        "计费方式与计费依据不符",
    );
    refused(
        &open,
        fee("2024-03-06", FeeBasis::Pages(1), 0, "2024-03-27"),
        "不应收费",
    );
    refused(
        &open,
        fee("2024-03-06", pages, 110_000, "2024-03-06"),
        "缴费期限应晚于收费通知的日期",
    );
    let paid = |on: &str| EventKind::FeePaid { on: d(on) };
    refused(&open, paid("2024-03-08"), "没有待缴的收费通知");
    refused(&pending, paid("2024-03-05"), "早于收费通知的日期");
    refused(
        &pending,
        EventKind::FeeNotPaid {
            on: d("2024-04-03"),
        },
        "期限届满前不能按逾期未缴处理",
    );
    refused(
        &pending,
        decide("2024-03-08", ReplyResult::Disclosed, Vec::new()),
        "缴费后再答复",
    );
}

#[test]
fn replies_fit_the_correction_and_what_is_withheld() {
    let open = case(&[]);
    let part = |part: &str| Withheld {
        part: part.into(),
        reason: "个人隐私".into(),
    };
    refused(
        &open,
        decide(
            "2024-03-08",
            ReplyResult::Disclosed,
            vec![part("身份证号码")],
        ),
        "只有部分公开的答复才列明",
    );
    refused(
        &open,
        decide("2024-03-08", ReplyResult::PartlyDisclosed, vec![part(" ")]),
        "每一项不予公开的部分都须写明内容和理由",
    );
    let late = |on: &str| decide(on, ReplyResult::NoCorrectionInTime, Vec::new());
    refused(&open, late("2024-03-25"), "未发出补正告知");
    let asked = supplement("2024-03-05", "2024-03-20", "身份证明");
    let awaiting = case(std::slice::from_ref(&asked));
    refused(
        &awaiting,
        late("2024-03-20"),
        "期限届满前不能按逾期未补正处理",
    );
    assert!(
        awaiting
            .check(&late("2024-03-21"), &Calendar::builtin())
            .is_ok()
    );
    refused(
        &awaiting,
        decide("2024-03-08", ReplyResult::Disclosed, Vec::new()),
        "收到补正后再答复",
    );
    let corrected = case(&[
        asked,
        EventKind::SupplementReceived {
            on: d("2024-03-08"),
        },
    ]);
    refused(&corrected, late("2024-03-25"), "申请人已补正");
    refused(
        &open,
        decide(
            "2024-03-08",
            ReplyResult::UnclearAfterCorrection,
            Vec::new(),
        ),
        "须先发出补正告知并收到补正",
    );
    refused(
        &open,
        decide("2024-03-08", ReplyResult::FeeNotPaid, Vec::new()),
        "而非答复",
    );
    refused(
        &awaiting,
        EventKind::Withdrawn {
            on: d("2024-03-04"),
            reason: String::new(),
        },
        "早于本案上一步骤的日期",
    );
}

/// A step sent from a stale form (a second tab) after the case closed is refused in words the
/// officer reads once: "申请已办结", never "申请已已办结".
#[test]
fn a_step_after_the_reply_says_the_case_is_closed() {
    let closed = case(&[decide("2024-03-08", ReplyResult::Disclosed, vec![])]);
    refused(
        &closed,
        supplement("2024-03-08", "2024-03-22", "请写明学校名称"),
        "申请已办结，不能再要求补正",
    );
}
