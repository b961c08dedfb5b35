//! Search never panics on any input, and an item is indexed whatever its attachments or its
//! 文号 (issue 20): `)(`, arbitrary strings through the query parser and the document-number
//! normaliser, a published item with brackets the wrong way round, a PDF bomb attached to an
//! item (indexed without that file's text, the reason reported).

use chrono::NaiveDate;
use gongkai_domain::records::*;
use gongkai_domain::report::OrganKind;
use gongkai_search::{Doc, Index, Kind, Query, feed, normalize_doc_number};
use gongkai_store::testing::TestDb;
use gongkai_store::{Backend, Db};
use proptest::prelude::*;
use std::sync::{Arc, OnceLock};

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let idx = Index::in_memory().unwrap();
        for (i, (title, number)) in [
            ("关于做好2020年义务教育招生工作的通知", "灵教发〔2020〕12号"),
            ("城市低保标准调整", ")2020(3号"),
            ("（2021）", "【〔〔】】"),
        ]
        .into_iter()
        .enumerate()
        {
            idx.add(&Doc {
                id: format!("item:{i}"),
                kind: Some(Kind::Item),
                title: title.into(),
                doc_number: number.into(),
                body: "正文 )( ([ 〕〔".into(),
                date: NaiveDate::from_ymd_opt(2020, 3, 1),
                ..Default::default()
            })
            .unwrap();
        }
        idx
    })
}

#[test]
fn brackets_the_wrong_way_round_do_not_panic() {
    for s in [
        ")(",
        "）（",
        "〕〔",
        "]2020[12号",
        "灵教发〕2020〔12号",
        "(",
        ")",
        "〔〕号",
        "a〔2020〕号",
        "灵教发〔2020〕号",
        "灵教发〔２０２０〕１２号",
    ] {
        let _ = normalize_doc_number(s);
        index().search(&Query::new(s)).unwrap();
    }
    assert_eq!(
        normalize_doc_number("灵教发〔２０２０〕１２号").as_deref(),
        Some("灵教发〔2020〕12号")
    );
    assert_eq!(normalize_doc_number(")2020(12号"), None);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn doc_number_normaliser_never_panics(s in any::<String>()) {
        let _ = normalize_doc_number(&s);
    }

    #[test]
    fn doc_numbers_of_brackets_and_digits_never_panic(
        s in "[灵教发()（）〔〕【】\\[\\]0-9０-９号 ]{0,24}"
    ) {
        if let Some(n) = normalize_doc_number(&s) {
            prop_assert!(n.contains('〔') && n.ends_with('号'));
        }
    }

    #[test]
    fn the_query_parser_never_panics(s in any::<String>()) {
        index().search(&Query::new(s)).unwrap();
    }

    #[test]
    fn queries_of_punctuation_and_quotes_never_panic(
        s in "[\"“”「」()（）\\[\\]〔〕 *:+\\-~^!?0-9a-z教育招生号]{0,30}"
    ) {
        index().search(&Query::new(s)).unwrap();
    }
}

async fn organ(db: &Db) -> i64 {
    db.create_organ(
        &NewOrgan {
            code: "640181".into(),
            name: "灵武市教育局".into(),
            short_name: String::new(),
            kind: OrganKind::Department,
            parent_id: None,
            index_pattern: "{code}/{year}-{seq:05}".into(),
        },
        None,
    )
    .await
    .unwrap()
    .id
}

async fn published(db: &Db, organ_id: i64, title: &str, doc_number: &str) -> i64 {
    let cat = {
        let mut tx = db.begin().await.unwrap();
        let c = tx
            .insert_category(organ_id, None, &format!("类{title}"), "", 0)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        c
    };
    db.insert_item(&NewCatalogueItem {
        organ_id,
        title: title.into(),
        summary: String::new(),
        category_id: cat,
        issuing_unit: String::new(),
        written_on: NaiveDate::from_ymd_opt(2021, 3, 1),
        published_on: NaiveDate::from_ymd_opt(2021, 3, 2),
        doc_number: doc_number.into(),
        doc_kind: DocKind::Other,
        status: ItemStatus::Published,
        validity: vec![],
    })
    .await
    .unwrap()
    .id
}

