//! Delta Lake tables in pure Rust over the engine's [`streamlab_storage::Storage`], so lessons
//! that stream `format("delta")` run in the browser too.
//!
//! A Delta table is a directory of Parquet files plus `_delta_log/`, whose numbered JSON commits
//! say which files make up each version of the table. This module follows the Delta
//! transaction protocol (reader 1 / writer 2, or table features for `timestamp_ntz`), so
//! delta-spark, delta-rs and polars read what it writes:
//!
//! * [`log`]: the actions of a commit file and their JSON lines;
//! * [`schema`]: `metaData.schemaString` (Spark's `StructType` JSON);
//! * [`stats`]: the per-file statistics of `add.stats`;
//! * [`table`]: replaying the log into a [`Snapshot`] and committing a version atomically;
//! * [`writer`]: writing data files and a commit (append, or overwrite for complete mode);
//! * [`read`]: a batch read of the latest snapshot;
//! * [`errors`]: Delta's error messages.
//!
//! StreamLab writes only JSON commits, never checkpoint parquet files, and replays the log
//! from version 0.
//!
//! ```
//! use std::rc::Rc;
//! use std::sync::Arc;
//! use streamlab_engine::{SparkSession, Trigger, clock::ManualClock, output::BufferedOutput};
//! use streamlab_storage::{MemoryStorage, Storage};
//!
//! let fs = Arc::new(MemoryStorage::new());
//! fs.write("/in/a.json", b"{\"n\":1}\n{\"n\":2}\n").unwrap();
//! let spark = SparkSession::new(fs.clone(), Rc::new(ManualClock::new(0)), Rc::new(BufferedOutput::default()));
//! let df = spark.read_stream().schema_ddl("n long").unwrap().json("/in").unwrap();
//! let q = df.write_stream().unwrap().format("delta").option("checkpointLocation", "/cp")
//!     .trigger(Trigger::AvailableNow).start(Some("/out")).unwrap();
//! q.await_termination(None).unwrap();
//! assert!(fs.exists("/out/_delta_log/00000000000000000000.json").unwrap());
//! assert_eq!(spark.read().format("delta").load(Some("/out")).unwrap().count().unwrap(), 2);
//! ```

pub mod errors;
pub mod log;
pub mod paths;
pub mod read;
pub mod schema;
pub mod stats;
pub mod table;
pub mod writer;

pub use table::{DeltaLog, Snapshot};
