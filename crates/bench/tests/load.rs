//! bench-data's loader on a real store: counts, the store's own readers accept every generated
//! row (applications parse, items feed the index), and 文号 are unique within an organ.

use gongkai_bench::{Plan, load};
use gongkai_search::{Index, Query, feed};
use gongkai_store::testing::TestDb;
use std::sync::Arc;

#[tokio::test]
async fn loads_a_small_province() {
    let t = TestDb::sqlite().await;
    let db = &t.db;
    let mut plan = Plan::for_items(3000);
    plan.batch = 700;
    plan.focus_applications = 50;
    let mut batches = Vec::new();
    let loaded = load(db, &plan, |n| batches.push(n)).await.unwrap();
    assert_eq!(batches, [700, 1400, 2100, 2800, 3000]);
    assert_eq!(loaded.items, 3000);
    assert_eq!(loaded.applications, 350);
    assert_eq!(db.feed_item_count().await.unwrap(), 3000);
    let organs = db.organs().await.unwrap();
    assert_eq!(organs.len(), loaded.organs);
    // The focus organ (the first department) has its extra applications, readable by the store.
    let focus = &organs[1];
    let apps = db.application_summaries(&[focus.id], 2023).await.unwrap();
    assert!(apps.len() >= 50, "{}", apps.len());
    // Every item feeds the index; a generated 文号 finds its document first.
    let dir = tempfile::tempdir().unwrap();
    let idx = Arc::new(Index::open_or_create(dir.path()).unwrap());
    let n = feed::rebuild(db, idx.clone(), |_, _| {}).await.unwrap();
    assert_eq!(n, 3000);
    let some = db.feed_items_after(0, 3000).await.unwrap();
    let numbered = some.iter().find(|i| !i.doc_number.is_empty()).unwrap();
    let dup = some
        .iter()
        .filter(|i| i.organ_id == numbered.organ_id && i.doc_number == numbered.doc_number)
        .count();
    assert_eq!(dup, 1);
    let r = idx
        .search(&Query::new(numbered.doc_number.clone()))
        .unwrap();
    assert_eq!(r.hits[0].id, format!("item:{}", numbered.id));
    let r = idx.search(&Query::new("最低生活保障")).unwrap();
    assert!(r.total > 0);
    drop(idx);
    t.cleanup().await;
}

/// The size of the load's transactions changes nothing but speed: a transaction per batch, one
/// every few batches (a batch of applications straddling a commit) and one for the whole load
/// write the same items, applications and letters.
#[tokio::test]
async fn rows_per_commit_changes_nothing_but_speed() {
    let mut dumps = Vec::new();
    for per_commit in [700, 2_000, 1_000_000] {
        let t = TestDb::sqlite().await;
        let db = &t.db;
        let mut plan = Plan::for_items(3000);
        plan.batch = 700;
        plan.focus_applications = 50;
        plan.rows_per_commit = per_commit;
        let mut batches = Vec::new();
        load(db, &plan, |n| batches.push(n)).await.unwrap();
        assert_eq!(batches, [700, 1400, 2100, 2800, 3000]);
        let items = db.feed_items_after(0, 10_000).await.unwrap();
        assert_eq!(items.len(), 3000);
        let mut apps = Vec::new();
        let mut letters = Vec::new();
        for o in db.organs().await.unwrap() {
            for year in 2019..=2024 {
                apps.extend(db.application_summaries(&[o.id], year).await.unwrap());
            }
            let (from, to) = (
                chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
                chrono::NaiveDate::from_ymd_opt(2100, 1, 1).unwrap(),
            );
            letters.extend(db.letters(o.id, from, to).await.unwrap());
        }
        assert!(apps.len() >= 350, "{}", apps.len());
        assert_eq!(letters.len(), 150);
        dumps.push((items, format!("{apps:?}"), letters));
        t.cleanup().await;
    }
    assert!(dumps[0] == dumps[1], "per batch vs every 2,000 rows");
    assert!(dumps[0] == dumps[2], "per batch vs one transaction");
}

// ------------------------------------------------------------ bulk path = ordinary path

use gongkai_bench::{Rng, create_organs, item, load_indexed};
use gongkai_domain::records::{DocKind, ItemStatus, NewCatalogueItem, Validity, ValidityChange};
use gongkai_store::Backend;
use gongkai_store::search_feed::BulkItem;

