//! The seed pipeline measured inside the page (`?bench=seed&copies=N`): the engine's
//! throughput as the browser runs it, comparable with the native figure in `bench/RESULTS.md`.
//!
//! The native benchmark (`crates/bench`) reads 80 time-shifted copies of `data/activity` from
//! the disk; the page has no disk, so it builds the copies in memory from the sample it already
//! fetched, with the same shifts, and runs the same pipeline (JSON file stream →
//! `withColumnRenamed` → `drop` → Parquet sink, one file per trigger, `AvailableNow`) on an
//! in-memory file system.

use std::rc::Rc;
use std::sync::Arc;

use streamlab_engine::clock::Clock;
use streamlab_engine::output::BufferedOutput;
use streamlab_engine::{SparkSession, Trigger};
use streamlab_io::scaled_sample::shift_line;
use streamlab_storage::{MemoryStorage, Storage};
use streamlab_types::{Result, SparkError};

/// The sample's schema, as the lesson declares it.
pub const SEED_SCHEMA: &str = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double";

/// Copies when the URL does not say: 10 × 16,006 = 160,060 rows (the native bench uses 80).
pub const DEFAULT_COPIES: usize = 10;

/// The most copies the page accepts (the native bench's set; about 244 MiB of JSON in memory).
pub const MAX_COPIES: usize = 80;

/// Files as the page holds them in memory: (name, content), in the order they are written.
pub type NamedFiles = Vec<(String, Vec<u8>)>;

/// The scaled-up set: `copies` × the sample files, file `k·n+i` (`part-{:05}.json`) being copy
/// `k` of sample file `i`, with the number of rows.
///
/// ```
/// use streamlab_web::seed_bench::scaled_up;
/// let sample = vec![("a.json".to_string(), br#"{"Arrival_Time":1,"Creation_Time":2,"Index":3}"#.to_vec())];
/// let (files, rows) = scaled_up(&sample, 3).unwrap();
/// assert_eq!(rows, 3);
/// assert_eq!(files.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["part-00000.json", "part-00001.json", "part-00002.json"]);
/// assert!(String::from_utf8_lossy(&files[2].1).contains("\"Index\":2000003"));
/// ```
pub fn scaled_up(sample: &[(String, Vec<u8>)], copies: usize) -> Result<(NamedFiles, usize)> {
    let texts = sample
        .iter()
        .map(|(name, bytes)| std::str::from_utf8(bytes).map_err(|e| SparkError::illegal_argument(format!("{name} is not UTF-8: {e}"))))
        .collect::<Result<Vec<_>>>()?;
    let mut files = Vec::with_capacity(copies * texts.len());
    let mut rows = 0;
    for copy in 0..copies {
        for text in &texts {
            let mut body = String::with_capacity(text.len() + 4096);
            for line in text.lines().filter(|l| !l.is_empty()) {
                let shifted = shift_line(line, copy as i64)
                    .ok_or_else(|| SparkError::illegal_argument(format!("unexpected sample line: {line}")))?;
                body.push_str(&shifted);
                body.push('\n');
                rows += 1;
            }
            files.push((format!("part-{:05}.json", files.len()), body.into_bytes()));
        }
    }
    Ok((files, rows))
}

/// What one run of the pipeline did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeedRun {
    /// Input files (one micro-batch each).
    pub files: usize,
    /// Rows the Parquet sink committed, read back after the run.
    pub rows: usize,
    /// From `start()` to the end of `awaitTermination()`, seconds.
    pub seconds: f64,
}

impl SeedRun {
    /// Rows per second of the run.
    ///
    /// ```
    /// use streamlab_web::seed_bench::SeedRun;
    /// assert_eq!(SeedRun { files: 8, rows: 16_006, seconds: 0.5 }.rows_per_second(), 32_012.0);
    /// ```
    pub fn rows_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.rows as f64 / self.seconds
        } else {
            0.0
        }
    }
}

/// Runs the seed pipeline over `files` (written in order into a fresh in-memory file system,
/// with ascending modification times) and times it with `now_ms`.
pub fn run_seed_pipeline(files: &[(String, Vec<u8>)], clock: Rc<dyn Clock>, now_ms: fn() -> f64) -> Result<SeedRun> {
    let fs = Arc::new(MemoryStorage::new());
    for (n, (name, bytes)) in files.iter().enumerate() {
        let path = format!("/in/{name}");
        fs.write(&path, bytes)?;
        fs.set_modification_time(&path, 1_700_000_000_000 + n as i64 * 1000)?;
    }
    let spark = SparkSession::new(fs, clock, Rc::new(BufferedOutput::default()));
    let df = spark
        .read_stream()
        .option("maxFilesPerTrigger", 1)
        .schema_ddl(SEED_SCHEMA)?
        .json("/in")?
        .with_column_renamed("Index", "User_ID")?
        .drop(&["_corrupt_record"])?;
    let started = now_ms();
    let query = df
        .write_stream()?
        .format("parquet")
        .option("checkpointLocation", "/work/checkpoint")
        .trigger(Trigger::AvailableNow)
        .start(Some("/work/out"))?;
    query.await_termination(None)?;
    let seconds = (now_ms() - started) / 1000.0;
    let rows = spark.read().parquet("/work/out")?.count()?;
    Ok(SeedRun { files: files.len(), rows, seconds })
}

/// Lines of each sample file the page's warm-up runs through the pipeline.
pub const WARM_UP_LINES: usize = 1000;

/// The first `lines` lines of each file of `sample`: a small set that takes a micro-batch
/// through every code path of the lesson's first query.
///
/// The browser compiles WebAssembly functions lazily, on their first call, with a baseline
/// compiler, and optimizes the hot ones later: the first batch of the page would pay for
/// compiling JSON parsing, Parquet encoding and checkpoint writing. Running the pipeline over
/// this slice once, after the page is ready, pays that cost before the student's first query.
///
/// ```
/// use streamlab_web::seed_bench::warm_up_slice;
/// let sample = vec![("a.json".to_string(), b"{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n".to_vec())];
/// assert_eq!(warm_up_slice(&sample, 2), [("a.json".to_string(), b"{\"n\":1}\n{\"n\":2}\n".to_vec())]);
/// ```
pub fn warm_up_slice(sample: &[(String, Vec<u8>)], lines: usize) -> NamedFiles {
    sample
        .iter()
        .map(|(name, bytes)| {
            let kept: Vec<u8> = bytes.split_inclusive(|b| *b == b'\n').take(lines).flatten().copied().collect();
            (name.clone(), kept)
        })
        .collect()
}
