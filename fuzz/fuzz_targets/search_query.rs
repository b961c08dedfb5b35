//! The search query parser and the document-number normaliser must never panic, whatever a
//! visitor types (`)(` once was a 500 for anyone).
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::search_query(data));
