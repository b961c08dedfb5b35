//! Backups taken while the portal serves, and restoring them with a check.
//!
//! SQLite: `VACUUM INTO` writes a consistent, compacted copy of the database in one read
//! transaction, so writers go on while it runs (an online `.backup` restarts on every write and
//! never finished under four writers). PostgreSQL: `pg_dump --format=custom`, run on a snapshot
//! exported from our own repeatable-read transaction, in which the rows of every table are
//! counted too, so the counts describe exactly what the dump holds.
//!
//! Beside the backup `FILE`, `FILE.manifest.json` records the backend, the time and the row
//! count of every table. [`restore`] puts a backup in place, then checks the restored database
//! (SQLite's `integrity_check`, and every table's row count against the manifest) and fails
//! loudly if anything differs.

use crate::{Backend, Db, Error, Result, on_pool};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a backup holds: which backend wrote it, when, and how many rows each table had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub backend: String,
    pub taken_at: String,
    pub counts: BTreeMap<String, i64>,
}

impl Manifest {
    pub fn rows(&self) -> i64 {
        self.counts.values().sum()
    }
}

/// `FILE.manifest.json` beside a backup `FILE`.
pub fn manifest_path(file: &Path) -> PathBuf {
    let mut s = file.as_os_str().to_owned();
    s.push(".manifest.json");
    PathBuf::from(s)
}

fn backend_name(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

fn io(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::Invalid(format!("{what} {}：{e}", path.display()))
}

/// The path of the database file of a `sqlite://` URL.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(path))
}

impl Db {
    /// The tables of the schema (migration bookkeeping included), sorted.
    pub async fn table_names(&self) -> Result<Vec<String>> {
        let names: Vec<String> = match self {
            Db::Sqlite(p) => {
                sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table' \
                     AND name NOT LIKE 'sqlite_%' ORDER BY name",
                )
                .fetch_all(p)
                .await?
            }
            Db::Postgres(p) => {
                sqlx::query_scalar(
                    "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() \
                     ORDER BY tablename",
                )
                .fetch_all(p)
                .await?
            }
        };
        Ok(names)
    }

    /// The number of rows of every table.
    pub async fn row_counts(&self) -> Result<BTreeMap<String, i64>> {
        let mut out = BTreeMap::new();
        for t in self.table_names().await? {
            let sql = format!("SELECT COUNT(*) FROM \"{}\"", t.replace('"', "\"\""));
            let n: i64 = on_pool!(self, p => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str())).fetch_one(p).await)?;
            out.insert(t, n);
        }
        Ok(out)
    }

    /// SQLite's `PRAGMA integrity_check` (and foreign keys); PostgreSQL checks its own pages, so
    /// there only a query is run.
    pub async fn integrity_check(&self) -> Result<()> {
        match self {
            Db::Sqlite(p) => {
                let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_all(p)
                    .await?;
                if rows != ["ok"] {
                    return Err(Error::Invalid(format!(
                        "数据库完整性检查未通过：{}",
                        rows.join("；")
                    )));
                }
                let fk: Vec<(String,)> =
                    sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                        .fetch_all(p)
                        .await?;
                if !fk.is_empty() {
                    return Err(Error::Invalid(format!(
                        "数据库外键检查未通过：{} 行引用了不存在的记录",
                        fk.len()
                    )));
                }
            }
            Db::Postgres(p) => {
                sqlx::query("SELECT 1").execute(p).await?;
            }
        }
        Ok(())
    }

    /// Writes a backup of the database to `out` (and its manifest beside it) while it stays in
    /// use. `url` is this database's URL (pg_dump connects on its own). An existing `out` is
    /// replaced only once the new backup is complete.
    pub async fn backup(&self, url: &str, out: &Path) -> Result<Manifest> {
        let partial = {
            let mut s = out.as_os_str().to_owned();
            s.push(".partial");
            PathBuf::from(s)
        };
        let _ = std::fs::remove_file(&partial);
        let taken_at = chrono::Utc::now().to_rfc3339();
        let counts = match self {
            Db::Sqlite(p) => {
                let target = partial.to_string_lossy().into_owned();
                sqlx::query("VACUUM INTO $1")
                    .bind(target)
                    .execute(p)
                    .await?;
                // Counted in the copy itself, which is what a restore will have.
                let copy = Db::open_sqlite_file(&partial).await?;
                let check = async {
                    copy.integrity_check().await?;
                    copy.row_counts().await
                }
                .await;
                copy.close().await;
                check?
            }
            Db::Postgres(p) => {
                let mut tx = p.begin().await?;
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .execute(&mut *tx)
                    .await?;
                let snapshot: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
                    .fetch_one(&mut *tx)
                    .await?;
                let names: Vec<String> = sqlx::query_scalar(
                    "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() \
                     ORDER BY tablename",
                )
                .fetch_all(&mut *tx)
                .await?;
                let mut counts = BTreeMap::new();
                for t in names {
                    let sql = format!("SELECT COUNT(*) FROM \"{}\"", t.replace('"', "\"\""));
                    let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str()))
                        .fetch_one(&mut *tx)
                        .await?;
                    counts.insert(t, n);
                }
                let (url, file) = (url.to_string(), partial.clone());
                run_tool(
                    "pg_dump",
                    vec![
                        "--format=custom".into(),
                        "--no-owner".into(),
                        format!("--snapshot={snapshot}"),
                        format!("--file={}", file.display()),
                        format!("--dbname={url}"),
                    ],
                )
                .await?;
                tx.commit().await?;
                counts
            }
        };
        std::fs::rename(&partial, out).map_err(|e| io("无法写入备份文件", out, e))?;
        let manifest = Manifest {
            backend: backend_name(self.backend()).into(),
            taken_at,
            counts,
        };
        let json =
            serde_json::to_string_pretty(&manifest).map_err(|e| Error::Invalid(e.to_string()))?;
        std::fs::write(manifest_path(out), json + "\n")
            .map_err(|e| io("无法写入备份清单", &manifest_path(out), e))?;
        Ok(manifest)
    }

    /// A SQLite file opened as it is (no migrations), for reading a backup.
    async fn open_sqlite_file(path: &Path) -> Result<Db> {
        use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .immutable(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts)
            .await?;
        Ok(Db::Sqlite(pool))
    }
}

