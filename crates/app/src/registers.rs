//! The registers behind tables 二 and 四: matters (事项) with their decisions and fees, procurement,
//! and review and litigation cases; and the working-day calendar the statutory clock runs on.

use crate::audit::{Action, Change, record};
use crate::{Actor, App, Done, Error, FieldError, Perm, Result};
use chrono::NaiveDate;
use gongkai_domain::records::{CaseKind, CaseOutcome, DecisionDetails, MatterKind, parse_yuan};
use gongkai_store::applications::Recomputed;
use serde::{Deserialize, Serialize};

/// One form for every register, as text; [`RegisterInput::parse`] reads the fields its kind
/// needs.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RegisterInput {
    pub kind: String,
    pub name: String,
    pub matter: String,
    pub date: String,
    pub number: String,
    pub amount: String,
    pub note: String,
    pub application: String,
    /// 行政相对人 of a decision.
    pub party: String,
    /// The 双公示 fields of a decision (see `DecisionDetails`).
    pub credit_code: String,
    pub content: String,
    pub valid_from: String,
    pub valid_to: String,
    pub basis: String,
    pub fine: String,
}

/// A checked register entry (written to the audit log as its fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Entry {
    Matter {
        kind: MatterKind,
        name: String,
        listed_on: NaiveDate,
    },
    Decision {
        matter_id: i64,
        decided_on: NaiveDate,
        number: String,
        party: String,
        details: DecisionDetails,
    },
    Fee {
        matter_id: i64,
        paid_on: NaiveDate,
        fen: i64,
        note: String,
    },
    Procurement {
        name: String,
        signed_on: NaiveDate,
        fen: i64,
    },
    Case {
        kind: CaseKind,
        number: String,
        filed_on: NaiveDate,
        application: String,
    },
}

impl Entry {
    fn entity(&self) -> &'static str {
        match self {
            Entry::Matter { .. } => "matter",
            Entry::Decision { .. } => "decision",
            Entry::Fee { .. } => "fee",
            Entry::Procurement { .. } => "procurement",
            Entry::Case { .. } => "case",
        }
    }

    fn perm(&self) -> Perm {
        match self {
            Entry::Case { .. } => Perm::Handle,
            _ => Perm::Edit,
        }
    }
}

const MAX_TEXT: usize = 200;

impl RegisterInput {
    /// Parses the entry of `register` (`matter`, `decision`, `fee`, `procurement`, `case`),
    /// every problem at once.
    pub fn parse(&self, register: &str) -> Result<Entry, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut text = |field: &'static str, what: &str, v: &str| {
            let t = v.trim();
            if t.is_empty() {
                errors.push(FieldError::new(field, format!("请填写{what}")));
            } else if t.chars().count() > MAX_TEXT {
                errors.push(FieldError::new(
                    field,
                    format!("{what}不能超过{MAX_TEXT}字"),
                ));
            }
            t.to_string()
        };
        let name = |e: &mut dyn FnMut(&'static str, &str, &str) -> String, what| {
            e("name", what, &self.name)
        };
        let number = |e: &mut dyn FnMut(&'static str, &str, &str) -> String, what| {
            e("number", what, &self.number)
        };
        let entry = match register {
            "matter" => {
                let n = name(&mut text, "事项名称");
                let kind = MatterKind::parse(&self.kind);
                let d = date(&mut errors, &self.date, "列入清单日期");
                match (kind, d) {
                    (Some(kind), Some(listed_on)) => Some(Entry::Matter {
                        kind,
                        name: n,
                        listed_on,
                    }),
                    (None, _) => {
                        errors.push(FieldError::new("kind", "请选择事项类别"));
                        None
                    }
                    _ => None,
                }
            }
            "decision" => {
                let n = number(&mut text, "决定文书号");
                let m = matter(&mut errors, &self.matter);
                let d = date(&mut errors, &self.date, "决定日期");
                let party = self.party.trim().to_string();
                if party.chars().count() > 200 {
                    errors.push(FieldError::new("party", "行政相对人名称不能超过200字"));
                }
                let details = DecisionDetails::parse(
                    &self.credit_code,
                    &self.content,
                    &self.valid_from,
                    &self.valid_to,
                    &self.basis,
                    &self.fine,
                )
                .map_err(|list| {
                    for (field, m) in list {
                        errors.push(FieldError::new(field, m));
                    }
                })
                .unwrap_or_default();
                m.zip(d).map(|(matter_id, decided_on)| Entry::Decision {
                    matter_id,
                    decided_on,
                    number: n,
                    party,
                    details,
                })
            }
            "fee" => {
                let m = matter(&mut errors, &self.matter);
                let d = date(&mut errors, &self.date, "收费日期");
                let fen = yuan(&mut errors, &self.amount);
                let note = self.note.trim().to_string();
                if note.chars().count() > MAX_TEXT {
                    errors.push(FieldError::new("note", format!("备注不能超过{MAX_TEXT}字")));
                }
                match (m, d, fen) {
                    (Some(matter_id), Some(paid_on), Some(fen)) => Some(Entry::Fee {
                        matter_id,
                        paid_on,
                        fen,
                        note,
                    }),
                    _ => None,
                }
            }
            "procurement" => {
                let n = name(&mut text, "采购项目名称");
                let d = date(&mut errors, &self.date, "签约日期");
                let fen = yuan(&mut errors, &self.amount);
                d.zip(fen).map(|(signed_on, fen)| Entry::Procurement {
                    name: n,
                    signed_on,
                    fen,
                })
            }
            "case" => {
                let n = number(&mut text, "案号");
                let kind = CaseKind::parse(&self.kind);
                if kind.is_none() {
                    errors.push(FieldError::new("kind", "请选择案件类别"));
                }
                let d = date(&mut errors, &self.date, "立案日期");
                kind.zip(d).map(|(kind, filed_on)| Entry::Case {
                    kind,
                    number: n,
                    filed_on,
                    application: self.application.trim().to_string(),
                })
            }
            other => {
                errors.push(FieldError::new("", format!("没有“{other}”这种登记")));
                None
            }
        };
        match entry {
            Some(e) if errors.is_empty() => Ok(e),
            _ => Err(errors),
        }
    }
}

