//! Letters through the portal: a member of the public writes (and gets a query code), the office
//! replies, publicly or to the writer alone.

use crate::applications::query_code;
use crate::audit::{Action, Change, record};
use crate::{Actor, App, Done, Error, FieldError, Perm, Refresh, Result};
use gongkai_store::portal::PortalLetter;

pub const MAX_SUBJECT: usize = 100;
/// The writer's name and contact, checked on the server whatever the form's `maxlength` says.
pub const MAX_NAME: usize = 50;
pub const MAX_CONTACT: usize = 100;
pub const MAX_LETTER: usize = 5_000;
/// The channel letters written on the portal arrive through.
pub const PORTAL_CHANNEL: &str = "局长信箱";

/// A letter as the portal's form gives it.
#[derive(Debug, Clone, Default)]
pub struct NewLetter {
    pub organ_id: i64,
    pub name: String,
    pub contact: String,
    pub subject: String,
    pub body: String,
}

impl NewLetter {
    /// Every problem at once, by field.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.name.trim().is_empty() {
            errors.push(FieldError::new("name", "请填写姓名"));
        } else if self.name.trim().chars().count() > MAX_NAME {
            errors.push(FieldError::new("name", format!("姓名不能超过{MAX_NAME}字")));
        }
        if self.contact.trim().is_empty() {
            errors.push(FieldError::new(
                "contact",
                "请填写联系方式（电话或电子邮箱），仅用于答复，不会公开",
            ));
        } else if self.contact.trim().chars().count() > MAX_CONTACT {
            errors.push(FieldError::new(
                "contact",
                format!("联系方式不能超过{MAX_CONTACT}字"),
            ));
        }
        if self.subject.trim().is_empty() || self.subject.trim().chars().count() > MAX_SUBJECT {
            errors.push(FieldError::new(
                "subject",
                format!("请填写标题（不超过{MAX_SUBJECT}字）"),
            ));
        }
        if self.body.trim().is_empty() || self.body.trim().chars().count() > MAX_LETTER {
            errors.push(FieldError::new(
                "body",
                format!("请填写内容（不超过{MAX_LETTER}字）"),
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Files a letter written on the portal, received today; returns its query code.
pub async fn write(app: &App, actor: &Actor, l: NewLetter) -> Result<Done<String>> {
    l.check().map_err(Error::Invalid)?;
    if app.db.organ(l.organ_id).await?.is_none() {
        return Err(Error::NotFound(format!("机关（编号 {}）", l.organ_id)));
    }
    let channel = app
        .db
        .letter_channels()
        .await?
        .into_iter()
        .find(|c| c.name == PORTAL_CHANNEL)
        .ok_or_else(|| Error::Internal(format!("letter channel {PORTAL_CHANNEL} missing")))?;
    let code = query_code();
    let mut tx = app.db.begin().await?;
    let id = tx
        .insert_portal_letter(
            l.organ_id,
            channel.id,
            app.time.today(),
            l.subject.trim(),
            l.body.trim(),
            l.name.trim(),
            l.contact.trim(),
            &code,
        )
        .await?;
    // The writer's name and contact stay out of the audit row: it is read by more people than
    // handle the letter.
    record(
        app,
        &mut tx,
        actor,
        Change::new(Some(l.organ_id), Action::Receive, "letter", id),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(code))
}

/// Replies to a letter; a public reply is shown on the portal and found by search.
pub async fn reply(
    app: &App,
    actor: &Actor,
    letter_id: i64,
    text: &str,
    public: bool,
) -> Result<Done<PortalLetter>> {
    let before = app
        .db
        .portal_letter(letter_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("来信（编号 {letter_id}）")))?;
    actor.require(app, Perm::Handle, before.organ_id).await?;
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::invalid("reply", "答复内容不能为空"));
    }
    if text.chars().count() > MAX_LETTER {
        return Err(Error::invalid(
            "reply",
            format!("答复内容不能超过{MAX_LETTER}字"),
        ));
    }
    let today = app.time.today();
    let mut tx = app.db.begin().await?;
    tx.reply_letter(letter_id, text, today, public).await?;
    let after = PortalLetter {
        reply: text.to_string(),
        replied_on: Some(today),
        reply_public: i64::from(public),
        ..before.clone()
    };
    record(
        app,
        &mut tx,
        actor,
        Change::new(Some(before.organ_id), Action::Reply, "letter", letter_id)
            .before(&before)
            .after(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(after).refreshing(Refresh::Letter(letter_id)))
}
