//! The change feed (an outbox) and the jobs table: what lets several gongkai instances share one
//! database (issue 19).
//!
//! Every write that affects public pages or search appends a [`NewChange`] in its own
//! transaction ([`Tx::append_change`]); on PostgreSQL the same transaction sends a NOTIFY on
//! [`CHANNEL`], delivered when it commits. Each instance reads the feed in order of `id`
//! ([`Db::changes_after`]) to update its search index and empty its page cache.
//!
//! Jobs are work that must run once whichever instance takes it. A job's `key` is unique, so a
//! job enqueued twice is one job; [`Db::claim_job`] takes the next due job in one statement
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so two instances never take the same one and never
//! wait on each other; on SQLite writes are serialized anyway); a failed job is retried later
//! with a growing delay until its attempts run out. A job left `running` by an instance that
//! died is taken again once its lease (`locked_until`) has passed.

use crate::users::now_secs;
use crate::{Db, Result, Tx, on_pool, on_tx};
use chrono::{DateTime, Duration, Utc};

/// The PostgreSQL notification channel of the change feed (the payload is the change's id).
pub const CHANNEL: &str = "gongkai_changes";

/// The advisory lock that orders the feed's appends on PostgreSQL (see [`Tx::append_change`]).
const FEED_LOCK: i64 = 0x676f_6e67_6b61_6901;

/// A change about to be appended to the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChange {
    pub organ_id: Option<i64>,
    /// What changed: `item`, `letter`, `report` (entity id `organ:year`), `search` (the whole
    /// index), or any other record kind (pages only).
    pub entity: String,
    pub entity_id: String,
    /// How it changed (the audit action: `publish`, `withdraw`, `import`, `rebuild` …).
    pub kind: String,
}

/// A change read back from the feed.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChangeRow {
    pub id: i64,
    pub organ_id: Option<i64>,
    pub entity: String,
    pub entity_id: String,
    pub kind: String,
    pub created_at: DateTime<Utc>,
}

impl Tx {
    /// Appends a change to the feed inside this transaction (and, on PostgreSQL, a notification
    /// sent when it commits).
    ///
    /// On PostgreSQL a transaction-scoped advisory lock is taken first and held until commit, so
    /// ids are handed out in commit order: without it a transaction given id 10 could commit after
    /// one given id 11, and a follower already past 11 would never see 10. Appending is the last
    /// thing a use case does before it commits, so writers queue only for that short moment.
    /// (SQLite's writers are serialized by `BEGIN IMMEDIATE` already.)
    pub async fn append_change(&mut self, c: &NewChange, now: DateTime<Utc>) -> Result<i64> {
        if let Tx::Postgres(t) = self {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(FEED_LOCK)
                .execute(&mut **t)
                .await?;
        }
        let id: i64 = on_tx!(self, t => sqlx::query_scalar(
            "INSERT INTO changes (organ_id, entity, entity_id, kind, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(c.organ_id)
            .bind(&c.entity)
            .bind(&c.entity_id)
            .bind(&c.kind)
            .bind(now_secs(now))
            .fetch_one(t)
            .await)?;
        if let Tx::Postgres(t) = self {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(id.to_string())
                .execute(&mut **t)
                .await?;
        }
        Ok(id)
    }
}

impl Db {
    /// Appends one change in a transaction of its own.
    pub async fn append_change(&self, c: &NewChange, now: DateTime<Utc>) -> Result<i64> {
        self.write(async |tx| tx.append_change(c, now).await).await
    }

    /// The changes after `id`, oldest first, at most `limit`.
    pub async fn changes_after(&self, id: i64, limit: i64) -> Result<Vec<ChangeRow>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT id, organ_id, entity, entity_id, kind, created_at FROM changes \
             WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(id)
            .bind(limit)
            .fetch_all(p)
            .await)?)
    }

    /// The newest change's id (0 when the feed is empty) and the oldest one still kept (`None`
    /// when empty).
    pub async fn change_bounds(&self) -> Result<(i64, Option<i64>)> {
        let (max, min): (Option<i64>, Option<i64>) = on_pool!(self, p => sqlx::query_as(
            "SELECT MAX(id), MIN(id) FROM changes")
            .fetch_one(p)
            .await)?;
        Ok((max.unwrap_or(0), min))
    }

    /// Removes the changes older than `before`, always keeping the newest one (so the feed's
    /// position survives a quiet spell). Returns how many were removed.
    pub async fn prune_changes(&self, before: DateTime<Utc>) -> Result<u64> {
        Ok(on_pool!(self, p => sqlx::query(
            "DELETE FROM changes WHERE created_at < $1 \
             AND id < (SELECT MAX(id) FROM changes)")
            .bind(now_secs(before))
            .execute(p)
            .await
            .map(|r| r.rows_affected()))?)
    }

    /// Waits for notifications of the change feed (PostgreSQL only; `None` on SQLite, where
    /// the feed is polled).
    pub async fn listen_changes(&self) -> Result<Option<ChangeListener>> {
        match self {
            Db::Sqlite(_) => Ok(None),
            Db::Postgres(p) => {
                let mut l = sqlx::postgres::PgListener::connect_with(p).await?;
                l.listen(CHANNEL).await?;
                Ok(Some(ChangeListener(l)))
            }
        }
    }
}

/// A connection listening on [`CHANNEL`].
pub struct ChangeListener(sqlx::postgres::PgListener);

impl ChangeListener {
    /// Returns when a change has been committed (or the connection was lost and re-made, after
    /// which the caller should read the feed anyway).
    pub async fn wait(&mut self) -> Result<()> {
        self.0.recv().await?;
        Ok(())
    }
}

// ------------------------------------------------------------------------------------- jobs

/// A state of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    Pending,
    Running,
    Done,
    Failed,
}

