//! The two busiest public pages, each in one statement (issue 19): an organ's catalogue and an
//! item.
//!
//! The catalogue page shows the organ, its units, its catalogue tree, the years it published
//! in, one page of items with their validity changes, and how many items the filter matches;
//! the item page the item, its organ, body, attachments, interpretations or the policies it
//! interprets. Read as seven or eight statements, an uncached page spent most of its time
//! handing statements and rows between the async workers and sqlx's SQLite thread, not in
//! SQLite. Here the database builds the whole page as one JSON document — one statement, one
//! row — and Rust decodes it.
//!
//! The JSON is arrays of columns in the order of the `*_COLS` lists; aggregates say nothing of
//! order, so the decoder sorts every list the way the separate queries ordered it.

use crate::portal::AttachmentInfo;
use crate::published::{PublishedQuery, year_of, years_cte};
use crate::records::{
    CategoryRow, ITEM_COLS, ItemRow, ORGAN_COLS, OrganRow, ValidityRow, category_from,
    collect_validity, item_from,
};
use crate::{Backend, Db, Error, Result, on_pool};
use chrono::NaiveDate;
use gongkai_domain::records::{CatalogueItem, Category, Organ};
use serde::Deserialize;
use std::collections::BTreeMap;

/// What the public catalogue page of an organ shows.
#[derive(Debug, Clone)]
pub struct CatalogueListing {
    pub organ: Organ,
    /// Its units at any depth, by id.
    pub units: Vec<Organ>,
    /// Its catalogue tree, by position then id.
    pub categories: Vec<Category>,
    /// The years in which it published anything, newest first.
    pub years: Vec<i32>,
    /// The page of items asked for, newest first, with their validity changes.
    pub items: Vec<CatalogueItem>,
    /// How many published items the filter matches.
    pub total: u64,
}

type OrganJson = (i64, String, String, String, String, Option<i64>, String);
type CategoryJson = (i64, i64, Option<i64>, String, String, i32);
/// An item as the database writes it: the JSON array of `ITEM_COLS`. Serde reads a struct from an
/// array field by field in declaration order, so the fields follow `ITEM_COLS`' order (the test
/// `item_json_follows_item_cols` reads the same item as an array and as an object named by
/// `ITEM_COLS` and fails when they part).
#[derive(Debug, Deserialize, PartialEq)]
struct ItemJson {
    id: i64,
    organ_id: i64,
    index_no: String,
    title: String,
    summary: String,
    category_id: i64,
    issuing_unit: String,
    written_on: Option<String>,
    published_on: Option<String>,
    doc_number: String,
    doc_kind: String,
    status: String,
}
/// `(id, item_id, changed_on, validity, note)`.
type ValidityJson = (i64, i64, String, String, String);

#[derive(Deserialize)]
struct ListingJson {
    organ: Option<OrganJson>,
    units: Vec<OrganJson>,
    categories: Vec<CategoryJson>,
    years: Vec<i64>,
    total: i64,
    items: Vec<ItemJson>,
    validity: Vec<ValidityJson>,
}

fn date(s: &str) -> Result<NaiveDate> {
    // SQLite keeps dates as `YYYY-MM-DD` text; PostgreSQL's JSON writes a DATE the same way.
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
        .map_err(|_| Error::Invalid(format!("数据库中的日期“{s}”无法识别")))
}

fn item(i: ItemJson) -> Result<CatalogueItem> {
    item_from(ItemRow {
        id: i.id,
        organ_id: i.organ_id,
        index_no: i.index_no,
        title: i.title,
        summary: i.summary,
        category_id: i.category_id,
        issuing_unit: i.issuing_unit,
        written_on: i.written_on.as_deref().map(date).transpose()?,
        published_on: i.published_on.as_deref().map(date).transpose()?,
        doc_number: i.doc_number,
        doc_kind: i.doc_kind,
        status: i.status,
    })
}

/// Items with their validity changes, in the order given.
fn decode_items(
    items: Vec<ItemJson>,
    mut validity: Vec<ValidityJson>,
) -> Result<Vec<CatalogueItem>> {
    let mut items = items.into_iter().map(item).collect::<Result<Vec<_>>>()?;
    validity.sort_by(|a, b| (a.1, &a.2, a.0).cmp(&(b.1, &b.2, b.0)));
    let mut rows = Vec::with_capacity(validity.len());
    for (_, item_id, changed_on, v, note) in validity {
        rows.push(ValidityRow {
            item_id,
            changed_on: date(&changed_on)?,
            validity: v,
            note,
        });
    }
    let mut by_item = BTreeMap::new();
    collect_validity(rows, &mut by_item)?;
    for it in &mut items {
        it.validity = by_item.remove(&it.id).unwrap_or_default();
    }
    Ok(items)
}

