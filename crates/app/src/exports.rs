//! The annual report as a file, once for every door: `gongkai report` (alias `export`), the
//! portal's downloads, the back office and the API all call [`published`] or [`computed`] here,
//! so the same report, scope and format gives the same bytes whoever asks.
//!
//! Our decisions, written once here:
//! - **Two sources, not two doors.** A *published version* is the report as the organ published
//!   it: its figures, texts and charts frozen at publication (`StoredReport::stats`), dated with
//!   its publication day (the PDF/A and XLSX document dates, the signature). A *computed* report
//!   is the year as the records stand now (the CLI's default, the API's `computed`): dated today
//!   on the installation's clock, and its XLSX carries the records behind the figures as extra
//!   sheets (never public: the API asks for the right to view the organ). The portal offers only
//!   published versions; `gongkai report --published` writes the same files.
//! - **One default scope**: the organ with its units (a bureau's report covers its schools), as
//!   the back office generates drafts and the API computes; `--scope alone` / `scope=alone`
//!   counts the organ alone.
//! - **Charts** in every format that draws them (HTML, PDF, DOCX, XLSX), from the working-day
//!   calendar in the database (imported years included).
//! - **Made once, kept, bounded.** A published version's file is made on its first download and
//!   kept in the database (`report_files`), so every instance on one database serves the same
//!   bytes and none renders it again; a query string cannot reach past it (the file is looked up
//!   by version and format, not by URL). Renders run on blocking threads, never on the async
//!   workers, at most [`Limits::at_once`] at a time with at most [`Limits::queue`] waiting; past
//!   that, or past [`Limits::wait`], the caller gets [`Error::Busy`] (503 with `Retry-After`) —
//!   a render that outlives the wait still finishes and keeps its file for the next request.
//!   Memory is bounded by the cap on renders at once, by refusing reports whose texts exceed
//!   [`Limits::max_text_chars`], and by releasing typst's caches after each PDF
//!   (`gongkai_pdf::release_memory`). Concurrent first downloads of one version and format
//!   render it once (the others wait for the kept file).

use crate::reports::StoredReport;
use crate::{Actor, App, Error, Perm, Result};
use gongkai_domain::report::stats::ReportStats;
use gongkai_domain::report::{Report, ReportSet};
use gongkai_render::{docx, html, markdown, xlsx};
use gongkai_store::portal::PublishedReport;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A download format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Html,
    Pdf,
    Docx,
    Xlsx,
    Md,
    Json,
}

impl Format {
    /// Every format, in the order the portal offers them.
    pub const ALL: [Format; 6] = [
        Format::Html,
        Format::Pdf,
        Format::Docx,
        Format::Xlsx,
        Format::Md,
        Format::Json,
    ];

    pub fn parse(s: &str) -> Option<Format> {
        Some(match s.to_ascii_lowercase().as_str() {
            "html" | "htm" => Format::Html,
            "pdf" => Format::Pdf,
            "docx" => Format::Docx,
            "xlsx" => Format::Xlsx,
            "md" => Format::Md,
            "json" => Format::Json,
            _ => return None,
        })
    }

    /// The file extension, also the format's name in URLs.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Md => "md",
            Format::Json => "json",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Pdf => "application/pdf",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Md => "text/markdown; charset=utf-8",
            Format::Json => "application/json",
        }
    }

    /// The name the portal shows on the download link.
    pub fn label(self) -> &'static str {
        match self {
            Format::Html => "网页",
            Format::Pdf => "PDF",
            Format::Docx => "Word",
            Format::Xlsx => "Excel",
            Format::Md => "Markdown",
            Format::Json => "JSON数据",
        }
    }

    /// Formats that are typeset or packed (worth keeping once made).
    fn heavy(self) -> bool {
        matches!(self, Format::Pdf | Format::Docx | Format::Xlsx)
    }
}

/// Whose records a computed report counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// The organ and its units (the default everywhere).
    #[default]
    WithUnits,
    /// The organ alone.
    Alone,
}

impl Scope {
    pub fn include_units(self) -> bool {
        self == Scope::WithUnits
    }
}

