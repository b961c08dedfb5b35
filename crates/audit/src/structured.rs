//! HTML and DOCX into lines: paragraphs become text lines, table rows become lines whose cells
//! are tokens already (so a blank cell stays a blank cell, and garbage in a value cell is seen as
//! garbage rather than label text). Merged cells: a rowspan/vMerge continuation is no cell at all
//! (the label it repeats was read with the first row), a colspan/gridSpan is one cell.

use crate::ReadError;
use crate::parse::{Line, Tok, Unit, parse_value};
use gongkai_domain::report::text::compact;

/// A table row's cells into a line: once a row's values have started, a cell that is not a value
/// is garbage in a value cell.
pub(crate) fn row_line(cells: Vec<String>) -> Line {
    let mut toks = Vec::new();
    let mut values_started = false;
    for c in &cells {
        let t = c.trim();
        match parse_value(t) {
            Some(v) => {
                // A label cell left empty before any value is layout, not a blank value.
                if t.is_empty() && !values_started {
                    toks.push(v);
                    continue;
                }
                values_started = true;
                toks.push(v);
            }
            None if values_started => toks.push(Tok::Val {
                value: None,
                unit: Unit::None,
                raw: Some(t.to_string()),
            }),
            None => toks.push(Tok::Text(compact(t))),
        }
    }
    // Leading empty cells before the label are layout.
    while matches!(
        toks.first(),
        Some(Tok::Val {
            value: None,
            raw: None,
            ..
        })
    ) && toks.iter().any(|t| matches!(t, Tok::Text(_)))
    {
        toks.remove(0);
    }
    Line {
        text: cells.join(" "),
        toks: Some(toks),
        page_start: false,
    }
}

/// The lines of an HTML page.
pub fn html_lines(html: &str) -> Vec<Line> {
    let doc = scraper::Html::parse_document(html);
    let mut out = Vec::new();
    let mut cur = String::new();
    walk_html(doc.root_element(), &mut out, &mut cur);
    flush(&mut out, &mut cur);
    out
}

fn flush(out: &mut Vec<Line>, cur: &mut String) {
    let t = cur.trim();
    if !t.is_empty() {
        out.push(Line::text(t));
    }
    cur.clear();
}

fn cell_text(el: scraper::ElementRef) -> String {
    let mut s = String::new();
    for t in el.text() {
        s.push_str(t.trim());
    }
    s
}

fn walk_html(el: scraper::ElementRef, out: &mut Vec<Line>, cur: &mut String) {
    for child in el.children() {
        if let Some(t) = child.value().as_text() {
            cur.push_str(&t.replace(['\n', '\r', '\t'], " "));
            continue;
        }
        let Some(ce) = scraper::ElementRef::wrap(child) else {
            continue;
        };
        match ce.value().name() {
            "script" | "style" | "noscript" | "template" | "head" | "svg" => {}
            "br" => flush(out, cur),
            "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "ul" | "ol"
            | "section" | "article" | "header" | "footer" | "main" | "aside" | "nav"
            | "blockquote" | "pre" | "title" | "dl" | "dt" | "dd" | "figure" | "figcaption"
            | "hr" | "center" | "form" | "address" | "body" | "html" | "caption" => {
                flush(out, cur);
                walk_html(ce, out, cur);
                flush(out, cur);
            }
            "table" => {
                flush(out, cur);
                table_rows(ce, out);
            }
            // Anything else (span, font, b, a, LibreOffice's sdfield…) is inline.
            _ => walk_html(ce, out, cur),
        }
    }
}

fn table_rows(table: scraper::ElementRef, out: &mut Vec<Line>) {
    // Rows of this table, not of tables nested in its cells.
    fn rows<'a>(el: scraper::ElementRef<'a>, acc: &mut Vec<scraper::ElementRef<'a>>) {
        for c in el.children().filter_map(scraper::ElementRef::wrap) {
            match c.value().name() {
                "tr" => acc.push(c),
                "thead" | "tbody" | "tfoot" => rows(c, acc),
                _ => {}
            }
        }
    }
    let mut trs = Vec::new();
    rows(table, &mut trs);
    for tr in trs {
        let cells: Vec<String> = tr
            .children()
            .filter_map(scraper::ElementRef::wrap)
            .filter(|c| matches!(c.value().name(), "td" | "th"))
            .map(cell_text)
            .collect();
        if !cells.is_empty() {
            out.push(row_line(cells));
        }
    }
}

/// The lines of a DOCX file (word/document.xml), within `limits` (zip entries, inflated size).
pub fn docx_lines(data: &[u8], limits: &crate::Limits) -> Result<Vec<Line>, ReadError> {
    use quick_xml::events::Event;
    if data.len() as u64 > limits.max_document_bytes {
        return Err(ReadError::Bound(format!(
            "DOCX 文件超过 {} MB，未读取",
            limits.max_document_bytes / (1024 * 1024)
        )));
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(data))
        .map_err(|_| ReadError::Format("DOCX 文件无法打开（不是有效的 zip 文件）".into()))?;
    if archive.len() > limits.max_zip_entries {
        return Err(ReadError::Bound(format!(
            "DOCX 文件包含 {} 个条目，超过上限 {}，未读取",
            archive.len(),
            limits.max_zip_entries
        )));
    }
    let bytes = crate::bounded::read_entry_capped(
        &mut archive,
        "word/document.xml",
        limits.max_inflated_bytes,
    )?
    .ok_or_else(|| ReadError::Format("DOCX 文件缺少 word/document.xml".into()))?;
    let xml = String::from_utf8(bytes)
        .map_err(|_| ReadError::Format("DOCX 正文不是有效的 UTF-8 文本".into()))?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = Vec::new();
    let mut depth = 0usize; // table nesting
    let mut para = String::new();
    let mut cell = String::new();
    let mut row: Vec<String> = Vec::new();
    let mut continued = false; // the current cell continues a vertical merge
    let mut in_text = false;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| ReadError::Format(format!("DOCX 正文格式有误：{e}")))?;
        match ev {
            Event::Start(e) => match e.local_name().as_ref() {
                "tbl" => depth += 1,
                "tr" if depth == 1 => row.clear(),
                "tc" if depth == 1 => {
                    cell.clear();
                    continued = false;
                }
                "t" => in_text = true,
                "vMerge" if depth == 1 => continued = vmerge_continues(&e),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" => para.push(' '),
                "br" => para.push('\n'),
                "vMerge" if depth == 1 => continued = vmerge_continues(&e),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => {
                    if depth == 0 {
                        for l in para.split('\n') {
                            out.push(Line::text(l.to_string()));
                        }
                    } else {
                        cell.push_str(&para.replace('\n', ""));
                    }
                    para.clear();
                }
                "tc" if depth == 1 => {
                    if !continued {
                        row.push(std::mem::take(&mut cell));
                    }
                    cell.clear();
                }
                "tr" if depth == 1 && !row.is_empty() => {
                    out.push(row_line(std::mem::take(&mut row)));
                }
                "tbl" => depth = depth.saturating_sub(1),
                _ => {}
            },
            Event::Text(t) if in_text => {
                para.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    para.push(c);
                    continue;
                }
                para.push_str(match r.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn vmerge_continues(e: &quick_xml::events::BytesStart) -> bool {
    let val = e
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == "val")
        .map(|a| a.value.into_owned());
    val.as_deref() != Some("restart")
}
