//! Imports and the demo are use cases like any other (issue 26): `gongkai import` acts as the
//! operator or, with `--as`, as a back-office account whose rights decide; it writes ONE audit
//! row with the record kind and the row count, which the back office's audit log shows in
//! Chinese; a user without the right is refused in Chinese and nothing is written. And the back
//! office and `gongkai audit` decide alike about an R9 our reading of the law accepts.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::Env;
use gongkai_app::{Actor, App, Time};
use gongkai_store::Db;
use gongkai_store::users::{AuditQuery, Role};
use http_body_util::BodyExt;
use tower::ServiceExt;

const PASSWORD: &str = "Correct-Horse-42";
const ORGAN: &str = "灵武市教育体育局";

async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, Vec<String>, String) {
    let r = app.clone().oneshot(req).await.unwrap();
    let status = r.status();
    let cookies = r
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .collect();
    let body = r.into_body().collect().await.unwrap().to_bytes();
    (status, cookies, String::from_utf8_lossy(&body).into_owned())
}

fn csrf_of(html: &str) -> String {
    let key = "name=\"csrf\" value=\"";
    let i = html.find(key).expect("page has a form token") + key.len();
    html[i..].split('"').next().unwrap().to_string()
}

/// Logs in through the login form; returns the session cookie.
async fn login(app: &axum::Router, user: &str) -> String {
    let (_, cookies, page) = send(app, Request::get("/login").body(Body::empty()).unwrap()).await;
    let form_cookie = cookies.iter().find(|c| c.starts_with("gk_form=")).unwrap();
    let body = format!(
        "csrf={}&username={user}&password={PASSWORD}",
        csrf_of(&page)
    );
    let (status, cookies, body) = send(
        app,
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, form_cookie)
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    cookies
        .into_iter()
        .find(|c| c.starts_with("gk_session="))
        .unwrap()
}

/// Accounts of the demo bureau: its administrator, a handler, a supervisor (read-only) and an
/// account that has been switched off.
async fn accounts(db: &Db) {
    let app = App::new(db.clone(), Time::system());
    let o = db.find_organ(ORGAN).await.unwrap().unwrap();
    for (username, role) in [
        ("bgs", Role::OrganAdmin),
        ("cbr", Role::Handler),
        ("jdy", Role::Supervisor),
    ] {
        let new = gongkai_app::users::NewUser {
            username: username.into(),
            display_name: username.into(),
            password: PASSWORD.into(),
            role,
            organ_id: Some(o.id),
        };
        gongkai_app::users::create(&app, &Actor::Operator("测试".into()), new)
            .await
            .unwrap();
    }
}

const LETTERS: &str = "机关,渠道,收到日期,事由,答复内容,答复日期,办理时限
灵武市教育体育局,12345热线,2023-03-01,反映校门口交通拥堵,已转交警部门处理并答复来信人,2023-03-06,2023-03-15
灵武市教育体育局,局长信箱,2023-03-02,咨询转学手续,已答复,2023-03-03,2023-03-16
灵武市教育体育局,局长信箱,2023-03-03,建议增设课后服务,,,2023-03-17
";

fn imports(db: &Db) -> Vec<gongkai_store::users::AuditEntry> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let q = AuditQuery {
            organs: None,
            username: String::new(),
            action: "import".into(),
            from: None,
            to: None,
            limit: 100,
            offset: 0,
        };
        db.audit_search(&q).await.unwrap().0
    })
}

