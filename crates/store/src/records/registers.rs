//! The registers of table 二 and the cases of table 四: matters (许可、处罚…), decisions, fees,
//! procurement and review/litigation cases.

use super::*;
use crate::{Db, Result, Tx, on_pool, on_tx};

#[derive(sqlx::FromRow)]
struct MatterRow {
    id: i64,
    organ_id: i64,
    kind: String,
    name: String,
    listed_on: NaiveDate,
    delisted_on: Option<NaiveDate>,
}

#[derive(sqlx::FromRow)]
struct DecisionRow {
    id: i64,
    matter_id: i64,
    decided_on: NaiveDate,
    number: String,
    party: String,
}

#[derive(sqlx::FromRow)]
struct FeeRow {
    id: i64,
    matter_id: i64,
    collected_on: NaiveDate,
    amount_fen: i64,
    note: String,
}

#[derive(sqlx::FromRow)]
struct ProcurementRow {
    id: i64,
    organ_id: i64,
    name: String,
    contracted_on: NaiveDate,
    amount_fen: i64,
}

#[derive(sqlx::FromRow)]
struct CaseRow {
    id: i64,
    organ_id: i64,
    kind: String,
    case_number: String,
    filed_on: NaiveDate,
    application_number: String,
    outcome: Option<String>,
    decided_on: Option<NaiveDate>,
}

fn matter_from(r: MatterRow) -> Result<Matter> {
    Ok(Matter {
        id: r.id,
        organ_id: r.organ_id,
        kind: MatterKind::parse(&r.kind).ok_or_else(|| bad("事项类型", &r.kind))?,
        name: r.name,
        listed_on: r.listed_on,
        delisted_on: r.delisted_on,
    })
}

fn case_from(r: CaseRow) -> Result<Case> {
    let outcome = match (r.outcome, r.decided_on) {
        (Some(o), Some(d)) => Some((
            CaseOutcome::parse(&o).ok_or_else(|| bad("案件结果", &o))?,
            d,
        )),
        _ => None,
    };
    Ok(Case {
        id: r.id,
        organ_id: r.organ_id,
        kind: CaseKind::parse(&r.kind).ok_or_else(|| bad("案件类型", &r.kind))?,
        case_number: r.case_number,
        filed_on: r.filed_on,
        application_number: r.application_number,
        outcome,
    })
}

impl Tx {
    /// An organ's matters, inside the transaction (the demo's living layer writes their 办事指南).
    pub async fn matters(&mut self, organ_id: i64) -> Result<Vec<Matter>> {
        let rows: Vec<MatterRow> = on_tx!(self, c => sqlx::query_as(
            "SELECT id, organ_id, kind, name, listed_on, delisted_on FROM matters WHERE organ_id = $1 ORDER BY id")
            .bind(organ_id)
            .fetch_all(c)
            .await)?;
        rows.into_iter().map(matter_from).collect()
    }

