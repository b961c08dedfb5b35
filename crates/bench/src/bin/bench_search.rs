//! Search latency: gongkai's index against SQLite FTS5 (trigram) over the same texts.
//!
//! Usage: bench_search DB_FILE INDEX_DIR [ROUNDS]
//!
//! Builds (once) an FTS5 trigram table over the published items' titles and bodies in
//! `DB_FILE.fts5`, then runs the same queries on both, first page of ten with snippets, and
//! prints p50/p99 latency per engine. Queries of two characters cannot use the trigram index
//! (FTS5 trigram needs three); they go through FTS5's LIKE, as an application would.

use gongkai_search::{Index, Query};
use gongkai_store::fts5_baseline;
use std::time::Instant;

const QUERIES: &[&str] = &[
    "民政",
    "教育",
    "招生",
    "低保",
    "养老服务",
    "最低生活保障",
    "义务教育招生",
    "疫苗接种",
    "食品安全抽检",
    "防汛",
    "国土空间规划",
    "集体土地征收",
    "不动产登记",
    "老旧小区改造",
    "政府采购",
    "预算公开",
    "就业创业补贴",
    "农民工工资支付",
    "家庭医生签约服务",
    "安全生产检查",
    "灵武市民政局",
    "永宁县教育体育局",
    "贺兰县财政局",
    "人力资源和社会保障局",
    "营商环境",
    "政务公开",
    "法律援助",
    "审计结果公告",
    "河湖长制",
    "医保基金监管",
    "专项资金管理",
    "学生资助",
    "临时救助",
    "婚姻登记",
    "公交线路调整",
    "文物保护",
    "统计公报",
    "耕地保护",
    "重点项目建设",
    "退役士兵安置",
];

fn pct(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn report(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "{name}: {} searches, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms.len(),
        pct(&ms, 0.5),
        pct(&ms, 0.99),
        ms[ms.len() - 1]
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    anyhow::ensure!(
        args.len() >= 3,
        "usage: bench_search DB_FILE INDEX_DIR [ROUNDS]"
    );
    let (db_file, index_dir) = (&args[1], &args[2]);
    let rounds: usize = args.get(3).map(|r| r.parse()).transpose()?.unwrap_or(5);

    // Document numbers present in the data, searched exactly.
    let numbers = fts5_baseline::doc_numbers(db_file, 20).await?;
    let mut queries: Vec<String> = QUERIES.iter().map(|s| s.to_string()).collect();
    queries.extend(numbers);

    // gongkai
    let index = Index::open_or_create(index_dir)?;
    println!("index: {} documents", index.len());
    for q in &queries {
        index.search(&Query::new(q.clone()))?; // warm the page cache
    }
    let mut ms = Vec::new();
    let mut hits = 0usize;
    for _ in 0..rounds {
        for q in &queries {
            let t = Instant::now();
            let r = index.search(&Query::new(q.clone()))?;
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
            hits += r.total;
        }
    }
    report("gongkai (tantivy + jieba)", ms);
    println!("  matches summed over rounds: {hits}");

    // FTS5 trigram
    let (mut fts, built) = fts5_baseline::Fts5::open_or_build(db_file).await?;
    if let Some((n, secs)) = built {
        println!("fts5 trigram table built: {n} rows in {secs:.1} s");
    }
    let mut ms = Vec::new();
    let mut hits = 0i64;
    for round in 0..=rounds {
        for q in &queries {
            let t = Instant::now();
            let (total, _page) = fts.search(q).await?;
            let elapsed = t.elapsed().as_secs_f64() * 1000.0;
            if round > 0 {
                // round 0 warms the page cache, as for gongkai
                ms.push(elapsed);
                hits += total;
            }
        }
    }
    report("SQLite FTS5 (trigram)", ms);
    println!("  matches summed over rounds: {hits}");
    Ok(())
}
