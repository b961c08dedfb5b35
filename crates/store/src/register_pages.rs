//! The registers a page at a time (issue 28): an organ's decisions, fees and procurements between
//! two dates, newest first, limited and counted in SQL, for the back office's 登记簿 and the
//! public full lists behind the 法定主动公开内容 columns; and the span of years they hold.

use crate::{Db, Result, on_pool, on_tx};
use chrono::NaiveDate;
use gongkai_domain::records::{Decision, Fee, Procurement};

/// Which rows of a register a page shows: the dates (inclusive) and the page.
#[derive(Debug, Clone, Copy)]
pub struct RegisterRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub limit: i64,
    pub offset: i64,
}

/// A register as its page reads it: the table (joined to the organ where the register hangs
/// off a matter), the column holding the organ, the dated column that orders and filters it,
/// the row's id (ties on a date, newest first) and the columns of a row, in the row's order.
struct Register {
    from: &'static str,
    organ: &'static str,
    date: &'static str,
    id: &'static str,
    columns: &'static str,
}

const DECISIONS: Register = Register {
    from: "decisions d JOIN matters m ON m.id = d.matter_id",
    organ: "m.organ_id",
    date: "d.decided_on",
    id: "d.id",
    columns: "d.id, d.matter_id, d.decided_on, d.number, d.party",
};

const FEES: Register = Register {
    from: "fees f JOIN matters m ON m.id = f.matter_id",
    organ: "m.organ_id",
    date: "f.collected_on",
    id: "f.id",
    columns: "f.id, f.matter_id, f.collected_on, f.amount_fen, f.note",
};

const PROCUREMENTS: Register = Register {
    from: "procurements",
    organ: "organ_id",
    date: "contracted_on",
    id: "id",
    columns: "id, organ_id, name, contracted_on, amount_fen",
};

impl Db {
    /// One page of a register's rows of an organ between two dates, newest first, with the
    /// number of rows in the dates: the one reader behind the three `*_page` queries.
    async fn register_page<T>(
        &self,
        reg: &Register,
        organ_id: i64,
        r: RegisterRange,
    ) -> Result<(Vec<T>, i64)>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
            + Send
            + Unpin,
    {
        let within = format!(
            "FROM {} WHERE {} = $1 AND {date} >= $2 AND {date} <= $3",
            reg.from,
            reg.organ,
            date = reg.date
        );
        // Built only from the `'static` pieces of the three registers above: no input reaches it.
        let count = format!("SELECT COUNT(*) {within}");
        let total: i64 = on_pool!(self, p => sqlx::query_scalar(sqlx::AssertSqlSafe(count.as_str()))
            .bind(organ_id)
            .bind(r.from)
            .bind(r.to)
            .fetch_one(p)
            .await)?;
        let select = format!(
            "SELECT {} {within} ORDER BY {} DESC, {} DESC LIMIT $4 OFFSET $5",
            reg.columns, reg.date, reg.id
        );
        let rows: Vec<T> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(select.as_str()))
            .bind(organ_id)
            .bind(r.from)
            .bind(r.to)
            .bind(r.limit)
            .bind(r.offset)
            .fetch_all(p)
            .await)?;
        Ok((rows, total))
    }

    /// One page of the decisions under an organ's matters, newest first; with the number in the
    /// dates.
    pub async fn decisions_page(
        &self,
        organ_id: i64,
        r: RegisterRange,
    ) -> Result<(Vec<Decision>, i64)> {
        let (rows, total) = self.register_page(&DECISIONS, organ_id, r).await?;
        let list = rows
            .into_iter()
            .map(
                |(id, matter_id, decided_on, number, party): (
                    i64,
                    i64,
                    NaiveDate,
                    String,
                    String,
                )| {
                    Decision {
                        id,
                        matter_id,
                        decided_on,
                        number,
                        party,
                    }
                },
            )
            .collect();
        Ok((list, total))
    }

    /// One page of the fees collected under an organ's matters, newest first; with the number in
    /// the dates.
    pub async fn fees_page(&self, organ_id: i64, r: RegisterRange) -> Result<(Vec<Fee>, i64)> {
        let (rows, total) = self.register_page(&FEES, organ_id, r).await?;
        let list = rows
            .into_iter()
            .map(
                |(id, matter_id, collected_on, amount_fen, note): (
                    i64,
                    i64,
                    NaiveDate,
                    i64,
                    String,
                )| {
                    Fee {
                        id,
                        matter_id,
                        collected_on,
                        amount_fen,
                        note,
                    }
                },
            )
            .collect();
        Ok((list, total))
    }

    /// One page of an organ's procurements, newest first; with the number in the dates.
    pub async fn procurements_page(
        &self,
        organ_id: i64,
        r: RegisterRange,
    ) -> Result<(Vec<Procurement>, i64)> {
        let (rows, total) = self.register_page(&PROCUREMENTS, organ_id, r).await?;
        let list = rows
            .into_iter()
            .map(
                |(id, organ_id, name, contracted_on, amount_fen): (
                    i64,
                    i64,
                    String,
                    NaiveDate,
                    i64,
                )| {
                    Procurement {
                        id,
                        organ_id,
                        name,
                        contracted_on,
                        amount_fen,
                    }
                },
            )
            .collect();
        Ok((list, total))
    }

    /// The first and last dates an organ's decisions, fees and procurements hold (`None` when
    /// the three are empty): the years a register page offers to filter by.
    pub async fn register_span(&self, organ_id: i64) -> Result<Option<(NaiveDate, NaiveDate)>> {
        let spans: Vec<(Option<NaiveDate>, Option<NaiveDate>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT MIN(d.decided_on), MAX(d.decided_on) FROM decisions d \
             JOIN matters m ON m.id = d.matter_id WHERE m.organ_id = $1 \
             UNION ALL SELECT MIN(f.collected_on), MAX(f.collected_on) FROM fees f \
             JOIN matters m ON m.id = f.matter_id WHERE m.organ_id = $1 \
             UNION ALL SELECT MIN(contracted_on), MAX(contracted_on) FROM procurements \
             WHERE organ_id = $1")
            .bind(organ_id)
            .fetch_all(p)
            .await)?;
        Ok(spans
            .into_iter()
            .fold(None, |acc, (a, b)| match (acc, a, b) {
                (None, Some(a), Some(b)) => Some((a, b)),
                (Some((x, y)), Some(a), Some(b)) => Some((x.min(a), y.max(b))),
                (acc, _, _) => acc,
            }))
    }
}

impl crate::Tx {
    /// An organ's items that have no text yet, as (id, title, category name, 成文日期): the demo
    /// writes their bodies after importing them from its files (which carry no text).
    pub async fn items_without_body(
        &mut self,
        organ_id: i64,
    ) -> Result<Vec<(i64, String, String, Option<NaiveDate>)>> {
        Ok(on_tx!(self, c => sqlx::query_as(
            "SELECT i.id, i.title, k.name, i.written_on FROM catalogue_items i \
             JOIN categories k ON k.id = i.category_id \
             WHERE i.organ_id = $1 AND NOT EXISTS (SELECT 1 FROM item_bodies b WHERE b.item_id = i.id) \
             ORDER BY i.id")
            .bind(organ_id)
            .fetch_all(c)
            .await)?)
    }
}
