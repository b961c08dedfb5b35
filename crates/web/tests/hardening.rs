//! What a visitor can do in bulk must not take the portal down or slip past its limits
//! (issue 20): bursts of logins against the throttle and the password-hashing queue.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{TimeZone, Utc};
use gongkai_store::testing::TestDb;
use gongkai_store::users::Role;
use gongkai_web::auth::{MAX_FAILURES, MAX_FAILURES_PER_ADDRESS};
use gongkai_web::{AppState, Config, FixedClock, app};
use http_body_util::BodyExt;
use tower::ServiceExt;

const PASSWORD: &str = "Correct-Horse-42";
/// A double-submit form token (cookie and field alike).
const FORM: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

async fn portal() -> (TestDb, Router) {
    let t = TestDb::new(gongkai_store::Backend::Sqlite).await;
    let hash = gongkai_web::auth::hash_password(PASSWORD.into())
        .await
        .unwrap();
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
    let wrong = count(&answers, StatusCode::UNAUTHORIZED);
    assert!(wrong < MAX_FAILURES as usize, "{wrong} passwords tried");
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
