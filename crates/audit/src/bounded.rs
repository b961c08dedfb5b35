//! The auditor's bounds. Reports come from anyone (a supervisor's workspace takes files from
//! every account, a folder audit reads whatever a crawler saved), so reading one file never
//! runs unbounded:
//!
//! - external programs (`pdftotext`, `pdftoppm`, `tesseract`) run with a wall-clock deadline
//!   (the child is killed), an address-space limit (`RLIMIT_AS`, set in the child before it
//!   starts), a CPU-time limit, a cap on the output kept and a cap on how many run at once in
//!   the process;
//! - the in-process readers refuse a file past a size, an HTML page nested past a depth or with
//!   too many elements (measured by a linear scan before the page is parsed: a parser's tree
//!   and our walk over it are never built for such a page), a DOCX with too many zip entries or
//!   a text part that inflates past a size (counted on the bytes actually inflated).
//!
//! A file past a bound is a [`crate::ReadError::Bound`] naming the bound, reported as
//! unreadable with that reason; a batch goes on with the next file.

use crate::ReadError;
use std::io::Read;
use std::process::Command;
use std::time::Duration;

/// Bounds on reading one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time all external programs run for one file may take together (text of a
    /// PDF: both readings of it).
    pub timeout: Duration,
    /// Wall-clock time of the OCR of one scanned file (every page's rendering and recognition).
    pub ocr_timeout: Duration,
    /// Address space of one external program (`RLIMIT_AS`).
    pub memory_bytes: u64,
    /// External programs running at once in this process; others wait for a free slot within
    /// their file's deadline.
    pub max_concurrent: usize,
    /// Output kept from one external program run.
    pub max_output_bytes: usize,
    /// Size of a PDF or image file.
    pub max_file_bytes: u64,
    /// Size of a file read in process (text, Markdown, HTML; a DOCX's compressed size).
    pub max_document_bytes: u64,
    /// Nesting depth of an HTML page's elements.
    pub max_html_depth: usize,
    /// Elements of an HTML page.
    pub max_html_elements: usize,
    /// Inflated size of a DOCX's `word/document.xml`.
    pub max_inflated_bytes: u64,
    /// Entries of a DOCX's zip archive.
    pub max_zip_entries: usize,
    /// Pages of a scanned PDF given to OCR.
    pub max_ocr_pages: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            timeout: Duration::from_secs(8),
            ocr_timeout: Duration::from_secs(120),
            memory_bytes: 512 * 1024 * 1024,
            max_concurrent: std::thread::available_parallelism().map_or(2, |n| n.get()),
            max_output_bytes: 16 * 1024 * 1024,
            max_file_bytes: 256 * 1024 * 1024,
            max_document_bytes: 16 * 1024 * 1024,
            max_html_depth: 512,
            max_html_elements: 200_000,
            max_inflated_bytes: 32 * 1024 * 1024,
            max_zip_entries: 5_000,
            max_ocr_pages: 12,
        }
    }
}

/// The moment by which the external programs of one file must be done, and why a bounded run
/// failed: the shared runner's (`gongkai_bounded`), which the attachment extractor uses too.
pub use gongkai_bounded::{Deadline, RunError};

/// Slots for concurrent external programs of the auditor in this process.
static SLOTS: gongkai_bounded::Slots = gongkai_bounded::Slots::new();

/// Runs `cmd` within `limits` and `deadline`: `input` on its stdin, its stdout returned (at
/// most `max_output_bytes`, the rest drained and dropped so the child never blocks on a full
/// pipe). Blocks until the program ends or is killed.
pub fn run(
    cmd: Command,
    input: Option<Vec<u8>>,
    limits: &Limits,
    deadline: Deadline,
) -> Result<Vec<u8>, RunError> {
    let bounds = gongkai_bounded::Bounds {
        memory_bytes: limits.memory_bytes,
        max_output_bytes: limits.max_output_bytes,
        max_concurrent: limits.max_concurrent,
    };
    gongkai_bounded::run(cmd, input, &bounds, &SLOTS, deadline)
}

