//! The audit row every change writes inside its own transaction: the change and its record
//! commit together or not at all. The same call appends the change to the change feed
//! (`gongkai_store::changes`), which every gongkai instance on the database follows to update its
//! search index and empty its page cache: whichever door a write came through, if it was
//! audited, every instance hears of it.

pub use crate::actions::Action;
use crate::{Actor, App, Result};
use gongkai_store::Tx;
use gongkai_store::changes::NewChange;
use gongkai_store::users::NewAudit;
use serde::Serialize;

/// What changed, for the audit log.
pub struct Change<'a> {
    pub organ_id: Option<i64>,
    pub action: Action,
    pub entity: &'a str,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl<'a> Change<'a> {
    pub fn new(organ_id: Option<i64>, action: Action, entity: &'a str, id: impl ToString) -> Self {
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
    let feed = feed_of(&change);
    tx.audit(
        &NewAudit {
            user_id: actor.user_id(),
            username: &name,
            organ_id: change.organ_id,
            action: change.action.code(),
            entity: change.entity,
            entity_id: change.entity_id,
            before: change.before,
            after: change.after,
        },
        app.time.now(),
    )
    .await?;
    // The feed's rows are stamped by the system clock, not the installation's: the stamp only
    // decides when a row is pruned (`gongkai_web::jobs`), and a fixed or back-dated clock
    // (GONGKAI_NOW, the demo's published history) must not make a fresh row look old.
    for c in &feed {
        tx.append_change(c, chrono::Utc::now()).await?;
    }
    Ok(())
}

/// Records that never show on public pages nor in search: their changes are not fed to the
/// other instances (an account's password change need not empty every page cache).
const PRIVATE: &[&str] = &["user", "api_token"];

/// What the change feed must say about an audited change: the search entries it touches (`item`,
/// `letter`, `report` with `organ:year`), or the record itself, which followers treat as a
/// change of public pages only.
pub fn feed_of(change: &Change<'_>) -> Vec<NewChange> {
    let after = |k: &str| change.after.as_ref().and_then(|a| a.get(k)).cloned();
    let num = |v: Option<serde_json::Value>| v.and_then(|v| v.as_i64());
    let new = |entity: &str, id: String| NewChange {
        organ_id: change.organ_id,
        entity: entity.into(),
        entity_id: id,
        kind: change.action.code().into(),
    };
    match change.entity {
        e if PRIVATE.contains(&e) => vec![],
        // An import appends the entries of what it wrote itself (`gongkai_import`), each item
        // and letter by id, and one for the import as a whole.
        "import" => vec![],
        "catalogue_item" => vec![new("item", change.entity_id.clone())],
        "item_attachment" => num(after("item"))
            .map(|id| vec![new("item", id.to_string())])
            .unwrap_or_default(),
        "item_interpretation" => [after("policy"), after("interpretation")]
            .into_iter()
            .filter_map(num)
            .map(|id| new("item", id.to_string()))
            .collect(),
        "letter" => vec![new("letter", change.entity_id.clone())],
        "published_report" => match (change.organ_id, num(after("year"))) {
            (Some(organ), Some(year)) => vec![new("report", format!("{organ}:{year}"))],
            _ => vec![new("published_report", change.entity_id.clone())],
        },
        other => vec![new(other, change.entity_id.clone())],
    }
}
