//! The repository suite of the records, run on SQLite and on PostgreSQL: every test is a generic
//! `async fn(Db)` called once per backend by `both!`. The PostgreSQL run fails when the server is
//! unreachable; it never skips.

use chrono::NaiveDate;
use gongkai_domain::records::*;
use gongkai_domain::report::OrganKind;
use gongkai_store::Db;
use gongkai_store::testing::TestDb;

macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let t = gongkai_store::testing::TestDb::new(gongkai_store::Backend::Sqlite).await;
                super::$name(t.db.clone()).await;
                t.cleanup().await;
            }
            #[tokio::test]
            async fn postgres() {
                let t = gongkai_store::testing::TestDb::new(gongkai_store::Backend::Postgres).await;
                super::$name(t.db.clone()).await;
                t.cleanup().await;
            }
        }
    };
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn bureau() -> NewOrgan {
    NewOrgan {
        code: "11640181MB1234567X".into(),
        name: "灵武市教育体育局".into(),
        short_name: "灵武市教体局".into(),
        kind: OrganKind::Department,
        parent_id: None,
        index_pattern: DEFAULT_INDEX_PATTERN.into(),
    }
}

fn item(organ_id: i64, category_id: i64, title: &str, published: &str) -> NewCatalogueItem {
    NewCatalogueItem {
        organ_id,
        title: title.into(),
        summary: String::new(),
        category_id,
        issuing_unit: "灵武市教育体育局".into(),
        written_on: Some(d(published)),
        published_on: Some(d(published)),
        doc_number: String::new(),
        doc_kind: DocKind::Other,
        status: ItemStatus::Published,
        validity: vec![],
    }
}

both!(organs_units_and_catalogue);
async fn organs_units_and_catalogue(db: Db) {
    let seed = CatalogueSeed::education();
    let b = db.create_organ(&bureau(), Some(&seed)).await.unwrap();
    let school = db
        .create_organ(
            &NewOrgan {
                code: "52640181MJX000001A".into(),
                name: "灵武市第四小学".into(),
                short_name: "第四小学".into(),
                kind: OrganKind::Department,
                parent_id: Some(b.id),
                index_pattern: "LWSX/{year}-{seq:04}".into(),
            },
            Some(&seed),
        )
        .await
        .unwrap();
    assert_eq!(
        db.find_organ("灵武市教育体育局").await.unwrap().unwrap().id,
        b.id
    );
    assert_eq!(
        db.find_organ("11640181MB1234567X")
            .await
            .unwrap()
            .unwrap()
            .id,
        b.id
    );
    assert_eq!(
        db.find_organ("第四小学").await.unwrap().unwrap().id,
        school.id
    );
    assert!(db.find_organ("不存在的机关").await.unwrap().is_none());
    let units = db.units_of(b.id).await.unwrap();
    assert_eq!(
        units.iter().map(|u| u.id).collect::<Vec<_>>(),
        vec![school.id]
    );
    assert!(db.units_of(school.id).await.unwrap().is_empty());

    // The same code twice is refused by the database.
    assert!(db.create_organ(&bureau(), None).await.is_err());

    let cats = db.categories(b.id).await.unwrap();
    assert_eq!(
        cats.iter().filter(|c| c.parent_id.is_none()).count(),
        seed.categories.len()
    );
    let art20 = find_category(&cats, "法定主动公开内容").unwrap();
    assert_eq!(
        cats.iter()
            .filter(|c| c.parent_id == Some(art20.id))
            .count(),
        15
    );
    assert!(find_category(&cats, "部门文件").is_some());
    assert!(find_category(&cats, "不存在的栏目").is_none());
}

both!(index_numbers_are_unique_and_never_reused);
async fn index_numbers_are_unique_and_never_reused(db: Db) {
    let b = db
        .create_organ(&bureau(), Some(&CatalogueSeed::education()))
        .await
        .unwrap();
    let cats = db.categories(b.id).await.unwrap();
    let cat = find_category(&cats, "公示公告").unwrap().id;
    let a = db
        .insert_item(&item(b.id, cat, "一", "2020-03-01"))
        .await
        .unwrap();
    let x = db
        .insert_item(&item(b.id, cat, "二", "2020-03-02"))
        .await
        .unwrap();
    assert_eq!(a.index_no, "11640181MB1234567X/2020-00001");
    assert_eq!(x.index_no, "11640181MB1234567X/2020-00002");
    db.delete_item(x.id).await.unwrap();
    let y = db
        .insert_item(&item(b.id, cat, "三", "2020-04-01"))
        .await
        .unwrap();
    assert_eq!(
        y.index_no, "11640181MB1234567X/2020-00003",
        "a deleted number is not reused"
    );
    let z = db
        .insert_item(&item(b.id, cat, "四", "2021-01-05"))
        .await
        .unwrap();
    assert_eq!(
        z.index_no, "11640181MB1234567X/2021-00001",
        "the sequence restarts per year"
    );
    let items = db.items(b.id).await.unwrap();
    assert_eq!(items.len(), 3);
    // A category of another organ is refused.
    let other = db
        .create_organ(
            &NewOrgan {
                code: "X2".into(),
                name: "另一机关".into(),
                ..bureau()
            },
            Some(&CatalogueSeed::education()),
        )
        .await
        .unwrap();
    let other_cat = db.categories(other.id).await.unwrap()[0].id;
    assert!(
        db.insert_item(&item(b.id, other_cat, "五", "2020-05-01"))
            .await
            .is_err()
    );
}

both!(failed_transaction_leaves_nothing);
async fn failed_transaction_leaves_nothing(db: Db) {
    let before = db.record_counts().await.unwrap();
    let mut tx = db.begin().await.unwrap();
    let o = tx.create_organ(&bureau()).await.unwrap();
    tx.insert_matter(
        o.id,
        MatterKind::Licensing,
        "教师资格认定",
        d("2019-01-01"),
        None,
    )
    .await
    .unwrap();
    drop(tx); // rolled back
    assert_eq!(db.record_counts().await.unwrap(), before);
    assert!(db.find_organ("灵武市教育体育局").await.unwrap().is_none());
}

#[tokio::test]
#[should_panic(expected = "PostgreSQL is unreachable")]
async fn postgres_helper_fails_when_the_server_is_unreachable() {
    // Port 1 has no server: the helper must fail the test rather than skip it.
    TestDb::postgres_on("postgres://postgres@127.0.0.1:1/postgres".into()).await;
}
