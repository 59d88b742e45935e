//! Parquet files: reading with a user schema, inferring Spark's schema, and writing as the file
//! sink does (snappy).

use std::sync::Arc;

use arrow::array::{new_null_array, Array, ArrayRef, ListArray, RecordBatch, StructArray};
use arrow::compute::concat_batches;
use arrow::datatypes::{DataType, Field, FieldRef, Fields, Schema, SchemaRef, TimeUnit};
use bytes::Bytes;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::{ArrowWriter, ProjectionMask};
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use parquet::schema::types::ColumnPath;
use streamlab_types::widen::{can_widen, widen};
use streamlab_types::{Result, SparkError};

use crate::cell::spark_type_name;
use crate::malformed::finish_batch;

fn pq_err(e: parquet::errors::ParquetError) -> SparkError {
    SparkError::runtime(format!("Could not read footer for file: {e}")).with_class("CANNOT_READ_FILE_FOOTER")
}

/// Reads a whole Parquet file and returns it in `schema`: columns matched by name
/// (case-insensitively, as Spark does by default), missing columns null, and lossless type
/// widening (`int` → `bigint`/`double`, `float` → `double`, nanosecond/INT96 timestamps →
/// microseconds).
///
/// Why: the streaming Parquet source and `spark.read.parquet` read files written by StreamLab,
/// Spark or pyarrow with the user's schema.
///
/// ```
/// use std::sync::Arc;
/// use arrow::array::{Array, Int32Array, Int64Array, RecordBatch};
/// use arrow::datatypes::{DataType, Field, Schema};
/// use streamlab_io::{read_parquet, write_file, FileFormat};
/// let s = Arc::new(Schema::new(vec![Field::new("a", DataType::Int32, true)]));
/// let b = RecordBatch::try_new(s.clone(), vec![Arc::new(Int32Array::from(vec![1, 2]))]).unwrap();
/// let bytes = write_file(FileFormat::Parquet, &[b], &s).unwrap();
/// let want = Arc::new(Schema::new(vec![Field::new("A", DataType::Int64, true), Field::new("z", DataType::Utf8, true)]));
/// let back = read_parquet(&bytes, &want).unwrap();
/// assert_eq!(back.column(0).as_any().downcast_ref::<Int64Array>().unwrap().value(1), 2);
/// assert_eq!(back.column(1).null_count(), 2);
/// ```
pub fn read_parquet(data: &[u8], schema: &SchemaRef) -> Result<RecordBatch> {
    let builder = ParquetRecordBatchReaderBuilder::try_new(Bytes::copy_from_slice(data)).map_err(pq_err)?;
    let file_schema = builder.schema().clone();
    let rows = usize::try_from(builder.metadata().file_metadata().num_rows()).unwrap_or(0);
    let mut roots = Vec::new();
    let mut picks: Vec<Option<usize>> = Vec::new();
    for f in schema.fields() {
        let found = file_schema.fields().iter().position(|ff| ff.name() == f.name()).or_else(|| {
            file_schema.fields().iter().position(|ff| ff.name().eq_ignore_ascii_case(f.name()))
        });
        if let Some(i) = found {
            if !roots.contains(&i) {
                roots.push(i);
            }
        }
        picks.push(found);
    }
    roots.sort_unstable();
    let mask = ProjectionMask::roots(builder.parquet_schema(), roots.iter().copied());
    let reader = builder.with_projection(mask).with_batch_size(8192).build().map_err(pq_err)?;
    let mut batches = Vec::new();
    for b in reader {
        batches.push(b?);
    }
    let projected = match batches.first() {
        Some(first) => {
            let s = first.schema();
            concat_batches(&s, &batches)?
        }
        None => RecordBatch::new_empty(Arc::new(file_schema.project(&roots)?)),
    };
    let n = if roots.is_empty() { rows } else { projected.num_rows() };
    let mut cols = Vec::with_capacity(schema.fields().len());
    for (f, pick) in schema.fields().iter().zip(picks) {
        let col = match pick.and_then(|fi| roots.iter().position(|r| *r == fi)) {
            Some(pos) => adapt(projected.column(pos), f.data_type(), f.name())?,
            None => new_null_array(f.data_type(), n),
        };
        cols.push(col);
    }
    finish_batch(schema, cols, n)
}

