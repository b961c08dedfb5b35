//! The auditor never states a wrong number: every cell it puts in the model is the document's,
//! and a row or table it cannot read with certainty is left out and named in a READ finding
//! (issue 21). Each test feeds a shape of document that once produced wrong cells silently.

use gongkai_audit::{Read, parse::READ_RULE, table_reads};
use gongkai_domain::report::layout::{self, APPLICANT_COLUMNS, TABLE_2, TABLE_3, TABLE_4};
use gongkai_domain::report::{Num, Report, Severity};
use std::io::{Read as _, Write as _};

fn model() -> Report {
    let mut r = gongkai_render::sample::report(2021);
    // The row of the issue: 一、本年新收 64|0|0|2|0|4|70.
    for (c, v) in APPLICANT_COLUMNS.iter().zip([64, 0, 0, 2, 0, 4, 70]) {
        r.set_int(TABLE_3, layout::ROW_NEW, c, v);
    }
    r
}

fn val(r: &Report, t: &str, row: &str, col: &str) -> String {
    match r.get(t, row, col) {
        Some(v) => v.to_string(),
        None => "—".into(),
    }
}

/// The report as plain text, one table row a line. `glue`: table 三's cells written with no
/// separator at all, right after the label (as crawlers collect a page's table). `drop`: a cell
/// of table 三 left out entirely (as pdftotext -layout drops an empty cell).
fn text_of(r: &Report, glue: bool, drop: Option<(&str, &str)>) -> String {
    let mut o = format!("{}{}年政府信息公开工作年度报告\n", r.organ, r.year);
    for (i, h) in layout::SECTIONS.iter().enumerate() {
        o.push_str(h);
        o.push('\n');
        let body = r.text_of(h).unwrap_or("");
        if !body.is_empty() {
            o.push_str(body);
            o.push('\n');
        }
        match i {
            1 => {
                for b in layout::blocks(r.format) {
                    o.push_str(b.heading);
                    o.push('\n');
                    let cols: Vec<&str> = b.columns.iter().map(|c| c.0).collect();
                    o.push_str(&format!("信息内容 {}\n", cols.join(" ")));
                    for row in b.rows {
                        let vals: Vec<String> =
                            cols.iter().map(|c| val(r, TABLE_2, row, c)).collect();
                        o.push_str(&format!("{row} {}\n", vals.join(" ")));
                    }
                }
            }
            2 => {
                o.push_str(&format!("{}\n申请人情况\n", layout::TABLE3_NOTE));
                o.push_str("自然人 法人或其他组织 总计\n商业企业 科研机构 社会公益组织 法律服务机构 其他\n");
                for row in layout::table3_rows(r.format) {
                    let vals: Vec<String> = APPLICANT_COLUMNS
                        .iter()
                        .filter(|c| drop != Some((row, **c)))
                        .map(|c| val(r, TABLE_3, row, c))
                        .collect();
                    if glue {
                        o.push_str(&format!("{row}{}\n", vals.concat()));
                    } else {
                        o.push_str(&format!("{row} {}\n", vals.join(" ")));
                    }
                }
            }
            3 => {
                o.push_str("行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉\n");
                let mut vals = Vec::new();
                for row in layout::TABLE4_ROWS {
                    for c in layout::TABLE4_COLUMNS {
                        vals.push(val(r, TABLE_4, row, c));
                    }
                }
                o.push_str(&vals.join(" "));
                o.push('\n');
            }
            _ => {}
        }
    }
    o.push_str(&format!("{}\n", r.organ));
    o
}

