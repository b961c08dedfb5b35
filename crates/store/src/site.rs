//! The site's identity (`site_settings`, one row), the 办事指南 of the 事项 register (`service_guides`) and the explanations an office gives for an
//! empty column of its catalogue (`category_notes`), with what the column check reads: how many
//! published items each column holds and when the newest was published.

use crate::{Db, Result, on_pool, on_tx};
use chrono::NaiveDate;
use gongkai_domain::records::ServiceGuide;
use serde::{Deserialize, Serialize};

/// The site's identity as the footer, the titles and the 联系我们, privacy and copyright pages
/// show it. Empty fields are not shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct SiteSettings {
    /// 网站名称 (the home page's title).
    #[serde(default)]
    pub site_name: String,
    /// 主办单位.
    #[serde(default)]
    pub sponsor: String,
    /// 网站标识码 (政府网站 identification code).
    #[serde(default)]
    pub site_code: String,
    /// ICP 备案 number (linked to beian.miit.gov.cn).
    #[serde(default)]
    pub icp: String,
    /// 公安机关备案 number (linked to beian.mps.gov.cn).
    #[serde(default)]
    pub police_record: String,
    /// 联系我们.
    #[serde(default)]
    pub contact: String,
    /// 隐私声明.
    #[serde(default)]
    pub privacy: String,
    /// 版权声明.
    #[serde(default)]
    pub copyright: String,
}

/// Why an empty column is empty, as written by the office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CategoryNote {
    pub category_id: i64,
    pub note: String,
    pub noted_on: NaiveDate,
    pub noted_by: String,
}

/// How many published items a column holds itself (not its sub-columns) and the newest one's
/// publication day.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CategoryActivity {
    pub category_id: i64,
    pub published: i64,
    pub latest: Option<NaiveDate>,
    /// Of them, 规章 and 行政规范性文件, and the newest of those.
    pub regulations: i64,
    pub regulations_latest: Option<NaiveDate>,
}

impl Db {
    pub async fn site_settings(&self) -> Result<SiteSettings> {
        let row: Option<SiteSettings> = on_pool!(self, p => sqlx::query_as(
            "SELECT site_name, sponsor, site_code, icp, police_record, contact, privacy, copyright \
             FROM site_settings WHERE id = 1")
            .fetch_optional(p)
            .await)?;
        Ok(row.unwrap_or_default())
    }

    /// The 党政机关网站标识 image and its content type, when one was uploaded.
    pub async fn site_badge(&self) -> Result<Option<(String, Vec<u8>)>> {
        let row: Option<(String, Option<Vec<u8>>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT badge_type, badge FROM site_settings WHERE id = 1")
            .fetch_optional(p)
            .await)?;
        Ok(row.and_then(|(t, b)| b.map(|b| (t, b))))
    }

    /// The explanations of the columns of these organs.
    pub async fn category_notes(&self, organs: &[i64]) -> Result<Vec<CategoryNote>> {
        let mut out = Vec::new();
        for &o in organs {
            let rows: Vec<CategoryNote> = on_pool!(self, p => sqlx::query_as(
                "SELECT n.category_id, n.note, n.noted_on, n.noted_by FROM category_notes n \
                 JOIN categories c ON c.id = n.category_id WHERE c.organ_id = $1 ORDER BY n.category_id")
                .bind(o)
                .fetch_all(p)
                .await)?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// The explanation of one column, if any.
    pub async fn category_note(&self, category_id: i64) -> Result<Option<CategoryNote>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT category_id, note, noted_on, noted_by FROM category_notes WHERE category_id = $1")
            .bind(category_id)
            .fetch_optional(p)
            .await)?)
    }

    /// Published items per column of an organ, and the newest publication day of each.
    pub async fn category_activity(&self, organ_id: i64) -> Result<Vec<CategoryActivity>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT category_id, COUNT(*) AS published, MAX(published_on) AS latest, \
             SUM(CASE WHEN doc_kind IN ('regulation', 'normative') THEN 1 ELSE 0 END) AS regulations, \
             MAX(CASE WHEN doc_kind IN ('regulation', 'normative') THEN published_on END) AS regulations_latest \
             FROM catalogue_items WHERE organ_id = $1 AND status = 'published' \
             AND published_on IS NOT NULL GROUP BY category_id ORDER BY category_id")
            .bind(organ_id)
            .fetch_all(p)
            .await)?)
    }
}

