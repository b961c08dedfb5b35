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
