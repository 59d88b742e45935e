//! `SparkSession`: the entry point, and the single-threaded scheduler that runs streaming
//! queries' triggers.
//!
//! Spark runs each query on its own thread. StreamLab runs in a browser tab, which has one
//! thread, so queries advance cooperatively: whenever the driver waits (`awaitTermination`,
//! `processAllAvailable`, `time.sleep`), or when the page's timer fires, the session runs every
//! trigger that is due, in time order, on its [`Clock`]. With a virtual clock this makes runs
//! deterministic; with the real clock it behaves like Spark's threads.

use std::cell::{Ref, RefCell, RefMut};
use std::rc::{Rc, Weak};
use std::sync::Arc;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use streamlab_storage::Storage;
use streamlab_types::{Result, SparkError};

use crate::catalog::{split_table_name, Catalog, CatalogEntry, FileTable, DEFAULT_DATABASE};
use crate::clock::Clock;
use crate::conf::RuntimeConf;
use crate::connector::{Connectors, SinkProvider, SourceProvider};
use crate::dataframe::DataFrame;
use crate::output::Output;
use crate::plan::LogicalPlan;
use crate::query::manager::{QueryRegistry, StreamingQueryManager};
use crate::reader::{DataFrameReader, DataStreamReader};

pub(crate) struct SessionInner {
    storage: Arc<dyn Storage>,
    clock: Rc<dyn Clock>,
    output: Rc<dyn Output>,
    conf: RefCell<RuntimeConf>,
    catalog: RefCell<Catalog>,
    pub(crate) queries: RefCell<QueryRegistry>,
    connectors: RefCell<Connectors>,
}

/// A Spark session over a [`Storage`], a [`Clock`] and an [`Output`].
///
/// ```
/// use std::rc::Rc;
/// use std::sync::Arc;
/// use streamlab_engine::{SparkSession, clock::ManualClock, output::BufferedOutput};
/// use streamlab_storage::MemoryStorage;
/// let spark = SparkSession::new(Arc::new(MemoryStorage::new()), Rc::new(ManualClock::new(0)), Rc::new(BufferedOutput::default()));
/// spark.conf_set("spark.sql.shuffle.partitions", "5");
/// assert_eq!(spark.conf_get("spark.sql.shuffle.partitions").unwrap(), "5");
/// assert!(spark.streams().active().is_empty());
/// ```
#[derive(Clone)]
pub struct SparkSession {
    pub(crate) inner: Rc<SessionInner>,
}

impl std::fmt::Debug for SparkSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SparkSession").field("storage", &self.inner.storage).finish()
    }
}

impl SparkSession {
    /// A session reading and writing `storage`, timed by `clock`, printing to `output`.
    pub fn new(storage: Arc<dyn Storage>, clock: Rc<dyn Clock>, output: Rc<dyn Output>) -> Self {
        SparkSession {
            inner: Rc::new(SessionInner {
                storage,
                clock,
                output,
                conf: RefCell::new(RuntimeConf::default()),
                catalog: RefCell::new(Catalog::default()),
                queries: RefCell::new(QueryRegistry::default()),
                connectors: RefCell::new(Connectors::default()),
            }),
        }
    }

    pub(crate) fn downgrade(&self) -> Weak<SessionInner> {
        Rc::downgrade(&self.inner)
    }

    pub(crate) fn upgrade(weak: &Weak<SessionInner>) -> Result<SparkSession> {
        weak.upgrade()
            .map(|inner| SparkSession { inner })
            .ok_or_else(|| SparkError::illegal_state("SparkContext has been shutdown"))
    }

    /// The file system.
    pub fn storage(&self) -> &Arc<dyn Storage> {
        &self.inner.storage
    }

    /// The clock.
    pub fn clock(&self) -> &Rc<dyn Clock> {
        &self.inner.clock
    }

    /// Where printed text goes.
    pub fn output(&self) -> &Rc<dyn Output> {
        &self.inner.output
    }

