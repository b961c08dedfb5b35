//! Files released to an applicant with a reply, downloaded with the query code.

use super::*;
use crate::{Db, Result, Tx, on_pool, on_tx};

/// A file released to an applicant with a reply (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ReleasedFile {
    pub id: i64,
    pub application_id: i64,
    pub filename: String,
    pub content_type: String,
    pub uploaded_at: NaiveDateTime,
    pub uploaded_by: String,
}

impl Tx {
    /// Keeps a file released to the applicant of case `application_id`.
    pub async fn insert_application_file(
        &mut self,
        application_id: i64,
        filename: &str,
        content_type: &str,
        data: &[u8],
        at: NaiveDateTime,
        by: &str,
    ) -> Result<i64> {
        Ok(on_tx!(self, c => sqlx::query_scalar(
            "INSERT INTO application_files (application_id, filename, content_type, data, uploaded_at, uploaded_by) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
            .bind(application_id)
            .bind(filename)
            .bind(content_type)
            .bind(data)
            .bind(at)
            .bind(by)
            .fetch_one(c)
            .await)?)
    }
}

impl Db {
    /// The files released with case `application_id`, oldest first.
    pub async fn application_files(&self, application_id: i64) -> Result<Vec<ReleasedFile>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT id, application_id, filename, content_type, uploaded_at, uploaded_by \
             FROM application_files WHERE application_id = $1 ORDER BY id")
            .bind(application_id)
            .fetch_all(p)
            .await)?)
    }

    /// One released file of case `application_id` with its bytes.
    pub async fn application_file(
        &self,
        application_id: i64,
        id: i64,
    ) -> Result<Option<(ReleasedFile, Vec<u8>)>> {
        let info: Option<ReleasedFile> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, application_id, filename, content_type, uploaded_at, uploaded_by \
             FROM application_files WHERE application_id = $1 AND id = $2")
            .bind(application_id)
            .bind(id)
            .fetch_optional(p)
            .await)?;
        let Some(info) = info else { return Ok(None) };
        let data: Vec<u8> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT data FROM application_files WHERE id = $1")
            .bind(id)
            .fetch_one(p)
            .await)?;
        Ok(Some((info, data)))
    }
}
