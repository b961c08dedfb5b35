//! Bulk import rate: `bench_data --index` in a release build without the rest of the
//! CLI. Usage: bench_load DB_FILE INDEX_DIR ITEMS [--sequential] [--rows-per-commit=N]
//!
//! Loads ITEMS generated items (with applications and letters in proportion) into a fresh
//! SQLite database and builds the search index, and prints the rates. By default the index is
//! built while the store loads (the pipeline `bench_data --index` runs); with
//! `--sequential` the store loads first and the index is rebuilt from it afterwards (the way it
//! was done before), for comparison. `--rows-per-commit=N` sets the rows per transaction
//! (default 100,000, as `bench_data`).

use gongkai_bench::{Plan, load, load_indexed};
use gongkai_search::{Index, feed};
use gongkai_store::Db;
use std::sync::Arc;
use std::time::Instant;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let sequential = args.iter().any(|a| a == "--sequential");
    let per_commit = args
        .iter()
        .find_map(|a| a.strip_prefix("--rows-per-commit="))
        .map(str::parse::<u64>)
        .transpose()?;
    let args: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    anyhow::ensure!(
        args.len() == 4,
        "usage: bench_load DB_FILE INDEX_DIR ITEMS [--sequential] [--rows-per-commit=N]"
    );
    let items: u64 = args[3].parse()?;
    for p in [args[1], args[2]] {
        anyhow::ensure!(
            !std::path::Path::new(p).exists(),
            "{p} exists: give a fresh path"
        );
    }
    let db = Db::connect(&format!("sqlite://{}", args[1])).await?;
    let index = Arc::new(Index::open_or_create(args[2])?);
    let mut plan = Plan::for_items(items);
    if let Some(n) = per_commit {
        anyhow::ensure!(n > 0, "--rows-per-commit must be above 0");
        plan.rows_per_commit = n;
    }
    let t = Instant::now();
    if sequential {
        let loaded = load(&db, &plan, |_| {}).await?;
        let load_s = t.elapsed().as_secs_f64();
        println!(
            "store: {} items (+{} applications, {} letters, {} organs) in {load_s:.1} s = {:.0} items/s",
            loaded.items,
            loaded.applications,
            loaded.letters,
            loaded.organs,
            items as f64 / load_s
        );
        let t2 = Instant::now();
        let n = feed::rebuild(&db, index, |_, _| {}).await?;
        let index_s = t2.elapsed().as_secs_f64();
        println!(
            "index: {n} documents in {index_s:.1} s = {:.0} docs/s",
            n as f64 / index_s
        );
    } else {
        let mut items_s = 0.0;
        let (loaded, n) = load_indexed(&db, &plan, index, |done| {
            if done == items {
                items_s = t.elapsed().as_secs_f64();
            }
        })
        .await?;
        println!(
            "store and index side by side: {} items stored in {items_s:.1} s (+{} applications, {} letters, {} organs); {n} documents indexed",
            loaded.items, loaded.applications, loaded.letters, loaded.organs,
        );
    }
    let total = t.elapsed().as_secs_f64();
    println!(
        "import with indexing: {items} items in {total:.1} s = {:.0} items/s",
        items as f64 / total
    );
    db.close().await;
    Ok(())
}
