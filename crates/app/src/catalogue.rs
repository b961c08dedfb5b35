//! The catalogue as the back office reads it: a filtered page of an organ's items, an item with
//! its links, body, attachments and the reason it was returned, and an attachment's bytes; each
//! read checked against the actor's right to view the organ's records. Which reason of a
//! return still stands (only a draft's) is decided here.

use crate::{Actor, App, Error, Perm, Result};
use gongkai_domain::records::{CatalogueItem, Category, ItemStatus};
use gongkai_store::office::ItemFilter;
use gongkai_store::portal::AttachmentInfo;
use std::collections::BTreeMap;

/// The categories of an organ.
pub async fn categories(app: &App, actor: &Actor, organ_id: i64) -> Result<Vec<Category>> {
    actor.require(app, Perm::View, organ_id).await?;
    Ok(app.db.categories(organ_id).await?)
}

/// One page of an organ's items.
pub struct ItemsPage {
    pub items: Vec<CatalogueItem>,
    /// How many items the filter keeps in all.
    pub total: i64,
    /// Why a reviewer sent a draft back, by item (drafts only).
    pub returned: BTreeMap<i64, String>,
    /// The 发布机构 and the years of 成文日期 the organ's items have (the filter's choices).
    pub units: Vec<String>,
    pub years: Vec<i32>,
}

/// [`ItemsPage`] of `organ_id` as `filter` asks.
pub async fn items_page(
    app: &App,
    actor: &Actor,
    organ_id: i64,
    filter: &ItemFilter,
) -> Result<ItemsPage> {
    actor.require(app, Perm::View, organ_id).await?;
    let (items, total) = app.db.items_page(organ_id, filter).await?;
    let mut returned = app.db.item_return_reasons(organ_id).await?;
    returned.retain(|id, _| {
        items
            .iter()
            .any(|it| it.id == *id && it.status == ItemStatus::Draft)
    });
    let (units, years) = app.db.item_units_and_years(organ_id).await?;
    Ok(ItemsPage {
        items,
        total,
        returned,
        units,
        years,
    })
}

/// The item of `id`, for those who may view its organ's records.
pub async fn item(app: &App, actor: &Actor, id: i64) -> Result<CatalogueItem> {
    crate::items::get(app, actor, id).await
}

/// What the item's page shows beside the item.
pub struct ItemDetails {
    /// Interpretations of this policy, and the policies this item interprets.
    pub interpretations: Vec<CatalogueItem>,
    pub policies: Vec<CatalogueItem>,
    pub attachments: Vec<AttachmentInfo>,
    /// Why a reviewer sent it back, while it is a draft (empty otherwise).
    pub returned: String,
}

/// [`ItemDetails`] of an item the actor may view.
pub async fn details(app: &App, actor: &Actor, it: &CatalogueItem) -> Result<ItemDetails> {
    actor.require(app, Perm::View, it.organ_id).await?;
    let mut interpretations = Vec::new();
    for i in app.db.interpretations_of(it.id).await? {
        interpretations.extend(app.db.item(i).await?);
    }
    let mut policies = Vec::new();
    for i in app.db.policies_interpreted_by(it.id).await? {
        policies.extend(app.db.item(i).await?);
    }
    let returned = if it.status == ItemStatus::Draft {
        app.db.item_return_reason(it.id).await?.unwrap_or_default()
    } else {
        String::new()
    };
    Ok(ItemDetails {
        interpretations,
        policies,
        attachments: app.db.attachments(it.id).await?,
        returned,
    })
}

/// The body of an item the actor may view.
pub async fn body(app: &App, actor: &Actor, it: &CatalogueItem) -> Result<String> {
    actor.require(app, Perm::View, it.organ_id).await?;
    Ok(app.db.item_body(it.id).await?)
}

/// An attachment and its bytes, for those who may view its item's organ.
pub async fn attachment(app: &App, actor: &Actor, id: i64) -> Result<(AttachmentInfo, Vec<u8>)> {
    let (info, data) = app
        .db
        .attachment(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("附件（编号 {id}）")))?;
    item(app, actor, info.item_id).await?;
    Ok((info, data))
}
