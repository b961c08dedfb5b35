//! Published catalogue items as the public portal lists them: a page at a time, newest first,
//! filtered and counted in SQL, so a list costs about the same whether the instance holds a
//! county's thousand items or a province's million. The partial indexes of migration 0005 serve
//! these queries.

use crate::records::{ITEM_COLS, ItemRow, ValidityRow, collect_validity, item_from};
use crate::{Backend, Db, Result, on_pool};
use chrono::NaiveDate;
use gongkai_domain::records::CatalogueItem;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Which published items to list.
#[derive(Debug, Clone, Copy, Default)]
pub struct PublishedQuery<'a> {
    /// The organs (and units) whose items are listed; empty means every organ.
    pub organs: &'a [i64],
    /// The categories listed, subcategories already expanded by the caller; `None` means any.
    pub categories: Option<&'a [i64]>,
    /// Only items published in this year.
    pub year: Option<i32>,
    /// Also every 规章 and 行政规范性文件 whatever its category (the sub-column 第二十条（一） of
    /// 法定主动公开内容).
    pub or_regulations_and_normative: bool,
}

/// Items per sitemap file (the sitemaps.org limit is 50,000 URLs per file).
pub const SITEMAP_CHUNK: i64 = 50_000;

/// `col IN (1, 2, 3)`: the values are integers, so writing them into the SQL cannot inject
/// anything, and the statement works the same on both backends whatever the list's length.
fn in_list(col: &str, ids: &[i64]) -> String {
    let mut s = format!("{col} IN (");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        let _ = write!(s, "{id}");
    }
    s.push(')');
    s
}

impl PublishedQuery<'_> {
    /// The WHERE clause; the year's bounds are bound as `$1` and `$2`.
    pub(crate) fn where_clause(&self) -> String {
        self.where_between("$1", "<= $2")
    }

    /// The WHERE clause with `published_on >= {lower}` and `published_on {upper}` as the bounds
    /// (one upper bound only: SQLite ranges an index over a single upper bound, and a looser one
    /// would scan the gap).
    pub(crate) fn where_between(&self, lower: &str, upper: &str) -> String {
        let mut w = format!(
            "status = 'published' AND published_on IS NOT NULL \
             AND published_on >= {lower} AND published_on {upper}"
        );
        if !self.organs.is_empty() {
            w.push_str(" AND ");
            w.push_str(&in_list("organ_id", self.organs));
        }
        if let Some(cats) = self.categories {
            let docs = " doc_kind IN ('regulation', 'normative')";
            match (cats.is_empty(), self.or_regulations_and_normative) {
                (true, false) => w.push_str(" AND 1 = 0"),
                (true, true) => {
                    w.push_str(" AND");
                    w.push_str(docs);
                }
                (false, false) => {
                    w.push_str(" AND ");
                    w.push_str(&in_list("category_id", cats));
                }
                (false, true) => {
                    w.push_str(" AND (");
                    w.push_str(&in_list("category_id", cats));
                    w.push_str(" OR");
                    w.push_str(docs);
                    w.push(')');
                }
            }
        }
        w
    }

    pub(crate) fn bounds(&self) -> (NaiveDate, NaiveDate) {
        match self.year {
            Some(y) => (
                NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(NaiveDate::MIN),
                NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(NaiveDate::MAX),
            ),
            // Wide enough for any real date, narrow enough for both backends' date types.
            None => (
                NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(NaiveDate::MIN),
                NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX),
            ),
        }
    }
}

/// The recursive CTE `y(v)`: the newest publication date of each year in which `q`'s organs
/// published anything, newest first, with `lower` and `upper` the placeholders of the widest
/// bounds. Not a DISTINCT over every item (a million of them for a province's portal): one index
/// seek per year, each for the newest item published before the year last found.
pub(crate) fn years_cte(
    backend: Backend,
    q: &PublishedQuery<'_>,
    lower: &str,
    upper: &str,
) -> String {
    let year_start = match backend {
        Backend::Sqlite => "substr(y.v, 1, 4) || '-01-01'",
        Backend::Postgres => "CAST(date_trunc('year', y.v) AS DATE)",
    };
    let w = q.where_between(lower, &format!("<= {upper}"));
    // Each step's bound is below the year found (and so below the upper bound).
    let below = q.where_between(lower, &format!("< {year_start}"));
    let newest = "ORDER BY published_on DESC LIMIT 1";
    format!(
        "y(v) AS ( \
             SELECT (SELECT published_on FROM catalogue_items WHERE {w} {newest}) \
             UNION ALL \
             SELECT (SELECT published_on FROM catalogue_items WHERE {below} {newest}) \
             FROM y WHERE y.v IS NOT NULL)"
    )
}

/// The year of `v` (a row of [`years_cte`]) as an integer.
pub(crate) fn year_of(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "CAST(substr(v, 1, 4) AS INTEGER)",
        Backend::Postgres => "CAST(EXTRACT(YEAR FROM v) AS BIGINT)",
    }
}

