//! Where the time of reading a text PDF goes (issue 27), phase by phase, mean of N runs:
//! `cargo run --release -p gongkai-audit --example pdf_phases -- FILE.pdf... [N]`.
//! Each phase is timed as the reader runs it (`gongkai_audit::pdf::read_pdf_with`), and which
//! phases the reader reached for this file is printed with the whole read's time.

use gongkai_audit::Limits;
use gongkai_audit::bounded::Deadline;
use gongkai_audit::pdf;
use std::path::Path;
use std::time::Instant;

fn ms(n: usize, mut f: impl FnMut()) -> f64 {
    let t = Instant::now();
    for _ in 0..n {
        f();
    }
    t.elapsed().as_secs_f64() * 1e3 / n as f64
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(5);
    let limits = Limits::default();
    let dl = || Deadline::after(limits.timeout);
    for f in args.iter().filter(|a| a.ends_with(".pdf")) {
        let p = Path::new(f);
        let layout = ms(n, || {
            gongkai_audit::pdftotext_with(p, true, &limits, dl()).expect("layout");
        });
        let text = gongkai_audit::pdftotext_with(p, true, &limits, dl()).expect("layout");
        let parse = ms(n, || {
            let _ =
                gongkai_audit::parse::parse(gongkai_audit::collected::collected_lines(&text), None);
        });
        let plain = ms(n, || {
            gongkai_audit::pdftotext_with(p, false, &limits, dl()).expect("plain");
        });
        let bbox = ms(n, || {
            pdf::bbox_pages(p, &limits, dl()).expect("bbox");
        });
        let pages = pdf::bbox_pages(p, &limits, dl()).expect("bbox");
        let render1 = ms(n, || {
            pdf::render(p, pdf::GRID_DPI, 1, 1, &limits, dl()).expect("render");
        });
        let grid = ms(n, || {
            pdf::grid_lines(p, &pages, &limits, dl()).expect("grid");
        });
        let whole = ms(n, || {
            pdf::read_pdf_with(p, None, &limits, dl()).expect("read");
        });
        println!(
            "{}: layout {layout:.1} ms, parse {parse:.1}, plain {plain:.1}, bbox {bbox:.1}, \
             render one page {render1:.1}, grid_lines (renders+grid) {grid:.1}, whole read {whole:.1} \
             ({} pages, rendered: {:?})",
            p.file_name().unwrap_or_default().to_string_lossy(),
            pages.len(),
            (0..pages.len())
                .filter(|&i| pdf::has_numbers(&pages[i]))
                .map(|i| i + 1)
                .collect::<Vec<_>>()
        );
    }
}
