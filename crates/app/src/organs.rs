//! Organs as every door reads them. An organ's name, code and place among its units are public
//! (the portal lists them), so these reads need no right; what an actor may do over an organ is
//! [`Actor::can`](crate::Actor::can)'s question.

use crate::{App, Error, Result};
use gongkai_domain::records::Organ;

/// Every organ, in id order.
pub async fn all(app: &App) -> Result<Vec<Organ>> {
    Ok(app.db.organs().await?)
}

/// The organ of `id`.
pub async fn get(app: &App, id: i64) -> Result<Organ> {
    app.db
        .organ(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("机关（编号 {id}）")))
}

/// The organ a person names by its code, full name or short name.
pub async fn find(app: &App, key: &str) -> Result<Organ> {
    app.db
        .find_organ(key)
        .await?
        .ok_or_else(|| Error::NotFound(format!("机关“{}”（可用机关代码、全称或简称）", key.trim())))
}

/// The organ named by its number or else by its code or name.
pub async fn by_id_or_key(app: &App, key: &str) -> Result<Organ> {
    match key.trim().parse::<i64>() {
        Ok(id) => get(app, id).await,
        Err(_) => find(app, key).await,
    }
}
