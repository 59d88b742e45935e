//! `streamlab-bench`: measures the engine on a generated, scaled-up activity set and records the
//! results in `bench/RESULTS.md`. Run from the repository root:
//! `cargo run --release -p streamlab-bench` (after `source scripts/env.sh`: the kafka-delta
//! case starts the tansu broker). Never run by the tests or CI: the figures need a quiet machine.

mod broker;
mod dataset;
mod kafka_delta;
mod report;

use std::path::Path;
use std::time::Instant;

use std::rc::Rc;
use std::sync::Arc;

use streamlab_engine::output::BufferedOutput;
use streamlab_engine::{SparkSession, Trigger};
use streamlab_expr::{parse_expression, Expr};
use streamlab_native::SystemClock;
use streamlab_storage::{MemoryStorage, Storage};

/// The activity rows' schema, for the file sources and `from_json`.
const SCHEMA: &str = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double";
/// Copies of the sample: 80 × 16,006 = 1,280,480 rows (about 244 MiB of JSON).
const COPIES: i64 = 80;
/// PySpark 3.5 `local[2]` on this machine, one file per trigger (issue #2).
const PYSPARK_SEED_ROWS_PER_SEC: f64 = 63_600.0;
const RUNS: usize = 3;
/// PySpark 3.5 `local[2]`, 10-minute windowed counts per `gt`, complete mode (issue #3).
const PYSPARK_WINDOWED_ROWS_PER_SEC: f64 = 44_900.0;

/// One run of the seed pipeline on the local disk: JSON file stream → Parquet sink, one file
/// per trigger.
fn seed_pipeline(input: &str, work: &str) -> Result<(usize, f64), Box<dyn std::error::Error>> {
    run_seed(&streamlab_native::local_session()?, input, work)
}

/// The same pipeline on an in-memory file system, as the browser runs it: the engine's own
/// cost, without the disk's.
fn seed_pipeline_in_memory(input: &str) -> Result<(usize, f64), Box<dyn std::error::Error>> {
    let fs = Arc::new(MemoryStorage::new());
    for entry in std::fs::read_dir(input)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        if !name.starts_with("part-") {
            continue;
        }
        let target = format!("/in/{name}");
        fs.write(&target, &std::fs::read(&path)?)?;
        let mtime = std::fs::metadata(&path)?.modified()?.duration_since(std::time::UNIX_EPOCH)?.as_millis() as i64;
        fs.set_modification_time(&target, mtime)?;
    }
    let spark = SparkSession::new(fs, Rc::new(SystemClock), Rc::new(BufferedOutput::default()));
    run_seed(&spark, "/in", "/work")
}

/// The windowed count of the lessons on the local disk: 10-minute windows per activity,
/// complete mode into a memory table, one file per trigger.
fn windowed_counts(input: &str, work: &str) -> Result<(usize, f64), Box<dyn std::error::Error>> {
    let spark = streamlab_native::local_session()?;
    let df = spark
        .read_stream()
        .option("maxFilesPerTrigger", 1)
        .schema_ddl(SCHEMA)?
        .json(input)?
        .with_column("event_time", parse_expression("CAST(Creation_Time / 1e9 AS TIMESTAMP)")?)?
        .group_by(vec![Expr::call("window", vec![Expr::col("event_time"), Expr::lit("10 minutes")]), Expr::col("gt")])
        .count()?;
    let start = Instant::now();
    let query = df
        .write_stream()?
        .format("memory")
        .query_name("counts")
        .output_mode("complete")?
        .option("checkpointLocation", format!("{work}/checkpoint"))
        .trigger(Trigger::AvailableNow)
        .start(None)?;
    query.await_termination(None)?;
    let seconds = start.elapsed().as_secs_f64();
    let counted = spark.table("counts")?.collect()?;
    let total: i64 = counted
        .column_by_name("count")
        .and_then(|c| c.as_any().downcast_ref::<arrow::array::Int64Array>().map(|a| a.iter().flatten().sum()))
        .unwrap_or(0);
    Ok((total as usize, seconds))
}

fn run_seed(spark: &SparkSession, input: &str, work: &str) -> Result<(usize, f64), Box<dyn std::error::Error>> {
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
    // recentProgress keeps only the last 100 reports, so count what the sink committed.
    let rows = spark.read().parquet(&format!("{work}/out"))?.count()?;
    Ok((rows, seconds))
}

/// What one invocation measures. With no environment variables every case runs [`RUNS`] times
/// on the full set and replaces its section of `bench/RESULTS.md`. `STREAMLAB_BENCH_ONLY`
/// (comma-separated: `seed`, `memory`, `windowed`, `kafka-delta`) runs only some cases, which
/// replace only their own sections. `STREAMLAB_BENCH_COPIES` makes a smaller, single run for
/// profilers (callgrind counts instructions, whatever the machine's load), which leaves the
/// results file alone.
struct Plan {
    copies: i64,
    runs: usize,
    seed_on_disk: bool,
    seed_in_memory: bool,
    windowed: bool,
    kafka_delta: bool,
}

