//! From the store to the index, on SQLite and PostgreSQL: a rebuild finds published items (with
//! their body and attachment text) and public letter replies, never drafts, private replies or
//! the writer's contact; publication and withdrawal keep the index current.

use chrono::NaiveDate;
use gongkai_domain::records::*;
use gongkai_domain::report::OrganKind;
use gongkai_search::{Index, Kind, Query, feed};
use gongkai_store::testing::TestDb;
use gongkai_store::{Backend, Db};
use std::sync::Arc;

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

async fn organ(db: &Db, code: &str, name: &str, parent: Option<i64>) -> i64 {
    db.create_organ(
        &NewOrgan {
            code: code.into(),
            name: name.into(),
            short_name: String::new(),
            kind: OrganKind::Department,
            parent_id: parent,
            index_pattern: "{code}/{year}-{seq:05}".into(),
        },
        None,
    )
    .await
    .unwrap()
    .id
}

async fn item(db: &Db, organ_id: i64, cat: i64, title: &str, status: ItemStatus) -> i64 {
    db.insert_item(&NewCatalogueItem {
        organ_id,
        title: title.into(),
        summary: String::new(),
        category_id: cat,
        issuing_unit: String::new(),
        written_on: date(2021, 3, 1),
        published_on: (status == ItemStatus::Published).then(|| date(2021, 3, 2).unwrap()),
        doc_number: String::new(),
        doc_kind: DocKind::Other,
        status,
        validity: vec![],
    })
    .await
    .unwrap()
    .id
}

fn titles(idx: &Index, q: &str) -> Vec<String> {
    idx.search(&Query {
        limit: 50,
        ..Query::new(q)
    })
    .unwrap()
    .hits
    .into_iter()
    .map(|h| h.title)
    .collect()
}

async fn suite(backend: Backend) {
    let t = TestDb::new(backend).await;
    let db = &t.db;
    let gov = organ(db, "640181", "灵武市人民政府", None).await;
    let civ = organ(db, "640181-mz", "灵武市民政局", Some(gov)).await;
    let cat = {
        let mut tx = db.begin().await.unwrap();
        let c = tx
            .insert_category(civ, None, "社会救助", "", 0)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        c
    };
    let published = item(
        db,
        civ,
        cat,
        "关于调整最低生活保障标准的通知",
        ItemStatus::Published,
    )
    .await;
    db.set_item_body(published, "城市低保标准调整为每人每月680元。")
        .await
        .unwrap();
    db.add_attachment(
        published,
        "附件.html",
        "text/html",
        "<html><body><p>临时救助审批流程图</p></body></html>".as_bytes(),
    )
    .await
    .unwrap();
    let draft = item(db, civ, cat, "草稿：养老服务补贴方案", ItemStatus::Draft).await;
    let channel = db.letter_channels().await.unwrap()[0].id;
    let public = db
        .insert_portal_letter(
            civ,
            channel,
            date(2022, 1, 5).unwrap(),
            "低保怎么申请",
            "请问低保怎么申请？",
            "王某",
            "13900000000",
            "Q1",
        )
        .await
        .unwrap();
    db.reply_letter(
        public,
        "向乡镇人民政府提出申请。",
        date(2022, 1, 8).unwrap(),
        true,
    )
    .await
    .unwrap();
    let private = db
        .insert_portal_letter(
            civ,
            channel,
            date(2022, 1, 6).unwrap(),
            "家里困难求助",
            "我家住在某某小区",
            "李某",
            "13800000000",
            "Q2",
        )
        .await
        .unwrap();
    db.reply_letter(private, "已转乡镇核实。", date(2022, 1, 9).unwrap(), false)
        .await
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let idx = Arc::new(Index::open_or_create(dir.path()).unwrap());
    let seen = Arc::new(std::sync::Mutex::new((0, 0)));
    let s2 = seen.clone();
    let n = feed::rebuild(db, idx.clone(), move |done, total| {
        *s2.lock().unwrap() = (done, total)
    })
    .await
    .unwrap();
    assert_eq!(n, 2, "one published item and one public letter");
    assert_eq!(*seen.lock().unwrap(), (2, 2));

    assert_eq!(
        titles(&idx, "最低生活保障"),
        ["关于调整最低生活保障标准的通知"]
    );
    // Attachment text is searchable; the body too.
    assert_eq!(
        titles(&idx, "审批流程图"),
        ["关于调整最低生活保障标准的通知"]
    );
    assert_eq!(titles(&idx, "680元").len(), 1);
    // Drafts and private replies are not in the index, nor the writer's contact.
    assert!(titles(&idx, "养老服务").is_empty());
    assert!(titles(&idx, "核实").is_empty());
    assert!(titles(&idx, "13900000000").is_empty());
    assert!(titles(&idx, "王某").is_empty());
    let letter = idx.search(&Query::new("低保 申请")).unwrap();
    let l = letter.hits.iter().find(|h| h.kind == Kind::Letter).unwrap();
    assert_eq!(l.url, format!("/o/{civ}/letters"));
    // The government's filter takes in its bureau's items.
    let mut q = Query::new("低保");
    q.filters.organ_id = Some(gov);
    assert_eq!(idx.search(&q).unwrap().total, 2);

    // Publication and withdrawal.
    db.set_item_status(draft, ItemStatus::Published, date(2022, 2, 1))
        .await
        .unwrap();
    feed::sync_item(db, &idx, draft).await.unwrap();
    assert_eq!(titles(&idx, "养老服务"), ["草稿：养老服务补贴方案"]);
    db.set_item_status(published, ItemStatus::Withdrawn, None)
        .await
        .unwrap();
    feed::sync_item(db, &idx, published).await.unwrap();
    assert!(titles(&idx, "最低生活保障").is_empty());
    // A letter whose reply is made private again leaves the index.
    db.reply_letter(
        public,
        "向乡镇人民政府提出申请。",
        date(2022, 1, 8).unwrap(),
        false,
    )
    .await
    .unwrap();
    feed::sync_letter(db, &idx, public).await.unwrap();
    assert!(titles(&idx, "低保怎么申请").is_empty());
    drop(idx);
    t.cleanup().await;
}

#[tokio::test]
async fn store_to_index_sqlite() {
    suite(Backend::Sqlite).await;
}

#[tokio::test]
async fn store_to_index_postgres() {
    suite(Backend::Postgres).await;
}