/// The reader's error for a failed run of `program` on a file, in words.
pub fn read_error(program: &str, e: RunError, limits: &Limits) -> ReadError {
    match e {
        RunError::Missing if program == "pdftotext" || program == "pdftoppm" => {
            ReadError::NoPdftotext
        }
        RunError::Missing => ReadError::Io(format!("未找到 {program}")),
        RunError::TimedOut => ReadError::Bound(format!(
            "{program} 运行超过时限（{} 秒），已停止；文件可能过于复杂或经过恶意构造",
            if program == "tesseract" {
                limits.ocr_timeout.as_secs()
            } else {
                limits.timeout.as_secs()
            }
        )),
        RunError::Killed => ReadError::Bound(format!(
            "{program} 超出内存限制（{} MB）或异常终止；文件可能过于复杂或经过恶意构造",
            limits.memory_bytes / (1024 * 1024)
        )),
        RunError::Busy => {
            ReadError::Bound(format!("同时运行的 {program} 过多，等待超过时限，未读取"))
        }
        RunError::Failed(_) => ReadError::Format("PDF 文件无法解析（可能已损坏或加密）".into()),
        RunError::Io(m) => ReadError::Io(m),
    }
}

/// Reads at most `max` inflated bytes of a zip entry; more is a bound error (the declared size
/// of an entry can lie, so the count is of the bytes actually inflated).
pub fn read_entry_capped<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
    max: u64,
) -> Result<Option<Vec<u8>>, ReadError> {
    use gongkai_bounded::EntryError;
    gongkai_bounded::read_entry_capped(archive, name, max).map_err(|e| match e {
        EntryError::TooBig(max) => ReadError::Bound(format!(
            "DOCX 中的 {name} 解压后超过 {} MB（可能是压缩炸弹），未读取",
            max / (1024 * 1024)
        )),
        EntryError::Unreadable(e) => ReadError::Format(format!("DOCX 中的 {name} 无法读取：{e}")),
        EntryError::Failed(e) => ReadError::Format(format!("DOCX 中的 {name} 读取失败：{e}")),
    })
}

/// The deepest nesting and the number of elements an HTML parser would build from `html`, by
/// one linear scan of its tags (an upper estimate: end tags close what they name, the elements
/// a parser closes by themselves — a new `<p>`, `<li>`, `<td>`, `<tr>` beside an open one —
/// are closed, void elements and `/>` open nothing; comments and the text of `<script>`,
/// `<style>`, `<textarea>`, `<title>` are skipped).
pub fn html_shape(html: &str) -> (usize, usize) {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    const SIBLING_CLOSES: &[&str] = &["p", "li", "td", "th", "tr", "option", "dt", "dd"];
    const RAW: &[&str] = &["script", "style", "textarea", "title", "xmp", "plaintext"];
    let b = html.as_bytes();
    let mut stack: Vec<String> = Vec::new();
    let (mut deepest, mut elements) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            i = find(b, i + 3, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        if matches!(b.get(i), Some(b'!') | Some(b'?')) {
            i = find(b, i, b">").map_or(b.len(), |e| e + 1);
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let end = start
            + b[start..]
                .iter()
                .position(|c| !c.is_ascii_alphanumeric() && *c != b'-' && *c != b':')
                .unwrap_or(b.len() - start);
        if end == start {
            continue;
        }
        let name = String::from_utf8_lossy(&b[start..end]).to_ascii_lowercase();
        let tag_end = find(b, end, b">").unwrap_or(b.len());
        let self_closing = tag_end > end && b[tag_end - 1] == b'/';
        i = (tag_end + 1).min(b.len());
        if closing {
            if let Some(at) = stack.iter().rposition(|n| *n == name) {
                stack.truncate(at);
            }
            continue;
        }
        elements += 1;
        if VOID.contains(&name.as_str()) || self_closing {
            continue;
        }
        if SIBLING_CLOSES.contains(&name.as_str())
            && let Some(at) = stack.iter().rposition(|n| *n == name)
        {
            stack.truncate(at);
        }
        if RAW.contains(&name.as_str()) {
            let close = format!("</{name}");
            i = find_ci(b, i, close.as_bytes()).unwrap_or(b.len());
            continue;
        }
        stack.push(name);
        deepest = deepest.max(stack.len());
    }
    (deepest, elements)
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| p + from)
}

/// Refuses an HTML page nested deeper or with more elements than `limits` allow.
pub fn check_html(html: &str, limits: &Limits) -> Result<(), ReadError> {
    let (depth, elements) = html_shape(html);
    if depth > limits.max_html_depth {
        return Err(ReadError::Bound(format!(
            "HTML 元素嵌套超过 {} 层（约 {depth} 层），未读取；文件可能经过恶意构造",
            limits.max_html_depth
        )));
    }
    if elements > limits.max_html_elements {
        return Err(ReadError::Bound(format!(
            "HTML 元素超过 {} 个（{elements} 个），未读取",
            limits.max_html_elements
        )));
    }
    Ok(())
}
