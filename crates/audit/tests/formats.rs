//! File kinds the reader takes by extension: Markdown as text, and Word 97–2003 / WPS through
//! LibreOffice, with a plain Chinese message when LibreOffice is not installed.

use std::path::Path;

#[test]
fn markdown_and_word_kinds_are_known() {
    use gongkai_audit::Kind;
    assert_eq!(Kind::of(Path::new("a.md")), Some(Kind::Text));
    assert_eq!(Kind::of(Path::new("a.DOC")), Some(Kind::Doc));
    assert_eq!(Kind::of(Path::new("a.wps")), Some(Kind::Doc));
}

#[test]
fn a_doc_file_without_libreoffice_says_so_in_chinese() {
    let installed = std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok();
    let dir = std::env::temp_dir().join(format!("gongkai-doc-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("报告.doc");
    std::fs::write(&path, b"not really a Word file").expect("write");
    let got = gongkai_audit::read_path(&path);
    let _ = std::fs::remove_dir_all(&dir);
    let err = got.expect_err("not a report either way");
    let msg = err.to_string();
    if installed {
        assert!(
            msg.contains("LibreOffice") || msg.contains("年度报告"),
            "{msg}"
        );
    } else {
        assert!(matches!(err, gongkai_audit::ReadError::NoSoffice), "{msg}");
        assert!(msg.contains("未找到 LibreOffice"), "{msg}");
    }
}
