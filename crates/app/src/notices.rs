//! 公示: notices shown on the portal for a period (a draft until a reviewer publishes it), and the
//! office's settings the 公开指南 is generated from.

use crate::audit::{Action, Change, record};
use crate::{Actor, App, Done, Error, FieldError, Perm, Result};
use chrono::NaiveDate;
use gongkai_store::portal::{Announcement, OrganSettings};

/// A new 公示 as the form gives it.
#[derive(Debug, Clone, Default)]
pub struct NewNotice {
    pub organ_id: i64,
    pub title: String,
    pub body: String,
    pub starts_on: String,
    pub ends_on: String,
}

impl NewNotice {
    fn check(&self) -> Result<(String, String, NaiveDate, NaiveDate), Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = self.title.trim();
        if title.is_empty() {
            errors.push(FieldError::new("title", "请填写公示标题"));
        }
        if title.chars().count() > crate::items::MAX_TITLE {
            errors.push(FieldError::new(
                "title",
                format!("公示标题不能超过{}字", crate::items::MAX_TITLE),
            ));
        }
        if self.body.trim().chars().count() > crate::items::MAX_BODY {
            errors.push(FieldError::new(
                "body",
                format!("公示内容不能超过{}字", crate::items::MAX_BODY),
            ));
        }
        let mut date = |field, what: &str, s: &str| match crate::items::parse_date(field, what, s) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.push(FieldError::new(field, format!("请填写{what}")));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let s = date("starts_on", "公示开始日期", &self.starts_on);
        let e = date("ends_on", "公示结束日期", &self.ends_on);
        if let (Some(s), Some(e)) = (s, e)
            && e < s
        {
            errors.push(FieldError::new(
                "ends_on",
                format!("公示结束日期 {e} 早于开始日期 {s}"),
            ));
        }
        match (s, e) {
            (Some(s), Some(e)) if errors.is_empty() => {
                Ok((title.to_string(), self.body.trim().to_string(), s, e))
            }
            _ => Err(errors),
        }
    }
}

pub async fn create(app: &App, actor: &Actor, n: NewNotice) -> Result<Done<Announcement>> {
    actor.require(app, Perm::Edit, n.organ_id).await?;
    let (title, body, s, e) = n.check().map_err(Error::Invalid)?;
    let mut tx = app.db.begin().await?;
    let id = tx
        .insert_announcement(n.organ_id, &title, &body, s, e, false)
        .await?;
    let a = Announcement {
        id,
        organ_id: n.organ_id,
        title,
        body,
        starts_on: s,
        ends_on: e,
        published: 0,
    };
    record(
        app,
        &mut tx,
        actor,
        Change::new(Some(n.organ_id), Action::Create, "announcement", id).after(&a),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(a))
}

pub async fn publish(app: &App, actor: &Actor, id: i64) -> Result<Done<Announcement>> {
    let a = app
        .db
        .announcement(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("公示（编号 {id}）")))?;
    actor.require(app, Perm::Review, a.organ_id).await?;
    let mut tx = app.db.begin().await?;
    tx.set_announcement_published(id, true).await?;
    let after = Announcement {
        published: 1,
        ..a.clone()
    };
    record(
        app,
        &mut tx,
        actor,
        Change::new(Some(a.organ_id), Action::Publish, "announcement", id)
            .before(&a)
            .after(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(after))
}

/// The shortest 补正 period an organ may set, in working days.
pub const MIN_CORRECTION_DAYS: i64 = 5;

/// Longest value of one setting.
pub const MAX_SETTING: usize = 500;

pub async fn save_settings(
    app: &App,
    actor: &Actor,
    organ_id: i64,
    s: OrganSettings,
) -> Result<Done<OrganSettings>> {
    actor.require(app, Perm::Admin, organ_id).await?;
    let fields = [
        &s.office_name,
        &s.address,
        &s.postcode,
        &s.hours,
        &s.phone,
        &s.fax,
        &s.email,
        &s.website,
        &s.review_body,
        &s.court,
        &s.appeal_body,
        &s.fee_payment,
    ];
    if fields.iter().any(|v| v.chars().count() > MAX_SETTING)
        || s.extra.chars().count() > 10 * MAX_SETTING
    {
        return Err(Error::invalid(
            "",
            format!("每项设置不能超过{MAX_SETTING}字"),
        ));
    }
    // Art. 30: a reasonable period for a 补正, in working days — not a few days.
    if s.correction_days != 0 && !(MIN_CORRECTION_DAYS..=60).contains(&s.correction_days) {
        return Err(Error::invalid(
            "correction_days",
            format!("补正期限应为{MIN_CORRECTION_DAYS}至60个工作日"),
        ));
    }
    if s.public_institution != 0 && s.appeal_body.trim().is_empty() {
        return Err(Error::invalid(
            "appeal_body",
            "公共企事业单位须填写受理申诉的主管部门（条例第五十五条）",
        ));
    }
    let before = app.db.organ_settings(organ_id).await?;
    let mut tx = app.db.begin().await?;
    tx.set_organ_settings(organ_id, &s).await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(Some(organ_id), Action::Update, "organ_settings", organ_id)
            .before(&before)
            .after(&s),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(s))
}
