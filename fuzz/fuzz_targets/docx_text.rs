//! The DOCX reader of the search index must never panic or run away, whatever the upload: a
//! text, or an error within its limits.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::docx_text(data));
