//! The official layout of the three tables, per national format, with the exact labels of
//! ../shared/spec/annual-report.md. Everything that writes or reads a report's cells walks
//! these lists, so a label lives in exactly one place.

use super::Format;

/// What a cell holds, which decides how R6 judges it and how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// A non-negative integer.
    Count,
    /// A signed integer (本年增/减: the change in the number of matters).
    SignedCount,
    /// A non-negative amount in 万元.
    Amount,
}

/// One block of table 二: a heading (第二十条第（X）项), its columns, its rows.
#[derive(Debug, Clone, Copy)]
pub struct Block {
    pub heading: &'static str,
    pub columns: &'static [(&'static str, CellKind)],
    pub rows: &'static [&'static str],
}

pub const TABLE_2: &str = "二";
pub const TABLE_3: &str = "三";
pub const TABLE_4: &str = "四";

use CellKind::*;

pub const BLOCKS_2019: &[Block] = &[
    Block {
        heading: "第二十条第（一）项",
        columns: &[
            ("本年新制作数量", Count),
            ("本年新公开数量", Count),
            ("对外公开总数量", Count),
        ],
        rows: &["规章", "规范性文件"],
    },
    Block {
        heading: "第二十条第（五）项",
        columns: &[
            ("上一年项目数量", Count),
            ("本年增/减", SignedCount),
            ("处理决定数量", Count),
        ],
        rows: &["行政许可", "其他对外管理服务事项"],
    },
    Block {
        heading: "第二十条第（六）项",
        columns: &[
            ("上一年项目数量", Count),
            ("本年增/减", SignedCount),
            ("处理决定数量", Count),
        ],
        rows: &["行政处罚", "行政强制"],
    },
    Block {
        heading: "第二十条第（八）项",
        columns: &[("上一年项目数量", Count), ("本年增/减", SignedCount)],
        rows: &["行政事业性收费"],
    },
    Block {
        heading: "第二十条第（九）项",
        columns: &[("采购项目数量", Count), ("采购总金额", Amount)],
        rows: &["政府集中采购"],
    },
];

pub const BLOCKS_2021: &[Block] = &[
    Block {
        heading: "第二十条第（一）项",
        columns: &[
            ("本年制发件数", Count),
            ("本年废止件数", Count),
            ("现行有效件数", Count),
        ],
        rows: &["规章", "行政规范性文件"],
    },
    Block {
        heading: "第二十条第（五）项",
        columns: &[("本年处理决定数量", Count)],
        rows: &["行政许可"],
    },
    Block {
        heading: "第二十条第（六）项",
        columns: &[("本年处理决定数量", Count)],
        rows: &["行政处罚", "行政强制"],
    },
    Block {
        heading: "第二十条第（八）项",
        columns: &[("本年收费金额（单位：万元）", Amount)],
        rows: &["行政事业性收费"],
    },
];

pub fn blocks(format: Format) -> &'static [Block] {
    match format {
        Format::F2019 => BLOCKS_2019,
        Format::F2021 => BLOCKS_2021,
    }
}

/// Applicant columns of table 三, in order; the last is 总计.
pub const APPLICANT_COLUMNS: &[&str] = &[
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];
pub const TOTAL: &str = "总计";

pub const ROW_NEW: &str = "一、本年新收政府信息公开申请数量";
pub const ROW_CARRIED_IN: &str = "二、上年结转政府信息公开申请数量";
pub const ROW_RESULTS_TOTAL: &str = "（七）总计";
pub const ROW_CARRIED_OUT: &str = "四、结转下年度继续办理";
pub const ROW_OTHER_2019: &str = "（六）其他处理";

/// A result row of table 三 with the group it sits under (the 【】 labels of the spec, which span
/// their rows and are not rows themselves).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResultRow {
    pub group: Option<&'static str>,
    pub label: &'static str,
}

const fn r(group: Option<&'static str>, label: &'static str) -> ResultRow {
    ResultRow { group, label }
}

const G3: Option<&str> = Some("（三）不予公开");
const G4: Option<&str> = Some("（四）无法提供");
const G5: Option<&str> = Some("（五）不予处理");
const G6: Option<&str> = Some("（六）其他处理");

