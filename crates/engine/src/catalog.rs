//! Session-local tables: memory-sink tables and temp views, looked up by name (case-insensitive,
//! as Spark's default catalog does).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

use crate::plan::LogicalPlan;

/// The rows a memory sink has written (Spark's `MemorySink`).
///
/// Batches are idempotent by id: a batch replayed after a restart is not added twice.
///
/// ```
/// use std::sync::Arc;
/// use arrow::datatypes::{DataType, Field, Schema};
/// use streamlab_engine::catalog::MemoryTable;
/// let mut t = MemoryTable::new(Arc::new(Schema::new(vec![Field::new("v", DataType::Int64, true)])));
/// assert!(t.add_batch(0, vec![], false));
/// assert!(!t.add_batch(0, vec![], false)); // replayed: skipped
/// ```
#[derive(Debug)]
pub struct MemoryTable {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
    last_batch_id: Option<i64>,
}

impl MemoryTable {
    /// An empty table with `schema`.
    pub fn new(schema: SchemaRef) -> Self {
        MemoryTable { schema, batches: Vec::new(), last_batch_id: None }
    }

    /// The table's schema.
    pub fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    /// The rows, in batch order.
    pub fn batches(&self) -> &[RecordBatch] {
        &self.batches
    }

    /// Total rows.
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(|b| b.num_rows()).sum()
    }

    /// The id of the last batch written.
    pub fn last_batch_id(&self) -> Option<i64> {
        self.last_batch_id
    }

    /// Adds batch `batch_id` (appends, or replaces everything when `replace`, as in complete
    /// mode). Returns `false` and changes nothing when that batch was already written.
    pub fn add_batch(&mut self, batch_id: i64, batches: Vec<RecordBatch>, replace: bool) -> bool {
        if self.last_batch_id.is_some_and(|last| batch_id <= last) {
            return false;
        }
        if replace {
            self.batches.clear();
        }
        self.batches.extend(batches.into_iter().filter(|b| b.num_rows() > 0));
        self.last_batch_id = Some(batch_id);
        true
    }

    /// Removes every row (`DROP TABLE` of a memory table, or a test clearing the sink).
    pub fn clear(&mut self) {
        self.batches.clear();
        self.last_batch_id = None;
    }
}

/// What a name in the catalog stands for.
#[derive(Debug, Clone)]
pub enum CatalogEntry {
    /// A memory sink's table.
    Memory(Rc<RefCell<MemoryTable>>),
    /// A temp view (`createOrReplaceTempView`).
    View(Rc<LogicalPlan>),
}

/// Temp views and memory tables of one session.
#[derive(Debug, Default)]
pub struct Catalog {
    entries: BTreeMap<String, (String, CatalogEntry)>,
}

impl Catalog {
    /// Registers `entry` under `name`, replacing any previous one.
    pub fn register(&mut self, name: &str, entry: CatalogEntry) {
        self.entries.insert(name.to_ascii_lowercase(), (name.to_string(), entry));
    }

    /// The entry called `name`, if any (case-insensitive).
    pub fn lookup(&self, name: &str) -> Option<CatalogEntry> {
        self.entries.get(&name.to_ascii_lowercase()).map(|(_, e)| e.clone())
    }

    /// Removes `name`; returns whether it existed.
    pub fn drop(&mut self, name: &str) -> bool {
        self.entries.remove(&name.to_ascii_lowercase()).is_some()
    }

    /// Registered names as they were written, sorted.
    pub fn names(&self) -> Vec<String> {
        self.entries.values().map(|(n, _)| n.clone()).collect()
    }
}
