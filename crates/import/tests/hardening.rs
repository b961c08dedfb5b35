//! Imports stay bounded whatever the file (issue 20): reading CSV is linear in its rows (line
//! numbers were found by counting newlines from the start for every record), and an XLSX file
//! is refused past a number of zip entries or an inflated size.

use gongkai_import::table::{check_zip_bounds, read_csv_text, read_xlsx_bytes};
use gongkai_import::{Kind, check_table};
use std::io::Write;
use std::time::{Duration, Instant};

const HEAD: &str = "标题,栏目,发布日期,文件类型,有效性,有效性变更日期\n";

#[test]
fn line_numbers_follow_quoted_newlines_and_blank_lines() {
    let text = format!(
        "{HEAD}一,公示公告,2020-01-02,,,\n\n\"二\n（续）\",公示公告,2020-01-02,,,\n\r\n\n三,公示公告,2020/13/01,,,\n"
    );
    let t = read_csv_text(&text).unwrap();
    let lines: Vec<usize> = t.rows.iter().map(|r| r.0).collect();
    assert_eq!(lines, [2, 4, 8]);
    let e = check_table(Kind::Catalogue, &t).unwrap_err().to_string();
    assert!(e.contains("第8行“发布日期”列"), "{e}");
}

#[test]
fn a_hundred_thousand_rows_are_read_in_linear_time() {
    let mut text = String::from(HEAD);
    for i in 0..100_000 {
        text.push_str(&format!("关于第{i}号事项的通知,公示公告,2020-01-02,,,\n"));
    }
    let t = Instant::now();
    let table = read_csv_text(&text).unwrap();
    let took = t.elapsed();
    assert_eq!(table.rows.len(), 100_000);
    assert_eq!(table.rows.last().unwrap().0, 100_001);
    // Quadratic counting took minutes here; linear reading takes well under a second.
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert_eq!(check_table(Kind::Catalogue, &table).unwrap(), 100_000);
}

