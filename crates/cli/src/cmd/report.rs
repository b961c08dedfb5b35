//! `gongkai report` (also `gongkai export`): the annual report of an organ for a year as a file,
//! made by the one export use case (`gongkai_app::exports`) that the portal's downloads, the back
//! office and the API also use, so the same report, scope and format gives the same bytes:
//! computed from the records (the default; with the organ's units unless `--scope alone`), or a
//! published version exactly as the portal serves it (`--published`, `--version N`). Formats: the
//! spec's JSON, Markdown, the HTML page, or a file people publish — DOCX or PDF laid out as an
//! official document, XLSX with the official tables, charts and the underlying records.
//! `gongkai report text` edits the stored text of a section.

use anyhow::{Context, bail};
use clap::{Args as ClapArgs, Subcommand, ValueEnum};
use gongkai_app::App;
use gongkai_app::exports::{self, Format, Layout, Scope};
use gongkai_domain::report::layout;
use std::path::{Path, PathBuf};

#[derive(ClapArgs)]
#[command(subcommand_negates_reqs = true)]
pub struct Args {
    /// 机关代码或全称
    #[arg(long, required = true)]
    pub organ: Option<String>,
    /// 报告年度
    #[arg(long, required = true)]
    pub year: Option<i32>,
    /// 输出格式（默认按输出文件的扩展名；无输出文件时为 json）
    #[arg(long, value_enum)]
    pub format: Option<OutFormat>,
    /// 输出文件（json、md、html 可省略，输出到标准输出）
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// 统计范围：units 本机关及所属单位（默认，与管理后台、接口相同），alone 只统计本机关
    #[arg(long, value_enum, default_value = "units")]
    pub scope: ScopeArg,
    /// 已不需要：默认即统计所属单位（保留以兼容旧脚本）
    #[arg(long, hide = true)]
    pub include_units: bool,
    /// 输出已发布的最新版本（与门户网站下载的文件相同），而不是按当前记录计算
    #[arg(long, conflicts_with = "scope")]
    pub published: bool,
    /// 输出已发布的第几版（与门户网站下载的文件相同）
    #[arg(long, conflicts_with = "scope")]
    pub version: Option<i32>,
    #[command(flatten)]
    pub layout: LayoutArgs,
    #[command(subcommand)]
    pub sub: Option<Sub>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScopeArg {
    Units,
    Alone,
}

/// How the files people publish are laid out (any of these gives a file other than the
/// portal's).
#[derive(ClapArgs, Default)]
pub struct LayoutArgs {
    /// 不附统计图表（html、docx、pdf、xlsx）
    #[arg(long)]
    pub no_charts: bool,
    /// XLSX 不附原始记录工作表
    #[arg(long)]
    pub no_records: bool,
    /// 字体目录（可多次指定；默认 /usr/share/fonts/opentype/noto 或 GONGKAI_FONT_DIRS；另有内置中文字体）
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

impl LayoutArgs {
    fn layout(&self) -> Layout {
        Layout {
            charts: !self.no_charts,
            records: !self.no_records,
            font_dirs: self.font_dirs.clone(),
            title_font: self.title_font.clone(),
            body_font: self.body_font.clone(),
            pdfa: !self.no_pdfa,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutFormat {
    Json,
    Md,
    Html,
    Pdf,
    Docx,
    Xlsx,
}

impl OutFormat {
    fn from_path(p: &Path) -> Option<OutFormat> {
        match p.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" => Some(OutFormat::Json),
            "md" => Some(OutFormat::Md),
            "html" | "htm" => Some(OutFormat::Html),
            "pdf" => Some(OutFormat::Pdf),
            "docx" => Some(OutFormat::Docx),
            "xlsx" => Some(OutFormat::Xlsx),
            _ => None,
        }
    }

    fn format(self) -> Format {
        match self {
            OutFormat::Json => Format::Json,
            OutFormat::Md => Format::Md,
            OutFormat::Html => Format::Html,
            OutFormat::Pdf => Format::Pdf,
            OutFormat::Docx => Format::Docx,
            OutFormat::Xlsx => Format::Xlsx,
        }
    }

    /// Formats that are not text go to a file only.
    fn binary(self) -> bool {
        matches!(self, OutFormat::Pdf | OutFormat::Docx | OutFormat::Xlsx)
    }

    /// The format asked for, else the output file's, else JSON on standard output.
    fn choose(asked: Option<OutFormat>, output: Option<&Path>) -> anyhow::Result<OutFormat> {
        let f = match (asked, output) {
            (Some(f), _) => f,
            (None, None) => OutFormat::Json,
            (None, Some(p)) => match OutFormat::from_path(p) {
                Some(f) => f,
                None => bail!(
                    "无法从文件名“{}”判断输出格式：请用 --format 指定 json、md、html、pdf、docx 或 xlsx",
                    p.display()
                ),
            },
        };
        if f.binary() && output.is_none() {
            bail!("PDF、DOCX、XLSX 须写入文件：请用 -o 指定输出文件");
        }
        Ok(f)
    }
}

#[derive(Subcommand)]
pub enum Sub {
    /// 查看或修改报告某一部分的文字（不修改时使用系统根据数据起草的文字）
    Text(TextArgs),
}

#[derive(ClapArgs)]
pub struct TextArgs {
    /// 机关代码或全称
    #[arg(long)]
    pub organ: String,
    /// 报告年度
    #[arg(long)]
    pub year: i32,
    /// 第几部分（1–6，对应“一”至“六”）
    #[arg(long, value_parser = clap::value_parser!(i32).range(1..=6))]
    pub section: i32,
    /// 从文件读入新的文字（UTF-8）
    #[arg(long, conflicts_with = "clear")]
    pub file: Option<PathBuf>,
    /// 删除已保存的文字，恢复为系统起草的文字
    #[arg(long)]
    pub clear: bool,
}

pub fn run(database_url: &str, args: Args) -> anyhow::Result<()> {
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let app = super::app(database_url).await?;
        match args.sub {
            Some(Sub::Text(t)) => text(&app, t).await,
            None => report(&app, &args).await,
        }
    })
}

async fn report(app: &App, args: &Args) -> anyhow::Result<()> {
    let format = OutFormat::choose(args.format, args.output.as_deref())?.format();
    let organ = super::find_organ(app, args.organ.as_deref().unwrap_or_default()).await?;
    let year = args.year.unwrap_or_default();
    let actor = super::operator();
    let layout = args.layout.layout();
    let file = if args.published || args.version.is_some() {
        if layout != Layout::default() {
            bail!(
                "--published 与 --version 输出与门户网站相同的文件，不能与版式选项（--no-charts、--font-dir 等）同用"
            );
        }
        let pr = exports::find_published(app, organ.id, year, args.version).await?;
        exports::published(app, pr.id, format).await?
    } else {
        let scope = match args.scope {
            ScopeArg::Units => Scope::WithUnits,
            ScopeArg::Alone => Scope::Alone,
        };
        exports::computed(app, &actor, organ.id, year, scope, format, &layout).await?
    };
    match &args.output {
        Some(p) => {
            std::fs::write(p, file.bytes.as_slice())
                .with_context(|| format!("无法写入 {}", p.display()))?;
            eprintln!("已写入 {}", p.display());
        }
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&file.bytes)?;
        }
    }
    Ok(())
}

