//! `gongkai index rebuild`: recreates the search index from the store, with a progress bar.

use clap::{Args as ClapArgs, Subcommand};
use gongkai_search::{Index, feed};
use gongkai_store::Db;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

#[derive(ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    pub command: IndexCommand,
}

#[derive(Subcommand)]
pub enum IndexCommand {
    /// 清空并重建搜索索引（已发布的目录条目及附件、公开的信件答复、年度报告）
    Rebuild {
        /// 索引目录（默认在 SQLite 数据库文件旁）
        #[arg(long, env = "GONGKAI_INDEX_DIR")]
        index_dir: Option<PathBuf>,
        /// 不显示进度条
        #[arg(long)]
        quiet: bool,
        /// 不在本机重建，而是请连接同一数据库的每个运行中的 gongkai serve 实例各自重建其索引（后台任务）
        #[arg(long, conflicts_with = "index_dir")]
        all_instances: bool,
    },
}

pub fn run(database_url: &str, args: Args) -> anyhow::Result<()> {
    match args.command {
        IndexCommand::Rebuild {
            all_instances: true,
            ..
        } => {
            let rt = tokio::runtime::Runtime::new()?;
            let key = rt.block_on(async {
                let db = Db::connect(database_url).await?;
                let now = super::time()?.now();
                let key = format!("search_rebuild:{}", now.format("%Y-%m-%dT%H:%M:%S%.3fZ"));
                db.enqueue_job("search_rebuild", &key, "", now, now).await?;
                anyhow::Ok(key)
            })?;
            println!(
                "已加入后台任务 {key}：各实例将在数秒内各自重建搜索索引（管理后台“任务”页可查看）"
            );
            Ok(())
        }
        IndexCommand::Rebuild {
            index_dir, quiet, ..
        } => {
            let dir = index_dir.unwrap_or_else(|| feed::index_dir_for(database_url));
            let rt = tokio::runtime::Runtime::new()?;
            let (n, secs) = rt.block_on(rebuild(database_url, &dir, quiet))?;
            println!(
                "已重建搜索索引：{n} 条，用时 {secs:.1} 秒（{:.0} 条/秒），位置 {}",
                n as f64 / secs.max(1e-9),
                dir.display()
            );
            Ok(())
        }
    }
}

/// Rebuilds the index in `dir` from the database; returns the number of documents and seconds.
pub async fn rebuild(
    database_url: &str,
    dir: &std::path::Path,
    quiet: bool,
) -> anyhow::Result<(u64, f64)> {
    let db = Db::connect(database_url).await?;
    let index = Arc::new(Index::open_or_create(dir)?);
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(0)
    };
    bar.set_style(
        ProgressStyle::with_template("索引中 {bar:40} {pos}/{len} 条 {per_sec} 预计剩余 {eta}")
            .expect("valid template"),
    );
    let b = bar.clone();
    let start = Instant::now();
    let n = feed::rebuild(&db, index, move |done, total| {
        b.set_length(total);
        b.set_position(done);
    })
    .await?;
    bar.finish_and_clear();
    Ok((n, start.elapsed().as_secs_f64()))
}
