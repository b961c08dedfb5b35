//! A server as government networks often have them: no CJK font installed, no pdftotext, no
//! network to fetch either. The binary runs with an empty `PATH` and no font directory
//! (`GONGKAI_FONT_DIRS` set empty): the report's PDF and DOCX are still made, with Chinese text
//! in the built-in fonts; `gongkai doctor` names what is missing and what it disables, and exits
//! non-zero; nothing panics.

mod common;

use common::Env;
use std::process::Command;

const ORGAN: &str = "灵武市教育体育局";

/// Runs the binary with nothing beside it: no programs on the PATH, no font directory.
fn bare(e: &Env, args: &[&str]) -> std::process::Output {
    e.run_with(args, &[("PATH", ""), ("GONGKAI_FONT_DIRS", "")])
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn with_no_font_and_no_pdftotext_the_report_pdf_has_chinese_text_and_doctor_says_what_is_missing() {
    let e = Env::new("offline");
    e.ok(&["demo"]);
    let pdf = e.dir.join("r.pdf");
    let docx = e.dir.join("r.docx");
    for (out, extra) in [
        (&pdf, None),
        (&docx, None),
        (&e.dir.join("p.pdf"), Some("--published")),
    ] {
        let mut args = vec![
            "report",
            "--organ",
            ORGAN,
            "--year",
            "2021",
            "-o",
            out.to_str().unwrap(),
        ];
        args.extend(extra);
        let o = bare(&e, &args);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let bytes = std::fs::read(&pdf).unwrap();
    // The fonts typst embedded are the built-in ones (subset-prefixed names).
    assert!(
        contains(&bytes, b"NotoSerifCJKsc-Regular"),
        "serif embedded"
    );
    assert!(contains(&bytes, b"NotoSansCJKsc-Regular"), "sans embedded");
    // Where this test machine has pdftotext, the text reads back in Chinese.
    if let Ok(o) = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
    {
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains("年政府信息公开工作"), "{text}");
        assert!(
            text.contains("中华人民共和国政府信息公开条例")
                || text.contains("华人民共和国政府信息公开条例"),
            "{text}"
        );
        assert!(text.contains("主动公开政府信息情况"), "{text}");
    }
    assert!(std::fs::metadata(&docx).unwrap().len() > 10_000);

    let o = bare(&e, &["doctor"]);
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success(),
        "doctor exits non-zero when something is missing"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.contains("缺少  pdftotext"), "{out}");
    assert!(out.contains("PDF 附件不能按正文检索"), "{out}");
    assert!(out.contains("缺少  中文字体"), "{out}");
    assert!(out.contains("内置"), "{out}");
    assert!(out.contains("缺少  tesseract"), "{out}");
    assert!(out.contains("正常  数据库"), "{out}");

    // With the machine's own PATH and fonts, the fonts and pdftotext are found.
    if Command::new("pdftotext").arg("-v").output().is_ok() {
        let o = e.run(&["doctor"]);
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains("正常  pdftotext"), "{out}");
    }
}
