//! Annual report time: `gongkai_app::reports::compute` (what `gongkai report` runs before rendering) in a
//! release build, and its application part alone: the cases counted in SQL
//! (`Db::application_counts`, what the report loads) beside every case loaded as a full record
//! (`Db::application_summaries`, what it loaded before).
//!
//! Usage: bench_report DB_FILE|DATABASE_URL ORGAN YEAR [RUNS] [--generate ITEMS FOCUS_APPLICATIONS]
//! [--report-only]
//!
//! The application part is timed three ways: grouped in SQL (what the report runs), the five
//! columns it reads projected and counted in Rust, and full records. `--report-only` skips
//! that, so the peak RSS of the process is the report's.
//!
//! With `--generate` and no DB_FILE yet, the data set is made first as `bench_data
//! --items ITEMS --focus-applications FOCUS_APPLICATIONS --focus-year YEAR` makes it (the
//! first department, B0-00-00, gets the focus applications), without building the whole CLI.

use gongkai_domain::application::tally;
use gongkai_store::Db;
use std::time::Instant;

fn secs(times: &[f64]) -> String {
    let v: Vec<String> = times.iter().map(|t| format!("{t:.3}")).collect();
    format!("[{}]", v.join(", "))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().collect();
    let report_only = args.iter().any(|a| a == "--report-only");
    args.retain(|a| a != "--report-only");
    let generate = match args.iter().position(|a| a == "--generate") {
        Some(i) => {
            anyhow::ensure!(
                args.len() >= i + 3,
                "--generate takes ITEMS FOCUS_APPLICATIONS"
            );
            let g: Vec<String> = args.drain(i..i + 3).collect();
            Some((g[1].parse::<u64>()?, g[2].parse::<u64>()?))
        }
        None => None,
    };
    anyhow::ensure!(
        args.len() >= 4,
        "usage: bench_report DB_FILE ORGAN YEAR [RUNS] [--generate ITEMS FOCUS_APPLICATIONS]"
    );
    // A SQLite file, or a database URL (postgres://…).
    let (url, fresh) = if args[1].contains("://") {
        (args[1].clone(), false)
    } else {
        (
            format!("sqlite://{}", args[1]),
            !std::path::Path::new(&args[1]).exists(),
        )
    };
    let db = Db::connect(&url).await?;
    if let (Some((items, focus)), true) = (generate, fresh) {
        let mut plan = gongkai_bench::Plan::for_items(items);
        plan.focus_applications = focus;
        plan.focus_year = args[3].parse()?;
        let t = Instant::now();
        let loaded = gongkai_bench::load(&db, &plan, |_| {}).await?;
        println!(
            "generated {} items, {} applications, {} letters in {:.1} s",
            loaded.items,
            loaded.applications,
            loaded.letters,
            t.elapsed().as_secs_f64()
        );
    }
    let organ = db
        .find_organ(&args[2])
        .await?
        .ok_or_else(|| anyhow::anyhow!("no organ {}", args[2]))?;
    let year: i32 = args[3].parse()?;
    let runs: usize = args.get(4).map(|r| r.parse()).transpose()?.unwrap_or(3);
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let app = gongkai_app::App::new(db.clone(), gongkai_app::Time::system());
        let report = gongkai_app::reports::compute(&app, &organ, year, false).await?;
        times.push(t.elapsed().as_secs_f64());
        std::hint::black_box(&report);
    }
    println!(
        "{} {year}: report computed {runs} times, seconds: {}",
        organ.name,
        secs(&times)
    );

    if report_only {
        return Ok(());
    }
    // The application part alone, three ways; they must agree.
    let (mut counted, mut projected, mut loaded) = (Vec::new(), Vec::new(), Vec::new());
    let mut cases = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let c = db.application_counts(&[organ.id], year).await?;
        counted.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let pr = db.application_counts_projected(&[organ.id], year).await?;
        projected.push(t.elapsed().as_secs_f64());
        anyhow::ensure!(c == pr, "grouped and projected counts differ");
        let t = Instant::now();
        let s = db.application_summaries(&[organ.id], year).await?;
        loaded.push(t.elapsed().as_secs_f64());
        anyhow::ensure!(
            c == tally(s.iter().filter_map(|x| x.in_year(year))),
            "counted and loaded applications differ"
        );
        cases = s.len();
        std::hint::black_box((&c, &s));
    }
    println!(
        "{cases} applications, seconds: grouped in SQL {}; five columns projected, counted in Rust {}; loaded as full records {}",
        secs(&counted),
        secs(&projected),
        secs(&loaded)
    );
    Ok(())
}
