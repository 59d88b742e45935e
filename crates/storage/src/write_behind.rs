//! A store that does its writes on a background thread, in order, while the caller goes on.
//!
//! Why: a micro-batch on the local disk creates about ten small files (offsets, commits, the
//! source and sink logs, their Hadoop `.crc` files, the part file), and on ext4 creating a file
//! costs more than parsing and encoding the batch's rows. Done on a second thread, those
//! creations overlap the next batch's work.
//!
//! Invariants:
//! - **Order.** One worker applies the writes, renames, deletes and `mkdirs` in the order they
//!   were made, so the disk always holds a prefix of the history. A process killed at any point
//!   leaves what an earlier kill would have left: Spark's write-ahead protocol (offsets before
//!   data, data before commit) holds unchanged.
//! - **Read your writes.** Until the worker has applied an operation, the store answers reads,
//!   listings and status calls from an overlay of pending operations laid over the disk, so the
//!   caller sees every write at once, exactly as the wrapped store would show it.
//! - **Barriers.** [`Storage::flush`] waits until the disk holds everything. Anything that makes
//!   a write visible outside this store (an external sink, another process) must flush first.
//! - **Errors.** The first failed operation stops the worker (later ones are not applied, as if
//!   the process had died there), and every later call returns that error.
//!
//! Operations whose effect depends on what is on the disk (renaming or deleting a directory or
//! a file written before, setting a modification time) flush first and then run directly.

use std::collections::BTreeMap;
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{SystemTime, UNIX_EPOCH};

use streamlab_types::{Result, SparkError};

use crate::path::{file_name, join, parent};
use crate::{FileStatus, Storage};

/// Bytes that may wait in the queue before writers wait for the worker (a bound on memory if
/// the disk is slower than the engine).
const MAX_QUEUED_BYTES: usize = 256 << 20;

/// A [`Storage`] whose mutations run on a background thread, in order (see the module doc).
///
/// ```
/// use std::sync::Arc;
/// use streamlab_storage::{LocalStorage, Storage, WriteBehind};
/// let dir = tempfile::tempdir().unwrap();
/// let disk = Arc::new(LocalStorage::new(dir.path().to_str().unwrap()));
/// let fs = WriteBehind::new(disk.clone());
/// fs.write_atomic("cp/offsets/0", b"v1").unwrap();
/// // Visible through the store at once…
/// assert_eq!(fs.read("cp/offsets/0").unwrap(), b"v1");
/// assert_eq!(fs.list_file_names("cp/offsets").unwrap(), ["0"]);
/// // …and on the disk once flushed.
/// fs.flush().unwrap();
/// assert_eq!(disk.read("cp/offsets/0").unwrap(), b"v1");
/// ```
#[derive(Debug)]
pub struct WriteBehind<S: Storage + ?Sized + 'static> {
    inner: Arc<S>,
    shared: Arc<Shared>,
    queue: Mutex<Option<Sender<Job>>>,
    worker: Mutex<Option<JoinHandle<()>>>,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct State {
    /// What each path with a pending operation will be once the worker is done, newest first:
    /// absolute path → entry.
    overlay: BTreeMap<String, Entry>,
    queued: usize,
    queued_bytes: usize,
    next_seq: u64,
    error: Option<SparkError>,
}

#[derive(Debug, Clone)]
struct Entry {
    /// The operation that set this entry; the worker removes the entry when it has applied it,
    /// unless a later operation replaced it.
    seq: u64,
    kind: Pending,
}

#[derive(Debug, Clone)]
enum Pending {
    File { data: Arc<[u8]>, modification_time_ms: i64 },
    Dir,
    Deleted,
}

#[derive(Debug)]
enum Op {
    Write { path: String, data: Arc<[u8]> },
    /// [`Storage::write_atomic`] as one operation, so the temp file's rename never finds the
    /// temp file already applied (which would make the caller wait for the disk).
    WriteAtomic { path: String, tmp: String, data: Arc<[u8]> },
    Rename { from: String, to: String },
    Delete { path: String },
    Mkdirs { path: String },
}

#[derive(Debug)]
struct Job {
    seq: u64,
    op: Op,
}

impl Op {
    fn touched(&self) -> Vec<&str> {
        match self {
            Op::Write { path, .. } | Op::Delete { path } | Op::Mkdirs { path } => vec![path],
            Op::WriteAtomic { path, tmp, .. } => vec![path, tmp],
            Op::Rename { from, to } => vec![from, to],
        }
    }

    fn bytes(&self) -> usize {
        match self {
            Op::Write { data, .. } | Op::WriteAtomic { data, .. } => data.len(),
            _ => 0,
        }
    }

