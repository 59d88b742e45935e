//! Reading the file source's next files on a second thread while the current batch runs.
//!
//! Why: with `maxFilesPerTrigger`, the file source knows which files the next batch will read
//! (the head of its cached listing, Spark's `unreadFiles`), and parsing them is about half of a
//! batch's work. Natively, a second thread reads and parses them while the engine encodes and
//! commits the current batch; in the browser (no threads) nothing is read ahead.
//!
//! A file read ahead gives exactly the batch a read at batch time gives: same bytes, same
//! parser, same options. The one difference would be a file changed or removed in between,
//! which Spark's file source does not allow; even so, the read is used only if the file still
//! has the length that was read, and otherwise the file is read again.

use std::sync::Arc;
#[cfg(not(target_arch = "wasm32"))]
use std::sync::mpsc::{channel, Receiver, Sender};

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use streamlab_io::{FileFormat, ReadOptions};
use streamlab_storage::Storage;
use streamlab_types::Result;

/// Files read ahead at most: a bound on the memory they hold.
#[cfg(not(target_arch = "wasm32"))]
const MAX_FILES: usize = 4;

/// What a file read needs, shareable with another thread.
#[derive(Clone)]
pub(crate) struct FileReader {
    pub(crate) storage: Arc<dyn Storage>,
    pub(crate) format: FileFormat,
    pub(crate) schema: SchemaRef,
    pub(crate) options: ReadOptions,
}

impl FileReader {
    /// Reads and parses `path`; also returns the bytes' length.
    pub(crate) fn read(&self, path: &str) -> Result<(RecordBatch, u64)> {
        let data = self.storage.read(path)?;
        let batch = streamlab_io::read_file(self.format, &data, &self.schema, &self.options)?;
        Ok((batch, data.len() as u64))
    }
}

/// What a read gives: the batch and the length of the bytes it was parsed from.
#[cfg(not(target_arch = "wasm32"))]
type ReadResult = Result<(RecordBatch, u64)>;

/// A file for the read-ahead thread, and where to send its [`ReadResult`].
#[cfg(not(target_arch = "wasm32"))]
type Job = (FileReader, String, Sender<ReadResult>);

/// Reads started for the next batch, by path.
#[derive(Default)]
pub(crate) struct ReadAhead {
    #[cfg(not(target_arch = "wasm32"))]
    pending: Vec<(String, Receiver<ReadResult>)>,
    /// The thread that reads, started by the first read ahead and kept while the source lives
    /// (it ends when this is dropped): a thread started per batch costs about as much as
    /// parsing a small file.
    #[cfg(not(target_arch = "wasm32"))]
    worker: Option<Sender<Job>>,
}

impl ReadAhead {
    /// Starts reading `paths` (the next batch's files), dropping reads nobody took.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn start(&mut self, reader: &FileReader, paths: Vec<String>) {
        self.pending.clear();
        for path in paths.into_iter().take(MAX_FILES) {
            // Without a thread, the file is simply read at batch time.
            let Some(worker) = self.worker() else { return };
            let (reply, result) = channel();
            if worker.send((reader.clone(), path.clone(), reply)).is_err() {
                // The thread is gone (a read panicked): the next read ahead starts another.
                self.worker = None;
                return;
            }
            self.pending.push((path, result));
        }
    }

    /// The read-ahead thread, started if needed; `None` if it cannot be started.
    #[cfg(not(target_arch = "wasm32"))]
    fn worker(&mut self) -> Option<&Sender<Job>> {
        if self.worker.is_none() {
            let (sender, jobs) = channel::<Job>();
            let started = std::thread::Builder::new().name("streamlab-read-ahead".into()).spawn(move || {
                for (reader, path, reply) in jobs {
                    // Nobody waiting any more is fine: the read was not needed after all.
                    let _ = reply.send(reader.read(&path));
                }
            });
            self.worker = started.ok().map(|_| sender);
        }
        self.worker.as_ref()
    }

    /// The browser has no threads: files are read at batch time.
    #[cfg(target_arch = "wasm32")]
    pub(crate) fn start(&mut self, _reader: &FileReader, _paths: Vec<String>) {}

    /// The batch read ahead for `path`, if there is one and the file still has the length that
    /// was read; `None` means "read it now".
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn take(&mut self, path: &str, storage: &dyn Storage) -> Option<Result<RecordBatch>> {
        let index = self.pending.iter().position(|(p, _)| p == path)?;
        let (_, result) = self.pending.swap_remove(index);
        match result.recv().ok()? {
            Ok((batch, len)) => {
                let unchanged = matches!(storage.status(path), Ok(Some(s)) if !s.is_dir && s.len == len);
                unchanged.then_some(Ok(batch))
            }
            // A failure (FAILFAST, a missing file) is reported as a read now would report it.
            Err(e) => Some(Err(e)),
        }
    }

    /// The browser has no threads: files are read at batch time.
    #[cfg(target_arch = "wasm32")]
    pub(crate) fn take(&mut self, _path: &str, _storage: &dyn Storage) -> Option<Result<RecordBatch>> {
        None
    }
}
