//! Every letter of an application — the 答复书 of each outcome of table 三 and each notice —
//! rendered as PDF and as Word, read back (pdftotext page by page; the DOCX's paragraphs), and
//! checked against the points of `../shared/spec/replies.md` "Every letter" that apply: number,
//! addressee, receipt date, application number and request, one decision stated as a decision,
//! the article that fits, the case-specific parts, earlier steps cited by number and date, the
//! remedy of the outcome, no drafting notes or brackets, the Regulation named in full once, and
//! the 落款 on the page of the last paragraph.

use chrono::NaiveDate;
use gongkai_domain::application::ApplicantType;
use gongkai_domain::application::ReplyResult::{self, *};
use gongkai_domain::application::events::*;
use gongkai_domain::application::fees::FeeMethod;
use gongkai_domain::application::notice::{self, Issuer, Notice, NoticeKind};
use gongkai_domain::application::reply::{Remedy, ReplyParts};
use gongkai_domain::application::workflow::Application;
use gongkai_domain::calendar::Calendar;
use gongkai_pdf::PdfOptions;
use std::process::Command;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const CASE: &str = "LWJT-2024-0007";
const ORGAN: &str = "灵武市教育体育局";

fn issuer(remedy: Remedy) -> Issuer {
    Issuer {
        organ: ORGAN.into(),
        remedy,
        fee_payment: "到灵武市政务服务中心非税收入窗口缴纳".into(),
        case_number: CASE.into(),
    }
}

fn bureau() -> Remedy {
    Remedy {
        review_body: "灵武市人民政府".into(),
        court: "灵武市人民法院".into(),
        ..Remedy::default()
    }
}

/// A case received Monday 2024-03-04 from 宁夏某某科技有限公司, then `steps` (each checked by
/// the workflow as an officer's step is).
fn case(steps: Vec<EventKind>) -> Application {
    let reg = Event {
        seq: 1,
        at: d("2024-03-04").and_hms_opt(9, 0, 0).unwrap(),
        actor: "登记员".into(),
        kind: EventKind::Registered {
            channel: Channel::InPerson,
            submitted_on: d("2024-03-04"),
            received_on: d("2024-03-04"),
            applicant: Applicant {
                kind: ApplicantType::Business,
                name: "宁夏某某科技有限公司".into(),
                id_document: "91640181MA76XXXX1Y".into(),
                contact: "13900003333".into(),
                address: "灵武市某路1号".into(),
            },
            description: "2023年灵武市第一中学食堂承包合同".into(),
            form: "纸质".into(),
        },
    };
    let mut app = Application::from_events(&[reg]).unwrap();
    let cal = Calendar::builtin();
    for k in steps {
        app.check_and_apply(&k, &cal)
            .unwrap_or_else(|e| panic!("{k:?}: {e}"));
    }
    app
}

fn supplement() -> Vec<EventKind> {
    vec![EventKind::SupplementRequested {
        on: d("2024-03-06"),
        items: "所需合同的签订年份和学校名称".into(),
        correct_by: d("2024-03-27"),
        notice: Some("灵教依申请告〔2024〕3号".into()),
    }]
}

fn decided(result: ReplyResult, parts: ReplyParts, withheld: Vec<Withheld>) -> EventKind {
    EventKind::Decided {
        on: d("2024-03-29"),
        result,
        basis: String::new(),
        withheld,
        notice: Some("灵教依申请告〔2024〕9号".into()),
        text: String::new(),
        parts,
    }
}

