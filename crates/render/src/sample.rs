//! Realistic sample reports for tests, benchmarks and visual checks of every export: a 2020
//! report shaped like the seed (灵武市教育体育局, 2019 format) and a 2022 report in the 2021
//! format with applications of several kinds, review and litigation cases, and fees. Their
//! tables satisfy R1, R3, R4 and R5.

use gongkai_domain::application::ReplyResult;
use gongkai_domain::report::layout::{
    self, COL_DECISIONS_2019, COL_DECISIONS_2021, COL_FEES_COLLECTED, COL_IN_FORCE, COL_ISSUED,
    COL_MATTERS_BEFORE, COL_PROCUREMENT_AMOUNT, COL_PROCUREMENT_PROJECTS, COL_REPEALED,
    ROW_DISCLOSED, ROW_FEE_NOT_PAID, ROW_FEES, ROW_LICENSING, ROW_NORMATIVE_2021,
    ROW_OTHER_SERVICES, ROW_PARTLY_DISCLOSED, ROW_PENALTY, ROW_PROCUREMENT, ROW_REGULATIONS,
    SECTION_ON_APPLICATION, SECTION_OTHER_MATTERS, SECTION_OVERVIEW, SECTION_PROACTIVE,
    SECTION_PROBLEMS, SECTION_REVIEW_AND_LITIGATION, TABLE_2,
};
use gongkai_domain::report::stats::{Count, Rate, ReportStats};
use gongkai_domain::report::{Format, Num, Report};

const ORGAN: &str = "灵武市教育体育局";

/// Sets a row of table 三 from the six applicant counts, with its 总计.
fn row3(r: &mut Report, row: &str, counts: [i64; 6]) {
    for (c, n) in layout::APPLICANT_COLUMNS.iter().zip(counts) {
        r.set_int(layout::TABLE_3, row, c, n);
    }
    r.set_int(layout::TABLE_3, row, layout::TOTAL, counts.iter().sum());
}

