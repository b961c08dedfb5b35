//! The annual report's texts as an organ writes them, the counts of every record kind, and the
//! records a year's report is computed from.

use super::*;
use crate::{Db, Result, Tx, on_pool, on_tx};

#[derive(sqlx::FromRow)]
struct TextRow {
    section: i32,
    body: String,
}

impl Tx {
    /// Stores (replaces) the text of one section of an organ's report for a year.
    pub async fn set_report_text(
        &mut self,
        organ_id: i64,
        year: i32,
        section: i32,
        body: &str,
    ) -> Result<()> {
        if !(1..=6).contains(&section) {
            return Err(Error::Invalid(format!("章节应为1到6，而不是{section}")));
        }
        on_tx!(self, c => sqlx::query(
            "INSERT INTO report_texts (organ_id, year, section, body) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (organ_id, year, section) DO UPDATE SET body = excluded.body")
            .bind(organ_id)
            .bind(year)
            .bind(section)
            .bind(body)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Removes a stored section text, so the drafted one is used again.
    pub async fn clear_report_text(
        &mut self,
        organ_id: i64,
        year: i32,
        section: i32,
    ) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "DELETE FROM report_texts WHERE organ_id = $1 AND year = $2 AND section = $3")
            .bind(organ_id)
            .bind(year)
            .bind(section)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}

impl Db {
    pub async fn set_report_text(
        &self,
        organ_id: i64,
        year: i32,
        section: i32,
        body: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.set_report_text(organ_id, year, section, body).await?;
        tx.commit().await
    }

    pub async fn clear_report_text(&self, organ_id: i64, year: i32, section: i32) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.clear_report_text(organ_id, year, section).await?;
        tx.commit().await
    }

    /// The stored section texts of an organ's report for a year, by section number (1–6).
    pub async fn report_texts(&self, organ_id: i64, year: i32) -> Result<BTreeMap<u8, String>> {
        let rows: Vec<TextRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT section, body FROM report_texts WHERE organ_id = $1 AND year = $2 ORDER BY section")
            .bind(organ_id)
            .bind(year)
            .fetch_all(p)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|r| (r.section as u8, r.body))
            .collect())
    }

    /// Counts of rows per record table, for tests that check a failed import left nothing behind
    /// and for `gongkai` status output.
    pub async fn record_counts(&self) -> Result<BTreeMap<&'static str, i64>> {
        let mut out = BTreeMap::new();
        for t in [
            "organs",
            "categories",
            "index_sequences",
            "catalogue_items",
            "validity_changes",
            "matters",
            "decisions",
            "fees",
            "procurements",
            "cases",
            "letter_channels",
            "letters",
            "report_texts",
        ] {
            let sql = format!("SELECT COUNT(*) FROM {t}");
            let n: i64 = on_pool!(self, p => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str())).fetch_one(p).await)?;
            out.insert(t, n);
        }
        // Counters are updated in place: their sum shows a moved 索引号 sequence.
        let seq: i64 = on_pool!(self, p => sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(last_seq), 0) AS BIGINT) FROM index_sequences")
            .fetch_one(p)
            .await)?;
        out.insert("index_sequences.last_seq_sum", seq);
        Ok(out)
    }

    /// Years for which an organ has any dated record (for listings and `report --all-years`).
    pub async fn record_years(&self, organ_id: i64) -> Result<Vec<i32>> {
        let mut years = std::collections::BTreeSet::new();
        for it in self.items(organ_id).await? {
            if let Some(d) = it.published_on.or(it.written_on) {
                years.insert(d.year());
            }
        }
        let (from, to) = all_time();
        for d in self.decisions(organ_id, from, to).await? {
            years.insert(d.decided_on.year());
        }
        for l in self.letters(organ_id, from, to).await? {
            years.insert(l.received_on.year());
        }
        Ok(years.into_iter().collect())
    }

    /// Loads what the report of `organ` for `year` is computed from: its own records, and with
    /// `include_units` those of every unit under it.
    pub async fn report_input(
        &self,
        organ: &Organ,
        year: i32,
        include_units: bool,
    ) -> Result<gongkai_domain::report::compute::ReportInput> {
        let units = if include_units {
            self.units_of(organ.id).await?
        } else {
            Vec::new()
        };
        let (start, end) = year_bounds(year);
        let mut input = gongkai_domain::report::compute::ReportInput {
            organ: Some(organ.clone()),
            year,
            channels: self.letter_channels().await?,
            texts: self.report_texts(organ.id, year).await?,
            ..Default::default()
        };
        let ids: Vec<i64> = std::iter::once(organ.id)
            .chain(units.iter().map(|u| u.id))
            .collect();
        for &id in &ids {
            input.categories.extend(self.categories(id).await?);
            input.items.extend(self.items(id).await?);
            input.matters.extend(self.matters(id).await?);
            input
                .decisions
                .extend(self.decisions(id, start, end).await?);
            input.fees.extend(self.fees(id, start, end).await?);
            input
                .procurements
                .extend(self.procurements(id, start, end).await?);
            input.cases.extend(self.cases(id, end).await?);
            input.letters.extend(self.letters(id, start, end).await?);
        }
        input.units = units;
        // Applications (table 三) and 信息处理费 come from the application workflow's tables.
        self.fill_applications(&mut input).await?;
        Ok(input)
    }
}
