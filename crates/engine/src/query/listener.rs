//! Spark's `StreamingQueryListener`: how a host hears about every query of a session without
//! polling it — the CLI's progress line and the page's live charts both listen here.

use streamlab_types::SparkError;

use super::progress::StreamingQueryProgress;
use super::StreamingQuery;

/// Receives the events of every query of the session it is added to
/// (`spark.streams.addListener`). Events arrive on the driver, in order, while the session runs
/// triggers; a listener must not block.
///
/// ```
/// use std::cell::Cell;
/// use std::rc::Rc;
/// use std::sync::Arc;
/// use streamlab_engine::{SparkSession, Trigger, clock::ManualClock, output::BufferedOutput};
/// use streamlab_engine::query::listener::StreamingQueryListener;
/// use streamlab_engine::query::progress::StreamingQueryProgress;
/// use streamlab_storage::{MemoryStorage, Storage};
///
/// #[derive(Default)]
/// struct RowCounter(Cell<i64>);
/// impl StreamingQueryListener for RowCounter {
///     fn on_query_progress(&self, progress: &StreamingQueryProgress) {
///         self.0.set(self.0.get() + progress.num_input_rows);
///     }
/// }
///
/// let fs = Arc::new(MemoryStorage::new());
/// fs.write("/in/a.json", b"{\"n\":1}\n{\"n\":2}\n").unwrap();
/// let spark = SparkSession::new(fs, Rc::new(ManualClock::new(0)), Rc::new(BufferedOutput::default()));
/// let counter = Rc::new(RowCounter::default());
/// spark.streams().add_listener(counter.clone());
/// let df = spark.read_stream().schema_ddl("n long").unwrap().json("/in").unwrap();
/// let query = df.write_stream().unwrap().format("memory").query_name("t")
///     .trigger(Trigger::AvailableNow).start(None).unwrap();
/// query.await_termination(None).unwrap();
/// assert_eq!(counter.0.get(), 2);
/// ```
pub trait StreamingQueryListener {
    /// A query started (`onQueryStarted`).
    fn on_query_started(&self, _query: &StreamingQuery) {}
    /// A trigger finished and reported progress (`onQueryProgress`).
    fn on_query_progress(&self, _progress: &StreamingQueryProgress) {}
    /// A query ended, stopped or failed (`onQueryTerminated`).
    fn on_query_terminated(&self, _id: &str, _run_id: &str, _exception: Option<&SparkError>) {}
}
