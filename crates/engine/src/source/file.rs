//! The file source (`FileStreamSource`): new files in a directory, oldest first, tracked in
//! `<checkpoint>/sources/<i>` so each file is read exactly once across restarts.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::datatypes::{Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use streamlab_checkpoint::{file_uri, path_of_uri, FileStreamSinkLog, FileStreamSourceLog, SourceFileEntry};
use streamlab_io::{FileFormat, ReadOptions};
use streamlab_storage::{file_name, join, FileStatus, Storage};
use streamlab_types::interval::parse_time_string_ms;
use streamlab_types::{Result, SparkError};

use super::glob::{glob_match, is_glob};
use super::read_ahead::{FileReader, ReadAhead};
use super::{option, ReadLimit, Source, SourceContext, SourceSpec};
use crate::output::Level;

/// Spark drops the cached remainder of a listing when it holds fewer than this share of
/// `maxFilesPerTrigger` files, so the next batch re-lists instead of reading a thin batch.
const DISCARD_UNSEEN_FILES_RATIO: f64 = 0.2;
/// `spark.sql.streaming.fileSource.log.maxCachedFiles`'s default (`maxCachedFiles`).
const MAX_CACHED_FILES: usize = 10_000;

/// The options of a file stream (`FileStreamOptions`), validated as Spark validates them.
#[derive(Debug, Clone)]
struct FileStreamOptions {
    max_files_per_trigger: Option<usize>,
    latest_first: bool,
    max_file_age_ms: i64,
    file_name_only: bool,
    path_glob_filter: Option<String>,
    recursive_file_lookup: bool,
}

fn boolean_option(options: &[(String, String)], name: &str) -> Result<bool> {
    match option(options, name) {
        None => Ok(false),
        Some(v) => match v.to_ascii_lowercase().as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(SparkError::illegal_argument(format!(
                "Invalid value '{v}' for option '{name}', must be 'true' or 'false'"
            ))),
        },
    }
}

impl FileStreamOptions {
    fn parse(options: &[(String, String)]) -> Result<Self> {
        for key in ["modifiedBefore", "modifiedAfter"] {
            if option(options, key).is_some() {
                return Err(SparkError::illegal_argument(format!(
                    "option '{}' is not allowed in file stream sources",
                    key.to_ascii_lowercase()
                )));
            }
        }
        let max_files_per_trigger = match option(options, "maxFilesPerTrigger") {
            None => None,
            Some(v) => match v.trim().parse::<i32>() {
                Ok(n) if n > 0 => Some(n as usize),
                _ => {
                    return Err(SparkError::illegal_argument(format!(
                        "Invalid value '{v}' for option 'maxFilesPerTrigger', must be a positive integer"
                    )))
                }
            },
        };
        let max_file_age_ms = parse_time_string_ms(option(options, "maxFileAge").unwrap_or("7d"))?;
        if let Some(mode) = option(options, "cleanSource") {
            match mode.to_ascii_lowercase().as_str() {
                "off" => {}
                "archive" if option(options, "sourceArchiveDir").is_none() => {
                    return Err(SparkError::illegal_argument(
                        "Archive mode must be used with 'sourceArchiveDir' option.",
                    ))
                }
                "archive" | "delete" => {
                    return Err(SparkError::unsupported(format!(
                        "StreamLab does not implement cleanSource={mode}: source files are never moved or deleted."
                    )))
                }
                _ => {
                    return Err(SparkError::illegal_argument(format!(
                        "Invalid mode for clean source option Some({mode}). Must be one of ARCHIVE,DELETE,OFF"
                    )))
                }
            }
        }
        Ok(FileStreamOptions {
            max_files_per_trigger,
            latest_first: boolean_option(options, "latestFirst")?,
            max_file_age_ms,
            file_name_only: boolean_option(options, "fileNameOnly")?,
            path_glob_filter: option(options, "pathGlobFilter").map(str::to_string),
            recursive_file_lookup: boolean_option(options, "recursiveFileLookup")?,
        })
    }
}

