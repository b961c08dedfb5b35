//! `gongkai audit`: reads published annual reports (PDF, DOCX, HTML, extracted text; files and
//! folders) and checks them against the rules. One unreadable file never stops the batch: it is
//! listed with the reason in the summary and the CSV.

use anyhow::Context;
use clap::Args as ClapArgs;
use gongkai_audit::{Outcome, ReadError};
use gongkai_domain::report::{Report, Severity};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(ClapArgs)]
pub struct Args {
    /// 要检查的文件或文件夹（文件夹递归读取 .pdf .docx .html .htm .txt）
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// 输出 JSON（报告集：机关、年度、格式、章节、全部单元格与问题，以及每张表的读取情况 read）
    #[arg(long)]
    pub json: bool,
    /// 并行读取的线程数（默认为 CPU 核数）
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// 把全部问题写入 CSV 文件（UTF-8，带 BOM，Excel 可直接打开）
    #[arg(long)]
    pub csv: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let files = gongkai_audit::collect_files(&args.paths);
    if files.is_empty() {
        anyhow::bail!("没有找到可读取的报告文件（支持 .pdf .docx .html .htm .txt）");
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, 64);
    let bar = if files.len() > 1 {
        let b = indicatif::ProgressBar::new(files.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} 份 {elapsed} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };

    // Work-stealing over an index: files vary a lot in cost (a PDF runs pdftotext twice).
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new((0..files.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..jobs.min(files.len()) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    // A panic in the reader is a bug, but must not lose the batch.
                    let r = std::panic::catch_unwind(|| gongkai_audit::read_path(path))
                        .unwrap_or_else(|_| {
                            Err(ReadError::Format(
                                "读取时发生内部错误（已记录，请报告此文件）".into(),
                            ))
                        });
                    if let Ok(mut g) = results.lock() {
                        g[i] = Some((path.clone(), r));
                    }
                    if let Some(b) = &bar {
                        b.inc(1);
                    }
                }
            });
        }
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let outcomes: Vec<Outcome> = results
        .into_inner()
        .map_err(|_| anyhow::anyhow!("内部错误：结果表被破坏"))?
        .into_iter()
        .flatten()
        .collect();
    let (set, failed) = gongkai_audit::finish(outcomes);

    if let Some(path) = &args.csv {
        write_csv(path, &set.reports, &failed)
            .with_context(|| format!("无法写入 CSV 文件 {}", path.display()))?;
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        // Per report, how each table was read ("read": {"三": "partial", …}).
        serde_json::to_writer_pretty(&mut out, &gongkai_audit::to_json(&set))?;
        writeln!(out)?;
        for (p, e) in &failed {
            eprintln!("无法读取 {}：{e}", p.display());
        }
    } else {
        for r in &set.reports {
            human(&mut out, r)?;
        }
        if set.reports.len() + failed.len() > 1 {
            summary(&mut out, &set.reports, &failed)?;
        } else {
            for (p, e) in &failed {
                writeln!(out, "无法读取 {}：{e}", p.display())?;
            }
        }
    }
    Ok(())
}

fn counts(r: &Report) -> (usize, usize) {
    let e = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    (e, r.findings.len() - e)
}

