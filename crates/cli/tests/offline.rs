//! A server as government networks often have them: no CJK font installed, no pdftotext, no
//! network to fetch either. The binary runs with an empty `PATH` and no font directory
//! (`GONGKAI_FONT_DIRS` set empty): the report's PDF and DOCX are still made, with Chinese text
//! in the built-in fonts; `gongkai doctor` names what is missing and what it disables, and exits
//! non-zero; nothing panics. The second test hides them for real: a mount namespace
//! (`unshare -r -m`) with empty file systems over the font directories and `/usr/bin`, running
//! `GONGKAI_TEST_BIN` when set (the release binary) or this build's.

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

/// The binary under test: `GONGKAI_TEST_BIN` (the release build, say) or this build's.
fn binary() -> std::path::PathBuf {
    std::env::var_os("GONGKAI_TEST_BIN")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_gongkai").into())
}

/// Runs the binary in a mount namespace of its own where the machine's fonts and programs are
/// really gone: empty file systems over `/usr/share/fonts`, `/usr/local/share/fonts` and
/// `/usr/bin` (pdftotext, pdftoppm, tesseract, soffice with everything else), with the ordinary
/// `PATH` and no `GONGKAI_FONT_DIRS`, so the binary looks where it would on a bare server.
/// `unshare -r` maps the caller to root in a user namespace, so this needs no privilege where
/// user namespaces are allowed.
fn hidden(e: &Env, args: &[&str]) -> std::process::Output {
    let script = "for d in /usr/share/fonts /usr/local/share/fonts; do \
                  if [ -d $d ]; then mount -t tmpfs none $d || exit 97; fi; done; \
                  mount -t tmpfs none /usr/bin || exit 97; exec \"$@\"";
    let o = Command::new("unshare")
        .args(["-r", "-m", "sh", "-c", script, "sh"])
        .arg(binary())
        .args(args)
        .env("GONGKAI_DATABASE_URL", &e.url)
        .env_remove("GONGKAI_FONT_DIRS")
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("unshare runs (util-linux)");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.code() != Some(97) && !err.contains("unshare: "),
        "this machine refuses a mount namespace (user namespaces disabled?): {err}"
    );
    o
}

#[test]
fn in_a_mount_namespace_with_no_fonts_and_no_programs_the_report_pdf_has_chinese_text() {
    let e = Env::new("offline-ns");
    e.ok(&["demo"]);
    // The namespace is real: nothing under /usr/bin, no font files.
    let o = Command::new("unshare")
        .args(["-r", "-m", "sh", "-c"])
        .arg("mount -t tmpfs none /usr/share/fonts && mount -t tmpfs none /usr/bin && echo $(echo /usr/bin/* /usr/share/fonts/*)")
        .output()
        .expect("unshare runs");
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "/usr/bin/* /usr/share/fonts/*",
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    let pdf = e.dir.join("ns.pdf");
    let o = hidden(
        &e,
        &[
            "report",
            "--organ",
            ORGAN,
            "--year",
            "2021",
            "-o",
            pdf.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "report: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(
        contains(&bytes, b"NotoSerifCJKsc-Regular"),
        "the built-in serif"
    );
    // Read back outside the namespace, where pdftotext is.
    let o = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext on the test machine (scripts/setup installs it)");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("年政府信息公开工作"), "{text}");
    assert!(text.contains("主动公开政府信息情况"), "{text}");

    let o = hidden(&e, &["doctor"]);
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "doctor exits non-zero: {out}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.contains("缺少  pdftotext"), "{out}");
    assert!(out.contains("PDF 附件不能按正文检索"), "{out}");
    assert!(out.contains("缺少  中文字体"), "{out}");
    assert!(
        out.contains("在 /usr/share/fonts/opentype/noto 中未找到完整的中文字体"),
        "{out}"
    );
    assert!(out.contains("内置"), "{out}");
    assert!(out.contains("缺少  tesseract"), "{out}");
    assert!(out.contains("缺少  LibreOffice"), "{out}");
    assert!(out.contains("正常  数据库"), "{out}");
}
