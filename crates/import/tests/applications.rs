//! Applications: the demo's cases go through the workflow and make table 三 of 2021 and 2022
//! without findings; the applications importer is all-or-nothing with row/column errors.

use gongkai_domain::application::ReplyResult;
use gongkai_domain::application::workflow::Status;
use gongkai_domain::report::Report;
use gongkai_domain::report::compute::{ReportInput, compute, with_findings};
use gongkai_import::demo;
use gongkai_import::table::read_csv_text;
use gongkai_store::Db;
use gongkai_store::testing::TestDb;

async fn input(
    db: &Db,
    organ: &gongkai_domain::records::Organ,
    year: i32,
    units: bool,
) -> ReportInput {
    let mut input = db.report_input(organ, year, units).await.unwrap();
    // What the report loader does once it calls the application store.
    if input.applications.is_empty() {
        db.fill_applications(&mut input).await.unwrap();
    }
    input
}

fn cell(r: &Report, row: &str, column: &str) -> f64 {
    r.get("三", row, column)
        .unwrap_or_else(|| panic!("no cell 三/{row}/{column}"))
        .0
}

#[tokio::test]
async fn demo_applications_fill_table_three_without_findings() {
    let t = TestDb::sqlite().await;
    let db = &t.db;
    let summary = gongkai_app::imports::demo(
        &gongkai_app::App::new(db.clone(), gongkai_app::Time::system()),
        &gongkai_app::Actor::Operator("测试".into()),
    )
    .await
    .unwrap()
    .value;
    assert!(summary.applications >= 25);
    let organ = db.find_organ(demo::BUREAU_CODE).await.unwrap().unwrap();

    for units in [false, true] {
        let mut previous: Option<Report> = None;
        for year in [2020, 2021, 2022] {
            let r = with_findings(
                compute(&input(db, &organ, year, units).await),
                previous.as_ref(),
            );
            assert!(
                r.findings.is_empty(),
                "{year} (units: {units}): {:#?}",
                r.findings
            );
            previous = Some(r);
        }
    }
    let school = compute(&input(db, &organ, 2022, true).await);
    assert_eq!(
        cell(&school, "一、本年新收政府信息公开申请数量", "总计"),
        14.0
    );
    let r21 = compute(&input(db, &organ, 2021, false).await);
    let r22 = compute(&input(db, &organ, 2022, false).await);
    let total = "总计";
    assert_eq!(cell(&r21, "一、本年新收政府信息公开申请数量", total), 13.0);
    assert_eq!(cell(&r21, "二、上年结转政府信息公开申请数量", total), 0.0);
    assert_eq!(cell(&r21, "四、结转下年度继续办理", total), 2.0);
    assert_eq!(cell(&r22, "二、上年结转政府信息公开申请数量", total), 2.0);
    assert_eq!(cell(&r22, "一、本年新收政府信息公开申请数量", total), 13.0);
    assert_eq!(cell(&r22, "四、结转下年度继续办理", total), 1.0);

    // Every case of the demo is closed on time but the one carried into 2023, and the cases
    // the demo's reviews refer to exist.
    let cal = db.calendar().await.unwrap();
    for number in [
        "LWJT-2021-0002",
        "LWJT-2021-0005",
        "LWJT-2022-0003",
        "LWJT-2022-0006",
    ] {
        let a = db.find_application(number, Some(organ.id)).await.unwrap();
        assert_eq!(a.status, Status::Closed, "{number}");
    }
    for a in db.applications(None, None).await.unwrap() {
        let events = db.application_events(a.id).await.unwrap();
        let app = gongkai_domain::application::workflow::Application::from_events(&events).unwrap();
        let c = gongkai_domain::application::clock::compute_for(&app, &cal, a.received_on);
        // A case closed while awaiting correction had no period running (on_time is None).
        assert_ne!(c.on_time, Some(false), "{}: {:#?}", a.number, c.trace);
    }
    let not_paid = db
        .find_application("LWJT-2022-0005", Some(organ.id))
        .await
        .unwrap();
    assert_eq!(not_paid.result, Some(ReplyResult::FeeNotPaid));
    assert_eq!(
        db.application_fees_fen(&[organ.id], 2021).await.unwrap(),
        110_000
    );
    t.cleanup().await;
}

