//! Pages as a crawler collected them (issue 21): the crawler's metadata block, the body on one
//! line, every table's cells glued to their labels and to each other — 平潭综合实验区's reports
//! (tests/corpus/real/pingtan-*.txt, see SOURCES.md). Each test pins a reader fix made on them.

use gongkai_audit::parse::READ_RULE;
use gongkai_domain::report::Report;
use std::path::Path;

fn read(file: &str) -> Report {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/real")
        .join(file);
    let mut r = vec![gongkai_audit::read_path(&path).expect(file)];
    gongkai_audit::check_all(&mut r);
    r.pop().unwrap()
}

fn row(r: &Report, table: &str, label: &str, cols: &[&str]) -> Vec<Option<String>> {
    cols.iter()
        .map(|c| r.get(table, label, c).map(|v| v.to_string()))
        .collect()
}

const APPLICANTS: &[&str] = &[
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];
const RESULTS: &[&str] = &["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

fn some(v: &[i64]) -> Vec<Option<String>> {
    v.iter().map(|x| Some(x.to_string())).collect()
}

fn read_findings(r: &Report, table: &str) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.rule == READ_RULE && f.location == table)
        .map(|f| f.message.clone())
        .collect()
}

#[test]
fn the_issue_example_reads_back_whole() {
    // 一、本年新收政府信息公开申请数量640020470 is 64|0|0|2|0|4|70 (the issue's own example).
    let r = read("pingtan-2021.txt");
    // The body starts with a breadcrumb run into the title (当前位置： 首页…): the crawler's
    // 标题 field names the organ.
    assert_eq!(r.organ, "平潭综合实验区");
    assert_eq!(r.year, 2021);
    assert_eq!(
        row(&r, "三", "一、本年新收政府信息公开申请数量", APPLICANTS),
        some(&[64, 0, 0, 2, 0, 4, 70])
    );
    // Two splits add up by the row (2|7|0|0|20|1|30 and 27|0|0|2|0|1|30): the column sums of
    // （七）总计 (63|0|0|2|0|4|69) leave one.
    assert_eq!(
        row(&r, "三", "（一）予以公开", APPLICANTS),
        some(&[27, 0, 0, 2, 0, 1, 30])
    );
    assert_eq!(
        row(&r, "三", "1.本机关不掌握相关政府信息", APPLICANTS),
        some(&[22, 0, 0, 0, 0, 3, 25])
    );
    // Table 四's 15 cells glued into one run, split by its three sums.
    let four: Vec<Option<String>> = ["行政复议", "未经复议直接起诉", "复议后起诉"]
        .iter()
        .flat_map(|l| row(&r, "四", l, RESULTS))
        .collect();
    assert_eq!(four, some(&[1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0]));
    let reads: Vec<String> = gongkai_audit::table_reads(&r)
        .into_iter()
        .map(|(t, k)| format!("{t}:{}", k.as_str()))
        .collect();
    assert_eq!(reads, ["二:partial", "三:solved", "四:solved"]);
    // Table 二: 规章000 can only be 0|0|0; 行政规范性文件693665 has many readings and is named.
    assert_eq!(
        row(
            &r,
            "二",
            "规章",
            &["本年制发件数", "本年废止件数", "现行有效件数"]
        ),
        some(&[0, 0, 0])
    );
    assert_eq!(r.get("二", "行政规范性文件", "本年制发件数"), None);
    assert!(
        read_findings(&r, "二")
            .iter()
            .any(|m| m.contains("行政规范性文件"))
    );
    // A decimal amount glued to its label.
    let fee = r
        .cell("二", "行政事业性收费", "本年收费金额（单位：万元）")
        .expect("fee read");
    assert_eq!(
        serde_json::to_value(fee.value).unwrap(),
        serde_json::json!(24252.311082)
    );
}

#[test]
fn the_organs_own_arithmetic_errors_are_found_not_hidden() {
    // 平潭综合实验区 2020: its result rows add to 26 (自然人) and 27 (总计), its （七）总计 says
    // 20 and 21. Every row splits one way by its own sum, so the rows are read as printed and
    // the contradiction is reported.
    let r = read("pingtan-2020.txt");
    assert_eq!(
        row(&r, "三", "（七）总计", APPLICANTS),
        some(&[20, 0, 0, 0, 0, 1, 21])
    );
    let r4: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.rule == "R4")
        .map(|f| f.message.as_str())
        .collect();
    assert!(
        r4.iter().any(|m| m.contains("26") && m.contains("20")),
        "{r4:?}"
    );
}

#[test]
fn a_heading_typo_on_a_one_line_body_is_still_a_heading() {
    // 平潭综合实验区 2022: 四、政府信息公开行政法复议、行政诉讼情况.
    let r = read("pingtan-2022.txt");
    assert!(
        r.findings.iter().all(|f| f.rule != "R13"),
        "{:?}",
        r.findings
    );
    assert_eq!(
        gongkai_audit::table_reads(&r)
            .into_iter()
            .map(|(t, k)| format!("{t}:{}", k.as_str()))
            .collect::<Vec<_>>(),
        ["二:partial", "三:solved", "四:exact"]
    );
}