impl Plan {
    fn from_env() -> Result<Plan, Box<dyn std::error::Error>> {
        let copies = match std::env::var("STREAMLAB_BENCH_COPIES") {
            Ok(n) => n.parse::<i64>().map_err(|e| format!("STREAMLAB_BENCH_COPIES={n}: {e}"))?.clamp(1, COPIES),
            Err(_) => COPIES,
        };
        let only = std::env::var("STREAMLAB_BENCH_ONLY").ok();
        let wanted = |name: &str| only.as_deref().is_none_or(|o| o.split(',').any(|w| w.trim() == name));
        Ok(Plan {
            copies,
            runs: if copies == COPIES { RUNS } else { 1 },
            seed_on_disk: wanted("seed"),
            seed_in_memory: wanted("memory"),
            windowed: wanted("windowed"),
            kafka_delta: wanted("kafka-delta"),
        })
    }

    /// Only full-scale figures are comparable with the recorded ones.
    fn is_full_scale(&self) -> bool {
        self.copies == COPIES
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let plan = Plan::from_env()?;
    let data = format!("bench/data/activity-x{}", plan.copies);
    let data = data.as_str();
    // Each run writes into a fresh directory, removed only after all runs: deleting thousands of
    // files just before a run slows the run's own file creations on ext4.
    let work = |run: usize| format!("bench/data/runs/seed-{run}");
    let windowed_work = |run: usize| format!("bench/data/runs/windowed-{run}");
    let kafka_delta_work = |run: usize| format!("bench/data/runs/kafka-delta-{run}");
    let clear = || -> std::io::Result<()> {
        match std::fs::remove_dir_all("bench/data/runs") {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    };
    clear()?;
    let rows = dataset::generate(Path::new("data/activity"), Path::new(data), plan.copies)?;
    let files = (plan.copies * 8) as usize;
    let load = report::load_average();
    eprintln!("bench: {rows} rows in {data}; load average {load}");
    let mut timings = Vec::new();
    for run in (0..plan.runs).filter(|_| plan.seed_on_disk) {
        let (read, seconds) = seed_pipeline(data, &work(run))?;
        if read != rows {
            return Err(format!("run {run} read {read} rows, expected {rows}").into());
        }
        eprintln!("bench: seed pipeline run {run}: {seconds:.2} s, {:.0} rows/s", rows as f64 / seconds);
        timings.push(seconds);
    }
    let mut memory_timings = Vec::new();
    for run in (0..plan.runs).filter(|_| plan.seed_in_memory) {
        let (read, seconds) = seed_pipeline_in_memory(data)?;
        if read != rows {
            return Err(format!("in-memory run {run} read {read} rows, expected {rows}").into());
        }
        eprintln!("bench: seed pipeline in memory, run {run}: {seconds:.2} s, {:.0} rows/s", rows as f64 / seconds);
        memory_timings.push(seconds);
    }
    let mut windowed_timings = Vec::new();
    for run in (0..plan.runs).filter(|_| plan.windowed) {
        let (counted, seconds) = windowed_counts(data, &windowed_work(run))?;
        if counted != rows {
            return Err(format!("windowed run {run} counted {counted} rows, expected {rows}").into());
        }
        eprintln!("bench: windowed counts run {run}: {seconds:.2} s, {:.0} rows/s", rows as f64 / seconds);
        windowed_timings.push(seconds);
    }
    let kafka_delta = if plan.kafka_delta { Some(kafka_delta::bench(data, plan.runs, kafka_delta_work)?) } else { None };
    clear()?;
    if !plan.is_full_scale() {
        eprintln!("bench: partial run (STREAMLAB_BENCH_COPIES set): bench/RESULTS.md left as it was");
        return Ok(());
    }
    if plan.windowed {
        report::write_section(
            "bench/RESULTS.md",
            "windowed-counts",
            &report::windowed_section(rows, files, &windowed_timings, PYSPARK_WINDOWED_ROWS_PER_SEC, &load, &report::work_file_system()),
        )?;
    }
    if let Some(result) = kafka_delta {
        report::write_section("bench/RESULTS.md", "kafka-delta", &result.section())?;
        println!("{}", result.summary());
    }
    // The seed section holds both of its variants.
    if plan.seed_on_disk && plan.seed_in_memory {
        let results = report::SeedResult {
            rows,
            files,
            timings,
            memory_timings,
            baseline: PYSPARK_SEED_ROWS_PER_SEC,
            load,
            file_system: report::work_file_system(),
        };
        report::write("bench/RESULTS.md", &results)?;
        println!("{}", results.summary());
    }
    Ok(())
}