fn categories(cs: Vec<CategoryJson>) -> Vec<Category> {
    let mut out: Vec<Category> = cs
        .into_iter()
        .map(|(id, organ_id, parent_id, name, description, position)| {
            category_from(CategoryRow {
                id,
                organ_id,
                parent_id,
                name,
                description,
                position,
            })
        })
        .collect();
    out.sort_by_key(|c| (c.organ_id, c.position, c.id));
    out
}

fn organ(o: OrganJson) -> Organ {
    let (id, code, name, short_name, kind, parent_id, index_pattern) = o;
    OrganRow {
        id,
        code,
        name,
        short_name,
        kind,
        parent_id,
        index_pattern,
    }
    .into()
}

/// How each backend writes JSON in SQL.
struct Json {
    backend: Backend,
    /// The function making an object of key/value pairs, one making an array, the aggregate
    /// making an array of rows, and what turns the result into text.
    obj: &'static str,
    arr: &'static str,
    agg: &'static str,
    tail: &'static str,
}

impl Json {
    fn of(backend: Backend) -> Json {
        match backend {
            Backend::Sqlite => Json {
                backend,
                obj: "json_object",
                arr: "json_array",
                agg: "json_group_array",
                tail: "",
            },
            Backend::Postgres => Json {
                backend,
                obj: "json_build_object",
                arr: "json_build_array",
                agg: "json_agg",
                tail: "::text",
            },
        }
    }

    /// A subquery giving a JSON array (an empty one when it has no rows). SQLite drops a
    /// value's JSON subtype when it leaves a subquery: json() gives it back, so the parts nest
    /// as JSON and not as strings.
    fn list(&self, select: &str) -> String {
        match self.backend {
            Backend::Sqlite => format!("json(({select}))"),
            Backend::Postgres => format!("COALESCE(({select}), '[]'::json)"),
        }
    }

    /// A subquery giving one JSON value or null.
    fn one(&self, select: &str) -> String {
        match self.backend {
            Backend::Sqlite => format!("json(({select}))"),
            Backend::Postgres => format!("({select})"),
        }
    }
}

/// The SQL of [`Db::catalogue_listing`]. Placeholders: `$1`, `$2` the bounds of the filter's
/// year, `$3` the organ, `$4`, `$5` the widest bounds (for the years).
fn listing_sql(
    backend: Backend,
    q: &PublishedQuery<'_>,
    organ_id: i64,
    offset: u64,
    limit: u64,
) -> String {
    let j = Json::of(backend);
    let (obj, arr, agg, tail) = (j.obj, j.arr, j.agg, j.tail);
    let organs_of = PublishedQuery {
        organs: std::slice::from_ref(&organ_id),
        ..Default::default()
    };
    let w = q.where_clause();
    let years = years_cte(backend, &organs_of, "$4", "$5");
    let year_of = year_of(backend);
    let organ = j.one(&format!(
        "SELECT {arr}({ORGAN_COLS}) FROM organs WHERE id = $3"
    ));
    let units = j.list(&format!(
        "SELECT {agg}({arr}({ORGAN_COLS})) FROM organs WHERE id IN (SELECT id FROM sub) AND id <> $3"
    ));
    let categories = j.list(&format!(
        "SELECT {agg}({arr}(id, organ_id, parent_id, name, description, position)) \
         FROM categories WHERE organ_id = $3"
    ));
    let year_list = j.list(&format!(
        "SELECT {agg}({year_of}) FROM y WHERE v IS NOT NULL"
    ));
    let items = j.list(&format!("SELECT {agg}({arr}({ITEM_COLS})) FROM pg"));
    let validity = j.list(&format!(
        "SELECT {agg}({arr}(id, item_id, changed_on, validity, note)) FROM validity_changes \
         WHERE item_id IN (SELECT id FROM pg)"
    ));
    format!(
        "WITH RECURSIVE {years}, \
         sub(id) AS (SELECT id FROM organs WHERE parent_id = $3 \
                     UNION SELECT o.id FROM organs o JOIN sub ON o.parent_id = sub.id), \
         pg AS (SELECT {ITEM_COLS} FROM catalogue_items WHERE {w} \
                ORDER BY published_on DESC, id DESC LIMIT {limit} OFFSET {offset}) \
         SELECT {obj}('organ', {organ}, 'units', {units}, 'categories', {categories}, \
                      'years', {year_list}, \
                      'total', (SELECT COUNT(*) FROM catalogue_items WHERE {w}), \
                      'items', {items}, 'validity', {validity}){tail}",
        limit = limit.min(i64::MAX as u64),
        offset = offset.min(i64::MAX as u64),
    )
}

