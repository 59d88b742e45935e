//! Streaming queries: the handle users hold (`StreamingQuery`), the trigger loop behind it, and
//! the session's query manager.

pub(crate) mod execution;
pub mod listener;
pub mod manager;
pub mod progress;
pub mod step;
pub mod trigger;

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use streamlab_types::{Result, SparkError};

use self::execution::{MicroBatchExecution, QueryState};
use self::progress::{QueryStatus, StreamingQueryProgress};
use self::step::MicroBatchReport;
use crate::session::SessionInner;
use crate::SparkSession;

/// A running or finished streaming query (`DataStreamWriter.start()`'s result).
///
/// Cheap to clone; every clone is the same query.
#[derive(Clone)]
pub struct StreamingQuery {
    id: Rc<str>,
    run_id: Rc<str>,
    name: Option<Rc<str>>,
    checkpoint: Rc<str>,
    state: Rc<RefCell<QueryState>>,
    execution: Rc<RefCell<MicroBatchExecution>>,
    session: Weak<SessionInner>,
}

impl std::fmt::Debug for StreamingQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamingQuery").field("id", &self.id).field("name", &self.name).finish()
    }
}

impl PartialEq for StreamingQuery {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
    }
}

impl StreamingQuery {
    pub(crate) fn new(
        session: &SparkSession,
        execution: MicroBatchExecution,
        state: Rc<RefCell<QueryState>>,
        name: Option<String>,
    ) -> Self {
        StreamingQuery {
            id: Rc::from(execution.id()),
            run_id: Rc::from(execution.run_id()),
            name: name.map(Rc::from),
            checkpoint: Rc::from(execution.checkpoint()),
            state,
            execution: Rc::new(RefCell::new(execution)),
            session: session.downgrade(),
        }
    }

    /// The query id: the same across restarts from one checkpoint.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// This run's id: new at every start.
    pub fn run_id(&self) -> &str {
        &self.run_id
    }

    /// `queryName(...)`, if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// `isActive`.
    pub fn is_active(&self) -> bool {
        self.state.borrow().active
    }

    /// `status`.
    pub fn status(&self) -> QueryStatus {
        self.state.borrow().status.clone()
    }

    /// `lastProgress` (`None` before the first report).
    pub fn last_progress(&self) -> Option<StreamingQueryProgress> {
        self.state.borrow().progress.back().cloned()
    }

    /// `recentProgress`, oldest first.
    pub fn recent_progress(&self) -> Vec<StreamingQueryProgress> {
        self.state.borrow().progress.iter().cloned().collect()
    }

    /// `exception()`: the `StreamingQueryException` the query failed with, if it did.
    pub fn exception(&self) -> Option<SparkError> {
        self.state.borrow().exception.clone()
    }

    /// `explain()`: the query's plan.
    pub fn explain(&self) -> String {
        match self.execution.try_borrow() {
            Ok(e) => format!("== Physical Plan ==\n{}", e.plan().tree_string()),
            Err(_) => "== Physical Plan ==\n(the query is running a batch)\n".to_string(),
        }
    }

    /// `stop()`: idempotent; a query stopping itself (from its foreachBatch function) stops
    /// when the running batch ends.
    pub fn stop(&self) {
        match self.execution.try_borrow_mut() {
            Ok(mut e) => e.stop(),
            Err(_) => self.state.borrow_mut().stop_requested = true,
        }
        if let Ok(session) = SparkSession::upgrade(&self.session) {
            session.inner.queries.borrow_mut().remove_inactive();
        }
    }

    /// When the next trigger is due, if the query is active and not in the middle of a batch.
    pub(crate) fn next_trigger_ms(&self) -> Option<i64> {
        if self.execution.try_borrow_mut().is_err() {
            return None;
        }
        let state = self.state.borrow();
        if state.active {
            state.next_trigger_ms
        } else {
            None
        }
    }

    /// Runs one trigger (called by the session's scheduler).
    pub(crate) fn run_trigger(&self) {
        if let Ok(mut e) = self.execution.try_borrow_mut() {
            e.run_trigger();
        }
        if !self.is_active() {
            if let Ok(session) = SparkSession::upgrade(&self.session) {
                session.inner.queries.borrow_mut().on_terminated(self);
            }
        }
    }

