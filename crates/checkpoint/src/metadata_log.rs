//! `HDFSMetadataLog`: one file per batch id, the base of the offset and commit logs.

use std::sync::Arc;

use streamlab_storage::Storage;
use streamlab_types::{Result, SparkError};

use crate::store::{batch_id_of, LogStore};
use crate::text::{decode, read_error, validate_version};

/// A directory holding one file per batch id (`<dir>/0`, `<dir>/1`, …), each `v1\n<body>`.
///
/// This is Spark's `HDFSMetadataLog`, the write-ahead log every checkpoint is made of: a batch's
/// file is written once, atomically (temp file + rename, with a Hadoop `.<id>.crc` beside it),
/// and never overwritten, so a restarted query finds exactly what the crashed one decided.
/// Sources with a small private log (the rate source's start time) use it directly; the offset
/// and commit logs are typed wrappers ([`crate::OffsetSeqLog`], [`crate::CommitLog`]).
///
/// Listing ignores everything that is not a plain batch number (`.0.crc`, `.0.tmp`, `x`).
///
/// ```
/// use std::sync::Arc;
/// use streamlab_checkpoint::MetadataLog;
/// use streamlab_storage::{MemoryStorage, Storage};
/// let fs = Arc::new(MemoryStorage::new());
/// let log = MetadataLog::new(fs.clone(), "/cp/sources/0");
/// assert!(log.add(0, "1700000000000").unwrap());
/// assert!(!log.add(0, "42").unwrap()); // batch 0 is already written: kept as it was
/// assert_eq!(fs.read("/cp/sources/0/0").unwrap(), b"v1\n1700000000000");
/// assert_eq!(log.get(0).unwrap().as_deref(), Some("1700000000000"));
/// ```
#[derive(Debug, Clone)]
pub struct MetadataLog {
    store: LogStore,
}

impl MetadataLog {
    /// The log in directory `dir` (created now if missing, as Spark does when it opens a log).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::MetadataLog;
    /// # use streamlab_storage::{MemoryStorage, Storage};
    /// let fs = Arc::new(MemoryStorage::new());
    /// let _log = MetadataLog::new(fs.clone(), "/cp/sources/0");
    /// assert!(fs.status("/cp/sources/0").unwrap().unwrap().is_dir);
    /// ```
    pub fn new(storage: Arc<dyn Storage>, dir: &str) -> Self {
        MetadataLog { store: LogStore::new(storage, dir) }
    }

    /// Writes batch `batch_id` as `v1\n<body>`; `false` (and nothing written) if it exists.
    ///
    /// A `false` is how Spark notices a second query writing the same checkpoint; an existing
    /// file that cannot be read is an error, as in Spark (`add` reads the batch first).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::MetadataLog;
    /// # use streamlab_storage::MemoryStorage;
    /// let log = MetadataLog::new(Arc::new(MemoryStorage::new()), "/log");
    /// assert!(log.add(3, "a\nb").unwrap());
    /// assert!(!log.add(3, "c").unwrap());
    /// ```
    pub fn add(&self, batch_id: i64, body: &str) -> Result<bool> {
        if self.get(batch_id)?.is_some() {
            return Ok(false);
        }
        self.add_text(batch_id, &format!("v1\n{body}"))
    }

    /// The body of batch `batch_id` (everything after the `v1` line), or `None` if not written.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::MetadataLog;
    /// # use streamlab_storage::{MemoryStorage, Storage};
    /// let fs = Arc::new(MemoryStorage::new());
    /// let log = MetadataLog::new(fs.clone(), "/log");
    /// assert_eq!(log.get(0).unwrap(), None);
    /// fs.write("/log/0", b"v2\n{}").unwrap(); // written by a newer Spark
    /// assert!(log.get(0).unwrap_err().to_string().contains("maximum supported log version is v1"));
    /// ```
    pub fn get(&self, batch_id: i64) -> Result<Option<String>> {
        let Some((path, text)) = self.get_text(batch_id)? else { return Ok(None) };
        let (first, body) = split_first_line(&text);
        if first.is_empty() && body.is_none() {
            return Err(read_error(&path, "Incomplete log file"));
        }
        validate_version(first, 1).map_err(|m| read_error(&path, m))?;
        Ok(Some(body.unwrap_or("").to_string()))
    }