/// Files already taken, so a file is read once even if re-listed (`SeenFilesMap`). Entries older
/// than `maxFileAge` before the newest file are forgotten, and files that old are not new.
#[derive(Debug)]
struct SeenFiles {
    max_age_ms: i64,
    file_name_only: bool,
    map: HashMap<String, i64>,
    latest_timestamp: i64,
    last_purge_timestamp: i64,
}

impl SeenFiles {
    fn new(max_age_ms: i64, file_name_only: bool) -> Self {
        SeenFiles { max_age_ms, file_name_only, map: HashMap::new(), latest_timestamp: 0, last_purge_timestamp: 0 }
    }

    fn key(&self, path: &str) -> String {
        if self.file_name_only {
            file_name(path).to_string()
        } else {
            path.to_string()
        }
    }

    fn add(&mut self, path: &str, timestamp: i64) {
        self.map.insert(self.key(path), timestamp);
        self.latest_timestamp = self.latest_timestamp.max(timestamp);
    }

    fn is_new(&self, path: &str, timestamp: i64) -> bool {
        timestamp >= self.last_purge_timestamp && !self.map.contains_key(&self.key(path))
    }

    fn purge(&mut self) {
        self.last_purge_timestamp = self.latest_timestamp.saturating_sub(self.max_age_ms);
        let limit = self.last_purge_timestamp;
        self.map.retain(|_, ts| *ts >= limit);
    }
}

/// A candidate file: its `file://` URI and modification time.
type Candidate = (String, i64);

/// The streaming file source.
pub struct FileStreamSource {
    storage: Arc<dyn Storage>,
    format: FileFormat,
    schema: SchemaRef,
    data_schema: SchemaRef,
    partition_columns: Vec<usize>,
    read_options: ReadOptions,
    base_dir: String,
    name_glob: Option<String>,
    options: FileStreamOptions,
    log: FileStreamSourceLog,
    seen: SeenFiles,
    log_offset: i64,
    unread: Option<Vec<Candidate>>,
    available_now: Option<Vec<Candidate>>,
    read_ahead: ReadAhead,
    /// The log offsets of the last `get_batch` and the paths it read: the batch report asks for
    /// them right after the batch, and answering from here spares a fresh reading of the log.
    last_read: Option<(Option<i64>, i64, Vec<String>)>,
}

impl FileStreamSource {
    /// Creates the source for `spec`, restoring what its metadata log says was already read.
    pub fn new(spec: &SourceSpec, ctx: SourceContext) -> Result<Self> {
        let format = FileFormat::from_name(&spec.format).ok_or_else(|| unknown_format(&spec.format))?;
        let options = FileStreamOptions::parse(&spec.options)?;
        if options.latest_first {
            ctx.output.log(
                Level::Warn,
                "FileStreamSource",
                "'latestFirst' is true. New files will be processed first, which may affect the watermark\nvalue. In addition, 'maxFileAge' will be ignored.",
            );
        }
        let mut read_opts: Vec<(String, String)> =
            vec![("columnNameOfCorruptRecord".to_string(), ctx.corrupt_column.clone())];
        read_opts.extend(spec.options.iter().cloned());
        let (read_options, warnings) = ReadOptions::parse(&read_opts)?;
        for w in warnings {
            ctx.output.log(Level::Warn, "ParseMode", &w);
        }
        let path = spec.path.clone().ok_or_else(|| SparkError::illegal_argument("'path' is not specified."))?;
        let abs = ctx.storage.absolute(&path);
        let (base_dir, name_glob) = match is_glob(file_name(&abs)) {
            true => (streamlab_storage::parent(&abs).to_string(), Some(file_name(&abs).to_string())),
            false => (abs, None),
        };
        let (data_schema, partition_columns) = split_partition_columns(&ctx.storage, &base_dir, &spec.schema);
        let max_age = if options.latest_first && options.max_files_per_trigger.is_some() {
            i64::MAX
        } else {
            options.max_file_age_ms
        };
        let log = FileStreamSourceLog::new(ctx.storage.clone(), &ctx.metadata_dir, ctx.compact_interval);
        let mut seen = SeenFiles::new(max_age, options.file_name_only);
        for entry in log.all_entries()? {
            seen.add(&entry.path, entry.timestamp);
        }
        seen.purge();
        let log_offset = log.latest_batch_id()?.unwrap_or(-1);
        Ok(FileStreamSource {
            storage: ctx.storage,
            format,
            schema: spec.schema.clone(),
            data_schema,
            partition_columns,
            read_options,
            base_dir,
            name_glob,
            options,
            log,
            seen,
            log_offset,
            unread: None,
            available_now: None,
            read_ahead: ReadAhead::default(),
            last_read: None,
        })
    }

