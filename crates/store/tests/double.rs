//! The 双公示 fields of decisions, a letter writer's consent to publication and the lookup of a
//! published item by 索引号 (issue 28), on SQLite and on PostgreSQL.

use chrono::NaiveDate;
use gongkai_domain::records::*;
use gongkai_domain::report::OrganKind;
use gongkai_store::Db;
use gongkai_store::both;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn organ(db: &Db) -> Organ {
    db.create_organ(
        &NewOrgan {
            code: "11640181MB1234567X".into(),
            name: "灵武市教育局".into(),
            short_name: "教育局".into(),
            kind: OrganKind::Department,
            parent_id: None,
            index_pattern: "{code}/{year}-{seq:05}".into(),
        },
        Some(&CatalogueSeed::education()),
    )
    .await
    .unwrap()
}

both!(decision_details_are_kept_replaced_and_read_per_organ);
async fn decision_details_are_kept_replaced_and_read_per_organ(db: Db) {
    let o = organ(&db).await;
    let mut tx = db.begin().await.unwrap();
    let m = tx
        .insert_matter(
            o.id,
            MatterKind::Penalty,
            "违规办学处罚",
            d("2020-01-01"),
            None,
        )
        .await
        .unwrap();
    let with = tx
        .insert_decision(m, d("2025-03-01"), "灵教罚〔2025〕2号", "某培训中心")
        .await
        .unwrap();
    let without = tx
        .insert_decision(m, d("2025-03-02"), "灵教罚〔2025〕3号", "")
        .await
        .unwrap();
    let details = DecisionDetails {
        credit_code: "91640181MA76XDQ43X".into(),
        content: "罚款".into(),
        valid_from: Some(d("2025-03-01")),
        valid_to: None,
        basis: "第六十二条".into(),
        fine_fen: Some(2_000_000),
    };
    tx.set_decision_details(with, &details).await.unwrap();
    tx.commit().await.unwrap();
    let got = db.decision_details(o.id).await.unwrap();
    assert_eq!(got.get(&with), Some(&details));
    assert!(!got.contains_key(&without));
    // Kept again: replaced, not doubled.
    let changed = DecisionDetails {
        fine_fen: Some(1_000_000),
        ..details
    };
    let mut tx = db.begin().await.unwrap();
    tx.set_decision_details(with, &changed).await.unwrap();
    tx.commit().await.unwrap();
    let got = db.decision_details(o.id).await.unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[&with].fine_fen, Some(1_000_000));
}

both!(letter_consent_and_index_numbers);
async fn letter_consent_and_index_numbers(db: Db) {
    let o = organ(&db).await;
    let channel = db.letter_channels().await.unwrap()[0].id;
    let mut tx = db.begin().await.unwrap();
    let id = tx
        .insert_portal_letter(
            o.id,
            channel,
            d("2025-03-10"),
            "建议",
            "内容",
            "张三",
            "13900001111",
            "CODE00000001",
        )
        .await
        .unwrap();
    tx.set_letter_publish_consent(id, true).await.unwrap();
    tx.commit().await.unwrap();
    let l = db
        .portal_letter_by_code("CODE00000001")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(l.publish_consent, 1);
    let cats = db.categories(o.id).await.unwrap();
    let it = db
        .insert_item(&NewCatalogueItem {
            organ_id: o.id,
            title: "通知".into(),
            summary: String::new(),
            category_id: cats[0].id,
            issuing_unit: o.name.clone(),
            written_on: Some(d("2025-01-06")),
            published_on: Some(d("2025-01-08")),
            doc_number: String::new(),
            doc_kind: DocKind::Other,
            status: ItemStatus::Published,
            validity: vec![],
        })
        .await
        .unwrap();
    assert_eq!(
        db.published_item_by_index_no(&it.index_no).await.unwrap(),
        Some(it.id)
    );
    assert_eq!(db.published_item_by_index_no("NOPE/1").await.unwrap(), None);
}

both!(registers_are_paged_and_counted_in_sql_newest_first);
async fn registers_are_paged_and_counted_in_sql_newest_first(db: Db) {
    use gongkai_store::register_pages::RegisterRange;
    let o = organ(&db).await;
    let mut tx = db.begin().await.unwrap();
    let lic = tx
        .insert_matter(
            o.id,
            MatterKind::Licensing,
            "民办学校设立许可",
            d("2020-01-01"),
            None,
        )
        .await
        .unwrap();
    let fee = tx
        .insert_matter(
            o.id,
            MatterKind::Fee,
            "教师资格考试考务费",
            d("2020-01-01"),
            None,
        )
        .await
        .unwrap();
    for i in 0..7u32 {
        let on = d("2024-12-28") + chrono::Days::new(u64::from(i));
        tx.insert_decision(lic, on, &format!("灵教许〔{i}〕号"), "")
            .await
            .unwrap();
        tx.insert_fee(fee, on, 100 * i64::from(i), "")
            .await
            .unwrap();
        tx.insert_procurement(o.id, &format!("采购{i}"), on, 1000)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let all = RegisterRange {
        from: d("0001-01-01"),
        to: d("9999-12-31"),
        limit: 3,
        offset: 0,
    };
    let (page, total) = db.decisions_page(o.id, all).await.unwrap();
    assert_eq!(total, 7);
    assert_eq!(
        page.iter().map(|x| x.number.as_str()).collect::<Vec<_>>(),
        ["灵教许〔6〕号", "灵教许〔5〕号", "灵教许〔4〕号"],
        "newest first"
    );
    let (last, _) = db
        .decisions_page(o.id, RegisterRange { offset: 6, ..all })
        .await
        .unwrap();
    assert_eq!(last.len(), 1);
    assert_eq!(last[0].number, "灵教许〔0〕号");
    // 2024: 28–31 December, four of seven.
    let y2024 = RegisterRange {
        from: d("2024-01-01"),
        to: d("2024-12-31"),
        limit: 50,
        offset: 0,
    };
    let (fees, n) = db.fees_page(o.id, y2024).await.unwrap();
    assert_eq!((fees.len(), n), (4, 4));
    assert_eq!(fees[0].collected_on, d("2024-12-31"));
    let (p, n) = db
        .procurements_page(o.id, RegisterRange { limit: 2, ..y2024 })
        .await
        .unwrap();
    assert_eq!((p.len(), n), (2, 4));
    assert_eq!(p[0].name, "采购3");
    assert_eq!(
        db.register_span(o.id).await.unwrap(),
        Some((d("2024-12-28"), d("2025-01-03")))
    );
}