/// How a file is laid out. The default is what the portal serves; the command line may ask for
/// other fonts, no charts, no record sheets or a plain PDF (and then gets a different file).
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub charts: bool,
    /// XLSX of a computed report: the records behind the figures as extra sheets.
    pub records: bool,
    /// Font directories searched before the built-in fonts (empty: the installation's).
    pub font_dirs: Vec<PathBuf>,
    pub title_font: Option<String>,
    pub body_font: Option<String>,
    pub pdfa: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            charts: true,
            records: true,
            font_dirs: Vec::new(),
            title_font: None,
            body_font: None,
            pdfa: true,
        }
    }
}

/// A report as a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// The file's name in Chinese: the report's title, its version when not the first.
    pub name: String,
    /// An ASCII name for clients that cannot read the Chinese one.
    pub ascii_name: String,
    pub format: Format,
    pub bytes: Arc<Vec<u8>>,
}

impl File {
    pub fn mime(&self) -> &'static str {
        self.format.mime()
    }
}

/// The bounds of rendering.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Renders running at once (each on a blocking thread).
    pub at_once: usize,
    /// Requests waiting for a render slot; one more is refused as busy.
    pub queue: usize,
    /// How long a caller waits for its file before it is told to come back.
    pub wait: Duration,
    /// The most characters of text (preamble and sections) a report may have to be rendered.
    pub max_text_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            at_once: 2,
            queue: 8,
            wait: Duration::from_secs(60),
            max_text_chars: 400_000,
        }
    }
}

/// The renderer every door shares (held by the [`App`]): a cap on renders at once, a bounded
/// queue, and the versions being made now, so concurrent first downloads render once.
#[derive(Clone, Debug)]
pub struct Exporter(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    limits: Limits,
    slots: Arc<tokio::sync::Semaphore>,
    waiting: AtomicUsize,
    renders: AtomicU64,
    making: Mutex<HashMap<(i64, Format), Arc<tokio::sync::Mutex<()>>>>,
}

impl Default for Exporter {
    fn default() -> Self {
        Exporter::new(Limits::default())
    }
}

impl Exporter {
    pub fn new(limits: Limits) -> Exporter {
        let at_once = limits.at_once.max(1);
        Exporter(Arc::new(Inner {
            slots: Arc::new(tokio::sync::Semaphore::new(at_once)),
            limits: Limits { at_once, ..limits },
            waiting: AtomicUsize::new(0),
            renders: AtomicU64::new(0),
            making: Mutex::new(HashMap::new()),
        }))
    }

    pub fn limits(&self) -> &Limits {
        &self.0.limits
    }

    /// How many renders this process has run (a kept file is not rendered again).
    pub fn renders(&self) -> u64 {
        self.0.renders.load(Ordering::SeqCst)
    }

    /// Runs `work` on a blocking thread within the bounds: [`Error::Busy`] when the queue is
    /// full or the result is not ready within [`Limits::wait`] (the work then still finishes,
    /// holding its slot until it does).
    pub async fn run<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce() -> anyhow::Result<T> + Send + 'static,
    {
        let inner = &self.0;
        if inner.waiting.fetch_add(1, Ordering::SeqCst) >= inner.limits.at_once + inner.limits.queue
        {
            inner.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(Error::Busy);
        }
        let deadline = tokio::time::Instant::now() + inner.limits.wait;
        let slot = tokio::time::timeout_at(deadline, inner.slots.clone().acquire_owned()).await;
        let slot = match slot {
            Ok(Ok(s)) => s,
            _ => {
                inner.waiting.fetch_sub(1, Ordering::SeqCst);
                return Err(Error::Busy);
            }
        };
        inner.renders.fetch_add(1, Ordering::SeqCst);
        let me = self.clone();
        let task = tokio::task::spawn_blocking(move || {
            let out = work();
            // The slot and the queue place are given back when the work ends, not when the
            // caller stops waiting: the cap counts the threads actually rendering.
            me.0.waiting.fetch_sub(1, Ordering::SeqCst);
            drop(slot);
            out
        });
        match tokio::time::timeout_at(deadline, task).await {
            Ok(Ok(Ok(v))) => Ok(v),
            Ok(Ok(Err(e))) => Err(Error::Internal(format!("{e:#}"))),
            Ok(Err(e)) => Err(Error::Internal(format!("导出中断：{e}"))),
            Err(_) => Err(Error::Busy),
        }
    }

