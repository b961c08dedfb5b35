//! The annual report's use cases: compute a year's report from the records, keep a draft whose
//! texts the office edits, publish it (frozen), and publish corrections as new versions with a
//! reason. Whichever door asks — the command line, the back office, the API — the figures, the
//! drafted texts and the findings come from [`compute`] and [`with_findings`] here, so they are
//! the same.
//!
//! Our readings, written once here:
//! - The cross-year rules (R7, R8) compare with the previous year's report as the organ
//!   published it (its latest version) where one was published here; otherwise with that year
//!   computed from the records, when there are records for it; with nothing when there are none.
//! - R12 (published by the art. 49 deadline) judges the date a report was published on. A draft
//!   has no such date: while no version of its year is published, it is judged on today's date,
//!   and past the deadline the finding says the report is not published yet and by how many
//!   days it is late (never "published on" a date that has not happened). Once a version is
//!   published, drafts of that year are corrections and R12 judges the published date.

use crate::audit::{Action, Change, record};
use crate::{Actor, App, Done, Error, Perm, Refresh, Result};
use chrono::Datelike;
use gongkai_domain::records::Organ;
use gongkai_domain::report::compute::{self, ReportInput};
use gongkai_domain::report::{OrganKind, Report, SectionText, layout, rules};
use gongkai_store::portal::PublishedReport;
use serde::{Deserialize, Serialize};

/// A report with the parts its own JSON leaves out (section texts, preamble, organ kind), so a
/// stored draft or a published version renders exactly as it was.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredReport {
    pub report: Report,
    pub texts: Vec<(String, String)>,
    #[serde(default)]
    pub preamble: String,
    #[serde(default)]
    pub organ_kind: OrganKind,
    /// Whether the organ's units' records were included (a bureau's report usually includes its
    /// schools'); regeneration and the cross-year rules use the same scope.
    #[serde(default = "yes")]
    pub include_units: bool,
    /// The figures of the charts, taken from the records when the draft was generated and kept
    /// with the published version, so its files draw the charts as published (versions
    /// published before charts were kept have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stats: Option<gongkai_domain::report::stats::ReportStats>,
}

fn yes() -> bool {
    true
}

impl StoredReport {
    /// The report as computed over the organ alone or with its units.
    pub fn new(r: &Report, include_units: bool) -> StoredReport {
        StoredReport {
            report: r.clone(),
            texts: r
                .texts
                .iter()
                .map(|t| (t.heading.clone(), t.body.clone()))
                .collect(),
            preamble: r.preamble.clone(),
            organ_kind: r.organ_kind,
            include_units,
            stats: None,
        }
    }

    /// The same, with the figures of its charts.
    pub fn with_stats(mut self, stats: Option<gongkai_domain::report::stats::ReportStats>) -> Self {
        self.stats = stats;
        self
    }

    pub fn to_report(&self) -> Report {
        let mut r = self.report.clone();
        r.texts = self
            .texts
            .iter()
            .map(|(h, b)| SectionText {
                heading: h.clone(),
                body: b.clone(),
            })
            .collect();
        r.preamble = self.preamble.clone();
        r.organ_kind = self.organ_kind;
        r
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(s: &str) -> Result<StoredReport> {
        serde_json::from_str(s).map_err(|e| Error::Internal(format!("stored report: {e}")))
    }
}

/// The years a report can be made for: from 2008 (the first Regulation) to this year.
pub fn check_year(app: &App, year: i32) -> Result<i32> {
    let this = app.time.today().year();
    if (2008..=this).contains(&year) {
        Ok(year)
    } else {
        Err(Error::invalid(
            "year",
            format!("年度“{year}”不对：应为2008年至{this}年的年份"),
        ))
    }
}

async fn organ(app: &App, organ_id: i64) -> Result<Organ> {
    app.db
        .organ(organ_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("机关（编号 {organ_id}）")))
}

fn has_records(input: &ReportInput) -> bool {
    !(input.items.is_empty()
        && input.decisions.is_empty()
        && input.letters.is_empty()
        && !input.has_applications())
}

/// The previous year's report the cross-year rules compare with (see the module comment).
pub async fn previous(
    app: &App,
    organ: &Organ,
    year: i32,
    include_units: bool,
) -> Result<Option<Report>> {
    let published = app.db.published_reports(organ.id).await?;
    if let Some(p) = published
        .iter()
        .filter(|p| p.year == year - 1)
        .max_by_key(|p| p.version)
    {
        return Ok(Some(StoredReport::from_json(&p.report_json)?.to_report()));
    }
    let input = app.db.report_input(organ, year - 1, include_units).await?;
    Ok(has_records(&input).then(|| compute::compute(&input)))
}

