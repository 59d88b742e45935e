//! One log directory on a [`Storage`]: Hadoop-style file operations shared by every log.
//!
//! Writes follow `CheckpointFileManager.createAtomic(path, overwriteIfPossible = false)` on a
//! checksummed file system: the data goes to a hidden temp file, renamed into place only if no
//! file of that name exists yet, and its `.crc` follows (see [`create_file`]).

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use streamlab_storage::{file_name, join, Storage};
use streamlab_types::{Result, SparkError};

use crate::crc::{checksum_file, crc_path};

/// A directory of log files.
///
/// The directory belongs to the query while it runs (Spark's single-writer rule for a
/// checkpoint), so the store lists it once and then keeps the names current through its own
/// creates and deletes: finding the latest batch no longer lists a directory that grows by two
/// files per batch, which made a long run quadratic in its batch count. Clones share the names.
#[derive(Debug, Clone)]
pub(crate) struct LogStore {
    storage: Arc<dyn Storage>,
    dir: String,
    /// The directory's plain file names, once listed.
    names: Arc<Mutex<Option<BTreeSet<String>>>>,
}

impl LogStore {
    /// The log in `dir`, created if missing (as `HDFSMetadataLog`'s constructor does). A failure
    /// to create it is left for the first read or write to report.
    pub(crate) fn new(storage: Arc<dyn Storage>, dir: &str) -> Self {
        let dir = storage.absolute(dir);
        if !matches!(storage.exists(&dir), Ok(true)) {
            let _ = storage.mkdirs(&dir);
        }
        LogStore { storage, dir, names: Arc::default() }
    }

    /// Applies `change` to the known names, if they are known yet.
    fn update_names(&self, change: impl FnOnce(&mut BTreeSet<String>)) {
        if let Some(names) = self.names.lock().unwrap_or_else(|p| p.into_inner()).as_mut() {
            change(names);
        }
    }

    /// The absolute directory.
    pub(crate) fn dir(&self) -> &str {
        &self.dir
    }

    /// The absolute path of file `name` in the log.
    pub(crate) fn path(&self, name: &str) -> String {
        join(&self.dir, name)
    }

    /// The bytes of file `name`, or `None` when it does not exist. Once the names are known, a
    /// name not among them is answered without asking the storage: every batch checks that its
    /// file is not there yet before writing it.
    pub(crate) fn read(&self, name: &str) -> Result<Option<Vec<u8>>> {
        let known_missing = self.names.lock().unwrap_or_else(|p| p.into_inner()).as_ref().is_some_and(|n| !n.contains(name));
        if known_missing {
            return Ok(None);
        }
        let path = self.path(name);
        match self.storage.status(&path)? {
            None => Ok(None),
            Some(s) if s.is_dir => Err(SparkError::io(format!("{path} is a directory, not a log file"))),
            Some(_) => self.storage.read(&path).map(Some),
        }
    }

    /// The modification time of file `name`, if it exists.
    pub(crate) fn modification_time(&self, name: &str) -> Result<Option<i64>> {
        Ok(self.storage.status(&self.path(name))?.map(|s| s.modification_time_ms))
    }

    /// Writes file `name` (and its `.crc`) atomically; `false` when it already exists.
    pub(crate) fn create(&self, name: &str, data: &[u8]) -> Result<bool> {
        let path = self.path(name);
        let created = create_file(&*self.storage, &path, data)?;
        if created {
            let crc = file_name(&crc_path(&path)).to_string();
            self.update_names(|names| {
                names.insert(name.to_string());
                names.insert(crc);
            });
        } else {
            // Already there: written by an earlier run, which a listing would show.
            self.update_names(|names| {
                names.insert(name.to_string());
            });
        }
        Ok(created)
    }

    /// Deletes file `name` and its `.crc` (deleting nothing is fine).
    pub(crate) fn delete(&self, name: &str) -> Result<()> {
        let path = self.path(name);
        self.storage.delete(&path)?;
        let crc = crc_path(&path);
        self.storage.delete(&crc)?;
        self.update_names(|names| {
            names.remove(name);
            names.remove(file_name(&crc));
        });
        Ok(())
    }

    /// The names of the directory's plain files (none when it does not exist).
    pub(crate) fn file_names(&self) -> Result<Vec<String>> {
        self.with_file_names(|names| names.iter().cloned().collect())
    }

