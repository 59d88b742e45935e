//! The sink: one Delta commit per micro-batch, written by delta-rs.

use std::rc::Rc;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use deltalake::kernel::transaction::{CommitBuilder, CommitProperties};
use deltalake::kernel::{Action, Transaction};
use deltalake::protocol::{DeltaOperation, OutputMode as DeltaOutputMode};
use deltalake::writer::{DeltaWriter, RecordBatchWriter};
use deltalake::DeltaTable;
use streamlab_engine::clock::Clock;
use streamlab_engine::output::{Level, Output};
use streamlab_engine::sink::{OutputMode, Sink};
use streamlab_types::{Result, SparkError};
use tokio::runtime::Runtime;

use crate::conform::conform;
use crate::errors::delta_error;
use crate::table::{create, open, resolve_partition_columns};

/// `format("delta")` through delta-rs: each batch is one commit with
/// `txn(appId = query id, version = batch id)`; a batch the table already holds is skipped.
///
/// delta-rs is async; the sink owns a current-thread tokio runtime and blocks on it for each
/// batch, as the engine's micro-batch loop is synchronous.
pub struct DeltaLakeSink {
    path: String,
    query_id: String,
    partition_by: Vec<String>,
    output: Rc<dyn Output>,
    /// The session's clock, for `txn.lastUpdated`.
    clock: Rc<dyn Clock>,
    runtime: Runtime,
    /// The table as of the last batch (loaded on the first one), refreshed before each write.
    table: Option<DeltaTable>,
}

impl DeltaLakeSink {
    /// A sink for query `query_id` writing the table at the absolute local `path`, created on
    /// the first batch when missing.
    pub fn new(path: &str, query_id: &str, partition_by: Vec<String>, output: Rc<dyn Output>, clock: Rc<dyn Clock>) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| SparkError::io(format!("Cannot start the Delta sink's async runtime: {e}")))?;
        Ok(DeltaLakeSink { path: path.to_string(), query_id: query_id.to_string(), partition_by, output, clock, runtime, table: None })
    }

    /// The table at its latest version, created with `schema` when the path holds none.
    async fn latest_table(table: Option<DeltaTable>, path: &str, schema: &SchemaRef, partition_by: &[String]) -> Result<DeltaTable> {
        let mut table = match table {
            Some(mut table) => {
                table.update_incremental(None).await.map_err(|e| delta_error("read", path, e))?;
                table
            }
            None => open(path).await?,
        };
        if table.version().is_none() {
            let partition_columns = resolve_partition_columns(schema, partition_by)?;
            table = create(table, path, schema, &partition_columns).await?;
        }
        Ok(table)
    }

    /// Checks the query's `partitionBy` against the table's (an empty one keeps the table's).
    fn check_partitioning(&self, table: &DeltaTable, schema: &SchemaRef) -> Result<()> {
        if self.partition_by.is_empty() {
            return Ok(());
        }
        let given = resolve_partition_columns(schema, &self.partition_by)?;
        let snapshot = table.snapshot().map_err(|e| delta_error("read", &self.path, e))?;
        let existing = snapshot.metadata().partition_columns();
        let same = given.len() == existing.len() && given.iter().zip(existing).all(|(g, e)| g.eq_ignore_ascii_case(e));
        if same {
            return Ok(());
        }
        Err(SparkError::analysis(format!(
            "A schema mismatch detected when writing to the Delta table (Table ID: {}).\nPartition columns do not match the partition columns of the table.\nGiven: [{}]\nTable: [{}]",
            snapshot.metadata().id(),
            given.join(", "),
            existing.join(", ")
        ))
        .with_class("DELTA_METADATA_MISMATCH"))
    }

    /// Writes batch `batch_id` unless the table already has it; the table's state afterwards.
    async fn write(&self, mut table: DeltaTable, batch_id: i64, data: &[RecordBatch], mode: OutputMode) -> Result<DeltaTable> {
        let path = self.path.as_str();
        let committed = table
            .snapshot()
            .map_err(|e| delta_error("read", path, e))?
            .transaction_version(table.log_store().as_ref(), &self.query_id)
            .await
            .map_err(|e| delta_error("read the transactions of", path, e))?;
        if committed.is_some_and(|v| batch_id <= v) {
            self.output.log(Level::Info, "DeltaSink", &format!("Skipping already complete epoch {batch_id}, in query {}", self.query_id));
            return Ok(table);
        }
        let mut writer = RecordBatchWriter::for_table(&table).map_err(|e| delta_error("write to", path, e))?;
        let table_schema = writer.arrow_schema();
        for batch in data.iter().filter(|b| b.num_rows() > 0) {
            writer.write(conform(batch, &table_schema)?).await.map_err(|e| delta_error("write to", path, e))?;
        }
        let added = writer.flush().await.map_err(|e| delta_error("write to", path, e))?;
        let snapshot = table.snapshot().map_err(|e| delta_error("read", path, e))?;
        let mut actions: Vec<Action> = Vec::new();
        if mode == OutputMode::Complete {
            actions.extend(snapshot.log_data().iter().map(|file| Action::Remove(file.remove_action(true))));
        }
        actions.extend(added.into_iter().map(Action::Add));
        let now_ms = self.clock.now_ms();
        let properties = CommitProperties::default()
            .with_application_transaction(Transaction::new_with_last_update(&self.query_id, batch_id, Some(now_ms)));
        let operation = DeltaOperation::StreamingUpdate {
            output_mode: if mode == OutputMode::Complete { DeltaOutputMode::Complete } else { DeltaOutputMode::Append },
            query_id: self.query_id.clone(),
            epoch_id: batch_id,
        };
        CommitBuilder::from(properties)
            .with_actions(actions)
            .build(Some(snapshot), table.log_store(), operation)
            .await
            .map_err(|e| delta_error("commit to", path, e))?;
        table.update_incremental(None).await.map_err(|e| delta_error("read", path, e))?;
        Ok(table)
    }
}

impl Sink for DeltaLakeSink {
    fn description(&self) -> String {
        format!("DeltaSink[{}]", self.path)
    }

    fn add_batch(&mut self, batch_id: i64, data: &[RecordBatch], schema: &SchemaRef, mode: OutputMode) -> Result<()> {
        let cached = self.table.take();
        let written = self.runtime.block_on(async {
            let table = Self::latest_table(cached, &self.path, schema, &self.partition_by).await?;
            self.check_partitioning(&table, schema)?;
            self.write(table, batch_id, data, mode).await
        })?;
        self.table = Some(written);
        Ok(())
    }

    fn reported_output_rows(&self, _rows: usize) -> i64 {
        -1
    }
}
