//! The file sink: part files plus `<path>/_spark_metadata/<batchId>`, the log that makes a
//! batch's files visible all at once (readers ignore files the log does not list).

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{ArrayRef, UInt32Array};
use arrow::compute::{concat_batches, take};
use arrow::datatypes::{Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use streamlab_checkpoint::{file_uri, FileStreamSinkLog, SinkFileStatus};
use streamlab_io::FileFormat;
use streamlab_storage::{join, Storage};
use streamlab_types::show::cell_to_string;
use streamlab_types::{Result, SparkError};

use super::{OutputMode, Sink};
use crate::output::{Level, Output};

/// Hadoop's default block size for the local file system, as Spark records it.
const BLOCK_SIZE: i64 = 33_554_432;

/// `format("parquet"|"json"|"csv"|"text").start(path)`.
pub struct FileSink {
    storage: Arc<dyn Storage>,
    output: std::rc::Rc<dyn Output>,
    path: String,
    format: FileFormat,
    partition_by: Vec<String>,
    log: FileStreamSinkLog,
    /// The last batch in the sink log, read once and then kept (this sink is its only writer).
    last_committed: Option<Option<i64>>,
    new_uuid: Box<dyn Fn() -> String>,
}

impl FileSink {
    /// A sink writing `format` files under `path` (absolute).
    pub fn new(
        storage: Arc<dyn Storage>,
        output: std::rc::Rc<dyn Output>,
        path: &str,
        format: FileFormat,
        partition_by: Vec<String>,
        compact_interval: i64,
        new_uuid: Box<dyn Fn() -> String>,
    ) -> Self {
        let log = FileStreamSinkLog::new(storage.clone(), &join(path, "_spark_metadata"), compact_interval);
        FileSink { storage, output, path: path.to_string(), format, partition_by, log, last_committed: None, new_uuid }
    }

    /// Spark's checks of `partitionBy` columns against the query's schema.
    pub fn validate_partition_columns(partition_by: &[String], schema: &Schema) -> Result<()> {
        for name in partition_by {
            if schema.fields().iter().all(|f| !f.name().eq_ignore_ascii_case(name)) {
                let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
                return Err(SparkError::analysis(format!(
                    "Partition column `{name}` not found in schema struct<{}>",
                    names.join(",")
                )));
            }
        }
        if !partition_by.is_empty() && partition_by.len() >= schema.fields().len() {
            return Err(SparkError::analysis("Cannot use all columns for partition columns"));
        }
        Ok(())
    }

    /// Writes one part file and its checksum side file; returns its log entry.
    fn write_part(&self, dir: &str, index: usize, job_id: &str, batch: &RecordBatch) -> Result<SinkFileStatus> {
        let data = streamlab_io::write_file(self.format, std::slice::from_ref(batch), &batch.schema())?;
        let name = format!("part-{index:05}-{job_id}-c000{}", self.format.file_extension());
        let path = join(dir, &name);
        self.storage.write(&path, &data)?;
        streamlab_checkpoint::write_checksum_file(self.storage.as_ref(), &path, &data)?;
        let mtime = self.storage.status(&path)?.map_or(0, |s| s.modification_time_ms);
        Ok(SinkFileStatus {
            path: file_uri(&self.storage.absolute(&path)),
            size: data.len() as u64,
            is_dir: false,
            modification_time: mtime,
            block_replication: 1,
            block_size: BLOCK_SIZE,
            action: "add".into(),
        })
    }

    /// Splits `batch` by the partition columns' values into `(relative dir, rows without the
    /// partition columns)`, in order of first appearance.
    fn partition(&self, batch: &RecordBatch) -> Result<Vec<(String, RecordBatch)>> {
        let schema = batch.schema();
        let key_columns: Vec<usize> = self
            .partition_by
            .iter()
            .filter_map(|p| schema.fields().iter().position(|f| f.name().eq_ignore_ascii_case(p)))
            .collect();
        let mut groups: Vec<(String, Vec<u32>)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for row in 0..batch.num_rows() {
            let dir: Vec<String> = key_columns
                .iter()
                .map(|&c| {
                    let column = batch.column(c);
                    let value = if column.is_null(row) {
                        "__HIVE_DEFAULT_PARTITION__".to_string()
                    } else {
                        escape_path_name(&cell_to_string(column.as_ref(), row))
                    };
                    format!("{}={}", escape_path_name(schema.field(c).name()), value)
                })
                .collect();
            let dir = dir.join("/");
            let slot = *index.entry(dir.clone()).or_insert_with(|| {
                groups.push((dir, Vec::new()));
                groups.len() - 1
            });
            if let Some((_, rows)) = groups.get_mut(slot) {
                rows.push(row as u32);
            }
        }
        let data_columns: Vec<usize> = (0..schema.fields().len()).filter(|i| !key_columns.contains(i)).collect();
        let data_schema = Arc::new(schema.project(&data_columns)?);
        groups
            .into_iter()
            .map(|(dir, rows)| {
                let indices = UInt32Array::from(rows);
                let columns: Vec<ArrayRef> = data_columns
                    .iter()
                    .map(|&c| take(batch.column(c).as_ref(), &indices, None))
                    .collect::<std::result::Result<_, _>>()?;
                Ok((dir, RecordBatch::try_new(data_schema.clone(), columns)?))
            })
            .collect()
    }
}

/// Hive's `escapePathName`: characters that cannot appear in a path segment become `%XX`.
pub(crate) fn escape_path_name(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let special = c < ' '
            || matches!(c, '"' | '#' | '%' | '\'' | '*' | '/' | ':' | '=' | '?' | '\\' | '\x7f' | '{' | '[' | ']' | '^');
        if special {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

impl Sink for FileSink {
    fn only_writes_through_storage(&self) -> bool {
        true
    }

    fn description(&self) -> String {
        format!("FileSink[{}]", self.path)
    }

    fn add_batch(&mut self, batch_id: i64, data: &[RecordBatch], schema: &SchemaRef, _mode: OutputMode) -> Result<()> {
        let last = match self.last_committed {
            Some(last) => last,
            None => self.log.latest_batch_id()?,
        };
        self.last_committed = Some(last);
        if last.is_some_and(|last| batch_id <= last) {
            self.output.log(Level::Info, "FileStreamSink", &format!("Skipping already committed batch {batch_id}"));
            return Ok(());
        }
        let all = concat_batches(schema, data)?;
        let job_id = (self.new_uuid)();
        let mut files = Vec::new();
        if all.num_rows() > 0 {
            if self.partition_by.is_empty() {
                files.push(self.write_part(&self.path, 0, &job_id, &all)?);
            } else {
                for (i, (dir, rows)) in self.partition(&all)?.into_iter().enumerate() {
                    files.push(self.write_part(&join(&self.path, &dir), i, &job_id, &rows)?);
                }
            }
        }
        if !self.log.add(batch_id, &files)? {
            return Err(SparkError::illegal_state(format!(
                "Concurrent update to the log. Multiple streaming jobs detected for {batch_id}"
            )));
        }
        self.last_committed = Some(Some(batch_id));
        Ok(())
    }

    fn reported_output_rows(&self, _rows: usize) -> i64 {
        -1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_hive() {
        assert_eq!(escape_path_name("a/b=c"), "a%2Fb%3Dc");
        assert_eq!(escape_path_name("sit"), "sit");
    }
}
