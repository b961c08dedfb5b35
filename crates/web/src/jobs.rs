//! Running background jobs: work that must happen once whichever instance takes it.
//!
//! Every instance runs [`spawn`]'s worker. It claims the next due job from the database
//! (`gongkai_store::changes`: `FOR UPDATE SKIP LOCKED` on PostgreSQL), runs it and marks it done;
//! a failure is kept as the job's last error and the job is retried later with a growing delay
//! until its attempts run out. A job's key is unique, so the same work enqueued by two instances
//! (the daily pruning of the change feed, keyed by its day) is one job. The back office lists
//! them (`/admin/jobs`).
//!
//! Kinds of job:
//! - `prune_changes`: removes the change feed's rows older than [`FEED_RETENTION`], once a day
//!   (by the system clock, which stamps the feed's rows: see `gongkai_app::audit::record`).
//! - `search_rebuild`: asks every instance to rebuild its own search index (a `search/rebuild`
//!   change in the feed, which each follower acts on); enqueued by `gongkai index rebuild
//!   --all-instances`. Each instance also rebuilds its index by itself at start-up after a
//!   version change (see `crate::follower`), since each owns its own index.

use crate::AppState;
use gongkai_store::changes::{Job, NewChange};
use std::time::Duration;

/// How long a change stays in the feed: far longer than any instance is expected to be behind
/// (an instance further behind rebuilds its index at start-up).
pub const FEED_RETENTION: chrono::Duration = chrono::Duration::days(7);

/// How often the worker looks for due jobs when there are none.
pub const POLL: Duration = Duration::from_secs(1);

/// How often the worker enqueues the periodic jobs (each keyed so it runs once per period).
const SCHEDULE_EVERY: Duration = Duration::from_secs(600);

/// The Chinese name of a kind of job.
pub fn kind_label(kind: &str) -> &str {
    match kind {
        "prune_changes" => "清理变更记录",
        "search_rebuild" => "重建搜索索引",
        other => other,
    }
}

/// Starts the worker of this instance, named `worker` in the jobs it claims.
pub fn spawn(state: AppState, worker: String) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut scheduled: Option<tokio::time::Instant> = None;
        loop {
            if scheduled.is_none_or(|t| t.elapsed() >= SCHEDULE_EVERY) {
                scheduled = Some(tokio::time::Instant::now());
                if let Err(e) = schedule(&state).await {
                    tracing::warn!(error = %e, "periodic job not enqueued");
                }
            }
            match run_one(&state, &worker).await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "jobs table unreadable; retrying"),
            }
            tokio::time::sleep(POLL).await;
        }
    })
}

/// Enqueues the periodic jobs of the present period (every instance does; each is one job by
/// its key). Only reads when they are enqueued already.
pub async fn schedule(state: &AppState) -> gongkai_store::Result<()> {
    let now = state.now();
    let key = format!("prune_changes:{}", state.today());
    state
        .db
        .enqueue_job("prune_changes", &key, "", now, now)
        .await
        .map(|_| ())
}

/// Claims and runs one due job; false when none is due. When none is, it has only read (an
/// idle instance polling every second writes nothing).
pub async fn run_one(state: &AppState, worker: &str) -> gongkai_store::Result<bool> {
    let Some(job) = state.db.claim_job(worker, state.now()).await? else {
        return Ok(false);
    };
    match run(state, &job).await {
        Ok(()) => {
            tracing::info!(job = job.id, kind = %job.kind, "job done");
            state.db.finish_job(job.id, state.now()).await?
        }
        Err(e) => {
            tracing::warn!(job = job.id, kind = %job.kind, error = %e, "job failed");
            state.db.fail_job(&job, &e, state.now()).await?
        }
    }
    Ok(true)
}

async fn run(state: &AppState, job: &Job) -> Result<(), String> {
    match job.kind.as_str() {
        "prune_changes" => {
            let n = state
                .db
                .prune_changes(chrono::Utc::now() - FEED_RETENTION)
                .await
                .map_err(|e| e.to_string())?;
            tracing::info!(removed = n, "change feed pruned");
            Ok(())
        }
        "search_rebuild" => {
            let c = NewChange {
                organ_id: None,
                entity: "search".into(),
                entity_id: job.key.clone(),
                kind: "rebuild".into(),
            };
            state
                .db
                .append_change(&c, chrono::Utc::now())
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
        other => Err(format!("未知的任务类型“{other}”")),
    }
}
