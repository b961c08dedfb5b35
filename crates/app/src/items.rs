//! The catalogue's use cases: create and edit an item, take it through submit → review and
//! publish → withdraw (the state machine is the domain's: `ItemStatus::apply`), link a policy
//! interpretation, attach files.

use crate::audit::{Action, Change, record};
use crate::{Actor, App, Done, Error, FieldError, Perm, Refresh, Result};
use chrono::NaiveDate;
use gongkai_domain::records::{
    CatalogueItem, Category, DocKind, Duty, ItemAction, ItemStatus, NewCatalogueItem, Organ,
    find_category,
};
use serde::{Deserialize, Serialize};

/// Longest title, in characters (the form's and the API's limit alike).
pub use gongkai_domain::records::{MAX_SHORT, MAX_SUMMARY, MAX_TITLE};
/// Longest body text: the longest normative documents run to some tens of thousands of
/// characters; a body beyond this is an attachment's job.
pub const MAX_BODY: usize = 200_000;
pub const MAX_ATTACHMENT_BYTES: usize = 8 * 1024 * 1024;

/// An item as a form or an API request gives it: text, checked by [`ItemInput::check`].
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ItemInput {
    pub title: String,
    pub summary: String,
    pub body: String,
    /// The category's number, path (主动公开/规章文件) or unique name.
    pub category: String,
    pub issuing_unit: String,
    /// 成文日期, `YYYY-MM-DD`.
    pub written_on: String,
    pub doc_number: String,
    /// `regulation`/`normative`/`other` or their labels; empty for 其他.
    pub doc_kind: String,
}

/// An item's fields after checking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFields {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub category_id: i64,
    pub issuing_unit: String,
    pub written_on: NaiveDate,
    pub doc_number: String,
    pub doc_kind: DocKind,
}

fn too_long(errors: &mut Vec<FieldError>, field: &'static str, what: &str, v: &str, max: usize) {
    if v.chars().count() > max {
        errors.push(FieldError::new(field, format!("{what}不能超过{max}字")));
    }
}

/// Parses a `YYYY-MM-DD` date of a form field.
pub fn parse_date(
    field: &'static str,
    what: &str,
    s: &str,
) -> Result<Option<NaiveDate>, FieldError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            FieldError::new(
                field,
                format!("{what}“{s}”格式不对，应为 年-月-日，如 2024-03-01"),
            )
        })
}

impl ItemInput {
    /// Checks every field at once, so a form shows all its errors together.
    pub fn check(&self, organ: &Organ, cats: &[Category]) -> Result<ItemFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = self.title.trim();
        if title.is_empty() {
            errors.push(FieldError::new("title", "请填写标题"));
        }
        too_long(&mut errors, "title", "标题", title, MAX_TITLE);
        too_long(
            &mut errors,
            "summary",
            "摘要",
            self.summary.trim(),
            MAX_SUMMARY,
        );
        too_long(&mut errors, "body", "正文", self.body.trim(), MAX_BODY);
        too_long(
            &mut errors,
            "issuing_unit",
            "发布机构",
            self.issuing_unit.trim(),
            MAX_SHORT,
        );
        too_long(
            &mut errors,
            "doc_number",
            "文号",
            self.doc_number.trim(),
            MAX_SHORT,
        );
        let key = self.category.trim();
        let category = match key.parse::<i64>() {
            Ok(id) => cats.iter().find(|c| c.id == id),
            Err(_) => find_category(cats, key),
        };
        if category.is_none() {
            errors.push(FieldError::new(
                "category",
                if key.is_empty() {
                    "请选择所属栏目".to_string()
                } else {
                    format!("栏目“{key}”不存在")
                },
            ));
        }
        let written_on = match parse_date("written_on", "成文日期", &self.written_on) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.push(FieldError::new("written_on", "请填写成文日期"));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let doc_kind = if self.doc_kind.trim().is_empty() {
            Some(DocKind::Other)
        } else {
            DocKind::parse(&self.doc_kind)
        };
        if doc_kind.is_none() {
            errors.push(FieldError::new(
                "doc_kind",
                format!("文件类型“{}”不对", self.doc_kind.trim()),
            ));
        }
        match (category, written_on, doc_kind) {
            (Some(c), Some(w), Some(k)) if errors.is_empty() => Ok(ItemFields {
                title: title.to_string(),
                summary: self.summary.trim().to_string(),
                body: self.body.trim().to_string(),
                category_id: c.id,
                issuing_unit: match self.issuing_unit.trim() {
                    "" => organ.name.clone(),
                    u => u.to_string(),
                },
                written_on: w,
                doc_number: self.doc_number.trim().to_string(),
                doc_kind: k,
            }),
            _ => Err(errors),
        }
    }
}

async fn organ_and_categories(app: &App, organ_id: i64) -> Result<(Organ, Vec<Category>)> {
    let organ = app
        .db
        .organ(organ_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("机关（编号 {organ_id}）")))?;
    let cats = app.db.categories(organ_id).await?;
    Ok((organ, cats))
}

