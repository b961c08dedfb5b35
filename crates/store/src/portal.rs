//! Records only the portal needs (issue 4): what the 公开指南 says about the office, the full text
//! and attachments of catalogue items, policy interpretations linked both ways, 公示, the working
//! draft of a year's report and its frozen published versions, and letters sent through the
//! portal's form.

use crate::users::now_secs;
use crate::{Db, Error, Result, on_pool, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The office details the 政府信息公开指南 (art. 12) is generated from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[serde(default)]
pub struct OrganSettings {
    pub office_name: String,
    pub address: String,
    pub postcode: String,
    pub hours: String,
    pub phone: String,
    pub fax: String,
    pub email: String,
    pub website: String,
    pub extra: String,
    /// 行政复议机关: where an applicant asks for an administrative review of a reply.
    pub review_body: String,
    /// 行政诉讼管辖法院: the court an applicant may sue the organ in.
    pub court: String,
    /// 1 when the organ is a public institution replying under art. 55 (a school, a hospital):
    /// its replies name the 申诉 to `appeal_body`, not review or suit.
    #[serde(deserialize_with = "lenient_i64")]
    pub public_institution: i64,
    /// The competent department that hears a 申诉 against a public institution (art. 55).
    pub appeal_body: String,
    /// How a 信息处理费 is paid (account, place, online); the fee notice prints it.
    pub fee_payment: String,
    /// The period given for a 补正, in working days (art. 30; 15 unless the organ sets another).
    #[serde(deserialize_with = "lenient_i64")]
    pub correction_days: i64,
}

/// A number given as a number (JSON) or as text (a form field, a checkbox's "1"); empty or
/// unreadable text is 0, which the readers take as "not set".
fn lenient_i64<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<i64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum N {
        I(i64),
        S(String),
    }
    Ok(match N::deserialize(d)? {
        N::I(i) => i,
        N::S(s) => s.trim().parse().unwrap_or(0),
    })
}

/// The 补正 period when an organ has set none, in working days.
pub const DEFAULT_CORRECTION_DAYS: i64 = 15;

impl OrganSettings {
    /// The 补正 period in working days: the organ's setting, or the default.
    pub fn correction_days(&self) -> u32 {
        if self.correction_days > 0 {
            self.correction_days as u32
        } else {
            DEFAULT_CORRECTION_DAYS as u32
        }
    }
}

/// 公示: a notice with the period it is shown for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Announcement {
    pub id: i64,
    pub organ_id: i64,
    pub title: String,
    pub body: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub published: i64,
}

/// An attachment's metadata (the bytes are fetched on their own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AttachmentInfo {
    pub id: i64,
    pub item_id: i64,
    pub filename: String,
    pub content_type: String,
}

/// A frozen, published version of a year's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct PublishedReport {
    pub id: i64,
    pub organ_id: i64,
    pub year: i32,
    pub version: i32,
    pub report_json: String,
    pub html: String,
    pub reason: String,
    pub published_at: DateTime<Utc>,
    pub published_by: String,
}

/// The working copy of a year's report.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReportDraft {
    pub organ_id: i64,
    pub year: i32,
    pub report_json: String,
    pub generated_at: DateTime<Utc>,
}

/// A letter sent through the portal, as its writer sees it by query code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct PortalLetter {
    pub letter_id: i64,
    pub organ_id: i64,
    pub query_code: String,
    pub subject: String,
    pub body: String,
    pub received_on: NaiveDate,
    pub reply: String,
    pub replied_on: Option<NaiveDate>,
    pub reply_public: i64,
    /// The writer agreed that the letter and its reply may be published (1) or not (0).
    pub publish_consent: i64,
}

impl Db {
    pub async fn organ_settings(&self, organ_id: i64) -> Result<OrganSettings> {
        let row: Option<OrganSettings> = on_pool!(self, p => sqlx::query_as(
            "SELECT office_name, address, postcode, hours, phone, fax, email, website, extra, \
             review_body, court, public_institution, appeal_body, fee_payment, correction_days \
             FROM organ_settings WHERE organ_id = $1")
            .bind(organ_id)
            .fetch_optional(p)
            .await)?;
        Ok(row.unwrap_or_default())
    }

    // ------------------------------------------------------------------ item bodies and links

