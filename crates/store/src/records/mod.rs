//! Repositories of the records an organ keeps (issue 2): organs and units, the catalogue tree and
//! items with 索引号, matters and decisions, fees, procurement, cases, letters, report texts.
//!
//! Writes are methods of [`Tx`] so an import can put many records in one transaction; the
//! `Db` methods of the same name open a transaction, call them and commit.

use crate::{Db, Error, Result, Tx, on_pool, on_tx};
use chrono::{Datelike, NaiveDate};
use gongkai_domain::records::*;
use std::collections::BTreeMap;

mod letters;
mod registers;
mod texts;

#[derive(sqlx::FromRow)]
pub(crate) struct OrganRow {
    pub(crate) id: i64,
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) short_name: String,
    pub(crate) kind: String,
    pub(crate) parent_id: Option<i64>,
    pub(crate) index_pattern: String,
}

impl From<OrganRow> for Organ {
    fn from(r: OrganRow) -> Organ {
        Organ {
            id: r.id,
            code: r.code,
            name: r.name,
            short_name: r.short_name,
            kind: organ_kind_from_code(&r.kind),
            parent_id: r.parent_id,
            index_pattern: r.index_pattern,
        }
    }
}

pub(crate) const ORGAN_COLS: &str = "id, code, name, short_name, kind, parent_id, index_pattern";

#[derive(sqlx::FromRow)]
pub(crate) struct CategoryRow {
    pub(crate) id: i64,
    pub(crate) organ_id: i64,
    pub(crate) parent_id: Option<i64>,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) position: i32,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ItemRow {
    pub(crate) id: i64,
    pub(crate) organ_id: i64,
    pub(crate) index_no: String,
    pub(crate) title: String,
    pub(crate) summary: String,
    pub(crate) category_id: i64,
    pub(crate) issuing_unit: String,
    pub(crate) written_on: Option<NaiveDate>,
    pub(crate) published_on: Option<NaiveDate>,
    pub(crate) doc_number: String,
    pub(crate) doc_kind: String,
    pub(crate) status: String,
}

pub(crate) const ITEM_COLS: &str = "id, organ_id, index_no, title, summary, category_id, issuing_unit, \
     written_on, published_on, doc_number, doc_kind, status";

#[derive(sqlx::FromRow)]
pub(crate) struct ValidityRow {
    pub(crate) item_id: i64,
    pub(crate) changed_on: NaiveDate,
    pub(crate) validity: String,
    pub(crate) note: String,
}

fn bad(what: &str, v: &str) -> Error {
    Error::Invalid(format!("数据库中的{what}“{v}”无法识别"))
}

pub(crate) fn item_from(r: ItemRow) -> Result<CatalogueItem> {
    Ok(CatalogueItem {
        id: r.id,
        organ_id: r.organ_id,
        index_no: r.index_no,
        title: r.title,
        summary: r.summary,
        category_id: r.category_id,
        issuing_unit: r.issuing_unit,
        written_on: r.written_on,
        published_on: r.published_on,
        doc_number: r.doc_number,
        doc_kind: DocKind::parse(&r.doc_kind).ok_or_else(|| bad("文件类型", &r.doc_kind))?,
        status: ItemStatus::parse(&r.status).ok_or_else(|| bad("状态", &r.status))?,
        validity: Vec::new(),
    })
}

/// Bounds for "every date": NaiveDate::MIN/MAX do not survive the trip through SQLite text
/// (a sign and six-digit years) or PostgreSQL's DATE range.
pub fn all_time() -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid"),
        NaiveDate::from_ymd_opt(9999, 12, 31).expect("valid"),
    )
}

/// The first and last day of a year.
pub fn year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year"),
        NaiveDate::from_ymd_opt(year, 12, 31).expect("valid year"),
    )
}

// ---------------------------------------------------------------- writes, in a transaction

impl Tx {
    pub async fn create_organ(&mut self, o: &NewOrgan) -> Result<Organ> {
        o.validate().map_err(Error::Invalid)?;
        if let Some(p) = o.parent_id
            && self.organ(p).await?.is_none()
        {
            return Err(Error::NotFound(format!("上级机关（编号 {p}）")));
        }
        let sql = format!(
            "INSERT INTO organs (code, name, short_name, kind, parent_id, index_pattern) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING {ORGAN_COLS}"
        );
        let row: OrganRow = on_tx!(self, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(o.code.trim())
            .bind(o.name.trim())
            .bind(o.short_name.trim())
            .bind(organ_kind_code(o.kind))
            .bind(o.parent_id)
            .bind(&o.index_pattern)
            .fetch_one(c)
            .await)?;
        Ok(row.into())
    }

