//! Sinks: console layout, memory tables, foreachBatch, partitioned file output, and the
//! sink-side errors Spark raises at start().

mod common;

#[allow(unused_imports)]
use streamlab_storage::Storage;

use std::cell::RefCell;
use std::rc::Rc;

use arrow::array::{Array, Int64Array};
use common::{env, ACTIVITY_DDL};
use streamlab_engine::{ErrorKind, Trigger};

#[test]
fn console_prints_batch_header_and_show_table() {
    let e = env();
    e.put("/in/1.txt", "a\na very long string value here", 1_000);
    let df = e.spark.read_stream().format("text").load(Some("/in")).unwrap();
    let q = df.write_stream().unwrap().format("console").trigger(Trigger::Once).start(None).unwrap();
    q.await_termination(None).unwrap();
    assert_eq!(
        e.out.stdout(),
        "-------------------------------------------\n\
         Batch: 0\n\
         -------------------------------------------\n\
         +--------------------+\n\
         |               value|\n\
         +--------------------+\n\
         |                   a|\n\
         |a very long strin...|\n\
         +--------------------+\n\
         \n"
    );
    let warnings = e.out.logs(streamlab_engine::output::Level::Warn);
    assert!(warnings[0].starts_with("Temporary checkpoint location created which is deleted normally when the query didn't fail: /tmp/temporary-"));
    // The temporary checkpoint is deleted on a clean stop.
    assert!(e.names("/tmp").is_empty());
    assert!(q.last_progress().unwrap().sink.description.starts_with("org.apache.spark.sql.execution.streaming.ConsoleTable$@"));
}

#[test]
fn console_honours_num_rows_and_truncate() {
    let e = env().with_activity(1);
    let df = e.spark.read_stream().schema_ddl(ACTIVITY_DDL).unwrap().json("/data/activity").unwrap();
    let df = df.select_expr(&["Device", "gt"]).unwrap();
    let q = df
        .write_stream()
        .unwrap()
        .format("console")
        .option("numRows", 2)
        .option("truncate", "false")
        .trigger(Trigger::Once)
        .start(None)
        .unwrap();
    q.await_termination(None).unwrap();
    let text = e.out.stdout();
    assert!(text.ends_with("+--------+-----+\n|Device  |gt   |\n+--------+-----+\n|nexus4_1|stand|\n|nexus4_1|stand|\n+--------+-----+\nonly showing top 2 rows\n\n"), "{text}");
}

#[test]
fn foreach_batch_gets_each_batch_and_its_id() {
    let e = env().with_activity(3);
    let seen: Rc<RefCell<Vec<(i64, usize)>>> = Rc::default();
    let sink = seen.clone();
    let df = e.spark.read_stream().schema_ddl(ACTIVITY_DDL).unwrap().option("maxFilesPerTrigger", 1).json("/data/activity").unwrap();
    let q = df
        .write_stream()
        .unwrap()
        .foreach_batch(Box::new(move |batch, id| {
            sink.borrow_mut().push((id, batch.count()?));
            Ok(())
        }))
        .trigger(Trigger::AvailableNow)
        .start(None)
        .unwrap();
    q.await_termination(None).unwrap();
    assert_eq!(*seen.borrow(), [(0, 5000), (1, 5000), (2, 1001)]);
    assert_eq!(q.last_progress().unwrap().sink.description, "ForeachBatchSink");
    assert_eq!(q.last_progress().unwrap().sink.num_output_rows, -1);
}

#[test]
fn foreach_batch_errors_fail_the_query() {
    let e = env().with_activity(1);
    let df = e.spark.read_stream().schema_ddl(ACTIVITY_DDL).unwrap().json("/data/activity").unwrap();
    let q = df
        .write_stream()
        .unwrap()
        .foreach_batch(Box::new(|_, _| Err(streamlab_engine::SparkError::runtime("boom"))))
        .start(None)
        .unwrap();
    let err = q.process_all_available().unwrap_err();
    assert!(err.to_string().ends_with("terminated with exception: boom"), "{err}");
}

#[test]
fn partitioned_parquet_output_reads_back_with_partition_column_last() {
    // FileStreamSinkSuite "partitioned writing and batch reading", on the activity data.
    let e = env().with_activity(3);
    let df = e.spark.read_stream().schema_ddl(ACTIVITY_DDL).unwrap().json("/data/activity").unwrap();
    let df = df.select_expr(&["gt", "Index"]).unwrap();
    let q = df
        .write_stream()
        .unwrap()
        .format("parquet")
        .partition_by(&["gt"])
        .option("checkpointLocation", "/cp")
        .trigger(Trigger::AvailableNow)
        .start(Some("/out"))
        .unwrap();
    q.await_termination(None).unwrap();
    assert_eq!(e.names("/out"), ["_spark_metadata", "gt=sit", "gt=stand"]);
    let back = e.spark.read().parquet("/out").unwrap();
    assert_eq!(back.columns(), ["Index", "gt"]);
    assert_eq!(back.filter_sql("gt = 'sit'").unwrap().count().unwrap(), 1001);
    assert_eq!(back.filter_sql("gt = 'stand'").unwrap().count().unwrap(), 10_000);
}

