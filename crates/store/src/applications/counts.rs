//! What the annual report and the office count of applications, in SQL: table 三's counts
//! grouped by applicant type and result, the summaries, the fees, and the bulk loader's rows.

use super::*;
use crate::{Db, Result, on_pool};

/// A row of [`Db::application_counts`]: applicant type, month of receipt, reply when closed in
/// the year, replied in time (1/0), how many.
type CountRow = (String, i32, Option<String>, Option<i32>, i64);

impl Db {
    /// The rank of a case among its applicant's applications to the same organ in the calendar
    /// month of its receipt (1-based; ties on the same day in registration order) — the count
    /// 按件计收 charges by.
    pub async fn applicant_rank_in_month(&self, id: i64) -> Result<u32> {
        let (organ_id, key, received): (i64, String, NaiveDate) =
            on_pool!(self, p => sqlx::query_as(
            "SELECT organ_id, applicant_key, received_on FROM applications WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await)?
            .ok_or_else(|| Error::NotFound(format!("申请（编号 {id}）")))?;
        let first = received.with_day(1).expect("day 1 exists");
        let n: i64 = on_pool!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM applications WHERE organ_id = $1 AND applicant_key = $2 \
             AND received_on >= $3 AND (received_on < $4 OR (received_on = $4 AND id <= $5))")
            .bind(organ_id)
            .bind(key)
            .bind(first)
            .bind(received)
            .bind(id)
            .fetch_one(p)
            .await)?;
        Ok(n as u32)
    }

    /// What the annual report of `year` needs of the cases of these organs: every case received
    /// by 31 December and not closed before 1 January (new, carried in, closed in the year and
    /// carried out are told apart by the report computation).
    pub async fn application_summaries(
        &self,
        unit_ids: &[i64],
        year: i32,
    ) -> Result<Vec<ApplicationSummary>> {
        let mut out = Vec::new();
        for &organ in unit_ids {
            for r in self.applications(Some(organ), Some(year)).await? {
                out.push(r.summary());
            }
        }
        Ok(out)
    }

    /// What the report of `year` counts of the cases of these organs, counted in SQL: one row per
    /// applicant type, month of receipt (0 = an earlier year), reply when closed in the year and
    /// whether it was in time, over the same cases [`Db::application_summaries`] loads. Gives
    /// the same tally as `tally(summaries.in_year(year))` without loading the cases.
    pub async fn application_counts(
        &self,
        unit_ids: &[i64],
        year: i32,
    ) -> Result<Vec<ApplicationCount>> {
        // $1 organ, $2 1 January, $3 31 December, $4..$14 the first days of February to December.
        const SQL: &str = "SELECT applicant_type, \
             CASE WHEN received_on < $2 THEN 0 WHEN received_on < $4 THEN 1 \
               WHEN received_on < $5 THEN 2 WHEN received_on < $6 THEN 3 \
               WHEN received_on < $7 THEN 4 WHEN received_on < $8 THEN 5 \
               WHEN received_on < $9 THEN 6 WHEN received_on < $10 THEN 7 \
               WHEN received_on < $11 THEN 8 WHEN received_on < $12 THEN 9 \
               WHEN received_on < $13 THEN 10 WHEN received_on < $14 THEN 11 ELSE 12 END AS month, \
             CASE WHEN closed_on <= $3 THEN result END AS closed_result, \
             CASE WHEN closed_on IS NULL OR closed_on > $3 OR result IS NULL OR due_on IS NULL THEN NULL \
               WHEN closed_on <= due_on THEN 1 ELSE 0 END AS on_time, \
             COUNT(*) AS n \
             FROM applications WHERE organ_id = $1 AND received_on <= $3 \
             AND (closed_on IS NULL OR closed_on >= $2) \
             GROUP BY applicant_type, month, closed_result, on_time";
        let (start, end) = crate::records::year_bounds(year);
        let months: Vec<NaiveDate> = (2..=12)
            .map(|m| NaiveDate::from_ymd_opt(year, m, 1).expect("valid month"))
            .collect();
        let mut out = Vec::new();
        for &organ in unit_ids {
            let rows: Vec<CountRow> = on_pool!(self, p => {
                let mut q = sqlx::query_as(SQL).bind(organ).bind(start).bind(end);
                for m in &months {
                    q = q.bind(*m);
                }
                q.fetch_all(p).await
            })?;
            for (applicant, month, result, on_time, n) in rows {
                let standing = match result {
                    Some(r) => YearStanding::Closed {
                        result: from_snake("答复结果", &r)?,
                        on_time: on_time.map(|t| t == 1),
                    },
                    None => YearStanding::Open,
                };
                out.push(ApplicationCount {
                    applicant: from_snake("申请人类型", &applicant)?,
                    received_month: month as u8,
                    standing,
                    n: n as u64,
                });
            }
        }
        Ok(gongkai_domain::application::tally(out))
    }

    /// The same tally as [`Db::application_counts`], from a projection of the five columns the
    /// report reads, classified in Rust (`ApplicationSummary::in_year`) instead of grouped in SQL.
    pub async fn application_counts_projected(
        &self,
        unit_ids: &[i64],
        year: i32,
    ) -> Result<Vec<ApplicationCount>> {
        type Lean = (
            String,
            NaiveDate,
            Option<NaiveDate>,
            Option<String>,
            Option<NaiveDate>,
        );
        let (start, end) = crate::records::year_bounds(year);
        let mut types: std::collections::HashMap<String, ApplicantType> = Default::default();
        let mut results: std::collections::HashMap<String, ReplyResult> = Default::default();
        let mut out = Vec::new();
        for &organ in unit_ids {
            let rows: Vec<Lean> = on_pool!(self, p => sqlx::query_as(
                "SELECT applicant_type, received_on, closed_on, result, due_on FROM applications \
                 WHERE organ_id = $1 AND received_on <= $3 AND (closed_on IS NULL OR closed_on >= $2)")
                .bind(organ)
                .bind(start)
                .bind(end)
                .fetch_all(p)
                .await)?;
            for (t, received, closed_on, result, due) in rows {
                let applicant = match types.get(&t) {
                    Some(a) => *a,
                    None => {
                        let a: ApplicantType = from_snake("申请人类型", &t)?;
                        types.insert(t, a);
                        a
                    }
                };
                let closed = match (closed_on, result) {
                    (Some(d), Some(r)) => Some((
                        d,
                        match results.get(&r) {
                            Some(x) => *x,
                            None => {
                                let x: ReplyResult = from_snake("答复结果", &r)?;
                                results.insert(r, x);
                                x
                            }
                        },
                    )),
                    _ => None,
                };
                let s = ApplicationSummary {
                    applicant,
                    received,
                    closed,
                    due,
                };
                out.extend(s.in_year(year));
            }
        }
        Ok(gongkai_domain::application::tally(out))
    }

    /// Fills the application part of a report input — the cases of table 三, counted, and the
    /// 信息处理费 collected — for its organ and units (`input.organ`, `input.units`,
    /// `input.year`). The report loader calls this after loading the other records.
    pub async fn fill_applications(
        &self,
        input: &mut gongkai_domain::report::compute::ReportInput,
    ) -> Result<()> {
        let ids: Vec<i64> = input
            .organ
            .iter()
            .map(|o| o.id)
            .chain(input.units.iter().map(|u| u.id))
            .collect();
        input.applications = Vec::new();
        input.application_counts = self.application_counts(&ids, input.year).await?;
        input.processing_fees_fen = self.application_fees_fen(&ids, input.year).await?;
        Ok(())
    }

    /// 信息处理费 paid in `year` on the cases of these organs, in 分. Only the cases with a fee
    /// paid are replayed (a partial index finds them); the year of payment is in their logs.
    pub async fn application_fees_fen(&self, unit_ids: &[i64], year: i32) -> Result<i64> {
        let (start, end) = crate::records::year_bounds(year);
        let mut total = 0;
        for &organ in unit_ids {
            let ids: Vec<i64> = on_pool!(self, p => sqlx::query_scalar(
                "SELECT id FROM applications WHERE organ_id = $1 AND fee_paid_fen > 0 \
                 AND received_on <= $3 AND (closed_on IS NULL OR closed_on >= $2) ORDER BY id")
                .bind(organ)
                .bind(start)
                .bind(end)
                .fetch_all(p)
                .await)?;
            for id in ids {
                let app = Application::from_events(&self.application_events(id).await?)
                    .map_err(workflow)?;
                total += app
                    .fees
                    .iter()
                    .filter(|f| f.paid_on.is_some_and(|d| d.year() == year))
                    .map(|f| f.amount_fen)
                    .sum::<i64>();
            }
        }
        Ok(total)
    }
}
