//! What reading a PDF costs against its baseline (issue 27), `cargo bench -p gongkai-audit
//! --bench pdf [-- N]`:
//!
//! - the audit of a text PDF (read and checked, N times, default 20) against one
//!   `pdftotext -layout` run of the same file (N times): the ratio must stay ≤ 1.2 — the reader
//!   runs pdftotext once on a PDF it reads whole that way;
//! - a scanned report of three pages read by OCR (once each): under 20 s.
//!
//! The text PDFs are LibreOffice's print of our DOCX (tests/corpus/wordproc) and, when
//! `GONGKAI_REAL_CORPUS` names the folder of the real corpus's PDFs, those.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn time(n: usize, mut f: impl FnMut()) -> Duration {
    let t = Instant::now();
    for _ in 0..n {
        f();
    }
    t.elapsed() / n as u32
}

fn text_pdf(p: &Path, n: usize) {
    let base = time(n, || {
        let out = Command::new("pdftotext")
            .args(["-layout", "-enc", "UTF-8"])
            .arg(p)
            .arg("-")
            .output()
            .expect("pdftotext");
        assert!(out.status.success());
    });
    let mut cells = 0;
    let audit = time(n, || {
        let mut r = vec![gongkai_audit::read_path(p).expect("read")];
        gongkai_audit::check_all(&mut r);
        cells = r[0].cells.len();
    });
    println!(
        "{:40} pdftotext -layout {:7.1} ms   audit {:7.1} ms ({cells} cells)   ratio {:.2}",
        p.file_name().unwrap_or_default().to_string_lossy(),
        base.as_secs_f64() * 1e3,
        audit.as_secs_f64() * 1e3,
        audit.as_secs_f64() / base.as_secs_f64()
    );
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(20);
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut pdfs: Vec<PathBuf> = vec![
        corpus.join("wordproc/ok-2022.lo-docx.pdf"),
        corpus.join("wordproc/ok-2021.lo-html.pdf"),
    ];
    if let Some(real) = std::env::var_os("GONGKAI_REAL_CORPUS") {
        for f in [
            "hongze-gov-2023.pdf",
            "hongze-gov-2024.pdf",
            "huaian-gov-2024.pdf",
        ] {
            let p = Path::new(&real).join(f);
            if p.exists() {
                pdfs.push(p);
            }
        }
    }
    println!("text PDFs, mean of {n} runs each:");
    for p in &pdfs {
        text_pdf(p, n);
    }
    let ocr = Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("chi_sim"));
    if !ocr {
        println!("tesseract with chi_sim not installed: scans not measured");
        return;
    }
    println!("scans of three pages, read by OCR:");
    for f in ["plain-2022.scan-150dpi.pdf", "big-2021.scan-200dpi.pdf"] {
        let p = corpus.join("scan").join(f);
        let mut cells = 0;
        let runs = 1;
        let t = time(runs, || {
            cells = gongkai_audit::read_path(&p)
                .map(|r| r.cells.len())
                .unwrap_or(0);
        });
        println!(
            "{f:40} {:6.2} s per file (mean of {runs}; {cells} cells stated)",
            t.as_secs_f64()
        );
    }
}
