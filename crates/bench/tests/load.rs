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