/// A PDF whose 4,000 pages share one content stream: a few hundred KB that keep pdftotext busy
/// far past its limit.
fn pdf_bomb() -> Vec<u8> {
    let mut content = b"BT /F1 1 Tf ".to_vec();
    for _ in 0..20_000 {
        content.extend_from_slice(b"(ABCDEFGHIJ) Tj 0.001 0.0001 Td ");
    }
    content.extend_from_slice(b"ET");
    // Heavy enough that no machine extracts it within the 15 s limit (400 pages took 13 s here).
    let pages = 4000;
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 5 + i)).collect();
    let mut objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
    stream.extend_from_slice(&content);
    stream.extend_from_slice(b"\nendstream");
    objs.push(stream);
    for _ in 0..pages {
        objs.push(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>".to_vec());
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_doc_numbers_and_bombs_are_indexed_and_rebuilt() {
    let t = TestDb::new(Backend::Sqlite).await;
    let db = &t.db;
    let o = organ(db).await;
    let odd = published(db, o, "文号括号反了的通知", ")2020(12号").await;
    let bombed = published(db, o, "附有恶意PDF的公告", "灵教发〔2021〕3号").await;
    db.add_attachment(bombed, "炸弹.pdf", "application/pdf", &pdf_bomb())
        .await
        .unwrap();
    db.add_attachment(bombed, "说明.txt", "text/plain", "附件说明文字".as_bytes())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let idx = Arc::new(Index::open_or_create(dir.path()).unwrap());

    feed::sync_item(db, &idx, odd).await.unwrap();
    let hits = idx.search(&Query::new("括号")).unwrap();
    assert_eq!(hits.total, 1);

    // The bomb: the item is indexed (with its other attachment) within the time limit, and
    // the reason its PDF was left out is returned. Meanwhile the runtime keeps answering.
    let started = std::time::Instant::now();
    let ticker = tokio::spawn(async {
        let mut ticks = 0u32;
        for _ in 0..20 {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            ticks += 1;
        }
        ticks
    });
    let skipped = feed::sync_item_reporting(db, &idx, bombed).await.unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0].filename, "炸弹.pdf");
    assert!(skipped[0].reason.contains("秒"), "{}", skipped[0].reason);
    assert_eq!(ticker.await.unwrap(), 20);
    assert_eq!(idx.search(&Query::new("附件说明文字")).unwrap().total, 1);

    // A rebuild goes through both as well.
    let n = feed::rebuild(db, idx.clone(), |_, _| {}).await.unwrap();
    assert_eq!(n, 2);
    assert_eq!(idx.search(&Query::new(")(")).unwrap().total, 0);
    assert_eq!(idx.search(&Query::new("恶意")).unwrap().total, 1);
    t.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_index_update_that_fails_is_retried() {
    let t = TestDb::new(Backend::Sqlite).await;
    let db = &t.db;
    let o = organ(db).await;
    let id = published(db, o, "索引被占用时发布的通知", "").await;
    let dir = tempfile::tempdir().unwrap();
    // Another holder of the index writer (a `gongkai index rebuild` for a moment).
    let holder = Index::open_or_create(dir.path()).unwrap();
    holder
        .add(&Doc {
            id: "item:0".into(),
            title: "占位".into(),
            ..Default::default()
        })
        .unwrap();
    let idx = Index::open_or_create(dir.path()).unwrap();
    let release = tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        drop(holder);
    });
    // The first attempt finds the writer taken; a retry after it is released succeeds.
    feed::sync_item(db, &idx, id).await.unwrap();
    release.await.unwrap();
    assert_eq!(idx.search(&Query::new("被占用")).unwrap().total, 1);
    t.cleanup().await;
}
