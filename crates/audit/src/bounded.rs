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
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

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

/// The moment by which the external programs of one file must be done.
#[derive(Debug, Clone, Copy)]
pub struct Deadline(Instant);

impl Deadline {
    pub fn after(d: Duration) -> Deadline {
        Deadline(Instant::now() + d)
    }
    pub fn left(&self) -> Duration {
        self.0.saturating_duration_since(Instant::now())
    }
}

/// Why a bounded run failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    /// The program is not installed.
    Missing,
    /// Killed at the deadline.
    TimedOut,
    /// Killed by a signal: past its memory or CPU limit, or crashed.
    Killed,
    /// Exited with a failure status.
    Failed(Option<i32>),
    /// No slot became free before the deadline.
    Busy,
    /// Could not be started for another reason.
    Io(String),
}

/// Slots for concurrent external programs in this process.
struct Slots {
    busy: Mutex<usize>,
    freed: Condvar,
}

static SLOTS: Slots = Slots {
    busy: Mutex::new(0),
    freed: Condvar::new(),
};

struct Slot;

impl Slots {
    fn take(&'static self, max: usize, deadline: Deadline) -> Option<Slot> {
        let mut busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        while *busy >= max.max(1) {
            let left = deadline.left();
            if left.is_zero() {
                return None;
            }
            busy = self
                .freed
                .wait_timeout(busy, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        *busy += 1;
        Some(Slot)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut busy = SLOTS.busy.lock().unwrap_or_else(|e| e.into_inner());
        *busy = busy.saturating_sub(1);
        SLOTS.freed.notify_one();
    }
}

/// Runs `cmd` within `limits` and `deadline`: `input` on its stdin, its stdout returned (at
/// most `max_output_bytes`, the rest drained and dropped so the child never blocks on a full
/// pipe). Blocks until the program ends or is killed.
pub fn run(
    mut cmd: Command,
    input: Option<Vec<u8>>,
    limits: &Limits,
    deadline: Deadline,
) -> Result<Vec<u8>, RunError> {
    let _slot = SLOTS
        .take(limits.max_concurrent, deadline)
        .ok_or(RunError::Busy)?;
    cmd.stdin(if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    limit_child(&mut cmd, limits, deadline.left());
    let mut child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => RunError::Missing,
        _ => RunError::Io(e.to_string()),
    })?;
    // Write and read on other threads: a large input fills the stdout pipe before stdin is
    // consumed, and this thread watches the clock.
    let writer = match (child.stdin.take(), input) {
        (Some(mut stdin), Some(data)) => Some(std::thread::spawn(move || {
            let _ = stdin.write_all(&data);
        })),
        _ => None,
    };
    let mut stdout = child
        .stdout
        .take()
        .ok_or(RunError::Io("no stdout".into()))?;
    let cap = limits.max_output_bytes as u64;
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = (&mut stdout).take(cap).read_to_end(&mut out);
        let _ = std::io::copy(&mut stdout, &mut std::io::sink());
        out
    });
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if deadline.left().is_zero() => {
                timed_out = true;
                kill_group(&mut child);
                break child.wait().ok();
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => {
                kill_group(&mut child);
                break child.wait().ok();
            }
        }
    };
    if let Some(w) = writer {
        let _ = w.join();
    }
    let out = reader.join().unwrap_or_default();
    if timed_out {
        return Err(RunError::TimedOut);
    }
    match status {
        Some(s) if s.success() => Ok(out),
        Some(s) if exit_signal(&s).is_some() => Err(RunError::Killed),
        Some(s) => Err(RunError::Failed(s.code())),
        None => Err(RunError::Killed),
    }
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

/// Kills the child and whatever it started (it runs in a process group of its own), so no
/// grandchild keeps its output open.
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    // SAFETY: kill(2) on the child's own process group, which `limit_child` created.
    unsafe {
        libc::kill(-(child.id() as i32), libc::SIGKILL);
    }
    let _ = child.kill();
}

#[cfg(unix)]
fn exit_signal(s: &std::process::ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    s.signal()
}

#[cfg(not(unix))]
fn exit_signal(_: &std::process::ExitStatus) -> Option<i32> {
    None
}

/// Limits the child's address space, and its CPU time (a second guard beside the wall clock),
/// before it runs.
#[cfg(unix)]
fn limit_child(cmd: &mut Command, limits: &Limits, left: Duration) {
    use std::os::unix::process::CommandExt;
    cmd.process_group(0);
    let mem = limits.memory_bytes as libc::rlim_t;
    let cpu = left.as_secs().saturating_add(1) as libc::rlim_t;
    // SAFETY: only setrlimit, which is async-signal-safe, runs between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            for (resource, value) in [(libc::RLIMIT_AS, mem), (libc::RLIMIT_CPU, cpu)] {
                let lim = libc::rlimit {
                    rlim_cur: value,
                    rlim_max: value,
                };
                if libc::setrlimit(resource, &lim) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn limit_child(_: &mut Command, _: &Limits, _: Duration) {}

/// Reads at most `max` inflated bytes of a zip entry; more is a bound error (the declared size
/// of an entry can lie, so the count is of the bytes actually inflated).
pub fn read_entry_capped<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
    max: u64,
) -> Result<Option<Vec<u8>>, ReadError> {
    let mut file = match archive.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(ReadError::Format(format!("DOCX 中的 {name} 无法读取：{e}"))),
    };
    let too_big = || {
        ReadError::Bound(format!(
            "DOCX 中的 {name} 解压后超过 {} MB（可能是压缩炸弹），未读取",
            max / (1024 * 1024)
        ))
    };
    if file.size() > max {
        return Err(too_big());
    }
    let mut buf = Vec::with_capacity(file.size() as usize);
    (&mut file)
        .take(max + 1)
        .read_to_end(&mut buf)
        .map_err(|e| ReadError::Format(format!("DOCX 中的 {name} 读取失败：{e}")))?;
    if buf.len() as u64 > max {
        return Err(too_big());
    }
    Ok(Some(buf))
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
