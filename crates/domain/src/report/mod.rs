//! The annual report model shared by `gongkai report` (generating from records) and
//! `gongkai audit` (reading published reports): the JSON of ../shared/spec/annual-report.md.

pub mod compute;
pub mod layout;
pub mod rules;
pub mod stats;
pub mod text;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

pub use layout::{CellKey, CellKind};

/// The national format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// 国办公开办函〔2019〕60号, for the 2019 and 2020 reports.
    F2019,
    /// 国办公开办函〔2021〕30号, from the 2021 report on.
    F2021,
}

impl Format {
    /// The format the law requires for a report year (R15).
    pub fn for_year(year: i32) -> Format {
        if year <= 2020 {
            Format::F2019
        } else {
            Format::F2021
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::F2019 => "2019",
            Format::F2021 => "2021",
        }
    }

    pub fn document_number(self) -> &'static str {
        match self {
            Format::F2019 => "国办公开办函〔2019〕60号",
            Format::F2021 => "国办公开办函〔2021〕30号",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Format {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Format {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match s.as_str() {
            "2019" => Ok(Format::F2019),
            "2021" => Ok(Format::F2021),
            other => Err(serde::de::Error::custom(format!(
                "unknown report format {other:?}"
            ))),
        }
    }
}

/// A cell's value: a count (integer) or an amount in 万元. Stored as f64 so a reader can hold
/// what a published report really says (a negative or fractional count is an R6 finding, not a
/// parse failure); written as an integer whenever it is whole.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Num(pub f64);

impl Num {
    pub fn int(n: i64) -> Num {
        Num(n as f64)
    }
    pub fn is_integer(self) -> bool {
        self.0.fract() == 0.0 && self.0.is_finite()
    }
    /// The value as an integer, when it is one.
    pub fn as_i64(self) -> Option<i64> {
        self.is_integer().then_some(self.0 as i64)
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_i64() {
            Some(i) => write!(f, "{i}"),
            None => {
                // Amounts: at most 4 decimals (1 元 = 0.0001 万元), no trailing zeros.
                let s = format!("{:.4}", self.0);
                let s = s.trim_end_matches('0').trim_end_matches('.');
                f.write_str(s)
            }
        }
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.as_i64() {
            Some(i) if i.abs() < (1 << 53) => s.serialize_i64(i),
            _ => s.serialize_f64(self.0),
        }
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        f64::deserialize(d).map(Num)
    }
}

/// One cell of one table, addressed by its official labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub table: String,
    pub row: String,
    pub column: String,
    /// `None` for a blank cell.
    pub value: Option<Num>,
    /// What the document said, where it was not a plain number (garbage, a dash): kept for R6
    /// and for pointing a finding at the text; never part of the JSON.
    #[serde(skip)]
    pub raw: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

/// The rules a report is checked against (`rules.rs`), and the reader's own finding about a table
/// it could not read exactly (`READ`). Written in JSON as `"R9"`, `"READ"`; ordered by number,
/// the reader's last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RuleId {
    R1,
    R2,
    R3,
    R4,
    R5,
    R6,
    R7,
    R8,
    R9,
    R10,
    R11,
    R12,
    R13,
    R14,
    R15,
    R16,
    /// A table the reader could not read exactly: rows left out or solved.
    #[serde(rename = "READ")]
    Read,
}

impl RuleId {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::R1 => "R1",
            RuleId::R2 => "R2",
            RuleId::R3 => "R3",
            RuleId::R4 => "R4",
            RuleId::R5 => "R5",
            RuleId::R6 => "R6",
            RuleId::R7 => "R7",
            RuleId::R8 => "R8",
            RuleId::R9 => "R9",
            RuleId::R10 => "R10",
            RuleId::R11 => "R11",
            RuleId::R12 => "R12",
            RuleId::R13 => "R13",
            RuleId::R14 => "R14",
            RuleId::R15 => "R15",
            RuleId::R16 => "R16",
            RuleId::Read => "READ",
        }
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A cell of one of the report's tables, named by its official labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellRef {
    pub table: String,
    pub row: String,
    pub column: String,
}

impl CellRef {
    pub fn new(table: &str, row: &str, column: &str) -> CellRef {
        CellRef {
            table: table.into(),
            row: row.into(),
            column: column.into(),
        }
    }

    pub fn is(&self, table: &str, row: &str, column: &str) -> bool {
        self.table == table && self.row == row && self.column == column
    }
}

/// A rule that a report breaks. `where` points at a cell (`三/自然人`, `二/行政许可/处理决定数量`),
/// a section (`一、总体情况`) or the document (`文档`). Rules that compare what the text states
/// with a cell also say so as data: the figure stated and the cell it contradicts, so that what
/// to make of a finding is decided from them, never by reading the message back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    #[serde(rename = "where")]
    pub location: String,
    pub message: String,
    /// The figure the report's text states, where the finding is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated: Option<f64>,
    /// The cell the finding is about, where it is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<CellRef>,
}

impl Finding {
    pub fn new(rule: RuleId, severity: Severity, location: String, message: String) -> Finding {
        Finding {
            rule,
            severity,
            location,
            message,
            stated: None,
            cell: None,
        }
    }
}