impl Db {
    /// The public catalogue page of `organ_id` in one statement: `q` filters the items (its
    /// organs must be just `organ_id`), `offset` and `limit` choose the page. `None` when there
    /// is no such organ.
    pub async fn catalogue_listing(
        &self,
        organ_id: i64,
        q: &PublishedQuery<'_>,
        offset: u64,
        limit: u64,
    ) -> Result<Option<CatalogueListing>> {
        debug_assert!(
            q.organs == [organ_id],
            "a listing is of one organ's own items"
        );
        let sql = listing_sql(self.backend(), q, organ_id, offset, limit);
        let (from, to) = q.bounds();
        let (lo, hi) = PublishedQuery::default().bounds();
        let json: String = on_pool!(self, p => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(from).bind(to).bind(organ_id).bind(lo).bind(hi).fetch_one(p).await)?;
        let j: ListingJson = serde_json::from_str(&json)
            .map_err(|e| Error::Invalid(format!("目录页数据无法解析：{e}")))?;
        let Some(o) = j.organ else {
            return Ok(None);
        };
        let mut units: Vec<Organ> = j.units.into_iter().map(organ).collect();
        units.sort_by_key(|u| u.id);
        let categories = categories(j.categories);
        let mut items = decode_items(j.items, j.validity)?;
        items.sort_by_key(|i| std::cmp::Reverse((i.published_on, i.id)));
        let mut years: Vec<i32> = j.years.into_iter().map(|y| y as i32).collect();
        years.sort_unstable_by_key(|&y| std::cmp::Reverse(y));
        years.dedup();
        Ok(Some(CatalogueListing {
            organ: organ(o),
            units,
            categories,
            years,
            items,
            total: j.total.max(0) as u64,
        }))
    }
}

/// What the public page of a published item shows.
#[derive(Debug, Clone)]
pub struct ItemPage {
    pub item: CatalogueItem,
    pub organ: Organ,
    /// The catalogue trees of the item's organ and of the organs of its related items.
    pub categories: Vec<Category>,
    pub body: String,
    pub attachments: Vec<AttachmentInfo>,
    /// Its published interpretations (解读), by id.
    pub interpretations: Vec<CatalogueItem>,
    /// The published policies it interprets, by id.
    pub policies: Vec<CatalogueItem>,
}

type AttachmentJson = (i64, i64, String, String);

#[derive(Deserialize)]
struct ItemPageJson {
    item: Option<ItemJson>,
    organ: Option<OrganJson>,
    categories: Vec<CategoryJson>,
    body: Option<String>,
    attachments: Vec<AttachmentJson>,
    /// `("i" | "p", item)`: an interpretation of the item or a policy it interprets.
    related: Vec<(String, ItemJson)>,
    validity: Vec<ValidityJson>,
}

