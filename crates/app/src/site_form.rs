//! 政府网站工作年度报表: a year's form from the records (items published, interpretations,
//! services and the decisions under them, letters) and the figures only the site knows (entered
//! by a system administrator), published — frozen, with its day — by 31 January of the next
//! year beside the annual reports. The form's layout and our reading of it:
//! `gongkai_domain::site_form`.

use crate::audit::{Action, Change, record};
use crate::{Actor, App, Done, Error, FieldError, Perm, Result};
use chrono::{Datelike, NaiveDate};
use gongkai_domain::records::MatterKind;
use gongkai_domain::site_form::{FORM, Line, Source, lines, parse_entered};
use std::collections::BTreeMap;

/// A year's form as shown: its lines, and when it was published (if it was).
#[derive(Debug, Clone)]
pub struct SiteForm {
    pub year: i32,
    pub lines: Vec<Line>,
    /// The entered figures as stored (for the back office's inputs).
    pub entered: BTreeMap<String, String>,
    pub published_on: Option<NaiveDate>,
}

/// The last day the form of `year` is due (31 January of the next year).
pub fn due(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year + 1, 1, 31).unwrap_or(NaiveDate::MAX)
}

fn year_bounds(year: i32) -> Result<(NaiveDate, NaiveDate)> {
    match (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) {
        (Some(a), Some(b)) if (2000..=2100).contains(&year) => Ok((a, b)),
        _ => Err(Error::invalid("year", format!("年度“{year}”无效"))),
    }
}

/// The figures the records give for `year`, by field code.
async fn from_records(app: &App, year: i32) -> Result<BTreeMap<String, String>> {
    let (from, to) = year_bounds(year)?;
    let mut v = BTreeMap::new();
    let s = app.db.site_settings().await?;
    v.insert("site_name".into(), s.site_name.clone());
    v.insert("sponsor".into(), s.sponsor.clone());
    v.insert("site_code".into(), s.site_code.clone());
    v.insert("icp".into(), s.icp.clone());
    v.insert("police_record".into(), s.police_record.clone());

    let organs = app.db.organs().await?;
    let counts = app.db.published_between(from, to).await?;
    let (mut total, mut overview, mut news) = (0i64, 0i64, 0i64);
    let (mut services, mut cases, mut guides) = (0usize, 0usize, 0usize);
    let (mut received, mut done, mut days, mut public) = (0i64, 0i64, 0i64, 0i64);
    for o in &organs {
        let cats = app.db.categories(o.id).await?;
        for (organ, category, n) in counts.iter().filter(|c| c.0 == o.id) {
            let _ = organ;
            total += n;
            // A column counts as 概况 or 动态 by its own name or its top column's.
            let mut names = Vec::new();
            let mut cur = cats.iter().find(|c| c.id == *category);
            while let Some(c) = cur {
                names.push(c.name.as_str());
                if names.len() > 16 {
                    break;
                }
                cur = c.parent_id.and_then(|p| cats.iter().find(|x| x.id == p));
            }
            if names
                .iter()
                .any(|n| n.contains("动态") || n.contains("要闻"))
            {
                news += n;
            } else if names
                .iter()
                .any(|n| n.contains("概况") || n.contains("机构职能"))
            {
                overview += n;
            }
        }
        let matters = app.db.matters(o.id).await?;
        let listed: Vec<i64> = matters
            .iter()
            .filter(|m| matches!(m.kind, MatterKind::Licensing | MatterKind::OtherService))
            .filter(|m| m.listed_at(to))
            .map(|m| m.id)
            .collect();
        services += listed.len();
        guides += app
            .db
            .service_guides(o.id)
            .await?
            .iter()
            .filter(|(m, _, _)| listed.contains(m))
            .count();
        cases += app
            .db
            .decisions(o.id, from, to)
            .await?
            .iter()
            .filter(|d| listed.contains(&d.matter_id))
            .count();
        for l in app.db.portal_letters(o.id, true).await? {
            if l.received_on < from || l.received_on > to {
                continue;
            }
            received += 1;
            if let Some(r) = l.replied_on {
                done += 1;
                days += (r - l.received_on).num_days().max(0);
                if l.reply_public == 1 {
                    public += 1;
                }
            }
        }
    }
    let (links, interpretations) = app.db.interpretations_between(from, to).await?;
    let _ = links;
    for (k, n) in [
        ("published", total),
        ("published_overview", overview),
        ("published_news", news),
        ("published_catalogue", total),
        ("interpretations", interpretations),
        ("interpretation_materials", interpretations),
        ("services", services as i64),
        ("service_cases", cases as i64),
        ("letters_received", received),
        ("letters_done", done),
        ("letters_public", public),
    ] {
        v.insert(k.into(), n.to_string());
    }
    // Rounded to whole days, as the form asks.
    let avg = if done > 0 {
        (days + done / 2) / done
    } else {
        0
    };
    v.insert("letters_days".into(), avg.to_string());
    v.insert(
        "service_catalogue".into(),
        if guides > 0 { "是" } else { "否" }.into(),
    );
    v.insert("accessibility".into(), "是".into());
    v.insert("elder_mode".into(), "是".into());
    Ok(v)
}