/// Runs every rule on `r`, across years too.
pub async fn with_findings(
    app: &App,
    organ: &Organ,
    mut r: Report,
    include_units: bool,
) -> Result<Report> {
    let prev = previous(app, organ, r.year, include_units).await?;
    r.findings.clear();
    let year = r.year;
    let mut r = compute::with_findings(r, prev.as_ref());
    if r.published.is_none()
        && !app
            .db
            .published_reports(organ.id)
            .await?
            .iter()
            .any(|p| p.year == year)
        && let Some(f) = rules::r12_unpublished(&r, app.time.today())
    {
        r.findings.push(f);
    }
    Ok(r)
}

/// A year's report of an organ computed from its records (its units' too when asked), with
/// the texts the office saved or drafted from the figures, and every finding.
pub async fn compute(app: &App, organ: &Organ, year: i32, include_units: bool) -> Result<Report> {
    let input = app.db.report_input(organ, year, include_units).await?;
    let r = compute::compute(&input);
    with_findings(app, organ, r, include_units).await
}

/// [`compute`] for an actor who may see the organ.
pub async fn view(
    app: &App,
    actor: &Actor,
    organ_id: i64,
    year: i32,
    include_units: bool,
) -> Result<Report> {
    actor.require(app, Perm::View, organ_id).await?;
    let year = check_year(app, year)?;
    compute(app, &organ(app, organ_id).await?, year, include_units).await
}

/// The working draft of a year's report, if one was generated.
pub async fn draft(app: &App, actor: &Actor, organ_id: i64, year: i32) -> Result<StoredReport> {
    actor.require(app, Perm::View, organ_id).await?;
    let d = app
        .db
        .report_draft(organ_id, year)
        .await?
        .ok_or_else(|| Error::invalid("year", format!("{year}年度报告尚未生成，请先生成")))?;
    StoredReport::from_json(&d.report_json)
}

/// Generates (or regenerates) the draft from the records; texts the office saved are kept.
pub async fn generate(
    app: &App,
    actor: &Actor,
    organ_id: i64,
    year: i32,
    include_units: bool,
) -> Result<Done<Report>> {
    actor.require(app, Perm::Edit, organ_id).await?;
    let year = check_year(app, year)?;
    let o = organ(app, organ_id).await?;
    let report = compute(app, &o, year, include_units).await?;
    let input = app.db.report_input(&o, year, include_units).await?;
    let stats = crate::exports::stats_of(app, &input, &report).await?;
    let before = app.db.report_draft(organ_id, year).await?;
    let mut tx = app.db.begin().await?;
    tx.save_report_draft(
        organ_id,
        year,
        &StoredReport::new(&report, include_units)
            .with_stats(Some(stats))
            .to_json(),
        app.time.now(),
    )
    .await?;
    let mut change = Change::new(
        Some(organ_id),
        Action::Generate,
        "report_draft",
        format!("{organ_id}/{year}"),
    )
    .after(&serde_json::json!({"year": year, "include_units": include_units}));
    if let Some(b) = before {
        change = change.before(&serde_json::json!({"generated_at": b.generated_at}));
    }
    record(app, &mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(Done::new(report))
}

/// Replaces the six section texts of the draft (an empty one goes back to the drafted text
/// when the report is regenerated) and checks the rules again.
pub async fn edit_texts(
    app: &App,
    actor: &Actor,
    organ_id: i64,
    year: i32,
    bodies: &[String; 6],
) -> Result<Done<Report>> {
    actor.require(app, Perm::Edit, organ_id).await?;
    let before = draft(app, actor, organ_id, year).await?;
    let mut r = before.to_report();
    let bodies: Vec<String> = bodies
        .iter()
        .map(|b| b.replace("\r\n", "\n").trim().to_string())
        .collect();
    for (h, b) in layout::SECTIONS.iter().zip(&bodies) {
        r.set_text(h, b.as_str());
    }
    let o = organ(app, organ_id).await?;
    let r = with_findings(app, &o, r, before.include_units).await?;
    let after = StoredReport::new(&r, before.include_units).with_stats(before.stats.clone());
    let mut tx = app.db.begin().await?;
    for (i, b) in bodies.iter().enumerate() {
        // The records' copy stays in step, so regenerating the report keeps the edited texts.
        let section = i as i32 + 1;
        if b.is_empty() {
            tx.clear_report_text(organ_id, year, section).await?;
        } else {
            tx.set_report_text(organ_id, year, section, b).await?;
        }
    }
    tx.save_report_draft(organ_id, year, &after.to_json(), app.time.now())
        .await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(
            Some(organ_id),
            Action::EditTexts,
            "report_draft",
            format!("{organ_id}/{year}"),
        )
        .before(&before.texts)
        .after(&after.texts),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(r))
}

