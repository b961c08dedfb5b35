//! Runs the browser tests of `e2e/run.mjs` (headless Debian chromium through playwright-core, with
//! axe-core) against the real app served on a free local port over a seeded SQLite database.
//!
//! Needs `/usr/bin/chromium` and `npm ci` done once in `e2e/` (no network at test time). The test
//! fails, rather than skips, when either is missing: CI must run it.

use chrono::{NaiveDate, TimeZone, Utc};
use gongkai_domain::records::{CatalogueSeed, MatterKind, NewOrgan};
use gongkai_domain::report::OrganKind;
use gongkai_store::testing::TestDb;
use gongkai_store::users::Role;
use gongkai_web::{AppState, Config, FixedClock, app};
use std::path::PathBuf;

const PASSWORD: &str = "E2e-Password-2025";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_scenarios_accessibility_and_phone_width() {
    let e2e = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../e2e");
    assert!(
        e2e.join("node_modules/playwright-core").exists()
            && e2e.join("node_modules/axe-core").exists(),
        "run `npm ci` in e2e/ first (playwright-core and axe-core from npm)"
    );
    let t = TestDb::sqlite().await;
    let db = t.db.clone();
    let seed = CatalogueSeed::education();
    let organ = db
        .create_organ(
            &NewOrgan {
                code: "11640181MB1234567X".into(),
                name: "灵武市教育局".into(),
                short_name: "教育局".into(),
                kind: OrganKind::Department,
                parent_id: None,
                index_pattern: "{code}/{year}-{seq:05}".into(),
            },
            Some(&seed),
        )
        .await
        .unwrap();
    db.set_organ_settings(
        organ.id,
        &gongkai_store::portal::OrganSettings {
            office_name: "灵武市教育局办公室".into(),
            address: "宁夏灵武市朔方路1号".into(),
            hours: "工作日 8:30-12:00，14:30-18:00".into(),
            phone: "0951-4000000".into(),
            review_body: "灵武市人民政府".into(),
            court: "灵武市人民法院".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    db.insert_announcement(
        organ.id,
        "2025年教师招聘拟聘用人员公示",
        "拟聘用人员名单如下……",
        d(2025, 3, 5),
        d(2025, 3, 12),
        true,
    )
    .await
    .unwrap();
    let mut tx = db.begin().await.unwrap();
    let m = tx
        .insert_matter(
            organ.id,
            MatterKind::Licensing,
            "民办学校办学许可",
            d(2020, 1, 1),
            None,
        )
        .await
        .unwrap();
    tx.insert_decision(
        m,
        d(2025, 2, 20),
        "灵教许〔2025〕3号",
        "灵武市启明培训学校有限公司",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    for (name, role) in [
        ("editor", Role::Editor),
        ("reviewer", Role::Reviewer),
        ("oadmin", Role::OrganAdmin),
        ("handler", Role::Handler),
    ] {
        let hash = gongkai_web::auth::hash_password(PASSWORD.into())
            .await
            .unwrap();
        db.create_user(name, name, &hash, role, Some(organ.id), Utc::now())
            .await
            .unwrap();
    }

    // A case received in January, long overdue on 10 March (the handler's 工作台 shows it
    // first), and one received on 3 March, within its period.
    for (name, on) in [
        ("逾期申请人", d(2025, 1, 20)),
        ("期内申请人", d(2025, 3, 3)),
    ] {
        db.register_application(
            &gongkai_store::applications::NewApplication {
                organ_id: organ.id,
                channel: gongkai_domain::application::events::Channel::InPerson,
                submitted_on: on,
                received_on: on,
                applicant: gongkai_domain::application::events::Applicant {
                    kind: gongkai_domain::application::ApplicantType::NaturalPerson,
                    name: name.into(),
                    id_document: "640181199001011234".into(),
                    contact: "13900001111".into(),
                    address: String::new(),
                },
                description: "2024年度学校食堂招标文件".into(),
                form: "纸质".into(),
            },
            "e2e",
            on.and_hms_opt(9, 0, 0).unwrap(),
        )
        .await
        .unwrap();
    }

    let index = std::sync::Arc::new(gongkai_search::Index::in_memory().unwrap());
    let state = AppState::new(db, Config::default())
        .with_search(index)
        .with_clock(FixedClock(
            Utc.with_ymd_and_hms(2025, 3, 10, 2, 0, 0).unwrap(),
        ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app(state)).await });

    let base = format!("http://{addr}");
    let organ_id = organ.id.to_string();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(e2e.join("run.mjs"))
            .args([&base, &organ_id, PASSWORD])
            .output()
            .expect("node runs")
    })
    .await
    .unwrap();
    server.abort();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}\n{stderr}");
    assert!(
        output.status.success(),
        "browser scenarios failed:\n{stdout}\n{stderr}"
    );
    t.cleanup().await;
}

