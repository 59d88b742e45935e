//! The Crash button's mechanism: a file system that fails the next commit-log write, so the
//! running micro-batch dies after its sink wrote and before `commits/N` exists — the moment
//! where exactly-once matters.
//!
//! Restarting the query (re-running its cell) then replays batch N with the offsets logged in
//! `offsets/N`; the sink skips what it already committed, and the student can count the rows
//! to see that none was lost or duplicated.

use std::sync::atomic::{AtomicBool, Ordering};

use streamlab_storage::{file_name, parent, FileStatus, MemoryStorage, Storage};
use streamlab_types::{Result, SparkError};

/// A [`MemoryStorage`] with a crash switch.
///
/// ```
/// use streamlab_storage::Storage;
/// use streamlab_web::crash::CrashableStorage;
/// let fs = CrashableStorage::default();
/// fs.arm();
/// fs.write("/cp/offsets/0", b"v1").unwrap();                 // other files still work
/// assert!(fs.write_atomic("/cp/commits/0", b"v1").is_err()); // the commit dies once
/// assert!(!fs.is_armed());
/// fs.write_atomic("/cp/commits/0", b"v1").unwrap();          // and the restart commits
/// ```
#[derive(Debug, Default)]
pub struct CrashableStorage {
    files: MemoryStorage,
    armed: AtomicBool,
}

impl CrashableStorage {
    /// Makes the next write into a `commits` folder fail.
    pub fn arm(&self) {
        self.armed.store(true, Ordering::SeqCst);
    }

    /// Whether a crash is still pending.
    pub fn is_armed(&self) -> bool {
        self.armed.load(Ordering::SeqCst)
    }

    /// Fails (and disarms) when armed and `path` is in a commit log.
    fn crash_point(&self, path: &str) -> Result<()> {
        let abs = self.files.absolute(path);
        if file_name(parent(&abs)) == "commits" && self.armed.swap(false, Ordering::SeqCst) {
            return Err(SparkError::io(format!("Simulated crash (StreamLab's Crash button) while writing {abs}")));
        }
        Ok(())
    }
}

impl Storage for CrashableStorage {
    fn absolute(&self, path: &str) -> String {
        self.files.absolute(path)
    }
    fn list(&self, dir: &str) -> Result<Vec<FileStatus>> {
        self.files.list(dir)
    }
    fn status(&self, path: &str) -> Result<Option<FileStatus>> {
        self.files.status(path)
    }
    fn read(&self, path: &str) -> Result<Vec<u8>> {
        self.files.read(path)
    }
    fn write(&self, path: &str, data: &[u8]) -> Result<()> {
        self.crash_point(path)?;
        self.files.write(path, data)
    }
    fn rename(&self, from: &str, to: &str) -> Result<()> {
        self.files.rename(from, to)
    }
    fn delete(&self, path: &str) -> Result<()> {
        self.files.delete(path)
    }
    fn mkdirs(&self, path: &str) -> Result<()> {
        self.files.mkdirs(path)
    }
    fn set_modification_time(&self, path: &str, time_ms: i64) -> Result<()> {
        self.files.set_modification_time(path, time_ms)
    }
    fn list_file_names(&self, dir: &str) -> Result<Vec<String>> {
        self.files.list_file_names(dir)
    }
}
