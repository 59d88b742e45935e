//! The commit log (`<checkpoint>/commits/<batchId>`): which batches finished (`CommitLog`).

use std::sync::Arc;

use serde::Deserialize;
use streamlab_storage::{join, Storage};
use streamlab_types::{Result, SparkError};

use crate::metadata_log::MetadataLog;
use crate::text::{lines, read_error, validate_version};

/// What a finished batch hands to the next one: the watermark it computed.
///
/// On restart the watermark is the larger of the last offsets' `batchWatermarkMs` and this.
///
/// ```
/// use streamlab_checkpoint::CommitMetadata;
/// let c = CommitMetadata { next_batch_watermark_ms: 1500 };
/// assert_eq!(c.to_json(), r#"{"nextBatchWatermarkMs":1500}"#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CommitMetadata {
    /// The watermark (ms) the next batch will use.
    pub next_batch_watermark_ms: i64,
}

impl CommitMetadata {
    /// The JSON line Spark 3.5 writes.
    ///
    /// ```
    /// use streamlab_checkpoint::CommitMetadata;
    /// assert_eq!(CommitMetadata::default().to_json(), r#"{"nextBatchWatermarkMs":0}"#);
    /// ```
    pub fn to_json(&self) -> String {
        format!("{{\"nextBatchWatermarkMs\":{}}}", self.next_batch_watermark_ms)
    }

    /// Parses the JSON line (a missing field is 0; unknown fields, such as 4.x's
    /// `stateUniqueIds`, are ignored).
    ///
    /// ```
    /// use streamlab_checkpoint::CommitMetadata;
    /// assert_eq!(CommitMetadata::from_json("{}").unwrap().next_batch_watermark_ms, 0);
    /// assert!(CommitMetadata::from_json(r#"{"nextBatchWatermarkMs":"#).is_err());
    /// ```
    pub fn from_json(json: &str) -> Result<Self> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Wire {
            #[serde(default)]
            next_batch_watermark_ms: i64,
        }
        let w: Wire = serde_json::from_str(json)
            .map_err(|e| SparkError::illegal_state(format!("Invalid commit log metadata {json}: {e}")))?;
        Ok(CommitMetadata { next_batch_watermark_ms: w.next_batch_watermark_ms })
    }

    /// Parses a whole commit-log file as Spark does: version line trimmed, metadata line
    /// optional (`v1` alone means watermark 0).
    ///
    /// ```
    /// use streamlab_checkpoint::CommitMetadata;
    /// assert_eq!(CommitMetadata::from_log_text("/c/0", "v1").unwrap(), CommitMetadata::default());
    /// let e = CommitMetadata::from_log_text("/c/0", "").unwrap_err();
    /// assert_eq!(e.to_string(), "Failed to read log file file:/c/0. Incomplete log file in the offset commit log");
    /// ```
    pub fn from_log_text(path: &str, text: &str) -> Result<Self> {
        let lines = lines(text);
        let Some(version) = lines.first() else {
            return Err(read_error(path, "Incomplete log file in the offset commit log"));
        };
        validate_version(version.trim(), 1).map_err(|m| read_error(path, m))?;
        CommitMetadata::from_json(lines.get(1).copied().unwrap_or("{}")).map_err(|e| read_error(path, e.message))
    }
}

/// `<checkpoint>/commits`: one file per finished batch (Spark's `CommitLog`).
///
/// A batch with offsets but no commit did not finish: a restart runs it again.
///
/// ```
/// use std::sync::Arc;
/// use streamlab_checkpoint::{CommitLog, CommitMetadata};
/// use streamlab_storage::{MemoryStorage, Storage};
/// let fs = Arc::new(MemoryStorage::new());
/// let log = CommitLog::new(fs.clone(), "/cp");
/// log.add(0, &CommitMetadata::default()).unwrap();
/// assert_eq!(fs.read("/cp/commits/0").unwrap(), b"v1\n{\"nextBatchWatermarkMs\":0}");
/// ```
#[derive(Debug, Clone)]
pub struct CommitLog {
    log: MetadataLog,
}

impl CommitLog {
    /// The commit log of checkpoint `checkpoint_dir` (`<checkpoint_dir>/commits`).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::CommitLog;
    /// # use streamlab_storage::MemoryStorage;
    /// assert_eq!(CommitLog::new(Arc::new(MemoryStorage::new()), "/cp").dir(), "/cp/commits");
    /// ```
    pub fn new(storage: Arc<dyn Storage>, checkpoint_dir: &str) -> Self {
        let dir = join(&storage.absolute(checkpoint_dir), "commits");
        CommitLog { log: MetadataLog::new(storage, &dir) }
    }

