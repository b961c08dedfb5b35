//! The baseline gongkai's search is measured against (`bench_search`): SQLite FTS5 with the
//! trigram tokenizer over the same published items, in a file of its own beside a benchmark
//! database. Compiled only with the `bench` feature, so the `gongkai` installations run does
//! not carry it; here because this crate is the only one with SQL.

use crate::Result;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection};
use std::time::Instant;

/// Up to `n` document numbers present in the data, to search for exactly.
pub async fn doc_numbers(db_file: &str, n: i64) -> Result<Vec<String>> {
    let mut src = SqliteConnectOptions::new()
        .filename(db_file)
        .read_only(true)
        .connect()
        .await?;
    let numbers = sqlx::query_scalar(
        "SELECT doc_number FROM catalogue_items WHERE doc_number <> '' ORDER BY id LIMIT $1",
    )
    .bind(n)
    .fetch_all(&mut src)
    .await?;
    src.close().await?;
    Ok(numbers)
}

/// An FTS5 trigram table of the published items of a database.
pub struct Fts5 {
    conn: SqliteConnection,
}

impl Fts5 {
    /// Opens `DB_FILE.fts5`, building it first when it does not exist yet; returns the rows and
    /// seconds of a build.
    pub async fn open_or_build(db_file: &str) -> Result<(Fts5, Option<(i64, f64)>)> {
        let fts_file = format!("{db_file}.fts5");
        let fresh = !std::path::Path::new(&fts_file).exists();
        let mut conn = SqliteConnectOptions::new()
            .filename(&fts_file)
            .create_if_missing(true)
            .connect()
            .await?;
        let mut built = None;
        if fresh {
            let t = Instant::now();
            sqlx::query("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = 'trigram')")
                .execute(&mut conn)
                .await?;
            sqlx::query("ATTACH DATABASE $1 AS src")
                .bind(db_file)
                .execute(&mut conn)
                .await?;
            sqlx::query(
                "INSERT INTO docs (rowid, title, body) SELECT i.id, i.title, \
                 i.doc_number || ' ' || i.summary || ' ' || COALESCE(b.body, '') \
                 FROM src.catalogue_items i LEFT JOIN src.item_bodies b ON b.item_id = i.id \
                 WHERE i.status = 'published'",
            )
            .execute(&mut conn)
            .await?;
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM docs")
                .fetch_one(&mut conn)
                .await?;
            built = Some((n, t.elapsed().as_secs_f64()));
        }
        Ok((Fts5 { conn }, built))
    }

    /// The number of matches and the first page of ten with snippets, as a portal would ask.
    /// Queries of fewer than three characters cannot use the trigram index and go through LIKE.
    pub async fn search(&mut self, q: &str) -> Result<(i64, usize)> {
        let conn = &mut self.conn;
        if q.chars().count() < 3 {
            let like = format!("%{q}%");
            let total =
                sqlx::query_scalar("SELECT COUNT(*) FROM docs WHERE title LIKE $1 OR body LIKE $1")
                    .bind(&like)
                    .fetch_one(&mut *conn)
                    .await?;
            let page = sqlx::query(
                "SELECT rowid, title, substr(body, 1, 120) FROM docs \
                 WHERE title LIKE $1 OR body LIKE $1 LIMIT 10",
            )
            .bind(&like)
            .fetch_all(&mut *conn)
            .await?;
            Ok((total, page.len()))
        } else {
            let quoted = format!("\"{}\"", q.replace('"', "\"\""));
            let total = sqlx::query_scalar("SELECT COUNT(*) FROM docs WHERE docs MATCH $1")
                .bind(&quoted)
                .fetch_one(&mut *conn)
                .await?;
            let page = sqlx::query(
                "SELECT rowid, title, snippet(docs, 1, '<b>', '</b>', '…', 20) FROM docs \
                 WHERE docs MATCH $1 ORDER BY rank LIMIT 10",
            )
            .bind(&quoted)
            .fetch_all(&mut *conn)
            .await?;
            Ok((total, page.len()))
        }
    }
}
