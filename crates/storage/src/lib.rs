//! The file system under the engine.
//!
//! Spark talks to storage through Hadoop's `FileSystem`; StreamLab talks to it through
//! [`Storage`]. The browser keeps files in memory ([`MemoryStorage`]); the native build uses the
//! local disk ([`LocalStorage`], feature `local`). Paths are `/`-separated strings. Every
//! implementation resolves relative paths against its own working directory, and
//! [`Storage::absolute`] gives the normalized absolute form from which Spark's URIs
//! (`file:///…` in logs, `file:/…` in messages) are made.

mod memory;
mod path;
#[cfg(feature = "local")]
mod local;
#[cfg(feature = "local")]
mod write_behind;

pub use memory::MemoryStorage;
pub use path::{file_name, join, normalize, parent, uri};
#[cfg(feature = "local")]
pub use local::LocalStorage;
#[cfg(feature = "local")]
pub use write_behind::WriteBehind;

use streamlab_types::Result;

/// What a listing or a status call says about one file or directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStatus {
    /// Absolute, normalized path.
    pub path: String,
    /// Size in bytes (0 for directories).
    pub len: u64,
    /// Last modification time, milliseconds since the epoch.
    pub modification_time_ms: i64,
    /// Whether this is a directory.
    pub is_dir: bool,
}

impl FileStatus {
    /// The last path component.
    pub fn name(&self) -> &str {
        file_name(&self.path)
    }
}

/// A file system: what the engine needs of Hadoop's `FileSystem`, and no more.
///
/// Writes replace whole files; [`Storage::write_atomic`] is the temp-file-plus-rename Spark uses
/// for every log file, so a crash leaves either the old state or the new one.
///
/// ```
/// use streamlab_storage::{MemoryStorage, Storage};
/// let fs = MemoryStorage::new();
/// fs.write("/in/a.json", b"{}").unwrap();
/// assert_eq!(fs.read("/in/a.json").unwrap(), b"{}");
/// assert_eq!(fs.list("/in").unwrap()[0].name(), "a.json");
/// ```
pub trait Storage: Send + Sync + std::fmt::Debug {
    /// Normalized absolute form of `path` (relative paths resolve against the working directory).
    fn absolute(&self, path: &str) -> String;
    /// The direct children of directory `dir`, sorted by path. A missing directory is an error
    /// whose message is Spark's `[PATH_NOT_FOUND] Path does not exist: file:<abs>.`
    fn list(&self, dir: &str) -> Result<Vec<FileStatus>>;
    /// The status of `path`, or `None` when nothing is there.
    fn status(&self, path: &str) -> Result<Option<FileStatus>>;
    /// The whole content of file `path`.
    fn read(&self, path: &str) -> Result<Vec<u8>>;
    /// Creates or replaces file `path` (creating its parent directories).
    fn write(&self, path: &str, data: &[u8]) -> Result<()>;
    /// Moves `from` to `to`, replacing `to`; atomic on both implementations.
    fn rename(&self, from: &str, to: &str) -> Result<()>;
    /// Deletes a file, or a directory with everything under it. Deleting nothing is not an error.
    fn delete(&self, path: &str) -> Result<()>;
    /// Creates directory `path` and its parents.
    fn mkdirs(&self, path: &str) -> Result<()>;
    /// Sets a file's modification time (Hadoop `setTimes`), so tests and lessons can order files.
    fn set_modification_time(&self, path: &str, time_ms: i64) -> Result<()>;

    /// Names of the regular files directly in `dir` (no directories), sorted. Cheaper than
    /// [`Storage::list`] where the caller needs no sizes or times: checkpoint logs list their
    /// directory on every batch.
    fn list_file_names(&self, dir: &str) -> Result<Vec<String>> {
        Ok(self.list(dir)?.into_iter().filter(|s| !s.is_dir).map(|s| s.name().to_string()).collect())
    }

    /// Whether anything exists at `path`.
    fn exists(&self, path: &str) -> Result<bool> {
        Ok(self.status(path)?.is_some())
    }

    /// Waits until every write made so far is on the underlying medium. Stores that write
    /// synchronously have nothing to wait for; the native `WriteBehind` drains its queue.
    /// Call it before making writes visible to anyone reading the medium directly: another
    /// process, or a sink that writes beside the store (Kafka, `deltalake`).
    fn flush(&self) -> Result<()> {
        Ok(())
    }

    /// Writes `data` to a hidden temp file beside `path` (`.<name>.tmp`), then renames it into
    /// place; a failure removes the temp file.
    fn write_atomic(&self, path: &str, data: &[u8]) -> Result<()> {
        let abs = self.absolute(path);
        write_through_temp(self, &abs, &temp_path(&abs), data)
    }
}

/// The hidden temp file beside `abs` that [`Storage::write_atomic`] writes first.
pub(crate) fn temp_path(abs: &str) -> String {
    join(parent(abs), &format!(".{}.tmp", file_name(abs)))
}

/// Writes `data` to `tmp`, then renames it to `abs`; a failure removes `tmp`.
pub(crate) fn write_through_temp<S: Storage + ?Sized>(store: &S, abs: &str, tmp: &str, data: &[u8]) -> Result<()> {
    let result = store.write(tmp, data).and_then(|()| store.rename(tmp, abs));
    if result.is_err() {
        let _ = store.delete(tmp);
    }
    result
}

/// The error for reading a file that is not there (Hadoop's `FileNotFoundException` text).
#[cfg(feature = "local")]
pub(crate) fn missing_file(abs: &str) -> streamlab_types::SparkError {
    streamlab_types::SparkError::io(format!("File file:{abs} does not exist"))
}

/// Spark's error for a path that is not there.
pub(crate) fn path_not_found(abs: &str) -> streamlab_types::SparkError {
    streamlab_types::SparkError::analysis(format!("Path does not exist: file:{abs}."))
        .with_class("PATH_NOT_FOUND")
}
