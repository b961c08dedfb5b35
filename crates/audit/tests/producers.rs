//! Files from producers the reader was not built against (tests/corpus/browser, made by
//! `examples/make_browser_corpus.rs`; tests/corpus/scan, made by `examples/make_scans.rs`):
//! chromium's print of a portal page at 210, 150 and 120 mm (digits stacked in narrow cells),
//! its text by pdftotext with and without `-layout`, and scans of those prints; tests/corpus/wordproc
//! (`examples/make_pydocx.py`): python-docx's DOCX with Word's merged cells (gridSpan, vMerge),
//! and LibreOffice's PDFs of it, of our HTML and of our DOCX. On every file:
//! no wrong cell, no finding the document does not have, every cell not read under a READ
//! finding naming its table. The share of the document's cells read exactly is printed per
//! producer (`cargo test -p gongkai-audit --test producers -- --nocapture`) and held to the
//! issue's floors.

use gongkai_audit::parse::READ_RULE;
use gongkai_domain::report::{Report, ReportSet};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn expected_for(p: &Path) -> Report {
    let name = p.file_name().unwrap().to_string_lossy().to_string();
    let case = name.split('.').next().unwrap();
    let text = std::fs::read_to_string(p.with_file_name(format!("{case}.expected.json")))
        .expect("expected json");
    let set: ReportSet = serde_json::from_str(&text).expect("json");
    set.reports.into_iter().next().expect("one report")
}

/// The producer of a file: what follows its case name (`chromium-150mm.pdf`).
fn producer(p: &Path) -> String {
    let name = p.file_name().unwrap().to_string_lossy().to_string();
    name.split_once('.')
        .map(|(_, w)| w.to_string())
        .unwrap_or(name)
}

#[derive(Default)]
struct Tally {
    files: usize,
    stated: usize,
    exact: usize,
}

fn files(sub: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(sub);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| {
        let n = p.to_string_lossy();
        !n.ends_with(".expected.json")
            && !n.ends_with("SOURCES.md")
            && gongkai_audit::Kind::of(p).is_some()
    });
    v.sort();
    v
}

/// Reads every file of `sub`, checks the promise on each, and returns the tally per producer.
fn read_all(sub: &str) -> BTreeMap<String, Tally> {
    let mut tally: BTreeMap<String, Tally> = BTreeMap::new();
    let mut problems = Vec::new();
    for p in files(sub) {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let want = expected_for(&p);
        let mut got = match gongkai_audit::read_path(&p) {
            Ok(r) => vec![r],
            Err(e) => {
                problems.push(format!("{name}: {e}"));
                continue;
            }
        };
        gongkai_audit::check_all(&mut got);
        let got = &got[0];
        let wrong: Vec<String> = got
            .cells
            .iter()
            .filter(|g| want.cell(&g.table, &g.row, &g.column).map(|c| c.value) != Some(g.value))
            .map(|g| format!("{}/{}/{} = {:?}", g.table, g.row, g.column, g.value))
            .collect();
        let unnamed: Vec<String> = want
            .cells
            .iter()
            .filter(|c| got.cell(&c.table, &c.row, &c.column).is_none())
            .filter(|c| {
                !got.findings
                    .iter()
                    .any(|f| f.rule == READ_RULE && f.location == c.table)
            })
            .map(|c| format!("{}/{}/{}", c.table, c.row, c.column))
            .collect();
        let false_findings: Vec<String> = got
            .findings
            .iter()
            // The expected files keep a finding's rule, place and message (not its data).
            .filter(|f| {
                f.rule != READ_RULE
                    && !want.findings.iter().any(|w| {
                        w.rule == f.rule && w.location == f.location && w.message == f.message
                    })
            })
            .map(|f| format!("{} {} {}", f.rule.as_str(), f.location, f.message))
            .collect();
        if !wrong.is_empty() || !unnamed.is_empty() || !false_findings.is_empty() {
            problems.push(format!(
                "{name}: wrong {wrong:?}; left out unnamed {unnamed:?}; false findings {false_findings:?}"
            ));
        }
        if got.year != want.year || got.format != want.format {
            problems.push(format!("{name}: year/format {} {:?}", got.year, got.format));
        }
        let t = tally.entry(producer(&p)).or_default();
        t.files += 1;
        t.stated += want.cells.len();
        t.exact += want
            .cells
            .iter()
            .filter(|c| got.cell(&c.table, &c.row, &c.column).map(|g| g.value) == Some(c.value))
            .count();
    }
    eprintln!("{sub}:");
    for (w, t) in &tally {
        eprintln!(
            "  {w:28} {:2} files  {:5} / {:5} stated cells read exactly ({:.1}%)",
            t.files,
            t.exact,
            t.stated,
            100.0 * t.exact as f64 / t.stated.max(1) as f64
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    tally
}

fn share(t: &Tally) -> f64 {
    t.exact as f64 / t.stated.max(1) as f64
}

#[test]
fn browser_printed_pdfs_give_no_wrong_cell() {
    let tally = read_all("browser");
    assert!(tally.values().map(|t| t.files).sum::<usize>() >= 12);
    for (w, t) in &tally {
        // The PDFs themselves (issue 27: ≥ 95 %): the text's and the grid's readings merged
        // cell by cell read 98.2 % at 120 mm and all at 150 and 210 mm.
        if w.ends_with(".pdf") {
            assert!(share(t) >= 0.98, "{w}: {:.3}", share(t));
        }
    }
}

#[test]
fn word_processor_files_give_no_wrong_cell() {
    let tally = read_all("wordproc");
    assert!(tally.values().map(|t| t.files).sum::<usize>() >= 36);
    for (w, t) in &tally {
        // Issue 27: word processors' PDFs ≥ 98 % of the stated cells; their DOCX exactly.
        let floor = if w.ends_with(".docx") { 1.0 } else { 0.98 };
        assert!(share(t) >= floor, "{w}: {:.3}", share(t));
    }
}

#[test]
fn scans_give_no_wrong_cell_and_say_they_are_scans() {
    let ocr = std::process::Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("chi_sim"));
    if !ocr {
        // Without OCR a scan is still said to be one.
        for p in files("scan") {
            let e = gongkai_audit::read_path(&p).expect_err("a scan without OCR is not read");
            assert!(e.to_string().contains("扫描件，无文字层"), "{e}");
        }
        eprintln!("tesseract with chi_sim not installed: scans only checked to be named");
        return;
    }
    let tally = read_all("scan");
    assert!(tally.values().map(|t| t.files).sum::<usize>() >= 4);
    for p in files("scan") {
        let r = gongkai_audit::read_path(&p).expect("scan read");
        assert!(
            r.findings
                .iter()
                .any(|f| f.rule == READ_RULE && f.message.starts_with("扫描件，无文字层")),
            "{}: the result must say the file is a scan and which cells came from OCR",
            p.display()
        );
    }
    for (w, t) in &tally {
        eprintln!("{w}: {:.3}", share(t));
        // Issue 27: scans at 150 and 200 dpi, at least 80 % of the stated cells read (table 二
        // has no identity to prove an OCR reading by, so 95 % is the most there is).
        assert!(share(t) >= 0.80, "{w}: {:.3}", share(t));
    }
}

#[test]
fn a_picture_is_said_to_be_a_scan() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("第1页.jpg");
    std::fs::write(&p, [0xff, 0xd8, 0xff, 0xe0]).expect("write");
    let e = gongkai_audit::read_path(&p).expect_err("not read");
    assert!(e.to_string().contains("扫描件，无文字层"), "{e}");
}
