//! The bodies of the fuzz targets, shared by the libFuzzer targets (`fuzz_targets/`, nightly
//! with cargo-fuzz) and the AFL++ ones (`afl/`, stable with cargo-afl). Each takes any bytes and
//! must neither panic nor run away.
#![allow(dead_code)]

use std::sync::OnceLock;

/// The search query parser and the document-number normaliser, whatever a visitor types (`)(`
/// once was a 500 for anyone).
pub fn search_query(data: &[u8]) {
    use gongkai_search::{Doc, Index, Kind, Query, normalize_doc_number};
    fn index() -> &'static Index {
        static INDEX: OnceLock<Index> = OnceLock::new();
        INDEX.get_or_init(|| {
            let idx = Index::in_memory().unwrap();
            idx.add(&Doc {
                id: "item:1".into(),
                kind: Some(Kind::Item),
                title: "关于做好2020年义务教育招生工作的通知".into(),
                doc_number: "灵教发〔2020〕12号".into(),
                body: "招生 入学 )( 〔〕".into(),
                ..Default::default()
            })
            .unwrap();
            idx
        })
    }
    let text = String::from_utf8_lossy(data);
    if let Some(n) = normalize_doc_number(&text) {
        assert!(n.contains('〔') && n.ends_with('号'));
    }
    index().search(&Query::new(text.into_owned())).unwrap();
}

/// The CSV and XLSX readers of `gongkai import` and the check of every row, whatever the file:
/// an error naming row and column, or rows. The first byte picks the record type.
pub fn import_table(data: &[u8]) {
    use gongkai_import::table::{read_csv_bytes, read_xlsx_bytes};
    use gongkai_import::{Kind, check_table};
    let Some((&k, file)) = data.split_first() else {
        return;
    };
    let kind = Kind::ALL[k as usize % Kind::ALL.len()];
    let table = if file.starts_with(b"PK") {
        read_xlsx_bytes(file)
    } else {
        read_csv_bytes(file)
    };
    if let Ok(table) = table {
        match check_table(kind, &table) {
            Ok(n) => assert_eq!(n, table.rows.len()),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
}

/// The DOCX reader of the search index, whatever the upload: a text, or an error within its
/// limits.
pub fn docx_text(data: &[u8]) {
    use gongkai_search::extract::{Limits, docx_text_with};
    let limits = Limits {
        max_inflated_bytes: 4 * 1024 * 1024,
        max_text_bytes: 1024 * 1024,
        ..Limits::default()
    };
    if let Ok(text) = docx_text_with(data, &limits) {
        assert!(text.len() <= limits.max_text_bytes);
    }
}
