//! The CSV and XLSX readers of `gongkai import` and the check of every row must never panic,
//! whatever the file: an error naming row and column, or rows.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::import_table(data));