    fn apply<S: Storage + ?Sized>(&self, store: &S) -> Result<()> {
        match self {
            Op::Write { path, data } => store.write(path, data),
            Op::WriteAtomic { path, tmp, data } => crate::write_through_temp(store, path, tmp, data),
            Op::Rename { from, to } => store.rename(from, to),
            Op::Delete { path } => store.delete(path),
            Op::Mkdirs { path } => store.mkdirs(path),
        }
    }
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

fn dir_status(path: &str) -> FileStatus {
    FileStatus { path: path.to_string(), len: 0, modification_time_ms: now_ms(), is_dir: true }
}

/// The pending entries strictly under `dir`.
fn under<'a>(overlay: &'a BTreeMap<String, Entry>, dir: &str) -> impl Iterator<Item = (&'a String, &'a Entry)> {
    let prefix = if dir.ends_with('/') { dir.to_string() } else { format!("{dir}/") };
    overlay.range(prefix.clone()..).take_while(move |(k, _)| k.starts_with(&prefix))
}

/// Whether anything is pending under `dir`, which makes it a directory: even a pending delete
/// stands for a file that was there.
fn has_pending_children(overlay: &BTreeMap<String, Entry>, dir: &str) -> bool {
    under(overlay, dir).next().is_some()
}

impl<S: Storage + ?Sized + 'static> WriteBehind<S> {
    /// Wraps `inner`, starting the worker thread.
    pub fn new(inner: Arc<S>) -> Self {
        let shared = Arc::new(Shared::default());
        let (sender, receiver) = channel::<Job>();
        let worker = {
            let (inner, shared) = (inner.clone(), shared.clone());
            std::thread::Builder::new()
                .name("streamlab-write-behind".into())
                .spawn(move || {
                    for job in receiver {
                        let failed = shared.lock().error.is_some();
                        // After a failure nothing more reaches the disk, as if the process had
                        // stopped there; the overlay still empties so flush() returns.
                        let result = if failed { Ok(()) } else { job.op.apply(inner.as_ref()) };
                        let mut state = shared.lock();
                        if let Err(e) = result {
                            state.error.get_or_insert(e);
                        }
                        for path in job.op.touched() {
                            if state.overlay.get(path).is_some_and(|e| e.seq == job.seq) {
                                state.overlay.remove(path);
                            }
                        }
                        state.queued -= 1;
                        state.queued_bytes -= job.op.bytes();
                        shared.changed.notify_all();
                    }
                })
                .ok()
        };
        WriteBehind { inner, shared, queue: Mutex::new(Some(sender)), worker: Mutex::new(worker) }
    }

    /// Records `op` in the overlay (through `update`) and queues it; runs it directly when the
    /// worker could not be started.
    fn enqueue(&self, op: Op, update: impl FnOnce(&mut State, u64)) -> Result<()> {
        let queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
        let Some(sender) = queue.as_ref().filter(|_| self.worker_alive()) else {
            drop(queue);
            self.flush()?;
            return op.apply(self.inner.as_ref());
        };
        let mut state = self.shared.lock();
        while state.queued_bytes > MAX_QUEUED_BYTES && state.error.is_none() {
            state = self.shared.wait(state);
        }
        if let Some(e) = &state.error {
            return Err(e.clone());
        }
        let seq = state.next_seq;
        state.next_seq += 1;
        update(&mut state, seq);
        state.queued += 1;
        state.queued_bytes += op.bytes();
        let bytes = op.bytes();
        if sender.send(Job { seq, op }).is_err() {
            state.queued -= 1;
            state.queued_bytes -= bytes;
            return Err(SparkError::io("the background writer stopped unexpectedly"));
        }
        Ok(())
    }

    fn worker_alive(&self) -> bool {
        self.worker.lock().unwrap_or_else(|p| p.into_inner()).as_ref().is_some_and(|w| !w.is_finished())
    }

    /// The pending entry for `abs`, if any (after checking for an earlier failure).
    fn pending(&self, abs: &str) -> Result<(Option<Pending>, bool)> {
        let state = self.shared.lock();
        if let Some(e) = &state.error {
            return Err(e.clone());
        }
        Ok((state.overlay.get(abs).map(|e| e.kind.clone()), has_pending_children(&state.overlay, abs)))
    }

    /// Flushes, then runs `f` on the wrapped store: for operations that depend on the disk.
    fn direct<T>(&self, f: impl FnOnce(&S) -> Result<T>) -> Result<T> {
        self.flush()?;
        f(self.inner.as_ref())
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn wait<'a>(&self, guard: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        self.changed.wait(guard).unwrap_or_else(|p| p.into_inner())
    }
}

impl<S: Storage + ?Sized + 'static> Drop for WriteBehind<S> {
    /// Lets the worker finish the queue, so nothing made before the drop is lost.
    fn drop(&mut self) {
        self.queue.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(worker) = self.worker.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = worker.join();
        }
    }
}

