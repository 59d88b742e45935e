//! StreamingQuery and the query manager, after StreamingQuerySuite.

mod common;

#[allow(unused_imports)]
use streamlab_storage::Storage;

use std::sync::Arc;

use arrow::array::{Array, Int64Array};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use common::{env_at, env};
use serde_json::json;
use streamlab_engine::output::Level;
use streamlab_engine::source::MemoryStream;
use streamlab_engine::{ErrorKind, Trigger};
use streamlab_expr::Expr;

fn longs(values: &[i64]) -> RecordBatch {
    let schema = Arc::new(Schema::new(vec![Field::new("value", DataType::Int64, true)]));
    RecordBatch::try_new(schema, vec![Arc::new(Int64Array::from(values.to_vec()))]).unwrap()
}

fn long_stream() -> MemoryStream {
    MemoryStream::new(Arc::new(Schema::new(vec![Field::new("value", DataType::Int64, true)])))
}

fn table_values(e: &common::Env, name: &str) -> Vec<i64> {
    let b = e.spark.table(name).unwrap().collect().unwrap();
    let a = b.column(0).as_any().downcast_ref::<Int64Array>().unwrap();
    (0..a.len()).map(|i| a.value(i)).collect()
}

#[test]
fn status_and_progress_with_a_memory_stream() {
    // StreamingQuerySuite "status, lastProgress, and recentProgress".
    let e = env_at(0);
    let stream = long_stream();
    let df = stream.to_df(&e.spark);
    let q = df
        .write_stream()
        .unwrap()
        .format("memory")
        .query_name("s")
        .trigger(Trigger::processing_time("1 second").unwrap())
        .start(None)
        .unwrap();
    assert_eq!(q.status().message, "Initializing StreamExecution");
    assert!(q.last_progress().is_none());
    e.clock.advance(1_000);
    stream.add_data(longs(&[1, 2])).unwrap();
    q.process_all_available().unwrap();
    let p = &q.recent_progress()[0];
    assert_eq!(p.batch_id, 0);
    assert_eq!(p.timestamp, "1970-01-01T00:00:01.000Z");
    assert_eq!(p.num_input_rows, 2);
    assert_eq!(p.sources[0].start_offset, serde_json::Value::Null);
    assert_eq!(p.sources[0].end_offset, json!(0));
    assert_eq!(p.sources[0].description, "MemoryStream[value]");
    assert_eq!(p.sink.description, "MemorySink");
    assert_eq!(p.sink.num_output_rows, 2);
    stream.add_data(longs(&[3])).unwrap();
    q.process_all_available().unwrap();
    let p = q.last_progress().unwrap();
    assert_eq!((p.sources[0].start_offset.clone(), p.sources[0].end_offset.clone()), (json!(0), json!(1)));
    assert_eq!(p.input_rows_per_second, 1.0);
    let status = q.status();
    assert_eq!(status.message, "Waiting for next trigger");
    assert!(!status.is_trigger_active);
    q.stop();
    assert_eq!(q.status().message, "Stopped");
    assert_eq!(table_values(&e, "s"), [1, 2, 3]);
}

#[test]
fn uncommitted_batch_is_replayed_with_the_same_offsets() {
    // StreamingQuerySuite "OneTime trigger, commit log, and exception", with a file sink, which
    // skips the replayed batch: the output holds every row exactly once.
    let e = env();
    let stream = long_stream();
    let df = stream.to_df(&e.spark).select(vec![Expr::lit(6i64).div(Expr::col("value")).cast(DataType::Int64).alias("v")]).unwrap();
    let start = || {
        df.write_stream().unwrap().format("parquet").option("checkpointLocation", "/cp").trigger(Trigger::Once).start(Some("/out")).unwrap()
    };
    let output = || {
        let b = e.spark.read().parquet("/out").unwrap().collect().unwrap();
        let a = b.column(0).as_any().downcast_ref::<Int64Array>().unwrap();
        let mut v: Vec<Option<i64>> = (0..a.len()).map(|i| a.is_valid(i).then(|| a.value(i))).collect();
        v.sort();
        v
    };
    stream.add_data(longs(&[1, 2])).unwrap();
    start().await_termination(None).unwrap();
    assert_eq!(output(), [Some(3), Some(6)]);
    e.fs.delete("/cp/commits/0").unwrap();
    e.fs.delete("/cp/commits/.0.crc").unwrap();
    let q = start();
    q.await_termination(None).unwrap();
    let replay = q.last_progress().unwrap();
    assert_eq!((replay.batch_id, replay.num_input_rows), (0, 2));
    assert!(e.fs.exists("/cp/commits/0").unwrap());
    assert_eq!(output(), [Some(3), Some(6)]);
    stream.add_data(longs(&[3])).unwrap();
    let q = start();
    q.await_termination(None).unwrap();
    assert_eq!(q.last_progress().unwrap().batch_id, 1);
    assert_eq!(output(), [Some(2), Some(3), Some(6)]);
    stream.add_data(longs(&[0])).unwrap();
    let q = start();
    q.await_termination(None).unwrap();
    assert_eq!(output(), [None, Some(2), Some(3), Some(6)], "6 / 0 is null, not a failure, with ANSI mode off");
}

