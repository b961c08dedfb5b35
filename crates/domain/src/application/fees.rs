//! 信息处理费 under 国办函〔2020〕109号: free as a rule; where the amount or frequency clearly
//! exceeds a reasonable range, one of two super-progressive methods per application.

use serde::{Deserialize, Serialize};

/// The two methods of 国办函〔2020〕109号.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeMethod {
    /// 按件计收: per applicant per calendar month, by the application's rank in the month.
    PerItem,
    /// 按量计收: per application, by pages provided.
    PerPage,
}

impl FeeMethod {
    pub fn label(self) -> &'static str {
        match self {
            FeeMethod::PerItem => "按件计收",
            FeeMethod::PerPage => "按量计收",
        }
    }

    pub fn parse(s: &str) -> Option<FeeMethod> {
        match s.trim() {
            "per_item" | "per-item" | "item" | "按件" | "按件计收" => {
                Some(FeeMethod::PerItem)
            }
            "per_page" | "per-page" | "page" | "pages" | "按量" | "按量计收" => {
                Some(FeeMethod::PerPage)
            }
            _ => None,
        }
    }
}

/// 分 per 元.
const YUAN: i64 = 100;

/// 按件计收: the fee of an applicant's `nth` application (1-based) in a calendar month.
/// 1st–10th free; 11th–30th 100 元 each; from the 31st, in tiers of ten, each tier 100 元 dearer
/// (31st–40th 200 元, 41st–50th 300 元, …). Amounts in 分.
pub fn per_item_fen(nth: u32) -> i64 {
    match nth {
        0..=10 => 0,
        11..=30 => 100 * YUAN,
        n => {
            let tier = (n - 31) / 10;
            (200 + 100 * tier as i64) * YUAN
        }
    }
}

/// 按量计收: the fee of one application by pages, each band charged at its own rate (pages 1–30
/// free, 31–100 10 元/page, 101–200 20 元/page, from 201 40 元/page). Amounts in 分.
pub fn per_page_fen(pages: u32) -> i64 {
    let p = pages as i64;
    let band = |lo: i64, hi: i64| (p.min(hi) - (lo - 1)).max(0);
    (band(31, 100) * 10 + band(101, 200) * 20 + band(201, i64::MAX) * 40) * YUAN
}

/// `1,234.50元` style, as notices print amounts: `2740元`, `0.5元`.
pub fn yuan(fen: i64) -> String {
    if fen % 100 == 0 {
        format!("{}元", fen / 100)
    } else {
        format!("{}.{:02}元", fen / 100, fen % 100)
    }
}

/// How the amount was reached, for the fee notice.
pub fn explain(method: FeeMethod, basis: super::events::FeeBasis) -> String {
    use super::events::FeeBasis;
    match (method, basis) {
        (FeeMethod::PerItem, FeeBasis::NthInMonth(n)) => format!(
            "本申请为申请人本自然月内向本机关提出的第{n}件政府信息公开申请。按件计收标准：每月第1—10件免费，第11—30件每件100元，第31件起每10件为一档、每档每件在上一档基础上增加100元。应缴{}。",
            yuan(per_item_fen(n))
        ),
        (FeeMethod::PerPage, FeeBasis::Pages(p)) => format!(
            "本申请提供的政府信息共{p}页。按量计收标准：30页以下（含30页）免费，31—100页每页10元，101—200页每页20元，201页以上每页40元，分段累进计算。应缴{}。",
            yuan(per_page_fen(p))
        ),
        (m, b) => format!("{}（计费依据：{b:?}）", m.label()),
    }
}

/// The amount for a method and basis; `None` when they do not match.
pub fn amount_fen(method: FeeMethod, basis: super::events::FeeBasis) -> Option<i64> {
    use super::events::FeeBasis;
    match (method, basis) {
        (FeeMethod::PerItem, FeeBasis::NthInMonth(n)) => Some(per_item_fen(n)),
        (FeeMethod::PerPage, FeeBasis::Pages(p)) => Some(per_page_fen(p)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_item_tiers_at_their_boundaries() {
        assert_eq!(per_item_fen(1), 0);
        assert_eq!(per_item_fen(10), 0);
        assert_eq!(per_item_fen(11), 10_000);
        assert_eq!(per_item_fen(30), 10_000);
        assert_eq!(per_item_fen(31), 20_000);
        assert_eq!(per_item_fen(40), 20_000);
        assert_eq!(per_item_fen(41), 30_000);
        assert_eq!(per_item_fen(50), 30_000);
        assert_eq!(per_item_fen(51), 40_000);
    }

    #[test]
    fn per_page_bands_at_their_boundaries() {
        assert_eq!(per_page_fen(0), 0);
        assert_eq!(per_page_fen(30), 0);
        assert_eq!(per_page_fen(31), 1_000);
        assert_eq!(per_page_fen(100), 70_000);
        assert_eq!(per_page_fen(101), 72_000);
        assert_eq!(per_page_fen(200), 270_000);
        assert_eq!(per_page_fen(201), 274_000);
        assert_eq!(yuan(274_000), "2740元");
        assert_eq!(yuan(50), "0.50元");
    }

    #[test]
    fn fees_never_fall_as_counts_rise() {
        for n in 1..200 {
            assert!(per_item_fen(n + 1) >= per_item_fen(n));
            assert!(per_page_fen(n + 1) >= per_page_fen(n));
        }
    }
}