/// The body text of one section of a report, under the official heading it was found as.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SectionText {
    pub heading: String,
    pub body: String,
}

/// What kind of organ published the report: decides the art. 49 deadline (R12) and what 五 must
/// cover (art. 50).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrganKind {
    /// A department (部门): publishes by 31 January.
    #[default]
    Department,
    /// A people's government at county level or above: publishes by 31 March.
    Government,
}

/// One annual report: the JSON of the spec, plus the section texts the text rules read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub source: Option<String>,
    pub organ: String,
    pub year: i32,
    pub format: Format,
    pub sections: Vec<String>,
    pub cells: Vec<Cell>,
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// Section bodies, in document order (not part of the JSON).
    #[serde(skip)]
    pub texts: Vec<SectionText>,
    /// Text before the first section (title, preamble): where the statistical period is often stated.
    #[serde(skip)]
    pub preamble: String,
    /// The date the report was published, where known (R12).
    #[serde(skip)]
    pub published: Option<chrono::NaiveDate>,
    #[serde(skip)]
    pub organ_kind: OrganKind,
}

/// The JSON document `report --format json` and `audit --json` write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportSet {
    pub reports: Vec<Report>,
}

impl Report {
    /// A report with every cell of its format present and zero, all six sections present with
    /// empty bodies.
    pub fn blank(organ: impl Into<String>, year: i32, format: Format) -> Report {
        let cells = layout::cell_keys(format)
            .into_iter()
            .map(|(k, _)| Cell {
                table: k.table.to_string(),
                row: k.row.to_string(),
                column: k.column.to_string(),
                value: Some(Num(0.0)),
                raw: None,
            })
            .collect();
        Report {
            source: None,
            organ: organ.into(),
            year,
            format,
            sections: layout::SECTIONS.iter().map(|s| s.to_string()).collect(),
            cells,
            findings: Vec::new(),
            texts: layout::SECTIONS
                .iter()
                .map(|s| SectionText {
                    heading: s.to_string(),
                    body: String::new(),
                })
                .collect(),
            preamble: String::new(),
            published: None,
            organ_kind: OrganKind::Department,
        }
    }

    pub fn cell(&self, table: &str, row: &str, column: &str) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|c| c.table == table && c.row == row && c.column == column)
    }

    /// The value of a cell; `None` when the cell is absent or blank.
    pub fn get(&self, table: &str, row: &str, column: &str) -> Option<Num> {
        self.cell(table, row, column).and_then(|c| c.value)
    }

    /// Sets a cell's value, adding the cell if absent.
    pub fn set(&mut self, table: &str, row: &str, column: &str, value: Option<Num>) {
        match self
            .cells
            .iter_mut()
            .find(|c| c.table == table && c.row == row && c.column == column)
        {
            Some(c) => {
                c.value = value;
                c.raw = None;
            }
            None => self.cells.push(Cell {
                table: table.to_string(),
                row: row.to_string(),
                column: column.to_string(),
                value,
                raw: None,
            }),
        }
    }

    pub fn set_int(&mut self, table: &str, row: &str, column: &str, n: i64) {
        self.set(table, row, column, Some(Num::int(n)));
    }

    /// Does the report carry table `t` at all (a reader leaves out tables whose section is missing)?
    pub fn has_table(&self, t: &str) -> bool {
        self.cells.iter().any(|c| c.table == t)
    }

    /// The body of a section by its official heading.
    pub fn text_of(&self, heading: &str) -> Option<&str> {
        self.texts
            .iter()
            .find(|s| s.heading == heading)
            .map(|s| s.body.as_str())
    }

    /// Sets the body of a section, adding it if absent.
    pub fn set_text(&mut self, heading: &str, body: impl Into<String>) {
        let body = body.into();
        match self.texts.iter_mut().find(|s| s.heading == heading) {
            Some(s) => s.body = body,
            None => self.texts.push(SectionText {
                heading: heading.to_string(),
                body,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_reports_have_every_cell_of_their_format() {
        let r = Report::blank("灵武市教育体育局", 2020, Format::F2019);
        // 22 cells of 二, 23 rows × 7 of 三, 15 of 四: the seed's 198.
        assert_eq!(r.cells.len(), 22 + 23 * 7 + 15);
        let r = Report::blank("x", 2021, Format::F2021);
        assert_eq!(r.cells.len(), 6 + 1 + 2 + 1 + 25 * 7 + 15);
    }

    #[test]
    fn numbers_serialise_as_integers_when_whole() {
        assert_eq!(serde_json::to_string(&Num(3600.0)).unwrap(), "3600");
        assert_eq!(serde_json::to_string(&Num(12.5)).unwrap(), "12.5");
        assert_eq!(Num(0.0123).to_string(), "0.0123");
        assert_eq!(Num(-3.0).to_string(), "-3");
    }

    #[test]
    fn format_follows_the_year() {
        assert_eq!(Format::for_year(2019), Format::F2019);
        assert_eq!(Format::for_year(2020), Format::F2019);
        assert_eq!(Format::for_year(2021), Format::F2021);
    }
}
