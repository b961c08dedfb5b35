//! What the back office's lists and the supervision page read (issue 17): a filtered page of an
//! organ's catalogue items counted in SQL, a page of letters, titles to pick an interpretation
//! from, the reason an item was returned, and per-organ counts across organs.

use crate::portal::PortalLetter;
use crate::records::{ITEM_COLS, ItemRow, item_from};
use crate::{Db, Result, on_pool, on_tx};
use chrono::NaiveDate;
use gongkai_domain::records::CatalogueItem;
use std::collections::BTreeMap;

/// Which items of an organ a list page shows.
#[derive(Debug, Clone, Default)]
pub struct ItemFilter {
    /// A status code (`draft`, `in_review`, …), or empty for any.
    pub status: String,
    /// The category and every category below it; empty for any.
    pub categories: Vec<i64>,
    /// The 发布机构 exactly, or empty for any.
    pub unit: String,
    /// The year of the 成文日期.
    pub year: Option<i32>,
    /// Words in the title, or empty.
    pub title: String,
    pub limit: i64,
    pub offset: i64,
}

/// `LIKE` pattern for text typed by a person: `%` and `_` match themselves.
fn like_pattern(s: &str) -> String {
    let mut p = String::from("%");
    for c in s.trim().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

impl Db {
    /// When each of these catalogue items was last sent for review (`submit` in the audit
    /// log), from the whole log, not its latest rows.
    pub async fn items_submitted_at(
        &self,
        ids: &[i64],
    ) -> Result<BTreeMap<i64, chrono::DateTime<chrono::Utc>>> {
        if ids.is_empty() {
            return Ok(BTreeMap::new());
        }
        // Item ids are integers: written into the statement, never text from a request.
        let list = ids
            .iter()
            .map(|i| format!("'{i}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT entity_id, at FROM audit_log WHERE action = 'submit' \
             AND entity = 'catalogue_item' AND entity_id IN ({list}) ORDER BY id"
        );
        let rows: Vec<(String, chrono::DateTime<chrono::Utc>)> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .fetch_all(p)
            .await)?;
        let mut out = BTreeMap::new();
        for (id, at) in rows {
            if let Ok(id) = id.parse::<i64>() {
                out.insert(id, at);
            }
        }
        Ok(out)
    }

    /// One page of an organ's items, newest first, filtered in SQL; with the number that match.
    /// Validity changes are not loaded (lists do not show them).
    pub async fn items_page(
        &self,
        organ_id: i64,
        f: &ItemFilter,
    ) -> Result<(Vec<CatalogueItem>, i64)> {
        let (from, to) = match f.year {
            Some(y) => crate::records::year_bounds(y),
            None => crate::records::all_time(),
        };
        // Category ids are integers from the organ's own tree: written into the statement.
        let cats = if f.categories.is_empty() {
            String::new()
        } else {
            format!(
                " AND category_id IN ({})",
                f.categories
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let filter = format!(
            "WHERE organ_id = $1 AND ($2 = '' OR status = $2) AND ($3 = '' OR issuing_unit = $3) \
             AND ($4 = 0 OR (written_on >= $5 AND written_on <= $6)) \
             AND ($7 = '%%' OR title LIKE $7 ESCAPE '\\'){cats}"
        );
        let pattern = like_pattern(&f.title);
        let has_year = i64::from(f.year.is_some());
        let count_sql = format!("SELECT COUNT(*) FROM catalogue_items {filter}");
        let sql = format!(
            "SELECT {ITEM_COLS} FROM catalogue_items {filter} ORDER BY id DESC LIMIT $8 OFFSET $9"
        );
        let total: i64 = on_pool!(self, p => sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql.as_str()))
            .bind(organ_id).bind(f.status.trim()).bind(f.unit.trim()).bind(has_year).bind(from).bind(to).bind(&pattern)
            .fetch_one(p)
            .await)?;
        let rows: Vec<ItemRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organ_id).bind(f.status.trim()).bind(f.unit.trim()).bind(has_year).bind(from).bind(to).bind(&pattern)
            .bind(f.limit)
            .bind(f.offset)
            .fetch_all(p)
            .await)?;
        let items = rows
            .into_iter()
            .map(item_from)
            .collect::<Result<Vec<_>>>()?;
        Ok((items, total))
    }

    /// The 发布机构 of an organ's items and the years of their 成文日期, for the list's filters.
    pub async fn item_units_and_years(&self, organ_id: i64) -> Result<(Vec<String>, Vec<i32>)> {
        let units: Vec<String> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT DISTINCT issuing_unit FROM catalogue_items WHERE organ_id = $1 ORDER BY issuing_unit")
            .bind(organ_id)
            .fetch_all(p)
            .await)?;
        let dates: Vec<Option<NaiveDate>> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT DISTINCT written_on FROM catalogue_items WHERE organ_id = $1")
            .bind(organ_id)
            .fetch_all(p)
            .await)?;
        let mut years: Vec<i32> = dates
            .into_iter()
            .flatten()
            .map(|d| chrono::Datelike::year(&d))
            .collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        Ok((units, years))
    }

    /// Items of an organ whose title contains `words`, newest first, at most `limit` (for
    /// picking a policy interpretation by its title).
    pub async fn items_titled(
        &self,
        organ_id: i64,
        words: &str,
        limit: i64,
    ) -> Result<Vec<CatalogueItem>> {
        let sql = format!(
            "SELECT {ITEM_COLS} FROM catalogue_items WHERE organ_id = $1 AND title LIKE $2 ESCAPE '\\' \
             ORDER BY id DESC LIMIT $3"
        );
        let rows: Vec<ItemRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organ_id)
            .bind(like_pattern(words))
            .bind(limit)
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(item_from).collect()
    }

    /// Why the item was last returned by its reviewer, while that still stands.
    pub async fn item_return_reason(&self, item_id: i64) -> Result<Option<String>> {
        let r: Option<Option<String>> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT return_reason FROM catalogue_items WHERE id = $1")
            .bind(item_id)
            .fetch_optional(p)
            .await)?;
        Ok(r.flatten().filter(|s| !s.is_empty()))
    }

    /// The standing return reasons of an organ's items, by item.
    pub async fn item_return_reasons(&self, organ_id: i64) -> Result<BTreeMap<i64, String>> {
        let rows: Vec<(i64, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, return_reason FROM catalogue_items \
             WHERE organ_id = $1 AND return_reason IS NOT NULL AND return_reason <> ''")
            .bind(organ_id)
            .fetch_all(p)
            .await)?;
        Ok(rows.into_iter().collect())
    }

    /// One page of the letters an organ received through the portal, newest first, the
    /// unanswered only when asked; with the number that match.
    pub async fn portal_letters_page(
        &self,
        organ_id: i64,
        open_only: bool,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<PortalLetter>, i64)> {
        let filter = "WHERE l.organ_id = $1 AND ($2 = 0 OR l.replied_on IS NULL)";
        let count_sql = format!(
            "SELECT COUNT(*) FROM letters l JOIN letter_portal p ON p.letter_id = l.id {filter}"
        );
        let total: i64 = on_pool!(self, p => sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql.as_str()))
            .bind(organ_id)
            .bind(i64::from(open_only))
            .fetch_one(p)
            .await)?;
        let sql = format!(
            "SELECT l.id AS letter_id, l.organ_id, p.query_code, l.subject, p.body, l.received_on, l.reply, \
             l.replied_on, p.reply_public, p.publish_consent FROM letters l JOIN letter_portal p ON p.letter_id = l.id \
             {filter} ORDER BY l.received_on DESC, l.id DESC LIMIT $3 OFFSET $4"
        );
        let rows: Vec<PortalLetter> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organ_id)
            .bind(i64::from(open_only))
            .bind(limit)
            .bind(offset)
            .fetch_all(p)
            .await)?;
        Ok((rows, total))
    }

    /// The writer's name and contact of a letter sent through the portal (for the office only).
    pub async fn letter_writer(&self, letter_id: i64) -> Result<Option<(String, String)>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT writer_name, contact FROM letter_portal WHERE letter_id = $1")
            .bind(letter_id)
            .fetch_optional(p)
            .await)?)
    }

    /// Letters of each organ not yet answered (every channel), by organ.
    pub async fn unanswered_letters(&self) -> Result<BTreeMap<i64, i64>> {
        let rows: Vec<(i64, i64)> = on_pool!(self, p => sqlx::query_as(
            "SELECT organ_id, COUNT(*) FROM letters WHERE replied_on IS NULL GROUP BY organ_id")
            .fetch_all(p)
            .await)?;
        Ok(rows.into_iter().collect())
    }

    /// The first publication of each organ's report of `year`, by organ.
    pub async fn reports_first_published(
        &self,
        year: i32,
    ) -> Result<BTreeMap<i64, chrono::DateTime<chrono::Utc>>> {
        let rows: Vec<(i64, chrono::DateTime<chrono::Utc>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT organ_id, MIN(published_at) FROM published_reports WHERE year = $1 GROUP BY organ_id")
            .bind(year)
            .fetch_all(p)
            .await)?;
        Ok(rows.into_iter().collect())
    }
}

// Writes, inside a caller's transaction.
impl crate::Tx {
    /// Keeps (or, with `None`, clears) why a reviewer returned an item.
    pub async fn set_item_return_reason(
        &mut self,
        item_id: i64,
        reason: Option<&str>,
    ) -> Result<()> {
        on_tx!(self, p => sqlx::query("UPDATE catalogue_items SET return_reason = $1 WHERE id = $2")
            .bind(reason)
            .bind(item_id)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}
