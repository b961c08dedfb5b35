//! The living demo (issue 36): loaded on 7 December 2026, the demo bureau's history runs to
//! that day — every item with its text, documents with their Word files and interpretations,
//! a 公示 running, letters published with their writers' consent, news of the last two weeks —
//! and the same day gives the same demo.

use super::*;
use gongkai_import::demo;
use gongkai_store::office::ItemFilter;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn load(db: &Db, instant: &str) {
    gongkai_app::imports::demo(
        &gongkai_app::App::new(
            db.clone(),
            gongkai_app::Time::fixed(instant.parse().unwrap()),
        ),
        &gongkai_app::Actor::Operator("测试".into()),
    )
    .await
    .unwrap();
}

async fn items(db: &Db, organ: i64) -> Vec<gongkai_domain::records::CatalogueItem> {
    db.items_page(
        organ,
        &ItemFilter {
            limit: 100_000,
            ..ItemFilter::default()
        },
    )
    .await
    .unwrap()
    .0
}

#[tokio::test]
async fn the_demo_loaded_today_is_a_living_site() {
    let t = TestDb::sqlite().await;
    let db = &t.db;
    let today = d("2026-12-07");
    load(db, "2026-12-07T02:00:00Z").await;
    let bureau = db.find_organ(demo::BUREAU_CODE).await.unwrap().unwrap();
    let all = items(db, bureau.id).await;
    let published: Vec<_> = all
        .iter()
        .filter(|i| i.status == ItemStatus::Published)
        .collect();
    // Updated within two weeks, and every year through this one has documents.
    let newest = published
        .iter()
        .filter_map(|i| i.published_on)
        .max()
        .unwrap();
    assert!(
        newest <= today && (today - newest).num_days() <= 14,
        "{newest}"
    );
    for y in 2020..=2026 {
        assert!(
            published
                .iter()
                .filter(|i| i
                    .published_on
                    .is_some_and(|p| chrono::Datelike::year(&p) == y))
                .count()
                >= 20,
            "{y} has documents"
        );
    }
    assert!(
        published
            .iter()
            .all(|i| i.published_on.is_none_or(|p| p <= today))
    );
    // Every published item has its text; 机构职能 names the bureau's leaders.
    for i in &published {
        let body = db.item_body(i.id).await.unwrap();
        assert!(body.chars().count() > 20, "{}: {body}", i.title);
        assert!(
            !body.contains("{") && !body.contains("lorem"),
            "{}",
            i.title
        );
    }
    let duties = published
        .iter()
        .find(|i| i.title.contains("领导分工"))
        .unwrap();
    assert!(db.item_body(duties.id).await.unwrap().contains("局长："));
    // Each year's rule: a Word file holding its text, and its interpretation linked.
    for y in 2023..=2026 {
        let rule = published
            .iter()
            .find(|i| i.doc_number == format!("灵教体规发〔{y}〕1号"))
            .unwrap_or_else(|| panic!("the rule of {y}"));
        let files = db.attachments(rule.id).await.unwrap();
        assert_eq!(files.len(), 1, "{}", rule.title);
        let (info, data) = db.attachment(files[0].id).await.unwrap().unwrap();
        assert!(info.filename.ends_with(".docx") && data.starts_with(b"PK"));
        assert!(
            data.windows(17).any(|w| w == b"word/document.xml"),
            "a Word file"
        );
        let interp = db.interpretations_of(rule.id).await.unwrap();
        assert_eq!(interp.len(), 1, "{} has its 解读", rule.title);
        let i = db.item(interp[0]).await.unwrap().unwrap();
        assert!(i.title.contains("政策解读") && i.title.contains(&rule.title));
    }
    // A 公示 running today, with its period stated.
    let notices = db.announcements(bureau.id, false).await.unwrap();
    assert!(
        notices
            .iter()
            .any(|a| a.starts_on <= today && today <= a.ends_on && a.body.contains("公示期")),
        "{:?}",
        notices
            .iter()
            .map(|a| (&a.title, a.starts_on, a.ends_on))
            .collect::<Vec<_>>()
    );
    // Letters published with their replies, only where the writer agreed.
    let letters = db.portal_letters(bureau.id, true).await.unwrap();
    let public = db.portal_letters(bureau.id, false).await.unwrap();
    assert!(public.len() >= 5, "{}", public.len());
    assert!(
        public
            .iter()
            .all(|l| l.publish_consent == 1 && !l.reply.is_empty())
    );
    assert!(
        letters.iter().any(|l| l.replied_on.is_none()),
        "one within its reply time"
    );
    assert!(
        letters
            .iter()
            .any(|l| l.publish_consent == 0 && l.reply_public == 0)
    );
    // The registers carry on: 2025's decisions, fees and procurements.
    let year = |y| gongkai_app::registers::year_dates(Some(y));
    let (from, to) = year(2025);
    assert!(!db.decisions(bureau.id, from, to).await.unwrap().is_empty());
    assert!(!db.fees(bureau.id, from, to).await.unwrap().is_empty());
    assert!(
        !db.procurements(bureau.id, from, to)
            .await
            .unwrap()
            .is_empty()
    );
    // The same day gives the same demo.
    let t2 = TestDb::sqlite().await;
    load(&t2.db, "2026-12-07T09:00:00Z").await;
    let b2 = t2.db.find_organ(demo::BUREAU_CODE).await.unwrap().unwrap();
    let titles = |v: &[gongkai_domain::records::CatalogueItem]| {
        let mut x: Vec<(String, Option<NaiveDate>, String)> = v
            .iter()
            .map(|i| (i.title.clone(), i.published_on, i.index_no.clone()))
            .collect();
        x.sort();
        x
    };
    assert_eq!(titles(&all), titles(&items(&t2.db, b2.id).await));
    t2.cleanup().await;
    t.cleanup().await;
}

#[tokio::test]
async fn a_demo_loaded_in_2023_stops_at_its_clock() {
    let t = TestDb::sqlite().await;
    load(&t.db, "2023-02-01T02:00:00Z").await;
    let bureau = t.db.find_organ(demo::BUREAU_CODE).await.unwrap().unwrap();
    let all = items(&t.db, bureau.id).await;
    assert!(
        all.iter()
            .filter_map(|i| i.published_on)
            .all(|p| p <= d("2023-02-01"))
    );
    assert!(!all.iter().any(|i| i.doc_number == "灵教体规发〔2023〕1号"));
    t.cleanup().await;
}
