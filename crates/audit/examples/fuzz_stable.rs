//! Fuzzing the readers on stable Rust, for machines without nightly and cargo-fuzz: a
//! mutation fuzzer over the corpus in `tests/corpus/` (our renders, LibreOffice's, real
//! reports), for a time budget, on one reader:
//!
//!     cargo run --release -p gongkai-audit --example fuzz_stable -- text 600
//!     cargo run --release -p gongkai-audit --example fuzz_stable -- html 600
//!     cargo run --release -p gongkai-audit --example fuzz_stable -- docx 600
//!     cargo run --release -p gongkai-audit --example fuzz_stable -- grid 600
//!     cargo run --release -p gongkai-audit --example fuzz_stable -- scan 600
//!     cargo run --release -p gongkai-audit --example fuzz_stable -- pdf 600
//!
//! `grid` feeds a page picture (PGM) and its words' boxes (`pdftotext -bbox-layout`'s XML),
//! both mutated, to the grid reader; `scan` a picture and tesseract's TSV to the deskew, the
//! cells' cutting and strips and the grid reader; their seeds are the pages of the browser and
//! scan corpora rendered at 72 dpi when the run starts. `pdf` mutates the corpus's PDFs and
//! reads each whole (`read_path`: scan detection, the text and grid readings and their merge).
//!
//! Each input is a seed document mutated a few times (bytes flipped, chunks cut, copied,
//! moved or spliced from another seed, digits and table separators inserted, lines repeated).
//! `docx` mutates the `word/document.xml` of a seed DOCX (so the XML is explored, not the zip
//! container) and also feeds raw bytes. Every read is checked with every rule, and what is read
//! must be well formed (official cells, each once). A panic stops the run and writes the input
//! to `fuzz-crash-<reader>-<n>.bin` in the current folder; keep it in `tests/corpus/fuzz/`.
//! The optional third argument is the random seed (default: the time).

use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const TOKENS: &[&str] = &[
    "0",
    "7",
    "12",
    "１２",
    "—",
    "-",
    "|",
    "| --- |",
    "\n",
    " ",
    "\t",
    "，",
    "。",
    "（七）总计",
    "总计",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "<td>",
    "</td>",
    "<tr>",
    "</tr>",
    "<table>",
    "</table>",
    "colspan=\"3\"",
    "rowspan=\"20\"",
    "<w:tc>",
    "</w:tc>",
    "<w:tr>",
    "</w:tr>",
    "<w:gridSpan w:val=\"3\"/>",
    "<w:vMerge/>",
    "<w:gridBefore w:val=\"2\"/>",
    "&nbsp;",
    "其中",
    "分别为",
    "予以公开及部分公开",
    "均获维持",
    "标题：",
    "==== 正文 ====",
    "# ",
    "## 表三",
    "数据1",
    "1.",
    "２０２１年",
    "年度报告",
];

fn mutate(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    for _ in 0..1 + rng.below(6) {
        let len = data.len();
        match rng.below(8) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below((len - i).min(64) + 1);
                data.drain(i..i + n);
            }
            2 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below((len - i).min(256) + 1);
                let chunk = data[i..i + n].to_vec();
                let at = rng.below(data.len() + 1);
                data.splice(at..at, chunk);
            }
            3 if !other.is_empty() => {
                let i = rng.below(other.len());
                let n = rng.below((other.len() - i).min(512) + 1);
                let at = rng.below(len + 1);
                data.splice(at..at, other[i..i + n].iter().copied());
            }
            4 | 5 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let at = rng.below(len + 1);
                data.splice(at..at, t.iter().copied());
            }
            6 if len > 0 => {
                // Replace a run of ASCII digits with another number.
                let i = rng.below(len);
                if let Some(p) = data[i..].iter().position(u8::is_ascii_digit) {
                    let s = i + p;
                    let e = data[s..]
                        .iter()
                        .position(|b| !b.is_ascii_digit())
                        .map_or(data.len(), |q| s + q);
                    let n = rng.next() % 100_000;
                    data.splice(s..e, n.to_string().bytes());
                }
            }
            _ if len > 0 => {
                // Truncate.
                let n = rng.below(len);
                data.truncate(n);
            }
            _ => data.push(rng.below(256) as u8),
        }
    }
}

fn well_formed(r: &gongkai_domain::report::Report) {
    for (i, c) in r.cells.iter().enumerate() {
        assert!(
            gongkai_domain::report::layout::key_of(&c.table, &c.row, &c.column).is_some(),
            "a cell that is not official: {}/{}/{}",
            c.table,
            c.row,
            c.column
        );
        assert!(
            !r.cells[..i]
                .iter()
                .any(|d| d.table == c.table && d.row == c.row && d.column == c.column),
            "a cell twice"
        );
    }
}

