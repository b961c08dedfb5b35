//! 意见征集 (migration 0024): drafts put out for public comment for a period, the comments
//! received through the portal, and the feedback the office publishes (采纳情况).

use crate::{Db, Result, on_pool, on_tx};
use chrono::NaiveDate;
use serde::Serialize;

/// A draft for comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Consultation {
    pub id: i64,
    pub organ_id: i64,
    pub title: String,
    /// The draft's text (or what it is about and where to read it).
    pub body: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Shown on the portal (1) or a draft of the office (0).
    pub published: i64,
    /// What was adopted and why, once published; empty before.
    pub feedback: String,
    pub feedback_on: Option<NaiveDate>,
}

/// A comment received through the portal. The name and contact are for the office only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Comment {
    pub id: i64,
    pub consultation_id: i64,
    pub received_on: NaiveDate,
    pub name: String,
    pub contact: String,
    pub body: String,
}

const COLS: &str =
    "id, organ_id, title, body, starts_on, ends_on, published, feedback, feedback_on";

impl Db {
    /// An organ's drafts for comment, newest first; the published only unless `all`.
    pub async fn consultations(&self, organ_id: i64, all: bool) -> Result<Vec<Consultation>> {
        let sql = format!(
            "SELECT {COLS} FROM consultations WHERE organ_id = $1 AND (published = 1 OR $2 = 1) \
             ORDER BY starts_on DESC, id DESC"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organ_id)
            .bind(i64::from(all))
            .fetch_all(p)
            .await)?,
        )
    }

    pub async fn consultation(&self, id: i64) -> Result<Option<Consultation>> {
        let sql = format!("SELECT {COLS} FROM consultations WHERE id = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(id)
            .fetch_optional(p)
            .await)?,
        )
    }

    /// The comments on a draft, in the order received.
    pub async fn consultation_comments(&self, id: i64) -> Result<Vec<Comment>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT id, consultation_id, received_on, name, contact, body FROM consultation_comments \
             WHERE consultation_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(p)
            .await)?)
    }

    /// How many comments each of an organ's drafts received, by draft.
    pub async fn consultation_comment_counts(
        &self,
        organ_id: i64,
    ) -> Result<std::collections::BTreeMap<i64, i64>> {
        let rows: Vec<(i64, i64)> = on_pool!(self, p => sqlx::query_as(
            "SELECT c.consultation_id, COUNT(*) FROM consultation_comments c \
             JOIN consultations k ON k.id = c.consultation_id WHERE k.organ_id = $1 \
             GROUP BY c.consultation_id")
            .bind(organ_id)
            .fetch_all(p)
            .await)?;
        Ok(rows.into_iter().collect())
    }

    /// The draft a form's comment was filed on, if that form was already sent.
    pub async fn comment_by_form(&self, form_code: &str) -> Result<Option<i64>> {
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "SELECT consultation_id FROM consultation_comments WHERE form_code = $1")
            .bind(form_code)
            .fetch_optional(p)
            .await)?)
    }
}

impl crate::Tx {
    pub async fn insert_consultation(
        &mut self,
        organ_id: i64,
        title: &str,
        body: &str,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
    ) -> Result<i64> {
        Ok(on_tx!(self, c => sqlx::query_scalar(
            "INSERT INTO consultations (organ_id, title, body, starts_on, ends_on) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(organ_id)
            .bind(title)
            .bind(body)
            .bind(starts_on)
            .bind(ends_on)
            .fetch_one(c)
            .await)?)
    }

    pub async fn set_consultation_published(&mut self, id: i64, published: bool) -> Result<()> {
        on_tx!(self, c => sqlx::query("UPDATE consultations SET published = $1 WHERE id = $2")
            .bind(i64::from(published))
            .bind(id)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn set_consultation_feedback(
        &mut self,
        id: i64,
        feedback: &str,
        on: NaiveDate,
    ) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "UPDATE consultations SET feedback = $1, feedback_on = $2 WHERE id = $3")
            .bind(feedback)
            .bind(on)
            .bind(id)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Files a comment; fails on a form already sent (its code is unique).
    pub async fn insert_comment(
        &mut self,
        consultation_id: i64,
        received_on: NaiveDate,
        name: &str,
        contact: &str,
        body: &str,
        form_code: &str,
    ) -> Result<i64> {
        Ok(on_tx!(self, c => sqlx::query_scalar(
            "INSERT INTO consultation_comments (consultation_id, received_on, name, contact, body, form_code) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
            .bind(consultation_id)
            .bind(received_on)
            .bind(name)
            .bind(contact)
            .bind(body)
            .bind(form_code)
            .fetch_one(c)
            .await)?)
    }
}