#[test]
fn a_heading_variant_of_section_five_on_a_one_line_body_ends_table_four() {
    // 平潭综合实验区公安局 2024 heads section 五 "存在的主要问题及明年工作计划". Not split there,
    // its prose ran into table 四 (read as unreadable) and section 五 was reported missing (R13).
    let r = read("pingtan-police-2024.txt");
    assert_eq!(r.organ, "平潭综合实验区公安局");
    assert!(
        r.findings.iter().all(|f| f.rule != "R13"),
        "{:?}",
        r.findings
    );
    assert!(
        r.text_of(gongkai_domain::report::layout::SECTION_PROBLEMS)
            .is_some_and(|t| t.contains("公开属性认定不够准确"))
    );
    assert_eq!(
        gongkai_audit::table_reads(&r)
            .into_iter()
            .map(|(t, k)| format!("{t}:{}", k.as_str()))
            .collect::<Vec<_>>(),
        ["二:solved", "三:solved", "四:solved"]
    );
    for g in ["行政复议", "未经复议直接起诉", "复议后起诉"] {
        assert_eq!(row(&r, "四", g, RESULTS), some(&[0, 0, 0, 0, 0]));
    }
    assert_eq!(
        row(&r, "三", "1.本机关不掌握相关政府信息", APPLICANTS),
        some(&[4, 0, 0, 0, 0, 0, 4])
    );
}

#[test]
fn fifteen_digits_for_table_four_are_one_a_cell_and_its_error_is_reported() {
    // 平潭综合实验区行政审批局 2024: table 四 is `100000000000000` under the heading
    // 四、政府信息公开行政复议与行政诉讼情况 (once not split: R13 and table 四 unreadable). No split
    // makes each 总计 the sum of its row (结果维持 1, 总计 0), but 15 digits for 15 cells allow one
    // reading only: it is taken, and the organ's error reported.
    let r = read("pingtan-approval-2024.txt");
    assert!(
        r.findings.iter().all(|f| f.rule != "R13"),
        "{:?}",
        r.findings
    );
    assert_eq!(row(&r, "四", "行政复议", RESULTS), some(&[1, 0, 0, 0, 0]));
    assert_eq!(row(&r, "四", "复议后起诉", RESULTS), some(&[0, 0, 0, 0, 0]));
    let four: Vec<String> = r
        .findings
        .iter()
        .filter(|f| f.location.starts_with('四') || f.rule == "R5")
        .map(|f| format!("{} {} {}", f.rule, f.location, f.message))
        .collect();
    assert!(
        four.iter()
            .any(|f| f.starts_with("R5 ") && f.contains("行政复议")),
        "{four:#?}"
    );
    assert!(
        four.iter()
            .any(|f| f.starts_with("READ ") && f.contains("每格一个数字")),
        "{four:#?}"
    );
}

/// A crawler's page of one line with tables 二, 三 and 四 glued; `t2` is table 二's first block
/// of rows, `t3` the digits of table 三's rows given (every other row zeros).
fn one_line(t2: &str, t3: &[(&str, &str)]) -> Report {
    let mut rows = String::new();
    for label in gongkai_domain::report::layout::table3_rows(gongkai_domain::report::Format::F2021)
    {
        let digits = t3
            .iter()
            .find(|(l, _)| *l == label)
            .map_or("0000000", |(_, d)| *d);
        rows.push_str(label);
        rows.push_str(digits);
    }
    let text = format!(
        "标题: 某某县人民政府2023年政府信息公开工作年度报告\n发布时间: 2024-01-20\n==================== 正文 ====================\n\
         本报告根据《中华人民共和国政府信息公开条例》编制，数据统计期限为2023年1月1日至2023年12月31日。\
         一、总体情况 本年扎实推进政务公开工作。二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数{t2}\
         三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他{rows}\
         四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计000000000000000\
         五、存在的主要问题及改进情况 人员不足。六、其他需要报告的事项 无。"
    );
    let mut r = vec![gongkai_audit::read_text(&text, Some("one-line.txt".into()))];
    gongkai_audit::check_all(&mut r);
    r.pop().unwrap()
}

const NEW: &str = "一、本年新收政府信息公开申请数量";
const GRANTED: &str = "（一）予以公开";
const PARTIAL: &str = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）";
const TOTAL: &str = "（七）总计";

#[test]
fn column_sums_settle_a_row_only_when_one_choice_fits() {
    // 122170325 splits two ways by its own sum (1|2|2|17|0|3|25 and 12|2|1|7|0|3|25); a
    // （七）总计 written apart says which.
    let r = one_line(
        "规章000",
        &[
            (NEW, "12 2 1 7 0 3 25"),
            (GRANTED, "122170325"),
            (TOTAL, "12 2 1 7 0 3 25"),
        ],
    );
    assert_eq!(r.organ, "某某县人民政府");
    assert_eq!(
        row(&r, "三", GRANTED, APPLICANTS),
        some(&[12, 2, 1, 7, 0, 3, 25])
    );
    // Two such rows whose splits fit the total either way round: neither is taken.
    let r = one_line(
        "规章000",
        &[
            (NEW, "13 4 3 24 0 6 50"),
            (GRANTED, "122170325"),
            (PARTIAL, "122170325"),
            (TOTAL, "13 4 3 24 0 6 50"),
        ],
    );
    assert_eq!(r.get("三", GRANTED, "自然人"), None);
    assert_eq!(r.get("三", PARTIAL, "自然人"), None);
    assert!(
        read_findings(&r, "三")
            .iter()
            .any(|m| m.contains("予以公开"))
    );
}

#[test]
fn a_table_two_row_is_split_only_when_it_reads_one_way() {
    let cols = &["本年制发件数", "本年废止件数", "现行有效件数"];
    // 000: 0|0|0, nothing else.
    let r = one_line("规章000", &[]);
    assert_eq!(row(&r, "二", "规章", cols), some(&[0, 0, 0]));
    // 100: 1|0|0, or 10|0 with a blank cell the crawler dropped: left out, named.
    let r = one_line("规章100行政规范性文件000", &[]);
    assert_eq!(row(&r, "二", "规章", cols), vec![None, None, None]);
    assert!(!read_findings(&r, "二").is_empty());
}