const CSV: &str = "机关,申请渠道,收到日期,申请人类型,申请人,身份证件,申请内容,办理结果,答复日期,法律依据,不予公开部分
灵武市教育体育局,网络,2023-03-06,自然人,张三,640181199001011234,招生方案,（一）予以公开,2023-03-20,条例第二十七条,
灵武市教育体育局,邮寄,2023-03-07,商业企业,某公司,,评标报告,（二）部分公开,2023-03-28,条例第三十七条,专家姓名：个人隐私
灵武市教育体育局,当面,2023-03-08,自然人,李四,,学校收费,撤回,2023-03-09,,
灵武市教育体育局,传真,2023-03-09,科研机构,某研究院,,经费统计,,,,
";

#[tokio::test]
async fn applications_import_through_the_workflow() {
    let t = TestDb::sqlite().await;
    let db = &t.db;
    gongkai_app::imports::demo(
        &gongkai_app::App::new(db.clone(), gongkai_app::Time::system()),
        &gongkai_app::Actor::Operator("测试".into()),
    )
    .await
    .unwrap();
    let n = gongkai_app::imports::applications(
        &gongkai_app::App::new(db.clone(), gongkai_app::Time::system()),
        &gongkai_app::Actor::Operator("导入".into()),
        &read_csv_text(CSV).unwrap(),
        None,
        "test.csv",
    )
    .await
    .map(|d| d.value)
    .unwrap();
    assert_eq!(n, 4);
    let organ = db.find_organ(demo::BUREAU_CODE).await.unwrap().unwrap();
    let list = db.applications(Some(organ.id), Some(2023)).await.unwrap();
    let new: Vec<_> = list
        .iter()
        .filter(|a| {
            a.received_on.format("%Y").to_string() == "2023"
                && a.received_on.format("%m").to_string() == "03"
        })
        .collect();
    assert_eq!(new.len(), 4);
    assert_eq!(new[0].result, Some(ReplyResult::Disclosed));
    assert_eq!(new[1].result, Some(ReplyResult::PartlyDisclosed));
    assert_eq!(new[2].status, Status::Withdrawn);
    assert_eq!(new[3].status, Status::Open);
    t.cleanup().await;
}

#[tokio::test]
async fn a_bad_applications_file_writes_nothing() {
    let t = TestDb::sqlite().await;
    let db = &t.db;
    gongkai_app::imports::demo(
        &gongkai_app::App::new(db.clone(), gongkai_app::Time::system()),
        &gongkai_app::Actor::Operator("测试".into()),
    )
    .await
    .unwrap();
    let before = db.applications(None, None).await.unwrap().len();
    // Row 2 is fine; row 3 has a bad date and an unknown type; row 4 a partial disclosure without
    // the withheld parts (refused by the workflow, after row 2 was written and rolled back).
    let bad = "机关,申请渠道,收到日期,申请人类型,申请人,申请内容,办理结果,答复日期,法律依据
灵武市教育体育局,网络,2023-03-06,自然人,张三,招生方案,（一）予以公开,2023-03-20,条例第二十七条
灵武市教育体育局,网络,2023-02-30,外星人,李四,招生方案,,,
";
    let e = gongkai_app::imports::applications(
        &gongkai_app::App::new(db.clone(), gongkai_app::Time::system()),
        &gongkai_app::Actor::Operator("导入".into()),
        &read_csv_text(bad).unwrap(),
        None,
        "test.csv",
    )
    .await
    .map(|d| d.value)
    .unwrap_err()
    .to_string();
    assert!(e.contains("第3行“收到日期”列"), "{e}");
    assert!(e.contains("第3行“申请人类型”列"), "{e}");
    let partly = "机关,申请渠道,收到日期,申请人类型,申请人,申请内容,办理结果,答复日期,法律依据
灵武市教育体育局,网络,2023-03-06,自然人,张三,招生方案,（一）予以公开,2023-03-20,条例第二十七条
灵武市教育体育局,网络,2023-03-07,自然人,李四,招生方案,（二）部分公开,2023-03-20,条例第三十七条
";
    let e = gongkai_app::imports::applications(
        &gongkai_app::App::new(db.clone(), gongkai_app::Time::system()),
        &gongkai_app::Actor::Operator("导入".into()),
        &read_csv_text(partly).unwrap(),
        None,
        "test.csv",
    )
    .await
    .map(|d| d.value)
    .unwrap_err()
    .to_string();
    assert!(e.contains("第3行") && e.contains("不予公开的部分"), "{e}");
    assert_eq!(db.applications(None, None).await.unwrap().len(), before);
    t.cleanup().await;
}