    /// Where the query keeps its checkpoint (the `checkpointLocation` option, or the temporary
    /// folder Spark makes for memory and console sinks), as an absolute path.
    pub fn checkpoint_location(&self) -> &str {
        &self.checkpoint
    }

    /// What the last micro-batch did, if one ran in this run.
    pub fn last_batch(&self) -> Option<MicroBatchReport> {
        self.state.borrow().last_batch.clone()
    }

    /// Runs one trigger now, whatever the trigger's schedule, for hosts that step a query by
    /// hand: `Ok(Some(report))` when a micro-batch ran, `Ok(None)` when there was nothing to
    /// run (no new data and no watermark to move). The query's failure if it failed
    /// (`[STREAM_FAILED]`, and the query is no longer active), and an `IllegalStateException`
    /// if the query is not active or is in the middle of a batch (stepping from its own
    /// foreachBatch function).
    ///
    /// ```
    /// use std::rc::Rc;
    /// use std::sync::Arc;
    /// use streamlab_engine::{SparkSession, Trigger, clock::ManualClock, output::BufferedOutput};
    /// use streamlab_storage::{MemoryStorage, Storage};
    /// let fs = Arc::new(MemoryStorage::new());
    /// fs.write("/in/a.json", b"{\"n\":1}\n{\"n\":2}\n").unwrap();
    /// let spark = SparkSession::new(fs, Rc::new(ManualClock::new(0)), Rc::new(BufferedOutput::default()));
    /// let df = spark.read_stream().schema_ddl("n long").unwrap().json("/in").unwrap();
    /// let query = df.write_stream().unwrap().format("memory").query_name("t")
    ///     .trigger(Trigger::ProcessingTime(60_000)).start(None).unwrap();
    /// let report = query.run_next_trigger().unwrap().unwrap();
    /// assert_eq!((report.batch_id, report.input_rows, report.output_rows), (0, 2, 2));
    /// assert_eq!(report.files_read, ["/in/a.json"]);
    /// assert!(report.offsets_path.ends_with("/offsets/0"));
    /// assert_eq!(query.run_next_trigger().unwrap(), None); // nothing new
    /// ```
    pub fn run_next_trigger(&self) -> Result<Option<MicroBatchReport>> {
        self.failure()?;
        let name = || self.name().map_or_else(|| self.id.to_string(), str::to_string);
        if !self.is_active() {
            return Err(SparkError::illegal_state(format!("Query {} is not active", name())));
        }
        if self.execution.try_borrow_mut().is_err() {
            return Err(SparkError::illegal_state(format!("Query {} is running a batch", name())));
        }
        let before = self.state.borrow().last_batch.as_ref().map(|b| b.batch_id);
        self.run_trigger();
        self.failure()?;
        let after = self.last_batch();
        Ok(after.filter(|b| Some(b.batch_id) != before))
    }

    fn failure(&self) -> Result<()> {
        match self.exception() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// `awaitTermination([timeout])`: runs triggers until the query ends; `Ok(false)` when
    /// `timeout_ms` passed first; the query's exception if it failed.
    pub fn await_termination(&self, timeout_ms: Option<i64>) -> Result<bool> {
        let session = SparkSession::upgrade(&self.session)?;
        let deadline = timeout_ms.map(|t| session.clock().now_ms().saturating_add(t.max(0)));
        let me = self.clone();
        let ended = session.drive(deadline, &mut || !me.is_active());
        self.failure()?;
        Ok(ended)
    }

    /// `processAllAvailable()`: runs triggers until one finds nothing new to process.
    pub fn process_all_available(&self) -> Result<()> {
        self.failure()?;
        if !self.is_active() {
            return Ok(());
        }
        self.state.borrow_mut().no_new_data = false;
        let session = SparkSession::upgrade(&self.session)?;
        let me = self.clone();
        session.drive(None, &mut || !me.is_active() || me.state.borrow().no_new_data);
        self.failure()?;
        // What was processed is on the disk when this returns, as with Spark.
        session.storage().flush()
    }
}
