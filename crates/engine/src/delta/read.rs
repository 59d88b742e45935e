//! `spark.read.format("delta").load(path)`: the rows of the table's latest snapshot.

use std::sync::Arc;

use arrow::datatypes::{Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use streamlab_checkpoint::path_of_uri;
use streamlab_storage::join;
use streamlab_types::{Result, SparkError};

use super::paths;
use super::table::DeltaLog;
use crate::partition::append_columns;

/// Reads every live data file of the table at `path` with the table's latest schema: data
/// columns from the Parquet files (missing ones null), partition columns from each file's
/// `partitionValues`, in the table's column order.
///
/// Why: Delta readers must follow the log, not list the directory: files of replaced or
/// uncommitted writes stay on disk until vacuumed.
///
/// A path with no Delta log is Delta's `DELTA_MISSING_DELTA_TABLE`; a missing path is Spark's
/// `PATH_NOT_FOUND`.
pub fn read_table(log: &DeltaLog) -> Result<(SchemaRef, Vec<RecordBatch>)> {
    let storage = log.storage();
    if !storage.exists(log.root())? {
        return Err(SparkError::analysis(format!("Path does not exist: file:{}.", log.root())).with_class("PATH_NOT_FOUND"));
    }
    let snapshot = log.require_snapshot()?;
    snapshot.check_readable()?;
    let schema = snapshot.schema.clone();
    let is_partition = |name: &str| snapshot.metadata.partition_columns.iter().any(|p| p.eq_ignore_ascii_case(name));
    let data_fields: Vec<Field> = schema.fields().iter().filter(|f| !is_partition(f.name())).map(|f| f.as_ref().clone()).collect();
    let data_schema = Arc::new(Schema::new(data_fields));
    let partition_fields: Vec<Field> = schema.fields().iter().filter(|f| is_partition(f.name())).map(|f| f.as_ref().clone()).collect();
    let mut batches = Vec::with_capacity(snapshot.files().len());
    for file in snapshot.files() {
        let path = file_path(log.root(), &file.path)?;
        let data = streamlab_io::read_parquet(&storage.read(&path)?, &data_schema)?;
        let values: Vec<(Field, Option<String>)> = partition_fields
            .iter()
            .map(|f| {
                let value = file.partition_values.iter().find(|(k, _)| k.eq_ignore_ascii_case(f.name())).and_then(|(_, v)| v.clone());
                (f.clone(), value)
            })
            .collect();
        let with_partitions = append_columns(data, &values)?;
        batches.push(in_table_order(&with_partitions, &schema)?);
    }
    Ok((schema, batches))
}

/// Where an `add.path` points: an absolute `file:` URI, or a path relative to the root.
fn file_path(root: &str, add_path: &str) -> Result<String> {
    if add_path.starts_with("file:") {
        return path_of_uri(add_path);
    }
    if add_path.contains("://") {
        return Err(SparkError::unsupported(format!("StreamLab reads Delta data files on its own storage only, not {add_path}")));
    }
    Ok(join(root, &paths::decode(add_path)))
}

/// Reorders `batch`'s columns (data columns then partition columns) into the table's order.
fn in_table_order(batch: &RecordBatch, schema: &SchemaRef) -> Result<RecordBatch> {
    let have = batch.schema();
    let columns = schema
        .fields()
        .iter()
        .map(|f| {
            have.index_of(f.name())
                .map(|i| batch.column(i).clone())
                .map_err(|_| SparkError::runtime(format!("Column {} is missing from a Delta data file", f.name())))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(RecordBatch::try_new(schema.clone(), columns)?)
}