    /// The highest batch id and its body, or `None` for an empty log.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::MetadataLog;
    /// # use streamlab_storage::MemoryStorage;
    /// let log = MetadataLog::new(Arc::new(MemoryStorage::new()), "/log");
    /// assert_eq!(log.latest().unwrap(), None);
    /// log.add(0, "a").unwrap();
    /// log.add(1, "b").unwrap();
    /// assert_eq!(log.latest().unwrap(), Some((1, "b".to_string())));
    /// ```
    pub fn latest(&self) -> Result<Option<(i64, String)>> {
        let Some(id) = self.latest_batch_id()? else { return Ok(None) };
        match self.get(id)? {
            Some(body) => Ok(Some((id, body))),
            None => Err(SparkError::illegal_state(format!("failed to read log file for batch {id}"))),
        }
    }

    /// The highest batch id present, without reading any file (`getLatestBatchId`).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::MetadataLog;
    /// # use streamlab_storage::MemoryStorage;
    /// let log = MetadataLog::new(Arc::new(MemoryStorage::new()), "/log");
    /// log.add(4, "x").unwrap();
    /// assert_eq!(log.latest_batch_id().unwrap(), Some(4));
    /// ```
    pub fn latest_batch_id(&self) -> Result<Option<i64>> {
        Ok(self.batch_ids()?.last().copied())
    }

    /// Every batch id present, ascending.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::MetadataLog;
    /// # use streamlab_storage::{MemoryStorage, Storage};
    /// let fs = Arc::new(MemoryStorage::new());
    /// let log = MetadataLog::new(fs.clone(), "/log");
    /// for id in [10, 2, 9] { log.add(id, "").unwrap(); }
    /// fs.write("/log/notes.txt", b"ignored").unwrap();
    /// assert_eq!(log.batch_ids().unwrap(), vec![2, 9, 10]);
    /// ```
    pub fn batch_ids(&self) -> Result<Vec<i64>> {
        let mut ids: Vec<i64> = self.store.file_names()?.iter().filter_map(|f| batch_id_of(f, None)).collect();
        ids.sort_unstable();
        Ok(ids)
    }

    /// Deletes every batch below `threshold` (and its `.crc`), as Spark does to keep only the
    /// last `spark.sql.streaming.minBatchesToRetain` (100) offsets and commits.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::MetadataLog;
    /// # use streamlab_storage::MemoryStorage;
    /// let log = MetadataLog::new(Arc::new(MemoryStorage::new()), "/log");
    /// for id in 0..5 { log.add(id, "").unwrap(); }
    /// log.purge(3).unwrap();
    /// assert_eq!(log.batch_ids().unwrap(), vec![3, 4]);
    /// ```
    pub fn purge(&self, threshold: i64) -> Result<()> {
        for id in self.batch_ids()? {
            if id < threshold {
                self.store.delete(&id.to_string())?;
            }
        }
        Ok(())
    }

    /// The directory, absolute.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::MetadataLog;
    /// # use streamlab_storage::MemoryStorage;
    /// let log = MetadataLog::new(Arc::new(MemoryStorage::new()), "cp/offsets");
    /// assert_eq!(log.dir(), "/cp/offsets");
    /// ```
    pub fn dir(&self) -> &str {
        self.store.dir()
    }

    /// The whole text of batch `batch_id` with the file's absolute path, for typed logs.
    pub(crate) fn get_text(&self, batch_id: i64) -> Result<Option<(String, String)>> {
        if batch_id < 0 {
            return Ok(None);
        }
        let name = batch_id.to_string();
        let path = self.store.path(&name);
        match self.store.read(&name)? {
            None => Ok(None),
            Some(bytes) => Ok(Some((path.clone(), decode(&path, &bytes)?.to_string()))),
        }
    }

