//! A log with one typed record per batch id: what the offset and commit logs have in common.

use std::marker::PhantomData;
use std::sync::Arc;

use streamlab_storage::{join, Storage};
use streamlab_types::{Result, SparkError};

use crate::metadata_log::MetadataLog;

/// A record a [`BatchLog`] keeps per batch, with its file text in Spark's format.
pub trait LogRecord: Sized {
    /// The log's directory under the checkpoint (`offsets`, `commits`).
    const DIR: &'static str;
    /// The whole file text (`v1` line included).
    fn to_log_text(&self) -> Result<String>;
    /// Parses a file's text; `path` is for error messages.
    fn from_log_text(path: &str, text: &str) -> Result<Self>;
}

/// `<checkpoint>/<T::DIR>`: one `T` per batch id, written atomically and never overwritten.
///
/// ```
/// use std::sync::Arc;
/// use streamlab_checkpoint::{CommitLog, CommitMetadata};
/// use streamlab_storage::{MemoryStorage, Storage};
/// let fs = Arc::new(MemoryStorage::new());
/// let log = CommitLog::new(fs.clone(), "/cp");
/// assert!(log.add(0, &CommitMetadata::default()).unwrap());
/// assert!(!log.add(0, &CommitMetadata { next_batch_watermark_ms: 9 }).unwrap());
/// assert_eq!(log.latest().unwrap(), Some((0, CommitMetadata::default())));
/// assert_eq!(log.dir(), "/cp/commits");
/// ```
#[derive(Debug)]
pub struct BatchLog<T> {
    log: MetadataLog,
    record: PhantomData<fn() -> T>,
}

impl<T> Clone for BatchLog<T> {
    fn clone(&self) -> Self {
        BatchLog { log: self.log.clone(), record: PhantomData }
    }
}

impl<T: LogRecord> BatchLog<T> {
    /// The log of checkpoint `checkpoint_dir` (`<checkpoint_dir>/<T::DIR>`).
    pub fn new(storage: Arc<dyn Storage>, checkpoint_dir: &str) -> Self {
        let dir = join(&storage.absolute(checkpoint_dir), T::DIR);
        BatchLog { log: MetadataLog::new(storage, &dir), record: PhantomData }
    }

    /// Writes batch `batch_id`'s record; `false` (nothing written) if the batch is logged.
    pub fn add(&self, batch_id: i64, record: &T) -> Result<bool> {
        let text = record.to_log_text()?;
        if self.log.get_text(batch_id)?.is_some() {
            return Ok(false);
        }
        self.log.add_text(batch_id, &text)
    }

    /// Batch `batch_id`'s record, or `None` if not logged.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::OffsetSeqLog;
    /// # use streamlab_storage::{MemoryStorage, Storage};
    /// let fs = Arc::new(MemoryStorage::new());
    /// let log = OffsetSeqLog::new(fs.clone(), "/cp");
    /// assert_eq!(log.get(0).unwrap(), None);
    /// fs.write("/cp/offsets/0", b"v1\n{\"batchWatermarkMs\":").unwrap();
    /// assert!(log.get(0).unwrap_err().to_string().starts_with("Failed to read log file file:/cp/offsets/0."));
    /// ```
    pub fn get(&self, batch_id: i64) -> Result<Option<T>> {
        match self.log.get_text(batch_id)? {
            None => Ok(None),
            Some((path, text)) => T::from_log_text(&path, &text).map(Some),
        }
    }

    /// The latest batch and its record (`getLatest`), or `None` on a fresh checkpoint.
    pub fn latest(&self) -> Result<Option<(i64, T)>> {
        let Some(id) = self.log.latest_batch_id()? else { return Ok(None) };
        match self.get(id)? {
            Some(record) => Ok(Some((id, record))),
            None => Err(SparkError::illegal_state(format!("failed to read log file for batch {id}"))),
        }
    }

    /// The latest batch id, without reading its file.
    pub fn latest_batch_id(&self) -> Result<Option<i64>> {
        self.log.latest_batch_id()
    }

    /// Deletes the records of batches below `threshold`.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::{OffsetSeq, OffsetSeqLog};
    /// # use streamlab_storage::MemoryStorage;
    /// let log = OffsetSeqLog::new(Arc::new(MemoryStorage::new()), "/cp");
    /// for id in 0..3 { log.add(id, &OffsetSeq::default()).unwrap(); }
    /// log.purge(2).unwrap();
    /// assert_eq!(log.get(1).unwrap(), None);
    /// assert!(log.get(2).unwrap().is_some());
    /// ```
    pub fn purge(&self, threshold: i64) -> Result<()> {
        self.log.purge(threshold)
    }

    /// The log directory, absolute.
    pub fn dir(&self) -> &str {
        self.log.dir()
    }
}
