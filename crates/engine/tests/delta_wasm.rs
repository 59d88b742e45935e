//! The lesson's Delta cells inside a real browser (wasm32, headless Chromium): `toTable` into a
//! database on in-memory files, then the table read back, as the notebook runs them.

#![cfg(target_arch = "wasm32")]

mod common;

use std::rc::Rc;
use std::sync::Arc;

use streamlab_engine::clock::ManualClock;
use streamlab_engine::output::BufferedOutput;
use streamlab_engine::{SparkSession, Trigger};
use streamlab_storage::{MemoryStorage, Storage};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ACTIVITY: [&[u8]; 3] = [
    include_bytes!("../../../data/activity/part-00000.json"),
    include_bytes!("../../../data/activity/part-00001.json"),
    include_bytes!("../../../data/activity/part-00002.json"),
];

#[wasm_bindgen_test]
fn delta_to_table_runs_in_the_browser() {
    let fs = Arc::new(MemoryStorage::new());
    for (i, data) in ACTIVITY.iter().enumerate() {
        let path = format!("/data/activity/part-{i:05}.json");
        fs.write(&path, data).unwrap();
        fs.set_modification_time(&path, 1_700_000_000_000 + 1000 * i as i64).unwrap();
    }
    let spark = SparkSession::new(fs.clone(), Rc::new(ManualClock::new(1_795_496_868_948)), Rc::new(BufferedOutput::default()));
    spark.create_database("outputDelta", true).unwrap();
    let q = spark
        .read_stream()
        .option("maxFilesPerTrigger", 1)
        .schema_ddl(common::ACTIVITY_DDL)
        .unwrap()
        .json("/data/activity")
        .unwrap()
        .with_column_renamed("Index", "User_ID")
        .unwrap()
        .drop(&["_corrupt_record"])
        .unwrap()
        .write_stream()
        .unwrap()
        .format("delta")
        .option("checkpointLocation", "/cp")
        .trigger(Trigger::AvailableNow)
        .to_table("outputDelta.table")
        .unwrap();
    assert!(q.await_termination(None).unwrap());
    assert_eq!(spark.table("outputDelta.table").unwrap().count().unwrap(), 11_001);
    let log = spark.file_table("outputDelta.table").unwrap().path + "/_delta_log";
    assert_eq!(fs.list_file_names(&log).unwrap().len(), 4);
    let err = spark.read().format("delta").load(Some("/data/activity")).unwrap_err();
    assert_eq!(err.error_class.as_deref(), Some("DELTA_MISSING_DELTA_TABLE"));
}