impl Db {
    /// One page of published items, newest first (then by id, newest first), with the total
    /// number of items the query matches.
    pub async fn published_page(
        &self,
        q: &PublishedQuery<'_>,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<CatalogueItem>, u64)> {
        let w = q.where_clause();
        let (from, to) = q.bounds();
        let count_sql = format!("SELECT COUNT(*) FROM catalogue_items WHERE {w}");
        let total: i64 = on_pool!(self, p => sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql.as_str()))
            .bind(from).bind(to).fetch_one(p).await)?;
        if total == 0 || offset >= total as u64 {
            return Ok((Vec::new(), total as u64));
        }
        let sql = format!(
            "SELECT {ITEM_COLS} FROM catalogue_items WHERE {w} \
             ORDER BY published_on DESC, id DESC LIMIT {} OFFSET {}",
            limit.min(i64::MAX as u64),
            offset.min(i64::MAX as u64)
        );
        let rows: Vec<ItemRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(from).bind(to).fetch_all(p).await)?;
        Ok((self.with_validity(rows).await?, total as u64))
    }

    /// The years in which these organs published anything, newest first (empty: every organ);
    /// see [`years_cte`].
    pub async fn published_years(&self, organs: &[i64]) -> Result<Vec<i32>> {
        let q = PublishedQuery {
            organs,
            ..Default::default()
        };
        let (from, to) = q.bounds();
        let sql = format!(
            "WITH RECURSIVE {} SELECT {} FROM y WHERE v IS NOT NULL",
            years_cte(self.backend(), &q, "$1", "$2"),
            year_of(self.backend())
        );
        let years: Vec<i64> = on_pool!(self, p => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(from).bind(to).fetch_all(p).await)?;
        Ok(years.into_iter().map(|y| y as i32).collect())
    }

    /// The numbers of the sitemap files that have at least one published item: file `k` lists
    /// the items with ids from `k * SITEMAP_CHUNK` to `(k + 1) * SITEMAP_CHUNK - 1`, so a file's
    /// contents never move when items are added elsewhere.
    pub async fn published_sitemap_chunks(&self) -> Result<Vec<i64>> {
        let sql = format!(
            "SELECT DISTINCT id / {SITEMAP_CHUNK} AS k FROM catalogue_items \
             WHERE status = 'published' AND published_on IS NOT NULL ORDER BY k"
        );
        let ks: Vec<i64> = on_pool!(self, p => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str()))
            .fetch_all(p).await)?;
        Ok(ks)
    }

    /// The published item bearing 索引号 `index_no` (unique, so at most one): the search page
    /// shows it first when a visitor types an index number.
    pub async fn published_item_by_index_no(&self, index_no: &str) -> Result<Option<i64>> {
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "SELECT id FROM catalogue_items \
             WHERE index_no = $1 AND status = 'published' AND published_on IS NOT NULL")
            .bind(index_no.trim())
            .fetch_optional(p)
            .await)?)
    }

    /// The published items of sitemap file `chunk`: their ids and publication dates, by id.
    pub async fn published_sitemap_chunk(&self, chunk: i64) -> Result<Vec<(i64, NaiveDate)>> {
        let rows: Vec<(i64, NaiveDate)> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, published_on FROM catalogue_items \
             WHERE id >= $1 AND id < $2 AND status = 'published' AND published_on IS NOT NULL \
             ORDER BY id")
            .bind(chunk.saturating_mul(SITEMAP_CHUNK))
            .bind(chunk.saturating_add(1).saturating_mul(SITEMAP_CHUNK))
            .fetch_all(p)
            .await)?;
        Ok(rows)
    }

    /// The items of these organs still on their way to publication (draft or in review), by
    /// id: what the back office's dashboard checks against the 20-working-day limit. One query,
    /// however many organs a province's administrator oversees.
    pub async fn items_in_progress(&self, organs: &[i64]) -> Result<Vec<CatalogueItem>> {
        if organs.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {ITEM_COLS} FROM catalogue_items \
             WHERE status IN ('draft', 'in_review') AND {} ORDER BY id",
            in_list("organ_id", organs)
        );
        let rows: Vec<ItemRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .fetch_all(p).await)?;
        self.with_validity(rows).await
    }

    /// Items from their rows, each with its validity changes (oldest first), in one query.
    async fn with_validity(&self, rows: Vec<ItemRow>) -> Result<Vec<CatalogueItem>> {
        let mut items = rows
            .into_iter()
            .map(item_from)
            .collect::<Result<Vec<_>>>()?;
        if items.is_empty() {
            return Ok(items);
        }
        let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
        let sql = format!(
            "SELECT item_id, changed_on, validity, note FROM validity_changes WHERE {} \
             ORDER BY item_id, changed_on, id",
            in_list("item_id", &ids)
        );
        let rows: Vec<ValidityRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .fetch_all(p).await)?;
        let mut validity = BTreeMap::new();
        collect_validity(rows, &mut validity)?;
        for it in &mut items {
            it.validity = validity.remove(&it.id).unwrap_or_default();
        }
        Ok(items)
    }
}
