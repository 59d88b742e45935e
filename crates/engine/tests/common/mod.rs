//! Shared set-up for the engine's integration tests: a session over an in-memory file system
//! holding the repository's real activity sample, on a manual clock.

#![allow(dead_code)]

pub mod golden;

use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use arrow::array::{Array, Int64Array};
use arrow::record_batch::RecordBatch;
use streamlab_engine::clock::ManualClock;
use streamlab_engine::output::BufferedOutput;
use streamlab_engine::SparkSession;
use streamlab_storage::{MemoryStorage, Storage};

/// The lesson's schema for the activity files.
pub const ACTIVITY_DDL: &str = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double";

/// Rows per activity file, in name order.
pub const ROWS_PER_FILE: [i64; 8] = [5000, 5000, 1001, 1001, 1001, 1001, 1001, 1001];

/// The repository's `data/` folder.
pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

/// A test environment: session, its storage, output and clock.
pub struct Env {
    pub spark: SparkSession,
    pub fs: Arc<MemoryStorage>,
    pub out: Rc<BufferedOutput>,
    pub clock: ManualClock,
}

/// A session at 2026-11-24T05:07:48.948Z on an empty in-memory disk.
pub fn env() -> Env {
    env_at(1_795_496_868_948)
}

/// A clock on which every reading moves time forward by `step` ms, so phases take time as on
/// a real machine (rates are then finite, as in Spark's reports), yet runs are repeatable.
pub struct TickingClock {
    now: std::cell::Cell<i64>,
    step: i64,
}

impl TickingClock {
    /// A clock at `start_ms` that moves `step` ms per reading.
    pub fn new(start_ms: i64, step: i64) -> Self {
        TickingClock { now: std::cell::Cell::new(start_ms), step }
    }
}

impl streamlab_engine::clock::Clock for TickingClock {
    fn now_ms(&self) -> i64 {
        let t = self.now.get();
        self.now.set(t + self.step);
        t
    }

    fn sleep_until(&self, deadline_ms: i64) {
        self.now.set(self.now.get().max(deadline_ms));
    }
}

/// A session on a [`TickingClock`] moving 1 ms per reading (its `clock` field is unused).
pub fn env_ticking() -> Env {
    let fs = Arc::new(MemoryStorage::new());
    let out = Rc::new(BufferedOutput::default());
    let spark = SparkSession::new(fs.clone(), Rc::new(TickingClock::new(1_795_496_868_948, 1)), out.clone());
    Env { spark, fs, out, clock: ManualClock::new(0) }
}

/// A session whose manual clock starts at `start_ms`.
pub fn env_at(start_ms: i64) -> Env {
    let fs = Arc::new(MemoryStorage::new());
    let out = Rc::new(BufferedOutput::default());
    let clock = ManualClock::new(start_ms);
    let spark = SparkSession::new(fs.clone(), Rc::new(clock.clone()), out.clone());
    Env { spark, fs, out, clock }
}

impl Env {
    /// Copies the first `n` activity files to `/data/activity`, the i-th with mtime
    /// 1700000000000 + i·1000 ms (name order = time order, as the lesson needs).
    pub fn with_activity(self, n: usize) -> Self {
        self.fs.mkdirs("/data/activity").unwrap();
        for i in 0..n {
            self.add_activity_file(i);
        }
        self
    }

    /// `/data/activity` as the static view `activity` with the lesson's schema, as the SQL
    /// tests query it.
    pub fn with_activity_view(self) -> Self {
        self.spark.read().schema_ddl(ACTIVITY_DDL).unwrap().json("/data/activity").unwrap().create_or_replace_temp_view("activity");
        self
    }

    /// Copies activity file `i` to `/data/activity`.
    pub fn add_activity_file(&self, i: usize) {
        let name = format!("part-{i:05}.json");
        let bytes = std::fs::read(data_dir().join("activity").join(&name)).unwrap();
        let path = format!("/data/activity/{name}");
        self.fs.write(&path, &bytes).unwrap();
        self.fs.set_modification_time(&path, 1_700_000_000_000 + i as i64 * 1000).unwrap();
    }

    /// Writes `content` to `path` with modification time `mtime_ms`.
    pub fn put(&self, path: &str, content: &str, mtime_ms: i64) {
        self.fs.write(path, content.as_bytes()).unwrap();
        self.fs.set_modification_time(path, mtime_ms).unwrap();
    }

    /// The text of a file.
    pub fn text(&self, path: &str) -> String {
        String::from_utf8(self.fs.read(path).unwrap()).unwrap()
    }

    /// Names in a directory (sorted).
    pub fn names(&self, dir: &str) -> Vec<String> {
        self.fs.list(dir).unwrap().into_iter().map(|s| s.name().to_string()).collect()
    }
}

/// The lesson's seed pipeline: `input` (JSON, one file per trigger) → rename `Index` to
/// `User_ID` → drop `_corrupt_record` → Parquet at `out`, checkpointed in `checkpoint`.
pub fn seed_pipeline_query(
    spark: &SparkSession,
    input: &str,
    checkpoint: &str,
    out: &str,
    trigger: streamlab_engine::Trigger,
) -> streamlab_engine::StreamingQuery {
    spark
        .read_stream()
        .option("maxFilesPerTrigger", 1)
        .schema_ddl(ACTIVITY_DDL)
        .unwrap()
        .json(input)
        .unwrap()
        .with_column_renamed("Index", "User_ID")
        .unwrap()
        .drop(&["_corrupt_record"])
        .unwrap()
        .write_stream()
        .unwrap()
        .format("parquet")
        .option("checkpointLocation", checkpoint)
        .trigger(trigger)
        .start(Some(out))
        .unwrap()
}

/// Sums an Int64 column over batches.
pub fn sum_i64(batch: &RecordBatch, column: &str) -> i64 {
    let idx = batch.schema().index_of(column).unwrap();
    let a = batch.column(idx).as_any().downcast_ref::<Int64Array>().unwrap();
    (0..a.len()).filter(|i| a.is_valid(*i)).map(|i| a.value(i)).sum()
}
