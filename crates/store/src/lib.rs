//! gongkai's store: the only crate with SQL. One [`Db`] over a SQLite pool (the embedded default)
//! or a PostgreSQL pool (a city or province), migrations per backend under `migrations/sqlite` and
//! `migrations/postgres`, and repositories as `impl Db` blocks, one file per area.
//!
//! Most SQL is written once: SQLite accepts `$1` placeholders and `RETURNING`, and the row types
//! derive `FromRow` generically, so the [`on_pool!`] and [`on_tx!`] macros run the same query on
//! whichever pool the `Db` holds. Concrete pools rather than `sqlx::Any`, because `Any` has no
//! date types.

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

pub mod applications;
pub mod portal;
pub mod published;
pub mod records;
pub mod search_feed;
pub mod testing;
pub mod users;

/// Errors of the store. Messages are Chinese where a person may see them.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("数据库地址无法识别：{0}（应以 sqlite:// 或 postgres:// 开头）")]
    BadUrl(String),
    #[error("数据库错误：{0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("数据库迁移失败：{0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("未找到：{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The database: a concrete pool per backend.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Which backend a [`Db`] runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// An open write transaction on either backend. On SQLite it was opened with `BEGIN IMMEDIATE`,
/// so the write lock is taken up front and a concurrent writer waits (busy timeout) instead of
/// failing half-way with SQLITE_BUSY on lock upgrade.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Runs `$body` with `$pool` bound to the concrete pool of a `&Db`. The body is compiled once
/// per backend, so it must be valid for both (generic sqlx calls, shared SQL).
#[macro_export]
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$conn` bound to `&mut` the connection of a `&mut Tx`.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Connects to `sqlite://path` (created if missing; `sqlite::memory:` for a throw-away
    /// database) or `postgres://…`, and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Db> {
        let db = if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // In WAL mode NORMAL keeps the database consistent through any crash (a commit
                // is in the WAL before it returns); only the last commits before a power cut may
                // be lost. FULL would add an fsync to every commit.
                .synchronous(SqliteSynchronous::Normal)
                // 32 MB of page cache per connection (SQLite's default is 2 MB): bulk loads and
                // the portal's listings over a million items stop re-reading index pages.
                .pragma("cache_size", "-32768")
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            // An in-memory database exists per connection: keep exactly one.
            let max = if url.contains(":memory:") || url.contains("mode=memory") {
                1
            } else {
                8
            };
            let pool = SqlitePoolOptions::new()
                .max_connections(max)
                .connect_with(opts)
                .await?;
            Db::Sqlite(pool)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            Db::Postgres(pool)
        } else {
            return Err(Error::BadUrl(url.to_string()));
        };
        db.migrate().await?;
        Ok(db)
    }

    /// Applies the migrations of this backend that are not applied yet.
    pub async fn migrate(&self) -> Result<()> {
        match self {
            Db::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Db::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Opens a write transaction (`BEGIN IMMEDIATE` on SQLite). Nothing is written unless
    /// [`Tx::commit`] is called: dropping the `Tx` rolls back.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Closes the pool (waits for connections to be returned).
    pub async fn close(&self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Postgres(p) => p.close().await,
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    pub async fn rollback(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.rollback().await?,
            Tx::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }
}
