//! The auditor: reads published annual reports — text extracted from a PDF (reading order or
//! `pdftotext -layout`), PDF (through poppler's `pdftotext`), DOCX, HTML — into the report model
//! `gongkai report` writes, and checks them with the rules of `gongkai_domain::report::rules`.
//!
//! ```no_run
//! let set = gongkai_audit::audit_paths(&["reports/".into()]);
//! ```

pub mod parse;
pub mod structured;

use gongkai_domain::report::{Report, ReportSet, rules};
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("无法读取文件：{0}")]
    Io(String),
    #[error("不支持的文件类型“{0}”（支持 .pdf .docx .html .htm .txt）")]
    Unsupported(String),
    #[error("{0}")]
    Format(String),
    #[error("未找到 pdftotext（请安装 poppler-utils），无法读取 PDF")]
    NoPdftotext,
    #[error("文件中没有找到年度报告的内容（无标题、章节和表格）")]
    NotAReport,
}

/// The input formats the reader knows, from a file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Pdf,
    Docx,
    Html,
}

impl Kind {
    pub fn of(path: &Path) -> Option<Kind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Kind::Text,
            "pdf" => Kind::Pdf,
            "docx" => Kind::Docx,
            "html" | "htm" | "xhtml" => Kind::Html,
            _ => return None,
        })
    }
}

/// Reads text extracted from a PDF (either reading order or `-layout`).
pub fn read_text(text: &str, source: Option<String>) -> Report {
    parse::parse(parse::text_lines(text), source)
}

pub fn read_html(html: &str, source: Option<String>) -> Report {
    parse::parse(structured::html_lines(html), source)
}

pub fn read_docx(data: &[u8], source: Option<String>) -> Result<Report, ReadError> {
    Ok(parse::parse(structured::docx_lines(data)?, source))
}

/// Text of a PDF through poppler's pdftotext, with or without `-layout`.
pub fn pdftotext(path: &Path, layout: bool) -> Result<String, ReadError> {
    let mut cmd = Command::new("pdftotext");
    if layout {
        cmd.arg("-layout");
    }
    cmd.args(["-enc", "UTF-8"]).arg(path).arg("-");
    let out = cmd.output().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NoPdftotext,
        _ => ReadError::Io(e.to_string()),
    })?;
    if !out.status.success() {
        return Err(ReadError::Format(
            "PDF 文件无法解析（可能已损坏或加密）".into(),
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn filled(r: &Report) -> usize {
    r.cells.iter().filter(|c| c.value.is_some()).count()
}

/// Reads a PDF both ways and keeps the better reading: more cells read, then fewer findings.
pub fn read_pdf(path: &Path, source: Option<String>) -> Result<Report, ReadError> {
    let plain = read_text(&pdftotext(path, false)?, source.clone());
    let layout = read_text(&pdftotext(path, true)?, source);
    let score = |r: &Report| {
        (
            r.sections.len() + r.cells.len() / 10,
            filled(r),
            usize::MAX - rules::check(r).len(),
        )
    };
    Ok(if score(&layout) > score(&plain) {
        layout
    } else {
        plain
    })
}

fn looks_empty(r: &Report) -> bool {
    r.sections.is_empty() && r.cells.is_empty() && r.year == 0
}

/// Reads one file by its extension (no findings yet).
pub fn read_path(path: &Path) -> Result<Report, ReadError> {
    let source = Some(path.display().to_string());
    let kind = Kind::of(path).ok_or_else(|| {
        ReadError::Unsupported(
            path.extension()
                .map(|e| e.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    })?;
    let bytes = || std::fs::read(path).map_err(|e| ReadError::Io(e.to_string()));
    let report = match kind {
        Kind::Text => read_text(&decode(&bytes()?)?, source),
        Kind::Html => read_html(&String::from_utf8_lossy(&bytes()?), source),
        Kind::Docx => read_docx(&bytes()?, source)?,
        Kind::Pdf => {
            if !path.exists() {
                return Err(ReadError::Io("文件不存在".into()));
            }
            read_pdf(path, source)?
        }
    };
    if looks_empty(&report) {
        return Err(ReadError::NotAReport);
    }
    Ok(report)
}

fn decode(bytes: &[u8]) -> Result<String, ReadError> {
    let b = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(bytes);
    String::from_utf8(b.to_vec()).map_err(|_| ReadError::Format("文本文件不是 UTF-8 编码".into()))
}

/// Adds every single-report finding, and the cross-year findings between reports of the same
/// organ in consecutive years (on the later report).
pub fn check_all(reports: &mut [Report]) {
    for r in reports.iter_mut() {
        // The reader's own findings (tables it could not read exactly) come first and stay.
        let mut f: Vec<_> = r
            .findings
            .drain(..)
            .filter(|f| f.rule == parse::READ_RULE)
            .collect();
        f.extend(rules::check(r));
        r.findings = f;
    }
    let n = reports.len();
    for i in 0..n {
        for j in 0..n {
            if reports[i].organ == reports[j].organ
                && !reports[i].organ.is_empty()
                && reports[i].year + 1 == reports[j].year
            {
                let extra = rules::check_across(&reports[i], &reports[j]);
                let target = &mut reports[j];
                target.findings.extend(extra);
                let mut f = std::mem::take(&mut target.findings);
                f.sort_by_key(|x| {
                    x.rule
                        .trim_start_matches('R')
                        .parse::<u32>()
                        .unwrap_or(u32::MAX)
                });
                f.dedup();
                target.findings = f;
            }
        }
    }
}

/// Every file under the given paths that the reader knows, in a stable order (folders are
/// walked recursively; files given by name are kept even with an unknown extension, so the
/// user hears why they were not read).
pub fn collect_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            out.push(dir.to_path_buf());
            return;
        };
        let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if Kind::of(&p).is_some() {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out);
        } else {
            out.push(p.clone());
        }
    }
    out
}

/// The outcome of reading one file.
pub type Outcome = (PathBuf, Result<Report, ReadError>);

/// Reads and checks everything under `paths` (sequentially; the CLI parallelises over
/// [`read_path`]).
pub fn audit_paths(paths: &[PathBuf]) -> (ReportSet, Vec<(PathBuf, ReadError)>) {
    let outcomes: Vec<Outcome> = collect_files(paths)
        .into_iter()
        .map(|p| {
            let r = read_path(&p);
            (p, r)
        })
        .collect();
    finish(outcomes)
}

/// Splits outcomes into checked reports and unreadable files.
pub fn finish(outcomes: Vec<Outcome>) -> (ReportSet, Vec<(PathBuf, ReadError)>) {
    let mut reports = Vec::new();
    let mut failed = Vec::new();
    for (p, r) in outcomes {
        match r {
            Ok(r) => reports.push(r),
            Err(e) => failed.push((p, e)),
        }
    }
    check_all(&mut reports);
    (ReportSet { reports }, failed)
}
