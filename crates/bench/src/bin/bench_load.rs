//! Bulk import rate: `gongkai bench-data` with indexing, in a release build without the rest of
//! the CLI. Usage: bench_load DB_FILE INDEX_DIR ITEMS
//!
//! Loads ITEMS generated items (with applications and letters in proportion) into a fresh
//! SQLite database, then rebuilds the search index from it, and prints both rates.

use gongkai_bench::{Plan, load};
use gongkai_search::{Index, feed};
use gongkai_store::Db;
use std::sync::Arc;
use std::time::Instant;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    anyhow::ensure!(args.len() == 4, "usage: bench_load DB_FILE INDEX_DIR ITEMS");
    let items: u64 = args[3].parse()?;
    anyhow::ensure!(
        !std::path::Path::new(&args[1]).exists(),
        "{} exists: give a fresh file",
        args[1]
    );
    let db = Db::connect(&format!("sqlite://{}", args[1])).await?;
    let t = Instant::now();
    let loaded = load(&db, &Plan::for_items(items), |_| {}).await?;
    let load_s = t.elapsed().as_secs_f64();
    println!(
        "store: {} items (+{} applications, {} letters, {} organs) in {load_s:.1} s = {:.0} items/s",
        loaded.items,
        loaded.applications,
        loaded.letters,
        loaded.organs,
        items as f64 / load_s
    );
    let index = Arc::new(Index::open_or_create(&args[2])?);
    let t = Instant::now();
    let n = feed::rebuild(&db, index, |_, _| {}).await?;
    let index_s = t.elapsed().as_secs_f64();
    println!(
        "index: {n} documents in {index_s:.1} s = {:.0} docs/s",
        n as f64 / index_s
    );
    println!(
        "import with indexing: {:.0} items/s",
        items as f64 / (load_s + index_s)
    );
    Ok(())
}