fn human(out: &mut impl Write, r: &Report) -> std::io::Result<()> {
    let (e, w) = counts(r);
    writeln!(out, "━━ {}", r.source.as_deref().unwrap_or("（未命名）"))?;
    writeln!(
        out,
        "机关：{}　年度：{}　格式：{}（{}）",
        if r.organ.is_empty() {
            "（未识别）"
        } else {
            &r.organ
        },
        if r.year == 0 {
            "（未识别）".to_string()
        } else {
            r.year.to_string()
        },
        r.format.as_str(),
        r.format.document_number()
    )?;
    let filled = r.cells.iter().filter(|c| c.value.is_some()).count();
    writeln!(
        out,
        "章节：{}/6　单元格：{} 个（有数值 {} 个）",
        r.sections.len(),
        r.cells.len(),
        filled
    )?;
    let reads = gongkai_audit::table_reads(r);
    if !reads.is_empty() {
        let list: Vec<String> = reads
            .iter()
            .map(|(t, k)| format!("表{t}{}", read_label(*k)))
            .collect();
        writeln!(out, "读取：{}", list.join("，"))?;
    }
    if r.findings.is_empty() {
        writeln!(out, "✓ 未发现问题\n")?;
        return Ok(());
    }
    writeln!(out, "发现 {e} 个错误、{w} 个警告：")?;
    for f in &r.findings {
        writeln!(
            out,
            "  [{}] {} {}：{}",
            f.severity.label(),
            f.rule,
            f.location,
            f.message
        )?;
    }
    writeln!(out)
}

/// How a table was read, in the words of the human output.
fn read_label(k: gongkai_audit::Read) -> &'static str {
    match k {
        gongkai_audit::Read::Exact => "完整读出",
        gongkai_audit::Read::Solved => "按勾稽关系拆分读出",
        gongkai_audit::Read::Partial => "部分读出",
        gongkai_audit::Read::Unreadable => "无法读出",
    }
}

/// The summary's 读取 column: 完整 when every table was read exactly or solved, otherwise the
/// tables read in part or not at all.
fn read_summary(r: &Report) -> String {
    let bad: Vec<String> = gongkai_audit::table_reads(r)
        .into_iter()
        .filter(|(_, k)| {
            matches!(
                k,
                gongkai_audit::Read::Partial | gongkai_audit::Read::Unreadable
            )
        })
        .map(|(t, k)| format!("表{t}{}", read_label(k)))
        .collect();
    if bad.is_empty() {
        "完整".into()
    } else {
        bad.join("，")
    }
}

fn summary(
    out: &mut impl Write,
    reports: &[Report],
    failed: &[(PathBuf, ReadError)],
) -> std::io::Result<()> {
    writeln!(
        out,
        "══ 汇总：共 {} 份文件，读取 {} 份，无法读取 {} 份",
        reports.len() + failed.len(),
        reports.len(),
        failed.len()
    )?;
    writeln!(
        out,
        "{:<40} {:<20} {:>6} {:>6} {:>6}  读取",
        "文件", "机关", "年度", "错误", "警告"
    )?;
    for r in reports {
        let (e, w) = counts(r);
        let name = r
            .source
            .as_deref()
            .map(|s| s.rsplit('/').next().unwrap_or(s))
            .unwrap_or("");
        writeln!(
            out,
            "{:<40} {:<20} {:>6} {:>6} {:>6}  {}",
            name,
            r.organ,
            r.year,
            e,
            w,
            read_summary(r)
        )?;
    }
    for (p, e) in failed {
        writeln!(out, "{:<40} 无法读取：{e}", p.display())?;
    }
    let clean = reports.iter().filter(|r| r.findings.is_empty()).count();
    writeln!(out, "无问题的报告：{clean} 份")
}

fn write_csv(
    path: &std::path::Path,
    reports: &[Report],
    failed: &[(PathBuf, ReadError)],
) -> anyhow::Result<()> {
    let mut file = std::fs::File::create(path)?;
    file.write_all(b"\xef\xbb\xbf")?;
    let mut w = csv::Writer::from_writer(file);
    w.write_record(["文件", "机关", "年度", "规则", "级别", "位置", "说明"])?;
    for r in reports {
        for f in &r.findings {
            w.write_record([
                r.source.as_deref().unwrap_or(""),
                &r.organ,
                &r.year.to_string(),
                f.rule.as_str(),
                f.severity.label(),
                &f.location,
                &f.message,
            ])?;
        }
    }
    for (p, e) in failed {
        w.write_record([
            &p.display().to_string(),
            "",
            "",
            "",
            "无法读取",
            "文档",
            &e.to_string(),
        ])?;
    }
    w.flush()?;
    Ok(())
}
