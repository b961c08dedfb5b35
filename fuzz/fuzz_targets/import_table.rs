//! The CSV and XLSX readers of `gongkai import` and the check of every row must never panic,
//! whatever the file: an error naming row and column, or rows.
#![no_main]

use gongkai_import::table::{read_csv_bytes, read_xlsx_bytes};
use gongkai_import::{Kind, check_table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the record type, the rest is the file.
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
});
