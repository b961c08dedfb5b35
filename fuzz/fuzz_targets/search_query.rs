//! The search query parser and the document-number normaliser must never panic, whatever a
//! visitor types (`)(` once was a 500 for anyone).
#![no_main]

use gongkai_search::{Doc, Index, Kind, Query, normalize_doc_number};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

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

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(n) = normalize_doc_number(&text) {
        assert!(n.contains('〔') && n.ends_with('号'));
    }
    index().search(&Query::new(text.into_owned())).unwrap();
});