fn entered_of(row: Option<&gongkai_store::site::SiteFormRow>) -> BTreeMap<String, String> {
    row.and_then(|r| serde_json::from_str(&r.entered).ok())
        .unwrap_or_default()
}

/// The form of `year` as it stands now (system administrators).
pub async fn form(app: &App, actor: &Actor, year: i32) -> Result<SiteForm> {
    actor.require_role(Perm::System)?;
    let row = app.db.site_form(year).await?;
    let entered = entered_of(row.as_ref());
    let mut values = from_records(app, year).await?;
    for f in FORM.iter().filter(|f| f.source == Source::Entered) {
        if let Some(v) = entered.get(f.code) {
            values.insert(f.code.into(), v.clone());
        }
    }
    Ok(SiteForm {
        year,
        lines: lines(&values),
        entered,
        published_on: row.and_then(|r| r.published_on),
    })
}

/// Saves the entered figures of `year`, checked field by field; nothing is saved if one is
/// wrong.
pub async fn save_entered(
    app: &App,
    actor: &Actor,
    year: i32,
    raw: &BTreeMap<String, String>,
) -> Result<Done<()>> {
    actor.require_role(Perm::System)?;
    year_bounds(year)?;
    let mut entered = BTreeMap::new();
    let mut errors = Vec::new();
    for f in FORM.iter().filter(|f| f.source == Source::Entered) {
        match parse_entered(f, raw.get(f.code).map(String::as_str).unwrap_or("")) {
            Ok(Some(v)) => {
                entered.insert(f.code.to_string(), v);
            }
            Ok(None) => {}
            Err(e) => errors.push(FieldError::new(f.code, e)),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let json = serde_json::to_string(&entered).map_err(|e| Error::invalid("", e.to_string()))?;
    let before = entered_of(app.db.site_form(year).await?.as_ref());
    let mut tx = app.db.begin().await?;
    tx.set_site_form_entered(year, &json).await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(None, Action::SiteForm, "site_annual_form", year)
            .before(&before)
            .after(&entered),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(()))
}

/// Publishes the form of `year` as it stands today (frozen; publishing again replaces it with
/// today's figures and date). Only once the year is over.
pub async fn publish(app: &App, actor: &Actor, year: i32) -> Result<Done<NaiveDate>> {
    actor.require_role(Perm::System)?;
    let today = app.time.today();
    if year >= today.year() {
        return Err(Error::invalid(
            "year",
            format!("{year}年度尚未结束，年度报表应在次年1月31日前发布"),
        ));
    }
    let f = form(app, actor, year).await?;
    let json = serde_json::to_string(&f.lines).map_err(|e| Error::invalid("", e.to_string()))?;
    let mut tx = app.db.begin().await?;
    tx.publish_site_form(year, &json, today).await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(None, Action::PublishSiteForm, "site_annual_form", year)
            .after(&serde_json::json!({ "year": year, "published_on": today })),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(today))
}

/// The published forms, newest year first: year and day published (anyone).
pub async fn published(app: &App) -> Result<Vec<(i32, NaiveDate)>> {
    Ok(app
        .db
        .published_site_forms()
        .await?
        .into_iter()
        .filter_map(|r| Some((r.year as i32, r.published_on?)))
        .collect())
}

/// A published form's lines and day (anyone).
pub async fn published_form(app: &App, year: i32) -> Result<Option<(Vec<Line>, NaiveDate)>> {
    let Some(row) = app.db.site_form(year).await? else {
        return Ok(None);
    };
    match (row.published, row.published_on) {
        (Some(json), Some(on)) => {
            let lines: Vec<Line> =
                serde_json::from_str(&json).map_err(|e| Error::invalid("", e.to_string()))?;
            Ok(Some((lines, on)))
        }
        _ => Ok(None),
    }
}