/// Converts a column read from Parquet to the type the user asked for.
fn adapt(col: &ArrayRef, want: &DataType, name: &str) -> Result<ArrayRef> {
    let have = col.data_type();
    if have == want {
        return Ok(col.clone());
    }
    match (have, want) {
        (DataType::Struct(_), DataType::Struct(wf)) => {
            let Some(s) = col.as_any().downcast_ref::<StructArray>() else { return Err(mismatch(name, want, have)) };
            let mut cols = Vec::new();
            for f in wf.iter() {
                let c = match s.column_by_name(f.name()) {
                    Some(c) => adapt(c, f.data_type(), f.name())?,
                    None => new_null_array(f.data_type(), s.len()),
                };
                cols.push(c);
            }
            let fields: Fields = wf.iter().map(|f| Arc::new(f.as_ref().clone().with_nullable(true))).collect();
            Ok(Arc::new(StructArray::try_new(fields, cols, s.nulls().cloned())?))
        }
        (DataType::List(_), DataType::List(wf)) => {
            let Some(l) = col.as_any().downcast_ref::<ListArray>() else { return Err(mismatch(name, want, have)) };
            let values = adapt(l.values(), wf.data_type(), name)?;
            let field: FieldRef = Arc::new(wf.as_ref().clone().with_nullable(true));
            Ok(Arc::new(ListArray::try_new(field, l.offsets().clone(), values, l.nulls().cloned())?))
        }
        _ if can_widen(have, want) => widen(col, want),
        _ => Err(mismatch(name, want, have)),
    }
}

fn mismatch(name: &str, want: &DataType, have: &DataType) -> SparkError {
    SparkError::runtime(format!(
        "Parquet column cannot be converted in file. Column: [{name}], Expected: {}, Found: {}.",
        spark_type_name(want),
        physical_name(have)
    ))
}

fn physical_name(dt: &DataType) -> &'static str {
    match dt {
        DataType::Boolean => "BOOLEAN",
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Date32 | DataType::UInt8 | DataType::UInt16 => "INT32",
        DataType::Int64 | DataType::UInt32 | DataType::UInt64 | DataType::Timestamp(_, _) => "INT64",
        DataType::Float32 => "FLOAT",
        DataType::Float64 => "DOUBLE",
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Binary | DataType::LargeBinary => "BINARY",
        _ => "GROUP",
    }
}

/// The Spark schema of a Parquet file (`spark.read.parquet` without a schema).
pub fn infer_parquet(data: &[u8]) -> Result<Schema> {
    let builder = ParquetRecordBatchReaderBuilder::try_new(Bytes::copy_from_slice(data)).map_err(pq_err)?;
    let fields: Vec<Field> = builder
        .schema()
        .fields()
        .iter()
        .map(|f| Field::new(f.name(), spark_arrow_type(f.data_type()), true))
        .collect();
    Ok(Schema::new(fields))
}

/// The Arrow type StreamLab uses for the Spark type a Parquet column reads as.
fn spark_arrow_type(dt: &DataType) -> DataType {
    use DataType::*;
    match dt {
        UInt8 | UInt16 => Int32,
        UInt32 => Int64,
        UInt64 => Decimal128(20, 0),
        LargeUtf8 | Utf8View => Utf8,
        LargeBinary | BinaryView | FixedSizeBinary(_) => Binary,
        Float16 => Float32,
        Timestamp(_, tz) => Timestamp(TimeUnit::Microsecond, tz.as_ref().map(|_| Arc::from("UTC"))),
        Date64 => Date32,
        Dictionary(_, v) => spark_arrow_type(v),
        List(f) | LargeList(f) => List(Arc::new(Field::new("element", spark_arrow_type(f.data_type()), true))),
        Struct(fs) => Struct(fs.iter().map(|f| Field::new(f.name(), spark_arrow_type(f.data_type()), true)).collect()),
        Map(f, sorted) => Map(f.clone(), *sorted),
        other => other.clone(),
    }
}

