//! Round trip: every export of a report, read back by the auditor (`gongkai_audit`), gives the
//! cells it was made from — HTML, DOCX and PDF (through pdftotext), the formats it reads.

use gongkai_domain::report::Report;
use gongkai_render::{docx, html, sample};

/// The cells of `read` that differ from those of `made` (value or presence), as readable lines.
fn differences(made: &Report, read: &Report) -> Vec<String> {
    let mut out = Vec::new();
    for c in &made.cells {
        let got = read.cell(&c.table, &c.row, &c.column).and_then(|x| x.value);
        // A blank cell may be read back as blank or as 0; a number must come back as itself.
        let want = c.value;
        let same = match (want, got) {
            (Some(a), Some(b)) => (a.0 - b.0).abs() < 1e-9,
            (None, None) => true,
            _ => false,
        };
        if !same {
            out.push(format!(
                "{}/{}/{}: made {:?}, read {:?}",
                c.table, c.row, c.column, want, got
            ));
        }
    }
    out
}

fn check(kind: &str, made: &Report, read: &Report) {
    assert_eq!(read.year, made.year, "{kind}: year");
    assert_eq!(read.format, made.format, "{kind}: format");
    assert_eq!(read.organ, made.organ, "{kind}: organ");
    let diff = differences(made, read);
    assert!(
        diff.is_empty(),
        "{kind} {}: {} cells differ:\n{}",
        made.year,
        diff.len(),
        diff.join("\n")
    );
}

#[test]
fn html_reads_back() {
    for year in [2020, 2022] {
        let r = sample::report(year);
        let page = html::report_page_with_stats(&r, &sample::stats(year));
        check(
            "HTML",
            &r,
            &gongkai_audit::read_html(&page, None).expect("html"),
        );
    }
}

#[test]
fn docx_reads_back() {
    for year in [2020, 2022] {
        let r = sample::report(year);
        let bytes =
            docx::report_with_stats(&r, &sample::stats(year), &docx::DocxOptions::default(), &[])
                .unwrap();
        check("DOCX", &r, &gongkai_audit::read_docx(&bytes, None).unwrap());
    }
}

#[test]
fn pdf_reads_back() {
    for year in [2020, 2022] {
        let r = sample::report(year);
        let bytes = gongkai_pdf::report_with_stats(
            &r,
            Some(&sample::stats(year)),
            &gongkai_pdf::PdfOptions::default(),
        )
        .unwrap();
        let path = std::env::temp_dir().join(format!(
            "gongkai-roundtrip-{}-{year}.pdf",
            std::process::id()
        ));
        std::fs::write(&path, &bytes).unwrap();
        let layout =
            gongkai_audit::pdftotext(&path, true).map(|t| gongkai_audit::read_text(&t, None));
        let best = gongkai_audit::read_pdf(&path, None);
        let _ = std::fs::remove_file(&path);
        check("PDF (pdftotext -layout)", &r, &layout.unwrap());
        check("PDF", &r, &best.unwrap());
    }
}
