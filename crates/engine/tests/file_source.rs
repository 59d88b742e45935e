//! The file source's choice of files per batch, after FileStreamSourceSuite.

mod common;

#[allow(unused_imports)]
use streamlab_storage::Storage;

use arrow::array::{Array, StringArray};
use common::env;
use streamlab_engine::output::Level;
use streamlab_engine::{SparkSession, Trigger};

/// `value` of every row in the memory table `name`, in order.
fn values(spark: &SparkSession, name: &str) -> Vec<String> {
    let batch = spark.table(name).unwrap().collect().unwrap();
    let col = batch.column(0).as_any().downcast_ref::<StringArray>().unwrap();
    (0..col.len()).map(|i| col.value(i).to_string()).collect()
}

/// Starts a text stream over `/in` into memory table `t`.
fn text_query(e: &common::Env, options: &[(&str, &str)], trigger: Trigger) -> streamlab_engine::StreamingQuery {
    let mut reader = e.spark.read_stream().format("text");
    for (k, v) in options {
        reader = reader.option(k, v);
    }
    let df = reader.load(Some("/in")).unwrap();
    df.write_stream().unwrap().format("memory").query_name("t").trigger(trigger).start(None).unwrap()
}

fn batch_values(q: &streamlab_engine::StreamingQuery) -> Vec<i64> {
    q.recent_progress().iter().map(|p| p.num_input_rows).collect()
}

#[test]
fn max_files_per_trigger_batches_files_by_age() {
    // FileStreamSourceSuite "max files per trigger".
    let e = env();
    for i in 1..=3 {
        e.put(&format!("/in/{i}.txt"), &i.to_string(), 1_000 * i);
    }
    let q = text_query(&e, &[("maxFilesPerTrigger", "2")], Trigger::default());
    q.process_all_available().unwrap();
    assert_eq!(batch_values(&q), [2, 1]);
    for i in 4..=7 {
        e.put(&format!("/in/{i}.txt"), &i.to_string(), 1_000 * i);
    }
    q.process_all_available().unwrap();
    for i in 8..=12 {
        e.put(&format!("/in/{i}.txt"), &i.to_string(), 1_000 * i);
    }
    q.process_all_available().unwrap();
    let with_data: Vec<i64> = batch_values(&q).into_iter().filter(|n| *n > 0).collect();
    assert_eq!(with_data, [2, 1, 2, 2, 2, 2, 1]);
    assert_eq!(values(&e.spark, "t"), (1..=12).map(|i| i.to_string()).collect::<Vec<_>>());
    q.stop();
}

#[test]
fn latest_first_reads_newest_file_first() {
    // FileStreamSourceSuite "FileStreamSource - latestFirst".
    for (latest_first, expected) in [("false", ["1", "2"]), ("true", ["2", "1"])] {
        let e = env();
        e.put("/in/1.txt", "1", 1_000);
        e.put("/in/2.txt", "2", 2_000);
        let q = text_query(&e, &[("latestFirst", latest_first), ("maxFilesPerTrigger", "1")], Trigger::AvailableNow);
        q.await_termination(None).unwrap();
        assert_eq!(values(&e.spark, "t"), expected);
        let warned = e.out.logs(Level::Warn).iter().any(|w| w.starts_with("'latestFirst' is true."));
        assert_eq!(warned, latest_first == "true");
    }
}

#[test]
fn max_file_age_is_ignored_with_latest_first_and_max_files() {
    // FileStreamSourceSuite "SPARK-19813: Ignore maxFileAge when maxFilesPerTrigger and latestFirst is used".
    let e = env();
    e.put("/in/1.txt", "1", 1_000);
    e.put("/in/2.txt", "2", 1_000 + 3_600_000);
    let q = text_query(
        &e,
        &[("latestFirst", "true"), ("maxFileAge", "1m"), ("maxFilesPerTrigger", "1")],
        Trigger::AvailableNow,
    );
    q.await_termination(None).unwrap();
    assert_eq!(values(&e.spark, "t"), ["2", "1"]);
}

#[test]
fn old_files_beyond_max_file_age_are_skipped_after_the_first_batch() {
    let e = env();
    e.put("/in/new.txt", "new", 10 * 86_400_000);
    let q = text_query(&e, &[("maxFileAge", "1d")], Trigger::default());
    q.process_all_available().unwrap();
    e.put("/in/old.txt", "old", 1_000);
    q.process_all_available().unwrap();
    assert_eq!(values(&e.spark, "t"), ["new"]);
    q.stop();
}

#[test]
fn hidden_files_are_ignored_and_glob_filters_names() {
    let e = env();
    e.put("/in/_SUCCESS", "", 1_000);
    e.put("/in/.part.crc", "crc", 1_000);
    e.put("/in/a.txt", "a", 2_000);
    e.put("/in/b.csv", "b", 3_000);
    e.fs.write("/in/sub/c.txt", b"c").unwrap();
    let q = text_query(&e, &[("pathGlobFilter", "*.txt")], Trigger::AvailableNow);
    q.await_termination(None).unwrap();
    assert_eq!(values(&e.spark, "t"), ["a"]);
}

