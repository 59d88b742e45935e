//! Streaming sinks: where each micro-batch's result goes.

mod console;
mod delta;
mod file;
mod foreach_batch;
mod memory;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use streamlab_types::Result;

pub use console::ConsoleSink;
pub use delta::DeltaSink;
pub(crate) use file::escape_path_name;
pub use file::FileSink;
pub use foreach_batch::{ForeachBatchFn, ForeachBatchSink};
pub use memory::MemorySink;

/// `outputMode(...)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputMode {
    /// Only new rows (default).
    Append,
    /// The whole result table every batch.
    Complete,
    /// Rows changed in this batch.
    Update,
}

impl OutputMode {
    /// Parses a mode name case-insensitively, with Spark's error.
    ///
    /// ```
    /// use streamlab_engine::sink::OutputMode;
    /// assert_eq!(OutputMode::parse("Complete").unwrap(), OutputMode::Complete);
    /// assert_eq!(OutputMode::parse("foo").unwrap_err().to_string(),
    ///     "Unknown output mode foo. Accepted output modes are 'append', 'complete', 'update'");
    /// ```
    pub fn parse(text: &str) -> Result<OutputMode> {
        match text.to_ascii_lowercase().as_str() {
            "append" => Ok(OutputMode::Append),
            "complete" => Ok(OutputMode::Complete),
            "update" => Ok(OutputMode::Update),
            _ => Err(streamlab_types::SparkError::illegal_argument(format!(
                "Unknown output mode {text}. Accepted output modes are 'append', 'complete', 'update'"
            ))),
        }
    }

    /// The name Spark prints in messages (`Append`, `Complete`, `Update`).
    pub fn name(&self) -> &'static str {
        match self {
            OutputMode::Append => "Append",
            OutputMode::Complete => "Complete",
            OutputMode::Update => "Update",
        }
    }
}

/// A live sink.
pub trait Sink {
    /// Progress description (`MemorySink`, `FileSink[out]`, …).
    fn description(&self) -> String;
    /// Writes batch `batch_id`. A batch id already written (a replay after a restart) must not
    /// be written twice: sinks are idempotent by batch id, which gives exactly-once output.
    fn add_batch(&mut self, batch_id: i64, data: &[RecordBatch], schema: &SchemaRef, mode: OutputMode) -> Result<()>;
    /// Whether every effect of [`Sink::add_batch`] goes through the session's storage (or
    /// stays in memory). Such a sink needs no barrier before it writes: its writes queue behind
    /// the batch's `offsets/N` in the same store. A sink that writes anywhere else (a broker,
    /// another library's files, user code) says `false`, and the engine flushes the store
    /// first.
    fn only_writes_through_storage(&self) -> bool {
        false
    }
    /// The `numOutputRows` reported for a batch of `rows` rows (-1 where Spark cannot tell).
    fn reported_output_rows(&self, rows: usize) -> i64 {
        rows as i64
    }
}
