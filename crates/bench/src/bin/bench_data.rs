//! `bench_data --items N`: realistic data at scale, loaded in bulk, for benchmarks. Its own
//! binary, so the `gongkai` that installations run carries no benchmark loader:
//!
//!     cargo run --release -p gongkai-bench --bin bench_data -- \
//!       --database-url sqlite:///var/tmp/gongkai-bench/m.db --items 1000000 --index

use clap::Parser;
use gongkai_bench::{Plan, load, load_indexed};
use gongkai_search::Index;
use gongkai_store::Db;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// 生成大规模仿真数据（用于性能基准）
#[derive(Parser)]
#[command(name = "bench_data")]
pub struct Args {
    /// 数据库地址，如 sqlite://bench.db 或 postgres://user@host/db
    #[arg(
        long,
        env = "GONGKAI_DATABASE_URL",
        default_value = "sqlite://gongkai.db"
    )]
    pub database_url: String,
    /// 生成的目录条目数
    #[arg(long)]
    pub items: u64,
    /// 依申请公开件数（默认为条目数的十分之一）
    #[arg(long)]
    pub applications: Option<u64>,
    /// 来信数（默认为条目数的二十分之一）
    #[arg(long)]
    pub letters: Option<u64>,
    /// 另给第一个部门（灵武市教育体育局）在 --focus-year 年的申请件数，用于年度报告基准
    #[arg(long, default_value_t = 0)]
    pub focus_applications: u64,
    #[arg(long, default_value_t = 2023)]
    pub focus_year: i32,
    /// 每批生成并写入的行数（按批索引并报告进度）
    #[arg(long, default_value_t = 5000)]
    pub batch: usize,
    /// 每个事务写入的行数（写入期间其他写操作须等待）
    #[arg(long, default_value_t = 100_000)]
    pub rows_per_commit: u64,
    /// 随机种子（相同种子生成相同数据）
    #[arg(long, default_value_t = 20201212)]
    pub seed: u64,
    /// 同时重建搜索索引（每批条目写入后即索引，与写入下一批同时进行）
    #[arg(long)]
    pub index: bool,
    /// 在 PostgreSQL 上用 COPY 写入条目（默认用多行 INSERT）
    #[arg(long)]
    pub copy: bool,
    /// 索引目录（默认在 SQLite 数据库文件旁）
    #[arg(long, env = "GONGKAI_INDEX_DIR")]
    pub index_dir: Option<PathBuf>,
}

fn main() -> std::process::ExitCode {
    match run(Args::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    let database_url = args.database_url.as_str();
    anyhow::ensure!(args.items > 0, "--items 须大于 0");
    anyhow::ensure!(args.batch > 0, "--batch 须大于 0");
    anyhow::ensure!(args.rows_per_commit > 0, "--rows-per-commit 须大于 0");
    let mut plan = Plan::for_items(args.items);
    if let Some(a) = args.applications {
        plan.applications = a;
    }
    if let Some(l) = args.letters {
        plan.letters = l;
    }
    plan.focus_applications = args.focus_applications;
    plan.focus_year = args.focus_year;
    plan.batch = args.batch;
    plan.rows_per_commit = args.rows_per_commit;
    plan.seed = args.seed;
    plan.copy = args.copy;
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let db = Db::connect(database_url).await?;
        let index = if args.index {
            let dir = args
                .index_dir
                .clone()
                .unwrap_or_else(|| gongkai_search::feed::index_dir_for(database_url));
            Some(Arc::new(Index::open_or_create(&dir)?))
        } else {
            None
        };
        let bar = ProgressBar::new(plan.items);
        let what = if index.is_some() {
            "写入并索引条目"
        } else {
            "写入条目"
        };
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{what} {{bar:40}} {{pos}}/{{len}} {{per_sec}} 预计剩余 {{eta}}"
            ))
            .expect("valid template"),
        );
        let start = Instant::now();
        let b = bar.clone();
        let progress = move |n| b.set_position(n);
        let (loaded, docs) = match index {
            // The index is built while the store loads: each batch is indexed as soon as it
            // is written, while the store writes the next one.
            Some(index) => {
                let (loaded, n) = load_indexed(&db, &plan, index, progress).await?;
                (loaded, Some(n))
            }
            None => (load(&db, &plan, progress).await?, None),
        };
        bar.finish_and_clear();
        let secs = start.elapsed().as_secs_f64();
        println!(
            "已写入 {} 个机关、{} 条目录条目、{} 件申请、{} 封来信，用时 {secs:.1} 秒（条目 {:.0} 条/秒，含申请与来信{}）",
            loaded.organs,
            loaded.items,
            loaded.applications,
            loaded.letters,
            loaded.items as f64 / secs.max(1e-9),
            if docs.is_some() { "及索引" } else { "" }
        );
        if let Some(n) = docs {
            println!("已重建搜索索引：{n} 条（与写入同时进行）");
        }
        db.close().await;
        anyhow::Ok(())
    })
}
