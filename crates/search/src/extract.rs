//! Text of attachments, for the index: PDF through poppler's `pdftotext` (pure-Rust extractors
//! panic on the CMaps Chinese government PDFs use), DOCX through zip + quick-xml, HTML through
//! scraper, plain text as it is.
//!
//! Every file here comes from someone's upload, so reading one is bounded: `pdftotext` runs with
//! a wall-clock timeout (the child is killed), an address-space limit (`RLIMIT_AS`, set in the
//! child before it starts) and a cap on how many run at once; a DOCX is refused past a number
//! of zip entries or an inflated size of its text part; the text kept from any file is capped.
//! A file past a limit is an [`Error::Extract`] whose message says which limit, so the caller
//! indexes the item without that file's text and can tell the officer why. These functions block:
//! async callers run them on a blocking thread ([`texts_of_blocking`]).

use crate::Error;
use std::io::Read;
use std::process::Command;
use std::time::Duration;

/// Bounds on reading one attachment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time one `pdftotext` may run before it is killed.
    pub timeout: Duration,
    /// Address space of one `pdftotext` (`RLIMIT_AS`).
    pub memory_bytes: u64,
    /// `pdftotext` processes running at once in this process; others wait (up to `timeout`).
    pub max_concurrent: usize,
    /// Text kept from one file; the rest is dropped (the start of a document is what people
    /// search for).
    pub max_text_bytes: usize,
    /// Inflated size of a DOCX's `word/document.xml`.
    pub max_inflated_bytes: u64,
    /// Entries of a DOCX's zip archive.
    pub max_entries: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            timeout: Duration::from_secs(15),
            memory_bytes: 512 * 1024 * 1024,
            max_concurrent: 2,
            max_text_bytes: 8 * 1024 * 1024,
            max_inflated_bytes: 64 * 1024 * 1024,
            max_entries: 5_000,
        }
    }
}

/// What kind of file the bytes are, from the file name and the declared content type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Docx,
    Html,
    Text,
    Other,
}

pub fn kind_of(filename: &str, content_type: &str) -> FileKind {
    let name = filename.to_ascii_lowercase();
    let ct = content_type.to_ascii_lowercase();
    if name.ends_with(".pdf") || ct == "application/pdf" {
        FileKind::Pdf
    } else if name.ends_with(".docx") || ct.contains("wordprocessingml") {
        FileKind::Docx
    } else if name.ends_with(".html") || name.ends_with(".htm") || ct.starts_with("text/html") {
        FileKind::Html
    } else if name.ends_with(".txt") || ct.starts_with("text/plain") {
        FileKind::Text
    } else {
        FileKind::Other
    }
}

/// The text of a file, or an empty string for kinds that carry no text we can read (images,
/// spreadsheets). An unreadable file of a readable kind, or one past the [`Limits`], is an error.
/// Blocks (up to the timeout for a PDF).
pub fn text_of(filename: &str, content_type: &str, data: &[u8]) -> Result<String, Error> {
    text_of_with(filename, content_type, data, &Limits::default())
}

/// [`text_of`] with other limits.
pub fn text_of_with(
    filename: &str,
    content_type: &str,
    data: &[u8],
    limits: &Limits,
) -> Result<String, Error> {
    let mut text = match kind_of(filename, content_type) {
        FileKind::Pdf => pdf_text_with(data, limits)?,
        FileKind::Docx => docx_text_with(data, limits)?,
        FileKind::Html => html_text(&String::from_utf8_lossy(data)),
        FileKind::Text => String::from_utf8_lossy(data).into_owned(),
        FileKind::Other => String::new(),
    };
    truncate_at_char(&mut text, limits.max_text_bytes);
    Ok(text)
}

/// One attachment whose text could not be indexed, and why (in Chinese, for the officer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub filename: String,
    pub reason: String,
}

/// The text of several files, read on a blocking thread so the async workers stay free. Each
/// entry is the file's text, or `Err(reason)` when it was skipped.
pub async fn texts_of_blocking(
    files: Vec<(String, String, Vec<u8>)>,
) -> Vec<(String, Result<String, String>)> {
    let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
    match tokio::task::spawn_blocking(move || {
        files
            .into_iter()
            .map(|(name, ct, data)| {
                let r = text_of(&name, &ct, &data).map_err(|e| e.to_string());
                (name, r)
            })
            .collect::<Vec<_>>()
    })
    .await
    {
        Ok(v) => v,
        Err(e) => names
            .into_iter()
            .map(|n| (n, Err(format!("附件文字提取线程异常退出：{e}"))))
            .collect(),
    }
}