    pub async fn organ(&mut self, id: i64) -> Result<Option<Organ>> {
        let sql = format!("SELECT {ORGAN_COLS} FROM organs WHERE id = $1");
        let row: Option<OrganRow> = on_tx!(self, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(c).await)?;
        Ok(row.map(Into::into))
    }

    /// Finds an organ by code, full name or short name, inside the transaction (so an import can
    /// refer to organs it created earlier in the same transaction).
    pub async fn find_organ(&mut self, key: &str) -> Result<Option<Organ>> {
        let key = key.trim();
        let sql = format!(
            "SELECT {ORGAN_COLS} FROM organs WHERE code = $1 OR name = $1 OR short_name = $1 ORDER BY id"
        );
        let rows: Vec<OrganRow> = on_tx!(self, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(key)
            .fetch_all(c)
            .await)?;
        Ok(pick_organ(rows, key))
    }

    pub async fn insert_category(
        &mut self,
        organ_id: i64,
        parent_id: Option<i64>,
        name: &str,
        description: &str,
        position: i32,
    ) -> Result<i64> {
        let id: i64 = on_tx!(self, c => sqlx::query_scalar(
            "INSERT INTO categories (organ_id, parent_id, name, description, position) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(organ_id)
            .bind(parent_id)
            .bind(name)
            .bind(description)
            .bind(position)
            .fetch_one(c)
            .await)?;
        Ok(id)
    }

    /// Copies a starting catalogue tree into an organ's (empty) catalogue.
    pub async fn seed_catalogue(&mut self, organ_id: i64, seed: &CatalogueSeed) -> Result<()> {
        // Iterative walk: async recursion would need boxing.
        let mut stack: Vec<(Option<i64>, &CategorySeed, i32)> = seed
            .categories
            .iter()
            .enumerate()
            .rev()
            .map(|(i, c)| (None, c, i as i32 + 1))
            .collect();
        while let Some((parent, node, pos)) = stack.pop() {
            let id = self
                .insert_category(organ_id, parent, &node.name, &node.description, pos)
                .await?;
            for (i, ch) in node.children.iter().enumerate().rev() {
                stack.push((Some(id), ch, i as i32 + 1));
            }
        }
        Ok(())
    }

    pub async fn categories(&mut self, organ_id: i64) -> Result<Vec<Category>> {
        let rows: Vec<CategoryRow> = on_tx!(self, c => sqlx::query_as(
            "SELECT id, organ_id, parent_id, name, description, position FROM categories \
             WHERE organ_id = $1 ORDER BY position, id")
            .bind(organ_id)
            .fetch_all(c)
            .await)?;
        Ok(rows.into_iter().map(category_from).collect())
    }

    /// Hands out the next 索引号 of an organ for a year. The per-organ-year counter only moves
    /// forward, so a number is never handed out twice, even after its item was deleted.
    pub async fn next_index_no(&mut self, organ: &Organ, year: i32) -> Result<String> {
        let pattern = IndexPattern::parse(&organ.index_pattern).map_err(Error::Invalid)?;
        let seq: i64 = on_tx!(self, c => sqlx::query_scalar(
            "INSERT INTO index_sequences (organ_id, year, last_seq) VALUES ($1, $2, 1) \
             ON CONFLICT (organ_id, year) DO UPDATE SET last_seq = index_sequences.last_seq + 1 \
             RETURNING last_seq")
            .bind(organ.id)
            .bind(year)
            .fetch_one(c)
            .await)?;
        Ok(pattern.format(&organ.code, year, seq))
    }

    /// Files a catalogue item, generating its 索引号.
    pub async fn insert_item(&mut self, item: &NewCatalogueItem) -> Result<CatalogueItem> {
        item.validate().map_err(Error::Invalid)?;
        let organ = self
            .organ(item.organ_id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("机关（编号 {}）", item.organ_id)))?;
        let cat_organ: Option<i64> = on_tx!(self, c => sqlx::query_scalar(
            "SELECT organ_id FROM categories WHERE id = $1")
            .bind(item.category_id)
            .fetch_optional(c)
            .await)?;
        if cat_organ != Some(item.organ_id) {
            return Err(Error::Invalid(format!(
                "栏目（编号 {}）不属于{}的目录",
                item.category_id, organ.name
            )));
        }
        let year = item.index_year().expect("validated");
        let index_no = self.next_index_no(&organ, year).await?;
        let sql = format!(
            "INSERT INTO catalogue_items (organ_id, index_no, title, summary, category_id, \
             issuing_unit, written_on, published_on, doc_number, doc_kind, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING {ITEM_COLS}"
        );
        let row: ItemRow = on_tx!(self, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(item.organ_id)
            .bind(&index_no)
            .bind(item.title.trim())
            .bind(&item.summary)
            .bind(item.category_id)
            .bind(&item.issuing_unit)
            .bind(item.written_on)
            .bind(item.published_on)
            .bind(&item.doc_number)
            .bind(item.doc_kind.code())
            .bind(item.status.code())
            .fetch_one(c)
            .await)?;
        let mut out = item_from(row)?;
        for ch in &item.validity {
            self.add_validity_change(out.id, ch).await?;
        }
        out.validity = item.validity.clone();
        Ok(out)
    }

