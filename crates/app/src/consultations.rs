//! 意见征集: an office puts a draft out for public comment for a period (editors draft it,
//! reviewers publish it), the public comments through the portal while the period runs (the
//! letter form's protections: a one-time token, the per-address limits, every error at once),
//! and the office publishes its feedback — what it adopted and why — once the period has ended.
//!
//! Our reading: the Regulation (art. 20 (一), and the 重大行政决策程序暂行条例 art. 15–16 it refers
//! drafts to) asks that drafts affecting the public be published for comment for at least 30 days
//! where a rule is made, and that the office state how the comments were taken up. We do not
//! impose 30 days (not every draft is a rule), but say so on the form; the feedback is refused
//! before the period ends, since comments may still come in.

use crate::audit::{Action, Change, record};
use crate::{Actor, App, Done, Error, FieldError, Perm, Result};
use chrono::NaiveDate;
use gongkai_store::consultations::{Comment, Consultation};

pub const MAX_TITLE: usize = 200;
pub const MAX_TEXT: usize = 50_000;
pub const MAX_NAME: usize = 50;
pub const MAX_CONTACT: usize = 100;
pub const MAX_COMMENT: usize = 5_000;
/// The period a rule's draft is open for comment (重大行政决策程序暂行条例 art. 15).
pub const RULE_DAYS: i64 = 30;

/// A draft as the back office's form gives it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct DraftInput {
    pub title: String,
    pub body: String,
    pub starts_on: String,
    pub ends_on: String,
}

/// A checked draft.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Draft {
    pub title: String,
    pub body: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl DraftInput {
    /// Every problem at once, by field.
    pub fn parse(&self) -> Result<Draft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = self.title.trim();
        if title.is_empty() || title.chars().count() > MAX_TITLE {
            errors.push(FieldError::new(
                "title",
                format!("请填写标题（不超过{MAX_TITLE}字）"),
            ));
        }
        let body = self.body.trim();
        if body.is_empty() || body.chars().count() > MAX_TEXT {
            errors.push(FieldError::new(
                "body",
                format!("请填写征求意见稿的内容（不超过{MAX_TEXT}字）"),
            ));
        }
        let date = |field: &'static str, what: &str, s: &str| match crate::items::parse_date(
            field, what, s,
        ) {
            Ok(Some(d)) => Ok(d),
            Ok(None) => Err(FieldError::new(field, format!("请填写{what}"))),
            Err(e) => Err(e),
        };
        let starts = date("starts_on", "征集开始日期", &self.starts_on);
        let ends = date("ends_on", "征集截止日期", &self.ends_on);
        match (&starts, &ends) {
            (Ok(a), Ok(b)) if b < a => errors.push(FieldError::new(
                "ends_on",
                format!("征集截止日期 {b} 早于开始日期 {a}"),
            )),
            _ => {}
        }
        for r in [&starts, &ends] {
            if let Err(e) = r {
                errors.push(e.clone());
            }
        }
        match (starts, ends) {
            (Ok(starts_on), Ok(ends_on)) if errors.is_empty() => Ok(Draft {
                title: title.to_string(),
                body: body.to_string(),
                starts_on,
                ends_on,
            }),
            _ => Err(errors),
        }
    }
}

/// Where a draft stands on `today`, in words a visitor reads.
pub fn stage(c: &Consultation, today: NaiveDate) -> &'static str {
    if today < c.starts_on {
        "尚未开始"
    } else if today <= c.ends_on {
        "正在征集"
    } else if c.feedback_on.is_some() {
        "已反馈"
    } else {
        "已截止"
    }
}

/// Whether comments are taken on `today`.
pub fn open(c: &Consultation, today: NaiveDate) -> bool {
    c.published != 0 && c.starts_on <= today && today <= c.ends_on
}

async fn get(app: &App, id: i64) -> Result<Consultation> {
    app.db
        .consultation(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("意见征集（编号 {id}）")))
}

/// Drafts a consultation (editors); published by [`publish`].
pub async fn create(
    app: &App,
    actor: &Actor,
    organ_id: i64,
    input: &DraftInput,
) -> Result<Done<i64>> {
    actor.require(app, Perm::Edit, organ_id).await?;
    let d = input.parse().map_err(Error::Invalid)?;
    let mut tx = app.db.begin().await?;
    let id = tx
        .insert_consultation(organ_id, &d.title, &d.body, d.starts_on, d.ends_on)
        .await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(Some(organ_id), Action::Create, "consultation", id).after(&d),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(id))
}

/// Publishes a drafted consultation on the portal (reviewers), or takes it off (`false`).
pub async fn publish(app: &App, actor: &Actor, id: i64, published: bool) -> Result<Done<()>> {
    let c = get(app, id).await?;
    actor.require(app, Perm::Review, c.organ_id).await?;
    let mut tx = app.db.begin().await?;
    tx.set_consultation_published(id, published).await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(
            Some(c.organ_id),
            if published {
                Action::Publish
            } else {
                Action::Withdraw
            },
            "consultation",
            id,
        )
        .before(&serde_json::json!({"published": c.published}))
        .after(&serde_json::json!({"published": i64::from(published)})),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(()))
}

