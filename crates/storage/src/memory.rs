//! An in-memory file system: the browser's virtual folder and the tests' scratch disk.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use streamlab_types::{Result, SparkError};

use crate::path::{join, parent};
use crate::{path_not_found, FileStatus, Storage};

/// Where a [`MemoryStorage`] takes modification times from.
pub type TimeSource = Arc<dyn Fn() -> i64 + Send + Sync>;

#[derive(Debug, Default)]
struct Tree {
    files: BTreeMap<String, (Arc<Vec<u8>>, i64)>,
    dirs: BTreeSet<String>,
}

/// Files kept in memory, keyed by absolute path. Directories exist explicitly (after `mkdirs`)
/// or implicitly (as the parent of a file). Relative paths resolve against `/`.
///
/// Modification times come from a [`TimeSource`]; the default one is a counter that starts at
/// 2023-11-14T22:13:20Z and moves 1 ms per write, so files written one after another sort in
/// writing order, as they would on a real disk.
///
/// ```
/// use streamlab_storage::{MemoryStorage, Storage};
/// let fs = MemoryStorage::new();
/// fs.write("in/b.json", b"2").unwrap();
/// fs.write("in/a.json", b"1").unwrap();
/// let listing = fs.list("/in").unwrap();
/// assert_eq!(listing[0].path, "/in/a.json");
/// assert!(listing[1].modification_time_ms < listing[0].modification_time_ms);
/// ```
pub struct MemoryStorage {
    tree: Mutex<Tree>,
    now: TimeSource,
}

impl std::fmt::Debug for MemoryStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStorage").field("tree", &self.tree).finish()
    }
}

impl Default for MemoryStorage {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryStorage {
    /// An empty store whose modification times come from a 1 ms-per-write counter.
    pub fn new() -> Self {
        let counter = Arc::new(AtomicI64::new(1_700_000_000_000));
        Self::with_time_source(Arc::new(move || counter.fetch_add(1, Ordering::Relaxed)))
    }

    /// An empty store whose modification times come from `now` (the page's clock, say).
    pub fn with_time_source(now: TimeSource) -> Self {
        let mut tree = Tree::default();
        tree.dirs.insert("/".to_string());
        MemoryStorage { tree: Mutex::new(tree), now }
    }

    fn lock(&self) -> MutexGuard<'_, Tree> {
        // A poisoned lock only means another thread panicked mid-write; the map is still whole.
        self.tree.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Tree {
    fn is_dir(&self, abs: &str) -> bool {
        if self.dirs.contains(abs) {
            return true;
        }
        let prefix = dir_prefix(abs);
        self.files.range(prefix.clone()..).next().is_some_and(|(k, _)| k.starts_with(&prefix))
    }

    fn add_dirs(&mut self, abs: &str) {
        let mut dir = abs.to_string();
        while dir != "/" && !dir.is_empty() && self.dirs.insert(dir.clone()) {
            dir = parent(&dir).to_string();
        }
    }
}

fn dir_prefix(abs: &str) -> String {
    if abs == "/" {
        "/".to_string()
    } else {
        format!("{abs}/")
    }
}

impl Storage for MemoryStorage {
    fn absolute(&self, path: &str) -> String {
        join("/", path)
    }

    fn list(&self, dir: &str) -> Result<Vec<FileStatus>> {
        let abs = self.absolute(dir);
        let tree = self.lock();
        if tree.files.contains_key(&abs) {
            let (data, mtime) = &tree.files[&abs];
            return Ok(vec![file_status(&abs, data, *mtime)]);
        }
        if !tree.is_dir(&abs) {
            return Err(path_not_found(&abs));
        }
        let prefix = dir_prefix(&abs);
        let mut children: BTreeMap<String, FileStatus> = BTreeMap::new();
        for (path, (data, mtime)) in tree.files.range(prefix.clone()..) {
            let Some(rest) = path.strip_prefix(&prefix) else { break };
            match rest.split_once('/') {
                None => {
                    children.insert(path.clone(), file_status(path, data, *mtime));
                }
                Some((sub, _)) => {
                    let sub_path = join(&abs, sub);
                    children.entry(sub_path.clone()).or_insert_with(|| dir_status(&sub_path));
                }
            }
        }
        for d in tree.dirs.range(prefix.clone()..) {
            let Some(rest) = d.strip_prefix(&prefix) else { break };
            if !rest.is_empty() && !rest.contains('/') {
                children.entry(d.clone()).or_insert_with(|| dir_status(d));
            }
        }
        Ok(children.into_values().collect())
    }

    fn status(&self, path: &str) -> Result<Option<FileStatus>> {
        let abs = self.absolute(path);
        let tree = self.lock();
        if let Some((data, mtime)) = tree.files.get(&abs) {
            return Ok(Some(file_status(&abs, data, *mtime)));
        }
        Ok(tree.is_dir(&abs).then(|| dir_status(&abs)))
    }

    fn read(&self, path: &str) -> Result<Vec<u8>> {
        let abs = self.absolute(path);
        let tree = self.lock();
        match tree.files.get(&abs) {
            Some((data, _)) => Ok(data.as_ref().clone()),
            None if tree.is_dir(&abs) => Err(SparkError::io(format!("{abs} is a directory"))),
            None => Err(SparkError::io(format!("File file:{abs} does not exist"))),
        }
    }