fn truncate_at_char(s: &mut String, max: usize) {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
}

/// Slots for concurrent `pdftotext` runs of the extractor in this process.
static PDF_SLOTS: gongkai_bounded::Slots = gongkai_bounded::Slots::new();

/// `pdftotext -layout - -`, the PDF on stdin and the text on stdout, within the default limits.
pub fn pdf_text(data: &[u8]) -> Result<String, Error> {
    pdf_text_with(data, &Limits::default())
}

/// `pdftotext` within `limits`: killed past the timeout, refused memory past the address-space
/// limit, at most `max_concurrent` at once, output read up to `max_text_bytes`.
pub fn pdf_text_with(data: &[u8], limits: &Limits) -> Result<String, Error> {
    use gongkai_bounded::RunError;
    let mut cmd = Command::new("pdftotext");
    cmd.args(["-layout", "-enc", "UTF-8", "-", "-"]);
    let bounds = gongkai_bounded::Bounds {
        memory_bytes: limits.memory_bytes,
        max_output_bytes: limits.max_text_bytes,
        max_concurrent: limits.max_concurrent,
    };
    let deadline = gongkai_bounded::Deadline::after(limits.timeout);
    match gongkai_bounded::run(cmd, Some(data.to_vec()), &bounds, &PDF_SLOTS, deadline) {
        Ok(out) => Ok(String::from_utf8_lossy(&out).into_owned()),
        Err(RunError::Busy) => Err(Error::Extract(
            "同时解析的 PDF 文件过多，系统繁忙，附件正文暂未编入索引".into(),
        )),
        Err(RunError::Missing) => Err(Error::Extract(
            "无法运行 pdftotext（请安装 poppler-utils）".into(),
        )),
        Err(RunError::Io(e)) => Err(Error::Extract(format!(
            "无法运行 pdftotext（请安装 poppler-utils）：{e}"
        ))),
        Err(RunError::TimedOut) => Err(Error::Extract(format!(
            "PDF 文件解析超过 {} 秒，已停止（文件可能过于复杂或经过恶意构造），附件正文未编入索引",
            limits.timeout.as_secs()
        ))),
        Err(RunError::Killed) => Err(Error::Extract(format!(
            "PDF 文件解析超出内存限制（{} MB）或解析程序异常终止，附件正文未编入索引",
            limits.memory_bytes / (1024 * 1024)
        ))),
        Err(RunError::Failed(_)) => Err(Error::Extract(
            "PDF 文件无法解析（可能已损坏或加密）".into(),
        )),
    }
}

/// The paragraphs of `word/document.xml`, one per line, within the default limits.
pub fn docx_text(data: &[u8]) -> Result<String, Error> {
    docx_text_with(data, &Limits::default())
}

/// Reads at most `max` inflated bytes of a zip entry; more is an error (the declared size of an
/// entry can lie, so the count is of the bytes actually inflated).
pub fn read_entry_capped<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
    max: u64,
) -> Result<Option<Vec<u8>>, Error> {
    use gongkai_bounded::EntryError;
    gongkai_bounded::read_entry_capped(archive, name, max).map_err(|e| match e {
        EntryError::TooBig(max) => Error::Extract(format!(
            "{name} 解压后超过 {} MB（可能是压缩炸弹），附件正文未编入索引",
            max / (1024 * 1024)
        )),
        EntryError::Unreadable(e) => Error::Extract(format!("压缩包条目 {name} 无法读取：{e}")),
        EntryError::Failed(e) => Error::Extract(format!("压缩包条目 {name} 读取失败：{e}")),
    })
}

