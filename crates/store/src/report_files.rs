//! The kept download files of published report versions (`report_files`, migration 0015): made
//! once by `gongkai_app::exports` on a version's first download, then read by every instance.

use crate::{Db, Result, on_pool};
use chrono::NaiveDateTime;

impl Db {
    /// The kept file of a published version in `format` (`pdf`, `docx`…), if made already.
    pub async fn report_file(&self, report_id: i64, format: &str) -> Result<Option<Vec<u8>>> {
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "SELECT data FROM report_files WHERE report_id = $1 AND format = $2")
            .bind(report_id)
            .bind(format)
            .fetch_optional(p)
            .await)?)
    }

    /// Keeps a version's file. A file already kept (another instance finished first) stays: the
    /// same version renders to the same bytes, and the first one kept is the one served.
    pub async fn keep_report_file(
        &self,
        report_id: i64,
        format: &str,
        data: &[u8],
        at: NaiveDateTime,
    ) -> Result<()> {
        on_pool!(self, p => sqlx::query(
            "INSERT INTO report_files (report_id, format, data, made_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (report_id, format) DO NOTHING")
            .bind(report_id)
            .bind(format)
            .bind(data)
            .bind(at)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}
