//! The lesson's pipeline end to end: JSON files one per trigger into a Parquet sink, with the
//! checkpoint and sink logs in Spark's byte format.

mod common;

#[allow(unused_imports)]
use streamlab_storage::Storage;

use common::{env, ROWS_PER_FILE};
use serde_json::Value;
use streamlab_engine::Trigger;

fn seed_query(e: &common::Env, trigger: Trigger) -> streamlab_engine::StreamingQuery {
    common::seed_pipeline_query(&e.spark, "/data/activity", "/cp", "/out", trigger)
}

#[test]
fn available_now_streams_one_file_per_batch_into_parquet() {
    let e = env().with_activity(8);
    let q = seed_query(&e, Trigger::AvailableNow);
    assert!(q.await_termination(None).unwrap());
    assert!(!q.is_active());
    assert_eq!(q.status().message, "Stopped");

    let progress = q.recent_progress();
    let rows: Vec<i64> = progress.iter().map(|p| p.num_input_rows).collect();
    assert_eq!(rows, ROWS_PER_FILE.to_vec());
    let ids: Vec<i64> = progress.iter().map(|p| p.batch_id).collect();
    assert_eq!(ids, (0..8).collect::<Vec<_>>());

    let out = e.spark.read().parquet("/out").unwrap();
    assert_eq!(out.count().unwrap(), 16_006);
    assert_eq!(
        out.columns(),
        ["Arrival_Time", "Creation_Time", "Device", "User_ID", "Model", "User", "gt", "x", "y", "z"]
    );
    let all = out.collect().unwrap();
    // Index 0..9999 in files 0-1 plus six blocks of 1001 consecutive indexes.
    let expected: i64 = (0..10_000i64).sum::<i64>()
        + [66_500i64, 117_000, 140_000, 190_001, 202_000, 299_000]
            .iter()
            .map(|s| (*s..s + 1001).sum::<i64>())
            .sum::<i64>();
    assert_eq!(common::sum_i64(&all, "User_ID"), expected);
}

#[test]
fn checkpoint_files_have_sparks_layout_and_bytes() {
    let e = env().with_activity(3);
    let q = seed_query(&e, Trigger::AvailableNow);
    q.await_termination(None).unwrap();

    assert_eq!(e.names("/cp"), [".metadata.crc", "commits", "metadata", "offsets", "sources"]);
    let metadata: Value = serde_json::from_str(&e.text("/cp/metadata")).unwrap();
    assert_eq!(metadata["id"].as_str().unwrap(), q.id());
    assert_eq!(e.text("/cp/metadata"), format!("{{\"id\":\"{}\"}}", q.id()));

    let offsets = e.text("/cp/offsets/1");
    let lines: Vec<&str> = offsets.split('\n').collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0], "v1");
    assert!(lines[1].starts_with("{\"batchWatermarkMs\":0,\"batchTimestampMs\":"));
    assert!(lines[1].contains("\"spark.sql.shuffle.partitions\":\"200\""));
    assert_eq!(lines[2], "{\"logOffset\":1}");
    assert!(!offsets.ends_with('\n'));

    assert_eq!(e.text("/cp/commits/2"), "v1\n{\"nextBatchWatermarkMs\":0}");
    assert_eq!(
        e.text("/cp/sources/0/0"),
        "v1\n{\"path\":\"file:///data/activity/part-00000.json\",\"timestamp\":1700000000000,\"batchId\":0}"
    );
    // Hadoop checksum side files, as the local file system writes them.
    assert!(e.names("/cp/offsets").contains(&".0.crc".to_string()));

    let sink_log = e.text("/out/_spark_metadata/0");
    let lines: Vec<&str> = sink_log.split('\n').collect();
    assert_eq!(lines[0], "v1");
    let entry: Value = serde_json::from_str(lines[1]).unwrap();
    let path = entry["path"].as_str().unwrap();
    assert!(path.starts_with("file:///out/part-00000-") && path.ends_with("-c000.snappy.parquet"), "{path}");
    assert_eq!(entry["isDir"], Value::Bool(false));
    assert_eq!(entry["blockReplication"], 1);
    assert_eq!(entry["blockSize"], 33_554_432);
    assert_eq!(entry["action"], "add");
    let file = path.strip_prefix("file://").unwrap();
    assert_eq!(entry["size"].as_u64().unwrap(), e.fs.read(file).unwrap().len() as u64);
}

#[test]
fn progress_reports_every_field_of_spark() {
    let e = env().with_activity(2);
    let q = seed_query(&e, Trigger::AvailableNow);
    q.await_termination(None).unwrap();
    let p = q.recent_progress();
    let first = p[0].to_value();
    let keys: Vec<&str> = first.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "id", "runId", "name", "timestamp", "batchId", "numInputRows", "inputRowsPerSecond",
            "processedRowsPerSecond", "durationMs", "stateOperators", "sources", "sink"
        ]
    );
    assert_eq!(first["timestamp"], "2026-11-24T05:07:48.948Z");
    let durations: Vec<&str> = first["durationMs"].as_object().unwrap().keys().map(|k| k.as_str()).collect();
    assert_eq!(
        durations,
        ["addBatch", "commitOffsets", "getBatch", "latestOffset", "queryPlanning", "triggerExecution", "walCommit"]
    );
    let source = &first["sources"][0];
    assert_eq!(source["description"], "FileStreamSource[file:/data/activity]");
    assert_eq!(source["startOffset"], Value::Null);
    assert_eq!(source["endOffset"]["logOffset"], 0);
    assert_eq!(source["latestOffset"], Value::Null);
    assert_eq!(source["numInputRows"], 5000);
    assert_eq!(source["inputRowsPerSecond"], 0.0);
    // A manual clock spends no time: processed rate is rows per 1 ms.
    assert_eq!(source["processedRowsPerSecond"], 5_000_000.0);
    assert_eq!(first["sink"]["description"], "FileSink[/out]");
    assert_eq!(first["sink"]["numOutputRows"], -1);
    assert_eq!(p[1].sources[0].start_offset["logOffset"], 0);
    assert_eq!(p[1].sources[0].end_offset["logOffset"], 1);
}
