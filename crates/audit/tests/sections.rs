//! Sections whose heading an extraction tool lost (issue 21): a section whose heading is gone
//! but whose own text is there is not reported missing (R13); one that is really absent still is.

use gongkai_domain::report::Report;
use gongkai_domain::report::layout::{SECTION_OTHER_MATTERS, SECTION_PROBLEMS};

/// A short report with every section heading but 五's; `five` stands where section 五 would be.
fn report(five: &str) -> Report {
    let text = format!(
        "某某县人民政府2023年政府信息公开工作年度报告\n\
         一、总体情况\n2023年，本县扎实推进政务公开工作。\n\
         二、主动公开政府信息情况\n本年主动公开政府信息120条。\n\
         三、收到和处理政府信息公开申请情况\n本年收到申请10件，均已办结。\n\
         四、政府信息公开行政复议、行政诉讼情况\n本年未发生行政复议、行政诉讼。\n\
         {five}\
         六、其他需要报告的事项\n本年度未收取信息处理费。\n"
    );
    let mut r = vec![gongkai_audit::read_text(&text, Some("sections.txt".into()))];
    gongkai_audit::check_all(&mut r);
    r.pop().unwrap()
}

fn r13(r: &Report) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.rule == "R13")
        .map(|f| format!("{} {}", f.location, f.message))
        .collect()
}

#[test]
fn a_lost_heading_with_its_text_there_is_not_a_missing_section() {
    // As in 上海市人民政府办公厅 2025 (tests/corpus/real/shanghai-office-2025.md): the heading
    // 五、存在的主要问题及改进情况 lost, its two parts kept.
    for five in [
        "（一）2024年工作中存在问题的改进情况\n针对上年问题，采取如下改进措施。\n（二）2025年工作中存在的主要问题\n人员力量不足。\n",
        "（一）存在的主要问题\n人员力量不足。\n（二）整改措施\n加强培训。\n",
        "(一)存在的主要问题及改进情况\n人员力量不足，已加强培训。\n",
        "（一）主要问题\n人员力量不足。\n（二）改进情况\n加强培训。\n",
    ] {
        let r = report(five);
        assert!(r13(&r).is_empty(), "{five}: {:?}", r13(&r));
        assert!(r.sections.iter().any(|s| s == SECTION_PROBLEMS), "{five}");
        // The text goes with section 五, not with 四.
        let body = r.text_of(SECTION_PROBLEMS).unwrap_or("");
        assert!(body.contains("人员力量不足"), "{five}: {body:?}");
        assert!(r.text_of(SECTION_OTHER_MATTERS).is_some());
    }
}

#[test]
fn a_section_really_absent_is_still_reported() {
    // Neither heading nor text: R13 names section 五.
    let r = report("");
    let found = r13(&r);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains(SECTION_PROBLEMS), "{found:?}");
    // Text under 四 that does not open section 五's own parts is not taken for it.
    let r = report("（一）行政复议情况\n本年无行政复议案件。\n");
    let found = r13(&r);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(!r.sections.iter().any(|s| s == SECTION_PROBLEMS));
}

#[test]
fn a_heading_present_is_read_as_before() {
    let r = report("五、存在的主要问题及改进情况\n（一）存在的主要问题\n人员力量不足。\n");
    assert!(r13(&r).is_empty(), "{:?}", r13(&r));
    assert_eq!(
        r.sections.iter().filter(|s| *s == SECTION_PROBLEMS).count(),
        1
    );
}