/// Files a new draft.
pub async fn create(
    app: &App,
    actor: &Actor,
    organ_id: i64,
    input: &ItemInput,
) -> Result<Done<CatalogueItem>> {
    actor.require(app, Perm::Edit, organ_id).await?;
    let (organ, cats) = organ_and_categories(app, organ_id).await?;
    let f = input.check(&organ, &cats).map_err(Error::Invalid)?;
    let new = NewCatalogueItem {
        organ_id,
        title: f.title,
        summary: f.summary,
        category_id: f.category_id,
        issuing_unit: f.issuing_unit,
        written_on: Some(f.written_on),
        published_on: None,
        doc_number: f.doc_number,
        doc_kind: f.doc_kind,
        status: ItemStatus::Draft,
        validity: vec![],
    };
    new.validate().map_err(|m| Error::invalid("", m))?;
    let mut tx = app.db.begin().await?;
    let it = tx.insert_item(&new).await?;
    tx.set_item_body(it.id, &f.body).await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(Some(organ_id), Action::Create, "catalogue_item", it.id).after(&it),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(it))
}

async fn item_in(tx: &mut gongkai_store::Tx, id: i64) -> Result<CatalogueItem> {
    tx.item(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("目录条目（编号 {id}）")))
}

/// The item of `id`, if the actor may see it.
pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<CatalogueItem> {
    let it = app
        .db
        .item(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("目录条目（编号 {id}）")))?;
    actor.require(app, Perm::View, it.organ_id).await?;
    Ok(it)
}

/// Changes the fields of an item not yet published.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: i64,
    input: &ItemInput,
) -> Result<Done<CatalogueItem>> {
    let current = get(app, actor, id).await?;
    actor.require(app, Perm::Edit, current.organ_id).await?;
    let (organ, cats) = organ_and_categories(app, current.organ_id).await?;
    let f = input.check(&organ, &cats).map_err(Error::Invalid)?;
    let mut tx = app.db.begin().await?;
    let before = item_in(&mut tx, id).await?;
    if !before.status.editable() {
        return Err(Error::Conflict("已发布或已撤回的条目不能直接修改".into()));
    }
    tx.update_draft_item(
        id,
        &f.title,
        &f.summary,
        f.category_id,
        &f.issuing_unit,
        Some(f.written_on),
        &f.doc_number,
    )
    .await?;
    tx.set_item_body(id, &f.body).await?;
    let after = item_in(&mut tx, id).await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(Some(before.organ_id), Action::Update, "catalogue_item", id)
            .before(&before)
            .after(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(after).refreshing(Refresh::Item(id)))
}

/// The actions `actor` may take on `item` now, in the order a page offers them.
pub async fn actions(app: &App, actor: &Actor, item: &CatalogueItem) -> Result<Vec<ItemAction>> {
    let mut out = Vec::new();
    for a in item.status.actions() {
        if actor.can(app, perm_of(a), item.organ_id).await? {
            out.push(a);
        }
    }
    Ok(out)
}

fn perm_of(a: ItemAction) -> Perm {
    match a.duty() {
        Duty::Edit => Perm::Edit,
        Duty::Review => Perm::Review,
    }
}

/// Longest reason a reviewer may give for returning an item.
pub const MAX_REASON: usize = 500;

/// Takes one step of the workflow that needs no reason (every step but 退回修改).
pub async fn act(
    app: &App,
    actor: &Actor,
    id: i64,
    action: ItemAction,
) -> Result<Done<CatalogueItem>> {
    act_with_reason(app, actor, id, action, "").await
}

/// Takes one step of the workflow. 退回修改 needs a reason: it is kept on the item (shown to its
/// author until the item is submitted again) and in the audit row. The state is read and
/// changed in one transaction, so two reviewers pressing 发布 at once publish the item once.
pub async fn act_with_reason(
    app: &App,
    actor: &Actor,
    id: i64,
    action: ItemAction,
    reason: &str,
) -> Result<Done<CatalogueItem>> {
    let current = get(app, actor, id).await?;
    actor
        .require(app, perm_of(action), current.organ_id)
        .await?;
    let reason = reason.trim();
    if action == ItemAction::Return {
        if reason.is_empty() {
            return Err(Error::invalid("reason", "请填写退回理由，说明需要修改什么"));
        }
        if reason.chars().count() > MAX_REASON {
            return Err(Error::invalid(
                "reason",
                format!("退回理由不能超过{MAX_REASON}字"),
            ));
        }
    }
    let mut tx = app.db.begin().await?;
    let before = item_in(&mut tx, id).await?;
    let after = before
        .after(action, app.time.today())
        .map_err(|e| Error::Conflict(e.to_string()))?;
    tx.set_item_status(id, after.status, after.published_on)
        .await?;
    let mut after_json =
        serde_json::to_value(&after).map_err(|e| Error::Internal(e.to_string()))?;
    match action {
        ItemAction::Return => {
            tx.set_item_return_reason(id, Some(reason)).await?;
            after_json["return_reason"] = serde_json::Value::String(reason.to_string());
        }
        // A new submission (or publication) answers the last return.
        ItemAction::Submit | ItemAction::Publish => tx.set_item_return_reason(id, None).await?,
        _ => {}
    }
    record(
        app,
        &mut tx,
        actor,
        Change::new(
            Some(before.organ_id),
            Action::from(action),
            "catalogue_item",
            id,
        )
        .before(&before)
        .after(&after_json),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(after).refreshing(Refresh::Item(id)))
}

