//! The file source's log (`<checkpoint>/sources/<i>`): which files each source batch read
//! (`FileStreamSourceLog`).

use std::sync::Arc;

use serde::Deserialize;
use streamlab_storage::Storage;
use streamlab_types::{Result, SparkError};

use crate::compact::{all_valid_batches, CompactibleLog, CompactionSettings, LogEntry};
use crate::json::push_str;

/// One input file of one source batch (Spark's `FileStreamSource.FileEntry`).
///
/// Logged before the batch runs so a restart reads exactly the same files, and so a file is
/// never read twice across restarts.
///
/// ```
/// use streamlab_checkpoint::SourceFileEntry;
/// let e = SourceFileEntry { path: "file:///in/part-00000.json".into(), timestamp: 1700000000000, batch_id: 0 };
/// assert_eq!(e.to_json(), r#"{"path":"file:///in/part-00000.json","timestamp":1700000000000,"batchId":0}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct SourceFileEntry {
    /// The file's URI as Spark writes it (`file:///abs/path`, percent-encoded like Hadoop's
    /// `Path.toUri`: a space is `%20`; see [`crate::file_uri`]).
    pub path: String,
    /// The file's modification time (ms).
    pub timestamp: i64,
    /// The source batch (log offset) that read it.
    pub batch_id: i64,
}

impl SourceFileEntry {
    /// The JSON line Spark writes.
    ///
    /// ```
    /// use streamlab_checkpoint::SourceFileEntry;
    /// let e = SourceFileEntry { path: "file:///a".into(), timestamp: 1, batch_id: 2 };
    /// assert_eq!(SourceFileEntry::from_json(&e.to_json()).unwrap(), e);
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"path\":");
        push_str(&mut out, &self.path);
        out.push_str(&format!(",\"timestamp\":{},\"batchId\":{}}}", self.timestamp, self.batch_id));
        out
    }

    /// Parses a JSON line; all three fields are required, others ignored.
    ///
    /// ```
    /// use streamlab_checkpoint::SourceFileEntry;
    /// assert!(SourceFileEntry::from_json(r#"{"path":"file:///a","timestamp":1}"#).is_err());
    /// ```
    pub fn from_json(json: &str) -> Result<Self> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Wire {
            path: String,
            timestamp: i64,
            batch_id: i64,
        }
        let w: Wire = serde_json::from_str(json)
            .map_err(|e| SparkError::illegal_state(format!("Invalid file source log entry {json}: {e}")))?;
        Ok(SourceFileEntry { path: w.path, timestamp: w.timestamp, batch_id: w.batch_id })
    }
}

impl LogEntry for SourceFileEntry {
    fn to_json(&self) -> String {
        SourceFileEntry::to_json(self)
    }
    fn from_json(json: &str) -> Result<Self> {
        SourceFileEntry::from_json(json)
    }
}

/// `<checkpoint>/sources/<i>`: the files each batch of file source `i` read.
///
/// A compactible log: batch N is the file `N`, except every `compact_interval`-th batch
/// (`(N+1) % interval == 0`, `spark.sql.streaming.fileSource.log.compactInterval`, default 10),
/// written as `N.compact` with the entries of every batch so far, so a restart reads two or
/// three files instead of thousands. Old files are deleted per [`CompactionSettings`].
///
/// ```
/// use std::sync::Arc;
/// use streamlab_checkpoint::{FileStreamSourceLog, SourceFileEntry};
/// use streamlab_storage::{MemoryStorage, Storage};
/// let fs = Arc::new(MemoryStorage::new());
/// let log = FileStreamSourceLog::new(fs.clone(), "/cp/sources/0", 3);
/// for n in 0..3 {
///     let e = SourceFileEntry { path: format!("file:///in/p{n}.json"), timestamp: 1700000000000, batch_id: n };
///     log.add(n, &[e]).unwrap();
/// }
/// assert!(fs.exists("/cp/sources/0/2.compact").unwrap());
/// assert_eq!(log.get(1).unwrap().unwrap()[0].path, "file:///in/p1.json");
/// assert_eq!(log.all_entries().unwrap().len(), 3);
/// ```
#[derive(Debug)]
pub struct FileStreamSourceLog {
    log: CompactibleLog<SourceFileEntry>,
}