    pub async fn item_body(&self, item_id: i64) -> Result<String> {
        let b: Option<String> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT body FROM item_bodies WHERE item_id = $1")
            .bind(item_id)
            .fetch_optional(p)
            .await)?;
        Ok(b.unwrap_or_default())
    }

    /// The interpretations of a policy document.
    pub async fn interpretations_of(&self, policy_id: i64) -> Result<Vec<i64>> {
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "SELECT interpretation_id FROM item_interpretations WHERE policy_id = $1 ORDER BY interpretation_id")
            .bind(policy_id)
            .fetch_all(p)
            .await)?)
    }

    /// The policy documents an interpretation explains.
    pub async fn policies_interpreted_by(&self, interpretation_id: i64) -> Result<Vec<i64>> {
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "SELECT policy_id FROM item_interpretations WHERE interpretation_id = $1 ORDER BY policy_id")
            .bind(interpretation_id)
            .fetch_all(p)
            .await)?)
    }

    // ------------------------------------------------------------------ attachments

    pub async fn attachments(&self, item_id: i64) -> Result<Vec<AttachmentInfo>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT id, item_id, filename, content_type FROM item_attachments WHERE item_id = $1 ORDER BY id")
            .bind(item_id)
            .fetch_all(p)
            .await)?)
    }

    pub async fn attachment(&self, id: i64) -> Result<Option<(AttachmentInfo, Vec<u8>)>> {
        let info: Option<AttachmentInfo> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, item_id, filename, content_type FROM item_attachments WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await)?;
        let Some(info) = info else { return Ok(None) };
        let data: Vec<u8> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT data FROM item_attachments WHERE id = $1")
            .bind(id)
            .fetch_one(p)
            .await)?;
        Ok(Some((info, data)))
    }

    // ------------------------------------------------------------------ 公示

    /// The 公示 of an organ, newest first; only published ones unless `all`.
    pub async fn announcements(&self, organ_id: i64, all: bool) -> Result<Vec<Announcement>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT id, organ_id, title, body, starts_on, ends_on, published FROM announcements \
             WHERE organ_id = $1 AND (published = 1 OR $2 = 1) ORDER BY starts_on DESC, id DESC")
            .bind(organ_id)
            .bind(i64::from(all))
            .fetch_all(p)
            .await)?)
    }

    pub async fn announcement(&self, id: i64) -> Result<Option<Announcement>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT id, organ_id, title, body, starts_on, ends_on, published FROM announcements WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await)?)
    }

    // ------------------------------------------------------------------ reports

    pub async fn report_draft(&self, organ_id: i64, year: i32) -> Result<Option<ReportDraft>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT organ_id, year, report_json, generated_at FROM report_drafts WHERE organ_id = $1 AND year = $2")
            .bind(organ_id)
            .bind(year)
            .fetch_optional(p)
            .await)?)
    }

    pub async fn published_report(&self, id: i64) -> Result<Option<PublishedReport>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT id, organ_id, year, version, report_json, html, reason, published_at, published_by \
             FROM published_reports WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await)?)
    }

    /// Every published version of every year of an organ, newest year first, versions in order.
    pub async fn published_reports(&self, organ_id: i64) -> Result<Vec<PublishedReport>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT id, organ_id, year, version, report_json, html, reason, published_at, published_by \
             FROM published_reports WHERE organ_id = $1 ORDER BY year DESC, version")
            .bind(organ_id)
            .fetch_all(p)
            .await)?)
    }

    // ------------------------------------------------------------------ letters from the portal

    const PORTAL_LETTER_SQL: &'static str = "SELECT l.id AS letter_id, l.organ_id, p.query_code, l.subject, p.body, l.received_on, l.reply, \
         l.replied_on, p.reply_public, p.publish_consent FROM letters l JOIN letter_portal p ON p.letter_id = l.id";

    pub async fn portal_letter_by_code(&self, code: &str) -> Result<Option<PortalLetter>> {
        let sql = format!("{} WHERE p.query_code = $1", Self::PORTAL_LETTER_SQL);
        Ok(
            on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(code.trim()).fetch_optional(p).await)?,
        )
    }

    pub async fn portal_letter(&self, letter_id: i64) -> Result<Option<PortalLetter>> {
        let sql = format!("{} WHERE l.id = $1", Self::PORTAL_LETTER_SQL);
        Ok(
            on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(letter_id).fetch_optional(p).await)?,
        )
    }

    /// Letters of an organ sent through the portal; only those with a public reply unless `all`.
    pub async fn portal_letters(&self, organ_id: i64, all: bool) -> Result<Vec<PortalLetter>> {
        let sql = format!(
            "{} WHERE l.organ_id = $1 AND ($2 = 1 OR (p.reply_public = 1 AND l.replied_on IS NOT NULL)) \
             ORDER BY l.received_on DESC, l.id DESC",
            Self::PORTAL_LETTER_SQL
        );
        Ok(
            on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(organ_id).bind(i64::from(all)).fetch_all(p).await)?,
        )
    }
}