    /// Writes the whole text of a new batch; a lost race is Spark's concurrent-update error.
    pub(crate) fn add_text(&self, batch_id: i64, text: &str) -> Result<bool> {
        if batch_id < 0 {
            return Err(SparkError::illegal_argument(format!("Invalid batch id {batch_id}: must not be negative")));
        }
        if self.store.create(&batch_id.to_string(), text.as_bytes())? {
            Ok(true)
        } else {
            Err(concurrent_update(self.store.dir()))
        }
    }
}

/// `[CONCURRENT_STREAM_LOG_UPDATE]`: another writer created the same batch file meanwhile.
pub(crate) fn concurrent_update(what: &str) -> SparkError {
    SparkError::runtime(format!(
        "Concurrent update to the log. Multiple streaming jobs detected for {what}.\nPlease make sure only one \
         streaming job runs on a specific checkpoint location at a time."
    ))
    .with_class("CONCURRENT_STREAM_LOG_UPDATE")
}

/// The first line and, if there is a line terminator, everything after it.
fn split_first_line(text: &str) -> (&str, Option<&str>) {
    match text.find(['\n', '\r']) {
        None => (text, None),
        Some(i) => {
            let skip = if text[i..].starts_with("\r\n") { 2 } else { 1 };
            (&text[..i], Some(&text[i + skip..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use streamlab_storage::MemoryStorage;

    fn log() -> (Arc<MemoryStorage>, MetadataLog) {
        let fs = Arc::new(MemoryStorage::new());
        let log = MetadataLog::new(fs.clone(), "/log");
        (fs, log)
    }

    #[test]
    fn corrupt_files_are_errors_not_panics() {
        let (fs, log) = log();
        for (bytes, msg) in [
            (&b""[..], "Failed to read log file file:/log/0. Incomplete log file"),
            (b"xyz\nabc", "Failed to read log file file:/log/0. Log file was malformed: failed to read correct log version from xyz."),
            (b"v1\n\xff", "Failed to read log file file:/log/0. The file is not valid UTF-8"),
        ] {
            fs.write("/log/0", bytes).unwrap();
            let e = log.get(0).unwrap_err();
            assert!(e.to_string().starts_with(msg), "{e}");
            assert!(log.add(0, "x").is_err());
            assert!(log.latest().is_err());
        }
    }

    #[test]
    fn body_may_be_empty_or_multiline() {
        let (fs, log) = log();
        fs.write("/log/0", b"v1").unwrap();
        assert_eq!(log.get(0).unwrap().as_deref(), Some(""));
        log.add(1, "a\nb").unwrap();
        assert_eq!(log.get(1).unwrap().as_deref(), Some("a\nb"));
        fs.write("/log/2", b"v1\r\nz").unwrap();
        assert_eq!(log.get(2).unwrap().as_deref(), Some("z"));
    }

    #[test]
    fn negative_and_directory_batches() {
        let (fs, log) = log();
        assert_eq!(log.get(-1).unwrap(), None);
        assert!(log.add(-1, "x").is_err());
        fs.mkdirs("/log/5").unwrap();
        assert!(log.get(5).is_err());
        assert_eq!(log.batch_ids().unwrap(), Vec::<i64>::new());
    }

    #[test]
    fn purge_removes_checksums_too() {
        let (fs, log) = log();
        log.add(0, "a").unwrap();
        log.add(1, "b").unwrap();
        log.purge(1).unwrap();
        let names: Vec<String> = fs.list("/log").unwrap().iter().map(|s| s.name().to_string()).collect();
        assert_eq!(names, vec![".1.crc", "1"]);
    }

    #[test]
    fn missing_directory_lists_as_empty() {
        let (fs, log) = log();
        fs.delete("/log").unwrap();
        assert_eq!(log.latest().unwrap(), None);
    }
}
