//! What the search index is filled from (issue 7): published catalogue items with their body,
//! category, current validity and attachments; letters whose reply the writer allowed to be
//! public; the latest version of each published annual report. Read-only; in pages by id so a
//! rebuild over millions of items never holds them all in memory.

use crate::{Db, Result, on_pool};
use chrono::NaiveDate;
use std::fmt::Write as _;

/// A published catalogue item as the index needs it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FeedItem {
    pub id: i64,
    pub organ_id: i64,
    pub organ_name: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub doc_number: String,
    /// `regulation`, `normative` or `other`.
    pub doc_kind: String,
    pub issuing_unit: String,
    pub category: String,
    pub written_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    /// The latest validity change's code, empty when none was recorded (in force).
    pub validity: String,
    pub attachment_count: i64,
}

/// An attachment's bytes, for text extraction.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FeedAttachment {
    pub item_id: i64,
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// A letter with a public reply. The writer's name and contact are not read.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FeedLetter {
    pub id: i64,
    pub organ_id: i64,
    pub organ_name: String,
    pub subject: String,
    pub body: String,
    pub reply: String,
    pub received_on: NaiveDate,
    pub replied_on: Option<NaiveDate>,
}

/// The latest version of a published annual report.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FeedReport {
    pub id: i64,
    pub organ_id: i64,
    pub organ_name: String,
    pub year: i32,
    pub html: String,
    pub published_at: String,
}

const ITEM_SELECT: &str = "SELECT i.id, i.organ_id, o.name AS organ_name, i.title, i.summary, \
     COALESCE(b.body, '') AS body, i.doc_number, i.doc_kind, i.issuing_unit, \
     c.name AS category, i.written_on, i.published_on, \
     COALESCE((SELECT v.validity FROM validity_changes v WHERE v.item_id = i.id \
               ORDER BY v.changed_on DESC, v.id DESC LIMIT 1), '') AS validity, \
     (SELECT COUNT(*) FROM item_attachments a WHERE a.item_id = i.id) AS attachment_count \
     FROM catalogue_items i \
     JOIN organs o ON o.id = i.organ_id \
     JOIN categories c ON c.id = i.category_id \
     LEFT JOIN item_bodies b ON b.item_id = i.id \
     WHERE i.status = 'published'";

impl Db {
    /// Published items with id greater than `after_id`, by id, at most `limit`.
    pub async fn feed_items_after(&self, after_id: i64, limit: i64) -> Result<Vec<FeedItem>> {
        let sql = format!("{ITEM_SELECT} AND i.id > $1 ORDER BY i.id LIMIT $2");
        Ok(
            on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(after_id)
            .bind(limit)
            .fetch_all(p)
            .await)?,
        )
    }

    /// One item if it is published (`None` for drafts, withdrawn or deleted items).
    pub async fn feed_item(&self, item_id: i64) -> Result<Option<FeedItem>> {
        let sql = format!("{ITEM_SELECT} AND i.id = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(item_id)
            .fetch_optional(p)
            .await)?,
        )
    }

    /// Number of published items (for a progress bar).
    pub async fn feed_item_count(&self) -> Result<i64> {
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM catalogue_items WHERE status = 'published'")
            .fetch_one(p)
            .await)?)
    }

    /// Attachments of the items with ids in `from..=to`, by item.
    pub async fn feed_attachments(&self, from: i64, to: i64) -> Result<Vec<FeedAttachment>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT item_id, filename, content_type, data FROM item_attachments \
             WHERE item_id BETWEEN $1 AND $2 ORDER BY item_id, id")
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await)?)
    }

    /// Letters sent through the portal whose writer allowed the reply to be public, replied.
    pub async fn feed_letters(&self) -> Result<Vec<FeedLetter>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT l.id, l.organ_id, o.name AS organ_name, l.subject, lp.body, l.reply, \
             l.received_on, l.replied_on FROM letters l \
             JOIN letter_portal lp ON lp.letter_id = l.id \
             JOIN organs o ON o.id = l.organ_id \
             WHERE lp.reply_public = 1 AND l.reply <> '' ORDER BY l.id")
            .fetch_all(p)
            .await)?)
    }

    /// One letter if its reply is public.
    pub async fn feed_letter(&self, letter_id: i64) -> Result<Option<FeedLetter>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT l.id, l.organ_id, o.name AS organ_name, l.subject, lp.body, l.reply, \
             l.received_on, l.replied_on FROM letters l \
             JOIN letter_portal lp ON lp.letter_id = l.id \
             JOIN organs o ON o.id = l.organ_id \
             WHERE lp.reply_public = 1 AND l.reply <> '' AND l.id = $1")
            .bind(letter_id)
            .fetch_optional(p)
            .await)?)
    }

    /// The latest published version of every organ's report of every year.
    pub async fn feed_reports(&self) -> Result<Vec<FeedReport>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT r.id, r.organ_id, o.name AS organ_name, r.year, r.html, \
             CAST(r.published_at AS TEXT) AS published_at FROM published_reports r \
             JOIN organs o ON o.id = r.organ_id \
             WHERE r.version = (SELECT MAX(version) FROM published_reports x \
                                WHERE x.organ_id = r.organ_id AND x.year = r.year) \
             ORDER BY r.id")
            .fetch_all(p)
            .await)?)
    }

    /// Every organ's id with its parent's, to file an item under its organ's ancestors too.
    pub async fn feed_organ_parents(&self) -> Result<Vec<(i64, Option<i64>)>> {
        Ok(
            on_pool!(self, p => sqlx::query_as("SELECT id, parent_id FROM organs ORDER BY id")
            .fetch_all(p)
            .await)?,
        )
    }
}

