//! Generates the test corpus under `crates/audit/tests/corpus/gen/`: reports in both formats,
//! consistent and with injected faults, written as seed-like extracted text (our writer below),
//! HTML and DOCX (gongkai_render), and — when LibreOffice is installed — PDF converted from the
//! HTML, the DOCX and the DOCX with its tables set tight (no cell padding above and below) by
//! LibreOffice, then extracted by pdftotext with and without `-layout`.
//! Each case has `<case>.expected.json`: the model's cells and the findings the rules give on
//! the model (so a fault's findings are exactly what was injected).
//!
//! `cargo run -p gongkai-audit --example make_corpus [-- --no-libreoffice]`

use gongkai_domain::report::layout::{self, TABLE_2, TABLE_3, TABLE_4, TOTAL};
use gongkai_domain::report::{Report, ReportSet, rules};
use std::path::{Path, PathBuf};
use std::process::Command;

fn cases() -> Vec<(&'static str, Report)> {
    use gongkai_render::sample::report as sample;
    let mut v = vec![
        ("ok-2020", sample(2020)),
        ("ok-2021", sample(2021)),
        ("ok-2022", sample(2022)),
    ];
    // A report with applications in 2020, stated in the text.
    let mut r = sample(2020);
    r.organ = "某某县人民政府办公室".into();
    for (row, n) in [
        (layout::ROW_NEW, [3, 1, 0, 0, 1, 0]),
        (layout::ROW_CARRIED_IN, [1, 0, 0, 0, 0, 0]),
        ("（一）予以公开", [2, 1, 0, 0, 0, 0]),
        ("1.本机关不掌握相关政府信息", [1, 0, 0, 0, 1, 0]),
        (layout::ROW_RESULTS_TOTAL, [3, 1, 0, 0, 1, 0]),
        (layout::ROW_CARRIED_OUT, [1, 0, 0, 0, 0, 0]),
    ] {
        for (c, x) in layout::APPLICANT_COLUMNS.iter().zip(n) {
            r.set_int(TABLE_3, row, c, x);
        }
        r.set_int(TABLE_3, row, TOTAL, n.iter().sum());
    }
    r.set_text(
        "一、总体情况",
        "2020年，某某县人民政府办公室认真落实政务公开工作。\n（二）依申请公开。全年新收政府信息公开申请5件，上年结转1件，本年办结5件，结转下年度继续办理1件。",
    );
    v.push(("ok-apps-2020", r.clone()));

    // Faults.
    let mut f = r.clone();
    f.set_int(TABLE_3, "（一）予以公开", "自然人", 3);
    v.push(("fault-r3-r4", f));
    let mut f = r.clone();
    f.set_int(TABLE_3, layout::ROW_CARRIED_OUT, "自然人", 2);
    f.set_int(TABLE_3, layout::ROW_CARRIED_OUT, TOTAL, 2);
    v.push(("fault-r1", f));
    let mut f = sample(2020);
    f.set(TABLE_2, "行政处罚", "处理决定数量", None);
    f.set_int(TABLE_2, "行政许可", "处理决定数量", -4);
    v.push(("fault-r6", f));
    let mut f = sample(2020);
    f.set_int(TABLE_4, layout::REVIEW, "结果纠正", 1);
    v.push(("fault-r5-r11", f));
    let mut f = r.clone();
    f.set_text(
        "一、总体情况",
        "2020年，某某县人民政府办公室认真落实政务公开工作。\n（二）依申请公开。全年新收政府信息公开申请7件，上年结转1件。",
    );
    v.push(("fault-r9", f));
    let mut f = sample(2020);
    let one = f
        .text_of("一、总体情况")
        .unwrap_or("")
        .replace("81条", "80条");
    f.set_text("一、总体情况", one);
    v.push(("fault-r16", f));
    let mut f = sample(2021);
    f.year = 2020;
    f.preamble = f.preamble.replace("2021年", "2020年");
    v.push(("fault-r15", f));
    let mut f = sample(2022);
    f.preamble = f
        .preamble
        .replace("2022年1月1日", "2021年12月1日")
        .replace("2022年12月31日", "2022年11月30日");
    v.push(("fault-r14", f));
    // A missing section: its table is absent too, and R13 names it (text only: our renderers
    // always write the six sections).
    let mut f = sample(2020);
    f.sections
        .retain(|h| h != "四、政府信息公开行政复议、行政诉讼情况");
    f.texts
        .retain(|t| t.heading != "四、政府信息公开行政复议、行政诉讼情况");
    f.cells.retain(|c| c.table != TABLE_4);
    v.push(("textonly-fault-r13", f));
    v
}