    fn making(&self, key: (i64, Format)) -> Arc<tokio::sync::Mutex<()>> {
        self.0
            .making
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key)
            .or_default()
            .clone()
    }
}

/// The report of a published version as it was published: its texts and charts as frozen, the
/// signature dated with the day it was published (in Beijing time).
pub fn published_report(pr: &PublishedReport) -> Result<(Report, Option<ReportStats>)> {
    let stored = StoredReport::from_json(&pr.report_json)?;
    let mut report = stored.to_report();
    if report.published.is_none() {
        report.published = Some((pr.published_at + chrono::Duration::hours(8)).date_naive());
    }
    Ok((report, stored.stats))
}

/// A file's names: the report's title (the version when a correction), or the draft's.
fn names(report: &Report, version: Option<i32>, format: Format) -> (String, String) {
    let title = gongkai_render::text::title(report);
    let (suffix, ascii) = match version {
        Some(v) if v > 1 => (
            format!("（第{v}版）"),
            format!("report-{}-v{v}", report.year),
        ),
        Some(_) => (String::new(), format!("report-{}", report.year)),
        None => (
            "（草稿）".to_string(),
            format!("report-{}-draft", report.year),
        ),
    };
    (
        format!("{title}{suffix}.{}", format.ext()),
        format!("{ascii}.{}", format.ext()),
    )
}

/// A published version in `format`, for anyone (published reports are public): the kept file,
/// made once on the first request.
pub async fn published(app: &App, report_id: i64, format: Format) -> Result<File> {
    let pr = app
        .db
        .published_report(report_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("年度报告（编号 {report_id}）")))?;
    let (report, stats) = published_report(&pr)?;
    let (name, ascii_name) = names(&report, Some(pr.version), format);
    let file = |bytes: Vec<u8>| File {
        name: name.clone(),
        ascii_name: ascii_name.clone(),
        format,
        bytes: Arc::new(bytes),
    };
    if format == Format::Html {
        // The page as it was published, kept verbatim since.
        return Ok(file(pr.html.into_bytes()));
    }
    if !format.heavy() {
        return Ok(file(
            render(
                &report,
                stats.as_ref(),
                &[],
                format,
                &Layout::default(),
                report.published,
            )
            .map_err(|e| Error::Internal(format!("{e:#}")))?,
        ));
    }
    if let Some(b) = app.db.report_file(report_id, format.ext()).await? {
        return Ok(file(b));
    }
    let making = app.exports.making((report_id, format));
    let _turn = match tokio::time::timeout(app.exports.limits().wait, making.lock_owned()).await {
        Ok(g) => g,
        Err(_) => return Err(Error::Busy),
    };
    // Another request of this process may have made it while this one waited its turn.
    if let Some(b) = app.db.report_file(report_id, format.ext()).await? {
        return Ok(file(b));
    }
    check_size(&report, &app.exports)?;
    let date = report.published;
    let bytes = app
        .exports
        .run(move || {
            render(
                &report,
                stats.as_ref(),
                &[],
                format,
                &Layout::default(),
                date,
            )
        })
        .await?;
    app.db
        .keep_report_file(report_id, format.ext(), &bytes, app.time.now().naive_utc())
        .await?;
    // The kept row is what is served, also when another instance kept its copy first.
    let kept = app.db.report_file(report_id, format.ext()).await?;
    Ok(file(kept.unwrap_or(bytes)))
}

/// The latest published version of an organ's year (or version `version`), for the command line.
pub async fn find_published(
    app: &App,
    organ_id: i64,
    year: i32,
    version: Option<i32>,
) -> Result<PublishedReport> {
    app.db
        .published_reports(organ_id)
        .await?
        .into_iter()
        .filter(|p| p.year == year && version.is_none_or(|v| p.version == v))
        .max_by_key(|p| p.version)
        .ok_or_else(|| match version {
            Some(v) => Error::NotFound(format!("{year}年度报告的第{v}版")),
            None => Error::NotFound(format!("已发布的{year}年度报告")),
        })
}

