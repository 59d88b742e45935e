//! Hive-style partition directories (`gt=sit/`): the values they hold, and the columns Spark
//! adds for them after the data columns.

use std::sync::Arc;

use arrow::array::{new_null_array, ArrayRef, StringArray};
use arrow::datatypes::{DataType, Field};
use arrow::record_batch::RecordBatch;
use streamlab_types::Result;

/// Spark's name for a null partition value.
pub(crate) const DEFAULT_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

/// The `key=value` pairs of the directories between `base` and the file `path`, in order.
pub(crate) fn partition_values(base: &str, path: &str) -> Vec<(String, String)> {
    let relative = path.strip_prefix(base).unwrap_or(path);
    let mut segments: Vec<&str> = relative.split('/').filter(|s| !s.is_empty()).collect();
    segments.pop(); // the file name
    segments
        .into_iter()
        .filter_map(|seg| seg.split_once('='))
        .map(|(k, v)| (unescape(k), unescape(v)))
        .collect()
}

/// Undoes Hive's `%XX` escaping of path segments.
fn unescape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The type Spark infers for a partition column from its values
/// (`spark.sql.sources.partitionColumnTypeInference.enabled`): int, bigint, double or string.
pub(crate) fn infer_type<'a>(values: impl Iterator<Item = &'a str> + Clone) -> DataType {
    let present = values.filter(|v| *v != DEFAULT_PARTITION);
    if present.clone().all(|v| v.parse::<i32>().is_ok()) {
        DataType::Int32
    } else if present.clone().all(|v| v.parse::<i64>().is_ok()) {
        DataType::Int64
    } else if present.clone().all(|v| v.parse::<f64>().is_ok_and(|f| f.is_finite())) {
        DataType::Float64
    } else {
        DataType::Utf8
    }
}

/// Appends one constant column per `(field, value)` to `batch`.
pub(crate) fn append_columns(batch: RecordBatch, columns: &[(Field, Option<String>)]) -> Result<RecordBatch> {
    let rows = batch.num_rows();
    let mut fields: Vec<Field> = batch.schema().fields().iter().map(|f| f.as_ref().clone()).collect();
    let mut arrays: Vec<ArrayRef> = batch.columns().to_vec();
    for (field, value) in columns {
        let array = match value.as_deref() {
            Some(v) if v != DEFAULT_PARTITION => {
                streamlab_expr::cast::cast_array(&(Arc::new(StringArray::from(vec![v; rows])) as ArrayRef), field.data_type())?
            }
            _ => new_null_array(field.data_type(), rows),
        };
        fields.push(field.clone());
        arrays.push(array);
    }
    Ok(RecordBatch::try_new(Arc::new(arrow::datatypes::Schema::new(fields)), arrays)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_types() {
        assert_eq!(
            partition_values("/out", "/out/gt=sit/id=7/part-0.parquet"),
            vec![("gt".to_string(), "sit".to_string()), ("id".to_string(), "7".to_string())]
        );
        assert_eq!(partition_values("/out", "/out/a%3Db=x%2Fy/f"), vec![("a=b".to_string(), "x/y".to_string())]);
        assert_eq!(infer_type(["1", "2"].into_iter()), DataType::Int32);
        assert_eq!(infer_type(["1", "99999999999"].into_iter()), DataType::Int64);
        assert_eq!(infer_type(["1.5", DEFAULT_PARTITION].into_iter()), DataType::Float64);
        assert_eq!(infer_type(["sit"].into_iter()), DataType::Utf8);
    }
}
