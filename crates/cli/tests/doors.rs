//! One use case behind every door: the annual report of an organ and year has the same figures
//! and the same findings whether it is asked for on the command line, generated in the back
//! office or fetched from the JSON API; and the command line dates what it records by the
//! installation's clock in Beijing time, whatever the machine's zone.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::Env;
use gongkai_app::{Actor, App, Time};
use gongkai_domain::report::{Finding, ReportSet};
use gongkai_store::Db;
use gongkai_store::users::Role;
use http_body_util::BodyExt;
use tower::ServiceExt;

const PASSWORD: &str = "Correct-Horse-42";

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

fn form(path: &str, cookie: &str, fields: &[(&str, &str)]) -> Request<Body> {
    let body = fields
        .iter()
        .map(|(k, v)| {
            let enc: String = v
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            format!("{k}={enc}")
        })
        .collect::<Vec<_>>()
        .join("&");
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap()
}

fn csrf_of(html: &str) -> String {
    let key = "name=\"csrf\" value=\"";
    let i = html.find(key).expect("page has a form token") + key.len();
    html[i..].split('"').next().unwrap().to_string()
}

/// Logs in through the login form; returns the session cookie and its form token.
async fn login(app: &axum::Router, user: &str) -> (String, String) {
    let (_, cookies, page) = send(app, Request::get("/login").body(Body::empty()).unwrap()).await;
    let form_cookie = cookies.iter().find(|c| c.starts_with("gk_form=")).unwrap();
    let (status, cookies, body) = send(
        app,
        form(
            "/login",
            form_cookie,
            &[
                ("csrf", &csrf_of(&page)),
                ("username", user),
                ("password", PASSWORD),
            ],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let session = cookies
        .into_iter()
        .find(|c| c.starts_with("gk_session="))
        .unwrap();
    let (_, _, page) = send(
        app,
        Request::get("/admin")
            .header(header::COOKIE, &session)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    (session.clone(), csrf_of(&page))
}

fn findings_of(json: &str) -> Vec<Finding> {
    let set: ReportSet = serde_json::from_str(json).expect("a ReportSet");
    set.reports.into_iter().next().unwrap().findings
}

#[test]
fn the_report_has_the_same_findings_from_the_command_line_the_back_office_and_the_api() {
    let e = Env::new("doors");
    e.ok(&["demo"]);
    let organ = "灵武市教育体育局";
    // A section text whose figure contradicts table 三 (R9), so there is a finding to agree on.
    let text = e.dir.join("one.txt");
    std::fs::write(&text, "全年新收政府信息公开申请999件，本年办结999件。").unwrap();
    let f = text.to_str().unwrap();
    e.ok(&[
        "report",
        "text",
        "--organ",
        organ,
        "--year",
        "2021",
        "--section",
        "1",
        "--file",
        f,
    ]);

    // The command line.
    let cli = findings_of(&e.ok(&[
        "report", "--organ", organ, "--year", "2021", "--scope", "alone",
    ]));
    assert!(cli.iter().any(|f| f.rule == "R9"), "{cli:#?}");

    let rt = tokio::runtime::Runtime::new().unwrap();
    let (office, api) = rt.block_on(async {
        let db = Db::connect(&e.url).await.unwrap();
        let app_ = App::new(db.clone(), Time::system());
        let o = db.find_organ(organ).await.unwrap().unwrap();
        let new = gongkai_app::users::NewUser {
            username: "bgs".into(),
            display_name: "办公室".into(),
            password: PASSWORD.into(),
            role: Role::OrganAdmin,
            organ_id: Some(o.id),
        };
        let u = gongkai_app::users::create(&app_, &Actor::Operator("测试".into()), new)
            .await
            .unwrap()
            .value;
        let token = gongkai_app::users::create_token(&app_, &Actor::User(u), "测试")
            .await
            .unwrap()
            .value;
        let web = gongkai_web::app(gongkai_web::AppState::new(db.clone(), Default::default()));

        // The back office: generate the draft over the organ alone, as the CLI computes it.
        let (cookie, csrf) = login(&web, "bgs").await;
        let id = o.id.to_string();
        let (status, _, body) = send(
            &web,
            form(
                "/admin/reports",
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("organ", &id),
                    ("year", "2021"),
                    ("scope", "alone"),
                ],
            ),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let draft = db.report_draft(o.id, 2021).await.unwrap().unwrap();
        let office = gongkai_app::reports::StoredReport::from_json(&draft.report_json)
            .unwrap()
            .report
            .findings;
        let (_, _, page) = send(
            &web,
            Request::get(format!("/admin/reports/{id}/2021"))
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        for f in &office {
            assert!(
                page.contains(f.rule.as_str()),
                "the page shows {}: {page}",
                f.rule
            );
        }

        // The API, with a token.
        let (status, _, body) = send(
            &web,
            Request::get(format!(
                "/api/v1/organs/{id}/reports/2021/computed?scope=alone"
            ))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        (office, findings_of(&body))
    });
    assert_eq!(office, cli, "back office and command line");
    assert_eq!(api, cli, "API and command line");
}

#[test]
fn an_application_registered_at_one_in_the_morning_beijing_time_is_received_that_day() {
    let e = Env::new("clock");
    e.ok(&["demo"]);
    // 2024-03-01 01:00 in Beijing is 2024-02-29 17:00 UTC; the machine's zone is UTC.
    let clock = [("TZ", "UTC"), ("GONGKAI_NOW", "2024-02-29T17:00:00Z")];
    let o = e.run_with(
        &[
            "application",
            "register",
            "--json",
            "--organ",
            "灵武市教育体育局",
            "--channel",
            "当面",
            "--type",
            "自然人",
            "--name",
            "张三",
            "--description",
            "2023年招生计划",
        ],
        &clock,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["received_on"], "2024-03-01", "{v}");
    let number = v["number"].as_str().unwrap().to_string();
    let shown = e.run_with(&["application", "show", &number, "--json"], &clock);
    let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(shown["events"][0]["at"], "2024-03-01T01:00:00", "{shown}");
    // A date after today is refused, with the reason.
    let err = e.run_with(
        &[
            "application",
            "register",
            "--organ",
            "灵武市教育体育局",
            "--channel",
            "当面",
            "--received",
            "2024-03-02",
            "--type",
            "自然人",
            "--name",
            "李四",
            "--description",
            "x",
        ],
        &clock,
    );
    assert!(!err.status.success());
    assert!(
        String::from_utf8_lossy(&err.stderr).contains("晚于今天"),
        "{}",
        String::from_utf8_lossy(&err.stderr)
    );
}