impl FileStreamSourceLog {
    /// The log in `dir` with `compact_interval` as the configured interval (an existing log
    /// keeps the interval its `.compact` files were written with, as in Spark).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::FileStreamSourceLog;
    /// # use streamlab_storage::MemoryStorage;
    /// let log = FileStreamSourceLog::new(Arc::new(MemoryStorage::new()), "/cp/sources/0", 10);
    /// assert_eq!(log.compact_interval().unwrap(), 10);
    /// let bad = FileStreamSourceLog::new(Arc::new(MemoryStorage::new()), "/cp/sources/0", 0);
    /// assert!(bad.latest_batch_id().is_err());
    /// ```
    pub fn new(storage: Arc<dyn Storage>, dir: &str, compact_interval: i64) -> Self {
        let log = CompactibleLog::new(storage, dir, compact_interval, "spark.sql.streaming.fileSource.log.compactInterval");
        FileStreamSourceLog { log }
    }

    /// The same log with other retention settings.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::{CompactionSettings, FileStreamSourceLog};
    /// # use streamlab_storage::MemoryStorage;
    /// let settings = CompactionSettings { min_batches_to_retain: 2, cleanup_delay_ms: 0, deletion: true };
    /// let _log = FileStreamSourceLog::new(Arc::new(MemoryStorage::new()), "/s", 3).with_settings(settings);
    /// ```
    pub fn with_settings(mut self, settings: CompactionSettings) -> Self {
        self.log.set_settings(settings);
        self
    }

    /// Logs the files of batch `batch_id`; `false` if that batch is already logged.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::{FileStreamSourceLog, SourceFileEntry};
    /// # use streamlab_storage::{MemoryStorage, Storage};
    /// let fs = Arc::new(MemoryStorage::new());
    /// let log = FileStreamSourceLog::new(fs.clone(), "/s", 10);
    /// let e = SourceFileEntry { path: "file:///in/a.json".into(), timestamp: 5, batch_id: 0 };
    /// assert!(log.add(0, &[e.clone()]).unwrap());
    /// assert!(!log.add(0, &[e]).unwrap());
    /// assert_eq!(fs.read("/s/0").unwrap(), br#"v1
    /// {"path":"file:///in/a.json","timestamp":5,"batchId":0}"#);
    /// ```
    pub fn add(&self, batch_id: i64, entries: &[SourceFileEntry]) -> Result<bool> {
        self.log.add(batch_id, entries)
    }

    /// The files of batch `batch_id`, wherever they are (its own file, or a compaction file
    /// if the batch's file was cleaned up); `None` if the batch is unknown.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::{FileStreamSourceLog, SourceFileEntry};
    /// # use streamlab_storage::MemoryStorage;
    /// let log = FileStreamSourceLog::new(Arc::new(MemoryStorage::new()), "/s", 10);
    /// assert_eq!(log.get(0).unwrap(), None);
    /// log.add(0, &[]).unwrap();
    /// assert_eq!(log.get(0).unwrap(), Some(vec![]));
    /// ```
    pub fn get(&self, batch_id: i64) -> Result<Option<Vec<SourceFileEntry>>> {
        if batch_id < 0 {
            return Ok(None);
        }
        if let Some(entries) = self.log.read_batch(batch_id)? {
            return Ok(Some(entries.into_iter().filter(|e| e.batch_id == batch_id).collect()));
        }
        // The batch's own file is gone: look in the latest compaction file (Spark logs
        // "Get batches from removed files, this is unexpected in the current code path!!!").
        let Some(latest) = self.log.latest_batch_id()? else { return Ok(None) };
        let compacted = *all_valid_batches(latest, self.log.interval()?).start();
        let found: Vec<SourceFileEntry> = self
            .log
            .read_batch(compacted)?
            .unwrap_or_default()
            .into_iter()
            .filter(|e| e.batch_id == batch_id)
            .collect();
        Ok((!found.is_empty()).then_some(found))
    }

