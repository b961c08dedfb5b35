//! One export use case behind every door, on both backends: the annual report written by
//! `gongkai report` is byte for byte the file the portal downloads and the API serves, for every
//! format; a published version's file is made once and kept (a query string does not make it
//! again); past the cap on renders a download answers 503 with Retry-After while the portal's
//! pages go on answering.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gongkai_app::{Actor, Time};
use gongkai_store::testing::TestDb;
use gongkai_store::users::Role;
use http_body_util::BodyExt;
use std::process::Command;
use tower::ServiceExt;

const ORGAN: &str = "灵武市教育体育局";
const NOW: &str = "2023-03-01T10:00:00+08:00";
const FORMATS: [&str; 6] = ["pdf", "docx", "xlsx", "html", "md", "json"];

fn now() -> Time {
    Time::fixed(NOW.parse().unwrap())
}

/// The folder the binary runs in for `url`: a PostgreSQL database's search index is kept in the
/// working folder (`gongkai-search`), so tests running side by side must not share one.
fn workdir(url: &str) -> std::path::PathBuf {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    url.hash(&mut h);
    let d = std::env::temp_dir().join(format!("gongkai-cli-exports-{:x}", h.finish()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs the binary on `url` as an operator would, on the test's clock.
fn cli(url: &str, args: &[&str]) -> Vec<u8> {
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .current_dir(workdir(url))
        .env("GONGKAI_DATABASE_URL", url)
        .env("GONGKAI_NOW", NOW)
        .env("USER", "测试员")
        .output()
        .expect("the binary runs");
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o.stdout
}

/// The CLI's file of `format` written with `-o`.
fn cli_file(url: &str, dir: &std::path::Path, format: &str, extra: &[&str]) -> Vec<u8> {
    let out = dir.join(format!("out.{format}"));
    let out_s = out.to_str().unwrap().to_string();
    let mut args = vec!["report", "--organ", ORGAN, "--year", "2021", "-o", &out_s];
    args.extend_from_slice(extra);
    cli(url, &args);
    std::fs::read(&out).unwrap()
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

async fn get(app: &axum::Router, path: &str, token: Option<&str>) -> Answer {
    let mut req = Request::get(path);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let r = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let body = r.into_body().collect().await.unwrap().to_bytes().to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

async fn published_2021(db: &gongkai_store::Db) -> (i64, i64) {
    let o = db.find_organ(ORGAN).await.unwrap().unwrap();
    let id = db
        .published_reports(o.id)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.year == 2021)
        .expect("the demo published 2021")
        .id;
    (o.id, id)
}

fn same_file_from_every_door(backend: gongkai_store::Backend) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    // Two databases loaded alike: the command line makes its files on one, the portal and the
    // API on the other, so each door renders for itself (none reads a file another kept).
    let (a, b) = rt.block_on(async { (TestDb::new(backend).await, TestDb::new(backend).await) });
    cli(&a.url, &["demo"]);
    cli(&b.url, &["demo"]);
    let dir = tempdir("doors");
    let (organ_id, report_id) = rt.block_on(published_2021(&b.db));

    let web = gongkai_web::app(
        gongkai_web::AppState::new(b.db.clone(), Default::default()).with_time(now()),
    );
    let token = rt.block_on(async {
        let app = gongkai_app::App::new(b.db.clone(), now());
        let new = gongkai_app::users::NewUser {
            username: "bgs".into(),
            display_name: "办公室".into(),
            password: "Correct-Horse-42".into(),
            role: Role::OrganAdmin,
            organ_id: Some(organ_id),
        };
        let u = gongkai_app::users::create(&app, &Actor::Operator("测试".into()), new)
            .await
            .unwrap()
            .value;
        gongkai_app::users::create_token(&app, &Actor::User(u), "测试")
            .await
            .unwrap()
            .value
    });

    for format in FORMATS {
        // A published version: the command line, the portal, the API.
        let from_cli = cli_file(&a.url, &dir, format, &["--published"]);
        let portal = rt.block_on(get(
            &web,
            &format!("/reports/{report_id}/download/{format}"),
            None,
        ));
        assert_eq!(portal.status, StatusCode::OK, "{format}");
        let api = rt.block_on(get(
            &web,
            &format!("/api/v1/reports/{report_id}/files/{format}"),
            None,
        ));
        assert_eq!(api.status, StatusCode::OK, "{format}");
        assert!(from_cli.len() > 100, "{format}: {} bytes", from_cli.len());
        assert!(
            from_cli == portal.body,
            "{format}: the portal's file differs from the CLI's"
        );
        assert!(
            from_cli == api.body,
            "{format}: the API's file differs from the CLI's"
        );
        if format != "html" {
            let disposition = portal.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap();
            // The report's title as the name (percent-encoded UTF-8), an ASCII name beside it.
            let title = "灵武市教育体育局2021年政府信息公开工作年度报告";
            let encoded: String = title
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            assert!(
                disposition.contains(&format!("filename*=UTF-8''{encoded}.{format}")),
                "{disposition}"
            );
            assert!(disposition.contains(&format!("filename=\"report-2021.{format}\"")));
        }

        // Computed from the records now, with the default scope (organ and units): the command
        // line and the API on the same day.
        let from_cli = cli_file(&b.url, &dir, format, &[]);
        let api = rt.block_on(get(
            &web,
            &format!("/api/v1/organs/{organ_id}/reports/2021/computed/{format}"),
            Some(&token),
        ));
        assert_eq!(api.status, StatusCode::OK, "{format}");
        assert!(
            from_cli == api.body,
            "{format}: computed, the API's file differs from the CLI's"
        );
        // The organ alone is another report: another file.
        let alone = cli_file(&b.url, &dir, format, &["--scope", "alone"]);
        let api_alone = rt.block_on(get(
            &web,
            &format!("/api/v1/organs/{organ_id}/reports/2021/computed/{format}?scope=alone"),
            Some(&token),
        ));
        assert!(alone == api_alone.body, "{format}: scope alone differs");
    }
    // The published PDF is PDF/A dated with its publication day and carries charts (figures of
    // the records frozen at publication); the computed XLSX carries the record sheets, the
    // published one does not.
    let pdf = cli_file(&a.url, &dir, "pdf", &["--published"]);
    assert!(contains(&pdf, b"pdfaid"), "PDF/A");
    let xlsx_published = cli_file(&a.url, &dir, "xlsx", &["--published"]);
    let xlsx_computed = cli_file(&a.url, &dir, "xlsx", &[]);
    assert!(!contains(&xlsx_published, b"xl/worksheets/sheet12.xml"));
    assert!(xlsx_computed.len() > xlsx_published.len());
    rt.block_on(async {
        a.cleanup().await;
        b.cleanup().await;
    });
    let _ = std::fs::remove_dir_all(dir);
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "gongkai-exports-{name}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn the_same_report_is_the_same_file_from_every_door_sqlite() {
    same_file_from_every_door(gongkai_store::Backend::Sqlite);
}

#[test]
fn the_same_report_is_the_same_file_from_every_door_postgres() {
    same_file_from_every_door(gongkai_store::Backend::Postgres);
}

fn made_once_and_bounded(backend: gongkai_store::Backend) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let t = rt.block_on(TestDb::new(backend));
    cli(&t.url, &["demo"]);
    rt.block_on(async {
        let (_, report_id) = published_2021(&t.db).await;
        // One render at a time, none waiting, a short wait.
        let state = gongkai_web::AppState::new(t.db.clone(), Default::default())
            .with_time(now())
            .with_export_limits(gongkai_app::exports::Limits {
                at_once: 1,
                queue: 0,
                wait: std::time::Duration::from_secs(30),
                ..Default::default()
            });
        let exports = state.app.exports.clone();
        let web = gongkai_web::app(state);

        // The first download renders and keeps the file; the second, and one with a query
        // string, are served the kept file without rendering again.
        let first = get(&web, &format!("/reports/{report_id}/download/pdf"), None).await;
        assert_eq!(first.status, StatusCode::OK);
        assert_eq!(exports.renders(), 1);
        let kept = t.db.report_file(report_id, "pdf").await.unwrap();
        assert_eq!(kept.as_deref(), Some(first.body.as_slice()));
        for path in [
            format!("/reports/{report_id}/download/pdf"),
            format!("/reports/{report_id}/download/pdf?nocache=1"),
            format!("/api/v1/reports/{report_id}/files/pdf?x=2"),
        ] {
            let again = get(&web, &path, None).await;
            assert_eq!(again.status, StatusCode::OK, "{path}");
            assert!(again.body == first.body, "{path}");
        }
        assert_eq!(exports.renders(), 1, "a kept file is never rendered again");

        // A render holds the only slot (a slow render, released by the test): another first
        // download is refused at once with 503 and Retry-After, the portal's pages answer.
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let busy = exports.clone();
        let slow = tokio::spawn(async move {
            busy.run(move || {
                let _ = wait.recv();
                Ok(())
            })
            .await
        });
        while exports.renders() < 2 {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        let refused = get(&web, &format!("/reports/{report_id}/download/docx"), None).await;
        assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(refused.headers.contains_key(header::RETRY_AFTER));
        assert_eq!(t.db.report_file(report_id, "docx").await.unwrap(), None);
        for page in ["/", &format!("/reports/{report_id}"), "/o/1/reports"] {
            let a = get(&web, page, None).await;
            assert!(
                a.status == StatusCode::OK || a.status == StatusCode::NOT_FOUND,
                "{page}: {}",
                a.status
            );
        }
        // The kept PDF is still served while the slot is taken.
        let kept = get(&web, &format!("/reports/{report_id}/download/pdf"), None).await;
        assert_eq!(kept.status, StatusCode::OK);
        release.send(()).unwrap();
        slow.await.unwrap().unwrap();
        let later = get(&web, &format!("/reports/{report_id}/download/docx"), None).await;
        assert_eq!(later.status, StatusCode::OK);
        assert_eq!(exports.renders(), 3);
    });
    rt.block_on(t.cleanup());
}

#[test]
fn a_published_file_is_made_once_and_renders_are_bounded_sqlite() {
    made_once_and_bounded(gongkai_store::Backend::Sqlite);
}

#[test]
fn a_published_file_is_made_once_and_renders_are_bounded_postgres() {
    made_once_and_bounded(gongkai_store::Backend::Postgres);
}
