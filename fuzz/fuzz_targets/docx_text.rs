//! The DOCX reader of the search index must never panic or run away, whatever the upload: a
//! text, or an error within its limits.
#![no_main]

use gongkai_search::extract::{Limits, docx_text_with};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_inflated_bytes: 4 * 1024 * 1024,
        max_text_bytes: 1024 * 1024,
        ..Limits::default()
    };
    if let Ok(text) = docx_text_with(data, &limits) {
        assert!(text.len() <= limits.max_text_bytes);
    }
});
