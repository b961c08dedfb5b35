//! Letters through the portal: a member of the public writes (and gets a query code), the office
//! replies, publicly or to the writer alone.

use crate::audit::{Action, Change, record};
use crate::{Actor, App, Done, Error, FieldError, Perm, Refresh, Result};
use gongkai_store::portal::PortalLetter;

pub const MAX_SUBJECT: usize = 100;
/// The writer's name and contact, checked on the server whatever the form's `maxlength` says.
pub const MAX_NAME: usize = 50;
pub const MAX_CONTACT: usize = 100;
pub const MAX_LETTER: usize = 5_000;
/// The channel letters written on a bureau's portal mailbox arrive through; other organs' mailboxes
/// are named by [`mailbox_name`].
pub const PORTAL_CHANNEL: &str = "局长信箱";

/// Working days within which the office answers a letter, counted from the day after it arrives.
///
/// Our reading: the Regulation does not govern letters (they are not applications under art. 27;
/// a letter asking for information is referred to the application form). The 信访工作条例
/// (2022) art. 32 allows 60 days to conclude a 信访事项, but government portals' mailboxes
/// commonly promise a reply within 15 working days, and a writer must be told a date on the form
/// and the receipt. We state 15 working days, counted on the same working-day calendar as the
/// statutory clock.
pub const REPLY_WORKING_DAYS: u32 = 15;

/// The day by which a letter received on `received_on` is answered, and whether it is
/// provisional: when next year's holidays are not loaded yet, the years the calendar does not
/// reach are counted on weekends only and the date is shown as 预计…（以节假日安排为准）, as an
/// application's deadline is. `None` only when the calendar cannot count at all (no year loaded
/// before the letter's).
pub fn reply_due(
    cal: &gongkai_domain::calendar::Calendar,
    received_on: chrono::NaiveDate,
) -> Option<(chrono::NaiveDate, bool)> {
    cal.add_working_days_provisional(received_on, REPLY_WORKING_DAYS)
        .ok()
}

/// The reply date of a letter in words: `2026-12-29`, or `预计2027-01-05（以节假日安排为准）`.
pub fn reply_due_words(
    cal: &gongkai_domain::calendar::Calendar,
    received_on: chrono::NaiveDate,
) -> String {
    match reply_due(cal, received_on) {
        Some((d, p)) => gongkai_domain::application::clock::due_words(Some(d), p),
        None => String::new(),
    }
}

/// The letter written on the portal whose query code is `code` (as typed: trimmed, in any
/// case), for the writer holding that code: the receipt and the lookup read it here.
pub async fn by_code(app: &App, code: &str) -> Result<Option<PortalLetter>> {
    let code = code.trim().to_uppercase();
    if code.is_empty() {
        return Ok(None);
    }
    Ok(app.db.portal_letter_by_code(&code).await?)
}

/// The reply date of a letter, read on the installation's calendar (a read use case for the
/// doors: the receipt, the lookup, the back office).
pub async fn reply_due_on(
    app: &App,
    received_on: chrono::NaiveDate,
) -> Result<Option<(chrono::NaiveDate, bool)>> {
    let cal = app.db.calendar().await?;
    Ok(reply_due(&cal, received_on))
}

/// The portal mailbox of an organ, named by who answers it: a bureau's is the 局长信箱, a
/// school's the 校长信箱, a kindergarten's the 园长信箱, a people's government's the 县长/市长/区长
/// 信箱, a committee's or office's the 主任信箱; any other the 领导信箱. Letters written through
/// it are recorded under a letter channel of that name.
pub fn mailbox_name(organ_name: &str) -> &'static str {
    let n = organ_name.trim();
    let ends = |suffixes: &[&str]| suffixes.iter().any(|s| n.ends_with(s));
    if ends(&["幼儿园"]) {
        "园长信箱"
    } else if ends(&[
        "学校",
        "中学",
        "小学",
        "学院",
        "大学",
        "完小",
        "教学点",
        "校区",
    ]) {
        "校长信箱"
    } else if ends(&["医院", "卫生院", "研究院", "设计院", "科学院"]) {
        "院长信箱"
    } else if ends(&["乡人民政府"]) {
        "乡长信箱"
    } else if ends(&["镇人民政府"]) {
        "镇长信箱"
    } else if ends(&["区人民政府"]) {
        "区长信箱"
    } else if ends(&["县人民政府", "旗人民政府"]) {
        "县长信箱"
    } else if ends(&["市人民政府"]) {
        "市长信箱"
    } else if ends(&["省人民政府", "自治区人民政府"]) {
        "省长信箱"
    } else if ends(&["厅"]) {
        "厅长信箱"
    } else if ends(&["局", "分局"]) {
        PORTAL_CHANNEL
    } else if ends(&["委员会", "委", "办公室", "办", "中心", "办事处", "管委会"]) {
        "主任信箱"
    } else if ends(&["馆"]) {
        "馆长信箱"
    } else if ends(&["站", "所", "队"]) {
        "站（所）长信箱"
    } else {
        "领导信箱"
    }
}