    /// Every file currently in the directory, oldest first (`fetchAllFiles`).
    fn fetch_all_files(&self) -> Result<Vec<Candidate>> {
        let sink_log_dir = join(&self.base_dir, "_spark_metadata");
        let mut files: Vec<Candidate> = if self.name_glob.is_none() && self.storage.exists(&sink_log_dir)? {
            FileStreamSinkLog::new(self.storage.clone(), &sink_log_dir, 10)
                .all_files()?
                .into_iter()
                .map(|f| (f.path, f.modification_time))
                .collect()
        } else {
            let mut found = Vec::new();
            self.list_into(&self.base_dir, true, &mut found)?;
            found.into_iter().map(|s| (file_uri(&s.path), s.modification_time_ms)).collect()
        };
        // Stable sort on time; ties by path, where Spark leaves the file system's order.
        files.sort_by(|a, b| a.0.cmp(&b.0));
        if self.options.latest_first {
            files.sort_by_key(|f| std::cmp::Reverse(f.1));
        } else {
            files.sort_by_key(|a| a.1);
        }
        Ok(files)
    }

    fn list_into(&self, dir: &str, top: bool, out: &mut Vec<FileStatus>) -> Result<()> {
        for status in self.storage.list(dir)? {
            let name = status.name();
            if name.starts_with('_') || name.starts_with('.') {
                continue;
            }
            if status.is_dir {
                if self.options.recursive_file_lookup || name.contains('=') {
                    self.list_into(&status.path, false, out)?;
                }
                continue;
            }
            if top {
                if let Some(glob) = &self.name_glob {
                    if !glob_match(glob, name) {
                        continue;
                    }
                }
            }
            if let Some(filter) = &self.options.path_glob_filter {
                if !glob_match(filter, name) {
                    continue;
                }
            }
            out.push(status);
        }
        Ok(())
    }

    fn reader(&self) -> FileReader {
        FileReader {
            storage: self.storage.clone(),
            format: self.format,
            schema: self.data_schema.clone(),
            options: self.read_options.clone(),
        }
    }

    fn read_entry(&mut self, entry: &SourceFileEntry) -> Result<RecordBatch> {
        let path = path_of_uri(&entry.path)?;
        let batch = match self.read_ahead.take(&path, self.storage.as_ref()) {
            Some(read) => read?,
            None => self.reader().read(&path)?.0,
        };
        if self.partition_columns.is_empty() {
            return Ok(batch);
        }
        self.add_partition_values(&path, batch)
    }

    /// Appends the `key=value` directory values of `path` as the partition columns.
    fn add_partition_values(&self, path: &str, batch: RecordBatch) -> Result<RecordBatch> {
        let values = crate::partition::partition_values(&self.base_dir, path);
        let columns: Vec<(Field, Option<String>)> = self
            .partition_columns
            .iter()
            .map(|&i| {
                let field = self.schema.field(i).clone();
                let value = values.iter().find(|(k, _)| k.eq_ignore_ascii_case(field.name())).map(|(_, v)| v.clone());
                (field, value)
            })
            .collect();
        let appended = crate::partition::append_columns(batch, &columns)?;
        Ok(RecordBatch::try_new(self.schema.clone(), appended.columns().to_vec())?)
    }
}

