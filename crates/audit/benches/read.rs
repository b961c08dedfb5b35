//! Reading speed: the seed-like text read and checked N times (default 1,000), in reports per
//! second. `cargo bench -p gongkai-audit` (pdftotext is not involved: this is our own time).

use std::time::Instant;

const SEED: &str = include_str!("../tests/corpus/seed/lingwu-edu-2020.txt");

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1000);
    // Vary the text a little so no layer can cache a result.
    let texts: Vec<String> = (0..n)
        .map(|i| {
            SEED.replace(
                "行政许可 8 0 195",
                &format!("行政许可 8 0 {}", 100 + i % 900),
            )
        })
        .collect();
    let t = Instant::now();
    let mut cells = 0usize;
    for (i, text) in texts.iter().enumerate() {
        let mut r = vec![gongkai_audit::read_text(text, Some(format!("{i}.txt")))];
        gongkai_audit::check_all(&mut r);
        cells += r[0].cells.len();
    }
    let dt = t.elapsed();
    println!(
        "read+check {n} reports ({cells} cells) in {:.3} s: {:.0} reports/s, {:.3} ms per report",
        dt.as_secs_f64(),
        n as f64 / dt.as_secs_f64(),
        dt.as_secs_f64() * 1000.0 / n as f64
    );

    // The same over files on disk, through the batch entry point (reading, checking, and the
    // cross-year rules between reports of one organ).
    let dir = std::env::temp_dir().join(format!("gongkai-audit-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (i, text) in texts.iter().enumerate() {
        std::fs::write(dir.join(format!("{i:04}.txt")), text).expect("write");
    }
    let t = Instant::now();
    let (set, failed) = gongkai_audit::audit_paths(std::slice::from_ref(&dir));
    let dt = t.elapsed();
    println!(
        "audit of {} files ({} read, {} unreadable) in {:.3} s: {:.0} reports/s",
        n,
        set.reports.len(),
        failed.len(),
        dt.as_secs_f64(),
        n as f64 / dt.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
