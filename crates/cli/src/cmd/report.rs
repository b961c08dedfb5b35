//! `gongkai report`: the annual report of an organ for a year, computed from its records, as
//! JSON (the spec's `ReportSet`), Markdown or HTML; `gongkai report text` edits the stored text
//! of a section.

use anyhow::{Context, bail};
use clap::{Args as ClapArgs, Subcommand, ValueEnum};
use gongkai_domain::report::{ReportSet, layout};
use gongkai_store::Db;
use std::path::PathBuf;

#[derive(ClapArgs)]
#[command(subcommand_negates_reqs = true)]
pub struct Args {
    /// 机关代码或全称
    #[arg(long, required = true)]
    pub organ: Option<String>,
    /// 报告年度
    #[arg(long, required = true)]
    pub year: Option<i32>,
    /// 输出格式
    #[arg(long, value_enum, default_value = "json")]
    pub format: OutFormat,
    /// 输出文件（默认输出到标准输出）
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// 同时统计所属单位的记录（默认只统计本机关）
    #[arg(long)]
    pub include_units: bool,
    #[command(subcommand)]
    pub sub: Option<Sub>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OutFormat {
    Json,
    Md,
    Html,
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
        let db = Db::connect(database_url).await?;
        match args.sub {
            Some(Sub::Text(t)) => text(&db, t).await,
            None => report(&db, &args).await,
        }
    })
}

async fn find_organ(db: &Db, key: &str) -> anyhow::Result<gongkai_domain::records::Organ> {
    match db.find_organ(key).await? {
        Some(o) => Ok(o),
        None => bail!("找不到机关“{key}”：请使用机关代码或全称（可用 gongkai organs 查看）"),
    }
}

async fn report(db: &Db, args: &Args) -> anyhow::Result<()> {
    let organ = find_organ(db, args.organ.as_deref().unwrap_or_default()).await?;
    let year = args.year.unwrap_or_default();
    if !(2008..=9999).contains(&year) {
        bail!("年度“{year}”不对：政府信息公开年度报告从2008年起");
    }
    let report = db.compute_report(&organ, year, args.include_units).await?;
    let out = match args.format {
        OutFormat::Json => {
            let mut s = serde_json::to_string_pretty(&ReportSet {
                reports: vec![report],
            })?;
            s.push('\n');
            s
        }
        OutFormat::Md => gongkai_render::markdown::report(&report),
        OutFormat::Html => gongkai_render::html::report_page(&report),
    };
    match &args.output {
        Some(p) => {
            std::fs::write(p, out).with_context(|| format!("无法写入 {}", p.display()))?;
            eprintln!("已写入 {}", p.display());
        }
        None => print!("{out}"),
    }
    Ok(())
}

async fn text(db: &Db, t: TextArgs) -> anyhow::Result<()> {
    let organ = find_organ(db, &t.organ).await?;
    let heading = layout::SECTIONS[(t.section - 1) as usize];
    if t.clear {
        db.clear_report_text(organ.id, t.year, t.section).await?;
        eprintln!(
            "已删除{}{}年报告“{heading}”的保存文字，将使用系统起草的文字",
            organ.name, t.year
        );
        return Ok(());
    }
    if let Some(p) = &t.file {
        let body = std::fs::read_to_string(p)
            .with_context(|| format!("无法读取 {}（应为 UTF-8 文本）", p.display()))?;
        let body = body.trim_end();
        if body.trim().is_empty() {
            bail!(
                "文件 {} 是空的：如要恢复系统起草的文字，请使用 --clear",
                p.display()
            );
        }
        db.set_report_text(organ.id, t.year, t.section, body)
            .await?;
        eprintln!("已保存{}{}年报告“{heading}”的文字", organ.name, t.year);
        return Ok(());
    }
    // Neither: show the text currently used (stored or drafted).
    let report = db.compute_report(&organ, t.year, false).await?;
    println!("{heading}\n{}", report.text_of(heading).unwrap_or_default());
    Ok(())
}
