//! A Delta table's log over a [`Storage`]: listing its commits, replaying them into a
//! [`Snapshot`], and committing a new version atomically.
//!
//! StreamLab replays the JSON commits from version 0 and writes no checkpoint parquet files
//! (`_delta_log/*.checkpoint.parquet`); a log whose early commits were cleaned up after
//! another engine checkpointed it cannot be read here, and says so.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::datatypes::SchemaRef;
use streamlab_storage::{join, Storage};
use streamlab_types::{Result, SparkError};

use super::errors::{not_a_delta_table, unsupported_features};
use super::log::{commit_file_name, commit_text, commit_version, parse_commit, Action, AddFile, Metadata, Protocol};
use super::schema::parse_schema_string;

/// The log directory under a table's root.
pub const LOG_DIR: &str = "_delta_log";

/// Reader table features StreamLab honours (it reads the data files as they are).
const READER_FEATURES: &[&str] = &["timestampNtz"];
/// Writer table features StreamLab's writes respect.
const WRITER_FEATURES: &[&str] = &["timestampNtz", "appendOnly", "invariants"];

/// The log of the Delta table at `root`.
///
/// ```
/// use std::sync::Arc;
/// use streamlab_engine::delta::DeltaLog;
/// use streamlab_storage::{MemoryStorage, Storage};
/// let fs = Arc::new(MemoryStorage::new());
/// let log = DeltaLog::new(fs.clone(), "/t");
/// assert_eq!(log.latest_version().unwrap(), None);
/// fs.write("/t/_delta_log/00000000000000000000.json", b"{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n").unwrap();
/// assert_eq!(log.latest_version().unwrap(), Some(0));
/// ```
#[derive(Debug, Clone)]
pub struct DeltaLog {
    storage: Arc<dyn Storage>,
    root: String,
}

impl DeltaLog {
    /// The log of the table at `root` (made absolute).
    pub fn new(storage: Arc<dyn Storage>, root: &str) -> Self {
        let root = storage.absolute(root);
        DeltaLog { storage, root }
    }

    /// The table's root directory (absolute).
    pub fn root(&self) -> &str {
        &self.root
    }

    /// The storage the table lives on.
    pub fn storage(&self) -> &Arc<dyn Storage> {
        &self.storage
    }

    fn log_dir(&self) -> String {
        join(&self.root, LOG_DIR)
    }

    /// Versions of the commit files present, ascending.
    fn versions(&self) -> Result<Vec<i64>> {
        let dir = self.log_dir();
        if !self.storage.exists(&dir)? {
            return Ok(Vec::new());
        }
        let mut versions: Vec<i64> = self.storage.list_file_names(&dir)?.iter().filter_map(|n| commit_version(n)).collect();
        versions.sort_unstable();
        Ok(versions)
    }

    /// The latest committed version, `None` when the path holds no Delta table.
    pub fn latest_version(&self) -> Result<Option<i64>> {
        Ok(self.versions()?.last().copied())
    }

    /// Replays the log into the latest snapshot; `None` when there is no table.
    pub fn snapshot(&self) -> Result<Option<Snapshot>> {
        let versions = self.versions()?;
        let Some(&latest) = versions.last() else { return Ok(None) };
        if versions.first() != Some(&0) || versions.len() as i64 != latest + 1 {
            let listed: Vec<String> = versions.iter().map(i64::to_string).collect();
            return Err(SparkError::runtime(format!(
                "Versions ({}) are not contiguous. StreamLab replays a Delta log from its JSON commits starting at version 0 and does not read checkpoint files.",
                listed.join(", ")
            ))
            .with_class("DELTA_VERSIONS_NOT_CONTIGUOUS"));
        }
        let mut replay = Replay::default();
        for version in versions {
            let name = commit_file_name(version);
            let path = join(&self.log_dir(), &name);
            let text = String::from_utf8(self.storage.read(&path)?)
                .map_err(|_| SparkError::runtime(format!("Cannot parse the Delta log file {name}: not UTF-8")))?;
            for action in parse_commit(&text, &name)? {
                replay.apply(action);
            }
        }
        replay.finish(latest, &self.root).map(Some)
    }

    /// The latest snapshot, or Delta's `DELTA_MISSING_DELTA_TABLE` when there is none.
    pub fn require_snapshot(&self) -> Result<Snapshot> {
        self.snapshot()?.ok_or_else(|| not_a_delta_table(&self.root))
    }

