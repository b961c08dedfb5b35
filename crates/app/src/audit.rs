//! The audit row every change writes inside its own transaction: the change and its record
//! commit together or not at all.

use crate::{Actor, App, Result};
use gongkai_store::Tx;
use gongkai_store::users::NewAudit;
use serde::Serialize;

/// What changed, for the audit log.
pub struct Change<'a> {
    pub organ_id: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl<'a> Change<'a> {
    pub fn new(organ_id: Option<i64>, action: &'a str, entity: &'a str, id: impl ToString) -> Self {
        Change {
            organ_id,
            action,
            entity,
            entity_id: id.to_string(),
            before: None,
            after: None,
        }
    }

    pub fn before(mut self, v: &impl Serialize) -> Self {
        self.before = serde_json::to_value(v).ok();
        self
    }

    pub fn after(mut self, v: &impl Serialize) -> Self {
        self.after = serde_json::to_value(v).ok();
        self
    }
}

/// Writes the audit row of `change` in `tx`, stamped with the app's clock.
pub async fn record(app: &App, tx: &mut Tx, actor: &Actor, change: Change<'_>) -> Result<()> {
    let name = actor.name();
    tx.audit(
        &NewAudit {
            user_id: actor.user_id(),
            username: &name,
            organ_id: change.organ_id,
            action: change.action,
            entity: change.entity,
            entity_id: change.entity_id,
            before: change.before,
            after: change.after,
        },
        app.time.now(),
    )
    .await?;
    Ok(())
}