    /// The files of batches `start_exclusive+1 ..= end_inclusive` (all from 0 when `None`), as
    /// a batch between two offsets reads them (`FileStreamSource.getBatch`). Every batch of a
    /// non-empty range must exist, else Spark's `batch N doesn't exist` error.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::{FileStreamSourceLog, SourceFileEntry};
    /// # use streamlab_storage::MemoryStorage;
    /// let log = FileStreamSourceLog::new(Arc::new(MemoryStorage::new()), "/s", 10);
    /// for n in 0..3 {
    ///     log.add(n, &[SourceFileEntry { path: format!("file:///p{n}"), timestamp: 0, batch_id: n }]).unwrap();
    /// }
    /// let paths: Vec<String> = log.get_range(Some(0), 2).unwrap().into_iter().map(|e| e.path).collect();
    /// assert_eq!(paths, ["file:///p1", "file:///p2"]);
    /// assert!(log.get_range(Some(2), 2).unwrap().is_empty());
    /// assert_eq!(log.get_range(Some(2), 3).unwrap_err().to_string(), "batch 3 doesn't exist");
    /// ```
    pub fn get_range(&self, start_exclusive: Option<i64>, end_inclusive: i64) -> Result<Vec<SourceFileEntry>> {
        let start = start_exclusive.map_or(0, |s| s.saturating_add(1)).max(0);
        if start > end_inclusive {
            return Ok(Vec::new());
        }
        // Batches after the latest one cannot exist; stop there instead of probing each id.
        let last = self.log.latest_batch_id()?.map_or(-1, |l| l.min(end_inclusive));
        let mut ids = Vec::new();
        let mut out = Vec::new();
        for id in start..=last {
            if let Some(entries) = self.get(id)? {
                ids.push(id);
                out.extend(entries);
            }
        }
        verify_batch_ids(&ids, start, end_inclusive)?;
        Ok(out)
    }

    /// The latest logged batch id (`getLatestBatchId`), the source's current log offset.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::FileStreamSourceLog;
    /// # use streamlab_storage::MemoryStorage;
    /// let log = FileStreamSourceLog::new(Arc::new(MemoryStorage::new()), "/s", 10);
    /// assert_eq!(log.latest_batch_id().unwrap(), None);
    /// log.add(0, &[]).unwrap();
    /// assert_eq!(log.latest_batch_id().unwrap(), Some(0));
    /// ```
    pub fn latest_batch_id(&self) -> Result<Option<i64>> {
        self.log.latest_batch_id()
    }

    /// Every logged file, oldest batch first (`allFiles`): what a restarted source has seen.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::{FileStreamSourceLog, SourceFileEntry};
    /// # use streamlab_storage::MemoryStorage;
    /// let log = FileStreamSourceLog::new(Arc::new(MemoryStorage::new()), "/s", 2);
    /// for n in 0..4 {
    ///     log.add(n, &[SourceFileEntry { path: format!("file:///p{n}"), timestamp: 0, batch_id: n }]).unwrap();
    /// }
    /// // 3.compact alone holds the entries of batches 0 to 3.
    /// assert_eq!(log.all_entries().unwrap().len(), 4);
    /// ```
    pub fn all_entries(&self) -> Result<Vec<SourceFileEntry>> {
        self.log.all()
    }

    /// The compact interval in use (see [`FileStreamSourceLog::new`]).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::FileStreamSourceLog;
    /// # use streamlab_storage::{MemoryStorage, Storage};
    /// let fs = Arc::new(MemoryStorage::new());
    /// fs.write("/s/2.compact", b"v1").unwrap(); // written with interval 3
    /// assert_eq!(FileStreamSourceLog::new(fs, "/s", 10).compact_interval().unwrap(), 3);
    /// ```
    pub fn compact_interval(&self) -> Result<i64> {
        self.log.interval()
    }