fn checked(r: gongkai_domain::report::Report) {
    let mut v = vec![r];
    gongkai_audit::check_all(&mut v);
    well_formed(&v[0]);
    let _ = gongkai_audit::to_json(&gongkai_domain::report::ReportSet { reports: v });
}

fn document_xml(docx: &[u8]) -> Option<Vec<u8>> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).ok()?;
    let mut f = z.by_name("word/document.xml").ok()?;
    let mut out = Vec::new();
    f.read_to_end(&mut out).ok()?;
    Some(out)
}

fn docx_of(xml: &[u8]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let _ = z.start_file("word/document.xml", opts);
        let _ = z.write_all(xml);
        let _ = z.finish();
    }
    buf.into_inner()
}

const SPLIT: &[u8] = b"\0--split--\0";

/// A picture and a text in one input, split at `SPLIT` (the whole input is the picture when it
/// has none).
fn halves(input: &[u8]) -> (&[u8], &[u8]) {
    match input.windows(SPLIT.len()).position(|w| w == SPLIT) {
        Some(i) => (&input[..i], &input[i + SPLIT.len()..]),
        None => (input, &[]),
    }
}

/// Seeds of `grid` and `scan`: each page of the corpus's PDFs at 72 dpi (a pixel a point) with
/// its words' boxes (`grid`) or a TSV of those words as tesseract writes it (`scan`).
fn picture_seeds(kind: &str, root: &Path) -> Vec<Vec<u8>> {
    use std::process::Command;
    let sub = if kind == "grid" { "browser" } else { "scan" };
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(root.join(sub)) else {
        return out;
    };
    let mut pdfs: Vec<_> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    let browser = root.join("browser");
    for p in pdfs.iter().take(4) {
        let Ok(img) = Command::new("pdftoppm")
            .args(["-gray", "-r", "72"])
            .arg(p)
            .output()
        else {
            continue;
        };
        // Words from the browser print of the same case (a scan has no text layer).
        let case = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .split('.')
            .next()
            .unwrap_or("")
            .to_string();
        let words_pdf = browser.join(format!("{case}.chromium-210mm.pdf"));
        let xml = Command::new("pdftotext")
            .args(["-bbox-layout", "-enc", "UTF-8"])
            .arg(if kind == "grid" { p } else { &words_pdf })
            .arg("-")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        let pages = gongkai_audit::pdf::parse_bbox(&xml);
        for (i, g) in gongkai_audit::grid::Gray::parse_pgm(&img.stdout)
            .into_iter()
            .enumerate()
        {
            let mut seed = format!("P5\n{} {}\n255\n", g.width, g.height).into_bytes();
            seed.extend_from_slice(&g.pixels);
            seed.extend_from_slice(SPLIT);
            if kind == "grid" {
                // The page's part of the XML is enough: the whole document's pages follow.
                seed.extend_from_slice(xml.as_bytes());
            } else if let Some(pg) = pages.get(i) {
                let mut tsv = String::from(
                    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n",
                );
                for w in &pg.words {
                    tsv.push_str(&format!(
                        "5\t1\t1\t1\t{}\t1\t{}\t{}\t{}\t{}\t90\t{}\n",
                        w.line,
                        w.x0 as i64,
                        w.y0 as i64,
                        (w.x1 - w.x0) as i64,
                        (w.y1 - w.y0) as i64,
                        w.text
                    ));
                }
                seed.extend_from_slice(tsv.as_bytes());
            }
            out.push(seed);
        }
    }
    out
}

/// The grid reader on a mutated picture and words.
fn grid_run(input: &[u8]) {
    let (pic, text) = halves(input);
    let text = String::from_utf8_lossy(text);
    for g in gongkai_audit::grid::Gray::parse_pgm(pic) {
        let words: Vec<_> = gongkai_audit::pdf::parse_bbox(&text)
            .into_iter()
            .flat_map(|p| p.words)
            .collect();
        checked(gongkai_audit::parse::parse(
            gongkai_audit::grid::page_lines(&g, 72, &words),
            None,
        ));
    }
}

/// The scan reader's steps on a mutated picture and TSV (no tesseract run: the TSV stands for
/// each strip's reading).
fn scan_run(input: &[u8]) {
    use gongkai_audit::ocr_cells as oc;
    let (pic, text) = halves(input);
    let words = gongkai_audit::scan::parse_tsv(&String::from_utf8_lossy(text));
    for g in gongkai_audit::grid::Gray::parse_pgm(pic) {
        let g = gongkai_audit::grid::deskew(&g);
        let tables = gongkai_audit::grid::tables(&g, 72);
        let _ = oc::without_tables(&g, &tables);
        let cells = oc::ink_cells(&g, &tables);
        let mut texts = Vec::new();
        for (_, rows) in oc::strips(&g, &cells, false) {
            texts.extend(oc::assign(&words, &rows));
        }
        // The digits strips (lines of ink side by side, gaps closed up) are cut too.
        let _ = oc::strips(&g, &cells, true);
        let mut all: Vec<_> = words.iter().map(|(w, _)| w.clone()).collect();
        all.extend(oc::cell_words(&cells, &texts, &texts, 1000));
        let mut r =
            gongkai_audit::parse::parse(gongkai_audit::grid::page_lines(&g, 72, &all), None);
        gongkai_audit::identities::keep_confirmed(&mut r);
        checked(r);
    }
}