fn date(errors: &mut Vec<FieldError>, s: &str, what: &str) -> Option<NaiveDate> {
    match crate::items::parse_date("date", what, s) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errors.push(FieldError::new("date", format!("请填写{what}")));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

fn matter(errors: &mut Vec<FieldError>, s: &str) -> Option<i64> {
    let m = s.trim().parse().ok();
    if m.is_none() {
        errors.push(FieldError::new("matter", "请选择事项"));
    }
    m
}

fn yuan(errors: &mut Vec<FieldError>, s: &str) -> Option<i64> {
    parse_yuan(s)
        .map_err(|m| errors.push(FieldError::new("amount", m)))
        .ok()
}

/// Adds an entry to a register of `organ_id`. A matter named must be the organ's own.
pub async fn add(app: &App, actor: &Actor, organ_id: i64, entry: Entry) -> Result<Done<i64>> {
    actor.require(app, entry.perm(), organ_id).await?;
    if let Entry::Decision { matter_id, .. } | Entry::Fee { matter_id, .. } = &entry
        && !app
            .db
            .matters(organ_id)
            .await?
            .iter()
            .any(|m| m.id == *matter_id)
    {
        return Err(Error::invalid("matter", "事项不属于本机关"));
    }
    let mut tx = app.db.begin().await?;
    let id = match &entry {
        Entry::Matter {
            kind,
            name,
            listed_on,
        } => tx
            .insert_matter(organ_id, *kind, name, *listed_on, None)
            .await
            .map_err(|e| match e {
                gongkai_store::Error::Invalid(m) => Error::invalid("name", m),
                e => e.into(),
            })?,
        Entry::Decision {
            matter_id,
            decided_on,
            number,
            party,
            details,
        } => {
            let id = tx
                .insert_decision(*matter_id, *decided_on, number, party)
                .await?;
            if !details.is_empty() {
                tx.set_decision_details(id, details).await?;
            }
            id
        }
        Entry::Fee {
            matter_id,
            paid_on,
            fen,
            note,
        } => tx.insert_fee(*matter_id, *paid_on, *fen, note).await?,
        Entry::Procurement {
            name,
            signed_on,
            fen,
        } => {
            tx.insert_procurement(organ_id, name, *signed_on, *fen)
                .await?
        }
        Entry::Case {
            kind,
            number,
            filed_on,
            application,
        } => {
            tx.insert_case(organ_id, *kind, number, *filed_on, application, None)
                .await?
        }
    };
    record(
        app,
        &mut tx,
        actor,
        Change::new(Some(organ_id), Action::Create, entry.entity(), id).after(&entry),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(id))
}

/// Records how a review or litigation case ended.
pub async fn decide_case(
    app: &App,
    actor: &Actor,
    organ_id: i64,
    case_id: i64,
    outcome: CaseOutcome,
    decided_on: NaiveDate,
) -> Result<Done<()>> {
    actor.require(app, Perm::Handle, organ_id).await?;
    let far = NaiveDate::from_ymd_opt(9999, 12, 31).expect("a valid date");
    let case = app
        .db
        .cases(organ_id, far)
        .await?
        .into_iter()
        .find(|c| c.id == case_id)
        .ok_or_else(|| Error::NotFound(format!("案件（编号 {case_id}）")))?;
    if case.outcome.is_some() {
        return Err(Error::Conflict("该案件已审结".into()));
    }
    if decided_on < case.filed_on {
        return Err(Error::invalid(
            "date",
            format!("审结日期 {decided_on} 早于立案日期 {}", case.filed_on),
        ));
    }
    if decided_on > app.time.today() {
        return Err(Error::invalid(
            "date",
            format!("审结日期 {decided_on} 晚于今天"),
        ));
    }
    let mut tx = app.db.begin().await?;
    tx.decide_case(case_id, outcome, decided_on).await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(Some(organ_id), Action::Decide, "case", case_id)
            .before(&serde_json::json!({"outcome": null}))
            .after(&serde_json::json!({"outcome": outcome.code(), "decided_on": decided_on})),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(()))
}

