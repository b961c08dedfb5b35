//! The auditor: reads published annual reports — text extracted from a PDF (reading order or
//! `pdftotext -layout`), PDF (through poppler's `pdftotext`), DOCX, HTML — into the report model
//! `gongkai report` writes, and checks them with the rules of `gongkai_domain::report::rules`.
//!
//! ```no_run
//! let set = gongkai_audit::audit_paths(&["reports/".into()]);
//! ```
//!
//! # Never a wrong number
//!
//! A supervisor who sees one false error stops trusting every finding, so the reader puts in
//! the model only cells it is sure of:
//!
//! - A labelled row of a structured table (HTML, DOCX, Markdown) is the row its own label names,
//!   and its values are its own: never shifted into the next row, never given to a row named by
//!   text seen earlier. Empty filler cells (LibreOffice pads rows with fewer cells than the grid)
//!   are dropped only when they are exactly the surplus; otherwise the row is uncertain.
//! - In extracted text, when the values of a table do not number its cells (an extractor drops
//!   empty cells without a trace), only rows whose values follow their own label, as many as
//!   their columns, are kept.
//! - Glued or wrapped numbers are split or joined only when exactly one way satisfies the row's
//!   own arithmetic (table 三: 总计 = the sum of the applicant columns); see [`glued`].
//! - Rows the reader cannot vouch for are left out of `cells` and named in a `READ` finding
//!   (error) on their table; a table with none readable is left out entirely. Rules needing an
//!   absent cell do not fire, and the text rules are not reported over a table read in part.
//! - How each table was read is [`table_reads`] (`exact`, `solved`, `partial`, `unreadable`),
//!   written per report by [`to_json`] as `"read": {"二": "exact", …}`.

pub mod bounded;
pub mod collected;
pub mod glued;
pub mod grid;
pub mod identities;
pub mod located;
pub mod merge;
pub mod ocr_cells;
pub mod parse;
pub mod pdf;
pub mod scan;
pub mod structured;

use bounded::Deadline;
pub use bounded::Limits;
use gongkai_domain::report::{Report, ReportSet, rules};
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("无法读取文件：{0}")]
    Io(String),
    #[error("不支持的文件类型“{0}”（支持 .pdf .docx .doc .wps .html .htm .txt .md）")]
    Unsupported(String),
    #[error("{0}")]
    Format(String),
    #[error("未找到 pdftotext（请安装 poppler-utils），无法读取 PDF")]
    NoPdftotext,
    #[error("文件中没有找到年度报告的内容（无标题、章节和表格）")]
    NotAReport,
    #[error(
        "未找到 LibreOffice（soffice），无法读取 .doc/.wps 文件；请安装 LibreOffice，或将文件另存为 .docx 后再审核"
    )]
    NoSoffice,
    /// The file is past one of the reader's bounds ([`Limits`]); the message names it.
    #[error("超出读取限制：{0}")]
    Bound(String),
    /// A scan (no text layer) that could not be read; the message says so in words.
    #[error("{0}")]
    Scan(String),
}

/// The input formats the reader knows, from a file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Pdf,
    Docx,
    Html,
    /// Word 97–2003 (.doc) and WPS (.wps): converted to DOCX by LibreOffice first.
    Doc,
    /// A picture (a scanned page saved as an image): said to be a scan, not read.
    Image,
}

impl Kind {
    pub fn of(path: &Path) -> Option<Kind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" | "md" | "markdown" => Kind::Text,
            "pdf" => Kind::Pdf,
            "docx" => Kind::Docx,
            "html" | "htm" | "xhtml" => Kind::Html,
            "doc" | "wps" => Kind::Doc,
            "png" | "jpg" | "jpeg" | "tif" | "tiff" | "bmp" => Kind::Image,
            _ => return None,
        })
    }
}

/// Reads text extracted from a PDF (either reading order or `-layout`).
///
/// Text collected by other means is read too: crawler metadata and portal navigation are
/// dropped, Markdown tables and headings are understood (see [`collected`]).
///
/// Text extracted from a PDF (pdftotext ends each page with a form feed) states no row of
/// tables 三 and 四 whose values do not add up to their own 总计
/// ([`identities::drop_inconsistent_rows`]).
pub fn read_text(text: &str, source: Option<String>) -> Report {
    let mut r = parse::parse(collected::collected_lines(text), source);
    if text.contains('\u{c}') {
        identities::drop_inconsistent_rows(&mut r);
    }
    r
}

/// Reads an HTML page within the default [`Limits`] (a page nested too deep or with too many
/// elements is a [`ReadError::Bound`]).
pub fn read_html(html: &str, source: Option<String>) -> Result<Report, ReadError> {
    read_html_with(html, source, &Limits::default())
}

pub fn read_html_with(
    html: &str,
    source: Option<String>,
    limits: &Limits,
) -> Result<Report, ReadError> {
    bounded::check_html(html, limits)?;
    Ok(parse::parse(structured::html_lines(html), source))
}

