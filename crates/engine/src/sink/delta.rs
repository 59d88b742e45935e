//! The Delta sink (delta-spark's `DeltaSink`): each micro-batch is one Delta commit carrying
//! `txn(appId = query id, version = batch id)`, which makes replays after a restart harmless.

use std::rc::Rc;

use arrow::compute::concat_batches;
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use streamlab_types::Result;

use super::{OutputMode, Sink};
use crate::clock::Clock;
use crate::delta::writer::{write_commit, StreamingUpdate, WriteMode, WriteOptions};
use crate::delta::DeltaLog;
use crate::output::{Level, Output};

/// `format("delta")`: writes each batch to the Delta table at its path.
///
/// Before writing batch N, the sink replays the table's log and skips the batch when the
/// table already holds `txn` version ≥ N for this query: the batch was committed to the
/// table, but the query stopped before writing `commits/N` to its checkpoint.
pub struct DeltaSink {
    log: DeltaLog,
    output: Rc<dyn Output>,
    clock: Rc<dyn Clock>,
    query_id: String,
    partition_by: Vec<String>,
    new_uuid: Box<dyn Fn() -> String>,
}

impl DeltaSink {
    /// A sink for query `query_id` writing the table of `log`.
    pub fn new(
        log: DeltaLog,
        output: Rc<dyn Output>,
        clock: Rc<dyn Clock>,
        query_id: &str,
        partition_by: Vec<String>,
        new_uuid: Box<dyn Fn() -> String>,
    ) -> Self {
        DeltaSink { log, output, clock, query_id: query_id.to_string(), partition_by, new_uuid }
    }
}

impl Sink for DeltaSink {
    fn only_writes_through_storage(&self) -> bool {
        true
    }

    fn description(&self) -> String {
        format!("DeltaSink[{}]", self.log.root())
    }

    fn add_batch(&mut self, batch_id: i64, data: &[RecordBatch], schema: &SchemaRef, mode: OutputMode) -> Result<()> {
        let snapshot = self.log.snapshot()?;
        let committed = snapshot.as_ref().and_then(|s| s.app_version(&self.query_id));
        if committed.is_some_and(|v| batch_id <= v) {
            self.output.log(
                Level::Info,
                "DeltaSink",
                &format!("Skipping already complete epoch {batch_id}, in query {}", self.query_id),
            );
            return Ok(());
        }
        let rows = concat_batches(schema, data)?;
        let options = WriteOptions {
            partition_by: &self.partition_by,
            mode: if mode == OutputMode::Complete { WriteMode::Overwrite } else { WriteMode::Append },
            app_transaction: Some((self.query_id.clone(), batch_id)),
            operation: StreamingUpdate { output_mode: mode.name().to_string(), query_id: self.query_id.clone(), epoch_id: batch_id },
            now_ms: self.clock.now_ms(),
            new_uuid: self.new_uuid.as_ref(),
        };
        write_commit(&self.log, snapshot.as_ref(), &rows, &options)?;
        Ok(())
    }

    fn reported_output_rows(&self, _rows: usize) -> i64 {
        -1
    }
}
