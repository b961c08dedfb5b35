//! Every export gongkai makes of the demo bureau's reports — 2020, 2021 and 2022, the bureau
//! alone and with its units, as HTML, DOCX and PDF (with and without charts) and Markdown — reads
//! back to exactly the cells it was made from, with every table read `exact` and no READ finding
//! (issue 21: the 2022 PDF, table 三 across two pages with its header repeated, once read back
//! 25 of 200 cells).

use gongkai_domain::calendar::Calendar;
use gongkai_domain::report::compute::compute;
use gongkai_domain::report::{Report, stats};
use gongkai_import::demo;
use gongkai_render::{docx, html, markdown};
use gongkai_store::testing::TestDb;

/// The cells of `read` that differ from those of `made` (value or presence), and cells read that
/// were not made.
fn differences(made: &Report, read: &Report) -> Vec<String> {
    let mut out = Vec::new();
    for c in &made.cells {
        let got = read.cell(&c.table, &c.row, &c.column).map(|x| x.value);
        if got != Some(c.value) {
            out.push(format!(
                "{}/{}/{}: made {:?}, read {:?}",
                c.table, c.row, c.column, c.value, got
            ));
        }
    }
    for c in &read.cells {
        if made.cell(&c.table, &c.row, &c.column).is_none() {
            out.push(format!(
                "{}/{}/{}: read, not made",
                c.table, c.row, c.column
            ));
        }
    }
    out
}

fn check(what: &str, made: &Report, read: &Report, problems: &mut Vec<String>) {
    if (read.organ.as_str(), read.year, read.format)
        != (made.organ.as_str(), made.year, made.format)
    {
        problems.push(format!(
            "{what}: read {} {} {}",
            read.organ, read.year, read.format
        ));
    }
    let diff = differences(made, read);
    if !diff.is_empty() {
        problems.push(format!(
            "{what}: {} of {} cells differ:\n  {}",
            diff.len(),
            made.cells.len(),
            diff.join("\n  ")
        ));
    }
    let not_exact: Vec<_> = gongkai_audit::table_reads(read)
        .into_iter()
        .filter(|(_, k)| *k != gongkai_audit::Read::Exact)
        .map(|(t, k)| format!("{t}:{}", k.as_str()))
        .collect();
    if !not_exact.is_empty() {
        problems.push(format!("{what}: tables not read exactly {not_exact:?}"));
    }
}

fn pdf_text_reads(bytes: &[u8], name: &str) -> (Report, Report) {
    let path = std::env::temp_dir().join(format!("gongkai-demo-{}-{name}.pdf", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    let best = gongkai_audit::read_pdf(&path, None).expect("pdftotext reads our PDF");
    let layout = gongkai_audit::read_text(&gongkai_audit::pdftotext(&path, true).unwrap(), None);
    let _ = std::fs::remove_file(&path);
    (best, layout)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_export_of_the_demo_reports_reads_back_to_the_same_cells() {
    let t = TestDb::sqlite().await;
    gongkai_app::imports::demo(
        &gongkai_app::App::new(t.db.clone(), gongkai_app::Time::system()),
        &gongkai_app::Actor::Operator("测试".into()),
    )
    .await
    .unwrap();
    let organ = t.db.find_organ(demo::BUREAU_NAME).await.unwrap().unwrap();
    let mut problems = Vec::new();
    let mut checked = 0;
    for year in [2020, 2021, 2022] {
        for units in [false, true] {
            let input = t.db.report_input(&organ, year, units).await.unwrap();
            let r = compute(&input);
            let st = stats::from_input(&input, &Calendar::builtin()).completed_from(&r);
            let name = format!("{year}{}", if units { "-units" } else { "" });

            let mut reads: Vec<(String, Report)> = vec![
                (
                    "HTML".into(),
                    gongkai_audit::read_html(&html::report_page(&r), None),
                ),
                (
                    "HTML with charts".into(),
                    gongkai_audit::read_html(&html::report_page_with_stats(&r, &st), None),
                ),
                (
                    "Markdown".into(),
                    gongkai_audit::read_text(&markdown::report(&r), None),
                ),
            ];
            let d = docx::report(&r, &docx::DocxOptions::default()).unwrap();
            reads.push(("DOCX".into(), gongkai_audit::read_docx(&d, None).unwrap()));
            let d = docx::report_with_stats(&r, &st, &docx::DocxOptions::default(), &[]).unwrap();
            reads.push((
                "DOCX with charts".into(),
                gongkai_audit::read_docx(&d, None).unwrap(),
            ));
            let opts = gongkai_pdf::PdfOptions::default();
            for (what, s) in [("PDF", None), ("PDF with charts", Some(&st))] {
                let bytes = gongkai_pdf::report_with_stats(&r, s, &opts).unwrap();
                let (best, layout) = pdf_text_reads(&bytes, &format!("{name}-{}", s.is_some()));
                reads.push((what.into(), best));
                reads.push((format!("{what} (pdftotext -layout)"), layout));
            }
            for (what, mut got) in reads {
                gongkai_audit::check_all(std::slice::from_mut(&mut got));
                check(&format!("{name} {what}"), &r, &got, &mut problems);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 6 * 9);
    t.cleanup().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