/// What one outcome's letter must say: the case, phrases that must be in it (decision,
/// article, case-specific parts, earlier steps), and how it may be challenged.
struct Expect {
    result: ReplyResult,
    app: Application,
    remedy: Remedy,
    must: Vec<&'static str>,
    kind: RemedyWords,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum RemedyWords {
    Choice,
    ReviewFirst,
    Appeal,
    None,
}

fn parts() -> ReplyParts {
    ReplyParts::default()
}

fn outcomes() -> Vec<Expect> {
    let e = |result, steps: Vec<EventKind>, p: ReplyParts, must: Vec<&'static str>, kind| {
        let mut steps = steps;
        steps.push(decided(result, p, vec![]));
        Expect {
            result,
            app: case(steps),
            remedy: bureau(),
            must,
            kind,
        }
    };
    use RemedyWords::*;
    let mut v = vec![
        e(
            Disclosed,
            vec![],
            ReplyParts {
                provided: "合同复印件一份，随本答复书邮寄".into(),
                ..parts()
            },
            vec![
                "第三十六条第二项",
                "决定予以公开",
                "合同复印件一份，随本答复书邮寄",
            ],
            Choice,
        ),
        e(
            Disclosed,
            vec![],
            ReplyParts {
                published_at: "本局门户网站“法定主动公开内容—政府采购”栏目".into(),
                ..parts()
            },
            vec!["第三十六条第一项", "已经主动公开", "政府采购”栏目"],
            Choice,
        ),
        e(
            StateSecret,
            vec![],
            parts(),
            vec!["保守国家秘密法", "第十四条", "决定不予公开"],
            ReviewFirst,
        ),
        e(
            ForbiddenByLaw,
            vec![],
            ReplyParts {
                law: "《中华人民共和国统计法》第三十九条".into(),
                ..parts()
            },
            vec!["统计法》第三十九条禁止公开", "第十四条", "决定不予公开"],
            ReviewFirst,
        ),
        e(
            ThreeSafetiesOneStability,
            vec![],
            ReplyParts {
                harm: "公共安全".into(),
                reason: "合同附件载有学校食品储存库房的安防布防图".into(),
                ..parts()
            },
            vec!["危及公共安全", "安防布防图", "第十四条"],
            ReviewFirst,
        ),
        e(
            InternalAffairs,
            vec![],
            ReplyParts {
                reason: "该材料为本局机关食堂的内部考勤安排".into(),
                ..parts()
            },
            vec![
                "内部事务信息",
                "内部考勤安排",
                "第十六条第一款",
                "决定不予公开",
            ],
            ReviewFirst,
        ),
        e(
            ProcessInformation,
            vec![],
            ReplyParts {
                reason: "该材料为合同谈判过程中的磋商信函".into(),
                ..parts()
            },
            vec!["过程性信息", "磋商信函", "第十六条第二款", "决定不予公开"],
            ReviewFirst,
        ),
        e(
            EnforcementFile,
            vec![],
            ReplyParts {
                reason: "该材料为2023年食品安全检查行政处罚案卷".into(),
                ..parts()
            },
            vec!["行政执法案卷信息", "处罚案卷", "第十六条第二款", "当事人"],
            ReviewFirst,
        ),
        e(
            QueryProcedure,
            vec![],
            ReplyParts {
                law: "《中华人民共和国档案法》".into(),
                channel: "向灵武市档案馆申请查阅".into(),
                ..parts()
            },
            vec![
                "档案法》对其获取有特别规定",
                "第三十六条第七项",
                "灵武市档案馆",
            ],
            ReviewFirst,
        ),
        e(
            NotHeld,
            vec![],
            ReplyParts {
                searched: "检索了本局2020—2024年的收文、发文登记和合同档案".into(),
                ..parts()
            },
            vec!["第三十六条第四项", "合同档案", "该政府信息不存在"],
            ReviewFirst,
        ),
        e(
            NotHeld,
            vec![],
            ReplyParts {
                responsible_organ: "灵武市第一中学".into(),
                responsible_contact: "0951-4000000".into(),
                ..parts()
            },
            vec![
                "第三十六条第五项",
                "由灵武市第一中学负责公开",
                "0951-4000000",
            ],
            ReviewFirst,
        ),
        e(
            WouldNeedMaking,
            vec![],
            ReplyParts {
                reason: "本局只有各校分别报送的合同，汇总统计须另行制作".into(),
                ..parts()
            },
            vec!["第三十八条", "决定不予提供", "另行制作"],
            ReviewFirst,
        ),
        e(
            PetitionOrComplaint,
            vec![],
            ReplyParts {
                channel: "灵武市信访局，灵武市西平街1号，电话0951-4011111".into(),
                ..parts()
            },
            vec![
                "第三十九条第一款",
                "灵武市信访局",
                "不作为政府信息公开申请处理",
            ],
            ReviewFirst,
        ),
        e(
            Repeated,
            vec![],
            ReplyParts {
                earlier_reply: "灵教依申请告〔2024〕2号".into(),
                earlier_reply_on: Some(d("2024-02-20")),
                ..parts()
            },
            vec![
                "第三十六条第六项",
                "2024年2月20日",
                "灵教依申请告〔2024〕2号",
                "不予重复处理",
            ],
            ReviewFirst,
        ),
        e(
            Publication,
            vec![],
            ReplyParts {
                channel: "《灵武市人民政府公报》2024年第1期，可在市图书馆借阅".into(),
                ..parts()
            },
            vec!["第三十九条第二款", "市图书馆借阅"],
            ReviewFirst,
        ),
        e(
            ExcessiveRepetition,
            vec![
                EventKind::ReasonsRequested {
                    on: d("2024-03-07"),
                    items: "本月已提出申请42件，内容相近".into(),
                    notice: Some("灵教依申请告〔2024〕4号".into()),
                },
                EventKind::ReasonsAnswered {
                    on: d("2024-03-14"),
                    answer: "为研究需要".into(),
                },
            ],
            ReplyParts {
                reason: "所称研究需要与所申请的42件合同逐件内容无关".into(),
                ..parts()
            },
            vec![
                "第三十五条",
                "2024年3月7日",
                "灵教依申请告〔2024〕4号",
                "为研究需要",
                "申请理由不合理",
                "不予处理",
            ],
            ReviewFirst,
        ),
        e(
            ConfirmOrReissue,
            vec![],
            ReplyParts {
                reason: "要求对已取得的合同复印件加盖公章".into(),
                channel: "向合同签订学校申请出具证明".into(),
                ..parts()
            },
            vec!["第二条", "加盖公章", "合同签订学校"],
            ReviewFirst,
        ),
    ];
    // （二） with its withheld parts, each with its ground.
    v.push(Expect {
        result: PartlyDisclosed,
        app: case(vec![decided(
            PartlyDisclosed,
            ReplyParts {
                provided: "合同正文（已删去不予公开的内容），随本答复书邮寄".into(),
                ..parts()
            },
            vec![
                Withheld {
                    part: "承包人法定代表人身份证号码".into(),
                    reason: "个人隐私（条例第十五条）".into(),
                },
                Withheld {
                    part: "报价明细".into(),
                    reason: "商业秘密，经征求第三方意见不同意公开（条例第十五条）".into(),
                },
            ],
        )]),
        remedy: bureau(),
        must: vec![
            "第三十七条",
            "决定部分公开",
            "下列内容不予公开，理由和依据如下：",
            "1．承包人法定代表人身份证号码：个人隐私",
            "2．报价明细",
        ],
        kind: RemedyWords::ReviewFirst,
    });
    // （三）4 with a consultation on record cites art. 32, its letter, date and answer.
    v.push(Expect {
        result: ThirdPartyRights,
        app: case(vec![
            EventKind::ConsultationStarted {
                on: d("2024-03-05"),
                party: ConsultParty::ThirdParty,
                with: "宁夏某某餐饮有限公司".into(),
                matter: "合同含贵公司报价".into(),
                notice: Some("灵教依申请告〔2024〕5号".into()),
            },
            EventKind::ConsultationAnswered {
                on: d("2024-03-15"),
                index: 0,
                answer: "报价属商业秘密，不同意公开".into(),
                objects: true,
            },
            decided(
                ThirdPartyRights,
                ReplyParts {
                    reason: "合同报价为承包企业的商业秘密".into(),
                    ..parts()
                },
                vec![],
            ),
        ]),
        remedy: bureau(),
        must: vec![
            "第十五条、第三十二条",
            "2024年3月5日",
            "灵教依申请告〔2024〕5号",
            "2024年3月15日答复",
            "商业秘密",
        ],
        kind: RemedyWords::ReviewFirst,
    });
    // （四）3 cites the 补正告知's number and date.
    let mut s = supplement();
    s.push(EventKind::SupplementReceived {
        on: d("2024-03-12"),
    });
    s.push(decided(
        UnclearAfterCorrection,
        ReplyParts {
            reason: "补正后仍未写明所指的学校".into(),
            ..parts()
        },
        vec![],
    ));
    v.push(Expect {
        result: UnclearAfterCorrection,
        app: case(s),
        remedy: bureau(),
        must: vec![
            "第三十条",
            "2024年3月6日",
            "灵教依申请告〔2024〕3号",
            "仍未写明所指的学校",
            "可以重新提出",
        ],
        kind: RemedyWords::ReviewFirst,
    });
    // （六）1: the 补正告知 and the deadline that passed; no remedy.
    let mut s = supplement();
    s.push(decided(NoCorrectionInTime, parts(), vec![]));
    v.push(Expect {
        result: NoCorrectionInTime,
        app: case(s),
        remedy: bureau(),
        must: vec![
            "第三十条",
            "灵教依申请告〔2024〕3号",
            "2024年3月27日前（含当日）",
            "视为",
        ],
        kind: RemedyWords::None,
    });
    // （六）2: the fee notice and its 20 working days; no remedy.
    v.push(Expect {
        result: FeeNotPaid,
        app: case(vec![
            EventKind::FeeNoticed {
                on: d("2024-03-05"),
                method: FeeMethod::PerPage,
                basis: FeeBasis::Pages(120),
                amount_fen: 110_000,
                pay_by: d("2024-04-03"),
                notice: Some("灵教依申请告〔2024〕6号".into()),
            },
            EventKind::FeeNotPaid {
                on: d("2024-04-08"),
            },
        ]),
        remedy: bureau(),
        must: vec![
            "第四十二条",
            "国办函〔2020〕109号",
            "灵教依申请告〔2024〕6号",
            "2024年4月3日",
            "二十个工作日",
        ],
        kind: RemedyWords::None,
    });
    // （六）3: a withdrawal, a short 终止办理告知 with its date.
    v.push(Expect {
        result: Other,
        app: case(vec![EventKind::Withdrawn {
            on: d("2024-03-12"),
            reason: "已自行取得".into(),
        }]),
        remedy: bureau(),
        must: vec!["2024年3月12日撤回", "终止办理"],
        kind: RemedyWords::None,
    });
    // A school (art. 55) names the 申诉, never review or suit.
    v.push(Expect {
        result: InternalAffairs,
        app: case(vec![decided(
            InternalAffairs,
            ReplyParts {
                reason: "该材料为学校食堂的内部排班".into(),
                ..parts()
            },
            vec![],
        )]),
        remedy: Remedy {
            public_institution: true,
            appeal_body: "灵武市教育体育局".into(),
            ..Remedy::default()
        },
        must: vec!["向灵武市教育体育局申诉", "第五十五条"],
        kind: RemedyWords::Appeal,
    });
    v
}

