//! Generates the browser-printed corpus under `crates/audit/tests/corpus/browser/`: reports as
//! a portal's content system pages them (tables at the page's full width, cells that break
//! anywhere, full-width digits ２１５ as Word-pasted pages often have), printed to PDF by
//! headless chromium at several page widths, where a number's digits stack on two or three
//! lines and labels wrap across lines that carry another row's digits. Each PDF is kept with
//! its `pdftotext` text both ways (with and without `-layout`, as crawlers store it), and each
//! case with `<case>.expected.json` (the model's cells and the findings the rules give on it).
//!
//! `cargo run -p gongkai-audit --example make_browser_corpus` (needs chromium and pdftotext)

use gongkai_domain::report::{Num, Report, ReportSet, rules};
use std::path::Path;
use std::process::Command;

/// The page widths printed, in millimetres (A4 portrait, a narrow page, a very narrow one).
pub const WIDTHS: &[u32] = &[210, 150, 120];

/// Every number of the tables times `k` (every identity of the tables still holds).
fn scaled(mut r: Report, k: f64) -> Report {
    for c in &mut r.cells {
        if let Some(Num(v)) = c.value
            && c.table != "二"
        {
            c.value = Some(Num(v * k));
        } else if let Some(Num(v)) = c.value
            && v.fract() == 0.0
        {
            c.value = Some(Num(v * k));
        }
    }
    r
}

fn cases() -> Vec<(&'static str, Report, bool)> {
    use gongkai_render::sample::report as sample;
    let mut faulty = scaled(sample(2021), 37.0);
    let v = faulty
        .get("三", "（一）予以公开", "自然人")
        .map_or(0.0, |n| n.0);
    faulty.set_int("三", "（一）予以公开", "自然人", v as i64 + 10);
    vec![
        ("big-2021", scaled(sample(2021), 37.0), true),
        ("big-2020", scaled(sample(2020), 213.0), false),
        ("plain-2022", sample(2022), true),
        ("fault-2021", faulty, true),
    ]
}

const PORTAL_CSS: &str = "body{font-family:\"Noto Serif CJK SC\",serif;font-size:16px;margin:0}\
table{border-collapse:collapse;width:100%}\
td,th{border:1px solid #000;padding:1px 2px;font-size:14px;font-weight:normal;word-break:break-all}\
caption{text-align:left}";

/// The page as a portal serves it: our content, the portal's style sheet, digits of the table
/// cells full-width when `fullwidth`.
fn portal_html(r: &Report, fullwidth: bool, width_mm: u32) -> String {
    let page = gongkai_render::html::report_page(r).replace(gongkai_render::html::CSS, PORTAL_CSS);
    let page = page.replace(
        "</head>",
        &format!("<style>@page{{size:{width_mm}mm 297mm;margin:12mm 10mm}}</style></head>"),
    );
    if !fullwidth {
        return page;
    }
    // Digits inside <td>…</td> only: headings and prose keep theirs.
    let mut out = String::with_capacity(page.len());
    let mut rest = page.as_str();
    while let Some(at) = rest.find("<td") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find("</td>").map_or(rest.len(), |e| at + e);
        // The tag itself (its colspan and rowspan) stays as it is.
        let open = rest[at..end].find('>').map_or(end, |g| at + g + 1);
        out.push_str(&rest[at..open]);
        out.extend(rest[open..end].chars().map(|c| {
            if c.is_ascii_digit() {
                char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
            } else {
                c
            }
        }));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn expected(r: &Report) -> String {
    let mut e = r.clone();
    e.source = None;
    e.findings = rules::check(r);
    serde_json::to_string_pretty(&ReportSet { reports: vec![e] }).unwrap_or_default() + "\n"
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/browser");
    std::fs::create_dir_all(&dir).expect("corpus folder");
    let tmp = std::env::temp_dir().join("gongkai-corpus-browser");
    std::fs::create_dir_all(&tmp).expect("temp folder");
    for (name, r, fullwidth) in cases() {
        std::fs::write(dir.join(format!("{name}.expected.json")), expected(&r)).expect("write");
        for &w in WIDTHS {
            let html = tmp.join(format!("{name}.{w}.html"));
            std::fs::write(&html, portal_html(&r, fullwidth, w)).expect("write");
            let pdf = dir.join(format!("{name}.chromium-{w}mm.pdf"));
            let st = Command::new("chromium")
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-pdf-header-footer",
                ])
                .arg(format!("--print-to-pdf={}", pdf.display()))
                .arg(format!("file://{}", html.display()))
                .output()
                .expect("chromium");
            assert!(st.status.success() && pdf.exists(), "chromium failed");
            for layout in [false, true] {
                let t = gongkai_audit::pdftotext(&pdf, layout).expect("pdftotext");
                let tag = if layout { "layout" } else { "plain" };
                std::fs::write(dir.join(format!("{name}.chromium-{w}mm.{tag}.txt")), t)
                    .expect("write");
            }
            eprintln!("{name} {w} mm done");
        }
    }
}
