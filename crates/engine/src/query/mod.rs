//! Streaming queries: the handle users hold (`StreamingQuery`), the trigger loop behind it, and
//! the session's query manager.

pub(crate) mod execution;
pub mod listener;
pub mod manager;
pub mod progress;
pub mod trigger;

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use streamlab_types::{Result, SparkError};

use self::execution::{MicroBatchExecution, QueryState};
use self::progress::{QueryStatus, StreamingQueryProgress};
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