// ---------------------------------------------------------------------- application query codes

impl Db {
    /// The application a query code was given to.
    /// The query code of a case (online, or handed to a paper applicant on the acknowledgement).
    pub async fn application_code(&self, application_id: i64) -> Result<Option<String>> {
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "SELECT query_code FROM application_codes WHERE application_id = $1")
            .bind(application_id)
            .fetch_optional(p)
            .await)?)
    }

    pub async fn application_id_by_code(&self, code: &str) -> Result<Option<i64>> {
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "SELECT application_id FROM application_codes WHERE query_code = $1")
            .bind(code.trim())
            .fetch_optional(p)
            .await)?)
    }
}

// Writes, inside a caller's transaction.
impl crate::Tx {
    /// Gives an application the query code its applicant looks it up by.
    pub async fn set_application_code(&mut self, application_id: i64, code: &str) -> Result<()> {
        on_tx!(self, p => sqlx::query("INSERT INTO application_codes (application_id, query_code) VALUES ($1, $2)")
            .bind(application_id)
            .bind(code)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn set_organ_settings(&mut self, organ_id: i64, s: &OrganSettings) -> Result<()> {
        on_tx!(self, p => sqlx::query(
            "INSERT INTO organ_settings (organ_id, office_name, address, postcode, hours, phone, fax, email, website, extra, review_body, court, \
             public_institution, appeal_body, fee_payment, correction_days) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (organ_id) DO UPDATE SET \
             office_name = excluded.office_name, address = excluded.address, postcode = excluded.postcode, \
             hours = excluded.hours, phone = excluded.phone, fax = excluded.fax, email = excluded.email, \
             website = excluded.website, extra = excluded.extra, review_body = excluded.review_body, \
             court = excluded.court, public_institution = excluded.public_institution, \
             appeal_body = excluded.appeal_body, fee_payment = excluded.fee_payment, \
             correction_days = excluded.correction_days")
            .bind(organ_id)
            .bind(&s.office_name)
            .bind(&s.address)
            .bind(&s.postcode)
            .bind(&s.hours)
            .bind(&s.phone)
            .bind(&s.fax)
            .bind(&s.email)
            .bind(&s.website)
            .bind(&s.extra)
            .bind(&s.review_body)
            .bind(&s.court)
            .bind(s.public_institution)
            .bind(&s.appeal_body)
            .bind(&s.fee_payment)
            .bind(s.correction_days)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn set_item_body(&mut self, item_id: i64, body: &str) -> Result<()> {
        on_tx!(self, p => sqlx::query(
            "INSERT INTO item_bodies (item_id, body) VALUES ($1, $2) \
             ON CONFLICT (item_id) DO UPDATE SET body = excluded.body")
            .bind(item_id)
            .bind(body)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Links a policy document to its interpretation; both must belong to the same organ.
    pub async fn link_interpretation(
        &mut self,
        policy_id: i64,
        interpretation_id: i64,
    ) -> Result<()> {
        if policy_id == interpretation_id {
            return Err(Error::Invalid("文件不能解读它自己".into()));
        }
        let (a, b) = (
            self.item(policy_id).await?,
            self.item(interpretation_id).await?,
        );
        match (a, b) {
            (Some(a), Some(b)) if a.organ_id == b.organ_id => {}
            (Some(_), Some(_)) => {
                return Err(Error::Invalid("政策文件与解读须属于同一机关".into()));
            }
            _ => return Err(Error::NotFound("要关联的条目".into())),
        }
        on_tx!(self, p => sqlx::query(
            "INSERT INTO item_interpretations (policy_id, interpretation_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(policy_id)
            .bind(interpretation_id)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Updates the editable fields of an item that is not published yet.
    #[allow(clippy::too_many_arguments)]
    pub async fn update_draft_item(
        &mut self,
        item_id: i64,
        title: &str,
        summary: &str,
        category_id: i64,
        issuing_unit: &str,
        written_on: Option<NaiveDate>,
        doc_number: &str,
    ) -> Result<()> {
        let n = on_tx!(self, p => sqlx::query(
            "UPDATE catalogue_items SET title = $1, summary = $2, category_id = $3, issuing_unit = $4, \
             written_on = $5, doc_number = $6 WHERE id = $7 AND status IN ('draft', 'in_review')")
            .bind(title)
            .bind(summary)
            .bind(category_id)
            .bind(issuing_unit)
            .bind(written_on)
            .bind(doc_number)
            .bind(item_id)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(Error::Invalid("只有草稿或待审核的条目可以修改".into()));
        }
        Ok(())
    }

    pub async fn add_attachment(
        &mut self,
        item_id: i64,
        filename: &str,
        content_type: &str,
        data: &[u8],
    ) -> Result<i64> {
        Ok(on_tx!(self, p => sqlx::query_scalar(
            "INSERT INTO item_attachments (item_id, filename, content_type, data) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(item_id)
            .bind(filename)
            .bind(content_type)
            .bind(data)
            .fetch_one(p)
            .await)?)
    }

    pub async fn insert_announcement(
        &mut self,
        organ_id: i64,
        title: &str,
        body: &str,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
        published: bool,
    ) -> Result<i64> {
        if title.trim().is_empty() {
            return Err(Error::Invalid("公示标题不能为空".into()));
        }
        if ends_on < starts_on {
            return Err(Error::Invalid(format!(
                "公示结束日期 {ends_on} 早于开始日期 {starts_on}"
            )));
        }
        Ok(on_tx!(self, p => sqlx::query_scalar(
            "INSERT INTO announcements (organ_id, title, body, starts_on, ends_on, published) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
            .bind(organ_id)
            .bind(title.trim())
            .bind(body)
            .bind(starts_on)
            .bind(ends_on)
            .bind(i64::from(published))
            .fetch_one(p)
            .await)?)
    }

    pub async fn set_announcement_published(&mut self, id: i64, published: bool) -> Result<()> {
        on_tx!(self, p => sqlx::query("UPDATE announcements SET published = $1 WHERE id = $2")
            .bind(i64::from(published))
            .bind(id)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn save_report_draft(
        &mut self,
        organ_id: i64,
        year: i32,
        report_json: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        on_tx!(self, p => sqlx::query(
            "INSERT INTO report_drafts (organ_id, year, report_json, generated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (organ_id, year) DO UPDATE SET report_json = excluded.report_json, \
             generated_at = excluded.generated_at")
            .bind(organ_id)
            .bind(year)
            .bind(report_json)
            .bind(now_secs(now))
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Publishes a new version of a year's report. The first version needs no reason; every
    /// later one is a correction and must say why. Earlier versions are never touched.
    #[allow(clippy::too_many_arguments)]
    pub async fn publish_report(
        &mut self,
        organ_id: i64,
        year: i32,
        report_json: &str,
        html: &str,
        reason: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<PublishedReport> {
        let last: Option<i32> = crate::on_tx!(self, c => sqlx::query_scalar(
            "SELECT MAX(version) FROM published_reports WHERE organ_id = $1 AND year = $2")
            .bind(organ_id)
            .bind(year)
            .fetch_one(c)
            .await)?;
        let version = last.unwrap_or(0) + 1;
        if version > 1 && reason.trim().is_empty() {
            return Err(Error::Invalid(format!(
                "{year}年度报告已发布第{}版；更正发布新版本必须说明更正原因",
                version - 1
            )));
        }
        let id: i64 = crate::on_tx!(self, c => sqlx::query_scalar(
            "INSERT INTO published_reports (organ_id, year, version, report_json, html, reason, published_at, published_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
            .bind(organ_id)
            .bind(year)
            .bind(version)
            .bind(report_json)
            .bind(html)
            .bind(reason.trim())
            .bind(now_secs(now))
            .bind(by)
            .fetch_one(c)
            .await)?;
        crate::on_tx!(self, c => sqlx::query_as(
            "SELECT id, organ_id, year, version, report_json, html, reason, published_at, published_by \
             FROM published_reports WHERE id = $1")
            .bind(id)
            .fetch_one(c)
            .await)
        .map_err(Error::from)
    }

    /// Records a letter written on the portal: the letter itself (A's table, so it counts in the
    /// report) and what only the portal knows (query code, writer, contact, full text).
    #[allow(clippy::too_many_arguments)]
    pub async fn insert_portal_letter(
        &mut self,
        organ_id: i64,
        channel_id: i64,
        received_on: NaiveDate,
        subject: &str,
        body: &str,
        writer_name: &str,
        contact: &str,
        query_code: &str,
    ) -> Result<i64> {
        let id: i64 = crate::on_tx!(self, c => sqlx::query_scalar(
            "INSERT INTO letters (organ_id, channel_id, received_on, subject, reply) VALUES ($1, $2, $3, $4, '') RETURNING id")
            .bind(organ_id)
            .bind(channel_id)
            .bind(received_on)
            .bind(subject)
            .fetch_one(c)
            .await)?;
        crate::on_tx!(self, c => sqlx::query(
            "INSERT INTO letter_portal (letter_id, query_code, writer_name, contact, body, reply_public) \
             VALUES ($1, $2, $3, $4, $5, 0)")
            .bind(id)
            .bind(query_code)
            .bind(writer_name)
            .bind(contact)
            .bind(body)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(id)
    }

    /// Records the writer's answer to "may this letter be published?".
    pub async fn set_letter_publish_consent(
        &mut self,
        letter_id: i64,
        consent: bool,
    ) -> Result<()> {
        crate::on_tx!(self, c => sqlx::query("UPDATE letter_portal SET publish_consent = $1 WHERE letter_id = $2")
            .bind(i64::from(consent))
            .bind(letter_id)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn reply_letter(
        &mut self,
        letter_id: i64,
        reply: &str,
        replied_on: NaiveDate,
        public: bool,
    ) -> Result<()> {
        crate::on_tx!(self, c => sqlx::query("UPDATE letters SET reply = $1, replied_on = $2 WHERE id = $3")
            .bind(reply)
            .bind(replied_on)
            .bind(letter_id)
            .execute(c)
            .await
            .map(|_| ()))?;
        crate::on_tx!(self, c => sqlx::query("UPDATE letter_portal SET reply_public = $1 WHERE letter_id = $2")
            .bind(i64::from(public))
            .bind(letter_id)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}

// The same writes, each in a transaction of its own, for callers with nothing else to write.
impl Db {
    pub async fn reply_letter(
        &self,
        letter_id: i64,
        reply: &str,
        replied_on: NaiveDate,
        public: bool,
    ) -> Result<()> {
        self.write(async |tx| tx.reply_letter(letter_id, reply, replied_on, public).await)
            .await
    }

    pub async fn set_organ_settings(&self, organ_id: i64, s: &OrganSettings) -> Result<()> {
        self.write(async |tx| tx.set_organ_settings(organ_id, s).await)
            .await
    }

    pub async fn set_item_body(&self, item_id: i64, body: &str) -> Result<()> {
        self.write(async |tx| tx.set_item_body(item_id, body).await)
            .await
    }

    pub async fn link_interpretation(&self, policy_id: i64, interpretation_id: i64) -> Result<()> {
        self.write(async |tx| tx.link_interpretation(policy_id, interpretation_id).await)
            .await
    }

    pub async fn add_attachment(
        &self,
        item_id: i64,
        filename: &str,
        content_type: &str,
        data: &[u8],
    ) -> Result<i64> {
        self.write(async |tx| {
            tx.add_attachment(item_id, filename, content_type, data)
                .await
        })
        .await
    }

    pub async fn insert_announcement(
        &self,
        organ_id: i64,
        title: &str,
        body: &str,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
        published: bool,
    ) -> Result<i64> {
        self.write(async |tx| {
            tx.insert_announcement(organ_id, title, body, starts_on, ends_on, published)
                .await
        })
        .await
    }

    pub async fn save_report_draft(
        &self,
        organ_id: i64,
        year: i32,
        report_json: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(async |tx| tx.save_report_draft(organ_id, year, report_json, now).await)
            .await
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn publish_report(
        &self,
        organ_id: i64,
        year: i32,
        report_json: &str,
        html: &str,
        reason: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<PublishedReport> {
        self.write(async |tx| {
            tx.publish_report(organ_id, year, report_json, html, reason, by, now)
                .await
        })
        .await
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn insert_portal_letter(
        &self,
        organ_id: i64,
        channel_id: i64,
        received_on: NaiveDate,
        subject: &str,
        body: &str,
        writer_name: &str,
        contact: &str,
        query_code: &str,
    ) -> Result<i64> {
        self.write(async |tx| {
            tx.insert_portal_letter(
                organ_id,
                channel_id,
                received_on,
                subject,
                body,
                writer_name,
                contact,
                query_code,
            )
            .await
        })
        .await
    }
}
