//! The DOCX reader must never panic, whatever word/document.xml holds: the input bytes are
//! wrapped as the document part of a DOCX (so the fuzzer explores the XML, not the zip
//! container), and also read as a DOCX themselves.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::Write;

fn docx_of(xml: &[u8]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let _ = z.start_file("word/document.xml", opts);
        let _ = z.write_all(xml);
        let _ = z.finish();
    }
    buf.into_inner()
}

fuzz_target!(|data: &[u8]| {
    // Raw bytes as a file.
    let _ = gongkai_audit::read_docx(data, None);
    // Bytes as the document part.
    if let Ok(r) = gongkai_audit::read_docx(&docx_of(data), None) {
        let mut reports = vec![r];
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
    }
});