impl FileStreamSource {
    /// Starts reading the files the next batch will take: the head of the cached listing, when
    /// `maxFilesPerTrigger` makes batches take from it (see [`super::read_ahead`]).
    fn read_next_batch_ahead(&mut self) {
        let (Some(n), Some(unread), false) = (self.options.max_files_per_trigger, &self.unread, self.options.latest_first) else {
            return;
        };
        let paths: Vec<String> = unread.iter().take(n).filter_map(|(uri, _)| path_of_uri(uri).ok()).collect();
        let reader = self.reader();
        self.read_ahead.start(&reader, paths);
    }
}

/// Spark's error for a format no source knows.
pub(crate) fn unknown_format(format: &str) -> SparkError {
    SparkError::new(
        streamlab_types::ErrorKind::Runtime,
        format!("Failed to find the data source: {format}. Please find packages at `https://spark.apache.org/third-party-projects.html`."),
    )
    .with_class("DATA_SOURCE_NOT_FOUND")
}

/// Splits the user schema into the columns read from files and the partition columns, which
/// Spark fills from `key=value` directories and moves to the end of the schema.
fn split_partition_columns(storage: &Arc<dyn Storage>, dir: &str, schema: &SchemaRef) -> (SchemaRef, Vec<usize>) {
    let keys: Vec<String> = storage
        .list(dir)
        .unwrap_or_default()
        .iter()
        .filter(|s| s.is_dir)
        .filter_map(|s| s.name().split_once('=').map(|(k, _)| k.to_ascii_lowercase()))
        .collect();
    let partition: Vec<usize> = (0..schema.fields().len())
        .filter(|&i| keys.contains(&schema.field(i).name().to_ascii_lowercase()))
        .collect();
    if partition.is_empty() {
        return (schema.clone(), partition);
    }
    let data_fields: Vec<_> = (0..schema.fields().len())
        .filter(|i| !partition.contains(i))
        .map(|i| schema.field(i).clone())
        .collect();
    (Arc::new(Schema::new(data_fields)), partition)
}

/// Parses `{"logOffset":N}`.
fn log_offset(json: &str) -> Result<i64> {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| v.get("logOffset").and_then(|o| o.as_i64()))
        .ok_or_else(|| SparkError::illegal_state(format!("Invalid file stream source offset: {json}")))
}

/// The log batch ids of the offsets `(start, end]`: `start` is `None` before the first batch.
fn log_range(start: Option<&str>, end: &str) -> Result<(Option<i64>, i64)> {
    Ok((start.map(log_offset).transpose()?, log_offset(end)?))
}

impl Source for FileStreamSource {
    fn description(&self) -> String {
        format!("FileStreamSource[file:{}]", self.base_dir)
    }

    fn default_read_limit(&self) -> ReadLimit {
        self.options.max_files_per_trigger.map_or(ReadLimit::AllAvailable, ReadLimit::MaxFiles)
    }

    fn read_limit_text(&self) -> Option<String> {
        self.options.max_files_per_trigger.map(|n| format!("MaxFiles: {n}"))
    }

    fn prepare_for_available_now(&mut self) -> Result<()> {
        self.available_now = Some(self.fetch_all_files()?);
        Ok(())
    }

    fn latest_offset(&mut self, _start: Option<&str>, limit: ReadLimit) -> Result<Option<String>> {
        let new_files: Vec<Candidate> = match self.unread.take() {
            Some(unread) if !unread.is_empty() => unread,
            _ => {
                let all = match &self.available_now {
                    Some(files) => files.clone(),
                    None => self.fetch_all_files()?,
                };
                all.into_iter().filter(|(p, ts)| self.seen.is_new(p, *ts)).collect()
            }
        };
        let batch_files: Vec<Candidate> = match limit {
            ReadLimit::MaxFiles(n) if !self.options.latest_first => {
                let mut files = new_files;
                let rest = files.split_off(n.min(files.len()));
                if !rest.is_empty() && rest.len() as f64 >= n as f64 * DISCARD_UNSEEN_FILES_RATIO {
                    self.unread = Some(rest.into_iter().take(MAX_CACHED_FILES).collect());
                }
                files
            }
            ReadLimit::MaxFiles(n) => new_files.into_iter().take(n).collect(),
            ReadLimit::MaxRows(_) | ReadLimit::AllAvailable => new_files,
        };
        for (path, ts) in &batch_files {
            self.seen.add(path, *ts);
        }
        self.seen.purge();
        if !batch_files.is_empty() {
            self.log_offset += 1;
            let entries: Vec<SourceFileEntry> = batch_files
                .into_iter()
                .map(|(path, timestamp)| SourceFileEntry { path, timestamp, batch_id: self.log_offset })
                .collect();
            if !self.log.add(self.log_offset, &entries)? {
                return Err(SparkError::illegal_state(format!(
                    "Concurrent update to the log. Multiple streaming jobs detected for {}",
                    self.log_offset
                )));
            }
        }
        Ok((self.log_offset >= 0).then(|| format!("{{\"logOffset\":{}}}", self.log_offset)))
    }

