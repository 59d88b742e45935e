//! Writing to a Delta table: Parquet data files named as Delta names them, then one commit
//! that makes them (and the removal of replaced files) visible at once.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use arrow::array::{ArrayRef, UInt32Array};
use arrow::compute::take;
use arrow::datatypes::{Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use serde_json::{json, Value};
use streamlab_io::FileFormat;
use streamlab_storage::join;
use streamlab_types::show::cell_to_string;
use streamlab_types::{Result, SparkError};

use super::errors::metadata_mismatch;
use super::log::{Action, AddFile, Format, Metadata, Protocol, RemoveFile, Txn};
use super::paths;
use super::schema::{has_timestamp_ntz, parse_schema_string, schema_string};
use super::stats::file_stats;
use super::table::{DeltaLog, Snapshot};
use crate::sink::escape_path_name;

/// What `commitInfo.engineInfo` says wrote the commit.
const ENGINE_INFO: &str = concat!("StreamLab/", env!("CARGO_PKG_VERSION"));

/// What a write does to the rows already in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// Adds rows (append output mode).
    Append,
    /// Replaces every row (complete output mode); the schema may change.
    Overwrite,
}

/// The `STREAMING UPDATE` operation recorded in `commitInfo`: which micro-batch of which
/// query wrote the commit.
#[derive(Debug, Clone)]
pub struct StreamingUpdate {
    /// `Append` or `Complete`.
    pub output_mode: String,
    /// The query id.
    pub query_id: String,
    /// The batch id.
    pub epoch_id: i64,
}

/// Everything about one write except the rows.
pub struct WriteOptions<'a> {
    /// Partition columns asked for (`partitionBy`); empty keeps the table's.
    pub partition_by: &'a [String],
    /// Append or overwrite.
    pub mode: WriteMode,
    /// The `txn` to record: (application id, version).
    pub app_transaction: Option<(String, i64)>,
    /// The `commitInfo` operation.
    pub operation: StreamingUpdate,
    /// The commit time, ms since the epoch.
    pub now_ms: i64,
    /// Fresh UUIDs for file names, the table id and `txnId`.
    pub new_uuid: &'a dyn Fn() -> String,
}

/// The protocol a new table with `schema` needs: (1, 2), or table features (3, 7) with
/// `timestampNtz` when it has `timestamp_ntz` columns.
fn protocol_for(schema: &Schema) -> Protocol {
    if has_timestamp_ntz(schema.fields()) {
        let features = Some(vec!["timestampNtz".to_string()]);
        Protocol { min_reader_version: 3, min_writer_version: 7, reader_features: features.clone(), writer_features: features }
    } else {
        Protocol { min_reader_version: 1, min_writer_version: 2, reader_features: None, writer_features: None }
    }
}

fn new_metadata(id: String, schema: &Schema, partition_columns: Vec<String>, now_ms: i64) -> Result<Metadata> {
    Ok(Metadata {
        id,
        format: Format { provider: "parquet".into(), options: BTreeMap::new() },
        schema_string: schema_string(schema)?,
        partition_columns,
        configuration: BTreeMap::new(),
        created_time: Some(now_ms),
    })
}

/// Creates an empty table at the log's root with `schema` and `partition_by`, as
/// `CREATE TABLE … USING delta` (and `toTable` for a new table) does: version 0 holding
/// `commitInfo`, `protocol` and `metaData`. A table already there is left as it is.
pub fn create_table(log: &DeltaLog, schema: &Schema, partition_by: &[String], now_ms: i64, new_uuid: &dyn Fn() -> String) -> Result<()> {
    if log.latest_version()?.is_some() {
        return Ok(());
    }
    let partition_columns = resolve_partition_columns(schema, partition_by)?;
    let partition_text = serde_json::to_string(&partition_columns).unwrap_or_default();
    let info = json!({
        "timestamp": now_ms,
        "operation": "CREATE TABLE",
        "operationParameters": {
            "partitionBy": partition_text,
            "clusterBy": "[]",
            "description": null,
            "isManaged": "true",
            "properties": "{}"
        },
        "isolationLevel": "Serializable",
        "isBlindAppend": true,
        "operationMetrics": {},
        "engineInfo": ENGINE_INFO,
        "txnId": new_uuid()
    });
    let actions = [
        Action::CommitInfo(info),
        Action::Protocol(protocol_for(schema)),
        Action::Metadata(new_metadata(new_uuid(), schema, partition_columns, now_ms)?),
    ];
    // Losing the race to another creator leaves its table, which is what we wanted.
    log.try_commit(0, &actions)?;
    Ok(())
}

