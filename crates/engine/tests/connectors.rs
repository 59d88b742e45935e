//! Formats registered from outside the engine: a sink provider's checks run at `start()`, its
//! sink receives every batch, and a registered provider replaces a built-in format.

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use common::{env, ACTIVITY_DDL, ROWS_PER_FILE};
use streamlab_engine::connector::{SinkContext, SinkProvider};
use streamlab_engine::sink::Sink;
use streamlab_engine::{OutputMode, Result, SparkError, Trigger};
use streamlab_storage::Storage;

/// Rows per batch id, as a recording sink saw them.
type Seen = Rc<RefCell<Vec<(i64, usize)>>>;

struct RecordingSink(Seen);

impl Sink for RecordingSink {
    fn description(&self) -> String {
        "RecordingSink".into()
    }

    fn add_batch(&mut self, batch_id: i64, data: &[RecordBatch], _schema: &SchemaRef, _mode: OutputMode) -> Result<()> {
        self.0.borrow_mut().push((batch_id, data.iter().map(RecordBatch::num_rows).sum()));
        Ok(())
    }
}

/// Accepts append mode only and needs a `topic` option, like a message-queue sink.
struct Recording {
    seen: Seen,
    query_ids: Rc<RefCell<Vec<String>>>,
}

impl SinkProvider for Recording {
    fn validate(&self, ctx: &SinkContext<'_>) -> Result<()> {
        if ctx.output_mode != OutputMode::Append {
            return Err(SparkError::analysis("recording sinks append only"));
        }
        if !ctx.options.iter().any(|(k, _)| k == "topic") {
            return Err(SparkError::illegal_argument("topic option required"));
        }
        Ok(())
    }

    fn create(&self, ctx: &SinkContext<'_>, query_id: &str) -> Result<Box<dyn Sink>> {
        assert_eq!(ctx.schema.field(0).name(), "Arrival_Time");
        self.query_ids.borrow_mut().push(query_id.to_string());
        Ok(Box::new(RecordingSink(self.seen.clone())))
    }
}

#[test]
fn a_registered_sink_is_checked_at_start_and_gets_every_batch() {
    let e = env().with_activity(3);
    let provider = Rc::new(Recording { seen: Seen::default(), query_ids: Rc::default() });
    e.spark.register_sink_provider("Recording", provider.clone());
    let df = e.spark.read_stream().schema_ddl(ACTIVITY_DDL).unwrap().option("maxFilesPerTrigger", 1).json("/data/activity").unwrap();
    let writer = || df.write_stream().unwrap().format("recording").option("checkpointLocation", "/cp").trigger(Trigger::AvailableNow);

    let err = writer().start(None).unwrap_err();
    assert_eq!(err.to_string(), "topic option required");
    let counted = df.group_by(vec![streamlab_expr::Expr::col("gt")]).count().unwrap();
    let err = counted.write_stream().unwrap().format("recording").output_mode("complete").unwrap().option("topic", "t")
        .option("checkpointLocation", "/cp2").start(None).unwrap_err();
    assert_eq!(err.to_string(), "recording sinks append only");

    let q = writer().option("topic", "t").start(None).unwrap();
    q.await_termination(None).unwrap();
    let expected: Vec<(i64, usize)> = ROWS_PER_FILE[..3].iter().enumerate().map(|(i, n)| (i as i64, *n as usize)).collect();
    assert_eq!(*provider.seen.borrow(), expected);
    assert_eq!(*provider.query_ids.borrow(), vec![q.id().to_string()]);
    assert_eq!(q.last_progress().unwrap().sink.description, "RecordingSink");
}

#[test]
fn a_registered_provider_replaces_a_built_in_format() {
    let e = env().with_activity(1);
    let provider = Rc::new(Recording { seen: Seen::default(), query_ids: Rc::default() });
    e.spark.register_sink_provider("parquet", provider.clone());
    let df = e.spark.read_stream().schema_ddl(ACTIVITY_DDL).unwrap().json("/data/activity").unwrap();
    let q = df.write_stream().unwrap().option("topic", "t").option("checkpointLocation", "/cp").trigger(Trigger::AvailableNow).start(Some("/out")).unwrap();
    q.await_termination(None).unwrap();
    assert_eq!(*provider.seen.borrow(), vec![(0, ROWS_PER_FILE[0] as usize)]);
    assert!(!e.fs.exists("/out").unwrap());
}
