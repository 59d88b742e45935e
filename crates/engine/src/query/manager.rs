//! `spark.streams`: the session's active queries.

use std::rc::Rc;

use streamlab_types::Result;

use super::listener::StreamingQueryListener;
use super::StreamingQuery;
use crate::SparkSession;

/// The session's bookkeeping of queries, owned by the session.
#[derive(Default)]
pub(crate) struct QueryRegistry {
    active: Vec<StreamingQuery>,
    terminated: Vec<StreamingQuery>,
    listeners: Vec<Rc<dyn StreamingQueryListener>>,
}

impl std::fmt::Debug for QueryRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueryRegistry")
            .field("active", &self.active)
            .field("terminated", &self.terminated)
            .field("listeners", &self.listeners.len())
            .finish()
    }
}

impl QueryRegistry {
    /// The listeners, cloned so that they run with the registry unborrowed (they may look at
    /// `spark.streams`).
    pub(crate) fn listeners(&self) -> Vec<Rc<dyn StreamingQueryListener>> {
        self.listeners.clone()
    }

    pub(crate) fn add(&mut self, query: StreamingQuery) {
        self.active.push(query);
    }

    pub(crate) fn active(&self) -> Vec<StreamingQuery> {
        self.active.clone()
    }

    /// The active query whose next trigger is due first.
    pub(crate) fn next_due(&self) -> Option<(StreamingQuery, i64)> {
        self.active
            .iter()
            .filter_map(|q| q.next_trigger_ms().map(|t| (q.clone(), t)))
            .min_by_key(|(_, t)| *t)
    }

    pub(crate) fn on_terminated(&mut self, query: &StreamingQuery) {
        if let Some(i) = self.active.iter().position(|q| q == query) {
            let q = self.active.remove(i);
            self.terminated.push(q);
        }
    }

    pub(crate) fn remove_inactive(&mut self) {
        let (still, ended): (Vec<_>, Vec<_>) = self.active.drain(..).partition(|q| q.is_active());
        self.active = still;
        self.terminated.extend(ended);
    }

    fn any_terminated(&self) -> Option<StreamingQuery> {
        self.terminated.first().cloned()
    }
}

/// `spark.streams`.
///
/// ```
/// use std::rc::Rc;
/// use std::sync::Arc;
/// use streamlab_engine::{SparkSession, clock::ManualClock, output::BufferedOutput};
/// let spark = SparkSession::new(Arc::new(streamlab_storage::MemoryStorage::new()), Rc::new(ManualClock::new(0)), Rc::new(BufferedOutput::default()));
/// assert!(spark.streams().get("no-such-id").is_none());
/// ```
pub struct StreamingQueryManager {
    session: SparkSession,
}

impl StreamingQueryManager {
    pub(crate) fn new(session: SparkSession) -> Self {
        StreamingQueryManager { session }
    }

    /// `spark.streams.active`.
    pub fn active(&self) -> Vec<StreamingQuery> {
        self.session.inner.queries.borrow().active()
    }

    /// `spark.streams.get(id)`: an active query by id.
    pub fn get(&self, id: &str) -> Option<StreamingQuery> {
        self.active().into_iter().find(|q| q.id() == id)
    }

    /// `addListener(listener)`: `listener` hears of every query's start, progress and end.
    pub fn add_listener(&self, listener: Rc<dyn StreamingQueryListener>) {
        self.session.inner.queries.borrow_mut().listeners.push(listener);
    }

    /// `removeListener(listener)`.
    pub fn remove_listener(&self, listener: &Rc<dyn StreamingQueryListener>) {
        self.session.inner.queries.borrow_mut().listeners.retain(|l| !Rc::ptr_eq(l, listener));
    }

    /// `awaitAnyTermination([timeout])`: whether a query terminated since the last
    /// [`reset_terminated`](Self::reset_terminated); raises a failed query's exception.
    pub fn await_any_termination(&self, timeout_ms: Option<i64>) -> Result<bool> {
        let deadline = timeout_ms.map(|t| self.session.clock().now_ms().saturating_add(t.max(0)));
        let session = self.session.clone();
        self.session.drive(deadline, &mut || session.inner.queries.borrow().any_terminated().is_some());
        match self.session.inner.queries.borrow().any_terminated() {
            Some(q) => match q.exception() {
                Some(e) => Err(e),
                None => Ok(true),
            },
            None => Ok(false),
        }
    }

    /// `resetTerminated()`.
    pub fn reset_terminated(&self) {
        self.session.inner.queries.borrow_mut().terminated.clear();
    }
}