/// Publishes the office's feedback on the comments (what was adopted, and why not the rest),
/// once the period has ended (reviewers).
pub async fn feedback(app: &App, actor: &Actor, id: i64, text: &str) -> Result<Done<()>> {
    let c = get(app, id).await?;
    actor.require(app, Perm::Review, c.organ_id).await?;
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_TEXT {
        return Err(Error::invalid(
            "feedback",
            format!("请填写意见采纳情况（不超过{MAX_TEXT}字）"),
        ));
    }
    let today = app.time.today();
    if today <= c.ends_on {
        return Err(Error::invalid(
            "feedback",
            format!(
                "征集期至{}止，期间仍可能收到意见：请在截止后发布采纳情况",
                c.ends_on
            ),
        ));
    }
    let mut tx = app.db.begin().await?;
    tx.set_consultation_feedback(id, text, today).await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(Some(c.organ_id), Action::Feedback, "consultation", id)
            .before(&serde_json::json!({"feedback": c.feedback}))
            .after(&serde_json::json!({"feedback": text})),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(()))
}

/// A comment as the portal's form gives it.
#[derive(Debug, Clone, Default)]
pub struct NewComment {
    pub name: String,
    pub contact: String,
    pub body: String,
}

impl NewComment {
    /// Every problem at once, by field (the contact checked as the letter form checks it).
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let letter = crate::letters::NewLetter {
            organ_id: 0,
            name: self.name.clone(),
            contact: self.contact.clone(),
            subject: "意见".into(),
            body: "意见".into(),
            publish_consent: Some(false),
        };
        if let Err(e) = letter.check() {
            errors.extend(e);
        }
        let body = self.body.trim();
        if body.is_empty() || body.chars().count() > MAX_COMMENT {
            errors.push(FieldError::new(
                "body",
                format!("请填写意见或建议（不超过{MAX_COMMENT}字）"),
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Whether a comment was filed under the form's code already (the same form sent again).
pub async fn filed(app: &App, form_code: &str) -> Result<bool> {
    Ok(app.db.comment_by_form(form_code).await?.is_some())
}

/// Files a comment on a draft open today, under the form's code (derived from its one-time
/// token): the same form sent again files nothing new. Returns whether it was filed now.
pub async fn comment(
    app: &App,
    actor: &Actor,
    id: i64,
    c: NewComment,
    form_code: &str,
) -> Result<Done<bool>> {
    if filed(app, form_code).await? {
        return Ok(Done::new(false));
    }
    let k = get(app, id).await?;
    let today = app.time.today();
    if k.published == 0 {
        return Err(Error::NotFound(format!("意见征集（编号 {id}）")));
    }
    if !open(&k, today) {
        return Err(Error::Conflict(format!(
            "本次意见征集的期限为{}至{}，现在不在征集期内",
            k.starts_on, k.ends_on
        )));
    }
    c.check().map_err(Error::Invalid)?;
    let mut tx = app.db.begin().await?;
    let inserted = tx
        .insert_comment(
            id,
            today,
            c.name.trim(),
            c.contact.trim(),
            c.body.trim(),
            form_code,
        )
        .await;
    let comment_id = match inserted {
        Ok(n) => n,
        // Filed meanwhile by the same form's other request.
        Err(_) if filed(app, form_code).await? => {
            return Ok(Done::new(false));
        }
        Err(e) => return Err(e.into()),
    };
    // The commenter's name and contact stay out of the audit row.
    record(
        app,
        &mut tx,
        actor,
        Change::new(Some(k.organ_id), Action::Comment, "consultation", id)
            .after(&serde_json::json!({"comment": comment_id})),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(true))
}

/// The comments on a draft, for its organ's staff (they carry names and contacts).
pub async fn comments(app: &App, actor: &Actor, id: i64) -> Result<Vec<Comment>> {
    let c = get(app, id).await?;
    actor.require(app, Perm::View, c.organ_id).await?;
    Ok(app.db.consultation_comments(id).await?)
}

/// An organ's drafts for the back office (every one, with its number of comments).
pub async fn office_list(
    app: &App,
    actor: &Actor,
    organ_id: i64,
) -> Result<Vec<(Consultation, i64)>> {
    actor.require(app, Perm::View, organ_id).await?;
    let counts = app.db.consultation_comment_counts(organ_id).await?;
    Ok(app
        .db
        .consultations(organ_id, true)
        .await?
        .into_iter()
        .map(|c| {
            let n = counts.get(&c.id).copied().unwrap_or(0);
            (c, n)
        })
        .collect())
}

/// An organ's published drafts for the portal, with the number of comments each received.
pub async fn public_list(app: &App, organ_id: i64) -> Result<Vec<(Consultation, i64)>> {
    let counts = app.db.consultation_comment_counts(organ_id).await?;
    Ok(app
        .db
        .consultations(organ_id, false)
        .await?
        .into_iter()
        .map(|c| {
            let n = counts.get(&c.id).copied().unwrap_or(0);
            (c, n)
        })
        .collect())
}

/// A published draft for the portal, with its number of comments; `None` when not published.
pub async fn public_one(app: &App, id: i64) -> Result<Option<(Consultation, i64)>> {
    let Some(c) = app.db.consultation(id).await?.filter(|c| c.published != 0) else {
        return Ok(None);
    };
    let n = app
        .db
        .consultation_comment_counts(c.organ_id)
        .await?
        .get(&id)
        .copied()
        .unwrap_or(0);
    Ok(Some((c, n)))
}