/// Runs pg_dump or pg_restore on a blocking thread; a failure carries its message.
async fn run_tool(program: &'static str, args: Vec<String>) -> Result<()> {
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(program)
            .args(&args)
            .stdin(std::process::Stdio::null())
            .output()
    })
    .await
    .map_err(|e| Error::Invalid(format!("{program} 线程异常退出：{e}")))?
    .map_err(|e| {
        Error::Invalid(format!(
            "无法运行 {program}（请安装 PostgreSQL 客户端 postgresql-client）：{e}"
        ))
    })?;
    if !out.status.success() {
        return Err(Error::Invalid(format!(
            "{program} 运行失败：{}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}

/// Reads a backup's manifest, if it has one beside it.
pub fn read_manifest(file: &Path) -> Result<Option<Manifest>> {
    let p = manifest_path(file);
    match std::fs::read_to_string(&p) {
        Ok(s) => serde_json::from_str(&s)
            .map(Some)
            .map_err(|e| Error::Invalid(format!("备份清单 {} 无法读取：{e}", p.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io("无法读取备份清单", &p, e)),
    }
}

/// Puts the backup `file` in place as the database of `url`, then checks it: the integrity of
/// the restored database and every table's row count against the backup's. The portal must be
/// stopped meanwhile: the restore refuses while any instance holds the database
/// ([`crate::instance_lock`]), and holds it itself so that none starts until it is done. Once
/// checked, a change `search`/`rebuild` is appended to the feed, so every instance started
/// afterwards rebuilds its search index whatever position it had saved (a position saved
/// before the restore may fall inside the restored feed's ids). SQLite: the file is checked first, then copied over the database (its
/// `-wal` and `-shm` removed). PostgreSQL: `pg_restore --clean` into the database of `url`, in
/// one transaction. Returns the restored database's manifest.
pub async fn restore(url: &str, file: &Path) -> Result<Manifest> {
    if !file.is_file() {
        return Err(Error::Invalid(format!(
            "备份文件 {} 不存在",
            file.display()
        )));
    }
    let manifest = read_manifest(file)?;
    let _lock = crate::instance_lock::hold_for_restore(url).await?;
    let expected = if let Some(target) = sqlite_path(url) {
        // The backup itself must be sound before anything is replaced.
        let copy = Db::open_sqlite_file(file)
            .await
            .map_err(|e| Error::Invalid(format!("{} 不是 SQLite 备份文件：{e}", file.display())))?;
        let read = async {
            copy.integrity_check().await?;
            copy.row_counts().await
        }
        .await;
        copy.close().await;
        let counts = read?;
        if let Some(m) = &manifest
            && m.counts != counts
        {
            return Err(Error::Invalid(
                "备份文件与其清单中的行数不一致，备份可能已损坏".into(),
            ));
        }
        let mut tmp = target.as_os_str().to_owned();
        tmp.push(".restoring");
        let tmp = PathBuf::from(tmp);
        std::fs::copy(file, &tmp).map_err(|e| io("无法复制备份文件到", &tmp, e))?;
        std::fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(|e| io("无法写入", &tmp, e))?;
        for ext in ["-wal", "-shm"] {
            let mut p = target.as_os_str().to_owned();
            p.push(ext);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
        std::fs::rename(&tmp, &target).map_err(|e| io("无法替换数据库文件", &target, e))?;
        counts
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        let m = manifest.clone().ok_or_else(|| {
            Error::Invalid(format!(
                "缺少备份清单 {}：无法核对恢复结果",
                manifest_path(file).display()
            ))
        })?;
        run_tool(
            "pg_restore",
            vec![
                "--clean".into(),
                "--if-exists".into(),
                "--no-owner".into(),
                "--single-transaction".into(),
                format!("--dbname={url}"),
                file.display().to_string(),
            ],
        )
        .await?;
        m.counts
    } else {
        return Err(Error::BadUrl(url.to_string()));
    };
    // Open the restored database as the portal will (migrations run: none should be pending).
    let db = Db::connect(url).await?;
    let check = async {
        db.integrity_check().await?;
        db.row_counts().await
    }
    .await;
    let backend = db.backend();
    let counts = check;
    let counts = match counts {
        Ok(c) if c == expected => {
            let rebuild = crate::changes::NewChange {
                organ_id: None,
                entity: "search".into(),
                entity_id: String::new(),
                kind: "rebuild".into(),
            };
            let appended = db.append_change(&rebuild, chrono::Utc::now()).await;
            db.close().await;
            appended?;
            c
        }
        other => {
            db.close().await;
            other?
        }
    };
    if counts != expected {
        let diff: Vec<String> = expected
            .iter()
            .filter(|(t, n)| counts.get(*t) != Some(n))
            .map(|(t, n)| {
                format!(
                    "{t}：备份 {n} 行，恢复后 {} 行",
                    counts.get(t).copied().unwrap_or(0)
                )
            })
            .collect();
        return Err(Error::Invalid(format!(
            "恢复后的数据与备份不一致：{}",
            diff.join("；")
        )));
    }
    Ok(Manifest {
        backend: backend_name(backend).into(),
        taken_at: manifest.map(|m| m.taken_at).unwrap_or_default(),
        counts,
    })
}
