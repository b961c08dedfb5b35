//! Store behaviour under concurrency and failure (issue 20), on SQLite and on PostgreSQL.

use chrono::{Duration, TimeZone, Utc};
use gongkai_store::{Db, for_each_backend};

async fn login_attempts_are_counted_atomically(db: Db) {
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let (window, lockout) = (Duration::minutes(15), Duration::minutes(15));
    // 100 attempts at once against one key: every one is counted, and the key ends locked.
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let db = db.clone();
        set.spawn(async move {
            db.count_login_attempt("ip:203.0.113.9", 20, now, window, lockout)
                .await
                .unwrap()
                .failures
        });
    }
    let mut seen = Vec::new();
    while let Some(n) = set.join_next().await {
        seen.push(n.unwrap());
    }
    seen.sort();
    assert_eq!(
        seen,
        (1..=100).collect::<Vec<i64>>(),
        "each attempt its own count"
    );
    let t = db.throttle("ip:203.0.113.9").await.unwrap().unwrap();
    assert_eq!(t.failures, 100);
    assert_eq!(t.locked_until, Some(now + lockout));

    // Below the limit there is no lock; the limit's attempt locks.
    for i in 1..=3 {
        let t = db
            .count_login_attempt("user:a", 3, now, window, lockout)
            .await
            .unwrap();
        assert_eq!(t.failures, i);
        assert_eq!(t.locked_until.is_some(), i == 3);
    }
    // After the window a new count starts, unlocked.
    let later = now + Duration::minutes(16);
    let t = db
        .count_login_attempt("user:a", 3, later, window, lockout)
        .await
        .unwrap();
    assert_eq!(
        (t.failures, t.first_failure_at, t.locked_until),
        (1, later, None)
    );
    // A successful login takes its attempt back.
    db.forgive_login_attempt("user:a").await.unwrap();
    assert_eq!(db.throttle("user:a").await.unwrap().unwrap().failures, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn login_attempts_are_counted_atomically_on_both_backends() {
    for_each_backend!(login_attempts_are_counted_atomically);
}

async fn api_tokens_expire_and_revocation_is_final(db: Db) {
    use gongkai_store::users::Role;
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let u = db
        .create_user("robot", "接口", "$argon2id$x", Role::SysAdmin, None, now)
        .await
        .unwrap();
    let forever = db
        .create_api_token("h-forever", u.id, "对接", now)
        .await
        .unwrap();
    db.create_api_token_until("h-month", u.id, "临时", now, Some(now + Duration::days(30)))
        .await
        .unwrap();
    let user_of = |h: &'static str, at| {
        let db = db.clone();
        async move { db.api_token_user_at(h, at).await.unwrap().map(|u| u.id) }
    };
    assert_eq!(user_of("h-month", now).await, Some(u.id));
    assert_eq!(
        user_of("h-month", now + Duration::days(30)).await,
        None,
        "expired"
    );
    assert_eq!(
        user_of("h-forever", now + Duration::days(3650)).await,
        Some(u.id)
    );

    // Revoked: dead, and listed as such.
    assert!(db.revoke_api_token(forever, now).await.unwrap());
    assert!(!db.revoke_api_token(forever, now).await.unwrap(), "once");
    assert_eq!(user_of("h-forever", now).await, None);
    let list = db.api_tokens(Some(u.id)).await.unwrap();
    assert_eq!(list.len(), 2);
    assert!(
        list.iter()
            .any(|t| t.id == forever && t.revoked && t.revoked_at == Some(now))
    );

    // Deactivating the account kills its tokens for good: reactivating brings none back.
    let t3 = db
        .create_api_token("h-third", u.id, "再建", now)
        .await
        .unwrap();
    db.set_user_role(u.id, Role::SysAdmin, None, false)
        .await
        .unwrap();
    db.set_user_role(u.id, Role::SysAdmin, None, true)
        .await
        .unwrap();
    assert_eq!(user_of("h-third", now).await, None);
    assert_eq!(user_of("h-month", now).await, None);
    assert!(
        db.api_tokens(None)
            .await
            .unwrap()
            .iter()
            .any(|t| t.id == t3 && t.revoked)
    );
}

#[tokio::test]
async fn api_tokens_expire_and_revocation_is_final_on_both_backends() {
    for_each_backend!(api_tokens_expire_and_revocation_is_final);
}

async fn rate_limits_are_counted_atomically(db: Db) {
    use gongkai_store::rate_limits::RateDecision;
    use std::time::Duration as StdDuration;
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let hour = StdDuration::from_secs(3600);
    // 600 requests at once against 10 an hour: exactly 10 pass.
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..600 {
        let db = db.clone();
        set.spawn(async move {
            db.take_rate_limit("apply:203.0.113.9", 10, hour, now)
                .await
                .unwrap()
        });
    }
    let mut allowed = 0;
    let mut waits = Vec::new();
    while let Some(d) = set.join_next().await {
        match d.unwrap() {
            RateDecision::Allowed => allowed += 1,
            RateDecision::Refused { retry_after } => waits.push(retry_after),
        }
    }
    assert_eq!(allowed, 10);
    assert_eq!(waits.len(), 590);
    // The bucket refills one request every 6 minutes: that is the wait, and it holds.
    assert!(
        waits.iter().all(|w| *w == StdDuration::from_secs(360)),
        "{:?}",
        &waits[..3]
    );
    let take = |key: &'static str, at| {
        let db = db.clone();
        async move { db.take_rate_limit(key, 10, hour, at).await.unwrap() }
    };
    let later = now + Duration::minutes(5);
    assert!(
        matches!(take("apply:203.0.113.9", later).await, RateDecision::Refused { retry_after } if retry_after == StdDuration::from_secs(60))
    );
    let later = now + Duration::minutes(6);
    assert_eq!(
        take("apply:203.0.113.9", later).await,
        RateDecision::Allowed
    );
    assert!(matches!(
        take("apply:203.0.113.9", later).await,
        RateDecision::Refused { .. }
    ));
    // Another address, or another kind of request, has its own count.
    assert_eq!(take("apply:203.0.113.10", now).await, RateDecision::Allowed);
    assert_eq!(take("letter:203.0.113.9", now).await, RateDecision::Allowed);
    // Keys whose bucket is full again are forgotten; the busy one stays.
    let n = db
        .delete_idle_rate_limits(now + Duration::minutes(30))
        .await
        .unwrap();
    assert_eq!(n, 2);
    assert!(matches!(
        take("apply:203.0.113.9", now + Duration::minutes(30)).await,
        RateDecision::Allowed
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rate_limits_are_counted_atomically_on_both_backends() {
    for_each_backend!(rate_limits_are_counted_atomically);
}