impl crate::Tx {
    pub async fn set_site_settings(&mut self, s: &SiteSettings) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "INSERT INTO site_settings (id, site_name, sponsor, site_code, icp, police_record, contact, privacy, copyright) \
             VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO UPDATE SET \
             site_name = excluded.site_name, sponsor = excluded.sponsor, site_code = excluded.site_code, \
             icp = excluded.icp, police_record = excluded.police_record, contact = excluded.contact, \
             privacy = excluded.privacy, copyright = excluded.copyright")
            .bind(&s.site_name)
            .bind(&s.sponsor)
            .bind(&s.site_code)
            .bind(&s.icp)
            .bind(&s.police_record)
            .bind(&s.contact)
            .bind(&s.privacy)
            .bind(&s.copyright)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Keeps the 党政机关网站标识 image (`None` removes it).
    pub async fn set_site_badge(&mut self, badge: Option<(&str, &[u8])>) -> Result<()> {
        let (t, b) = match badge {
            Some((t, b)) => (t.to_string(), Some(b.to_vec())),
            None => (String::new(), None),
        };
        on_tx!(self, c => sqlx::query(
            "INSERT INTO site_settings (id, badge_type, badge) VALUES (1, $1, $2) \
             ON CONFLICT (id) DO UPDATE SET badge_type = excluded.badge_type, badge = excluded.badge")
            .bind(&t)
            .bind(&b)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Writes (or, with an empty text, removes) the explanation of a column.
    pub async fn set_category_note(
        &mut self,
        category_id: i64,
        note: &str,
        on: NaiveDate,
        by: &str,
    ) -> Result<()> {
        if note.is_empty() {
            on_tx!(self, c => sqlx::query("DELETE FROM category_notes WHERE category_id = $1")
                .bind(category_id)
                .execute(c)
                .await
                .map(|_| ()))?;
            return Ok(());
        }
        on_tx!(self, c => sqlx::query(
            "INSERT INTO category_notes (category_id, note, noted_on, noted_by) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (category_id) DO UPDATE SET note = excluded.note, noted_on = excluded.noted_on, \
             noted_by = excluded.noted_by")
            .bind(category_id)
            .bind(note)
            .bind(on)
            .bind(by)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}

// ------------------------------------------------------------------ 办事指南

#[derive(sqlx::FromRow)]
struct GuideRow {
    matter_id: i64,
    basis: String,
    conditions: String,
    materials: String,
    place: String,
    hours: String,
    phone: String,
    process: String,
    time_limit: String,
    fee: String,
    updated_on: NaiveDate,
}

impl From<GuideRow> for (i64, ServiceGuide, NaiveDate) {
    fn from(r: GuideRow) -> Self {
        (
            r.matter_id,
            ServiceGuide {
                basis: r.basis,
                conditions: r.conditions,
                materials: r.materials,
                place: r.place,
                hours: r.hours,
                phone: r.phone,
                process: r.process,
                time_limit: r.time_limit,
                fee: r.fee,
            },
            r.updated_on,
        )
    }
}

impl Db {
    /// The 办事指南 of an organ's matters: matter id, guide, day last changed.
    pub async fn service_guides(
        &self,
        organ_id: i64,
    ) -> Result<Vec<(i64, ServiceGuide, NaiveDate)>> {
        let rows: Vec<GuideRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT g.matter_id, g.basis, g.conditions, g.materials, g.place, g.hours, g.phone, \
             g.process, g.time_limit, g.fee, g.updated_on FROM service_guides g \
             JOIN matters m ON m.id = g.matter_id WHERE m.organ_id = $1 ORDER BY g.matter_id")
            .bind(organ_id)
            .fetch_all(p)
            .await)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
}

impl crate::Tx {
    pub async fn set_service_guide(
        &mut self,
        matter_id: i64,
        g: &ServiceGuide,
        on: NaiveDate,
    ) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "INSERT INTO service_guides (matter_id, basis, conditions, materials, place, hours, phone, process, time_limit, fee, updated_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (matter_id) DO UPDATE SET \
             basis = excluded.basis, conditions = excluded.conditions, materials = excluded.materials, \
             place = excluded.place, hours = excluded.hours, phone = excluded.phone, process = excluded.process, \
             time_limit = excluded.time_limit, fee = excluded.fee, updated_on = excluded.updated_on")
            .bind(matter_id)
            .bind(&g.basis)
            .bind(&g.conditions)
            .bind(&g.materials)
            .bind(&g.place)
            .bind(&g.hours)
            .bind(&g.phone)
            .bind(&g.process)
            .bind(&g.time_limit)
            .bind(&g.fee)
            .bind(on)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}

// ------------------------------------------------------------------ 政府网站工作年度报表

/// A year's 政府网站工作年度报表 as kept: the entered figures (JSON), and the published form
/// (JSON) with its day.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct SiteFormRow {
    pub year: i64,
    pub entered: String,
    pub published: Option<String>,
    pub published_on: Option<NaiveDate>,
}

impl Db {
    pub async fn site_form(&self, year: i32) -> Result<Option<SiteFormRow>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT year, entered, published, published_on FROM site_annual_forms WHERE year = $1")
            .bind(year as i64)
            .fetch_optional(p)
            .await)?)
    }

    /// The years whose form is published, newest first.
    pub async fn published_site_forms(&self) -> Result<Vec<SiteFormRow>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT year, entered, published, published_on FROM site_annual_forms \
             WHERE published IS NOT NULL ORDER BY year DESC")
            .fetch_all(p)
            .await)?)
    }

    /// Items published between two days (inclusive), per organ and column.
    pub async fn published_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, i64, i64)>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT organ_id, category_id, COUNT(*) FROM catalogue_items \
             WHERE status = 'published' AND published_on >= $1 AND published_on <= $2 \
             GROUP BY organ_id, category_id ORDER BY organ_id, category_id")
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await)?)
    }

    /// Interpretations published between two days that explain a document: how many links, and
    /// how many interpretations.
    pub async fn interpretations_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(i64, i64)> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT COUNT(*), COUNT(DISTINCT l.interpretation_id) FROM item_interpretations l \
             JOIN catalogue_items i ON i.id = l.interpretation_id \
             WHERE i.status = 'published' AND i.published_on >= $1 AND i.published_on <= $2")
            .bind(from)
            .bind(to)
            .fetch_one(p)
            .await)?)
    }
}

impl crate::Tx {
    pub async fn set_site_form_entered(&mut self, year: i32, entered: &str) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "INSERT INTO site_annual_forms (year, entered) VALUES ($1, $2) \
             ON CONFLICT (year) DO UPDATE SET entered = excluded.entered")
            .bind(year as i64)
            .bind(entered)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn publish_site_form(&mut self, year: i32, form: &str, on: NaiveDate) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "INSERT INTO site_annual_forms (year, published, published_on) VALUES ($1, $2, $3) \
             ON CONFLICT (year) DO UPDATE SET published = excluded.published, published_on = excluded.published_on")
            .bind(year as i64)
            .bind(form)
            .bind(on)
            .execute(c)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}
