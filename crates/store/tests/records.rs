//! The repository suite of the records, run on SQLite and on PostgreSQL: every test is a generic
//! `async fn(Db)` called once per backend by `both!`. The PostgreSQL run fails when the server is
//! unreachable; it never skips.

use chrono::NaiveDate;
use gongkai_domain::records::*;
use gongkai_domain::report::OrganKind;
use gongkai_store::Db;
use gongkai_store::testing::TestDb;

use gongkai_store::both;

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

both!(bulk_transaction_commits_or_leaves_nothing);
async fn bulk_transaction_commits_or_leaves_nothing(db: Db) {
    let before = db.record_counts().await.unwrap();
    let mut tx = db.begin_bulk().await.unwrap();
    tx.create_organ(&bureau()).await.unwrap();
    drop(tx); // rolled back
    assert_eq!(db.record_counts().await.unwrap(), before);
    let mut tx = db.begin_bulk().await.unwrap();
    let o = tx.create_organ(&bureau()).await.unwrap();
    tx.commit_bulk().await.unwrap();
    assert_eq!(db.find_organ("灵武市教育体育局").await.unwrap(), Some(o));
}

/// A bulk load's connection has a wide page cache while its transaction is open and the
/// ordinary one again once it has committed, whichever pooled connection served it.
#[tokio::test]
async fn bulk_transaction_widens_the_sqlite_cache_only_while_open() {
    let t = TestDb::sqlite().await;
    let Db::Sqlite(pool) = &t.db else {
        unreachable!()
    };
    async fn cache_size(c: &mut sqlx::SqliteConnection) -> i64 {
        sqlx::query_scalar("PRAGMA cache_size")
            .fetch_one(c)
            .await
            .unwrap()
    }
    let mut tx = t.db.begin_bulk().await.unwrap();
    let gongkai_store::Tx::Sqlite(inner) = &mut tx else {
        unreachable!()
    };
    assert_eq!(cache_size(inner).await, -524_288);
    tx.create_organ(&bureau()).await.unwrap();
    tx.commit_bulk().await.unwrap();
    // Hold every connection the pool has at once: none keeps the wide cache.
    let mut held = Vec::new();
    for _ in 0..pool.size() {
        held.push(pool.acquire().await.unwrap());
    }
    for c in &mut held {
        assert_eq!(cache_size(c).await, -32_768);
    }
    drop(held);
    assert!(t.db.find_organ("灵武市教育体育局").await.unwrap().is_some());
    t.cleanup().await;
}

#[tokio::test]
#[should_panic(expected = "PostgreSQL is unreachable")]
async fn postgres_helper_fails_when_the_server_is_unreachable() {
    // Port 1 has no server: the helper must fail the test rather than skip it.
    TestDb::postgres_on("postgres://postgres@127.0.0.1:1/postgres".into()).await;
}

