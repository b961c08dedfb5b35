//! Hardening, round two (issue 33, and issue 28's counting of rejected submissions): caps on
//! connections and requests in flight, bodies of refused requests never read, a lockout that
//! does not lock out the owner, limits per organ across addresses, only accepted submissions
//! counted, NUL refused. Included by `hardening.rs` (its helpers).

use super::*;
use gongkai_web::ratelimit::{Limit, Limits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A real server on a free port of 127.0.0.1 over `state`; aborted when the test ends.
async fn serve(state: AppState) -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        gongkai_web::serve_on(listener, state, std::future::pending::<()>())
            .await
            .unwrap();
    });
    (addr, server)
}

/// A connection to `to` from the loopback address `from` (127.0.0.x: every one is ours).
async fn connect_from(from: &str, to: std::net::SocketAddr) -> tokio::net::TcpStream {
    let s = tokio::net::TcpSocket::new_v4().unwrap();
    s.bind(format!("{from}:0").parse().unwrap()).unwrap();
    s.connect(to).await.unwrap()
}

/// Sends a GET on `s` and reads the status line of the answer.
async fn status_of_get(s: &mut tokio::net::TcpStream, path: &str) -> String {
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut buf = vec![0u8; 512];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), s.read(&mut buf))
        .await
        .expect("answered in time")
        .unwrap();
    String::from_utf8_lossy(&buf[..n])
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

