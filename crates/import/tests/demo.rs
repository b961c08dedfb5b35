//! The demo records reproduce the seed report: every cell of
//! ../shared/fixtures/reports/lingwu-edu-2020.expected.json, computed from records. The test reads
//! the repository's own copy of that fixture (kept byte-identical in the auditor's corpus), so it
//! does not depend on where the checkout sits.

use gongkai_domain::report::compute::compute;
use gongkai_domain::report::{Format, ReportSet};
use gongkai_import::demo;
use gongkai_store::Backend;
use gongkai_store::testing::TestDb;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../audit/tests/corpus/seed/lingwu-edu-2020.expected.json"
);

#[tokio::test]
async fn demo_2020_reproduces_every_cell_of_the_seed_on_sqlite() {
    seed_cells(Backend::Sqlite).await;
}

#[tokio::test]
async fn demo_2020_reproduces_every_cell_of_the_seed_on_postgres() {
    seed_cells(Backend::Postgres).await;
}

async fn seed_cells(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    gongkai_app::imports::demo(
        &gongkai_app::App::new(db.clone(), gongkai_app::Time::system()),
        &gongkai_app::Actor::Operator("测试".into()),
    )
    .await
    .unwrap();
    let expected: ReportSet =
        serde_json::from_str(&std::fs::read_to_string(FIXTURE).expect("fixture")).unwrap();
    let expected = &expected.reports[0];

    let organ = db.find_organ(demo::BUREAU_NAME).await.unwrap().unwrap();
    let input = db.report_input(&organ, 2020, false).await.unwrap();
    let report = compute(&input);
    assert_eq!(report.organ, expected.organ);
    assert_eq!(report.format, Format::F2019);
    assert_eq!(report.sections, expected.sections);
    assert_eq!(expected.cells.len(), 198);
    assert_eq!(report.cells.len(), expected.cells.len());
    for (got, want) in report.cells.iter().zip(&expected.cells) {
        assert_eq!(
            (&got.table, &got.row, &got.column, got.value),
            (&want.table, &want.row, &want.column, want.value),
        );
    }
    // The drafted text quotes table 二's figures by row, and nothing the tables do not print
    // (see every_figure_of_the_drafted_section_one_is_printed_in_the_tables).
    let one = report.text_of("一、总体情况").unwrap();
    assert!(one.contains("全年作出行政许可处理决定195件"), "{one}");
    assert!(one.contains("政府集中采购：采购总金额3600万元。"), "{one}");
    assert!(
        one.contains("对收到的群众来信、投诉均按照流程进行答复"),
        "{one}"
    );
    assert!(one.contains("全年未收到政府信息公开申请"), "{one}");

    // With its units the bureau's figures grow (a school's procurement, its items).
    let with_units = compute(&db.report_input(&organ, 2020, true).await.unwrap());
    assert_eq!(
        with_units
            .get("二", "政府集中采购", "采购项目数量")
            .unwrap()
            .0,
        25.0
    );
    t.cleanup().await;
}

