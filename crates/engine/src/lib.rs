//! The micro-batch engine: Structured Streaming queries from sources to sinks, as Spark 3.5
//! runs them.
//!
//! The engine is pure: it reads and writes through a [`streamlab_storage::Storage`], reads time
//! from a [`clock::Clock`] and prints to an [`output::Output`], so the same code runs in the
//! browser (wasm32, in-memory files, virtual time) and natively (local disk, real time).
//!
//! ```
//! use std::rc::Rc;
//! use std::sync::Arc;
//! use streamlab_engine::{SparkSession, Trigger, clock::ManualClock, output::BufferedOutput};
//! use streamlab_storage::{MemoryStorage, Storage};
//!
//! let fs = Arc::new(MemoryStorage::new());
//! fs.write("/in/a.json", b"{\"n\":1}\n{\"n\":2}\n").unwrap();
//! let spark = SparkSession::new(fs, Rc::new(ManualClock::new(0)), Rc::new(BufferedOutput::default()));
//! let df = spark.read_stream().schema_ddl("n long").unwrap().json("/in").unwrap();
//! let query = df.write_stream().unwrap().format("memory").query_name("t")
//!     .trigger(Trigger::AvailableNow).start(None).unwrap();
//! query.await_termination(None).unwrap();
//! assert_eq!(spark.table("t").unwrap().count().unwrap(), 2);
//! ```

mod aggregation;
pub mod catalog;
pub mod clock;
pub mod conf;
pub mod connector;
pub mod dataframe;
pub mod delta;
mod exec;
pub mod grouped;
pub mod join;
pub mod output;
mod partition;
mod pushdown;
mod stateful;
pub mod plan;
pub mod query;
pub mod reader;
pub mod session;
pub mod sink;
pub mod sort;
mod sql;
pub mod source;
pub mod writer;

pub use dataframe::DataFrame;
pub use query::manager::StreamingQueryManager;
pub use query::trigger::Trigger;
pub use query::StreamingQuery;
pub use session::SparkSession;
pub use sink::OutputMode;
pub use streamlab_types::{ErrorKind, Result, SparkError};
