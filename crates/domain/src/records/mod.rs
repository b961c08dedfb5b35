//! The records a disclosure office keeps, per organ: the organ itself and its subordinate units,
//! its catalogue (主动公开目录) with 索引号, its lists of matters (事项) and the decisions and fees
//! under them, procurement, review and litigation cases, and letters and complaints. The annual
//! report is computed from these (see `report::compute`).

mod catalogue;
mod columns;
mod index_no;
mod registers;
mod services;
mod workflow;

pub use catalogue::*;
pub use columns::*;
pub use index_no::*;
pub use registers::*;
pub use services::*;
pub use workflow::*;

use serde::{Deserialize, Serialize};

use crate::report::OrganKind;

/// An organ (机关) or one of its subordinate units (a school under a bureau). Each keeps its own
/// records; a bureau's report may include its units'.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organ {
    pub id: i64,
    /// 统一社会信用代码 or another unique code; the first part of its 索引号.
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub kind: OrganKind,
    pub parent_id: Option<i64>,
    /// The 索引号 pattern, e.g. `{code}/{year}-{seq:05}` (see [`IndexPattern`]).
    pub index_pattern: String,
}

/// An organ to be created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOrgan {
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub kind: OrganKind,
    pub parent_id: Option<i64>,
    pub index_pattern: String,
}

impl NewOrgan {
    /// Checks what the database cannot: a non-empty code and name, a valid 索引号 pattern.
    pub fn validate(&self) -> Result<(), String> {
        if self.code.trim().is_empty() {
            return Err("机关代码不能为空".into());
        }
        if self.code.contains('/') || self.code.chars().any(char::is_whitespace) {
            return Err(format!("机关代码“{}”不能包含空白或“/”", self.code));
        }
        if self.name.trim().is_empty() {
            return Err("机关全称不能为空".into());
        }
        IndexPattern::parse(&self.index_pattern)?;
        Ok(())
    }
}

/// Parses an organ kind as written in files and on the command line.
pub fn parse_organ_kind(s: &str) -> Option<OrganKind> {
    match s.trim() {
        "department" | "部门" | "" => Some(OrganKind::Department),
        "government" | "政府" | "人民政府" => Some(OrganKind::Government),
        _ => None,
    }
}

pub fn organ_kind_label(k: OrganKind) -> &'static str {
    match k {
        OrganKind::Department => "部门",
        OrganKind::Government => "人民政府",
    }
}

pub fn organ_kind_code(k: OrganKind) -> &'static str {
    match k {
        OrganKind::Department => "department",
        OrganKind::Government => "government",
    }
}

pub fn organ_kind_from_code(s: &str) -> OrganKind {
    if s == "government" {
        OrganKind::Government
    } else {
        OrganKind::Department
    }
}

/// Amounts are kept in 分 (1/100 元) as integers so sums are exact; reports show 万元.
pub type Fen = i64;

/// 分 → 万元 (1 万元 = 1 000 000 分).
pub fn fen_to_wan(fen: Fen) -> f64 {
    fen as f64 / 1_000_000.0
}

/// Parses an amount in 元 as people write it (`1234`, `1,234.5`, `1234.56元`) into 分. Negative
/// amounts and more than two decimals are refused.
pub fn parse_yuan(s: &str) -> Result<Fen, String> {
    let t: String = s
        .trim()
        .trim_end_matches('元')
        .chars()
        .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
        .collect();
    if t.is_empty() {
        return Err("金额不能为空".into());
    }
    if t.starts_with('-') {
        return Err(format!("金额“{}”不能为负数", s.trim()));
    }
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, f),
        None => (t.as_str(), ""),
    };
    let digits = |x: &str| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit());
    if !digits(int) || (!frac.is_empty() && !digits(frac)) || frac.len() > 2 {
        return Err(format!(
            "金额“{}”格式不对：应为以元为单位的数字，最多两位小数",
            s.trim()
        ));
    }
    let yuan: i64 = int.parse().map_err(|_| format!("金额“{}”过大", s.trim()))?;
    let mut f = frac.to_string();
    while f.len() < 2 {
        f.push('0');
    }
    let fen_part: i64 = f.parse().unwrap_or(0);
    yuan.checked_mul(100)
        .and_then(|v| v.checked_add(fen_part))
        .ok_or_else(|| format!("金额“{}”过大", s.trim()))
}

/// 分 → "1234.56" (元), the form [`parse_yuan`] reads back.
pub fn format_yuan(fen: Fen) -> String {
    if fen % 100 == 0 {
        format!("{}", fen / 100)
    } else {
        format!("{}.{:02}", fen / 100, fen % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_amounts_parse_exactly() {
        assert_eq!(parse_yuan("1234"), Ok(123400));
        assert_eq!(parse_yuan("1,234.5元"), Ok(123450));
        assert_eq!(parse_yuan(" 0.07 "), Ok(7));
        assert!(parse_yuan("-5").unwrap_err().contains("负数"));
        assert!(parse_yuan("1.234").is_err());
        assert!(parse_yuan("abc").is_err());
        assert!(parse_yuan("").is_err());
        assert_eq!(format_yuan(123450), "1234.50");
        assert_eq!(format_yuan(3_600_000_000), "36000000");
        assert_eq!(fen_to_wan(3_600_000_000), 3600.0);
    }
}