/// More items than one multi-row statement holds (1,000 rows), so chunking is exercised.
const ITEMS: u64 = 1_234;

fn generated(organs: &[gongkai_bench::GenOrgan]) -> Vec<BulkItem> {
    let mut rng = Rng::new(7);
    (0..ITEMS).map(|i| item(organs, i, &mut rng)).collect()
}

/// The same generated items filed one by one the ordinary way (as the back office does) and
/// in bulk give the same rows: every column but the 索引号 (the ordinary path numbers its own),
/// the same bodies and validity changes, the same rows for the index; and the documents the
/// bulk loader makes without reading back are those the store gives.
async fn bulk_rows_equal_ordinary_rows(backend: Backend) {
    let bulk = TestDb::new(backend).await;
    let ordinary = TestDb::new(backend).await;
    let plan = Plan::for_items(ITEMS);
    let organs = create_organs(&bulk.db, &plan).await.unwrap();
    let organs2 = create_organs(&ordinary.db, &plan).await.unwrap();
    assert_eq!(
        organs.iter().map(|o| o.id).collect::<Vec<_>>(),
        organs2.iter().map(|o| o.id).collect::<Vec<_>>()
    );
    let mut items = generated(&organs);
    assert!(items.iter().any(|i| i.validity.is_some()));
    // What COPY's text format must escape, and an empty column.
    items[0].body = "第一段\t制表\n第二段\r\n反斜杠\\N 与 \\\\".into();
    items[0].title.push('\\');
    items[0].issuing_unit.clear();

    // COPY on PostgreSQL (the INSERTs on SQLite): both paths give the rows filing gives.
    let mut tx = bulk.db.begin().await.unwrap();
    let ids = tx.bulk_items_by_copy(&items).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(ids.len(), items.len());

    let mut ordinary_ids = Vec::new();
    for it in &items {
        let mut tx = ordinary.db.begin().await.unwrap();
        let filed = tx
            .insert_item(&NewCatalogueItem {
                organ_id: it.organ_id,
                title: it.title.clone(),
                summary: it.summary.clone(),
                category_id: it.category_id,
                issuing_unit: it.issuing_unit.clone(),
                written_on: Some(it.written_on),
                published_on: Some(it.published_on),
                doc_number: it.doc_number.clone(),
                doc_kind: DocKind::parse(it.doc_kind).unwrap(),
                status: ItemStatus::Published,
                validity: it
                    .validity
                    .iter()
                    .map(|(code, on)| ValidityChange {
                        changed_on: *on,
                        validity: Validity::parse(code).unwrap(),
                        note: String::new(),
                    })
                    .collect(),
            })
            .await
            .unwrap();
        tx.commit().await.unwrap();
        ordinary.db.set_item_body(filed.id, &it.body).await.unwrap();
        ordinary_ids.push(filed.id);
    }
    // Both fresh databases number items alike, so rows can be compared by id.
    assert_eq!(ids, ordinary_ids);
    for (k, (&id, it)) in ids.iter().zip(&items).enumerate() {
        if k % 37 != 0 && it.validity.is_none() {
            continue; // a sample, and every item with a validity change
        }
        let mut a = bulk.db.item(id).await.unwrap().unwrap();
        let b = ordinary.db.item(id).await.unwrap().unwrap();
        assert_eq!(a.index_no, it.index_no);
        a.index_no = b.index_no.clone();
        assert_eq!(a, b);
        assert_eq!(
            bulk.db.item_body(id).await.unwrap(),
            ordinary.db.item_body(id).await.unwrap()
        );
    }
    let fed = bulk.db.feed_items_after(0, ITEMS as i64 + 1).await.unwrap();
    assert_eq!(
        fed,
        ordinary
            .db
            .feed_items_after(0, ITEMS as i64 + 1)
            .await
            .unwrap()
    );
    // What the loader hands the index without reading back is what the store returns.
    let names: std::collections::HashMap<i64, &str> =
        organs.iter().map(|o| (o.id, o.name.as_str())).collect();
    let cats: std::collections::HashMap<i64, &str> = organs
        .iter()
        .flat_map(|o| {
            o.categories
                .iter()
                .copied()
                .zip(o.category_names.iter().copied())
        })
        .collect();
    let made: Vec<_> = items
        .into_iter()
        .zip(&ids)
        .map(|(it, &id)| {
            let (o, c) = (names[&it.organ_id], cats[&it.category_id]);
            it.into_feed_item(id, o, c)
        })
        .collect();
    assert_eq!(made, fed);
    bulk.cleanup().await;
    ordinary.cleanup().await;
}

