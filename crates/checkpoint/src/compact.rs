//! `CompactibleFileStreamLog`: the log shape shared by the file source and the file sink, where
//! every `compactInterval`-th batch file (`N.compact`) repeats all entries so far.

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

use streamlab_storage::Storage;
use streamlab_types::{Result, SparkError};

use crate::metadata_log::concurrent_update;
use crate::store::{batch_id_of, LogStore};
use crate::text::{decode, lines, read_error, validate_version};

/// The suffix of a compaction batch's file.
pub(crate) const COMPACT_SUFFIX: &str = ".compact";

/// How a compactible log cleans up after itself (Spark's confs, with their defaults).
///
/// After batch N is added, files of batches before the compaction batch that keeps
/// `min_batches_to_retain` batches are deleted, if they are at least `cleanup_delay_ms` old.
/// "Now" is the modification time the storage gave the file just written, so the storage's
/// clock (not the machine's) decides; on a [`streamlab_storage::MemoryStorage`] with its
/// default 1-ms-per-write clock nothing is ever 10 minutes old.
///
/// ```
/// use streamlab_checkpoint::CompactionSettings;
/// let s = CompactionSettings::default();
/// assert_eq!((s.min_batches_to_retain, s.cleanup_delay_ms, s.deletion), (100, 600_000, true));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompactionSettings {
    /// `spark.sql.streaming.minBatchesToRetain` (100).
    pub min_batches_to_retain: i64,
    /// `spark.sql.streaming.fileSource.log.cleanupDelay` / `fileSink.log.cleanupDelay` (10 min).
    pub cleanup_delay_ms: i64,
    /// `spark.sql.streaming.fileSource.log.deletion` / `fileSink.log.deletion` (true).
    pub deletion: bool,
}

impl Default for CompactionSettings {
    /// Spark's defaults: keep 100 batches, wait 10 minutes, delete.
    fn default() -> Self {
        CompactionSettings { min_batches_to_retain: 100, cleanup_delay_ms: 10 * 60 * 1000, deletion: true }
    }
}

/// One line of a compactible log.
pub(crate) trait LogEntry: Sized + Clone {
    /// The entry's JSON line.
    fn to_json(&self) -> String;
    /// Parses a JSON line.
    fn from_json(json: &str) -> Result<Self>;
}

/// Whether `batch_id` is written as `<batch_id>.compact`.
pub(crate) fn is_compaction_batch(batch_id: i64, interval: i64) -> bool {
    (batch_id + 1) % interval == 0
}

/// The file name of batch `batch_id` under compact interval `interval` (`batchIdToPath`).
fn batch_file_name(batch_id: i64, interval: i64) -> String {
    if is_compaction_batch(batch_id, interval) {
        format!("{batch_id}{COMPACT_SUFFIX}")
    } else {
        batch_id.to_string()
    }
}

/// The batches whose files a reader needs to see everything up to `batch_id`: the last
/// compaction batch at or before it (or 0), through `batch_id` (`getAllValidBatches`).
pub(crate) fn all_valid_batches(batch_id: i64, interval: i64) -> std::ops::RangeInclusive<i64> {
    let start = ((batch_id + 1) / interval * interval - 1).max(0);
    start..=batch_id
}

/// SPARK-18187: the interval to keep using when the log already holds exactly one compaction
/// batch `latest_compact` written with some other interval (`deriveCompactInterval`).
pub(crate) fn derive_compact_interval(default_interval: i64, latest_compact: i64) -> i64 {
    let n = latest_compact + 1;
    if n <= default_interval {
        n
    } else if default_interval < n / 2 {
        (default_interval..=n / 2).find(|i| n % i == 0).unwrap_or(n)
    } else {
        n
    }
}

/// The shared machinery; [`crate::FileStreamSourceLog`] and [`crate::FileStreamSinkLog`] wrap it.
#[derive(Debug)]
pub(crate) struct CompactibleLog<T> {
    store: LogStore,
    default_interval: i64,
    interval_conf: &'static str,
    settings: CompactionSettings,
    interval: Mutex<Option<i64>>,
    expiry: Mutex<ExpiryScan>,
    written: Mutex<BTreeMap<i64, Vec<T>>>,
    _entries: PhantomData<fn() -> T>,
}

/// Batches a [`CompactibleLog`] keeps in memory after writing them, at most: compaction
/// empties the kept batches every `compactInterval` batches, and this bounds them when the
/// interval is large.
const MAX_WRITTEN_BATCHES: usize = 100;

/// What the last expired-log scan saw, so the next one can be skipped when it cannot delete
/// anything: files become candidates in batch order, so a later candidate is never older than
/// the oldest one kept last time.
#[derive(Debug, Default, Clone, Copy)]
struct ExpiryScan {
    min_compaction: i64,
    oldest_kept_ms: Option<i64>,
}