    /// Writes commit `version` atomically and only if it does not exist yet (Delta's
    /// put-if-absent). Returns `false`, writing nothing, when the version is already there:
    /// another writer won it.
    pub fn try_commit(&self, version: i64, actions: &[Action]) -> Result<bool> {
        let path = join(&self.log_dir(), &commit_file_name(version));
        if self.storage.exists(&path)? {
            return Ok(false);
        }
        self.storage.write_atomic(&path, commit_text(actions)?.as_bytes())?;
        Ok(true)
    }
}

/// What the replay of a log gives: the table as of one version.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The version replayed up to.
    pub version: i64,
    /// The latest `protocol`.
    pub protocol: Protocol,
    /// The latest `metaData`.
    pub metadata: Metadata,
    /// The table's schema (from `metadata.schemaString`).
    pub schema: SchemaRef,
    files: Vec<AddFile>,
    app_versions: HashMap<String, i64>,
}

impl Snapshot {
    /// The live data files (added and not removed since), oldest first.
    pub fn files(&self) -> &[AddFile] {
        &self.files
    }

    /// The latest `txn` version of application `app_id` (a streaming query's last batch).
    pub fn app_version(&self, app_id: &str) -> Option<i64> {
        self.app_versions.get(app_id).copied()
    }

    /// Refuses tables whose protocol needs table features StreamLab cannot honour when
    /// reading (deletion vectors, column mapping, …).
    pub fn check_readable(&self) -> Result<()> {
        let mapped = self.metadata.configuration.get("delta.columnMapping.mode").and_then(|m| m.as_deref());
        if mapped.is_some_and(|m| m != "none") {
            return Err(unsupported_features("read", &["columnMapping".to_string()]));
        }
        let p = &self.protocol;
        if p.min_reader_version > 3 {
            return Err(unsupported_features("read", &[format!("minReaderVersion {}", p.min_reader_version)]));
        }
        let unknown: Vec<String> = p.reader_features.iter().flatten().filter(|f| !READER_FEATURES.contains(&f.as_str())).cloned().collect();
        if !unknown.is_empty() {
            return Err(unsupported_features("read", &unknown));
        }
        Ok(())
    }

    /// Refuses tables whose protocol asks writers for more than StreamLab does.
    pub fn check_writable(&self) -> Result<()> {
        self.check_readable()?;
        let p = &self.protocol;
        if (3..7).contains(&p.min_writer_version) || p.min_writer_version > 7 {
            return Err(unsupported_features("write", &[format!("minWriterVersion {}", p.min_writer_version)]));
        }
        let unknown: Vec<String> = p.writer_features.iter().flatten().filter(|f| !WRITER_FEATURES.contains(&f.as_str())).cloned().collect();
        if !unknown.is_empty() {
            return Err(unsupported_features("write", &unknown));
        }
        Ok(())
    }
}

/// The state accumulated while replaying commits in order.
#[derive(Default)]
struct Replay {
    protocol: Option<Protocol>,
    metadata: Option<Metadata>,
    /// Live files by path, with the order they were added in.
    files: HashMap<String, (usize, AddFile)>,
    added: usize,
    app_versions: HashMap<String, i64>,
}

impl Replay {
    fn apply(&mut self, action: Action) {
        match action {
            Action::CommitInfo(_) => {}
            Action::Protocol(p) => self.protocol = Some(p),
            Action::Metadata(m) => self.metadata = Some(m),
            Action::Txn(t) => {
                self.app_versions.insert(t.app_id, t.version);
            }
            Action::Remove(r) => {
                self.files.remove(&r.path);
            }
            Action::Add(a) => {
                self.added += 1;
                self.files.insert(a.path.clone(), (self.added, a));
            }
        }
    }

    fn finish(self, version: i64, root: &str) -> Result<Snapshot> {
        let state_missing = |what: &str| {
            SparkError::runtime(format!(
                "The {what} of your Delta table could not be recovered while Reconstructing\nversion: {version}. Did you manually delete files in the _delta_log directory?"
            ))
            .with_class("DELTA_STATE_RECOVER_ERROR")
        };
        let protocol = self.protocol.ok_or_else(|| state_missing("protocol"))?;
        let metadata = self.metadata.ok_or_else(|| state_missing("metadata"))?;
        let schema = parse_schema_string(&metadata.schema_string)
            .map_err(|e| SparkError::runtime(format!("{} (table {root})", e.message)))?;
        let mut files: Vec<(usize, AddFile)> = self.files.into_values().collect();
        files.sort_by_key(|(order, _)| *order);
        Ok(Snapshot {
            version,
            protocol,
            metadata,
            schema,
            files: files.into_iter().map(|(_, f)| f).collect(),
            app_versions: self.app_versions,
        })
    }
}
