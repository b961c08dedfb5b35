//! Letters (局长信箱 and other channels) and their channels.

use super::*;
use crate::{Db, Result, Tx, on_pool, on_tx};

#[derive(sqlx::FromRow)]
struct ChannelRow {
    id: i64,
    name: String,
    full_name: String,
    position: i32,
}

#[derive(sqlx::FromRow)]
struct LetterRow {
    id: i64,
    organ_id: i64,
    channel_id: i64,
    received_on: NaiveDate,
    subject: String,
    reply: String,
    replied_on: Option<NaiveDate>,
    due_on: Option<NaiveDate>,
}

fn channel_from(r: ChannelRow) -> LetterChannel {
    LetterChannel {
        id: r.id,
        name: r.name,
        full_name: r.full_name,
        position: r.position,
    }
}

impl Tx {
    pub async fn letter_channels(&mut self) -> Result<Vec<LetterChannel>> {
        let rows: Vec<ChannelRow> = on_tx!(self, c => sqlx::query_as(
            "SELECT id, name, full_name, position FROM letter_channels ORDER BY position, id")
            .fetch_all(c)
            .await)?;
        Ok(rows.into_iter().map(channel_from).collect())
    }

    /// Adds a channel (configurable list); returns the existing one's id when the name is taken.
    pub async fn add_letter_channel(&mut self, name: &str, full_name: &str) -> Result<i64> {
        if let Some(c) = self
            .letter_channels()
            .await?
            .into_iter()
            .find(|c| c.name == name)
        {
            return Ok(c.id);
        }
        let id: i64 = on_tx!(self, c => sqlx::query_scalar(
            "INSERT INTO letter_channels (name, full_name, position) \
             VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM letter_channels)) RETURNING id")
            .bind(name.trim())
            .bind(full_name.trim())
            .fetch_one(c)
            .await)?;
        Ok(id)
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn insert_letter(
        &mut self,
        organ_id: i64,
        channel_id: i64,
        received_on: NaiveDate,
        subject: &str,
        reply: &str,
        replied_on: Option<NaiveDate>,
        due_on: Option<NaiveDate>,
    ) -> Result<i64> {
        if let Some(r) = replied_on
            && r < received_on
        {
            return Err(Error::Invalid(format!(
                "答复日期 {r} 早于收到日期 {received_on}"
            )));
        }
        let id: i64 = on_tx!(self, c => sqlx::query_scalar(
            "INSERT INTO letters (organ_id, channel_id, received_on, subject, reply, replied_on, due_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(organ_id)
            .bind(channel_id)
            .bind(received_on)
            .bind(subject)
            .bind(reply)
            .bind(replied_on)
            .bind(due_on)
            .fetch_one(c)
            .await)?;
        Ok(id)
    }
}

impl Db {
    pub async fn letter_channels(&self) -> Result<Vec<LetterChannel>> {
        let rows: Vec<ChannelRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, name, full_name, position FROM letter_channels ORDER BY position, id")
            .fetch_all(p)
            .await)?;
        Ok(rows.into_iter().map(channel_from).collect())
    }

    pub async fn letters(
        &self,
        organ_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Letter>> {
        let rows: Vec<LetterRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, organ_id, channel_id, received_on, subject, reply, replied_on, due_on FROM letters \
             WHERE organ_id = $1 AND received_on >= $2 AND received_on <= $3 ORDER BY received_on, id")
            .bind(organ_id)
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|r| Letter {
                id: r.id,
                organ_id: r.organ_id,
                channel_id: r.channel_id,
                received_on: r.received_on,
                subject: r.subject,
                reply: r.reply,
                replied_on: r.replied_on,
                due_on: r.due_on,
            })
            .collect())
    }
}
