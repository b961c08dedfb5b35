//! Exporting one report in every format: HTML (with charts), Markdown, DOCX (charts as PNG),
//! XLSX (native charts) and PDF (typst, charts as SVG). Target: under 2 s for all together.
//!
//! `cargo bench -p gongkai-pdf --bench export` (add `--profile dev` to skip the long release
//! build of typst). The first round includes loading the CJK fonts, which happens once per
//! process; the figure that matters is a warm round, as in a server or a batch export.

use gongkai_render::{docx, html, markdown, sample, xlsx};
use std::time::{Duration, Instant};

fn round(year: i32, i: i64) -> anyhow::Result<[(&'static str, Duration); 5]> {
    let mut r = sample::report(year);
    // A different figure each round, so typst's in-process memoisation cannot replay the
    // previous round's layout: each round typesets a new document, as a server would.
    let column = gongkai_domain::report::layout::blocks(r.format)[1].columns[0].0;
    r.set_int("二", "行政许可", column, 100 + i);
    let stats = sample::stats(year);
    let time = |f: &mut dyn FnMut() -> anyhow::Result<usize>| -> anyhow::Result<Duration> {
        let t = Instant::now();
        let n = f()?;
        assert!(n > 0);
        Ok(t.elapsed())
    };
    Ok([
        (
            "HTML",
            time(&mut || Ok(html::report_page_with_stats(&r, &stats).len()))?,
        ),
        ("Markdown", time(&mut || Ok(markdown::report(&r).len()))?),
        (
            "DOCX",
            time(&mut || {
                Ok(docx::report_with_stats(&r, &stats, &docx::DocxOptions::default(), &[])?.len())
            })?,
        ),
        (
            "XLSX",
            time(&mut || Ok(xlsx::report(&r, Some(&stats), &[])?.len()))?,
        ),
        (
            "PDF",
            time(&mut || {
                Ok(gongkai_pdf::report_with_stats(
                    &r,
                    Some(&stats),
                    &gongkai_pdf::PdfOptions::default(),
                )?
                .len())
            })?,
        ),
    ])
}

fn main() -> anyhow::Result<()> {
    // `cargo test --benches` passes --bench; a plain run measures. Either way run a full round.
    let rounds = 5;
    for year in [2020, 2022] {
        let mut totals = Vec::new();
        for i in 0..=rounds {
            let times = round(year, i as i64)?;
            let total: Duration = times.iter().map(|(_, d)| *d).sum();
            let parts: Vec<String> = times
                .iter()
                .map(|(n, d)| format!("{n} {:.0} ms", d.as_secs_f64() * 1000.0))
                .collect();
            let label = if i == 0 {
                "冷启动（含加载字体）"
            } else {
                "热"
            };
            println!(
                "{year} 年报告 {label}：合计 {:.0} ms（{}）",
                total.as_secs_f64() * 1000.0,
                parts.join("，")
            );
            if i > 0 {
                totals.push(total);
            }
        }
        totals.sort();
        println!(
            "{year} 年报告 全部格式导出 中位数：{:.0} ms",
            totals[totals.len() / 2].as_secs_f64() * 1000.0
        );
    }
    Ok(())
}