/// Items of the policy's organ whose title contains `words` and that could be linked to it as
/// its interpretation (not the policy itself), at most 20: the form's search.
pub async fn interpretation_candidates(
    app: &App,
    actor: &Actor,
    policy_id: i64,
    words: &str,
) -> Result<Vec<CatalogueItem>> {
    let policy = get(app, actor, policy_id).await?;
    let words = words.trim();
    if words.is_empty() {
        return Ok(vec![]);
    }
    let linked = app.db.interpretations_of(policy_id).await?;
    Ok(app
        .db
        .items_titled(policy.organ_id, words, 21)
        .await?
        .into_iter()
        .filter(|it| it.id != policy_id && !linked.contains(&it.id))
        .take(20)
        .collect())
}

/// Links an interpretation (by number or 索引号) to a policy document of the same organ.
pub async fn link_interpretation(
    app: &App,
    actor: &Actor,
    policy_id: i64,
    interpretation: &str,
) -> Result<Done<i64>> {
    let policy = get(app, actor, policy_id).await?;
    actor.require(app, Perm::Edit, policy.organ_id).await?;
    let key = interpretation.trim();
    let other = match key.parse::<i64>() {
        Ok(n) => app.db.item(n).await?,
        Err(_) => app
            .db
            .items(policy.organ_id)
            .await?
            .into_iter()
            .find(|x| x.index_no == key),
    }
    .filter(|x| x.organ_id == policy.organ_id && x.id != policy_id)
    .ok_or_else(|| {
        Error::invalid(
            "interpretation",
            format!("找不到解读文件“{key}”（请按标题搜索后选择）"),
        )
    })?;
    let mut tx = app.db.begin().await?;
    tx.link_interpretation(policy_id, other.id).await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(
            Some(policy.organ_id),
            Action::Link,
            "item_interpretation",
            policy_id,
        )
        .after(&serde_json::json!({"policy": policy_id, "interpretation": other.id})),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(other.id)
        .refreshing(Refresh::Item(policy_id))
        .refreshing(Refresh::Item(other.id)))
}

/// The types accepted, by extension, with the bytes a genuine file of that type starts with: the
/// type is decided here, never taken from the browser.
const ATTACHMENT_TYPES: &[(&str, &str, &[u8])] = &[
    ("pdf", "application/pdf", b"%PDF-"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"PK\x03\x04",
    ),
    ("doc", "application/msword", b"\xD0\xCF\x11\xE0"),
    ("xls", "application/vnd.ms-excel", b"\xD0\xCF\x11\xE0"),
    ("ofd", "application/ofd", b"PK\x03\x04"),
    ("zip", "application/zip", b"PK\x03\x04"),
    ("png", "image/png", b"\x89PNG"),
    ("jpg", "image/jpeg", b"\xFF\xD8\xFF"),
    ("jpeg", "image/jpeg", b"\xFF\xD8\xFF"),
];

/// Checks an attachment by name and content; returns its content type.
pub fn check_attachment(filename: &str, data: &[u8]) -> Result<&'static str, String> {
    if data.is_empty() {
        return Err("附件是空文件".into());
    }
    if data.len() > MAX_ATTACHMENT_BYTES {
        return Err(format!(
            "附件不能超过{}MB",
            MAX_ATTACHMENT_BYTES / 1024 / 1024
        ));
    }
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let Some((_, ctype, magic)) = ATTACHMENT_TYPES.iter().find(|(e, _, _)| *e == ext) else {
        return Err("附件只能是 PDF、Word、Excel、OFD、ZIP 或 PNG/JPEG 图片".into());
    };
    if !data.starts_with(magic) {
        return Err(format!("文件内容与扩展名 .{ext} 不符"));
    }
    Ok(ctype)
}

/// Attaches a file to an item not yet published.
pub async fn attach(
    app: &App,
    actor: &Actor,
    id: i64,
    filename: &str,
    data: &[u8],
) -> Result<Done<i64>> {
    let it = get(app, actor, id).await?;
    actor.require(app, Perm::Edit, it.organ_id).await?;
    let name = filename.trim();
    if name.is_empty() {
        return Err(Error::invalid("file", "请选择要上传的附件"));
    }
    if name.chars().count() > MAX_TITLE {
        return Err(Error::invalid("file", "附件文件名过长"));
    }
    let ctype = check_attachment(name, data).map_err(|m| Error::invalid("file", m))?;
    let mut tx = app.db.begin().await?;
    if !item_in(&mut tx, id).await?.status.editable() {
        return Err(Error::Conflict("已发布的条目不能再添加附件".into()));
    }
    let aid = tx.add_attachment(id, name, ctype, data).await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(Some(it.organ_id), Action::Attach, "item_attachment", aid)
            .after(&serde_json::json!({"item": id, "filename": name, "bytes": data.len()})),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(aid).refreshing(Refresh::Item(id)))
}
