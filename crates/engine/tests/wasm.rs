//! The engine inside a real browser (wasm32, headless Chromium through wasm-bindgen-test): the
//! lesson's pipeline on the bundled activity sample, and errors that stay values.

#![cfg(target_arch = "wasm32")]

mod common;

use std::rc::Rc;
use std::sync::Arc;

use streamlab_engine::clock::ManualClock;
use streamlab_engine::output::BufferedOutput;
use streamlab_engine::{ErrorKind, SparkSession, Trigger};
use streamlab_storage::{MemoryStorage, Storage};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

use common::ACTIVITY_DDL;

const ACTIVITY: [&[u8]; 8] = [
    include_bytes!("../../../data/activity/part-00000.json"),
    include_bytes!("../../../data/activity/part-00001.json"),
    include_bytes!("../../../data/activity/part-00002.json"),
    include_bytes!("../../../data/activity/part-00003.json"),
    include_bytes!("../../../data/activity/part-00004.json"),
    include_bytes!("../../../data/activity/part-00005.json"),
    include_bytes!("../../../data/activity/part-00006.json"),
    include_bytes!("../../../data/activity/part-00007.json"),
];

const BAD: &[u8] = include_bytes!("../../../data/activity-bad/part-00000.json");

fn session() -> (SparkSession, Arc<MemoryStorage>, Rc<BufferedOutput>) {
    let fs = Arc::new(MemoryStorage::new());
    for (i, data) in ACTIVITY.iter().enumerate() {
        let path = format!("/data/activity/part-{i:05}.json");
        fs.write(&path, data).unwrap();
        fs.set_modification_time(&path, 1_700_000_000_000 + 1000 * i as i64).unwrap();
    }
    let out = Rc::new(BufferedOutput::default());
    let spark = SparkSession::new(fs.clone(), Rc::new(ManualClock::new(1_795_496_868_948)), out.clone());
    (spark, fs, out)
}

#[wasm_bindgen_test]
fn seed_pipeline_runs_in_the_browser() {
    let (spark, fs, _) = session();
    let q = common::seed_pipeline_query(&spark, "/data/activity", "/cp", "/out", Trigger::AvailableNow);
    assert!(q.await_termination(None).unwrap());
    let rows: Vec<i64> = q.recent_progress().iter().map(|p| p.num_input_rows).collect();
    assert_eq!(rows, [5000, 5000, 1001, 1001, 1001, 1001, 1001, 1001]);
    assert_eq!(fs.read("/cp/commits/7").unwrap(), b"v1\n{\"nextBatchWatermarkMs\":0}");
    let out = spark.read().parquet("/out").unwrap();
    assert_eq!(out.count().unwrap(), 16_006);
    assert_eq!(out.columns()[3], "User_ID");
}

#[wasm_bindgen_test]
fn memory_and_console_sinks_run_in_the_browser() {
    let (spark, _, out) = session();
    let df = spark.read_stream().schema_ddl(ACTIVITY_DDL).unwrap().option("maxFilesPerTrigger", 1).json("/data/activity").unwrap();
    let q = df.filter_sql("gt = 'sit'").unwrap().write_stream().unwrap().format("memory").query_name("sit")
        .trigger(Trigger::processing_time("3 seconds").unwrap()).start(None).unwrap();
    spark.sleep(30_000);
    assert_eq!(spark.table("sit").unwrap().count().unwrap(), 1001);
    assert_eq!(spark.streams().active().len(), 1);
    q.stop();
    assert!(spark.streams().active().is_empty());
    let q = df.select_expr(&["gt"]).unwrap().write_stream().unwrap().format("console").option("numRows", 1)
        .trigger(Trigger::Once).start(None).unwrap();
    q.await_termination(None).unwrap();
    assert!(out.stdout().contains("Batch: 0\n-------------------------------------------\n+-----+\n|   gt|\n+-----+\n|stand|\n+-----+\nonly showing top 1 row\n"));
}

#[wasm_bindgen_test]
fn bad_input_gives_errors_not_panics() {
    let (spark, fs, _) = session();
    fs.write("/bad/part-00000.json", BAD).unwrap();
    assert_eq!(spark.read_stream().schema_ddl("a: long").err().unwrap().kind, ErrorKind::Parse);
    let q = spark.read_stream().schema_ddl(ACTIVITY_DDL).unwrap().option("mode", "FAILFAST").json("/bad").unwrap()
        .write_stream().unwrap().format("memory").query_name("bad").trigger(Trigger::AvailableNow).start(None).unwrap();
    let err = q.await_termination(None).unwrap_err();
    assert_eq!(err.error_class.as_deref(), Some("STREAM_FAILED"));
    let permissive = spark.read().schema_ddl(ACTIVITY_DDL).unwrap().json("/bad").unwrap();
    assert_eq!(permissive.count().unwrap(), 39);
    assert!(spark.read_stream().json("/nope").is_err());
}

#[wasm_bindgen_test]
fn windowed_counts_with_a_watermark_run_in_the_browser() {
    let (spark, fs, _) = session();
    let q = spark
        .read_stream()
        .schema_ddl(ACTIVITY_DDL)
        .unwrap()
        .option("maxFilesPerTrigger", 1)
        .json("/data/activity")
        .unwrap()
        .with_column("event_time", streamlab_expr::parse_expression("CAST(Creation_Time / 1e9 AS TIMESTAMP)").unwrap())
        .unwrap()
        .with_watermark("event_time", "1 minute")
        .unwrap()
        .group_by(vec![
            streamlab_expr::Expr::call("window", vec![streamlab_expr::Expr::col("event_time"), streamlab_expr::Expr::lit("10 minutes")]),
            streamlab_expr::Expr::col("gt"),
        ])
        .count()
        .unwrap()
        .write_stream()
        .unwrap()
        .format("memory")
        .query_name("windows")
        .output_mode("update")
        .unwrap()
        .option("checkpointLocation", "/cpw")
        .trigger(Trigger::AvailableNow)
        .start(None)
        .unwrap();
    q.await_termination(None).unwrap();
    assert_eq!(q.recent_progress().len(), 9);
    assert!(fs.exists("/cpw/state/0/0/9.snapshot").unwrap());
    // Update mode: each batch emits the groups it changed (batch 6 changes two, the no-data
    // batch none).
    assert_eq!(spark.table("windows").unwrap().count().unwrap(), 9);
}