/// No cell of `got` differs from `want`; every cell of `want` that `got` lacks belongs to a
/// table with a READ error finding.
fn assert_no_wrong_cell(got: &Report, want: &Report) {
    for g in &got.cells {
        let w = want.cell(&g.table, &g.row, &g.column).map(|c| c.value);
        assert_eq!(
            w,
            Some(g.value),
            "wrong cell {}/{}/{}: read {:?}",
            g.table,
            g.row,
            g.column,
            g.value
        );
    }
    for w in &want.cells {
        if got.cell(&w.table, &w.row, &w.column).is_none() {
            assert!(
                got.findings.iter().any(|f| f.rule == READ_RULE
                    && f.severity == Severity::Error
                    && f.location == w.table),
                "{}/{}/{} left out without a READ finding: {:?}",
                w.table,
                w.row,
                w.column,
                got.findings
            );
        }
    }
}

fn read_text(text: &str) -> Report {
    let mut v = vec![gongkai_audit::read_text(text, None)];
    gongkai_audit::check_all(&mut v);
    v.pop().expect("one report")
}

fn read_of(r: &Report, t: &str) -> Option<Read> {
    table_reads(r).into_iter().find(|x| x.0 == t).map(|x| x.1)
}

#[test]
fn plain_text_reads_exactly() {
    let want = model();
    let got = read_text(&text_of(&want, false, None));
    assert_no_wrong_cell(&got, &want);
    assert_eq!(got.cells.len(), want.cells.len());
    assert_eq!(read_of(&got, TABLE_3), Some(Read::Exact));
}

#[test]
fn a_cell_dropped_by_the_extractor_leaves_its_row_out_not_shifted() {
    let want = gongkai_render::sample::report(2021);
    // 科研机构 of （一）予以公开 is missing: the row's later values would slide one column left.
    let got = read_text(&text_of(&want, false, Some(("（一）予以公开", "科研机构"))));
    assert_no_wrong_cell(&got, &want);
    assert!(got.cell(TABLE_3, "（一）予以公开", "自然人").is_none());
    assert_eq!(read_of(&got, TABLE_3), Some(Read::Partial));
    let f = got
        .findings
        .iter()
        .find(|f| f.rule == READ_RULE)
        .expect("READ finding");
    assert!(f.message.contains("（一）予以公开"), "{}", f.message);
    // Rules that need the missing row are not reported broken.
    assert!(
        !got.findings
            .iter()
            .any(|f| ["R1", "R3", "R4", "R9"].contains(&f.rule.as_str())),
        "{:?}",
        got.findings
    );
    // Other rows are read.
    assert_eq!(
        got.get(TABLE_3, layout::ROW_NEW, "总计"),
        want.get(TABLE_3, layout::ROW_NEW, "总计")
    );
}

#[test]
fn crawler_text_with_metadata_and_glued_cells() {
    let want = model();
    let body = text_of(&want, true, None);
    let text = format!(
        "标题: {}{}年政府信息公开工作年度报告\n发布时间: 2022-01-25 09:30\n原文链接: http://www.example.gov.cn/art/2022/1/25/art_1.html\n==== 正文 ====\n首页 > 政务公开 > 政府信息公开年报\n{body}打印本页 关闭窗口\n",
        want.organ, want.year
    );
    let got = read_text(&text);
    assert_eq!(got.organ, want.organ);
    assert_eq!(got.year, want.year);
    assert_eq!(got.format, want.format);
    assert_eq!(got.sections.len(), 6);
    assert_no_wrong_cell(&got, &want);
    // The issue's row splits one way only.
    for (c, v) in APPLICANT_COLUMNS.iter().zip([64, 0, 0, 2, 0, 4, 70]) {
        assert_eq!(
            got.get(TABLE_3, layout::ROW_NEW, c),
            Some(Num(v as f64)),
            "{c}"
        );
    }
    let read = read_of(&got, TABLE_3);
    assert!(
        matches!(read, Some(Read::Solved | Read::Partial)),
        "{read:?}"
    );
    assert!(
        got.findings
            .iter()
            .any(|f| f.rule == READ_RULE && f.message.contains("连在一起")),
        "{:?}",
        got.findings
    );
}