/// A year's report computed from the records as they stand now, for an actor who may see the
/// organ, dated today.
pub async fn computed(
    app: &App,
    actor: &Actor,
    organ_id: i64,
    year: i32,
    scope: Scope,
    format: Format,
    layout: &Layout,
) -> Result<File> {
    actor.require(app, Perm::View, organ_id).await?;
    let report = crate::reports::view(app, actor, organ_id, year, scope.include_units()).await?;
    let organ = app
        .db
        .organ(organ_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("机关（编号 {organ_id}）")))?;
    let wants_input = (layout.charts && format != Format::Md && format != Format::Json)
        || (layout.records && format == Format::Xlsx);
    let input = if wants_input {
        Some(
            app.db
                .report_input(&organ, year, scope.include_units())
                .await?,
        )
    } else {
        None
    };
    let stats = match &input {
        Some(i) if layout.charts => Some(stats_of(app, i, &report).await?),
        _ => None,
    };
    let records = match &input {
        Some(i) if layout.records && format == Format::Xlsx => xlsx::record_sheets(i),
        _ => Vec::new(),
    };
    let (name, ascii_name) = names(&report, None, format);
    check_size(&report, &app.exports)?;
    let date = Some(app.time.today());
    let layout = layout.clone();
    let bytes = app
        .exports
        .run(move || render(&report, stats.as_ref(), &records, format, &layout, date))
        .await?;
    Ok(File {
        name,
        ascii_name,
        format,
        bytes: Arc::new(bytes),
    })
}

/// The chart figures of a year, on the working-day calendar in the database (imported years
/// included), completed from the report's own table 三.
pub async fn stats_of(
    app: &App,
    input: &gongkai_domain::report::compute::ReportInput,
    report: &Report,
) -> Result<ReportStats> {
    let calendar = app.db.calendar().await?;
    Ok(gongkai_domain::report::stats::from_input(input, &calendar).completed_from(report))
}

fn check_size(report: &Report, exporter: &Exporter) -> Result<()> {
    let chars = report.preamble.chars().count()
        + report
            .texts
            .iter()
            .map(|t| t.body.chars().count())
            .sum::<usize>();
    let max = exporter.limits().max_text_chars;
    if chars > max {
        return Err(Error::invalid(
            "",
            format!("报告正文共{chars}字，超过导出上限{max}字：请精简各部分文字后再导出"),
        ));
    }
    Ok(())
}

/// A report in one format, dated `date` (the PDF/A and XLSX document dates), with charts when
/// `stats` has figures and the layout asks for them, and `records` as extra XLSX sheets.
pub fn render(
    report: &Report,
    stats: Option<&ReportStats>,
    records: &[xlsx::RecordSheet],
    format: Format,
    layout: &Layout,
    date: Option<chrono::NaiveDate>,
) -> anyhow::Result<Vec<u8>> {
    let stats = stats.filter(|s| layout.charts && !s.is_empty());
    Ok(match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&ReportSet {
                reports: vec![report.clone()],
            })?;
            s.push('\n');
            s.into_bytes()
        }
        Format::Md => markdown::report(report).into_bytes(),
        Format::Html => match stats {
            Some(s) => html::report_page_with_stats(report, s),
            None => html::report_page(report),
        }
        .into_bytes(),
        Format::Docx => {
            let mut d = docx::DocxOptions::default();
            if let Some(f) = &layout.title_font {
                d.title_font.name = f.clone();
            }
            if let Some(f) = &layout.body_font {
                d.body_font.name = f.clone();
                d.table_font.name = f.clone();
            }
            match stats {
                Some(s) => docx::report_with_stats(report, s, &d, &layout.font_dirs)?,
                None => docx::report(report, &d)?,
            }
        }
        Format::Xlsx => xlsx::report_dated(report, stats, records, date)?,
        Format::Pdf => {
            let mut p = gongkai_pdf::PdfOptions {
                font_dirs: layout.font_dirs.clone(),
                pdfa: layout.pdfa,
                date,
                ..Default::default()
            };
            if let Some(f) = &layout.title_font {
                p.title_fonts.insert(0, f.clone());
            }
            if let Some(f) = &layout.body_font {
                p.body_fonts.insert(0, f.clone());
                p.table_fonts.insert(0, f.clone());
            }
            gongkai_pdf::report_with_stats(report, stats, &p)?
        }
    })
}
