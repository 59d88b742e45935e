//! Streaming sources: where micro-batches come from.
//!
//! A [`SourceSpec`] is what `spark.readStream…load()` records; the query turns it into a live
//! [`Source`] when it starts (Spark creates sources on the stream thread, which is why a bad
//! option value fails the query rather than `load()`).

pub(crate) mod file;
pub(crate) mod glob;
mod memory;
pub(crate) mod rate;
mod read_ahead;

use std::sync::Arc;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use streamlab_storage::Storage;
use streamlab_types::{Result, SparkError};

pub use file::FileStreamSource;
pub use memory::MemoryStream;
pub use rate::{RateMicroBatchSource, RateSource};

use crate::clock::Clock;
use crate::output::Output;

/// How much one batch may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadLimit {
    /// Everything available (default, and `Trigger.Once`).
    AllAvailable,
    /// At most `n` files (`maxFilesPerTrigger`).
    MaxFiles(usize),
    /// At most `n` rows/records (`maxOffsetsPerTrigger`).
    MaxRows(u64),
}

/// What `readStream` recorded about a source.
#[derive(Debug)]
pub struct SourceSpec {
    /// Format name as given (`json`, `rate`, `memory`, …), lowercase.
    pub format: String,
    /// Options, keys as given (lookups are case-insensitive).
    pub options: Vec<(String, String)>,
    /// The path for file sources.
    pub path: Option<String>,
    /// The output schema.
    pub schema: SchemaRef,
    /// The in-memory stream, for `format("memory")` sources built with [`MemoryStream`].
    pub memory: Option<MemoryStream>,
}

impl SourceSpec {
    /// The value of option `key` (case-insensitive; the last one set wins).
    pub fn option(&self, key: &str) -> Option<&str> {
        option(&self.options, key)
    }
}

/// Case-insensitive lookup in an option list; the last value set wins, as in Spark's maps.
pub fn option<'a>(options: &'a [(String, String)], key: &str) -> Option<&'a str> {
    options.iter().rev().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.as_str())
}

/// Everything a source needs from the query that owns it.
pub struct SourceContext {
    /// The file system.
    pub storage: Arc<dyn Storage>,
    /// The clock (rate source).
    pub clock: std::rc::Rc<dyn Clock>,
    /// Where warnings go.
    pub output: std::rc::Rc<dyn Output>,
    /// `<checkpoint>/sources/<index>`: the source's own metadata log.
    pub metadata_dir: String,
    /// `spark.sql.streaming.fileSource.log.compactInterval`.
    pub compact_interval: i64,
    /// `spark.sql.columnNameOfCorruptRecord`.
    pub corrupt_column: String,
}

/// A live streaming source (Spark's `SupportsAdmissionControl` micro-batch stream).
///
/// Offsets are JSON text, exactly as written to `offsets/N`.
pub trait Source {
    /// Progress description (`FileStreamSource[file:/in]`).
    fn description(&self) -> String;
    /// The read limit the source's options ask for.
    fn default_read_limit(&self) -> ReadLimit {
        ReadLimit::AllAvailable
    }
    /// The end offset of the next batch starting after `start`, within `limit`; `None` while
    /// the source has never had data.
    fn latest_offset(&mut self, start: Option<&str>, limit: ReadLimit) -> Result<Option<String>>;
    /// The rows in `(start, end]`.
    fn get_batch(&mut self, start: Option<&str>, end: &str) -> Result<Vec<RecordBatch>>;
    /// Data up to `end` is committed and may be forgotten.
    fn commit(&mut self, _end: &str) -> Result<()> {
        Ok(())
    }
    /// `Trigger.AvailableNow`: fix what "available" means now.
    fn prepare_for_available_now(&mut self) -> Result<()> {
        Ok(())
    }
    /// The source's latest offset for progress reports (`null` for the file source).
    fn reported_latest_offset(&self) -> Option<String> {
        None
    }
    /// Text for the warning Spark logs when `Trigger.Once` ignores a read limit.
    fn read_limit_text(&self) -> Option<String> {
        None
    }
    /// The paths of the files the rows in `(start, end]` come from, in the order they were
    /// read, for the report of the batch that just ran; empty for sources that read no files.
    fn files_between(&mut self, _start: Option<&str>, _end: Option<&str>) -> Result<Vec<String>> {
        Ok(Vec::new())
    }
}

/// Creates the live source for `spec`.
pub fn instantiate(spec: &SourceSpec, ctx: SourceContext) -> Result<Box<dyn Source>> {
    match spec.format.as_str() {
        "rate" => Ok(Box::new(RateSource::new(spec, ctx)?)),
        "rate-micro-batch" => Ok(Box::new(RateMicroBatchSource::new(spec)?)),
        "memory" => match &spec.memory {
            Some(stream) => Ok(Box::new(stream.clone())),
            None => Err(SparkError::unsupported("Data source memory does not support streamed reading")),
        },
        _ => Ok(Box::new(FileStreamSource::new(spec, ctx)?)),
    }
}
