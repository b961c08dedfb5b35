//! One instance among several on a database (issue 19), in-process: an idle job worker writes
//! nothing; the follower of the change feed does not index again what this process indexed
//! after its own write; anonymous public pages are read from a read-only replica while it has
//! caught up, and everything else from the primary. Included by `web.rs` (its helpers). The
//! real streaming replica is exercised by `crates/cli/tests/instances.rs`.

use super::*;
use axum::extract::ConnectInfo;
use gongkai_store::testing::SqliteCommits;
use gongkai_web::follower::{CaughtUp, Follower};
use gongkai_web::jobs;
use gongkai_web::replica::Replica;
use std::sync::Arc;
use std::time::Duration;

/// Creates and publishes an item through the back office of `app` as `sys`; returns its id.
async fn publish(app: &Router, organ: i64, category: i64, title: &str) -> (i64, Resp) {
    let (cookie, csrf) = login(app, "sys").await;
    let created = post(
        app,
        "/admin/items",
        &cookie,
        &[
            ("csrf", &csrf),
            ("organ", &organ.to_string()),
            ("title", title),
            ("category", &category.to_string()),
            ("summary", "多实例测试"),
            ("written_on", "2025-03-01"),
        ],
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id: i64 = created
        .location
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    for action in ["submit", "publish"] {
        let r = post(
            app,
            &format!("/admin/items/{id}/transition"),
            &cookie,
            &[("csrf", &csrf), ("action", action)],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{action}: {}", r.body);
    }
    (id, created)
}

fn found(index: &gongkai_search::Index, title: &str) -> bool {
    index
        .search(&gongkai_search::Query::new(title))
        .unwrap()
        .hits
        .iter()
        .any(|h| h.title == title)
}

#[tokio::test]
async fn an_idle_job_worker_neither_writes_nor_takes_the_write_lock() {
    let t = TestDb::sqlite().await;
    let state = AppState::new(t.db.clone(), Config::default());
    // The day's periodic job, enqueued and run once, as the worker does when it starts.
    jobs::schedule(&state).await.unwrap();
    while jobs::run_one(&state, "test").await.unwrap() {}

    let mut commits = SqliteCommits::open(&t.url).await;
    let before = commits.version().await;
    let worker = jobs::spawn(state.clone(), "idle".into());
    // Three polls of the jobs table, and the periodic job scheduled again (it exists).
    tokio::time::sleep(jobs::POLL * 3 + Duration::from_millis(300)).await;
    assert_eq!(
        commits.version().await,
        before,
        "an idle worker committed a write"
    );

    // Not even the write lock: while another connection holds it (an import), an idle poll
    // returns at once instead of waiting for it (busy timeout: 10 s).
    let other = Db::connect(&t.url).await.unwrap();
    let held = other.begin().await.unwrap();
    let poll = tokio::time::timeout(Duration::from_secs(2), jobs::run_one(&state, "test")).await;
    assert!(
        !poll
            .expect("the idle poll waited for the write lock")
            .unwrap()
    );
    tokio::time::timeout(Duration::from_secs(2), jobs::schedule(&state))
        .await
        .expect("scheduling an existing job waited for the write lock")
        .unwrap();
    held.rollback().await.unwrap();
    other.close().await;

    // A due job is still taken.
    let now = Utc::now();
    assert!(
        t.db.enqueue_job("prune_changes", "prune_changes:due", "", now, now)
            .await
            .unwrap()
    );
    assert!(jobs::run_one(&state, "test").await.unwrap());
    worker.abort();
    t.cleanup().await;
}

#[tokio::test]
async fn the_follower_does_not_index_again_what_this_process_indexed_after_its_write() {
    let t = TestDb::sqlite().await;
    let db = t.db.clone();
    let o = db
        .create_organ(
            &organ("ORG1", "灵武市教育局", None),
            Some(&CatalogueSeed::education()),
        )
        .await
        .unwrap();
    let category = db.categories(o.id).await.unwrap()[0].id;
    add_user(&db, "sys", Role::SysAdmin, None).await;

    // Instance A, with its follower, and instance B on the same database.
    let index_a = Arc::new(gongkai_search::Index::in_memory().unwrap());
    let a = AppState::new(db.clone(), Config::default()).with_search(index_a.clone());
    let mut follower = Follower::start(a.clone()).await;
    let index_b = Arc::new(gongkai_search::Index::in_memory().unwrap());
    let b = AppState::new(db.clone(), Config::default()).with_search(index_b.clone());

    // Published through A: indexed by A at once, and not again when A's follower reads it.
    publish(&app(a.clone()), o.id, category, "甲实例发布的通知").await;
    assert!(found(&index_a, "甲实例发布的通知"));
    assert!(!a.own_writes.is_empty());
    let caught = follower.catch_up().await.unwrap();
    assert!(caught.changes >= 3, "{caught:?}");
    assert_eq!(
        (caught.indexed, caught.own),
        (0, 1),
        "A's own write indexed again"
    );
    assert!(a.own_writes.is_empty(), "passed entries are forgotten");

    // Published through B: A's follower indexes it (once).
    let (id, _) = publish(&app(b.clone()), o.id, category, "乙实例发布的通知").await;
    assert!(found(&index_b, "乙实例发布的通知"));
    assert!(!found(&index_a, "乙实例发布的通知"));
    let caught = follower.catch_up().await.unwrap();
    assert_eq!((caught.indexed, caught.own), (1, 0), "{caught:?}");
    assert!(found(&index_a, "乙实例发布的通知"));

    // Withdrawn through A: A's own write again, not indexed twice.
    let (cookie, csrf) = login(&app(a.clone()), "sys").await;
    let r = post(
        &app(a.clone()),
        &format!("/admin/items/{id}/transition"),
        &cookie,
        &[("csrf", &csrf), ("action", "withdraw")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(!found(&index_a, "乙实例发布的通知"));
    assert_eq!(
        follower.catch_up().await.unwrap(),
        CaughtUp {
            changes: 1,
            indexed: 0,
            own: 1
        }
    );
    t.cleanup().await;
}

/// A request from a client address (the rate limits count per address).
async fn get_from(app: &Router, path: &str) -> Resp {
    let mut req = Request::get(path).body(Body::empty()).unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(std::net::SocketAddr::from((
            [192, 0, 2, 7],
            40000,
        ))));
    send(app, req).await
}

/// The replica here is another database with other data, so where a page was read from shows;
/// a real streaming replica is exercised by `crates/cli/tests/instances.rs`.
#[tokio::test]
async fn anonymous_public_pages_are_read_from_the_replica_while_it_has_caught_up() {
    let primary = TestDb::postgres().await;
    let copy = TestDb::postgres().await;
    let mut ids = vec![];
    for (t, title) in [(&primary, "主库上的标题"), (&copy, "副本上的标题")] {
        let o =
            t.db.create_organ(
                &organ("ORG1", "灵武市教育局", None),
                Some(&CatalogueSeed::education()),
            )
            .await
            .unwrap();
        let item = insert_item(
            &t.db,
            o.id,
            title,
            ItemStatus::Published,
            NaiveDate::from_ymd_opt(2025, 1, 8),
        )
        .await;
        ids.push((o.id, item));
    }
    assert_eq!(ids[0], ids[1]);
    let (organ, item) = ids[0];
    let category = primary.db.categories(organ).await.unwrap()[0].id;
    add_user(&primary.db, "sys", Role::SysAdmin, None).await;

    // A replica of SQLite is refused; the replica's pool never writes.
    assert!(Db::connect_replica("sqlite://x.db").is_err());
    let sqlite = TestDb::sqlite().await;
    assert!(
        Replica::new(&sqlite.db, Db::connect_replica(&copy.url).unwrap())
            .await
            .is_err()
    );
    sqlite.cleanup().await;
    let replica_db = Db::connect_replica(&copy.url).unwrap();
    let refused = replica_db
        .enqueue_job("prune_changes", "k", "", Utc::now(), Utc::now())
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("read-only"), "{refused}");

    let replica = Arc::new(Replica::new(&primary.db, replica_db).await.unwrap());
    assert!(!replica.fresh(), "fresh before its position was read");
    assert!(replica.check().await);
    let limits = gongkai_web::ratelimit::Limits {
        lookups: gongkai_web::ratelimit::Limit {
            count: 1,
            window: std::time::Duration::from_secs(600),
        },
        ..Default::default()
    };
    let config = Config {
        page_cache_seconds: 30,
        rate_limits: limits,
        ..Config::default()
    };
    let state = AppState::new(primary.db.clone(), config).with_replica(replica.clone());
    let mut follower = Follower::start(state.clone()).await;
    let app = app(state.clone());
    let page = format!("/items/{item}");

    // Anonymous: the replica (twice: the second from the page cache).
    for _ in 0..2 {
        let r = get(&app, &page, "").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("副本上的标题"), "not read from the replica");
    }
    // Every anonymous public page reads through the read-only pool without failing: none writes.
    for path in [
        "/".to_string(),
        "/sitemap".into(),
        format!("/o/{organ}"),
        format!("/o/{organ}/guide"),
        format!("/o/{organ}/catalogue"),
        format!("/o/{organ}/notices"),
        format!("/o/{organ}/double"),
        format!("/o/{organ}/reports"),
        format!("/o/{organ}/letters"),
        "/feed.xml".into(),
        "/sitemap.xml".into(),
        "/sitemaps/pages.xml".into(),
        "/search?q=%E6%A0%87%E9%A2%98".into(),
    ] {
        let r = get_from(&app, &path).await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{path} through the replica: {}",
            r.body
        );
    }
    // Lookups by code count in the database: on the primary (a limit of one is reached).
    assert_eq!(
        get_from(&app, "/letters/lookup?code=A1").await.status,
        StatusCode::OK
    );
    assert_eq!(
        get_from(&app, "/letters/lookup?code=B2").await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the lookup's counter was not written: read from the replica?"
    );

    // A logged-in officer, and a visitor who has just written, read the primary.
    let (session, _) = login(&app, "sys").await;
    assert!(
        get(&app, &page, &session)
            .await
            .body
            .contains("主库上的标题")
    );
    assert!(
        get(&app, &page, "gk_primary=1")
            .await
            .body
            .contains("主库上的标题")
    );

    // An officer's write: the answer sends the writer to the primary for a while; the officer
    // sees the new item at once.
    let (new_item, created) = publish(&app, organ, category, "刚发布的通知").await;
    let remember = cookie_pair(&created.cookies, gongkai_web::replica::COOKIE);
    assert_eq!(remember.as_deref(), Some("gk_primary=1"));
    assert!(created.cookies.iter().any(|c| c.contains("Max-Age=30")));
    let new_page = format!("/items/{new_item}");
    assert_eq!(get(&app, &new_page, &session).await.status, StatusCode::OK);

    // The follower reads the change: until the replica has replayed past it, anonymous pages
    // come from the primary too.
    let caught = follower.catch_up().await.unwrap();
    assert!(caught.changes >= 3);
    assert!(
        !replica.fresh(),
        "the replica counts as caught up before it was asked"
    );
    let r = get(&app, &new_page, "").await;
    assert_eq!(r.status, StatusCode::OK, "the new item from the primary");
    assert!(
        get(&app, &format!("{page}?v=1"), "")
            .await
            .body
            .contains("主库上的标题")
    );

    // Caught up (this "replica" is another database on the same server: its position is the
    // server's), it serves anonymous pages again — which do not have the new item.
    assert!(replica.check().await);
    assert!(
        get(&app, &format!("{page}?v=2"), "")
            .await
            .body
            .contains("副本上的标题")
    );
    assert_eq!(
        get(&app, &format!("{new_page}?v=2"), "").await.status,
        StatusCode::NOT_FOUND
    );
    primary.cleanup().await;
    copy.cleanup().await;
}
