//! Rendering annual reports (and the notices of the applications workflow) for people: a
//! standalone HTML page an organ would publish, Markdown, DOCX in the official-document manner,
//! XLSX with the official tables, SVG charts.
//!
//! Every label comes from `gongkai_domain::report::layout`; the table shapes (which header spans
//! what) are worked out once in [`tables`] and shared by every format, so the HTML, the DOCX and
//! the XLSX cannot disagree about where a merged cell sits.

pub mod charts;
pub mod docx;
pub mod fonts;
pub mod html;
pub mod markdown;
pub mod notice;
/// Sample reports for tests, benchmarks and visual checks (not for production use).
#[doc(hidden)]
pub mod sample;
pub mod tables;
pub mod text;
pub mod xlsx;
