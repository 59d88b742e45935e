//! The file sink's log (`<output>/_spark_metadata`): which part files each batch committed
//! (`FileStreamSinkLog`, `SinkFileStatus`).

use std::sync::Arc;

use serde::Deserialize;
use streamlab_storage::Storage;
use streamlab_types::{Result, SparkError};

use crate::compact::{CompactibleLog, CompactionSettings, LogEntry};
use crate::json::push_str;

/// Hadoop's block size for the local file system (`fs.local.block.size`, 32 MiB), which Spark
/// records for every part file.
///
/// ```
/// use streamlab_checkpoint::{SinkFileStatus, LOCAL_BLOCK_SIZE};
/// assert_eq!(SinkFileStatus::added("file:///o/p", 1, 1).block_size, LOCAL_BLOCK_SIZE);
/// ```
pub const LOCAL_BLOCK_SIZE: i64 = 33_554_432;

/// One file written by a file-sink batch (Spark's `SinkFileStatus`).
///
/// Readers of the output directory trust this log, not a listing, so half-written files of a
/// failed batch are never seen.
///
/// ```
/// use streamlab_checkpoint::SinkFileStatus;
/// let f = SinkFileStatus::added("file:///out/part-00000-x.c000.json", 10, 1700000000000);
/// assert_eq!(
///     f.to_json(),
///     r#"{"path":"file:///out/part-00000-x.c000.json","size":10,"isDir":false,"modificationTime":1700000000000,"blockReplication":1,"blockSize":33554432,"action":"add"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct SinkFileStatus {
    /// The file's URI (`file:///abs/path`, see [`crate::file_uri`]).
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
    /// Whether it is a directory (never, for files the sink writes).
    pub is_dir: bool,
    /// Its modification time (ms).
    pub modification_time: i64,
    /// Hadoop block replication (1 on the local file system).
    pub block_replication: i32,
    /// Hadoop block size ([`LOCAL_BLOCK_SIZE`] on the local file system).
    pub block_size: i64,
    /// `"add"` (the only action Spark 3.5 writes).
    pub action: String,
}

impl SinkFileStatus {
    /// The entry Spark logs for a part file just written on the local file system.
    ///
    /// ```
    /// use streamlab_checkpoint::SinkFileStatus;
    /// let f = SinkFileStatus::added("file:///out/p", 1, 2);
    /// assert_eq!((f.block_replication, f.action.as_str()), (1, "add"));
    /// ```
    pub fn added(path: impl Into<String>, size: u64, modification_time: i64) -> Self {
        SinkFileStatus {
            path: path.into(),
            size,
            is_dir: false,
            modification_time,
            block_replication: 1,
            block_size: LOCAL_BLOCK_SIZE,
            action: "add".into(),
        }
    }

    /// The JSON line Spark writes.
    ///
    /// ```
    /// use streamlab_checkpoint::SinkFileStatus;
    /// let f = SinkFileStatus::added("file:///out/p", 1, 2);
    /// assert_eq!(SinkFileStatus::from_json(&f.to_json()).unwrap(), f);
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"path\":");
        push_str(&mut out, &self.path);
        out.push_str(&format!(
            ",\"size\":{},\"isDir\":{},\"modificationTime\":{},\"blockReplication\":{},\"blockSize\":{},\"action\":",
            self.size, self.is_dir, self.modification_time, self.block_replication, self.block_size
        ));
        push_str(&mut out, &self.action);
        out.push('}');
        out
    }

    /// Parses a JSON line; every field is required, unknown ones ignored.
    ///
    /// ```
    /// use streamlab_checkpoint::SinkFileStatus;
    /// assert!(SinkFileStatus::from_json(r#"{"path":"file:///out/p","size":1}"#).is_err());
    /// ```
    pub fn from_json(json: &str) -> Result<Self> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Wire {
            path: String,
            size: u64,
            is_dir: bool,
            modification_time: i64,
            block_replication: i32,
            block_size: i64,
            action: String,
        }
        let w: Wire = serde_json::from_str(json)
            .map_err(|e| SparkError::illegal_state(format!("Invalid file sink log entry {json}: {e}")))?;
        Ok(SinkFileStatus {
            path: w.path,
            size: w.size,
            is_dir: w.is_dir,
            modification_time: w.modification_time,
            block_replication: w.block_replication,
            block_size: w.block_size,
            action: w.action,
        })
    }
}

impl LogEntry for SinkFileStatus {
    fn to_json(&self) -> String {
        SinkFileStatus::to_json(self)
    }
    fn from_json(json: &str) -> Result<Self> {
        SinkFileStatus::from_json(json)
    }
}

/// `<output>/_spark_metadata`: the file sink's commit log, one compactible log file per batch
/// (`spark.sql.streaming.fileSink.log.compactInterval`, default 10). A batch whose file
/// exists is committed: the sink skips it on replay, which makes the sink exactly-once.
///
/// ```
/// use std::sync::Arc;
/// use streamlab_checkpoint::{FileStreamSinkLog, SinkFileStatus};
/// use streamlab_storage::{MemoryStorage, Storage};
/// let fs = Arc::new(MemoryStorage::new());
/// let log = FileStreamSinkLog::new(fs.clone(), "/out/_spark_metadata", 10);
/// log.add(0, &[SinkFileStatus::added("file:///out/part-00000-a.c000.json", 3, 1)]).unwrap();
/// log.add(1, &[]).unwrap(); // a batch without rows still commits
/// assert_eq!(fs.read("/out/_spark_metadata/1").unwrap(), b"v1");
/// assert_eq!(log.latest_batch_id().unwrap(), Some(1));
/// assert_eq!(log.all_files().unwrap().len(), 1);
/// ```
#[derive(Debug)]
pub struct FileStreamSinkLog {
    log: CompactibleLog<SinkFileStatus>,
}