/// The partition columns as the schema spells them; Delta's error for one it lacks.
fn resolve_partition_columns(schema: &Schema, partition_by: &[String]) -> Result<Vec<String>> {
    partition_by
        .iter()
        .map(|p| {
            schema.fields().iter().find(|f| f.name().eq_ignore_ascii_case(p)).map(|f| f.name().clone()).ok_or_else(|| {
                let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
                SparkError::analysis(format!("Partition column `{p}` not found in schema {}", names.join(", ")))
                    .with_class("DELTA_MISSING_PARTITION_COLUMN")
            })
        })
        .collect()
}

/// Writes `batch` as one commit on top of `snapshot` (`None`: a new table) and returns the
/// committed version.
///
/// Why: a micro-batch must become visible all at once, together with its `txn`, so a
/// restart can tell whether it was written.
pub fn write_commit(log: &DeltaLog, snapshot: Option<&Snapshot>, batch: &RecordBatch, options: &WriteOptions<'_>) -> Result<i64> {
    let data_schema = batch.schema();
    let mut actions = vec![Action::CommitInfo(Value::Null)];
    let (metadata, read_version) = match snapshot {
        None => {
            let partition_columns = resolve_partition_columns(&data_schema, options.partition_by)?;
            let metadata = new_metadata((options.new_uuid)(), &data_schema, partition_columns, options.now_ms)?;
            actions.push(Action::Protocol(protocol_for(&data_schema)));
            actions.push(Action::Metadata(metadata.clone()));
            (metadata, None)
        }
        Some(snapshot) => {
            snapshot.check_writable()?;
            let metadata = match updated_metadata(snapshot, &data_schema, options)? {
                Some(changed) => {
                    let schema = parse_schema_string(&changed.schema_string)?;
                    let has_feature = snapshot.protocol.reader_features.iter().flatten().any(|f| f == "timestampNtz");
                    if has_timestamp_ntz(schema.fields()) && !has_feature {
                        actions.push(Action::Protocol(protocol_for(&schema)));
                    }
                    actions.push(Action::Metadata(changed.clone()));
                    changed
                }
                None => snapshot.metadata.clone(),
            };
            (metadata, Some(snapshot.version))
        }
    };
    if let Some((app_id, version)) = &options.app_transaction {
        actions.push(Action::Txn(Txn { app_id: app_id.clone(), version: *version, last_updated: Some(options.now_ms) }));
    }
    let removed = match (options.mode, snapshot) {
        (WriteMode::Overwrite, Some(snapshot)) => snapshot.files().iter().map(|f| remove_of(f, options.now_ms)).collect(),
        _ => Vec::new(),
    };
    let added = write_data_files(log, batch, &metadata.partition_columns, options.new_uuid)?;
    let info = commit_info(options, read_version, batch.num_rows(), &added, removed.len());
    if let Some(first) = actions.first_mut() {
        *first = Action::CommitInfo(info);
    }
    actions.extend(removed.into_iter().map(Action::Remove));
    actions.extend(added.into_iter().map(Action::Add));
    let version = read_version.map_or(0, |v| v + 1);
    if !log.try_commit(version, &actions)? {
        return Err(concurrent_write(options, log.root(), version));
    }
    Ok(version)
}

/// The metadata the write leaves the table with, when it differs from the snapshot's;
/// Delta's mismatch error when an append does not fit the table.
fn updated_metadata(snapshot: &Snapshot, data_schema: &Schema, options: &WriteOptions<'_>) -> Result<Option<Metadata>> {
    let table = &snapshot.metadata;
    let given = resolve_partition_columns(data_schema, options.partition_by)?;
    let partitioning_differs = !given.is_empty()
        && (given.len() != table.partition_columns.len()
            || given.iter().zip(&table.partition_columns).any(|(g, t)| !g.eq_ignore_ascii_case(t)));
    let written = parse_schema_string(&schema_string(data_schema)?)?;
    let fits = fits_table(&written, &snapshot.schema);
    match options.mode {
        WriteMode::Append if fits && !partitioning_differs => Ok(None),
        WriteMode::Append => Err(metadata_mismatch(
            &table.id,
            (!fits).then_some((snapshot.schema.as_ref(), written.as_ref())),
            partitioning_differs.then_some((table.partition_columns.as_slice(), given.as_slice())),
        )),
        WriteMode::Overwrite => {
            let same_schema = written.fields() == snapshot.schema.fields();
            if same_schema && !partitioning_differs {
                return Ok(None);
            }
            let partition_columns = if given.is_empty() { table.partition_columns.clone() } else { given };
            let mut metadata = table.clone();
            metadata.schema_string = schema_string(&written)?;
            metadata.partition_columns = resolve_partition_columns(&written, &partition_columns)?;
            Ok(Some(metadata))
        }
    }
}

/// Whether every data column is a table column (case-insensitively) of the same type.
/// Columns the data lacks are fine: readers fill them with nulls.
fn fits_table(data: &SchemaRef, table: &SchemaRef) -> bool {
    data.fields().iter().all(|d| {
        table.fields().iter().any(|t| t.name().eq_ignore_ascii_case(d.name()) && t.data_type() == d.data_type())
    })
}