// ---------------------------------------------------------------- bulk loading (bench-data)

/// A published item to load in bulk: its 索引号 is given (generated data numbers its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkItem {
    pub organ_id: i64,
    pub index_no: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub category_id: i64,
    pub issuing_unit: String,
    pub written_on: NaiveDate,
    pub published_on: NaiveDate,
    pub doc_number: String,
    /// `regulation`, `normative` or `other`.
    pub doc_kind: &'static str,
    /// A validity change (code, date) after publication, if any.
    pub validity: Option<(&'static str, NaiveDate)>,
}

impl BulkItem {
    /// The row [`Db::feed_items_after`] returns for this item once loaded with `id`, made without
    /// reading it back: `organ_name` and `category` are the names of its organ and category.
    pub fn into_feed_item(self, id: i64, organ_name: &str, category: &str) -> FeedItem {
        FeedItem {
            id,
            organ_id: self.organ_id,
            organ_name: organ_name.to_string(),
            title: self.title,
            summary: self.summary,
            body: self.body,
            doc_number: self.doc_number,
            doc_kind: self.doc_kind.to_string(),
            issuing_unit: self.issuing_unit,
            category: category.to_string(),
            written_on: Some(self.written_on),
            published_on: Some(self.published_on),
            validity: self
                .validity
                .map(|(code, _)| code.to_string())
                .unwrap_or_default(),
            attachment_count: 0,
        }
    }
}

/// A closed or open application to load in bulk. Codes are the store's (snake case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkApplication {
    pub organ_id: i64,
    pub number: String,
    pub year: i32,
    pub seq: i64,
    pub channel: &'static str,
    pub applicant_type: &'static str,
    pub applicant_name: String,
    pub applicant_key: String,
    pub received_on: NaiveDate,
    pub description: String,
    pub status: &'static str,
    pub due_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub result: Option<&'static str>,
}

/// A letter to load in bulk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkLetter {
    pub organ_id: i64,
    pub channel_id: i64,
    pub received_on: NaiveDate,
    pub subject: String,
    pub reply: String,
    pub replied_on: Option<NaiveDate>,
}

/// One row of PostgreSQL's COPY text format: columns separated by tabs, and backslash, tab,
/// newline and carriage return escaped.
struct CopyRow<'a>(&'a mut String, bool);

impl<'a> CopyRow<'a> {
    /// A new row at the end of `out`.
    fn new(out: &'a mut String) -> Self {
        CopyRow(out, false)
    }
    fn sep(&mut self) {
        if self.1 {
            self.0.push('\t');
        }
        self.1 = true;
    }
    fn text(&mut self, v: &str) -> &mut Self {
        self.sep();
        for ch in v.chars() {
            match ch {
                '\\' => self.0.push_str("\\\\"),
                '\t' => self.0.push_str("\\t"),
                '\n' => self.0.push_str("\\n"),
                '\r' => self.0.push_str("\\r"),
                c => self.0.push(c),
            }
        }
        self
    }
    fn int(&mut self, v: i64) -> &mut Self {
        self.sep();
        let _ = write!(self.0, "{v}");
        self
    }
    fn date(&mut self, v: NaiveDate) -> &mut Self {
        self.sep();
        let _ = write!(self.0, "{}", v.format("%Y-%m-%d"));
        self
    }
    fn end(&mut self) {
        self.0.push('\n');
    }
}

