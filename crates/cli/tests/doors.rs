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
            "--id-document",
            "11010519491231002X",
            "--contact",
            "13900003333",
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
            "--id-document",
            "11010519491231002X",
            "--contact",
            "13900003333",
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

/// The same registration and the same step sent through the command line, the back office and
/// the API: one parser (`gongkai_app::applicants`, `gongkai_app::steps`) gives the same refusal
/// and the same record at every door.
#[test]
fn a_registration_and_a_step_are_the_same_through_every_door() {
    let e = Env::new("steps");
    e.ok(&["demo"]);
    let organ = "灵武市教育体育局";
    let received = "2024-03-04";
    let cli_register = |id: &str| {
        vec![
            "application".to_string(),
            "register".into(),
            "--json".into(),
            "--organ".into(),
            organ.into(),
            "--channel".into(),
            "当面".into(),
            "--received".into(),
            received.into(),
            "--type".into(),
            "自然人".into(),
            "--name".into(),
            "王小明".into(),
            "--id-document".into(),
            id.into(),
            "--contact".into(),
            "13900003333".into(),
            "--description".into(),
            "学区划分文件".into(),
            "--form".into(),
            "纸质".into(),
        ]
    };
    let run = |v: Vec<String>| {
        let parts: Vec<&str> = v.iter().map(String::as_str).collect();
        e.run_with(&parts, &[])
    };
    // A resident ID with a wrong check digit: refused by the command line…
    let bad = run(cli_register("640181199001011234"));
    assert!(!bad.status.success());
    let cli_refusal = String::from_utf8_lossy(&bad.stderr).into_owned();
    assert!(cli_refusal.contains("校验位"), "{cli_refusal}");
    let good = run(cli_register("640181199001011232"));
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    let cli_case: serde_json::Value = serde_json::from_slice(&good.stdout).unwrap();
    let cli_number = cli_case["number"].as_str().unwrap().to_string();

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let db = Db::connect(&e.url).await.unwrap();
        let app_ = App::new(db.clone(), Time::system());
        let o = db.find_organ(organ).await.unwrap().unwrap();
        let new = gongkai_app::users::NewUser {
            username: "cbr".into(),
            display_name: "承办人".into(),
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
        let (cookie, csrf) = login(&web, "cbr").await;
        let organ_id = o.id.to_string();
        let paper = |id: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("organ", organ_id.clone()),
                ("channel", "in_person".to_string()),
                ("submitted_on", received.to_string()),
                ("received_on", received.to_string()),
                ("applicant_type", "natural_person".to_string()),
                ("name", "王小明".to_string()),
                ("id_kind", "resident_id".to_string()),
                ("id_number", id.to_string()),
                ("phone", "13900003333".to_string()),
                ("description", "学区划分文件".to_string()),
                ("form", "纸质".to_string()),
            ]
        };
        let post_form = |path: String, fields: Vec<(&'static str, String)>| {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            form(&path, &cookie, &f)
        };
        // …by the back office…
        let (status, _, body) = send(
            &web,
            post_form("/admin/applications".into(), paper("640181199001011234")),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("居民身份证号码校验位不符"), "{body}");
        // …and by the API, with the same words.
        let api_json = |path: String, v: serde_json::Value| {
            Request::post(path)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string()))
                .unwrap()
        };
        let registration = |id: &str| {
            serde_json::json!({
                "channel": "in_person", "submitted_on": received, "received_on": received,
                "applicant_type": "natural_person", "name": "王小明", "id_kind": "resident_id",
                "id_number": id, "phone": "13900003333", "description": "学区划分文件",
                "form": "纸质"
            })
        };
        let (status, _, body) = send(
            &web,
            api_json(
                format!("/api/v1/organs/{organ_id}/applications"),
                registration("640181199001011234"),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body.contains("居民身份证号码校验位不符"), "{body}");
        assert!(cli_refusal.contains("居民身份证号码校验位不符"));
        // The good registration through both.
        let (status, _, body) = send(
            &web,
            post_form("/admin/applications".into(), paper("640181199001011232")),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let (status, _, body) = send(
            &web,
            api_json(
                format!("/api/v1/organs/{organ_id}/applications"),
                registration("640181199001011232"),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let cases: Vec<_> = db
            .applications(Some(o.id), Some(2024))
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.received_on.to_string() == received && r.applicant_name == "王小明")
            .collect();
        assert_eq!(cases.len(), 3, "one case per door");
        let first_events = |id: i64| {
            let db = db.clone();
            async move {
                let ev = db.application_events(id).await.unwrap();
                serde_json::to_value(&ev[0].kind).unwrap()
            }
        };
        let reg0 = first_events(cases[0].id).await;
        for c in &cases[1..] {
            assert_eq!(
                first_events(c.id).await,
                reg0,
                "the same registration record"
            );
        }
        assert!(cases.iter().any(|c| c.number == cli_number));

        // The same step — a 补正 with too short a period — refused alike at every door…
        fn step(days: &str) -> Vec<(&'static str, &str)> {
            let mut v = vec![("on", "2024-03-05"), ("items", "请写明学校名称")];
            if !days.is_empty() {
                v.push(("correct_by", days));
            }
            v
        }
        let mut refusals = Vec::new();
        let cli = e.run_with(
            &[
                "application",
                "supplement-request",
                &cases[0].number,
                "--on",
                "2024-03-05",
                "--items",
                "请写明学校名称",
                "--correct-by",
                "2024-03-08",
            ],
            &[],
        );
        assert!(!cli.status.success());
        refusals.push(String::from_utf8_lossy(&cli.stderr).into_owned());
        let mut fields: Vec<(&'static str, String)> =
            vec![("csrf", csrf.clone()), ("action", "supplement".into())];
        fields.extend(
            step("2024-03-08")
                .into_iter()
                .map(|(k, v)| (k, v.to_string())),
        );
        let (status, _, body) = send(
            &web,
            post_form(format!("/admin/applications/{}/event", cases[1].id), fields),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        refusals.push(body);
        let api_step = |id: i64, fields: Vec<(&str, &str)>| {
            let f: serde_json::Map<String, serde_json::Value> = fields
                .into_iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.into())))
                .collect();
            api_json(
                format!("/api/v1/applications/{id}/steps"),
                serde_json::json!({"action": "supplement", "fields": f}),
            )
        };
        let (status, _, body) = send(&web, api_step(cases[2].id, step("2024-03-08"))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        refusals.push(body);
        for r in &refusals {
            assert!(
                r.contains("补正期限不得少于15个工作日") && r.contains("2024-03-26"),
                "the same refusal: {r}"
            );
        }
        // …and, with the period left to the organ's setting, the same event at every door.
        let cli = e.run_with(
            &[
                "application",
                "supplement-request",
                &cases[0].number,
                "--on",
                "2024-03-05",
                "--items",
                "请写明学校名称",
            ],
            &[],
        );
        assert!(
            cli.status.success(),
            "{}",
            String::from_utf8_lossy(&cli.stderr)
        );
        let mut fields: Vec<(&'static str, String)> =
            vec![("csrf", csrf.clone()), ("action", "supplement".into())];
        fields.extend(step("").into_iter().map(|(k, v)| (k, v.to_string())));
        let (status, _, body) = send(
            &web,
            post_form(format!("/admin/applications/{}/event", cases[1].id), fields),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let (status, _, body) = send(&web, api_step(cases[2].id, step(""))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let mut recorded = Vec::new();
        for c in &cases {
            let ev = db.application_events(c.id).await.unwrap();
            let mut v = serde_json::to_value(&ev.last().unwrap().kind).unwrap();
            // Each notice has its own number; everything else is the same.
            v["notice"] = serde_json::Value::Null;
            recorded.push(v);
        }
        assert_eq!(recorded[0]["correct_by"], "2024-03-26", "{:?}", recorded[0]);
        assert_eq!(recorded[0], recorded[1]);
        assert_eq!(recorded[0], recorded[2]);
    });
}
