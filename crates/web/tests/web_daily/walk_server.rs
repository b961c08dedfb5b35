//! Not a check: serves the living demo (loaded as of 7 December 2026) on 127.0.0.1:18850 for
//! `GONGKAI_WALK_SECS` seconds (300 by default), for a person to walk it in a browser:
//! `cargo test -p gongkai-web --test web -- --ignored serve_the_living_demo`.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "serves the demo for a person to look at"]
async fn serve_the_living_demo_for_a_walk() {
    let t = TestDb::sqlite().await;
    let instant = Utc.with_ymd_and_hms(2026, 12, 7, 2, 0, 0).unwrap();
    gongkai_app::imports::demo(
        &gongkai_app::App::new(t.db.clone(), gongkai_app::Time::fixed(instant)),
        &gongkai_app::Actor::Operator("演示".into()),
    )
    .await
    .unwrap();
    gongkai_web::demo::publish_history(
        &t.db,
        gongkai_import::demo::BUREAU_NAME,
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
    )
    .await
    .unwrap();
    let state = AppState::new(t.db.clone(), Config::default()).with_clock(FixedClock(instant));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:18850")
        .await
        .unwrap();
    let secs: u64 = std::env::var("GONGKAI_WALK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    tokio::select! {
        _ = axum::serve(listener, app(state)) => {}
        _ = tokio::time::sleep(std::time::Duration::from_secs(secs)) => {}
    }
    t.cleanup().await;
}