    /// Records batch `batch_id` as finished; `false` if it already was.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::{CommitLog, CommitMetadata};
    /// # use streamlab_storage::MemoryStorage;
    /// let log = CommitLog::new(Arc::new(MemoryStorage::new()), "/cp");
    /// assert!(log.add(0, &CommitMetadata::default()).unwrap());
    /// assert!(!log.add(0, &CommitMetadata { next_batch_watermark_ms: 9 }).unwrap());
    /// ```
    pub fn add(&self, batch_id: i64, commit: &CommitMetadata) -> Result<bool> {
        if self.get(batch_id)?.is_some() {
            return Ok(false);
        }
        self.log.add_text(batch_id, &format!("v1\n{}", commit.to_json()))
    }

    /// Batch `batch_id`'s commit, or `None` if it did not finish.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::{CommitLog, CommitMetadata};
    /// # use streamlab_storage::MemoryStorage;
    /// let log = CommitLog::new(Arc::new(MemoryStorage::new()), "/cp");
    /// assert_eq!(log.get(0).unwrap(), None);
    /// log.add(0, &CommitMetadata { next_batch_watermark_ms: 7 }).unwrap();
    /// assert_eq!(log.get(0).unwrap().unwrap().next_batch_watermark_ms, 7);
    /// ```
    pub fn get(&self, batch_id: i64) -> Result<Option<CommitMetadata>> {
        match self.log.get_text(batch_id)? {
            None => Ok(None),
            Some((path, text)) => CommitMetadata::from_log_text(&path, &text).map(Some),
        }
    }

    /// The latest committed batch, or `None` if no batch finished yet.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::{CommitLog, CommitMetadata};
    /// # use streamlab_storage::MemoryStorage;
    /// let log = CommitLog::new(Arc::new(MemoryStorage::new()), "/cp");
    /// log.add(0, &CommitMetadata::default()).unwrap();
    /// log.add(1, &CommitMetadata { next_batch_watermark_ms: 5 }).unwrap();
    /// assert_eq!(log.latest().unwrap(), Some((1, CommitMetadata { next_batch_watermark_ms: 5 })));
    /// ```
    pub fn latest(&self) -> Result<Option<(i64, CommitMetadata)>> {
        let Some(id) = self.log.latest_batch_id()? else { return Ok(None) };
        match self.get(id)? {
            Some(c) => Ok(Some((id, c))),
            None => Err(SparkError::illegal_state(format!("failed to read log file for batch {id}"))),
        }
    }

    /// The latest committed batch id, without reading its file.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::{CommitLog, CommitMetadata};
    /// # use streamlab_storage::MemoryStorage;
    /// let log = CommitLog::new(Arc::new(MemoryStorage::new()), "/cp");
    /// assert_eq!(log.latest_batch_id().unwrap(), None);
    /// ```
    pub fn latest_batch_id(&self) -> Result<Option<i64>> {
        self.log.latest_batch_id()
    }

    /// Deletes the commits of batches below `threshold`.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::{CommitLog, CommitMetadata};
    /// # use streamlab_storage::MemoryStorage;
    /// let log = CommitLog::new(Arc::new(MemoryStorage::new()), "/cp");
    /// for id in 0..3 { log.add(id, &CommitMetadata::default()).unwrap(); }
    /// log.purge(1).unwrap();
    /// assert_eq!(log.get(0).unwrap(), None);
    /// assert!(log.get(1).unwrap().is_some());
    /// ```
    pub fn purge(&self, threshold: i64) -> Result<()> {
        self.log.purge(threshold)
    }

    /// The log directory, absolute.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::CommitLog;
    /// # use streamlab_storage::MemoryStorage;
    /// assert_eq!(CommitLog::new(Arc::new(MemoryStorage::new()), "cp").dir(), "/cp/commits");
    /// ```
    pub fn dir(&self) -> &str {
        self.log.dir()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_texts_as_spark_reads_them() {
        for (text, wm) in [
            ("v1\n{\"nextBatchWatermarkMs\":0}\n", 0),
            (" v1 \n{\"nextBatchWatermarkMs\":12}", 12),
            ("v1\n{\"nextBatchWatermarkMs\":3,\"stateUniqueIds\":{}}", 3),
        ] {
            assert_eq!(CommitMetadata::from_log_text("p", text).unwrap().next_batch_watermark_ms, wm);
        }
        for (text, msg) in [
            ("v2\n{}", "UnsupportedLogVersion"),
            ("xyz\n{}", "Log file was malformed: failed to read correct log version from xyz."),
            ("v1\n{\"nextBatchWatermarkMs\":", "Invalid commit log metadata"),
            ("v1\n", "Incomplete"),
        ] {
            let r = CommitMetadata::from_log_text("p", text);
            match msg {
                "Incomplete" => assert!(r.is_ok()),
                _ => assert!(r.unwrap_err().to_string().starts_with(&format!("Failed to read log file file:p. {msg}"))),
            }
        }
    }
}
