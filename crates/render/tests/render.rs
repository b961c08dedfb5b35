//! What people see of a report: snapshots of the HTML page and the Markdown, and structural
//! checks of every export format.

use gongkai_domain::report::{Format, Num, Report};
use gongkai_render::{html, markdown};

/// A small report with numbers in every table and text in every section.
fn small_report(year: i32) -> Report {
    let mut r = Report::blank("示例市教育局", year, Format::for_year(year));
    r.preamble = "根据《中华人民共和国政府信息公开条例》，编制本报告。".into();
    r.set_text(
        "一、总体情况",
        "（一）主动公开\n全年主动公开政府信息135条，其中：公示公告28条。\n（二）以扩大渠道为出口，做好依申请公开。全年收到申请5件。",
    );
    r.set_text("五、存在的主要问题及改进情况", "一是平台过多<重复>。");
    r.set_text("六、其他需要报告的事项", "无其他需要报告的事项。");
    if r.format == Format::F2019 {
        r.set_int("二", "行政许可", "上一年项目数量", 8);
        r.set_int("二", "行政许可", "处理决定数量", 195);
        r.set("二", "政府集中采购", "采购总金额", Some(Num(3600.0)));
    } else {
        r.set_int("二", "行政许可", "本年处理决定数量", 195);
        r.set(
            "二",
            "行政事业性收费",
            "本年收费金额（单位：万元）",
            Some(Num(1.25)),
        );
    }
    r.set_int("三", "一、本年新收政府信息公开申请数量", "自然人", 4);
    r.set_int("三", "一、本年新收政府信息公开申请数量", "商业企业", 1);
    r.set_int("三", "一、本年新收政府信息公开申请数量", "总计", 5);
    r.set_int("三", "（一）予以公开", "自然人", 3);
    r.set_int("三", "（一）予以公开", "总计", 3);
    r.set_int("三", "1.本机关不掌握相关政府信息", "商业企业", 1);
    r.set_int("三", "1.本机关不掌握相关政府信息", "总计", 1);
    r.set_int("三", "（七）总计", "自然人", 3);
    r.set_int("三", "（七）总计", "商业企业", 1);
    r.set_int("三", "（七）总计", "总计", 4);
    r.set_int("三", "四、结转下年度继续办理", "自然人", 1);
    r.set_int("三", "四、结转下年度继续办理", "总计", 1);
    r.set_int("四", "行政复议", "结果维持", 1);
    r.set_int("四", "行政复议", "总计", 1);
    r.set("四", "复议后起诉", "尚未审结", None);
    r.published = chrono::NaiveDate::from_ymd_opt(year + 1, 1, 20);
    r
}

#[test]
fn html_page_snapshot_2019_format() {
    insta::assert_snapshot!(html::report_page(&small_report(2020)));
}

#[test]
fn html_fragment_snapshot_2021_format() {
    insta::assert_snapshot!(html::report_fragment(&small_report(2022)));
}

#[test]
fn markdown_snapshots() {
    insta::assert_snapshot!("markdown_2020", markdown::report(&small_report(2020)));
    insta::assert_snapshot!("markdown_2022", markdown::report(&small_report(2022)));
}

#[test]
fn html_page_is_standalone_and_escapes_text() {
    let page = html::report_page(&small_report(2020));
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<html lang=\"zh-CN\">"));
    assert!(page.contains("<title>示例市教育局2020年政府信息公开工作年度报告</title>"));
    assert!(page.contains("name=\"viewport\""));
    assert!(!page.contains("<script"));
    assert!(page.contains("平台过多&lt;重复&gt;"));
    // Merged headers of the three tables.
    assert!(page.contains("<th scope=\"col\" colspan=\"7\">申请人情况</th>"));
    assert!(page.contains("<th scope=\"col\" colspan=\"5\">法人或其他组织</th>"));
    assert!(page.contains("<th scope=\"col\" rowspan=\"2\" colspan=\"5\">行政复议</th>"));
    assert!(page.contains("<th scope=\"col\" colspan=\"10\">行政诉讼</th>"));
    assert!(page.contains("rowspan=\"20\">三、本年度办理结果</th>"));
    assert!(page.contains("rowspan=\"8\">（三）不予公开</th>"));
    assert!(page.contains("<td colspan=\"2\">3600万元</td>"));
    // A blank cell stays blank, not 0.
    assert!(page.contains("<td></td>"));
    let fragment = html::report_fragment(&small_report(2020));
    assert!(!fragment.contains("<html"));
    assert!(fragment.starts_with("<article class=\"gk-report\">"));
}

