//! `streamlab-bench`: measures the engine on a generated, scaled-up activity set and records the
//! results in `bench/RESULTS.md`. Run from the repository root:
//! `cargo run --release -p streamlab-bench`.

mod dataset;
mod report;

use std::path::Path;
use std::time::Instant;

use streamlab_engine::Trigger;

const SCHEMA: &str = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double";
/// Copies of the sample: 80 × 16,006 = 1,280,480 rows (about 244 MiB of JSON).
const COPIES: i64 = 80;
/// PySpark 3.5 `local[2]` on this machine, one file per trigger (issue #2).
const PYSPARK_SEED_ROWS_PER_SEC: f64 = 63_600.0;
const RUNS: usize = 3;

/// One run of the seed pipeline: JSON file stream → Parquet sink, one file per trigger.
fn seed_pipeline(input: &str, work: &str) -> Result<(usize, f64), Box<dyn std::error::Error>> {
    let spark = streamlab_native::local_session()?;
    spark.storage().delete(work)?;
    let df = spark
        .read_stream()
        .option("maxFilesPerTrigger", 1)
        .schema_ddl(SCHEMA)?
        .json(input)?
        .with_column_renamed("Index", "User_ID")?
        .drop(&["_corrupt_record"])?;
    let start = Instant::now();
    let query = df
        .write_stream()?
        .format("parquet")
        .option("checkpointLocation", format!("{work}/checkpoint"))
        .trigger(Trigger::AvailableNow)
        .start(Some(&format!("{work}/out")))?;
    query.await_termination(None)?;
    let seconds = start.elapsed().as_secs_f64();
    let rows: i64 = query.recent_progress().iter().map(|p| p.num_input_rows).sum();
    Ok((rows as usize, seconds))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = "bench/data/activity-x80";
    let rows = dataset::generate(Path::new("data/activity"), Path::new(data), COPIES)?;
    eprintln!("bench: {rows} rows in {data}");
    let mut timings = Vec::new();
    for run in 0..RUNS {
        let (read, seconds) = seed_pipeline(data, "bench/data/seed-run")?;
        if read != rows {
            return Err(format!("run {run} read {read} rows, expected {rows}").into());
        }
        eprintln!("bench: seed pipeline run {run}: {seconds:.2} s, {:.0} rows/s", rows as f64 / seconds);
        timings.push(seconds);
    }
    let results = report::SeedResult { rows, files: (COPIES * 8) as usize, timings, baseline: PYSPARK_SEED_ROWS_PER_SEC };
    report::write("bench/RESULTS.md", &results)?;
    println!("{}", results.summary());
    Ok(())
}
