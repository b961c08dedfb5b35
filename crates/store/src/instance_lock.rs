//! The lock every serving instance holds on its database, so that `gongkai restore` can tell
//! that the portal is still running and refuse (issue 33: a restore on SQLite reported success
//! while the portal went on acknowledging writes that were then lost; on PostgreSQL a running
//! instance never followed changes afterwards).
//!
//! A lock and not a heartbeat, because a lock is released by the operating system or the
//! database server the moment its holder dies (kill -9 included), so it never goes stale and
//! never needs a timeout to be believed:
//!
//! - SQLite: `flock` on `DB-instances.lock` beside the database file — shared by each instance
//!   for its lifetime, exclusive for a restore.
//! - PostgreSQL: the session-level advisory lock [`INSTANCE_LOCK`], shared by each instance on a
//!   connection of its own (re-taken if that connection drops), exclusive for a restore.
//!
//! Either way several instances hold it together, a restore waits for none of them (it refuses
//! at once, naming the reason), and an instance started while a restore runs refuses to start.

use crate::{Error, Result};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The advisory lock key of serving instances on PostgreSQL ("gkinst").
pub const INSTANCE_LOCK: i64 = 0x676b_696e_7374;

/// How often an instance checks that its lock connection to PostgreSQL is alive.
const PG_CHECK: Duration = Duration::from_secs(10);

/// The lock file of the SQLite database at `db`.
pub fn lock_file(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-instances.lock");
    PathBuf::from(s)
}

/// What a refused restore says.
pub const IN_USE: &str = "有门户实例（gongkai serve）正在使用该数据库：请先停止全部实例，再恢复";
/// What an instance started during a restore says.
pub const RESTORING: &str = "该数据库正在恢复（gongkai restore），恢复完成后再启动门户";

/// A lock held until dropped.
pub struct Held {
    _inner: Inner,
}

// The variants' values are held for what their `Drop` does (unlock, close), never read.
#[allow(dead_code)]
enum Inner {
    File(std::fs::File),
    /// The task that keeps the PostgreSQL connection (and so the lock) alive.
    Pg(AbortOnDrop),
    /// A restore's exclusive lock on PostgreSQL: the connection itself.
    PgConn(Box<sqlx::PgConnection>),
    None,
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn flock(file: &Path, exclusive: bool) -> Result<Option<std::fs::File>> {
    use std::os::fd::AsRawFd;
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(file)
        .map_err(|e| Error::Invalid(format!("无法打开锁文件 {}：{e}", file.display())))?;
    let op = if exclusive {
        libc::LOCK_EX
    } else {
        libc::LOCK_SH
    } | libc::LOCK_NB;
    // SAFETY: flock on a descriptor this function owns.
    let r = unsafe { libc::flock(f.as_raw_fd(), op) };
    Ok((r == 0).then_some(f))
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres:") || url.starts_with("postgresql:")
}

/// Takes the lock a serving instance holds on the database of `url` for its lifetime; fails
/// with [`RESTORING`] while a restore holds it.
pub async fn hold_for_serving(url: &str) -> Result<Held> {
    if let Some(db) = crate::backup::sqlite_path(url) {
        return match flock(&lock_file(&db), false)? {
            Some(f) => Ok(Held {
                _inner: Inner::File(f),
            }),
            None => Err(Error::Invalid(RESTORING.into())),
        };
    }
    if !is_postgres(url) {
        return Ok(Held {
            _inner: Inner::None,
        });
    }
    let conn = pg_shared(url).await?;
    let url = url.to_string();
    let task = tokio::spawn(async move {
        use sqlx::Connection;
        let mut conn = conn;
        loop {
            tokio::time::sleep(PG_CHECK).await;
            if conn.ping().await.is_ok() {
                continue;
            }
            // The connection dropped, and the lock with it: take it again.
            tracing::warn!("instance lock connection lost; taking the lock again");
            loop {
                match pg_shared(&url).await {
                    Ok(c) => {
                        conn = c;
                        break;
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "instance lock not taken again");
                        tokio::time::sleep(PG_CHECK).await;
                    }
                }
            }
        }
    });
    Ok(Held {
        _inner: Inner::Pg(AbortOnDrop(task)),
    })
}

async fn pg_shared(url: &str) -> Result<sqlx::PgConnection> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await?;
    let ok: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock_shared($1)")
        .bind(INSTANCE_LOCK)
        .fetch_one(&mut conn)
        .await?;
    if ok {
        Ok(conn)
    } else {
        Err(Error::Invalid(RESTORING.into()))
    }
}

/// Takes the lock for a restore of the database of `url`: exclusive, so it fails with
/// [`IN_USE`] while any instance serves it.
pub async fn hold_for_restore(url: &str) -> Result<Held> {
    if let Some(db) = crate::backup::sqlite_path(url) {
        return match flock(&lock_file(&db), true)? {
            Some(f) => Ok(Held {
                _inner: Inner::File(f),
            }),
            None => Err(Error::Invalid(IN_USE.into())),
        };
    }
    if !is_postgres(url) {
        return Ok(Held {
            _inner: Inner::None,
        });
    }
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await?;
    let ok: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
        .bind(INSTANCE_LOCK)
        .fetch_one(&mut conn)
        .await?;
    if ok {
        Ok(Held {
            _inner: Inner::PgConn(Box::new(conn)),
        })
    } else {
        Err(Error::Invalid(IN_USE.into()))
    }
}