/// Sends `rows` (COPY text format) with `statement`, a `COPY … FROM STDIN`.
async fn copy_in(
    t: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    statement: &str,
    rows: String,
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut copy = (**t).copy_in_raw(statement).await?;
    if let Err(e) = copy.send(rows.into_bytes()).await {
        copy.abort("发送失败").await.ok();
        return Err(e.into());
    }
    copy.finish().await?;
    Ok(())
}

/// Items in bulk on PostgreSQL with COPY: their ids are drawn from the identity's sequence
/// first (so bodies and validity changes can be written by id), then the three tables are
/// copied in. Rows are the same as the multi-row INSERTs give (the bench crate's tests
/// compare them with items filed one by one).
async fn copy_items(
    t: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    items: &[BulkItem],
) -> Result<Vec<i64>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT nextval(pg_get_serial_sequence('catalogue_items', 'id')) \
         FROM generate_series(1, $1)",
    )
    .bind(items.len() as i64)
    .fetch_all(&mut **t)
    .await?;
    let (mut rows, mut bodies, mut changes) = (String::new(), String::new(), String::new());
    for (it, &id) in items.iter().zip(&ids) {
        CopyRow::new(&mut rows)
            .int(id)
            .int(it.organ_id)
            .text(&it.index_no)
            .text(&it.title)
            .text(&it.summary)
            .int(it.category_id)
            .text(&it.issuing_unit)
            .date(it.written_on)
            .date(it.published_on)
            .text(&it.doc_number)
            .text(it.doc_kind)
            .text("published")
            .end();
        CopyRow::new(&mut bodies).int(id).text(&it.body).end();
        if let Some((code, on)) = it.validity {
            CopyRow::new(&mut changes).int(id).date(on).text(code).end();
        }
    }
    copy_in(
        t,
        "COPY catalogue_items (id, organ_id, index_no, title, summary, category_id, \
         issuing_unit, written_on, published_on, doc_number, doc_kind, status) FROM STDIN",
        rows,
    )
    .await?;
    copy_in(t, "COPY item_bodies (item_id, body) FROM STDIN", bodies).await?;
    copy_in(
        t,
        "COPY validity_changes (item_id, changed_on, validity) FROM STDIN",
        changes,
    )
    .await?;
    Ok(ids)
}

/// Binds per multi-row statement: under SQLite's limit of 32,766 variables and PostgreSQL's of
/// 65,535 parameters.
const MAX_BINDS: usize = 30_000;

/// Rows per statement for a table of `columns` bound columns: a few hundred rows per statement
/// makes the per-statement cost (a round trip to sqlx's SQLite worker, or to the PostgreSQL
/// server) negligible, and larger statements gain nothing more.
fn rows_per_statement(columns: usize) -> usize {
    (MAX_BINDS / columns).min(1000)
}

impl crate::Tx {
    /// Inserts items (and their bodies and validity changes) in this transaction, with
    /// multi-row `INSERT … VALUES (…), (…)` statements. Returns the new ids in the order of
    /// `items`. The rows are the same as filing each item, setting its body and adding its
    /// validity change one by one (the bench crate's tests compare them).
    pub async fn bulk_items(&mut self, items: &[BulkItem]) -> Result<Vec<i64>> {
        self.bulk_items_by_insert(items).await
    }

    /// [`Tx::bulk_items`] by COPY on PostgreSQL (`bench_data --copy`; multi-row INSERTs on
    /// SQLite). Measured on the 2-core machine it is not faster than the INSERTs (BENCHMARKS.md
    /// §7: the loader is bound by making the rows, not by the statements), so it is not the
    /// default.
    pub async fn bulk_items_by_copy(&mut self, items: &[BulkItem]) -> Result<Vec<i64>> {
        if let crate::Tx::Postgres(t) = self {
            return copy_items(t, items).await;
        }
        self.bulk_items_by_insert(items).await
    }

