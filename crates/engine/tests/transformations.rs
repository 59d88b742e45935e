//! Stateless transformations on streams, and the other file formats as sources.

mod common;

use arrow::array::{Array, Int64Array, StringArray, TimestampMicrosecondArray};
use common::{env, ACTIVITY_DDL};
use streamlab_engine::Trigger;
use streamlab_expr::{parse_expression, Expr};
#[allow(unused_imports)]
use streamlab_storage::Storage;

#[test]
fn lesson_event_time_and_renames() {
    let e = env().with_activity(1);
    let df = e
        .spark
        .read_stream()
        .schema_ddl(ACTIVITY_DDL)
        .unwrap()
        .json("/data/activity")
        .unwrap()
        .with_column_renamed("Index", "User_ID")
        .unwrap()
        .with_column_renamed("missing", "ignored")
        .unwrap()
        .drop(&["_corrupt_record", "Model"])
        .unwrap()
        .drop_column(&Expr::col("missing"))
        .unwrap()
        .with_column("event_time", parse_expression("CAST(Creation_Time / 1e9 AS TIMESTAMP)").unwrap())
        .unwrap();
    assert_eq!(
        df.columns(),
        ["Arrival_Time", "Creation_Time", "Device", "User_ID", "User", "gt", "x", "y", "z", "event_time"]
    );
    let q = df.write_stream().unwrap().format("memory").query_name("t").trigger(Trigger::Once).start(None).unwrap();
    q.await_termination(None).unwrap();
    let shown = e.spark.table("t").unwrap().select_expr(&["User_ID", "event_time"]).unwrap().show_string(2, 20, false).unwrap();
    assert_eq!(
        shown,
        "+-------+--------------------+\n\
         |User_ID|          event_time|\n\
         +-------+--------------------+\n\
         |      0|2015-02-23 13:03:...|\n\
         |      1|2015-02-23 13:03:...|\n\
         +-------+--------------------+\n\
         only showing top 2 rows\n"
    );
    let err = df.select(vec![Expr::col("nope")]).unwrap_err();
    assert_eq!(err.error_class.as_deref(), Some("UNRESOLVED_COLUMN.WITH_SUGGESTION"));
    let err = df.filter(Expr::col("gt")).unwrap_err();
    assert_eq!(err.error_class.as_deref(), Some("DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN"));
}

#[test]
fn current_timestamp_is_the_batch_timestamp_and_stable_on_replay() {
    let e = env();
    e.put("/in/1.txt", "a\nb", 1_000);
    let start = |e: &common::Env| {
        e.spark
            .read_stream()
            .format("text")
            .load(Some("/in"))
            .unwrap()
            .with_column("ts", Expr::call("current_timestamp", vec![]))
            .unwrap()
            .write_stream()
            .unwrap()
            .format("parquet")
            .option("checkpointLocation", "/cp")
            .trigger(Trigger::Once)
            .start(Some("/out"))
            .unwrap()
    };
    start(&e).await_termination(None).unwrap();
    let offsets = e.text("/cp/offsets/0");
    let logged: i64 = offsets.split("\"batchTimestampMs\":").nth(1).unwrap().split(',').next().unwrap().parse().unwrap();
    let read = || {
        let b = e.spark.read().parquet("/out").unwrap().collect().unwrap();
        let ts = b.column_by_name("ts").unwrap().as_any().downcast_ref::<TimestampMicrosecondArray>().unwrap().clone();
        (0..ts.len()).map(|i| ts.value(i)).collect::<Vec<i64>>()
    };
    assert_eq!(read(), [logged * 1000, logged * 1000]);
    // Replay of the uncommitted batch: same batch timestamp from offsets/0, output unchanged.
    e.fs.delete("/cp/commits/0").unwrap();
    e.clock.advance(60_000);
    start(&e).await_termination(None).unwrap();
    assert_eq!(read(), [logged * 1000, logged * 1000]);
}

#[test]
fn csv_stream_with_header() {
    let e = env();
    e.put("/in/a.csv", "gt,n\nsit,1\nwalk,2\n", 1_000);
    e.put("/in/b.csv", "gt,n\nbike,3\n", 2_000);
    let df = e.spark.read_stream().schema_ddl("gt string, n long").unwrap().option("header", "true").option("maxFilesPerTrigger", 1).csv("/in").unwrap();
    let q = df.write_stream().unwrap().format("memory").query_name("c").trigger(Trigger::AvailableNow).start(None).unwrap();
    q.await_termination(None).unwrap();
    assert_eq!(q.recent_progress().len(), 2);
    let b = e.spark.table("c").unwrap().collect().unwrap();
    let n = b.column(1).as_any().downcast_ref::<Int64Array>().unwrap();
    assert_eq!((0..n.len()).map(|i| n.value(i)).collect::<Vec<_>>(), [1, 2, 3]);
}

#[test]
fn parquet_stream_over_a_sink_reads_only_committed_files() {
    let e = env().with_activity(2);
    let first = e.spark.read_stream().schema_ddl(ACTIVITY_DDL).unwrap().option("maxFilesPerTrigger", 1).json("/data/activity").unwrap();
    first
        .select_expr(&["Index", "gt"])
        .unwrap()
        .write_stream()
        .unwrap()
        .format("parquet")
        .option("checkpointLocation", "/cp1")
        .trigger(Trigger::AvailableNow)
        .start(Some("/silver"))
        .unwrap()
        .await_termination(None)
        .unwrap();
    // A stray file in the sink directory is not in _spark_metadata: the parquet stream ignores it.
    let part = e.names("/silver").into_iter().find(|n| n.starts_with("part-")).unwrap();
    let bytes = e.fs.read(&format!("/silver/{part}")).unwrap();
    e.fs.write("/silver/part-99999-stray.snappy.parquet", &bytes).unwrap();
    let second = e.spark.read_stream().schema_ddl("Index long, gt string").unwrap().parquet("/silver").unwrap();
    let q = second.write_stream().unwrap().format("memory").query_name("gold").trigger(Trigger::AvailableNow).start(None).unwrap();
    q.await_termination(None).unwrap();
    assert_eq!(e.spark.table("gold").unwrap().count().unwrap(), 10_000);
    let b = e.spark.table("gold").unwrap().collect().unwrap();
    let gt = b.column(1).as_any().downcast_ref::<StringArray>().unwrap();
    assert!((0..gt.len()).all(|i| gt.value(i) == "stand"));
}

#[test]
fn an_unresolved_column_names_the_operator_that_failed() {
    // PySpark prints `[UNRESOLVED_COLUMN.WITH_SUGGESTION] ...].;` then the unresolved Project
    // over the plan: the first line is Spark's exactly.
    let e = common::env();
    e.put("/in/a.json", "{\"gt\":\"bike\",\"Index\":1}\n", 1);
    let df = e.spark.read().schema_ddl("Index long, gt string").unwrap().json("/in").unwrap();
    let err = df.select(vec![Expr::col("gtt"), Expr::col("Index").add(Expr::lit(1))]).unwrap_err();
    let text = err.to_string();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `gtt` cannot be resolved. Did you mean one of the following? [`gt`, `Index`].;")
    );
    assert_eq!(lines.next(), Some("'Project ['gtt, ('Index + 1)]"));
    assert!(lines.next().is_some_and(|l| l.starts_with("+- ")), "{text}");
}