/// The back office as officers and supervisors use it (`e2e/office.mjs`): a county with its
/// government and three departments under it, a 政务公开办 supervisor over the government (so
/// over every department), an editor and a reviewer of the education bureau.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_scenarios() {
    let e2e = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../e2e");
    assert!(
        e2e.join("node_modules/playwright-core").exists(),
        "run `npm ci` in e2e/ first (playwright-core from npm)"
    );
    let t = TestDb::sqlite().await;
    let db = t.db.clone();
    let seed = CatalogueSeed::education();
    let organ = |code: &str, name: &str, kind, parent| NewOrgan {
        code: code.into(),
        name: name.into(),
        short_name: String::new(),
        kind,
        parent_id: parent,
        index_pattern: "{code}/{year}-{seq:05}".into(),
    };
    let gov = db
        .create_organ(
            &organ(
                "11640181GOV000001X",
                "灵武市人民政府",
                OrganKind::Government,
                None,
            ),
            Some(&seed),
        )
        .await
        .unwrap();
    let mut departments = Vec::new();
    for (code, name) in [
        ("11640181EDU000001X", "灵武市教育局"),
        ("11640181MZJ000001X", "灵武市民政局"),
        ("11640181WJW000001X", "灵武市卫生健康局"),
    ] {
        departments.push(
            db.create_organ(
                &organ(code, name, OrganKind::Department, Some(gov.id)),
                Some(&seed),
            )
            .await
            .unwrap(),
        );
    }
    for (name, role, organ_id) in [
        ("zwgk", Role::Supervisor, gov.id),
        ("ed", Role::Editor, departments[0].id),
        ("rv", Role::Reviewer, departments[0].id),
    ] {
        let hash = gongkai_web::auth::hash_password(PASSWORD.into())
            .await
            .unwrap();
        db.create_user(name, name, &hash, role, Some(organ_id), Utc::now())
            .await
            .unwrap();
    }
    let state = AppState::new(db, Config::default()).with_clock(FixedClock(
        Utc.with_ymd_and_hms(2025, 3, 10, 2, 0, 0).unwrap(),
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app(state)).await });
    let base = format!("http://{addr}");
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(e2e.join("office.mjs"))
            .args([&base, PASSWORD])
            .output()
            .expect("node runs")
    })
    .await
    .unwrap();
    server.abort();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}\n{stderr}");
    assert!(
        output.status.success(),
        "office browser scenarios failed:\n{stdout}\n{stderr}"
    );
    t.cleanup().await;
}

/// Issue 36's browser checks (`e2e/inspect.mjs`): the 法定主动公开内容 tile at both widths, the
/// identity fields set in the back office shown in the footer, 长者模式 and the 无障碍 page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inspection_scenarios() {
    let e2e = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../e2e");
    assert!(
        e2e.join("node_modules/playwright-core").exists()
            && e2e.join("node_modules/axe-core").exists(),
        "run `npm ci` in e2e/ first (playwright-core and axe-core from npm)"
    );
    let t = TestDb::sqlite().await;
    let db = t.db.clone();
    let organ = db
        .create_organ(
            &NewOrgan {
                code: "11640181MB1234567X".into(),
                name: "灵武市教育局".into(),
                short_name: "教育局".into(),
                kind: OrganKind::Department,
                parent_id: None,
                index_pattern: "{code}/{year}-{seq:05}".into(),
            },
            Some(&CatalogueSeed::education()),
        )
        .await
        .unwrap();
    let cats = db.categories(organ.id).await.unwrap();
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    db.insert_item(&gongkai_domain::records::NewCatalogueItem {
        organ_id: organ.id,
        title: "灵武市教育局行政规范性文件管理办法".into(),
        summary: "规范性文件的起草、审核、发布和清理".into(),
        category_id: cats.iter().find(|c| c.name == "政策文件").unwrap().id,
        issuing_unit: "灵武市教育局".into(),
        written_on: Some(d(2025, 2, 28)),
        published_on: Some(d(2025, 3, 3)),
        doc_number: "灵教发〔2025〕8号".into(),
        doc_kind: gongkai_domain::records::DocKind::Normative,
        status: gongkai_domain::records::ItemStatus::Published,
        validity: vec![],
    })
    .await
    .unwrap();
    db.set_organ_settings(
        organ.id,
        &gongkai_store::portal::OrganSettings {
            office_name: "灵武市教育局办公室".into(),
            address: "宁夏灵武市朔方路1号".into(),
            phone: "0951-4000000".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let hash = gongkai_web::auth::hash_password(PASSWORD.into())
        .await
        .unwrap();
    db.create_user("sys", "sys", &hash, Role::SysAdmin, None, Utc::now())
        .await
        .unwrap();
    let state = AppState::new(db, Config::default()).with_clock(FixedClock(
        Utc.with_ymd_and_hms(2025, 3, 10, 2, 0, 0).unwrap(),
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app(state)).await });
    let base = format!("http://{addr}");
    let organ_id = organ.id.to_string();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(e2e.join("inspect.mjs"))
            .args([&base, &organ_id, PASSWORD])
            .output()
            .expect("node runs")
    })
    .await
    .unwrap();
    server.abort();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}\n{stderr}");
    assert!(
        output.status.success(),
        "inspection browser scenarios failed:\n{stdout}\n{stderr}"
    );
    t.cleanup().await;
}
