//! The columns of an organ's catalogue as an inspector counts them: which are empty with no
//! explanation and which are not updated within their period (the rule is
//! `gongkai_domain::records::check_columns`), and the explanation an office writes on an empty
//! column's page.

use crate::audit::{Action, Change, record};
use crate::{Actor, App, Done, Error, Perm, Result};
use gongkai_domain::records::{
    CatalogueSeed, ColumnContent, ColumnState, MatterKind, check_columns,
};
use gongkai_store::site::CategoryNote;
use std::collections::{BTreeMap, BTreeSet};

/// The longest explanation.
pub const MAX_NOTE: usize = 300;

/// Every column of `organ_id` with what its page lists and what an inspector would mark, in
/// page order. Officers of the organ and those overseeing it.
pub async fn check(app: &App, actor: &Actor, organ_id: i64) -> Result<Vec<ColumnState>> {
    actor.require(app, Perm::View, organ_id).await?;
    static SEED: std::sync::LazyLock<CatalogueSeed> =
        std::sync::LazyLock::new(CatalogueSeed::education);
    let today = app.time.today();
    let cats = app.db.categories(organ_id).await?;
    let own: BTreeMap<i64, ColumnContent> = app
        .db
        .category_activity(organ_id)
        .await?
        .into_iter()
        .map(|a| {
            (
                a.category_id,
                ColumnContent {
                    items: a.published.max(0) as usize,
                    latest: a.latest,
                    regulations: a.regulations.max(0) as usize,
                    regulations_latest: a.regulations_latest,
                },
            )
        })
        .collect();
    let explained: BTreeSet<i64> = app
        .db
        .category_notes(&[organ_id])
        .await?
        .into_iter()
        .map(|n| n.category_id)
        .collect();
    let registers = register_clauses(app, organ_id, today).await?;
    Ok(check_columns(
        &cats, &own, &explained, &registers, &SEED, today,
    ))
}

/// The clauses of art. 20 whose registers hold records of this organ up to `today`, as the
/// column pages show them (`gongkai_web::public::statutory`).
async fn register_clauses(
    app: &App,
    organ_id: i64,
    today: chrono::NaiveDate,
) -> Result<BTreeSet<String>> {
    let from = chrono::NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(chrono::NaiveDate::MIN);
    let matters = app.db.matters(organ_id).await?;
    let decisions = app.db.decisions(organ_id, from, today).await?;
    let kind_of = |id: i64| matters.iter().find(|m| m.id == id).map(|m| m.kind);
    let decided = |kinds: &[MatterKind]| {
        decisions
            .iter()
            .any(|d| kind_of(d.matter_id).is_some_and(|k| kinds.contains(&k)))
    };
    let mut out = BTreeSet::new();
    if decided(&[MatterKind::Licensing, MatterKind::OtherService]) {
        out.insert("第二十条（五）".to_string());
    }
    if decided(&[MatterKind::Penalty, MatterKind::Enforcement]) {
        out.insert("第二十条（六）".to_string());
    }
    if matters.iter().any(|m| m.kind == MatterKind::Fee) {
        out.insert("第二十条（八）".to_string());
    }
    if !app.db.procurements(organ_id, from, today).await?.is_empty() {
        out.insert("第二十条（九）".to_string());
    }
    Ok(out)
}

/// The number of empty columns without explanation and of stale columns among `states`.
pub fn tally(states: &[ColumnState]) -> (usize, usize) {
    use gongkai_domain::records::ColumnProblem;
    let empty = states
        .iter()
        .filter(|s| s.problem == Some(ColumnProblem::EmptyUnexplained))
        .count();
    let stale = states
        .iter()
        .filter(|s| matches!(s.problem, Some(ColumnProblem::Stale { .. })))
        .count();
    (empty, stale)
}

/// The explanations written for the columns of `organ_id` (the back office's list).
pub async fn notes(app: &App, actor: &Actor, organ_id: i64) -> Result<Vec<CategoryNote>> {
    actor.require(app, Perm::View, organ_id).await?;
    Ok(app.db.category_notes(&[organ_id]).await?)
}

/// The explanation shown on a column's public page, if any (anyone may read it).
pub async fn note(app: &App, category_id: i64) -> Result<Option<CategoryNote>> {
    Ok(app.db.category_note(category_id).await?)
}

/// Writes the explanation of an empty column of `organ_id` (an empty text removes it), dated
/// today and signed with the officer's name.
pub async fn explain(
    app: &App,
    actor: &Actor,
    organ_id: i64,
    category_id: i64,
    text: &str,
) -> Result<Done<Option<CategoryNote>>> {
    actor.require(app, Perm::Edit, organ_id).await?;
    let text = text.trim();
    if text.chars().count() > MAX_NOTE {
        return Err(Error::invalid("note", format!("说明不能超过{MAX_NOTE}字")));
    }
    let cats = app.db.categories(organ_id).await?;
    if !cats.iter().any(|c| c.id == category_id) {
        return Err(Error::invalid("category", "该栏目不属于本机关"));
    }
    let by = match actor {
        Actor::User(u) if !u.display_name.trim().is_empty() => u.display_name.clone(),
        other => other.name(),
    };
    let today = app.time.today();
    let before = app.db.category_note(category_id).await?;
    let mut tx = app.db.begin().await?;
    tx.set_category_note(category_id, text, today, &by).await?;
    let after = (!text.is_empty()).then(|| CategoryNote {
        category_id,
        note: text.to_string(),
        noted_on: today,
        noted_by: by.clone(),
    });
    record(
        app,
        &mut tx,
        actor,
        Change::new(
            Some(organ_id),
            Action::ExplainColumn,
            "category_note",
            category_id,
        )
        .before(&before)
        .after(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(after))
}
