//! `gongkai backup` and `gongkai restore` (issue 20), on SQLite and PostgreSQL: a backup taken
//! while writers keep writing restores to exactly the rows it counted, and the restored
//! database gives the same annual report JSON.

use chrono::Utc;
use gongkai_import::demo;
use gongkai_store::backup;
use gongkai_store::testing::TestDb;
use gongkai_store::users::NewAudit;
use gongkai_store::{Backend, Db};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

async fn report_json(db: &Db) -> String {
    let organ = db.find_organ(demo::BUREAU_NAME).await.unwrap().unwrap();
    let app = gongkai_app::App::new(
        db.clone(),
        gongkai_app::Time::fixed("2021-01-15T02:00:00Z".parse().unwrap()),
    );
    let r = gongkai_app::reports::compute(&app, &organ, 2020, false)
        .await
        .unwrap();
    serde_json::to_string(&r).unwrap()
}

async fn backup_while_writing(backend: Backend) {
    let t = TestDb::new(backend).await;
    gongkai_app::imports::demo(
        &gongkai_app::App::new(t.db.clone(), gongkai_app::Time::system()),
        &gongkai_app::Actor::Operator("测试".into()),
    )
    .await
    .unwrap();
    let before = t.db.row_counts().await.unwrap();
    let report = report_json(&t.db).await;

    // Two writers append to the audit log without pause while the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicU64::new(0));
    let mut writers = Vec::new();
    for w in 0..2 {
        let (db, stop, written) = (t.db.clone(), stop.clone(), written.clone());
        writers.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                db.audit(
                    &NewAudit {
                        username: "writer",
                        action: "test",
                        entity: "backup",
                        entity_id: format!("{w}"),
                        ..Default::default()
                    },
                    Utc::now(),
                )
                .await
                .unwrap();
                written.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    while written.load(Ordering::Relaxed) < 50 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gongkai.backup");
    let m = t.db.backup(&t.url, &file).await.unwrap();
    // Writers went on during the backup.
    let at_backup = written.load(Ordering::Relaxed);
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let total = written.load(Ordering::Relaxed);
    assert!(total > at_backup, "writes continued: {at_backup} → {total}");
    let audit_in_backup = m.counts["audit_log"];
    assert!(
        audit_in_backup >= before["audit_log"] + 50
            && audit_in_backup < before["audit_log"] + total as i64,
        "the backup holds the writes made before it: {audit_in_backup} of {} + {total}",
        before["audit_log"]
    );
    assert_eq!(backup::read_manifest(&file).unwrap().unwrap(), m);
    for (table, n) in &before {
        if table != "audit_log" {
            assert_eq!(m.counts[table], *n, "{table}");
        }
    }

    // Restore into another database of the same kind.
    let target = TestDb::new(backend).await;
    target.db.close().await;
    // Not while an instance serves the database (issue 33), and nothing is changed then.
    let serving = gongkai_store::instance_lock::hold_for_serving(&target.url)
        .await
        .unwrap();
    let refused = backup::restore(&target.url, &file).await.unwrap_err();
    assert!(
        refused.to_string().contains("正在使用该数据库"),
        "{refused}"
    );
    let db = Db::connect(&target.url).await.unwrap();
    assert_eq!(db.row_counts().await.unwrap()["audit_log"], 0);
    db.close().await;
    drop(serving);
    // A stopped instance's lock goes when PostgreSQL sees its connection closed, which happens
    // after the drop returns: the restore is tried again until then (at most 10 s).
    let mut tries = 0;
    let restored = loop {
        match backup::restore(&target.url, &file).await {
            Err(e) if e.to_string().contains("正在使用该数据库") && tries < 100 => {
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            r => break r.unwrap(),
        }
    };
    assert_eq!(restored.counts, m.counts);
    let db = Db::connect(&target.url).await.unwrap();
    // Exactly the backup, and one change more: the feed tells every instance to rebuild its
    // index (a position saved before the restore may fall inside the restored feed).
    let mut after = db.row_counts().await.unwrap();
    *after.get_mut("changes").unwrap() -= 1;
    assert_eq!(after, m.counts);
    let (newest, _) = db.change_bounds().await.unwrap();
    let last = db.changes_after(newest - 1, 1).await.unwrap();
    assert_eq!(
        (last[0].entity.as_str(), last[0].kind.as_str()),
        ("search", "rebuild")
    );
    assert_eq!(report_json(&db).await, report);
    db.close().await;
    // An instance started while a restore holds the database refuses to start.
    let restoring = gongkai_store::instance_lock::hold_for_restore(&target.url)
        .await
        .unwrap();
    let e = gongkai_store::instance_lock::hold_for_serving(&target.url)
        .await
        .err()
        .expect("refused during a restore");
    assert!(e.to_string().contains("正在恢复"), "{e}");
    drop(restoring);
    let m = backup::read_manifest(&file).unwrap().unwrap();
    let mut m_after = m.clone();
    *m_after.counts.get_mut("changes").unwrap() += 1;

    // A damaged backup is refused and the database is left as it was.
    let bad = dir.path().join("bad.backup");
    std::fs::write(&bad, b"not a backup").unwrap();
    std::fs::copy(backup::manifest_path(&file), backup::manifest_path(&bad)).unwrap();
    assert!(backup::restore(&target.url, &bad).await.is_err());
    let db = Db::connect(&target.url).await.unwrap();
    assert_eq!(db.row_counts().await.unwrap(), m_after.counts);
    db.close().await;

    target.cleanup().await;
    t.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_during_writes_restores_on_sqlite() {
    backup_while_writing(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_during_writes_restores_on_postgres() {
    backup_while_writing(Backend::Postgres).await;
}