/// Saves (or, with `None`, clears) the text of one section (1–6) in the records, for the next
/// time the report is computed.
pub async fn set_text(
    app: &App,
    actor: &Actor,
    organ_id: i64,
    year: i32,
    section: i32,
    body: Option<&str>,
) -> Result<Done<()>> {
    actor.require(app, Perm::Edit, organ_id).await?;
    if !(1..=layout::SECTIONS.len() as i32).contains(&section) {
        return Err(Error::invalid("section", "部分应为1至6"));
    }
    let body = body.map(|b| b.trim_end().to_string());
    if body.as_deref().is_some_and(|b| b.trim().is_empty()) {
        return Err(Error::invalid(
            "body",
            "文字是空的：如要恢复系统起草的文字，请清除保存的文字",
        ));
    }
    let mut tx = app.db.begin().await?;
    match &body {
        Some(b) => tx.set_report_text(organ_id, year, section, b).await?,
        None => tx.clear_report_text(organ_id, year, section).await?,
    }
    record(
        app,
        &mut tx,
        actor,
        Change::new(
            Some(organ_id),
            if body.is_some() {
                Action::SetText
            } else {
                Action::ClearText
            },
            "report_text",
            format!("{organ_id}/{year}/{section}"),
        )
        .after(&body),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(()))
}

/// Publishes the draft as the next version: the first needs no reason, a correction must say
/// why. The published version is frozen (its page is kept as rendered), dated today, and
/// judged by every rule, R12 included.
/// The text sections a report may not be published without (一, 五 and 六; 二–四 are tables).
pub const REQUIRED_TEXT_SECTIONS: [usize; 3] = [0, 4, 5];

/// Why a report should not be published as it is: its error findings and its empty required
/// sections, in words for the person deciding. Empty when nothing stands in the way.
pub fn blockers(r: &Report) -> Vec<String> {
    let mut v: Vec<String> = r
        .findings
        .iter()
        .filter(|f| f.severity == gongkai_domain::report::Severity::Error)
        .map(|f| format!("{} {}：{}", f.rule, f.location, f.message))
        .collect();
    for i in REQUIRED_TEXT_SECTIONS {
        let h = layout::SECTIONS[i];
        if r.text_of(h).is_none_or(|t| t.trim().is_empty()) {
            v.push(format!("“{h}”尚未填写"));
        }
    }
    v
}

/// Publishes the draft (a new version, with `reason` when it corrects an earlier one). A draft
/// with error findings or an empty required section is published only with an explicit
/// `confirmation` (why it is published nonetheless), which the audit row keeps with the list.
pub async fn publish(
    app: &App,
    actor: &Actor,
    organ_id: i64,
    year: i32,
    reason: &str,
    confirmation: Option<&str>,
) -> Result<Done<PublishedReport>> {
    actor.require(app, Perm::Review, organ_id).await?;
    let s = draft(app, actor, organ_id, year).await?;
    let mut r = s.to_report();
    r.published = Some(app.time.today());
    let o = organ(app, organ_id).await?;
    let r = with_findings(app, &o, r, s.include_units).await?;
    let blocking = blockers(&r);
    let confirmation = confirmation.map(str::trim).unwrap_or("");
    if !blocking.is_empty() && confirmation.is_empty() {
        return Err(Error::invalid(
            "confirmation",
            format!(
                "本报告有以下问题，如确需发布，请勾选确认并说明理由：{}",
                blocking.join("；")
            ),
        ));
    }
    let stats = match s.stats.clone() {
        Some(st) => st,
        None => {
            let input = app.db.report_input(&o, year, s.include_units).await?;
            crate::exports::stats_of(app, &input, &r).await?
        }
    };
    // The page kept verbatim is the one every door serves as the HTML file, charts included.
    let html = if stats.is_empty() {
        gongkai_render::html::report_page(&r)
    } else {
        gongkai_render::html::report_page_with_stats(&r, &stats)
    };
    let mut tx = app.db.begin().await?;
    let pr = tx
        .publish_report(
            organ_id,
            year,
            &StoredReport::new(&r, s.include_units)
                .with_stats(Some(stats))
                .to_json(),
            &html,
            reason,
            &actor.name(),
            app.time.now(),
        )
        .await
        .map_err(|e| match e {
            gongkai_store::Error::Invalid(m) => Error::invalid("reason", m),
            e => e.into(),
        })?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(Some(organ_id), Action::Publish, "published_report", pr.id).after(
            &serde_json::json!({
                "year": year,
                "version": pr.version,
                "reason": pr.reason,
                "published_despite": blocking,
                "confirmation": if blocking.is_empty() { "" } else { confirmation },
            }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(pr).refreshing(Refresh::Report(organ_id, year)))
}