/// Reads a DOCX within the default [`Limits`] (zip entries, inflated size of its text).
pub fn read_docx(data: &[u8], source: Option<String>) -> Result<Report, ReadError> {
    read_docx_with(data, source, &Limits::default())
}

pub fn read_docx_with(
    data: &[u8],
    source: Option<String>,
    limits: &Limits,
) -> Result<Report, ReadError> {
    Ok(parse::parse(structured::docx_lines(data, limits)?, source))
}

/// Text of a PDF through poppler's pdftotext, with or without `-layout`, within the default
/// [`Limits`].
pub fn pdftotext(path: &Path, layout: bool) -> Result<String, ReadError> {
    let limits = Limits::default();
    pdftotext_with(path, layout, &limits, Deadline::after(limits.timeout))
}

/// Text of a PDF through a bounded run of pdftotext ([`bounded::run`]).
pub fn pdftotext_with(
    path: &Path,
    layout: bool,
    limits: &Limits,
    deadline: Deadline,
) -> Result<String, ReadError> {
    let mut cmd = Command::new("pdftotext");
    if layout {
        cmd.arg("-layout");
    }
    cmd.args(["-enc", "UTF-8"]).arg(path).arg("-");
    let out = bounded::run(cmd, None, limits, deadline)
        .map_err(|e| bounded::read_error("pdftotext", e, limits))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// A .doc or .wps file converted to DOCX by LibreOffice (`soffice --headless`), in a private
/// temporary folder, with a time limit.
pub fn soffice_to_docx(path: &Path) -> Result<Vec<u8>, ReadError> {
    let dir = std::env::temp_dir().join(format!(
        "gongkai-audit-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    std::fs::create_dir_all(&dir).map_err(|e| ReadError::Io(e.to_string()))?;
    let result = (|| {
        let mut child = Command::new("timeout")
            .arg("120")
            .arg("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}/profile",
                dir.display()
            ))
            .args([
                "--headless",
                "--norestore",
                "--convert-to",
                "docx",
                "--outdir",
            ])
            .arg(&dir)
            .arg(path)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => ReadError::NoSoffice,
                _ => ReadError::Io(e.to_string()),
            })?;
        let status = child.wait().map_err(|e| ReadError::Io(e.to_string()))?;
        // timeout(1) exits 127 when soffice itself is missing.
        if status.code() == Some(127) {
            return Err(ReadError::NoSoffice);
        }
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        std::fs::read(dir.join(format!("{stem}.docx"))).map_err(|_| {
            ReadError::Format(
                "LibreOffice 未能转换该文件（可能已损坏、加密或不是 Word/WPS 文档）".into(),
            )
        })
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Reads a PDF both ways and keeps the better reading: more cells read, then fewer findings.
pub fn read_pdf(path: &Path, source: Option<String>) -> Result<Report, ReadError> {
    let limits = Limits::default();
    read_pdf_with(path, source, &limits, Deadline::after(limits.timeout))
}

pub fn read_pdf_with(
    path: &Path,
    source: Option<String>,
    limits: &Limits,
    deadline: Deadline,
) -> Result<Report, ReadError> {
    pdf::read_pdf_with(path, source, limits, deadline)
}

fn looks_empty(r: &Report) -> bool {
    r.sections.is_empty() && r.cells.is_empty() && r.year == 0
}

/// Reads one file by its extension (no findings yet), within the default [`Limits`].
pub fn read_path(path: &Path) -> Result<Report, ReadError> {
    read_path_with(path, &Limits::default())
}

/// Reads one file by its extension within `limits`: a file past one is a
/// [`ReadError::Bound`] naming it.
pub fn read_path_with(path: &Path, limits: &Limits) -> Result<Report, ReadError> {
    let source = Some(path.display().to_string());
    let kind = Kind::of(path).ok_or_else(|| {
        ReadError::Unsupported(
            path.extension()
                .map(|e| e.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    })?;
    let size = std::fs::metadata(path)
        .map_err(|e| ReadError::Io(e.to_string()))?
        .len();
    let max = match kind {
        Kind::Pdf | Kind::Doc | Kind::Image => limits.max_file_bytes,
        _ => limits.max_document_bytes,
    };
    if size > max {
        return Err(ReadError::Bound(format!(
            "文件大小 {} MB，超过上限 {} MB，未读取",
            size.div_ceil(1024 * 1024),
            max / (1024 * 1024)
        )));
    }
    let bytes = || std::fs::read(path).map_err(|e| ReadError::Io(e.to_string()));
    let report = match kind {
        Kind::Text => read_text(&decode(&bytes()?)?, source),
        Kind::Html => read_html_with(&String::from_utf8_lossy(&bytes()?), source, limits)?,
        Kind::Docx => read_docx_with(&bytes()?, source, limits)?,
        Kind::Doc => read_docx_with(&soffice_to_docx(path)?, source, limits)?,
        Kind::Pdf => read_pdf_with(path, source, limits, Deadline::after(limits.timeout))?,
        Kind::Image => {
            return Err(ReadError::Scan(format!(
                "{}（图片文件）：请将扫描件合并为 PDF 后再审核，PDF 扫描件将由文字识别（OCR）读取",
                scan::SCAN
            )));
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

/// How the reader read one table of a report (the `read` of the JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// Every cell read as the document lays it out.
    Exact,
    /// Some cells were glued together in the document and split by the table's own arithmetic,
    /// the only split that fits.
    Solved,
    /// Some rows could not be read with certainty: their cells are left out, named in a READ
    /// finding, and no rule is checked on them.
    Partial,
    /// The table is in the document but could not be read: it is left out (READ finding).
    Unreadable,
}

impl Read {
    pub fn as_str(self) -> &'static str {
        match self {
            Read::Exact => "exact",
            Read::Solved => "solved",
            Read::Partial => "partial",
            Read::Unreadable => "unreadable",
        }
    }
}

/// How each table of a report was read, from the reader's own findings: tables whose section
/// is missing are not listed.
pub fn table_reads(r: &Report) -> Vec<(&'static str, Read)> {
    use gongkai_domain::report::Severity;
    let mut out = Vec::new();
    for t in [
        gongkai_domain::report::layout::TABLE_2,
        gongkai_domain::report::layout::TABLE_3,
        gongkai_domain::report::layout::TABLE_4,
    ] {
        let mine = |sev: Severity| {
            r.findings
                .iter()
                .any(|f| f.rule == parse::READ_RULE && f.location == t && f.severity == sev)
        };
        let read = if mine(Severity::Error) {
            if r.has_table(t) {
                Read::Partial
            } else {
                Read::Unreadable
            }
        } else if !r.has_table(t) {
            continue;
        } else if mine(Severity::Warning) {
            Read::Solved
        } else {
            Read::Exact
        };
        out.push((t, read));
    }
    out
}

/// The JSON of a report set as `audit --json` writes it: the shared JSON, plus per report how
/// each table was read (`"read": {"二": "exact", "三": "partial"}`).
pub fn to_json(set: &ReportSet) -> serde_json::Value {
    let mut v = serde_json::to_value(set).unwrap_or(serde_json::Value::Null);
    if let Some(reports) = v.get_mut("reports").and_then(|r| r.as_array_mut()) {
        for (j, r) in reports.iter_mut().zip(&set.reports) {
            let read: serde_json::Map<String, serde_json::Value> = table_reads(r)
                .into_iter()
                .map(|(t, k)| (t.to_string(), serde_json::Value::from(k.as_str())))
                .collect();
            if let Some(o) = j.as_object_mut() {
                o.insert("read".into(), serde_json::Value::Object(read));
            }
        }
    }
    v
}

/// Findings of rules that would read a cell the reader left out are dropped: a rule needing a
/// cell that is not there is not broken. Every rule skips absent and blank cells itself (a blank
/// is never 0); the text rules are also dropped for tables read only in part, where what a
/// sentence sums up may sit in rows the reader left out.
fn drop_unfounded(r: &Report, findings: &mut Vec<gongkai_domain::report::Finding>) {
    use gongkai_domain::report::RuleId;
    use gongkai_domain::report::layout::{TABLE_3, TABLE_4};
    let partial = |t: &str| {
        table_reads(r)
            .iter()
            .any(|(x, k)| *x == t && *k == Read::Partial)
    };
    let (p3, p4) = (partial(TABLE_3), partial(TABLE_4));
    // Read by OCR: only the tables' own arithmetic is reported (its proved cells), never a
    // rule that reads sentences or headings OCR may have missed.
    if scan::read_by_ocr(r) {
        findings.retain(|f| matches!(f.rule, RuleId::R1 | RuleId::R3 | RuleId::R4 | RuleId::R5));
        return;
    }
    // What the reading of the law accepts (R9's count with carried-over applications) is
    // already left out by `rules::check`, from the findings' data, as in the back office.
    findings.retain(|f| match f.rule {
        RuleId::R9 | RuleId::R10 => !p3,
        RuleId::R11 => !p4,
        _ => true,
    });
}

/// Adds every single-report finding, and the cross-year findings between reports of the same
/// organ in consecutive years (on the later report).
pub fn check_all(reports: &mut [Report]) {
    for r in reports.iter_mut() {
        // The reader's own findings (tables it could not read exactly) come first and stay.
        let f: Vec<_> = r
            .findings
            .drain(..)
            .filter(|f| f.rule == parse::READ_RULE)
            .collect();
        let mut checked = rules::check(r);
        r.findings = f;
        drop_unfounded(r, &mut checked);
        r.findings.extend(checked);
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
                f.sort_by_key(|x| x.rule);
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
            } else if Kind::of(&p).is_some_and(|k| k != Kind::Image) {
                // Pictures in a folder are mostly logos and photos: only named ones are read.
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