    pub async fn add_validity_change(&mut self, item_id: i64, ch: &ValidityChange) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "INSERT INTO validity_changes (item_id, changed_on, validity, note) VALUES ($1, $2, $3, $4)")
            .bind(item_id)
            .bind(ch.changed_on)
            .bind(ch.validity.code())
            .bind(&ch.note)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Moves an item through the back office's workflow; publishing sets 发布日期 when given.
    pub async fn set_item_status(
        &mut self,
        item_id: i64,
        status: ItemStatus,
        published_on: Option<NaiveDate>,
    ) -> Result<()> {
        let n = on_tx!(self, c => sqlx::query(
            "UPDATE catalogue_items SET status = $1, published_on = COALESCE($2, published_on) WHERE id = $3")
            .bind(status.code())
            .bind(published_on)
            .bind(item_id)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(Error::NotFound(format!("目录条目（编号 {item_id}）")));
        }
        Ok(())
    }

    /// An item as this transaction sees it (its state is checked and changed under one lock).
    pub async fn item(&mut self, item_id: i64) -> Result<Option<CatalogueItem>> {
        let sql = format!("SELECT {ITEM_COLS} FROM catalogue_items WHERE id = $1");
        let row: Option<ItemRow> = on_tx!(self, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(item_id).fetch_optional(c).await)?;
        let Some(row) = row else { return Ok(None) };
        let mut item = item_from(row)?;
        let rows: Vec<ValidityRow> = on_tx!(self, c => sqlx::query_as(
            "SELECT item_id, changed_on, validity, note FROM validity_changes WHERE item_id = $1 \
             ORDER BY changed_on, id")
            .bind(item_id)
            .fetch_all(c)
            .await)?;
        let mut out = BTreeMap::new();
        collect_validity(rows, &mut out)?;
        item.validity = out.remove(&item.id).unwrap_or_default();
        Ok(Some(item))
    }

    pub async fn delete_item(&mut self, item_id: i64) -> Result<()> {
        on_tx!(self, c => sqlx::query("DELETE FROM catalogue_items WHERE id = $1")
            .bind(item_id)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}

pub(crate) fn category_from(r: CategoryRow) -> Category {
    Category {
        id: r.id,
        organ_id: r.organ_id,
        parent_id: r.parent_id,
        name: r.name,
        description: r.description,
        position: r.position,
    }
}

// ---------------------------------------------------------------- Db: one-shot writes and reads

impl Db {
    /// Creates an organ and gives it a copy of the starting catalogue tree.
    pub async fn create_organ(
        &self,
        o: &NewOrgan,
        catalogue: Option<&CatalogueSeed>,
    ) -> Result<Organ> {
        let mut tx = self.begin().await?;
        let organ = tx.create_organ(o).await?;
        if let Some(seed) = catalogue {
            tx.seed_catalogue(organ.id, seed).await?;
        }
        tx.commit().await?;
        Ok(organ)
    }

    pub async fn organs(&self) -> Result<Vec<Organ>> {
        let sql = format!("SELECT {ORGAN_COLS} FROM organs ORDER BY id");
        let rows: Vec<OrganRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).fetch_all(p).await)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    pub async fn organ(&self, id: i64) -> Result<Option<Organ>> {
        let sql = format!("SELECT {ORGAN_COLS} FROM organs WHERE id = $1");
        let row: Option<OrganRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(p).await)?;
        Ok(row.map(Into::into))
    }

    /// Finds an organ by its code, full name or short name (as `--organ` is given).
    pub async fn find_organ(&self, key: &str) -> Result<Option<Organ>> {
        let key = key.trim();
        let sql = format!(
            "SELECT {ORGAN_COLS} FROM organs WHERE code = $1 OR name = $1 OR short_name = $1 ORDER BY id"
        );
        let rows: Vec<OrganRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(key).fetch_all(p).await)?;
        Ok(pick_organ(rows, key))
    }

    /// The units under an organ, all levels down, in creation order.
    /// The units under an organ, at any depth, by id. One recursive query: an instance may hold
    /// hundreds of organs, and every catalogue page asks.
    pub async fn units_of(&self, organ_id: i64) -> Result<Vec<Organ>> {
        let sql = format!(
            "WITH RECURSIVE sub(id) AS ( \
                 SELECT id FROM organs WHERE parent_id = $1 \
                 UNION SELECT o.id FROM organs o JOIN sub ON o.parent_id = sub.id) \
             SELECT {ORGAN_COLS} FROM organs WHERE id IN (SELECT id FROM sub) AND id <> $1 \
             ORDER BY id"
        );
        let rows: Vec<OrganRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(organ_id).fetch_all(p).await)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    pub async fn categories(&self, organ_id: i64) -> Result<Vec<Category>> {
        let rows: Vec<CategoryRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, organ_id, parent_id, name, description, position FROM categories \
             WHERE organ_id = $1 ORDER BY position, id")
            .bind(organ_id)
            .fetch_all(p)
            .await)?;
        Ok(rows.into_iter().map(category_from).collect())
    }

    pub async fn insert_item(&self, item: &NewCatalogueItem) -> Result<CatalogueItem> {
        let mut tx = self.begin().await?;
        let out = tx.insert_item(item).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub async fn delete_item(&self, item_id: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.delete_item(item_id).await?;
        tx.commit().await
    }

    pub async fn set_item_status(
        &self,
        item_id: i64,
        status: ItemStatus,
        published_on: Option<NaiveDate>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.set_item_status(item_id, status, published_on).await?;
        tx.commit().await
    }

    pub async fn add_validity_change(&self, item_id: i64, ch: &ValidityChange) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.add_validity_change(item_id, ch).await?;
        tx.commit().await
    }

    pub async fn item(&self, item_id: i64) -> Result<Option<CatalogueItem>> {
        let sql = format!("SELECT {ITEM_COLS} FROM catalogue_items WHERE id = $1");
        let row: Option<ItemRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(item_id).fetch_optional(p).await)?;
        let Some(row) = row else { return Ok(None) };
        let mut item = item_from(row)?;
        item.validity = self
            .validity_changes(&[item.id])
            .await?
            .remove(&item.id)
            .unwrap_or_default();
        Ok(Some(item))
    }

    /// The items of an organ, in 索引号 order, with their validity changes.
    pub async fn items(&self, organ_id: i64) -> Result<Vec<CatalogueItem>> {
        let sql = format!(
            "SELECT {ITEM_COLS} FROM catalogue_items WHERE organ_id = $1 ORDER BY index_no"
        );
        let rows: Vec<ItemRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(organ_id).fetch_all(p).await)?;
        let mut items = rows
            .into_iter()
            .map(item_from)
            .collect::<Result<Vec<_>>>()?;
        let mut changes = self.validity_changes_of_organ(organ_id).await?;
        for it in &mut items {
            it.validity = changes.remove(&it.id).unwrap_or_default();
        }
        Ok(items)
    }

    async fn validity_changes(&self, ids: &[i64]) -> Result<BTreeMap<i64, Vec<ValidityChange>>> {
        let mut out = BTreeMap::new();
        for id in ids {
            let rows: Vec<ValidityRow> = on_pool!(self, p => sqlx::query_as(
                "SELECT item_id, changed_on, validity, note FROM validity_changes WHERE item_id = $1 \
                 ORDER BY changed_on, id")
                .bind(id)
                .fetch_all(p)
                .await)?;
            collect_validity(rows, &mut out)?;
        }
        Ok(out)
    }

    async fn validity_changes_of_organ(
        &self,
        organ_id: i64,
    ) -> Result<BTreeMap<i64, Vec<ValidityChange>>> {
        let rows: Vec<ValidityRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT v.item_id, v.changed_on, v.validity, v.note FROM validity_changes v \
             JOIN catalogue_items i ON i.id = v.item_id WHERE i.organ_id = $1 \
             ORDER BY v.item_id, v.changed_on, v.id")
            .bind(organ_id)
            .fetch_all(p)
            .await)?;
        let mut out = BTreeMap::new();
        collect_validity(rows, &mut out)?;
        Ok(out)
    }
}

/// An exact code or full-name match wins; a short name must be unambiguous.
fn pick_organ(mut rows: Vec<OrganRow>, key: &str) -> Option<Organ> {
    match rows.iter().position(|r| r.code == key || r.name == key) {
        Some(i) => Some(rows.swap_remove(i).into()),
        None if rows.len() == 1 => rows.pop().map(Into::into),
        None => None,
    }
}

pub(crate) fn collect_validity(
    rows: Vec<ValidityRow>,
    out: &mut BTreeMap<i64, Vec<ValidityChange>>,
) -> Result<()> {
    for r in rows {
        let v = Validity::parse(&r.validity).ok_or_else(|| bad("有效性", &r.validity))?;
        out.entry(r.item_id).or_default().push(ValidityChange {
            changed_on: r.changed_on,
            validity: v,
            note: r.note,
        });
    }
    Ok(())
}
