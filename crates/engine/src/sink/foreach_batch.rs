//! `foreachBatch(f)`: the user's function gets each batch as a static DataFrame and its id.

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use streamlab_types::Result;

use super::{OutputMode, Sink};
use crate::dataframe::DataFrame;
use crate::SparkSession;

/// The user function: `(batch_df, batch_id)`. A replayed batch calls it again with the same id
/// (at-least-once, as in Spark).
pub type ForeachBatchFn = Box<dyn FnMut(DataFrame, i64) -> Result<()>>;

/// `foreachBatch`.
pub struct ForeachBatchSink {
    session: SparkSession,
    function: ForeachBatchFn,
}

impl ForeachBatchSink {
    /// A sink calling `function`.
    pub fn new(session: SparkSession, function: ForeachBatchFn) -> Self {
        ForeachBatchSink { session, function }
    }
}

impl Sink for ForeachBatchSink {
    fn description(&self) -> String {
        "ForeachBatchSink".into()
    }

    fn add_batch(&mut self, batch_id: i64, data: &[RecordBatch], schema: &SchemaRef, _mode: OutputMode) -> Result<()> {
        let df = self.session.create_dataframe(schema.clone(), data.to_vec());
        (self.function)(df, batch_id)
    }

    fn reported_output_rows(&self, _rows: usize) -> i64 {
        -1
    }
}
