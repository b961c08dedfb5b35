//! Rate limits of anonymous requests, counted in the database so that every instance serving
//! the same database applies the same limit (nothing deciding access lives in one process).
//!
//! Each key (say `apply:203.0.113.9`) allows `limit` requests per `window`, as a token bucket of
//! `limit` tokens refilled evenly over the window, kept as one number: the GCRA's theoretical
//! arrival time (`tat_ms`). With `interval = window / limit`, a request at `now` is allowed when
//! `max(tat, now) + interval <= now + window`, and an allowed request moves `tat` to
//! `max(tat, now) + interval`; a refused one changes nothing. So a quiet address may send
//! `limit` at once, then one per interval; a flood never gets more than that, however fast.
//! Both the test and the update are one upsert, so concurrent requests each see the others'
//! effect.

use crate::{Db, Result, on_pool};
use chrono::{DateTime, Utc};

/// The answer for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateDecision {
    Allowed,
    /// Refused; the key allows its next request after this long.
    Refused {
        retry_after: std::time::Duration,
    },
}

/// The GCRA's emission interval and tolerance, in milliseconds.
fn interval_and_tau(limit: u32, window: std::time::Duration) -> (i64, i64) {
    let limit = i64::from(limit.max(1));
    let tau = i64::try_from(window.as_millis())
        .unwrap_or(i64::MAX / 4)
        .max(1);
    ((tau / limit).max(1), tau)
}

impl Db {
    /// Counts one request against `key`, allowing at most `limit` (≥ 1) per `window`, and says
    /// whether it may proceed. One statement on either backend.
    pub async fn take_rate_limit(
        &self,
        key: &str,
        limit: u32,
        window: std::time::Duration,
        now: DateTime<Utc>,
    ) -> Result<RateDecision> {
        let (interval, tau) = interval_and_tau(limit, window);
        let now_ms = now.timestamp_millis();
        let row: (i64, i64) = on_pool!(self, p => sqlx::query_as(
            "INSERT INTO rate_limits (key, tat_ms, allowed) VALUES ($1, $2 + $3, 1) \
             ON CONFLICT (key) DO UPDATE SET \
             allowed = CASE WHEN (CASE WHEN rate_limits.tat_ms > $2 THEN rate_limits.tat_ms ELSE $2 END) \
                 + $3 <= $2 + $4 THEN 1 ELSE 0 END, \
             tat_ms = CASE WHEN (CASE WHEN rate_limits.tat_ms > $2 THEN rate_limits.tat_ms ELSE $2 END) \
                 + $3 <= $2 + $4 \
                 THEN (CASE WHEN rate_limits.tat_ms > $2 THEN rate_limits.tat_ms ELSE $2 END) + $3 \
                 ELSE rate_limits.tat_ms END \
             RETURNING allowed, tat_ms")
            .bind(key)
            .bind(now_ms)
            .bind(interval)
            .bind(tau)
            .fetch_one(p)
            .await)?;
        Ok(if row.0 == 1 {
            RateDecision::Allowed
        } else {
            // The next request is allowed once max(tat, t) + interval <= t + tau.
            let wait_ms = (row.1 + interval - tau - now_ms).max(1);
            RateDecision::Refused {
                retry_after: std::time::Duration::from_millis(wait_ms as u64),
            }
        })
    }

    /// Gives back one request counted against `key` (it turned out not to count: a form sent
    /// back with its mistakes). One statement.
    pub async fn give_back_rate_limit(
        &self,
        key: &str,
        limit: u32,
        window: std::time::Duration,
    ) -> Result<()> {
        let (interval, _) = interval_and_tau(limit, window);
        on_pool!(self, p => sqlx::query("UPDATE rate_limits SET tat_ms = tat_ms - $2 WHERE key = $1")
            .bind(key)
            .bind(interval)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Forgets keys whose bucket is full again (a missing row means the same); returns how many.
    pub async fn delete_idle_rate_limits(&self, now: DateTime<Utc>) -> Result<u64> {
        let n = on_pool!(self, p => sqlx::query("DELETE FROM rate_limits WHERE tat_ms < $1")
            .bind(now.timestamp_millis())
            .execute(p)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n)
    }
}
