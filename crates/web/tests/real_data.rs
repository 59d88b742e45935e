//! The page's plain-Rust parts on the real sample: the lesson's Parquet query run by the
//! engine over `data/activity` (as the page's timers run it), its progress turned into chart
//! numbers, and its output folder listed and previewed as the file browser shows it.

#![cfg(not(target_arch = "wasm32"))] // reads the sample from the disk

mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use common::sample;
use streamlab_engine::clock::ManualClock;
use streamlab_engine::output::BufferedOutput;
use streamlab_engine::query::listener::StreamingQueryListener;
use streamlab_engine::query::progress::StreamingQueryProgress;
use streamlab_engine::{SparkSession, Trigger};
use streamlab_storage::MemoryStorage;
use streamlab_web::files::{list_tree, preview, Preview};
use streamlab_web::metrics::BatchMetrics;
use streamlab_web::sample::{write_sample, SAMPLE_DIR};

const SCHEMA: &str = "Arrival_Time long, Creation_Time long, Device string, Index long, Model string, User string, gt string, x double, y double, z double";

#[derive(Default)]
struct Recorder(RefCell<Vec<BatchMetrics>>);

impl StreamingQueryListener for Recorder {
    fn on_query_progress(&self, progress: &StreamingQueryProgress) {
        self.0.borrow_mut().push(BatchMetrics::from_progress(progress));
    }
}

/// Runs the lesson's `stream_1p` query (one file per 3-second trigger, Parquet sink) the way
/// the page does: a timer calls `run_due_triggers` and waits until the time it returns.
fn run_lesson_query() -> (Arc<MemoryStorage>, Vec<BatchMetrics>) {
    let fs = Arc::new(MemoryStorage::new());
    assert_eq!(write_sample(fs.as_ref(), &sample()).unwrap(), 8);
    let clock = Rc::new(ManualClock::new(1_700_000_000_000));
    let spark = SparkSession::new(fs.clone(), clock.clone(), Rc::new(BufferedOutput::default()));
    let recorder = Rc::new(Recorder::default());
    spark.streams().add_listener(recorder.clone());
    let df = spark.read_stream().option("maxFilesPerTrigger", 1).schema_ddl(SCHEMA).unwrap().json(SAMPLE_DIR).unwrap();
    let df = df.with_column_renamed("Index", "User_ID").unwrap();
    let query = df
        .write_stream()
        .unwrap()
        .query_name("stream_1p")
        .trigger(Trigger::ProcessingTime(3_000))
        .format("parquet")
        .option("checkpointLocation", "output/output.parquet.checkpoint")
        .start(Some("output/output.parquet"))
        .unwrap();
    // Ten timer ticks: eight batches of data, then idle triggers.
    for _ in 0..10 {
        let due = spark.run_due_triggers().expect("the query stays active");
        clock.set(due);
    }
    query.stop();
    let history = recorder.0.borrow().clone();
    (fs, history)
}

#[test]
fn each_batch_of_the_lesson_query_becomes_chart_numbers() {
    let (_, history) = run_lesson_query();
    let data: Vec<&BatchMetrics> = history.iter().filter(|b| b.input_rows > 0).collect();
    assert_eq!(data.len(), 8, "one batch per file");
    assert_eq!(data.iter().map(|b| b.batch_id).collect::<Vec<_>>(), (0..8).collect::<Vec<_>>());
    assert_eq!(data.iter().map(|b| b.input_rows).sum::<i64>(), 16_006);
    assert!(data.iter().all(|b| b.label == "stream_1p" && b.watermark_ms.is_none() && b.state_rows == 0));
    // After the first, batches start on the 3-second grid of the page clock (Spark aligns
    // processing-time triggers to multiples of the interval).
    assert!(data[1..].iter().all(|b| b.timestamp_ms % 3_000 == 0), "{data:?}");
    assert!(data[1..].windows(2).all(|w| w[1].timestamp_ms - w[0].timestamp_ms == 3_000), "{data:?}");
    assert_eq!(data[0].input_rate, 0.0, "no rate before the first batch");
    assert!(data[2].input_rate > 0.0 && data[2].processing_rate > 0.0);
    // The file sink cannot count its rows: Spark reports -1, and so do the chart numbers.
    assert!(data.iter().all(|b| b.output_rows == -1));
}

#[test]
fn the_file_browser_lists_the_checkpoint_and_opens_the_parquet_output() {
    let (fs, _) = run_lesson_query();
    let tree = list_tree(fs.as_ref(), "/").unwrap();
    let paths: Vec<&str> = tree.iter().map(|e| e.path.as_str()).collect();
    for expected in ["/output/output.parquet.checkpoint/offsets/7", "/output/output.parquet.checkpoint/commits/7", "/output/output.parquet/_spark_metadata/0", "/data/activity/part-00007.json"] {
        assert!(paths.contains(&expected), "{expected} not in {paths:?}");
    }
    let commit = preview(fs.as_ref(), "/output/output.parquet.checkpoint/commits/0").unwrap();
    assert_eq!(commit, Preview::Text { text: "v1\n{\"nextBatchWatermarkMs\":0}".into(), cut: false });

    let parts: Vec<&str> = paths.iter().copied().filter(|p| p.starts_with("/output/output.parquet/part-") && p.ends_with(".parquet")).collect();
    assert!(!parts.is_empty(), "{paths:?}");
    let mut rows = 0;
    for part in &parts {
        let Preview::Table(table) = preview(fs.as_ref(), part).unwrap() else { panic!("{part} is not a table") };
        assert_eq!(table.columns, ["Arrival_Time", "Creation_Time", "Device", "User_ID", "Model", "User", "gt", "x", "y", "z"]);
        assert_eq!(table.types[3], "bigint");
        rows += table.rows.len();
    }
    assert!(rows > 0 && rows <= 16_006);
}

#[test]
fn the_bench_pipeline_writes_every_row_of_two_time_shifted_copies_of_the_sample() {
    let (files, rows) = streamlab_web::seed_bench::scaled_up(&sample(), 2).unwrap();
    assert_eq!((files.len(), rows), (16, 32_012));
    let copy = String::from_utf8(files[8].1.clone()).unwrap();
    let original = String::from_utf8(files[0].1.clone()).unwrap();
    let first_index = |text: &str| -> i64 { text.split("\"Index\":").nth(1).and_then(|r| r.split(',').next()).unwrap().parse().unwrap() };
    assert_eq!(first_index(&copy), first_index(&original) + 1_000_000, "copy 1 of part-00000 has shifted indexes");
    fn fixed_now() -> f64 {
        0.0
    }
    let run = streamlab_web::seed_bench::run_seed_pipeline(&files, Rc::new(ManualClock::new(1_700_000_000_000)), fixed_now).unwrap();
    assert_eq!((run.files, run.rows), (16, 32_012));
}

#[test]
fn the_warm_up_runs_the_lesson_pipeline_on_the_head_of_each_file() {
    let slice = streamlab_web::seed_bench::warm_up_slice(&sample(), streamlab_web::seed_bench::WARM_UP_LINES);
    assert_eq!(slice.len(), 8);
    assert!(slice.iter().all(|(_, bytes)| bytes.iter().filter(|b| **b == b'\n').count() == streamlab_web::seed_bench::WARM_UP_LINES));
    fn fixed_now() -> f64 {
        0.0
    }
    let run = streamlab_web::seed_bench::run_seed_pipeline(&slice, Rc::new(ManualClock::new(1_700_000_000_000)), fixed_now).unwrap();
    assert_eq!(run.rows, 8 * streamlab_web::seed_bench::WARM_UP_LINES);
}