#[test]
fn every_row_appears_in_html_and_markdown_in_layout_order() {
    use gongkai_domain::report::layout;
    for year in [2020, 2022] {
        let r = small_report(year);
        for doc in [html::report_page(&r), markdown::report(&r)] {
            // Rows of 二 and 三 appear in layout order (a reader walks them in that order).
            let mut at = 0;
            let rows = layout::blocks(r.format)
                .iter()
                .flat_map(|b| b.rows.iter().copied())
                .chain(layout::table3_rows(r.format));
            for row in rows {
                let found = doc[at..].find(row);
                assert!(found.is_some(), "{year}: {row} missing or out of order");
                at += found.unwrap() + row.len();
            }
            for label in layout::TABLE4_ROWS.iter().chain(layout::TABLE4_COLUMNS) {
                assert!(doc[at..].contains(label), "{year}: {label}");
            }
        }
    }
}

/// One part of a zip package (DOCX, XLSX) as text.
fn part(zip_bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).expect("a zip file");
    let mut f = z.by_name(name).unwrap_or_else(|_| panic!("{name} missing"));
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

/// Parses XML fully (fails on malformed XML) and returns the text of the elements named `text_tag`
/// in document order.
fn xml_texts(xml: &str, text_tag: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut inside = false;
    loop {
        match r.read_event().expect("well-formed XML") {
            Event::Start(e) if e.name().as_ref() == text_tag => {
                inside = true;
                out.push(String::new());
            }
            Event::End(e) if e.name().as_ref() == text_tag => inside = false,
            Event::Text(t) if inside => {
                out.last_mut().unwrap().push_str(&t.html_content());
            }
            Event::GeneralRef(g) if inside => {
                let name = g.html_content();
                let c = match name.as_ref() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "?",
                };
                out.last_mut().unwrap().push_str(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[test]
fn docx_is_an_official_document_with_merged_repeating_table_headers() {
    use gongkai_render::docx::{self, DocxOptions};
    let r = small_report(2020);
    let bytes = docx::report(&r, &DocxOptions::default()).unwrap();
    let doc = part(&bytes, "word/document.xml");
    // A4 and the GB/T 9704 margins.
    assert!(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    assert!(doc.contains("w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\""));
    // Title in 小标宋 at 二号, body 仿宋 at 三号, headings 黑体 and 楷体.
    assert!(
        doc.contains("w:eastAsia=\"方正小标宋简体\" w:cs=\"方正小标宋简体\"/><w:sz w:val=\"44\"/>")
    );
    assert!(doc.contains("w:eastAsia=\"仿宋_GB2312\" w:cs=\"仿宋_GB2312\"/><w:sz w:val=\"32\"/>"));
    assert!(doc.contains("w:eastAsia=\"黑体\" w:cs=\"黑体\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr><w:t xml:space=\"preserve\">一、总体情况"));
    assert!(doc.contains("w:eastAsia=\"楷体_GB2312\" w:cs=\"楷体_GB2312\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr><w:t xml:space=\"preserve\">（二）以扩大渠道为出口，做好依申请公开。"));
    // Three tables; every row unsplittable; the 3 header rows of 三 and of 四 repeat.
    assert_eq!(doc.matches("<w:tbl>").count(), 3);
    let rows = doc.matches("<w:tr>").count();
    // 二: 5 block headings, 5 column headers, 8 rows; 三: 3 + 23; 四: 3 + 1.
    assert_eq!(rows, (5 + 5 + 8) + (3 + 23) + 4);
    assert_eq!(doc.matches("<w:cantSplit/>").count(), rows);
    assert_eq!(doc.matches("<w:tblHeader/>").count(), 6);
    // Merged headers: 申请人情况 across 7, 法人或其他组织 across 5, 行政诉讼 across 10; the note
    // spans three rows; 三、本年度办理结果 runs down 20 rows (1 start + 19 continuations).
    assert!(doc.contains("<w:gridSpan w:val=\"7\"/>"));
    assert!(doc.contains("<w:gridSpan w:val=\"5\"/>"));
    assert!(doc.contains("<w:gridSpan w:val=\"10\"/>"));
    let restarts = doc.matches("<w:vMerge w:val=\"restart\"/>").count();
    // 二: none; 三: note, 自然人, 总计, 三、, (三), (四), (五); 四: 行政复议.
    assert_eq!(restarts, 8);
    // Continuations: note 2, 自然人 1, 总计 1, 三、 19, （三） 7, （四） 2, （五） 4, 行政复议 1.
    assert_eq!(
        doc.matches("<w:vMerge/>").count(),
        2 + 1 + 1 + 19 + 7 + 2 + 4 + 1
    );
    // Fallback fonts for machines without the official ones.
    let fonts = part(&bytes, "word/fontTable.xml");
    assert!(fonts.contains("<w:font w:name=\"方正小标宋简体\"><w:altName w:val=\"宋体\"/>"));
    // Text in reading order: the rows of 三 in layout order, numbers after their labels.
    let texts = xml_texts(&doc, "w:t");
    let pos = |s: &str| {
        texts
            .iter()
            .position(|t| t == s)
            .unwrap_or_else(|| panic!("{s}"))
    };
    let layout_rows = gongkai_domain::report::layout::table3_rows(r.format);
    for w in layout_rows.windows(2) {
        assert!(pos(w[0]) < pos(w[1]), "{} before {}", w[0], w[1]);
    }
    let new = pos("一、本年新收政府信息公开申请数量");
    assert_eq!(
        &texts[new + 1..new + 8],
        &["4", "1", "0", "0", "0", "0", "5"]
    );
    assert!(texts.iter().any(|t| t == "3600万元"));
    assert!(texts.iter().any(|t| t == "一是平台过多<重复>。"));
}

#[test]
fn docx_fonts_are_configurable() {
    use gongkai_render::docx::{self, DocxOptions, FontChoice};
    let o = DocxOptions {
        body_font: FontChoice::new("Noto Serif CJK SC", "宋体"),
        ..DocxOptions::default()
    };
    let bytes = docx::report(&small_report(2022), &o).unwrap();
    let doc = part(&bytes, "word/document.xml");
    assert!(doc.contains("w:eastAsia=\"Noto Serif CJK SC\""));
    assert!(!doc.contains("w:eastAsia=\"仿宋_GB2312\" w:cs=\"仿宋_GB2312\"/><w:sz w:val=\"32\"/>"));
    assert!(part(&bytes, "word/styles.xml").contains("Noto Serif CJK SC"));
}

#[test]
fn xlsx_has_the_official_tables_with_merged_headers_and_numbers() {
    use gongkai_render::sample;
    use gongkai_render::xlsx::{self, RecordSheet, RecordValue};
    let r = sample::report(2022);
    let stats = sample::stats(2022);
    let records = [RecordSheet {
        name: "依申请公开/记录".into(),
        headers: vec![
            "申请编号".into(),
            "收到日期".into(),
            "办理结果".into(),
            "件数".into(),
        ],
        rows: vec![vec![
            "2022-001".into(),
            chrono::NaiveDate::from_ymd_opt(2022, 3, 1).into(),
            "（一）予以公开".into(),
            RecordValue::Number(1.0),
        ]],
    }];
    let bytes = xlsx::report(&r, Some(&stats), &records).unwrap();
    let wb = part(&bytes, "xl/workbook.xml");
    for name in [
        "二、主动公开政府信息情况",
        "三、收到和处理申请情况",
        "四、行政复议行政诉讼情况",
        "图表",
        "依申请公开记录",
    ] {
        assert!(wb.contains(&format!("name=\"{name}\"")), "{name} in {wb}");
    }
    let strings = part(&bytes, "xl/sharedStrings.xml");
    let sheet3 = part(&bytes, "xl/worksheets/sheet2.xml");
    // The merged header of table 三: the note over A3:C5, 申请人情况 over D3:J3,
    // 法人或其他组织 over E4:I4, 自然人 and 总计 down two rows.
    for m in ["A3:C5", "D3:J3", "E4:I4", "D4:D5", "J4:J5"] {
        assert!(sheet3.contains(&format!("<mergeCell ref=\"{m}\"/>")), "{m}");
    }
    // 三、本年度办理结果 runs down the 22 result rows of the 2021 format from row 8.
    assert!(sheet3.contains("<mergeCell ref=\"A8:A29\"/>"), "{sheet3}");
    // Numbers are numbers: row 6 (一、本年新收) holds 6 2 0 1 0 0 9 as values, not strings.
    assert!(sheet3.contains("<c r=\"D6\" s=\""), "{sheet3}");
    let d6 = &sheet3[sheet3.find("<c r=\"D6\"").unwrap()..];
    let d6 = &d6[..d6.find("</c>").unwrap()];
    assert!(!d6.contains("t=\"s\"") && d6.contains("<v>6</v>"), "{d6}");
    let j6 = &sheet3[sheet3.find("<c r=\"J6\"").unwrap()..];
    assert!(j6[..j6.find("</c>").unwrap()].contains("<v>9</v>"));
    assert!(strings.contains("一、本年新收政府信息公开申请数量"));
    // The fee in 万元 stays a number.
    let sheet2 = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet2.contains("<v>0.0125</v>"), "{sheet2}");
    // Native charts on the chart sheet.
    let charts = (1..=3)
        .filter(|i| {
            zip::ZipArchive::new(std::io::Cursor::new(&bytes))
                .unwrap()
                .by_name(&format!("xl/charts/chart{i}.xml"))
                .is_ok()
        })
        .count();
    assert_eq!(charts, 3);
    // The record sheet: a date as a date serial, a number as a number.
    let rec = part(&bytes, "xl/worksheets/sheet5.xml");
    assert!(rec.contains("<v>44621</v>"), "{rec}"); // 2022-03-01
    assert!(rec.contains("<autoFilter"));
}

#[test]
fn charts_are_svg_and_rasterise() {
    use gongkai_render::{charts, sample};
    let drawn = charts::all(&sample::stats(2022));
    let kinds: Vec<_> = drawn.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [
            charts::ChartKind::ItemsByCategory,
            charts::ChartKind::ApplicationsByMonth,
            charts::ChartKind::ApplicationsByOutcome,
            charts::ChartKind::OnTimeRates
        ]
    );
    for c in &drawn {
        assert!(
            c.svg
                .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"")
        );
        assert!(c.svg.contains(c.kind.title()));
        xml_texts(&c.svg, "text");
    }
    let months = &drawn[1];
    // Twelve bars, one per month.
    assert_eq!(months.svg.matches("<rect ").count(), 1 + 12);
    assert!(months.description.contains("3月2件"));
    assert!(drawn[3].description.contains("87.5%（7/8）"));
    let (png, w, h) = charts::png(&drawn[0], &[]).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    assert_eq!((w, h), (drawn[0].width * 2, drawn[0].height * 2));
    // Nothing to draw, no charts.
    assert!(charts::all(&Default::default()).is_empty());
}

#[test]
fn charts_appear_in_html_and_docx() {
    use gongkai_render::docx::{self, DocxOptions};
    use gongkai_render::sample;
    let r = sample::report(2022);
    let stats = sample::stats(2022);
    let page = html::report_page_with_stats(&r, &stats);
    assert_eq!(page.matches("<figure class=\"gk-chart\"><svg").count(), 4);
    // The category chart sits in section 二, before section 三's heading.
    let cat = page.find("主动公开政府信息分类数量").unwrap();
    let s3 = page
        .find("<h2>三、收到和处理政府信息公开申请情况</h2>")
        .unwrap();
    assert!(cat < s3);
    let bytes = docx::report_with_stats(&r, &stats, &DocxOptions::default(), &[]).unwrap();
    let doc = part(&bytes, "word/document.xml");
    assert_eq!(doc.matches("<w:drawing>").count(), 4);
    let rels = part(&bytes, "word/_rels/document.xml.rels");
    assert!(rels.contains("Target=\"media/chart4.png\""));
    let types = part(&bytes, "[Content_Types].xml");
    assert!(types.contains("Extension=\"png\""));
}

fn sample_notice() -> gongkai_render::notice::Notice {
    gongkai_render::notice::Notice {
        number: "灵教体依公开告〔2022〕3号".into(),
        title: "政府信息公开申请答复告知书".into(),
        addressee: "张某某".into(),
        paragraphs: vec![
            "本机关于2022年3月1日收到你（单位）提出的政府信息公开申请，申请获取“2021年度学校招生片区划分方案”。".into(),
            "经审查，你申请获取的政府信息属于公开范围，现予以公开，具体见附件。".into(),
            "如对本答复不服，可以在收到本告知书之日起60日内向灵武市人民政府申请行政复议，或者在6个月内向人民法院提起行政诉讼。".into(),
        ],
        organ: "灵武市教育体育局".into(),
        date: chrono::NaiveDate::from_ymd_opt(2022, 3, 15).unwrap(),
    }
}

#[test]
fn notice_docx_is_an_official_document() {
    use gongkai_render::docx::DocxOptions;
    let n = sample_notice();
    let bytes = gongkai_render::notice::docx(&n, &DocxOptions::default()).unwrap();
    let doc = part(&bytes, "word/document.xml");
    let texts = xml_texts(&doc, "w:t");
    let pos = |s: &str| {
        texts
            .iter()
            .position(|t| t == s)
            .unwrap_or_else(|| panic!("{s}: {texts:?}"))
    };
    assert!(pos("政府信息公开申请答复告知书") < pos("灵教体依公开告〔2022〕3号"));
    assert!(pos("灵教体依公开告〔2022〕3号") < pos("张某某："));
    assert!(pos("张某某：") < pos(&n.paragraphs[0]));
    assert!(pos(&n.paragraphs[2]) < pos("灵武市教育体育局"));
    assert_eq!(texts.last().unwrap(), "2022年3月15日");
    assert!(doc.contains("w:eastAsia=\"方正小标宋简体\""));
    assert!(doc.contains("w:top=\"2098\""));
    assert!(
        part(&bytes, "docProps/core.xml")
            .contains("<dc:title>政府信息公开申请答复告知书</dc:title>")
    );
}

#[test]
fn record_sheets_carry_the_year_and_no_personal_data() {
    use gongkai_domain::application::{ApplicantType, ApplicationSummary, ReplyResult};
    use gongkai_domain::records::{Letter, LetterChannel, Procurement};
    use gongkai_domain::report::compute::ReportInput;
    use gongkai_render::xlsx::{RecordValue, record_sheets};
    let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let input = ReportInput {
        year: 2022,
        procurements: vec![
            Procurement {
                id: 1,
                organ_id: 1,
                name: "教学设备采购".into(),
                contracted_on: d(2022, 4, 1),
                amount_fen: 12_345_600,
            },
            Procurement {
                id: 2,
                organ_id: 1,
                name: "去年的项目".into(),
                contracted_on: d(2021, 4, 1),
                amount_fen: 1,
            },
        ],
        applications: vec![
            ApplicationSummary {
                applicant: ApplicantType::Business,
                received: d(2022, 3, 1),
                closed: Some((d(2022, 3, 9), ReplyResult::Disclosed)),
                due: None,
            },
            ApplicationSummary {
                applicant: ApplicantType::NaturalPerson,
                received: d(2022, 12, 28),
                closed: Some((d(2023, 1, 9), ReplyResult::Disclosed)),
                due: None,
            },
        ],
        channels: vec![LetterChannel {
            id: 7,
            name: "12345".into(),
            full_name: "12345政务服务便民热线".into(),
            position: 0,
        }],
        letters: vec![Letter {
            id: 1,
            organ_id: 1,
            channel_id: 7,
            received_on: d(2022, 5, 6),
            subject: "张三 13800000000 投诉".into(),
            reply: "已答复".into(),
            replied_on: Some(d(2022, 5, 10)),
            due_on: None,
        }],
        ..Default::default()
    };
    let sheets = record_sheets(&input);
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["政府集中采购", "政府信息公开申请", "来信来电"]);
    assert_eq!(sheets[0].rows.len(), 1);
    assert_eq!(sheets[0].rows[0][2], RecordValue::Number(123_456.0));
    // An application open at the end of the year is carried over.
    assert_eq!(sheets[1].rows[1][2], RecordValue::Empty);
    assert_eq!(
        sheets[1].rows[1][3],
        RecordValue::Text("结转下年度继续办理".into())
    );
    let all = format!("{sheets:?}");
    assert!(!all.contains("13800000000") && !all.contains("张三"));
    // They go into the workbook as sheets.
    let bytes =
        gongkai_render::xlsx::report(&gongkai_render::sample::report(2022), None, &sheets).unwrap();
    assert!(part(&bytes, "xl/workbook.xml").contains("name=\"来信来电\""));
}