/// A mutated PDF read whole, within tight bounds.
fn pdf_run(input: &[u8]) {
    let dir = std::env::temp_dir().join(format!("gongkai-fuzz-pdf-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let p = dir.join("input.pdf");
    if std::fs::write(&p, input).is_ok() {
        let limits = gongkai_audit::Limits {
            timeout: Duration::from_secs(5),
            ocr_timeout: Duration::from_secs(20),
            max_ocr_pages: 1,
            ..Default::default()
        };
        if let Ok(r) = gongkai_audit::read_path_with(&p, &limits) {
            checked(r);
        }
    }
}

fn seeds(kind: &str) -> Vec<Vec<u8>> {
    if kind == "grid" || kind == "scan" {
        return picture_seeds(
            kind,
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus"),
        );
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let name = p.to_string_lossy().to_lowercase();
            let keep = match kind {
                "text" => name.ends_with(".txt") || name.ends_with(".md"),
                "html" => name.ends_with(".html"),
                "pdf" => name.ends_with(".pdf"),
                _ => name.ends_with(".docx"),
            };
            if keep && let Ok(b) = std::fs::read(&p) {
                if kind == "docx" {
                    if let Some(x) = document_xml(&b) {
                        out.push(x);
                    }
                } else {
                    out.push(b);
                }
            }
        }
    }
    out.sort();
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let kind = args
        .get(1)
        .map(String::as_str)
        .unwrap_or("text")
        .to_string();
    let secs: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(60);
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
            | 1
    });
    if !matches!(
        kind.as_str(),
        "text" | "html" | "docx" | "grid" | "scan" | "pdf"
    ) {
        eprintln!("usage: fuzz_stable text|html|docx|grid|scan|pdf [seconds] [seed]");
        std::process::exit(2);
    }
    let corpus = seeds(&kind);
    assert!(!corpus.is_empty(), "no seeds for {kind}");
    let mut rng = Rng(seed);
    let end = Instant::now() + Duration::from_secs(secs);
    // Keep panics quiet: the input is written out instead.
    std::panic::set_hook(Box::new(|_| {}));
    let (mut runs, mut crashes) = (0u64, 0u64);
    eprintln!(
        "fuzz_stable {kind}: {} seeds, {secs} s, seed {seed}",
        corpus.len()
    );
    while Instant::now() < end {
        let mut data = corpus[rng.below(corpus.len())].clone();
        let other = &corpus[rng.below(corpus.len())];
        mutate(&mut rng, &mut data, other);
        let input = data.clone();
        let k = kind.clone();
        let outcome = std::panic::catch_unwind(move || match k.as_str() {
            "text" => {
                let text = String::from_utf8_lossy(&input);
                checked(gongkai_audit::read_text(&text, None));
            }
            "html" => {
                let text = String::from_utf8_lossy(&input);
                if let Ok(r) = gongkai_audit::read_html(&text, None) {
                    checked(r);
                }
            }
            "grid" => grid_run(&input),
            "scan" => scan_run(&input),
            "pdf" => pdf_run(&input),
            _ => {
                let _ = gongkai_audit::read_docx(&input, None);
                if let Ok(r) = gongkai_audit::read_docx(&docx_of(&input), None) {
                    checked(r);
                }
            }
        });
        runs += 1;
        if outcome.is_err() {
            crashes += 1;
            let name = format!("fuzz-crash-{kind}-{crashes}.bin");
            let _ = std::fs::write(&name, &data);
            let _ = std::panic::take_hook();
            // Show the panic's message by running the input once more with the default hook.
            let text = String::from_utf8_lossy(&data).into_owned();
            let bytes = data.clone();
            let k = kind.clone();
            let _ = std::panic::catch_unwind(move || match k.as_str() {
                "text" => checked(gongkai_audit::read_text(&text, None)),
                "html" => {
                    if let Ok(r) = gongkai_audit::read_html(&text, None) {
                        checked(r)
                    }
                }
                "grid" => grid_run(&bytes),
                "scan" => scan_run(&bytes),
                "pdf" => pdf_run(&bytes),
                _ => {
                    if let Ok(r) = gongkai_audit::read_docx(&docx_of(&bytes), None) {
                        checked(r)
                    }
                }
            });
            eprintln!("panic: input written to {name}");
            break;
        }
    }
    println!("fuzz_stable {kind}: {runs} inputs, {crashes} panics");
    if crashes > 0 {
        std::process::exit(1);
    }
}