/// The SQL of [`Db::item_page`]; `$1` is the item. The related items are found from the links
/// (`rel`, a handful of rows) to the items: `CROSS JOIN` keeps that order on SQLite, whose
/// planner otherwise may walk the million published items and probe the links (150 ms a page
/// at 1M items); PostgreSQL plans it as the inner join it is.
fn item_page_sql(backend: Backend) -> String {
    let j = Json::of(backend);
    let (obj, arr, agg, tail) = (j.obj, j.arr, j.agg, j.tail);
    let related_cols = ITEM_COLS
        .split(',')
        .map(|c| format!("c.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let item = j.one(&format!("SELECT {arr}({ITEM_COLS}) FROM it"));
    let organ = j.one(&format!(
        "SELECT {arr}({ORGAN_COLS}) FROM organs WHERE id IN (SELECT organ_id FROM it)"
    ));
    let categories = j.list(&format!(
        "SELECT {agg}({arr}(id, organ_id, parent_id, name, description, position)) \
         FROM categories WHERE organ_id IN (SELECT organ_id FROM it UNION SELECT organ_id FROM ri)"
    ));
    let attachments = j.list(&format!(
        "SELECT {agg}({arr}(id, item_id, filename, content_type)) FROM item_attachments \
         WHERE item_id IN (SELECT id FROM it)"
    ));
    let related = j.list(&format!(
        "SELECT {agg}({arr}(k, {arr}({ITEM_COLS}))) FROM ri"
    ));
    let validity = j.list(&format!(
        "SELECT {agg}({arr}(id, item_id, changed_on, validity, note)) FROM validity_changes \
         WHERE item_id IN (SELECT id FROM it UNION SELECT id FROM ri)"
    ));
    format!(
        "WITH it AS (SELECT {ITEM_COLS} FROM catalogue_items WHERE id = $1 AND status = 'published'), \
         rel(k, id) AS (SELECT 'i', interpretation_id FROM item_interpretations WHERE policy_id = $1 \
                        UNION ALL \
                        SELECT 'p', policy_id FROM item_interpretations WHERE interpretation_id = $1), \
         ri AS (SELECT rel.k, {related_cols} FROM rel CROSS JOIN catalogue_items c \
                WHERE c.id = rel.id AND c.status = 'published') \
         SELECT {obj}('item', {item}, 'organ', {organ}, 'categories', {categories}, \
                      'body', (SELECT body FROM item_bodies WHERE item_id IN (SELECT id FROM it)), \
                      'attachments', {attachments}, 'related', {related}, \
                      'validity', {validity}){tail}"
    )
}

impl Db {
    /// The public page of item `id` in one statement; `None` unless the item is published.
    pub async fn item_page(&self, id: i64) -> Result<Option<ItemPage>> {
        let sql = item_page_sql(self.backend());
        let json: String = on_pool!(self, p => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(id).fetch_one(p).await)?;
        let j: ItemPageJson = serde_json::from_str(&json)
            .map_err(|e| Error::Invalid(format!("信息页数据无法解析：{e}")))?;
        let (Some(it), Some(o)) = (j.item, j.organ) else {
            return Ok(None);
        };
        let mut kinds = Vec::with_capacity(j.related.len() + 1);
        let mut rows = vec![it];
        for (k, r) in j.related {
            kinds.push(k);
            rows.push(r);
        }
        let mut items = decode_items(rows, j.validity)?.into_iter();
        let item = items
            .next()
            .ok_or_else(|| Error::Invalid("信息页数据缺少信息".into()))?;
        let (mut interpretations, mut policies) = (Vec::new(), Vec::new());
        for (k, r) in kinds.into_iter().zip(items) {
            if k == "i" {
                interpretations.push(r);
            } else {
                policies.push(r);
            }
        }
        interpretations.sort_by_key(|i| i.id);
        policies.sort_by_key(|i| i.id);
        let mut attachments: Vec<AttachmentInfo> = j
            .attachments
            .into_iter()
            .map(|(id, item_id, filename, content_type)| AttachmentInfo {
                id,
                item_id,
                filename,
                content_type,
            })
            .collect();
        attachments.sort_by_key(|a| a.id);
        Ok(Some(ItemPage {
            item,
            organ: organ(o),
            categories: categories(j.categories),
            body: j.body.unwrap_or_default(),
            attachments,
            interpretations,
            policies,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_json_follows_item_cols() {
        let names: Vec<&str> = ITEM_COLS.split(',').map(str::trim).collect();
        let values: Vec<serde_json::Value> = names
            .iter()
            .enumerate()
            .map(|(i, n)| match *n {
                "id" | "organ_id" | "category_id" => serde_json::json!(i as i64 + 1),
                _ => serde_json::json!(format!("{n}-{i}")),
            })
            .collect();
        let by_position: ItemJson =
            serde_json::from_value(serde_json::Value::Array(values.clone())).unwrap();
        let by_name: ItemJson = serde_json::from_value(serde_json::Value::Object(
            names.iter().map(|n| n.to_string()).zip(values).collect(),
        ))
        .unwrap();
        assert_eq!(by_position, by_name);
    }
}
