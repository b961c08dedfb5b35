//! Annual report time: `Db::compute_report` (what `gongkai report` runs before rendering) in a
//! release build. Usage: bench_report DB_FILE ORGAN YEAR [RUNS]

use gongkai_store::Db;
use std::time::Instant;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    anyhow::ensure!(
        args.len() >= 4,
        "usage: bench_report DB_FILE ORGAN YEAR [RUNS]"
    );
    let db = Db::connect(&format!("sqlite://{}", args[1])).await?;
    let organ = db
        .find_organ(&args[2])
        .await?
        .ok_or_else(|| anyhow::anyhow!("no organ {}", args[2]))?;
    let year: i32 = args[3].parse()?;
    let runs: usize = args.get(4).map(|r| r.parse()).transpose()?.unwrap_or(3);
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let report = db.compute_report(&organ, year, false).await?;
        times.push(t.elapsed().as_secs_f64());
        std::hint::black_box(&report);
    }
    println!(
        "{} {year}: report computed {runs} times, seconds: {:?}",
        organ.name,
        times.iter().map(|t| format!("{t:.3}")).collect::<Vec<_>>()
    );
    Ok(())
}
