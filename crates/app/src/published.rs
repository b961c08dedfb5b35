//! What anyone may read: published catalogue items and published annual reports, for the JSON
//! API (and, as the portal's pages move here, the portal). Only what is published is returned;
//! an item in draft or under review is "not found" to the public.

use crate::{App, Error, Result};
use gongkai_domain::records::{CatalogueItem, Category, ItemStatus};
use gongkai_domain::report::Report;
use gongkai_store::portal::PublishedReport;

/// The published items of an organ and the organ's categories (to name each item's).
pub async fn items(app: &App, organ_id: i64) -> Result<(Vec<CatalogueItem>, Vec<Category>)> {
    crate::organs::get(app, organ_id).await?;
    let items = app
        .db
        .items(organ_id)
        .await?
        .into_iter()
        .filter(|i| i.status == ItemStatus::Published)
        .collect();
    Ok((items, app.db.categories(organ_id).await?))
}

/// A published item and its organ's categories.
pub async fn item(app: &App, id: i64) -> Result<(CatalogueItem, Vec<Category>)> {
    let it = app
        .db
        .item(id)
        .await?
        .filter(|i| i.status == ItemStatus::Published)
        .ok_or_else(|| Error::NotFound(format!("信息（编号 {id}）")))?;
    let cats = app.db.categories(it.organ_id).await?;
    Ok((it, cats))
}

/// The categories of an organ.
pub async fn categories(app: &App, organ_id: i64) -> Result<Vec<Category>> {
    Ok(app.db.categories(organ_id).await?)
}

/// Every published version of an organ's annual reports, newest year first.
pub async fn reports(app: &App, organ_id: i64) -> Result<Vec<PublishedReport>> {
    crate::organs::get(app, organ_id).await?;
    Ok(app.db.published_reports(organ_id).await?)
}

/// A published version of a report, as published.
pub async fn report(app: &App, id: i64) -> Result<Report> {
    let pr = app
        .db
        .published_report(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("年度报告（编号 {id}）")))?;
    Ok(crate::reports::StoredReport::from_json(&pr.report_json)?.to_report())
}