#[test]
fn gongkai_import_writes_one_audit_row_the_log_shows_in_chinese_and_refuses_without_the_right() {
    let e = Env::new("imports");
    e.ok(&["demo"]);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let db = rt.block_on(Db::connect(&e.url)).unwrap();
    rt.block_on(accounts(&db));
    let file = e.dir.join("letters.csv");
    std::fs::write(&file, LETTERS).unwrap();
    let f = file.to_str().unwrap();
    let o = rt.block_on(db.find_organ(ORGAN)).unwrap().unwrap();
    let year = |m, d| chrono::NaiveDate::from_ymd_opt(2023, m, d).unwrap();
    let letters = || {
        rt.block_on(db.letters(o.id, year(1, 1), year(12, 31)))
            .unwrap()
            .len()
    };
    let before = letters();

    // A supervisor holds no right to handle letters: refused in Chinese, nothing written.
    let err = e.fails(&["import", "letters", f, "--as", "jdy"]);
    assert!(err.contains("您没有权限进行此操作"), "{err}");
    assert_eq!(letters(), before);
    // An unknown account is named.
    let err = e.fails(&["import", "letters", f, "--as", "nobody"]);
    assert!(err.contains("找不到用户“nobody”"), "{err}");
    assert!(
        imports(&db).is_empty(),
        "a refused import leaves no audit row"
    );

    // The handler may: three letters, ONE audit row under the handler's name.
    let out = e.run(&["import", "letters", f, "--as", "cbr"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("已导入来信和投诉3条"), "{said}");
    assert_eq!(letters(), before + 3);
    let rows = imports(&db);
    assert_eq!(rows.len(), 1, "one audit row per import: {rows:#?}");
    assert_eq!(rows[0].username, "cbr");
    assert_eq!(rows[0].entity_id, "来信和投诉");
    let after: serde_json::Value =
        serde_json::from_str(rows[0].after_json.as_deref().unwrap()).unwrap();
    assert_eq!(after["rows"], 3);

    // The operator (no --as) may too, under the command line's name.
    e.ok(&["import", "letters", f]);
    let rows = imports(&db);
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter().any(|r| r.username == "命令行：测试员"),
        "{rows:#?}"
    );

    // The audit log page shows the imports and the demo in words.
    let page = rt.block_on(async {
        let web = gongkai_web::app(gongkai_web::AppState::new(db.clone(), Default::default()));
        let cookie = login(&web, "bgs").await;
        let (status, _, page) = send(
            &web,
            Request::get("/admin/audit")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        page
    });
    for words in [
        "导入",
        "导入文件 来信和投诉",
        "条数：3",
        "加载演示数据",
        "命令行：测试员",
        ">cbr<",
    ] {
        assert!(page.contains(words), "the audit log shows “{words}”");
    }
    assert!(!page.contains(">import<"), "no raw codes: {page}");
}

#[test]
fn a_bad_file_is_refused_row_by_row_and_the_demo_needs_the_systems_right() {
    let e = Env::new("imports-bad");
    e.ok(&["demo"]);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let db = rt.block_on(Db::connect(&e.url)).unwrap();
    rt.block_on(accounts(&db));
    let file = e.dir.join("bad.csv");
    std::fs::write(
        &file,
        "机关,渠道,收到日期,事由\n灵武市教育体育局,局长信箱,2023-02-30,咨询\n不存在的机关,局长信箱,2023-03-01,咨询\n",
    )
    .unwrap();
    let err = e.fails(&["import", "letters", file.to_str().unwrap(), "--as", "cbr"]);
    assert!(err.contains("导入未执行，数据库未作任何修改"), "{err}");
    assert!(err.contains("第2行“收到日期”列"), "{err}");
    assert!(imports(&db).is_empty());
    // Loading the demo is the system's: an organ's administrator may not, and the refusal
    // is in Chinese.
    let err = e.fails(&["demo", "--as", "bgs"]);
    assert!(err.contains("您没有权限进行此操作"), "{err}");
}

/// "共受理申请N件" where N is table 三's new plus carried-over applications: the back office no
/// longer blocks publication for it, and `gongkai audit` does not report it either — both ask
/// `rules::check`, which decides from the finding's data. A figure that is neither is still an
/// R9 error in both.
#[test]
fn the_back_office_and_the_auditor_decide_alike_on_received_with_carried_over() {
    let e = Env::new("imports-r9");
    e.ok(&["demo"]);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let db = rt.block_on(Db::connect(&e.url)).unwrap();
    let o = rt.block_on(db.find_organ(ORGAN)).unwrap().unwrap();
    let app = App::new(db.clone(), Time::system());
    let op = Actor::Operator("测试".into());
    let report_of = |year: i32, text: &str| {
        rt.block_on(async {
            gongkai_app::reports::generate(&app, &op, o.id, year, false)
                .await
                .unwrap();
            let mut bodies: [String; 6] = Default::default();
            bodies[0] = text.to_string();
            gongkai_app::reports::edit_texts(&app, &op, o.id, year, &bodies)
                .await
                .unwrap()
                .value
        })
    };
    use gongkai_domain::report::layout::{ROW_CARRIED_IN, ROW_NEW, TABLE_3, TOTAL};
    // A year of the demo into which applications were carried over from the year before.
    let (year, new, carried) = [2021, 2022, 2023]
        .into_iter()
        .find_map(|year| {
            let base = report_of(year, "全年共受理政府信息公开申请1件。");
            let new = base.get(TABLE_3, ROW_NEW, TOTAL)?.0;
            let carried = base.get(TABLE_3, ROW_CARRIED_IN, TOTAL)?.0;
            (carried > 0.0).then_some((year, new, carried))
        })
        .expect("a demo year carries applications over");
    let report = |text: &str| report_of(year, text);
    let audit_of = |r: &gongkai_domain::report::Report| {
        let md = e.dir.join("r.md");
        std::fs::write(&md, gongkai_render::markdown::report(r)).unwrap();
        let json = e.ok(&["audit", "--json", md.to_str().unwrap()]);
        let set: gongkai_domain::report::ReportSet = serde_json::from_str(&json).unwrap();
        set.reports.into_iter().next().unwrap().findings
    };
    for (stated, r9) in [(new + carried, false), (new + carried + 1.0, true)] {
        let r = report(&format!(
            "全年共受理政府信息公开申请{stated}件，均按时答复。"
        ));
        let office: Vec<_> = gongkai_app::reports::blockers(&r)
            .into_iter()
            .filter(|b| b.starts_with("R9"))
            .collect();
        assert_eq!(!office.is_empty(), r9, "back office, {stated}: {office:?}");
        let auditor = audit_of(&r);
        assert_eq!(
            auditor.iter().any(|f| f.rule == "R9"),
            r9,
            "gongkai audit, {stated}: {auditor:#?}"
        );
        if r9 {
            let f = r.findings.iter().find(|f| f.rule == "R9").unwrap();
            assert_eq!(
                f.stated,
                Some(stated),
                "the finding carries the figure stated"
            );
            assert!(f.cell.as_ref().unwrap().is(TABLE_3, ROW_NEW, TOTAL));
        }
    }

    // Those text edits in the audit log: once, as a diff of the section that changed, not the
    // six texts as a JSON array before and after.
    rt.block_on(accounts(&db));
    let page = rt.block_on(async {
        let web = gongkai_web::app(gongkai_web::AppState::new(db.clone(), Default::default()));
        let cookie = login(&web, "bgs").await;
        let (status, _, page) = send(
            &web,
            Request::get("/admin/audit?action=edit_texts")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        page
    });
    assert!(page.contains("修改正文"), "{page}");
    assert!(page.contains("class=\"diff\""), "{page}");
    assert!(
        page.contains("<div class=\"diff-heading\">一、总体情况</div>"),
        "{page}"
    );
    let stated = new + carried;
    assert!(
        page.contains(&format!(
            "<del>全年共受理政府信息公开申请{stated}件，均按时答复。</del>"
        )),
        "the removed line: {page}"
    );
    assert!(
        page.contains(&format!(
            "<ins>全年共受理政府信息公开申请{}件，均按时答复。</ins>",
            stated + 1.0
        )),
        "the added line: {page}"
    );
    assert!(
        !page.contains("[[&quot;") && !page.contains("[[\""),
        "no JSON arrays: {page}"
    );
}
