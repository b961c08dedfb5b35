//! `gongkai inspect URL`: crawls a running portal as an inspector of government sites does and
//! prints the checklist (`gongkai_web::inspect`); the exit code is 1 when a 单项否决 item is
//! found, 2 when the command cannot run. `scripts/inspect` calls it.

use chrono::NaiveDate;
use clap::Args as ClapArgs;

#[derive(ClapArgs)]
pub struct Args {
    /// 门户网站的本机地址（http://），默认 http://127.0.0.1:8080
    #[arg(default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// 检查日期（默认今天，北京时间），如 2026-12-08
    #[arg(long)]
    pub today: Option<String>,
    /// 最多抓取的页面数
    #[arg(long, default_value_t = 5000)]
    pub max_pages: usize,
    /// 同时抓取年度报告下载和附件（首次下载会生成文件，较慢）
    #[arg(long)]
    pub downloads: bool,
}

/// Runs the check; `Ok(true)` when no veto item was found.
pub fn run(args: Args) -> anyhow::Result<bool> {
    let today = match &args.today {
        Some(s) => s
            .trim()
            .parse::<NaiveDate>()
            .map_err(|_| anyhow::anyhow!("检查日期“{s}”不是 YYYY-MM-DD 格式"))?,
        None => super::time()?.today(),
    };
    if !args.url.starts_with("http://") {
        anyhow::bail!(
            "只支持 http:// 地址：请使用门户网站的本机地址（如 http://127.0.0.1:8080），HTTPS 由前置代理提供"
        );
    }
    let opts = gongkai_web::inspect::Options {
        today,
        max_pages: args.max_pages.max(1),
        downloads: args.downloads,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let report = rt.block_on(gongkai_web::inspect::inspect(&args.url, &opts));
    print!("{}", report.text());
    Ok(report.vetoes() == 0)
}
