//! `gongkai export`: the annual report of an organ for a year as a file people publish or send
//! on — DOCX or PDF laid out as an official document, XLSX with the official tables, charts and
//! the underlying records, or the HTML page / Markdown with charts.

use anyhow::{Context, bail};
use clap::{Args as ClapArgs, ValueEnum};
use gongkai_domain::calendar::Calendar;
use gongkai_domain::report::stats;
use gongkai_render::{docx, html, markdown, xlsx};
use gongkai_store::Db;
use std::path::{Path, PathBuf};

#[derive(ClapArgs)]
pub struct Args {
    /// 机关代码或全称
    #[arg(long)]
    pub organ: String,
    /// 报告年度
    #[arg(long)]
    pub year: i32,
    /// 导出格式（默认按输出文件的扩展名）
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,
    /// 输出文件
    #[arg(short = 'o', long)]
    pub output: PathBuf,
    /// 同时统计所属单位的记录（默认只统计本机关）
    #[arg(long)]
    pub include_units: bool,
    /// 不附统计图表
    #[arg(long)]
    pub no_charts: bool,
    /// XLSX 不附原始记录工作表
    #[arg(long)]
    pub no_records: bool,
    /// 字体目录（可多次指定；默认 /usr/share/fonts/opentype/noto）
    #[arg(long = "font-dir")]
    pub font_dirs: Vec<PathBuf>,
    /// 标题字体（DOCX 与 PDF 优先使用，缺少时回退到默认字体）
    #[arg(long)]
    pub title_font: Option<String>,
    /// 正文字体（DOCX 与 PDF 优先使用，缺少时回退到默认字体）
    #[arg(long)]
    pub body_font: Option<String>,
    /// PDF 不采用 PDF/A-2b 归档格式
    #[arg(long)]
    pub no_pdfa: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Docx,
    Pdf,
    Xlsx,
    Html,
    Md,
}

impl ExportFormat {
    fn from_path(p: &Path) -> Option<ExportFormat> {
        match p.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "docx" => Some(ExportFormat::Docx),
            "pdf" => Some(ExportFormat::Pdf),
            "xlsx" => Some(ExportFormat::Xlsx),
            "html" | "htm" => Some(ExportFormat::Html),
            "md" => Some(ExportFormat::Md),
            _ => None,
        }
    }
}

pub fn run(database_url: &str, args: Args) -> anyhow::Result<()> {
    let format = match args
        .format
        .or_else(|| ExportFormat::from_path(&args.output))
    {
        Some(f) => f,
        None => bail!(
            "无法从文件名“{}”判断导出格式：请用 --format 指定 docx、pdf、xlsx、html 或 md",
            args.output.display()
        ),
    };
    if !(2008..=9999).contains(&args.year) {
        bail!("年度“{}”不对：政府信息公开年度报告从2008年起", args.year);
    }
    let rt = tokio::runtime::Runtime::new()?;
    let (report, input) = rt.block_on(async {
        let db = Db::connect(database_url).await?;
        let organ = match db.find_organ(&args.organ).await? {
            Some(o) => o,
            None => bail!(
                "找不到机关“{}”：请使用机关代码或全称（可用 gongkai organs 查看）",
                args.organ
            ),
        };
        let report = db
            .compute_report(&organ, args.year, args.include_units)
            .await?;
        let input = db
            .report_input(&organ, args.year, args.include_units)
            .await?;
        anyhow::Ok((report, input))
    })?;
    let stats = (!args.no_charts)
        .then(|| stats::from_input(&input, &Calendar::builtin()).completed_from(&report));
    let bytes = export(&report, stats.as_ref(), &input, format, &args)?;
    std::fs::write(&args.output, bytes)
        .with_context(|| format!("无法写入 {}", args.output.display()))?;
    eprintln!("已写入 {}", args.output.display());
    Ok(())
}

/// Renders a computed report in one format (shared with `report --format` where wired).
pub fn export(
    report: &gongkai_domain::report::Report,
    stats: Option<&stats::ReportStats>,
    input: &gongkai_domain::report::compute::ReportInput,
    format: ExportFormat,
    args: &Args,
) -> anyhow::Result<Vec<u8>> {
    Ok(match format {
        ExportFormat::Md => markdown::report(report).into_bytes(),
        ExportFormat::Html => match stats {
            Some(s) => html::report_page_with_stats(report, s),
            None => html::report_page(report),
        }
        .into_bytes(),
        ExportFormat::Docx => {
            let mut o = docx::DocxOptions::default();
            if let Some(f) = &args.title_font {
                o.title_font.name = f.clone();
            }
            if let Some(f) = &args.body_font {
                o.body_font.name = f.clone();
                o.table_font.name = f.clone();
            }
            match stats {
                Some(s) => docx::report_with_stats(report, s, &o, &args.font_dirs)?,
                None => docx::report(report, &o)?,
            }
        }
        ExportFormat::Xlsx => {
            let records = if args.no_records {
                Vec::new()
            } else {
                xlsx::record_sheets(input)
            };
            xlsx::report(report, stats, &records)?
        }
        ExportFormat::Pdf => {
            let mut o = gongkai_pdf::PdfOptions {
                font_dirs: args.font_dirs.clone(),
                pdfa: !args.no_pdfa,
                // PDF/A needs a document date; the CLI is the edge where the clock may be read.
                date: Some(chrono::Local::now().date_naive()),
                ..Default::default()
            };
            if let Some(f) = &args.title_font {
                o.title_fonts.insert(0, f.clone());
            }
            if let Some(f) = &args.body_font {
                o.body_fonts.insert(0, f.clone());
                o.table_fonts.insert(0, f.clone());
            }
            gongkai_pdf::report_with_stats(report, stats, &o)?
        }
    })
}