const RESULT_ROWS_COMMON: &[ResultRow] = &[
    r(None, "（一）予以公开"),
    r(
        None,
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    ),
    r(G3, "1.属于国家秘密"),
    r(G3, "2.其他法律行政法规禁止公开"),
    r(G3, "3.危及“三安全一稳定”"),
    r(G3, "4.保护第三方合法权益"),
    r(G3, "5.属于三类内部事务信息"),
    r(G3, "6.属于四类过程性信息"),
    r(G3, "7.属于行政执法案卷"),
    r(G3, "8.属于行政查询事项"),
    r(G4, "1.本机关不掌握相关政府信息"),
    r(G4, "2.没有现成信息需要另行制作"),
    r(G4, "3.补正后申请内容仍不明确"),
    r(G5, "1.信访举报投诉类申请"),
    r(G5, "2.重复申请"),
    r(G5, "3.要求提供公开出版物"),
    r(G5, "4.无正当理由大量反复申请"),
    r(G5, "5.要求行政机关确认或重新出具已获取信息"),
];

pub const ROW_OTHER_2021: &[ResultRow] = &[
    r(
        G6,
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    r(
        G6,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    r(G6, "3.其他"),
];

/// The result rows of table 三 (those R4 sums), in order, for a format.
pub fn result_rows(format: Format) -> Vec<ResultRow> {
    let mut rows = RESULT_ROWS_COMMON.to_vec();
    match format {
        Format::F2019 => rows.push(r(None, ROW_OTHER_2019)),
        Format::F2021 => rows.extend_from_slice(ROW_OTHER_2021),
    }
    rows
}

/// Every row of table 三 in order, with the group each result row sits under
/// (`None` for 一, 二, 四 and ungrouped rows). Rows under 三 carry the group 三、本年度办理结果.
pub fn table3_rows(format: Format) -> Vec<&'static str> {
    let mut rows = vec![ROW_NEW, ROW_CARRIED_IN];
    rows.extend(result_rows(format).iter().map(|r| r.label));
    rows.push(ROW_RESULTS_TOTAL);
    rows.push(ROW_CARRIED_OUT);
    rows
}

pub const REVIEW: &str = "行政复议";
pub const SUIT_DIRECT: &str = "未经复议直接起诉";
pub const SUIT_AFTER_REVIEW: &str = "复议后起诉";
pub const TABLE4_ROWS: &[&str] = &[REVIEW, SUIT_DIRECT, SUIT_AFTER_REVIEW];
pub const TABLE4_COLUMNS: &[&str] = &["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

/// The official section headings, in order (the short forms we write).
pub const SECTIONS: &[&str] = &[
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

/// The address of one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellKey {
    pub table: &'static str,
    pub row: &'static str,
    pub column: &'static str,
}

/// Every cell of every table of a format, in reading order, with its kind.
pub fn cell_keys(format: Format) -> Vec<(CellKey, CellKind)> {
    let mut out = Vec::with_capacity(200);
    for b in blocks(format) {
        for row in b.rows {
            for (column, kind) in b.columns {
                out.push((
                    CellKey {
                        table: TABLE_2,
                        row,
                        column,
                    },
                    *kind,
                ));
            }
        }
    }
    for row in table3_rows(format) {
        for column in APPLICANT_COLUMNS {
            out.push((
                CellKey {
                    table: TABLE_3,
                    row,
                    column,
                },
                Count,
            ));
        }
    }
    for row in TABLE4_ROWS {
        for column in TABLE4_COLUMNS {
            out.push((
                CellKey {
                    table: TABLE_4,
                    row,
                    column,
                },
                Count,
            ));
        }
    }
    out
}

/// The static label equal to `s`, if it is one of the official labels of any format.
/// Used to turn owned strings (from JSON, from a reader) back into keys.
pub fn key_of(table: &str, row: &str, column: &str) -> Option<(CellKey, CellKind)> {
    [Format::F2019, Format::F2021]
        .into_iter()
        .flat_map(cell_keys)
        .find(|(k, _)| k.table == table && k.row == row && k.column == column)
}

/// Header labels of the official tables that are not cell addresses (they head or group the
/// cells). Writers (HTML, DOCX, XLSX, PDF) print them; readers may look for them.
pub const ITEM_HEADER: &str = "信息内容";
pub const TABLE3_NOTE: &str =
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
pub const APPLICANT_HEADER: &str = "申请人情况";
pub const LEGAL_PERSONS_HEADER: &str = "法人或其他组织";
pub const RESULTS_GROUP: &str = "三、本年度办理结果";
pub const LITIGATION_HEADER: &str = "行政诉讼";
