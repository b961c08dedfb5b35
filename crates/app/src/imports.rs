//! Imports and the demo as use cases: whoever imports a file — the back office, `gongkai import`,
//! `gongkai application import`, `gongkai demo` — is an [`Actor`] holding the permission the
//! records need, over every organ the file's rows belong to; the rows, their change-feed entries
//! and **one** audit row naming the record kind and the row count commit in one transaction (not
//! one audit row per row: a year's figures come in thousands of rows, and the log says who
//! brought them in, when, and how many).
//!
//! Which permission an import needs is the one the same records need one at a time: organs are
//! the system's ([`Perm::System`]); a catalogue row may be published as it is imported, so the
//! catalogue needs [`Perm::Review`]; the registers of table 二 need [`Perm::Edit`]; review and
//! litigation cases, letters and applications are handled records ([`Perm::Handle`]).

use crate::audit::{Action, Change, record};
use crate::{Actor, App, Done, Error, Perm, Result};
use gongkai_import::{ImportError, Kind, Summary, Table};
use serde_json::json;

/// The permission importing records of `kind` needs over each organ they belong to.
pub fn perm_of(kind: Kind) -> Perm {
    match kind {
        Kind::Organs => Perm::System,
        Kind::Catalogue => Perm::Review,
        Kind::Matters | Kind::Decisions | Kind::Fees | Kind::Procurements => Perm::Edit,
        Kind::Cases | Kind::Letters => Perm::Handle,
    }
}

/// Refuses before anything is read when the actor holds `perm` over no organ at all (so a
/// supervisor is told at once, not after the file is checked).
async fn require_some(app: &App, actor: &Actor, perm: Perm) -> Result<()> {
    if actor.holds(app, perm).await? {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Checks `perm` over each organ an import touched, inside its transaction (the organs a file
/// names are resolved once, as the importer wrote them); the system's permission is not an
/// organ's.
async fn require_each(app: &App, actor: &Actor, perm: Perm, organs: &[i64]) -> Result<()> {
    if perm == Perm::System {
        return actor.require_role(Perm::System);
    }
    for &o in organs {
        actor.require(app, perm, o).await?;
    }
    Ok(())
}

/// The one audit row of an import: what kind of records (its Chinese name), how many, from
/// which file.
fn import_change(organ: Option<i64>, kind: &str, rows: usize, source: &str) -> Change<'static> {
    Change::new(organ, Action::Import, "import", kind).after(&json!({"rows": rows, "file": source}))
}

/// The organ an audit row belongs to: the only one the rows touched, else none (the row is seen
/// by whoever sees the log across organs).
fn single(organs: &[i64]) -> Option<i64> {
    match organs {
        [o] => Some(*o),
        _ => None,
    }
}

/// Imports a table of records of `kind` (`default_organ` for rows without an organ), all or
/// nothing, as `actor`. `source` names the file in the audit row.
pub async fn records(
    app: &App,
    actor: &Actor,
    kind: Kind,
    table: &Table,
    default_organ: Option<&str>,
    source: &str,
) -> Result<Done<Summary>> {
    let perm = perm_of(kind);
    require_some(app, actor, perm).await?;
    let mut tx = app.db.begin().await?;
    let summary = gongkai_import::import_table(&mut tx, kind, table, default_organ).await?;
    require_each(app, actor, perm, &summary.organs).await?;
    record(
        app,
        &mut tx,
        actor,
        import_change(single(&summary.organs), kind.label(), summary.rows, source),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(summary))
}

/// Imports a table of applications (each registered and, when the row says so, decided through
/// the workflow) as `actor`, all or nothing. Returns the number of cases.
pub async fn applications(
    app: &App,
    actor: &Actor,
    table: &Table,
    default_organ: Option<&str>,
    source: &str,
) -> Result<Done<usize>> {
    require_some(app, actor, Perm::Handle).await?;
    let cal = app.db.calendar().await?;
    let mut tx = app.db.begin().await?;
    let done =
        gongkai_import::applications::import_in(&mut tx, table, default_organ, &actor.name(), &cal)
            .await?;
    require_each(app, actor, Perm::Handle, &done.organs).await?;
    record(
        app,
        &mut tx,
        actor,
        import_change(single(&done.organs), "政府信息公开申请", done.rows, source),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(done.rows))
}

/// Loads the demo dataset (灵武市教育体育局 and four of its schools, 2020–2022, carried on to
/// the clock's year by `gongkai_import::living`) in one
/// transaction with one audit row listing what it loaded. Needs the system's permission, as
/// importing organs does. Refuses when the demo is already loaded.
pub async fn demo(app: &App, actor: &Actor) -> Result<Done<gongkai_import::demo::DemoSummary>> {
    actor.require_role(Perm::System)?;
    let cal = app.db.calendar().await?;
    let mut tx = app.db.begin().await?;
    let mut summary = gongkai_import::demo::load_in(&mut tx, &cal).await?;
    // Its history carried on from the files' last year to the clock it is loaded with.
    let living = gongkai_import::living::extend_in(&mut tx, &cal, app.time.today()).await?;
    for (kind, rows) in &living.rows {
        match summary.rows.iter_mut().find(|(k, _)| k == kind) {
            Some((_, n)) => *n += rows,
            None => summary.rows.push((*kind, *rows)),
        }
    }
    let mut after = serde_json::Map::new();
    for (kind, rows) in &summary.rows {
        after.insert(kind.label().into(), json!(rows));
    }
    after.insert("years_added".into(), json!(living.years));
    after.insert("bodies".into(), json!(living.bodies));
    after.insert("attachments".into(), json!(living.attachments));
    after.insert("interpretations".into(), json!(living.interpretations));
    after.insert("announcements".into(), json!(living.announcements));
    after.insert("published_letters".into(), json!(living.published_letters));
    summary.living = living;
    after.insert("applications".into(), json!(summary.applications));
    record(
        app,
        &mut tx,
        actor,
        Change::new(
            Some(summary.bureau),
            Action::LoadDemo,
            "demo",
            summary.bureau,
        )
        .after(&serde_json::Value::Object(after)),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(summary))
}

impl From<ImportError> for Error {
    fn from(e: ImportError) -> Error {
        Error::Import(e)
    }
}