impl<T: LogEntry> CompactibleLog<T> {
    pub(crate) fn new(storage: Arc<dyn Storage>, dir: &str, default_interval: i64, interval_conf: &'static str) -> Self {
        CompactibleLog {
            store: LogStore::new(storage, dir),
            default_interval,
            interval_conf,
            settings: CompactionSettings::default(),
            interval: Mutex::new(None),
            expiry: Mutex::new(ExpiryScan { min_compaction: -1, oldest_kept_ms: None }),
            written: Mutex::default(),
            _entries: PhantomData,
        }
    }

    pub(crate) fn set_settings(&mut self, settings: CompactionSettings) {
        self.settings = settings;
    }

    pub(crate) fn store(&self) -> &LogStore {
        &self.store
    }

    /// The compact interval in use: the configured one, unless compaction files already in the
    /// log were written with another (decided once, at first use, as Spark's lazy val).
    pub(crate) fn interval(&self) -> Result<i64> {
        let mut cached = self.interval.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(i) = *cached {
            return Ok(i);
        }
        if self.default_interval <= 0 {
            return Err(SparkError::illegal_argument(format!(
                "requirement failed: Please set {} (was {}) to a positive value.",
                self.interval_conf, self.default_interval
            )));
        }
        let mut compacts: Vec<i64> = self
            .store
            .file_names()?
            .iter()
            .filter(|f| f.ends_with(COMPACT_SUFFIX))
            .filter_map(|f| batch_id_of(f, Some(COMPACT_SUFFIX)))
            .collect();
        compacts.sort_unstable_by(|a, b| b.cmp(a));
        let interval = match compacts.as_slice() {
            [] => self.default_interval,
            [only] => derive_compact_interval(self.default_interval, *only),
            [latest, previous, ..] => latest - previous,
        };
        if interval <= 0 {
            return Err(SparkError::illegal_state(format!(
                "assertion failed: intervalValue = {interval} not positive value."
            )));
        }
        *cached = Some(interval);
        Ok(interval)
    }

    /// The file name of batch `batch_id` (`batchIdToPath`).
    pub(crate) fn file_name(&self, batch_id: i64) -> Result<String> {
        Ok(batch_file_name(batch_id, self.interval()?))
    }

    /// Every entry in batch `batch_id`'s file (a compaction file holds earlier batches' too),
    /// or `None` when the file does not exist.
    ///
    /// The batches this log wrote since its last compaction batch (that one included) are kept
    /// in memory, as Spark's `fileEntryCache` keeps compaction batches: the log's directory
    /// belongs to its query, and a written batch file never changes, so the kept entries are
    /// what the file holds. The file source reads the batch it just logged, and every
    /// compaction reads the batches since the previous one, without the disk.
    pub(crate) fn read_batch(&self, batch_id: i64) -> Result<Option<Vec<T>>> {
        if batch_id < 0 {
            return Ok(None);
        }
        if let Some(entries) = self.written.lock().unwrap_or_else(|p| p.into_inner()).get(&batch_id) {
            return Ok(Some(entries.clone()));
        }
        let name = self.file_name(batch_id)?;
        let Some(bytes) = self.store.read(&name)? else { return Ok(None) };
        let path = self.store.path(&name);
        let text = decode(&path, &bytes)?;
        let lines = lines(text);
        let Some(version) = lines.first() else { return Err(read_error(&path, "Incomplete log file")) };
        validate_version(version, 1).map_err(|m| read_error(&path, m))?;
        lines[1..]
            .iter()
            .enumerate()
            .map(|(i, line)| {
                T::from_json(line).map_err(|e| read_error(&path, format!("Line {}: {}", i + 2, e.message)))
            })
            .collect::<Result<Vec<T>>>()
            .map(Some)
    }

    /// Adds batch `batch_id`; a compaction batch also gets every entry of the batches since the
    /// previous compaction. `false` if the batch exists. Old files are then cleaned up.
    pub(crate) fn add(&self, batch_id: i64, entries: &[T]) -> Result<bool> {
        if batch_id < 0 {
            return Err(SparkError::illegal_argument(format!("Invalid batch id {batch_id}: must not be negative")));
        }
        let interval = self.interval()?;
        if self.read_batch(batch_id)?.is_some() {
            return Ok(false);
        }
        let compaction = is_compaction_batch(batch_id, interval);
        let mut all = Vec::new();
        if compaction {
            for id in (batch_id - interval).max(0)..batch_id {
                let Some(earlier) = self.read_batch(id)? else {
                    let path = self.store.path(&self.file_name(id)?);
                    return Err(SparkError::io(format!("Unable to find batch file:{path}."))
                        .with_class("BATCH_METADATA_NOT_FOUND"));
                };
                all.extend(earlier);
            }
        }
        all.extend_from_slice(entries);
        let mut text = String::from("v1");
        push_lines(&mut text, &all);
        let name = self.file_name(batch_id)?;
        if !self.store.create(&name, text.as_bytes())? {
            return Err(concurrent_update(self.store.dir()));
        }
        self.keep_written(batch_id, compaction, all);
        if self.settings.deletion {
            self.delete_expired(batch_id, interval, &name)?;
        }
        Ok(true)
    }