#[test]
fn names_are_unique_among_active_queries() {
    let e = env().with_activity(1);
    let df = e.spark.read_stream().schema_ddl(common::ACTIVITY_DDL).unwrap().json("/data/activity").unwrap();
    let start = || df.write_stream().unwrap().format("memory").query_name("q1").start(None);
    let q1 = start().unwrap();
    let err = start().unwrap_err();
    assert_eq!(err.kind, ErrorKind::IllegalArgument);
    assert_eq!(err.to_string(), "Cannot start query with name q1 as a query with that name is already active in this SparkSession");
    assert!(q1.is_active());
    assert_eq!(e.spark.streams().active().len(), 1);
    assert_eq!(e.spark.streams().get(q1.id()).unwrap().run_id(), q1.run_id());
    q1.stop();
    assert!(e.spark.streams().active().is_empty());
    assert!(e.spark.streams().get(q1.id()).is_none());
    let q2 = start().unwrap();
    assert_ne!(q2.id(), q1.id());
    q2.stop();
}

#[test]
fn restarting_an_active_checkpoint_stops_the_old_run() {
    let e = env().with_activity(1);
    let df = e.spark.read_stream().schema_ddl(common::ACTIVITY_DDL).unwrap().json("/data/activity").unwrap();
    let start = || df.write_stream().unwrap().format("parquet").option("checkpointLocation", "/cp").start(Some("/out")).unwrap();
    let first = start();
    let second = start();
    assert_eq!(first.id(), second.id());
    assert_ne!(first.run_id(), second.run_id());
    assert!(!first.is_active() && second.is_active());
    let warning = format!("Stopping existing streaming query [id={}, runId={}], as a new run is being started.", first.id(), first.run_id());
    assert!(e.out.logs(Level::Warn).contains(&warning));
    e.spark.conf_set("spark.sql.streaming.stopActiveRunOnRestart", "false");
    let err = df.write_stream().unwrap().format("parquet").option("checkpointLocation", "/cp").start(Some("/out")).unwrap_err();
    assert_eq!(err.kind, ErrorKind::IllegalState);
    assert!(err.message.starts_with(&format!("Cannot start query with id {} as another query with same id is already active.", first.id())));
    second.stop();
}

#[test]
fn await_any_termination_reports_finished_queries() {
    let e = env().with_activity(1);
    let manager = e.spark.streams();
    assert!(!manager.await_any_termination(Some(100)).unwrap());
    let df = e.spark.read_stream().schema_ddl(common::ACTIVITY_DDL).unwrap().json("/data/activity").unwrap();
    df.write_stream().unwrap().format("memory").query_name("once").trigger(Trigger::Once).start(None).unwrap();
    assert!(manager.await_any_termination(None).unwrap());
    manager.reset_terminated();
    assert!(!manager.await_any_termination(Some(0)).unwrap());
}

