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

// The headings of the blocks of table 二 (the items of art. 20 each block reports on).
pub const ART20_1: &str = "第二十条第（一）项";
pub const ART20_5: &str = "第二十条第（五）项";
pub const ART20_6: &str = "第二十条第（六）项";
pub const ART20_8: &str = "第二十条第（八）项";
pub const ART20_9: &str = "第二十条第（九）项";

// Rows of table 二. The normative documents' row is named differently by the two formats.
pub const ROW_REGULATIONS: &str = "规章";
pub const ROW_NORMATIVE_2019: &str = "规范性文件";
pub const ROW_NORMATIVE_2021: &str = "行政规范性文件";
pub const ROW_LICENSING: &str = "行政许可";
pub const ROW_OTHER_SERVICES: &str = "其他对外管理服务事项";
pub const ROW_PENALTY: &str = "行政处罚";
pub const ROW_ENFORCEMENT: &str = "行政强制";
pub const ROW_FEES: &str = "行政事业性收费";
pub const ROW_PROCUREMENT: &str = "政府集中采购";

// Columns of table 二, 2019 format.
pub const COL_MADE: &str = "本年新制作数量";
pub const COL_NEWLY_PUBLISHED: &str = "本年新公开数量";
pub const COL_PUBLISHED_TOTAL: &str = "对外公开总数量";
pub const COL_MATTERS_BEFORE: &str = "上一年项目数量";
pub const COL_MATTERS_CHANGE: &str = "本年增/减";
pub const COL_DECISIONS_2019: &str = "处理决定数量";
pub const COL_PROCUREMENT_PROJECTS: &str = "采购项目数量";
pub const COL_PROCUREMENT_AMOUNT: &str = "采购总金额";

// Columns of table 二, 2021 format.
pub const COL_ISSUED: &str = "本年制发件数";
pub const COL_REPEALED: &str = "本年废止件数";
pub const COL_IN_FORCE: &str = "现行有效件数";
pub const COL_DECISIONS_2021: &str = "本年处理决定数量";
pub const COL_FEES_COLLECTED: &str = "本年收费金额（单位：万元）";

use CellKind::*;

/// The columns of the blocks on matters (（五）、（六）) in the 2019 format.
const MATTER_COLUMNS_2019: &[(&str, CellKind)] = &[
    (COL_MATTERS_BEFORE, Count),
    (COL_MATTERS_CHANGE, SignedCount),
    (COL_DECISIONS_2019, Count),
];

pub const BLOCKS_2019: &[Block] = &[
    Block {
        heading: ART20_1,
        columns: &[
            (COL_MADE, Count),
            (COL_NEWLY_PUBLISHED, Count),
            (COL_PUBLISHED_TOTAL, Count),
        ],
        rows: &[ROW_REGULATIONS, ROW_NORMATIVE_2019],
    },
    Block {
        heading: ART20_5,
        columns: MATTER_COLUMNS_2019,
        rows: &[ROW_LICENSING, ROW_OTHER_SERVICES],
    },
    Block {
        heading: ART20_6,
        columns: MATTER_COLUMNS_2019,
        rows: &[ROW_PENALTY, ROW_ENFORCEMENT],
    },
    Block {
        heading: ART20_8,
        columns: &[
            (COL_MATTERS_BEFORE, Count),
            (COL_MATTERS_CHANGE, SignedCount),
        ],
        rows: &[ROW_FEES],
    },
    Block {
        heading: ART20_9,
        columns: &[
            (COL_PROCUREMENT_PROJECTS, Count),
            (COL_PROCUREMENT_AMOUNT, Amount),
        ],
        rows: &[ROW_PROCUREMENT],
    },
];