    fn write(&self, path: &str, data: &[u8]) -> Result<()> {
        let abs = self.absolute(path);
        let mtime = (self.now)();
        let mut tree = self.lock();
        if tree.is_dir(&abs) {
            return Err(SparkError::io(format!("{abs} is a directory")));
        }
        tree.add_dirs(parent(&abs));
        tree.files.insert(abs, (Arc::new(data.to_vec()), mtime));
        Ok(())
    }

    fn rename(&self, from: &str, to: &str) -> Result<()> {
        let (from, to) = (self.absolute(from), self.absolute(to));
        let mut tree = self.lock();
        if let Some(entry) = tree.files.remove(&from) {
            tree.add_dirs(parent(&to));
            tree.files.insert(to, entry);
            return Ok(());
        }
        if !tree.is_dir(&from) {
            return Err(SparkError::io(format!("rename source file:{from} does not exist")));
        }
        let prefix = dir_prefix(&from);
        let moved: Vec<String> = tree.files.keys().filter(|k| k.starts_with(&prefix)).cloned().collect();
        for old in moved {
            if let Some(entry) = tree.files.remove(&old) {
                tree.files.insert(join(&to, &old[prefix.len()..]), entry);
            }
        }
        let dirs: Vec<String> =
            tree.dirs.iter().filter(|d| **d == from || d.starts_with(&prefix)).cloned().collect();
        for d in dirs {
            tree.dirs.remove(&d);
            let new = if d == from { to.clone() } else { join(&to, &d[prefix.len()..]) };
            tree.add_dirs(&new);
        }
        tree.add_dirs(&to);
        Ok(())
    }

    fn delete(&self, path: &str) -> Result<()> {
        let abs = self.absolute(path);
        let mut tree = self.lock();
        tree.files.remove(&abs);
        let prefix = dir_prefix(&abs);
        tree.files.retain(|k, _| !k.starts_with(&prefix));
        tree.dirs.retain(|d| *d == "/" || (*d != abs && !d.starts_with(&prefix)));
        Ok(())
    }

    fn mkdirs(&self, path: &str) -> Result<()> {
        let abs = self.absolute(path);
        let mut tree = self.lock();
        if tree.files.contains_key(&abs) {
            return Err(SparkError::io(format!("file:{abs} exists and is not a directory")));
        }
        tree.add_dirs(&abs);
        Ok(())
    }

    fn set_modification_time(&self, path: &str, time_ms: i64) -> Result<()> {
        let abs = self.absolute(path);
        match self.lock().files.get_mut(&abs) {
            Some(entry) => {
                entry.1 = time_ms;
                Ok(())
            }
            None => Err(SparkError::io(format!("File file:{abs} does not exist"))),
        }
    }
}

fn file_status(path: &str, data: &[u8], mtime: i64) -> FileStatus {
    FileStatus { path: path.to_string(), len: data.len() as u64, modification_time_ms: mtime, is_dir: false }
}

fn dir_status(path: &str) -> FileStatus {
    FileStatus { path: path.to_string(), len: 0, modification_time_ms: 0, is_dir: true }
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_files_and_subdirectories_once() {
        let fs = MemoryStorage::new();
        fs.write("/d/a", b"1").unwrap();
        fs.write("/d/sub/x", b"2").unwrap();
        fs.write("/d/sub/y", b"3").unwrap();
        fs.mkdirs("/d/empty").unwrap();
        let names: Vec<(String, bool)> =
            fs.list("/d").unwrap().into_iter().map(|s| (s.name().to_string(), s.is_dir)).collect();
        assert_eq!(
            names,
            vec![("a".into(), false), ("empty".into(), true), ("sub".into(), true)]
        );
    }

    #[test]
    fn missing_directory_is_spark_path_not_found() {
        let fs = MemoryStorage::new();
        let err = fs.list("/nope").unwrap_err();
        assert_eq!(err.to_string(), "[PATH_NOT_FOUND] Path does not exist: file:/nope.");
    }

    #[test]
    fn atomic_write_leaves_no_temp_file() {
        let fs = MemoryStorage::new();
        fs.write_atomic("/cp/offsets/0", b"v1").unwrap();
        let names: Vec<String> = fs.list("/cp/offsets").unwrap().into_iter().map(|s| s.path).collect();
        assert_eq!(names, vec!["/cp/offsets/0".to_string()]);
    }

    #[test]
    fn rename_and_delete_directories() {
        let fs = MemoryStorage::new();
        fs.write("/a/b/c", b"1").unwrap();
        fs.rename("/a", "/z").unwrap();
        assert_eq!(fs.read("/z/b/c").unwrap(), b"1");
        assert!(!fs.exists("/a").unwrap());
        fs.delete("/z").unwrap();
        assert!(!fs.exists("/z/b/c").unwrap());
        assert!(fs.list("/").unwrap().is_empty());
    }

    #[test]
    fn modification_times_are_settable() {
        let fs = MemoryStorage::new();
        fs.write("/f", b"").unwrap();
        fs.set_modification_time("/f", 42).unwrap();
        assert_eq!(fs.status("/f").unwrap().unwrap().modification_time_ms, 42);
        assert!(fs.set_modification_time("/g", 1).is_err());
    }
}
