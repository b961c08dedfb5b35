//! Text of attachments, for the index: PDF through poppler's `pdftotext` (pure-Rust extractors
//! panic on the CMaps Chinese government PDFs use), DOCX through zip + quick-xml, HTML through
//! scraper, plain text as it is.

use crate::Error;
use std::io::{Read, Write};
use std::process::{Command, Stdio};

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
/// spreadsheets). An unreadable file of a readable kind is an error.
pub fn text_of(filename: &str, content_type: &str, data: &[u8]) -> Result<String, Error> {
    match kind_of(filename, content_type) {
        FileKind::Pdf => pdf_text(data),
        FileKind::Docx => docx_text(data),
        FileKind::Html => Ok(html_text(&String::from_utf8_lossy(data))),
        FileKind::Text => Ok(String::from_utf8_lossy(data).into_owned()),
        FileKind::Other => Ok(String::new()),
    }
}

/// `pdftotext -layout - -`, the PDF on stdin and the text on stdout.
pub fn pdf_text(data: &[u8]) -> Result<String, Error> {
    let mut child = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::Extract(format!("无法运行 pdftotext（请安装 poppler-utils）：{e}")))?;
    // Write from another thread: a large PDF fills the stdout pipe before stdin is consumed.
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = data.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let mut text = String::new();
    child
        .stdout
        .take()
        .expect("piped stdout")
        .read_to_string(&mut text)
        .map_err(|e| Error::Extract(format!("读取 pdftotext 输出失败：{e}")))?;
    let status = child
        .wait()
        .map_err(|e| Error::Extract(format!("pdftotext 运行失败：{e}")))?;
    let _ = writer.join();
    if !status.success() {
        return Err(Error::Extract(
            "PDF 文件无法解析（可能已损坏或加密）".into(),
        ));
    }
    Ok(text)
}

/// The paragraphs of `word/document.xml`, one per line.
pub fn docx_text(data: &[u8]) -> Result<String, Error> {
    use quick_xml::events::Event;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(data))
        .map_err(|_| Error::Extract("DOCX 文件无法打开（不是有效的 zip 文件）".into()))?;
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .map_err(|_| Error::Extract("DOCX 文件缺少 word/document.xml".into()))?
        .read_to_string(&mut xml)
        .map_err(|e| Error::Extract(format!("DOCX 正文读取失败：{e}")))?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = String::new();
    let mut in_text = false;
    loop {
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
