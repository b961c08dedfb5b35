//! What a visitor can do in bulk must not take the portal down or slip past its limits
//! (issue 20): bursts of logins against the throttle and the password-hashing queue.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{TimeZone, Utc};
use gongkai_store::testing::TestDb;
use gongkai_store::users::Role;
use gongkai_web::auth::MAX_FAILURES_PER_ADDRESS;
use gongkai_web::{AppState, Config, FixedClock, app};
use http_body_util::BodyExt;
use tower::ServiceExt;

const PASSWORD: &str = "Correct-Horse-42";
/// A double-submit form token (cookie and field alike).
const FORM: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

async fn portal() -> (TestDb, Router) {
    let t = TestDb::new(gongkai_store::Backend::Sqlite).await;
    // The hashing queue is the process's: a burst of another test running beside this one may
    // fill it for a moment (503), which is what it is for.
    let hash = loop {
        match gongkai_web::auth::hash_password(PASSWORD.into()).await {
            Ok(h) => break h,
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(200)).await,
        }
    };
    for name in ["editor", "reviewer"] {
        t.db.create_user(name, name, &hash, Role::SysAdmin, None, Utc::now())
            .await
            .unwrap();
    }
    let clock = FixedClock(Utc.with_ymd_and_hms(2025, 3, 10, 2, 0, 0).unwrap());
    let state = AppState::new(t.db.clone(), Config::default()).with_clock(clock);
    (t, app(state))
}

struct Answer {
    status: StatusCode,
    retry_after: Option<String>,
    body: String,
}

async fn attempt(app: &Router, user: &str, password: &str, addr: &str) -> Answer {
    let body = format!("csrf={FORM}&username={user}&password={password}");
    let mut req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("gk_form={FORM}"))
        .body(Body::from(body))
        .unwrap();
    let addr: std::net::SocketAddr = addr.parse().unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    let r = app.clone().oneshot(req).await.unwrap();
    let status = r.status();
    let retry_after = r
        .headers()
        .get(header::RETRY_AFTER)
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = r.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        retry_after,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// Sends `n` attempts at once; `who(i)` gives the name and address of the i-th.
async fn burst(
    app: &Router,
    n: usize,
    password: &'static str,
    who: impl Fn(usize) -> (String, String),
) -> Vec<Answer> {
    let mut set = tokio::task::JoinSet::new();
    for i in 0..n {
        let (user, addr) = who(i);
        let app = app.clone();
        set.spawn(async move { attempt(&app, &user, password, &addr).await });
    }
    let mut out = Vec::new();
    while let Some(a) = set.join_next().await {
        out.push(a.unwrap());
    }
    out
}