#[test]
fn the_json_says_how_each_table_was_read() {
    let want = model();
    let got = read_text(&text_of(&want, false, Some(("（一）予以公开", "科研机构"))));
    let json = gongkai_audit::to_json(&gongkai_domain::report::ReportSet { reports: vec![got] });
    let read = &json["reports"][0]["read"];
    assert_eq!(read["二"], "exact");
    assert_eq!(read["三"], "partial");
    assert_eq!(read["四"], "exact");
}

/// Rewrites a DOCX's document.xml.
fn with_document(docx: &[u8], f: impl Fn(&str) -> String) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("zip");
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        for i in 0..zin.len() {
            let mut e = zin.by_index(i).expect("entry");
            let name = e.name().expect("name").to_string();
            let mut data = Vec::new();
            e.read_to_end(&mut data).expect("read");
            if name == "word/document.xml" {
                data = f(&String::from_utf8(data).expect("utf8")).into_bytes();
            }
            z.start_file(name, zip::write::SimpleFileOptions::default())
                .expect("start");
            z.write_all(&data).expect("write");
        }
        z.finish().expect("finish");
    }
    out.into_inner()
}

/// After the first cell of every table row, an empty cell spanning two grid columns: what
/// LibreOffice writes when a web page's row has fewer cells than the table's grid.
fn pad_rows_with_fillers(xml: &str) -> String {
    let filler = r#"<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p/></w:tc>"#;
    let mut out = String::with_capacity(xml.len() * 2);
    let mut rest = xml;
    while let Some(i) = rest.find("<w:tr") {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find("</w:tc>") else {
            break;
        };
        let end = end + "</w:tc>".len();
        out.push_str(&rest[..end]);
        out.push_str(filler);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn word_rows_padded_with_empty_filler_cells_read_exactly() {
    for year in [2020, 2021] {
        let want = gongkai_render::sample::report(year);
        let docx = gongkai_render::docx::report(&want, &Default::default()).expect("docx");
        let padded = with_document(&docx, pad_rows_with_fillers);
        if let Some(d) = std::env::var_os("GONGKAI_KEEP") {
            std::fs::write(
                std::path::Path::new(&d).join(format!("padded-{year}.docx")),
                &padded,
            )
            .expect("keep");
        }
        let got = gongkai_audit::read_docx(&padded, None).expect("read");
        assert_no_wrong_cell(&got, &want);
        assert_eq!(
            got.cells.len(),
            want.cells.len(),
            "{year}: every cell read; {:?}",
            got.findings
        );
    }
}

#[test]
fn a_word_row_with_more_values_than_columns_is_left_out() {
    let want = gongkai_render::sample::report(2021);
    let docx = gongkai_render::docx::report(&want, &Default::default()).expect("docx");
    // 行政处罚 gets a second, non-empty value cell: which is its value cannot be known.
    let twisted = with_document(&docx, |xml| {
        let at = xml.find("行政处罚").expect("row");
        let end = at + xml[at..].find("</w:tc>").expect("cell end") + "</w:tc>".len();
        format!(
            "{}<w:tc><w:p><w:r><w:t>9</w:t></w:r></w:p></w:tc>{}",
            &xml[..end],
            &xml[end..]
        )
    });
    let mut got = vec![gongkai_audit::read_docx(&twisted, None).expect("read")];
    gongkai_audit::check_all(&mut got);
    let got = &got[0];
    assert_no_wrong_cell(got, &want);
    assert!(got.cell(TABLE_2, "行政处罚", "本年处理决定数量").is_none());
    // 行政强制 keeps its own value (it used to receive 行政处罚's).
    assert_eq!(
        got.get(TABLE_2, "行政强制", "本年处理决定数量"),
        want.get(TABLE_2, "行政强制", "本年处理决定数量")
    );
    assert_eq!(read_of(got, TABLE_2), Some(Read::Partial));
}

#[test]
fn applications_received_counted_with_those_carried_over_are_no_contradiction() {
    let mut want = gongkai_render::sample::report(2021);
    for (row, n) in [(layout::ROW_NEW, 713), (layout::ROW_CARRIED_IN, 36)] {
        want.set_int(TABLE_3, row, "自然人", n);
        want.set_int(TABLE_3, row, "总计", n);
    }
    want.set_text(
        "一、总体情况",
        "全县全年共受理政府信息公开申请749件，均在法定期限内答复。",
    );
    let got = read_text(&text_of(&want, false, None));
    assert!(
        !got.findings.iter().any(|f| f.rule == "R9"),
        "{:?}",
        got.findings
    );
    // A number that is neither is still reported.
    want.set_text("一、总体情况", "全县全年共受理政府信息公开申请750件。");
    let got = read_text(&text_of(&want, false, None));
    assert!(
        got.findings.iter().any(|f| f.rule == "R9"),
        "{:?}",
        got.findings
    );
}

#[test]
fn rows_left_blank_do_not_pass_their_label_to_the_next_row() {
    // Several rows in a run written with empty cells only (as 上海市人民政府办公厅's 2019 report
    // does): the values of （七）总计 that follow must stay in （七）总计.
    let mut want = gongkai_render::sample::report(2020);
    for row in [
        "3.要求提供公开出版物",
        "4.无正当理由大量反复申请",
        "5.要求行政机关确认或重新出具已获取信息",
        "（六）其他处理",
    ] {
        for c in APPLICANT_COLUMNS {
            want.set(TABLE_3, row, c, None);
        }
    }
    want.set_int(TABLE_3, layout::ROW_RESULTS_TOTAL, "自然人", 767);
    let html = gongkai_render::html::report_page(&want);
    let got = gongkai_audit::read_html(&html, None).expect("html within bounds");
    assert_no_wrong_cell(&got, &want);
    assert_eq!(got.cells.len(), want.cells.len());
}

#[test]
fn a_number_wrapped_inside_its_narrow_cell_is_joined_by_the_row_sum() {
    let mut want = gongkai_render::sample::report(2021);
    for (c, v) in APPLICANT_COLUMNS.iter().zip([1000, 200, 0, 0, 34, 0, 1234]) {
        want.set_int(TABLE_3, "（一）予以公开", c, v);
    }
    // pdftotext -layout of a narrow 总计 column: 1234 is written 12 on the row's line and 34
    // on the next, alone under it.
    let text = text_of(&want, false, None)
        .lines()
        .flat_map(|l| {
            if l.starts_with("（一）予以公开 ") {
                let cut = l.rfind("34").expect("wrapped value");
                vec![l[..cut].to_string(), format!("{}34", " ".repeat(40))]
            } else {
                vec![l.to_string()]
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        text.contains("（一）予以公开 1000 200 0 0 34 0 12\n"),
        "{text}"
    );
    let got = read_text(&text);
    assert_no_wrong_cell(&got, &want);
    assert_eq!(
        got.get(TABLE_3, "（一）予以公开", "总计"),
        Some(Num(1234.0))
    );
    assert_eq!(read_of(&got, TABLE_3), Some(Read::Solved));
}

#[test]
fn label_variants_of_real_reports_are_read() {
    // 规范性文件 in a 2021-format table 二, 行政法复议 over table 四.
    let want = gongkai_render::sample::report(2021);
    let html = gongkai_render::html::report_page(&want)
        .replacen("行政复议</th>", "行政法复议</th>", 1)
        .replace(">行政规范性文件<", ">规范性文件<");
    assert!(html.contains("行政法复议"));
    let mut got = vec![gongkai_audit::read_html(&html, None).expect("html within bounds")];
    gongkai_audit::check_all(&mut got);
    assert_no_wrong_cell(&got[0], &want);
    assert_eq!(
        got[0].cells.len(),
        want.cells.len(),
        "{:?}",
        got[0].findings
    );
}
