//! The page's engine side: one kernel (session + interpreter) over the virtual file system and
//! the page clock, with the sample data loaded.
//!
//! Components never touch the engine directly: they ask the [`Lab`] to run a cell, run the
//! triggers that are due, stop queries or read a table, so the rules of the engine (one
//! session, no panics, time from one clock) live in one place.

use std::rc::Rc;
use std::sync::Arc;

use streamlab_engine::clock::Clock;
use streamlab_engine::query::listener::StreamingQueryListener;
use streamlab_engine::query::step::MicroBatchReport;
use streamlab_engine::SparkSession;
use streamlab_notebook::document::CellKind;
use streamlab_notebook::kernel::Kernel;
use streamlab_notebook::output::{CellError, CellOutput, TableOutput};
use streamlab_storage::Storage;

use crate::crash::CrashableStorage;
use crate::sample::SAMPLE_DIR;
use crate::table::batch_table;

/// Rows a live table shows (the memory sink may hold the whole stream).
pub const LIVE_TABLE_ROWS: usize = 200;

/// What runs before the student's first cell: it binds `spark`.
pub const PRELUDE: &str = "from pyspark.sql import SparkSession\nspark = SparkSession.builder.getOrCreate()";

/// The kernel, its file system and its clock.
pub struct Lab {
    storage: Arc<CrashableStorage>,
    clock: Rc<dyn Clock>,
    kernel: Kernel,
}

impl Lab {
    /// A lab on `clock` with an empty file system (the page fetches the sample into it).
    ///
    /// ```
    /// use std::rc::Rc;
    /// use streamlab_engine::clock::ManualClock;
    /// use streamlab_notebook::document::CellKind;
    /// use streamlab_notebook::output::CellOutput;
    /// use streamlab_web::lab::Lab;
    /// let mut lab = Lab::new(Rc::new(ManualClock::new(0)));
    /// lab.write_file("data/in/a.json", b"{\"n\":1}\n{\"n\":2}\n").unwrap();
    /// let out = lab.run(CellKind::Code, "print(spark.read.json('data/in').count())");
    /// assert_eq!(out, [CellOutput::Stdout("2\n".into())]);
    /// ```
    pub fn new(clock: Rc<dyn Clock>) -> Self {
        let storage = Arc::new(CrashableStorage::default());
        let mut kernel = Kernel::new(storage.clone(), clock.clone());
        // As on Databricks, `spark` exists before the first cell, so any cell can run first.
        kernel.run_cell(PRELUDE);
        Lab { storage, clock, kernel }
    }

    /// The virtual file system.
    pub fn storage(&self) -> &Arc<CrashableStorage> {
        &self.storage
    }

    /// The session the cells run in (`spark`).
    pub fn session(&self) -> &SparkSession {
        self.kernel.session()
    }

    /// The page clock's time, ms.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Hears every query's start, progress and end.
    pub fn add_listener(&self, listener: Rc<dyn StreamingQueryListener>) {
        self.session().streams().add_listener(listener);
    }

    /// Runs one cell by its kind (markdown renders, SQL runs as `%sql`, code in the
    /// interpreter).
    pub fn run(&mut self, kind: CellKind, source: &str) -> Vec<CellOutput> {
        self.kernel.run_notebook_cell(kind, source)
    }

    /// Runs every trigger that is due and returns how many ms until the next one (`None`
    /// when no query is active), with what those triggers printed.
    pub fn run_due_triggers(&mut self) -> (Option<i64>, Vec<CellOutput>) {
        let next = self.kernel.session().run_due_triggers();
        let delay = next.map(|due| due.saturating_sub(self.clock.now_ms()).max(0));
        (delay, self.kernel.drain_background_output())
    }

    /// Runs exactly one micro-batch of the active query `id` now (the Step button), with what
    /// it did: `Ok(None)` when there was nothing new to process.
    pub fn step(&mut self, id: &str) -> Result<Option<MicroBatchReport>, CellError> {
        let query = self.session().streams().get(id).ok_or_else(|| CellError {
            ename: "IllegalStateException".into(),
            message: format!("No active query has the id {id}"),
            location: None,
        })?;
        query.run_next_trigger().map_err(|e| CellError::from_spark(&e, None))
    }

    /// What triggers printed since the last call (console sink batches, warnings).
    pub fn drain_output(&mut self) -> Vec<CellOutput> {
        self.kernel.drain_background_output()
    }

    /// Stops every active query (the page's "Stop all").
    pub fn stop_all(&self) -> usize {
        let active = self.session().streams().active();
        for query in &active {
            query.stop();
        }
        active.len()
    }

    /// Stops the query with `id`; false when no active query has it.
    pub fn stop(&self, id: &str) -> bool {
        match self.session().streams().get(id) {
            Some(query) => {
                query.stop();
                true
            }
            None => false,
        }
    }

    /// Crashes the next micro-batch of any query just before it commits (the Crash button).
    pub fn crash_next_batch(&self) {
        self.storage.arm();
    }

    /// The first [`LIVE_TABLE_ROWS`] rows of table `name` (a memory sink's table for live
    /// views): the sink may hold the whole stream, and a live view re-reads it after every
    /// batch, so only the rows shown (and one more, to know there are more) are collected.
    pub fn table(&self, name: &str) -> Result<TableOutput, CellError> {
        let batch = self
            .session()
            .table(name)
            .and_then(|df| df.limit(LIVE_TABLE_ROWS + 1))
            .and_then(|df| df.collect())
            .map_err(|e| CellError::from_spark(&e, None))?;
        Ok(batch_table(&batch, LIVE_TABLE_ROWS))
    }

    /// The files of the sample folder as they are now (name, content), in name order: what
    /// the code tasks check answers on and the warm-up runs over.
    pub fn sample_files(&self) -> Vec<(String, Vec<u8>)> {
        let names = self.storage.list_file_names(SAMPLE_DIR).unwrap_or_default();
        names.into_iter().filter_map(|name| self.storage.read(&format!("{SAMPLE_DIR}/{name}")).ok().map(|bytes| (name, bytes))).collect()
    }

    /// Writes an uploaded file into the virtual file system.
    pub fn write_file(&self, path: &str, bytes: &[u8]) -> Result<(), CellError> {
        self.storage.write(path, bytes).map_err(|e| CellError::from_spark(&e, None))
    }
}