/// The paragraphs of `word/document.xml`, one per line: at most `max_entries` entries in the
/// archive and `max_inflated_bytes` of XML.
pub fn docx_text_with(data: &[u8], limits: &Limits) -> Result<String, Error> {
    use quick_xml::events::Event;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(data))
        .map_err(|_| Error::Extract("DOCX 文件无法打开（不是有效的 zip 文件）".into()))?;
    if archive.len() > limits.max_entries {
        return Err(Error::Extract(format!(
            "DOCX 文件包含 {} 个条目，超过上限 {}，附件正文未编入索引",
            archive.len(),
            limits.max_entries
        )));
    }
    let bytes = read_entry_capped(&mut archive, "word/document.xml", limits.max_inflated_bytes)?
        .ok_or_else(|| Error::Extract("DOCX 文件缺少 word/document.xml".into()))?;
    let xml = String::from_utf8(bytes)
        .map_err(|_| Error::Extract("DOCX 正文不是有效的 UTF-8 文本".into()))?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = String::new();
    let mut in_text = false;
    loop {
        if out.len() > limits.max_text_bytes {
            break;
        }
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "t" => in_text = true,
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => out.push('\n'),
                _ => {}
            },
            Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "tab" => out.push('\t'),
                "br" => out.push('\n'),
                _ => {}
            },
            Ok(Event::Text(t)) if in_text => {
                out.push_str(&t.xml10_content());
            }
            Ok(Event::GeneralRef(r)) if in_text => {
                // Entities inside <w:t> (&amp; and the like).
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c);
                    continue;
                }
                out.push_str(match r.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                });
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(Error::Extract(format!("DOCX 正文格式有误：{e}"))),
            _ => {}
        }
    }
    truncate_at_char(&mut out, limits.max_text_bytes);
    Ok(out)
}