/// What real extractions do to the seed-like text: a heading variant, full-width digits in the
/// tables, an amount in 元, a page break with a page number and a running header inside table 三.
fn messy(text: &str) -> String {
    let mut out = String::new();
    let header = text.lines().next().unwrap_or("").to_string();
    let mut in_tables = false;
    for line in text.lines() {
        let mut l = line.replace("五、存在的主要问题及改进情况", "五、存在主要问题和改进情况");
        if l.starts_with("二、主动公开") {
            in_tables = true;
        }
        if l.starts_with("五、") {
            in_tables = false;
        }
        if let Some(i) = l.find("万元") {
            let head = &l[..i];
            let start = head.rfind(' ').map_or(0, |x| x + 1);
            if let Ok(v) = head[start..].parse::<f64>() {
                l = format!(
                    "{}{}元{}",
                    &head[..start],
                    (v * 10000.0).round() as i64,
                    &l[i + "万元".len()..]
                );
            }
        }
        if in_tables {
            l = l
                .chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
                    _ => c,
                })
                .collect();
        }
        if l.starts_with("（四）无") {
            out.push_str("\n                 - ３ -\n\u{c}");
            out.push_str(&header);
            out.push('\n');
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

/// Writes a report as text shaped like the seed's extraction: the title broken over two lines,
/// blank lines between paragraph lines, table labels split over lines, the header of table 三
/// and table 四 written vertically, one character per line.
fn seed_like_text(r: &Report) -> String {
    let mut o = String::new();
    let title = format!("{}{}年政府信息公开工作年度报告", r.organ, r.year);
    let (a, b) = title.split_at(
        title
            .char_indices()
            .nth(title.chars().count() / 2)
            .map_or(0, |x| x.0),
    );
    o.push_str(&format!(" {a}\n{b}\n\n"));
    let wrap = |o: &mut String, body: &str| {
        for para in body.lines() {
            let chars: Vec<char> = para.chars().collect();
            for chunk in chars.chunks(27) {
                o.push_str(&chunk.iter().collect::<String>());
                o.push_str("\n\n");
            }
        }
    };
    wrap(&mut o, &r.preamble);
    let split = |s: &str, n: usize| -> String {
        let c: Vec<char> = s.chars().collect();
        c.chunks(n)
            .map(|x| x.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    let val = |r: &Report, t: &str, row: &str, col: &str| -> String {
        match r.cell(t, row, col).and_then(|c| c.value) {
            Some(v) => v.to_string(),
            None => "—".into(),
        }
    };
    for (i, h) in layout::SECTIONS.iter().enumerate() {
        if !r.sections.iter().any(|s| s == h) {
            continue;
        }
        o.push_str(h);
        o.push_str("\n\n");
        wrap(&mut o, r.text_of(h).unwrap_or(""));
        match i {
            1 => {
                for b in layout::blocks(r.format) {
                    o.push_str(b.heading);
                    o.push_str("\n\n信息内容\n");
                    for (c, _) in b.columns {
                        o.push_str(&split(c, 4));
                        o.push_str("\n\n");
                    }
                    for row in b.rows {
                        let vals: Vec<String> = b
                            .columns
                            .iter()
                            .map(|(c, k)| {
                                let v = val(r, TABLE_2, row, c);
                                if *k == layout::CellKind::Amount && v != "—" {
                                    format!("{v}万元")
                                } else {
                                    v
                                }
                            })
                            .collect();
                        o.push_str(&format!("{row} {}\n\n", vals.join(" ")));
                    }
                }
            }
            2 => {
                o.push_str(&split(layout::TABLE3_NOTE, 16));
                o.push_str("\n\n申请人情况\n\n自\n然\n人\n\n法人或其他组织\n\n总计商业\n企业\n\n科研\n机构\n\n社 会\n公 益\n组织\n\n法 律\n服 务\n机构\n\n其他\n\n");
                let mut group = None;
                for row in layout::table3_rows(r.format) {
                    let g = layout::result_rows(r.format)
                        .into_iter()
                        .find(|x| x.label == row)
                        .and_then(|x| x.group);
                    if row == "（一）予以公开" {
                        o.push_str(" 三、本\n\n年度办\n\n理结果\n\n");
                    }
                    if g.is_some() && g != group {
                        o.push_str(&split(g.unwrap_or(""), 4));
                        o.push_str("\n\n");
                    }
                    group = g;
                    let vals: Vec<String> = layout::APPLICANT_COLUMNS
                        .iter()
                        .map(|c| val(r, TABLE_3, row, c))
                        .collect();
                    if row.chars().count() > 12
                        && !row.starts_with("一、")
                        && !row.starts_with("二、")
                    {
                        o.push_str(&format!("{}\n{}\n\n", split(row, 8), vals.join(" ")));
                    } else {
                        o.push_str(&format!("{row} {}\n", vals.join(" ")));
                    }
                }
                o.push('\n');
            }
            3 => {
                o.push_str(" 行政复议 行政诉讼\n\n");
                let vertical = |o: &mut String| {
                    for c in layout::TABLE4_COLUMNS {
                        for ch in c.chars() {
                            o.push_str(&format!("{ch}\n\n"));
                        }
                    }
                };
                vertical(&mut o);
                o.push_str("未经复议直接起诉 复议后起诉\n\n");
                vertical(&mut o);
                vertical(&mut o);
                let mut vals = Vec::new();
                for row in layout::TABLE4_ROWS {
                    for c in layout::TABLE4_COLUMNS {
                        vals.push(val(r, TABLE_4, row, c));
                    }
                }
                o.push_str(&vals.join(" "));
                o.push_str("\n\n");
            }
            _ => {}
        }
    }
    o.push_str(&format!("{}\n", r.organ));
    if let Some(d) = r.published {
        o.push_str(&d.format("%Y年%-m月%-d日\n").to_string());
    }
    o
}

fn expected(r: &Report) -> String {
    let mut e = r.clone();
    e.source = None;
    e.findings = rules::check(r);
    serde_json::to_string_pretty(&ReportSet { reports: vec![e] }).unwrap_or_default() + "\n"
}

fn libreoffice_pdf(input: &Path, outdir: &Path) -> Option<PathBuf> {
    let st = Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(outdir)
        .arg(input)
        .output()
        .ok()?;
    let pdf = outdir.join(input.with_extension("pdf").file_name()?);
    (st.status.success() && pdf.exists()).then_some(pdf)
}

/// LibreOffice converting one office format into another (HTML → DOCX, DOCX → HTML): files
/// written by another tool than ours, for the DOCX and HTML readers.
fn libreoffice_convert(input: &Path, to: &str, outdir: &Path) -> Option<PathBuf> {
    let filter = if to == "docx" {
        "docx:MS Word 2007 XML"
    } else {
        "html"
    };
    let st = Command::new("soffice")
        .args(["--headless", "--convert-to", filter, "--outdir"])
        .arg(outdir)
        .arg(input)
        .output()
        .ok()?;
    let out = outdir.join(input.with_extension(to).file_name()?);
    (st.status.success() && out.exists()).then_some(out)
}

/// Our DOCX with its tables set tight, as in Word's default table style: no space above or
/// below the text of a cell. pdftotext in reading order then takes each column of a table for
/// one block of text, and tables 二 and 三 can no longer be tied to their rows (the reader must
/// say so; see tests/corpus.rs).
fn tight_docx(docx: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("our DOCX");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).expect("zip entry");
        let name = f.name().expect("zip entry name").to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("zip entry");
        if name == "word/document.xml" {
            let xml = String::from_utf8(data).expect("utf-8");
            let tight = xml
                .replace("<w:top w:w=\"57\" w:type=\"dxa\"/>", "")
                .replace("<w:bottom w:w=\"57\" w:type=\"dxa\"/>", "");
            assert_ne!(tight, xml, "the DOCX writer no longer pads table cells");
            data = tight.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("zip entry");
        out.write_all(&data).expect("zip entry");
    }
    out.finish().expect("zip").into_inner()
}

fn main() {
    let no_lo = std::env::args().any(|a| a == "--no-libreoffice");
    // Only the office-to-office conversions (quicker than the full run).
    let lo_office_only = std::env::args().any(|a| a == "--lo-office-only");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/gen");
    std::fs::create_dir_all(&dir).expect("corpus folder");
    let tmp = std::env::temp_dir().join("gongkai-corpus-lo");
    std::fs::create_dir_all(&tmp).expect("temp folder");
    for (name, r) in cases() {
        std::fs::write(dir.join(format!("{name}.expected.json")), expected(&r)).expect("write");
        let seedlike = seed_like_text(&r);
        std::fs::write(dir.join(format!("{name}.seedlike.txt")), &seedlike).expect("write");
        std::fs::write(dir.join(format!("{name}.messy.txt")), messy(&seedlike)).expect("write");
        if name.starts_with("textonly-") {
            continue;
        }
        let html = gongkai_render::html::report_page(&r);
        std::fs::write(dir.join(format!("{name}.render.html")), &html).expect("write");
        let docx = gongkai_render::docx::report(&r, &Default::default()).expect("docx");
        std::fs::write(dir.join(format!("{name}.render.docx")), &docx).expect("write");
        if no_lo {
            continue;
        }
        for (from, to) in [("html", "docx"), ("docx", "html")] {
            let sub = tmp.join(format!("{name}-{from}"));
            std::fs::create_dir_all(&sub).expect("temp folder");
            let input = sub.join(format!("{name}.lo-from-{from}.{from}"));
            std::fs::copy(dir.join(format!("{name}.render.{from}")), &input).expect("copy");
            match libreoffice_convert(&input, to, &sub) {
                Some(out) => {
                    std::fs::copy(&out, dir.join(format!("{name}.lo-from-{from}.{to}")))
                        .expect("copy");
                }
                None => eprintln!("LibreOffice could not convert {}", input.display()),
            }
        }
        if lo_office_only {
            continue;
        }
        // LibreOffice from HTML and DOCX (ours, and ours set tight), then pdftotext both ways.
        std::fs::write(
            tmp.join(format!("{name}.lo-tight-docx.docx")),
            tight_docx(&docx),
        )
        .expect("write");
        for (src, ext) in [("html", "html"), ("docx", "docx"), ("tight-docx", "docx")] {
            let input = tmp.join(format!("{name}.lo-{src}.{ext}"));
            if src != "tight-docx" {
                std::fs::copy(dir.join(format!("{name}.render.{ext}")), &input).expect("copy");
            }
            let Some(pdf) = libreoffice_pdf(&input, &tmp) else {
                eprintln!("LibreOffice could not convert {}", input.display());
                continue;
            };
            for layout in [false, true] {
                match gongkai_audit::pdftotext(&pdf, layout) {
                    Ok(t) => {
                        let tag = if layout { "layout" } else { "plain" };
                        std::fs::write(dir.join(format!("{name}.lo-{src}.{tag}.txt")), t)
                            .expect("write");
                    }
                    Err(e) => eprintln!("pdftotext: {e}"),
                }
            }
            if name == "ok-2022" || name == "fault-r3-r4" {
                std::fs::copy(&pdf, dir.join(format!("{name}.lo-{src}.pdf"))).expect("copy");
            }
        }
        eprintln!("{name} done");
    }
}