pub const BLOCKS_2021: &[Block] = &[
    Block {
        heading: ART20_1,
        columns: &[
            (COL_ISSUED, Count),
            (COL_REPEALED, Count),
            (COL_IN_FORCE, Count),
        ],
        rows: &[ROW_REGULATIONS, ROW_NORMATIVE_2021],
    },
    Block {
        heading: ART20_5,
        columns: &[(COL_DECISIONS_2021, Count)],
        rows: &[ROW_LICENSING],
    },
    Block {
        heading: ART20_6,
        columns: &[(COL_DECISIONS_2021, Count)],
        rows: &[ROW_PENALTY, ROW_ENFORCEMENT],
    },
    Block {
        heading: ART20_8,
        columns: &[(COL_FEES_COLLECTED, Amount)],
        rows: &[ROW_FEES],
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
    NATURAL_PERSON,
    BUSINESS,
    RESEARCH,
    PUBLIC_INTEREST,
    LEGAL_SERVICE,
    OTHER_ORGANISATION,
    TOTAL,
];
pub const NATURAL_PERSON: &str = "自然人";
pub const BUSINESS: &str = "商业企业";
pub const RESEARCH: &str = "科研机构";
pub const PUBLIC_INTEREST: &str = "社会公益组织";
pub const LEGAL_SERVICE: &str = "法律服务机构";
/// 其他 (other organisations), the last applicant column before 总计.
pub const OTHER_ORGANISATION: &str = "其他";
/// The total column of tables 三 and 四.
pub const TOTAL: &str = "总计";

pub const ROW_NEW: &str = "一、本年新收政府信息公开申请数量";
pub const ROW_CARRIED_IN: &str = "二、上年结转政府信息公开申请数量";
pub const ROW_RESULTS_TOTAL: &str = "（七）总计";
pub const ROW_CARRIED_OUT: &str = "四、结转下年度继续办理";
pub const ROW_OTHER_2019: &str = "（六）其他处理";
pub const ROW_DISCLOSED: &str = "（一）予以公开";
pub const ROW_PARTLY_DISCLOSED: &str = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）";
/// 2021 format, （六）2: closed because a fee notice was not paid in time (R10 reads it).
pub const ROW_FEE_NOT_PAID: &str =
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请";

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
// In the 2019 format （六） is one row; in the 2021 format it heads three.
const G6: Option<&str> = Some(ROW_OTHER_2019);

const RESULT_ROWS_COMMON: &[ResultRow] = &[
    r(None, ROW_DISCLOSED),
    r(None, ROW_PARTLY_DISCLOSED),
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
    r(G6, ROW_FEE_NOT_PAID),
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
pub const UPHELD: &str = "结果维持";
pub const CORRECTED: &str = "结果纠正";
pub const OTHER_OUTCOME: &str = "其他结果";
pub const PENDING: &str = "尚未审结";
pub const TABLE4_COLUMNS: &[&str] = &[UPHELD, CORRECTED, OTHER_OUTCOME, PENDING, TOTAL];

/// The official section headings, in order (the short forms we write).
pub const SECTIONS: &[&str] = &[
    SECTION_OVERVIEW,
    SECTION_PROACTIVE,
    SECTION_ON_APPLICATION,
    SECTION_REVIEW_AND_LITIGATION,
    SECTION_PROBLEMS,
    SECTION_OTHER_MATTERS,
];
pub const SECTION_OVERVIEW: &str = "一、总体情况";
pub const SECTION_PROACTIVE: &str = "二、主动公开政府信息情况";
pub const SECTION_ON_APPLICATION: &str = "三、收到和处理政府信息公开申请情况";
pub const SECTION_REVIEW_AND_LITIGATION: &str = "四、政府信息公开行政复议、行政诉讼情况";
pub const SECTION_PROBLEMS: &str = "五、存在的主要问题及改进情况";
pub const SECTION_OTHER_MATTERS: &str = "六、其他需要报告的事项";

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::{ApplicantType, ReplyResult};
    use crate::records::{CaseKind, CaseOutcome, MatterKind};

    fn is_row_of(format: Format, table: &str, row: &str) -> bool {
        cell_keys(format)
            .iter()
            .any(|(k, _)| k.table == table && k.row == row)
    }

    fn is_column_of(format: Format, table: &str, column: &str) -> bool {
        cell_keys(format)
            .iter()
            .any(|(k, _)| k.table == table && k.column == column)
    }

    /// The domain's types name rows and columns too (compute and the importers use them): each
    /// must be a label of the layout.
    #[test]
    fn the_labels_of_the_domain_types_are_labels_of_the_layout() {
        for format in [Format::F2019, Format::F2021] {
            for k in MatterKind::ALL {
                let in_2021 = k != MatterKind::OtherService;
                if format == Format::F2019 || in_2021 {
                    assert!(is_row_of(format, TABLE_2, k.label()), "{}", k.label());
                }
            }
            for k in CaseKind::ALL {
                assert!(is_row_of(format, TABLE_4, k.label()), "{}", k.label());
            }
            for o in CaseOutcome::ALL {
                assert!(is_column_of(format, TABLE_4, o.column()), "{}", o.column());
            }
            for t in ApplicantType::ALL {
                assert!(is_column_of(format, TABLE_3, t.column()), "{}", t.column());
            }
            for r in ReplyResult::ALL {
                assert!(
                    is_row_of(format, TABLE_3, r.row(format)),
                    "{}",
                    r.row(format)
                );
            }
        }
    }

    /// Every label is spelled once: no two constants of one list say the same thing, and the
    /// rows of a block are not the rows of another.
    #[test]
    fn labels_are_distinct() {
        for format in [Format::F2019, Format::F2021] {
            let keys = cell_keys(format);
            let mut sorted: Vec<_> = keys.iter().map(|(k, _)| *k).collect();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), keys.len(), "{format:?}: a cell appears twice");
            let mut rows: Vec<_> = table3_rows(format);
            rows.sort();
            rows.dedup();
            assert_eq!(rows.len(), table3_rows(format).len());
        }
        let mut sections = SECTIONS.to_vec();
        sections.dedup();
        assert_eq!(sections.len(), 6);
    }
}