both!(registers_cases_letters_and_texts);
async fn registers_cases_letters_and_texts(db: Db) {
    let b = db
        .create_organ(&bureau(), Some(&CatalogueSeed::education()))
        .await
        .unwrap();
    let mut tx = db.begin().await.unwrap();
    let lic = tx
        .insert_matter(
            b.id,
            MatterKind::Licensing,
            "教师资格认定",
            d("2019-01-01"),
            None,
        )
        .await
        .unwrap();
    let fee = tx
        .insert_matter(
            b.id,
            MatterKind::Fee,
            "场馆使用费",
            d("2021-01-01"),
            Some(d("2022-07-01")),
        )
        .await
        .unwrap();
    // A matter that leaves the list before it entered it is refused.
    assert!(
        tx.insert_matter(
            b.id,
            MatterKind::Penalty,
            "x",
            d("2021-01-01"),
            Some(d("2020-01-01"))
        )
        .await
        .is_err()
    );
    tx.insert_decision(lic, d("2020-12-31"), "许1号", "")
        .await
        .unwrap();
    tx.insert_decision(lic, d("2021-01-01"), "许2号", "甲公司")
        .await
        .unwrap();
    tx.insert_fee(fee, d("2021-05-05"), 12_345, "")
        .await
        .unwrap();
    assert!(tx.insert_fee(fee, d("2021-05-05"), -1, "").await.is_err());
    tx.insert_procurement(b.id, "课桌椅", d("2021-03-03"), 3_600_000_000)
        .await
        .unwrap();
    let open = tx
        .insert_case(
            b.id,
            CaseKind::SuitDirect,
            "诉1号",
            d("2021-10-01"),
            "A-7",
            None,
        )
        .await
        .unwrap();
    tx.insert_case(
        b.id,
        CaseKind::Review,
        "复1号",
        d("2021-02-01"),
        "A-3",
        Some((CaseOutcome::Corrected, d("2021-04-01"))),
    )
    .await
    .unwrap();
    assert!(
        tx.insert_case(
            b.id,
            CaseKind::Review,
            "复2号",
            d("2021-02-01"),
            "",
            Some((CaseOutcome::Upheld, d("2021-01-01")))
        )
        .await
        .is_err(),
        "decided before filed"
    );
    let ch = tx.add_letter_channel("家长来信", "家长来信").await.unwrap();
    assert_eq!(
        tx.add_letter_channel("家长来信", "").await.unwrap(),
        ch,
        "names are unique"
    );
    tx.insert_letter(
        b.id,
        ch,
        d("2021-06-01"),
        "建议",
        "已答复",
        Some(d("2021-06-03")),
        Some(d("2021-06-16")),
    )
    .await
    .unwrap();
    assert!(
        tx.insert_letter(
            b.id,
            ch,
            d("2021-06-01"),
            "x",
            "",
            Some(d("2021-05-01")),
            None
        )
        .await
        .is_err()
    );
    tx.commit().await.unwrap();
    let mut tx = db.begin().await.unwrap();
    tx.decide_case(open, CaseOutcome::Upheld, d("2022-01-10"))
        .await
        .unwrap();
    drop(tx); // not committed: the case stays open

    let (y21a, y21b) = gongkai_store::records::year_bounds(2021);
    let in_2021 = db.decisions(b.id, y21a, y21b).await.unwrap();
    assert_eq!(in_2021.len(), 1);
    assert_eq!(in_2021[0].party, "甲公司", "the 行政相对人 is kept");
    assert_eq!(
        db.fees(b.id, y21a, y21b).await.unwrap()[0].amount_fen,
        12_345
    );
    assert_eq!(
        db.procurements(b.id, y21a, y21b).await.unwrap()[0].amount_fen,
        3_600_000_000
    );
    let cases = db.cases(b.id, y21b).await.unwrap();
    assert_eq!(cases.len(), 2);
    let suit = cases.iter().find(|c| c.case_number == "诉1号").unwrap();
    assert!(suit.outcome.is_none() && suit.open_at(y21b));
    assert_eq!(suit.application_number, "A-7");
    let matters = db.matters(b.id).await.unwrap();
    assert_eq!(matters.len(), 2);
    assert!(!matters[1].listed_at(d("2022-07-01")) && matters[1].listed_at(d("2022-06-30")));
    let letters = db.letters(b.id, y21a, y21b).await.unwrap();
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].replied_on, Some(d("2021-06-03")));
    assert_eq!(
        db.letter_channels().await.unwrap().len(),
        6,
        "five seeded + one added"
    );

    // Report texts: stored, replaced, cleared; out-of-range sections refused.
    db.set_report_text(b.id, 2021, 5, "问题一").await.unwrap();
    db.set_report_text(b.id, 2021, 5, "问题二").await.unwrap();
    db.set_report_text(b.id, 2021, 6, "无").await.unwrap();
    assert!(db.set_report_text(b.id, 2021, 7, "x").await.is_err());
    let texts = db.report_texts(b.id, 2021).await.unwrap();
    assert_eq!(texts.get(&5).map(String::as_str), Some("问题二"));
    assert_eq!(texts.len(), 2);
    db.clear_report_text(b.id, 2021, 6).await.unwrap();
    assert_eq!(db.report_texts(b.id, 2021).await.unwrap().len(), 1);
    assert!(db.report_texts(b.id, 2020).await.unwrap().is_empty());

    // The loader gathers the year's records and the stored texts, and the report uses them.
    let input = db.report_input(&b, 2021, false).await.unwrap();
    assert_eq!(input.decisions.len(), 1);
    assert_eq!(input.cases.len(), 2);
    let r = gongkai_domain::report::compute::compute(&input);
    assert_eq!(r.get("二", "行政许可", "本年处理决定数量").unwrap().0, 1.0);
    assert_eq!(
        r.get("二", "行政事业性收费", "本年收费金额（单位：万元）")
            .unwrap()
            .0,
        0.0123
    );
    assert_eq!(r.get("四", "行政复议", "结果纠正").unwrap().0, 1.0);
    assert_eq!(r.get("四", "未经复议直接起诉", "尚未审结").unwrap().0, 1.0);
    assert_eq!(r.text_of("五、存在的主要问题及改进情况"), Some("问题二"));
}