#[tokio::test]
async fn bulk_rows_equal_ordinary_rows_sqlite() {
    bulk_rows_equal_ordinary_rows(Backend::Sqlite).await;
}

#[tokio::test]
async fn bulk_rows_equal_ordinary_rows_postgres() {
    bulk_rows_equal_ordinary_rows(Backend::Postgres).await;
}

fn hits(idx: &Index, q: &str) -> (usize, Vec<String>) {
    let mut query = Query::new(q);
    query.limit = 50;
    let r = idx.search(&query).unwrap();
    (r.total, r.hits.into_iter().map(|h| h.id).collect())
}

/// Indexing while loading gives the index a rebuild from the store gives: the same number of
/// documents and the same hits in the same order.
async fn pipeline_index_equals_rebuild(backend: Backend) {
    let t = TestDb::new(backend).await;
    let mut plan = Plan::for_items(2_500);
    plan.batch = 600;
    let piped = tempfile::tempdir().unwrap();
    let rebuilt = tempfile::tempdir().unwrap();
    let a = Arc::new(Index::open_or_create(piped.path()).unwrap());
    let mut seen = Vec::new();
    let (loaded, n) = load_indexed(&t.db, &plan, a.clone(), |d| seen.push(d))
        .await
        .unwrap();
    assert_eq!(seen, [600, 1200, 1800, 2400, 2500]);
    assert_eq!((loaded.items, n), (2_500, 2_500));
    let b = Arc::new(Index::open_or_create(rebuilt.path()).unwrap());
    assert_eq!(feed::rebuild(&t.db, b.clone(), |_, _| {}).await.unwrap(), n);
    assert_eq!(a.len(), b.len());
    let numbered =
        t.db.feed_items_after(0, 100)
            .await
            .unwrap()
            .into_iter()
            .find(|i| !i.doc_number.is_empty())
            .unwrap();
    for q in [
        "最低生活保障",
        "民政",
        "教育体育局",
        "人民政府 通知",
        "\"专款专用\"",
        "公示",
        numbered.doc_number.as_str(),
    ] {
        let (total, ids) = hits(&a, q);
        assert!(total > 0, "{q}");
        assert_eq!((total, ids), hits(&b, q), "{q}");
    }
    drop((a, b));
    t.cleanup().await;
}

#[tokio::test]
async fn pipeline_index_equals_rebuild_sqlite() {
    pipeline_index_equals_rebuild(Backend::Sqlite).await;
}

#[tokio::test]
async fn pipeline_index_equals_rebuild_postgres() {
    pipeline_index_equals_rebuild(Backend::Postgres).await;
}

/// A rebuild dropped unfinished (the load failed half-way) leaves the index as it was.
#[tokio::test]
async fn unfinished_rebuild_leaves_the_index_as_it_was() {
    let t = TestDb::sqlite().await;
    let dir = tempfile::tempdir().unwrap();
    let idx = Arc::new(Index::open_or_create(dir.path()).unwrap());
    let plan = Plan::for_items(300);
    load_indexed(&t.db, &plan, idx.clone(), |_| {})
        .await
        .unwrap();
    let before = hits(&idx, "通知");
    assert_eq!(idx.len(), 300);
    let mut run = feed::Rebuild::start(&t.db, idx.clone(), |_| {})
        .await
        .unwrap();
    assert_eq!(run.queued(), 300);
    let extra = gongkai_search::Doc {
        id: "item:999999".into(),
        title: "不应出现的条目".into(),
        ..Default::default()
    };
    run.add(vec![extra]).await.unwrap();
    drop(run);
    // Any later write waits for the abandoned rebuild's writer to end.
    idx.delete("item:0").unwrap();
    assert_eq!(idx.len(), 300);
    assert_eq!(hits(&idx, "通知"), before);
    assert_eq!(idx.search(&Query::new("不应出现")).unwrap().total, 0);
    drop(idx);
    t.cleanup().await;
}