    /// `spark.conf` (read).
    pub fn conf(&self) -> Ref<'_, RuntimeConf> {
        self.inner.conf.borrow()
    }

    /// `spark.conf.set(key, value)`.
    pub fn conf_set(&self, key: &str, value: &str) {
        self.inner.conf.borrow_mut().set(key, value);
    }

    /// `spark.conf.get(key)`: the value, or Spark's error for an unknown key.
    pub fn conf_get(&self, key: &str) -> Result<String> {
        self.inner.conf.borrow().get_required(key)
    }

    /// Makes `spark.readStream.format(format)` use `provider` (see [`crate::connector`]).
    pub fn register_source_provider(&self, format: &str, provider: Rc<dyn SourceProvider>) {
        self.inner.connectors.borrow_mut().add_source(format, provider);
    }

    /// Makes `df.writeStream.format(format)` use `provider` (see [`crate::connector`]).
    pub fn register_sink_provider(&self, format: &str, provider: Rc<dyn SinkProvider>) {
        self.inner.connectors.borrow_mut().add_sink(format, provider);
    }

    pub(crate) fn source_provider(&self, format: &str) -> Option<Rc<dyn SourceProvider>> {
        self.inner.connectors.borrow().source(format)
    }

    pub(crate) fn sink_provider(&self, format: &str) -> Option<Rc<dyn SinkProvider>> {
        self.inner.connectors.borrow().sink(format)
    }

    pub(crate) fn catalog_mut(&self) -> RefMut<'_, Catalog> {
        self.inner.catalog.borrow_mut()
    }

    /// `spark.readStream`.
    pub fn read_stream(&self) -> DataStreamReader {
        DataStreamReader::new(self.clone())
    }

    /// `spark.read`.
    pub fn read(&self) -> DataFrameReader {
        DataFrameReader::new(self.clone())
    }

    /// `spark.streams`.
    pub fn streams(&self) -> StreamingQueryManager {
        StreamingQueryManager::new(self.clone())
    }

    /// `spark.table(name)`: a temp view or memory-sink table (unqualified names first, as
    /// Spark resolves temp views before the current database), else a file table
    /// (`db.table`, or `table` in the default database) read with its data source.
    pub fn table(&self, name: &str) -> Result<DataFrame> {
        let entry = self.inner.catalog.borrow().lookup(name);
        let plan = match entry {
            Some(CatalogEntry::Memory(table)) => {
                Rc::new(LogicalPlan::Table { name: name.to_string(), table })
            }
            Some(CatalogEntry::View(plan)) => plan,
            None => {
                let (db, table) = split_table_name(name);
                let Some(location) = self.inner.catalog.borrow().file_table(&db, &table) else {
                    return Err(SparkError::analysis(format!(
                        "The table or view `{name}` cannot be found. Verify the spelling and correctness of the schema and catalog.\nIf you did not qualify the name with a schema, verify the current_schema() output, or qualify the name with the correct schema and catalog.\nTo tolerate the error on drop use DROP VIEW IF EXISTS or DROP TABLE IF EXISTS."
                    ))
                    .with_class("TABLE_OR_VIEW_NOT_FOUND"));
                };
                return self.read().format(&location.format).load(Some(&location.path));
            }
        };
        Ok(DataFrame::new(self.clone(), plan))
    }

    /// `spark.sql(text)`: runs one SQL statement and returns its result as a DataFrame.
    pub fn sql(&self, text: &str) -> Result<DataFrame> {
        crate::sql::run(self, text)
    }

    /// `CREATE DATABASE [IF NOT EXISTS] name`: Spark's `SCHEMA_ALREADY_EXISTS` when it exists
    /// and `if_not_exists` is false.
    pub fn create_database(&self, name: &str, if_not_exists: bool) -> Result<()> {
        let created = self.inner.catalog.borrow_mut().create_database(name);
        if created || if_not_exists {
            return Ok(());
        }
        Err(SparkError::analysis(format!(
            "Cannot create schema `{}` because it already exists.\nChoose a different name, drop the existing schema, or add the IF NOT EXISTS clause to tolerate pre-existing schema.",
            name.to_ascii_lowercase()
        ))
        .with_class("SCHEMA_ALREADY_EXISTS"))
    }

    /// `DROP DATABASE [IF EXISTS] name` (its tables leave the catalog; their files stay).
    pub fn drop_database(&self, name: &str, if_exists: bool) -> Result<()> {
        if name.eq_ignore_ascii_case(DEFAULT_DATABASE) {
            return Err(SparkError::analysis("Can not drop default database").with_class("UNSUPPORTED_FEATURE.DROP_DATABASE"));
        }
        if self.inner.catalog.borrow_mut().drop_database(name) || if_exists {
            return Ok(());
        }
        Err(schema_not_found(name))
    }

    /// Database names, sorted (`SHOW DATABASES`).
    pub fn databases(&self) -> Vec<String> {
        self.inner.catalog.borrow().databases()
    }

    /// Registers a table stored as `format` files at `path` under `name` (`db.table` or
    /// `table`), as `toTable` and `CREATE TABLE ... USING` do. The database must exist.
    pub fn register_file_table(&self, name: &str, format: &str, path: &str) -> Result<()> {
        let (db, table) = split_table_name(name);
        let mut catalog = self.inner.catalog.borrow_mut();
        if !catalog.database_exists(&db) {
            return Err(schema_not_found(&db));
        }
        catalog.register_file_table(&db, &table, FileTable { format: format.to_string(), path: path.to_string() });
        Ok(())
    }

    /// The file table called `name`, if registered.
    pub fn file_table(&self, name: &str) -> Option<FileTable> {
        let (db, table) = split_table_name(name);
        self.inner.catalog.borrow().file_table(&db, &table)
    }

    /// Where a managed table `name` keeps its files: `<spark.sql.warehouse.dir>/<db>.db/<table>`,
    /// or `<warehouse>/<table>` in the default database, as Spark lays out its warehouse.
    pub fn managed_table_path(&self, name: &str) -> String {
        let (db, table) = split_table_name(name);
        let warehouse = self.conf().get("spark.sql.warehouse.dir").unwrap_or_else(|| "spark-warehouse".into());
        let warehouse = warehouse.trim_end_matches('/');
        if db == DEFAULT_DATABASE {
            format!("{warehouse}/{table}")
        } else {
            format!("{warehouse}/{db}.db/{table}")
        }
    }

    /// The tables of database `db` (file tables), sorted.
    pub fn file_tables(&self, db: &str) -> Vec<String> {
        self.inner.catalog.borrow().file_tables(db)
    }

    /// Names of the catalog's tables and views (`spark.catalog.listTables()`).
    pub fn table_names(&self) -> Vec<String> {
        self.inner.catalog.borrow().names()
    }

    /// `spark.createDataFrame`: a static DataFrame over `batches`.
    pub fn create_dataframe(&self, schema: SchemaRef, batches: Vec<RecordBatch>) -> DataFrame {
        DataFrame::new(self.clone(), Rc::new(LogicalPlan::Relation { schema, batches: Rc::new(batches) }))
    }

    /// A random UUID, as Spark makes query ids, run ids and file names.
    pub(crate) fn new_uuid(&self) -> String {
        uuid::Uuid::new_v4().to_string()
    }

    /// `time.sleep(ms)` on the session's clock: runs every trigger that falls due meanwhile.
    pub fn sleep(&self, ms: i64) {
        let deadline = self.inner.clock.now_ms().saturating_add(ms.max(0));
        self.drive(Some(deadline), &mut || false);
    }

    /// Runs every trigger already due and returns when the next one is (for a host that
    /// schedules its own timers, like the browser page). `None` when no query is active.
    pub fn run_due_triggers(&self) -> Option<i64> {
        let now = self.inner.clock.now_ms();
        loop {
            let (query, due) = self.inner.queries.borrow().next_due()?;
            if due > now {
                return Some(due);
            }
            query.run_trigger();
        }
    }

    /// Runs triggers in due order until `done()` holds, no query is active, or the clock reaches
    /// `deadline`. Returns whether `done()` held.
    pub(crate) fn drive(&self, deadline: Option<i64>, done: &mut dyn FnMut() -> bool) -> bool {
        loop {
            if done() {
                return true;
            }
            let Some((query, due)) = self.inner.queries.borrow().next_due() else {
                return done();
            };
            if let Some(deadline) = deadline {
                if due > deadline {
                    self.inner.clock.sleep_until(deadline);
                    return done();
                }
            }
            self.inner.clock.sleep_until(due);
            query.run_trigger();
        }
    }
}

/// Spark's `SCHEMA_NOT_FOUND`.
fn schema_not_found(name: &str) -> SparkError {
    SparkError::analysis(format!(
        "The schema `{}` cannot be found. Verify the spelling and correctness of the schema and catalog.\nIf you did not qualify the name with a catalog, verify the current_schema() output, or qualify the name with the correct catalog.\nTo tolerate the error on drop use DROP SCHEMA IF EXISTS.",
        name.to_ascii_lowercase()
    ))
    .with_class("SCHEMA_NOT_FOUND")
}