both!(items_status_and_validity);
async fn items_status_and_validity(db: Db) {
    let b = db
        .create_organ(&bureau(), Some(&CatalogueSeed::education()))
        .await
        .unwrap();
    let cat = find_category(&db.categories(b.id).await.unwrap(), "部门文件")
        .unwrap()
        .id;
    let mut draft = item(b.id, cat, "管理办法", "2021-03-01");
    draft.status = ItemStatus::Draft;
    draft.published_on = None;
    draft.doc_kind = DocKind::Normative;
    let it = db.insert_item(&draft).await.unwrap();
    assert_eq!(
        it.index_no, "11640181MB1234567X/2021-00001",
        "a draft is numbered by its 成文日期"
    );
    db.set_item_status(it.id, ItemStatus::InReview, None)
        .await
        .unwrap();
    db.set_item_status(it.id, ItemStatus::Published, Some(d("2021-03-05")))
        .await
        .unwrap();
    db.add_validity_change(
        it.id,
        &ValidityChange {
            changed_on: d("2022-01-01"),
            validity: Validity::Amended,
            note: "修订".into(),
        },
    )
    .await
    .unwrap();
    db.add_validity_change(
        it.id,
        &ValidityChange {
            changed_on: d("2023-06-30"),
            validity: Validity::Repealed,
            note: String::new(),
        },
    )
    .await
    .unwrap();
    let got = db.item(it.id).await.unwrap().unwrap();
    assert_eq!(got.status, ItemStatus::Published);
    assert_eq!(got.published_on, Some(d("2021-03-05")));
    assert_eq!(got.doc_kind, DocKind::Normative);
    assert_eq!(got.validity.len(), 2);
    assert_eq!(got.validity_on(d("2022-06-01")), Validity::Amended);
    assert!(got.in_force_on(d("2022-12-31")));
    assert!(!got.in_force_on(d("2023-06-30")));
    assert!(
        db.set_item_status(9999, ItemStatus::Published, None)
            .await
            .is_err()
    );
    // Deleting an item removes its validity changes with it (ON DELETE CASCADE).
    db.delete_item(it.id).await.unwrap();
    assert_eq!(db.record_counts().await.unwrap()["validity_changes"], 0);
}

both!(concurrent_writers_get_distinct_index_numbers);
async fn concurrent_writers_get_distinct_index_numbers(db: Db) {
    // Writers in parallel: on SQLite `BEGIN IMMEDIATE` + busy timeout serialise them instead of
    // failing with SQLITE_BUSY; on both, the counter hands out each number once.
    let b = db
        .create_organ(&bureau(), Some(&CatalogueSeed::education()))
        .await
        .unwrap();
    let cat = find_category(&db.categories(b.id).await.unwrap(), "公示公告")
        .unwrap()
        .id;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            db.insert_item(&item(b.id, cat, &format!("通知{i}"), "2022-05-01"))
                .await
                .map(|it| it.index_no)
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap().expect("no writer fails"));
    }
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 16);
    assert_eq!(numbers.last().unwrap(), "11640181MB1234567X/2022-00016");
}

