//! The local disk, for the native CLI. OS calls live here and nowhere else in the engine's stack.

use std::fs;
use std::io::ErrorKind as IoKind;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use streamlab_types::{Result, SparkError};

use crate::path::{join, normalize};
use crate::{path_not_found, FileStatus, Storage};

/// The local file system, with relative paths resolved against a working directory.
///
/// ```
/// use streamlab_storage::{LocalStorage, Storage};
/// let dir = tempfile::tempdir().unwrap();
/// let fs = LocalStorage::new(dir.path().to_str().unwrap());
/// fs.write("out/x.txt", b"hi").unwrap();
/// assert_eq!(fs.read("out/x.txt").unwrap(), b"hi");
/// ```
#[derive(Debug, Clone)]
pub struct LocalStorage {
    cwd: String,
}

impl LocalStorage {
    /// A store rooted at working directory `cwd` (an absolute path).
    pub fn new(cwd: &str) -> Self {
        LocalStorage { cwd: normalize(cwd) }
    }

    /// A store whose working directory is the process's.
    pub fn current_dir() -> Result<Self> {
        let cwd = std::env::current_dir().map_err(io_error)?;
        Ok(Self::new(&cwd.to_string_lossy()))
    }

    fn os_path(&self, path: &str) -> PathBuf {
        PathBuf::from(self.absolute(path))
    }
}

fn io_error(e: std::io::Error) -> SparkError {
    SparkError::io(e.to_string())
}

fn millis(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_millis() as i64,
        Err(e) => -(e.duration().as_millis() as i64),
    }
}

fn status_of(abs: String, meta: &fs::Metadata) -> FileStatus {
    FileStatus {
        len: if meta.is_dir() { 0 } else { meta.len() },
        modification_time_ms: meta.modified().map(millis).unwrap_or(0),
        is_dir: meta.is_dir(),
        path: abs,
    }
}

impl Storage for LocalStorage {
    fn absolute(&self, path: &str) -> String {
        join(&self.cwd, path)
    }

    fn list(&self, dir: &str) -> Result<Vec<FileStatus>> {
        let abs = self.absolute(dir);
        let meta = match fs::metadata(&abs) {
            Ok(m) => m,
            Err(e) if e.kind() == IoKind::NotFound => return Err(path_not_found(&abs)),
            Err(e) => return Err(io_error(e)),
        };
        if !meta.is_dir() {
            return Ok(vec![status_of(abs, &meta)]);
        }
        let mut out = Vec::new();
        for entry in fs::read_dir(&abs).map_err(io_error)? {
            let entry = entry.map_err(io_error)?;
            let child = join(&abs, &entry.file_name().to_string_lossy());
            // A file deleted between read_dir and metadata is simply no longer listed.
            if let Ok(meta) = fs::metadata(&child) {
                out.push(status_of(child, &meta));
            }
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    fn list_file_names(&self, dir: &str) -> Result<Vec<String>> {
        let abs = self.absolute(dir);
        let entries = match fs::read_dir(&abs) {
            Ok(entries) => entries,
            Err(e) if e.kind() == IoKind::NotFound => return Err(path_not_found(&abs)),
            Err(e) => return Err(io_error(e)),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(io_error)?;
            // The directory entry's type needs no extra system call on common file systems.
            if entry.file_type().map_err(io_error)?.is_file() {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
        names.sort();
        Ok(names)
    }

    fn status(&self, path: &str) -> Result<Option<FileStatus>> {
        let abs = self.absolute(path);
        match fs::metadata(&abs) {
            Ok(meta) => Ok(Some(status_of(abs, &meta))),
            Err(e) if e.kind() == IoKind::NotFound => Ok(None),
            Err(e) => Err(io_error(e)),
        }
    }

    fn read(&self, path: &str) -> Result<Vec<u8>> {
        let abs = self.absolute(path);
        fs::read(&abs).map_err(|e| match e.kind() {
            IoKind::NotFound => crate::missing_file(&abs),
            _ => io_error(e),
        })
    }

    fn write(&self, path: &str, data: &[u8]) -> Result<()> {
        let p = self.os_path(path);
        // The parent usually exists: try first, create directories only when it does not.
        match fs::write(&p, data) {
            Err(e) if e.kind() == IoKind::NotFound => {
                if let Some(dir) = p.parent() {
                    fs::create_dir_all(dir).map_err(io_error)?;
                }
                fs::write(&p, data).map_err(io_error)
            }
            other => other.map_err(io_error),
        }
    }

    fn rename(&self, from: &str, to: &str) -> Result<()> {
        let (from, to) = (self.os_path(from), self.os_path(to));
        match fs::rename(&from, &to) {
            Err(e) if e.kind() == IoKind::NotFound && from.exists() => {
                if let Some(dir) = to.parent() {
                    fs::create_dir_all(dir).map_err(io_error)?;
                }
                fs::rename(&from, &to).map_err(io_error)
            }
            other => other.map_err(io_error),
        }
    }

    fn delete(&self, path: &str) -> Result<()> {
        let p = self.os_path(path);
        // Most deletes are of plain files (old log files): one system call, and a look at what
        // is there only when that fails.
        let result = match fs::remove_file(&p) {
            Err(e) if e.kind() == IoKind::NotFound => Ok(()),
            Err(e) => match fs::symlink_metadata(&p) {
                Ok(m) if m.is_dir() => fs::remove_dir_all(&p),
                Err(gone) if gone.kind() == IoKind::NotFound => Ok(()),
                _ => Err(e),
            },
            Ok(()) => Ok(()),
        };
        result.map_err(io_error)
    }

    fn mkdirs(&self, path: &str) -> Result<()> {
        fs::create_dir_all(self.os_path(path)).map_err(io_error)
    }

    fn set_modification_time(&self, path: &str, time_ms: i64) -> Result<()> {
        let file = fs::File::options().write(true).open(self.os_path(path)).map_err(io_error)?;
        let t = if time_ms >= 0 {
            UNIX_EPOCH + Duration::from_millis(time_ms as u64)
        } else {
            UNIX_EPOCH - Duration::from_millis(time_ms.unsigned_abs())
        };
        file.set_modified(t).map_err(io_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_round_trip_listing_and_mtime() {
        let dir = tempfile::tempdir().unwrap();
        let fs = LocalStorage::new(dir.path().to_str().unwrap());
        fs.write("in/b.json", b"b").unwrap();
        fs.write("in/a.json", b"a").unwrap();
        fs.set_modification_time("in/a.json", 1_700_000_000_000).unwrap();
        let listing = fs.list("in").unwrap();
        assert_eq!(listing.len(), 2);
        assert_eq!(listing[0].name(), "a.json");
        assert_eq!(listing[0].modification_time_ms, 1_700_000_000_000);
        fs.write_atomic("cp/offsets/0", b"v1").unwrap();
        fs.mkdirs("cp/offsets/sub").unwrap();
        assert_eq!(fs.list("cp/offsets").unwrap().len(), 2);
        assert_eq!(fs.list_file_names("cp/offsets").unwrap(), ["0"]);
        fs.delete("cp").unwrap();
        assert!(!fs.exists("cp").unwrap());
        fs.rename("in/b.json", "moved/deep/b.json").unwrap();
        assert_eq!(fs.read("moved/deep/b.json").unwrap(), b"b");
        assert!(fs.rename("in/none.json", "moved/x").is_err());
        let err = fs.list("missing").unwrap_err();
        assert_eq!(err.error_class.as_deref(), Some("PATH_NOT_FOUND"));
    }
}
