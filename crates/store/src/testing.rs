//! Fresh databases for tests: a SQLite file in a temporary directory, and a uniquely named
//! PostgreSQL database created on the server of `GONGKAI_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) and dropped by [`TestDb::cleanup`].
//!
//! The PostgreSQL helper fails — never skips — when the server cannot be reached: CI must not
//! pass by silently testing one backend.

use crate::{Backend, Db};
use sqlx::Connection;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_suffix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000_000,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A test database and what is needed to remove it.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(PathBuf),
    PgDatabase { admin_url: String, name: String },
}

/// The server tests create their PostgreSQL databases on.
pub fn pg_admin_url() -> String {
    std::env::var("GONGKAI_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

impl TestDb {
    /// A fresh, migrated database of the given backend. Panics (the test fails) when it cannot
    /// be created.
    pub async fn new(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => TestDb::sqlite().await,
            Backend::Postgres => TestDb::postgres().await,
        }
    }

    pub async fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(format!("gongkai-test-{}", unique_suffix()));
        std::fs::create_dir_all(&dir).expect("cannot create a temporary directory");
        let url = format!("sqlite://{}", dir.join("test.db").display());
        let db = Db::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot open test SQLite database {url}: {e}"));
        TestDb {
            db,
            url,
            cleanup: Cleanup::Dir(dir),
        }
    }

    pub async fn postgres() -> TestDb {
        TestDb::postgres_on(pg_admin_url()).await
    }

    /// A fresh database on the server of `admin_url`; panics when the server is unreachable.
    pub async fn postgres_on(admin_url: String) -> TestDb {
        let name = format!("gongkai_test_{}", unique_suffix());
        let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is unreachable at {admin_url} ({e}); the PostgreSQL suite must run: \
                 start the server or set GONGKAI_TEST_PG_URL"
            )
        });
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
        let _ = admin.close().await;
        let url = replace_db_name(&admin_url, &name);
        let db = Db::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot open test PostgreSQL database {url}: {e}"));
        TestDb {
            db,
            url,
            cleanup: Cleanup::PgDatabase { admin_url, name },
        }
    }

    /// Closes the pool and removes the database.
    pub async fn cleanup(self) {
        self.db.close().await;
        match self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::PgDatabase { admin_url, name } => {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                    )))
                    .execute(&mut admin)
                    .await;
                    let _ = admin.close().await;
                }
            }
        }
    }
}

/// Makes every write to the audit log fail (its table renamed away), or, with `false`, brings it
/// back: a test's way to fail a use case between its change and its audit row.
pub async fn break_audit_log(db: &Db, broken: bool) {
    let sql = if broken {
        "ALTER TABLE audit_log RENAME TO audit_log_broken"
    } else {
        "ALTER TABLE audit_log_broken RENAME TO audit_log"
    };
    crate::on_pool!(db, p => sqlx::query(sql).execute(p).await.map(|_| ()))
        .expect("rename the audit log");
}

/// Runs one statement of a test's own (a change made behind the use cases' back, a replica
/// paused): tests outside this crate write no SQL themselves.
pub async fn execute(db: &Db, sql: &str) {
    let q = sqlx::AssertSqlSafe(sql.to_string());
    crate::on_pool!(db, p => sqlx::query(q).execute(p).await.map(|_| ()))
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// The first column of every row of a test's own query, as text.
pub async fn texts(db: &Db, sql: &str) -> Vec<String> {
    let q = sqlx::AssertSqlSafe(sql.to_string());
    crate::on_pool!(db, p => sqlx::query_scalar::<_, String>(q).fetch_all(p).await)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// A connection of its own to a SQLite database that tells whether anything was committed to
/// it since it last looked (`PRAGMA data_version`, which counts other connections' commits).
pub struct SqliteCommits(sqlx::SqliteConnection);

impl SqliteCommits {
    pub async fn open(url: &str) -> SqliteCommits {
        SqliteCommits(
            sqlx::SqliteConnection::connect(url)
                .await
                .unwrap_or_else(|e| panic!("cannot open {url}: {e}")),
        )
    }

    /// Changes whenever another connection commits a write.
    pub async fn version(&mut self) -> i64 {
        sqlx::query_scalar("PRAGMA data_version")
            .fetch_one(&mut self.0)
            .await
            .expect("PRAGMA data_version")
    }
}

/// `postgres://u@h:p/db?x` with `db` replaced.
pub fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Runs an async test body once per backend, each on a fresh database, cleaning up afterwards.
/// Use as `for_each_backend!(|db| async move { ... })` inside a `#[tokio::test]`, or write two
/// tests that call one generic `async fn(&Db)`.
#[macro_export]
macro_rules! for_each_backend {
    ($f:expr) => {
        for backend in [$crate::Backend::Sqlite, $crate::Backend::Postgres] {
            let t = $crate::testing::TestDb::new(backend).await;
            ($f)(t.db.clone()).await;
            t.cleanup().await;
        }
    };
}

/// Runs the async test function `$name(db: Db)` once on a fresh SQLite database and once on a
/// fresh PostgreSQL database, as `$name::sqlite` and `$name::postgres`: the repository suite
/// runs every query on both backends.
#[macro_export]
macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let t = $crate::testing::TestDb::new($crate::Backend::Sqlite).await;
                super::$name(t.db.clone()).await;
                t.cleanup().await;
            }
            #[tokio::test]
            async fn postgres() {
                let t = $crate::testing::TestDb::new($crate::Backend::Postgres).await;
                super::$name(t.db.clone()).await;
                t.cleanup().await;
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::replace_db_name;

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            replace_db_name("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            replace_db_name("postgres://u@h/db?sslmode=disable", "t2"),
            "postgres://u@h/t2?sslmode=disable"
        );
        assert_eq!(replace_db_name("postgres://u@h", "t3"), "postgres://u@h/t3");
    }
}