impl JobState {
    pub const ALL: [JobState; 4] = [
        JobState::Pending,
        JobState::Running,
        JobState::Done,
        JobState::Failed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            JobState::Pending => "pending",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<JobState> {
        JobState::ALL.into_iter().find(|j| j.code() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            JobState::Pending => "待执行",
            JobState::Running => "执行中",
            JobState::Done => "已完成",
            JobState::Failed => "失败",
        }
    }
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub key: String,
    pub payload: String,
    pub state: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
    pub locked_by: String,
    pub last_error: String,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

const JOB_COLS: &str = "id, kind, key, payload, state, attempts, max_attempts, run_at, \
                        locked_until, locked_by, last_error, created_at, finished_at";

/// How long a claimed job may run before another instance may take it again.
pub const JOB_LEASE: Duration = Duration::minutes(10);

/// The delay before the next attempt of a job that failed `attempts` times: 10 s, 20 s, 40 s …
/// at most an hour.
pub fn job_backoff(attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 10) - 1;
    Duration::seconds((10i64 << exp).min(3600))
}

impl Tx {
    /// Enqueues a job unless one of the same `key` exists (whatever its state). Returns true
    /// when this call created it.
    pub async fn enqueue_job(
        &mut self,
        kind: &str,
        key: &str,
        payload: &str,
        run_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let n = on_tx!(self, t => sqlx::query(
            "INSERT INTO jobs (kind, key, payload, run_at, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (key) DO NOTHING")
            .bind(kind)
            .bind(key)
            .bind(payload)
            .bind(now_secs(run_at))
            .bind(now_secs(now))
            .execute(t)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n > 0)
    }
}

impl Db {
    /// [`Tx::enqueue_job`] in a transaction of its own, which is not opened when a job of the
    /// key exists already (the periodic jobs are enqueued again and again by every instance:
    /// that must not write).
    pub async fn enqueue_job(
        &self,
        kind: &str,
        key: &str,
        payload: &str,
        run_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let exists: bool = on_pool!(self, p => sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM jobs WHERE key = $1)")
            .bind(key)
            .fetch_one(p)
            .await)?;
        if exists {
            return Ok(false);
        }
        self.write(async |tx| tx.enqueue_job(kind, key, payload, run_at, now).await)
            .await
    }

    /// Takes the next due job for `worker`: pending and due, or running with its lease passed
    /// (its instance died). One statement, so two instances never take the same job.
    ///
    /// Whether any job is due is read first: the workers poll every second, and an idle poll
    /// must not write (on SQLite even an UPDATE that changes no row takes the database's write
    /// lock, and would wait behind an import holding it).
    pub async fn claim_job(&self, worker: &str, now: DateTime<Utc>) -> Result<Option<Job>> {
        let now = now_secs(now);
        let due: bool = on_pool!(self, p => sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM jobs WHERE (state = 'pending' AND run_at <= $1) \
             OR (state = 'running' AND locked_until < $1))")
            .bind(now)
            .fetch_one(p)
            .await)?;
        if !due {
            return Ok(None);
        }
        let lock = match self {
            Db::Sqlite(_) => "",
            Db::Postgres(_) => " FOR UPDATE SKIP LOCKED",
        };
        let sql = format!(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = $2, \
             locked_by = $3 WHERE id = (SELECT id FROM jobs WHERE (state = 'pending' AND run_at <= $1) \
             OR (state = 'running' AND locked_until < $1) ORDER BY run_at, id LIMIT 1{lock}) \
             RETURNING {JOB_COLS}"
        );
        Ok(on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(now)
            .bind(now + JOB_LEASE)
            .bind(worker)
            .fetch_optional(p)
            .await)?)
    }

    /// Marks a claimed job done.
    pub async fn finish_job(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
        on_pool!(self, p => sqlx::query(
            "UPDATE jobs SET state = 'done', locked_until = NULL, last_error = '', finished_at = $2 \
             WHERE id = $1")
            .bind(id)
            .bind(now_secs(now))
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Records a failed attempt: the job runs again after [`job_backoff`], or is marked failed
    /// when its attempts are used up.
    pub async fn fail_job(&self, job: &Job, error: &str, now: DateTime<Utc>) -> Result<()> {
        let now = now_secs(now);
        let last = job.attempts >= job.max_attempts;
        let error: String = error.chars().take(2000).collect();
        on_pool!(self, p => sqlx::query(
            "UPDATE jobs SET state = $2, run_at = $3, locked_until = NULL, last_error = $4, \
             finished_at = $5 WHERE id = $1")
            .bind(job.id)
            .bind(if last { "failed" } else { "pending" })
            .bind(now + job_backoff(job.attempts))
            .bind(error)
            .bind(last.then_some(now))
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// The newest jobs, optionally of one state, newest first.
    pub async fn jobs(&self, state: Option<JobState>, limit: i64) -> Result<Vec<Job>> {
        let sql = format!(
            "SELECT {JOB_COLS} FROM jobs WHERE ($1 = '' OR state = $1) ORDER BY id DESC LIMIT $2"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(state.map(JobState::code).unwrap_or(""))
            .bind(limit)
            .fetch_all(p)
            .await)?,
        )
    }

    /// How many jobs are in each state, in [`JobState::ALL`]'s order.
    pub async fn job_counts(&self) -> Result<Vec<(JobState, i64)>> {
        let rows: Vec<(String, i64)> = on_pool!(self, p => sqlx::query_as(
            "SELECT state, COUNT(*) FROM jobs GROUP BY state")
            .fetch_all(p)
            .await)?;
        Ok(JobState::ALL
            .into_iter()
            .map(|s| {
                let n = rows.iter().find(|r| r.0 == s.code()).map_or(0, |r| r.1);
                (s, n)
            })
            .collect())
    }
}
