//! Batch reads of Delta tables: log replay (add minus remove, latest schema, partition
//! values), put-if-absent commits, and the errors for what is not a readable Delta table.

mod common;

use std::sync::Arc;

use arrow::array::{Array, AsArray, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Int64Type, Schema};
use common::env;
use streamlab_engine::delta::log::{Action, Txn};
use streamlab_engine::delta::DeltaLog;
use streamlab_engine::ErrorKind;
use streamlab_io::FileFormat;
use streamlab_storage::Storage;

/// Writes a Parquet file of column `id` under `/t`.
fn parquet(e: &common::Env, path: &str, ids: &[i64]) -> usize {
    let schema = Arc::new(Schema::new(vec![Field::new("id", DataType::Int64, true)]));
    let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(Int64Array::from(ids.to_vec()))]).unwrap();
    let bytes = streamlab_io::write_file(FileFormat::Parquet, &[batch], &schema).unwrap();
    e.fs.write(&format!("/t/{path}"), &bytes).unwrap();
    bytes.len()
}

fn add_line(path: &str, part: Option<&str>, size: usize) -> String {
    let value = part.map_or("null".to_string(), |p| format!("\"{p}\""));
    format!(
        r#"{{"add":{{"path":"{path}","partitionValues":{{"p":{value}}},"size":{size},"modificationTime":1,"dataChange":true,"tags":{{"x":"y"}}}}}}"#
    )
}

/// A table written by "another engine": partitioned by `p`, a file added then removed, a
/// column added by a later metaData, and an action StreamLab does not know.
fn foreign_table(e: &common::Env) {
    let a = parquet(e, "p=x/part-a.parquet", &[1, 2]);
    let b = parquet(e, "p=x%20y/part-b.parquet", &[3]);
    let c = parquet(e, "p=__HIVE_DEFAULT_PARTITION__/part-c.parquet", &[4]);
    let schema1 = r#"{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},{\"name\":\"p\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}"#;
    let schema2 = r#"{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},{\"name\":\"p\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},{\"name\":\"extra\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}"#;
    let meta = |schema: &str| {
        format!(
            r#"{{"metaData":{{"id":"t1","format":{{"provider":"parquet","options":{{}}}},"schemaString":"{schema}","partitionColumns":["p"],"configuration":{{}},"createdTime":1}}}}"#
        )
    };
    let v0 = [
        r#"{"commitInfo":{"operation":"WRITE"}}"#.to_string(),
        r#"{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}"#.to_string(),
        meta(schema1),
        add_line("p=x/part-a.parquet", Some("x"), a),
    ];
    let v1 = [
        meta(schema2),
        add_line("p=x%2520y/part-b.parquet", Some("x y"), b),
        r#"{"domainMetadata":{"domain":"d","configuration":"{}","removed":false}}"#.to_string(),
        r#"{"txn":{"appId":"app","version":7}}"#.to_string(),
    ];
    let v2 = [
        r#"{"remove":{"path":"p=x/part-a.parquet","deletionTimestamp":2,"dataChange":true}}"#.to_string(),
        add_line("p=__HIVE_DEFAULT_PARTITION__/part-c.parquet", None, c),
    ];
    for (version, lines) in [v0.as_slice(), v1.as_slice(), v2.as_slice()].iter().enumerate() {
        e.fs.write(&format!("/t/_delta_log/{version:020}.json"), (lines.join("\n") + "\n").as_bytes()).unwrap();
    }
}

#[test]
fn replay_keeps_added_minus_removed_files_with_the_latest_schema() {
    let e = env();
    foreign_table(&e);
    let snapshot = DeltaLog::new(e.fs.clone(), "/t").snapshot().unwrap().unwrap();
    assert_eq!(snapshot.version, 2);
    assert_eq!(snapshot.app_version("app"), Some(7));
    assert_eq!(snapshot.app_version("other"), None);
    assert_eq!(snapshot.files().iter().map(|f| f.path.as_str()).collect::<Vec<_>>(), ["p=x%2520y/part-b.parquet", "p=__HIVE_DEFAULT_PARTITION__/part-c.parquet"]);

    let df = e.spark.read().format("delta").load(Some("/t")).unwrap();
    assert_eq!(df.columns(), ["id", "p", "extra"]);
    let rows = df.collect().unwrap();
    assert_eq!(rows.column(0).as_primitive::<Int64Type>().values().to_vec(), [3, 4]);
    let p = rows.column(1).as_string::<i32>();
    assert_eq!((p.value(0), p.is_null(1)), ("x y", true));
    assert_eq!(rows.column(2).null_count(), 2, "a column the files lack reads as null");
}

