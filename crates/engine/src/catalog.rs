//! The session's catalog: memory-sink tables and temp views (session-local, looked up by
//! unqualified name), and databases holding tables stored as files (`toTable`, `CREATE
//! DATABASE`), as Spark's default in-memory catalog keeps them. Names are case-insensitive.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
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

/// A table whose rows live in files: a Delta or Parquet directory registered in a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileTable {
    /// The data source that reads it (`delta`, `parquet`, ...).
    pub format: String,
    /// Its directory.
    pub path: String,
}

/// The database every session starts with, and where unqualified table names go.
pub const DEFAULT_DATABASE: &str = "default";

/// Temp views, memory tables and the databases of one session.
#[derive(Debug)]
pub struct Catalog {
    entries: BTreeMap<String, (String, CatalogEntry)>,
    databases: BTreeSet<String>,
    /// File tables by (database, table), both lower-case.
    tables: BTreeMap<(String, String), FileTable>,
}

impl Default for Catalog {
    fn default() -> Self {
        Catalog {
            entries: BTreeMap::new(),
            databases: BTreeSet::from([DEFAULT_DATABASE.to_string()]),
            tables: BTreeMap::new(),
        }
    }
}

/// Splits `db.table` (or `table`, in the default database) into lower-case parts.
///
/// ```
/// use streamlab_engine::catalog::split_table_name;
/// assert_eq!(split_table_name("outputDelta.Table"), ("outputdelta".to_string(), "table".to_string()));
/// assert_eq!(split_table_name("t"), ("default".to_string(), "t".to_string()));
/// ```
pub fn split_table_name(name: &str) -> (String, String) {
    let unquoted = name.replace('`', "");
    match unquoted.rsplit_once('.') {
        Some((db, table)) => (db.trim().to_ascii_lowercase(), table.trim().to_ascii_lowercase()),
        None => (DEFAULT_DATABASE.to_string(), unquoted.trim().to_ascii_lowercase()),
    }
}

impl Catalog {
    /// Whether database `name` exists.
    pub fn database_exists(&self, name: &str) -> bool {
        self.databases.contains(&name.to_ascii_lowercase())
    }

    /// Adds database `name`; `false` when it already existed.
    pub fn create_database(&mut self, name: &str) -> bool {
        self.databases.insert(name.to_ascii_lowercase())
    }

    /// Removes database `name` and its tables; `false` when it did not exist.
    pub fn drop_database(&mut self, name: &str) -> bool {
        let name = name.to_ascii_lowercase();
        self.tables.retain(|(db, _), _| *db != name);
        self.databases.remove(&name)
    }

    /// Database names, sorted.
    pub fn databases(&self) -> Vec<String> {
        self.databases.iter().cloned().collect()
    }

    /// Registers the file table `db.table` (the database must exist), replacing any previous one.
    pub fn register_file_table(&mut self, db: &str, table: &str, location: FileTable) {
        self.tables.insert((db.to_ascii_lowercase(), table.to_ascii_lowercase()), location);
    }

    /// The file table `db.table`, if registered.
    pub fn file_table(&self, db: &str, table: &str) -> Option<FileTable> {
        self.tables.get(&(db.to_ascii_lowercase(), table.to_ascii_lowercase())).cloned()
    }

    /// Removes the file table `db.table`; returns whether it existed.
    pub fn drop_file_table(&mut self, db: &str, table: &str) -> bool {
        self.tables.remove(&(db.to_ascii_lowercase(), table.to_ascii_lowercase())).is_some()
    }

    /// The file tables of database `db`, sorted by name.
    pub fn file_tables(&self, db: &str) -> Vec<String> {
        let db = db.to_ascii_lowercase();
        self.tables.keys().filter(|(d, _)| *d == db).map(|(_, t)| t.clone()).collect()
    }

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