/// Writes batches as one snappy-compressed Parquet file, as Spark's file sink does.
///
/// ```
/// use std::sync::Arc;
/// use arrow::array::{Int64Array, RecordBatch, StringArray};
/// use arrow::datatypes::{DataType, Field, Schema};
/// use streamlab_io::parquet::{read_parquet, write_parquet};
/// let schema = Arc::new(Schema::new(vec![Field::new("n", DataType::Int64, true), Field::new("s", DataType::Utf8, true)]));
/// let batch = RecordBatch::try_new(schema.clone(), vec![
///     Arc::new(Int64Array::from(vec![1, 2])),
///     Arc::new(StringArray::from(vec!["a", "b"])),
/// ]).unwrap();
/// let bytes = write_parquet(&[batch.clone()], &schema).unwrap();
/// assert_eq!(read_parquet(&bytes, &schema).unwrap(), batch);
/// ```
pub fn write_parquet(batches: &[RecordBatch], schema: &SchemaRef) -> Result<Vec<u8>> {
    let props = writer_properties(batches, schema);
    #[cfg(not(target_arch = "wasm32"))]
    if parallel::pays_off(batches, schema, &props) {
        return parallel::write(batches, schema, props).map_err(write_err);
    }
    write_serially(batches, schema, props).map_err(write_err)
}

fn write_err(e: parquet::errors::ParquetError) -> SparkError {
    SparkError::runtime(format!("Parquet write failed: {e}"))
}

/// The file sink's writer settings: snappy, and a dictionary only for the columns where
/// parquet-mr would keep one.
fn writer_properties(batches: &[RecordBatch], schema: &SchemaRef) -> WriterProperties {
    let mut props = WriterProperties::builder().set_compression(Compression::SNAPPY).set_write_batch_size(WRITE_BATCH_ROWS);
    for (i, field) in schema.fields().iter().enumerate() {
        let column: Vec<&dyn Array> = batches.iter().filter_map(|b| b.columns().get(i)).map(|c| c.as_ref()).collect();
        if let Some(false) = dictionary_pays_off(&column) {
            props = props.set_column_dictionary_enabled(ColumnPath::from(field.name().as_str()), false);
        }
    }
    props.build()
}

/// The batches in `schema` (same columns; the file's field names and nullability are the
/// schema's).
fn conformed(batch: &RecordBatch, schema: &SchemaRef) -> std::result::Result<RecordBatch, arrow::error::ArrowError> {
    if batch.schema() == *schema {
        Ok(batch.clone())
    } else {
        RecordBatch::try_new(schema.clone(), batch.columns().to_vec())
    }
}

fn write_serially(batches: &[RecordBatch], schema: &SchemaRef, props: WriterProperties) -> parquet::errors::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut w = ArrowWriter::try_new(&mut buf, schema.clone(), Some(props))?;
    for b in batches {
        w.write(&conformed(b, schema)?)?;
    }
    w.close()?;
    Ok(buf)
}

/// Column encoding on two threads, for native builds.
///
/// Why: encoding (dictionaries, statistics, snappy) is about half of a micro-batch's work in the
/// seed pipeline, and columns encode independently. The file is the one [`ArrowWriter`] writes
/// — same properties, same embedded Arrow schema, same column writers fed the same leaves —
/// only the columns' encoding is split between two threads before the chunks are appended in
/// column order; a test checks the bytes are identical.
#[cfg(not(target_arch = "wasm32"))]
mod parallel {
    use arrow::array::RecordBatch;
    use arrow::datatypes::SchemaRef;
    use parquet::arrow::arrow_writer::{compute_leaves, ArrowColumnChunk, ArrowColumnWriter};
    use parquet::arrow::ArrowWriter;
    use parquet::errors::{ParquetError, Result};
    use parquet::file::properties::WriterProperties;

