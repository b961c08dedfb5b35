//! The 双公示 fields of decisions (`decision_details`): written with a decision, read for the
//! public register and its detail page.

use crate::{Db, Result, on_pool, on_tx};
use chrono::NaiveDate;
use gongkai_domain::records::DecisionDetails;
use std::collections::BTreeMap;

#[derive(sqlx::FromRow)]
struct DetailsRow {
    decision_id: i64,
    credit_code: String,
    content: String,
    valid_from: Option<NaiveDate>,
    valid_to: Option<NaiveDate>,
    basis: String,
    fine_fen: Option<i64>,
}

impl From<DetailsRow> for (i64, DecisionDetails) {
    fn from(r: DetailsRow) -> (i64, DecisionDetails) {
        (
            r.decision_id,
            DecisionDetails {
                credit_code: r.credit_code,
                content: r.content,
                valid_from: r.valid_from,
                valid_to: r.valid_to,
                basis: r.basis,
                fine_fen: r.fine_fen,
            },
        )
    }
}

impl crate::Tx {
    /// Keeps the 双公示 fields of decision `decision_id` (replacing any kept before).
    pub async fn set_decision_details(
        &mut self,
        decision_id: i64,
        d: &DecisionDetails,
    ) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "INSERT INTO decision_details (decision_id, credit_code, content, valid_from, valid_to, basis, fine_fen) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (decision_id) DO UPDATE SET credit_code = excluded.credit_code, \
             content = excluded.content, valid_from = excluded.valid_from, valid_to = excluded.valid_to, \
             basis = excluded.basis, fine_fen = excluded.fine_fen")
            .bind(decision_id)
            .bind(&d.credit_code)
            .bind(&d.content)
            .bind(d.valid_from)
            .bind(d.valid_to)
            .bind(&d.basis)
            .bind(d.fine_fen)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}

impl Db {
    /// The 双公示 fields of the decisions of `organ_id`'s matters, by decision id (decisions
    /// without any are absent).
    pub async fn decision_details(&self, organ_id: i64) -> Result<BTreeMap<i64, DecisionDetails>> {
        let rows: Vec<DetailsRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT x.decision_id, x.credit_code, x.content, x.valid_from, x.valid_to, x.basis, x.fine_fen \
             FROM decision_details x JOIN decisions d ON d.id = x.decision_id \
             JOIN matters m ON m.id = d.matter_id WHERE m.organ_id = $1")
            .bind(organ_id)
            .fetch_all(p)
            .await)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
}