    /// The log directory, absolute.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::FileStreamSourceLog;
    /// # use streamlab_storage::MemoryStorage;
    /// assert_eq!(FileStreamSourceLog::new(Arc::new(MemoryStorage::new()), "cp/sources/0", 10).dir(), "/cp/sources/0");
    /// ```
    pub fn dir(&self) -> &str {
        self.log.store().dir()
    }
}

/// `HDFSMetadataLog.verifyBatchIds` for a non-empty range `start..=end`: the ids found (sorted)
/// must be exactly that range. Spark's texts, including its `don't  exist` double space.
fn verify_batch_ids(ids: &[i64], start: i64, end: i64) -> Result<()> {
    let range = |from: i64, to: i64| (from..=to).map(|i| i.to_string()).collect::<Vec<_>>().join(", ");
    let (Some(&min), Some(&max)) = (ids.first(), ids.last()) else {
        return Err(SparkError::illegal_state(format!("batch {start} doesn't exist")));
    };
    let bounds = format!("(startId: Some({start}), endId: Some({end}))");
    if min != start {
        return Err(SparkError::illegal_state(format!("batches ({}) don't exist {bounds}", range(start, min))));
    }
    if max != end {
        return Err(SparkError::illegal_state(format!("batches ({}) don't  exist {bounds}", range(max, end))));
    }
    let missing: Vec<String> =
        ids.windows(2).flat_map(|w| (w[0] + 1..w[1]).map(|i| i.to_string())).collect();
    if !missing.is_empty() {
        return Err(SparkError::illegal_state(format!("batches ({}) don't exist {bounds}", missing.join(", "))));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use streamlab_storage::MemoryStorage;

    #[test]
    fn kept_batches_read_as_their_files_do() {
        // The writer answers recent batches from memory; a fresh log reads the same files.
        let fs = Arc::new(MemoryStorage::new());
        let writer = FileStreamSourceLog::new(fs.clone(), "/cp/sources/0", 4);
        for id in 0..11 {
            let entries: Vec<SourceFileEntry> = (0..2)
                .map(|k| SourceFileEntry { path: format!("file:///in/{id}-{k}.json"), timestamp: id * 10 + k, batch_id: id })
                .collect();
            assert!(writer.add(id, &entries).unwrap());
            let reader = FileStreamSourceLog::new(fs.clone(), "/cp/sources/0", 4);
            for earlier in 0..=id {
                assert_eq!(writer.get(earlier).unwrap(), reader.get(earlier).unwrap(), "batch {earlier} after {id}");
            }
            assert_eq!(writer.get_range(None, id).unwrap(), reader.get_range(None, id).unwrap());
            assert_eq!(writer.latest_batch_id().unwrap(), Some(id));
        }
        assert!(fs.exists("/cp/sources/0/7.compact").unwrap());
        assert_eq!(writer.get(2).unwrap().unwrap()[1].path, "file:///in/2-1.json");
    }

    #[test]
    fn verify_messages() {
        assert!(verify_batch_ids(&[1, 2, 3], 1, 3).is_ok());
        assert_eq!(verify_batch_ids(&[], 4, 6).unwrap_err().to_string(), "batch 4 doesn't exist");
        assert_eq!(
            verify_batch_ids(&[3], 1, 3).unwrap_err().to_string(),
            "batches (1, 2, 3) don't exist (startId: Some(1), endId: Some(3))"
        );
        assert_eq!(
            verify_batch_ids(&[1], 1, 3).unwrap_err().to_string(),
            "batches (1, 2, 3) don't  exist (startId: Some(1), endId: Some(3))"
        );
        assert_eq!(
            verify_batch_ids(&[1, 4, 5], 1, 5).unwrap_err().to_string(),
            "batches (2, 3) don't exist (startId: Some(1), endId: Some(5))"
        );
    }
}