    /// Fewer rows than this encode faster on one thread than with a second one (measured on
    /// the activity files: 5,000 rows gain a fifth, 1,001 rows lose half again).
    const MIN_ROWS: usize = 4096;

    /// Whether a file is worth splitting: enough rows, at least two columns, one row group (a
    /// larger file keeps [`ArrowWriter`]'s row-group splitting) and flat columns (one leaf per
    /// field, so writers and fields pair up).
    pub(super) fn pays_off(batches: &[RecordBatch], schema: &SchemaRef, props: &WriterProperties) -> bool {
        let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
        let max_rows = props.max_row_group_row_count().unwrap_or(usize::MAX);
        rows >= MIN_ROWS
            && rows <= max_rows
            && schema.fields().len() >= 2
            && schema.fields().iter().all(|f| !f.data_type().is_nested())
    }

    pub(super) fn write(batches: &[RecordBatch], schema: &SchemaRef, props: WriterProperties) -> Result<Vec<u8>> {
        let mut buf = Vec::new();
        let (mut file, factory) = ArrowWriter::try_new(&mut buf, schema.clone(), Some(props))?.into_serialized_writer()?;
        let writers = factory.create_column_writers(0)?;
        let batches = batches.iter().map(|b| super::conformed(b, schema)).collect::<std::result::Result<Vec<_>, _>>()?;
        // Even columns here, odd ones on the second thread: neighbouring columns of a record
        // tend to have similar types, so this balances the work better than halves.
        let (mine, theirs): (Vec<_>, Vec<_>) = writers.into_iter().enumerate().partition(|(i, _)| i % 2 == 0);
        let (chunks, other) = std::thread::scope(|scope| {
            let other = scope.spawn(|| encode(theirs, &batches));
            (encode(mine, &batches), other.join())
        });
        let mut chunks = chunks?;
        chunks.extend(other.map_err(|_| ParquetError::General("a Parquet encoding thread stopped unexpectedly".into()))??);
        chunks.sort_by_key(|(i, _)| *i);
        let mut row_group = file.next_row_group()?;
        for (_, chunk) in chunks {
            chunk.append_to_row_group(&mut row_group)?;
        }
        row_group.close()?;
        file.close()?;
        Ok(buf)
    }

    /// Encodes the given columns (by index) of every batch.
    fn encode(writers: Vec<(usize, ArrowColumnWriter)>, batches: &[RecordBatch]) -> Result<Vec<(usize, ArrowColumnChunk)>> {
        writers
            .into_iter()
            .map(|(i, mut writer)| {
                for batch in batches {
                    let field = batch.schema_ref().field(i).clone();
                    for leaf in compute_leaves(&field, batch.column(i))? {
                        writer.write(&leaf)?;
                    }
                }
                Ok((i, writer.close()?))
            })
            .collect()
    }

    #[cfg(test)]
    mod tests {
        use std::sync::Arc;

        use arrow::array::{Float64Array, Int64Array, RecordBatch, StringArray};
        use arrow::datatypes::{DataType, Field, Schema};

        /// The parallel file is byte for byte the serial one, over several batches, nulls,
        /// dictionary and plain columns.
        #[test]
        fn parallel_encoding_writes_the_serial_bytes() {
            let schema = Arc::new(Schema::new(vec![
                Field::new("id", DataType::Int64, true),
                Field::new("device", DataType::Utf8, true),
                Field::new("x", DataType::Float64, true),
                Field::new("label", DataType::Utf8, false),
            ]));
            let batch = |from: i64| {
                let n = 2100;
                RecordBatch::try_new(
                    schema.clone(),
                    vec![
                        Arc::new(Int64Array::from_iter((from..from + n).map(|i| (i % 7 != 0).then_some(i)))),
                        Arc::new(StringArray::from_iter((from..from + n).map(|i| Some(format!("dev-{}", i % 3))))),
                        Arc::new(Float64Array::from_iter_values((from..from + n).map(|i| i as f64 / 3.0))),
                        Arc::new(StringArray::from_iter_values((from..from + n).map(|i| format!("row {i}")))),
                    ],
                )
                .unwrap()
            };
            let batches = [batch(0), batch(2100)];
            let props = || super::super::writer_properties(&batches, &schema);
            assert!(super::pays_off(&batches, &schema, &props()));
            let parallel = super::write(&batches, &schema, props()).unwrap();
            let serial = super::super::write_serially(&batches, &schema, props()).unwrap();
            assert_eq!(parallel, serial);
        }
    }
}