fn zip_of(entries: &[(&str, usize)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    for (name, size) in entries {
        z.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        let chunk = vec![b'A'; 64 * 1024];
        let mut left = *size;
        while left > 0 {
            let n = left.min(chunk.len());
            z.write_all(&chunk[..n]).unwrap();
            left -= n;
        }
    }
    z.finish().unwrap();
    buf.into_inner()
}

#[test]
fn xlsx_zip_bombs_are_refused_before_they_are_inflated() {
    // 8 MB of one letter compresses to a few KB.
    let bomb = zip_of(&[("xl/worksheets/sheet1.xml", 8 * 1024 * 1024)]);
    assert!(bomb.len() < 100_000);
    let e = check_zip_bounds(&bomb, 100, 1024 * 1024)
        .unwrap_err()
        .to_string();
    assert!(e.contains("压缩炸弹"), "{e}");
    assert!(check_zip_bounds(&bomb, 100, 16 * 1024 * 1024).is_ok());
    let many: Vec<(String, usize)> = (0..50).map(|i| (format!("f{i}"), 1)).collect();
    let many: Vec<(&str, usize)> = many.iter().map(|(n, s)| (n.as_str(), *s)).collect();
    let e = check_zip_bounds(&zip_of(&many), 20, 1024 * 1024)
        .unwrap_err()
        .to_string();
    assert!(e.contains("超过上限"), "{e}");
    // Not a zip at all.
    assert!(read_xlsx_bytes(b"not a spreadsheet").is_err());
}

#[test]
fn a_real_xlsx_is_still_read() {
    let bytes = Kind::Catalogue.template_xlsx().unwrap();
    let t = read_xlsx_bytes(&bytes).unwrap();
    assert!(t.headers.iter().any(|h| h == "标题"), "{:?}", t.headers);
}

/// Issue 33: a 20-million-character 内容概述 was imported and made a 60 MB public page.
#[test]
fn imported_cells_are_bounded_by_the_limits_of_their_fields() {
    let head = "标题,栏目,发布日期,内容概述,发布机构,文号\n";
    // Past any column's limit: the file is refused when read, before any row is checked.
    let huge = format!("{head}通知,公示公告,2020-01-02,{},,\n", "长".repeat(20_000));
    let e = read_csv_text(&huge).unwrap_err().to_string();
    assert!(e.contains("第2行“内容概述”有 20000 字"), "{e}");
    // Within it, but past the field's own: a row error naming the column.
    let text = format!(
        "{head}{},公示公告,2020-01-02,{},{},{}\n",
        "题".repeat(201),
        "概".repeat(2_001),
        "单".repeat(101),
        "号".repeat(101)
    );
    let e = check_table(Kind::Catalogue, &read_csv_text(&text).unwrap())
        .unwrap_err()
        .to_string();
    for part in [
        "“标题”列：不能超过200字（现有201字）",
        "“内容概述”列：不能超过2000字（现有2001字）",
        "“发布机构”列：不能超过100字",
        "“文号”列：不能超过100字",
    ] {
        assert!(e.contains(part), "{part} in {e}");
    }
    // At the limits: accepted.
    let ok = format!(
        "{head}{},公示公告,2020-01-02,{},,\n",
        "题".repeat(200),
        "概".repeat(2_000)
    );
    assert_eq!(
        check_table(Kind::Catalogue, &read_csv_text(&ok).unwrap()).unwrap(),
        1
    );
}

/// Issue 33: a 1.1 MB XLSX took 1.55 GB — calamine holds the shared strings whole.
#[test]
fn an_xlsx_with_huge_shared_strings_is_refused_before_it_is_read() {
    let bomb = zip_of(&[
        ("[Content_Types].xml", 100),
        ("xl/sharedStrings.xml", 100 * 1024 * 1024),
    ]);
    assert!(bomb.len() < 1_000_000, "{} bytes", bomb.len());
    let t = Instant::now();
    let e = read_xlsx_bytes(&bomb).unwrap_err().to_string();
    assert!(e.contains("文字部分解压后超过 96 MB"), "{e}");
    assert!(t.elapsed() < Duration::from_secs(10));
}

/// A minimal XLSX whose one worksheet holds `rows` rows of ten one-digit cells.
fn xlsx_of_tiny_cells(rows: usize) -> Vec<u8> {
    let mut sheet = String::with_capacity(rows * 10 * 24 + 200);
    sheet.push_str(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for r in 1..=rows {
        sheet.push_str(&format!("<row r=\"{r}\">"));
        for c in b'A'..=b'J' {
            sheet.push_str(&format!("<c r=\"{}{r}\"><v>1</v></c>", c as char));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    for (name, text) in parts {
        z.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap();
    buf.into_inner()
}

/// Issue 33: within the inflated-size bound, a 615 KB file still held 17 million one-character
/// cells (1.3 GB as strings). Past `XLSX_MAX_CELLS` non-empty cells the sheet is refused with the
/// row reached, and a sheet just under the cap is read whole.
#[test]
fn an_xlsx_of_millions_of_tiny_cells_is_refused_at_the_cap() {
    use gongkai_import::table::XLSX_MAX_CELLS;
    let rows = XLSX_MAX_CELLS / 10 + 1;
    let bomb = xlsx_of_tiny_cells(rows);
    assert!(bomb.len() < 10_000_000, "{} bytes", bomb.len());
    let e = read_xlsx_bytes(&bomb).unwrap_err().to_string();
    assert!(
        e.contains(&format!("非空单元格超过 {XLSX_MAX_CELLS} 个")),
        "{e}"
    );
    assert!(e.contains(&format!("读到第{rows}行")), "{e}");
    assert!(e.contains("请拆分为多个文件分批导入"), "{e}");
    let under = read_xlsx_bytes(&xlsx_of_tiny_cells(1_000)).unwrap();
    assert_eq!(under.rows.len() + 1, 1_000, "first row is the header");
    assert_eq!(under.headers.len(), 10);
}