    /// Runs `f` on the names of the directory's plain files (none when it does not exist),
    /// without copying them: logs look for their latest batch on every batch.
    pub(crate) fn with_file_names<R>(&self, f: impl FnOnce(&BTreeSet<String>) -> R) -> Result<R> {
        let mut known = self.names.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(names) = known.as_ref() {
            return Ok(f(names));
        }
        if !self.storage.exists(&self.dir)? {
            return Ok(f(&BTreeSet::new()));
        }
        let listed: BTreeSet<String> = self.storage.list_file_names(&self.dir)?.into_iter().collect();
        Ok(f(known.insert(listed)))
    }
}

/// Writes `path` atomically without overwriting (`createAtomic(path, overwriteIfPossible =
/// false)`), then its `.crc`: the data goes to a hidden temp file renamed into place
/// ([`Storage::write_atomic`]) if nothing is at `path` just before. `false` when something is.
///
/// The checksum file is written straight to its final name once the data is in place, where
/// Hadoop stages it as a second temp file and renames it after the data. The final tree is the
/// same, one file creation cheaper per log file; a process killed between the two steps leaves
/// the log file without its `.crc`, exactly as Spark killed between its two renames does, and
/// nothing reads log checksums back (see [`crate::crc`]). Written after the data, a checksum
/// never describes other bytes than the file beside it.
pub(crate) fn create_file(storage: &dyn Storage, path: &str, data: &[u8]) -> Result<bool> {
    let target = storage.absolute(path);
    if storage.exists(&target)? {
        return Ok(false);
    }
    storage.write_atomic(&target, data)?;
    storage.write(&crc_path(&target), &checksum_file(data))?;
    Ok(true)
}

/// The batch id a log file name stands for: a plain non-negative decimal (`"7"`), optionally
/// followed by `suffix` (`".compact"`). Hidden, temp and `.crc` files never match. Only the
/// canonical spelling counts (`"07"` is not batch 7), since Spark looks batches up by that name.
pub(crate) fn batch_id_of(name: &str, suffix: Option<&str>) -> Option<i64> {
    let digits = match suffix {
        Some(sfx) => name.strip_suffix(sfx).unwrap_or(name),
        None => name,
    };
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits.len() == 1 || !digits.starts_with('0'));
    canonical.then(|| digits.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use streamlab_storage::MemoryStorage;

    #[test]
    fn create_never_overwrites_and_leaves_no_temp_files() {
        let fs = Arc::new(MemoryStorage::new());
        let log = LogStore::new(fs.clone(), "/cp/commits");
        assert!(log.create("0", b"a").unwrap());
        assert!(!log.create("0", b"b").unwrap());
        assert_eq!(log.read("0").unwrap().unwrap(), b"a");
        let names: Vec<String> = fs.list("/cp/commits").unwrap().iter().map(|s| s.name().to_string()).collect();
        assert_eq!(names, vec![".0.crc", "0"]);
        log.delete("0").unwrap();
        assert!(fs.list("/cp/commits").unwrap().is_empty());
    }

    #[test]
    fn known_names_follow_creates_and_deletes_as_a_listing_would() {
        let fs = Arc::new(MemoryStorage::new());
        let log = LogStore::new(fs.clone(), "/cp/offsets");
        let listed = || fs.list_file_names("/cp/offsets").unwrap();
        assert!(log.file_names().unwrap().is_empty());
        for id in 0..5 {
            log.create(&id.to_string(), b"v1").unwrap();
            assert_eq!(log.file_names().unwrap(), listed());
        }
        let clone = log.clone();
        clone.delete("1").unwrap();
        clone.delete("7").unwrap();
        assert!(!log.create("3", b"again").unwrap());
        assert_eq!(log.file_names().unwrap(), listed());
        assert_eq!(listed(), [".0.crc", ".2.crc", ".3.crc", ".4.crc", "0", "2", "3", "4"]);
    }

    #[test]
    fn directory_is_created_up_front() {
        let fs = Arc::new(MemoryStorage::new());
        let _ = LogStore::new(fs.clone(), "/cp/offsets");
        assert!(fs.status("/cp/offsets").unwrap().unwrap().is_dir);
    }

    #[test]
    fn batch_file_names() {
        assert_eq!(batch_id_of("12", None), Some(12));
        assert_eq!(batch_id_of("9.compact", Some(".compact")), Some(9));
        assert_eq!(batch_id_of("9.compact", None), None);
        for bad in [".0.crc", ".0.tmp", "-1", "+1", "07", "", "x", "99999999999999999999"] {
            assert_eq!(batch_id_of(bad, Some(".compact")), None, "{bad}");
        }
    }
}
