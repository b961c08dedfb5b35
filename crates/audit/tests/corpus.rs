//! Every file of the generated corpus (tests/corpus/gen, see examples/make_corpus.rs) reads back
//! to exactly its expected cells and findings. Accuracy figures are printed per writer
//! (`cargo test -p gongkai-audit --test corpus -- --nocapture`).
//!
//! One writer is held to a different standard: pdftotext without `-layout` on the PDFs
//! LibreOffice makes from our DOCX set tight, as Word's default table style is, with no space
//! above or below the text of a cell (`*.lo-tight-docx.plain.txt`). There pdftotext writes
//! tables 二 and 三 block by block — row labels in one block, values in column runs whose extent
//! the text does not show — so which cell a number belongs to cannot be known from the text. The
//! reader must then say so (a `READ` finding naming the table) and leave the table out; it must
//! never put a number in a wrong cell, and everything else (table 四, sections, text rules) stays
//! exact. The same document with the 1 mm cell padding our DOCX writer gives
//! (`*.lo-docx.plain.txt`) reads exactly, and so does the tight PDF itself
//! (`*.lo-tight-docx.pdf`), because the reader also reads a PDF with `-layout`.

use gongkai_domain::report::{Report, ReportSet};
use std::collections::BTreeMap;
use std::path::Path;

fn expected_for(name: &str, dir: &Path) -> Report {
    let case = name.split('.').next().unwrap_or(name);
    let text = std::fs::read_to_string(dir.join(format!("{case}.expected.json")))
        .unwrap_or_else(|e| panic!("{case}.expected.json: {e}"));
    let set: ReportSet = serde_json::from_str(&text).expect("expected json");
    set.reports.into_iter().next().expect("one report")
}

/// The writer of a corpus file: its name after the case (`lo-html.plain.txt`, `render.docx`).
fn writer(name: &str) -> &str {
    name.split_once('.').map(|(_, w)| w).unwrap_or(name)
}

#[derive(Default)]
struct Tally {
    files: usize,
    exact: usize,
    cells_ok: usize,
    cells_all: usize,
    find_ok: usize,
    find_all: usize,
}