    pub async fn insert_matter(
        &mut self,
        organ_id: i64,
        kind: MatterKind,
        name: &str,
        listed_on: NaiveDate,
        delisted_on: Option<NaiveDate>,
    ) -> Result<i64> {
        if name.trim().is_empty() {
            return Err(Error::Invalid("事项名称不能为空".into()));
        }
        if let Some(d) = delisted_on
            && d < listed_on
        {
            return Err(Error::Invalid(format!(
                "事项“{name}”的移出清单日期 {d} 早于列入日期 {listed_on}"
            )));
        }
        let inserted: std::result::Result<i64, sqlx::Error> = on_tx!(self, c => sqlx::query_scalar(
            "INSERT INTO matters (organ_id, kind, name, listed_on, delisted_on) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(organ_id)
            .bind(kind.code())
            .bind(name.trim())
            .bind(listed_on)
            .bind(delisted_on)
            .fetch_one(c)
            .await);
        match inserted {
            Ok(id) => Ok(id),
            // The same 事项 twice on one list (unique per organ, kind and name): the officer's
            // mistake, said in words, not a database error.
            Err(sqlx::Error::Database(d)) if d.is_unique_violation() => Err(Error::Invalid(
                format!("{}清单中已有事项“{}”", kind.label(), name.trim()),
            )),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn matter_by_name(
        &mut self,
        organ_id: i64,
        kind: Option<MatterKind>,
        name: &str,
    ) -> Result<Option<Matter>> {
        let rows: Vec<MatterRow> = on_tx!(self, c => sqlx::query_as(
            "SELECT id, organ_id, kind, name, listed_on, delisted_on FROM matters \
             WHERE organ_id = $1 AND name = $2 ORDER BY id")
            .bind(organ_id)
            .bind(name.trim())
            .fetch_all(c)
            .await)?;
        let mut found = Vec::new();
        for r in rows {
            let m = matter_from(r)?;
            if kind.is_none_or(|k| k == m.kind) {
                found.push(m);
            }
        }
        Ok(if found.len() == 1 { found.pop() } else { None })
    }

    pub async fn insert_decision(
        &mut self,
        matter_id: i64,
        decided_on: NaiveDate,
        number: &str,
        party: &str,
    ) -> Result<i64> {
        let id: i64 = on_tx!(self, c => sqlx::query_scalar(
            "INSERT INTO decisions (matter_id, decided_on, number, party) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(matter_id)
            .bind(decided_on)
            .bind(number)
            .bind(party)
            .fetch_one(c)
            .await)?;
        Ok(id)
    }

    pub async fn insert_fee(
        &mut self,
        matter_id: i64,
        collected_on: NaiveDate,
        amount_fen: Fen,
        note: &str,
    ) -> Result<i64> {
        if amount_fen < 0 {
            return Err(Error::Invalid("收费金额不能为负数".into()));
        }
        let id: i64 = on_tx!(self, c => sqlx::query_scalar(
            "INSERT INTO fees (matter_id, collected_on, amount_fen, note) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(matter_id)
            .bind(collected_on)
            .bind(amount_fen)
            .bind(note)
            .fetch_one(c)
            .await)?;
        Ok(id)
    }

    pub async fn insert_procurement(
        &mut self,
        organ_id: i64,
        name: &str,
        contracted_on: NaiveDate,
        amount_fen: Fen,
    ) -> Result<i64> {
        if amount_fen < 0 {
            return Err(Error::Invalid("采购金额不能为负数".into()));
        }
        let id: i64 = on_tx!(self, c => sqlx::query_scalar(
            "INSERT INTO procurements (organ_id, name, contracted_on, amount_fen) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(organ_id)
            .bind(name)
            .bind(contracted_on)
            .bind(amount_fen)
            .fetch_one(c)
            .await)?;
        Ok(id)
    }

    pub async fn insert_case(
        &mut self,
        organ_id: i64,
        kind: CaseKind,
        case_number: &str,
        filed_on: NaiveDate,
        application_number: &str,
        outcome: Option<(CaseOutcome, NaiveDate)>,
    ) -> Result<i64> {
        if let Some((_, d)) = outcome
            && d < filed_on
        {
            return Err(Error::Invalid(format!(
                "案件“{case_number}”的审结日期 {d} 早于立案日期 {filed_on}"
            )));
        }
        let id: i64 = on_tx!(self, c => sqlx::query_scalar(
            "INSERT INTO cases (organ_id, kind, case_number, filed_on, application_number, outcome, decided_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(organ_id)
            .bind(kind.code())
            .bind(case_number)
            .bind(filed_on)
            .bind(application_number)
            .bind(outcome.map(|(o, _)| o.code()))
            .bind(outcome.map(|(_, d)| d))
            .fetch_one(c)
            .await)?;
        Ok(id)
    }

    /// Records the outcome of an open case.
    pub async fn decide_case(
        &mut self,
        case_id: i64,
        outcome: CaseOutcome,
        decided_on: NaiveDate,
    ) -> Result<()> {
        on_tx!(self, c => sqlx::query("UPDATE cases SET outcome = $1, decided_on = $2 WHERE id = $3")
            .bind(outcome.code())
            .bind(decided_on)
            .bind(case_id)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}

impl Db {
    pub async fn matters(&self, organ_id: i64) -> Result<Vec<Matter>> {
        let rows: Vec<MatterRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, organ_id, kind, name, listed_on, delisted_on FROM matters WHERE organ_id = $1 ORDER BY id")
            .bind(organ_id)
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(matter_from).collect()
    }

    /// Decisions made under an organ's matters between two dates (inclusive).
    pub async fn decisions(
        &self,
        organ_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Decision>> {
        let rows: Vec<DecisionRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT d.id, d.matter_id, d.decided_on, d.number, d.party FROM decisions d \
             JOIN matters m ON m.id = d.matter_id \
             WHERE m.organ_id = $1 AND d.decided_on >= $2 AND d.decided_on <= $3 ORDER BY d.decided_on, d.id")
            .bind(organ_id)
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|r| Decision {
                id: r.id,
                matter_id: r.matter_id,
                decided_on: r.decided_on,
                number: r.number,
                party: r.party,
            })
            .collect())
    }

    pub async fn fees(&self, organ_id: i64, from: NaiveDate, to: NaiveDate) -> Result<Vec<Fee>> {
        let rows: Vec<FeeRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT f.id, f.matter_id, f.collected_on, f.amount_fen, f.note FROM fees f \
             JOIN matters m ON m.id = f.matter_id \
             WHERE m.organ_id = $1 AND f.collected_on >= $2 AND f.collected_on <= $3 ORDER BY f.collected_on, f.id")
            .bind(organ_id)
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|r| Fee {
                id: r.id,
                matter_id: r.matter_id,
                collected_on: r.collected_on,
                amount_fen: r.amount_fen,
                note: r.note,
            })
            .collect())
    }

    pub async fn procurements(
        &self,
        organ_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Procurement>> {
        let rows: Vec<ProcurementRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, organ_id, name, contracted_on, amount_fen FROM procurements \
             WHERE organ_id = $1 AND contracted_on >= $2 AND contracted_on <= $3 ORDER BY contracted_on, id")
            .bind(organ_id)
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|r| Procurement {
                id: r.id,
                organ_id: r.organ_id,
                name: r.name,
                contracted_on: r.contracted_on,
                amount_fen: r.amount_fen,
            })
            .collect())
    }

    /// Cases of an organ filed on or before `until`.
    pub async fn cases(&self, organ_id: i64, until: NaiveDate) -> Result<Vec<Case>> {
        let rows: Vec<CaseRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, organ_id, kind, case_number, filed_on, application_number, outcome, decided_on \
             FROM cases WHERE organ_id = $1 AND filed_on <= $2 ORDER BY filed_on, id")
            .bind(organ_id)
            .bind(until)
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(case_from).collect()
    }
}
