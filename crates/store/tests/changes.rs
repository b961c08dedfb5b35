//! The change feed and the jobs table (migration 0010) on both backends: appended changes are
//! read back in order and only when committed, pruning keeps the newest; a job's key makes it
//! one job, a claimed job is not claimed again until its lease passes, failures are retried
//! later and kept, and the last failure marks the job failed.

use chrono::{Duration, TimeZone, Utc};
use gongkai_store::changes::{JOB_LEASE, JobState, NewChange, job_backoff};
use gongkai_store::{Db, both};

fn change(entity: &str, id: &str) -> NewChange {
    NewChange {
        organ_id: Some(1),
        entity: entity.into(),
        entity_id: id.into(),
        kind: "publish".into(),
    }
}

async fn feed(db: Db) {
    let t0 = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    assert_eq!(db.change_bounds().await.unwrap(), (0, None));
    let a = db.append_change(&change("item", "7"), t0).await.unwrap();
    // A change in a transaction rolled back is never seen.
    let mut tx = db.begin().await.unwrap();
    tx.append_change(&change("item", "8"), t0).await.unwrap();
    tx.rollback().await.unwrap();
    let b = db
        .append_change(&change("report", "1:2025"), t0 + Duration::days(10))
        .await
        .unwrap();
    let rows = db.changes_after(0, 100).await.unwrap();
    assert_eq!(
        rows.iter()
            .map(|r| (r.id, r.entity.as_str(), r.entity_id.as_str()))
            .collect::<Vec<_>>(),
        vec![(a, "item", "7"), (b, "report", "1:2025")]
    );
    assert_eq!(rows[0].created_at, t0);
    assert_eq!(db.changes_after(a, 100).await.unwrap().len(), 1);
    assert_eq!(db.changes_after(0, 1).await.unwrap().len(), 1);
    assert_eq!(db.change_bounds().await.unwrap(), (b, Some(a)));
    // Pruning removes what is older than the cut, but never the newest change.
    assert_eq!(db.prune_changes(t0 + Duration::days(5)).await.unwrap(), 1);
    assert_eq!(db.prune_changes(t0 + Duration::days(50)).await.unwrap(), 0);
    assert_eq!(db.change_bounds().await.unwrap(), (b, Some(b)));
}
both!(feed);

async fn jobs(db: Db) {
    let t0 = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    assert!(
        db.enqueue_job("prune_changes", "k1", "", t0, t0)
            .await
            .unwrap()
    );
    assert!(
        !db.enqueue_job("prune_changes", "k1", "", t0, t0)
            .await
            .unwrap()
    );
    let later = t0 + Duration::hours(1);
    assert!(
        db.enqueue_job("prune_changes", "k2", "", later, t0)
            .await
            .unwrap()
    );
    assert_eq!(db.jobs(None, 10).await.unwrap().len(), 2);

    // The due job is claimed once; the one not yet due waits.
    let j = db.claim_job("a", t0).await.unwrap().expect("due job");
    assert_eq!(
        (j.key.as_str(), j.attempts, j.state.as_str()),
        ("k1", 1, "running")
    );
    assert_eq!(j.locked_by, "a");
    assert!(db.claim_job("b", t0).await.unwrap().is_none());
    // Its instance died: taken again once the lease has passed.
    let j = db
        .claim_job("b", t0 + JOB_LEASE + Duration::seconds(1))
        .await
        .unwrap()
        .expect("lease expired");
    assert_eq!(
        (j.key.as_str(), j.attempts, j.locked_by.as_str()),
        ("k1", 2, "b")
    );
    db.finish_job(j.id, t0).await.unwrap();

    // A failure is kept and retried after the backoff, until the attempts run out.
    let mut now = later;
    let mut last = None;
    for attempt in 1..=5 {
        let j = db.claim_job("a", now).await.unwrap().expect("k2 due");
        assert_eq!((j.key.as_str(), j.attempts), ("k2", attempt));
        db.fail_job(&j, &format!("错误{attempt}"), now)
            .await
            .unwrap();
        assert!(
            db.claim_job("a", now).await.unwrap().is_none(),
            "not retried before its backoff"
        );
        now += job_backoff(attempt);
        last = Some(j.id);
    }
    let all = db.jobs(None, 10).await.unwrap();
    let k2 = all.iter().find(|j| Some(j.id) == last).unwrap();
    assert_eq!(
        (k2.state.as_str(), k2.attempts, k2.last_error.as_str()),
        ("failed", 5, "错误5")
    );
    assert!(
        db.claim_job("a", now + Duration::days(1))
            .await
            .unwrap()
            .is_none()
    );
    let counts = db.job_counts().await.unwrap();
    assert_eq!(
        counts,
        vec![
            (JobState::Pending, 0),
            (JobState::Running, 0),
            (JobState::Done, 1),
            (JobState::Failed, 1)
        ]
    );
    assert_eq!(
        db.jobs(Some(JobState::Done), 10).await.unwrap()[0].key,
        "k1"
    );
    assert!(job_backoff(1) < job_backoff(2) && job_backoff(30) == Duration::hours(1));
}
both!(jobs);