fn remove_of(file: &AddFile, now_ms: i64) -> RemoveFile {
    RemoveFile {
        path: file.path.clone(),
        deletion_timestamp: Some(now_ms),
        data_change: true,
        extended_file_metadata: Some(true),
        partition_values: Some(file.partition_values.clone()),
        size: Some(file.size),
    }
}

fn commit_info(options: &WriteOptions<'_>, read_version: Option<i64>, rows: usize, added: &[AddFile], removed: usize) -> Value {
    let StreamingUpdate { output_mode, query_id, epoch_id } = &options.operation;
    let bytes: i64 = added.iter().map(|a| a.size).sum();
    let mut info = serde_json::Map::new();
    info.insert("timestamp".into(), json!(options.now_ms));
    info.insert("operation".into(), json!("STREAMING UPDATE"));
    info.insert(
        "operationParameters".into(),
        json!({"outputMode": output_mode, "queryId": query_id, "epochId": epoch_id.to_string()}),
    );
    if let Some(v) = read_version {
        info.insert("readVersion".into(), json!(v));
    }
    info.insert("isolationLevel".into(), json!("Serializable"));
    info.insert("isBlindAppend".into(), json!(options.mode == WriteMode::Append));
    info.insert(
        "operationMetrics".into(),
        json!({
            "numRemovedFiles": removed.to_string(),
            "numOutputRows": rows.to_string(),
            "numOutputBytes": bytes.to_string(),
            "numAddedFiles": added.len().to_string()
        }),
    );
    info.insert("engineInfo".into(), json!(ENGINE_INFO));
    info.insert("txnId".into(), json!((options.new_uuid)()));
    Value::Object(info)
}

/// Delta's `ConcurrentTransactionException` (same query twice) or a plain concurrent-commit
/// error: another writer committed `version` first.
fn concurrent_write(options: &WriteOptions<'_>, root: &str, version: i64) -> SparkError {
    if options.app_transaction.is_some() {
        return SparkError::runtime(
            "This error occurs when multiple streaming queries are using the same checkpoint to write into this table. Did you run multiple instances of the same streaming query at the same time?",
        )
        .with_class("DELTA_CONCURRENT_TRANSACTION");
    }
    SparkError::runtime(format!("Version {version} of the Delta table {root} was committed by another writer meanwhile. Please try the operation again."))
}

/// Writes the rows as Parquet files under the table root, one per partition directory, and
/// returns their `add` actions (none for no rows).
fn write_data_files(log: &DeltaLog, batch: &RecordBatch, partition_columns: &[String], new_uuid: &dyn Fn() -> String) -> Result<Vec<AddFile>> {
    if batch.num_rows() == 0 {
        return Ok(Vec::new());
    }
    let mut added = Vec::new();
    for group in partition(batch, partition_columns)? {
        let name = format!("part-00000-{}-c000.snappy.parquet", new_uuid());
        let relative = if group.dir.is_empty() { name } else { format!("{}/{name}", group.dir) };
        let bytes = streamlab_io::write_file(FileFormat::Parquet, std::slice::from_ref(&group.rows), &group.rows.schema())?;
        let path = join(log.root(), &relative);
        log.storage().write(&path, &bytes)?;
        let modification_time = log.storage().status(&path)?.map_or(0, |s| s.modification_time_ms);
        added.push(AddFile {
            path: paths::encode(&relative),
            partition_values: group.values,
            size: bytes.len() as i64,
            modification_time,
            data_change: true,
            stats: Some(file_stats(&group.rows)),
        });
    }
    Ok(added)
}

/// Partition column → value as text (`None` for null), as `add.partitionValues` holds them.
type PartitionValues = BTreeMap<String, Option<String>>;

/// The rows of one partition directory.
struct PartitionGroup {
    /// `col=value/...` (Hive-escaped), empty when the table is not partitioned.
    dir: String,
    /// Its partition values.
    values: PartitionValues,
    /// The rows without the partition columns.
    rows: RecordBatch,
}