fn pdf_pages(bytes: &[u8], name: &str) -> Vec<String> {
    let path =
        std::env::temp_dir().join(format!("gongkai-letters-{}-{name}.pdf", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("pdftotext")
        .args([path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext is needed (poppler-utils)");
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split('\u{c}')
        .map(squeeze)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Text without white space, so phrases broken across lines are found.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn docx_text(bytes: &[u8]) -> String {
    let lines = gongkai_audit::structured::docx_lines(bytes, &Default::default()).unwrap();
    squeeze(
        &lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// The points of "Every letter" that every letter to the applicant meets.
/// `cites`: the letter rests on an article (a withdrawal's 终止办理告知 needs none).
fn every_letter(n: &Notice, text: &str, what: &str, cites: bool) {
    let has = |s: &str| text.contains(&squeeze(s));
    assert!(has(&n.number), "{what}: number {}", n.number);
    assert!(has("宁夏某某科技有限公司："), "{what}: addressee by name");
    assert!(has("2024年3月4日收到你单位"), "{what}: receipt date");
    assert!(has(CASE), "{what}: application number");
    assert!(
        has("2023年灵武市第一中学食堂承包合同"),
        "{what}: the request"
    );
    // The Regulation named in full (once), never a bare "条例第…".
    assert!(
        !cites || has("《中华人民共和国政府信息公开条例》"),
        "{what}: Regulation in full"
    );
    assert!(!text.contains("条例第"), "{what}: a bare 条例第…");
    // No drafting notes, alternatives, placeholders, English or counting notes.
    for bad in [
        "（或",
        "（如能",
        "（如有",
        "××",
        "XX",
        "[",
        "]",
        "{",
        "}",
        "依据：",
        "只计这一情形",
        "可以不予公开",
        "可以不予提供",
        "第三方不同意公开，依据",
    ] {
        assert!(!text.contains(bad), "{what}: contains {bad}");
    }
    let english: String = text
        .replace(CASE, "")
        .replace("PDF", "")
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect();
    assert!(english.is_empty(), "{what}: English {english}");
}

fn remedy_words(text: &str, kind: RemedyWords, what: &str) {
    let review_first = text.contains("应当先申请行政复议") && text.contains("十五日内");
    let choice = text.contains("六个月内") && text.contains("六十日内");
    let appeal = text.contains("申诉");
    let any = text.contains("行政复议") || text.contains("行政诉讼") || appeal;
    match kind {
        RemedyWords::Choice => assert!(choice && !review_first, "{what}: choice"),
        RemedyWords::ReviewFirst => {
            assert!(
                review_first && !text.contains("六个月"),
                "{what}: review first"
            );
            assert!(text.contains("灵武市人民政府") && text.contains("灵武市人民法院"));
        }
        RemedyWords::Appeal => assert!(
            appeal && !text.contains("行政复议") && !text.contains("行政诉讼"),
            "{what}: 申诉"
        ),
        RemedyWords::None => assert!(!any, "{what}: no remedy"),
    }
}

#[test]
fn every_outcome_reads_as_a_reply_a_review_body_would_uphold() {
    let cal = Calendar::builtin();
    let mut seen = std::collections::BTreeSet::new();
    for (i, x) in outcomes().iter().enumerate() {
        let what = format!("{:?} #{i}", x.result);
        seen.insert(x.result);
        let n = notice::build(
            &x.app,
            NoticeKind::Reply,
            "灵教依申请告〔2024〕9号",
            &issuer(x.remedy.clone()),
            d("2024-03-29"),
            &cal,
        )
        .unwrap();
        let pdf = gongkai_pdf::notice(&n, &PdfOptions::default()).unwrap();
        // GONGKAI_LETTERS_DIR=… keeps each letter for a person to read.
        if let Ok(dir) = std::env::var("GONGKAI_LETTERS_DIR") {
            std::fs::write(format!("{dir}/reply-{i:02}-{:?}.pdf", x.result), &pdf).unwrap();
        }
        let pages = pdf_pages(&pdf, &format!("reply-{i}"));
        let docx = gongkai_render::notice::docx(&n, &Default::default()).unwrap();
        for (text, door) in [(pages.concat(), "PDF"), (docx_text(&docx), "Word")] {
            let what = format!("{what} {door}");
            every_letter(&n, &text, &what, x.result != Other);
            for m in &x.must {
                assert!(text.contains(&squeeze(m)), "{what}: must say {m}\n{text}");
            }
            remedy_words(&text, x.kind, &what);
        }
        // The 落款 — organ and date — on the page of the last paragraph.
        let last = pages.last().unwrap();
        assert!(
            last.ends_with(&squeeze(&format!("{ORGAN}2024年3月29日")))
                || last.contains(&squeeze(&format!("{ORGAN}2024年3月29日"))),
            "{what}: signature {last}"
        );
        let closing = n.paragraphs.last().unwrap();
        assert!(
            last.contains(&squeeze(closing)),
            "{what}: 落款 alone on its page"
        );
    }
    assert_eq!(
        seen.len(),
        ReplyResult::ALL.len(),
        "every outcome has its letter"
    );
}

#[test]
fn a_long_letter_keeps_its_signature_with_the_last_paragraph() {
    // Enough withheld parts to push the end of the letter to the foot of page 1 or onto page 2.
    let cal = Calendar::builtin();
    for count in [6, 8, 10, 12, 14] {
        let withheld: Vec<Withheld> = (1..=count)
            .map(|k| Withheld {
                part: format!("第{k}份附件中承包人员工的身份证号码、住址和联系电话"),
                reason: "属于个人隐私，公开会对第三方合法权益造成损害（条例第十五条）".into(),
            })
            .collect();
        let app = case(vec![decided(
            PartlyDisclosed,
            ReplyParts {
                provided: "合同正文及附件（已删去不予公开的内容），随本答复书邮寄".into(),
                ..parts()
            },
            withheld,
        )]);
        let n = notice::build(
            &app,
            NoticeKind::Reply,
            "灵教依申请告〔2024〕9号",
            &issuer(bureau()),
            d("2024-03-29"),
            &cal,
        )
        .unwrap();
        let pages = pdf_pages(
            &gongkai_pdf::notice(&n, &PdfOptions::default()).unwrap(),
            &format!("long-{count}"),
        );
        let last = pages.last().unwrap();
        let remedy = n.paragraphs[n.paragraphs.len() - 2].clone();
        assert!(
            last.contains(&squeeze(&remedy)),
            "{count}: remedy with the 落款"
        );
        assert!(last.contains(&squeeze(ORGAN)), "{count}");
    }
}

#[test]
fn every_notice_says_what_the_law_asks_of_it() {
    let cal = Calendar::builtin();
    let mut steps = supplement();
    steps.push(EventKind::SupplementReceived {
        on: d("2024-03-12"),
    });
    steps.extend([
        EventKind::ReasonsRequested {
            on: d("2024-03-13"),
            items: "本月已提出申请42件，内容相近".into(),
            notice: None,
        },
        EventKind::ConsultationStarted {
            on: d("2024-03-14"),
            party: ConsultParty::ThirdParty,
            with: "宁夏某某餐饮有限公司".into(),
            matter: "合同附件含贵公司的报价明细".into(),
            notice: Some("灵教依申请告〔2024〕5号".into()),
        },
        EventKind::ConsultationAnswered {
            on: d("2024-03-18"),
            index: 0,
            answer: "不同意公开".into(),
            objects: true,
        },
        EventKind::ThirdPartyNotified {
            on: d("2024-03-19"),
            index: 0,
            reason: "合同总价涉及学生餐费支出，不公开可能对公共利益造成重大影响，决定公开合同总价"
                .into(),
            notice: None,
        },
        EventKind::Extended {
            on: d("2024-03-20"),
            days: 10,
            reason: "需调取各校档案".into(),
            approved_by: "办公室主任".into(),
            notice: None,
        },
        EventKind::FeeNoticed {
            on: d("2024-03-21"),
            method: FeeMethod::PerPage,
            basis: FeeBasis::Pages(120),
            amount_fen: 110_000,
            pay_by: d("2024-04-19"),
            notice: None,
        },
    ]);
    // Each notice says what the case was when it was issued: the log up to its step.
    let upto = |n: usize| case(steps[..n].to_vec());
    let checks: [(NoticeKind, usize, &[&str], bool); 6] = [
        (
            NoticeKind::Supplement,
            1,
            &[
                "所需合同的签订年份和学校名称",
                "2024年3月27日前（含当日）",
                "重新计算",
                "视为放弃申请",
                "第三十条",
            ],
            true,
        ),
        (
            NoticeKind::Reasons,
            3,
            &["第三十五条", "42件", "说明申请理由"],
            true,
        ),
        (
            NoticeKind::Consultation,
            4,
            &[
                "第三十二条",
                "十五个工作日",
                "报价明细",
                "逾期未提出意见",
                "宁夏某某餐饮有限公司：",
            ],
            false,
        ),
        (
            NoticeKind::Disclosure,
            6,
            &[
                "第三十二条",
                "决定予以公开",
                "合同总价",
                "灵教依申请告〔2024〕5号",
                "宁夏某某餐饮有限公司：",
            ],
            false,
        ),
        (
            NoticeKind::Extension,
            7,
            &[
                "第三十三条第二款",
                "延长10个工作日",
                "需调取各校档案",
                "答复期限延长至",
            ],
            true,
        ),
        (
            NoticeKind::Fee,
            8,
            &[
                "1100元",
                "120页",
                "按量计收",
                "2024年4月19日前（含当日）",
                "缴费方式：到灵武市政务服务中心非税收入窗口缴纳",
                "视为放弃申请",
            ],
            true,
        ),
    ];
    for (kind, n_steps, must, to_applicant) in checks {
        let app = upto(n_steps);
        let n = notice::build(
            &app,
            kind,
            "灵教依申请告〔2024〕11号",
            &issuer(bureau()),
            d("2024-03-21"),
            &cal,
        )
        .unwrap_or_else(|| panic!("{kind:?}"));
        let pdf = pdf_pages(
            &gongkai_pdf::notice(&n, &PdfOptions::default()).unwrap(),
            kind.code(),
        );
        let docx = docx_text(&gongkai_render::notice::docx(&n, &Default::default()).unwrap());
        for (text, door) in [(pdf.concat(), "PDF"), (docx, "Word")] {
            let what = format!("{kind:?} {door}");
            for m in must {
                assert!(text.contains(&squeeze(m)), "{what}: must say {m}\n{text}");
            }
            // Notices that decide nothing carry no remedy.
            assert!(
                !text.contains("行政复议") && !text.contains("行政诉讼"),
                "{what}"
            );
            assert!(text.contains("灵教依申请告〔2024〕11号"), "{what}: number");
            assert!(!text.contains("条例第") && !text.contains("（或"), "{what}");
            if to_applicant {
                every_letter(&n, &text, &what, true);
            } else {
                // A letter to the third party never carries the applicant's identity.
                for personal in ["宁夏某某科技有限公司", "91640181", "13900003333", "某路1号"]
                {
                    assert!(!text.contains(personal), "{what}: {personal}");
                }
            }
        }
        let last = pdf.last().unwrap();
        assert!(
            last.contains(&squeeze(ORGAN)),
            "{kind:?}: 落款 with the last paragraph"
        );
        assert!(last.contains(&squeeze(n.paragraphs.last().unwrap())));
    }
}
