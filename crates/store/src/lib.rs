//! gongkai's store: the only crate with SQL. One [`Db`] over a SQLite pool (the embedded default)
//! or a PostgreSQL pool (a city or province), migrations per backend under `migrations/sqlite` and
//! `migrations/postgres`, and repositories as `impl Db` blocks, one file per area.
//!
//! Most SQL is written once: SQLite accepts `$1` placeholders and `RETURNING`, and the row types
//! derive `FromRow` generically, so the [`on_pool!`] and [`on_tx!`] macros run the same query on
//! whichever pool the `Db` holds. Concrete pools rather than `sqlx::Any`, because `Any` has no
//! date types.

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

pub mod applications;
pub mod backup;
pub mod changes;
pub mod consultations;
pub mod double;
#[cfg(feature = "bench")]
pub mod fts5_baseline;
pub mod instance_lock;
pub mod office;
pub mod pages;
pub mod portal;
pub mod published;
pub mod rate_limits;
pub mod records;
pub mod register_pages;
pub mod report_files;
pub mod search_feed;
pub mod site;
#[cfg(feature = "testing")]
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

/// SQLite's page cache per connection, as `PRAGMA cache_size` takes it (negative: KiB): 32 MB.
const CACHE_SIZE: &str = "-32768";
/// The page cache of a bulk load's connection while its transaction is open: 512 MB.
const BULK_CACHE_SIZE: &str = "-524288";

/// The `application_name` of the connections of a read-only replica's pool
/// ([`Db::connect_replica`]), as `pg_stat_activity` shows them.
pub const REPLICA_APPLICATION_NAME: &str = "gongkai-replica";

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
                // 32 MB of page cache per connection (SQLite's default is 2 MB): the portal's
                // listings over a million items stop re-reading index pages. Bulk loads widen
                // it for their own transaction (`Db::begin_bulk`).
                .pragma("cache_size", CACHE_SIZE)
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

    /// Opens a pool on a read-only copy of a PostgreSQL database (a streaming replica) for the
    /// public pages' reads: no migrations run, and every transaction of the pool is read-only
    /// (`default_transaction_read_only=on`), so a write sent there by mistake fails instead of
    /// landing anywhere. Its connections are named [`REPLICA_APPLICATION_NAME`]. The pool
    /// connects when first used, so the portal starts while the replica is down (and reads from
    /// the primary until it answers); call it inside a Tokio runtime.
    pub fn connect_replica(url: &str) -> Result<Db> {
        if !(url.starts_with("postgres:") || url.starts_with("postgresql:")) {
            return Err(Error::Invalid(format!(
                "只读副本地址须为 PostgreSQL 数据库（postgres://…）：{url}"
            )));
        }
        let opts = PgConnectOptions::from_str(url)?
            .application_name(REPLICA_APPLICATION_NAME)
            .options([("default_transaction_read_only", "on")]);
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_lazy_with(opts);
        Ok(Db::Postgres(pool))
    }

    /// How far this server's write-ahead log goes, in bytes: on a primary the position of the
    /// next record inserted (past the commit of every transaction already visible), on a
    /// streaming replica the position replayed (every transaction committed before it is
    /// visible there). `None` on SQLite, which has no replicas.
    pub async fn wal_position(&self) -> Result<Option<i64>> {
        match self {
            Db::Sqlite(_) => Ok(None),
            Db::Postgres(p) => {
                let pos: Option<i64> = sqlx::query_scalar(
                    "SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() \
                     ELSE pg_current_wal_insert_lsn() END - '0/0'::pg_lsn)::bigint",
                )
                .fetch_one(p)
                .await?;
                Ok(Some(pos.unwrap_or(0)))
            }
        }
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

    /// Runs `f` in one write transaction: committed when it returns `Ok`, rolled back otherwise.
    pub async fn write<T>(&self, f: impl AsyncFnOnce(&mut Tx) -> Result<T>) -> Result<T> {
        let mut tx = self.begin().await?;
        let out = f(&mut tx).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Opens a write transaction for a bulk load of many thousands of rows; commit it with
    /// [`Tx::commit_bulk`]. On SQLite its connection gets a page cache of 512 MB until then:
    /// rows arriving in no particular order write all over the date indexes, and with the
    /// ordinary cache SQLite spills the dirty index pages to the WAL long before the commit and
    /// writes them again each time a later row touches them (at a million items over a quarter
    /// of a load's CPU time went to the kernel). The cache only grows as pages are used. A bulk
    /// transaction dropped without commit leaves its connection with the wide limit: meant for
    /// loaders that stop on an error, not for the server's own writes.
    pub async fn begin_bulk(&self) -> Result<Tx> {
        let mut tx = self.begin().await?;
        tx.set_cache_size(BULK_CACHE_SIZE).await?;
        Ok(tx)
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

    /// Commits a transaction opened by [`Db::begin_bulk`], giving its connection the ordinary
    /// page cache back. The cache is narrowed before the commit: dirty pages stay in the cache
    /// whatever its size until the commit writes them, and the clean ones beyond the ordinary
    /// size are let go afterwards.
    pub async fn commit_bulk(mut self) -> Result<()> {
        self.set_cache_size(CACHE_SIZE).await?;
        self.commit().await
    }

    async fn set_cache_size(&mut self, size: &str) -> Result<()> {
        if let Tx::Sqlite(t) = self {
            let sql = format!("PRAGMA cache_size = {size}");
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut **t)
                .await?;
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
