//! The records of the registers in the sub-columns of 法定主动公开内容 they belong to (art. 20):
//! （五）the results of 行政许可 and other services and （六）行政处罚 and 行政强制 decisions (the 双公示
//! register), （八）the 行政事业性收费 items, （九）the 政府集中采购 projects. The catalogue lists
//! published documents; these clauses are about records the office keeps in its registers, so
//! their sub-columns show those records beside (or instead of) documents.

use crate::AppState;
use crate::error::AppResult;
use gongkai_domain::records::{Decision, Fee, Matter, MatterKind, Procurement, format_yuan};

/// Lines shown at most per block; the block links to the full list where there is one.
const SHOWN: usize = 20;

/// One register's records under a clause.
pub struct RegisterBlock {
    pub title: String,
    pub total: usize,
    pub lines: Vec<String>,
    /// The full list (the 双公示 page, the fees or procurements list).
    pub link: String,
    pub link_label: String,
}

/// The blocks for the clauses in `clauses` (descriptions such as `第二十条（八）`), newest first.
pub async fn register_blocks(
    state: &AppState,
    organ_id: i64,
    clauses: &[String],
) -> AppResult<Vec<RegisterBlock>> {
    let has = |c: &str| clauses.iter().any(|x| x == c);
    if !gongkai_domain::records::REGISTER_CLAUSES
        .iter()
        .any(|c| has(c))
    {
        return Ok(vec![]);
    }
    let (from, _) = crate::views::all_dates();
    let today = state.today();
    let matters = state.db.matters(organ_id).await?;
    let mut out = Vec::new();
    let decisions = if has("第二十条（五）") || has("第二十条（六）") {
        state.db.decisions(organ_id, from, today).await?
    } else {
        vec![]
    };
    if has("第二十条（五）") {
        out.push(block(
            "行政许可和其他对外管理服务事项的办理结果",
            decision_lines(
                &decisions,
                &matters,
                &[MatterKind::Licensing, MatterKind::OtherService],
            ),
            format!("/o/{organ_id}/double?kind=licensing"),
            "在“双公示”中查看全部行政许可决定",
        ));
    }
    if has("第二十条（六）") {
        out.push(block(
            "行政处罚、行政强制决定",
            decision_lines(
                &decisions,
                &matters,
                &[MatterKind::Penalty, MatterKind::Enforcement],
            ),
            format!("/o/{organ_id}/double?kind=penalty"),
            "在“双公示”中查看全部行政处罚决定",
        ));
    }
    if has("第二十条（八）") {
        let fees = state.db.fees(organ_id, from, today).await?;
        out.push(block(
            "行政事业性收费项目",
            fee_lines(&fees, &matters),
            super::registers::link(organ_id, gongkai_app::registers::Paged::Fees),
            "查看全部收费登记",
        ));
    }
    if has("第二十条（九）") {
        let list = state.db.procurements(organ_id, from, today).await?;
        out.push(block(
            "政府集中采购项目的实施情况",
            procurement_lines(list),
            super::registers::link(organ_id, gongkai_app::registers::Paged::Procurements),
            "查看全部政府集中采购项目",
        ));
    }
    Ok(out)
}

/// A block of a register's lines: the first [`SHOWN`] of them and their number.
fn block(title: &str, all: Vec<String>, link: String, link_label: &str) -> RegisterBlock {
    RegisterBlock {
        title: title.to_string(),
        total: all.len(),
        lines: all.into_iter().take(SHOWN).collect(),
        link,
        link_label: link_label.to_string(),
    }
}

/// The decisions under matters of these kinds, newest first: date, matter, number (party).
fn decision_lines(decisions: &[Decision], matters: &[Matter], kinds: &[MatterKind]) -> Vec<String> {
    let mut v: Vec<(chrono::NaiveDate, String)> = decisions
        .iter()
        .filter_map(|d| {
            let m = matters.iter().find(|m| m.id == d.matter_id)?;
            kinds.contains(&m.kind).then(|| {
                (
                    d.decided_on,
                    format!(
                        "{} {}：{}{}",
                        d.decided_on,
                        m.name,
                        d.number,
                        if d.party.is_empty() {
                            String::new()
                        } else {
                            format!("（{}）", d.party)
                        }
                    ),
                )
            })
        })
        .collect();
    v.sort_by_key(|x| std::cmp::Reverse(x.0));
    v.into_iter().map(|x| x.1).collect()
}

/// One line per fee item: when it was listed (and delisted), the fees registered and their sum.
fn fee_lines(fees: &[Fee], matters: &[Matter]) -> Vec<String> {
    matters
        .iter()
        .filter(|m| m.kind == MatterKind::Fee)
        .map(|m| {
            let of: Vec<_> = fees.iter().filter(|f| f.matter_id == m.id).collect();
            let sum: i64 = of.iter().map(|f| f.amount_fen).sum();
            format!(
                "{}（{}列入{}）：已登记收费{}笔，合计{}元",
                m.name,
                m.listed_on,
                m.delisted_on
                    .map(|d| format!("，{d}取消"))
                    .unwrap_or_default(),
                of.len(),
                format_yuan(sum)
            )
        })
        .collect()
}

/// The procurements, newest first: date, project, amount.
fn procurement_lines(mut list: Vec<Procurement>) -> Vec<String> {
    list.sort_by_key(|p| std::cmp::Reverse(p.contracted_on));
    list.iter()
        .map(|p| {
            format!(
                "{} {}：{}元",
                p.contracted_on,
                p.name,
                format_yuan(p.amount_fen)
            )
        })
        .collect()
}
