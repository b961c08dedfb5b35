//! The annual report as the portal keeps it: a draft generated from the records whose texts the
//! office edits, and frozen published versions, each downloadable in the usual formats.

use crate::error::{AppError, AppResult};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use gongkai_domain::report::{OrganKind, Report, SectionText};
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
}

fn yes() -> bool {
    true
}

impl StoredReport {
    pub fn new(r: &Report) -> StoredReport {
        StoredReport {
            report: r.clone(),
            texts: r
                .texts
                .iter()
                .map(|t| (t.heading.clone(), t.body.clone()))
                .collect(),
            preamble: r.preamble.clone(),
            organ_kind: r.organ_kind,
            include_units: true,
        }
    }

    /// The same, recording the scope the report was computed over.
    pub fn with_scope(r: &Report, include_units: bool) -> StoredReport {
        StoredReport {
            include_units,
            ..StoredReport::new(r)
        }
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

    pub fn from_json(s: &str) -> AppResult<StoredReport> {
        serde_json::from_str(s).map_err(|e| AppError::Internal(format!("stored report: {e}")))
    }
}

/// A published report in one of the download formats. `frozen_html` is the page as it was
/// published (kept verbatim, so a later change to the renderer cannot alter it).
pub fn download(
    s: &StoredReport,
    frozen_html: &str,
    format: &str,
    base: &str,
) -> AppResult<Response> {
    let r = s.to_report();
    let (ctype, ext, body): (&str, &str, Vec<u8>) = match format {
        "html" => (
            "text/html; charset=utf-8",
            "html",
            frozen_html.as_bytes().to_vec(),
        ),
        "md" => (
            "text/markdown; charset=utf-8",
            "md",
            gongkai_render::markdown::report(&r).into_bytes(),
        ),
        "json" => (
            "application/json",
            "json",
            serde_json::to_vec_pretty(&gongkai_domain::report::ReportSet {
                reports: vec![r.clone()],
            })
            .map_err(|e| AppError::Internal(e.to_string()))?,
        ),
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            gongkai_render::docx::report(&r, &Default::default())?,
        ),
        "pdf" => (
            "application/pdf",
            "pdf",
            // PDF/A when the report carries its publication date (the archive's case); a plain
            // PDF for a draft preview, which has no true date to state.
            gongkai_pdf::report(
                &r,
                &gongkai_pdf::PdfOptions {
                    date: r.published,
                    ..Default::default()
                },
            )?,
        ),
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            gongkai_render::xlsx::report(&r, None, &[])?,
        ),
        _ => return Err(AppError::NotFound),
    };
    let disposition = if ext == "html" {
        "inline".to_string()
    } else {
        format!("attachment; filename=\"{base}.{ext}\"")
    };
    Ok((
        [
            (header::CONTENT_TYPE, ctype.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// The download formats offered, as (format, label).
pub const FORMATS: [(&str, &str); 6] = [
    ("html", "网页"),
    ("pdf", "PDF"),
    ("docx", "Word"),
    ("xlsx", "Excel"),
    ("md", "Markdown"),
    ("json", "JSON数据"),
];

/// Generates a year's report of an organ (with its units) from its records: the store loads the
/// records (`Db::report_input`) and `report::compute` fills every cell and drafts the texts; the
/// rules then add their findings. The section texts the office has written are kept in the
/// records, so regenerating after new records keeps them.
pub async fn generate(
    state: &crate::AppState,
    organ: &gongkai_domain::records::Organ,
    year: i32,
    include_units: bool,
) -> AppResult<Report> {
    let input = state.db.report_input(organ, year, include_units).await?;
    let mut r = gongkai_domain::report::compute::compute(&input);
    r.organ_kind = organ.kind;
    with_findings(state, organ, r, include_units).await
}

/// Runs the rules on a report, across years too: against the latest published version of the
/// previous year, or, when none was published here, against that year computed from the records.
pub async fn with_findings(
    state: &crate::AppState,
    organ: &gongkai_domain::records::Organ,
    mut r: Report,
    include_units: bool,
) -> AppResult<Report> {
    let year = r.year;
    let published = state.db.published_reports(organ.id).await?;
    let previous = match published
        .iter()
        .filter(|p| p.year == year - 1)
        .max_by_key(|p| p.version)
    {
        Some(p) => Some(StoredReport::from_json(&p.report_json)?.to_report()),
        None => {
            let input = state
                .db
                .report_input(organ, year - 1, include_units)
                .await?;
            let empty = input.items.is_empty()
                && input.decisions.is_empty()
                && input.letters.is_empty()
                && !input.has_applications();
            (!empty).then(|| gongkai_domain::report::compute::compute(&input))
        }
    };
    r.findings.clear();
    // A draft is judged as if published today, so a late report (R12) is flagged before it is.
    if r.published.is_none() {
        r.published = Some(state.today());
    }
    Ok(gongkai_domain::report::compute::with_findings(
        r,
        previous.as_ref(),
    ))
}
