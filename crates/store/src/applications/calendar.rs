//! The working-day calendar as an installation keeps it: the built-in years and those an
//! administrator imported, and the import that recomputes the cached deadlines of the cases it
//! moves.

use super::*;
use crate::{Db, Result, Tx, on_pool, on_tx};

impl Tx {
    /// Imports a corrected or added year and recomputes the deadlines of the open cases in the
    /// same transaction; every case whose deadline moved gets a `DeadlineRecomputed` event
    /// saying why.
    /// `cal` is the calendar in force before the import.
    pub async fn import_calendar_year(
        &mut self,
        mut cal: Calendar,
        data: YearData,
        actor: &str,
        at: NaiveDateTime,
    ) -> Result<Vec<Recomputed>> {
        let old = cal.clone();
        let replaced = cal
            .insert(data.clone())
            .map_err(|e| Error::Invalid(e.to_string()))?;
        let changed = cal.changed_days(&old);
        let reason = format!(
            "{}{}年工作日历（{}）{}",
            if replaced.is_some() {
                "更正"
            } else {
                "导入"
            },
            data.year,
            data.source,
            if changed.is_empty() {
                String::new()
            } else {
                let list: Vec<String> = changed.iter().take(12).map(|d| d.to_string()).collect();
                format!(
                    "，变动的日期：{}{}",
                    list.join("、"),
                    if changed.len() > 12 { "等" } else { "" }
                )
            }
        );
        self.store_calendar_year(&data, at).await?;
        let open: Vec<(i64, String, Option<NaiveDate>)> = on_tx!(self, c => sqlx::query_as(
            "SELECT id, number, due_on FROM applications WHERE status NOT IN ('closed', 'withdrawn') ORDER BY id")
            .fetch_all(c)
            .await)?;
        let mut out = Vec::new();
        for (id, number, old_due) in open {
            let events = self.events_of(id).await?;
            let app = Application::from_events(&events).map_err(workflow)?;
            let new_due = clock::compute_for(&app, &cal, app.received_on).due;
            if new_due == old_due {
                continue;
            }
            let seq = self.next_event_seq(id).await?;
            let ev = Event {
                seq,
                at,
                actor: actor.to_string(),
                kind: EventKind::DeadlineRecomputed {
                    reason: reason.clone(),
                    old_due,
                    new_due,
                },
            };
            self.insert_event(id, &ev).await?;
            self.refresh(id, &app, &cal).await?;
            out.push(Recomputed {
                application_id: id,
                number,
                old_due,
                new_due,
            });
        }
        // Closed cases keep their deadline cached too (the report's on-time rate reads it): bring
        // it in step where the changed days could move it, or where none could be computed.
        // Their logs stay as they are: a closed case has no running deadline to announce.
        let year_end = NaiveDate::from_ymd_opt(data.year, 12, 31)
            .ok_or_else(|| Error::Invalid(format!("年度{}无效", data.year)))?;
        let (first, last) = match (changed.first(), changed.last()) {
            (Some(a), Some(b)) => (*a, *b),
            // No day changed: the window is empty.
            _ => (year_end, year_end.pred_opt().unwrap_or(year_end)),
        };
        let closed: Vec<(i64, Option<NaiveDate>)> = on_tx!(self, c => sqlx::query_as(
            "SELECT id, due_on FROM applications WHERE status IN ('closed', 'withdrawn') \
             AND ((due_on IS NULL AND received_on <= $1) \
                  OR (received_on <= $3 AND (due_on >= $2 OR closed_on >= $2))) ORDER BY id")
            .bind(year_end)
            .bind(first)
            .bind(last)
            .fetch_all(c)
            .await)?;
        for (id, old_due) in closed {
            let events = self.events_of(id).await?;
            let app = Application::from_events(&events).map_err(workflow)?;
            if clock::compute_for(&app, &cal, app.received_on).due != old_due {
                self.refresh(id, &app, &cal).await?;
            }
        }
        Ok(out)
    }

    /// Stores an imported calendar year (replacing an earlier import of the same year).
    pub async fn store_calendar_year(&mut self, data: &YearData, at: NaiveDateTime) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "INSERT INTO calendar_years (year, source, content, imported_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (year) DO UPDATE SET source = $2, content = $3, imported_at = $4")
            .bind(data.year)
            .bind(&data.source)
            .bind(data.to_file())
            .bind(at)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}

impl Db {
    /// The calendar in force: the built-in years, each replaced or completed by the years an
    /// administrator imported.
    pub async fn calendar(&self) -> Result<Calendar> {
        let mut cal = Calendar::builtin();
        for (_, content) in self.calendar_imports_raw().await? {
            let data = parse_year(&content).map_err(|e| Error::Invalid(e.to_string()))?;
            cal.insert(data)
                .map_err(|e| Error::Invalid(e.to_string()))?;
        }
        Ok(cal)
    }

    async fn calendar_imports_raw(&self) -> Result<Vec<(i32, String)>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT year, content FROM calendar_years ORDER BY year")
            .fetch_all(p)
            .await)?)
    }

    /// The imported years: (year, source, imported at).
    pub async fn calendar_imports(&self) -> Result<Vec<(i32, String, NaiveDateTime)>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT year, source, imported_at FROM calendar_years ORDER BY year")
            .fetch_all(p)
            .await)?)
    }

    /// Imports a corrected or added year and recomputes the deadlines of the open cases in the
    /// same transaction (see [`Tx::import_calendar_year`]).
    pub async fn import_calendar_year(
        &self,
        data: YearData,
        actor: &str,
        at: NaiveDateTime,
    ) -> Result<Vec<Recomputed>> {
        let cal = self.calendar().await?;
        self.write(async |tx| tx.import_calendar_year(cal, data, actor, at).await)
            .await
    }
}
