//! Every file of the generated corpus (tests/corpus/gen, see examples/make_corpus.rs) reads back
//! to exactly its expected cells and findings. Accuracy figures are printed
//! (`cargo test -p gongkai-audit --test corpus -- --nocapture`).

use gongkai_domain::report::{Report, ReportSet};
use std::path::Path;

fn expected_for(name: &str, dir: &Path) -> Report {
    let case = name.split('.').next().unwrap_or(name);
    let text = std::fs::read_to_string(dir.join(format!("{case}.expected.json")))
        .unwrap_or_else(|e| panic!("{case}.expected.json: {e}"));
    let set: ReportSet = serde_json::from_str(&text).expect("expected json");
    set.reports.into_iter().next().expect("one report")
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
    let (mut cells_ok, mut cells_all, mut find_ok, mut find_all) = (0, 0, 0, 0);
    // pdftotext without -layout on LibreOffice's PDFs: tables come out cell by cell in an order
    // that is not the reading order; measured, not required (read_pdf picks the -layout reading).
    let (mut plain_ok, mut plain_all, mut plain_files, mut plain_exact) = (0, 0, 0, 0);
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
        if name.contains(".lo-") && name.ends_with(".plain.txt") {
            plain_files += 1;
            plain_all += want.cells.len();
            plain_ok += want
                .cells
                .iter()
                .filter(|c| got.cell(&c.table, &c.row, &c.column).map(|g| g.value) == Some(c.value))
                .count();
            if serde_json::to_value(&got.cells).ok() == serde_json::to_value(&want.cells).ok()
                && got.findings == want.findings
            {
                plain_exact += 1;
            }
            continue;
        }
        cells_all += want.cells.len();
        for c in &want.cells {
            if got.cell(&c.table, &c.row, &c.column).map(|g| g.value) == Some(c.value) {
                cells_ok += 1;
            }
        }
        find_all += want.findings.len().max(got.findings.len());
        find_ok += want
            .findings
            .iter()
            .filter(|f| got.findings.contains(f))
            .count();
        let same = got.organ == want.organ
            && got.year == want.year
            && got.format == want.format
            && got.sections == want.sections
            // Compared as JSON: what a cell said when it was not a number is not part of it.
            && serde_json::to_value(&got.cells).ok() == serde_json::to_value(&want.cells).ok()
            && got.findings == want.findings;
        if !same {
            let bad: Vec<_> = want
                .cells
                .iter()
                .filter(|c| got.cell(&c.table, &c.row, &c.column).map(|g| g.value) != Some(c.value))
                .map(|c| format!("{}/{}/{}", c.table, c.row, c.column))
                .take(5)
                .collect();
            wrong.push(format!(
                "{name}: organ {:?}/{:?} year {} format {} sections {} cells wrong {:?} findings {:?} vs {:?}",
                got.organ,
                want.organ,
                got.year,
                got.format,
                got.sections.len(),
                bad,
                got.findings.iter().map(|f| format!("{} {} {}", f.rule, f.location, f.message)).collect::<Vec<_>>(),
                want.findings.iter().map(|f| format!("{} {}", f.rule, f.location)).collect::<Vec<_>>()
            ));
        }
    }
    println!(
        "corpus: {} files, cells {cells_ok}/{cells_all}, findings {find_ok}/{find_all}, files exact {}/{}",
        files.len(),
        files.len() - plain_files - wrong.len(),
        files.len() - plain_files
    );
    println!(
        "LibreOffice PDF through pdftotext without -layout: {plain_files} files, cells {plain_ok}/{plain_all}, files exact {plain_exact}/{plain_files}"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