fn count(answers: &[Answer], status: StatusCode) -> usize {
    answers.iter().filter(|a| a.status == status).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_wrong_passwords_for_one_name_tries_at_most_the_limit() {
    let (t, app) = portal().await;
    let answers = burst(&app, 100, "wrong-password", |i| {
        ("editor".into(), format!("198.51.100.{}:4000", i % 250))
    })
    .await;
    for a in &answers {
        assert!(
            [
                StatusCode::UNAUTHORIZED,
                StatusCode::TOO_MANY_REQUESTS,
                StatusCode::SERVICE_UNAVAILABLE
            ]
            .contains(&a.status),
            "{} {}",
            a.status,
            a.body
        );
    }
    // Only the attempts under the limit were answered "wrong password"; the one that reached it
    // locked the name, every later one was refused without trying its password.
    // (From a hundred addresses: the account's own ceiling for unknown clients, issue 33.)
    let wrong = count(&answers, StatusCode::UNAUTHORIZED);
    assert!(
        wrong < gongkai_web::auth::MAX_FAILURES_PER_ACCOUNT as usize,
        "{wrong} passwords tried"
    );
    assert!(count(&answers, StatusCode::TOO_MANY_REQUESTS) > 0);
    let now_right = attempt(&app, "editor", PASSWORD, "192.0.2.1:1").await;
    assert_eq!(now_right.status, StatusCode::TOO_MANY_REQUESTS);
    t.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_from_one_address_locks_the_address() {
    let (t, app) = portal().await;
    let answers = burst(&app, 100, "Password-123", |i| {
        (format!("guess{i}"), "203.0.113.9:40000".into())
    })
    .await;
    let wrong = count(&answers, StatusCode::UNAUTHORIZED);
    assert!(
        wrong < MAX_FAILURES_PER_ADDRESS as usize,
        "{wrong} passwords tried"
    );
    let row = t.db.throttle("ip:203.0.113.9").await.unwrap().unwrap();
    assert!(row.failures >= MAX_FAILURES_PER_ADDRESS, "{row:?}");
    assert!(row.locked_until.is_some());
    // Even the right password waits at that address; elsewhere it works.
    assert_eq!(
        attempt(&app, "reviewer", PASSWORD, "203.0.113.9:40001")
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        attempt(&app, "reviewer", PASSWORD, "192.0.2.7:1")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    t.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn past_the_hashing_queue_logins_answer_503_with_retry_after() {
    let (t, app) = portal().await;
    // Different names and addresses: no throttle applies, every attempt wants a hash.
    let answers = burst(&app, 200, "wrong-password", |i| {
        (
            format!("nobody{i}"),
            format!("10.0.{}.{}:1", i / 200, i % 200),
        )
    })
    .await;
    let busy: Vec<&Answer> = answers
        .iter()
        .filter(|a| a.status == StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    assert!(!busy.is_empty(), "a burst of 200 overflows the queue");
    for a in &busy {
        assert_eq!(a.retry_after.as_deref(), Some("5"));
        assert!(a.body.contains("系统繁忙"), "{}", a.body);
    }
    assert_eq!(
        count(&answers, StatusCode::UNAUTHORIZED) + busy.len(),
        200,
        "nothing else than wrong or busy"
    );
    // The queue drains: a login afterwards works.
    assert_eq!(
        attempt(&app, "editor", PASSWORD, "192.0.2.8:1")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    t.cleanup().await;
}

#[tokio::test]
async fn refusals_carry_the_security_headers_and_private_pages_are_not_stored() {
    let (t, app) = portal().await;
    // Too large a body, refused before any handler runs.
    let req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, gongkai_web::MAX_BODY_BYTES + 1)
        .body(Body::from(vec![b'a'; gongkai_web::MAX_BODY_BYTES + 1]))
        .unwrap();
    let r = app.clone().oneshot(req).await.unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    for h in [
        header::X_CONTENT_TYPE_OPTIONS,
        header::X_FRAME_OPTIONS,
        header::CONTENT_SECURITY_POLICY,
        header::REFERRER_POLICY,
    ] {
        assert!(r.headers().contains_key(&h), "413 lacks {h}");
    }
    // The back office (even its redirect to the login form) and the API are never cached.
    for path in ["/admin", "/admin/items", "/login", "/api/items"] {
        let r = app
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(
            r.headers()
                .get(header::CACHE_CONTROL)
                .map(|v| v.to_str().unwrap()),
            Some("no-store"),
            "{path}: {}",
            r.status()
        );
    }
    // Public pages may be.
    let r = app
        .clone()
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_ne!(
        r.headers()
            .get(header::CACHE_CONTROL)
            .map(|v| v.to_str().unwrap()),
        Some("no-store")
    );
    t.cleanup().await;
}

// ------------------------------------------------------------------------------ rate limits

/// A portal with one organ on `backend`, its limits as given.
async fn portal_with_organ(
    backend: gongkai_store::Backend,
    limits: gongkai_web::ratelimit::Limits,
) -> (TestDb, Router, i64) {
    use gongkai_domain::records::{CatalogueSeed, NewOrgan};
    let t = TestDb::new(backend).await;
    let o =
        t.db.create_organ(
            &NewOrgan {
                code: "ORG1".into(),
                name: "灵武市教育局".into(),
                short_name: String::new(),
                kind: gongkai_domain::report::OrganKind::Department,
                parent_id: None,
                index_pattern: "{code}/{year}-{seq:05}".into(),
            },
            Some(&CatalogueSeed::education()),
        )
        .await
        .unwrap();
    let clock = FixedClock(Utc.with_ymd_and_hms(2025, 3, 10, 2, 0, 0).unwrap());
    let config = Config {
        rate_limits: limits,
        // Hundreds at once in-process: the rate limits are under test, not the cap in flight.
        max_in_flight: 4096,
        ..Config::default()
    };
    let state = AppState::new(t.db.clone(), config).with_clock(clock);
    (t, app(state), o.id)
}

fn form_post(path: &str, body: String, addr: &str) -> Request<Body> {
    let mut req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("gk_form={FORM}"))
        .body(Body::from(body))
        .unwrap();
    let addr: std::net::SocketAddr = addr.parse().unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    req
}

async fn answer(app: &Router, req: Request<Body>) -> Answer {
    let r = app.clone().oneshot(req).await.unwrap();
    let status = r.status();
    let retry_after = r
        .headers()
        .get(header::RETRY_AFTER)
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = r.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        retry_after,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// A filled-in online application with its own one-time token `i`.
fn application(i: usize) -> String {
    format!(
        "csrf={FORM}&once={i:064x}&applicant_type=natural_person&name=%E7%8E%8B%E4%BA%94\
         &id_kind=resident_id&id_number=640181199001011232&phone=13900003333\
         &description=2024%E5%B9%B4%E6%8B%9B%E7%94%9F%E8%AE%A1%E5%88%92&form=%E7%94%B5%E5%AD%90%E6%96%87%E6%A1%A3"
    )
}

async fn six_hundred_fast_applications_file_only_the_allowed_number(
    backend: gongkai_store::Backend,
) {
    let (t, app, organ) =
        portal_with_organ(backend, gongkai_web::ratelimit::Limits::default()).await;
    let path = format!("/o/{organ}/apply");
    let mut set = tokio::task::JoinSet::new();
    for i in 0..600 {
        let (app, path) = (app.clone(), path.clone());
        set.spawn(async move {
            answer(&app, form_post(&path, application(i), "203.0.113.9:5000")).await
        });
    }
    let mut answers = Vec::new();
    while let Some(a) = set.join_next().await {
        answers.push(a.unwrap());
    }
    assert_eq!(
        count(&answers, StatusCode::SEE_OTHER),
        10,
        "10 an hour by default"
    );
    assert_eq!(count(&answers, StatusCode::TOO_MANY_REQUESTS), 590);
    // 40 submissions an hour reach the form (accepted or not); past them the answer is a 429
    // page and the body is never read.
    let early = answers
        .iter()
        .filter(|a| a.status == StatusCode::TOO_MANY_REQUESTS && a.body.contains("2024年招生计划"))
        .count();
    assert_eq!(early, 30, "40 submissions, 10 accepted");
    let unread = answers
        .iter()
        .find(|a| a.status == StatusCode::TOO_MANY_REQUESTS && !a.body.contains("2024年招生计划"))
        .unwrap();
    assert_eq!(unread.retry_after.as_deref(), Some("90"));
    let refused = answers
        .iter()
        .find(|a| a.status == StatusCode::TOO_MANY_REQUESTS && a.body.contains("2024年招生计划"))
        .unwrap();
    // The bucket refills one application every 6 minutes.
    assert_eq!(refused.retry_after.as_deref(), Some("360"));
    assert!(
        refused.body.contains("提交过于频繁，请于6分钟后再试"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("2024年招生计划"),
        "what was typed is kept"
    );
    // Nothing was written for the refused ones.
    let filed = t.db.applications(Some(organ), None).await.unwrap();
    assert_eq!(filed.len(), 10);
    // Another address is not held back by this one.
    let other = answer(
        &app,
        form_post(&path, application(1000), "198.51.100.1:5000"),
    )
    .await;
    assert_eq!(other.status, StatusCode::SEE_OTHER, "{}", other.body);
    t.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn six_hundred_fast_applications_on_sqlite() {
    six_hundred_fast_applications_file_only_the_allowed_number(gongkai_store::Backend::Sqlite)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn six_hundred_fast_applications_on_postgres() {
    six_hundred_fast_applications_file_only_the_allowed_number(gongkai_store::Backend::Postgres)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn letters_logins_and_lookups_are_limited_per_address() {
    use gongkai_web::ratelimit::{Limit, Limits};
    let limits = Limits {
        applications: Limit::per_hour(10),
        letters: Limit::per_hour(3),
        logins: Limit::per_hour(3),
        lookups: Limit::per_hour(3),
        ..Limits::default()
    };
    let (t, app, organ) = portal_with_organ(gongkai_store::Backend::Sqlite, limits).await;
    // Letters: 3 filed, the 4th refused with the form shown again and nothing written.
    let letter = |i: usize| {
        format!(
            "csrf={FORM}&name=%E5%BC%A0&contact=13900001111&subject=s{i}&body=%E6%9D%A5%E4%BF%A1{i}"
        )
    };
    let path = format!("/o/{organ}/letters");
    for i in 0..3 {
        let a = answer(&app, form_post(&path, letter(i), "203.0.113.9:1")).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert!(a.body.contains("来信已收到"));
    }
    let a = answer(&app, form_post(&path, letter(3), "203.0.113.9:2")).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(a.retry_after.as_deref(), Some("1200"));
    assert!(a.body.contains("提交过于频繁，请于20分钟后再试") && a.body.contains("来信3"));
    assert_eq!(t.db.portal_letters(organ, true).await.unwrap().len(), 3);
    // Logins, right or wrong: the 4th is refused before any password is checked.
    for _ in 0..3 {
        let a = attempt(&app, "nobody", "wrong-password", "203.0.113.9:3").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    let a = attempt(&app, "nobody", "wrong-password", "203.0.113.9:4").await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(a.body.contains("登录过于频繁") && a.retry_after.is_some());
    // Lookups by code.
    for i in 0..4 {
        let mut req = Request::get(format!("/apply/lookup?code=ABCDEFGHJKM{i}"))
            .body(Body::empty())
            .unwrap();
        req.extensions_mut().insert(axum::extract::ConnectInfo(
            "203.0.113.9:6".parse::<std::net::SocketAddr>().unwrap(),
        ));
        let a = answer(&app, req).await;
        if i < 3 {
            assert_eq!(a.status, StatusCode::OK);
        } else {
            assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
            assert!(a.body.contains("查询过于频繁"), "{}", a.body);
        }
    }
    t.cleanup().await;
}

// ------------------------------------------------------------------------------ slow clients

/// Reads from `s` until the server closes the connection; what it sent, or `None` if it was
/// still open after `guard` (the guard only bounds a failing test).
async fn read_until_closed(
    s: &mut tokio::net::TcpStream,
    guard: std::time::Duration,
) -> Option<Vec<u8>> {
    use tokio::io::AsyncReadExt;
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(guard, s.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(got),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    use tokio::io::AsyncWriteExt;
    let t = TestDb::new(gongkai_store::Backend::Sqlite).await;
    let config = Config {
        header_read_timeout: std::time::Duration::from_millis(300),
        ..Config::default()
    };
    let state = AppState::new(t.db.clone(), config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(gongkai_web::serve_on(
        listener,
        state,
        std::future::pending::<()>(),
    ));
    let guard = std::time::Duration::from_secs(20);

    // Half a request line, then nothing: closed without an answer.
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /static/style.css HT").await.unwrap();
    let got = read_until_closed(&mut slow, guard)
        .await
        .expect("the server closed the connection");
    assert!(!String::from_utf8_lossy(&got).contains("200 OK"));

    // A whole request is answered; the kept-alive connection, left idle, is then closed.
    let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"GET /static/style.css HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let got = read_until_closed(&mut idle, guard)
        .await
        .expect("the idle connection was closed");
    let head = String::from_utf8_lossy(&got);
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    assert!(
        !head.to_ascii_lowercase().contains("connection: close"),
        "kept alive at first"
    );

    server.abort();
    t.cleanup().await;
}

#[path = "hardening_two/mod.rs"]
mod two;