#[test]
fn commits_never_overwrite_a_version() {
    let e = env();
    let log = DeltaLog::new(e.fs.clone(), "/t");
    let txn = |v| [Action::Txn(Txn { app_id: "a".into(), version: v, last_updated: None })];
    assert!(log.try_commit(0, &txn(1)).unwrap());
    assert!(!log.try_commit(0, &txn(2)).unwrap());
    assert_eq!(e.text("/t/_delta_log/00000000000000000000.json"), "{\"txn\":{\"appId\":\"a\",\"version\":1}}\n");
    assert_eq!(e.names("/t/_delta_log"), ["00000000000000000000.json"], "no temp file is left behind");
    // A log without protocol and metadata is not a usable table.
    let err = log.snapshot().unwrap_err();
    assert_eq!(err.error_class.as_deref(), Some("DELTA_STATE_RECOVER_ERROR"));
}

#[test]
fn gaps_and_unknown_features_are_refused() {
    let e = env();
    foreign_table(&e);
    e.fs.delete("/t/_delta_log/00000000000000000001.json").unwrap();
    let err = e.spark.read().format("delta").load(Some("/t")).unwrap_err();
    assert_eq!(err.error_class.as_deref(), Some("DELTA_VERSIONS_NOT_CONTIGUOUS"));

    let e = env();
    foreign_table(&e);
    e.fs.write(
        "/t/_delta_log/00000000000000000003.json",
        br#"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],"writerFeatures":["deletionVectors"]}}"#,
    )
    .unwrap();
    let err = e.spark.read().format("delta").load(Some("/t")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "[DELTA_UNSUPPORTED_FEATURES_FOR_READ] Unable to read this table because it requires reader table feature(s) that are unsupported by this version of Delta Lake: deletionVectors."
    );
}

#[test]
fn what_is_not_a_delta_table_fails_as_in_delta() {
    let e = env().with_activity(1);
    let err = e.spark.read().format("delta").load(Some("/data/activity")).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Analysis);
    assert_eq!(err.to_string(), "[DELTA_MISSING_DELTA_TABLE] `/data/activity` is not a Delta table.");
    let err = e.spark.read().format("delta").load(Some("/nowhere")).unwrap_err();
    assert_eq!(err.to_string(), "[PATH_NOT_FOUND] Path does not exist: file:/nowhere.");
    let err = e.spark.read().format("delta").schema_ddl("a long").unwrap().load(Some("/data/activity")).unwrap_err();
    assert_eq!(err.to_string(), "[DELTA_UNSUPPORTED_SCHEMA_DURING_READ] Delta does not support specifying the schema at read time.");
    let err = e.spark.read_stream().format("delta").load(Some("/data/activity")).unwrap_err();
    assert_eq!(err.kind, ErrorKind::UnsupportedOperation);
    assert!(err.to_string().contains("spark.read.format(\"delta\").load(path)"), "{err}");
}

#[test]
fn a_table_written_by_a_query_reads_back_with_its_strings() {
    // Round trip of a plain stream through the sink and the batch reader.
    let e = env();
    e.put("/in/a.json", "{\"s\":\"b\",\"n\":1}\n{\"s\":null,\"n\":2}\n", 1_000);
    let q = e
        .spark
        .read_stream()
        .schema_ddl("s string, n long")
        .unwrap()
        .json("/in")
        .unwrap()
        .write_stream()
        .unwrap()
        .format("delta")
        .option("checkpointLocation", "/cp")
        .trigger(streamlab_engine::Trigger::AvailableNow)
        .start(Some("/out"))
        .unwrap();
    q.await_termination(None).unwrap();
    let rows = e.spark.read().format("delta").load(Some("/out")).unwrap().collect().unwrap();
    let s = rows.column(0).as_any().downcast_ref::<StringArray>().unwrap();
    assert_eq!((s.value(0), s.is_null(1)), ("b", true));
    let first = e.text("/out/_delta_log/00000000000000000000.json");
    let names: Vec<String> = first
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap().as_object().unwrap().keys().next().unwrap().clone())
        .collect();
    assert_eq!(names, ["commitInfo", "protocol", "metaData", "txn", "add"]);
    assert!(first.ends_with('\n'));
}