#[tokio::test]
async fn demo_loads_once() {
    let t = TestDb::sqlite().await;
    gongkai_app::imports::demo(
        &gongkai_app::App::new(t.db.clone(), gongkai_app::Time::system()),
        &gongkai_app::Actor::Operator("测试".into()),
    )
    .await
    .unwrap();
    let before = t.db.record_counts().await.unwrap();
    let e = gongkai_app::imports::demo(
        &gongkai_app::App::new(t.db.clone(), gongkai_app::Time::system()),
        &gongkai_app::Actor::Operator("测试".into()),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(e.contains("已加载过"), "{e}");
    assert_eq!(t.db.record_counts().await.unwrap(), before);
    t.cleanup().await;
}

#[tokio::test]
async fn demo_reports_have_no_findings() {
    let t = TestDb::sqlite().await;
    gongkai_app::imports::demo(
        &gongkai_app::App::new(t.db.clone(), gongkai_app::Time::system()),
        &gongkai_app::Actor::Operator("测试".into()),
    )
    .await
    .unwrap();
    let organ = t.db.find_organ(demo::BUREAU_CODE).await.unwrap().unwrap();
    for year in [2020, 2021, 2022] {
        for units in [false, true] {
            let r = gongkai_app::reports::compute(&app_in(&t.db, year), &organ, year, units)
                .await
                .unwrap();
            assert!(
                r.findings.is_empty(),
                "{year} (units: {units}): {:#?}",
                r.findings
            );
        }
    }
    // 2021 and 2022 exercise table 三 with non-zero figures, carry-over between the years (R7),
    // the 2021 format's table 二 (R8) and table 四.
    let r21 = gongkai_app::reports::compute(&app_in(&t.db, 2021), &organ, 2021, false)
        .await
        .unwrap();
    let r22 = gongkai_app::reports::compute(&app_in(&t.db, 2022), &organ, 2022, false)
        .await
        .unwrap();
    let g = |r: &gongkai_domain::report::Report, t: &str, row: &str, c: &str| {
        r.get(t, row, c).unwrap().0
    };
    use gongkai_domain::report::layout::{ROW_CARRIED_IN, ROW_CARRIED_OUT, ROW_NEW};
    assert!(g(&r21, "三", ROW_NEW, "总计") > 0.0);
    assert!(g(&r22, "三", ROW_NEW, "总计") > 0.0);
    assert!(g(&r21, "三", ROW_CARRIED_OUT, "总计") > 0.0);
    assert_eq!(
        g(&r22, "三", ROW_CARRIED_IN, "总计"),
        g(&r21, "三", ROW_CARRIED_OUT, "总计")
    );
    assert_eq!(g(&r21, "二", "行政规范性文件", "现行有效件数"), 3.0);
    assert_eq!(g(&r22, "二", "行政规范性文件", "现行有效件数"), 4.0);
    assert!(g(&r21, "二", "行政事业性收费", "本年收费金额（单位：万元）") > 0.0);
    assert_eq!(g(&r21, "四", "未经复议直接起诉", "尚未审结"), 1.0);
    assert_eq!(g(&r22, "四", "复议后起诉", "尚未审结"), 1.0);
    let one = r22.text_of("一、总体情况").unwrap();
    assert!(one.contains("全年新收政府信息公开申请"), "{one}");
    // Each unit reports alone too.
    for unit in t.db.units_of(organ.id).await.unwrap() {
        let r = gongkai_app::reports::compute(&app_in(&t.db, 2022), &unit, 2022, false)
            .await
            .unwrap();
        assert!(r.findings.is_empty(), "{}: {:#?}", unit.name, r.findings);
    }
    t.cleanup().await;
}

/// The use cases over a test database, on the clock of mid-January of the year after `year`,
/// when the office drafts that year's report (before the art. 49 deadline).
fn app_in(db: &gongkai_store::Db, year: i32) -> gongkai_app::App {
    let at = format!("{}-01-15T02:00:00Z", year + 1).parse().unwrap();
    gongkai_app::App::new(db.clone(), gongkai_app::Time::fixed(at))
}

/// The numbers a text states, with the years (a number followed by 年) left out.
fn figures_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let n: String = chars[start..i].iter().collect();
            if chars.get(i) != Some(&'年') {
                out.push(n.trim_end_matches('.').to_string());
            }
        } else {
            i += 1;
        }
    }
    out
}

#[tokio::test]
async fn every_figure_of_the_drafted_section_one_is_printed_in_the_tables() {
    let t = TestDb::sqlite().await;
    gongkai_app::imports::demo(
        &gongkai_app::App::new(t.db.clone(), gongkai_app::Time::system()),
        &gongkai_app::Actor::Operator("测试".into()),
    )
    .await
    .unwrap();
    let organ = t.db.find_organ(demo::BUREAU_CODE).await.unwrap().unwrap();
    for year in [2020, 2021, 2022] {
        for units in [false, true] {
            let r = gongkai_app::reports::compute(&app_in(&t.db, year), &organ, year, units)
                .await
                .unwrap();
            let printed: std::collections::BTreeSet<String> = r
                .cells
                .iter()
                .filter_map(|c| c.value.map(|v| v.to_string()))
                .collect();
            let one = r.text_of("一、总体情况").unwrap();
            let stated = figures_in(one);
            assert!(!stated.is_empty(), "{year}: {one}");
            for n in stated {
                assert!(
                    printed.contains(&n),
                    "{year} (units: {units}): section 一 states {n}, which no table prints:\n{one}"
                );
            }
        }
    }
    t.cleanup().await;
}