/// Splits `batch` by the partition columns' values, in order of first appearance. A partition
/// column the data lacks is null for every row.
fn partition(batch: &RecordBatch, partition_columns: &[String]) -> Result<Vec<PartitionGroup>> {
    let schema = batch.schema();
    let keys: Vec<(String, Option<usize>)> = partition_columns
        .iter()
        .map(|p| (p.clone(), schema.fields().iter().position(|f| f.name().eq_ignore_ascii_case(p))))
        .collect();
    let data_columns: Vec<usize> =
        (0..schema.fields().len()).filter(|i| !keys.iter().any(|(_, k)| *k == Some(*i))).collect();
    let data_fields: Vec<Field> = data_columns.iter().map(|&i| schema.field(i).clone().with_nullable(true)).collect();
    let data_schema = Arc::new(Schema::new(data_fields));
    if keys.is_empty() {
        let columns: Vec<ArrayRef> = data_columns.iter().map(|&i| batch.column(i).clone()).collect();
        let rows = RecordBatch::try_new(data_schema, columns)?;
        return Ok(vec![PartitionGroup { dir: String::new(), values: BTreeMap::new(), rows }]);
    }
    let mut order: Vec<(String, PartitionValues, Vec<u32>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for row in 0..batch.num_rows() {
        let mut values = BTreeMap::new();
        let mut segments = Vec::with_capacity(keys.len());
        for (name, column) in &keys {
            let value = column.map(|c| batch.column(c)).filter(|a| a.is_valid(row)).map(|a| cell_to_string(a.as_ref(), row));
            let shown = value.as_deref().map_or_else(|| crate::partition::DEFAULT_PARTITION.to_string(), escape_path_name);
            segments.push(format!("{}={shown}", escape_path_name(name)));
            values.insert(name.clone(), value);
        }
        let dir = segments.join("/");
        let slot = *index.entry(dir.clone()).or_insert_with(|| {
            order.push((dir, values, Vec::new()));
            order.len() - 1
        });
        if let Some((_, _, rows)) = order.get_mut(slot) {
            rows.push(row as u32);
        }
    }
    order
        .into_iter()
        .map(|(dir, values, rows)| {
            let indices = UInt32Array::from(rows);
            let columns: Vec<ArrayRef> = data_columns
                .iter()
                .map(|&c| take(batch.column(c).as_ref(), &indices, None))
                .collect::<std::result::Result<_, _>>()?;
            Ok(PartitionGroup { dir, values, rows: RecordBatch::try_new(data_schema.clone(), columns)? })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    use arrow::array::{Int64Array, StringArray, TimestampMicrosecondArray};
    use arrow::datatypes::{DataType, TimeUnit};
    use streamlab_storage::MemoryStorage;

    fn batch(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
        let fields: Vec<Field> = columns.iter().map(|(n, a)| Field::new(*n, a.data_type().clone(), true)).collect();
        RecordBatch::try_new(Arc::new(Schema::new(fields)), columns.into_iter().map(|(_, a)| a).collect()).unwrap()
    }

    fn write(log: &DeltaLog, rows: &RecordBatch, mode: WriteMode, partition_by: &[String]) -> Result<i64> {
        let counter = Cell::new(0);
        let ids = move || {
            counter.set(counter.get() + 1);
            format!("00000000-0000-0000-0000-{:012}", counter.get())
        };
        let options = WriteOptions {
            partition_by,
            mode,
            app_transaction: None,
            operation: StreamingUpdate { output_mode: "Append".into(), query_id: "q".into(), epoch_id: 0 },
            now_ms: 5,
            new_uuid: &ids,
        };
        write_commit(log, log.snapshot()?.as_ref(), rows, &options)
    }

    #[test]
    fn overwrite_may_change_the_schema_and_append_may_not_repartition() {
        let log = DeltaLog::new(Arc::new(MemoryStorage::new()), "/t");
        let first = batch(vec![("k", Arc::new(StringArray::from(vec!["a"])) as ArrayRef), ("n", Arc::new(Int64Array::from(vec![1])))]);
        assert_eq!(write(&log, &first, WriteMode::Append, &["k".to_string()]).unwrap(), 0);
        let err = write(&log, &first, WriteMode::Append, &["n".to_string()]).unwrap_err();
        assert!(err.message.starts_with("Partition columns do not match"), "{err}");

        let ts = TimestampMicrosecondArray::from(vec![7]);
        let second = batch(vec![("k", Arc::new(StringArray::from(vec!["b"])) as ArrayRef), ("at", Arc::new(ts))]);
        assert!(write(&log, &second, WriteMode::Append, &[]).unwrap_err().message.contains("A schema mismatch detected"));
        assert_eq!(write(&log, &second, WriteMode::Overwrite, &[]).unwrap(), 1);
        let snapshot = log.snapshot().unwrap().unwrap();
        assert_eq!(snapshot.metadata.id, "00000000-0000-0000-0000-000000000001", "the table keeps its id");
        assert_eq!(snapshot.schema.field(1).data_type(), &DataType::Timestamp(TimeUnit::Microsecond, None));
        assert_eq!(snapshot.metadata.partition_columns, ["k"]);
        assert_eq!(snapshot.protocol.reader_features, Some(vec!["timestampNtz".to_string()]));
        assert_eq!(snapshot.files().len(), 1);
        assert!(snapshot.files()[0].path.starts_with("k=b/part-00000-"));
    }
}