#[test]
fn trigger_once_ignores_read_limits_with_a_warning() {
    // FileStreamSourceSuite "SPARK-30669: maxFilesPerTrigger - ignored when using Trigger.Once".
    let e = env();
    for i in 1..=3 {
        e.put(&format!("/in/{i}.txt"), &i.to_string(), 1_000 * i);
    }
    let df = e.spark.read_stream().format("text").option("maxFilesPerTrigger", 1).load(Some("/in")).unwrap();
    let start = || {
        df.write_stream()
            .unwrap()
            .format("parquet")
            .option("checkpointLocation", "/cp")
            .trigger(Trigger::Once)
            .start(Some("/out"))
            .unwrap()
    };
    let q = start();
    q.await_termination(None).unwrap();
    assert_eq!(batch_values(&q), [3]);
    assert!(e
        .out
        .logs(Level::Warn)
        .contains(&"The read limit MaxFiles: 1 for FileStreamSource[file:/in] is ignored when Trigger.Once is used.".to_string()));
    for i in 4..=5 {
        e.put(&format!("/in/{i}.txt"), &i.to_string(), 1_000 * i);
    }
    let q = start();
    q.await_termination(None).unwrap();
    assert_eq!(batch_values(&q), [2]);
    assert_eq!(e.spark.read().parquet("/out").unwrap().count().unwrap(), 5);
}

#[test]
fn restart_reads_each_file_exactly_once() {
    // FileStreamSourceSuite "fault tolerance".
    let e = env();
    let start = |e: &common::Env| {
        let df = e.spark.read_stream().format("text").load(Some("/in")).unwrap();
        let df = df.filter_sql("value like '%keep%'").unwrap();
        df.write_stream()
            .unwrap()
            .format("parquet")
            .option("checkpointLocation", "/cp")
            .start(Some("/out"))
            .unwrap()
    };
    e.fs.mkdirs("/in").unwrap();
    e.put("/in/1.txt", "drop1\nkeep2\nkeep3", 1_000);
    let q = start(&e);
    q.process_all_available().unwrap();
    q.stop();
    e.put("/in/2.txt", "drop4\nkeep5\nkeep6", 2_000);
    let q = start(&e);
    q.process_all_available().unwrap();
    e.put("/in/3.txt", "drop7\nkeep8\nkeep9", 3_000);
    q.process_all_available().unwrap();
    q.stop();
    let out = e.spark.read().parquet("/out").unwrap().collect().unwrap();
    let col = out.column(0).as_any().downcast_ref::<StringArray>().unwrap();
    let mut got: Vec<&str> = (0..col.len()).map(|i| col.value(i)).collect();
    got.sort();
    assert_eq!(got, ["keep2", "keep3", "keep5", "keep6", "keep8", "keep9"]);
}

#[test]
fn creation_errors_match_spark() {
    let e = env();
    e.fs.mkdirs("/in").unwrap();
    let err = e.spark.read_stream().json("/in").unwrap_err();
    assert_eq!(err.kind, streamlab_engine::ErrorKind::IllegalArgument);
    assert!(err.message.starts_with("Schema must be specified when creating a streaming source DataFrame."));
    let err = e.spark.read_stream().schema_ddl("a long").unwrap().json("/nope").unwrap_err();
    assert_eq!(err.to_string(), "[PATH_NOT_FOUND] Path does not exist: file:/nope.");
    let err = e.spark.read_stream().format("json").load(None).unwrap_err();
    assert_eq!(err.to_string(), "'path' is not specified.");
    e.spark.conf_set("spark.sql.streaming.schemaInference", "true");
    let err = e.spark.read_stream().json("/in").unwrap_err();
    assert_eq!(err.to_string(), "[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for JSON. It must be specified manually.");
    e.put("/in/a.json", "{\"c\":\"1\"}", 1);
    let df = e.spark.read_stream().json("/in").unwrap();
    assert_eq!(df.columns(), ["c"]);
}

#[test]
fn bad_option_values_fail_the_query_at_start() {
    // FileStreamSourceSuite "max files per trigger - incorrect values".
    for bad in ["not-a-integer", "-1", "0", "10.1"] {
        let e = env();
        e.put("/in/1.txt", "1", 1);
        let q = text_query(&e, &[("maxFilesPerTrigger", bad)], Trigger::default());
        let err = q.await_termination(None).unwrap_err();
        assert_eq!(err.kind, streamlab_engine::ErrorKind::StreamingQuery);
        assert_eq!(
            err.to_string(),
            format!(
                "[STREAM_FAILED] Query t [id = {}, runId = {}] terminated with exception: Invalid value '{bad}' for option 'maxFilesPerTrigger', must be a positive integer",
                q.id(),
                q.run_id()
            )
        );
        assert!(!q.is_active());
        assert!(q.status().message.starts_with("Terminated with exception: Invalid value"));
        assert!(e.spark.streams().active().is_empty());
    }
}

#[test]
fn equal_modification_times_are_taken_in_path_order() {
    let e = env();
    for name in ["c", "a", "b"] {
        e.put(&format!("/in/{name}.txt"), name, 5_000);
    }
    let q = text_query(&e, &[("maxFilesPerTrigger", "1")], Trigger::AvailableNow);
    q.await_termination(None).unwrap();
    assert_eq!(values(&e.spark, "t"), ["a", "b", "c"]);
}

#[test]
fn a_file_changed_after_it_was_read_ahead_is_read_again() {
    // Natively the source parses the next batch's file while the current batch runs; a file
    // rewritten in between (which Spark's contract forbids) must still be read as it is now.
    let e = env();
    for i in 1..=3 {
        e.put(&format!("/in/{i}.txt"), &format!("first {i}"), 1_000 * i);
    }
    let q = text_query(&e, &[("maxFilesPerTrigger", "1")], Trigger::ProcessingTime(60_000));
    assert_eq!(q.run_next_trigger().unwrap().unwrap().files_read, ["/in/1.txt"]);
    e.put("/in/2.txt", "second version of 2", 2_000);
    assert_eq!(q.run_next_trigger().unwrap().unwrap().files_read, ["/in/2.txt"]);
    assert_eq!(q.run_next_trigger().unwrap().unwrap().files_read, ["/in/3.txt"]);
    assert_eq!(values(&e.spark, "t"), ["first 1", "second version of 2", "first 3"]);
    q.stop();
}