/// A sample report of `year` (2020 in the 2019 format, later years in the 2021 format).
pub fn report(year: i32) -> Report {
    let format = Format::for_year(year);
    let mut r = Report::blank(ORGAN, year, format);
    r.preamble = format!(
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。如对本报告有疑问，请与{ORGAN}办公室联系。"
    );
    r.published = chrono::NaiveDate::from_ymd_opt(year + 1, 1, 25);
    match format {
        Format::F2019 => {
            r.set_text(
                SECTION_OVERVIEW,
                format!("{year}年，{ORGAN}坚持以人民为中心的发展思想，认真落实政务公开工作的决策部署，全面推进决策公开、执行公开、管理公开、服务公开、结果公开。\n（一）以行政法规规范性文件为重点，扎实做好主动公开。全年通过灵武市人民政府网站政务公开专栏公开政务信息135条，其中：公示公告28条，机构职能3条，部门文件3条，规划计划3条，财政预决算及三公经费81条，重点建设项目3条，重点工作3条，业务公开11条。\n（二）以扩大政务公开渠道为出口，做好依申请公开。全年未收到依申请公开诉求。\n（三）以满足民生需求为导向，做好政府信息管理。针对群众关心关注的学校招生片区划分、教育收费、中考招生等热点问题，及时公示。\n（四）以推动政务公开多元发展为依托，加强平台建设。全年通过微信公众号发布信息1095余条。\n（五）以严格考核机制为抓手，健全监督保障。局机关、各中小学（幼儿园）成立政务公开监督小组，自觉接受群众监督。"),
            );
            r.set_int(TABLE_2, ROW_LICENSING, COL_MATTERS_BEFORE, 8);
            r.set_int(TABLE_2, ROW_LICENSING, COL_DECISIONS_2019, 195);
            r.set_int(TABLE_2, ROW_OTHER_SERVICES, COL_MATTERS_BEFORE, 9);
            r.set_int(TABLE_2, ROW_OTHER_SERVICES, COL_DECISIONS_2019, 16);
            r.set_int(TABLE_2, ROW_PROCUREMENT, COL_PROCUREMENT_PROJECTS, 24);
            r.set(
                TABLE_2,
                ROW_PROCUREMENT,
                COL_PROCUREMENT_AMOUNT,
                Some(Num(3600.0)),
            );
        }
        Format::F2021 => {
            r.set_text(
                SECTION_OVERVIEW,
                format!("{year}年，{ORGAN}深入贯彻落实《条例》，围绕教育体育重点工作做好政务公开。\n（一）主动公开\n全年主动公开政府信息152条，其中：公示公告31条，部门文件6条，财政预决算及三公经费82条，业务公开33条。\n（二）依申请公开\n全年新收政府信息公开申请9件，上年结转1件，办结8件，结转下年度继续办理2件。\n（三）政府信息管理\n对现行有效的行政规范性文件开展清理，废止1件。\n（四）政府信息公开平台建设\n完善政府网站政务公开专栏，规范栏目设置。\n（五）监督保障\n将政务公开纳入年度考核，开展业务培训2次。"),
            );
            r.set_int(TABLE_2, ROW_REGULATIONS, COL_IN_FORCE, 0);
            r.set_int(TABLE_2, ROW_NORMATIVE_2021, COL_ISSUED, 2);
            r.set_int(TABLE_2, ROW_NORMATIVE_2021, COL_REPEALED, 1);
            r.set_int(TABLE_2, ROW_NORMATIVE_2021, COL_IN_FORCE, 7);
            r.set_int(TABLE_2, ROW_LICENSING, COL_DECISIONS_2021, 203);
            r.set_int(TABLE_2, ROW_PENALTY, COL_DECISIONS_2021, 2);
            r.set(TABLE_2, ROW_FEES, COL_FEES_COLLECTED, Some(Num(0.0125)));
            row3(&mut r, layout::ROW_NEW, [6, 2, 0, 1, 0, 0]);
            row3(&mut r, layout::ROW_CARRIED_IN, [1, 0, 0, 0, 0, 0]);
            row3(&mut r, ROW_DISCLOSED, [3, 1, 0, 0, 0, 0]);
            row3(&mut r, ROW_PARTLY_DISCLOSED, [1, 0, 0, 0, 0, 0]);
            let third_party = ReplyResult::ThirdPartyRights.row(format);
            row3(&mut r, third_party, [0, 0, 0, 1, 0, 0]);
            row3(&mut r, ReplyResult::NotHeld.row(format), [1, 0, 0, 0, 0, 0]);
            row3(&mut r, ROW_FEE_NOT_PAID, [0, 1, 0, 0, 0, 0]);
            row3(&mut r, layout::ROW_RESULTS_TOTAL, [5, 2, 0, 1, 0, 0]);
            row3(&mut r, layout::ROW_CARRIED_OUT, [2, 0, 0, 0, 0, 0]);
            for (row, cols) in [
                (layout::REVIEW, [1, 1, 0, 0]),
                (layout::SUIT_DIRECT, [0, 0, 0, 1]),
                (layout::SUIT_AFTER_REVIEW, [1, 0, 0, 0]),
            ] {
                for (c, n) in layout::TABLE4_COLUMNS.iter().zip(cols) {
                    r.set_int(layout::TABLE_4, row, c, n);
                }
                r.set_int(layout::TABLE_4, row, layout::TOTAL, cols.iter().sum());
            }
        }
    }
    r.set_text(SECTION_PROACTIVE, "");
    r.set_text(SECTION_ON_APPLICATION, "");
    r.set_text(SECTION_REVIEW_AND_LITIGATION, "");
    r.set_text(
        SECTION_PROBLEMS,
        "（一）主要问题。\n一是行政审批和行政处罚信息公示平台过多，存在重复公示的情况。二是政策解读少，学校财务公开长期性不够。\n（二）下一步改进措施。\n1.进一步做好会议公开。\n2.充分利用各级、各类新闻媒介做好政务公开。",
    );
    r.set_text(
        SECTION_OTHER_MATTERS,
        if format == Format::F2021 {
            "本年度依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）发出收费通知1件，实际收取信息处理费0元。"
        } else {
            "无其他需要报告的事项。"
        },
    );
    r
}

/// Chart figures that go with [`report`].
pub fn stats(year: i32) -> ReportStats {
    let r = report(year);
    let by_month = if r.format == Format::F2021 {
        vec![0, 1, 2, 0, 1, 0, 1, 0, 2, 1, 1, 0]
    } else {
        vec![0; 12]
    };
    ReportStats {
        applications_by_month: by_month,
        applications_by_outcome: Vec::new(),
        items_by_category: [
            ("公示公告", 28),
            ("机构职能", 3),
            ("部门文件", 3),
            ("规划计划", 3),
            ("财政预决算及三公经费", 81),
            ("重点建设项目", 3),
            ("重点工作", 3),
            ("业务公开", 11),
        ]
        .into_iter()
        .map(|(l, n)| Count::new(l, n))
        .collect(),
        applications_on_time: if r.format == Format::F2021 {
            Rate {
                on_time: 7,
                total: 8,
            }
        } else {
            Rate::default()
        },
        proactive_on_time: Rate {
            on_time: 130,
            total: 135,
        },
    }
    .completed_from(&r)
}