/// Values the column writers take at a time: the whole of a typical micro-batch's page in few
/// steps (the encoding does not depend on it).
const WRITE_BATCH_ROWS: usize = 8192;

/// Values looked at to decide on a column's dictionary.
const DICTIONARY_SAMPLE: usize = 512;

/// Whether dictionary encoding makes a flat column smaller, judged on a sample of its first
/// values; `None` for types it does not judge (they keep the default, a dictionary).
///
/// Why: parquet-mr (Spark's writer) tries a dictionary and, when the first page comes out no
/// smaller than plain encoding (`isCompressionSatisfying`), writes the column PLAIN: unique
/// columns (ids, timestamps) come out PLAIN and repetitive ones (sensor readings, categories)
/// with a dictionary. Deciding up front from a sample gives the same choice without building a
/// dictionary for every value of a unique column. The sample's share of distinct values stands
/// for the column's: the dictionary wins when
/// `distinct × value bytes + rows × index bits / 8 < rows × value bytes`.
fn dictionary_pays_off(column: &[&dyn Array]) -> Option<bool> {
    let rows: usize = column.iter().map(|a| a.len() - a.null_count()).sum();
    let first = column.first()?;
    let (distinct, sampled, value_bytes) = match first.data_type() {
        DataType::Utf8 => {
            let mut sample: Vec<&str> = Vec::with_capacity(DICTIONARY_SAMPLE);
            for array in column {
                let strings = array.as_any().downcast_ref::<arrow::array::StringArray>()?;
                sample.extend(strings.iter().flatten().take(DICTIONARY_SAMPLE - sample.len()));
            }
            let sampled = sample.len();
            let bytes = sample.iter().map(|s| s.len() + 4).sum::<usize>() as f64 / sampled.max(1) as f64;
            sample.sort_unstable();
            sample.dedup();
            (sample.len(), sampled, bytes)
        }
        dt => {
            let width = match dt {
                DataType::Int64 | DataType::Float64 | DataType::Timestamp(_, _) => 8,
                DataType::Int32 | DataType::Float32 | DataType::Date32 => 4,
                _ => return None,
            };
            let mut sample: Vec<u64> = Vec::with_capacity(DICTIONARY_SAMPLE);
            for array in column {
                sample_fixed_width(*array, width, &mut sample);
            }
            let sampled = sample.len();
            sample.sort_unstable();
            sample.dedup();
            (sample.len(), sampled, width as f64)
        }
    };
    if sampled < 2 {
        return None;
    }
    let share = distinct as f64 / sampled as f64;
    let index_bits = (share * rows as f64).max(2.0).log2().ceil();
    Some(share * value_bytes + index_bits / 8.0 < value_bytes)
}

/// Appends the bits of the first non-null values of a fixed-width column to `sample`, up to
/// [`DICTIONARY_SAMPLE`] values.
fn sample_fixed_width(array: &dyn Array, width: usize, sample: &mut Vec<u64>) {
    let data = array.to_data();
    let Some(buffer) = data.buffers().first() else { return };
    let bytes = buffer.as_slice();
    for i in 0..data.len() {
        if sample.len() >= DICTIONARY_SAMPLE {
            return;
        }
        if data.is_null(i) {
            continue;
        }
        let at = (data.offset() + i) * width;
        if let Some(value) = bytes.get(at..at + width) {
            let mut word = [0u8; 8];
            if let Some(low) = word.get_mut(..width) {
                low.copy_from_slice(value);
            }
            sample.push(u64::from_le_bytes(word));
        }
    }
}
