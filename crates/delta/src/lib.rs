//! The native Delta Lake sink: `writeStream.format("delta")` written by the `deltalake` crate
//! (delta-rs) instead of the engine's pure-Rust writer, which stays for the browser.
//!
//! Why a second writer: delta-rs is the reference Rust implementation of the Delta protocol,
//! used by the Python `deltalake` and `polars` readers; a native StreamLab that writes with it
//! produces the tables those tools expect, statistics and checkpoints included.
//!
//! Each micro-batch is one Delta commit carrying the application transaction
//! `txn(appId = query id, version = batch id)`, as delta-spark's `DeltaSink` does: before
//! writing batch N the sink reads the table's `txn` version for the query and skips the batch
//! when it is already ≥ N (the batch reached the table, but the query died before writing
//! `commits/N` to its checkpoint). Append mode adds files; complete mode removes every live
//! file and adds the new ones in the same commit (an overwrite, which the `deltalake` crate
//! offers only through datafusion, so the sink builds the commit itself).
//!
//! The sink writes to the OS file system at the session storage's absolute path, so register
//! it only on sessions over `LocalStorage`:
//!
//! ```no_run
//! use std::rc::Rc;
//! use std::sync::Arc;
//! use streamlab_engine::{output::BufferedOutput, SparkSession};
//! use streamlab_native::{LocalStorage, SystemClock};
//!
//! let storage = Arc::new(LocalStorage::current_dir().unwrap());
//! let spark = SparkSession::new(storage, Rc::new(SystemClock), Rc::new(BufferedOutput::default()));
//! streamlab_delta::register(&spark);
//! // spark.readStream…writeStream.format("delta") now commits through deltalake.
//! ```

mod conform;
mod errors;
mod provider;
mod sink;
mod table;

use std::rc::Rc;

use streamlab_engine::SparkSession;

pub use provider::DeltaSinkProvider;
pub use sink::DeltaLakeSink;

/// Makes `format("delta")` streaming writes on `session` go through `deltalake`.
pub fn register(session: &SparkSession) {
    session.register_sink_provider("delta", Rc::new(DeltaSinkProvider));
}