/// A letter as the portal's form gives it.
#[derive(Debug, Clone, Default)]
pub struct NewLetter {
    pub organ_id: i64,
    pub name: String,
    pub contact: String,
    pub subject: String,
    pub body: String,
    /// May the letter and its reply be published? `None` when the writer did not say.
    pub publish_consent: Option<bool>,
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
        let contact = self.contact.trim();
        if contact.is_empty() {
            errors.push(FieldError::new(
                "contact",
                "请填写联系方式（电话或电子邮箱），仅用于答复，不会公开",
            ));
        } else if contact.chars().count() > MAX_CONTACT {
            errors.push(FieldError::new(
                "contact",
                format!("联系方式不能超过{MAX_CONTACT}字"),
            ));
        } else if contact.contains('@') {
            if let Err(m) = gongkai_domain::application::validate::email(contact) {
                errors.push(FieldError::new("contact", m));
            }
        } else if gongkai_domain::application::validate::phone(contact).is_err() {
            errors.push(FieldError::new(
                "contact",
                "联系方式格式不正确：请填写11位手机号码、带区号的固定电话（如0951-4021664）或电子邮箱",
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
        if self.publish_consent.is_none() {
            errors.push(FieldError::new(
                "publish_consent",
                "请选择是否同意公开来信及答复（不公开您的姓名和联系方式）",
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Files a letter written on the portal, received today, under the query code `code` (derived
/// by the form from its one-time token); returns the code. The same form sent again (a reload,
/// back and submit, a double click) finds the letter it already filed: the code is unique, so
/// two requests racing end with one letter.
pub async fn write(app: &App, actor: &Actor, l: NewLetter, code: &str) -> Result<Done<String>> {
    if app.db.portal_letter_by_code(code).await?.is_some() {
        return Ok(Done::new(code.to_string()));
    }
    l.check().map_err(Error::Invalid)?;
    let consent = l.publish_consent.unwrap_or(false);
    let organ = app
        .db
        .organ(l.organ_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("机关（编号 {}）", l.organ_id)))?;
    let mailbox = mailbox_name(&organ.name);
    let mut tx = app.db.begin().await?;
    // The organ's own mailbox is a channel of the letters register (added the first time one is
    // written to it; the bureau's 局长信箱 is among the standard channels).
    let channel_id = tx.add_letter_channel(mailbox, mailbox).await?;
    let inserted = tx
        .insert_portal_letter(
            l.organ_id,
            channel_id,
            app.time.today(),
            l.subject.trim(),
            l.body.trim(),
            l.name.trim(),
            l.contact.trim(),
            code,
        )
        .await;
    let id = match inserted {
        Ok(id) => id,
        // Filed meanwhile by the same form's other request.
        Err(_) if app.db.portal_letter_by_code(code).await?.is_some() => {
            return Ok(Done::new(code.to_string()));
        }
        Err(e) => return Err(e.into()),
    };
    tx.set_letter_publish_consent(id, consent).await?;
    // The writer's name and contact stay out of the audit row: it is read by more people than
    // handle the letter.
    record(
        app,
        &mut tx,
        actor,
        Change::new(Some(l.organ_id), Action::Receive, "letter", id)
            .after(&serde_json::json!({"publish_consent": consent})),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(code.to_string()))
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
    if public && before.publish_consent == 0 {
        return Err(Error::invalid(
            "public",
            "来信人未同意公开来信及答复，不能在“来信选登”中公开",
        ));
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