/// Whether the server closed `s` within `wait`.
async fn closed_within(s: &mut tokio::net::TcpStream, wait: std::time::Duration) -> bool {
    let mut buf = [0u8; 64];
    matches!(
        tokio::time::timeout(wait, s.read(&mut buf)).await,
        Ok(Ok(0)) | Ok(Err(_))
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn idle_connections_past_the_caps_make_room_for_real_visitors() {
    let t = TestDb::new(gongkai_store::Backend::Sqlite).await;
    let config = Config {
        max_connections: 12,
        max_connections_per_address: 4,
        ..Config::default()
    };
    let (addr, server) = serve(AppState::new(t.db.clone(), config)).await;
    // One client opens 4 idle connections, then a fifth: its own idlest one is closed.
    let mut mine = Vec::new();
    for _ in 0..4 {
        mine.push(connect_from("127.0.0.2", addr).await);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let mut fifth = connect_from("127.0.0.2", addr).await;
    assert!(
        closed_within(&mut mine[0], std::time::Duration::from_secs(5)).await,
        "the oldest idle connection of the address was closed"
    );
    assert_eq!(
        status_of_get(&mut fifth, "/static/style.css").await,
        "HTTP/1.1 200 OK"
    );
    // Clients on eight addresses hold 12 idle connections (the cap): a real visitor on a ninth
    // is still served, an idle one making room.
    let mut idle = Vec::new();
    for i in 0..12 {
        idle.push(connect_from(&format!("127.0.0.{}", 10 + i % 8), addr).await);
    }
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let mut visitor = connect_from("127.0.0.99", addr).await;
    assert_eq!(
        status_of_get(&mut visitor, "/static/style.css").await,
        "HTTP/1.1 200 OK"
    );
    server.abort();
    t.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn past_the_requests_in_flight_the_answer_is_503_at_once() {
    let (t, _, organ) = portal_with_organ(gongkai_store::Backend::Sqlite, Limits::default()).await;
    let config = Config {
        max_in_flight: 1,
        ..Config::default()
    };
    let (addr, server) = serve(AppState::new(t.db.clone(), config)).await;
    // A letter whose body never comes holds the one place.
    let mut slow = connect_from("127.0.0.3", addr).await;
    slow.write_all(
        format!(
            "POST /o/{organ}/letters HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nCookie: gk_form={FORM}\r\nContent-Length: 5000\r\n\r\ncsrf="
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mut other = connect_from("127.0.0.4", addr).await;
    let t0 = std::time::Instant::now();
    other
        .write_all(b"GET /static/style.css HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), other.read(&mut buf))
        .await
        .unwrap()
        .unwrap();
    let head = String::from_utf8_lossy(&buf[..n]).to_string();
    assert!(head.starts_with("HTTP/1.1 503"), "{head}");
    assert!(
        head.to_ascii_lowercase().contains("retry-after: 5"),
        "{head}"
    );
    assert!(t0.elapsed() < std::time::Duration::from_secs(2));
    drop(slow);
    server.abort();
    t.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_body_of_a_refused_submission_is_never_read() {
    let limits = Limits {
        submissions: Limit::per_hour(2),
        ..Limits::default()
    };
    let (t, _, organ) = portal_with_organ(gongkai_store::Backend::Sqlite, limits).await;
    let config = Config {
        rate_limits: limits,
        ..Config::default()
    };
    let (addr, server) = serve(AppState::new(t.db.clone(), config)).await;
    let head = |len: usize| {
        format!(
            "POST /o/{organ}/letters HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nCookie: gk_form={FORM}\r\nContent-Length: {len}\r\n\r\n"
        )
    };
    // Two submissions with their mistakes (no name): shown again, counted as submissions.
    for i in 0..2 {
        let body = format!("csrf={FORM}&once={i:064}&publish=no&subject=s&body=b");
        let mut s = connect_from("127.0.0.5", addr).await;
        s.write_all(format!("{}{body}", head(body.len())).as_bytes())
            .await
            .unwrap();
        let mut buf = vec![0u8; 256];
        let n = s.read(&mut buf).await.unwrap();
        assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 422"));
    }
    // The third announces 100 KB and sends none of it: refused at once, unread (if the body
    // were read the answer would wait for it).
    let mut s = connect_from("127.0.0.5", addr).await;
    s.write_all(head(100_000).as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(std::time::Duration::from_secs(5), s.read(&mut buf))
        .await
        .expect("answered without the body")
        .unwrap();
    let answer = String::from_utf8_lossy(&buf[..n]).to_string();
    assert!(answer.starts_with("HTTP/1.1 429"), "{answer}");
    assert!(answer.contains("Retry-After") || answer.contains("retry-after"));
    // A body announced larger than any form is refused before it is read, whoever sends it.
    let mut s = connect_from("127.0.0.6", addr).await;
    s.write_all(head(10 * 1024 * 1024).as_bytes())
        .await
        .unwrap();
    let n = tokio::time::timeout(std::time::Duration::from_secs(5), s.read(&mut buf))
        .await
        .expect("answered without the body")
        .unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 413"));
    server.abort();
    t.cleanup().await;
}

/// An application with a mistake (no description): sent back, not filed.
fn faulty_application(i: usize) -> String {
    application(i).replace("&description=", "&description_was=")
}

async fn only_accepted_submissions_count(backend: gongkai_store::Backend) {
    let (t, app, organ) = portal_with_organ(backend, Limits::default()).await;
    let path = format!("/o/{organ}/apply");
    // A service hall: fifteen forms sent back with their mistakes...
    for i in 0..15 {
        let a = answer(
            &app,
            form_post(&path, faulty_application(i), "203.0.113.20:1"),
        )
        .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    }
    // ...do not use up the ten applications of the hour.
    for i in 100..110 {
        let a = answer(&app, form_post(&path, application(i), "203.0.113.20:1")).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{i}: {}", a.body);
    }
    let a = answer(&app, form_post(&path, application(110), "203.0.113.20:1")).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(a.body.contains("提交过于频繁") && a.body.contains("2024年招生计划"));
    assert_eq!(
        t.db.applications(Some(organ), None).await.unwrap().len(),
        10
    );
    // Rejected ones have their own, higher limit (40 submissions an hour in all).
    let mut last = StatusCode::OK;
    for i in 0..20 {
        last = answer(
            &app,
            form_post(&path, faulty_application(200 + i), "203.0.113.20:1"),
        )
        .await
        .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    t.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn only_accepted_submissions_count_against_the_limit_on_sqlite() {
    only_accepted_submissions_count(gongkai_store::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn only_accepted_submissions_count_against_the_limit_on_postgres() {
    only_accepted_submissions_count(gongkai_store::Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_addresses_cannot_file_past_the_organs_ceiling() {
    let limits = Limits {
        applications_per_organ: Limit::per_hour(20),
        ..Limits::default()
    };
    let (t, app, organ) = portal_with_organ(gongkai_store::Backend::Sqlite, limits).await;
    let path = format!("/o/{organ}/apply");
    let mut set = tokio::task::JoinSet::new();
    for i in 0..60 {
        let (app, path) = (app.clone(), path.clone());
        set.spawn(async move {
            let addr = format!("198.18.{}.{}:1", i / 200, i % 200 + 1);
            answer(&app, form_post(&path, application(i), &addr)).await
        });
    }
    let mut answers = Vec::new();
    while let Some(a) = set.join_next().await {
        answers.push(a.unwrap());
    }
    assert_eq!(count(&answers, StatusCode::SEE_OTHER), 20);
    assert_eq!(count(&answers, StatusCode::TOO_MANY_REQUESTS), 40);
    let refused = answers
        .iter()
        .find(|a| a.status == StatusCode::TOO_MANY_REQUESTS)
        .unwrap();
    assert!(
        refused.body.contains("本机关网上提交量暂时过大"),
        "{}",
        refused.body
    );
    assert_eq!(
        t.db.applications(Some(organ), None).await.unwrap().len(),
        20
    );
    t.cleanup().await;
}

async fn nul_is_refused(backend: gongkai_store::Backend) {
    let (t, app, organ) = portal_with_organ(backend, Limits::default()).await;
    let letter = format!(
        "csrf={FORM}&name=%E5%BC%A0%00&contact=13900001111&subject=s&body=%E6%9D%A5%E4%BF%A1"
    );
    let a = answer(
        &app,
        form_post(&format!("/o/{organ}/letters"), letter, "203.0.113.30:1"),
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
    assert!(a.body.contains("无法识别的控制字符"), "{}", a.body);
    let a = answer(
        &app,
        form_post(
            &format!("/o/{organ}/apply"),
            application(1).replace("%E7%8E%8B%E4%BA%94", "%00"),
            "203.0.113.30:1",
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let mut req = Request::get("/apply/lookup?code=AB%00CD")
        .body(Body::empty())
        .unwrap();
    req.extensions_mut().insert(axum::extract::ConnectInfo(
        "203.0.113.30:1".parse::<std::net::SocketAddr>().unwrap(),
    ));
    assert_eq!(answer(&app, req).await.status, StatusCode::BAD_REQUEST);
    let a = attempt(&app, "ed%00itor", "x", "203.0.113.30:2").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(t.db.portal_letters(organ, true).await.unwrap().is_empty());
    t.cleanup().await;
}

#[tokio::test]
async fn a_nul_in_an_anonymous_form_is_a_chinese_400_on_sqlite() {
    nul_is_refused(gongkai_store::Backend::Sqlite).await;
}

#[tokio::test]
async fn a_nul_in_an_anonymous_form_is_a_chinese_400_on_postgres() {
    nul_is_refused(gongkai_store::Backend::Postgres).await;
}

#[tokio::test]
async fn letters_name_and_contact_are_bounded_on_the_server() {
    let (t, app, organ) =
        portal_with_organ(gongkai_store::Backend::Sqlite, Limits::default()).await;
    let long = "%E5%BC%A0".repeat(51);
    let letter = format!(
        "csrf={FORM}&once={:064}&publish=no&name={long}&contact={}&subject=s&body=%E6%9D%A5%E4%BF%A1",
        1,
        "1".repeat(101)
    );
    let a = answer(
        &app,
        form_post(&format!("/o/{organ}/letters"), letter, "203.0.113.31:1"),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("姓名不能超过50字") && a.body.contains("联系方式不能超过100字"));
    assert!(t.db.portal_letters(organ, true).await.unwrap().is_empty());
    t.cleanup().await;
}

// ------------------------------------------------------------------------------ the owner

/// The device cookie set by a successful login.
async fn device_of_login(app: &Router, user: &str, addr: &str) -> String {
    let body = format!("csrf={FORM}&username={user}&password={PASSWORD}");
    let mut req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("gk_form={FORM}"))
        .body(Body::from(body))
        .unwrap();
    req.extensions_mut().insert(axum::extract::ConnectInfo(
        addr.parse::<std::net::SocketAddr>().unwrap(),
    ));
    let r = app.clone().oneshot(req).await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let set: Vec<String> = r
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let c = set
        .iter()
        .find(|c| c.starts_with("gk_device="))
        .expect("device cookie set");
    assert!(c.contains("Path=/login") && c.contains("HttpOnly"));
    c.split(';')
        .next()
        .unwrap()
        .trim_start_matches("gk_device=")
        .to_string()
}

async fn login_with_device(
    app: &Router,
    user: &str,
    password: &str,
    addr: &str,
    device: &str,
) -> StatusCode {
    let body = format!("csrf={FORM}&username={user}&password={password}");
    let mut req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(
            header::COOKIE,
            format!("gk_form={FORM}; gk_device={device}"),
        )
        .body(Body::from(body))
        .unwrap();
    req.extensions_mut().insert(axum::extract::ConnectInfo(
        addr.parse::<std::net::SocketAddr>().unwrap(),
    ));
    app.clone().oneshot(req).await.unwrap().status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_attacker_cannot_lock_the_owner_out() {
    let (t, app) = portal().await;
    // The owner has logged in from their office PC before.
    let device = device_of_login(&app, "editor", "192.0.2.50:1").await;
    // Wrong passwords for the name from a hundred addresses: the account is locked for
    // unknown clients after the per-account ceiling, each address after five.
    let answers = burst(&app, 100, "wrong-password", |i| {
        ("editor".into(), format!("198.51.100.{}:4000", i % 250))
    })
    .await;
    let wrong = count(&answers, StatusCode::UNAUTHORIZED);
    assert!(
        wrong < gongkai_web::auth::MAX_FAILURES_PER_ACCOUNT as usize,
        "{wrong} passwords tried"
    );
    // A new client with the right password waits…
    assert_eq!(
        attempt(&app, "editor", PASSWORD, "192.0.2.51:1")
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // …the owner's PC does not, from its own address or another.
    assert_eq!(
        login_with_device(&app, "editor", PASSWORD, "192.0.2.50:2", &device).await,
        StatusCode::SEE_OTHER
    );
    // Five wrong passwords from one address for the name lock that address for it, not the
    // owner either.
    for _ in 0..5 {
        attempt(&app, "reviewer", "wrong-password", "203.0.113.77:1").await;
    }
    assert_eq!(
        attempt(&app, "reviewer", PASSWORD, "203.0.113.77:2")
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        attempt(&app, "reviewer", PASSWORD, "192.0.2.60:1")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // A device cookie of another account counts for nothing.
    assert_eq!(
        login_with_device(&app, "editor", PASSWORD, "192.0.2.61:1", &"f".repeat(64)).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // A password reset forgets the account's devices.
    let editor = t.db.user_by_name("editor").await.unwrap().unwrap();
    let hash = gongkai_web::auth::hash_password("Another-Pass-123".into())
        .await
        .unwrap();
    t.db.set_user_password(editor.id, &hash).await.unwrap();
    assert_eq!(
        login_with_device(&app, "editor", "Another-Pass-123", "192.0.2.50:3", &device).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    t.cleanup().await;
}
