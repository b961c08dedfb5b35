//! The PDF export read back with poppler: text extractable in reading order (pdftotext -layout
//! gives the labels and the numbers), fonts embedded (pdffonts), PDF/A when asked.

use gongkai_pdf::PdfOptions;
use gongkai_render::sample;
use std::path::PathBuf;
use std::process::Command;

/// A file in the temp directory, removed when dropped.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

impl std::ops::Deref for TempFile {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

fn temp_file(name: &str, bytes: &[u8]) -> TempFile {
    let p = std::env::temp_dir().join(format!("gongkai-pdf-test-{}-{name}", std::process::id()));
    std::fs::write(&p, bytes).unwrap();
    TempFile(p)
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} is needed (poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{cmd} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn text_of(pdf: &std::path::Path) -> String {
    run("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"])
}

#[test]
fn report_2020_text_is_extractable_and_fonts_embedded() {
    let r = sample::report(2020);
    let bytes =
        gongkai_pdf::report_with_stats(&r, Some(&sample::stats(2020)), &PdfOptions::default())
            .unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let path = temp_file("2020.pdf", &bytes);
    let text = text_of(&path);
    // Title, headings, labels and numbers of every table.
    // typst spaces CJK from Latin digits, and the title wraps: compare without whitespace.
    let squeezed: String = text.split_whitespace().collect();
    assert!(
        squeezed.contains("灵武市教育体育局2020年政府信息公开工作年度报告"),
        "{text}"
    );
    for h in gongkai_domain::report::layout::SECTIONS {
        assert!(text.contains(h), "{h}");
    }
    let line_of = |label: &str| {
        text.lines()
            .find(|l| l.contains(label))
            .unwrap_or_else(|| panic!("{label} not found in\n{text}"))
            .to_string()
    };
    let permits = line_of("行政许可");
    let nums: Vec<&str> = permits.split_whitespace().skip(1).collect();
    assert_eq!(nums, ["8", "0", "195"], "{permits}");
    assert!(line_of("政府集中采购").contains("3600万元"));
    assert!(line_of("一、本年新收政府信息公开申请数量").contains("0"));
    assert!(text.contains("申请人情况"));
    assert!(text.contains("未经复议直接起诉"));
    // Charts are there (their titles are text in the PDF).
    assert!(squeezed.contains("主动公开政府信息分类数量"), "{text}");
    // Every font embedded.
    let fonts = run("pdffonts", &[path.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in &rows {
        // Columns: name type encoding emb sub uni object ID; emb is the 5th from the end.
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(cols[cols.len() - 5], "yes", "font not embedded: {row}");
    }
    assert!(
        fonts.contains("NotoSerifCJK") || fonts.contains("NotoSansCJK"),
        "{fonts}"
    );
}

#[test]
fn report_2022_tables_read_back_in_reading_order() {
    let r = sample::report(2022);
    let bytes = gongkai_pdf::report(&r, &PdfOptions::default()).unwrap();
    let path = temp_file("2022.pdf", &bytes);
    let text = text_of(&path);
    // The rows of table 三 in layout order, each with its seven numbers.
    let mut at = 0;
    for row in gongkai_domain::report::layout::table3_rows(r.format) {
        // Long labels wrap inside their cell; their first characters are on the number line.
        let head: String = row.chars().take(8).collect();
        let found = text[at..].find(&head);
        assert!(found.is_some(), "{row} missing or out of order");
        at += found.unwrap() + head.len();
    }
    let line = text
        .lines()
        .find(|l| l.contains("一、本年新收政府信息公开申请数量"))
        .unwrap();
    let nums: Vec<&str> = line.split_whitespace().skip(1).collect();
    assert_eq!(nums, ["6", "2", "0", "1", "0", "0", "9"], "{line}");
    // Table 四's fifteen numbers on one line.
    let t4 = text
        .lines()
        .find(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            w.len() == 15 && w.iter().all(|x| x.parse::<u32>().is_ok())
        })
        .unwrap_or_else(|| panic!("no line of 15 numbers in\n{text}"));
    assert_eq!(
        t4.split_whitespace().collect::<Vec<_>>(),
        [
            "1", "1", "0", "0", "2", "0", "0", "0", "1", "1", "1", "0", "0", "0", "1"
        ]
    );
    assert!(text.contains("0.0125"));
}

#[test]
fn pdfa_is_declared_when_asked() {
    let r = sample::report(2022);
    let with = gongkai_pdf::report(&r, &PdfOptions::default()).unwrap();
    let without = gongkai_pdf::report(
        &r,
        &PdfOptions {
            pdfa: false,
            ..PdfOptions::default()
        },
    )
    .unwrap();
    let has_pdfa = |b: &[u8]| {
        b.windows(14).any(|w| w == b"pdfaid:part>2<")
            || b.windows(13).any(|w| w == b"pdfaid:part=\"")
    };
    assert!(has_pdfa(&with));
    assert!(!has_pdfa(&without));
}

#[test]
fn without_font_directories_the_built_in_fonts_draw_the_report() {
    // Issue 34: a server with no CJK font installed still makes the PDF, with the fonts built
    // into the binary (Noto Serif/Sans CJK SC cut to GB 2312), and says which font it used.
    let r = sample::report(2020);
    let pdf = gongkai_pdf::report(
        &r,
        &PdfOptions {
            font_dirs: vec![PathBuf::from("/nonexistent-gongkai-fonts")],
            ..PdfOptions::default()
        },
    )
    .expect("the built-in fonts draw the report");
    assert!(pdf.starts_with(b"%PDF"));
    let path = temp_file("built-in-fonts.pdf", &pdf);
    let squeezed: String = text_of(&path).split_whitespace().collect();
    assert!(
        squeezed.contains("灵武市教育体育局2020年政府信息公开工作年度报告"),
        "{squeezed}"
    );
    let fonts = run("pdffonts", &[path.to_str().unwrap()]);
    assert!(
        fonts.contains("CJK"),
        "a built-in Noto CJK font is embedded:\n{fonts}"
    );
}

#[test]
fn notices_read_back() {
    let n = gongkai_render::notice::Notice {
        number: "灵教体依公开告〔2022〕3号".into(),
        title: "政府信息公开申请答复告知书".into(),
        addressee: "张某某".into(),
        paragraphs: vec![
            "本机关于2022年3月1日收到你提出的政府信息公开申请。".into(),
            "经审查，你申请获取的政府信息属于公开范围，现予以公开。".into(),
        ],
        organ: "灵武市教育体育局".into(),
        date: chrono::NaiveDate::from_ymd_opt(2022, 3, 15).unwrap(),
    };
    let bytes = gongkai_pdf::notice(&n, &PdfOptions::default()).unwrap();
    let path = temp_file("notice.pdf", &bytes);
    let text: String = text_of(&path).split_whitespace().collect();
    let order = [
        "政府信息公开申请答复告知书",
        "灵教体依公开告〔2022〕3号",
        "张某某：",
        "现予以公开。",
        "灵武市教育体育局",
        "2022年3月15日",
    ];
    let mut at = 0;
    for s in order {
        let found = text[at..].find(s);
        assert!(found.is_some(), "{s} missing or out of order in {text}");
        at += found.unwrap() + s.len();
    }
}