both!(published_items_are_listed_a_page_at_a_time);
async fn published_items_are_listed_a_page_at_a_time(db: Db) {
    use gongkai_store::published::{PublishedQuery, SITEMAP_CHUNK};
    let b = db
        .create_organ(&bureau(), Some(&CatalogueSeed::education()))
        .await
        .unwrap();
    let mut school = bureau();
    school.code = "12640181MB7654321Y".into();
    school.name = "灵武市第一小学".into();
    school.parent_id = Some(b.id);
    let s = db
        .create_organ(&school, Some(&CatalogueSeed::education()))
        .await
        .unwrap();
    let cats = db.categories(b.id).await.unwrap();
    let files = find_category(&cats, "部门文件").unwrap().id;
    let other = cats.iter().find(|c| c.id != files).unwrap().id;
    // 30 published items over 2020–2022 alternating two categories, a draft, a withdrawn one.
    let mut ids = Vec::new();
    for i in 0..30 {
        let year = 2020 + i % 3;
        let cat = if i % 2 == 0 { files } else { other };
        let it = db
            .insert_item(&item(
                b.id,
                cat,
                &format!("文件{i}"),
                &format!("{year}-0{}-1{}", 1 + i % 9, i % 10),
            ))
            .await
            .unwrap();
        ids.push(it.id);
    }
    let mut draft = item(b.id, files, "草稿", "2021-05-05");
    draft.status = ItemStatus::Draft;
    draft.published_on = None;
    db.insert_item(&draft).await.unwrap();
    let gone = db
        .insert_item(&item(b.id, files, "已撤回", "2021-05-06"))
        .await
        .unwrap();
    db.set_item_status(gone.id, ItemStatus::Withdrawn, None)
        .await
        .unwrap();
    let school_cats = db.categories(s.id).await.unwrap();
    let si = db
        .insert_item(&item(s.id, school_cats[0].id, "学校文件", "2023-01-02"))
        .await
        .unwrap();
    db.add_validity_change(
        ids[0],
        &ValidityChange {
            changed_on: d("2024-01-01"),
            validity: Validity::Repealed,
            note: String::new(),
        },
    )
    .await
    .unwrap();

    // The whole organ, newest first, in pages; the pages join up to the published items.
    let q = PublishedQuery {
        organs: &[b.id],
        ..Default::default()
    };
    let (p1, total) = db.published_page(&q, 0, 20).await.unwrap();
    let (p2, total2) = db.published_page(&q, 20, 20).await.unwrap();
    assert_eq!((total, total2, p1.len(), p2.len()), (30, 30, 20, 10));
    let all: Vec<_> = p1.iter().chain(&p2).collect();
    assert!(all.iter().all(|i| i.status == ItemStatus::Published));
    assert!(
        all.windows(2)
            .all(|w| (w[0].published_on, w[0].id) > (w[1].published_on, w[1].id)),
        "newest first"
    );
    let mut listed: Vec<i64> = all.iter().map(|i| i.id).collect();
    listed.sort_unstable();
    assert_eq!(listed, ids);
    assert_eq!(
        all.iter().find(|i| i.id == ids[0]).unwrap().validity.len(),
        1,
        "validity comes with the page"
    );
    assert!(db.published_page(&q, 30, 20).await.unwrap().0.is_empty());

    // Filters: category set, year, both; an empty category set matches nothing.
    let q = PublishedQuery {
        organs: &[b.id],
        categories: Some(&[files]),
        year: Some(2021),
        or_regulations_and_normative: false,
    };
    let (page, n) = db.published_page(&q, 0, 50).await.unwrap();
    let expect = (0..30)
        .filter(|i| i % 2 == 0 && 2020 + i % 3 == 2021)
        .count();
    assert_eq!((page.len(), n as usize), (expect, expect));
    assert!(
        page.iter().all(|i| i.category_id == files
            && i.published_on.unwrap().format("%Y").to_string() == "2021")
    );
    let none = PublishedQuery {
        organs: &[b.id],
        categories: Some(&[]),
        year: None,
        or_regulations_and_normative: false,
    };
    assert_eq!(db.published_page(&none, 0, 50).await.unwrap().1, 0);
    // 第二十条（一）: a category set or any 规章 / 行政规范性文件 whatever its category.
    let mut normative = item(b.id, other, "规范性文件", "2021-07-07");
    normative.doc_kind = DocKind::Normative;
    let normative = db.insert_item(&normative).await.unwrap();
    let art20_1 = PublishedQuery {
        organs: &[b.id],
        categories: Some(&[]),
        year: None,
        or_regulations_and_normative: true,
    };
    let (page, n) = db.published_page(&art20_1, 0, 50).await.unwrap();
    assert_eq!((n, page[0].id), (1, normative.id));
    let files_or_normative = PublishedQuery {
        categories: Some(&[files]),
        ..art20_1
    };
    assert_eq!(
        db.published_page(&files_or_normative, 0, 50)
            .await
            .unwrap()
            .1,
        16
    );
    db.set_item_status(normative.id, ItemStatus::Withdrawn, None)
        .await
        .unwrap();

    // Organ with its unit, and every organ.
    let both = PublishedQuery {
        organs: &[b.id, s.id],
        ..Default::default()
    };
    let (page, n) = db.published_page(&both, 0, 1).await.unwrap();
    assert_eq!(
        (n, page[0].id),
        (31, si.id),
        "the school's 2023 item is newest"
    );
    assert_eq!(
        db.published_page(&PublishedQuery::default(), 0, 5)
            .await
            .unwrap()
            .1,
        31
    );
    assert_eq!(
        db.published_years(&[b.id]).await.unwrap(),
        vec![2022, 2021, 2020]
    );
    assert_eq!(
        db.published_years(&[]).await.unwrap(),
        vec![2023, 2022, 2021, 2020]
    );

    // The catalogue page in one statement says what the separate queries say, whatever the
    // filter and page.
    let organs = [b.id];
    for (cats, year, art20, offset, limit) in [
        (None, None, false, 0, 20),
        (None, None, false, 20, 20),
        (None, None, false, 40, 20),
        (Some(&[files][..]), Some(2021), false, 0, 50),
        (Some(&[][..]), None, false, 0, 50),
        (Some(&[][..]), None, true, 0, 50),
        (Some(&[files, other][..]), Some(2022), true, 3, 4),
    ] {
        let q = PublishedQuery {
            organs: &organs,
            categories: cats,
            year,
            or_regulations_and_normative: art20,
        };
        let l = db
            .catalogue_listing(b.id, &q, offset, limit)
            .await
            .unwrap()
            .expect("the organ exists");
        let (page, total) = db.published_page(&q, offset, limit).await.unwrap();
        assert_eq!(l.total, total, "{cats:?} {year:?} {offset}");
        assert_eq!(l.items, page, "{cats:?} {year:?} {offset}");
        assert_eq!(l.organ, db.organ(b.id).await.unwrap().unwrap());
        assert_eq!(l.units, db.units_of(b.id).await.unwrap());
        assert_eq!(l.categories, db.categories(b.id).await.unwrap());
        assert_eq!(l.years, db.published_years(&[b.id]).await.unwrap());
    }
    let l = db
        .catalogue_listing(
            b.id,
            &PublishedQuery {
                organs: &organs,
                ..Default::default()
            },
            0,
            50,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        l.items.iter().find(|i| i.id == ids[0]).unwrap().validity,
        vec![ValidityChange {
            changed_on: d("2024-01-01"),
            validity: Validity::Repealed,
            note: String::new(),
        }],
        "validity comes with the page"
    );
    assert!(
        !l.items.iter().any(|i| i.id == si.id),
        "a unit's items are its own"
    );
    let nobody = [i64::MAX];
    let q = PublishedQuery {
        organs: &nobody,
        ..Default::default()
    };
    assert!(
        db.catalogue_listing(i64::MAX, &q, 0, 50)
            .await
            .unwrap()
            .is_none()
    );

    // Sitemap blocks list published items only.
    let ks = db.published_sitemap_chunks().await.unwrap();
    assert_eq!(ks, vec![ids[0] / SITEMAP_CHUNK]);
    let chunk = db.published_sitemap_chunk(ks[0]).await.unwrap();
    assert_eq!(chunk.len(), 31);
    assert!(chunk.iter().all(|(id, _)| *id != gone.id));

    // What the dashboard checks: the draft only (not the published, not the withdrawn).
    let progress = db.items_in_progress(&[b.id, s.id]).await.unwrap();
    assert_eq!(progress.len(), 1);
    assert_eq!(
        (progress[0].title.as_str(), progress[0].status),
        ("草稿", ItemStatus::Draft)
    );
    assert!(db.items_in_progress(&[]).await.unwrap().is_empty());
}