/// Imports a year of the working-day calendar (the State Council's notice as a file) and
/// recomputes the deadlines of the cases it moves, in one transaction with its audit row.
pub async fn import_calendar(
    app: &App,
    actor: &Actor,
    content: &str,
) -> Result<Done<Vec<Recomputed>>> {
    actor.require_role(Perm::System)?;
    let data = gongkai_domain::calendar::parse_year(content)
        .map_err(|e| Error::invalid("content", e.to_string()))?;
    let year = data.year;
    let cal = app.db.calendar().await?;
    let mut tx = app.db.begin().await?;
    let changed = tx
        .import_calendar_year(cal, data, &actor.name(), app.time.local_now())
        .await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(None, Action::Import, "calendar_year", year)
            .after(&serde_json::json!({"year": year, "recomputed": changed.len()})),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(changed))
}

/// A register that pages: decisions (行政许可、处罚等决定), fees (行政事业性收费), procurements
/// (政府集中采购).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paged {
    Decisions,
    Fees,
    Procurements,
}

/// One page of a register.
#[derive(Debug, Clone, Default)]
pub struct RegisterPage {
    pub decisions: Vec<gongkai_domain::records::Decision>,
    pub fees: Vec<gongkai_domain::records::Fee>,
    pub procurements: Vec<gongkai_domain::records::Procurement>,
    /// How many rows the register holds within the dates.
    pub total: i64,
    /// The names of the organ's matters, by id (for decisions and fees).
    pub matters: std::collections::BTreeMap<i64, String>,
}

/// The dates of `year`, or every date when `None` (years 1 to 9999: dates compare as text on
/// SQLite, so never chrono's extreme years).
pub fn year_dates(year: Option<i32>) -> (NaiveDate, NaiveDate) {
    match year.and_then(|y| {
        Some((
            NaiveDate::from_ymd_opt(y, 1, 1)?,
            NaiveDate::from_ymd_opt(y, 12, 31)?,
        ))
    }) {
        Some(d) => d,
        None => (
            NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(NaiveDate::MIN),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX),
        ),
    }
}

/// Rows `offset..offset + limit` of one of an organ's registers within `year` (every year when
/// `None`), newest first, with the number of rows: limited and counted in SQL. The registers of
/// art. 20 (五)(六)(八)(九) are public information, read by visitors and officers alike.
pub async fn page(
    app: &App,
    organ_id: i64,
    register: Paged,
    year: Option<i32>,
    limit: i64,
    offset: i64,
) -> Result<RegisterPage> {
    let (from, to) = year_dates(year);
    let r = gongkai_store::register_pages::RegisterRange {
        from,
        to,
        limit: limit.max(1),
        offset: offset.max(0),
    };
    let mut out = RegisterPage::default();
    if register != Paged::Procurements {
        out.matters = app
            .db
            .matters(organ_id)
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect();
    }
    match register {
        Paged::Decisions => (out.decisions, out.total) = app.db.decisions_page(organ_id, r).await?,
        Paged::Fees => (out.fees, out.total) = app.db.fees_page(organ_id, r).await?,
        Paged::Procurements => {
            (out.procurements, out.total) = app.db.procurements_page(organ_id, r).await?
        }
    }
    Ok(out)
}

/// The years an organ's decisions, fees and procurements span, newest first.
pub async fn years(app: &App, organ_id: i64) -> Result<Vec<i32>> {
    use chrono::Datelike;
    Ok(match app.db.register_span(organ_id).await? {
        Some((a, b)) => (a.year()..=b.year()).rev().collect(),
        None => Vec::new(),
    })
}