#[test]
fn batch_actions_on_streams_and_streams_on_batches_are_refused() {
    let e = env().with_activity(1);
    let df = e.spark.read_stream().schema_ddl(common::ACTIVITY_DDL).unwrap().json("/data/activity").unwrap();
    assert_eq!(df.count().unwrap_err().to_string(), "Queries with streaming sources must be executed with writeStream.start();");
    assert_eq!(df.check_batch_write().unwrap_err().to_string(), "[CALL_ON_STREAMING_DATASET_UNSUPPORTED] The method `write` can not be called on streaming Dataset/DataFrame.");
    let batch = e.spark.read().schema_ddl(common::ACTIVITY_DDL).unwrap().json("/data/activity").unwrap();
    assert_eq!(batch.count().unwrap(), 5000);
    assert_eq!(batch.write_stream().err().unwrap().to_string(), "[WRITE_STREAM_NOT_ALLOWED] `writeStream` can be called only on streaming Dataset/DataFrame.");
    let bad = df.select(vec![Expr::call("monotonically_increasing_id", vec![])]).unwrap();
    let err = bad.write_stream().unwrap().format("console").start(None).unwrap_err();
    assert_eq!(err.to_string(), "Expression(s): monotonically_increasing_id() is not supported with streaming DataFrames/Datasets");
}

#[test]
fn rate_source_produces_rows_per_second() {
    let e = env_at(0);
    let df = e.spark.read_stream().format("rate").option("rowsPerSecond", 5).load(None).unwrap();
    assert_eq!(df.columns(), ["timestamp", "value"]);
    let q = df.write_stream().unwrap().format("memory").query_name("rate").trigger(Trigger::processing_time("1 second").unwrap()).start(None).unwrap();
    e.spark.sleep(3_000);
    q.stop();
    assert_eq!(table_values_at(&e, "rate", 1), (0..15).collect::<Vec<i64>>());
    let p = q.recent_progress();
    assert_eq!(p[0].num_input_rows, 0);
    assert_eq!(p[0].sources[0].description, "RateStreamV2[rowsPerSecond=5, rampUpTimeSeconds=0, numPartitions=default");
}

fn table_values_at(e: &common::Env, name: &str, column: usize) -> Vec<i64> {
    let b = e.spark.table(name).unwrap().collect().unwrap();
    let a = b.column(column).as_any().downcast_ref::<Int64Array>().unwrap();
    (0..a.len()).map(|i| a.value(i)).collect()
}

/// Records every listener event as text, in order.
#[derive(Default)]
struct EventLog(std::cell::RefCell<Vec<String>>);

impl streamlab_engine::query::listener::StreamingQueryListener for EventLog {
    fn on_query_started(&self, query: &streamlab_engine::StreamingQuery) {
        self.0.borrow_mut().push(format!("started {}", query.name().unwrap_or("-")));
    }
    fn on_query_progress(&self, progress: &streamlab_engine::query::progress::StreamingQueryProgress) {
        self.0.borrow_mut().push(format!("progress batch {} rows {}", progress.batch_id, progress.num_input_rows));
    }
    fn on_query_terminated(&self, _id: &str, _run_id: &str, exception: Option<&streamlab_engine::SparkError>) {
        let how = exception.map_or("stopped".to_string(), |e| e.error_class.as_deref().unwrap_or_default().to_string());
        self.0.borrow_mut().push(format!("terminated {how}"));
    }
}

#[test]
fn listeners_hear_start_progress_and_termination() {
    // StreamingQueryListenerSuite: events in order, for a query that ends and one that fails.
    let e = env_at(0);
    let log = std::rc::Rc::new(EventLog::default());
    e.spark.streams().add_listener(log.clone());
    let stream = long_stream();
    let q = stream.to_df(&e.spark).write_stream().unwrap().format("memory").query_name("heard").start(None).unwrap();
    stream.add_data(longs(&[1, 2, 3])).unwrap();
    q.process_all_available().unwrap();
    q.stop();
    assert_eq!(log.0.borrow().as_slice(), ["started heard", "progress batch 0 rows 3", "terminated stopped"]);

    log.0.borrow_mut().clear();
    e.put("/in/1.txt", "1", 1);
    let df = e.spark.read_stream().option("maxFilesPerTrigger", "0").text("/in").unwrap();
    let q = df.write_stream().unwrap().format("memory").query_name("failing").start(None).unwrap();
    assert!(q.await_termination(None).is_err());
    assert_eq!(log.0.borrow().as_slice(), ["started failing", "terminated STREAM_FAILED"]);

    let listener: std::rc::Rc<dyn streamlab_engine::query::listener::StreamingQueryListener> = log.clone();
    e.spark.streams().remove_listener(&listener);
    log.0.borrow_mut().clear();
    let q = long_stream().to_df(&e.spark).write_stream().unwrap().format("memory").query_name("unheard").start(None).unwrap();
    q.stop();
    assert!(log.0.borrow().is_empty());
}
