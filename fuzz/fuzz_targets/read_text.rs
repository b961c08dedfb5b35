//! The text reader and the rules must never panic, whatever the bytes: published PDFs come out
//! of extractors in every shape. Also checks that what is read is well formed.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut reports = vec![gongkai_audit::read_text(&text, None)];
    gongkai_audit::check_all(&mut reports);
    let r = &reports[0];
    // Every cell appears at most once and belongs to a table the format has.
    for (i, c) in r.cells.iter().enumerate() {
        assert!(gongkai_domain::report::layout::key_of(&c.table, &c.row, &c.column).is_some());
        assert!(
            !r.cells[..i]
                .iter()
                .any(|d| d.table == c.table && d.row == c.row && d.column == c.column)
        );
    }
    // HTML reader on the same bytes.
    let _ = gongkai_audit::read_html(&text, None);
});