    /// Keeps the entries of batch `batch_id`, just written (see [`CompactibleLog::read_batch`]).
    fn keep_written(&self, batch_id: i64, compaction: bool, entries: Vec<T>) {
        let mut written = self.written.lock().unwrap_or_else(|p| p.into_inner());
        if compaction {
            written.clear();
        }
        written.insert(batch_id, entries);
        while written.len() > MAX_WRITTEN_BATCHES {
            written.pop_first();
        }
    }

    /// The highest batch id whose file (under its expected name) exists (`getLatestBatchId`).
    pub(crate) fn latest_batch_id(&self) -> Result<Option<i64>> {
        let interval = self.interval()?;
        self.store.with_file_names(|names| {
            let mut ids: Vec<i64> = names.iter().filter_map(|f| batch_id_of(f, Some(COMPACT_SUFFIX))).collect();
            ids.sort_unstable_by(|a, b| b.cmp(a));
            ids.dedup();
            ids.into_iter().find(|&id| names.contains(&batch_file_name(id, interval)))
        })
    }

    /// Every entry of the log, oldest first (`allFiles`).
    pub(crate) fn all(&self) -> Result<Vec<T>> {
        let Some(latest) = self.latest_batch_id()? else { return Ok(Vec::new()) };
        let interval = self.interval()?;
        let mut out = Vec::new();
        for id in all_valid_batches(latest, interval) {
            let entries = self.read_batch(id)?.ok_or_else(|| {
                SparkError::illegal_state(format!(
                    "file:{} doesn't exist (latestId: {latest}, compactInterval: {interval})",
                    self.store.path(&self.file_name(id).unwrap_or_default())
                ))
            })?;
            out.extend(entries);
        }
        Ok(out)
    }

    /// `deleteExpiredLog`: after adding `current`, deletes files of batches before the
    /// compaction batch that keeps `min_batches_to_retain` batches, if old enough.
    fn delete_expired(&self, current: i64, interval: i64, written: &str) -> Result<()> {
        let min_batch = current + 1 - self.settings.min_batches_to_retain;
        if interval > min_batch {
            return Ok(());
        }
        let min_compaction = min_batch - min_batch % interval - 1;
        let Some(now) = self.store.modification_time(written)? else { return Ok(()) };
        let expired = now.saturating_sub(self.settings.cleanup_delay_ms);
        let mut scan = self.expiry.lock().unwrap_or_else(|p| p.into_inner());
        let nothing_to_do = match scan.oldest_kept_ms {
            Some(oldest) => expired < oldest,
            None => min_compaction == scan.min_compaction,
        };
        if nothing_to_do {
            return Ok(());
        }
        let mut oldest_kept: Option<i64> = None;
        for name in self.store.file_names()? {
            let Some(id) = batch_id_of(&name, Some(COMPACT_SUFFIX)) else { continue };
            if id >= min_compaction {
                continue;
            }
            let Some(mtime) = self.store.modification_time(&name)? else { continue };
            if mtime <= expired {
                self.store.delete(&name)?;
            } else {
                oldest_kept = Some(oldest_kept.map_or(mtime, |o: i64| o.min(mtime)));
            }
        }
        *scan = ExpiryScan { min_compaction, oldest_kept_ms: oldest_kept };
        Ok(())
    }
}

fn push_lines<T: LogEntry>(text: &mut String, entries: &[T]) {
    for e in entries {
        text.push('\n');
        text.push_str(&e.to_json());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spark_interval_arithmetic() {
        assert!(is_compaction_batch(9, 10) && is_compaction_batch(2, 3) && !is_compaction_batch(3, 3));
        assert_eq!(all_valid_batches(7, 3), 5..=7);
        assert_eq!(all_valid_batches(5, 3), 5..=5);
        assert_eq!(all_valid_batches(1, 3), 0..=1);
        // CompactibleFileStreamLogSuite "deriveCompactInterval"
        assert_eq!(derive_compact_interval(4, 1), 2);
        assert_eq!(derive_compact_interval(4, 3), 4);
        assert_eq!(derive_compact_interval(3, 5), 6);
        assert_eq!(derive_compact_interval(5, 4), 5);
        assert_eq!(derive_compact_interval(4, 9), 5);
        assert_eq!(derive_compact_interval(3, 4), 5);
        assert_eq!(derive_compact_interval(5, 11), 6);
        assert_eq!(derive_compact_interval(12, 11), 12);
        assert_eq!(derive_compact_interval(4, 10), 11);
        assert_eq!(derive_compact_interval(10, 9), 10);
    }
}
