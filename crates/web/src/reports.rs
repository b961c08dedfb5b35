//! The annual report as the portal keeps it: a draft generated from the records whose texts the
//! office edits, and frozen published versions, each downloadable in the usual formats.

use crate::error::{AppError, AppResult};
use axum::http::header;
use axum::response::{IntoResponse, Response};

pub use gongkai_app::reports::StoredReport;

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