#[test]
fn file_sink_replays_skip_committed_batches_and_log_empty_ones() {
    let e = env();
    e.fs.mkdirs("/in").unwrap();
    let start = |e: &common::Env| {
        let df = e.spark.read_stream().format("text").load(Some("/in")).unwrap();
        df.filter_sql("value != 'skip'")
            .unwrap()
            .write_stream()
            .unwrap()
            .format("json")
            .option("checkpointLocation", "/cp")
            .trigger(Trigger::AvailableNow)
            .start(Some("/out"))
            .unwrap()
    };
    e.put("/in/1.txt", "skip", 1_000);
    start(&e).await_termination(None).unwrap();
    assert_eq!(e.text("/out/_spark_metadata/0"), "v1");
    e.put("/in/2.txt", "7", 2_000);
    start(&e).await_termination(None).unwrap();
    // Crash between sink write and commit: the batch is replayed and the sink skips it.
    e.fs.delete("/cp/commits/1").unwrap();
    e.fs.delete("/cp/commits/.1.crc").unwrap();
    let q = start(&e);
    q.await_termination(None).unwrap();
    assert_eq!(q.recent_progress()[0].batch_id, 1);
    let parts: Vec<String> = e.names("/out").into_iter().filter(|n| n.starts_with("part-")).collect();
    assert_eq!(parts.len(), 1);
    assert_eq!(e.spark.read().json("/out").unwrap().count().unwrap(), 1);
}

#[test]
fn sink_errors_at_start_match_spark() {
    let e = env().with_activity(1);
    let df = e.spark.read_stream().schema_ddl(ACTIVITY_DDL).unwrap().json("/data/activity").unwrap();
    let err = df.write_stream().unwrap().format("parquet").start(Some("/out")).unwrap_err();
    assert_eq!(err.to_string(), "checkpointLocation must be specified either through option(\"checkpointLocation\", ...) or SparkSession.conf.set(\"spark.sql.streaming.checkpointLocation\", ...).");
    let err = df.write_stream().unwrap().format("memory").start(None).unwrap_err();
    assert_eq!(err.to_string(), "queryName must be specified for memory sink.");
    let err = df.write_stream().unwrap().format("parquet").output_mode("update").unwrap().option("checkpointLocation", "/c").start(Some("/o")).unwrap_err();
    assert_eq!(err.to_string(), "Data source parquet does not support Update output mode.");
    let err = df.write_stream().unwrap().format("console").output_mode("complete").unwrap().start(None).unwrap_err();
    assert_eq!(err.to_string(), "Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets");
    let err = df.write_stream().unwrap().format("parquet").option("checkpointLocation", "/c").start(None).unwrap_err();
    assert_eq!(err.to_string(), "'path' is not specified.");
    let err = df.write_stream().unwrap().format("parquet").partition_by(&["nope"]).option("checkpointLocation", "/c").start(Some("/o")).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Analysis);
    e.spark.conf_set("spark.sql.streaming.checkpointLocation", "/checkpoints");
    let q = df.write_stream().unwrap().format("parquet").query_name("named").trigger(Trigger::Once).start(Some("/o2")).unwrap();
    q.await_termination(None).unwrap();
    assert!(e.fs.exists("/checkpoints/named/commits/0").unwrap());
}

#[test]
fn memory_sink_in_append_mode_refuses_to_recover() {
    let e = env().with_activity(1);
    let df = e.spark.read_stream().schema_ddl(ACTIVITY_DDL).unwrap().json("/data/activity").unwrap();
    let start = || df.write_stream().unwrap().format("memory").query_name("m").option("checkpointLocation", "/cpm").trigger(Trigger::Once).start(None);
    start().unwrap().await_termination(None).unwrap();
    let err = start().unwrap_err();
    assert_eq!(err.to_string(), "This query does not support recovering from checkpoint location. Delete /cpm/offsets to start over.");
    let table = e.spark.table("m").unwrap().collect().unwrap();
    let idx = table.column_by_name("Index").unwrap().as_any().downcast_ref::<Int64Array>().unwrap();
    assert_eq!((idx.len(), idx.value(0)), (5000, 0));
}