/// The visible text of an HTML page (scripts and styles left out), blocks on their own lines.
pub fn html_text(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let mut out = String::new();
    for node in doc.root_element().descendants() {
        if let Some(text) = node.value().as_text() {
            let hidden = node.ancestors().any(|a| {
                a.value().as_element().is_some_and(|e| {
                    matches!(e.name(), "script" | "style" | "noscript" | "template")
                })
            });
            if !hidden {
                let t = text.trim();
                if !t.is_empty() {
                    if !out.is_empty() {
                        out.push('\n');
                    }
                    out.push_str(t);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::time::Instant;

    fn docx_with(body: &str) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        z.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        write!(
            z,
            r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        )
        .unwrap();
        z.finish().unwrap();
        buf.into_inner()
    }

    #[test]
    fn docx_paragraphs_become_lines() {
        let d = docx_with(
            "<w:p><w:r><w:t>关于做好</w:t></w:r><w:r><w:t>招生工作</w:t></w:r></w:p><w:p><w:r><w:t>A&amp;B</w:t></w:r></w:p>",
        );
        assert_eq!(docx_text(&d).unwrap(), "关于做好招生工作\nA&B\n");
        assert!(docx_text(b"not a zip").is_err());
    }

    /// A PDF whose pages all share one content stream of `ops` text operators: small on disk,
    /// long to lay out (400 pages × 20,000 operators keep pdftotext busy for well over 10 s).
    pub(crate) fn pdf_bomb(pages: usize, ops: usize) -> Vec<u8> {
        let mut content = b"BT /F1 1 Tf ".to_vec();
        for _ in 0..ops {
            content.extend_from_slice(b"(ABCDEFGHIJ) Tj 0.001 0.0001 Td ");
        }
        content.extend_from_slice(b"ET");
        let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 5 + i)).collect();
        let mut objs: Vec<Vec<u8>> = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            format!(
                "<< /Type /Pages /Kids [{}] /Count {pages} >>",
                kids.join(" ")
            )
            .into_bytes(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        ];
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend_from_slice(&content);
        stream.extend_from_slice(b"\nendstream");
        objs.push(stream);
        for _ in 0..pages {
            objs.push(
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
                    .to_vec(),
            );
        }
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objs.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(o);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes(),
        );
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objs.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    fn have_pdftotext() -> bool {
        Command::new("pdftotext").arg("-v").output().is_ok()
    }

    #[test]
    fn a_small_pdf_is_read() {
        if !have_pdftotext() {
            panic!("pdftotext is needed (apt-get install poppler-utils; scripts/setup does it)");
        }
        let text = pdf_text(&pdf_bomb(1, 1)).unwrap();
        assert!(text.contains("ABCDEFGHIJ"), "{text}");
    }

    #[test]
    fn a_pdf_bomb_is_stopped_at_the_timeout() {
        let limits = Limits {
            timeout: Duration::from_secs(2),
            ..Limits::default()
        };
        let bomb = pdf_bomb(400, 20_000);
        assert!(bomb.len() < 1_000_000);
        let t = Instant::now();
        let e = pdf_text_with(&bomb, &limits).unwrap_err().to_string();
        let took = t.elapsed();
        assert!(took < Duration::from_secs(5), "took {took:?}");
        assert!(e.contains("超过 2 秒"), "{e}");
    }

    #[test]
    fn pdftotext_runs_under_the_memory_limit() {
        // Too little address space for pdftotext even to load its libraries: the limit is
        // applied to the child (the same PDF reads fine with the default limits).
        let limits = Limits {
            memory_bytes: 4 * 1024 * 1024,
            ..Limits::default()
        };
        let small = pdf_bomb(1, 1);
        assert!(pdf_text_with(&small, &limits).is_err());
        assert!(pdf_text_with(&small, &Limits::default()).is_ok());
    }

    #[test]
    fn pdf_runs_wait_for_a_slot_and_give_up_after_the_timeout() {
        let limits = Limits {
            timeout: Duration::from_millis(200),
            max_concurrent: 1,
            ..Limits::default()
        };
        // Hold the only slot (the other tests use their own limits: at most 1 here).
        let held = PDF_SLOTS
            .take(1, gongkai_bounded::Deadline::after(Duration::from_secs(30)))
            .unwrap();
        let e = pdf_text_with(&pdf_bomb(1, 1), &limits)
            .unwrap_err()
            .to_string();
        drop(held);
        assert!(e.contains("系统繁忙") || e.contains("超过"), "{e}");
    }

    /// A DOCX whose document.xml inflates to `mb` megabytes of one repeated paragraph.
    fn docx_bomb(mb: usize) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        z.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default()
                .compression_level(Some(9))
                .large_file(true),
        )
        .unwrap();
        z.write_all(b"<?xml version=\"1.0\"?><w:document xmlns:w=\"x\"><w:body>")
            .unwrap();
        let para = b"<w:p><w:r><w:t>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</w:t></w:r></w:p>";
        let chunk: Vec<u8> = para
            .iter()
            .copied()
            .cycle()
            .take(para.len() * 16_384)
            .collect();
        for _ in 0..(mb * 1024 * 1024 / chunk.len()) {
            z.write_all(&chunk).unwrap();
        }
        z.write_all(b"</w:body></w:document>").unwrap();
        z.finish().unwrap();
        buf.into_inner()
    }

    #[test]
    fn a_docx_zip_bomb_is_refused_without_inflating_it() {
        let bomb = docx_bomb(100);
        assert!(bomb.len() < 2_000_000, "{} bytes", bomb.len());
        let t = Instant::now();
        let e = docx_text(&bomb).unwrap_err().to_string();
        assert!(e.contains("压缩炸弹"), "{e}");
        assert!(t.elapsed() < Duration::from_secs(5));
        // The cap is a parameter.
        let limits = Limits {
            max_inflated_bytes: 1024 * 1024,
            ..Limits::default()
        };
        assert!(docx_text_with(&docx_bomb(2), &limits).is_err());
    }

    #[test]
    fn a_docx_with_too_many_entries_is_refused() {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        for i in 0..30 {
            z.start_file(format!("f{i}"), zip::write::SimpleFileOptions::default())
                .unwrap();
        }
        z.finish().unwrap();
        let limits = Limits {
            max_entries: 20,
            ..Limits::default()
        };
        let e = docx_text_with(&buf.into_inner(), &limits)
            .unwrap_err()
            .to_string();
        assert!(e.contains("超过上限"), "{e}");
    }

    #[test]
    fn text_is_capped() {
        let limits = Limits {
            max_text_bytes: 10,
            ..Limits::default()
        };
        let t = text_of_with("a.txt", "", "一二三四五六".as_bytes(), &limits).unwrap();
        assert_eq!(t, "一二三");
    }

    #[test]
    fn html_text_skips_scripts() {
        let t = html_text(
            "<html><head><style>p{}</style><script>var x='隐藏';</script></head><body><h1>标题</h1><p>正文 <b>内容</b></p></body></html>",
        );
        assert_eq!(t, "标题\n正文\n内容");
    }

    #[test]
    fn kinds() {
        assert_eq!(kind_of("a.PDF", ""), FileKind::Pdf);
        assert_eq!(
            kind_of(
                "x",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            ),
            FileKind::Docx
        );
        assert_eq!(text_of("a.png", "image/png", b"\x89PNG").unwrap(), "");
    }
}