#[test]
fn the_corpus_reads_back_exactly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/gen");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !n.ends_with(".expected.json") && gongkai_audit::Kind::of(p).is_some()
        })
        .collect();
    files.sort();
    assert!(files.len() >= 30, "corpus too small: {}", files.len());
    let pdftotext = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    let mut tally: BTreeMap<String, Tally> = BTreeMap::new();
    let mut wrong = Vec::new();
    for p in &files {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        if name.ends_with(".pdf") && !pdftotext {
            continue;
        }
        let want = expected_for(&name, &dir);
        let mut got = match gongkai_audit::read_path(p) {
            Ok(r) => vec![r],
            Err(e) => panic!("{name}: {e}"),
        };
        gongkai_audit::check_all(&mut got);
        let got = &got[0];
        let t = tally.entry(writer(&name).to_string()).or_default();
        t.files += 1;
        t.cells_all += want.cells.len();
        let right = |c: &gongkai_domain::report::Cell| {
            got.cell(&c.table, &c.row, &c.column).map(|g| g.value) == Some(c.value)
        };
        t.cells_ok += want.cells.iter().filter(|c| right(c)).count();
        t.find_all += want.findings.len().max(got.findings.len());
        t.find_ok += want
            .findings
            .iter()
            .filter(|f| got.findings.contains(f))
            .count();
        let same_doc = got.organ == want.organ
            && got.year == want.year
            && got.format == want.format
            && got.sections == want.sections;
        let exact = same_doc
            // Compared as JSON: what a cell said when it was not a number is not part of it.
            && serde_json::to_value(&got.cells).ok() == serde_json::to_value(&want.cells).ok()
            && got.findings == want.findings;
        if exact {
            t.exact += 1;
            continue;
        }
        // Extracted text drops an empty cell without a trace, so a row with a blank cell cannot
        // be placed column by column: such rows must be named, never guessed.
        let drops_blank =
            writer(&name).ends_with(".txt") && want.cells.iter().any(|c| c.value.is_none());
        // Text extracted from a PDF does not state a row that does not add up to its own 总计
        // (a misread cannot be told from the organ's error there): the row is declared instead
        // of reported; a PDF whose tables are ruled is read from its grid and reports it (one
        // without ruled lines — LibreOffice's from HTML — declares it too).
        let own_sum_fails = (writer(&name).ends_with(".txt") || writer(&name).ends_with(".pdf"))
            && want
                .findings
                .iter()
                .any(|f| matches!(f.rule.as_str(), "R3" | "R5"));
        if writer(&name) == "lo-tight-docx.plain.txt" || drops_blank || own_sum_fails {
            // Not readable exactly: every cell read is right, every cell left out is under a
            // READ finding naming its table, and every other finding is a true one.
            let misplaced: Vec<_> = got
                .cells
                .iter()
                .filter(|g| {
                    want.cell(&g.table, &g.row, &g.column).map(|c| c.value) != Some(g.value)
                })
                .map(|g| format!("{}/{}/{}", g.table, g.row, g.column))
                .collect();
            let unnamed: Vec<_> = want
                .cells
                .iter()
                .filter(|c| got.cell(&c.table, &c.row, &c.column).is_none())
                .filter(|c| {
                    !got.findings
                        .iter()
                        .any(|f| f.rule == gongkai_audit::parse::READ_RULE && f.location == c.table)
                })
                .map(|c| format!("{}/{}/{}", c.table, c.row, c.column))
                .collect();
            let false_findings: Vec<_> = got
                .findings
                .iter()
                .filter(|f| f.rule != gongkai_audit::parse::READ_RULE && !want.findings.contains(f))
                .map(|f| format!("{} {}", f.rule, f.location))
                .collect();
            if same_doc
                && misplaced.is_empty()
                && unnamed.is_empty()
                && false_findings.is_empty()
                && got.has_table("四")
            {
                continue;
            }
            wrong.push(format!(
                "{name}: misplaced {misplaced:?}, cells left out without a finding {unnamed:?}, false findings {false_findings:?}"
            ));
            continue;
        }
        let bad: Vec<_> = want
            .cells
            .iter()
            .filter(|c| !right(c))
            .map(|c| {
                format!(
                    "{}/{}/{} want {:?} got {:?}",
                    c.table,
                    c.row,
                    c.column,
                    c.value.map(|v| v.0),
                    got.cell(&c.table, &c.row, &c.column)
                        .map(|g| g.value.map(|v| v.0))
                )
            })
            .take(8)
            .collect();
        wrong.push(format!(
            "{name}: organ {:?}/{:?} year {} format {} sections {} cells wrong {:?} findings {:?} vs {:?}",
            got.organ,
            want.organ,
            got.year,
            got.format,
            got.sections.len(),
            bad,
            got.findings
                .iter()
                .map(|f| format!("{} {} {}", f.rule, f.location, f.message))
                .collect::<Vec<_>>(),
            want.findings
                .iter()
                .map(|f| format!("{} {}", f.rule, f.location))
                .collect::<Vec<_>>()
        ));
    }
    let mut all = Tally::default();
    println!("writer                   exact/files  cells          findings");
    for (w, t) in &tally {
        println!(
            "{w:<24} {:>2}/{:<2}     {:>5}/{:<5}    {:>3}/{:<3}",
            t.exact, t.files, t.cells_ok, t.cells_all, t.find_ok, t.find_all
        );
        all.files += t.files;
        all.exact += t.exact;
        all.cells_ok += t.cells_ok;
        all.cells_all += t.cells_all;
        all.find_ok += t.find_ok;
        all.find_all += t.find_all;
    }
    println!(
        "all                      {}/{}    {}/{}    {}/{}",
        all.exact, all.files, all.cells_ok, all.cells_all, all.find_ok, all.find_all
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
