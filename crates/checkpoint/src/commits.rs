//! The commit log (`<checkpoint>/commits/<batchId>`): which batches finished (`CommitLog`).

use crate::batch_log::{BatchLog, LogRecord};

use serde::Deserialize;
use streamlab_types::{Result, SparkError};

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

impl LogRecord for CommitMetadata {
    const DIR: &'static str = "commits";

    fn to_log_text(&self) -> Result<String> {
        Ok(format!("v1\n{}", self.to_json()))
    }

    fn from_log_text(path: &str, text: &str) -> Result<Self> {
        CommitMetadata::from_log_text(path, text)
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
pub type CommitLog = BatchLog<CommitMetadata>;

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