impl<S: Storage + ?Sized + 'static> Storage for WriteBehind<S> {
    fn absolute(&self, path: &str) -> String {
        self.inner.absolute(path)
    }

    fn list(&self, dir: &str) -> Result<Vec<FileStatus>> {
        let abs = self.absolute(dir);
        // The overlay first, then the disk: an operation finishing in between then shows in
        // both, never in neither.
        let (own, children) = {
            let state = self.shared.lock();
            if let Some(e) = &state.error {
                return Err(e.clone());
            }
            let children: Vec<(String, Entry)> = under(&state.overlay, &abs).map(|(k, e)| (k.clone(), e.clone())).collect();
            (state.overlay.get(&abs).cloned(), children)
        };
        // Every pending entry, deleted ones included, stands for a file that exists or will have
        // existed, so its directories exist (`delete` queues nothing for a missing path).
        let live_children = !children.is_empty();
        let own = own.map(|e| e.kind);
        match own {
            Some(Pending::File { data, modification_time_ms }) => {
                return Ok(vec![FileStatus { path: abs, len: data.len() as u64, modification_time_ms, is_dir: false }])
            }
            Some(Pending::Deleted) if !live_children => return Err(crate::path_not_found(&abs)),
            _ => {}
        }
        let mut listed: BTreeMap<String, FileStatus> = match self.inner.list(&abs) {
            Ok(statuses) => statuses.into_iter().map(|s| (s.path.clone(), s)).collect(),
            Err(e) if e.error_class.as_deref() == Some("PATH_NOT_FOUND") => {
                // Judged by the overlay as it was before the disk was read: the worker may have
                // applied a pending `mkdirs` since, and then it is on the disk but too late.
                let pending_dir = matches!(own, Some(Pending::Dir)) || live_children;
                if !pending_dir {
                    return Err(e);
                }
                BTreeMap::new()
            }
            Err(e) => return Err(e),
        };
        for (path, entry) in children {
            let rest = path.strip_prefix(abs.as_str()).unwrap_or(&path).trim_start_matches('/');
            let child = join(&abs, rest.split('/').next().unwrap_or(rest));
            if child != path {
                // Deeper: the child is a directory that exists or will, even for a pending
                // delete (its file was written, so its directories were made, and deleting a
                // directory flushes first, so no pending entry outlives its directory).
                listed.entry(child.clone()).or_insert_with(|| dir_status(&child));
                continue;
            }
            match entry.kind {
                Pending::File { data, modification_time_ms } => {
                    listed.insert(path.clone(), FileStatus { path, len: data.len() as u64, modification_time_ms, is_dir: false });
                }
                Pending::Dir => {
                    listed.entry(path.clone()).or_insert_with(|| dir_status(&path));
                }
                Pending::Deleted => {
                    listed.remove(&path);
                }
            }
        }
        Ok(listed.into_values().collect())
    }

    fn list_file_names(&self, dir: &str) -> Result<Vec<String>> {
        let abs = self.absolute(dir);
        let children: Vec<(String, Entry)> = {
            let state = self.shared.lock();
            if let Some(e) = &state.error {
                return Err(e.clone());
            }
            if state.overlay.contains_key(&abs) {
                drop(state);
                return Ok(self.list(dir)?.into_iter().filter(|s| !s.is_dir).map(|s| s.name().to_string()).collect());
            }
            under(&state.overlay, &abs).map(|(k, e)| (k.clone(), e.clone())).collect()
        };
        let mut names: std::collections::BTreeSet<String> = match self.inner.list_file_names(&abs) {
            Ok(names) => names.into_iter().collect(),
            Err(e) if e.error_class.as_deref() == Some("PATH_NOT_FOUND") && !children.is_empty() => Default::default(),
            Err(e) => return Err(e),
        };
        for (path, entry) in children.iter().filter(|(path, _)| parent(path) == abs) {
            let name = file_name(path);
            match entry.kind {
                Pending::File { .. } => names.insert(name.to_string()),
                Pending::Dir | Pending::Deleted => names.remove(name),
            };
        }
        Ok(names.into_iter().collect())
    }

    fn status(&self, path: &str) -> Result<Option<FileStatus>> {
        let abs = self.absolute(path);
        match self.pending(&abs)? {
            (Some(Pending::File { data, modification_time_ms }), _) => {
                Ok(Some(FileStatus { path: abs, len: data.len() as u64, modification_time_ms, is_dir: false }))
            }
            (Some(Pending::Deleted), false) => Ok(None),
            (Some(Pending::Deleted), true) => Ok(Some(dir_status(&abs))),
            (Some(Pending::Dir), _) => Ok(Some(self.inner.status(&abs)?.unwrap_or_else(|| dir_status(&abs)))),
            (None, children) => match self.inner.status(&abs)? {
                None if children => Ok(Some(dir_status(&abs))),
                found => Ok(found),
            },
        }
    }

    fn read(&self, path: &str) -> Result<Vec<u8>> {
        let abs = self.absolute(path);
        match self.pending(&abs)?.0 {
            Some(Pending::File { data, .. }) => Ok(data.to_vec()),
            Some(Pending::Deleted) => Err(crate::missing_file(&abs)),
            Some(Pending::Dir) => self.direct(|s| s.read(&abs)),
            None => self.inner.read(&abs),
        }
    }

    fn write(&self, path: &str, data: &[u8]) -> Result<()> {
        let abs = self.absolute(path);
        let data: Arc<[u8]> = Arc::from(data);
        let entry = Pending::File { data: data.clone(), modification_time_ms: now_ms() };
        let key = abs.clone();
        self.enqueue(Op::Write { path: abs, data }, move |state, seq| {
            state.overlay.insert(key, Entry { seq, kind: entry });
        })
    }

    /// Queued as one operation: the worker writes the temp file and renames it, while the
    /// caller sees the file at once. Written as a plain write followed by a rename, the worker
    /// could apply the write before the rename is asked for, and a rename of a file already on
    /// the disk has to wait for the disk.
    fn write_atomic(&self, path: &str, data: &[u8]) -> Result<()> {
        let abs = self.absolute(path);
        let tmp = crate::temp_path(&abs);
        if self.pending(&abs)?.1 || self.pending(&tmp)?.1 {
            // Pending children make a directory of one of them: the disk decides, as for a rename.
            return self.direct(|s| crate::write_through_temp(s, &abs, &tmp, data));
        }
        let data: Arc<[u8]> = Arc::from(data);
        let entry = Pending::File { data: data.clone(), modification_time_ms: now_ms() };
        let (key, key_tmp) = (abs.clone(), tmp.clone());
        self.enqueue(Op::WriteAtomic { path: abs, tmp, data }, move |state, seq| {
            // The temp file is renamed away: once the worker is done, it is not there.
            state.overlay.insert(key_tmp, Entry { seq, kind: Pending::Deleted });
            state.overlay.insert(key, Entry { seq, kind: entry });
        })
    }

    fn rename(&self, from: &str, to: &str) -> Result<()> {
        let (from, to) = (self.absolute(from), self.absolute(to));
        let moved = match self.pending(&from)? {
            (Some(Pending::File { data, modification_time_ms }), false) => Pending::File { data, modification_time_ms },
            // A file already on the disk, a directory, or nothing: the disk decides.
            _ => return self.direct(|s| s.rename(&from, &to)),
        };
        if self.pending(&to)?.1 {
            return self.direct(|s| s.rename(&from, &to));
        }
        let (key_from, key_to) = (from.clone(), to.clone());
        self.enqueue(Op::Rename { from, to }, move |state, seq| {
            state.overlay.insert(key_from, Entry { seq, kind: Pending::Deleted });
            state.overlay.insert(key_to, Entry { seq, kind: moved });
        })
    }

    fn delete(&self, path: &str) -> Result<()> {
        let abs = self.absolute(path);
        let plain_file = match self.pending(&abs)? {
            (_, true) | (Some(Pending::Dir), false) => false,
            (Some(Pending::File { .. }), false) => true,
            // Nothing to delete: queue nothing, so that every pending delete is of a real file.
            (Some(Pending::Deleted), false) => return Ok(()),
            (None, false) => match self.inner.status(&abs)? {
                None => return Ok(()),
                Some(status) => !status.is_dir,
            },
        };
        if !plain_file {
            return self.direct(|s| s.delete(&abs));
        }
        let key = abs.clone();
        self.enqueue(Op::Delete { path: abs }, move |state, seq| {
            state.overlay.insert(key, Entry { seq, kind: Pending::Deleted });
        })
    }

    fn mkdirs(&self, path: &str) -> Result<()> {
        let abs = self.absolute(path);
        if let (Some(Pending::File { .. }), _) = self.pending(&abs)? {
            return self.direct(|s| s.mkdirs(&abs));
        }
        let key = abs.clone();
        self.enqueue(Op::Mkdirs { path: abs }, move |state, seq| {
            state.overlay.insert(key, Entry { seq, kind: Pending::Dir });
        })
    }

    fn set_modification_time(&self, path: &str, time_ms: i64) -> Result<()> {
        let abs = self.absolute(path);
        self.direct(|s| s.set_modification_time(&abs, time_ms))
    }

    fn flush(&self) -> Result<()> {
        let mut state = self.shared.lock();
        while state.queued > 0 {
            state = self.shared.wait(state);
        }
        match &state.error {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }
}
