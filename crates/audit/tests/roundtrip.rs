//! A report gongkai generates reads back to the same cells from every export the reader knows
//! (gongkai_render's HTML page and DOCX), in both formats.

use gongkai_domain::report::Report;

fn same_cells(a: &Report, b: &Report) -> bool {
    serde_json::to_value(&a.cells).ok() == serde_json::to_value(&b.cells).ok()
}

#[test]
fn every_export_reads_back_to_the_same_cells() {
    for year in [2020, 2021, 2022] {
        let r = gongkai_render::sample::report(year);
        let html = gongkai_render::html::report_page(&r);
        let from_html = gongkai_audit::read_html(&html, None).expect("html within bounds");
        assert!(same_cells(&r, &from_html), "HTML {year}");
        assert_eq!(from_html.organ, r.organ);
        assert_eq!(from_html.year, r.year);
        assert_eq!(from_html.format, r.format);
        assert_eq!(from_html.sections, r.sections);
        let docx = gongkai_render::docx::report(&r, &Default::default()).expect("docx");
        let from_docx = gongkai_audit::read_docx(&docx, None).expect("read docx");
        assert!(same_cells(&r, &from_docx), "DOCX {year}");
        assert_eq!(from_docx.sections, r.sections);
        // The same findings as the model (none: the samples are consistent).
        assert_eq!(
            gongkai_domain::report::rules::check(&from_html),
            gongkai_domain::report::rules::check(&r)
        );
        assert_eq!(
            gongkai_domain::report::rules::check(&from_docx),
            gongkai_domain::report::rules::check(&r)
        );
    }
}