impl FileStreamSinkLog {
    /// The log in `dir` (normally `<output>/_spark_metadata`) with `compact_interval` as the
    /// configured interval.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::FileStreamSinkLog;
    /// # use streamlab_storage::MemoryStorage;
    /// let log = FileStreamSinkLog::new(Arc::new(MemoryStorage::new()), "/out/_spark_metadata", 10);
    /// assert_eq!(log.dir(), "/out/_spark_metadata");
    /// ```
    pub fn new(storage: Arc<dyn Storage>, dir: &str, compact_interval: i64) -> Self {
        let log = CompactibleLog::new(storage, dir, compact_interval, "spark.sql.streaming.fileSink.log.compactInterval");
        FileStreamSinkLog { log }
    }

    /// The same log with other retention settings.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::{CompactionSettings, FileStreamSinkLog};
    /// # use streamlab_storage::MemoryStorage;
    /// let off = CompactionSettings { deletion: false, ..Default::default() };
    /// let _log = FileStreamSinkLog::new(Arc::new(MemoryStorage::new()), "/o/_spark_metadata", 10).with_settings(off);
    /// ```
    pub fn with_settings(mut self, settings: CompactionSettings) -> Self {
        self.log.set_settings(settings);
        self
    }

    /// Commits batch `batch_id`'s files; `false` if the batch was already committed.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::FileStreamSinkLog;
    /// # use streamlab_storage::MemoryStorage;
    /// let log = FileStreamSinkLog::new(Arc::new(MemoryStorage::new()), "/o/_spark_metadata", 10);
    /// assert!(log.add(0, &[]).unwrap());
    /// assert!(!log.add(0, &[]).unwrap());
    /// ```
    pub fn add(&self, batch_id: i64, files: &[SinkFileStatus]) -> Result<bool> {
        self.log.add(batch_id, files)
    }

    /// The latest committed batch id.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::FileStreamSinkLog;
    /// # use streamlab_storage::MemoryStorage;
    /// let log = FileStreamSinkLog::new(Arc::new(MemoryStorage::new()), "/o/_spark_metadata", 10);
    /// assert_eq!(log.latest_batch_id().unwrap(), None);
    /// ```
    pub fn latest_batch_id(&self) -> Result<Option<i64>> {
        self.log.latest_batch_id()
    }

    /// Every committed file, oldest batch first: what a reader of the output directory sees.
    ///
    /// As in Spark 3.5 (`CompactibleFileStreamLog.allFiles`), entries are returned whatever
    /// their `action`: 3.5 no longer interprets `"delete"` (it never writes one; a hand-written
    /// `"delete"` entry is listed, and read, like an `"add"`, as observed with 3.5.9). Use
    /// [`FileStreamSinkLog::live_files`] for the pre-3.1 rule that hides deleted paths.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::{FileStreamSinkLog, SinkFileStatus};
    /// # use streamlab_storage::MemoryStorage;
    /// let log = FileStreamSinkLog::new(Arc::new(MemoryStorage::new()), "/o/_spark_metadata", 10);
    /// log.add(0, &[SinkFileStatus::added("file:///o/a", 1, 1)]).unwrap();
    /// let mut gone = SinkFileStatus::added("file:///o/a", 1, 1);
    /// gone.action = "delete".into();
    /// log.add(1, &[gone]).unwrap();
    /// assert_eq!(log.all_files().unwrap().len(), 2);
    /// assert_eq!(log.live_files().unwrap().len(), 0);
    /// ```
    pub fn all_files(&self) -> Result<Vec<SinkFileStatus>> {
        self.log.all()
    }

    /// [`FileStreamSinkLog::all_files`] without the paths that have a `"delete"` entry, and
    /// without the `"delete"` entries themselves (Spark ≤ 3.0's `compactLogs` rule).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::{FileStreamSinkLog, SinkFileStatus};
    /// # use streamlab_storage::MemoryStorage;
    /// let log = FileStreamSinkLog::new(Arc::new(MemoryStorage::new()), "/o/_spark_metadata", 10);
    /// log.add(0, &[SinkFileStatus::added("file:///o/a", 1, 1), SinkFileStatus::added("file:///o/b", 1, 1)]).unwrap();
    /// let paths: Vec<String> = log.live_files().unwrap().into_iter().map(|f| f.path).collect();
    /// assert_eq!(paths, ["file:///o/a", "file:///o/b"]);
    /// ```
    pub fn live_files(&self) -> Result<Vec<SinkFileStatus>> {
        let all = self.all_files()?;
        let deleted: std::collections::HashSet<String> =
            all.iter().filter(|f| f.action == "delete").map(|f| f.path.clone()).collect();
        Ok(all.into_iter().filter(|f| !deleted.contains(&f.path)).collect())
    }

    /// The compact interval in use.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::FileStreamSinkLog;
    /// # use streamlab_storage::MemoryStorage;
    /// assert_eq!(FileStreamSinkLog::new(Arc::new(MemoryStorage::new()), "/o/_spark_metadata", 10).compact_interval().unwrap(), 10);
    /// ```
    pub fn compact_interval(&self) -> Result<i64> {
        self.log.interval()
    }

    /// The log directory, absolute.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use streamlab_checkpoint::FileStreamSinkLog;
    /// # use streamlab_storage::MemoryStorage;
    /// assert_eq!(FileStreamSinkLog::new(Arc::new(MemoryStorage::new()), "o/_spark_metadata", 10).dir(), "/o/_spark_metadata");
    /// ```
    pub fn dir(&self) -> &str {
        self.log.store().dir()
    }
}