    fn get_batch(&mut self, start: Option<&str>, end: &str) -> Result<Vec<RecordBatch>> {
        let (start_id, end_id) = log_range(start, end)?;
        let entries = self.log.get_range(start_id, end_id)?;
        let mut batches = Vec::with_capacity(entries.len());
        let mut paths = Vec::with_capacity(entries.len());
        for entry in &entries {
            batches.push(self.read_entry(entry)?);
            paths.push(path_of_uri(&entry.path)?);
        }
        self.last_read = Some((start_id, end_id, paths));
        self.read_next_batch_ahead();
        Ok(batches)
    }

    fn files_between(&mut self, start: Option<&str>, end: Option<&str>) -> Result<Vec<String>> {
        let Some(end) = end else { return Ok(Vec::new()) };
        let (start_id, end_id) = log_range(start, end)?;
        match &self.last_read {
            Some((read_start, read_end, paths)) if (*read_start, *read_end) == (start_id, end_id) => Ok(paths.clone()),
            _ => self.log.get_range(start_id, end_id)?.iter().map(|e| path_of_uri(&e.path)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_files_follow_spark_suite() {
        // FileStreamSourceSuite "SeenFilesMap".
        let mut map = SeenFiles::new(10, false);
        map.add("a", 5);
        map.purge();
        assert_eq!(map.map.len(), 1);
        // The gap is exactly 10 ms: nothing to purge yet.
        map.add("b", 15);
        map.purge();
        assert_eq!(map.map.len(), 2);
        map.add("c", 16);
        assert_eq!(map.map.len(), 3);
        map.purge();
        assert_eq!(map.map.len(), 2);
        map.add("c", 25);
        assert_eq!(map.map.len(), 2);
        assert!(!map.is_new("c", 20));
        assert!(!map.is_new("d", 5));
        assert!(map.is_new("e", 20));
    }

    #[test]
    fn option_errors_match_spark() {
        let opts = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
        for bad in ["not-a-integer", "-1", "0", "10.1"] {
            let e = FileStreamOptions::parse(&opts("maxFilesPerTrigger", bad)).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("Invalid value '{bad}' for option 'maxFilesPerTrigger', must be a positive integer")
            );
        }
        let e = FileStreamOptions::parse(&opts("latestFirst", "yes")).unwrap_err();
        assert_eq!(e.to_string(), "Invalid value 'yes' for option 'latestFirst', must be 'true' or 'false'");
        let e = FileStreamOptions::parse(&opts("modifiedAfter", "2020-01-01")).unwrap_err();
        assert_eq!(e.to_string(), "option 'modifiedafter' is not allowed in file stream sources");
        let e = FileStreamOptions::parse(&opts("cleanSource", "bogus")).unwrap_err();
        assert_eq!(e.to_string(), "Invalid mode for clean source option Some(bogus). Must be one of ARCHIVE,DELETE,OFF");
        let o = FileStreamOptions::parse(&opts("MAXFILESPERTRIGGER", "2")).unwrap();
        assert_eq!(o.max_files_per_trigger, Some(2));
        assert_eq!(o.max_file_age_ms, 7 * 24 * 3600 * 1000);
    }
}
