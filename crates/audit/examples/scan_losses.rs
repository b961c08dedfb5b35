//! Where a scan's cells are lost: `cargo run -p gongkai-audit --example scan_losses -- FILE...`
//! (each FILE beside its `<case>.expected.json`). For every table, of the document's cells: how
//! many OCR gave no value for, how many it read wrong, how many right, and how many of those
//! right the identities then prove (what is stated). GONGKAI_LOSSES_CELLS=1 lists the cells.
use gongkai_domain::report::{Report, ReportSet};
use std::path::Path;

fn expected_for(p: &Path) -> Report {
    let name = p.file_name().unwrap().to_string_lossy().to_string();
    let case = name.split('.').next().unwrap();
    let text = std::fs::read_to_string(p.with_file_name(format!("{case}.expected.json")))
        .expect("expected json");
    let set: ReportSet = serde_json::from_str(&text).expect("json");
    set.reports.into_iter().next().expect("one report")
}

fn main() {
    let limits = gongkai_audit::Limits::default();
    let list = std::env::var_os("GONGKAI_LOSSES_CELLS").is_some();
    for f in std::env::args().skip(1) {
        let p = Path::new(&f);
        let want = expected_for(p);
        let pages = std::process::Command::new("pdfinfo")
            .arg(p)
            .output()
            .ok()
            .and_then(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .find_map(|l| l.strip_prefix("Pages:").map(|v| v.trim().parse().ok()))
                    .flatten()
            })
            .unwrap_or(3);
        if let Some(dir) = std::env::var_os("GONGKAI_LOSSES_STRIPS") {
            dump_strips(p, pages, &limits, Path::new(&dir));
        }
        let t0 = std::time::Instant::now();
        let lines = match gongkai_audit::scan::scan_lines(p, pages, &limits) {
            Ok(l) => l,
            Err(e) => {
                println!("{f}: {e}");
                continue;
            }
        };
        let raw = gongkai_audit::parse::parse(lines, None);
        let mut fixed = raw.clone();
        gongkai_audit::scan::stray_ones(&mut fixed);
        let mut kept = fixed.clone();
        gongkai_audit::identities::keep_confirmed(&mut kept);
        println!("{f} ({:.1} s)", t0.elapsed().as_secs_f64());
        let mut tables: Vec<&str> = want.cells.iter().map(|c| c.table.as_str()).collect();
        tables.dedup();
        for t in tables {
            let (mut missing, mut wrong, mut right, mut fixed_right, mut stated) = (0, 0, 0, 0, 0);
            for c in want.cells.iter().filter(|c| c.table == t) {
                let got = raw.cell(&c.table, &c.row, &c.column).map(|g| g.value);
                match got {
                    None | Some(None) if c.value.is_some() => {
                        missing += 1;
                        if list {
                            println!("  missing {}/{}/{}", c.table, c.row, c.column);
                        }
                    }
                    Some(v) if v == c.value => right += 1,
                    None => right += 1,
                    Some(v) => {
                        wrong += 1;
                        if list {
                            println!(
                                "  wrong   {}/{}/{}: {:?} for {:?}",
                                c.table, c.row, c.column, v, c.value
                            );
                        }
                    }
                }
                if fixed.cell(&c.table, &c.row, &c.column).map(|g| g.value) == Some(c.value) {
                    fixed_right += 1;
                }
                if kept.cell(&c.table, &c.row, &c.column).map(|g| g.value) == Some(c.value) {
                    stated += 1;
                }
            }
            println!(
                "  表{t}: missing {missing}, wrong {wrong}, right {right} (after stray 1s {fixed_right}), stated {stated}"
            );
        }
    }
}

/// Writes the strips of cells OCR reads, page by page, as PGM files into `dir`.
fn dump_strips(p: &Path, pages: usize, limits: &gongkai_audit::Limits, dir: &Path) {
    use gongkai_audit::{grid, ocr_cells, pdf, scan};
    let deadline = gongkai_audit::bounded::Deadline::after(limits.ocr_timeout);
    let stem = p.file_stem().unwrap().to_string_lossy().to_string();
    for page in 1..=pages {
        let Ok(imgs) = pdf::render(p, scan::OCR_DPI, page, page, limits, deadline) else {
            return;
        };
        let Some(g) = imgs.into_iter().next() else {
            return;
        };
        let g = grid::deskew(&g);
        let tables = grid::tables(&g, scan::OCR_DPI);
        let cells = ocr_cells::ink_cells(&g, &tables);
        for (i, (s, _)) in ocr_cells::strips(&g, &cells, true).into_iter().enumerate() {
            let mut out = format!("P5\n{} {}\n255\n", s.width, s.height).into_bytes();
            out.extend_from_slice(&s.pixels);
            let _ = std::fs::write(dir.join(format!("{stem}-p{page}-s{i}.pgm")), out);
        }
    }
}