async fn text(app: &App, t: TextArgs) -> anyhow::Result<()> {
    let organ = super::find_organ(app, &t.organ).await?;
    let heading = layout::SECTIONS[(t.section - 1) as usize];
    let actor = super::operator();
    if t.clear {
        gongkai_app::reports::set_text(app, &actor, organ.id, t.year, t.section, None).await?;
        eprintln!(
            "已删除{}{}年报告“{heading}”的保存文字，将使用系统起草的文字",
            organ.name, t.year
        );
        return Ok(());
    }
    if let Some(p) = &t.file {
        let body = std::fs::read_to_string(p)
            .with_context(|| format!("无法读取 {}（应为 UTF-8 文本）", p.display()))?;
        if body.trim().is_empty() {
            bail!(
                "文件 {} 是空的：如要恢复系统起草的文字，请使用 --clear",
                p.display()
            );
        }
        gongkai_app::reports::set_text(app, &actor, organ.id, t.year, t.section, Some(&body))
            .await?;
        eprintln!("已保存{}{}年报告“{heading}”的文字", organ.name, t.year);
        return Ok(());
    }
    // Neither: show the text currently used (stored or drafted).
    let report = gongkai_app::reports::compute(app, &organ, t.year, true).await?;
    println!("{heading}\n{}", report.text_of(heading).unwrap_or_default());
    Ok(())
}
