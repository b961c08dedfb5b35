//! The HTML reader (tables with any rowspan/colspan, nesting, broken markup) must never panic,
//! and what it reads is well formed.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let Ok(report) = gongkai_audit::read_html(&html, None) else {
        return;
    };
    let mut reports = vec![report];
    gongkai_audit::check_all(&mut reports);
    let r = &reports[0];
    for (i, c) in r.cells.iter().enumerate() {
        assert!(gongkai_domain::report::layout::key_of(&c.table, &c.row, &c.column).is_some());
        assert!(
            !r.cells[..i]
                .iter()
                .any(|d| d.table == c.table && d.row == c.row && d.column == c.column)
        );
    }
    let _ = gongkai_audit::to_json(&gongkai_domain::report::ReportSet { reports });
});
