//! Generates the scan corpus under `crates/audit/tests/corpus/scan/`: PDFs of the generated
//! corpus printed and scanned, as a county department's stamped report is — every page rendered
//! at 150 or 200 dpi, turned by a little under a degree, blurred, speckled, saved as JPEG and
//! wrapped into an image-only PDF (no text layer). Each scan keeps its case's expected file.
//!
//! `cargo run -p gongkai-audit --example make_scans` (needs pdftoppm and ImageMagick's
//! `convert` for the JPEG; the tests need neither)

use gongkai_audit::bounded::{Deadline, Limits};
use gongkai_audit::grid::Gray;
use std::path::Path;
use std::process::Command;

/// (source PDF under tests/corpus, case name)
const SOURCES: &[(&str, &str)] = &[
    ("browser/big-2021.chromium-210mm.pdf", "big-2021"),
    ("browser/plain-2022.chromium-210mm.pdf", "plain-2022"),
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// A 3×3 blur mixed half with the original, and dark and light specks.
fn degrade(g: &Gray, rng: &mut Rng) -> Gray {
    let mut p = g.pixels.clone();
    for y in 1..g.height - 1 {
        for x in 1..g.width - 1 {
            let mut sum = 0u32;
            for dy in 0..3 {
                for dx in 0..3 {
                    sum += g.pixels[(y + dy - 1) * g.width + x + dx - 1] as u32;
                }
            }
            let blur = sum / 9;
            p[y * g.width + x] = ((blur + g.pixels[y * g.width + x] as u32) / 2) as u8;
        }
    }
    for v in p.iter_mut() {
        let r = rng.next() % 1000;
        if r == 0 {
            *v = 40;
        } else if r < 20 {
            *v = v.saturating_add(20);
        } else if r < 40 {
            *v = v.saturating_sub(25);
        }
    }
    Gray {
        pixels: p,
        ..g.clone()
    }
}

fn jpeg(g: &Gray, tmp: &Path) -> Vec<u8> {
    let pgm = tmp.join("page.pgm");
    let jpg = tmp.join("page.jpg");
    let mut data = format!("P5\n{} {}\n255\n", g.width, g.height).into_bytes();
    data.extend_from_slice(&g.pixels);
    std::fs::write(&pgm, data).expect("write");
    let st = Command::new("convert")
        .arg(&pgm)
        .args(["-quality", "55"])
        .arg(&jpg)
        .status()
        .expect("convert (apt-get install imagemagick)");
    assert!(st.success(), "convert failed");
    std::fs::read(&jpg).expect("jpeg")
}

/// An image-only PDF: one grey JPEG a page, the page the image's size at `dpi`.
fn image_pdf(pages: &[(usize, usize, Vec<u8>)], dpi: u32) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    let n = pages.len();
    let obj = |out: &mut Vec<u8>, offsets: &mut Vec<usize>, body: &[u8]| {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    obj(&mut out, &mut offsets, b"<< /Type /Catalog /Pages 2 0 R >>");
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 3 + 3 * i)).collect();
    obj(
        &mut out,
        &mut offsets,
        format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).as_bytes(),
    );
    for (i, (w, h, data)) in pages.iter().enumerate() {
        let (pw, ph) = (*w as f64 * 72.0 / dpi as f64, *h as f64 * 72.0 / dpi as f64);
        let (page, content, image) = (3 + 3 * i, 4 + 3 * i, 5 + 3 * i);
        let _ = page;
        obj(
            &mut out,
            &mut offsets,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2} {ph:.2}] /Resources << /XObject << /Im0 {image} 0 R >> >> /Contents {content} 0 R >>"
            )
            .as_bytes(),
        );
        let draw = format!("q {pw:.2} 0 0 {ph:.2} 0 0 cm /Im0 Do Q");
        obj(
            &mut out,
            &mut offsets,
            format!("<< /Length {} >>\nstream\n{draw}\nendstream", draw.len()).as_bytes(),
        );
        let mut body = format!(
            "<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
            data.len()
        )
        .into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        obj(&mut out, &mut offsets, &body);
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes(),
    );
    for o in &offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            offsets.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn main() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let dir = corpus.join("scan");
    std::fs::create_dir_all(&dir).expect("corpus folder");
    let tmp = std::env::temp_dir().join("gongkai-corpus-scan");
    std::fs::create_dir_all(&tmp).expect("temp folder");
    let limits = Limits::default();
    let mut rng = Rng(0x5eed_0f5c_a115);
    for (src, case) in SOURCES {
        std::fs::copy(
            corpus
                .join(src)
                .with_file_name(format!("{case}.expected.json")),
            dir.join(format!("{case}.expected.json")),
        )
        .expect("expected file");
        for (dpi, deg) in [(150u32, 0.7f64), (200, -0.9)] {
            let pages = gongkai_audit::pdf::render(
                &corpus.join(src),
                dpi,
                1,
                12,
                &limits,
                Deadline::after(std::time::Duration::from_secs(60)),
            )
            .expect("render");
            let scanned: Vec<(usize, usize, Vec<u8>)> = pages
                .iter()
                .map(|g| {
                    let d = degrade(&gongkai_audit::grid::rotate(g, deg), &mut rng);
                    (d.width, d.height, jpeg(&d, &tmp))
                })
                .collect();
            let out = dir.join(format!("{case}.scan-{dpi}dpi.pdf"));
            std::fs::write(&out, image_pdf(&scanned, dpi)).expect("write");
            eprintln!("{} ({} pages)", out.display(), scanned.len());
        }
    }
}