    /// Multi-row INSERTs on either backend.
    async fn bulk_items_by_insert(&mut self, items: &[BulkItem]) -> Result<Vec<i64>> {
        let mut ids = Vec::with_capacity(items.len());
        for chunk in items.chunks(rows_per_statement(10)) {
            // RETURNING gives rows in no promised order: match them by 索引号, which is unique.
            let rows: Vec<(i64, String)> = crate::on_tx!(self, c => {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO catalogue_items (organ_id, index_no, title, summary, \
                     category_id, issuing_unit, written_on, published_on, doc_number, doc_kind, \
                     status) ",
                );
                q.push_values(chunk, |mut b, it| {
                    b.push_bind(it.organ_id)
                        .push_bind(&it.index_no)
                        .push_bind(&it.title)
                        .push_bind(&it.summary)
                        .push_bind(it.category_id)
                        .push_bind(&it.issuing_unit)
                        .push_bind(it.written_on)
                        .push_bind(it.published_on)
                        .push_bind(&it.doc_number)
                        .push_bind(it.doc_kind)
                        .push("'published'");
                });
                q.push(" RETURNING id, index_no");
                q.build_query_as().fetch_all(c).await
            })?;
            let by_no: std::collections::HashMap<&str, i64> =
                rows.iter().map(|(id, no)| (no.as_str(), *id)).collect();
            let first = ids.len();
            for it in chunk {
                let id = by_no.get(it.index_no.as_str()).copied().ok_or_else(|| {
                    crate::Error::Invalid(format!("索引号 {} 写入后未返回编号", it.index_no))
                })?;
                ids.push(id);
            }
            let chunk_ids = &ids[first..];
            for (part, part_ids) in chunk
                .chunks(rows_per_statement(2))
                .zip(chunk_ids.chunks(rows_per_statement(2)))
            {
                crate::on_tx!(self, c => {
                    let mut q = sqlx::QueryBuilder::new("INSERT INTO item_bodies (item_id, body) ");
                    q.push_values(part.iter().zip(part_ids), |mut b, (it, id)| {
                        b.push_bind(*id).push_bind(&it.body);
                    });
                    q.build().execute(c).await.map(|_| ())
                })?;
            }
            let changes: Vec<(i64, &str, NaiveDate)> = chunk
                .iter()
                .zip(chunk_ids)
                .filter_map(|(it, id)| it.validity.map(|(code, on)| (*id, code, on)))
                .collect();
            for part in changes.chunks(rows_per_statement(3)) {
                crate::on_tx!(self, c => {
                    let mut q = sqlx::QueryBuilder::new(
                        "INSERT INTO validity_changes (item_id, changed_on, validity) ",
                    );
                    q.push_values(part, |mut b, (id, code, on)| {
                        b.push_bind(*id).push_bind(*on).push_bind(*code);
                    });
                    q.build().execute(c).await.map(|_| ())
                })?;
            }
        }
        Ok(ids)
    }

    /// Inserts applications (their summary columns; generated cases carry no event log and no
    /// fees, so nothing needs replaying), many rows per statement.
    pub async fn bulk_applications(&mut self, apps: &[BulkApplication]) -> Result<()> {
        for chunk in apps.chunks(rows_per_statement(14)) {
            crate::on_tx!(self, c => {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO applications (organ_id, number, year, seq, channel, \
                     applicant_type, applicant_name, applicant_key, received_on, description, \
                     status, due_on, closed_on, result) ",
                );
                q.push_values(chunk, |mut b, a| {
                    b.push_bind(a.organ_id)
                        .push_bind(&a.number)
                        .push_bind(a.year)
                        .push_bind(a.seq)
                        .push_bind(a.channel)
                        .push_bind(a.applicant_type)
                        .push_bind(&a.applicant_name)
                        .push_bind(&a.applicant_key)
                        .push_bind(a.received_on)
                        .push_bind(&a.description)
                        .push_bind(a.status)
                        .push_bind(a.due_on)
                        .push_bind(a.closed_on)
                        .push_bind(a.result);
                });
                q.build().execute(c).await.map(|_| ())
            })?;
        }
        Ok(())
    }

    /// Inserts letters, many rows per statement.
    pub async fn bulk_letters(&mut self, letters: &[BulkLetter]) -> Result<()> {
        for chunk in letters.chunks(rows_per_statement(6)) {
            crate::on_tx!(self, c => {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO letters (organ_id, channel_id, received_on, subject, reply, \
                     replied_on) ",
                );
                q.push_values(chunk, |mut b, l| {
                    b.push_bind(l.organ_id)
                        .push_bind(l.channel_id)
                        .push_bind(l.received_on)
                        .push_bind(&l.subject)
                        .push_bind(&l.reply)
                        .push_bind(l.replied_on);
                });
                q.build().execute(c).await.map(|_| ())
            })?;
        }
        Ok(())
    }
}
