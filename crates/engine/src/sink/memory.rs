//! The memory sink: batches kept in a session table named after the query.

use std::cell::RefCell;
use std::rc::Rc;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use streamlab_types::Result;

use super::{OutputMode, Sink};
use crate::catalog::MemoryTable;

/// `format("memory")`: append and update add rows, complete replaces the table.
pub struct MemorySink {
    table: Rc<RefCell<MemoryTable>>,
}

impl MemorySink {
    /// A sink writing into `table` (already registered in the catalog under the query name).
    pub fn new(table: Rc<RefCell<MemoryTable>>) -> Self {
        MemorySink { table }
    }
}

impl Sink for MemorySink {
    fn only_writes_through_storage(&self) -> bool {
        true
    }

    fn description(&self) -> String {
        "MemorySink".into()
    }

    fn add_batch(&mut self, batch_id: i64, data: &[RecordBatch], _schema: &SchemaRef, mode: OutputMode) -> Result<()> {
        self.table.borrow_mut().add_batch(batch_id, data.to_vec(), mode == OutputMode::Complete);
        Ok(())
    }
}
